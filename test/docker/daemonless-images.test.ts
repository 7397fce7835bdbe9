import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { specFromDockerfile } from '../../src/core/oci/from-sources';
import { buildOciImage } from '../../src/core/oci/image';
import { parseOutput, writeOutput } from '../../src/core/oci/outputs';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import { runProcess } from '../../src/core/process/run-process';
import { connectOrSkip, helloDir, managedContainers } from './docker-helpers';

describe('daemonless images in the real engine', async () => {
  const { docker, skip } = await connectOrSkip();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wc-daemonless-'));

  it(
    'the native twin written as a docker-archive loads and runs under runc and crun',
    { skip },
    async () => {
      const file = path.join(dir, 'native.tar');
      await writeOutput(
        parseOutput(`docker-archive:${file}`),
        [await buildOciImage(specFromDockerfile(path.join(helloDir, 'Dockerfile.native')))],
        'wasm-containers-test/daemonless-native:latest',
      );
      await runProcess('docker', ['load', '-i', file], { check: true });
      for (const runtime of ['runc', 'crun']) {
        const r = await new DockerContainerRuntime(docker!, runtime).run({
          artifact: 'wasm-containers-test/daemonless-native:latest',
          args: ['exit', '3'],
        });
        assert.equal(r.exitCode, 3);
        const hello = await new DockerContainerRuntime(docker!, runtime).run({
          artifact: 'wasm-containers-test/daemonless-native:latest',
        });
        assert.equal(hello.stdout, 'Hello from a Wasm container!\n');
      }
      assert.deepEqual(await managedContainers(docker!), []);
    },
  );

  it(
    'the wasi/wasm image: loaded where the engine supports it, refused with its reason where it does not',
    { skip },
    async () => {
      const file = path.join(dir, 'wasm.tar');
      await writeOutput(
        parseOutput(`docker-archive:${file}`),
        [await buildOciImage(specFromDockerfile(path.join(helloDir, 'Dockerfile')))],
        'wasm-containers-test/daemonless-wasm:latest',
      );
      const version = (await docker!.version()).Version;
      const r = await runProcess('docker', ['load', '-i', file]);
      if (Number(version.split('.')[0]) < 24) {
        assert.notEqual(r.exitCode, 0);
        assert.match(r.stderr, /unknown operating system/);
      } else {
        assert.equal(r.exitCode, 0, r.stderr);
      }
    },
  );
});
