import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { before, describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { detectRuntimes, type RuntimeStatus } from '../../src/core/runtimes/runtime-catalog';
import { repoRoot, tempDir } from '../unit/helpers';
import { watFixture } from '../unit/wasm-fixtures';

/**
 * A piped stdin under every Wasm runtime the machine has (CI builds wasmtime, wazero and wasmer):
 * cat.wasm from WAT and cat.c built by clang for wasm32-wasi copy 256 KiB of random bytes exactly.
 * A runtime that is listed but missing is a skip with its reason, or a failure under REQUIRE_RUNTIMES=1.
 */
describe('stdin under every real Wasm runtime', async () => {
  const catalog = await detectRuntimes({ skipEngines: true });
  const wasm = catalog.runtimes.filter((r) => r.runs === 'wasm' && r.kind === 'process');
  const modules: Record<string, string> = {};
  before(async () => {
    modules.wat = await watFixture('cat');
    modules.c = path.join(tempDir('wc-cat-c-'), 'cat-c.wasm');
    await runProcess(
      'clang-14',
      [
        '--target=wasm32-wasi',
        '-O2',
        path.join(repoRoot, 'test/fixtures/wasm/cat.c'),
        '-o',
        modules.c,
      ],
      { check: true },
    );
  });

  const skipOf = (r: RuntimeStatus) => {
    if (r.available) return undefined;
    if (process.env.REQUIRE_RUNTIMES === '1' && !/wasmedge|iwasm/.test(r.id))
      throw new Error(`REQUIRE_RUNTIMES=1 but ${r.id} is not available: ${r.reason}`);
    return `${r.displayName}: ${r.reason}`;
  };

  for (const r of wasm) {
    for (const which of ['wat', 'c'] as const) {
      it(
        `${r.id}: cat (${which === 'wat' ? 'WAT' : 'C, clang wasm32-wasi'}) echoes a piped stream byte for byte`,
        { skip: skipOf(r) },
        async () => {
          const data = randomBytes(256 * 1024);
          const input = new PassThrough();
          const chunks: Buffer[] = [];
          const run = r.adapter.run(
            { artifact: modules[which], timeoutMs: 120_000 },
            { stdin: input, onStdout: (c) => chunks.push(c) },
          );
          input.end(data);
          const outcome = await run;
          assert.equal(outcome.exitCode, 0, outcome.stderr);
          assert.equal(Buffer.concat(chunks).length, data.length);
          assert.ok(Buffer.concat(chunks).equals(data), 'the output is the input');
        },
      );
    }
  }

  it('the catalog lists the runtimes CI builds', () => {
    for (const id of ['node-wasi', 'wasmtime', 'wasmer'])
      assert.ok(
        wasm.some((r) => r.id === id),
        `${id} is in the catalog`,
      );
  });
});
