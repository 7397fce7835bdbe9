// One measured inspection in a fresh process (bench/inspect.mjs bundles and runs it):
// prints JSON timings and peak memory. With no file, only the baseline memory of the process.
import { readFileSync } from 'node:fs';
import { scanCode } from '../src/core/wasm/code-scan';
import { inspectBytes } from '../src/core/wasm/inspect';
import { functionWat, nameContext } from '../src/core/wasm/wat';

const file = process.argv[2];
const baseline = process.memoryUsage().rss;
if (!file) {
  console.log(
    JSON.stringify({ baselineRss: baseline, maxRss: process.resourceUsage().maxRSS * 1024 }),
  );
  process.exit(0);
}
const t0 = performance.now();
const bytes = readFileSync(file);
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const report = inspectBytes(bytes, { file });
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
const m = report.binary?.kind === 'core-module' ? report.binary : undefined;
if (!m) throw new Error(`${file}: not a core module`);
// the function list (every name decoded): what the inspector page's message carries
const l0 = performance.now();
const firstIndex = m.functions[0].index;
const listMs = performance.now() - l0;
const w0 = performance.now();
const first = functionWat(bytes, m, firstIndex, nameContext(m));
const t3 = performance.now();
const scan = scanCode(bytes, [m]);
const t4 = performance.now();
const maxRss = process.resourceUsage().maxRSS * 1024; // before the warm repeats below, which keep extra reports alive
// the same summary again in this process, JIT warm (as for a second file opened in the editor)
const warm: number[] = [];
for (let i = 0; i < 5; i++) {
  const w0 = performance.now();
  inspectBytes(bytes, { file });
  warm.push(performance.now() - w0);
}
console.log(
  JSON.stringify({
    warmSummaryMs: warm.sort((a, b) => a - b)[2],
    readMs: t1 - t0,
    summaryMs: t2 - t1,
    summaryCpuMs: (cpu.user + cpu.system) / 1000,
    listMs,
    firstWatMs: t3 - w0,
    scanMs: t4 - t3,
    instructions: scan.instructions,
    firstWatLines: first.lines,
    functions: m.functions.length,
    sections: report.sections.length,
    problems: report.problems.length,
    baselineRss: baseline,
    maxRss,
  }),
);
