import {
  DiagnosticSeverity,
  SymbolKind,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Position,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CORE_OPS, PREFIXED } from '../core/wasm/opcodes';
import { loadWabt, WABT_FEATURES } from '../core/wasm/wabt';
import { DIAGNOSTIC_SOURCE } from '../shared/lsp-protocol';

/** Every instruction name the decoder knows (core and prefixed), for hovers. */
const INSTRUCTIONS = new Set(
  [...CORE_OPS, ...Object.values(PREFIXED).flat()]
    .filter((o) => o !== undefined)
    .map((o) => o.name),
);

/**
 * Parses (and validates) the text with wabt.js; every "file:line:col: error: …" becomes a
 * diagnostic at its line and column.
 */
export async function watDiagnostics(doc: TextDocument): Promise<Diagnostic[]> {
  const wabt = await loadWabt();
  let module: { validate(): void; destroy(): void } | undefined;
  try {
    module = wabt.parseWat('document.wat', doc.getText(), WABT_FEATURES);
    (module as unknown as { resolveNames?(): void }).resolveNames?.();
    module.validate();
    return [];
  } catch (e) {
    return wabtErrors(String((e as Error).message ?? e));
  } finally {
    module?.destroy();
  }
}

export function wabtErrors(message: string): Diagnostic[] {
  // wabt.js sometimes prints stray bytes after the file name ("document.watK:4:5"): match the position only
  const found = [...message.matchAll(/^[^\n]*?:(\d+):(\d+): error: (.*)$/gm)].map((m) => {
    const line = Math.max(0, Number(m[1]) - 1);
    const character = Math.max(0, Number(m[2]) - 1);
    return {
      range: { start: { line, character }, end: { line, character: character + 1 } },
      severity: DiagnosticSeverity.Error,
      source: DIAGNOSTIC_SOURCE,
      message: m[3].trim(),
    };
  });
  return found.length
    ? found
    : [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
          severity: DiagnosticSeverity.Error,
          source: DIAGNOSTIC_SOURCE,
          message: message.split('\n')[0],
        },
      ];
}

const NUM = '(i32|i64|f32|f64)';
const COMPARE = /^(eq|ne|lt|gt|le|ge)(_[su])?$/;
const BINARY = /^(add|sub|mul|div|rem|and|or|xor|shl|shr|rotl|rotr|min|max|copysign)(_[su])?$/;
const UNARY = /^(clz|ctz|popcnt|abs|neg|ceil|floor|trunc|nearest|sqrt|extend(8|16|32)_s)$/;

/** The stack effect of an instruction as "[inputs] → [outputs]", where it follows from the name. */
export function stackEffect(name: string): string | undefined {
  const fixed: Record<string, string> = {
    unreachable: '[] → [] (traps)',
    nop: '[] → []',
    drop: '[t] → []',
    select: '[t t i32] → [t]',
    return: '[results] → (returns)',
    'local.get': '[] → [t]',
    'local.set': '[t] → []',
    'local.tee': '[t] → [t]',
    'global.get': '[] → [t]',
    'global.set': '[t] → []',
    'memory.size': '[] → [i32]',
    'memory.grow': '[i32 (pages)] → [i32 (old size or -1)]',
    'memory.copy': '[i32 dst, i32 src, i32 n] → []',
    'memory.fill': '[i32 dst, i32 value, i32 n] → []',
    'memory.init': '[i32 dst, i32 src, i32 n] → []',
    'data.drop': '[] → []',
    'ref.null': '[] → [ref]',
    'ref.is_null': '[ref] → [i32]',
    'ref.func': '[] → [funcref]',
    br: '[t*] → (branches)',
    br_if: '[t* i32] → [t*]',
    br_table: '[t* i32] → (branches)',
    call: '[params] → [results]',
    call_indirect: '[params i32] → [results]',
    if: '[i32] → []',
    'table.get': '[i32] → [ref]',
    'table.set': '[i32 ref] → []',
    'table.size': '[] → [i32]',
    'table.grow': '[ref i32] → [i32]',
  };
  if (fixed[name]) return fixed[name];
  const m = new RegExp(`^${NUM}\\.(.+)$`).exec(name);
  if (!m) return undefined;
  const [, t, op] = m;
  if (op === 'const') return `[] → [${t}]`;
  if (op.startsWith('load')) return `[i32 address] → [${t}]`;
  if (op.startsWith('store')) return `[i32 address, ${t}] → []`;
  if (op === 'eqz') return `[${t}] → [i32]`;
  if (COMPARE.test(op)) return `[${t} ${t}] → [i32]`;
  if (BINARY.test(op)) return `[${t} ${t}] → [${t}]`;
  if (UNARY.test(op)) return `[${t}] → [${t}]`;
  const conversion =
    new RegExp(`^\\w+?_${NUM}(_[su])?$`).exec(op) ??
    new RegExp(`^\\w+?_${NUM}(_[su])?_?\\w*$`).exec(op);
  if (conversion) return `[${conversion[1]}] → [${t}]`;
  return undefined;
}

export function watHover(doc: TextDocument, position: Position): Hover | null {
  const line = doc.getText({
    start: { line: position.line, character: 0 },
    end: { line: position.line + 1, character: 0 },
  });
  for (const m of line.matchAll(/[a-z][a-z0-9_.]*/g)) {
    const start = m.index;
    if (position.character < start || position.character > start + m[0].length) continue;
    if (!INSTRUCTIONS.has(m[0])) return null;
    const effect = stackEffect(m[0]);
    return {
      contents: {
        kind: 'markdown',
        value: `**${m[0]}**${effect ? `\n\nstack: \`${effect}\`` : ''}`,
      },
      range: {
        start: { line: position.line, character: start },
        end: { line: position.line, character: start + m[0].length },
      },
    };
  }
  return null;
}

const FIELD_KINDS: Record<string, SymbolKind> = {
  func: SymbolKind.Function,
  global: SymbolKind.Variable,
  import: SymbolKind.Interface,
  export: SymbolKind.Event,
  memory: SymbolKind.Array,
  table: SymbolKind.Array,
  type: SymbolKind.TypeParameter,
  data: SymbolKind.Constant,
  elem: SymbolKind.Constant,
  tag: SymbolKind.Event,
};

/**
 * The module's fields (functions, globals, imports, exports, memories, tables, types) as symbols,
 * found by walking the s-expressions (strings and comments skipped), so that ranges span each field.
 */
export function watSymbols(doc: TextDocument): DocumentSymbol[] {
  const text = doc.getText();
  const symbols: DocumentSymbol[] = [];
  const stack: Array<{ start: number; keyword: string }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === ';' && text[i + 1] === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '(' && text[i + 1] === ';') {
      const end = text.indexOf(';)', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '(') {
      const keyword = /^[a-z_.]+/.exec(text.slice(i + 1, i + 40))?.[0] ?? '';
      stack.push({ start: i, keyword });
      i++;
    } else if (c === ')') {
      const open = stack.pop();
      // a field sits directly inside (module …), or at the top level of a file with no (module)
      const parent = stack.at(-1);
      if (
        open &&
        FIELD_KINDS[open.keyword] &&
        (stack.length === 0 || parent?.keyword === 'module')
      ) {
        const body = text.slice(open.start, i + 1);
        const id = /^\((\w+)\s+(\$[^\s()]+)/.exec(body)?.[2];
        const names = [...body.slice(0, 200).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
        const name =
          id ??
          (open.keyword === 'import'
            ? names.slice(0, 2).join('.')
            : open.keyword === 'export'
              ? names[0]
              : undefined) ??
          open.keyword;
        const range = { start: doc.positionAt(open.start), end: doc.positionAt(i + 1) };
        symbols.push({
          name,
          detail: open.keyword,
          kind: FIELD_KINDS[open.keyword],
          range,
          selectionRange: {
            start: range.start,
            end: doc.positionAt(open.start + 1 + open.keyword.length),
          },
        });
      }
      i++;
    } else i++;
  }
  return symbols;
}
