import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { specFromDockerfile, specFromModule } from '../../src/core/oci/from-sources';
import { buildOciImage, parsePlatform } from '../../src/core/oci/image';
import { parseOutput, writeOutput } from '../../src/core/oci/outputs';
import {
  readDocument,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type WasmArtifactConfig,
} from '../../src/core/oci/documents';
import { readTar, writeTar } from '../../src/core/oci/tar';
import type { BuildReport } from '../../src/cli/build-command';
import { parseReference } from '../../src/core/oci/registry-push';
import { runProcess } from '../../src/core/process/run-process';
import { helloDir, helloWasm, parseJson, repoRoot, tempDir } from './helpers';

const hex = (d: Buffer) => createHash('sha256').update(d).digest('hex');
const wasmDockerfile = path.join(helloDir, 'Dockerfile');
const nativeDockerfile = path.join(helloDir, 'Dockerfile.native');

describe('daemonless OCI writer', () => {
  it('writes tars that GNU tar reads, with fixed owners, modes and times', async () => {
    const dir = tempDir();
    const file = path.join(dir, 't.tar');
    writeFileSync(
      file,
      writeTar([
        { path: 'b', type: 'file', data: Buffer.from('x') },
        { path: 'a', type: 'dir' },
        { path: 'a/' + 'n'.repeat(120), type: 'file', data: Buffer.alloc(600, 1), mode: 0o755 },
      ]),
    );
    const listed = await runProcess('tar', ['tvf', file], { check: true });
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^drwxr-xr-x 0\/0 +0 1970-01-01 00:00 a\/$/);
    assert.match(lines[1], /^-rwxr-xr-x 0\/0 +600 1970-01-01 00:00 a\/n{120}$/);
    assert.deepEqual(
      readTar(readFileSync(file)).map((e) => [e.path, e.data.length]),
      [
        ['a/', 0],
        [`a/${'n'.repeat(120)}`, 600],
        ['b', 1],
      ],
    );
  });

  it('is reproducible: the same inputs give the same digests, a changed input another', async () => {
    const a = await buildOciImage(specFromDockerfile(wasmDockerfile));
    const b = await buildOciImage(specFromDockerfile(wasmDockerfile));
    assert.equal(a.manifest.digest, b.manifest.digest);
    assert.deepEqual(a.layers[0].data, b.layers[0].data);
    assert.deepEqual([...a.layers[0].data.subarray(4, 8)], [0, 0, 0, 0], 'gzip without mtime');
    const dir = tempDir();
    copyFileSync(helloWasm, path.join(dir, 'hello.wasm'));
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      readFileSync(wasmDockerfile, 'utf8').replace(
        'ENTRYPOINT ["/hello.wasm"]',
        'ENTRYPOINT ["/hello.wasm", "x"]',
      ),
    );
    assert.notEqual(
      (await buildOciImage(specFromDockerfile(path.join(dir, 'Dockerfile')))).manifest.digest,
      a.manifest.digest,
    );
  });

  it('an OCI layout holding the wasm image and its native twin checks out structurally', async () => {
    const out = path.join(tempDir(), 'layout');
    const wasm = await buildOciImage(specFromDockerfile(wasmDockerfile));
    const native = await buildOciImage(specFromDockerfile(nativeDockerfile));
    await writeOutput(parseOutput(`oci-layout:${out}`), [wasm, native], 'wasm-containers/hello:1');
    assert.deepEqual(JSON.parse(readFileSync(path.join(out, 'oci-layout'), 'utf8')), {
      imageLayoutVersion: '1.0.0',
    });
    for (const f of readdirSync(path.join(out, 'blobs/sha256')))
      assert.equal(
        hex(readFileSync(path.join(out, 'blobs/sha256', f))),
        f,
        `blob ${f} is addressed by its digest`,
      );
    const top = readDocument<ImageIndex>(readFileSync(path.join(out, 'index.json')));
    assert.equal(top.mediaType, 'application/vnd.oci.image.index.v1+json');
    // one name for both: a nested index that holds the platforms
    const [both, ...perPlatform] = top.manifests;
    assert.equal(both.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(both.annotations, {
      'io.containerd.image.name': 'docker.io/wasm-containers/hello:1',
      'org.opencontainers.image.ref.name': '1',
    });
    assert.equal(both.platform, undefined);
    // and each platform under a name of its own, for tools that cannot pick from an index
    assert.deepEqual(
      perPlatform.map((m) => [m.annotations?.['org.opencontainers.image.ref.name'], m.platform]),
      [
        ['1-wasi-wasm', { os: 'wasi', architecture: 'wasm' }],
        ['1-linux-amd64', { os: 'linux', architecture: 'amd64' }],
      ],
    );
    const blob = (digest: string) => readFileSync(path.join(out, 'blobs/sha256', digest.slice(7)));
    const index = readDocument<ImageIndex>(blob(both.digest));
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(
      index.manifests.map((m) => m.platform),
      [
        { os: 'wasi', architecture: 'wasm' },
        { os: 'linux', architecture: 'amd64' },
      ],
    );
    assert.ok(
      index.manifests.every((m) => m.annotations === undefined),
      'no ref names inside',
    );
    assert.deepEqual(
      perPlatform.map((m) => m.digest),
      index.manifests.map((m) => m.digest),
    );
    const manifest = readDocument<ImageManifest>(blob(index.manifests[0].digest));
    assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(manifest.annotations?.['module.wasm.image/variant'], 'compat');
    assert.equal(manifest.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
    const config = readDocument<ImageConfig>(blob(manifest.config.digest));
    assert.deepEqual(
      [config.os, config.architecture, config.config.Entrypoint, config.created],
      ['wasi', 'wasm', ['/hello.wasm'], '1970-01-01T00:00:00Z'],
    );
    const tar = gunzipSync(blob(manifest.layers[0].digest));
    assert.equal(`sha256:${hex(tar)}`, config.rootfs.diff_ids[0]);
    const [entry] = readTar(tar);
    assert.deepEqual([entry.path, entry.mode, entry.mtime, entry.uid], ['hello.wasm', 0o644, 0, 0]);
    assert.deepEqual(entry.data, readFileSync(helloWasm));
    assert.ok(
      wasm.sizes.compressed < native.sizes.compressed / 10,
      `${wasm.sizes.compressed} vs ${native.sizes.compressed}`,
    );
    assert.equal(wasm.sizes.modules, readFileSync(helloWasm).length);
  });

  it('writes the CNCF Wasm OCI artifact form: wasm config, one application/wasm layer', async () => {
    const img = await buildOciImage(specFromModule(helloWasm, { platform: 'wasip1/wasm' }), {
      artifact: true,
    });
    const manifest = readDocument<ImageManifest>(img.manifest.data);
    assert.equal(manifest.config.mediaType, 'application/vnd.wasm.config.v0+json');
    assert.deepEqual(
      manifest.layers.map((l) => l.mediaType),
      ['application/wasm'],
    );
    assert.deepEqual(img.layers[0].data, readFileSync(helloWasm));
    const config = readDocument<WasmArtifactConfig>(img.config.data);
    assert.deepEqual(
      [config.os, config.architecture, config.layerDigests],
      ['wasip1', 'wasm', [img.layers[0].digest]],
    );
    await assert.rejects(
      buildOciImage(specFromDockerfile(nativeDockerfile), { artifact: true }),
      /needs a Wasm platform/,
    );
  });

  it('labels a component wasip2 with its imports and exports in the artifact config', async () => {
    const component = path.join(helloDir, 'hello.component.wasm');
    for (const platform of ['wasi/wasm', 'wasip2/wasm']) {
      const img = await buildOciImage(specFromModule(component, { platform }), { artifact: true });
      const config = readDocument<
        WasmArtifactConfig & { component?: { imports: string[]; exports: string[] } }
      >(img.config.data);
      assert.equal(config.os, 'wasip2');
      assert.deepEqual(img.platform, { os: 'wasip2', architecture: 'wasm' });
      assert.ok(
        config.component!.imports.some((i) => i.startsWith('wasi:cli/stdout@0.2.')),
        config.component!.imports.join(),
      );
      assert.ok(config.component!.exports.some((e) => e.startsWith('wasi:cli/run@')));
    }
    const core = readDocument<WasmArtifactConfig & { component?: unknown }>(
      (await buildOciImage(specFromModule(helloWasm), { artifact: true })).config.data,
    );
    assert.equal(core.os, 'wasip1');
    assert.equal(core.component, undefined);
  });

  it('refuses a platform that contradicts what the image runs', async () => {
    const component = path.join(helloDir, 'hello.component.wasm');
    const cases: Array<[() => unknown, RegExp]> = [
      [
        () =>
          buildOciImage(specFromModule(helloWasm, { platform: 'wasip2/wasm' }), { artifact: true }),
        /hello\.wasm is a core module \(WASI preview1\); wasip2 is for components/,
      ],
      [
        () => buildOciImage(specFromModule(helloWasm, { platform: 'wasip2/wasm' })),
        /wasip2 is for components/,
      ],
      [
        () => buildOciImage(specFromModule(component, { platform: 'wasip1/wasm' })),
        /is a component \(WASI 0\.2 and later\); use wasip2\/wasm/,
      ],
      [
        () => buildOciImage(specFromModule(helloWasm, { platform: 'linux/amd64' })),
        /platform linux\/amd64: the image runs hello\.wasm, a WebAssembly module/,
      ],
      [
        () => buildOciImage(specFromDockerfile(nativeDockerfile, { platform: 'wasi/wasm' })),
        /platform wasi\/wasm: the image runs no WebAssembly module/,
      ],
    ];
    for (const [build, message] of cases)
      await assert.rejects(Promise.resolve().then(build), message);
  });

  it('refuses what cannot be built, says why, and leaves no half-written output', async () => {
    assert.throws(
      () => parsePlatform('wasi/wasm32'),
      /architecture of Wasm images is 'wasm', not 'wasm32'/,
    );
    assert.throws(() => parseOutput('tarball:x'), /--output expects oci-layout:DIR/);
    const dir = tempDir();
    copyFileSync(helloWasm, path.join(dir, 'hello.wasm'));
    const bad: Array<[string, RegExp]> = [
      [
        'FROM scratch\nCOPY hello.wasm /h.wasm\nRUN echo\n',
        /Dockerfile:3: RUN in a FROM scratch stage cannot work/,
      ],
      [
        'FROM scratch\nCOPY ../x /x\n',
        /Dockerfile:2: COPY source \.\.\/x (leaves the build context|does not exist)/,
      ],
      ['FROM scratch\nUSER app\n', /Dockerfile:2: USER is not supported/],
      [
        'FROM scratch\nCOPY --from=build /a /a\n',
        /Dockerfile:2: COPY --from copies from another stage/,
      ],
      [
        'FROM debian\nCOPY hello.wasm /h.wasm\n',
        /Dockerfile:1: the final stage builds FROM debian/,
      ],
    ];
    for (const [text, pattern] of bad) {
      writeFileSync(path.join(dir, 'Dockerfile'), text);
      assert.throws(() => specFromDockerfile(path.join(dir, 'Dockerfile')), pattern, text);
    }
    const target = path.join(dir, 'out.tar');
    const wasm = await buildOciImage(specFromModule(helloWasm), { artifact: true });
    await assert.rejects(
      writeOutput(parseOutput(`docker-archive:${target}`), [wasm], 'x:1'),
      /no docker-archive form/,
    );
    assert.equal(existsSync(target), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-')),
      [],
    );
  });

  it('wasm-containers build prints digests and sizes (JSON)', async () => {
    const out = path.join(tempDir(), 'img.tar');
    const r = await runProcess(
      process.execPath,
      [
        path.join(repoRoot, 'dist/cli.js'),
        'build',
        wasmDockerfile,
        '--native',
        nativeDockerfile,
        '--output',
        `oci-archive:${out}`,
        '--json',
      ],
      { check: true },
    );
    const json = parseJson<BuildReport>(r.stdout);
    assert.deepEqual(
      json.images.map((i) => i.platform),
      ['wasi/wasm', 'linux/amd64'],
    );
    assert.match(json.images[0].manifestDigest, /^sha256:[0-9a-f]{64}$/);
    assert.ok(existsSync(out));
    const listed = await runProcess('tar', ['tf', out], { check: true });
    assert.match(listed.stdout, /^index\.json$/m);
  });
});

describe('registry references', () => {
  it('parses registry, repository, tag or digest, and picks HTTP only for loopback registries', () => {
    assert.deepEqual(parseReference('127.0.0.1:5000/hello:v1'), {
      baseUrl: 'http://127.0.0.1:5000',
      registry: '127.0.0.1:5000',
      repository: 'hello',
      tag: 'v1',
    });
    assert.deepEqual(parseReference('localhost:5000/ns/hello'), {
      baseUrl: 'http://localhost:5000',
      registry: 'localhost:5000',
      repository: 'ns/hello',
      tag: 'latest',
    });
    assert.equal(parseReference('ghcr.io/me/hello:1.0').baseUrl, 'https://ghcr.io');
    assert.equal(
      parseReference('http://registry.lan:5000/hello').baseUrl,
      'http://registry.lan:5000',
    );
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.equal(parseReference(`127.0.0.1:5000/hello@${digest}`).tag, digest);
    assert.throws(() => parseReference('hello:v1'), /expects REGISTRY\/REPOSITORY\[:TAG\]/);
    assert.throws(() => parseReference('127.0.0.1:5000/Hello'), /not a valid repository name/);
    assert.throws(() => parseReference('127.0.0.1:5000/hello@sha256:xyz'), /not a sha256 digest/);
  });
});
