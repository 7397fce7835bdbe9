#!/usr/bin/env node
// The example (examples/hello) under every available runtime — Node's WASI, each Wasm runtime CLI
// and its ahead-of-time variant — and natively, measured by the product and, on the same command
// line in the same run, by the reference tools:
//   cold start: our median / `hyperfine -N`'s median (same runs and warmups, sequential), taken
//     in interleaved blocks — ours (a whole profile process), hyperfine, ours, … — and pooled: this
//     VM drifts 2–3× within minutes, which contiguous runs of each tool would read as a difference;
//   peak memory: our median / the median of `/usr/bin/time -f %M` over the same number of runs.
// AOT targets are compiled once before anything is measured (the profile reports the compile
// time and the artifact's size; the reference tools then time the same precompiled command).
// Needs `npm run build` (dist/), hyperfine and time. Prints figures; asserts nothing.
//   node bench/runtimes.mjs [--runs 30] [--blocks 5] [--warmup 3] [--targets process,node-wasi,wasmtime,…]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hyperfine, interleavedBlocks, median, profileTarget, timeRss } from './reference-runs.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ALL = [
  'process',
  'node-wasi',
  ...['wasmtime', 'wazero', 'wasmer', 'wasmedge', 'iwasm'].flatMap((r) => [r, `${r}-aot`]),
];
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    blocks: { type: 'string', default: '5' },
    targets: { type: 'string', default: ALL.join(',') },
  },
});
const blocks = Math.max(1, Number(values.blocks));
// every block runs its share of the runs, after its own warmups (a fresh process each time)
const blockRuns = Math.max(1, Math.round(Number(values.runs) / blocks));
const runs = blockRuns * blocks;
const warmup = Number(values.warmup);
const cli = path.join(root, 'dist/cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-bench-runtimes-'));
for (const tool of ['hyperfine', '/usr/bin/time']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error(`${tool} is missing: apt-get install hyperfine time`);
    process.exit(2);
  }
}

const artifactOf = (runtime) =>
  path.join(root, 'examples/hello', runtime === 'process' ? 'hello' : 'hello.wasm');
/** The exact command our adapter runs (AOT: after its compile), from bench/command-line.ts. */
function commandOf(runtime) {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench/command-line.ts'), runtime, artifactOf(runtime)],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(out);
}
const targets = [];
for (const runtime of values.targets.split(',')) {
  const c = commandOf(runtime);
  if (c.missing) console.error(`${runtime}: skipped (${c.missing.split('\n')[0]})`);
  else targets.push({ runtime, argv: c.argv });
}

const oursBlock = (t, b) =>
  profileTarget(
    cli,
    { runtime: t.runtime, artifact: artifactOf(t.runtime) },
    { runs: blockRuns, warmup, dir: tmp, name: `${t.runtime}-${b}` },
  );

const load0 = os.loadavg()[0];
const rows = [];
for (const t of targets) {
  process.stderr.write(`${t.runtime}: ${blocks} interleaved blocks (ours, hyperfine)… `);
  let b = 0;
  const byBlock = interleavedBlocks(blocks, {
    ours: () => oursBlock(t, b++),
    hf: () =>
      hyperfine(t.argv, { runs: blockRuns, warmup, dir: tmp, name: `hf-${t.runtime}-${b}` }),
  });
  const oursTimes = byBlock.ours.flatMap((r) => r.times);
  const hfTimes = byBlock.hf.flatMap((r) => r.times);
  const o = {
    wall: median(oursTimes),
    rss: median(byBlock.ours.flatMap((r) => r.rssKb)),
    n: oursTimes.length,
    aot: byBlock.ours[0].aot,
  };
  process.stderr.write('time -f %M…\n');
  const h = { wall: median(hfTimes), n: hfTimes.length };
  rows.push({ t, o, h, m: timeRss(t.argv, { runs, cwd: tmp }) });
}

const ms = (x) => `${x.toFixed(2)} ms`;
const kib = (x) => `${(x / 1024).toFixed(1)} MiB`;
console.log(
  `\nexamples/hello, ${runs} runs per target and per tool in ${blocks} interleaved blocks of ${blockRuns} (each after ${warmup} warmups), sequential within a block; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; ${os.cpus().length}× ${os.cpus()[0].model.trim()}\n`,
);
const head = [
  'target',
  'ours cold start',
  'hyperfine -N',
  'ratio',
  'ours peak RSS',
  'time %M',
  'ratio',
  'n ours/hf/time',
  'AOT compile (artifact)',
];
const table = [head];
for (const { t, o, h, m } of rows)
  table.push([
    t.runtime,
    ms(o.wall),
    ms(h.wall),
    (o.wall / h.wall).toFixed(3),
    kib(o.rss),
    kib(m.rss),
    (o.rss / m.rss).toFixed(3),
    `${o.n}/${h.n}/${m.n}`,
    o.aot
      ? `${ms(o.aot.compileMs)}${o.aot.reused ? ' (cached)' : ''} (${(o.aot.bytes / 1024).toFixed(0)} KiB)`
      : '–',
  ]);
const widths = head.map((_, c) => Math.max(...table.map((r) => r[c].length)));
for (const r of table)
  console.log(
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
const native = rows.find((r) => r.t.runtime === 'process');
if (native) {
  console.log('\nAgainst native (ours): cold start × and peak memory ×');
  for (const { t, o } of rows.filter((r) => r !== native))
    console.log(
      `  ${t.runtime.padEnd(14)} ${(o.wall / native.o.wall).toFixed(1)}×  ${(o.rss / native.o.rss).toFixed(1)}×`,
    );
}
