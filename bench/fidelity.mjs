#!/usr/bin/env node
// Fidelity of the profiler against the reference tools, in one invocation, interleaved:
//   cold start: ours vs `hyperfine -N` (mean and median), target within ±5 % or ±0.1 ms
//   peak RSS:   ours vs `/usr/bin/time -f %M`,              target within ±5 %
// for the native example and the example module under Node WASI.
//   node bench/fidelity.mjs [--rounds 5] [--runs 20]
// Needs `npm run build` (dist/) and the Debian packages hyperfine and time. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '20' },
    order: { type: 'string', default: 'sequential' },
  },
});
// hyperfine runs each command's runs back to back: compare with our sequential order by default
const order = values.order;
const rounds = Number(values.rounds);
const runs = Number(values.runs);
const cli = path.join(root, 'dist/cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-fidelity-'));
for (const tool of ['hyperfine', '/usr/bin/time']) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    console.error(`${tool} is missing: apt-get install hyperfine time`);
    process.exit(2);
  }
}

const native = path.join(root, 'examples/hello/hello');
const module = path.join(root, 'examples/hello/hello.wasm');
// exactly the command line our node-wasi runtime uses, so both tools time the same thing
const wasiCommand = [
  process.execPath,
  '--no-warnings',
  path.join(root, 'dist/node-wasi-runner.js'),
  '--',
  module,
];
const commands = { 'native-process': [native], 'wasm-node-wasi': wasiCommand };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ours = { 'native-process': { wall: [], rss: [] }, 'wasm-node-wasi': { wall: [], rss: [] } };
const ref = { 'native-process': { wall: [], rss: [] }, 'wasm-node-wasi': { wall: [], rss: [] } };

for (let round = 1; round <= rounds; round++) {
  process.stderr.write(`round ${round}/${rounds}: hyperfine… `);
  const hfJson = path.join(tmp, `hf-${round}.json`);
  const quote = (argv) => argv.map((a) => `'${a}'`).join(' ');
  execFileSync(
    'hyperfine',
    [
      '-N',
      '--warmup',
      '3',
      '--runs',
      String(runs),
      '--export-json',
      hfJson,
      '--style',
      'none',
      ...Object.values(commands).map(quote),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const hf = JSON.parse(readFileSync(hfJson, 'utf8')).results;
  Object.keys(commands).forEach((id, i) => ref[id].wall.push(...hf[i].times.map((t) => t * 1000)));

  process.stderr.write('ours… ');
  const outJson = path.join(tmp, `ours-${round}.json`);
  execFileSync(
    process.execPath,
    [
      cli,
      'profile',
      path.join(root, 'examples/hello'),
      '--runs',
      String(runs),
      '--warmup',
      '3',
      '--order',
      order,
      '--results-dir',
      path.join(tmp, 'runs'),
      '--export-json',
      outJson,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  for (const t of JSON.parse(readFileSync(outJson, 'utf8')).targets) {
    for (const s of t.samples) {
      ours[t.id].wall.push(s.wallMs);
      ours[t.id].rss.push(s.maxRssKb);
    }
  }

  process.stderr.write('time -f %M…\n');
  for (const [id, argv] of Object.entries(commands)) {
    for (let i = 0; i < Math.min(runs, 10); i++) {
      const out = spawnSync('/usr/bin/time', ['-f', 'WC_MAXRSS=%M', ...argv], {
        stdio: ['ignore', 'ignore', 'pipe'],
      }).stderr.toString();
      ref[id].rss.push(Number(/WC_MAXRSS=(\d+)/.exec(out)[1]));
    }
  }
}

const fmt = (v, unit) => (unit === 'ms' ? `${v.toFixed(3)} ms` : `${(v / 1024).toFixed(2)} MiB`);
const rows = [
  ['target', 'metric', 'ours', 'reference', 'difference', 'within target', 'samples (ours/ref)'],
];
for (const id of Object.keys(commands)) {
  for (const [metric, pick, unit, tool] of [
    ['mean wall', mean, 'ms', 'hyperfine'],
    ['median wall', median, 'ms', 'hyperfine'],
    ['median peak RSS', median, 'KiB', 'time -f %M'],
  ]) {
    const key = unit === 'ms' ? 'wall' : 'rss';
    const a = pick(ours[id][key]);
    const b = pick(ref[id][key]);
    const pct = ((a - b) / b) * 100;
    const ok = Math.abs(pct) <= 5 || (unit === 'ms' && Math.abs(a - b) <= 0.1);
    rows.push([
      id,
      `${metric} (${tool})`,
      fmt(a, unit),
      fmt(b, unit),
      `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`,
      ok ? 'yes' : 'NO',
      `${ours[id][key].length}/${ref[id][key].length}`,
    ]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(
  `\nFidelity: ${rounds} rounds (hyperfine, ours, GNU time in turn) of ${runs} runs per tool and target; our order: ${order} (${os.cpus()[0].model.trim()} ×${os.cpus().length})\n`,
);
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
