// What the extension host does for Build Wasm Image and Profile Against Native, in a plain Node
// process with an event-loop monitor (bench/editor-stall.mjs bundles and runs it). Prints JSON:
// per task, the longest stall of the event loop and its duration.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildLocalWasmImage } from '../src/core/oci/local-images';
import { discoverPair } from '../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../src/core/profile/profile-pair';
import { runProfile } from '../src/core/profile/profiler';
import { ResultJournal } from '../src/core/profile/results-store';

const [module, helloDir, runs] = process.argv.slice(2);

/**
 * The main thread's time on a CPU and waiting for one (ns), from the scheduler (Linux schedstat):
 * a gap between two ticks is split into the thread's own work (the loop held by JS, GC, a sync
 * call) and the time it was runnable but another thread or process had the cores.
 */
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
function sched(): { cpu: number; wait: number } | undefined {
  try {
    const [cpu, wait] = readFileSync(schedstat, 'utf8').split(' ').map(Number);
    return { cpu: cpu ?? 0, wait: wait ?? 0 };
  } catch {
    return undefined; // not Linux, or no schedstats: the split is not reported
  }
}

/**
 * Runs task while the loop is watched: the histogram's max, the largest gap a 1 ms timer saw,
 * and of every gap the part the main thread spent running (its own stall) or waiting for a core.
 */
async function watched(name: string, task: () => Promise<unknown>) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let lastSched = sched();
  let gap = 0;
  let busy = 0; // the longest run of the main thread's own work between two ticks
  let waitInLongest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const s = sched();
    const cpu = s && lastSched ? (s.cpu - lastSched.cpu) / 1e6 : NaN;
    const wait = s && lastSched ? (s.wait - lastSched.wait) / 1e6 : NaN;
    if (now - last > gap) {
      gap = now - last;
      waitInLongest = wait;
    }
    busy = Math.max(busy, cpu);
    last = now;
    lastSched = s;
  }, 1);
  histogram.enable();
  const t0 = performance.now();
  await task();
  const ms = performance.now() - t0;
  histogram.disable();
  clearInterval(timer);
  return {
    name,
    ms,
    maxStallMs: histogram.max / 1e6,
    p99StallMs: histogram.percentile(99) / 1e6,
    maxTimerGapMs: gap,
    maxBusyMs: busy,
    waitInLongestMs: waitInLongest,
  };
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'wc-stall-'));
  const results = [];
  // the machine's own noise: the same watch over a second of doing nothing
  results.push(
    await watched(
      'idle (nothing running: the noise floor)',
      () => new Promise((r) => setTimeout(r, 1000)),
    ),
  );
  results.push(
    await watched(`Build Wasm Image (${path.basename(module)})`, () =>
      // as the Build Wasm Image command calls it: the build in the image worker
      buildLocalWasmImage(module, path.join(work, 'images'), { worker: true }),
    ),
  );
  // the same build on the calling thread (as the CLI runs it): what the worker spares the loop
  results.push(
    await watched(`Build Wasm Image on the main thread (${path.basename(module)})`, () =>
      buildLocalWasmImage(module, path.join(work, 'images-main')),
    ),
  );
  // a profile as the command runs it: its image-size estimates, the batches, a journal checkpoint per round
  const big = path.join(work, 'big', 'hello.wasm');
  const pair = discoverPair(helloDir);
  for (const [name, wasm] of [
    [`profile of ${path.basename(helloDir)} (${runs} runs)`, pair.module],
    [`profile of the ${path.basename(module)} module (${runs} runs)`, big],
  ] as const) {
    if (wasm === big) {
      mkdirSync(path.dirname(big), { recursive: true });
      copyFileSync(module, big);
    }
    const journal = new ResultJournal(path.join(work, 'runs'));
    results.push(
      await watched(name, async () => {
        const r = await runProfile(nodeWasiVsNativeTargets({ ...pair, module: wasm }), {
          runs: Number(runs),
          warmup: 1,
          expectedExitCode: wasm === big ? undefined : 0,
          onCheckpoint: (p) => journal.checkpoint(p),
        });
        journal.finish(r);
      }),
    );
  }
  console.log(JSON.stringify(results));
}

void main();
