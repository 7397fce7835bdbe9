import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { after, before, describe, it } from 'node:test';
import { CancelledError } from '../../src/core/process/errors';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import { buildNativeImage, connectOrSkip, helloDir, managedContainers } from './docker-helpers';

const OCI_RUNTIMES = ['runc', 'crun', 'runsc'];

describe("native example image under the engine's OCI runtimes", async () => {
  const { docker, skip } = await connectOrSkip();
  let image = '';

  before(async () => {
    if (!docker) return;
    image = await buildNativeImage(docker);
  });
  after(async () => {
    if (!docker) return;
    assert.deepEqual(
      (await managedContainers(docker)).map((c) => c.Id),
      [],
      'containers left behind',
    );
  });

  it('the image was built FROM scratch through dockerode', { skip }, async () => {
    const info = await docker!.getImage(image).inspect();
    assert.equal(info.Os, 'linux');
    assert.equal(info.RootFS.Layers?.length, 1, 'FROM scratch + one COPY gives one layer');
    assert.deepEqual(info.Config.Entrypoint, ['/hello']);
  });

  for (const runtime of OCI_RUNTIMES) {
    describe(runtime, () => {
      const adapter = () => new DockerContainerRuntime(docker as Docker, runtime);

      it('is registered with the engine', { skip }, async () => {
        const d = await adapter().detect();
        assert.equal(d.available, true, d.reason);
        assert.match(d.version!, new RegExp(`/ ${runtime}$`));
      });

      it('runs the native twin and returns its output', { skip }, async () => {
        const streamed: string[] = [];
        const r = await adapter().run(
          { artifact: image },
          { onStdout: (c) => streamed.push(c.toString()) },
        );
        assert.equal(r.exitCode, 0, r.stderr);
        assert.equal(r.stdout, 'Hello from a Wasm container!\n');
        assert.equal(streamed.join(''), r.stdout);
        assert.match(r.id, /^[0-9a-f]{64}$/);
        await assert.rejects(
          docker!.getContainer(r.id).inspect(),
          /no such container/i,
          'the container was removed',
        );
      });

      it('keeps the exit code (exit 3 reports 3)', { skip }, async () => {
        const r = await adapter().run({ artifact: image, args: ['exit', '3'] });
        assert.equal(r.exitCode, 3);
      });

      it('passes the environment and mapped directories', { skip }, async () => {
        const env = await adapter().run({
          artifact: image,
          args: ['env', 'GREETING'],
          env: { GREETING: 'hi from env' },
        });
        assert.equal(env.stdout, 'hi from env\n');
        const cat = await adapter().run({
          artifact: image,
          args: ['cat', '/data/hello.c'],
          dirs: [{ host: helloDir, guest: '/data' }],
        });
        assert.equal(cat.exitCode, 0, cat.stderr);
        assert.match(cat.stdout, /The smallest honest workload/);
      });
    });
  }

  it('cancelling mid-run kills and removes the container', { skip }, async () => {
    const controller = new AbortController();
    const running = new DockerContainerRuntime(docker as Docker, 'runc').run(
      { artifact: image, args: ['sleep', '30'] },
      {
        signal: controller.signal,
        onStdout: (c) => {
          if (c.toString().includes('Starting')) controller.abort();
        },
      },
    );
    await assert.rejects(running, CancelledError);
    assert.deepEqual(await managedContainers(docker!), []);
  });

  it('a run over its timeout is killed, removed, and says so', { skip }, async () => {
    await assert.rejects(
      new DockerContainerRuntime(docker as Docker, 'crun').run({
        artifact: image,
        args: ['sleep', '30'],
        timeoutMs: 1000,
      }),
      /did not finish within 1000 ms; the container was killed and removed/,
    );
    assert.deepEqual(await managedContainers(docker!), []);
  });

  it('an unknown runtime is reported as missing with the way to add it', { skip }, async () => {
    const d = await new DockerContainerRuntime(
      docker as Docker,
      'io.containerd.wasmtime.v1',
      'wasm',
    ).detect();
    assert.equal(d.available, false);
    assert.match(
      d.reason!,
      /has no runtime 'io\.containerd\.wasmtime\.v1' \(it has .*runc.*\)\. Register it in \/etc\/docker\/daemon\.json/,
    );
  });
});
