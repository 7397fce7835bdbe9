import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const helloDir = path.join(repoRoot, 'examples', 'hello');
export const helloWasm = path.join(helloDir, 'hello.wasm');
export const helloNative = path.join(helloDir, 'hello');
export const tempDir = (prefix = 'wc-test-') => mkdtempSync(path.join(os.tmpdir(), prefix));

/** hello.wasm's code section as Debian's wasm-objdump -h reports it (the reference, not our decoder). */
export function referenceCodeSection(file = helloWasm): { start: number; size: number } {
  const out = execFileSync('/usr/bin/wasm-objdump', ['-h', file], { encoding: 'utf8' });
  const m = / Code start=0x([0-9a-f]+) end=0x[0-9a-f]+ \(size=0x([0-9a-f]+)\)/.exec(out);
  if (!m) throw new Error(`wasm-objdump -h ${file} lists no code section:\n${out}`);
  return { start: parseInt(m[1], 16), size: parseInt(m[2], 16) };
}

/**
 * JSON the tool wrote (a CLI's --json output, a stored document), typed as the code that wrote
 * it declares; the test then asserts the values it cares about.
 */
export const parseJson = <T>(text: string | Buffer): T => JSON.parse(text.toString()) as T;
