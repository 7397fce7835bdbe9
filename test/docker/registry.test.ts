import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../src/core/oci/digest';
import type { BuildReport } from '../../src/cli/build-command';
import { readDocument, type ImageIndex, type ImageManifest } from '../../src/core/oci/documents';
import { fetchBlob, fetchManifest } from '../../src/core/oci/registry-push';
import { runProcess } from '../../src/core/process/run-process';
import { DockerContainerRuntime } from '../../src/core/engines/docker/container';
import { connectOrSkip, helloDir, repoRoot } from './docker-helpers';
import { parseJson, tempDir } from '../unit/helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const REGISTRY = '/usr/bin/docker-registry';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });

/** Debian's docker-registry (distribution 2.8) on 127.0.0.1, storing into a temporary folder. */
async function startRegistry(): Promise<{ url: string; proc: ChildProcess }> {
  const dir = tempDir('wc-registry-');
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const proc = spawn(REGISTRY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => {
    log += d;
  });
  for (let i = 0; i < 100; i++) {
    if (
      (await fetch(`http://127.0.0.1:${port}/v2/`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      return { url: `127.0.0.1:${port}`, proc };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`docker-registry did not come up: ${log}`);
}

const build = (...args: string[]) =>
  runProcess(process.execPath, [cli, 'build', ...args], { timeoutMs: 60_000 });

describe('pushing daemonless images to a real registry', async () => {
  const skip = existsSync(REGISTRY)
    ? undefined
    : 'docker-registry is not installed (apt-get install docker-registry)';
  if (skip && process.env.REQUIRE_DOCKER === '1') throw new Error(`REQUIRE_DOCKER=1 but ${skip}`);
  const { docker, skip: noEngine } = await connectOrSkip();
  let registry: { url: string; proc: ChildProcess } | undefined;
  before(async () => {
    if (!skip) registry = await startRegistry();
  });
  after(() => registry?.proc.kill());

  it(
    'pushes the Wasm image and its native twin as one index, reads every document and blob back, and writes the same layout locally',
    { skip },
    async () => {
      const dir = tempDir();
      const ref = `${registry!.url}/wasm-containers/hello:v1`;
      const r = await build(
        path.join(helloDir, 'Dockerfile'),
        '--native',
        path.join(helloDir, 'Dockerfile.native'),
        '--push',
        ref,
        '--output',
        `oci-layout:${dir}/layout`,
        '--json',
      );
      assert.equal(r.exitCode, 0, r.stderr);
      const out = parseJson<BuildReport>(r.stdout);
      assert.ok(out.pushed);
      assert.equal(out.pushed.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.equal(out.pushed.uploaded, 4, 'two configs and two layers');
      const index = await fetchManifest(ref);
      assert.equal(index.digest, out.pushed.digest);
      assert.equal(sha256(index.body), out.pushed.digest);
      const manifests = readDocument<ImageIndex>(index.body).manifests;
      assert.deepEqual(
        manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`),
        ['wasi/wasm', 'linux/amd64'],
      );
      for (const m of manifests) {
        const byDigest = await fetchManifest(`${registry!.url}/wasm-containers/hello@${m.digest}`);
        assert.equal(sha256(byDigest.body), m.digest);
        const doc = readDocument<ImageManifest>(byDigest.body);
        for (const blob of [doc.config, ...doc.layers])
          assert.equal(sha256(await fetchBlob(ref, blob.digest)), blob.digest);
        assert.deepEqual(
          out.images.find((i) => i.manifestDigest === m.digest)?.manifestDigest,
          m.digest,
        );
      }
      // the local layout holds the same index (nested under the name) and the same images
      const local = readDocument<ImageIndex>(readFileSync(path.join(dir, 'layout', 'index.json')));
      assert.equal(local.manifests[0].digest, out.pushed.digest);
      assert.deepEqual(
        local.manifests.slice(1).map((m) => m.digest),
        manifests.map((m) => m.digest),
      );
      // a second push finds every blob there and uploads nothing
      const again = parseJson<BuildReport>(
        (
          await build(
            path.join(helloDir, 'Dockerfile'),
            '--native',
            path.join(helloDir, 'Dockerfile.native'),
            '--push',
            ref,
            '--json',
          )
        ).stdout,
      );
      assert.equal(again.pushed?.uploaded, 0);
      assert.equal(again.pushed?.skipped, 4);
      assert.equal(again.pushed?.digest, out.pushed.digest, 'reproducible: the same digest');
    },
  );

  it(
    'the engine pulls the pushed native twin from the local registry and runs it under runc',
    { skip: skip ?? noEngine },
    async () => {
      const engine = docker!;
      const ref = `${registry!.url}/wasm-containers/hello-native:v1`;
      const r = await build(path.join(helloDir, 'Dockerfile.native'), '--push', ref);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`Pushed ${ref.replace(/[.]/g, '\\.')} → sha256:[0-9a-f]{64}`),
      );
      await new Promise<void>((resolve, reject) => {
        void engine.pull(ref, (err: Error | null, stream: NodeJS.ReadableStream) => {
          if (err) return reject(err);
          engine.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve()));
        });
      });
      const run = await new DockerContainerRuntime(engine, 'runc').run({
        artifact: ref,
        args: ['exit', '3'],
      });
      assert.equal(run.exitCode, 3);
      await engine
        .getImage(ref)
        .remove()
        .catch(() => undefined);
    },
  );

  it(
    'a registry that refuses the connection: a clear error, and no local output',
    { skip },
    async () => {
      const dir = tempDir();
      const port = await freePort(); // nothing listens there
      const r = await build(
        path.join(helloDir, 'Dockerfile'),
        '--push',
        `127.0.0.1:${port}/x/hello:v1`,
        '--output',
        `oci-archive:${dir}/out.tar`,
      );
      assert.equal(r.exitCode, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `the registry 127\\.0\\.0\\.1:${port} did not answer GET /v2/: ECONNREFUSED\\. Is it running, and reachable from here\\?`,
        ),
      );
      assert.equal(existsSync(path.join(dir, 'out.tar')), false);
    },
  );

  it(
    'a registry that drops the connection in the middle: a clear error, and no local output',
    { skip },
    async () => {
      const dir = tempDir();
      // answers /v2/ like a registry, then drops every later connection
      let requests = 0;
      const server: Server = createServer((socket) => {
        socket.once('data', () => {
          if (requests++ === 0)
            socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
          else socket.destroy();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const r = await build(
          path.join(helloDir, 'Dockerfile'),
          '--push',
          `127.0.0.1:${port}/x/hello:v1`,
          '--output',
          `oci-layout:${dir}/layout`,
        );
        assert.equal(r.exitCode, 1);
        assert.match(
          r.stderr,
          /the registry 127\.0\.0\.1:\d+ did not answer HEAD \/v2\/x\/hello\/blobs\/sha256:[0-9a-f]{64}: /,
        );
        assert.equal(existsSync(path.join(dir, 'layout')), false);
      } finally {
        server.close();
      }
    },
  );
});
