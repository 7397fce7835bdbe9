import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ByteReader } from '../../src/core/wasm/byte-reader';
import { decodeCoreModule } from '../../src/core/wasm/core-module';
import { FunctionTable, functionTable } from '../../src/core/wasm/function-table';
import { WasmFormatError } from '../../src/core/wasm/header';
import { inspectBytes } from '../../src/core/wasm/inspect';
import type { CoreModuleInfo } from '../../src/core/wasm/model';
import { functionWat, nameContext } from '../../src/core/wasm/wat';
import { helloWasm } from './helpers';
import { sample } from './wasm-samples';

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, payload: number[]) => [id, ...leb(payload.length), ...payload];
const name = (s: string) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];

/** A module of two functions () -> i32 whose name section comes before the code section. */
function namesBeforeCode(): Buffer {
  const body = [0, 0x41, 7, 0x0b]; // no locals, i32.const 7, end
  return Buffer.from([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(3, [2, 0, 0]),
    ...section(0, [
      ...name('name'),
      ...section(1, [2, 0, ...name('first'), 1, ...name('zweite ü')]),
    ]),
    ...section(10, [2, ...leb(body.length), ...body, ...leb(body.length), ...body]),
  ]);
}

describe('function table (no object per function until asked)', () => {
  it('decodes LEB128 u32 at its limits and refuses what overflows', () => {
    const read = (bytes: number[]) => new ByteReader(Uint8Array.from(bytes), 0, bytes.length).u32();
    assert.equal(read([0x7f]), 127);
    assert.equal(read([0x80, 0x01]), 128);
    assert.equal(read([0xff, 0xff, 0xff, 0xff, 0x07]), 2 ** 31 - 1);
    assert.equal(read([0x80, 0x80, 0x80, 0x80, 0x08]), 2 ** 31);
    assert.equal(read([0xff, 0xff, 0xff, 0xff, 0x0f]), 2 ** 32 - 1);
    assert.throws(() => read([0xff, 0xff, 0xff, 0xff, 0x10]), /overflows 32 bits/);
    assert.throws(() => read([0x80, 0x80]), WasmFormatError);
  });

  it('summarises a module without making the functions list, then makes it on first read', () => {
    const bytes = readFileSync(helloWasm);
    const report = inspectBytes(bytes);
    const m = report.binary as CoreModuleInfo;
    const before = Object.getOwnPropertyDescriptor(m, 'functions');
    assert.equal(typeof before?.get, 'function', 'still lazy after the summary');
    assert.ok(report.size!.code.largest.length > 0);
    const json = JSON.parse(JSON.stringify(report)) as { binary: CoreModuleInfo };
    const list = m.functions;
    assert.ok(Array.isArray(Object.getOwnPropertyDescriptor(m, 'functions')?.value));
    assert.strictEqual(m.functions, list, 'made once');
    assert.deepEqual(json.binary.functions, list);
    // the same facts as a table made from the objects
    const t = functionTable(m);
    const copy = FunctionTable.of({ ...m, functions: list.map((f) => ({ ...f })) });
    assert.deepEqual(copy.infos(), t.infos());
    assert.deepEqual(
      Object.keys(json.binary),
      Object.keys(decodeCoreModule(bytes)),
      'functions keeps its place among the keys',
    );
  });

  it('a replaced functions list is what everything reads afterwards', () => {
    const bytes = readFileSync(helloWasm);
    const m = decodeCoreModule(bytes);
    const only = m.functions.slice(0, 1);
    m.functions = only;
    assert.equal(functionTable(m).count, 1);
    assert.strictEqual(m.functions, only);
  });

  it('names functions from a name section that comes before the code section', () => {
    const m = decodeCoreModule(namesBeforeCode());
    assert.deepEqual(m.problems, []);
    assert.deepEqual(
      m.functions.map((f) => [f.index, f.name, f.typeIndex]),
      [
        [0, 'first', 0],
        [1, 'zweite ü', 0],
      ],
    );
    const wat = functionWat(namesBeforeCode(), m, 1, nameContext(m));
    assert.match(wat.text, /^\(func \$"zweite ü" \(;1;\) \(type 0\) \(result i32\)/);
  });

  it('the debug module: the summary decodes only the names it shows', (t) => {
    const file = sample(t, 'starlingmonkey_embedding.debug.wasm');
    if (!file) return;
    const bytes = readFileSync(file);
    const report = inspectBytes(bytes);
    const m = report.binary as CoreModuleInfo;
    const table = functionTable(m);
    assert.ok(table.count > 19_000);
    assert.equal(table.decodedNames, report.size!.code.largest.length);
    assert.equal(typeof Object.getOwnPropertyDescriptor(m, 'functions')?.get, 'function');
    // every name, decoded when the list is made, matches a decode of the name section done apart
    const named = m.functions.filter((f) => f.name).length;
    assert.ok(named > 19_000);
    assert.equal(table.decodedNames, named);
  });
});
