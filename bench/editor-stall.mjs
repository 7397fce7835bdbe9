#!/usr/bin/env node
// The longest event-loop stall (perf_hooks.monitorEventLoopDelay, and a 1 ms timer's largest gap)
// while the extension's code builds a Wasm image of the 14 MB module daemonlessly and while it
// profiles (examples/hello, and the 14 MB module, whose image size it estimates), in a Node
// process around the same code the extension host runs. Target: ≤ 50 ms. Prints figures; asserts
// nothing.
//   node bench/editor-stall.mjs [--rounds 3] [--runs 20] [MODULE.wasm]
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values, positionals } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, runs: { type: 'string', default: '20' } },
  allowPositionals: true,
});
const module = positionals[0] ?? path.join(root, '.cache/wasm-samples/esbuild.wasm');
if (!existsSync(module))
  execFileSync(process.execPath, [path.join(root, 'scripts/fetch-wasm-samples.mjs')], {
    stdio: 'inherit',
  });
// beside the bundles, so that it finds wc-exec and node-wasi-runner.js as the extension does
const probe = path.join(root, 'dist', 'bench-editor-stall-probe.cjs');
await build({
  entryPoints: [path.join(root, 'bench/editor-stall-probe.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: probe,
  logLevel: 'error',
  external: ['dockerode'],
});
const rows = new Map();
for (let round = 1; round <= Number(values.rounds); round++) {
  process.stderr.write(`round ${round}/${values.rounds}…\n`);
  const out = execFileSync(
    process.execPath,
    [probe, module, path.join(root, 'examples/hello'), values.runs],
    { encoding: 'utf8', cwd: root },
  );
  for (const r of JSON.parse(out)) rows.set(r.name, [...(rows.get(r.name) ?? []), r]);
}
rmSync(probe, { force: true });
rmSync(`${probe}.map`, { force: true });
const [load1] = os.loadavg();
console.log(
  `\nEvent-loop stalls: ${values.rounds} rounds, fresh process each; ${os.cpus().length}× ${os.cpus()[0].model.trim()}, load average ${load1.toFixed(1)}\n`,
);
const f = (xs) => xs.map((x) => x.toFixed(1)).join(' / ');
for (const [name, rs] of rows) {
  const worst = Math.max(...rs.map((r) => Math.max(r.maxStallMs, r.maxTimerGapMs)));
  console.log(`${name}`);
  console.log(`  duration ms:                 ${f(rs.map((r) => r.ms))}`);
  console.log(`  longest stall ms (histogram): ${f(rs.map((r) => r.maxStallMs))}`);
  console.log(`  longest 1 ms timer gap ms:    ${f(rs.map((r) => r.maxTimerGapMs))}`);
  console.log(`  p99 delay ms:                 ${f(rs.map((r) => r.p99StallMs))}`);
  // the scheduler's split: a gap is the thread's own work, or the wait for a core that other
  // threads (the image worker's, the pool's) and processes held
  console.log(`  of the longest gap, waiting ms: ${f(rs.map((r) => r.waitInLongestMs))}`);
  console.log(`  longest own work ms (schedstat): ${f(rs.map((r) => r.maxBusyMs))}`);
  console.log(
    `  worst ${worst.toFixed(1)} ms: ${worst <= 50 ? 'within' : 'OVER'} the 50 ms target\n`,
  );
}
