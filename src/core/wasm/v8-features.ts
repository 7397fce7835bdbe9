import type { ValidationFeatures } from './validate';

/**
 * The proposals the V8 of this process compiles, asked of it (WebAssembly.validate of one tiny
 * module per proposal, each made with wat2wasm or by hand) instead of assumed from a version table.
 */
const hex = (s: string) => Uint8Array.from(s.split(' '), (b) => parseInt(b, 16));
const HEAD = '00 61 73 6d 01 00 00 00 01 04 01 60 00 00';
const START = '07 0a 01 06 5f 73 74 61 72 74 00 00';
const PROBES: Record<keyof ValidationFeatures, string> = {
  simd: `${HEAD} 03 02 01 00 ${START} 0a 1a 01 18 00 fd 0c 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00 fd 1b 00 1a 0b`,
  'relaxed-simd': `${HEAD} 03 02 01 00 ${START} 0a 2c 01 2a 00 fd 0c ${'00 '.repeat(16)}fd 0c ${'00 '.repeat(16)}fd 8d 02 1a 0b`,
  threads: `${HEAD} 03 02 01 00 05 04 01 03 01 01 ${START} 0a 0b 01 09 00 41 00 fe 10 02 00 1a 0b`,
  'tail-call': `${HEAD} 03 03 02 00 00 07 0a 01 06 5f 73 74 61 72 74 00 01 0a 09 02 02 00 0b 04 00 12 00 0b`,
  exceptions: `${HEAD} 03 02 01 00 0d 03 01 00 00 ${START} 0a 0b 01 09 00 06 40 08 00 07 00 0b 0b`,
  exnref: `${HEAD} 03 02 01 00 ${START} 0a 08 01 06 00 1f 40 00 0b 0b`,
  'extended-const': `${HEAD} 03 02 01 00 06 09 01 7f 00 41 01 41 02 6a 0b ${START} 0a 04 01 02 00 0b`,
  'multi-memory': `${HEAD} 03 02 01 00 05 05 02 00 01 00 01 ${START} 0a 0b 01 09 00 41 00 28 42 01 00 1a 0b`,
  memory64: `${HEAD} 03 02 01 00 05 03 01 04 01 ${START} 0a 0a 01 08 00 42 00 28 02 00 1a 0b`,
  gc: '00 61 73 6d 01 00 00 00 01 07 02 5f 00 60 00 00 03 02 01 01 07 0a 01 06 5f 73 74 61 72 74 00 00 0a 04 01 02 00 0b',
};

let cached: ValidationFeatures | undefined;

export function v8Features(): ValidationFeatures {
  cached ??= Object.fromEntries(
    Object.entries(PROBES).map(([k, v]) => [
      k,
      WebAssembly.validate(hex(v.trim().replace(/\s+/g, ' '))),
    ]),
  ) as unknown as ValidationFeatures;
  return cached;
}
