import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isCancelled, ProcessError } from '../../src/core/process/errors';
import { helloWasm, tempDir } from '../unit/helpers';
import { groupGone, realRuntimes } from './runtime-helpers';

/**
 * The example (examples/hello) under each real runtime CLI CI builds — wasmtime, wazero, wasmer —
 * plain and ahead-of-time, through the adapters the product uses: output, exit code, environment,
 * a mapped directory, a piped stdin, and cancellation and timeouts that leave no process.
 */
describe('the example under each real Wasm runtime CLI (plain and AOT)', async () => {
  const cache = tempDir('wc-aot-cache-');
  const data = tempDir('wc-mapped-');
  writeFileSync(path.join(data, 'note.txt'), 'read through a mapped directory\n');

  for (const { runtime, skip } of await realRuntimes(cache)) {
    describe(runtime.id, () => {
      const run = (args: string[], extra: object = {}) =>
        runtime.run({ artifact: helloWasm, args, timeoutMs: 120_000, ...extra });

      it('prints the greeting and exits 0', { skip }, async () => {
        const out = await run([]);
        assert.equal(out.stdout, 'Hello from a Wasm container!\n', out.stderr);
        assert.equal(out.exitCode, 0);
        assert.equal(out.runtime, runtime.id);
      });

      it('passes the exit code through: 3 → 3', { skip }, async () => {
        assert.equal((await run(['exit', '3'])).exitCode, 3);
      });

      it('passes the environment (a value with a space)', { skip }, async () => {
        const out = await run(['env', 'GREETING'], { env: { GREETING: 'hi there' } });
        assert.equal(out.stdout, 'hi there\n', out.stderr);
        assert.equal(out.exitCode, 0);
      });

      it('maps a host directory to a guest path', { skip }, async () => {
        const out = await run(['cat', '/data/note.txt'], {
          dirs: [{ host: data, guest: '/data' }],
        });
        assert.equal(out.stdout, 'read through a mapped directory\n', out.stderr);
        assert.equal(out.exitCode, 0);
      });

      it('reads what is piped into stdin', { skip }, async () => {
        const out = await run(['cat', '-'], { stdin: 'piped in\nsecond line\n' });
        assert.equal(out.stdout, 'piped in\nsecond line\n', out.stderr);
        assert.equal(out.exitCode, 0);
      });

      // a plain (JIT) start must compile: a runtime's own compile cache would make it an
      // unlabelled AOT start from the second run on (wasmtime and wasmer keep one by default)
      it(
        'a plain start compiles: nothing lands in a compile cache',
        {
          skip: skip || (runtime.id.endsWith('-aot') && 'AOT variants run their artifact'),
        },
        async () => {
          const home = tempDir('wc-runtime-home-');
          const names = ['HOME', 'XDG_CACHE_HOME', 'WASMER_DIR', 'WASMER_CACHE_DIR'] as const;
          const saved = names.map((n) => process.env[n]);
          names.forEach((n) => (process.env[n] = path.join(home, n)));
          try {
            for (let i = 0; i < 2; i++) assert.equal((await run([])).exitCode, 0);
          } finally {
            names.forEach((n, i) =>
              saved[i] === undefined ? delete process.env[n] : (process.env[n] = saved[i]),
            );
          }
          const files = readdirSync(home, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => path.join(e.parentPath, e.name));
          assert.deepEqual(files, [], `${runtime.id} wrote compiled code`);
        },
      );

      it('cancel: the run stops and leaves no process', { skip }, async () => {
        const controller = new AbortController();
        let pid = 0;
        const pending = runtime.run(
          { artifact: helloWasm, args: ['sleep', '600'] },
          {
            signal: controller.signal,
            onStart: (id) => (pid = Number(id)),
            // cancelled once the guest runs (its first line is out)
            onStdout: (c) => c.toString().includes('Starting') && controller.abort(),
          },
        );
        await assert.rejects(pending, (e) => isCancelled(e));
        assert.ok(pid > 0, 'the run had started');
        assert.ok(await groupGone(pid), `process group ${pid} is gone`);
      });

      it('timeout: the run is killed and leaves no process', { skip }, async () => {
        let pid = 0;
        await assert.rejects(
          runtime.run(
            { artifact: helloWasm, args: ['sleep', '600'], timeoutMs: 1_000 },
            { onStart: (id) => (pid = Number(id)) },
          ),
          (e) => e instanceof ProcessError && e.details.timedOut === true,
        );
        assert.ok(pid > 0, 'the run had started');
        assert.ok(await groupGone(pid), `process group ${pid} is gone`);
      });
    });
  }
});
