import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildLocalWasmImage, scratchImageSize } from '../../src/core/oci/local-images';
import { isCancelled } from '../../src/core/process/errors';
import { helloWasm, tempDir } from './helpers';

/** A module of a few MB (hello.wasm's bytes, then compressible filler): several gzip blocks. */
function bigModule(dir: string, megabytes: number): string {
  const file = path.join(dir, 'big.wasm');
  const filler = Buffer.alloc(megabytes << 20);
  const words = Buffer.from('(func $f (param i32) (result i32) local.get 0 i32.const 1 i32.add) ');
  for (let i = 0; i < filler.length; i++) filler[i] = words[i % words.length]!;
  randomBytes(filler.length >> 6).forEach((b, i) => (filler[(i * 61) % filler.length] = b));
  writeFileSync(file, Buffer.concat([readFileSync(helloWasm), filler]));
  return file;
}

/** A folder's entries with their bytes: what a cancelled build must leave as it was. */
const contents = (dir: string) =>
  new Map(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));

describe('daemonless image build in a worker thread', () => {
  it('gives the image, byte for byte, that the calling thread builds', async () => {
    const work = tempDir();
    const module = bigModule(work, 2);
    const here = await buildLocalWasmImage(module, path.join(work, 'here'));
    const there = await buildLocalWasmImage(module, path.join(work, 'there'), { worker: true });
    assert.match(there.manifestDigest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(there.manifestDigest, here.manifestDigest);
    assert.deepEqual(there.sizes, here.sizes);
    assert.deepEqual(readFileSync(there.archive), readFileSync(here.archive));
    // each folder holds the image and its description, no staging left behind
    assert.deepEqual(readdirSync(path.join(work, 'there')).sort(), ['big.json', 'big.oci.tar']);
    assert.deepEqual(
      await scratchImageSize(module, 'wasm', { worker: true }),
      await scratchImageSize(module, 'wasm'),
    );
  });

  it('a cancel at any point leaves the previous image and nothing else', async () => {
    const work = tempDir();
    const module = bigModule(work, 6);
    const dir = path.join(work, 'images');
    const previous = await buildLocalWasmImage(helloWasm, dir, { worker: true });
    // the same name as hello.wasm's image: a finished rebuild would replace it
    const rebuilt = path.join(work, 'hello.wasm');
    writeFileSync(rebuilt, readFileSync(module));
    const before = contents(dir);
    let cancelled = 0;
    // cancels from before the worker starts to well into compressing and writing the archive;
    // a build that finishes first must have replaced the image whole
    for (const delay of [0, 1, 10, 30, 60, 100, 200, 400]) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), delay);
      try {
        const image = await buildLocalWasmImage(rebuilt, dir, {
          worker: true,
          signal: controller.signal,
        });
        clearTimeout(timer);
        assert.notEqual(image.manifestDigest, previous.manifestDigest);
        assert.deepEqual(readdirSync(dir).sort(), ['hello.json', 'hello.oci.tar']);
        // put the previous image back for the next cancel
        for (const [f, b64] of before) writeFileSync(path.join(dir, f), Buffer.from(b64, 'base64'));
      } catch (e) {
        clearTimeout(timer);
        assert.ok(isCancelled(e), `cancelled after ${delay} ms: ${String(e)}`);
        cancelled++;
        assert.deepEqual(contents(dir), before, `what a cancel after ${delay} ms left`);
      }
    }
    assert.ok(cancelled > 0, 'at least the immediate cancel happened before the build finished');
  });

  it("an error in the worker keeps its message, code and the worker's stack", async () => {
    const work = tempDir();
    const missing = path.join(work, 'missing.wasm');
    const error = await buildLocalWasmImage(missing, path.join(work, 'images'), {
      worker: true,
    }).then(
      () => assert.fail('a missing module was built'),
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    assert.ok(error instanceof Error);
    assert.match(error.message, /missing\.wasm/);
    assert.equal(error.code, 'ENOENT');
    assert.match(error.stack ?? '', /image-worker\.[jt]s/, 'the frames are the worker thread’s');
    assert.deepEqual(readdirSync(path.join(work, 'images')), [], 'no staging folder is left');
    // the profile's estimate says "no size" for an unreadable file, in the worker too
    assert.equal(await scratchImageSize(missing, 'wasm', { worker: true }), undefined);
  });

  it('refuses a file that is not a module, saying what a Wasm image takes', async () => {
    const work = tempDir();
    const notWasm = path.join(work, 'broken.wasm');
    writeFileSync(notWasm, 'this is not wasm');
    await assert.rejects(
      buildLocalWasmImage(notWasm, path.join(work, 'images'), { worker: true }),
      /broken\.wasm is not a WebAssembly binary \(it does not begin with \\0asm\)\. A Wasm image takes a module compiled for WASI/,
    );
    assert.deepEqual(readdirSync(path.join(work, 'images')), [], 'no staging folder is left');
  });
});
