import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeCoreModule } from '../../src/core/wasm/core-module';
import { decodeWasm } from '../../src/core/wasm/decode';
import { inspectBytes, inspectFile } from '../../src/core/wasm/inspect';
import { functionWat } from '../../src/core/wasm/wat';
import { helloDir, helloWasm, referenceCodeSection, tempDir } from './helpers';

const hello = readFileSync(helloWasm);
const preamble = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const bytes = (...b: number[]) => Uint8Array.from(b);

describe('wasm decoder on bad input', () => {
  it('says what is wrong with empty, foreign and unknown-version files, at which offset', () => {
    const cases: [Uint8Array, RegExp, number][] = [
      [bytes(), /empty/, 0],
      [Buffer.from('#!/bin/sh\necho hi\n'), /magic number/, 0],
      [bytes(0x00, 0x61, 0x73), /ends inside the \\0asm magic/, 3],
      [bytes(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00), /version field/, 6],
      [bytes(0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00), /unknown WebAssembly version 2/, 4],
    ];
    for (const [input, message, offset] of cases) {
      const info = decodeWasm(input);
      assert.equal(info.problems.length, 1, String(message));
      assert.match(info.problems[0].message, message);
      assert.equal(info.problems[0].offset, offset);
      assert.equal(inspectBytes(input).problems.length, 1);
    }
  });

  it('keeps every section before a truncation and names the offset, at every cut of a real module', () => {
    // every cut inside the header and the first sections, then every 61st byte to the end
    const cuts = [
      ...Array.from({ length: 400 }, (_, i) => i),
      ...Array.from({ length: Math.floor(hello.length / 61) }, (_, i) => 400 + i * 61),
    ];
    for (const cut of cuts) {
      const info = decodeCoreModule(hello.subarray(0, cut));
      if (cut < hello.length)
        assert.ok(
          info.problems.length > 0 ||
            cut === 8 ||
            info.sections.at(-1)!.payloadOffset + info.sections.at(-1)!.size === cut,
          `cut at ${cut} reported`,
        );
      for (const p of info.problems)
        assert.ok(p.offset <= cut, `offset ${p.offset} within the ${cut} bytes`);
      for (const s of info.sections.slice(0, -1)) assert.ok(s.payloadOffset + s.size <= cut);
    }
    const atCode = decodeCoreModule(hello.subarray(0, 0x2000));
    assert.deepEqual(
      atCode.sections.map((s) => s.name),
      ['type', 'import', 'function', 'table', 'memory', 'global', 'export', 'elem', 'code'],
    );
    assert.equal(atCode.imports.length, 15, 'the sections before the cut are kept');
    assert.match(
      atCode.problems[0].message,
      new RegExp(
        `the code section declares ${referenceCodeSection().size} bytes but only \\d+ remain`,
      ),
    );
  });

  it('refuses LEB128 overflow, sizes past the end and counts in the billions, without iterating them', () => {
    const overflow = decodeWasm(bytes(...preamble, 0x01, 0xff, 0xff, 0xff, 0xff, 0x7f));
    assert.match(overflow.problems[0].message, /section size overflows 32 bits/);
    assert.equal(overflow.problems[0].offset, 9);
    const longLeb = decodeWasm(bytes(...preamble, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
    assert.match(longLeb.problems[0].message, /overflows 32 bits/);
    // a 64-bit memory limit of 11 LEB bytes
    const longU64 = decodeWasm(
      bytes(...preamble, 0x05, 0x0d, 0x01, 0x04, ...new Array<number>(10).fill(0x80), 0x00),
    );
    assert.match(longU64.problems[0].message, /a 64-bit limit is longer than 10 bytes/);
    const pastEnd = decodeWasm(bytes(...preamble, 0x01, 0x20, 0x01));
    assert.match(pastEnd.problems[0].message, /type section declares 32 bytes but only 1 remain/);
    // 4 294 967 295 types in a 6-byte section
    const billions = decodeWasm(bytes(...preamble, 0x01, 0x06, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x60));
    assert.match(billions.problems[0].message, /4294967295 types declared but only 1 bytes remain/);
    assert.equal(billions.problems[0].offset, 10);
    // bounded by the bytes there are, not by the count declared
    assert.ok(billions.kind === 'core-module' && billions.types.length <= 1);
    const funcs = decodeWasm(bytes(...preamble, 0x03, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f));
    assert.match(funcs.problems[0].message, /functions declared/);
    const unknownSection = decodeWasm(bytes(...preamble, 0x2a, 0x00));
    assert.match(unknownSection.problems[0].message, /unknown section id 42/);
  });

  it('reports a bad section and still decodes the sections after it', () => {
    // a type section with an unknown form, then a valid memory section
    const info = decodeCoreModule(
      bytes(...preamble, 0x01, 0x02, 0x01, 0x55, 0x05, 0x03, 0x01, 0x00, 0x02),
    );
    assert.equal(info.problems.length, 1);
    assert.match(info.problems[0].message, /unknown type form 0x55/);
    assert.equal(info.problems[0].offset, 11);
    assert.equal(info.problems[0].section, 'type');
    assert.equal(info.memories.length, 1);
    assert.equal(info.memories[0].min, 2);
  });

  it('shows a function up to a corrupt instruction, naming its offset', () => {
    const corrupt = Buffer.from(hello);
    const m = decodeCoreModule(corrupt);
    const f = m.functions.find((x) => x.bodySize > 100)!;
    const at = f.bodyOffset + 40;
    corrupt[at] = 0xff; // not an opcode
    const wat = functionWat(corrupt, m, f.index);
    assert.ok(wat.error, 'an error is reported');
    assert.ok(wat.error.offset >= f.bodyOffset && wat.error.offset <= at + 1);
    assert.match(wat.text, /cannot decode further: .* \(at byte offset \d+\)/);
    assert.ok(wat.lines > 0, 'the instructions before the corruption are shown');
  });

  it('reads only the section layout of a 600 MB file, in bounded memory', () => {
    const file = path.join(tempDir(), 'huge.wasm');
    const fd = openSync(file, 'w');
    // a valid preamble, a 4 KiB type section, then a "code" section claiming 600 MB that the sparse file does not fill
    writeSync(fd, Buffer.from([...preamble, 0x01, 0x80, 0x20]), 0, 11, 0);
    writeSync(fd, Buffer.from([0x0a, 0x80, 0x80, 0x80, 0xc0, 0x02]), 0, 6, 8 + 3 + 4096);
    writeSync(fd, Buffer.from([0]), 0, 1, 600 * 1024 * 1024 - 1);
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const report = inspectFile(file);
    assert.ok(
      process.memoryUsage().rss - before < 64 * 1024 * 1024,
      'the file is not read into memory',
    );
    assert.equal(report.depth, 'layout-only');
    assert.deepEqual(
      report.sections.map((s) => s.name),
      ['type', 'code'],
    );
    assert.match(report.problems[0].message, /600 MiB, over the 256 MiB full-decode limit/);
    assert.match(
      report.problems[1].message,
      /code section declares 671088640 bytes but only \d+ remain/,
    );
    assert.equal(report.problems[1].offset, 4107);
  });

  it('never throws on random mutations of real modules (seeded)', () => {
    let seed = 0x5eed;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const seeds = [hello, readFileSync(path.join(helloDir, 'hello.component.wasm'))];
    let problems = 0;
    for (let i = 0; i < 400; i++) {
      const input = Buffer.from(seeds[i % seeds.length]);
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips; k++)
        input[Math.floor(rand() * input.length)] = Math.floor(rand() * 256);
      const report = inspectBytes(
        input.subarray(0, rand() < 0.2 ? Math.floor(rand() * input.length) : input.length),
        { scanCode: true },
      );
      for (const p of report.problems)
        assert.ok(
          Number.isInteger(p.offset) &&
            p.offset >= 0 &&
            p.offset <= input.length &&
            p.message.length > 0,
        );
      problems += report.problems.length;
    }
    assert.ok(problems > 100, 'mutations are detected');
  });
});
