import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CatalogJson } from '../../../src/core/runtimes/runtime-report';
import type { ProfileModuleResult } from '../../../src/extension/commands/profile-module';
import type { RunModuleResult } from '../../../src/extension/commands/run-module';
import type { WasmContainersApi } from '../../../src/extension/extension';
import { EXT_ID } from './manifest';

/**
 * The runtime the user chose is the one that runs and profiles: Run With… each real runtime CLI
 * (wasmtime, wazero, wasmer, built by scripts/setup-runtimes.sh), Profile Against Native after the
 * choice, Profile Across Wasm Runtimes. A runtime that is not installed skips with its reason,
 * unless REQUIRE_RUNTIMES=1 (CI), where it fails.
 */
const REAL_RUNTIMES = ['wasmtime', 'wazero', 'wasmer'] as const;

const workspace = () => vscode.workspace.workspaceFolders![0].uri;
const hello = () => vscode.Uri.joinPath(workspace(), 'hello.wasm');
type RuntimeJson = CatalogJson['runtimes'][number];

async function moduleRuntimes(): Promise<RuntimeJson[]> {
  const catalog = await vscode.commands.executeCommand<CatalogJson>(
    'wasmContainers.runtimes.refresh',
  );
  return catalog.runtimes.filter((r) => r.runs === 'wasm' && r.kind === 'process');
}

/** The runtime's catalog entry when it is available here; else a skip (a failure in CI). */
async function availableOr(ctx: Mocha.Context, id: string): Promise<RuntimeJson> {
  const runtime = (await moduleRuntimes()).find((r) => r.id === id);
  if (runtime?.available) return runtime;
  const reason = `${id} is not available here: ${runtime?.reason ?? 'not in the catalog'}`;
  if (process.env.REQUIRE_RUNTIMES === '1') throw new Error(`REQUIRE_RUNTIMES=1 but ${reason}`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

async function profileAgainstNative(uri: vscode.Uri): Promise<ProfileModuleResult> {
  const result = await vscode.commands.executeCommand<ProfileModuleResult>(
    'wasmContainers.profile.run',
    uri,
  );
  assert.equal(result.status, 'complete', JSON.stringify(result).slice(0, 500));
  return result;
}

const targetIds = (result: ProfileModuleResult) =>
  result.status === 'complete' ? result.result.targets.map((t) => t.id) : [];

describe('the runtime the user chose', () => {
  const config = () => vscode.workspace.getConfiguration('wasmContainers');
  afterEach(async () => {
    await config().update('runtime.default', undefined, vscode.ConfigurationTarget.Global);
    await config().update('runtime.paths', undefined, vscode.ConfigurationTarget.Global);
  });

  // before any "Run With…" in this workspace: the setting decides
  it('a default runtime that cannot run here: Profile Against Native says so and profiles Node WASI', async () => {
    await config().update(
      'runtime.paths',
      { wasmedge: '/nonexistent/wasmedge' },
      vscode.ConfigurationTarget.Global,
    );
    await config().update('runtime.default', 'wasmedge', vscode.ConfigurationTarget.Global);
    const result = await profileAgainstNative(hello());
    assert.deepEqual(targetIds(result), ['wasm-node-wasi', 'native-process']);
    assert.equal(result.runtimes?.source, 'fallback');
    assert.equal(result.runtimes?.runtimes[0].id, 'node-wasi');
  });

  it('wasmContainers.runtime.default decides when nothing was chosen yet', async function () {
    const runtime =
      (await moduleRuntimes()).find(
        (r) => r.available && (REAL_RUNTIMES as readonly string[]).includes(r.id),
      ) ?? (await availableOr(this, 'wasmtime'));
    await config().update('runtime.default', runtime.id, vscode.ConfigurationTarget.Global);
    const result = await profileAgainstNative(hello());
    assert.deepEqual(targetIds(result), [`wasm-${runtime.id}`, 'native-process']);
    assert.equal(result.runtimes?.source, 'setting');
    if (result.status === 'complete')
      assert.ok(
        result.result.settings.name?.includes(runtime.displayName),
        `the result names ${runtime.displayName}: ${result.result.settings.name}`,
      );
  });

  for (const id of REAL_RUNTIMES) {
    it(`Run With… ${id} runs hello.wasm under ${id}, and Run remembers the choice`, async function () {
      await availableOr(this, id);
      const picked = await vscode.commands.executeCommand<RunModuleResult>(
        'wasmContainers.module.runWith',
        hello(),
        { runtime: id },
      );
      assert.equal(picked.status, 'finished', JSON.stringify(picked));
      if (picked.status !== 'finished') return;
      assert.equal(picked.outcome.runtime, id);
      assert.equal(picked.outcome.exitCode, 0);
      assert.equal(picked.outcome.stdout, 'Hello from a Wasm container!\n');
      const again = await vscode.commands.executeCommand<RunModuleResult>(
        'wasmContainers.module.run',
        hello(),
      );
      assert.equal(again.status, 'finished');
      if (again.status === 'finished') assert.equal(again.outcome.runtime, id);
    });

    it(`Profile Against Native after choosing ${id} profiles ${id}`, async function () {
      const runtime = await availableOr(this, id);
      await vscode.commands.executeCommand('wasmContainers.module.runWith', hello(), {
        runtime: id,
      });
      const result = await profileAgainstNative(hello());
      assert.deepEqual(targetIds(result), [`wasm-${id}`, 'native-process']);
      assert.deepEqual(result.runtimes, {
        runtimes: [{ id, displayName: runtime.displayName, version: runtime.version }],
        source: 'remembered',
      });
      if (result.status !== 'complete') return;
      const wasm = result.result.targets[0];
      assert.equal(wasm.runtime, id);
      assert.equal(wasm.summary.failures, 0, JSON.stringify(wasm.samples.map((s) => s.error)));
      assert.equal(wasm.samples.length, 3, 'wasmContainers.profile.runs = 3 in the test settings');
    });
  }

  it('the Dockerfile lens profiles the chosen runtime too', async function () {
    const chosen = (await moduleRuntimes()).find(
      (r) => r.available && (REAL_RUNTIMES as readonly string[]).includes(r.id),
    );
    if (!chosen) {
      await availableOr(this, 'wasmtime');
      return;
    }
    await vscode.commands.executeCommand('wasmContainers.module.runWith', hello(), {
      runtime: chosen.id,
    });
    // a folder of its own: no Dockerfile.native (no image build), the native twin beside the module
    const dir = path.join(workspace().fsPath, 'lens');
    mkdirSync(dir, { recursive: true });
    for (const f of ['hello.wasm', 'hello'])
      copyFileSync(path.join(workspace().fsPath, f), path.join(dir, f));
    const dockerfile = vscode.Uri.file(path.join(dir, 'Dockerfile'));
    await vscode.workspace.fs.writeFile(
      dockerfile,
      Buffer.from(
        'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n',
      ),
    );
    await vscode.window.showTextDocument(dockerfile);
    const lens = (
      await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        dockerfile,
      )
    ).find((l) => l.command?.command === 'wasmContainers.profile.run')?.command;
    assert.ok(lens, 'a Profile against native lens above FROM');
    const result = await vscode.commands.executeCommand<ProfileModuleResult>(
      lens.command,
      ...((lens.arguments ?? []) as unknown[]),
    );
    assert.equal(result.status, 'complete', JSON.stringify(result).slice(0, 500));
    assert.deepEqual(targetIds(result), [`wasm-${chosen.id}`, 'native-process']);
    assert.equal(result.runtimes?.source, 'remembered');
  });
});

describe('Profile Across Wasm Runtimes', () => {
  it('profiles every available Wasm runtime (JIT and AOT) and the native twin in one run, in the panel', async () => {
    const available = (await moduleRuntimes()).filter((r) => r.available).map((r) => r.id);
    const result = await vscode.commands.executeCommand<ProfileModuleResult>(
      'wasmContainers.profile.runAcrossRuntimes',
      hello(),
    );
    assert.equal(result.status, 'complete', JSON.stringify(result).slice(0, 500));
    if (result.status !== 'complete') return;
    assert.deepEqual(targetIds(result), [...available.map((id) => `wasm-${id}`), 'native-process']);
    assert.equal(result.runtimes?.source, 'all');
    for (const t of result.result.targets)
      assert.equal(
        t.summary.failures,
        0,
        `${t.id}: ${JSON.stringify(t.samples.map((s) => s.error))}`,
      );
    assert.deepEqual(
      result.result.comparisons.map((c) => [c.target, c.reference]),
      available.map((id) => [`wasm-${id}`, 'native-process']),
    );
    for (const id of REAL_RUNTIMES.filter((r) => !available.includes(r)))
      if (process.env.REQUIRE_RUNTIMES === '1')
        assert.fail(`REQUIRE_RUNTIMES=1 but ${id} is not among ${available.join(', ')}`);
    // the profiling panel shows this run
    const state = await vscode.commands.executeCommand<{
      result?: { id: string; targets: Array<{ id: string }> };
    }>('wasmContainers.profile.showPanel');
    assert.equal(state.result?.id, result.result.id);
  });

  it('is in the palette, the explorer menu of .wasm files and Dockerfiles, and a Dockerfile lens', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const pkg = ext.packageJSON as {
      contributes: {
        commands: Array<{ command: string; title: string }>;
        menus: Record<string, Array<{ command: string; when?: string }>>;
      };
    };
    const id = 'wasmContainers.profile.runAcrossRuntimes';
    assert.equal(
      pkg.contributes.commands.find((c) => c.command === id)?.title,
      'Profile Across Wasm Runtimes',
    );
    assert.ok((await vscode.commands.getCommands(true)).includes(id));
    // the explorer's "Wasm Containers" submenu, on .wasm files and Dockerfiles
    const whens = pkg.contributes.menus['wasmContainers.explorer']
      .filter((m) => m.command === id)
      .map((m) => m.when ?? '');
    assert.ok(
      whens.some((w) => w.includes('.wasm')),
      whens.join(' | '),
    );
    assert.ok(
      whens.some((w) => w.includes('Dockerfile')),
      whens.join(' | '),
    );
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      vscode.Uri.joinPath(workspace(), 'Dockerfile'),
    );
    assert.ok(lenses.some((l) => l.command?.command === id));
  });
});

describe('the Runtimes view', () => {
  for (const id of REAL_RUNTIMES) {
    it(`shows ${id} with its version`, async function () {
      const runtime = await availableOr(this, id);
      const api = vscode.extensions.getExtension<WasmContainersApi>(EXT_ID)!.exports;
      const rows = await api.runtimesViewRows();
      const row = rows.find((r) => r.id === id);
      assert.ok(row, `${id} among ${rows.map((r) => r.id).join(', ')}`);
      assert.equal(row.group, 'Wasm runtimes');
      assert.equal(row.label, runtime.displayName);
      assert.match(row.description ?? '', /\d+\.\d+/);
      assert.equal(row.description, runtime.version);
    });
  }
});
