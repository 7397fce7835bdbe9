import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { findExecutable } from '../../src/core/runtimes/find-executable';
import { tempDir } from '../unit/helpers';
import { connectOrSkip, helloDir, repoRoot } from './docker-helpers';

/**
 * What the builder writes, read by other tools: skopeo (inspect, copy --all between oci,
 * oci-archive, docker-archive and dir), umoci (ls, unpack), containerd's ctr (images import) and
 * the Docker engine (load + run of the native twin). A tool that is missing is a skip with the
 * reason; scripts/setup-system.sh installs them all (CI).
 */
const cli = path.join(repoRoot, 'dist', 'cli.js');
const NAME = 'wasm-containers-test/interop:1';
const CTR_NAMESPACE = 'wasm-containers-interop-test';
const tool = (name: string) => findExecutable(name);
const need = (name: string) =>
  tool(name) ? undefined : `${name} is not installed (scripts/setup-system.sh)`;
const run = async (file: string, args: string[]) => {
  const r = await runProcess(file, args, { timeoutMs: 120_000 });
  assert.equal(r.exitCode, 0, `${file} ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
};
const build = (...args: string[]) =>
  run(process.execPath, [
    cli,
    'build',
    path.join(helloDir, 'Dockerfile'),
    '--native',
    path.join(helloDir, 'Dockerfile.native'),
    '--tag',
    NAME,
    ...args,
  ]);

/** A containerd that answers: the project's containerd 2 daemon, or the Docker engine's own. */
async function containerd(): Promise<{ ctr: string; address: string } | undefined> {
  const candidates = [
    ['/var/cache/wasm-containers/bin/ctr', '/run/wasm-containers/containerd/containerd.sock'],
    ['/usr/bin/ctr', '/run/containerd/containerd.sock'],
    ['/usr/bin/ctr', '/var/run/docker/containerd/containerd.sock'],
  ];
  for (const [ctr, address] of candidates) {
    if (!existsSync(ctr) || !existsSync(address)) continue;
    const r = await runProcess(ctr, ['--address', address, 'version'], { timeoutMs: 10_000 });
    if (r.exitCode === 0) return { ctr, address };
  }
  return undefined;
}

describe('OCI outputs read by other tools', async () => {
  const dir = tempDir('wc-interop-');
  const layout = path.join(dir, 'layout');
  const archive = path.join(dir, 'image.oci.tar');
  await build('--output', `oci-layout:${layout}`);
  await build('--output', `oci-archive:${archive}`);
  const ctr = await containerd();

  it(
    'skopeo: one name, both platforms: inspect picks each by platform',
    { skip: need('skopeo') },
    async () => {
      const raw = JSON.parse(await run('skopeo', ['inspect', '--raw', `oci:${layout}:1`])) as {
        mediaType: string;
        manifests: Array<{ platform: { os: string; architecture: string } }>;
      };
      assert.equal(raw.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(
        raw.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
        ['wasi/wasm', 'linux/amd64'],
      );
      for (const [os, arch] of [
        ['linux', 'amd64'],
        ['wasi', 'wasm'],
      ]) {
        const info = JSON.parse(
          await run('skopeo', [
            'inspect',
            '--override-os',
            os,
            '--override-arch',
            arch,
            `oci:${layout}:1`,
          ]),
        ) as { Os: string; Architecture: string };
        assert.deepEqual([info.Os, info.Architecture], [os, arch]);
      }
    },
  );

  it(
    'skopeo copy --all keeps both platforms: oci → oci, oci → oci-archive, oci-archive → dir',
    { skip: need('skopeo') },
    async () => {
      const platforms = async (ref: string) =>
        (
          JSON.parse(await run('skopeo', ['inspect', '--raw', ref])) as {
            manifests: Array<{ platform: { os: string } }>;
          }
        ).manifests.map((m) => m.platform.os);
      await run('skopeo', ['copy', '--all', `oci:${layout}:1`, `oci:${dir}/copy:copied`]);
      assert.deepEqual(await platforms(`oci:${dir}/copy:copied`), ['wasi', 'linux']);
      await run('skopeo', [
        'copy',
        '--all',
        `oci:${layout}:1`,
        `oci-archive:${dir}/copy.tar:copied`,
      ]);
      assert.deepEqual(await platforms(`oci-archive:${dir}/copy.tar:copied`), ['wasi', 'linux']);
      await run('skopeo', ['copy', '--all', `oci-archive:${archive}:1`, `dir:${dir}/dir`]);
      const manifests = readdirSync(path.join(dir, 'dir')).filter((f) =>
        f.endsWith('.manifest.json'),
      );
      assert.equal(manifests.length, 2, "both platforms' manifests in the dir copy");
    },
  );

  it(
    'skopeo copy of the native platform to a docker-archive that the engine loads and runs',
    { skip: need('skopeo') },
    async (t) => {
      const { docker, skip } = await connectOrSkip();
      if (!docker) return t.skip(skip);
      const file = path.join(dir, 'native.docker.tar');
      await run('skopeo', [
        'copy',
        '--override-os',
        'linux',
        '--override-arch',
        'amd64',
        `oci:${layout}:1`,
        `docker-archive:${file}:wasm-containers-test/interop-native:1`,
      ]);
      await run('docker', ['load', '-i', file]);
      const r = await runProcess('docker', [
        'run',
        '--rm',
        '--network=none',
        'wasm-containers-test/interop-native:1',
      ]);
      assert.equal(r.stdout, 'Hello from a Wasm container!\n', r.stderr);
      await runProcess('docker', ['rmi', 'wasm-containers-test/interop-native:1']);
    },
  );

  it(
    "umoci lists the name and each platform's tag, unpacks the native bundle and the Wasm rootfs",
    { skip: need('umoci') },
    async () => {
      const tags = (await run('umoci', ['ls', '--layout', layout])).trim().split('\n');
      assert.deepEqual(tags, ['1', '1-wasi-wasm', '1-linux-amd64']);
      // the native twin: a runtime bundle (rootfs + config.json from the image config)
      const bundle = path.join(dir, 'bundle-native');
      await run('umoci', ['unpack', '--rootless', '--image', `${layout}:1-linux-amd64`, bundle]);
      assert.deepEqual(readdirSync(path.join(bundle, 'rootfs')), ['hello']);
      const config = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as {
        process: { args: string[] };
      };
      assert.deepEqual(config.process.args, ['/hello']);
      // the Wasm image: umoci 0.4 makes runtime configs for Linux only, so its rootfs (raw unpack)
      const rootfs = path.join(dir, 'rootfs-wasm');
      await run('umoci', [
        'raw',
        'unpack',
        '--rootless',
        '--image',
        `${layout}:1-wasi-wasm`,
        rootfs,
      ]);
      assert.deepEqual(
        readFileSync(path.join(rootfs, 'hello.wasm')),
        readFileSync(path.join(helloDir, 'hello.wasm')),
      );
    },
  );

  it(
    'ctr images import takes one image with both platforms',
    { skip: ctr ? undefined : "no containerd answers (Docker's or scripts/setup-containerd.sh's)" },
    async () => {
      const base = ['--address', ctr!.address, '-n', CTR_NAMESPACE];
      await run(ctr!.ctr, [...base, 'images', 'import', '--all-platforms', archive]);
      const list = await run(ctr!.ctr, [...base, 'images', 'ls']);
      const line = list
        .split('\n')
        .find((l) => l.startsWith('docker.io/wasm-containers-test/interop:1 '));
      assert.ok(line, list);
      assert.match(line, /linux\/amd64,wasi\/wasm/);
      assert.match(line, /application\/vnd\.oci\.image\.index\.v1\+json/);
    },
  );

  after(async () => {
    if (!ctr) return;
    const base = ['--address', ctr.address, '-n', CTR_NAMESPACE];
    const names = (await runProcess(ctr.ctr, [...base, 'images', 'ls', '-q'])).stdout
      .trim()
      .split('\n')
      .filter(Boolean);
    if (names.length) await runProcess(ctr.ctr, [...base, 'images', 'rm', ...names]);
  });

  it(
    'the CNCF artifact of the component: wasip2 with its component field, copied by skopeo as it is',
    { skip: need('skopeo') },
    async () => {
      const art = path.join(dir, 'artifact');
      await run(process.execPath, [
        cli,
        'build',
        path.join(helloDir, 'hello.component.wasm'),
        '--artifact',
        '--output',
        `oci-layout:${art}`,
        '--tag',
        'wasm-containers-test/component:1',
      ]);
      const manifest = JSON.parse(await run('skopeo', ['inspect', '--raw', `oci:${art}:1`])) as {
        config: { mediaType: string; digest: string };
        layers: Array<{ mediaType: string }>;
      };
      assert.equal(manifest.config.mediaType, 'application/vnd.wasm.config.v0+json');
      assert.deepEqual(
        manifest.layers.map((l) => l.mediaType),
        ['application/wasm'],
      );
      const config = JSON.parse(
        await run('skopeo', ['inspect', '--config', '--raw', `oci:${art}:1`]),
      ) as {
        os: string;
        component?: { exports: string[] };
      };
      assert.equal(config.os, 'wasip2');
      assert.ok(config.component?.exports.some((e) => e.startsWith('wasi:cli/run@')));
      await run('skopeo', ['copy', `oci:${art}:1`, `oci:${dir}/artifact-copy:1`]);
      const copied = JSON.parse(
        await run('skopeo', ['inspect', '--raw', `oci:${dir}/artifact-copy:1`]),
      ) as typeof manifest;
      assert.equal(copied.config.digest, manifest.config.digest);
    },
  );
});
