import { closeSync, openSync, readSync } from 'node:fs';

/** The 8-byte preamble of a WebAssembly binary: which kind of binary it is, or why it is not one. */

export type WasmBinaryKind = 'core-module' | 'component';

export interface WasmHeader {
  kind: WasmBinaryKind;
  /** Core modules: 1. Components: the pre-1.0 component-model version (0x0d at the time of writing). */
  version: number;
  layer: number;
}

export class WasmFormatError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} (at byte offset ${offset})`);
    this.name = 'WasmFormatError';
  }
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export function readWasmHeader(bytes: Uint8Array): WasmHeader {
  if (bytes.length === 0)
    throw new WasmFormatError('the file is empty, not a WebAssembly binary', 0);
  for (let i = 0; i < MAGIC.length; i++) {
    if (i >= bytes.length)
      throw new WasmFormatError('the file ends inside the \\0asm magic number', i);
    if (bytes[i] !== MAGIC[i]) {
      throw new WasmFormatError(
        `not a WebAssembly binary: expected the magic number \\0asm (00 61 73 6d), found ${hex(bytes.subarray(0, 4))}`,
        i,
      );
    }
  }
  if (bytes.length < 8)
    throw new WasmFormatError('the file ends inside the version field', bytes.length);
  const fields = new DataView(bytes.buffer, bytes.byteOffset + 4, 4);
  const version = fields.getUint16(0, true);
  const layer = fields.getUint16(2, true);
  if (layer === 0 && version === 1) return { kind: 'core-module', version, layer };
  if (layer === 1) return { kind: 'component', version, layer };
  throw new WasmFormatError(
    `unknown WebAssembly version ${version} (layer ${layer}): expected 1 (core module) or a component (layer 1)`,
    4,
  );
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** True when a file begins with the WebAssembly magic number (reads 4 bytes only). */
export function fileStartsWithWasmMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && MAGIC.every((b, i) => head[i] === b);
  } finally {
    closeSync(fd);
  }
}
