// The CLI words core's hints in its own terms: flags and environment variables, never an editor
// setting (the CLI reads none). Real runs of dist/cli.js against this machine's runtimes.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import type { CatalogJson } from '../../src/core/runtimes/runtime-report';
import { helloWasm, parseJson, repoRoot, tempDir } from '../unit/helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const EDITOR_SETTING = /wasmContainers\.|runtime\.paths|node\.path|docker\.host/;

/** A PATH with no Wasm runtime CLI on it (only what `node` itself needs is not looked up on PATH). */
const bareEnv = () => ({
  ...process.env,
  PATH: tempDir('wc-empty-path-'),
  DOCKER_HOST: `unix://${path.join(tempDir(), 'absent.sock')}`,
  WASM_CONTAINERS_RUNTIME_PATHS: '',
});

describe('runtime hints on the command line', () => {
  it('runtimes names no editor setting; a missing CLI gets --runtime-path and the environment variable', async () => {
    const r = await runProcess(process.execPath, [cli, 'runtimes'], {
      env: bareEnv(),
      timeoutMs: 60_000,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, EDITOR_SETTING);
    assert.match(r.stdout, /^ {2}wasmtime: wasmtime is not on PATH\. Install Wasmtime/m);
    assert.match(
      r.stdout,
      /→ if it is installed elsewhere, name it with --runtime-path wasmtime=PATH \(or WASM_CONTAINERS_RUNTIME_PATHS=wasmtime=PATH\)/,
    );
    assert.match(r.stdout, /→ .*set DOCKER_HOST to its address/);
  });

  it('runtimes --json carries the hints as data, and no setting name', async () => {
    const r = await runProcess(process.execPath, [cli, 'runtimes', '--json'], {
      env: bareEnv(),
      timeoutMs: 60_000,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.doesNotMatch(r.stdout, EDITOR_SETTING);
    const json = parseJson<CatalogJson>(r.stdout);
    const wasmtime = json.runtimes.find((x) => x.id === 'wasmtime');
    assert.ok(wasmtime && !wasmtime.available);
    assert.deepEqual(wasmtime.hints[0], { kind: 'set-path', runtime: 'wasmtime' });
    assert.equal(wasmtime.hints[1]?.kind, 'install');
    assert.deepEqual(
      json.runtimes.find((x) => x.id === 'wasmtime-aot')?.hints[0],
      { kind: 'set-path', runtime: 'wasmtime' },
      'the AOT variant is named by its runtime',
    );
    assert.deepEqual(json.runtimes.find((x) => x.id === 'node-wasi')?.hints, []);
    assert.equal(json.engines[0]?.hints[0]?.kind, 'engine-address');
  });

  it('--runtime-path and WASM_CONTAINERS_RUNTIME_PATHS name an executable off PATH (the flag wins)', async () => {
    // a stand-in wasmtime that answers --version as wasmtime does: detection is what is tested
    const dir = tempDir('wc-fake-wasmtime-');
    const fake = path.join(dir, 'my-wasmtime');
    writeFileSync(fake, '#!/bin/sh\necho "wasmtime 99.0.1 (0000000 2030-01-01)"\n');
    chmodSync(fake, 0o755);
    const list = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await runProcess(process.execPath, [cli, 'runtimes', '--json', ...args], {
        env: { ...bareEnv(), ...extra },
        timeoutMs: 60_000,
      });
      assert.equal(r.exitCode, 0, r.stderr);
      return parseJson<CatalogJson>(r.stdout).runtimes.find((x) => x.id === 'wasmtime');
    };
    const flagged = await list(['--runtime-path', `wasmtime=${fake}`]);
    assert.equal(flagged?.available, true, flagged?.reason);
    assert.equal(flagged?.version, 'wasmtime 99.0.1');
    const fromEnv = await list([], {
      WASM_CONTAINERS_RUNTIME_PATHS: `wasmer=/x, wasmtime=${fake}`,
    });
    assert.equal(fromEnv?.available, true, fromEnv?.reason);
    const flagWins = await list(['--runtime-path', 'wasmtime=/nonexistent/wasmtime'], {
      WASM_CONTAINERS_RUNTIME_PATHS: `wasmtime=${fake}`,
    });
    assert.equal(flagWins?.available, false);
    assert.match(flagWins?.reason ?? '', /\/nonexistent\/wasmtime is not an executable file/);
  });

  it('run under a missing runtime says how to name it, in flags', async () => {
    const r = await runProcess(
      process.execPath,
      [
        cli,
        'run',
        helloWasm,
        '--runtime',
        'wasmer',
        '--runtime-path',
        'wasmer=/nonexistent/wasmer',
      ],
      { env: bareEnv(), timeoutMs: 60_000 },
    );
    assert.equal(r.exitCode, 1);
    assert.match(
      r.stderr,
      /Wasmer is not available: \/nonexistent\/wasmer is not an executable file/,
    );
    assert.match(r.stderr, /--runtime-path wasmer=PATH/);
    assert.doesNotMatch(r.stderr, EDITOR_SETTING);
  });

  it('a malformed --runtime-path is a usage error', async () => {
    const r = await runProcess(process.execPath, [cli, 'runtimes', '--runtime-path', 'wasmtime'], {
      env: bareEnv(),
      timeoutMs: 60_000,
    });
    assert.equal(r.exitCode, 2, r.stderr);
    assert.match(r.stderr, /--runtime-path expects ID=PATH/);
  });
});
