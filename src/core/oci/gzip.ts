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

/** Consecutive buffers read as one, without joining them: a slice within one piece is a view. */
class Pieces {
  private readonly parts: Buffer[];
  private readonly starts: number[] = [];
  readonly length: number;

  constructor(parts: readonly Buffer[]) {
    this.parts = parts.filter((p) => p.length > 0);
    let n = 0;
    for (const p of this.parts) {
      this.starts.push(n);
      n += p.length;
    }
    this.length = n;
  }

  /** The bytes in order, as views of at most `size` bytes that never span two pieces. */
  *views(size: number): Generator<Buffer> {
    for (const p of this.parts)
      for (let at = 0; at < p.length; at += size) yield p.subarray(at, at + size);
  }

  /** Bytes start…end: a view when one piece holds them, else a copy (of a block at most). */
  slice(start: number, end: number): Buffer {
    if (end <= start) return Buffer.alloc(0);
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? Infinity) <= start) lo = mid;
      else hi = mid - 1;
    }
    const at = start - (this.starts[lo] ?? 0);
    const first = this.parts[lo];
    if (first && end - start <= first.length - at) return first.subarray(at, at + end - start);
    const out = Buffer.allocUnsafe(end - start);
    let filled = 0;
    for (const part of this.parts.slice(lo)) {
      if (filled === out.length) break;
      const from = filled === 0 ? at : 0;
      filled += part.copy(out, filled, from, from + out.length - filled);
    }
    return out;
  }
}

export interface GzipResult {
  gz: Buffer;
  /** sha256:<hex> of the input (a layer's diff id), when asked for. */
  inputDigest?: string;
  /** sha256:<hex> of gz (a layer's digest), when asked for. */
  digest?: string;
}

/**
 * gzip, compressed in parallel and reproducibly (pigz's scheme): fixed-size blocks deflated
 * independently on libuv's thread pool, each primed with the previous 32 KiB so matches across
 * block boundaries are still found, joined by sync-flush points into one deflate stream; a gzip
 * header without name or mtime and the CRC-32 and size of the whole. Any gunzip reads it; the
 * same input and level always give the same bytes. The input may be several buffers (a tar's
 * headers and files), read in place. With `digests`, the SHA-256 of the input and of the output
 * are computed while the pool deflates, so the data is never walked again afterwards.
 */
export async function gzipParts(
  input: Buffer | readonly Buffer[],
  level = 6,
  options: { digests?: boolean } = {},
): Promise<GzipResult> {
  const data = new Pieces(Buffer.isBuffer(input) ? [input] : input);
  const blocks = Math.max(1, Math.ceil(data.length / GZIP_BLOCK));
  const deflateBlock = (i: number) => {
    const start = i * GZIP_BLOCK;
    const end = Math.min(start + GZIP_BLOCK, data.length);
    return deflateRaw(data.slice(start, end), {
      level,
      chunkSize: 64 * 1024, // fewer callbacks than 16 KiB chunks, little unused room kept alive
      ...(start > 0 ? { dictionary: data.slice(Math.max(0, start - WINDOW), start) } : {}),
      // a sync flush ends every block but the last on a byte boundary, without the final bit
      finishFlush: end === data.length ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
    });
  };
  // ID1 ID2, deflate, no flags, mtime 0, extra flags 0, OS 3 (Unix), as zlib writes them
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  const outHash = options.digests ? createHash('sha256').update(header) : undefined;
  // each block is hashed as soon as it and all before it are done, while later ones compress
  const deflated: Buffer[] = new Array<Buffer>(blocks);
  let hashed = 0;
  const done = (i: number, block: Buffer) => {
    deflated[i] = block;
    for (let b = deflated[hashed]; b; b = deflated[++hashed]) outHash?.update(b);
  };
  // as many blocks in flight as the thread pool has threads: more would only queue (and hold
  // one deflate state each); how many there are changes the speed, never the bytes
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < blocks; i = next++) done(i, await deflateBlock(i));
  };
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const [[crc, inputDigest]] = await Promise.all([
    crcAndDigest(data, !!options.digests),
    ...Array.from({ length: Math.min(threads, blocks) }, lane),
  ]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  const gz = Buffer.concat([header, ...deflated, trailer]);
  return {
    gz,
    ...(outHash ? { inputDigest, digest: `sha256:${outHash.update(trailer).digest('hex')}` } : {}),
  };
}

/** gzipParts without the digests: the compressed bytes alone. */
export async function gzipReproducible(
  data: Buffer | readonly Buffer[],
  level = 6,
): Promise<Buffer> {
  return (await gzipParts(data, level)).gz;
}

/**
 * The CRC-32 (and with `digest` the SHA-256) of the data, a megabyte at a time with the event
 * loop free in between: deflated blocks come back and the next ones are started meanwhile.
 */
async function crcAndDigest(data: Pieces, digest: boolean): Promise<[number, string | undefined]> {
  const hash = digest ? createHash('sha256') : undefined;
  let crc = 0;
  for (const part of data.views(1 << 20)) {
    crc = crc32(part, crc);
    hash?.update(part);
    await new Promise((r) => setImmediate(r));
  }
  return [crc >>> 0, hash ? `sha256:${hash.digest('hex')}` : undefined];
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

/** CRC-32 (zlib's) continued over data; Node ≥ 20.15 computes it natively, older ones here. */
function crc32(data: Buffer, value: number): number {
  const native = (zlib as { crc32?: (d: Uint8Array, value?: number) => number }).crc32;
  if (native) return native(data, value);
  let c = ~value >>> 0;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
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
