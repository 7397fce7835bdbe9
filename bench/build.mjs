#!/usr/bin/env node
// The daemonless build of a 10 MB module (default: starlingmonkey_embedding.wasm) at gzip level 6
// (Docker's) and level 1: fresh `wasm-containers build --json` processes; the build time the CLI
// reports (read, tar, compress, hash: everything before writing) and the whole process's wall time;
// and the manifest digest on one core with one pool thread against every core (it must not
// change). Target: ≤ 300 ms at level 6. Prints figures; asserts nothing.
//   node bench/build.mjs [--runs 9] [FILE.wasm]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '9' } },
  allowPositionals: true,
});
const module =
  positionals[0] ?? path.join(root, '.cache/wasm-samples/starlingmonkey_embedding.wasm');
if (!existsSync(module))
  execFileSync(process.execPath, [path.join(root, 'scripts/fetch-wasm-samples.mjs')], {
    stdio: 'inherit',
  });
const hasTime = existsSync('/usr/bin/time');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-build-bench-'));
const cli = path.join(root, 'dist/cli.js');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function build(level, { prefix = [], env = {} } = {}) {
  const argv = [
    process.execPath,
    cli,
    'build',
    module,
    '--output',
    `oci-archive:${path.join(tmp, 'img.tar')}`,
    '--compression-level',
    String(level),
    '--json',
  ];
  // /usr/bin/time: the CPU time of every thread of the build (the loaded machine's wall hides it)
  const timeFile = path.join(tmp, 'time.txt');
  const timed = hasTime ? ['/usr/bin/time', '-f', '%U %S', '-o', timeFile] : [];
  const full = [...timed, ...prefix, ...argv];
  const t0 = performance.now();
  const r = spawnSync(full[0], full.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout);
  const [user, sys] = hasTime ? readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number) : [];
  return {
    cpuMs: hasTime ? (user + sys) * 1000 : NaN,
    buildMs: out.buildMs,
    wall,
    digest: out.images[0].manifestDigest,
    size: out.images[0].sizes.compressed,
  };
}

const load0 = os.loadavg()[0];
const rows = [];
for (const level of [6, 1]) {
  build(level); // warm the page cache
  const runs = Array.from({ length: Number(values.runs) }, () => build(level));
  rows.push({ level, runs });
}
const oneCore =
  spawnSync('taskset', ['--version']).status === 0
    ? build(6, { prefix: ['taskset', '-c', '0'], env: { UV_THREADPOOL_SIZE: '1' } })
    : undefined;
console.log(
  `\nDaemonless build of ${path.basename(module)} (${(statSync(module).size / 2 ** 20).toFixed(1)} MiB): ${values.runs} fresh processes per level; ${os.cpus().length}× ${os.cpus()[0].model.trim()}, load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}\n`,
);
const f = (xs) =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)} … max ${Math.max(...xs).toFixed(0)})`;
for (const { level, runs } of rows) {
  const b = runs.map((r) => r.buildMs);
  console.log(
    `gzip level ${level}: build ${f(b)}${level === 6 ? `  target ≤ 300 ms: ${median(b) <= 300 ? 'met' : 'NOT met'}` : ''}`,
  );
  console.log(
    `              CPU of the whole process (all threads) ${f(runs.map((r) => r.cpuMs))}; / ${os.cpus().length} cores = ${(median(runs.map((r) => r.cpuMs)) / os.cpus().length).toFixed(0)} ms, the wall an idle machine could reach`,
  );
  console.log(
    `              whole process ${f(runs.map((r) => r.wall))}; compressed ${(runs[0].size / 2 ** 20).toFixed(2)} MiB; ${new Set(runs.map((r) => r.digest)).size} digest(s): ${runs[0].digest}`,
  );
}
// the references in the same run, each as often as the builds: Node's zlib on one thread over the
// module (CPU time in a fresh process, startup excluded), then gzip -6 and pigz -6 -p 2 where
// installed (the whole process under /usr/bin/time): CPU per MiB says what 2 cores can reach
const mib = statSync(module).size / 2 ** 20;
const zlibRuns = Array.from({ length: Number(values.runs) }, () => {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `const d=require('fs').readFileSync(process.argv[1]);const c=process.cpuUsage();const t=performance.now();require('zlib').gzipSync(d,{level:6});const u=process.cpuUsage(c);console.log(JSON.stringify({wall:performance.now()-t,cpu:(u.user+u.system)/1000}))`,
      module,
    ],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}).filter(Boolean);
const perMiB = (ms) => `${(ms / mib).toFixed(1)} ms CPU/MiB`;
if (zlibRuns.length) {
  const cpu = median(zlibRuns.map((r) => r.cpu));
  console.log(
    `
reference, same run: zlib.gzipSync level 6 of the module on one thread (${zlibRuns.length} runs): wall ${f(zlibRuns.map((r) => r.wall))}; CPU ${f(zlibRuns.map((r) => r.cpu))} = ${perMiB(cpu)}; / ${os.cpus().length} cores = ${(cpu / os.cpus().length).toFixed(0)} ms`,
  );
}
for (const [tool, args] of [
  ['/usr/bin/gzip', ['-6', '-c', module]],
  ['/usr/bin/pigz', ['-6', '-p', '2', '-c', module]],
]) {
  if (!hasTime || !existsSync(tool)) continue;
  const runs = Array.from({ length: Number(values.runs) }, () => {
    const timeFile = path.join(tmp, 'time.txt');
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, tool, ...args], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const wall = performance.now() - t0;
    const [user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
    return r.status === 0 ? { wall, cpu: (user + sys) * 1000 } : undefined;
  }).filter(Boolean);
  if (!runs.length) continue;
  console.log(
    `reference, same run: ${path.basename(tool)} ${args.slice(0, -2).join(' ')} (${runs.length} runs): wall ${f(runs.map((r) => r.wall))}; CPU ${f(runs.map((r) => r.cpu))} = ${perMiB(median(runs.map((r) => r.cpu)))}`,
  );
}
if (oneCore) {
  const same = oneCore.digest === rows[0].runs[0].digest;
  console.log(
    `\none core, one pool thread (taskset -c 0, UV_THREADPOOL_SIZE=1): build ${oneCore.buildMs.toFixed(0)} ms, digest ${same ? 'identical' : 'DIFFERENT'}: ${oneCore.digest}`,
  );
}
