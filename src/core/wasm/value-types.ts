import type { ByteReader } from './byte-reader';

/** Heap types written as one byte (abstract heap types). */
const ABSTRACT_HEAP: Record<number, string> = {
  0x70: 'func',
  0x6f: 'extern',
  0x6e: 'any',
  0x6d: 'eq',
  0x6c: 'i31',
  0x6b: 'struct',
  0x6a: 'array',
  0x73: 'nofunc',
  0x72: 'noextern',
  0x71: 'none',
  0x69: 'exn',
  0x74: 'noexn',
};

const NUMERIC: Record<number, string> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
};
const PACKED: Record<number, string> = { 0x78: 'i8', 0x77: 'i16' };

export function isValTypeStart(byte: number): boolean {
  return byte in NUMERIC || byte in ABSTRACT_HEAP || byte === 0x63 || byte === 0x64;
}

export function readHeapType(r: ByteReader): string {
  const b = r.peek();
  if (b in ABSTRACT_HEAP) {
    r.pos++;
    return ABSTRACT_HEAP[b] ?? 'unknown';
  }
  const at = r.pos;
  const index = r.s33('a heap type');
  if (index < 0) r.fail(`unknown heap type 0x${b.toString(16)}`, at);
  return String(index);
}

/** A value type in text form: i32 … v128, funcref, externref, (ref null 3) … */
export function readValType(r: ByteReader): string {
  const at = r.pos;
  const b = r.u8('a value type');
  if (b in NUMERIC) return NUMERIC[b] ?? 'unknown';
  if (b in ABSTRACT_HEAP) return `${ABSTRACT_HEAP[b]}ref`;
  if (b === 0x63 || b === 0x64) return `(ref ${b === 0x63 ? 'null ' : ''}${readHeapType(r)})`;
  return r.fail(`unknown value type 0x${b.toString(16).padStart(2, '0')}`, at);
}

export function readStorageType(r: ByteReader): string {
  const b = r.peek();
  if (b in PACKED) {
    r.pos++;
    return PACKED[b] ?? 'unknown';
  }
  return readValType(r);
}

export function readValTypes(r: ByteReader, what: string): string[] {
  const n = r.count(what);
  const types: string[] = [];
  for (let i = 0; i < n; i++) types.push(readValType(r));
  return types;
}
