#!/usr/bin/env node
// Fuzz campaign (a benchmark, not a test): ≥ 100 000 seeded mutations per target — the Wasm
// decoder (seeded with the example, its component and, if fetched, the npm modules), the
// Dockerfile analysis, the daemonless builder's context handling, the results loader and reports.
// Prints inputs, crashes, hangs and the slowest input per target; crashers go to test/fixtures/fuzz/.
// Then the differential validation: as many mutants of real modules judged by this project's
// validator, by V8 (this Node) and by wabt.js, with the counts of agreement.
//   node bench/fuzz.mjs [--inputs 100000] [--seed 1]
import { existsSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
  },
});
const probe = path.join(mkdtempSync(path.join(os.tmpdir(), 'wc-fuzz-')), 'run-fuzz.cjs');
await build({
  entryPoints: [path.join(root, 'test/fuzz/run-fuzz.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: probe,
  logLevel: 'error',
  external: ['vscode'],
});
// small real modules as extra seeds (the large ones would make each input cost 100 ms)
const extra = ['wasi_snapshot_preview1.command.wasm']
  .map((f) => path.join(root, '.cache/wasm-samples', f))
  .filter(existsSync);
try {
  execFileSync(process.execPath, [probe, root, values.inputs, values.seed, ...extra], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, WC_ROOT: root },
  });
} catch {
  process.exitCode = 1;
}
