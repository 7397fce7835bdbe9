#!/usr/bin/env node
// The example (examples/hello) under every available runtime — Node's WASI, each Wasm runtime CLI
// and its ahead-of-time variant — and natively, measured by the product and, on the same command
// line in the same run, by the reference tools:
//   cold start: our median / `hyperfine -N`'s median (same runs and warmups, sequential);
//   peak memory: our median / the median of `/usr/bin/time -f %M` over the same number of runs.
// AOT targets are compiled once before anything is measured (the profile reports the compile
// time and the artifact's size; the reference tools then time the same precompiled command).
// Needs `npm run build` (dist/), hyperfine and time. Prints figures; asserts nothing.
//   node bench/runtimes.mjs [--runs 30] [--warmup 3] [--targets process,node-wasi,wasmtime,…]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

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
    targets: { type: 'string', default: ALL.join(',') },
  },
});
const runs = Number(values.runs);
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function ours(t) {
  const spec = path.join(tmp, `spec-${t.runtime}.json`);
  writeFileSync(
    spec,
    JSON.stringify({
      runs,
      warmup,
      order: 'sequential',
      targets: [{ id: t.runtime, runtime: t.runtime, artifact: artifactOf(t.runtime) }],
    }),
  );
  const out = path.join(tmp, `ours-${t.runtime}.json`);
  execFileSync(
    process.execPath,
    [cli, 'profile', spec, '--results-dir', path.join(tmp, 'runs'), '--export-json', out],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: tmp },
  );
  const target = JSON.parse(readFileSync(out, 'utf8')).targets[0];
  const ok = target.samples.filter((s) => !s.error);
  return {
    wall: median(ok.map((s) => s.wallMs)),
    rss: median(ok.map((s) => s.maxRssKb)),
    n: ok.length,
    aot: target.aot,
  };
}

function hyperfine(t) {
  const json = path.join(tmp, `hf-${t.runtime}.json`);
  const quote = (argv) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  execFileSync(
    'hyperfine',
    [
      '-N',
      '--warmup',
      String(warmup),
      '--runs',
      String(runs),
      '--export-json',
      json,
      '--style',
      'none',
      quote(t.argv),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: tmp },
  );
  const times = JSON.parse(readFileSync(json, 'utf8')).results[0].times.map((s) => s * 1000);
  return { wall: median(times), n: times.length };
}

function timeRss(t) {
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', 'WC_MAXRSS=%M', ...t.argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: tmp,
    });
    rss.push(Number(/WC_MAXRSS=(\d+)/.exec(r.stderr.toString())[1]));
  }
  return { rss: median(rss), n: rss.length };
}

const load0 = os.loadavg()[0];
const rows = [];
for (const t of targets) {
  process.stderr.write(`${t.runtime}: ours… `);
  const o = ours(t);
  process.stderr.write('hyperfine… ');
  const h = hyperfine(t);
  process.stderr.write('time -f %M…\n');
  rows.push({ t, o, h, m: timeRss(t) });
}

const ms = (x) => `${x.toFixed(2)} ms`;
const kib = (x) => `${(x / 1024).toFixed(1)} MiB`;
console.log(
  `\nexamples/hello, ${runs} runs + ${warmup} warmups per target and per tool, sequential; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; ${os.cpus().length}× ${os.cpus()[0].model.trim()}\n`,
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
