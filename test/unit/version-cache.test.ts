import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  cachedAnswer,
  cachedCheck,
  cachedFileFact,
  toolCacheDir,
} from '../../src/core/process/version-cache';
import { WasmCliRuntime, WASM_CLI_DEFINITIONS } from '../../src/core/runtimes/wasm-cli-runtimes';
import { tempDir } from './helpers';

/** A fake runtime CLI that counts its starts in a file beside it. */
function fakeRuntime(dir: string, version: string): { exe: string; starts: () => number } {
  const exe = path.join(dir, 'wasmtime');
  const log = path.join(dir, 'starts');
  writeFileSync(log, '');
  writeFileSync(
    exe,
    `#!/bin/sh\necho started >> '${log}'\necho 'wasmtime ${version} (abc 2025-01-01)'\n`,
  );
  chmodSync(exe, 0o755);
  return { exe, starts: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

describe(
  'version answers cached by executable (path, size, mtime)',
  { skip: process.platform === 'win32' },
  () => {
    it('asks once, then answers from the cache until the executable changes', async () => {
      const dir = tempDir('wc-vc-');
      const cache = path.join(dir, 'cache');
      const { exe, starts } = fakeRuntime(dir, '30.0.1');
      const first = await cachedAnswer(exe, ['--version'], {}, cache);
      assert.equal(first.cached, false);
      assert.equal(starts(), 1);
      const second = await cachedAnswer(exe, ['--version'], {}, cache);
      assert.equal(second.cached, true);
      assert.equal(second.stdout, first.stdout);
      assert.equal(starts(), 1, 'not started again');
      // other arguments are another question
      await cachedAnswer(exe, ['-V'], {}, cache);
      assert.equal(starts(), 2);
      // upgraded in place: another size
      writeFileSync(exe, readFileSync(exe, 'utf8').replace('30.0.1', '31.0.10'));
      const third = await cachedAnswer(exe, ['--version'], {}, cache);
      assert.equal(third.cached, false);
      assert.match(third.stdout, /31\.0\.10/);
      assert.equal(starts(), 3);
      // same size, another mtime
      utimesSync(exe, new Date(), new Date(Date.now() + 5000));
      assert.equal((await cachedAnswer(exe, ['--version'], {}, cache)).cached, false);
      assert.equal(starts(), 4);
    });

    it('keys by the real path: a link to the same executable is the same answer', async () => {
      const dir = tempDir('wc-vc-');
      const cache = path.join(dir, 'cache');
      const { exe, starts } = fakeRuntime(dir, '30.0.1');
      const link = path.join(dir, 'link');
      symlinkSync(exe, link);
      await cachedAnswer(exe, ['--version'], {}, cache);
      assert.equal((await cachedAnswer(link, ['--version'], {}, cache)).cached, true);
      assert.equal(starts(), 1);
    });

    it('keeps no failed answer, and ignores a cache file it cannot read', async () => {
      const dir = tempDir('wc-vc-');
      const cache = path.join(dir, 'cache');
      const exe = path.join(dir, 'broken');
      writeFileSync(exe, '#!/bin/sh\necho nope >&2\nexit 3\n');
      chmodSync(exe, 0o755);
      assert.equal((await cachedAnswer(exe, ['--version'], {}, cache)).exitCode, 3);
      assert.equal((await cachedAnswer(exe, ['--version'], {}, cache)).cached, false);
      const other = tempDir('wc-vc-');
      writeFileSync(path.join(other, 'version-answers.json'), '{not json');
      const { exe: good } = fakeRuntime(dir, '1.2.3');
      assert.equal((await cachedAnswer(good, ['--version'], {}, other)).cached, false);
      assert.equal((await cachedAnswer(good, ['--version'], {}, other)).cached, true);
    });

    it('a runtime adapter detects its version without starting the runtime the second time', async () => {
      const dir = tempDir('wc-vc-');
      const { exe, starts } = fakeRuntime(dir, '30.0.1');
      const previous = process.env.WASM_CONTAINERS_CACHE_DIR;
      process.env.WASM_CONTAINERS_CACHE_DIR = path.join(dir, 'cache');
      try {
        assert.equal(toolCacheDir(), path.join(dir, 'cache'));
        const def = WASM_CLI_DEFINITIONS.find((d) => d.id === 'wasmtime')!;
        const a = await new WasmCliRuntime(def, exe).detect();
        const b = await new WasmCliRuntime(def, exe).detect();
        assert.deepEqual(a, { available: true, version: 'wasmtime 30.0.1' });
        assert.deepEqual(b, a);
        assert.equal(starts(), 1);
      } finally {
        if (previous === undefined) delete process.env.WASM_CONTAINERS_CACHE_DIR;
        else process.env.WASM_CONTAINERS_CACHE_DIR = previous;
      }
    });

    it('a check of an executable is kept when it succeeds, asked again when it fails', async () => {
      const dir = tempDir('wc-vc-');
      const cache = path.join(dir, 'cache');
      const { exe } = fakeRuntime(dir, '30.0.1');
      let checks = 0;
      const ok = () => (checks++, Promise.resolve(undefined));
      const fails = () => (checks++, Promise.resolve('Compilation is not supported!'));
      assert.equal(
        await cachedCheck(exe, ['aot-probe', 'x'], fails, cache),
        'Compilation is not supported!',
      );
      assert.equal(await cachedCheck(exe, ['aot-probe', 'x'], ok, cache), undefined);
      assert.equal(await cachedCheck(exe, ['aot-probe', 'x'], ok, cache), undefined);
      assert.equal(checks, 2, 'the success was kept');
      writeFileSync(exe, readFileSync(exe, 'utf8') + '# upgraded\n');
      await cachedCheck(exe, ['aot-probe', 'x'], ok, cache);
      assert.equal(checks, 3, 'a changed executable is checked again');
    });

    it('a fact computed from a file is kept while the file is unchanged', async () => {
      const dir = tempDir('wc-vc-');
      const cache = path.join(dir, 'cache');
      const file = path.join(dir, 'module.wasm');
      writeFileSync(file, 'v1');
      let computed = 0;
      const size = () => (computed++, Promise.resolve({ bytes: readFileSync(file).length }));
      const nothing = () => (computed++, Promise.resolve(undefined));
      assert.deepEqual(await cachedFileFact(file, ['size'], size, cache), { bytes: 2 });
      assert.deepEqual(await cachedFileFact(file, ['size'], size, cache), { bytes: 2 });
      assert.equal(computed, 1, 'kept');
      writeFileSync(file, 'v2 is longer');
      assert.deepEqual(await cachedFileFact(file, ['size'], size, cache), { bytes: 12 });
      assert.equal(computed, 2, 'a changed file is computed again');
      await cachedFileFact(file, ['other'], nothing, cache);
      await cachedFileFact(file, ['other'], nothing, cache);
      assert.equal(computed, 4, 'an undefined answer is not kept');
    });

    it('answers asked at the same time are all kept', async () => {
      const dir = tempDir('wc-vc-');
      const cache = path.join(dir, 'cache');
      const runtimes = ['a', 'b', 'c'].map((n) => {
        const sub = path.join(dir, n);
        mkdirSync(sub);
        return fakeRuntime(sub, '1.0.0');
      });
      await Promise.all(runtimes.map((r) => cachedAnswer(r.exe, ['--version'], {}, cache)));
      const again = await Promise.all(
        runtimes.map((r) => cachedAnswer(r.exe, ['--version'], {}, cache)),
      );
      assert.deepEqual(
        again.map((r) => r.cached),
        [true, true, true],
      );
    });

    it('the OS cache directory', () => {
      if (process.platform === 'linux') {
        assert.equal(toolCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/wasm-containers');
        assert.match(toolCacheDir({}), /\.cache\/wasm-containers$/);
      }
      assert.equal(toolCacheDir({ WASM_CONTAINERS_CACHE_DIR: '/y' }), '/y');
    });
  },
);
