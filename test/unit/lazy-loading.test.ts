import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { helloDir, helloNative, helloWasm, repoRoot, tempDir } from './helpers';

// A preload that records every module Node's CommonJS loader is asked for, resolved to its file.
const TRACER = `
const Module = require('node:module');
const load = Module._load;
const seen = new Set();
Module._load = function (request, parent, isMain) {
  try { seen.add(Module._resolveFilename(request, parent, isMain)); } catch { seen.add(request); }
  return load.apply(this, arguments);
};
process.on('exit', () => require('node:fs').writeFileSync(process.env.WC_TRACE_OUT, [...seen].join('\\n')));
`;

/** What `node dist/cli.js ARGS` loads: our bundles (by name), other files, and Node's built-ins. */
function loadedBy(args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir();
  const tracer = path.join(dir, 'trace.cjs');
  writeFileSync(tracer, TRACER);
  const out = path.join(dir, 'loaded.txt');
  const run = spawnSync(
    process.execPath,
    ['-r', tracer, path.join(repoRoot, 'dist/cli.js'), ...args],
    {
      env: { ...process.env, ...env, WC_TRACE_OUT: out },
      cwd: dir,
      encoding: 'utf8',
    },
  );
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const files = readFileSync(out, 'utf8').split('\n');
  const dist = path.join(repoRoot, 'dist') + path.sep;
  return {
    bundles: files.filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length)),
    others: files.filter((f) => !isBuiltin(f) && !f.startsWith(dist)),
    builtins: files.filter((f) => isBuiltin(f)).map((f) => f.replace(/^node:/, '')),
  };
}

describe('the CLI loads only what a command needs', () => {
  it('--version loads the dispatcher alone', () => {
    const loaded = loadedBy(['--version']);
    assert.deepEqual(loaded.bundles, ['cli.js']);
    assert.deepEqual(loaded.others, []);
  });

  it('inspect loads its own bundle and no engine client or network module', () => {
    const loaded = loadedBy(['inspect', helloWasm]);
    assert.deepEqual(loaded.bundles, ['cli.js', 'cli-inspect.js']);
    assert.deepEqual(
      loaded.others,
      [],
      'nothing outside the bundles (dockerode, ssh2, protobufjs…)',
    );
    // (child_process it does load: the verdicts ask the runtimes installed for their versions)
    for (const builtin of ['http', 'https', 'net', 'tls', 'http2', 'worker_threads', 'zlib'])
      assert.ok(!loaded.builtins.includes(builtin), `inspect loaded ${builtin}`);
  });

  it('a profile of processes never loads the engines’ client', () => {
    const loaded = loadedBy([
      'profile',
      helloDir,
      '--runs',
      '1',
      '--warmup',
      '0',
      '--results-dir',
      tempDir(),
    ]);
    // and the spec schema's validator, generated at build time (scripts/schema-validators.mjs)
    assert.deepEqual(loaded.bundles, ['cli.js', 'cli-profile.js', 'schema-profile.js']);
    assert.deepEqual(loaded.others, []);
  });

  it('a spec of processes, its image size known, loads no OCI writer, Dockerfile parser or crypto', () => {
    const dir = tempDir();
    const spec = path.join(dir, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        runs: 2,
        warmup: 0,
        targets: [{ id: 'process', runtime: 'process', artifact: helloNative }],
      }),
    );
    const args = ['profile', spec, '--results-dir', path.join(dir, 'runs')];
    const env = { WASM_CONTAINERS_CACHE_DIR: path.join(dir, 'cache') };
    loadedBy(args, env); // the first computes the image size (and keeps it)
    const loaded = loadedBy(args, env);
    assert.deepEqual(loaded.bundles, ['cli.js', 'cli-profile.js', 'schema-profile.js']);
    for (const builtin of ['zlib', 'worker_threads', 'crypto', 'http', 'https', 'tls'])
      assert.ok(!loaded.builtins.includes(builtin), `the profile loaded ${builtin}`);
  });

  it('runtimes (which asks the engines) loads the engines’ client on first use', () => {
    const loaded = loadedBy(['runtimes', '--json']);
    assert.deepEqual(loaded.bundles, ['cli.js', 'cli-run.js', 'vendor-dockerode.js']);
  });
});
