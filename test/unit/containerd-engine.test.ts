import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isShimRuntime, shimBinaryOf } from '../../src/core/engines/containerd/container';
import { parseEventLine } from '../../src/core/engines/containerd/ctr';
import { cgroupCurrentFiles } from '../../src/core/measure/cgroup-memory';

describe('containerd engine (pure parts)', () => {
  it("reads ctr events: the daemon's time to the nanosecond, the topic, the container", () => {
    const start = parseEventLine(
      '2026-12-02 13:39:13.419666105 +0000 UTC wasm-containers /tasks/start {"container_id":"t5","pid":20437}',
    );
    assert.equal(start?.topic, '/tasks/start');
    assert.equal(start?.containerId, 't5');
    assert.equal(start?.wallMs, Date.parse('2026-12-02T13:39:13Z') + 419.666105);
    const created = parseEventLine(
      '2026-12-02 13:39:13.162552878 +0000 UTC wasm-containers /containers/create {"id":"t5","image":"x","runtime":{"name":"io.containerd.runc.v2"}}',
    );
    assert.equal(created?.containerId, 't5', '/containers/* events name the container as id');
    assert.equal(
      parseEventLine(
        '2026-12-02 13:39:14 +0000 UTC wasm-containers /namespaces/update {"name":"wasm-containers"}',
      )?.containerId,
      undefined,
    );
    assert.equal(parseEventLine('ctr: failed to dial'), undefined);
  });

  it('maps runwasi runtimes to their shim binaries and tells them from OCI runtimes', () => {
    assert.equal(shimBinaryOf('io.containerd.wasmtime.v1'), 'containerd-shim-wasmtime-v1');
    assert.ok(isShimRuntime('io.containerd.wasmtime.v1'));
    assert.ok(!isShimRuntime('youki'));
    assert.ok(!isShimRuntime('/usr/local/bin/crun'));
  });

  it("reads a ctr container's memory from containerd's cgroup path (/<namespace>/<id>)", () => {
    assert.ok(
      cgroupCurrentFiles('wc-1', '/cg').includes(
        '/cg/memory/wasm-containers/wc-1/memory.usage_in_bytes',
      ),
    );
    assert.ok(
      cgroupCurrentFiles('wc-1', '/cg').includes('/cg/wasm-containers/wc-1/memory.current'),
    );
  });
});
