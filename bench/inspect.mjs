#!/usr/bin/env node
// Inspector speed and memory on real 10–14 MB modules, each run in a fresh process (cold JIT, as a
// user opening a file): full summary (sections, imports, exports, per-function sizes), first
// function's WAT, the whole-code feature scan, peak memory above the process baseline; and
// wasm-objdump -h on the same file in the same run. Targets: summary ≤ 40 ms, first WAT < 150 ms,
// peak memory < 3× the module size.
//   node bench/inspect.mjs [--runs 7] [FILE.wasm ...]   (default: the npm samples, fetched if missing)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '7' } },
  allowPositionals: true,
});
const runs = Math.max(5, Number(values.runs));
const samples = path.join(root, '.cache/wasm-samples');
const files = positionals.length
  ? positionals
  : ['esbuild.wasm', 'starlingmonkey_embedding.debug.wasm', 'starlingmonkey_embedding.wasm'].map(
      (f) => path.join(samples, f),
    );
if (files.some((f) => !existsSync(f)))
  execFileSync(process.execPath, [path.join(root, 'scripts/fetch-wasm-samples.mjs')], {
    stdio: 'inherit',
  });

const probe = path.join(mkdtempSync(path.join(os.tmpdir(), 'wc-bench-')), 'probe.cjs');
await build({
  entryPoints: [path.join(root, 'bench/inspect-probe.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: probe,
  logLevel: 'error',
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `min ${Math.min(...xs).toFixed(1)} · max ${Math.max(...xs).toFixed(1)}`;
const runProbe = (file) =>
  JSON.parse(
    execFileSync(process.execPath, [probe, ...(file ? [file] : [])], { encoding: 'utf8' }),
  );
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;

const idle = Array.from({ length: 3 }, () => runProbe()).map((r) => r.maxRss);
const idleRss = median(idle);
// Debian's wasm-objdump, not the wabt npm package's (node_modules/.bin comes first under npm run)
const objdumpBin = existsSync('/usr/bin/wasm-objdump') ? '/usr/bin/wasm-objdump' : 'wasm-objdump';
const hasObjdump = spawnSync(objdumpBin, ['--version']).status === 0;
console.log(
  `inspector benchmark: ${runs} fresh-process runs per module, node ${process.version}, ${os.cpus().length}× ${os.cpus()[0].model}`,
);
console.log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (1, 5, 15 min)`,
);
console.log(`idle process peak RSS ${mib(idleRss)} (subtracted below)\n`);
for (const file of files) {
  const size = statSync(file).size;
  // alternating with wasm-objdump, so that both see the same load
  const results = [];
  const objdump = [];
  for (let i = 0; i < runs; i++) {
    results.push(runProbe(file));
    if (!hasObjdump) continue;
    const t0 = performance.now();
    execFileSync(objdumpBin, ['-h', file], { stdio: 'ignore' });
    objdump.push(performance.now() - t0);
  }
  const col = (k) => results.map((r) => r[k]);
  const extra = results.map((r) => r.maxRss - idleRss);
  const r0 = results[0];
  console.log(
    `${path.basename(file)}: ${mib(size)}, ${r0.sections} sections, ${r0.functions} functions, ${r0.problems} problems`,
  );
  console.log(
    `  summary, cold process (decode + classify + size attribution): median ${median(col('summaryMs')).toFixed(1)} ms (${spread(col('summaryMs'))}; target ≤ 40)`,
  );
  console.log(
    `  the same, JIT warm (in-process, median of 5):   median ${median(col('warmSummaryMs')).toFixed(1)} ms (${spread(col('warmSummaryMs'))})`,
  );
  console.log(
    `  CPU time of the summary (every thread):          median ${median(col('summaryCpuMs')).toFixed(1)} ms (${spread(col('summaryCpuMs'))})`,
  );
  console.log(
    `  the function list with every name (on demand):  median ${median(col('listMs')).toFixed(1)} ms (${spread(col('listMs'))})`,
  );
  console.log(
    `  first function's WAT after the summary:         median ${median(col('firstWatMs')).toFixed(1)} ms (${spread(col('firstWatMs'))}; target < 150; ${r0.firstWatLines} lines)`,
  );
  console.log(
    `  summary + first WAT:                            median ${median(results.map((r) => r.summaryMs + r.firstWatMs)).toFixed(1)} ms`,
  );
  console.log(
    `  code scan (${r0.instructions} instructions):            median ${median(col('scanMs')).toFixed(0)} ms (${spread(col('scanMs'))})`,
  );
  console.log(
    `  reading the file:                               median ${median(col('readMs')).toFixed(1)} ms`,
  );
  console.log(
    `  peak memory above an idle process:              median ${mib(median(extra))} = ${(median(extra) / size).toFixed(2)}× the module (target < 3×)`,
  );
  if (objdump.length)
    console.log(
      `  wasm-objdump -h (whole process, same run):      median ${median(objdump).toFixed(1)} ms (${spread(objdump)}); summary / objdump ${(median(col('summaryMs')) / median(objdump)).toFixed(2)}`,
    );
  console.log(
    `  load average after this module: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log('');
}
