import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const helloDir = path.join(repoRoot, 'examples', 'hello');
export const helloWasm = path.join(helloDir, 'hello.wasm');
export const helloNative = path.join(helloDir, 'hello');
export const tempDir = (prefix = 'wc-test-') => mkdtempSync(path.join(os.tmpdir(), prefix));
