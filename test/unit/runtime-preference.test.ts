import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliRuntimes, RUNTIME_ENV } from '../../src/cli/default-runtime';
import {
  availableModuleRuntimes,
  moduleRuntimesOf,
  preferredRuntime,
} from '../../src/core/profile/runtime-preference';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';

// every Wasm CLI pointed at an executable that does not exist: only Node WASI is available
const catalogWithoutClis = () =>
  detectRuntimes({
    skipEngines: true,
    paths: Object.fromEntries(
      ['wasmtime', 'wazero', 'wasmedge', 'wasmer', 'iwasm'].map((id) => [id, `/nonexistent/${id}`]),
    ),
  });

describe('which runtime a one-click profile uses', () => {
  it('the first preference that can run here wins, and says where it came from', async () => {
    const catalog = await detectRuntimes({ skipEngines: true });
    const chosen = preferredRuntime(catalog, [
      { id: 'node-wasi', source: 'remembered' },
      { id: 'wasmtime', source: 'setting' },
    ]);
    assert.equal(chosen.runtime.id, 'node-wasi');
    assert.equal(chosen.source, 'remembered');
    assert.deepEqual(chosen.passedOver, []);
  });

  it('a preference that cannot run here is passed over with its reason, never silently', async () => {
    const catalog = await catalogWithoutClis();
    assert.equal(catalog.runtimes.find((r) => r.id === 'wasmtime')?.available, false);
    const chosen = preferredRuntime(catalog, [
      { id: 'wasmtime', source: 'remembered' },
      { id: 'no-such-runtime', source: 'setting' },
    ]);
    assert.equal(chosen.runtime.id, 'node-wasi');
    assert.equal(chosen.source, 'fallback');
    assert.deepEqual(
      chosen.passedOver.map((p) => [p.id, p.source]),
      [
        ['wasmtime', 'remembered'],
        ['no-such-runtime', 'setting'],
      ],
    );
    assert.match(chosen.passedOver[0].reason, /\/nonexistent\/wasmtime/);
    // what would make it usable comes with it, as facts (each front end words them)
    assert.deepEqual(chosen.passedOver[0].hints[0], {
      kind: 'set-path',
      runtime: 'wasmtime',
      configured: '/nonexistent/wasmtime',
    });
    assert.deepEqual(chosen.passedOver[1].hints, []);
    assert.match(chosen.passedOver[1].reason, /no Wasm runtime has this id \(known: node-wasi, /);
  });

  it('no preference: Node WASI, the fallback that is always there', async () => {
    const chosen = preferredRuntime(await detectRuntimes({ skipEngines: true }), [undefined]);
    assert.equal(chosen.runtime.id, 'node-wasi');
    assert.equal(chosen.source, 'fallback');
  });

  it('across runtimes lists every available module runtime, container runtimes excluded', async () => {
    const catalog = await detectRuntimes({ skipEngines: true });
    const all = availableModuleRuntimes(catalog);
    assert.equal(all[0].id, 'node-wasi');
    assert.ok(all.every((r) => r.available && r.runs === 'wasm' && r.kind === 'process'));
    assert.deepEqual(
      all.map((r) => r.id),
      moduleRuntimesOf(catalog)
        .filter((r) => r.available)
        .map((r) => r.id),
    );
    assert.deepEqual(
      availableModuleRuntimes(await catalogWithoutClis()).map((r) => r.id),
      ['node-wasi'],
    );
  });
});

describe('the CLI default runtime', () => {
  it('--runtime as given; all: every available runtime', async () => {
    const catalog = await detectRuntimes({ skipEngines: true });
    assert.deepEqual(cliRuntimes(catalog, ['wasmtime']).ids, ['wasmtime']);
    const all = cliRuntimes(catalog, ['all']);
    assert.deepEqual(
      all.ids,
      availableModuleRuntimes(catalog).map((r) => r.id),
    );
    assert.match(all.notes[0], /^Wasm runtimes \(--runtime all\): Node\.js WASI/);
  });

  it(`no --runtime: $${RUNTIME_ENV}, else node-wasi, and says which`, async () => {
    const catalog = await catalogWithoutClis();
    const byDefault = cliRuntimes(catalog, [], {});
    assert.deepEqual(byDefault.ids, ['node-wasi']);
    assert.match(
      byDefault.notes.at(-1)!,
      /^Wasm runtime: Node\.js WASI .*\(node-wasi\), from the default/,
    );
    const fromEnv = cliRuntimes(catalog, [], { [RUNTIME_ENV]: 'node-wasi' });
    assert.match(fromEnv.notes.at(-1)!, new RegExp(`from ${RUNTIME_ENV}$`));
    const missing = cliRuntimes(catalog, [], { [RUNTIME_ENV]: 'wasmtime' });
    assert.deepEqual(missing.ids, ['node-wasi']);
    assert.match(missing.notes[0], new RegExp(`^Note: ${RUNTIME_ENV}=wasmtime cannot run here`));
  });
});
