#!/usr/bin/env node
// Fidelity and cost of the profiler against hyperfine, in alternating rounds (hyperfine, ours,
// hyperfine, ours …), one target at a time, the same command line for both (taken from the
// runtime catalog), sequential order as hyperfine runs:
//   cold start: our median / hyperfine -N's median, per round. Targets: within ±5 % in 3 of 3
//     rounds on a quiet machine, within ±10 % under `stress-ng --cpu 1` (--stress);
//   cost: the wall time of our whole `wasm-containers profile` process for the runs / that of
//     the whole `hyperfine` process for the same runs. Target ≤ 1.5×;
//   peak RSS: our median / `/usr/bin/time -f %M`'s over 10 runs (once, after the rounds).
// Targets: the native example (process), and hello.wasm under wasmtime and wazero where present.
// Needs `npm run build` (dist/), hyperfine and time (and stress-ng for --stress). Prints figures;
// asserts nothing.
//   node bench/fidelity.mjs [--rounds 3] [--runs 300] [--warmup 3] [--stress] [--targets process,wasmtime,wazero]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hyperfine, median, profileTarget, timeRss } from './reference-runs.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '3' },
    stress: { type: 'boolean', default: false },
    targets: { type: 'string', default: 'process,wasmtime,wazero' },
  },
});
const rounds = Number(values.rounds);
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const cli = path.join(root, 'dist/cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-fidelity-'));
for (const tool of ['hyperfine', '/usr/bin/time', ...(values.stress ? ['stress-ng'] : [])]) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error(`${tool} is missing: apt-get install hyperfine time stress-ng`);
    process.exit(2);
  }
}

const artifacts = {
  process: path.join(root, 'examples/hello/hello'),
  default: path.join(root, 'examples/hello/hello.wasm'),
};
/** The exact command our runtime adapter runs (bench/command-line.ts asks the catalog). */
function commandOf(runtime) {
  const artifact = artifacts[runtime] ?? artifacts.default;
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench/command-line.ts'), runtime, artifact],
    { cwd: root, encoding: 'utf8' },
  );
  return { artifact, ...JSON.parse(out) };
}
const targets = [];
for (const runtime of values.targets.split(',')) {
  const c = commandOf(runtime);
  if (c.missing) console.error(`${runtime}: skipped (${c.missing.split('\n')[0]})`);
  else targets.push({ runtime, ...c });
}

const hyperfineRound = (t, round) =>
  hyperfine(t.argv, { runs, warmup, dir: tmp, name: `hf-${t.runtime}-${round}` });

const oursRound = (t, round) =>
  profileTarget(cli, t, { runs, warmup, dir: tmp, name: `${t.runtime}-${round}` });

const stress = values.stress
  ? spawn('stress-ng', ['--cpu', '1', '--timeout', '3600'], { stdio: 'ignore' })
  : undefined;
const load0 = os.loadavg()[0];
const table = [];
try {
  for (const t of targets) {
    for (let round = 1; round <= rounds; round++) {
      process.stderr.write(`${t.runtime} round ${round}/${rounds}: hyperfine… `);
      const ref = hyperfineRound(t, round);
      process.stderr.write('ours…\n');
      const ours = oursRound(t, round);
      table.push({ t, round, ref, ours });
    }
    t.timeRss = timeRss(t.argv, { runs: 10, cwd: tmp }).rss;
  }
} finally {
  stress?.kill();
}

const bound = values.stress ? 10 : 5;
console.log(
  `\nFidelity: ${rounds} alternating rounds per target (hyperfine -N, then ours), ${runs} runs + ${warmup} warmups each, sequential; ${values.stress ? 'under stress-ng --cpu 1' : 'no added load'}; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; ${os.cpus().length}× ${os.cpus()[0].model.trim()}\n`,
);
console.log(
  'target     round  hyperfine median  ours median  ours/hyperfine  within ±' +
    `${bound} %   hyperfine wall  our wall  wall ratio (≤ 1.5×)  n (ours/hf)`,
);
for (const { t, round, ref, ours } of table) {
  const r = ours.median / ref.median;
  const w = ours.wall / ref.wall;
  console.log(
    [
      t.runtime.padEnd(10),
      String(round).padEnd(5),
      `${ref.median.toFixed(3)} ms`.padStart(16),
      `${ours.median.toFixed(3)} ms`.padStart(12),
      r.toFixed(3).padStart(14),
      (Math.abs(r - 1) * 100 <= bound ? 'yes' : 'NO').padStart(12),
      `${(ref.wall / 1000).toFixed(2)} s`.padStart(15),
      `${(ours.wall / 1000).toFixed(2)} s`.padStart(9),
      `${w.toFixed(2)}× ${w <= 1.5 ? 'yes' : 'NO'}`.padStart(19),
      `  ${ours.n}/${ref.n}`,
    ].join('  '),
  );
}
for (const t of targets) {
  const ours = median(table.filter((x) => x.t === t).map((x) => x.ours.rss));
  const pct = ((ours - t.timeRss) / t.timeRss) * 100;
  console.log(
    `${t.runtime}: peak RSS ours ${ours} KiB vs time -f %M ${t.timeRss} KiB (${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %)`,
  );
}
