import { formatBytes, plural } from '../format';
import type { InspectReport } from './inspect';
import { functionTable } from './function-table';
import type { CoreModuleInfo } from './model';

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

function table(rows: string[][], align: ('l' | 'r')[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map(
      (r) =>
        '  ' +
        r
          .map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

/** The plain-text form of `wasm-containers inspect`: the same facts as the JSON, for people. */
export function renderInspectText(report: InspectReport): string {
  const out: string[] = [];
  const b = report.binary;
  const c = report.classification;
  out.push(
    `${report.file ?? '(bytes)'}: ${formatBytes(report.fileSize)} (${report.fileSize} bytes)`,
  );
  if (c && b) {
    const what =
      b.kind === 'component'
        ? `component (layer 1, version 0x${b.version.toString(16)})`
        : 'core module';
    out.push(`  kind:      ${what}, ${c.entry}`);
    out.push(
      `  WASI:      ${c.wasi ?? 'none'}${c.abis.filter((a) => !a.startsWith('wasi-preview')).length ? ` (also: ${c.abis.filter((a) => !a.startsWith('wasi-preview')).join(', ')})` : ''}`,
    );
    if (c.wasiFunctions.length) out.push(`  imports:   ${c.wasiFunctions.join(', ')}`);
    if (c.wasiInterfaces.length) out.push(`  imports:   ${c.wasiInterfaces.join(', ')}`);
    for (const o of c.otherImports)
      out.push(
        `  host:      ${o.module}: ${o.names.slice(0, 12).join(', ')}${o.names.length > 12 ? `, … (${o.names.length})` : ''}`,
      );
    if (c.capabilities.length) out.push(`  needs:     ${c.capabilities.join(', ')}`);
    const features = [...new Set([...c.features, ...(report.codeFeatures ?? [])])].sort();
    out.push(
      `  features:  ${features.join(', ') || 'MVP only'}${report.codeFeatures ? ` (code scanned: ${report.instructionCount} instructions)` : ' (code not scanned)'}`,
    );
    if (c.declaredFeatures.length)
      out.push(`  declared:  ${c.declaredFeatures.join(', ')} (target_features)`);
    const modules = b.kind === 'core-module' ? [b] : b.modules;
    const producers = b.producers ?? modules.find((m) => m.producers)?.producers;
    if (producers)
      for (const [field, tools] of Object.entries(producers))
        out.push(
          `  ${`${field}:`.padEnd(10)} ${tools.map((t) => `${t.name}${t.version ? ` ${t.version}` : ''}`).join(', ')}`,
        );
    if (b.kind === 'core-module') out.push(...moduleCounts(b));
    else {
      out.push(
        `  imports:   ${plural(b.imports.length, 'import')}, exports: ${b.exports.map((e) => e.name).join(', ') || 'none'}`,
      );
      out.push(
        `  nested:    ${plural(b.modules.length, 'core module')}, ${plural(b.components.length, 'component')}`,
      );
    }
  }
  if (report.runtimes) {
    out.push('', 'Runtimes:');
    out.push(
      table(
        report.runtimes.map((r) => [
          r.runtime,
          r.verdict,
          [r.flags ? `with ${r.flags.join(' ')}` : '', ...r.reasons].filter(Boolean).join('; '),
          `(${r.basis})`,
        ]),
        ['l', 'l', 'l', 'l'],
      ),
    );
  }
  out.push('', `Sections (${report.sections.length}):`);
  out.push(
    table(
      [
        ['section', 'offset', 'size', 'count'],
        ...report.sections.map((s) => [
          s.name,
          `0x${s.offset.toString(16)}`,
          String(s.size),
          s.count === undefined ? '' : String(s.count),
        ]),
      ],
      ['l', 'r', 'r', 'r'],
    ),
  );
  const size = report.size;
  if (size) {
    out.push('', 'What eats the bytes:');
    out.push(
      table(
        size.bySection.slice(0, 12).map((s) => [s.name, formatBytes(s.bytes), pct(s.share)]),
        ['l', 'r', 'r'],
      ),
    );
    if (size.code.largest.length) {
      out.push(
        '',
        `Largest functions (of ${size.code.functions}, ${formatBytes(size.code.bytes)} of code):`,
      );
      out.push(
        table(
          size.code.largest
            .slice(0, 10)
            .map((f) => [String(f.index), f.name, formatBytes(f.bytes), pct(f.share)]),
          ['r', 'l', 'r', 'r'],
        ),
      );
    }
    if (size.data.segments)
      out.push(
        '',
        `Data: ${plural(size.data.segments, 'segment')}, ${formatBytes(size.data.bytes)}`,
      );
    if (size.debug.length)
      out.push(
        `Debug info: ${formatBytes(size.debug.reduce((s, d) => s + d.bytes, 0))} (${size.debug.map((d) => d.name).join(', ')})`,
      );
    out.push(
      `Stripping custom sections would save ${formatBytes(size.strippable.bytes)} (${pct(size.strippable.share)})${size.strippable.sections.length ? `: ${size.strippable.sections.join(', ')}` : ''}`,
    );
  }
  if (report.problems.length) {
    out.push('', `Problems (${report.problems.length}):`);
    for (const p of report.problems.slice(0, 50))
      out.push(
        `  at byte offset ${p.offset} (0x${p.offset.toString(16)})${p.section ? ` in ${p.section}` : ''}: ${p.message}`,
      );
  }
  return out.join('\n') + '\n';
}

/** The counts line reads the function table: `m.functions` would make 20 000 objects for one number. */
function moduleCounts(m: CoreModuleInfo): string[] {
  const memory = m.memories.map(
    (x) =>
      `${x.min}${x.max === undefined ? '' : `..${x.max}`} pages${x.shared ? ' shared' : ''}${x.index64 ? ' 64-bit' : ''}${x.imported ? ' (imported)' : ''}`,
  );
  return [
    `  counts:    ${plural(m.types.length, 'type')}, ${plural(m.imports.length, 'import')}, ${plural(functionTable(m).count, 'function')}, ${plural(m.exports.length, 'export')}, ${plural(m.globals.length, 'global')}, ${plural(m.tables.length, 'table')}, ${plural(m.data.count, 'data segment')}`,
    `  memory:    ${memory.join(', ') || 'none'}`,
    `  exports:   ${m.exports
      .slice(0, 12)
      .map((e) => `${e.name} (${e.kind})`)
      .join(', ')}${m.exports.length > 12 ? ', …' : ''}`,
  ];
}
