import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { runProfile } from '../../src/core/profile/profiler';
import { renderTextReport } from '../../src/core/profile/report-text';
import { profileTarget } from '../../src/core/profile/targets';
import { validateResultShape } from '../../src/core/profile/result-validate';
import { WasmCliRuntime } from '../../src/core/runtimes/wasm-cli-runtimes';
import { helloWasm, tempDir } from '../unit/helpers';
import { realRuntimes } from './runtime-helpers';

/** What each compiler writes: native code in its own container format, or a cache of it. */
const NATIVE_FORMAT: Record<string, (artifact: string) => boolean> = {
  // a .cwasm is an ELF object
  wasmtime: (a) => readFileSync(a).subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1')),
  // a serialized module starts with wasmer's own header, not the Wasm magic
  wasmer: (a) => !readFileSync(a).subarray(0, 4).equals(Buffer.from('\0asm', 'latin1')),
  // wazero's cache: one entry per compiled module
  wazero: (a) => readdirSync(a, { recursive: true }).length > 0,
};

/** Every file of a directory with its size and modification time: what a cache hit leaves alone. */
const snapshot = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).sort().map((f) => {
    const st = statSync(path.join(dir, f));
    return `${f} ${st.size} ${st.mtimeMs}`;
  });

/**
 * AOT variants of the real CLIs: the compile happens once per module digest in prepare(), outside
 * the measured runs; the runs' command line names the artifact, and the runs really use it.
 */
describe('ahead-of-time variants of the real runtime CLIs', async () => {
  const cache = tempDir('wc-aot-cache-');
  const aot = (await realRuntimes(cache)).filter((r) => r.runtime.aot);

  for (const { runtime, skip } of aot) {
    const family = runtime.definition.id;
    describe(runtime.id, () => {
      it(
        'prepare compiles the module into the cache, once per digest; the command line names the artifact',
        { skip },
        async () => {
          const module = path.join(tempDir(), 'hello.wasm');
          copyFileSync(helloWasm, module);
          const prepared = await runtime.prepare({ artifact: module, args: ['exit', '3'] });
          const pre = prepared.precompiled!;
          assert.ok(pre, 'prepare returns the compiled form');
          assert.ok(pre.path.startsWith(cache), `${pre.path} is in the cache`);
          assert.equal(pre.reused, false);
          assert.ok(NATIVE_FORMAT[family](pre.path), `${pre.path} holds native code`);
          assert.ok(pre.bytes > 0);
          assert.ok(pre.compileMs > 0);
          const cmd = runtime.commandLine(prepared);
          assert.ok(
            cmd.args.some((a) => a === pre.path || a === `-cachedir=${pre.path}`),
            `the run names the artifact: ${cmd.args.join(' ')}`,
          );
          if (family === 'wasmtime') assert.ok(cmd.args.includes('--allow-precompiled'));
          const again = await runtime.prepare({ artifact: module });
          assert.equal(again.precompiled!.reused, true, 'the same bytes compile once');
          assert.equal(again.precompiled!.path, pre.path);
        },
      );

      it('the run executes the artifact', { skip }, async () => {
        const module = path.join(tempDir(), 'hello.wasm');
        copyFileSync(helloWasm, module);
        const prepared = await runtime.prepare({ artifact: module, args: ['exit', '3'] });
        const pre = prepared.precompiled!;
        if (pre.kind === 'file') {
          // the module is gone: only the compiled file can answer
          rmSync(module);
          const out = await runtime.run(prepared);
          assert.equal(out.exitCode, 3, out.stderr);
        } else {
          // wazero reads the module, then looks its native code up in the cache: a hit writes nothing
          const before = snapshot(pre.path);
          const out = await runtime.run(prepared);
          assert.equal(out.exitCode, 3, out.stderr);
          assert.deepEqual(snapshot(pre.path), before, 'the cache was read, not written');
          // while a run on an empty cache directory writes its compile there: a miss shows
          const empty = tempDir('wc-wazero-miss-');
          const miss = new WasmCliRuntime(runtime.definition);
          await miss.detect();
          const cmd = miss.commandLine({ artifact: module, args: ['exit', '3'] });
          const r = await runProcess(cmd.file, ['run', `-cachedir=${empty}`, ...cmd.args.slice(1)]);
          assert.equal(r.exitCode, 3);
          assert.ok(readdirSync(empty, { recursive: true }).length > 0, 'a miss fills the cache');
        }
      });

      it(
        'a profile compiles before its measured runs and reports the compile apart',
        { skip },
        async () => {
          const module = path.join(tempDir(), 'hello.wasm');
          copyFileSync(helloWasm, module);
          const events: string[] = [];
          const profile = () =>
            runProfile([profileTarget(runtime, { artifact: module })], {
              runs: 3,
              warmup: 1,
              onProgress: (m) => events.push(m.startsWith('preparing') ? 'prepare' : 'progress'),
              onSample: (s) => events.push(`${s.phase} ${s.sample.exitCode}`),
            });
          // a module no earlier test compiled (a fresh digest): a custom section appended (with a
          // payload byte: wazero 1.12 refuses an empty one, "failed to read custom section: EOF")
          const name = Buffer.from(`wc-${runtime.id}`);
          const section = [0, name.length + 2, name.length, ...name, 1];
          writeFileSync(module, Buffer.concat([readFileSync(module), Buffer.from(section)]));

          const first = await profile();
          assert.equal(first.status, 'complete', first.error);
          const t = first.targets[0];
          assert.ok(t.aot, 'the result reports the compile');
          assert.equal(t.aot.reused, false);
          assert.ok(t.aot.compileMs > 0 && t.aot.bytes > 0);
          assert.equal(t.samples.length, 3);
          assert.ok(t.samples.every((s) => s.exitCode === 0 && !s.error));
          // the compile came first; every sample after it
          assert.equal(
            events.indexOf('prepare'),
            events.findIndex((e) => e !== 'progress'),
          );
          assert.equal(events.filter((e) => e === 'prepare').length, 1);
          assert.deepEqual(
            events.filter((e) => /^(warmup|measure)/.test(e)),
            ['warmup 0', 'measure 0', 'measure 0', 'measure 0'],
          );
          assert.doesNotThrow(() => validateResultShape(JSON.parse(JSON.stringify(first))));
          assert.match(
            renderTextReport(first, 'aot'),
            /ahead-of-time compile .* \(compiled before the runs; in no sample\)/,
          );

          const second = await profile();
          assert.equal(second.targets[0].aot?.reused, true, 'the second profile compiles nothing');
          assert.equal(second.targets[0].aot?.compileMs, t.aot.compileMs);
          assert.equal(second.targets[0].aot?.artifact, t.aot.artifact);
        },
      );
    });
  }
});
