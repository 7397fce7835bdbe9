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

  /** careful: every body instruction by instruction (the reference the fast path is tested against) */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly careful = false,
  ) {}

  add(index: number, bodyOffset: number, bodySize: number): void {
    const r = new ByteReader(this.bytes, bodyOffset, bodyOffset + bodySize);
    // the fast path first; a body it cannot vouch for is read again instruction by instruction,
    // which finds the same features and reports a malformed body with its exact problem
    try {
      readLocals(r);
    } catch (e) {
      if (!(e instanceof WasmFormatError)) throw e;
      r.pos = bodyOffset;
    }
    if (!this.careful && r.pos > bodyOffset && this.fastBody(r)) return;
    r.pos = bodyOffset;
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
   * Steps over a body's instructions with a loop over the bytes and tables of immediate shapes
   * (no call per instruction for the common ones). The rarer immediates and prefixed opcodes go
   * through skipInstruction. False, with nothing counted, when anything looks wrong.
   */
  private fastBody(r: ByteReader): boolean {
    const bytes = this.bytes;
    const end = r.end;
    const seen = new Set<Feature>();
    let pos = r.pos;
    let count = 0;
    // a LEB128 of at most `max` bytes (shorter than any that could overflow); -1 when longer
    const leb = (at: number, max: number): number => {
      for (let i = 0; i < max && at < end; i++) if ((bytes[at++] & 0x80) === 0) return at;
      return -1;
    };
    try {
      while (pos < end) {
        const code = bytes[pos];
        const shape = CORE_SHAPES[code];
        const feature = CORE_FEATURES[code];
        if (feature) seen.add(feature);
        let next = -1;
        switch (shape) {
          case Shape.None:
            next = pos + 1;
            break;
          case Shape.Index:
            next = leb(pos + 1, 4);
            break;
          case Shape.Index2: {
            const second = leb(pos + 1, 4);
            next = second < 0 ? -1 : leb(second, 4);
            break;
          }
          case Shape.Constant:
            next = leb(pos + 1, 10);
            break;
          case Shape.Fixed4:
            next = pos + 5;
            break;
          case Shape.Fixed8:
            next = pos + 9;
            break;
          case Shape.Block: {
            const b = bytes[pos + 1];
            next = b !== undefined && SIMPLE_BLOCK_TYPES.has(b) ? pos + 2 : -1;
            break;
          }
          case Shape.MemArg: {
            const align = bytes[pos + 1];
            // alignment with a memory index (multi-memory): the slow path
            next = align === undefined || align & 0xc0 ? -1 : leb(pos + 2, 9);
            break;
          }
        }
        if (next < 0 || next > end) {
          // prefixed opcodes, rare immediates, long LEBs: one instruction the careful way
          r.pos = pos;
          const info = skipInstruction(r);
          if (info.feature) seen.add(info.feature);
          next = r.pos;
        }
        pos = next;
        count++;
      }
    } catch (e) {
      if (e instanceof WasmFormatError) return false;
      throw e;
    }
    if (pos !== end) return false;
    this.instructions += count;
    for (const feature of seen) this.seen.add(feature);
    return true;
  }

  result(): CodeScan {
    return {
      features: [...this.seen].sort(),
      instructions: this.instructions,
      problems: this.problems,
    };
  }
}

/** How the fast path steps over a core opcode's immediates (Other: through skipInstruction). */
const enum Shape {
  None,
  Index,
  Index2,
  Constant,
  Fixed4,
  Fixed8,
  Block,
  MemArg,
  Other,
}

const SHAPE_OF: Partial<Record<Immediate, Shape>> = {
  '': Shape.None,
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
  f32: Shape.Fixed4,
  f64: Shape.Fixed8,
  blocktype: Shape.Block,
  memarg: Shape.MemArg,
};
// prefixes (0xfb–0xfe) and unknown opcodes are Other: skipInstruction reads or rejects them
const CORE_SHAPES = Array.from({ length: 256 }, (_, code) => {
  const info = PREFIXED[code] ? undefined : CORE_OPS[code];
  return info ? (SHAPE_OF[info.imm] ?? Shape.Other) : Shape.Other;
});
const CORE_FEATURES = Array.from({ length: 256 }, (_, code) =>
  PREFIXED[code] ? undefined : CORE_OPS[code]?.feature,
);
/** Block types of one byte: empty, and the number, vector and plain reference types. */
const SIMPLE_BLOCK_TYPES = new Set([0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

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
