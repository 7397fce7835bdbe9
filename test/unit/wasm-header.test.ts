import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readWasmHeader, WasmFormatError } from '../../src/core/wasm/header';
import { helloWasm } from './helpers';

describe('readWasmHeader', () => {
  it('recognises a core module and a component', () => {
    assert.deepEqual(readWasmHeader(readFileSync(helloWasm)), {
      kind: 'core-module',
      version: 1,
      layer: 0,
    });
    assert.deepEqual(readWasmHeader(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])), {
      kind: 'component',
      version: 13,
      layer: 1,
    });
  });
  it('names the offset and what was expected', () => {
    const cases: Array<[number[], RegExp]> = [
      [[], /empty.*offset 0/],
      [[0, 0x61], /ends inside the \\0asm magic.*offset 2/],
      [[0x7f, 0x45, 0x4c, 0x46], /not a WebAssembly binary.*found 7f 45 4c 46.*offset 0/],
      [[0, 0x61, 0x73, 0x6d, 1], /ends inside the version.*offset 5/],
      [[0, 0x61, 0x73, 0x6d, 2, 0, 0, 0], /unknown WebAssembly version 2.*offset 4/],
    ];
    for (const [bytes, pattern] of cases) {
      assert.throws(
        () => readWasmHeader(Uint8Array.from(bytes)),
        (e: unknown) => e instanceof WasmFormatError && pattern.test(e.message),
      );
    }
  });
});
