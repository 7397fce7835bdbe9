import { ByteReader } from './byte-reader';
import { skipInstruction } from './instructions';
import type { CoreModuleInfo, DecodeProblem } from './model';
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
export function scanCode(bytes: Uint8Array, m: CoreModuleInfo): CodeScan {
  const seen = new Set<Feature>();
  const problems: DecodeProblem[] = [];
  let instructions = 0;
  for (const f of m.functions) {
    const r = new ByteReader(bytes, f.bodyOffset, f.bodyOffset + f.bodySize);
    try {
      skipLocals(r);
      while (!r.atEnd) {
        const info = skipInstruction(r);
        instructions++;
        if (info.feature) seen.add(info.feature);
      }
    } catch (e) {
      if (problems.length < 20) problems.push({ offset: (e as { offset?: number }).offset ?? f.bodyOffset, message: `function ${f.index}: ${(e as Error & { reason?: string }).reason ?? (e as Error).message}`, section: 'code' });
    }
  }
  return { features: [...seen].sort(), instructions, problems };
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

const skipLocals = (r: ByteReader): void => void readLocals(r);
