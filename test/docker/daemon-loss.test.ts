import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runProfile } from '../../src/core/profile/profiler';
import {
  DockerContainerRuntime,
  pendingRemovalCount,
  retryPendingRemovals,
} from '../../src/core/engines/docker/container';
import { buildNativeImage, connectOrSkip, managedContainers } from './docker-helpers';

/**
 * A Unix-socket proxy to the real engine: cutting it makes the engine disappear for the tool while
 * dockerd keeps running for everything else (the fault is injected at the transport, nothing is faked).
 */
function engineProxy(socketPath: string, target = '/var/run/docker.sock') {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(target);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      }).listen(socketPath, resolve);
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      server?.close(() => resolve());
    });
  return { start, cut };
}

describe('the engine disappears in the middle of a profile', async () => {
  const { docker, skip } = await connectOrSkip();

  it(
    'failed runs are recorded per run with the reason, measured runs are kept, and the orphan is removed once the engine is back',
    { skip, timeout: 120_000 },
    async () => {
      const image = await buildNativeImage(docker!);
      const sock = path.join(mkdtempSync(path.join(os.tmpdir(), 'wc-proxy-')), 'docker.sock');
      const proxy = engineProxy(sock);
      await proxy.start();
      const runtime = new DockerContainerRuntime(new Docker({ socketPath: sock }), 'runc');
      let samples = 0;
      const result = await runProfile(
        [
          {
            id: 'c',
            label: 'native image · runc',
            runtime,
            spec: { artifact: image, args: ['sleep', '0.4'] },
          },
        ],
        {
          runs: 6,
          warmup: 0,
          // after two good runs, cut the engine off while the third container is being started or running
          onSample: () => {
            if (++samples === 2) setTimeout(() => void proxy.cut(), 150);
          },
        },
      );
      const t = result.targets[0];
      assert.equal(result.status, 'complete');
      assert.equal(t.samples.length, 6, 'every run is recorded');
      assert.equal(t.summary.wallMs.n, 2, 'the two measured runs are kept');
      assert.equal(t.summary.failures, 4);
      assert.ok(
        t.samples
          .slice(2)
          .every((s) =>
            /No Docker engine answers|ECONNREFUSED|ENOENT|socket hang up|EPIPE|ECONNRESET/.test(
              s.error ?? '',
            ),
          ),
        JSON.stringify(t.samples.map((s) => s.error)),
      );
      // the container of the interrupted run could not be removed while the engine was away …
      const orphans = (await managedContainers(docker!)).length;
      console.log(`    orphans while the engine was away: ${orphans}`);
      assert.ok(
        orphans >= 1,
        'the interrupted run left a container behind (the container sleeps 0.4 s, the cut comes at 150 ms)',
      );
      assert.equal(orphans, pendingRemovalCount(), 'every orphan is remembered for removal');
      // … and is removed as soon as the engine answers again
      await proxy.start();
      await retryPendingRemovals();
      assert.equal(pendingRemovalCount(), 0);
      assert.deepEqual(await managedContainers(docker!), []);
      await proxy.cut();
    },
  );
});
