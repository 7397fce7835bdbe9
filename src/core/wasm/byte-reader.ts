import { WasmFormatError } from './header';

/**
 * A bounds-checked cursor over part of a WebAssembly binary. Every read that would pass `end`,
 * every LEB128 longer than its type allows and every count that cannot fit in the bytes left
 * throws a WasmFormatError naming the absolute byte offset, so hostile input costs bounded time.
 */
export class ByteReader {
  /** The same memory as a Buffer: names decode natively without a subarray per name. */
  private readonly buffer: Buffer;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {
    this.buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, offset = this.pos): never {
    throw new WasmFormatError(message, offset);
  }

  u8(what = 'a byte'): number {
    if (this.pos >= this.end) this.fail(`unexpected end: expected ${what}`);
    return this.bytes[this.pos++] ?? 0;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail('unexpected end: expected another byte');
    return this.bytes[this.pos] ?? 0;
  }

  /**
   * Unsigned LEB128 of at most 32 bits. Integer operations only (no `2 ** shift`, which makes a
   * heap number): the cursor's position stays a small integer, so reading it allocates nothing.
   */
  u32(what = 'a u32 (LEB128)'): number {
    const start = this.pos;
    const bytes = this.bytes;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.fail(`unexpected end inside ${what}`, start);
      const b = bytes[this.pos++] ?? 0;
      if (i === 4) {
        if (b > 0x0f) this.fail(`${what} overflows 32 bits`, start);
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return result;
    }
    return this.fail(`${what} is longer than 5 bytes`, start);
  }

  /** Unsigned LEB128 of at most 64 bits, as a number (exact up to 2^53). */
  u64(what = 'a u64 (LEB128)'): number {
    return Number(this.leb(what, 64, false));
  }

  s32(what = 'an s32 (LEB128)'): number {
    return this.smallSigned(what, 5) | 0;
  }

  s33(what = 'an s33 (LEB128)'): number {
    return this.smallSigned(what, 5);
  }

  /** Signed LEB128 of at most 35 bits in plain numbers (no BigInt on the hot path). */
  private smallSigned(what: string, maxBytes: number): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.end) this.fail(`unexpected end inside ${what}`, start);
      const b = this.bytes[this.pos++] ?? 0;
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return b & 0x40 ? result - scale : result;
    }
    return this.fail(`${what} is longer than ${maxBytes} bytes`, start);
  }

  s64(what = 'an s64 (LEB128)'): bigint {
    return this.leb(what, 64, true);
  }

  private leb(what: string, bits: number, signed: boolean): bigint {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.end) this.fail(`unexpected end inside ${what}`, start);
      const b = this.bytes[this.pos++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (signed && b & 0x40) result -= 1n << shift;
        return signed ? BigInt.asIntN(bits, result) : BigInt.asUintN(bits, result);
      }
    }
    return this.fail(`${what} is longer than ${maxBytes} bytes`, start);
  }

  /** Steps over any LEB128 (up to 10 bytes) without decoding it: the hot path of code scans. */
  skipLeb(what = 'a LEB128 immediate'): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail(`unexpected end inside ${what}`, start);
      if (((this.bytes[this.pos++] ?? 0) & 0x80) === 0) return;
    }
    this.fail(`${what} is longer than 10 bytes`, start);
  }

  f32(): number {
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.take(4, 'an f32'), 4);
    return view.getFloat32(0, true);
  }

  f64(): number {
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.take(8, 'an f64'), 8);
    return view.getFloat64(0, true);
  }

  /** Advances past n bytes and returns where they started. */
  take(n: number, what = 'bytes'): number {
    if (n > this.end - this.pos)
      this.fail(`${what}: ${n} bytes declared but only ${this.end - this.pos} remain`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  slice(n: number, what?: string): Uint8Array {
    const at = this.take(n, what);
    return this.bytes.subarray(at, at + n);
  }

  name(what = 'a name'): string {
    const len = this.u32(`the length of ${what}`);
    const at = this.take(len, what);
    return this.buffer.toString('utf8', at, at + len);
  }

  /**
   * A vector length, refused when even the smallest element encoding (minBytes each) could not fit
   * in what is left: a count "in the billions" fails here instead of looping.
   */
  count(what: string, minBytes = 1): number {
    const at = this.pos;
    const n = this.u32(`the number of ${what}`);
    if (n * minBytes > this.end - this.pos) {
      this.fail(`${n} ${what} declared but only ${this.end - this.pos} bytes remain`, at);
    }
    return n;
  }
}
