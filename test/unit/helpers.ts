import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const helloDir = path.join(repoRoot, 'examples', 'hello');
export const helloWasm = path.join(helloDir, 'hello.wasm');
export const helloNative = path.join(helloDir, 'hello');
export const tempDir = (prefix = 'wc-test-') => mkdtempSync(path.join(os.tmpdir(), prefix));

/**
 * A section of a module as Debian's wasm-objdump -h reports it (the reference, not our decoder):
 * `offset` of its id byte, `start` of its contents, `size` of the contents, its item `count`.
 */
export function referenceSection(
  name = 'Code',
  file = helloWasm,
): { offset: number; start: number; size: number; count: number } {
  const out = execFileSync('/usr/bin/wasm-objdump', ['-h', file], { encoding: 'utf8' });
  const m = new RegExp(
    ` ${name} start=0x([0-9a-f]+) end=0x[0-9a-f]+ \\(size=0x([0-9a-f]+)\\)(?: count: (\\d+))?`,
  ).exec(out);
  if (!m) throw new Error(`wasm-objdump -h ${file} lists no ${name} section:\n${out}`);
  const [start, size] = [parseInt(m[1], 16), parseInt(m[2], 16)];
  // the id byte and the size's LEB128 come before the contents
  const lebLength = Math.max(1, Math.ceil(Math.log2(size + 1) / 7));
  return { offset: start - 1 - lebLength, start, size, count: Number(m[3] ?? 0) };
}

/** hello.wasm's code section (see referenceSection). */
export const referenceCodeSection = (file = helloWasm) => referenceSection('Code', file);

/**
 * JSON the tool wrote (a CLI's --json output, a stored document), typed as the code that wrote
 * it declares; the test then asserts the values it cares about.
 */
export const parseJson = <T>(text: string | Buffer): T => JSON.parse(text.toString()) as T;
