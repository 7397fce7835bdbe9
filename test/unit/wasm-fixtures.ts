import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from '../../src/core/process/run-process';
import { repoRoot } from './helpers';

export const WAT_FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'wasm');
const out = path.join(os.tmpdir(), `wc-wat-fixtures-${process.pid}`);

/**
 * test/fixtures/wasm/NAME.wat compiled by Debian's wat2wasm (wabt) into a temporary file, once
 * per test process: the binaries are made by the reference tool, not by the code under test.
 * `features`: wat2wasm flags such as --enable-tail-call.
 */
export async function watFixture(name: string, features: string[] = []): Promise<string> {
  const wasm = path.join(out, `${name}${features.join('')}.wasm`);
  if (existsSync(wasm)) return wasm;
  mkdirSync(out, { recursive: true });
  await runProcess(
    '/usr/bin/wat2wasm',
    [...features, path.join(WAT_FIXTURES, `${name}.wat`), '-o', wasm],
    { check: true },
  );
  return wasm;
}

/** A module from WAT text given inline, compiled by Debian's wat2wasm. */
export async function watModule(
  name: string,
  text: string,
  features: string[] = [],
): Promise<string> {
  mkdirSync(out, { recursive: true });
  const wat = path.join(out, `${name}.wat`);
  const wasm = path.join(out, `${name}.wasm`);
  writeFileSync(wat, text);
  await runProcess('/usr/bin/wat2wasm', [...features, wat, '-o', wasm], { check: true });
  return wasm;
}

export const readBytes = (file: string) => new Uint8Array(readFileSync(file));
