import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { RUNTIME_ENV } from '../../src/cli/default-runtime';
import { runProcess } from '../../src/core/process/run-process';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import type { ProfileSpecFile } from '../../src/core/profile/spec';
import type { CatalogJson } from '../../src/core/runtimes/runtime-report';
import { helloDir, parseJson, repoRoot, tempDir } from '../unit/helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const REQUIRED = new Set(['wasmtime', 'wazero', 'wasmer']);

/** The CLI run with `env` on top of this process's environment, minus the default runtime. */
function runCli(args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base[RUNTIME_ENV];
  return runProcess(process.execPath, [cli, ...args], { env: { ...base, ...env } });
}

async function moduleRuntimes() {
  const r = await runCli(['runtimes', '--json']);
  return parseJson<CatalogJson>(r.stdout).runtimes.filter(
    (x) => x.runs === 'wasm' && x.kind === 'process',
  );
}

/** A profile of hello.wasm with one measured run per target, as JSON. */
async function profile(extra: string[], env?: Record<string, string>) {
  const dir = tempDir();
  const r = await runCli(
    ['profile', helloDir, '--runs', '1', '--warmup', '0', '--results-dir', dir, '--json', ...extra],
    env,
  );
  assert.equal(r.exitCode, 0, r.stderr);
  return { stderr: r.stderr, result: parseJson<ProfileResult>(r.stdout) };
}

async function availableOrSkip(t: TestContext, id: string): Promise<boolean> {
  const r = (await moduleRuntimes()).find((x) => x.id === id);
  if (r?.available) return true;
  const reason = `${id} is not available here: ${r?.reason ?? 'not in the catalog'}`;
  if (process.env.REQUIRE_RUNTIMES === '1' && REQUIRED.has(id))
    throw new Error(`REQUIRE_RUNTIMES=1 but ${reason}`);
  t.skip(reason);
  return false;
}

describe('the CLI profile without --runtime', () => {
  it('uses Node WASI by default and says so', async () => {
    const { stderr, result } = await profile([]);
    assert.match(stderr, /^Wasm runtime: Node\.js WASI .* \(node-wasi\), from the default/m);
    assert.deepEqual(
      result.targets.map((t) => t.id),
      ['wasm-node-wasi', 'native-process'],
    );
  });

  it(`takes $${RUNTIME_ENV} (wasmtime) and says so`, async (t) => {
    if (!(await availableOrSkip(t, 'wasmtime'))) return;
    const { stderr, result } = await profile([], { [RUNTIME_ENV]: 'wasmtime' });
    assert.match(
      stderr,
      new RegExp(`^Wasm runtime: Wasmtime .* \\(wasmtime\\), from ${RUNTIME_ENV}`, 'm'),
    );
    assert.deepEqual(
      result.targets.map((t) => t.id),
      ['wasm-wasmtime', 'native-process'],
    );
    assert.equal(result.targets[0].summary.failures, 0);
  });

  it(`$${RUNTIME_ENV} naming a runtime that cannot run here falls back to Node WASI, with a note`, async () => {
    const { stderr, result } = await profile([], { [RUNTIME_ENV]: 'no-such-runtime' });
    assert.match(stderr, new RegExp(`^Note: ${RUNTIME_ENV}=no-such-runtime cannot run here`, 'm'));
    assert.equal(result.targets[0].id, 'wasm-node-wasi');
  });

  it('--runtime all profiles every available Wasm runtime and the native twin in one run', async () => {
    const available = (await moduleRuntimes()).filter((r) => r.available).map((r) => r.id);
    const { stderr, result } = await profile(['--runtime', 'all']);
    assert.match(stderr, /^Wasm runtimes \(--runtime all\): /m);
    assert.deepEqual(
      result.targets.map((t) => t.id),
      [...available.map((id) => `wasm-${id}`), 'native-process'],
    );
    for (const t of result.targets)
      assert.equal(
        t.summary.failures,
        0,
        `${t.id}: ${JSON.stringify(t.samples.map((s) => s.error))}`,
      );
  });
});

describe('wasm-containers init', () => {
  it('writes a spec listing every Wasm runtime detected', async () => {
    const dir = tempDir();
    copyFileSync(path.join(helloDir, 'hello.wasm'), path.join(dir, 'hello.wasm'));
    copyFileSync(path.join(helloDir, 'hello'), path.join(dir, 'hello'));
    const available = (await moduleRuntimes()).filter((r) => r.available).map((r) => r.id);
    const r = await runCli(['init', dir]);
    assert.equal(r.exitCode, 0, r.stderr);
    const spec = parseJson<ProfileSpecFile>(
      readFileSync(path.join(dir, 'wasm-containers.profile.json')),
    );
    assert.deepEqual(
      spec.targets.map((t) => t.runtime),
      [...available, 'process'],
    );
    assert.equal(spec.reference, 'native-process');
  });
});
