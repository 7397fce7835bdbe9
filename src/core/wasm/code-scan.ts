import { ByteReader } from './byte-reader';
import { skipInstruction } from './instructions';
import { WasmFormatError } from './header';
import type { CoreModuleInfo, DecodeProblem, FunctionInfo } from './model';
import type { Feature } from './opcodes';
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
export function scanCode(bytes: Uint8Array, modules: CoreModuleInfo[]): CodeScan {
  const scan = new Scanner(bytes);
  for (const m of modules) for (const f of m.functions) scan.add(f);
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
    for (const f of m.functions) {
      scan.add(f);
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

  constructor(private readonly bytes: Uint8Array) {}

  add(f: FunctionInfo): void {
    const r = new ByteReader(this.bytes, f.bodyOffset, f.bodyOffset + f.bodySize);
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
          message: `function ${f.index}: ${e.reason}`,
          section: 'code',
        });
    }
  }

  result(): CodeScan {
    return {
      features: [...this.seen].sort(),
      instructions: this.instructions,
      problems: this.problems,
    };
  }
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
