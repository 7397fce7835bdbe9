import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { moduleOfImage, readOciArchive } from '../../src/core/oci/archive-read';
import { buildLocalWasmImage } from '../../src/core/oci/local-images';
import { helloDir, helloWasm, tempDir } from './helpers';

describe('a daemonless image read back from its oci-archive', () => {
  it('gives the module its entrypoint runs, byte for byte, and the blobs a push sends', async () => {
    const dir = tempDir();
    const built = await buildLocalWasmImage(path.join(helloDir, 'Dockerfile'), dir);
    const [image, ...more] = readOciArchive(built.archive);
    assert.equal(more.length, 0);
    assert.ok(image);
    assert.equal(image.manifest.digest, built.manifestDigest);
    assert.deepEqual(image.platform, { os: 'wasi', architecture: 'wasm' });
    assert.deepEqual(image.entrypoint, ['/hello.wasm']);
    assert.equal(image.sizes.compressed, built.sizes.compressed);
    const module = moduleOfImage(image);
    assert.ok('data' in module, JSON.stringify(module));
    assert.equal(module.path, '/hello.wasm');
    assert.deepEqual(module.data, readFileSync(helloWasm));
  });

  it('a Wasm OCI artifact (module as a layer) runs its only module', async () => {
    const dir = tempDir();
    const built = await buildLocalWasmImage(helloWasm, dir, { artifact: true });
    const [image] = readOciArchive(built.archive);
    assert.ok(image?.artifact);
    const module = moduleOfImage(image);
    assert.ok('data' in module, JSON.stringify(module));
    assert.deepEqual(module.data, readFileSync(helloWasm));
  });

  it('a corrupted blob is refused', async () => {
    const dir = tempDir();
    const built = await buildLocalWasmImage(helloWasm, dir);
    const bytes = readFileSync(built.archive);
    // flip a byte inside the module's gzip layer (the largest blob)
    const at = bytes.indexOf(Buffer.from([0x1f, 0x8b])) + 40;
    bytes[at] ^= 0xff;
    writeFileSync(built.archive, bytes);
    assert.throws(() => readOciArchive(built.archive), /does not match its digest/);
  });
});
