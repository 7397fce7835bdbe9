import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import { MANAGED_LABEL } from '../../src/core/engines/labels';
import { tempDir } from '../unit/helpers';
import { connectOrSkip, managedContainers, repoRoot } from './docker-helpers';

const IMAGE = 'wasm-containers-test/cat-native:latest';

/** A FROM scratch image of cat.c built with gcc -static (the native twin of cat.wasm). */
async function buildCatImage(docker: Docker): Promise<void> {
  const context = tempDir('wc-cat-image-');
  await runProcess(
    'gcc',
    [
      '-O2',
      '-static',
      path.join(repoRoot, 'test/fixtures/wasm/cat.c'),
      '-o',
      path.join(context, 'cat'),
    ],
    { check: true },
  );
  writeFileSync(
    path.join(context, 'Dockerfile'),
    'FROM scratch\nCOPY cat /cat\nENTRYPOINT ["/cat"]\n',
  );
  const stream = await docker.buildImage(
    { context, src: ['Dockerfile', 'cat'] },
    { t: IMAGE, labels: { [MANAGED_LABEL]: 'true' }, pull: '' as unknown as boolean, rm: true },
  );
  const events: Array<{ error?: string }> = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) =>
      err ? reject(err) : resolve(res as never),
    ),
  );
  const failure = events.find((e) => e.error);
  if (failure) throw new Error(`docker build failed: ${failure.error}`);
}

describe('stdin into containers (the engine attaches it)', async () => {
  const { docker, skip } = await connectOrSkip();
  before(async () => {
    if (docker) await buildCatImage(docker);
  });
  after(async () => {
    if (!docker) return;
    assert.deepEqual(
      (await managedContainers(docker)).map((c) => c.Id),
      [],
      'containers left behind',
    );
  });

  for (const runtime of ['runc', 'crun']) {
    it(
      `${runtime}: a live stream reaches the container, and its end is the program's EOF`,
      { skip },
      async () => {
        const input = new PassThrough();
        const run = new DockerContainerRuntime(docker!, runtime).run(
          { artifact: IMAGE },
          { stdin: input },
        );
        input.write('first line\n');
        setTimeout(() => input.end('second line\n'), 200);
        const outcome = await run;
        assert.equal(outcome.exitCode, 0, outcome.stderr);
        assert.equal(outcome.stdout, 'first line\nsecond line\n');
      },
    );
  }

  it('a fixed input (measured runs) still reaches it', { skip }, async () => {
    const outcome = await new DockerContainerRuntime(docker!, 'runc').run({
      artifact: IMAGE,
      stdin: 'fixed\n',
    });
    assert.equal(outcome.stdout, 'fixed\n');
  });

  it('without stdin the container reads EOF at once', { skip }, async () => {
    const outcome = await new DockerContainerRuntime(docker!, 'runc').run({ artifact: IMAGE });
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.stdout, '');
  });
});
