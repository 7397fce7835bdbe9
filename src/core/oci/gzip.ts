import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { promisify } from 'node:util';

const deflateRaw = promisify(zlib.deflateRaw);

/**
 * Input is cut into blocks of this size whatever the machine: the compressed bytes (and so the
 * layer digest) never depend on the number of cores or threads.
 */
export const GZIP_BLOCK = 256 * 1024;
/** Each block is compressed with the 32 KiB before it as its dictionary, as pigz does. */
const WINDOW = 32 * 1024;

/**
 * gzip, compressed in parallel and reproducibly (pigz's scheme): fixed-size blocks deflated
 * independently on libuv's thread pool, each primed with the previous 32 KiB so matches across
 * block boundaries are still found, joined by sync-flush points into one deflate stream; a gzip
 * header without name or mtime and the CRC-32 and size of the whole. Any gunzip reads it; the
 * same input and level always give the same bytes. Nothing heavy runs on the calling thread.
 */
export async function gzipReproducible(data: Buffer, level = 6): Promise<Buffer> {
  const starts: number[] = []; // where each block begins
  for (let start = 0; start < data.length || start === 0; start += GZIP_BLOCK) {
    starts.push(start);
    if (start + GZIP_BLOCK >= data.length) break;
  }
  const deflateBlock = (start: number) => {
    const end = Math.min(start + GZIP_BLOCK, data.length);
    return deflateRaw(data.subarray(start, end), {
      level,
      chunkSize: 64 * 1024, // fewer callbacks than 16 KiB chunks, little unused room kept alive
      ...(start > 0 ? { dictionary: data.subarray(Math.max(0, start - WINDOW), start) } : {}),
      // a sync flush ends every block but the last on a byte boundary, without the final bit
      finishFlush: end === data.length ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
    });
  };
  // as many blocks in flight as the thread pool has threads: more would only queue (and hold
  // one deflate state each); how many there are changes the speed, never the bytes
  const deflated: Buffer[] = new Array<Buffer>(starts.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < starts.length; i = next++)
      deflated[i] = await deflateBlock(i * GZIP_BLOCK);
  };
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const [crc] = await Promise.all([
    crc32(data),
    ...Array.from({ length: Math.min(threads, starts.length) }, worker),
  ]);
  // ID1 ID2, deflate, no flags, mtime 0, extra flags 0, OS 3 (Unix), as zlib writes them
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([header, ...deflated, trailer]);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (zlib's); Node ≥ 20.15 computes it natively, older ones here, a megabyte at a time. */
async function crc32(data: Buffer): Promise<number> {
  const native = (zlib as { crc32?: (d: Uint8Array, value?: number) => number }).crc32;
  let crc = 0;
  for (let start = 0; start < data.length; start += 1 << 20) {
    const part = data.subarray(start, start + (1 << 20));
    if (native) crc = native(part, crc);
    else {
      let c = ~crc >>> 0;
      for (const byte of part) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
      crc = ~c >>> 0;
    }
    // let the event loop breathe between megabytes
    if (start + (1 << 20) < data.length) await new Promise((r) => setImmediate(r));
  }
  return crc >>> 0;
}

/**
 * sha256:<hex> of data, a megabyte at a time with the event loop free in between (no copy of the
 * data, unlike Web Crypto's digest; a few milliseconds of hashing per slice at most).
 */
export async function sha256Async(data: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for (let start = 0; start < data.length; start += 1 << 20) {
    hash.update(data.subarray(start, start + (1 << 20)));
    if (start + (1 << 20) < data.length) await new Promise((r) => setImmediate(r));
  }
  return `sha256:${hash.digest('hex')}`;
}
