import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  engineHints,
  HintedError,
  hintsOfError,
  runtimeHints,
  type Hint,
} from '../../src/core/hints';
import { hintLines, hintText as cliText, runtimePaths } from '../../src/cli/hints';
import {
  hintActions,
  hintedMessage,
  hintMarkdown,
  hintSetting,
  hintText as editorText,
  unavailableDetail,
} from '../../src/extension/hints';
import { createDockerClient, dockerHostOf } from '../../src/core/engines/docker/client';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import type { Catalog, RuntimeStatus } from '../../src/core/runtimes/runtime-catalog';
import { hintsOf } from '../../src/core/runtimes/runtime-report';

const INSTALL = { wasmtime: 'Install Wasmtime (a release from docs.wasmtime.dev).' };
const EDITOR_SETTING = /wasmContainers\./;

describe('structured hints: core states them, each front end words them', () => {
  it('core draws hints from a runtime status: nothing when it is available', () => {
    const missing = { id: 'wasmtime', kind: 'process' as const, available: false };
    assert.deepEqual(runtimeHints(missing, INSTALL), [
      { kind: 'set-path', runtime: 'wasmtime' },
      { kind: 'install', what: 'wasmtime', how: INSTALL.wasmtime },
    ]);
    assert.deepEqual(runtimeHints({ ...missing, id: 'wasmtime-aot' }, INSTALL)[0], {
      kind: 'set-path',
      runtime: 'wasmtime',
    });
    assert.deepEqual(runtimeHints({ ...missing, available: true }, INSTALL), []);
    assert.deepEqual(runtimeHints({ ...missing, kind: 'container' }, INSTALL), []);
    assert.deepEqual(runtimeHints({ ...missing, id: 'node-wasi' }), [
      { kind: 'set-path', runtime: 'node' },
    ]);
    // an adapter that says which executable it lacks is taken at its word
    assert.deepEqual(
      runtimeHints({
        ...missing,
        id: 'iwasm-aot',
        missing: {
          pathKey: 'wamrc',
          executable: 'wamrc',
          install: 'Build wamrc.',
          configuredPath: '/x',
        },
      }),
      [
        { kind: 'set-path', runtime: 'wamrc', configured: '/x' },
        { kind: 'install', what: 'wamrc', how: 'Build wamrc.' },
      ],
    );
    assert.deepEqual(engineHints('docker', true, 'unix:///s'), []);
    assert.deepEqual(engineHints('docker', false, 'unix:///s'), [
      { kind: 'engine-address', engine: 'docker', tried: 'unix:///s' },
    ]);
  });

  const hints: Hint[] = [
    { kind: 'set-path', runtime: 'wasmtime' },
    { kind: 'set-path', runtime: 'node', configured: '/bin/false' },
    { kind: 'install', what: 'wasmtime', how: INSTALL.wasmtime },
    { kind: 'engine-address', engine: 'docker', tried: 'unix:///var/run/docker.sock' },
  ];

  it('the CLI words them as flags and environment variables, never a setting', () => {
    const text = hints.map(cliText);
    assert.match(
      text[0],
      /--runtime-path wasmtime=PATH \(or WASM_CONTAINERS_RUNTIME_PATHS=wasmtime=PATH\)/,
    );
    assert.match(text[1], /\/bin\/false was given for node: .*--runtime-path node=PATH/);
    assert.equal(text[2], INSTALL.wasmtime);
    assert.match(text[3], /set DOCKER_HOST to its address/);
    for (const t of text) assert.doesNotMatch(t, EDITOR_SETTING);
    // what the reason already says is not said again
    assert.equal(hintLines(hints, `wasmtime is not on PATH. ${INSTALL.wasmtime}`).length, 3);
  });

  it('the extension words them as settings, with a link that opens each', () => {
    assert.equal(hintSetting(hints[0]), 'wasmContainers.runtime.paths');
    assert.equal(hintSetting(hints[1]), 'wasmContainers.node.path');
    assert.equal(hintSetting(hints[2]), undefined);
    assert.equal(hintSetting(hints[3]), 'wasmContainers.docker.host');
    assert.match(editorText(hints[0]), /set "wasmtime" in Wasm Containers › Runtime: Paths/);
    assert.doesNotMatch(editorText(hints[0]), /--runtime-path|WASM_CONTAINERS/);
    const md = hintMarkdown(hints);
    assert.equal(md.length, 4);
    assert.match(
      md[0],
      /\[Open Setting\]\(command:workbench\.action\.openSettings\?%5B%22wasmContainers\.runtime\.paths%22%5D\)$/,
    );
    assert.doesNotMatch(md[2], /Open Setting/);
  });

  it('the extension offers a button per setting the hints name, each opening that setting', () => {
    assert.deepEqual(hintActions(hints), [
      {
        title: 'Open Runtime: Paths',
        command: 'workbench.action.openSettings',
        arguments: ['wasmContainers.runtime.paths'],
      },
      {
        title: 'Open Node: Path',
        command: 'workbench.action.openSettings',
        arguments: ['wasmContainers.node.path'],
      },
      {
        title: 'Open Docker: Host',
        command: 'workbench.action.openSettings',
        arguments: ['wasmContainers.docker.host'],
      },
    ]);
    // two runtimes named in the same setting: one button
    const two: Hint[] = [hints[0], { kind: 'set-path', runtime: 'wasmer' }];
    assert.equal(hintActions(two).length, 1);
    assert.deepEqual(hintActions([hints[2]]), [], 'an install text opens nothing');
  });

  it("a notification's text and a quick pick item's detail say why, then what to do", () => {
    const reason = `wasmtime is not on PATH. ${INSTALL.wasmtime}`;
    const message = `Wasmtime is not available: ${reason}`;
    const pair = [hints[0], hints[2]];
    // the install text is in the reason already: it is not said twice
    assert.equal(
      hintedMessage(message, pair),
      `${message} → if it is installed elsewhere, set "wasmtime" in ` +
        'Wasm Containers › Runtime: Paths (wasmContainers.runtime.paths)',
    );
    assert.equal(hintedMessage('Failed.', []), 'Failed.');
    const detail = unavailableDetail('wasmtime is not on PATH.', pair);
    assert.equal(
      detail,
      'wasmtime is not on PATH. · if it is installed elsewhere, set "wasmtime" in Wasm ' +
        `Containers › Runtime: Paths (wasmContainers.runtime.paths) · ${INSTALL.wasmtime}`,
    );
    assert.equal(unavailableDetail(undefined, []), 'not available');
  });

  it('an error carries its hints to the front end that reports it', () => {
    const e = new HintedError('Wasmtime is not available', [hints[0]]);
    assert.ok(e instanceof Error);
    assert.deepEqual(hintsOfError(e), [hints[0]]);
    assert.deepEqual(hintsOfError(new Error('plain')), []);
    assert.deepEqual(hintsOfError('a string'), []);
  });

  it("a container runtime's hints are its engine's, when that engine did not answer", () => {
    const client = createDockerClient({ host: 'unix:///nonexistent/docker.sock' });
    const container = (engine: 'docker' | 'podman'): RuntimeStatus => ({
      id: `${engine}-runc`,
      displayName: 'runc',
      runs: 'native',
      kind: 'container',
      available: false,
      reason: 'not reachable',
      adapter: new DockerContainerRuntime(client, 'runc', 'native', undefined, engine),
    });
    const engines = (reachable: boolean): Pick<Catalog, 'engines'> => ({
      engines: [
        {
          name: 'docker',
          host: 'unix:///nonexistent/docker.sock',
          report: { reachable } as Catalog['engines'][number]['report'],
        },
      ],
    });
    assert.deepEqual(hintsOf(container('docker'), engines(false)), [
      { kind: 'engine-address', engine: 'docker', tried: 'unix:///nonexistent/docker.sock' },
    ]);
    // the engine answers (the runtime is not registered there): no address to change
    assert.deepEqual(hintsOf(container('docker'), engines(true)), []);
    // an engine the catalog did not ask has nothing to say
    assert.deepEqual(hintsOf(container('podman'), engines(false)), []);
    assert.deepEqual(hintsOf({ ...container('docker'), available: true }, engines(false)), []);
  });

  it("the engine's address: the one given, else DOCKER_HOST, else Docker's socket", () => {
    const saved = process.env.DOCKER_HOST;
    try {
      delete process.env.DOCKER_HOST;
      assert.equal(dockerHostOf(), 'unix:///var/run/docker.sock');
      process.env.DOCKER_HOST = 'tcp://127.0.0.1:2375';
      assert.equal(dockerHostOf(), 'tcp://127.0.0.1:2375');
      assert.equal(dockerHostOf('unix:///run/x.sock'), 'unix:///run/x.sock');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('--runtime-path over WASM_CONTAINERS_RUNTIME_PATHS; node= names Node', () => {
    const env = { WASM_CONTAINERS_RUNTIME_PATHS: 'wasmtime=/env/wasmtime, wasmer=/env/wasmer,' };
    assert.deepEqual(runtimePaths(['wasmtime=/flag/wasmtime', 'node=/opt/node'], env), {
      nodePath: '/opt/node',
      paths: { wasmtime: '/flag/wasmtime', wasmer: '/env/wasmer' },
    });
    assert.deepEqual(runtimePaths([], {}), { paths: {} });
    assert.deepEqual(runtimePaths(['wasmtime=/a=b'], {}).paths, { wasmtime: '/a=b' });
    for (const bad of ['wasmtime', '=/x', 'wasmtime=', 'Wasm Time=/x'])
      assert.throws(() => runtimePaths([bad], {}), /--runtime-path expects ID=PATH/);
    assert.throws(
      () => runtimePaths([], { WASM_CONTAINERS_RUNTIME_PATHS: 'oops' }),
      /WASM_CONTAINERS_RUNTIME_PATHS expects ID=PATH/,
    );
  });
});
