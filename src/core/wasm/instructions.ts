import type { ByteReader } from './byte-reader';
import { CORE_OPS, PREFIXED, type Immediate, type OpInfo } from './opcodes';
import { readHeapType, readValType } from './value-types';

/** Names the printer uses for indices; absent names print as plain indices. */
export interface NameContext {
  func(index: number): string | undefined;
  global(index: number): string | undefined;
}

export interface Instruction {
  info: OpInfo;
  offset: number;
  /** Immediates in text form ('' when not formatting or when there are none). */
  text: string;
}

/**
 * Reads one instruction. With `names` the immediates are rendered as text; without, they are
 * only stepped over (the fast path used by feature scans and constant expressions).
 */
export function readInstruction(r: ByteReader, names?: NameContext): Instruction {
  const offset = r.pos;
  const info = readOpcode(r);
  return { info, offset, text: info.imm ? immediates(r, info.imm, names) : '' };
}

/** Steps over one instruction without rendering it (allocation-free: the code-scan hot path). */
export function skipInstruction(r: ByteReader): OpInfo {
  const info = readOpcode(r);
  if (info.imm) immediates(r, info.imm, undefined);
  return info;
}

function readOpcode(r: ByteReader): OpInfo {
  const offset = r.pos;
  const code = r.u8('an opcode');
  let info: OpInfo | undefined;
  const prefixed = PREFIXED[code];
  if (prefixed) {
    const sub = r.u32('a prefixed opcode');
    info = prefixed[sub];
    if (!info) r.fail(`unknown opcode 0x${code.toString(16)} ${sub}`, offset);
  } else {
    info = CORE_OPS[code];
    if (!info) r.fail(`unknown opcode 0x${code.toString(16).padStart(2, '0')}`, offset);
  }
  return info;
}

const idx = (n: number, name: string | undefined) => (name ? `$${name}` : String(n));

function memarg(r: ByteReader, fmt: boolean): string {
  let align = r.u32('a memarg alignment');
  let memory = 0;
  // bit 6 of the alignment flags an explicit memory index (multi-memory)
  if (align & 0x40) {
    align &= ~0x40;
    memory = r.u32('a memory index');
  }
  const offset = r.u64('a memarg offset');
  if (!fmt) return '';
  const parts = [];
  if (memory) parts.push(String(memory));
  if (offset) parts.push(`offset=${offset}`);
  parts.push(`align=${2 ** align}`);
  return parts.join(' ');
}

function blockType(r: ByteReader): string {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return '';
  }
  if (b >= 0x63 && b <= 0x7f) return `(result ${readValType(r)})`;
  return `(type ${r.s33('a block type index')})`;
}

function immediates(r: ByteReader, imm: Immediate, names: NameContext | undefined): string {
  const fmt = names !== undefined;
  switch (imm) {
    case 'blocktype':
      return blockType(r);
    case 'label':
    case 'type':
    case 'local':
    case 'table':
    case 'tag':
    case 'data':
    case 'elem':
    case 'memory': {
      const n = r.u32(`a ${imm} index`);
      return fmt ? String(n) : '';
    }
    case 'func': {
      const n = r.u32('a function index');
      return fmt ? idx(n, names.func(n)) : '';
    }
    case 'global': {
      const n = r.u32('a global index');
      return fmt ? idx(n, names.global(n)) : '';
    }
    case 'br_table': {
      const n = r.count('br_table targets');
      const targets: number[] = [];
      for (let i = 0; i <= n; i++) targets.push(r.u32('a br_table target'));
      return fmt ? targets.join(' ') : '';
    }
    case 'call_indirect': {
      const type = r.u32('a type index');
      const tableIndex = r.u32('a table index');
      return fmt ? `${tableIndex ? `${tableIndex} ` : ''}(type ${type})` : '';
    }
    case 'memarg':
      return memarg(r, fmt);
    case 'i32':
      if (!fmt) return (r.skipLeb('an i32 constant'), '');
      return String(r.s32('an i32 constant'));
    case 'i64':
      if (!fmt) return (r.skipLeb('an i64 constant'), '');
      return String(r.s64('an i64 constant'));
    case 'f32':
      if (!fmt) return (r.take(4, 'an f32 constant'), '');
      return floatText(r.f32());
    case 'f64':
      if (!fmt) return (r.take(8, 'an f64 constant'), '');
      return floatText(r.f64());
    case 'select_t': {
      const n = r.count('select types');
      const types: string[] = [];
      for (let i = 0; i < n; i++) types.push(readValType(r));
      return fmt ? `(result ${types.join(' ')})` : '';
    }
    case 'heaptype':
      return readHeapType(r);
    case 'ref_heaptype':
      return readHeapType(r);
    case 'try_table': {
      const bt = blockType(r);
      const n = r.count('try_table catch clauses');
      const clauses: string[] = [];
      for (let i = 0; i < n; i++) {
        const kind = r.u8('a catch kind');
        if (kind > 3) r.fail(`unknown catch kind ${kind}`, r.pos - 1);
        const tag = kind < 2 ? r.u32('a tag index') : undefined;
        const label = r.u32('a label');
        clauses.push(
          `(${['catch', 'catch_ref', 'catch_all', 'catch_all_ref'][kind]}${tag === undefined ? '' : ` ${tag}`} ${label})`,
        );
      }
      return fmt ? [bt, ...clauses].filter(Boolean).join(' ') : '';
    }
    case 'data_memory':
    case 'elem_table':
    case 'table_table':
    case 'memory_memory':
    case 'type_field':
    case 'type_n':
    case 'type_data':
    case 'type_elem':
    case 'type_type': {
      const a = r.u32('an index');
      const b = r.u32('an index');
      return fmt ? `${a} ${b}` : '';
    }
    case 'v128': {
      const bytes = r.slice(16, 'a v128 constant');
      if (!fmt) return '';
      const words = [];
      for (let i = 0; i < 16; i += 4)
        words.push(
          `0x${(((bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24)) >>> 0).toString(16).padStart(8, '0')}`,
        );
      return `i32x4 ${words.join(' ')}`;
    }
    case 'shuffle': {
      const lanes = r.slice(16, 'shuffle lanes');
      return fmt ? Array.from(lanes).join(' ') : '';
    }
    case 'lane':
      return String(r.u8('a lane index'));
    case 'memarg_lane': {
      const m = memarg(r, fmt);
      const lane = r.u8('a lane index');
      return fmt ? `${m} ${lane}` : '';
    }
    case 'zero_byte':
      r.u8('a reserved byte');
      return '';
    case 'br_on_cast': {
      const flags = r.u8('cast flags');
      const label = r.u32('a label');
      const from = readHeapType(r);
      const to = readHeapType(r);
      const ref = (t: string, nullable: boolean) => `(ref ${nullable ? 'null ' : ''}${t})`;
      return fmt ? `${label} ${ref(from, (flags & 1) !== 0)} ${ref(to, (flags & 2) !== 0)}` : '';
    }
    case '':
      return '';
  }
}

function floatText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** i32/i64 add, sub and mul: the arithmetic the extended-const proposal allows in constant expressions. */
const EXTENDED_CONST_OPS = new Set([0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e]);

/**
 * Steps over a constant expression (global initialisers, segment offsets) up to its `end`.
 * Returns true when it uses extended-const arithmetic.
 */
export function skipConstExpr(r: ByteReader): boolean {
  // fast path for the usual "i32.const N end" / "global.get N end" (a Go module has ~100 000 of them)
  const op = r.bytes[r.pos];
  if (op === 0x41 || op === 0x42 || op === 0x23) {
    const start = r.pos++;
    r.skipLeb();
    if (r.pos < r.end && r.bytes[r.pos] === 0x0b) {
      r.pos++;
      return false;
    }
    r.pos = start;
  }
  let extended = false;
  for (;;) {
    const at = r.pos;
    if (skipInstruction(r).name === 'end') return extended;
    if (EXTENDED_CONST_OPS.has(r.bytes[at] ?? 0)) extended = true;
  }
}
