import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { describe, it } from 'node:test';
import { descendantsOf } from '../../src/core/process/kill-tree';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
import { runProfile } from '../../src/core/profile/profiler';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import { NativeProcessRuntime } from '../../src/core/runtimes/native-process';
import { NodeWasiRuntime } from '../../src/core/runtimes/node-wasi';
import { prng } from '../fuzz/mutate';
import { buildNativeImage, connectOrSkip, helloDir, managedContainers } from './docker-helpers';

const ITERATIONS = 24;

describe('cancelling runs and profiles at random points leaves nothing behind', async () => {
  const { docker, skip } = await connectOrSkip();

  it(
    `${ITERATIONS} runs and profiles cancelled at random moments: no process, no container remains`,
    { skip, timeout: 900_000 },
    async () => {
      const image = await buildNativeImage(docker!);
      const rand = prng(20261123);
      const pair = discoverPair(helloDir);
      const operations: Array<[string, (signal: AbortSignal) => Promise<unknown>]> = [
        [
          'node-wasi run',
          (signal) =>
            new NodeWasiRuntime().run({ artifact: pair.module, args: ['sleep', '3'] }, { signal }),
        ],
        [
          'native run',
          (signal) =>
            new NativeProcessRuntime().run(
              { artifact: pair.native!, args: ['sleep', '3'] },
              { signal },
            ),
        ],
        [
          'runc container',
          (signal) =>
            new DockerContainerRuntime(docker as Docker, 'runc').run(
              { artifact: image, args: ['sleep', '3'] },
              { signal },
            ),
        ],
        [
          'crun container',
          (signal) =>
            new DockerContainerRuntime(docker as Docker, 'crun').run(
              { artifact: image, args: ['sleep', '3'] },
              { signal },
            ),
        ],
        [
          'process profile',
          (signal) =>
            runProfile(nodeWasiVsNativeTargets(pair, ['sleep', '0.05']), {
              runs: 20,
              warmup: 0,
              signal,
            }),
        ],
        [
          'container profile',
          (signal) =>
            runProfile(
              [
                {
                  id: 'c',
                  label: 'c',
                  runtime: new DockerContainerRuntime(docker as Docker, 'runc'),
                  spec: { artifact: image, args: ['sleep', '0.1'] },
                },
              ],
              { runs: 10, warmup: 0, signal },
            ),
        ],
      ];
      // what already runs under this process (tsx's esbuild service) is not ours to count
      const before = new Set(descendantsOf(process.pid));
      const done: string[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const [name, operation] = operations[Math.floor(rand() * operations.length)];
        const controller = new AbortController();
        const delay = Math.floor(rand() * 1500);
        const timer = setTimeout(() => controller.abort(), delay);
        // a cancelled run rejects; a cancelled profile resolves with what it measured, marked as
        // cancelled (every profile here lasts seconds, far past the latest cancel); a hang is
        // caught by the test's timeout
        await operation(controller.signal).then(
          (value) => {
            if (value && typeof value === 'object' && 'status' in value)
              assert.equal(value.status, 'cancelled', `${name} was cancelled at ${delay} ms`);
          },
          (e: Error) =>
            assert.match(e.name + e.message, /Cancel|cancel|abort/i, `${name}: ${e.message}`),
        );
        clearTimeout(timer);
        done.push(`${name}@${delay}ms`);
      }
      await new Promise((r) => setTimeout(r, 500)); // let the last exits be reaped
      assert.deepEqual(
        descendantsOf(process.pid).filter((pid) => !before.has(pid)),
        [],
        `processes left after: ${done.join(', ')}`,
      );
      assert.deepEqual(
        (await managedContainers(docker!)).map((c) => `${c.Id.slice(0, 12)} ${c.State}`),
        [],
        'containers left',
      );
    },
  );
});
