import { statSync } from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../core/format';
import { inspectFile } from '../core/wasm/inspect';

/** What the server says about a module named in a Dockerfile (from the inspector, no code scan). */
export interface ModuleFacts {
  size: number;
  kind?: 'core-module' | 'component';
  wasi?: string;
  /** One line: "fd_write, path_open, … (15 WASI preview1 imports)". */
  imports?: string;
  entry?: string;
  /** Why it is not a valid module, with the byte offset. */
  problem?: string;
}

const cache = new Map<string, { key: string; facts: ModuleFacts }>();

/** Facts about a module file, cached by path, size and mtime: hovers and diagnostics stay fast. */
export function moduleFacts(file: string): ModuleFacts {
  const st = statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(file);
  if (hit?.key === key) return hit.facts;
  const report = inspectFile(file, { scanCode: false });
  const c = report.classification;
  const first = report.problems.find((p) => !/full-decode limit/.test(p.message));
  const facts: ModuleFacts = { size: st.size };
  if (first) facts.problem = `${first.message} at byte offset ${first.offset}`;
  if (c) {
    facts.kind = c.kind;
    facts.wasi = c.wasi;
    facts.entry = c.entry;
    const names = c.wasiFunctions.length ? c.wasiFunctions : c.wasiInterfaces;
    if (names.length)
      facts.imports = `${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''} (${names.length} ${c.wasiFunctions.length ? `WASI ${c.wasi} functions` : 'interfaces'})`;
  }
  cache.set(file, { key, facts });
  if (cache.size > 200) cache.delete(cache.keys().next().value!);
  return facts;
}

export function describeModule(file: string): string {
  let facts: ModuleFacts;
  try {
    facts = moduleFacts(file);
  } catch (e) {
    return `\`${path.basename(file)}\`: ${(e as Error).message}`;
  }
  if (facts.problem)
    return `**${path.basename(file)}**: not a valid WebAssembly module: ${facts.problem}.`;
  const kind = facts.kind === 'component' ? 'WebAssembly component' : 'WebAssembly core module';
  const lines = [
    `**${path.basename(file)}**: ${kind}, ${formatBytes(facts.size)}${facts.entry ? `, ${facts.entry}` : ''}`,
    `WASI: ${facts.wasi ?? 'none'}`,
  ];
  if (facts.imports) lines.push(`Imports: ${facts.imports}`);
  return lines.join('\n\n');
}
