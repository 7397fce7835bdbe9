import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { formatBytes, plural } from '../../src/core/format';
import { WHOLE_TEXT_LIMIT } from '../../src/core/wasm/wabt-limits';
import type { InspectReport } from '../../src/core/wasm/inspect';
import type {
  ComponentExternInfo,
  CoreModuleInfo,
  ExportInfo,
  FunctionInfo,
  ImportInfo,
  SectionInfo,
  TypeInfo,
} from '../../src/core/wasm/model';
import type { RuntimeVerdict } from '../../src/core/wasm/runtime-support';
import { coreModules, type SizeItem } from '../../src/core/wasm/size-breakdown';
import type { FunctionWat } from '../../src/core/wasm/wat';
import type { FromInspector, ToInspector } from '../../src/shared/inspector-protocol';
import { custom, el } from '../panel/dom';
import { searchable, sortableTable, type Column } from './table';

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const hex = (n: number) => `0x${n.toString(16)}`;

interface FunctionRow extends FunctionInfo {
  module: number;
}

/** The inspector page: overview, sections, imports/exports, size, functions (with WAT) and custom sections. */
export class InspectorApp {
  private report: InspectReport | undefined;
  private fileName = '';
  private scan: Extract<ToInspector, { type: 'codeScan' }> | undefined;
  private selectedTab = 0;
  private watPane = el('div', { class: 'wat-pane' });
  private current: { module: number; index: number } | undefined;
  private validation: Extract<ToInspector, { type: 'validation' }> | 'running' | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly post: (m: FromInspector) => void,
  ) {
    root.append(el('p', { class: 'muted' }, 'Decoding…'));
  }

  receive(message: ToInspector): void {
    switch (message.type) {
      case 'report':
        this.report = message.report;
        this.fileName = message.fileName;
        this.render();
        return;
      case 'codeScan':
        this.scan = message;
        this.render();
        return;
      case 'wat':
        this.showWat(message.module, message.wat);
        return;
      case 'watError':
        this.watPane.replaceChildren(
          el('p', { class: 'problem' }, `Function ${message.index}: ${message.message}`),
        );
        return;
      case 'validation':
        this.validation = message;
        this.render();
    }
  }

  private get modules(): CoreModuleInfo[] {
    return coreModules(this.report?.binary);
  }

  render(): void {
    const r = this.report;
    if (!r) return;
    const t0 = performance.now();
    const tabs = custom('vscode-tabs', { 'selected-index': String(this.selectedTab) });
    tabs.addEventListener('vsc-tabs-select', (e) => {
      this.selectedTab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    });
    const add = (title: string, content: HTMLElement) =>
      tabs.append(
        custom('vscode-tab-header', { slot: 'header' }, title),
        custom('vscode-tab-panel', {}, content),
      );
    add('Overview', this.overview(r));
    add(`Sections (${r.sections.length})`, this.sections(r.sections));
    if (r.binary) add('Imports & Exports', this.importsExports());
    if (r.size) add('Size', this.size(r));
    if (this.modules.length) add('Functions & WAT', this.functions());
    add('Custom sections', this.customSections());
    this.root.replaceChildren(this.header(r), tabs);
    const header = this.root.querySelector('header')!;
    const heading = [
      header.querySelector('h1'),
      ...Array.from(header.querySelectorAll('.badge')),
      header.querySelector('.problems'),
    ]
      .map((n) => n?.textContent ?? '')
      .filter(Boolean)
      .join(' · ');
    // pageMs: since the page started loading (webview start-up included)
    this.post({
      type: 'rendered',
      heading,
      pageMs: performance.now(),
      renderMs: performance.now() - t0,
      tabs: Array.from(tabs.querySelectorAll('vscode-tab-header'), (h) => h.textContent ?? ''),
    });
  }

  private header(r: InspectReport): HTMLElement {
    const c = r.classification;
    const b = r.binary;
    const kind = !b
      ? 'not decoded'
      : b.kind === 'component'
        ? `component (version ${hex(b.version)})`
        : 'core module';
    const badges = [
      kind,
      c?.wasi ? `WASI ${c.wasi}` : c ? 'no WASI' : undefined,
      c?.entry,
      formatBytes(r.fileSize),
    ].filter((x): x is string => !!x);
    const problems = r.problems.length
      ? el(
          'div',
          { class: 'problems', role: 'alert' },
          el(
            'strong',
            {},
            `Decoded with ${plural(r.problems.length, 'problem')}; what decoded fine is shown.`,
          ),
          el(
            'p',
            { class: 'muted' },
            'These come from decoding the structure. Validate checks every rule a runtime applies (types, indices, limits, the typing of each instruction).',
          ),
          el(
            'ul',
            {},
            ...r.problems
              .slice(0, 20)
              .map((p) =>
                el(
                  'li',
                  {},
                  `at byte offset ${p.offset} (${hex(p.offset)})${p.section ? ` in ${p.section}` : ''}: ${p.message}`,
                ),
              ),
          ),
        )
      : undefined;
    return el(
      'header',
      {},
      el('h1', {}, this.fileName),
      el('div', { class: 'badges' }, ...badges.map((t) => el('span', { class: 'badge' }, t))),
      problems,
    );
  }

  private overview(r: InspectReport): HTMLElement {
    const c = r.classification;
    const b = r.binary;
    const rows: [string, string][] = [
      ['File size', `${formatBytes(r.fileSize)} (${r.fileSize.toLocaleString('en')} bytes)`],
    ];
    if (c && b) {
      rows.push([
        'Kind',
        b.kind === 'component'
          ? `Component-model binary (layer 1), ${plural(b.modules.length, 'core module')}, ${plural(b.components.length, 'nested component')}`
          : 'Core module',
      ]);
      rows.push([
        'Entry',
        c.entry === 'command'
          ? 'command (runs main and exits)'
          : c.entry === 'reactor'
            ? 'reactor (_initialize, then exports are called)'
            : 'library (no entry point)',
      ]);
      rows.push([
        'WASI',
        c.wasi
          ? `${c.wasi}${c.wasiFunctions.length ? `: ${c.wasiFunctions.join(', ')}` : ''}`
          : 'none',
      ]);
      if (c.wasiInterfaces.length)
        rows.push([
          b.kind === 'component' ? 'WASI interfaces' : 'Interfaces (canonical ABI)',
          c.wasiInterfaces.join(', '),
        ]);
      const others = c.abis.filter((a) => !a.startsWith('wasi-preview'));
      if (others.length) rows.push(['Host ABI', others.join(', ')]);
      for (const o of c.otherImports) rows.push([`Imports from ${o.module}`, o.names.join(', ')]);
      if (c.capabilities.length) rows.push(['Needs', c.capabilities.join(', ')]);
      if (b.kind === 'core-module') {
        rows.push([
          'Counts',
          `${plural(b.types.length, 'type')}, ${plural(b.imports.length, 'import')}, ${plural(b.functions.length, 'function')}, ${plural(b.exports.length, 'export')}, ${plural(b.globals.length, 'global')}, ${plural(b.tables.length, 'table')}, ${plural(b.data.count, 'data segment')}, ${plural(b.elements.count, 'element segment')}`,
        ]);
        rows.push([
          'Memory',
          b.memories
            .map(
              (m) =>
                `${m.min}${m.max === undefined ? '' : `–${m.max}`} pages${m.shared ? ', shared' : ''}${m.index64 ? ', 64-bit' : ''}${m.imported ? ' (imported)' : ''}`,
            )
            .join('; ') || 'none',
        ]);
        if (b.start !== undefined) rows.push(['Start function', String(b.start)]);
      } else {
        rows.push(['Imports', b.imports.map((i) => i.name).join(', ') || 'none']);
        rows.push(['Exports', b.exports.map((e) => e.name).join(', ') || 'none']);
      }
      const producers = b.producers ?? this.modules.find((m) => m.producers)?.producers;
      for (const [field, tools] of Object.entries(producers ?? {}))
        rows.push([
          `Producers: ${field}`,
          tools.map((t) => `${t.name}${t.version ? ` ${t.version}` : ''}`).join(', '),
        ]);
      rows.push(['Features (structure)', c.features.join(', ') || 'MVP only']);
      rows.push([
        'Features (code)',
        this.scan
          ? `${this.scan.features.join(', ') || 'MVP only'} — ${this.scan.instructions.toLocaleString('en')} instructions read in ${this.scan.ms.toFixed(0)} ms`
          : 'reading the code…',
      ]);
      if (c.declaredFeatures.length)
        rows.push(['Declared (target_features)', c.declaredFeatures.join(', ')]);
    }
    const runtimes = this.scan?.runtimes ?? r.runtimes;
    return el(
      'section',
      {},
      this.toolbar(r),
      el('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      runtimes ? el('h2', {}, 'Runtimes that can run it') : undefined,
      runtimes ? this.runtimes(runtimes) : undefined,
      runtimes && !this.scan
        ? el(
            'p',
            { class: 'muted' },
            'Judged from imports and structure; refined when the code has been read.',
          )
        : undefined,
    );
  }

  private toolbar(r: InspectReport): HTMLElement {
    const validate = custom(
      'vscode-button',
      {
        id: 'validate',
        secondary: '',
        ...(this.validation === 'running' || !r.binary ? { disabled: '' } : {}),
      },
      'Validate',
    );
    validate.addEventListener('click', () => {
      this.validation = 'running';
      this.render();
      this.post({ type: 'validate' });
    });
    const tooBig = r.fileSize > WHOLE_TEXT_LIMIT;
    const text = custom(
      'vscode-button',
      {
        id: 'open-text',
        secondary: '',
        ...(tooBig || !r.binary ? { disabled: '' } : {}),
        title: tooBig
          ? `Over ${WHOLE_TEXT_LIMIT / 2 ** 20} MiB: open functions one at a time under Functions & WAT`
          : 'The whole module as WebAssembly text (wabt)',
      },
      'Open as WAT',
    );
    text.addEventListener('click', () => this.post({ type: 'openText' }));
    const v = this.validation;
    const status =
      v === 'running'
        ? el('span', { class: 'muted' }, 'validating…')
        : v
          ? el(
              'span',
              {
                class: v.valid ? 'verdict verdict-yes' : 'problem',
                id: 'validation',
                title: validationDetail(v),
              },
              validationSummary(v),
            )
          : undefined;
    return el('div', { class: 'toolbar' }, validate, text, status);
  }

  private runtimes(verdicts: RuntimeVerdict[]): HTMLElement {
    return el(
      'table',
      { class: 'data runtimes' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Runtime'),
          el('th', {}, 'Can run it'),
          el('th', {}, 'Why'),
          el('th', {}, 'Judged by'),
        ),
      ),
      el(
        'tbody',
        {},
        ...verdicts.map((v) =>
          el(
            'tr',
            {},
            el('td', {}, v.runtime),
            el('td', {}, el('span', { class: `verdict verdict-${v.verdict}` }, v.verdict)),
            el(
              'td',
              {},
              [v.flags ? `with ${v.flags.join(' ')}` : '', ...v.reasons]
                .filter(Boolean)
                .join('; ') || '—',
            ),
            el('td', {}, v.basis),
          ),
        ),
      ),
    );
  }

  private sections(sections: SectionInfo[]): HTMLElement {
    const total = this.report!.fileSize;
    const columns: Column<SectionInfo>[] = [
      { label: 'Section', value: (s) => s.name },
      { label: 'Offset', value: (s) => s.offset, text: (s) => hex(s.offset), numeric: true },
      {
        label: 'Payload size',
        value: (s) => s.size,
        text: (s) => s.size.toLocaleString('en'),
        numeric: true,
      },
      {
        label: 'Share',
        value: (s) => s.totalSize,
        text: (s) => pct(s.totalSize / total),
        numeric: true,
      },
      {
        label: 'Entries',
        value: (s) => s.count ?? -1,
        text: (s) => (s.count === undefined ? '' : s.count.toLocaleString('en')),
        numeric: true,
      },
    ];
    return sortableTable(columns, sections);
  }

  private importsExports(): HTMLElement {
    const b = this.report!.binary!;
    if (b.kind === 'component') {
      const cols: Column<ComponentExternInfo>[] = [
        { label: 'Name', value: (x) => x.name },
        { label: 'Kind', value: (x) => x.kind },
        { label: 'Version', value: (x) => x.version ?? '' },
      ];
      return el(
        'section',
        {},
        el('h2', {}, `Imports (${b.imports.length})`),
        sortableTable(cols, b.imports),
        el('h2', {}, `Exports (${b.exports.length})`),
        sortableTable(cols, b.exports),
      );
    }
    const importCols: Column<ImportInfo>[] = [
      { label: 'Module', value: (i) => i.module },
      { label: 'Name', value: (i) => i.name },
      { label: 'Kind', value: (i) => i.kind },
      { label: 'Index', value: (i) => i.index, numeric: true },
      { label: 'Type', value: (i) => i.type },
    ];
    const exportCols: Column<ExportInfo>[] = [
      { label: 'Name', value: (e) => e.name },
      { label: 'Kind', value: (e) => e.kind },
      { label: 'Index', value: (e) => e.index, numeric: true },
      { label: 'Type', value: (e) => e.type ?? '' },
    ];
    return el(
      'section',
      {},
      el('h2', {}, `Imports (${b.imports.length})`),
      searchable(
        'Filter imports',
        b.imports,
        (i) => `${i.module} ${i.name} ${i.kind}`,
        (rows) => sortableTable(importCols, rows),
      ),
      el('h2', {}, `Exports (${b.exports.length})`),
      searchable(
        'Filter exports',
        b.exports,
        (e) => `${e.name} ${e.kind}`,
        (rows) => sortableTable(exportCols, rows),
      ),
    );
  }

  private size(r: InspectReport): HTMLElement {
    const s = r.size!;
    const bars = (items: SizeItem[]) =>
      el(
        'div',
        { class: 'bars', role: 'img', 'aria-label': 'size by section' },
        ...items.map((i) =>
          el(
            'div',
            { class: 'bar-row' },
            el('span', { class: 'bar-label' }, i.name),
            el('span', { class: 'bar-track' }, bar(i.share)),
            el('span', { class: 'bar-value' }, `${formatBytes(i.bytes)} · ${pct(i.share)}`),
          ),
        ),
      );
    const itemCols: Column<SizeItem>[] = [
      { label: 'Part', value: (i) => i.name },
      {
        label: 'Bytes',
        value: (i) => i.bytes,
        text: (i) => i.bytes.toLocaleString('en'),
        numeric: true,
      },
      { label: 'Share', value: (i) => i.share, text: (i) => pct(i.share), numeric: true },
    ];
    const largest = s.code.largest;
    return el(
      'section',
      {},
      el('h2', {}, 'What eats the bytes'),
      bars(s.bySection.slice(0, 12)),
      sortableTable(itemCols, s.bySection, { sortBy: [1, true] }),
      el(
        'h2',
        {},
        `Largest functions (of ${s.code.functions.toLocaleString('en')}, ${formatBytes(s.code.bytes)} of code)`,
      ),
      sortableTable<(typeof largest)[number]>(
        [
          { label: 'Index', value: (f) => f.index, numeric: true },
          { label: 'Function', value: (f) => f.name },
          {
            label: 'Body bytes',
            value: (f) => f.bytes,
            text: (f) => f.bytes.toLocaleString('en'),
            numeric: true,
          },
          { label: 'Share', value: (f) => f.share, text: (f) => pct(f.share), numeric: true },
        ],
        largest,
        { onRowClick: (f) => this.openFunction(f.module, f.index) },
      ),
      el('h2', {}, 'Data, debug info and stripping'),
      el(
        'ul',
        {},
        el(
          'li',
          {},
          `Data segments: ${s.data.segments.toLocaleString('en')}, ${formatBytes(s.data.bytes)} (${pct(s.data.bytes / s.fileSize)})`,
        ),
        el(
          'li',
          {},
          s.debug.length
            ? `Debug info: ${formatBytes(s.debug.reduce((a, d) => a + d.bytes, 0))} in ${s.debug.map((d) => d.name).join(', ')}`
            : 'Debug info: none',
        ),
        el(
          'li',
          {},
          `Stripping custom sections would save ${formatBytes(s.strippable.bytes)} (${pct(s.strippable.share)})${s.strippable.sections.length ? `: ${s.strippable.sections.join(', ')}` : ''}`,
        ),
      ),
      s.nested.length ? el('h2', {}, 'Nested modules and components') : undefined,
      s.nested.length ? sortableTable(itemCols, s.nested) : undefined,
    );
  }

  private functions(): HTMLElement {
    const rows: FunctionRow[] = this.modules.flatMap((m, module) =>
      m.functions.map((f) => ({ ...f, module })),
    );
    const multi = this.modules.length > 1;
    const named = rows.some((f) => f.name);
    const cols: Column<FunctionRow>[] = [
      ...(multi ? [{ label: 'Module', value: (f: FunctionRow) => f.module, numeric: true }] : []),
      { label: 'Index', value: (f) => f.index, numeric: true },
      ...(named ? [{ label: 'Name', value: (f: FunctionRow) => f.name ?? '' }] : []),
      {
        label: 'Body bytes',
        value: (f) => f.bodySize,
        text: (f) => f.bodySize.toLocaleString('en'),
        numeric: true,
      },
      {
        label: 'Offset',
        value: (f) => f.bodyOffset,
        text: (f) => hex(f.bodyOffset),
        numeric: true,
      },
      // last: a long signature scrolls instead of pushing the sizes out of view
      {
        label: 'Signature',
        value: (f) =>
          compactSignature(this.modules[f.module].types[f.typeIndex]) ?? `type ${f.typeIndex}`,
      },
    ];
    const list = searchable(
      'Filter functions by name or index',
      rows,
      (f) => `${f.index} ${f.name ?? ''}`,
      (shown) =>
        sortableTable(cols, shown, {
          pageSize: 100,
          onRowClick: (f) => this.openFunction(f.module, f.index),
        }),
    );
    if (!this.current && rows.length)
      this.current = { module: rows[0].module, index: rows[0].index };
    return el(
      'section',
      { class: 'functions' },
      el('div', { class: 'function-list' }, list),
      this.watPane,
    );
  }

  private openFunction(module: number, index: number): void {
    this.current = { module, index };
    this.watPane.replaceChildren(el('p', { class: 'muted' }, `Decoding function ${index}…`));
    const tabs = this.root.querySelector('vscode-tabs');
    const functionsTab = Array.from(tabs?.querySelectorAll('vscode-tab-header') ?? []).findIndex(
      (h) => h.textContent?.startsWith('Functions'),
    );
    if (tabs && functionsTab >= 0 && this.selectedTab !== functionsTab) {
      this.selectedTab = functionsTab;
      (tabs as HTMLElement & { selectedIndex: number }).selectedIndex = functionsTab;
    }
    this.post({ type: 'wat', module, index });
  }

  private showWat(module: number, wat: FunctionWat): void {
    const m = this.modules[module];
    const position = m.functions.findIndex((f) => f.index === wat.index);
    const nav = (delta: number, label: string) => {
      const target = m.functions[position + delta];
      const b = custom(
        'vscode-button',
        { secondary: '', ...(target ? {} : { disabled: '' }) },
        label,
      );
      if (target) b.addEventListener('click', () => this.openFunction(module, target.index));
      return b;
    };
    this.watPane.replaceChildren(
      ...([
        el(
          'div',
          { class: 'wat-head' },
          el('h2', {}, `${wat.name ?? `func ${wat.index}`}`),
          nav(-1, '◀ Previous'),
          nav(1, 'Next ▶'),
        ),
        el(
          'p',
          { class: 'muted' },
          `${wat.lines.toLocaleString('en')} instructions${wat.truncated ? ' (cut at the display limit)' : ''}${this.modules.length > 1 ? ` · module ${module}` : ''}`,
        ),
        wat.error
          ? el(
              'p',
              { class: 'problem' },
              `Cannot decode past byte offset ${wat.error.offset}: ${wat.error.message}`,
            )
          : undefined,
        el('pre', { class: 'wat', tabindex: '0' }, wat.text),
      ].filter((n) => n !== undefined) as HTMLElement[]),
    );
  }

  private customSections(): HTMLElement {
    const b = this.report?.binary;
    const all = [
      ...(b?.kind === 'component' ? b.customSections : []),
      ...this.modules.flatMap((m) => m.customSections),
    ];
    const cols: Column<(typeof all)[number]>[] = [
      { label: 'Name', value: (c) => c.name },
      { label: 'Offset', value: (c) => c.offset, text: (c) => hex(c.offset), numeric: true },
      {
        label: 'Bytes',
        value: (c) => c.size,
        text: (c) => c.size.toLocaleString('en'),
        numeric: true,
      },
    ];
    const details: HTMLElement[] = [];
    for (const [i, m] of this.modules.entries()) {
      const prefix = this.modules.length > 1 ? `Module ${i}: ` : '';
      if (m.moduleName) details.push(el('p', {}, `${prefix}module name: ${m.moduleName}`));
      const named = m.functions.filter((f) => f.name).length;
      if (named)
        details.push(
          el(
            'p',
            {},
            `${prefix}name section: ${named.toLocaleString('en')} function names, local names for ${m.localNames.functions.toLocaleString('en')} functions (${formatBytes(m.localNames.bytes)})`,
          ),
        );
      if (m.targetFeatures)
        details.push(
          el(
            'p',
            {},
            `${prefix}target_features: ${m.targetFeatures.map((f) => `${f.prefix}${f.name}`).join(' ')}`,
          ),
        );
      if (m.sourceMappingURL)
        details.push(el('p', {}, `${prefix}sourceMappingURL: ${m.sourceMappingURL}`));
      if (m.externalDebugInfo)
        details.push(el('p', {}, `${prefix}external_debug_info: ${m.externalDebugInfo}`));
    }
    return el(
      'section',
      {},
      all.length ? sortableTable(cols, all) : el('p', { class: 'muted' }, 'No custom sections.'),
      ...details,
    );
  }
}

/** "i32 i32 → i32" rather than "(func (param i32 i32) (result i32))": the list stays one line per function. */
function compactSignature(t: TypeInfo | undefined): string | undefined {
  if (t?.kind !== 'func') return t?.text;
  return `${t.params?.join(' ') || '()'} → ${t.results?.join(' ') || '()'}`;
}

function bar(share: number): HTMLElement {
  const b = el('span', { class: 'bar' });
  // widths are set through CSSOM (allowed by the CSP), never through a style attribute
  b.style.width = `${Math.max(0.5, share * 100).toFixed(2)}%`;
  return b;
}

type ValidationMessage = Extract<ToInspector, { type: 'validation' }>;

/** One line: the verdict, how far it was checked, and wabt's word when it differs. */
function validationSummary(v: ValidationMessage): string {
  const wabt =
    v.wabt === undefined
      ? ''
      : v.wabt.valid === v.valid
        ? '; wabt agrees'
        : `; wabt says ${v.wabt.valid ? 'valid' : `invalid: ${v.wabt.message ?? ''}`}`;
  if (!v.valid)
    return `invalid${v.offset === undefined ? '' : ` at byte offset ${v.offset} (0x${v.offset.toString(16)})`}: ${v.message ?? ''}${wabt}`;
  const how =
    v.checked === 'decoded-only'
      ? 'no problem found, but parts were only decoded, not validated'
      : 'every rule checked';
  return `valid (${how}, ${v.ms.toFixed(0)} ms${wabt})`;
}

function validationDetail(v: ValidationMessage): string {
  return [
    ...(v.notes ?? []),
    v.features
      ? `Proposals accepted (those of this V8): ${v.features.join(', ') || 'none beyond 2.0'}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}
