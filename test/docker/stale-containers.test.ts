import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { removeStaleContainers } from '../../src/core/engines/docker/container';
import { MANAGED_LABEL, OWNER_LABEL } from '../../src/core/engines/labels';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';
import { buildNativeImage, connectOrSkip, managedContainers, repoRoot } from './docker-helpers';

describe('containers left by a crashed run', async () => {
  const { docker, skip } = await connectOrSkip();

  it(
    'a CLI killed mid-profile leaves its container; the next engine contact removes it, and only it',
    { skip, timeout: 120_000 },
    async () => {
      const image = await buildNativeImage(docker!);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'wc-stale-'));
      const spec = path.join(dir, 'p.json');
      writeFileSync(
        spec,
        JSON.stringify({
          runs: 5,
          warmup: 0,
          targets: [{ id: 'c', runtime: 'docker-runc', artifact: image, args: ['sleep', '60'] }],
        }),
      );
      const cli = spawn(
        process.execPath,
        [
          path.join(repoRoot, 'dist/cli.js'),
          'profile',
          spec,
          '--results-dir',
          path.join(dir, 'runs'),
        ],
        { stdio: 'ignore' },
      );
      // wait until its container runs, then kill the CLI the hard way (no cleanup can run)
      let left: Awaited<ReturnType<typeof managedContainers>> = [];
      for (let i = 0; i < 200 && left.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = (await managedContainers(docker!)).filter((c) => c.State === 'running');
      }
      assert.equal(left.length, 1, 'the profile started its container');
      assert.equal(left[0].Labels[OWNER_LABEL], `${os.hostname()}/${cli.pid}`);
      cli.kill('SIGKILL');
      await new Promise((r) => cli.once('exit', r));
      assert.equal(
        (await managedContainers(docker!)).length,
        1,
        'a crash leaves the container behind',
      );

      // a container of a live owner (this test process) must survive the sweep
      const mine = await docker!.createContainer({
        Image: image,
        Labels: { [MANAGED_LABEL]: 'true', [OWNER_LABEL]: `${os.hostname()}/${process.pid}` },
        HostConfig: { NetworkMode: 'none' },
      });
      try {
        await detectRuntimes(); // first contact with the engine sweeps
        const remaining = (await managedContainers(docker!)).map((c) => c.Id);
        assert.deepEqual(remaining, [mine.id]);
        assert.deepEqual(await removeStaleContainers(docker!), []);
      } finally {
        await mine.remove({ force: true });
      }
      assert.deepEqual(await managedContainers(docker!), []);
    },
  );
});
