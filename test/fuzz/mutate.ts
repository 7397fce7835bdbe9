/** Seeded mutation of byte strings and text for the fuzz harness (reproducible from the seed). */

// the same seeded PRNG the bootstrap uses
export { mulberry32 as prng } from '../../src/core/profile/stats';

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0b, 0x40, 0x60, 0x41, 0xfd, 0xfc, 0xfb];
/** Encodings that stress a LEB128 reader: overlong, maximal, overflowing. */
const LEBS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
  [0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x00],
  [0xe5, 0x8e, 0x26],
];

/** One mutant of `input`: 1–6 edits (flips, interesting bytes, LEB128s, inserts, deletes, duplicates, splices, truncation). */
export function mutateBytes(
  input: Uint8Array,
  rand: () => number,
  donors: Uint8Array[] = [],
): Buffer {
  let out = Buffer.from(input);
  const edits = 1 + Math.floor(rand() * 6);
  const at = () => Math.floor(rand() * Math.max(1, out.length));
  for (let e = 0; e < edits; e++) {
    const kind = Math.floor(rand() * 8);
    const pos = at();
    switch (kind) {
      case 0:
        if (out.length) out[pos] ^= 1 << Math.floor(rand() * 8);
        break;
      case 1:
        if (out.length) out[pos] = INTERESTING[Math.floor(rand() * INTERESTING.length)];
        break;
      case 2:
        out = Buffer.concat([
          out.subarray(0, pos),
          Buffer.from(LEBS[Math.floor(rand() * LEBS.length)]),
          out.subarray(pos),
        ]);
        break;
      case 3:
        out = Buffer.concat([
          out.subarray(0, pos),
          Buffer.from(
            Array.from({ length: 1 + Math.floor(rand() * 16) }, () => Math.floor(rand() * 256)),
          ),
          out.subarray(pos),
        ]);
        break;
      case 4:
        out = Buffer.concat([
          out.subarray(0, pos),
          out.subarray(Math.min(out.length, pos + 1 + Math.floor(rand() * 64))),
        ]);
        break;
      case 5: {
        const len = Math.floor(rand() * 64);
        out = Buffer.concat([
          out.subarray(0, pos + len),
          out.subarray(pos, pos + len),
          out.subarray(pos + len),
        ]);
        break;
      }
      case 6:
        if (donors.length) {
          const d = donors[Math.floor(rand() * donors.length)];
          const from = Math.floor(rand() * d.length);
          out = Buffer.concat([
            out.subarray(0, pos),
            d.subarray(from, from + Math.floor(rand() * 256)),
            out.subarray(pos),
          ]);
        }
        break;
      case 7:
        if (rand() < 0.3) out = out.subarray(0, pos);
        break;
    }
  }
  return out;
}

const TOKENS = [
  'FROM',
  'COPY',
  'ADD',
  'RUN',
  'ENTRYPOINT',
  'CMD',
  'USER',
  'EXPOSE',
  'HEALTHCHECK',
  'SHELL',
  'ENV',
  'ARG',
  'LABEL',
  'WORKDIR',
  '--platform=wasi/wasm',
  '--platform=wasm32',
  '--from=build',
  'scratch',
  '"',
  '[',
  ']',
  '\\\n',
  '<<EOF\n',
  'EOF\n',
  '$X',
  '${X:-y}',
  '../',
  '/',
  '*',
  '\n',
  ' ',
  '\t',
  '\u0000',
  'é',
  '#',
  '.wasm',
  'hello.wasm',
  '{',
  '}',
  ',',
  ':',
];

/** One mutant of a text: token inserts, character flips, line deletions and duplications. */
export function mutateText(input: string, rand: () => number): string {
  let out = input;
  const edits = 1 + Math.floor(rand() * 5);
  for (let e = 0; e < edits; e++) {
    const pos = Math.floor(rand() * (out.length + 1));
    const kind = Math.floor(rand() * 5);
    if (kind === 0)
      out = out.slice(0, pos) + TOKENS[Math.floor(rand() * TOKENS.length)] + out.slice(pos);
    else if (kind === 1)
      out = out.slice(0, pos) + String.fromCharCode(Math.floor(rand() * 128)) + out.slice(pos + 1);
    else if (kind === 2) {
      const lines = out.split('\n');
      lines.splice(Math.floor(rand() * lines.length), 1);
      out = lines.join('\n');
    } else if (kind === 3) {
      const lines = out.split('\n');
      const i = Math.floor(rand() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      out = lines.join('\n');
    } else out = out.slice(0, pos) + out.slice(pos + 1 + Math.floor(rand() * 20));
  }
  return out;
}

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  NaN,
  '',
  'x',
  '<script>alert(1)</script>',
  [],
  {},
  true,
  [null],
  { a: 1 },
];

/** A structural mutant of a JSON document: a value replaced, a key deleted, an array emptied or grown; text edits otherwise. */
export function mutateJson(input: string, rand: () => number): string {
  let doc: unknown;
  try {
    doc = JSON.parse(input);
  } catch {
    return mutateText(input, rand);
  }
  if (rand() < 0.2) return mutateText(input, rand);
  // collect every container and key
  const slots: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        slots.push([v, i]);
        walk(x);
      });
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        slots.push([v as Record<string, unknown>, k]);
        walk(x);
      }
  };
  walk(doc);
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits && slots.length; e++) {
    const [container, key] = slots[Math.floor(rand() * slots.length)];
    const kind = Math.floor(rand() * 4);
    if (kind === 0 && !Array.isArray(container)) delete container[key as string];
    else if (kind === 1 && Array.isArray(container)) container.length = 0;
    else if (kind === 2 && Array.isArray(container) && container.length)
      container.push(container[0]);
    else
      (container as Record<string | number, unknown>)[key] =
        ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)];
  }
  return JSON.stringify(doc);
}
