import { ByteReader } from './byte-reader';
import { skipInstruction } from './instructions';
import { WasmFormatError } from './header';
import { functionTable } from './function-table';
import type { CoreModuleInfo, DecodeProblem } from './model';
import { CORE_OPS, PREFIXED, type Feature, type Immediate } from './opcodes';
import { readValType } from './value-types';

export interface CodeScan {
  /** Features whose instructions appear in function bodies. */
  features: Feature[];
  instructions: number;
  /** Bodies that could not be decoded (the first problem of each, at most 20). */
  problems: DecodeProblem[];
}

/**
 * Reads every instruction of every function body (opcodes and immediates, no text) to learn which
 * proposals the code really uses. Linear in the code size; a body that fails to decode is
 * reported and skipped.
 */
export function scanCode(
  bytes: Uint8Array,
  modules: CoreModuleInfo[],
  options: { careful?: boolean } = {},
): CodeScan {
  const scan = new Scanner(bytes, options.careful);
  for (const m of modules) {
    const t = functionTable(m);
    for (let i = 0; i < t.count; i++) scan.add(t.index(i), t.bodyOffset(i), t.bodySize(i));
  }
  return scan.result();
}

/**
 * The same scan over several modules in slices of about `sliceMs`, yielding to the event loop
 * between slices: the extension host stays responsive while a 14 MB module is read.
 */
export async function scanCodeInSlices(
  bytes: Uint8Array,
  modules: CoreModuleInfo[],
  signal?: AbortSignal,
  sliceMs = 15,
): Promise<CodeScan> {
  const scan = new Scanner(bytes);
  let sliceStart = performance.now();
  for (const m of modules) {
    const t = functionTable(m);
    for (let i = 0; i < t.count; i++) {
      scan.add(t.index(i), t.bodyOffset(i), t.bodySize(i));
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
        sliceStart = performance.now();
      }
    }
  }
  return scan.result();
}

class Scanner {
  private readonly seen = new Set<Feature>();
  private readonly problems: DecodeProblem[] = [];
  private instructions = 0;
  /** Core opcodes the fast path stepped over: their features are added once, by result(). */
  private readonly used = new Uint8Array(256);

  /** careful: every body instruction by instruction (the reference the fast path is tested against) */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly careful = false,
  ) {}

  add(index: number, bodyOffset: number, bodySize: number): void {
    // the fast path first; a body it cannot vouch for is read again instruction by instruction,
    // which finds the same features and reports a malformed body with its exact problem
    if (!this.careful && this.fastBody(bodyOffset, bodyOffset + bodySize)) return;
    const r = new ByteReader(this.bytes, bodyOffset, bodyOffset + bodySize);
    try {
      readLocals(r);
      while (!r.atEnd) {
        const info = skipInstruction(r);
        this.instructions++;
        if (info.feature) this.seen.add(info.feature);
      }
    } catch (e) {
      if (!(e instanceof WasmFormatError)) throw e;
      if (this.problems.length < 20)
        this.problems.push({
          offset: e.offset,
          message: `function ${index}: ${e.reason}`,
          section: 'code',
        });
    }
  }

  /**
   * Steps over a body with one loop over the bytes and byte tables of immediate shapes: no call,
   * object or Set lookup per instruction for the common ones (a 9 MB code section has 4.5 million
   * instructions, so each costs). It accepts only what skipInstruction accepts, at the same
   * instruction boundaries; prefixed opcodes and rarer immediates go through skipInstruction.
   * False when anything looks wrong: the careful path reads the body again and finds the same
   * features (an instruction marked in `used` before the failure is one it reads too).
   */
  private fastBody(start: number, end: number): boolean {
    const bytes = this.bytes;
    const used = this.used;
    let pos = skipSimpleLocals(bytes, start, end);
    if (pos < 0) return false;
    let count = 0;
    let r: ByteReader | undefined;
    try {
      while (pos < end) {
        const code = bytes[pos] ?? 0;
        // one add for every fixed-size shape (none, f32, f64): a branch V8 has seen from the
        // first body on, so a rare shape does not deoptimise the loop when it first appears
        let next = pos + FIXED_SIZES[code];
        switch (CORE_SHAPES[code] as Shape) {
          case Shape.Index:
            next = lebEnd(bytes, next, 4);
            break;
          case Shape.Index2:
            next = lebEnd(bytes, next, 4);
            if (next > 0) next = lebEnd(bytes, next, 4);
            break;
          case Shape.Constant:
            next = lebEnd(bytes, next, 10);
            break;
          case Shape.Block:
            if (SIMPLE_BLOCK_TYPES[bytes[next] ?? 0] !== 1) next = -1;
            else next++;
            break;
          case Shape.MemArg:
            // alignment with a memory index (multi-memory, bit 6) or of two bytes: the slow path
            next = (bytes[next] ?? 0x80) < 0x40 ? lebEnd(bytes, next + 1, 9) : -1;
            break;
          case Shape.Other:
            next = -1;
        }
        if (next < 0 || next > end) {
          // prefixed opcodes, rare immediates, long LEBs: one instruction the careful way
          r ??= new ByteReader(bytes, start, end);
          r.pos = pos;
          const info = skipInstruction(r);
          if (info.feature) this.seen.add(info.feature);
          next = r.pos;
        } else used[code] = 1;
        pos = next;
        count++;
      }
    } catch (e) {
      if (e instanceof WasmFormatError) return false;
      throw e;
    }
    this.instructions += count;
    return true;
  }

  result(): CodeScan {
    for (let code = 0; code < 256; code++) {
      const feature = this.used[code] ? CORE_OPS[code]?.feature : undefined;
      if (feature) this.seen.add(feature);
    }
    return {
      features: [...this.seen].sort(),
      instructions: this.instructions,
      problems: this.problems,
    };
  }
}

/** How the fast path steps over a core opcode's immediates (Other: through skipInstruction). */
const enum Shape {
  /** No immediates, or immediates of a fixed size (FIXED_SIZES). */
  Fixed,
  Index,
  Index2,
  Constant,
  Block,
  MemArg,
  Other,
}

const SHAPE_OF: Partial<Record<Immediate, Shape>> = {
  '': Shape.Fixed,
  label: Shape.Index,
  type: Shape.Index,
  local: Shape.Index,
  table: Shape.Index,
  tag: Shape.Index,
  data: Shape.Index,
  elem: Shape.Index,
  memory: Shape.Index,
  func: Shape.Index,
  global: Shape.Index,
  call_indirect: Shape.Index2,
  i32: Shape.Constant,
  i64: Shape.Constant,
  f32: Shape.Fixed,
  f64: Shape.Fixed,
  blocktype: Shape.Block,
  memarg: Shape.MemArg,
};
// prefixes (0xfb–0xfe) and unknown opcodes are Other: skipInstruction reads or rejects them
const CORE_SHAPES = Uint8Array.from({ length: 256 }, (_, code) => {
  const info = PREFIXED[code] ? undefined : CORE_OPS[code];
  return info ? (SHAPE_OF[info.imm] ?? Shape.Other) : Shape.Other;
});
/** The opcode's byte plus its fixed-size immediates (an f32 or f64 constant). */
const FIXED_SIZES = Uint8Array.from({ length: 256 }, (_, code) =>
  PREFIXED[code] ? 1 : CORE_OPS[code]?.imm === 'f32' ? 5 : CORE_OPS[code]?.imm === 'f64' ? 9 : 1,
);
/** 1 for the value types of one byte: the number, vector and plain reference types. */
const SIMPLE_VALUE_TYPES = Uint8Array.from({ length: 256 }, (_, b) =>
  [0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f].includes(b) ? 1 : 0,
);
/** 1 for the block types of one byte: empty (0x40) and the value types of one byte. */
const SIMPLE_BLOCK_TYPES = SIMPLE_VALUE_TYPES.map((v, b) => (b === 0x40 ? 1 : v));

/**
 * Where a LEB128 starting at `at` ends, when it ends within `max` bytes (fewer than any that could
 * overflow its type); -1 otherwise. Past the buffer's end a read is undefined, never < 0x80.
 */
function lebEnd(bytes: Uint8Array, at: number, max: number): number {
  for (let i = 0; i < max; i++) if ((bytes[at + i] ?? 0x80) < 0x80) return at + i + 1;
  return -1;
}

/**
 * Steps over local declarations of the usual form (fewer than 128 groups, counts of one or two
 * bytes, one-byte value types) as readLocals would; -1 for anything else, which readLocals reads.
 * Every read is followed by a step past it, so a read beyond `end` leaves pos > end.
 */
function skipSimpleLocals(bytes: Uint8Array, start: number, end: number): number {
  let pos = start;
  const groups = bytes[pos++] ?? 0x80;
  if (groups >= 0x80 || groups * 2 > end - pos) return -1;
  let total = 0;
  for (let i = 0; i < groups; i++) {
    let count = bytes[pos++] ?? 0x80;
    if (count >= 0x80) {
      const high = bytes[pos++] ?? 0x80;
      if (high >= 0x80) return -1;
      count = (count & 0x7f) | (high << 7);
    }
    total += count;
    // the spec's limit on locals per function, as readLocals checks it
    if (total > 50_000 || SIMPLE_VALUE_TYPES[bytes[pos++] ?? 0] !== 1) return -1;
  }
  return pos > end ? -1 : pos;
}

/** Steps over a body's local declarations; returns them as (count, type) groups. */
export function readLocals(r: ByteReader): { count: number; type: string }[] {
  const groups = r.count('local declarations', 2);
  const locals: { count: number; type: string }[] = [];
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const count = r.u32('a local count');
    total += count;
    // the spec's limit on locals per function; hostile counts stop here
    if (total > 50_000) r.fail(`more than 50000 locals declared`);
    locals.push({ count, type: readValType(r) });
  }
  return locals;
}
