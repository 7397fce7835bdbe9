import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runProfile, type ProfileTarget } from '../../src/core/profile/profiler';
import { NativeProcessRuntime } from '../../src/core/runtimes/native-process';
import { NodeWasiRuntime } from '../../src/core/runtimes/node-wasi';
import { helloNative, helloWasm, tempDir } from './helpers';

/** A profile with its own empty cache: the estimate is computed, not read from a previous one. */
async function withCache<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const previous = process.env.WASM_CONTAINERS_CACHE_DIR;
  process.env.WASM_CONTAINERS_CACHE_DIR = dir;
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.WASM_CONTAINERS_CACHE_DIR;
    else process.env.WASM_CONTAINERS_CACHE_DIR = previous;
  }
}

const targets = (): ProfileTarget[] => [
  { id: 'wasm', label: 'wasm', runtime: new NodeWasiRuntime(), spec: { artifact: helloWasm } },
  {
    id: 'native',
    label: 'native',
    runtime: new NativeProcessRuntime(),
    spec: { artifact: helloNative },
  },
];

describe('the image-size estimate of a profile', () => {
  it('gives the same figures in a worker thread (the editor) as in the calling thread (the CLI)', async () => {
    const images = (imageSizeThread: 'worker' | 'inline', cache = tempDir()) =>
      withCache(cache, async () => {
        const r = await runProfile(targets(), { runs: 1, warmup: 0, imageSizeThread });
        assert.equal(r.status, 'complete');
        return r.targets.map((t) => t.image);
      });
    const inWorker = await images('worker');
    const inline = await images('inline');
    assert.deepEqual(inline, inWorker);
    // and kept per file version: a second profile with the same cache gives them again
    const cache = tempDir();
    await images('inline', cache);
    assert.deepEqual(await images('worker', cache), inWorker);
    for (const image of inline) {
      assert.ok(image, 'every target has an image size');
      // gzip never makes these files bigger than their tar, and a tar holds at least the file
      assert.ok(image.compressed > 0 && image.compressed < image.uncompressed);
    }
  });
});

describe('the statistics of a profile’s checkpoints', () => {
  it('are kept current for a live display, left for the end when only raw samples are journalled', async () => {
    const seen = async (liveStatistics: boolean) => {
      const checkpoints: Array<[number, number]> = [];
      const r = await withCache(tempDir(), () =>
        runProfile([targets()[1]], {
          runs: 3,
          warmup: 0,
          order: 'sequential',
          liveStatistics,
          onCheckpoint: (p) =>
            checkpoints.push([p.targets[0].samples.length, p.targets[0].summary.wallMs.n]),
        }),
      );
      return { checkpoints, final: r.targets[0].summary.wallMs.n };
    };
    const live = await seen(true);
    assert.deepEqual(live.checkpoints, [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    assert.equal(live.final, 3);
    const journalled = await seen(false);
    assert.deepEqual(journalled.checkpoints, [
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    assert.equal(journalled.final, 3, 'the result has its statistics');
  });
});

describe('how often a profile checkpoints', () => {
  it('at most 20 times per target in either order, always at the end', async () => {
    const native = targets()[1];
    const twins: ProfileTarget[] = [native, { ...native, id: 'again', label: 'again' }];
    for (const order of ['interleaved', 'sequential'] as const) {
      const taken: number[] = [];
      const r = await withCache(tempDir(), () =>
        runProfile(twins, {
          runs: 39,
          warmup: 1,
          order,
          liveStatistics: false,
          onCheckpoint: (p) =>
            taken.push(
              p.targets.reduce((n, t) => n + t.samples.length + t.warmupSamples.length, 0),
            ),
        }),
      );
      assert.equal(r.status, 'complete');
      // 40 samples per target, 20 checkpoints per target: every second round of an interleaved
      // profile (4 samples), every second sample of each target in turn of a sequential one
      assert.equal(taken.length, (40 / 2) * (order === 'interleaved' ? 1 : 2), order);
      assert.equal(taken.at(-1), 80, `${order}: the last checkpoint holds every sample`);
      if (order === 'interleaved')
        assert.deepEqual(
          taken,
          Array.from({ length: 20 }, (_, k) => (k + 1) * 4),
        );
    }
  });
});
