import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { sha256 } from '../../src/core/oci/digest';
import { GZIP_BLOCK, gzipParts, gzipReproducible, sha256Async } from '../../src/core/oci/gzip';
import { runProcess } from '../../src/core/process/run-process';
import { helloWasm, repoRoot, tempDir } from './helpers';

/** Compressible but not trivial: text-like runs with random bytes mixed in. */
function sample(size: number): Buffer {
  const words = Buffer.from('(func $f (param i32) (result i32) local.get 0 i32.const 1 i32.add) ');
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = words[i % words.length];
  const noise = randomBytes(Math.floor(size / 50));
  for (let i = 0; i < noise.length; i++) b[(i * 97) % size] = noise[i];
  return b;
}

describe('reproducible parallel gzip', () => {
  it('any gunzip reads it back, at every size around the block boundaries', async () => {
    for (const size of [0, 1, GZIP_BLOCK - 1, GZIP_BLOCK, GZIP_BLOCK + 1, 3 * GZIP_BLOCK + 5]) {
      const data = sample(size);
      const gz = await gzipReproducible(data, 6);
      assert.deepEqual(gunzipSync(gz), data, `size ${size}`);
      assert.deepEqual(
        [...gz.subarray(0, 10)],
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
        'no name, mtime 0',
      );
    }
  });

  it('the same input and level always give the same bytes; the level matters', async () => {
    const data = sample(2 * GZIP_BLOCK + 1234);
    const a = await gzipReproducible(data, 6);
    assert.deepEqual(await gzipReproducible(data, 6), a);
    const fast = await gzipReproducible(data, 1);
    assert.notDeepEqual(fast, a);
    assert.deepEqual(gunzipSync(fast), data);
  });

  it('pieces compress to the bytes of their join, with the digests of input and output', async () => {
    const data = sample(3 * GZIP_BLOCK + 777);
    // cuts inside blocks, on block boundaries, inside a dictionary window, and empty pieces
    const cuts = [0, 10, 10, GZIP_BLOCK, GZIP_BLOCK + 100, 2 * GZIP_BLOCK - 5, data.length];
    const pieces = cuts.slice(1).map((end, i) => data.subarray(cuts[i], end));
    const joined = await gzipReproducible(data, 6);
    const { gz, inputDigest, digest } = await gzipParts(pieces, 6, { digests: true });
    assert.deepEqual(gz, joined);
    assert.equal(inputDigest, sha256(data));
    assert.equal(digest, sha256(gz));
    const empty = await gzipParts([], 6, { digests: true });
    assert.deepEqual(gunzipSync(empty.gz), Buffer.alloc(0));
    assert.equal(empty.inputDigest, sha256(Buffer.alloc(0)));
  });

  it('hashes like a one-shot SHA-256, without blocking for the whole input', async () => {
    const data = sample(3 * (1 << 20) + 17);
    assert.equal(await sha256Async(data), sha256(data));
    assert.equal(await sha256Async(Buffer.alloc(0)), sha256(Buffer.alloc(0)));
  });

  it('a build gives the same digest on one core with one thread as on every core', async (t) => {
    if (!existsSync('/usr/bin/taskset')) return t.skip('taskset (util-linux) is missing');
    // a module of several blocks, so that the compression really is split
    const dir = tempDir();
    const module = path.join(dir, 'big.wasm');
    writeFileSync(module, Buffer.concat([readFileSync(helloWasm), sample(5 * GZIP_BLOCK)]));
    const build = async (prefix: string[], threads: string) => {
      const out = path.join(dir, `img-${threads}.tar`);
      const argv = [
        process.execPath,
        path.join(repoRoot, 'dist/cli.js'),
        'build',
        module,
        '--output',
        `oci-archive:${out}`,
        '--json',
      ];
      const r = await runProcess(
        prefix[0] ?? argv[0],
        [...prefix.slice(1), ...(prefix.length ? argv : argv.slice(1))],
        {
          env: { ...process.env, UV_THREADPOOL_SIZE: threads },
          check: true,
        },
      );
      return {
        digest: (JSON.parse(r.stdout) as { images: Array<{ manifestDigest: string }> }).images[0]
          .manifestDigest,
        bytes: readFileSync(out),
      };
    };
    const one = await build(['/usr/bin/taskset', '-c', '0'], '1');
    const all = await build([], '16');
    assert.equal(one.digest, all.digest);
    assert.deepEqual(one.bytes, all.bytes);
  });
});
