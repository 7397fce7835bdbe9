import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { after, before, describe, it } from 'node:test';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import { inspectEngine, parseCrunWasmHandlers } from '../../src/core/engines/docker/engine';
import { engineGet } from '../../src/core/engines/podman-runtime';
import { runProcess } from '../../src/core/process/run-process';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';
import { buildNativeImage, connectOrSkip, managedContainers } from './docker-helpers';

/**
 * A crun earlier on PATH that claims a WAMR handler: the thing an engine's verdict must ignore,
 * since no engine service runs it (a script that only answers --version, never run as a runtime).
 */
function fakeCrunFirstOnPath(): { dir: string; restore: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-crun-'));
  const crun = path.join(dir, 'crun');
  writeFileSync(
    crun,
    '#!/bin/sh\necho "crun version 9.9.9"\necho "+SYSTEMD +SECCOMP +WASM:wamr +WASM:wasmedge"\n',
  );
  chmodSync(crun, 0o755);
  const saved = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${saved}`;
  return {
    dir,
    restore: () => {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface PodmanInfo {
  host: { ociRuntime: { name: string; path: string } };
}

describe('Podman tells the truth about the runtime its service runs', async () => {
  const { docker: podman, skip } = await connectOrSkip('podman');
  let image = '';
  before(async () => {
    if (podman) image = await buildNativeImage(podman);
  });
  after(async () => {
    if (podman) assert.deepEqual(await managedContainers(podman), [], 'containers left behind');
  });

  it(
    'its Wasm verdict comes from the crun the service runs, not from a crun first on PATH',
    { skip },
    async () => {
      const fake = fakeCrunFirstOnPath();
      try {
        const info = JSON.parse(
          (await runProcess('podman', ['info', '--format', 'json'], { timeoutMs: 30_000 })).stdout,
        ) as PodmanInfo;
        const served = info.host.ociRuntime;
        assert.notEqual(served.path, path.join(fake.dir, 'crun'));
        const realHandlers = served.path
          ? parseCrunWasmHandlers((await runProcess(served.path, ['--version'])).stdout)
          : [];
        const report = await inspectEngine(podman!, true);
        assert.equal(report.ociRuntime?.name, served.name);
        assert.equal(report.ociRuntime?.path, served.path);
        assert.deepEqual(report.crunWasmHandlers, served.name === 'crun' ? realHandlers : []);
        assert.ok(!report.crunWasmHandlers.includes('wamr') || realHandlers.includes('wamr'));
        assert.ok(
          (report.ociRuntime?.features.length ?? 0) > 0,
          'the service binary reports its features',
        );
        assert.equal(report.canRunWasm, report.crunWasmHandlers.length > 0);
        if (!report.canRunWasm)
          assert.ok(report.wasmReason!.includes(`the service runs ${served.path}`));
        const catalog = await detectRuntimes();
        const wasm = catalog.runtimes.find((r) => r.id === 'podman-crun-wasm');
        assert.equal(wasm?.available, report.canRunWasm, wasm?.reason);
        // the Docker engine's crun is the binary it registered, not the PATH one either
        const docker = catalog.engines.find((e) => e.name === 'docker')?.report;
        if (docker?.reachable) assert.ok(!docker.crunWasmHandlers.includes('wamr'));
      } finally {
        fake.restore();
      }
    },
  );

  it(
    'passes annotations through its libpod API (its Docker-compatible create drops them)',
    { skip },
    async () => {
      const crun = new DockerContainerRuntime(
        podman as Docker,
        'crun',
        'native',
        undefined,
        'podman',
      );
      // the container's config while it runs (it sleeps a second; it is removed after)
      let inspected: Promise<unknown> | undefined;
      const r = await crun.run(
        {
          artifact: image,
          args: ['sleep', '1'],
          annotations: {
            'io.wasm-containers.test': 'passed',
            'module.wasm.image/variant': 'compat',
          },
        },
        {
          onStart: (id) => {
            inspected = engineGet(podman!, `/v4.0.0/libpod/containers/${id}/json`);
          },
        },
      );
      const seen = ((await inspected) as { Config: { Annotations: Record<string, string> } }).Config
        .Annotations;
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(seen['io.wasm-containers.test'], 'passed');
      assert.equal(seen['module.wasm.image/variant'], 'compat');
    },
  );

  it(
    'runs under the runtime a target names when it is the service one, and refuses another',
    { skip },
    async () => {
      const report = await inspectEngine(podman!, true);
      const crun = new DockerContainerRuntime(
        podman as Docker,
        'crun',
        'native',
        undefined,
        'podman',
      );
      const same = await crun.run({ artifact: image, ociRuntime: report.ociRuntime!.path });
      assert.equal(same.exitCode, 0, same.stderr);
      assert.equal(same.stdout, 'Hello from a Wasm container!\n');
      const other = report.ociRuntime!.name === 'runc' ? 'crun' : 'runc';
      await assert.rejects(
        crun.run({ artifact: image, ociRuntime: other }),
        new RegExp(
          `runs every container with its service's runtime .* ignores a request for ${other}`,
        ),
      );
    },
  );
});

describe('Docker engine: OCI runtime by path, annotations refused where the API drops them', async () => {
  const { docker, skip } = await connectOrSkip('docker');
  let image = '';
  before(async () => {
    if (docker) image = await buildNativeImage(docker);
  });
  after(async () => {
    if (docker) assert.deepEqual(await managedContainers(docker), [], 'containers left behind');
  });

  it(
    'finds a runtime given by path among the registered ones, and says how to register an unknown one',
    { skip },
    async () => {
      const runc = new DockerContainerRuntime(docker!, 'runc');
      const info = (await docker!.info()) as { Runtimes: Record<string, { path?: string }> };
      const byPath = Object.entries(info.Runtimes).find(([, rt]) => rt.path?.startsWith('/'));
      if (byPath) {
        const r = await runc.run({ artifact: image, ociRuntime: byPath[1].path });
        assert.equal(r.exitCode, 0, r.stderr);
      }
      await assert.rejects(
        runc.run({ artifact: image, ociRuntime: '/opt/none/crun' }),
        /no runtime registered at \/opt\/none\/crun .*daemon\.json/,
      );
    },
  );

  it('asks for annotations only where the engine keeps them', { skip }, async () => {
    const version = await docker!.version();
    const runc = new DockerContainerRuntime(docker!, 'runc');
    const asked = runc.run({ artifact: image, annotations: { 'run.oci.handler': 'wasm' } });
    const [major, minor] = version.ApiVersion.split('.').map(Number);
    if (major === 1 && minor < 43) await assert.rejects(asked, /drops container annotations/);
    else assert.equal((await asked).exitCode, 0);
  });
});
