import { ByteReader } from './byte-reader';
import { readLocals } from './code-scan';
import { signatureText } from './core-module';
import { functionTable } from './function-table';
import { WasmFormatError } from './header';
import { readInstruction, type NameContext } from './instructions';
import type { CoreModuleInfo } from './model';

export interface WatOptions {
  /** Prefix each instruction with its byte offset (as wasm-objdump -d does). */
  offsets?: boolean;
  /** Stop after this many instruction lines (a 300 KB function is ~100 000 lines). */
  maxLines?: number;
}

export interface FunctionWat {
  index: number;
  name?: string;
  text: string;
  lines: number;
  /** True when maxLines cut the function short. */
  truncated: boolean;
  /** Set when the body could not be decoded past some offset (the text shows what came before). */
  error?: { offset: number; message: string };
}

const IDENT = /^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/;

/** A WAT identifier for a name: $name, or $"…" when the name has characters identifiers cannot hold. */
export function watIdent(name: string): string {
  return IDENT.test(name) ? `$${name}` : `$${JSON.stringify(name)}`;
}

/** Names for the printer, once per module: imports' up front, defined functions' as they are met. */
export function nameContext(m: CoreModuleInfo): NameContext {
  const funcs = new Map<number, string>();
  for (const imp of m.imports)
    if (imp.kind === 'func') funcs.set(imp.index, imp.debugName ?? `${imp.module}.${imp.name}`);
  const table = functionTable(m);
  const funcName = (i: number) => {
    const at = table.position(i);
    return (at >= 0 ? table.name(at) : undefined) || funcs.get(i);
  };
  const globals = new Map<number, string>();
  for (const g of m.globals) if (g.name) globals.set(g.index, g.name);
  const ident = (n: string | undefined) => (n === undefined ? undefined : watIdent(n).slice(1));
  return { func: (i) => ident(funcName(i)), global: (i) => ident(globals.get(i)) };
}

/** Types per `(local …)` line: long lists wrap instead of making one line of 50 000 words. */
const LOCALS_PER_LINE = 16;

/**
 * The locals as valid WAT: every local is spelled out (the text format has no repeat count), 16
 * to a line; a comment tells how many there are when they take several lines.
 */
export function localLines(groups: { count: number; type: string }[]): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let total = 0;
  for (const g of groups) {
    total += g.count;
    for (let i = 0; i < g.count; i++) {
      line.push(g.type);
      if (line.length === LOCALS_PER_LINE) {
        lines.push(`  (local ${line.join(' ')})`);
        line = [];
      }
    }
  }
  if (line.length) lines.push(`  (local ${line.join(' ')})`);
  if (lines.length > 1) lines.unshift(`  ;; ${total} locals`);
  return lines;
}

const OPENS = new Set(['block', 'loop', 'if', 'try', 'try_table']);
const MIDDLES = new Set(['else', 'catch', 'catch_all']);

/**
 * The text format of one defined function, decoded from its body alone: the first screen of a
 * 14 MB module costs one function, not the module. Output is bounded by maxLines.
 */
export function functionWat(
  bytes: Uint8Array,
  m: CoreModuleInfo,
  index: number,
  names = nameContext(m),
  options: WatOptions = {},
): FunctionWat {
  const table = functionTable(m);
  const at = table.position(index);
  if (at < 0)
    throw new RangeError(
      `function ${index} is not defined in this module (it has functions ${m.importedFunctionCount}…${m.importedFunctionCount + table.count - 1})`,
    );
  const f = table.info(at);
  const maxLines = options.maxLines ?? 20_000;
  const type = m.types[f.typeIndex];
  const head = [`(func ${f.name ? `${watIdent(f.name)} ` : ''}(;${index};) (type ${f.typeIndex})`];
  if (type?.kind === 'func' && signatureText(type)) head.push(signatureText(type));
  const out: string[] = [head.join(' ')];
  const r = new ByteReader(bytes, f.bodyOffset, f.bodyOffset + f.bodySize);
  let error: FunctionWat['error'];
  let truncated = false;
  let lines = 0;
  try {
    out.push(...localLines(readLocals(r)));
    let depth = 1;
    while (!r.atEnd) {
      if (lines >= maxLines) {
        truncated = true;
        out.push(`  ;; … ${r.remaining} more bytes of this function not shown`);
        break;
      }
      const ins = readInstruction(r, names);
      const name = ins.info.name;
      if (name === 'end' || MIDDLES.has(name) || name === 'delegate') depth--;
      if (name === 'end' && depth === 0) break; // the function's own end
      const at = options.offsets ? ` ;; @${ins.offset.toString(16)}` : '';
      out.push(`${'  '.repeat(Math.max(depth, 1))}${name}${ins.text ? ` ${ins.text}` : ''}${at}`);
      lines++;
      if (OPENS.has(name) || MIDDLES.has(name)) depth++;
    }
  } catch (e) {
    if (!(e instanceof WasmFormatError)) throw e;
    error = { offset: e.offset, message: e.reason };
    out.push(`  ;; cannot decode further: ${e.reason} (at byte offset ${e.offset})`);
  }
  out.push(')');
  return {
    index,
    ...(f.name ? { name: f.name } : {}),
    text: out.join('\n'),
    lines,
    truncated,
    ...(error ? { error } : {}),
  };
}
