// Both sides of the benchmarks that set the profiler beside the references: one target profiled by
// our CLI, hyperfine -N on the same command line, and /usr/bin/time's peak RSS over repeated runs.
// Shared by bench/fidelity.mjs and bench/runtimes.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** argv as one shell-quoted line (hyperfine -N splits it itself, quotes included). */
const quote = (argv) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

/**
 * hyperfine -N over argv: each run's wall time (ms), their median, and how long hyperfine itself
 * took (ms), its JSON kept in dir as NAME.json.
 */
export function hyperfine(argv, { runs, warmup, dir, name }) {
  const json = path.join(dir, `${name}.json`);
  const t0 = performance.now();
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
      quote(argv),
    ],
    // stderr is kept for the error a failure throws, not printed: a bench runs hundreds of these
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
  );
  const wall = performance.now() - t0;
  const times = JSON.parse(readFileSync(json, 'utf8')).results[0].times.map((s) => s * 1000);
  return { times, median: median(times), n: times.length, wall };
}

/** The median peak RSS (KiB) of `runs` runs of argv, as GNU time's %M reports it. */
export function timeRss(argv, { runs, cwd }) {
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', 'WC_MAXRSS=%M', ...argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd,
    });
    rss.push(Number(/WC_MAXRSS=(\d+)/.exec(r.stderr.toString())[1]));
  }
  return { rss: median(rss), n: rss.length };
}

/**
 * One target profiled by our CLI (dist/cli.js profile, sequential as hyperfine runs): the wall
 * times of its error-free samples (ms) with their median, the median peak RSS, their count, the
 * target's AOT note, and how long the whole profile process took (ms). Its files are kept in dir,
 * named by `name`. `env`: the CLI's environment (default: this process's).
 */
export function profileTarget(cli, { runtime, artifact }, { runs, warmup, dir, name, env }) {
  const spec = path.join(dir, `spec-${name}.json`);
  writeFileSync(
    spec,
    JSON.stringify({
      runs,
      warmup,
      order: 'sequential',
      targets: [{ id: runtime, runtime, artifact }],
    }),
  );
  const out = path.join(dir, `ours-${name}.json`);
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [cli, 'profile', spec, '--results-dir', path.join(dir, 'runs'), '--export-json', out],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, env },
  );
  const wall = performance.now() - t0;
  const target = JSON.parse(readFileSync(out, 'utf8')).targets[0];
  const ok = target.samples.filter((s) => !s.error);
  const times = ok.map((s) => s.wallMs);
  const rssKb = ok.map((s) => s.maxRssKb);
  return {
    times,
    median: median(times),
    rssKb,
    rss: median(rssKb),
    n: ok.length,
    aot: target.aot,
    wall,
  };
}

/**
 * Interleaved blocks: `blocks` times, every side runs one block in turn (a function returning what
 * it measured); returns each side's blocks in order. This VM drifts 2–3× within minutes: sides that
 * take turns meet the same drift, where contiguous rounds (all of one, then all of the other) do not.
 */
export function interleavedBlocks(blocks, sides) {
  const results = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  for (let b = 0; b < blocks; b++)
    for (const [k, run] of Object.entries(sides)) results[k].push(run());
  return results;
}
