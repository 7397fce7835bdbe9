import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { helloWasm, repoRoot, tempDir } from './helpers';

const cli = path.join(repoRoot, 'dist/cli.js');
const inspect = (env: NodeJS.ProcessEnv) =>
  runProcess(process.execPath, [cli, 'inspect', helloWasm, '--json'], {
    env: { ...process.env, ...env },
    check: true,
  });

describe("the CLI's V8 code cache", () => {
  it('is written once per bundle, then used; a damaged one is replaced; output unchanged', async () => {
    const cacheDir = tempDir();
    const v8 = path.join(cacheDir, 'v8');
    const plain = await inspect({
      WASM_CONTAINERS_CODE_CACHE: '0',
      WASM_CONTAINERS_CACHE_DIR: cacheDir,
    });
    assert.throws(() => readdirSync(v8), 'off: nothing cached');
    const first = await inspect({ WASM_CONTAINERS_CACHE_DIR: cacheDir });
    const [file, ...more] = readdirSync(v8);
    assert.ok(file, 'the inspect bundle was cached');
    assert.deepEqual(more, [], 'one file: the bundle the command loaded');
    // named by the bundle's content hash and the Node that compiled it
    assert.match(file, new RegExp(`^cli-inspect-[0-9a-f]{16}-node${process.version}-`));
    const written = statSync(path.join(v8, file)).mtimeMs;
    const second = await inspect({ WASM_CONTAINERS_CACHE_DIR: cacheDir });
    assert.equal(statSync(path.join(v8, file)).mtimeMs, written, 'accepted, so not rewritten');
    // a damaged cache is rejected by V8: the bundle loads from source and the cache is rewritten
    writeFileSync(path.join(v8, file), Buffer.from('not a code cache'));
    const third = await inspect({ WASM_CONTAINERS_CACHE_DIR: cacheDir });
    const rewritten = readFileSync(path.join(v8, file));
    assert.ok(rewritten.length > 1000 && !rewritten.toString().startsWith('not a'), 'rewritten');
    const facts = (out: string) => {
      const { file: _file, ...rest } = JSON.parse(out) as Record<string, unknown>;
      return rest;
    };
    for (const r of [first, second, third]) assert.deepEqual(facts(r.stdout), facts(plain.stdout));
  });
});
