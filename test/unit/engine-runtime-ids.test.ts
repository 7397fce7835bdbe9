import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isEngineRuntimeId,
  needsEngines,
  parseEngineRuntimeId,
} from '../../src/core/engines/runtime-ids';
import { roleName } from '../../src/core/profile/report-verdict';

describe('engine runtime ids (one place for every engine)', () => {
  it('parses each engine and keeps dots and dashes of the runtime', () => {
    assert.deepEqual(parseEngineRuntimeId('containerd-io.containerd.wasmtime.v1'), {
      engine: 'containerd',
      runtime: 'io.containerd.wasmtime.v1',
      engineName: 'containerd',
    });
    assert.equal(parseEngineRuntimeId('podman-crun-wasm')?.runtime, 'crun-wasm');
    assert.equal(parseEngineRuntimeId('docker-runsc')?.engineName, 'Docker');
  });

  it('process runtimes are not engine runtimes', () => {
    for (const id of ['process', 'node-wasi', 'wasmtime-aot', 'dockerish', 'containerd'])
      assert.equal(isEngineRuntimeId(id), false, id);
  });

  // a spec with only containerd targets once skipped engine detection: "unknown runtime"
  it('a spec needs the engines detected for containerd targets too', () => {
    assert.equal(needsEngines([{ runtime: 'process' }, { runtime: 'containerd-youki' }]), true);
    assert.equal(needsEngines([{ runtime: 'process' }, { runtime: 'wasmtime' }]), false);
  });

  it('reports name a containerd runtime by its engine', () => {
    assert.equal(
      roleName({ runs: 'native', runtime: 'containerd-youki' }),
      'native under youki (containerd)',
    );
    assert.equal(
      roleName({ runs: 'native', runtime: 'podman-crun' }),
      'native under crun (Podman)',
    );
  });
});
