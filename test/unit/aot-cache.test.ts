import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isCancelled } from '../../src/core/process/errors';
import {
  compileOnce,
  defaultAotCacheDir,
  findPrecompiled,
  type AotCompiler,
} from '../../src/core/runtimes/aot-cache';
import { PROBE_MODULE, probeCompiler } from '../../src/core/runtimes/aot-probe';
import { findExecutable } from '../../src/core/runtimes/find-executable';
import type { AotDefinition } from '../../src/core/runtimes/wasm-cli-definitions';
import { helloWasm, tempDir } from './helpers';

/**
 * The cache mechanics with real programs standing in for a compiler (cp copies the module to the
 * output, install -D writes it into a directory): what the runtimes' real compilers do with it
 * is proven in test/integration/runtime-aot.test.ts.
 */
const tool = (name: string) => {
  const file = findExecutable(name);
  assert.ok(file, `${name} is on PATH (coreutils)`);
  return file;
};
const fileAot: AotDefinition = {
  compileArgs: (input, output) => [input, output],
  output: { kind: 'file', extension: '.copy' },
  runArgs: (spec, precompiled) => [precompiled, ...(spec.args ?? [])],
};
const dirAot: AotDefinition = {
  compileArgs: (input, output) => ['-D', input, path.join(output, 'entry')],
  output: { kind: 'directory' },
  runArgs: (spec, precompiled) => [`-cachedir=${precompiled}`, spec.artifact],
};
const compiler = (file: string, aot = fileAot, version = '1.0.0'): AotCompiler => ({
  runtimeId: 'test',
  file: tool(file),
  version,
  aot,
});
const scratchLeft = (root: string) =>
  readdirSync(root, { recursive: true }).filter((f) => String(f).includes('.tmp-'));

describe('ahead-of-time artifacts: compiled once per module digest, kept in a cache', () => {
  it('compiles once, then reuses the artifact for the same bytes (wherever the module lies)', async () => {
    const root = tempDir('wc-aot-');
    const first = await compileOnce(root, compiler('cp'), helloWasm);
    assert.equal(first.reused, false);
    assert.equal(first.kind, 'file');
    assert.ok(first.path.startsWith(root) && first.path.endsWith('.copy'), first.path);
    assert.deepEqual(readFileSync(first.path), readFileSync(helloWasm));
    assert.equal(first.bytes, statSync(helloWasm).size);
    assert.ok(first.compileMs >= 0);
    assert.deepEqual(
      first.compiler.args,
      [helloWasm, first.path],
      'the compile names the artifact',
    );
    assert.match(first.moduleDigest, /^[0-9a-f]{64}$/);

    const again = await compileOnce(root, compiler('cp'), helloWasm);
    assert.equal(again.reused, true, 'the second prepare compiles nothing');
    assert.equal(again.path, first.path);
    assert.equal(again.compileMs, first.compileMs, 'the compile time of the run that made it');

    const copy = path.join(tempDir(), 'same.wasm');
    copyFileSync(helloWasm, copy);
    const elsewhere = await compileOnce(root, compiler('cp'), copy);
    assert.equal(elsewhere.reused, true, 'keyed by the bytes, not the path');
    assert.equal(elsewhere.module, copy);

    const other = path.join(tempDir(), 'probe.wasm');
    writeFileSync(other, PROBE_MODULE);
    const different = await compileOnce(root, compiler('cp'), other);
    assert.equal(different.reused, false);
    assert.notEqual(different.path, first.path);

    assert.equal(findPrecompiled(root, compiler('cp'), helloWasm)?.path, first.path);
    assert.equal(scratchLeft(root).length, 0);
  });

  it('another compiler version (or binary) compiles again: the key names the compiler', async () => {
    const root = tempDir('wc-aot-');
    const a = await compileOnce(root, compiler('cp', fileAot, '1.0.0'), helloWasm);
    const b = await compileOnce(root, compiler('cp', fileAot, '2.0.0'), helloWasm);
    assert.equal(b.reused, false);
    assert.notEqual(path.dirname(a.path), path.dirname(b.path));
    assert.match(b.path, /test-2\.0\.0-[0-9a-f]{12}/);
    assert.equal(findPrecompiled(root, compiler('cp', fileAot, '3.0.0'), helloWasm), undefined);
  });

  it('concurrent prepares of one module end with one artifact and no half-written folder', async () => {
    const root = tempDir('wc-aot-');
    const all = await Promise.all(
      [1, 2, 3].map(() => compileOnce(root, compiler('cp'), helloWasm)),
    );
    assert.equal(new Set(all.map((a) => a.path)).size, 1);
    assert.deepEqual(readFileSync(all[0].path), readFileSync(helloWasm));
    assert.equal(scratchLeft(root).length, 0);
  });

  it('a compilation cache directory (wazero) is measured as a whole', async () => {
    const root = tempDir('wc-aot-');
    const a = await compileOnce(root, compiler('install', dirAot), helloWasm);
    assert.equal(a.kind, 'directory');
    assert.ok(statSync(a.path).isDirectory());
    assert.deepEqual(readdirSync(a.path), ['entry']);
    assert.equal(a.bytes, statSync(helloWasm).size);
    assert.equal((await compileOnce(root, compiler('install', dirAot), helloWasm)).reused, true);
  });

  it('a compiler that fails, or writes nothing, is an error that says so; nothing is cached', async () => {
    const root = tempDir('wc-aot-');
    await assert.rejects(
      compileOnce(root, compiler('false'), helloWasm),
      /false could not compile hello\.wasm ahead of time \(exit 1\)/,
    );
    await assert.rejects(
      compileOnce(root, compiler('true'), helloWasm),
      /true could not compile hello\.wasm ahead of time \(exit 0\): no output/,
    );
    assert.equal(findPrecompiled(root, compiler('false'), helloWasm), undefined);
    assert.equal(scratchLeft(root).length, 0);
  });

  it('a cancelled compile stops the compiler and leaves nothing behind', async () => {
    const root = tempDir('wc-aot-');
    const slow: AotDefinition = { ...fileAot, compileArgs: () => ['600'] };
    const controller = new AbortController();
    const pending = compileOnce(root, compiler('sleep', slow), helloWasm, {
      signal: controller.signal,
    });
    // the scratch folder exists once the compiler runs
    while (scratchLeft(root).length === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    await assert.rejects(pending, (e) => isCancelled(e));
    assert.equal(scratchLeft(root).length, 0);
    assert.equal(findPrecompiled(root, compiler('sleep', slow), helloWasm), undefined);
  });

  it('the compiler probe: a compiler that compiles passes, one that refuses says what it answered', async () => {
    assert.equal(await probeCompiler(compiler('cp')), undefined);
    assert.match((await probeCompiler(compiler('false')))!, /could not compile probe\.wasm/);
  });

  it("the cache lives in the user's cache directory unless WASM_CONTAINERS_AOT_CACHE names one", () => {
    const saved = process.env.WASM_CONTAINERS_AOT_CACHE;
    try {
      delete process.env.WASM_CONTAINERS_AOT_CACHE;
      assert.match(defaultAotCacheDir(), /wasm-containers[/\\]aot$/);
      process.env.WASM_CONTAINERS_AOT_CACHE = '/srv/aot';
      assert.equal(defaultAotCacheDir(), '/srv/aot');
    } finally {
      if (saved === undefined) delete process.env.WASM_CONTAINERS_AOT_CACHE;
      else process.env.WASM_CONTAINERS_AOT_CACHE = saved;
    }
  });
});
