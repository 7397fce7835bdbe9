import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { connectOrSkip, helloDir, managedContainers, repoRoot } from './docker-helpers';

describe('profile a wasm Dockerfile against its native counterpart', async () => {
  const { docker, skip } = await connectOrSkip();

  it(
    'wasm-containers profile examples/hello/Dockerfile compares the module, the native process and the native image under runc',
    { skip, timeout: 180_000 },
    async () => {
      const dir = path.join(repoRoot, 'test-results', 'dockerfile-profile');
      const r = await runProcess(process.execPath, [
        path.join(repoRoot, 'dist/cli.js'),
        'profile',
        path.join(helloDir, 'Dockerfile'),
        '--runs',
        '3',
        '--warmup',
        '1',
        '--results-dir',
        dir,
        '--export-json',
        path.join(dir, 'result.json'),
      ]);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout, /^ {2}Wasm under Node WASI: .* native/m);
      assert.match(r.stdout, /^ {2}Native under runc \(Docker\): .* native/m);
      assert.match(r.stdout, /native · docker-runc: create .* start .* run .* remove/);
      assert.deepEqual(
        (await managedContainers(docker!)).map((c) => c.Names),
        [],
      );
    },
  );
});
