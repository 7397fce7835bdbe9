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

/** The full spec's mounts and environment as each CLI spells them, then the module and its args. */
const ENV_AND_MODULE = (env: (kv: string) => string[]) => [
  ...env('GREETING=hi there'),
  ...env('EMPTY='),
  '/w/app.wasm',
];
const flag = (name: string) => (value: string) => [name, value];
const joined = (name: string) => (value: string) => [`${name}=${value}`];

/** Each CLI's arguments for `spec` (at a version), and for smaller specs: [spec, version, args]. */
const ARGUMENTS: Array<{
  name: string;
  cli: typeof WASMTIME;
  version: string;
  full: string[];
  more?: Array<[RunSpec, string | undefined, string[]]>;
}> = [
  {
    name: 'wasmtime: run, no compile cache, --dir HOST::GUEST, --env, module, args',
    cli: WASMTIME,
    version: '25.0.1',
    full: [
      'run',
      ...['-C', 'cache=n'],
      ...['/host/data::/data', '/tmp::/tmp'].flatMap(flag('--dir')),
      ...ENV_AND_MODULE(flag('--env')),
      '--flag',
      'a b',
    ],
    more: [
      [
        { artifact: 'm.wasm', memoryLimitBytes: 1 << 20 },
        undefined,
        ['run', '-C', 'cache=n', '-W', 'max-memory-size=1048576', 'm.wasm'],
      ],
      // before 14 the CLI had no -C options; its cache was turned off with --disable-cache
      [{ artifact: 'm.wasm' }, '12.0.1', ['run', '--disable-cache', 'm.wasm']],
    ],
  },
  {
    name: 'wasmedge: --dir GUEST:HOST (guest first), --env, memory limit in 64 KiB pages',
    cli: WASMEDGE,
    version: '0.14.1',
    full: [
      ...['/data:/host/data', '/tmp:/tmp'].flatMap(flag('--dir')),
      ...ENV_AND_MODULE(flag('--env')),
      '--flag',
      'a b',
    ],
    more: [
      [
        { artifact: 'm.wasm', memoryLimitBytes: 100_000 },
        undefined,
        ['--memory-page-limit', '2', 'm.wasm'],
      ],
    ],
  },
  {
    name: 'wasmer ≥ 7: --volume HOST:GUEST, program args after --, no compile cache',
    cli: WASMER,
    version: '7.0.0',
    full: [
      'run',
      '--disable-cache',
      ...['/host/data:/data', '/tmp:/tmp'].flatMap(flag('--volume')),
      ...ENV_AND_MODULE(flag('--env')),
      '--',
      '--flag',
      'a b',
    ],
  },
  {
    name: 'wasmer < 7: --mapdir GUEST:HOST',
    cli: WASMER,
    version: '4.3.5',
    full: [
      'run',
      '--disable-cache',
      ...['/data:/host/data', '/tmp:/tmp'].flatMap(flag('--mapdir')),
      ...ENV_AND_MODULE(flag('--env')),
      '--',
      '--flag',
      'a b',
    ],
  },
  {
    name: 'iwasm: --map-dir=GUEST::HOST and --env=K=V as single arguments',
    cli: IWASM,
    version: '2.2.0',
    full: [
      ...['/data::/host/data', '/tmp::/tmp'].flatMap(joined('--map-dir')),
      ...ENV_AND_MODULE(joined('--env')),
      '--flag',
      'a b',
    ],
  },
  {
    name: 'wazero: run, -mount=HOST:GUEST and -env=K=V as single arguments, guest args after --',
    cli: WAZERO,
    version: '1.12.0',
    full: [
      'run',
      ...['/host/data:/data', '/tmp:/tmp'].flatMap(joined('-mount')),
      ...ENV_AND_MODULE(joined('-env')),
      '--',
      '--flag',
      'a b',
    ],
    more: [[{ artifact: 'm.wasm' }, undefined, ['run', 'm.wasm']]],
  },
];

/** Each CLI's AOT compile command ([module, output] → args) and precompiled run, documented. */
const AOT: Array<{
  cli: typeof WASMTIME;
  output: string;
  version: string;
  compile: string[];
  run: string[];
}> = [
  {
    cli: WASMTIME,
    output: '/t/m.cwasm',
    version: '48.0.8',
    compile: ['compile', '-o', '/t/m.cwasm', '/m.wasm'],
    run: ['run', '--allow-precompiled', '--env', 'A=1', '/t/m.cwasm', 'x'],
  },
  // wazero: its compilation cache, filled by compile and read by run, next to the module itself
  {
    cli: WAZERO,
    output: '/t/cache',
    version: '1.12.0',
    compile: ['compile', '-cachedir=/t/cache', '/m.wasm'],
    run: ['run', '-cachedir=/t/cache', '-env=A=1', '/w/app.wasm', '--', 'x'],
  },
  {
    cli: WASMER,
    output: '/t/m.wasmu',
    version: '7.4.2',
    compile: ['compile', '/m.wasm', '-o', '/t/m.wasmu'],
    run: ['run', '--disable-cache', '--env', 'A=1', '/t/m.wasmu', '--', 'x'],
  },
  {
    cli: WASMEDGE,
    output: '/t/m.aot.wasm',
    version: '0.14.1',
    compile: ['compile', '/m.wasm', '/t/m.aot.wasm'],
    run: ['--env', 'A=1', '/t/m.aot.wasm', 'x'],
  },
  {
    cli: IWASM,
    output: '/t/m.aot',
    version: '2.2.0',
    compile: ['-o', '/t/m.aot', '/m.wasm'],
    run: ['--env=A=1', '/t/m.aot', 'x'],
  },
];

describe('Wasm runtime CLIs: argument building (their documented syntax)', () => {
  for (const { name, cli, version, full, more = [] } of ARGUMENTS)
    it(name, () => {
      assert.deepEqual(cli.buildArgs(spec, version), full);
      for (const [smaller, at, args] of more) assert.deepEqual(cli.buildArgs(smaller, at), args);
    });

  for (const { cli, output, version, compile, run } of AOT)
    it(`${cli.id} AOT: the compile command and the precompiled run, from its documentation`, () => {
      const aot = cli.aot!;
      assert.deepEqual(aot.compileArgs('/m.wasm', output), compile);
      const module = { artifact: '/w/app.wasm', args: ['x'], env: { A: '1' } };
      assert.deepEqual(aot.runArgs(module, output, version), run);
    });

  it('AOT variants: wazero compiles to a directory, iwasm with wamrc; ids and names', () => {
    assert.equal(WAZERO.aot!.output.kind, 'directory');
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

  const VERSIONS: Array<[typeof WAMRC, string, string | undefined]> = [
    [WASMTIME, 'wasmtime 25.0.1 (b4faaf7a7 2024-09-23)\n', '25.0.1'],
    [WASMTIME, 'wasmtime-cli 12.0.1\n', '12.0.1'],
    [WASMEDGE, 'wasmedge version 0.14.1\n', '0.14.1'],
    [WASMER, 'wasmer 4.3.5\n', '4.3.5'],
    [IWASM, 'iwasm 2.2.0\n', '2.2.0'],
    [WAMRC, 'wamrc 2.2.0\n', '2.2.0'],
    [WAZERO, 'v1.12.0\n', '1.12.0'],
    [WAZERO, 'dev\n', undefined],
    [WASMTIME, 'command not found', undefined],
  ];
  it("parses each runtime's --version output", () => {
    for (const [cli, output, version] of VERSIONS)
      assert.equal(cli.parseVersion(output), version, JSON.stringify(output));
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

describe('runtime catalog: only the runtimes asked for', () => {
  it('detects and lists just those, as the whole catalog has them', async () => {
    const all = await detectRuntimes({ skipEngines: true });
    const some = await detectRuntimes({ skipEngines: true, only: ['process', 'wasmtime'] });
    assert.deepEqual(
      some.runtimes.map((r) => r.id),
      ['wasmtime', 'process'],
    );
    for (const r of some.runtimes) {
      const whole = all.runtimes.find((x) => x.id === r.id)!;
      assert.equal(r.available, whole.available);
      assert.equal(r.version, whole.version);
      assert.equal(r.reason, whole.reason);
    }
    assert.deepEqual(some.engines, []);
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
