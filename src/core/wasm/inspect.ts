import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { classify, type Classification } from './classify';
import { scanCode } from './code-scan';
import { decodeWasm } from './decode';
import { readWasmHeader, WasmFormatError } from './header';
import {
  INSPECT_SCHEMA_VERSION,
  type DecodeProblem,
  type SectionInfo,
  type WasmBinaryInfo,
} from './model';
import type { Feature } from './opcodes';
import { runtimeVerdicts, type RuntimeVerdict, type VerdictContext } from './runtime-support';
import { CORE_SECTION_NAMES, COMPONENT_SECTION_NAMES } from './sections';
import { coreModules, sizeBreakdown, type SizeBreakdown } from './size-breakdown';

/** The document `wasm-containers inspect --json` prints (schemas/inspect.schema.json). */
export interface InspectReport {
  schema: 'wasm-containers/inspect';
  schemaVersion: typeof INSPECT_SCHEMA_VERSION;
  file?: string;
  fileSize: number;
  /** "layout-only" for files over the full-decode limit: sections located, nothing inside decoded. */
  depth: 'full' | 'layout-only';
  classification?: Classification;
  /** Proposals whose instructions appear in the code (present when the code was scanned). */
  codeFeatures?: Feature[];
  instructionCount?: number;
  runtimes?: RuntimeVerdict[];
  size?: SizeBreakdown;
  binary?: WasmBinaryInfo;
  sections: SectionInfo[];
  problems: DecodeProblem[];
}

/** Above this size only the section layout is read (bounded memory for files of any size). */
export const FULL_DECODE_LIMIT = 256 * 1024 * 1024;

export interface InspectOptions {
  /** Read every instruction to learn which proposals the code uses (~30 ms per MB of code). */
  scanCode?: boolean;
  file?: string;
}

export function inspectBytes(bytes: Uint8Array, options: InspectOptions = {}): InspectReport {
  const binary = decodeWasm(bytes);
  const problems = binary.problems.slice();
  const classification =
    binary.sections.length || binary.problems.length === 0 ? classify(binary) : undefined;
  const report: InspectReport = {
    schema: 'wasm-containers/inspect',
    schemaVersion: INSPECT_SCHEMA_VERSION,
    ...(options.file ? { file: options.file } : {}),
    fileSize: bytes.length,
    depth: 'full',
    binary,
    sections: binary.sections,
    problems,
    ...(classification ? { classification } : {}),
    size: sizeBreakdown(binary, bytes.length),
  };
  if (options.scanCode && classification) {
    const scan = scanCode(bytes, coreModules(binary));
    report.codeFeatures = scan.features;
    report.instructionCount = scan.instructions;
    problems.push(...scan.problems);
  }
  if (classification) report.runtimes = verdictsFor(classification, report.codeFeatures);
  return report;
}

/** Which runtimes can run it: from its imports and the proposals its structure and (when scanned) its code use. */
export function verdictsFor(
  c: Classification,
  codeFeatures: readonly string[] = [],
  context: VerdictContext = {},
): RuntimeVerdict[] {
  return runtimeVerdicts(
    {
      kind: c.kind,
      abis: c.abis,
      features: [...new Set([...c.features, ...codeFeatures])],
    },
    context,
  );
}

/** Inspects a file: fully up to FULL_DECODE_LIMIT, the section layout only beyond it. */
export function inspectFile(
  file: string,
  options: InspectOptions = {},
  limit = FULL_DECODE_LIMIT,
): InspectReport {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= limit) return inspectBytes(readFileSync(fd), { ...options, file });
    return layoutOnly(fd, size, file, limit);
  } finally {
    closeSync(fd);
  }
}

const MAX_LAYOUT_SECTIONS = 100_000;

/** Walks section headers with positional reads: a few bytes per section, whatever the file size. */
function layoutOnly(fd: number, size: number, file: string, limit: number): InspectReport {
  const problems: DecodeProblem[] = [
    {
      offset: 0,
      message: `the file is ${(size / 2 ** 20).toFixed(0)} MiB, over the ${(limit / 2 ** 20).toFixed(0)} MiB full-decode limit: only the section layout was read`,
    },
  ];
  const sections: SectionInfo[] = [];
  const head = Buffer.alloc(16);
  const report: InspectReport = {
    schema: 'wasm-containers/inspect',
    schemaVersion: INSPECT_SCHEMA_VERSION,
    file,
    fileSize: size,
    depth: 'layout-only',
    sections,
    problems,
  };
  try {
    readSync(fd, head, 0, 8, 0);
    const header = readWasmHeader(head.subarray(0, 8));
    const names = header.kind === 'component' ? COMPONENT_SECTION_NAMES : CORE_SECTION_NAMES;
    let pos = 8;
    while (pos < size && sections.length < MAX_LAYOUT_SECTIONS) {
      const n = readSync(fd, head, 0, 6, pos);
      const id = head[0];
      let payloadSize = 0;
      let i = 1;
      for (let shift = 0; ; shift += 7, i++) {
        if (i >= n || i > 5)
          throw new WasmFormatError(
            'a section size that is cut off or longer than 5 bytes',
            pos + 1,
          );
        payloadSize += (head[i] & 0x7f) * 2 ** shift;
        if ((head[i] & 0x80) === 0) break;
      }
      const payloadOffset = pos + i + 1;
      const end = Math.min(size, payloadOffset + payloadSize);
      sections.push({
        id,
        name: names[id] ?? `unknown(${id})`,
        offset: pos,
        payloadOffset,
        size: payloadSize,
        totalSize: end - pos,
      });
      if (payloadOffset + payloadSize > size)
        throw new WasmFormatError(
          `the ${names[id] ?? 'unknown'} section declares ${payloadSize} bytes but only ${size - payloadOffset} remain`,
          pos,
        );
      pos = end;
    }
  } catch (e) {
    if (!(e instanceof WasmFormatError)) throw e;
    problems.push({ offset: e.offset, message: e.reason });
  }
  return report;
}
