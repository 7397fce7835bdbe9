import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  parseCrunWasmHandlers,
  wasmShimsAmong,
  wasmVerdict,
} from '../../src/core/engines/docker/engine';
import { buildCapabilities } from '../../src/core/engines/docker/build';
import { BuildkitTraceDecoder } from '../../src/core/engines/docker/buildkit-trace';
import { findExecutable, findExecutablesMatching } from '../../src/core/runtimes/find-executable';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';
import { renderCatalog } from '../../src/core/runtimes/runtime-report';
import {
  IWASM,
  WAMRC,
  WASMEDGE,
  WASMER,
  WASMTIME,
  WAZERO,
  WasmCliRuntime,
} from '../../src/core/runtimes/wasm-cli-runtimes';
import type { RunSpec } from '../../src/core/runtimes/types';
import { helloWasm } from './helpers';

const spec: RunSpec = {
  artifact: '/w/app.wasm',
  args: ['--flag', 'a b'],
  dirs: [
    { host: '/host/data', guest: '/data' },
    { host: '/tmp', guest: '/tmp' },
  ],
  env: { GREETING: 'hi there', EMPTY: '' },
};

describe('Wasm runtime CLIs: argument building (their documented syntax)', () => {
  it('wasmtime: run, --dir HOST::GUEST, --env, module, args', () => {
    assert.deepEqual(WASMTIME.buildArgs(spec, '25.0.1'), [
      'run',
      '--dir',
      '/host/data::/data',
      '--dir',
      '/tmp::/tmp',
      '--env',
      'GREETING=hi there',
      '--env',
      'EMPTY=',
      '/w/app.wasm',
      '--flag',
      'a b',
    ]);
    assert.deepEqual(
      WASMTIME.buildArgs({ artifact: 'm.wasm', memoryLimitBytes: 1 << 20 }, undefined),
      ['run', '-W', 'max-memory-size=1048576', 'm.wasm'],
    );
  });

  it('wasmedge: --dir GUEST:HOST (guest first), --env, memory limit in 64 KiB pages', () => {
    assert.deepEqual(WASMEDGE.buildArgs(spec, '0.14.1'), [
      '--dir',
      '/data:/host/data',
      '--dir',
      '/tmp:/tmp',
      '--env',
      'GREETING=hi there',
      '--env',
      'EMPTY=',
      '/w/app.wasm',
      '--flag',
      'a b',
    ]);
    assert.deepEqual(
      WASMEDGE.buildArgs({ artifact: 'm.wasm', memoryLimitBytes: 100_000 }, undefined),
      ['--memory-page-limit', '2', 'm.wasm'],
    );
  });

  it('wasmer ≥ 7: --volume HOST:GUEST; older: --mapdir GUEST:HOST; program args after --; no compile cache', () => {
    assert.deepEqual(WASMER.buildArgs(spec, '7.0.0'), [
      'run',
      '--disable-cache',
      '--volume',
      '/host/data:/data',
      '--volume',
      '/tmp:/tmp',
      '--env',
      'GREETING=hi there',
      '--env',
      'EMPTY=',
      '/w/app.wasm',
      '--',
      '--flag',
      'a b',
    ]);
    assert.deepEqual(WASMER.buildArgs(spec, '4.3.5').slice(0, 6), [
      'run',
      '--disable-cache',
      '--mapdir',
      '/data:/host/data',
      '--mapdir',
      '/tmp:/tmp',
    ]);
  });

  it('iwasm: --map-dir=GUEST::HOST and --env=K=V as single arguments', () => {
    assert.deepEqual(IWASM.buildArgs(spec, '2.2.0'), [
      '--map-dir=/data::/host/data',
      '--map-dir=/tmp::/tmp',
      '--env=GREETING=hi there',
      '--env=EMPTY=',
      '/w/app.wasm',
      '--flag',
      'a b',
    ]);
  });

  it('wazero: run, -mount=HOST:GUEST and -env=K=V as single arguments, guest args after --', () => {
    assert.deepEqual(WAZERO.buildArgs(spec, '1.12.0'), [
      'run',
      '-mount=/host/data:/data',
      '-mount=/tmp:/tmp',
      '-env=GREETING=hi there',
      '-env=EMPTY=',
      '/w/app.wasm',
      '--',
      '--flag',
      'a b',
    ]);
    assert.deepEqual(WAZERO.buildArgs({ artifact: 'm.wasm' }, undefined), ['run', 'm.wasm']);
  });

  it("AOT variants: compile commands and the precompiled runs, from each CLI's documentation", () => {
    const run = { artifact: '/w/app.wasm', args: ['x'], env: { A: '1' } };
    assert.deepEqual(WASMTIME.aot!.compileArgs('/m.wasm', '/t/m.cwasm'), [
      'compile',
      '-o',
      '/t/m.cwasm',
      '/m.wasm',
    ]);
    assert.deepEqual(WASMTIME.aot!.runArgs(run, '/t/m.cwasm', '48.0.8'), [
      'run',
      '--allow-precompiled',
      '--env',
      'A=1',
      '/t/m.cwasm',
      'x',
    ]);
    // wazero: its compilation cache, filled by compile and read by run, next to the module itself
    assert.deepEqual(WAZERO.aot!.compileArgs('/m.wasm', '/t/cache'), [
      'compile',
      '-cachedir=/t/cache',
      '/m.wasm',
    ]);
    assert.deepEqual(WAZERO.aot!.runArgs(run, '/t/cache', '1.12.0'), [
      'run',
      '-cachedir=/t/cache',
      '-env=A=1',
      '/w/app.wasm',
      '--',
      'x',
    ]);
    assert.equal(WAZERO.aot!.output.kind, 'directory');
    assert.deepEqual(WASMER.aot!.compileArgs('/m.wasm', '/t/m.wasmu'), [
      'compile',
      '/m.wasm',
      '-o',
      '/t/m.wasmu',
    ]);
    assert.deepEqual(WASMER.aot!.runArgs(run, '/t/m.wasmu', '7.4.2'), [
      'run',
      '--disable-cache',
      '--env',
      'A=1',
      '/t/m.wasmu',
      '--',
      'x',
    ]);
    assert.deepEqual(WASMEDGE.aot!.compileArgs('/m.wasm', '/t/m.aot.wasm'), [
      'compile',
      '/m.wasm',
      '/t/m.aot.wasm',
    ]);
    assert.deepEqual(WASMEDGE.aot!.runArgs(run, '/t/m.aot.wasm', '0.14.1'), [
      '--env',
      'A=1',
      '/t/m.aot.wasm',
      'x',
    ]);
    assert.deepEqual(IWASM.aot!.compileArgs('/m.wasm', '/t/m.aot'), ['-o', '/t/m.aot', '/m.wasm']);
    assert.deepEqual(IWASM.aot!.runArgs(run, '/t/m.aot', '2.2.0'), ['--env=A=1', '/t/m.aot', 'x']);
    assert.equal(IWASM.aot!.compiler, WAMRC);
    const aot = new WasmCliRuntime(WASMTIME, '/nonexistent/wasmtime', true);
    assert.equal(aot.id, 'wasmtime-aot');
    assert.equal(aot.displayName, 'Wasmtime (AOT)');
    assert.throws(() => aot.commandLine({ artifact: helloWasm }), /not installed/);
  });

  it('an AOT variant without its compiler names the compiler, as a structured hint too', async (t) => {
    const d = await new WasmCliRuntime(IWASM, process.execPath, true, {
      compilerPath: '/nonexistent/wamrc',
    }).detect();
    // node is not iwasm: the runtime itself is reported first
    assert.equal(d.available, false);
    assert.equal(d.missing?.pathKey, 'iwasm');
    const iwasm = findExecutable('iwasm');
    if (!iwasm) return t.skip('iwasm is not installed: the wamrc hint needs a real iwasm');
    const withoutWamrc = await new WasmCliRuntime(IWASM, iwasm, true, {
      compilerPath: '/nonexistent/wamrc',
    }).detect();
    assert.equal(withoutWamrc.available, false);
    assert.match(withoutWamrc.reason!, /\/nonexistent\/wamrc is not an executable file/);
    assert.deepEqual(
      { ...withoutWamrc.missing, install: undefined },
      {
        executable: 'wamrc',
        pathKey: 'wamrc',
        role: 'aot-compiler',
        configuredPath: '/nonexistent/wamrc',
        install: undefined,
      },
    );
  });

  it("parses each runtime's --version output", () => {
    assert.equal(WASMTIME.parseVersion('wasmtime 25.0.1 (b4faaf7a7 2024-09-23)\n'), '25.0.1');
    assert.equal(WASMTIME.parseVersion('wasmtime-cli 12.0.1\n'), '12.0.1');
    assert.equal(WASMEDGE.parseVersion('wasmedge version 0.14.1\n'), '0.14.1');
    assert.equal(WASMER.parseVersion('wasmer 4.3.5\n'), '4.3.5');
    assert.equal(IWASM.parseVersion('iwasm 2.2.0\n'), '2.2.0');
    assert.equal(WAMRC.parseVersion('wamrc 2.2.0\n'), '2.2.0');
    assert.equal(WAZERO.parseVersion('v1.12.0\n'), '1.12.0');
    assert.equal(WAZERO.parseVersion('dev\n'), undefined);
    assert.equal(WASMTIME.parseVersion('command not found'), undefined);
  });

  it('an absent runtime says it is not on PATH and how to get it, and refuses to build a command', async () => {
    const absent = new WasmCliRuntime(WASMTIME, '/nonexistent/wasmtime');
    const d = await absent.detect();
    assert.equal(d.available, false);
    assert.match(d.reason!, /\/nonexistent\/wasmtime is not an executable file\. Install Wasmtime/);
    assert.doesNotMatch(d.reason!, /wasmContainers|setting/, 'core names no editor setting');
    assert.deepEqual(
      { ...d.missing, install: undefined },
      {
        executable: 'wasmtime',
        pathKey: 'wasmtime',
        role: 'runtime',
        configuredPath: '/nonexistent/wasmtime',
        install: undefined,
      },
    );
    assert.throws(() => absent.commandLine({ artifact: helloWasm }), /Wasmtime is not installed/);
  });

  it('an executable that is not the runtime is reported as answering unexpectedly', async () => {
    // a real program that is not wasmtime: its --version does not parse
    const d = await new WasmCliRuntime(WASMTIME, process.execPath).detect();
    assert.equal(d.available, false);
    assert.match(d.reason!, /answered unexpectedly/);
  });
});

describe('Docker engine capabilities', () => {
  it('finds Wasm handlers in crun --version and runwasi shims among executables', () => {
    assert.deepEqual(
      parseCrunWasmHandlers(
        'crun version 1.27\ncommit: abc\n+SYSTEMD +SELINUX +CAP +SECCOMP +EBPF +WASM:wasmedge +YAJL\n',
      ),
      ['wasmedge'],
    );
    assert.deepEqual(
      parseCrunWasmHandlers(
        'crun version 1.8.1\n+SYSTEMD +SELINUX +APPARMOR +CAP +SECCOMP +EBPF +YAJL\n',
      ),
      [],
    );
    const names = new Map([
      ['containerd-shim-wasmtime-v1', '/b/w'],
      ['containerd-shim-runc-v2', '/b/r'],
      ['containerd-shim-spin-v1', '/b/s'],
      ['containerd', '/b/c'],
    ]);
    assert.deepEqual(wasmShimsAmong(names), [
      { runtime: 'io.containerd.wasmtime.v1', binary: '/b/w' },
      { runtime: 'io.containerd.spin.v1', binary: '/b/s' },
    ]);
  });

  it('says in one sentence why an engine cannot run wasi/wasm images, and the way out', () => {
    const base = { engine: 'docker' as const, runtimes: ['runc'], shims: [], crunWasmHandlers: [] };
    assert.match(
      wasmVerdict({ ...base, serverVersion: '20.10.24', containerdImageStore: false }).wasmReason!,
      /engine 20\.10\.24 cannot run wasi\/wasm images.*needs engine ≥ 24 with the containerd image store and a containerd-shim-\*-v1/,
    );
    assert.match(
      wasmVerdict({ ...base, serverVersion: '27.3.1', containerdImageStore: false }).wasmReason!,
      /classic image store.*containerd-snapshotter/,
    );
    assert.match(
      wasmVerdict({ ...base, serverVersion: '29.0.0', containerdImageStore: true }).wasmReason!,
      /no Wasm runtime: put a runwasi shim/,
    );
    assert.deepEqual(
      wasmVerdict({
        ...base,
        serverVersion: '29.0.0',
        containerdImageStore: true,
        shims: [{ runtime: 'io.containerd.wasmtime.v1', binary: '/x' }],
      }),
      { canRunWasm: true },
    );
    // Podman: crun's Wasm handler is the way, whatever the image store
    const podman = {
      ...base,
      engine: 'podman' as const,
      serverVersion: '4.3.1',
      containerdImageStore: false,
      runtimes: ['crun', 'runc'],
    };
    assert.match(
      wasmVerdict(podman).wasmReason!,
      /^Podman 4\.3\.1 runs wasi\/wasm images through crun built with a Wasm handler .*this machine's crun has none/,
    );
    assert.deepEqual(wasmVerdict({ ...podman, crunWasmHandlers: ['wasmedge'] }), {
      canRunWasm: true,
    });
    // only the runtime the service runs counts, and the reason names it
    const served = {
      name: 'crun',
      path: '/usr/bin/crun',
      version: 'crun version 1.8.1',
      features: ['SYSTEMD', 'SECCOMP'],
      wasmHandlers: [],
    };
    assert.match(
      wasmVerdict({ ...podman, ociRuntime: served }).wasmReason!,
      /the service runs \/usr\/bin\/crun \(crun version 1\.8\.1\), which has none/,
    );
    assert.equal(
      wasmVerdict({
        ...podman,
        crunWasmHandlers: ['wamr'],
        ociRuntime: { ...served, name: 'runc', path: '/usr/sbin/runc' },
      }).canRunWasm,
      false,
    );
  });
});

describe('runtime catalog (what is really on this machine)', () => {
  it('finds executables on PATH without a shell', () => {
    assert.equal(
      findExecutable(path.basename(process.execPath), path.dirname(process.execPath)),
      process.execPath,
    );
    assert.equal(findExecutable('definitely-not-a-program-here'), undefined);
    assert.ok(findExecutablesMatching(/^node$/, path.dirname(process.execPath)).has('node'));
  });

  it('always lists Node WASI and the native process as available, and explains the absent CLIs', async () => {
    const catalog = await detectRuntimes({
      skipEngines: true,
      paths: { wasmtime: '/nonexistent/wasmtime' },
    });
    const byId = new Map(catalog.runtimes.map((r) => [r.id, r]));
    assert.equal(byId.get('node-wasi')!.available, true);
    assert.equal(byId.get('process')!.available, true);
    for (const id of ['wasmtime', 'wazero', 'wasmedge', 'wasmer', 'iwasm']) {
      const r = byId.get(id)!;
      assert.ok(r, `${id} is listed`);
      if (!r.available) assert.match(r.reason!, /not on PATH|not an executable file/);
    }
    const text = renderCatalog(catalog);
    assert.match(text, /✓ {2}node-wasi/);
    assert.match(
      text,
      /Not available:\n {2}wasmtime: \/nonexistent\/wasmtime is not an executable file/,
    );
  });
});

describe('builds through the engine', () => {
  const docker = {
    engine: 'docker' as const,
    reachable: true,
    serverVersion: '20.10.24',
    apiVersion: '1.41',
    containerdImageStore: false,
  };
  it('picks BuildKit where the API has it and says in one sentence why an engine cannot build wasi/wasm images', () => {
    assert.deepEqual(buildCapabilities(docker).builder, 'buildkit');
    assert.match(
      buildCapabilities(docker).wasmReason!,
      /^Docker engine 20\.10\.24 cannot build wasi\/wasm images \(it needs engine ≥ 24 with the containerd image store\): build it daemonless instead/,
    );
    assert.equal(buildCapabilities({ ...docker, apiVersion: '1.38' }).builder, 'classic');
    assert.match(
      buildCapabilities({ ...docker, serverVersion: '27.3.1', apiVersion: '1.47' }).wasmReason!,
      /cannot build wasi\/wasm images \(it needs the containerd image store: "features": \{"containerd-snapshotter": true\} in daemon\.json\)/,
    );
    assert.deepEqual(
      buildCapabilities({
        ...docker,
        serverVersion: '27.3.1',
        apiVersion: '1.47',
        containerdImageStore: true,
      }),
      { builder: 'buildkit', canBuildWasm: true },
    );
    assert.equal(
      buildCapabilities({ ...docker, engine: 'podman', serverVersion: '4.3.1' }).builder,
      'classic',
    );
    assert.match(
      buildCapabilities({ ...docker, reachable: false, reason: 'connect ENOENT' }).wasmReason!,
      /No engine answers \(connect ENOENT\): build the Wasm image daemonless/,
    );
  });

  it('turns BuildKit progress (protobuf StatusResponse) into log lines', () => {
    const varint = (n: number) => {
      const out = [];
      while (n > 127) {
        out.push((n & 0x7f) | 0x80);
        n = Math.floor(n / 128);
      }
      out.push(n);
      return out;
    };
    const field = (no: number, bytes: number[] | Buffer) => [
      ...varint(no * 8 + 2),
      ...varint(bytes.length),
      ...bytes,
    ];
    const str = (s: string) => [...Buffer.from(s)];
    const timestamp = [8, 1]; // seconds = 1
    const vertex = (extra: number[]) =>
      field(1, [
        ...field(1, str('sha256:d1')),
        ...field(3, str('[1/1] COPY hello /hello')),
        ...extra,
      ]);
    const decoder = new BuildkitTraceDecoder();
    const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
    assert.deepEqual(decoder.lines(b64(vertex(field(5, timestamp)))), ['[1/1] COPY hello /hello']);
    assert.deepEqual(
      decoder.lines(
        b64([...field(3, [...field(1, str('sha256:d1')), ...field(4, str('copied 1 file\n'))])]),
      ),
      ['  copied 1 file'],
    );
    assert.deepEqual(decoder.lines(b64(vertex([...field(5, timestamp), ...field(6, timestamp)]))), [
      '[1/1] COPY hello /hello: done',
    ]);
    assert.deepEqual(
      decoder.lines(b64(vertex(field(7, str('operating system is not supported'))))),
      ['[1/1] COPY hello /hello: ERROR operating system is not supported'],
    );
    assert.match(decoder.lines('////')[0], /unreadable BuildKit progress/);
  });
});
