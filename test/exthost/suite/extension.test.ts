import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ProfileSpecFile } from '../../../src/core/profile/spec';
import type { CatalogJson } from '../../../src/core/runtimes/runtime-report';
import type { ProfileCommandResult } from '../../../src/extension/commands/profile-progress';
import type { RunModuleResult } from '../../../src/extension/commands/run-module';
import type { WasmContainersApi } from '../../../src/extension/extension';

import { EXT_ID, extensionManifest } from './manifest';
import { waitFor } from './wait';
const workspace = () => vscode.workspace.workspaceFolders![0].uri;
const hello = () => vscode.Uri.joinPath(workspace(), 'hello.wasm');

describe('Wasm Containers in a real extension host', () => {
  it('is installed, runs in a Node extension host, and activates lazily', () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, 'extension not found');
    assert.equal(ext.isActive, false, 'nothing should have activated it yet');
    console.log(
      `    vscode ${vscode.version}, node ${process.versions.node}, remote ${vscode.env.remoteName}, uiKind ${vscode.env.uiKind}`,
    );
  });

  it('contributes "Run as Wasm Container" to the explorer context menu of .wasm files only', () => {
    const pkg = extensionManifest();
    const entry = pkg.contributes.menus['explorer/context'].find(
      (m) => m.command === 'wasmContainers.module.run',
    );
    assert.equal(entry?.when, 'resourceExtname == .wasm');
    assert.equal(
      pkg.contributes.commands.find((c) => c.command === 'wasmContainers.module.run')?.title,
      'Run as Wasm Container',
    );
  });

  it('wasmContainers.module.run runs hello.wasm under Node WASI in its own process, output in a terminal', async () => {
    const result = await vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.module.run',
      hello(),
    );
    assert.equal(result.status, 'finished');
    if (result.status !== 'finished') return;
    assert.equal(result.outcome.exitCode, 0, result.outcome.stderr);
    assert.equal(result.outcome.stdout, 'Hello from a Wasm container!\n');
    assert.equal(result.outcome.runtime, 'node-wasi');
    assert.notEqual(Number(result.outcome.id), process.pid);
    assert.ok(
      vscode.window.terminals.some((t) => t.name === 'Wasm: hello.wasm (node-wasi)'),
      vscode.window.terminals.map((t) => t.name).join(', '),
    );
    assert.ok(vscode.extensions.getExtension(EXT_ID)!.isActive);
  });

  it('has loaded neither the engines’ client nor the language client: they load on first use', () => {
    // the bundles scripts/build.mjs makes of dockerode (with ssh2, gRPC) and vscode-languageclient
    const loaded = Object.keys(require.cache).map((f) => f.split(/[\\/]/).pop());
    assert.ok(loaded.includes('extension.js'), 'the extension is active');
    assert.ok(
      !loaded.includes('vendor-dockerode.js'),
      'dockerode was loaded without an engine in use',
    );
    assert.ok(
      !loaded.includes('vendor-languageclient.js'),
      'the language client was loaded without a Dockerfile open',
    );
  });

  it('reports what its activation cost: code loading and activate(), from the bundle’s first line', () => {
    const api = vscode.extensions.getExtension<WasmContainersApi>(EXT_ID)!.exports;
    const { loadMs, hostMs, activateMs } = api.activation;
    // the bundle's banner line is there (a build without it would report no load time)
    assert.ok(loadMs !== undefined && Number.isFinite(loadMs) && loadMs >= 0, String(loadMs));
    assert.ok(hostMs !== undefined && Number.isFinite(hostMs) && hostMs >= 0, String(hostMs));
    assert.ok(Number.isFinite(activateMs) && activateMs >= 0, String(activateMs));
    // a figure, not a limit: timings belong to benchmarks
    console.log(
      `    activation: code ${loadMs.toFixed(1)} ms, host ${hostMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms`,
    );
  });

  it('passes wasmContainers.run.args and reports the module exit code (exit 3 → 3)', async () => {
    const config = vscode.workspace.getConfiguration('wasmContainers');
    await config.update('run.args', ['exit', '3'], vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<RunModuleResult>(
        'wasmContainers.module.run',
        hello(),
      );
      assert.equal(result.status, 'finished');
      if (result.status === 'finished') assert.equal(result.outcome.exitCode, 3);
    } finally {
      await config.update('run.args', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a module that cannot run reports why instead of hanging', async () => {
    const bad = vscode.Uri.joinPath(workspace(), 'broken.wasm');
    await vscode.workspace.fs.writeFile(bad, Buffer.from('this is not wasm'));
    const result = await vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.module.run',
      bad,
    );
    assert.equal(result.status, 'finished');
    if (result.status !== 'finished') return;
    assert.equal(result.outcome.exitCode, 125);
    assert.match(result.outcome.stderr, /not a WebAssembly binary/);
  });

  it("what is typed in the run terminal is the module's stdin (cat.wasm echoes it; Ctrl-D ends it)", async () => {
    const compiled = await vscode.commands.executeCommand<{ status: string; message?: string }>(
      'wasmContainers.wat.compile',
      vscode.Uri.joinPath(workspace(), 'cat.wat'),
    );
    assert.equal(compiled.status, 'compiled', compiled.message);
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => {
        if (t.name.startsWith('Wasm: cat.wasm')) {
          sub.dispose();
          resolve(t);
        }
      });
    });
    const run = vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.module.run',
      vscode.Uri.joinPath(workspace(), 'cat.wasm'),
    );
    const terminal = await opened;
    terminal.sendText('typed in the terminal'); // a line and Enter
    terminal.sendText('\x04', false); // Ctrl-D on an empty line: end of input
    const result = await run;
    assert.equal(result.status, 'finished');
    if (result.status !== 'finished') return;
    assert.equal(result.outcome.exitCode, 0, result.outcome.stderr);
    assert.equal(result.outcome.stdout, 'typed in the terminal\n');
  });

  it('wasmContainers.native.run runs the native twin beside the module', async () => {
    const result = await vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.native.run',
      hello(),
    );
    assert.equal(result.status, 'finished');
    if (result.status === 'finished') {
      assert.equal(result.outcome.runtime, 'process');
      assert.equal(result.outcome.stdout, 'Hello from a Wasm container!\n');
    }
  });

  it('a runtime not installed is refused with the reason and its hints, not faked', async () => {
    // WasmEdge named at a path that does not exist: missing here whatever the machine has
    const config = vscode.workspace.getConfiguration('wasmContainers');
    await config.update(
      'runtime.paths',
      { wasmedge: '/nonexistent/wasmedge' },
      vscode.ConfigurationTarget.Global,
    );
    try {
      const catalog = await vscode.commands.executeCommand<CatalogJson>(
        'wasmContainers.runtimes.refresh',
      );
      assert.ok(
        catalog.runtimes.some((r) => r.id === 'wasmtime'),
        'wasmtime is listed',
      );
      assert.equal(catalog.runtimes.find((r) => r.id === 'node-wasi')?.available, true);
      assert.equal(catalog.runtimes.find((r) => r.id === 'process')?.available, true);
      const missing = catalog.runtimes.find((r) => r.id === 'wasmedge');
      assert.equal(missing?.available, false);
      const result = await vscode.commands.executeCommand<RunModuleResult>(
        'wasmContainers.module.run',
        hello(),
        { runtime: 'wasmedge' },
      );
      assert.equal(result.status, 'error');
      if (result.status !== 'error') return;
      assert.match(result.message, /^WasmEdge is not available: .*\/nonexistent\/wasmedge/);
      // the notification's buttons come from these: the path setting that names WasmEdge
      assert.deepEqual(result.hints, missing.hints);
      assert.deepEqual(result.hints?.[0], {
        kind: 'set-path',
        runtime: 'wasmedge',
        configured: '/nonexistent/wasmedge',
      });
    } finally {
      await config.update('runtime.paths', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('wasmContainers.profile.run profiles the module against its native twin and stores every sample', async () => {
    const result = await vscode.commands.executeCommand<ProfileCommandResult>(
      'wasmContainers.profile.run',
      hello(),
    );
    assert.equal(result.status, 'complete', JSON.stringify(result).slice(0, 500));
    if (result.status !== 'complete') return;
    assert.deepEqual(
      result.result.targets.map((t) => t.id),
      ['wasm-node-wasi', 'native-process'],
    );
    for (const t of result.result.targets) {
      assert.equal(t.samples.length, 3, 'wasmContainers.profile.runs = 3 in the test settings');
      assert.equal(t.summary.failures, 0);
    }
    assert.ok(
      result.result.comparisons[0].wallMs.ratio > 1,
      'Node WASI starts slower than a static binary',
    );
    assert.ok(
      result.resultFile.startsWith(
        vscode.Uri.joinPath(workspace(), '.wasm-containers', 'runs').fsPath,
      ),
    );
    assert.ok(existsSync(result.resultFile));
    assert.match(readFileSync(result.reportFile, 'utf8'), /\| wasm · node-wasi \|/);
  });
});

describe('settings', () => {
  it('changing a runtime path detects runtimes again (the Runtimes view refreshes)', async () => {
    const api = vscode.extensions.getExtension<WasmContainersApi>(EXT_ID)!.exports;
    const before = api.runtimeDetections();
    const config = vscode.workspace.getConfiguration('wasmContainers');
    await config.update(
      'runtime.paths',
      { wasmer: '/nonexistent/wasmer' },
      vscode.ConfigurationTarget.Global,
    );
    try {
      await waitFor('runtimes detected again', () =>
        api.runtimeDetections() > before ? true : undefined,
      );
    } finally {
      await config.update('runtime.paths', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('the Images view and the engine address', () => {
  it('a new Docker host refreshes the Images view, whose row opens that setting', async () => {
    const api = vscode.extensions.getExtension<WasmContainersApi>(EXT_ID)!.exports;
    const before = api.imagesViewRefreshes();
    const config = vscode.workspace.getConfiguration('wasmContainers');
    const nowhere = 'unix:///nonexistent/docker.sock';
    await config.update('docker.host', nowhere, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the Images view to refresh', () =>
        api.imagesViewRefreshes() > before ? true : undefined,
      );
      // no engine answers there: the row says so, and its link and its click open the setting
      const row = await waitFor('a row naming the address tried', async () =>
        (await api.imagesViewRows()).find((r) => r.tooltip?.includes(nowhere)),
      );
      assert.match(row.tooltip ?? '', /set Wasm Containers › Docker: Host/);
      assert.match(row.tooltip ?? '', /\[Open Setting\]\(command:workbench\.action\.openSettings/);
      assert.deepEqual(row.command, {
        command: 'workbench.action.openSettings',
        arguments: ['wasmContainers.docker.host'],
      });
    } finally {
      await config.update('docker.host', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('profile specs in the extension host', () => {
  it('Create Profile Spec writes a spec beside the module, under every Wasm runtime detected, that Run Profile Spec runs', async () => {
    const catalog = await vscode.commands.executeCommand<CatalogJson>(
      'wasmContainers.runtimes.refresh',
    );
    const detected = catalog.runtimes
      .filter((r) => r.runs === 'wasm' && r.kind === 'process' && r.available)
      .map((r) => r.id);
    assert.equal(detected[0], 'node-wasi');
    const created = await vscode.commands.executeCommand<{ status: string; file: string }>(
      'wasmContainers.profile.createSpec',
      hello(),
    );
    assert.equal(created.status, 'created');
    const spec = JSON.parse(readFileSync(created.file, 'utf8')) as ProfileSpecFile;
    assert.deepEqual(
      spec.targets.map((t) => t.runtime),
      [...detected, 'process'],
    );
    assert.equal(spec.reference, 'native-process');
    // keep the extension-host run short: fewer runs, one small storm
    spec.runs = 3;
    spec.warmup = 0;
    spec.scenarios = { coldStart: true, startStorm: { counts: [2] } };
    writeFileSync(created.file, JSON.stringify(spec));
    const again = await vscode.commands.executeCommand<{ status: string }>(
      'wasmContainers.profile.createSpec',
      hello(),
    );
    assert.equal(again.status, 'exists', 'an existing spec is opened, never overwritten');
    const result = await vscode.commands.executeCommand<ProfileCommandResult>(
      'wasmContainers.profile.runSpec',
      vscode.Uri.file(created.file),
    );
    assert.equal(result.status, 'complete', JSON.stringify(result).slice(0, 400));
    if (result.status !== 'complete') return;
    assert.equal(result.result.targets[0].samples.length, 3);
    assert.deepEqual(
      result.result.scenarios.storms.map((s) => [s.target, s.count]),
      [...detected.map((id) => [`wasm-${id}`, 2]), ['native-process', 2]],
    );
  });

  it('a spec naming a missing runtime is refused with the reason', async function () {
    const file = vscode.Uri.joinPath(workspace(), 'bad.profile.json');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from(
        JSON.stringify({ targets: [{ id: 'x', runtime: 'wasmedge', artifact: 'hello.wasm' }] }),
      ),
    );
    const result = await vscode.commands.executeCommand<ProfileCommandResult>(
      'wasmContainers.profile.runSpec',
      file,
    );
    if (result.status === 'complete') return this.skip(); // wasmedge is installed on this machine
    assert.equal(result.status, 'error');
    assert.match(result.message ?? '', /Target 'x': WasmEdge is not available/);
  });

  it('contributes the JSON schema for profile specs', () => {
    const pkg = extensionManifest();
    assert.deepEqual(pkg.contributes.jsonValidation[0].fileMatch, [
      'wasm-containers.profile.json',
      '*.profile.json',
    ]);
    assert.ok(
      existsSync(
        vscode.Uri.joinPath(
          vscode.extensions.getExtension(EXT_ID)!.extensionUri,
          'schemas',
          'profile.schema.json',
        ).fsPath,
      ),
    );
  });
});

describe('profiling panel', () => {
  it('Show Profiling Panel opens the panel on the newest stored run, with the history', async () => {
    const state = await vscode.commands.executeCommand<{
      result?: { targets: Array<{ id: string }> };
      runs: Array<{ file: string }>;
      live: boolean;
    }>('wasmContainers.profile.showPanel');
    assert.equal(state.live, false);
    assert.ok(state.runs.length >= 2, `runs listed: ${state.runs.length}`);
    assert.ok(state.result, 'the newest run is shown');
    assert.ok(state.result.targets.length >= 1);
    const tab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.label === 'Wasm Containers: Profiling');
    assert.ok(tab, 'the panel is open');
  });
});

describe('WAT and WIT languages', () => {
  it('a .wat file opens as WebAssembly Text and a .wit file as WIT', async () => {
    const wat = vscode.Uri.joinPath(workspace(), 'm.wat');
    const wit = vscode.Uri.joinPath(workspace(), 'w.wit');
    await vscode.workspace.fs.writeFile(
      wat,
      Buffer.from('(module (func $f (result i32) i32.const 1))\n'),
    );
    await vscode.workspace.fs.writeFile(
      wit,
      Buffer.from('package a:b;\nworld w { export run: func(); }\n'),
    );
    assert.equal((await vscode.workspace.openTextDocument(wat)).languageId, 'wat');
    assert.equal((await vscode.workspace.openTextDocument(wit)).languageId, 'wit');
  });
});

describe('Dockerfiles', () => {
  it('Run as Wasm Container on a wasm Dockerfile runs its module with the entrypoint arguments', async () => {
    const file = vscode.Uri.joinPath(workspace(), 'Dockerfile.exit4');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from(
        'FROM scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm", "exit", "4"]\n',
      ),
    );
    const result = await vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.module.run',
      file,
    );
    assert.equal(result.status, 'finished');
    if (result.status === 'finished') assert.equal(result.outcome.exitCode, 4);
  });

  it('a native Dockerfile is refused with what to do instead', async () => {
    const file = vscode.Uri.joinPath(workspace(), 'Dockerfile.native');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from('FROM scratch\nCOPY hello /hello\nENTRYPOINT ["/hello"]\n'),
    );
    const result = await vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.module.run',
      file,
    );
    assert.equal(result.status, 'error');
    assert.match(result.message ?? '', /runs \/hello, a native executable, not a Wasm module/);
  });
});

describe('Build Wasm Image (daemonless where the engine cannot)', () => {
  it('builds a FROM scratch Dockerfile and a bare module into reproducible wasi/wasm images listed in the Images view', async () => {
    const dockerfile = vscode.Uri.joinPath(workspace(), 'Dockerfile.wasm');
    await vscode.workspace.fs.writeFile(
      dockerfile,
      Buffer.from('FROM scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n'),
    );
    type Built = {
      status: string;
      builder: string;
      engineReason?: string;
      message?: string;
      image: {
        name: string;
        platform: string;
        archive: string;
        manifestDigest: string;
        sizes: { compressed: number; modules: number };
      };
    };
    const first = await vscode.commands.executeCommand<Built>(
      'wasmContainers.image.buildWasm',
      dockerfile,
    );
    assert.equal(first.status, 'built', first.message);
    assert.equal(first.builder, 'daemonless');
    // engine 20.10 cannot keep wasi/wasm images: the reason says so and names the way out
    assert.match(
      first.engineReason ?? '',
      /cannot build wasi\/wasm images .*build it daemonless instead|No engine answers/,
    );
    assert.equal(first.image.platform, 'wasi/wasm');
    assert.ok(existsSync(first.image.archive), first.image.archive);
    assert.equal(
      first.image.sizes.modules,
      statSync(hello().fsPath).size,
      'hello.wasm is the module',
    );
    const again = await vscode.commands.executeCommand<Built>(
      'wasmContainers.image.buildWasm',
      dockerfile,
    );
    assert.equal(again.image.manifestDigest, first.image.manifestDigest, 'reproducible');
    const module = await vscode.commands.executeCommand<Built>(
      'wasmContainers.image.buildWasm',
      hello(),
    );
    assert.equal(module.status, 'built', module.message);
    assert.equal(module.image.name, 'hello');
    const listed = await vscode.commands.executeCommand<{
      local: Array<{ name: string; manifestDigest: string }>;
    }>('wasmContainers.images.refresh');
    assert.ok(
      listed.local.some((l) => l.manifestDigest === module.image.manifestDigest),
      JSON.stringify(listed.local.map((l) => l.name)),
    );
  });
});

describe('images (needs a Docker engine)', function () {
  before(async function () {
    const catalog = await vscode.commands.executeCommand<{
      engines: Array<{ report: { reachable: boolean; reason?: string } }>;
    }>('wasmContainers.runtimes.refresh');
    const docker = catalog.engines[0]?.report;
    if (!docker?.reachable) {
      if (process.env.REQUIRE_DOCKER === '1')
        throw new Error(`REQUIRE_DOCKER=1 but no engine answers: ${docker?.reason}`);
      this.skip();
    }
  });

  it('Build Native Counterpart → Images view → Run Image under runc → Profile Across Runtimes', async () => {
    const dockerfile = vscode.Uri.joinPath(workspace(), 'Dockerfile.native');
    await vscode.workspace.fs.writeFile(
      dockerfile,
      Buffer.from('FROM scratch\nCOPY hello /hello\nENTRYPOINT ["/hello"]\n'),
    );
    const built = await vscode.commands.executeCommand<{
      status: string;
      tag: string;
      builder: string;
      message?: string;
    }>('wasmContainers.image.buildNative', dockerfile);
    assert.equal(built.status, 'built', built.message);
    assert.equal(
      built.builder,
      'buildkit',
      'engine 20.10 (API 1.41) builds with BuildKit through dockerode',
    );
    const images = (
      await vscode.commands.executeCommand<{ engine: Array<{ tag: string; sizeBytes: number }> }>(
        'wasmContainers.images.refresh',
      )
    ).engine;
    const image = images.find((i) => i.tag === built.tag);
    assert.ok(image, `${built.tag} is listed among ${images.map((i) => i.tag).join(', ')}`);
    assert.ok(image.sizeBytes > 600_000);
    const run = await vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.image.run',
      built.tag,
      { runtime: 'docker-runc' },
    );
    assert.equal(run.status, 'finished');
    if (run.status === 'finished') {
      assert.equal(run.outcome.stdout, 'Hello from a Wasm container!\n');
      assert.equal(run.outcome.runtime, 'docker-runc');
    }
    const absent = await vscode.commands.executeCommand<RunModuleResult>(
      'wasmContainers.image.run',
      built.tag,
      { runtime: 'docker-kata' },
    );
    assert.equal(absent.status, 'error', 'kata is not installed here: refused with the reason');
    const profile = await vscode.commands.executeCommand<ProfileCommandResult>(
      'wasmContainers.image.profile',
      built.tag,
    );
    assert.equal(profile.status, 'complete', JSON.stringify(profile).slice(0, 300));
    if (profile.status !== 'complete') return;
    const ids = profile.result.targets.map((t) => t.id);
    assert.ok(
      ids.includes('native-docker-runc') && ids.includes('native-docker-crun'),
      ids.join(', '),
    );
    for (const t of profile.result.targets) {
      assert.equal(
        t.summary.failures,
        0,
        `${t.id}: ${JSON.stringify(t.samples.map((s) => s.error))}`,
      );
      assert.ok(t.summary.containerPhases, `${t.id} has create/start/run/remove phases`);
    }
  });
});
