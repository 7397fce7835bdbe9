import { ByteReader } from './byte-reader';
import { WasmFormatError } from './header';
import type { DecodeProblem, SectionInfo } from './model';

export const CORE_SECTION_NAMES = [
  'custom',
  'type',
  'import',
  'function',
  'table',
  'memory',
  'global',
  'export',
  'start',
  'elem',
  'code',
  'data',
  'datacount',
  'tag',
];
/**
 * The order non-custom core sections must come in, by section id (the tag section, 13, sits
 * between memory and global; data count, 12, between element and code).
 */
export const CORE_SECTION_RANK: Readonly<Record<number, number>> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  13: 6,
  6: 7,
  7: 8,
  8: 9,
  9: 10,
  12: 11,
  10: 12,
  11: 13,
};

export const COMPONENT_SECTION_NAMES = [
  'custom',
  'core module',
  'core instance',
  'core type',
  'component',
  'instance',
  'alias',
  'type',
  'canon',
  'start',
  'import',
  'export',
  'value',
];

/** Turns a decoding failure into a problem; anything else is a bug and propagates. */
export function problemFrom(e: unknown, section?: string): DecodeProblem {
  if (e instanceof WasmFormatError)
    return { offset: e.offset, message: e.reason, ...(section ? { section } : {}) };
  throw e;
}

/**
 * Walks the sections between `start` and `end`, handing each payload to `decode` within its own
 * bounds. A section that fails to decode is reported and the walk goes on with the next one (its
 * size is known), so one bad section never hides the rest; a size past the end stops the walk.
 */
export function walkSections(
  bytes: Uint8Array,
  start: number,
  end: number,
  names: string[],
  problems: DecodeProblem[],
  decode: (id: number, r: ByteReader, section: SectionInfo) => void,
): SectionInfo[] {
  const sections: SectionInfo[] = [];
  let pos = start;
  while (pos < end) {
    const r = new ByteReader(bytes, pos, end);
    let id: number;
    let size: number;
    try {
      id = r.u8('a section id');
      size = r.u32('a section size');
    } catch (e) {
      problems.push(problemFrom(e));
      break;
    }
    const payloadOffset = r.pos;
    const available = end - payloadOffset;
    const truncated = size > available;
    const payloadEnd = truncated ? end : payloadOffset + size;
    const section: SectionInfo = {
      id,
      name: names[id] ?? `unknown(${id})`,
      offset: pos,
      payloadOffset,
      size,
      totalSize: payloadEnd - pos,
    };
    sections.push(section);
    if (truncated)
      problems.push({
        offset: pos,
        message: `the ${section.name} section declares ${size} bytes but only ${available} remain in the file`,
        section: section.name,
      });
    if (!(id in names)) {
      problems.push({ offset: pos, message: `unknown section id ${id}`, section: section.name });
    } else {
      const payload = new ByteReader(bytes, payloadOffset, payloadEnd);
      try {
        decode(id, payload, section);
        if (!payload.atEnd && !truncated)
          payload.fail(
            `${payload.remaining} unexpected bytes at the end of the ${section.name} section`,
          );
      } catch (e) {
        problems.push(problemFrom(e, section.name));
      }
    }
    if (truncated) break;
    pos = payloadEnd;
  }
  return sections;
}
