// What the extension host does for Build Wasm Image and Profile Against Native, in a plain Node
// process with an event-loop monitor (bench/editor-stall.mjs bundles and runs it). Prints JSON:
// per task, the longest stall of the event loop and its duration.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildLocalWasmImage } from '../src/core/oci/local-images';
import { discoverPair } from '../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../src/core/profile/profile-pair';
import { runProfile } from '../src/core/profile/profiler';
import { ResultJournal } from '../src/core/profile/results-store';

const [module, helloDir, runs] = process.argv.slice(2);

/** Runs task while the loop is watched: the histogram's max, and the largest gap a 1 ms timer saw. */
async function watched(name: string, task: () => Promise<unknown>) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
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
      buildLocalWasmImage(module, path.join(work, 'images')),
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
