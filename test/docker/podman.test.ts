import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type Docker from 'dockerode';
import { after, before, describe, it } from 'node:test';
import { CancelledError } from '../../src/core/process/errors';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import { inspectEngine } from '../../src/core/engines/docker/engine';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';
import { buildNativeImage, connectOrSkip, helloDir, managedContainers } from './docker-helpers';

describe('Podman through its Docker-compatible socket, with the same client', async () => {
  const { docker: podman, skip } = await connectOrSkip('podman');
  let image = '';
  const crun = () =>
    new DockerContainerRuntime(podman as Docker, 'crun', 'native', undefined, 'podman');

  before(async () => {
    if (podman) image = await buildNativeImage(podman);
  });
  after(async () => {
    if (podman)
      assert.deepEqual(
        (await managedContainers(podman)).map((c) => c.Id),
        [],
        'containers left behind',
      );
  });

  it('is recognised as Podman, with what it can and cannot do', { skip }, async () => {
    const report = await inspectEngine(podman!, true);
    assert.equal(report.engine, 'podman');
    assert.equal(report.defaultRuntime, 'crun');
    assert.match(
      report.wasmReason!,
      /^Podman \d+\.\d+\.\d+ runs wasi\/wasm images through crun built with a Wasm handler/,
    );
    const catalog = await detectRuntimes();
    const byId = new Map(catalog.runtimes.map((r) => [r.id, r]));
    assert.equal(byId.get('podman-crun')?.available, true, byId.get('podman-crun')?.reason);
    // a choice the API would ignore is not offered as if it worked
    assert.match(
      byId.get('podman-runc')?.reason ?? '',
      /runs every container started through its API under its default runtime \(crun\)/,
    );
    assert.equal(byId.get('podman-runc')?.available, false);
    if (!existsSync('/usr/bin/kata-runtime'))
      assert.match(
        byId.get('podman-kata')?.reason ?? '',
        /lists runtime 'kata' but \/usr\/bin\/kata-runtime is not installed/,
      );
  });

  it(
    'builds the native image FROM scratch and runs it: output, exit code, environment, mapped directory',
    { skip },
    async () => {
      const r = await crun().run({ artifact: image });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, 'Hello from a Wasm container!\n');
      assert.equal((await crun().run({ artifact: image, args: ['exit', '3'] })).exitCode, 3);
      assert.equal(
        (
          await crun().run({
            artifact: image,
            args: ['env', 'GREETING'],
            env: { GREETING: 'hi from podman' },
          })
        ).stdout,
        'hi from podman\n',
      );
      const cat = await crun().run({
        artifact: image,
        args: ['cat', '/data/hello.c'],
        dirs: [{ host: helloDir, guest: '/data' }],
      });
      assert.equal(cat.exitCode, 0, cat.stderr);
      assert.match(cat.stdout, /The smallest honest workload/);
    },
  );

  it(
    'measures a run: create / start / run / remove and the cgroup peak memory',
    { skip },
    async () => {
      const sample = await crun().measure({ artifact: image, args: ['sleep', '0.5'] });
      assert.equal(sample.error, undefined, sample.error);
      assert.equal(sample.exitCode, 0);
      const phases = sample.containerPhases!;
      assert.ok(phases.run >= 450, `run phase ${phases.run} ms covers the 0.5 s sleep`);
      assert.ok(phases.create > 0 && phases.start > 0 && phases.remove > 0);
      assert.ok(
        sample.maxRssKb > 0 && sample.maxRssKb < 64 * 1024,
        `cgroup peak ${sample.maxRssKb} KiB`,
      );
    },
  );

  it('cancelling mid-run kills and removes the container', { skip }, async () => {
    const controller = new AbortController();
    const running = crun().run(
      { artifact: image, args: ['sleep', '30'] },
      {
        signal: controller.signal,
        onStdout: (c) => {
          if (c.toString().includes('Starting')) controller.abort();
        },
      },
    );
    await assert.rejects(running, CancelledError);
    assert.deepEqual(await managedContainers(podman!), []);
  });
});
