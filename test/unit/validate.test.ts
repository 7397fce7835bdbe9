import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeWasm } from '../../src/core/wasm/decode';
import type { CoreModuleInfo } from '../../src/core/wasm/model';
import { validateWasm } from '../../src/core/wasm/validate';
import { validateBinary } from '../../src/core/wasm/validate-binary';
import { v8Features } from '../../src/core/wasm/v8-features';
import {
  mutateInPlace,
  runDifferential,
  wabtFeatures,
  wabtValid,
  type WabtLike,
} from '../fuzz/differential';
import { mutateBytes, prng } from '../fuzz/mutate';
import { helloDir, helloWasm, tempDir } from './helpers';
import { debianTool, samplesDir } from './wasm-samples';

const features = v8Features();
const loadWabt = () => (createRequire(__filename)('wabt') as () => Promise<WabtLike>)();
const section = (id: number, body: number[]) => [id, body.length, ...body];
const HEADER = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
const module = (...sections: number[][]) => Buffer.from([...HEADER, ...sections.flat()]);

/** Debian's wasm-validate with the proposals this V8 has (its own defaults differ). */
function wasmValidate(bytes: Uint8Array): boolean {
  const file = path.join(tempDir('wc-wv-'), 'm.wasm');
  writeFileSync(file, bytes);
  const flags = [
    ...(features.threads ? ['--enable-threads'] : []),
    ...(features['tail-call'] ? ['--enable-tail-call'] : []),
    ...(features.exceptions ? ['--enable-exceptions'] : []),
    ...(features['extended-const'] ? ['--enable-extended-const'] : []),
    ...(features['multi-memory'] ? ['--enable-multi-memory'] : []),
    ...(features['relaxed-simd'] ? ['--enable-relaxed-simd'] : []),
  ];
  try {
    execFileSync(debianTool('wasm-validate'), [...flags, file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Real modules, each with where its code section's payload is. */
function bases(): Array<{ name: string; bytes: Buffer; code: { start: number; end: number } }> {
  const files = [
    helloWasm,
    path.join(samplesDir, 'wasi_snapshot_preview1.command.wasm'),
    path.join(helloDir, 'hello.component.wasm'),
  ];
  const out = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const info = decodeWasm(readFileSync(file));
    // a component's first nested core module (the program itself) is as real as the rest
    const m: CoreModuleInfo = info.kind === 'component' ? info.modules[0] : info;
    const bytes = readFileSync(file).subarray(m.offset, m.offset + m.size);
    const code = m.sections.find((s) => s.name === 'code')!;
    out.push({
      name: path.basename(file),
      bytes: Buffer.from(bytes),
      code: {
        start: code.payloadOffset - m.offset,
        end: code.payloadOffset - m.offset + code.size,
      },
    });
  }
  return out;
}

describe('Validate agrees with V8', () => {
  it('every real module (npm samples, the example, its component) is valid for V8 and for the validator', () => {
    const files = [helloWasm, path.join(helloDir, 'hello.component.wasm')];
    if (existsSync(samplesDir))
      for (const f of readdirSafe(samplesDir)) files.push(path.join(samplesDir, f));
    for (const file of files) {
      const bytes = readFileSync(file);
      const ours = validateBinary(bytes, features);
      assert.equal(ours.valid, true, `${file}: ${ours.error?.message} at ${ours.error?.offset}`);
      if (decodeWasm(bytes).kind === 'core-module') {
        assert.equal(WebAssembly.validate(bytes), true, file);
        assert.equal(ours.checked, 'full', `${file}: ${ours.notes.join()}`);
      } else assert.match(ours.notes[0], /decoded, not validated/);
    }
  });

  const type = section(1, [1, 0x60, 0, 0]);
  const CASES: Array<[string, Buffer, number, RegExp]> = [
    [
      'a custom section name that is not UTF-8',
      module(section(0, [2, 0xc3, 0x28])),
      11,
      /custom section name is not valid UTF-8/,
    ],
    [
      'an import name that is not UTF-8',
      module(type, section(2, [1, 1, 0x61, 1, 0xff, 0, 0])),
      20,
      /import name is not valid UTF-8/,
    ],
    [
      'a global with mutability flag 2',
      module(section(6, [1, 0x7f, 2, 0x41, 0, 0x0b])),
      12,
      /invalid mutability flag 0x2/,
    ],
    [
      'memory limits flags 0x08',
      module(section(5, [1, 8, 1])),
      11,
      /invalid memory limits flags 0x8/,
    ],
    [
      'a minimum above the maximum',
      module(section(5, [1, 1, 2, 1])),
      11,
      /maximum size 1 is below the initial size 2/,
    ],
    [
      'more than 65536 pages',
      module(section(5, [1, 0, 0x81, 0x80, 0x04])),
      11,
      /initial memory size 65537 pages is over the limit/,
    ],
    [
      'a function whose type index does not exist',
      module(type, section(3, [1, 5]), section(10, [1, 2, 0, 0x0b])),
      17,
      /type index 5 is out of range \(1 types\)/,
    ],
    [
      'a body whose value has the wrong type',
      module(
        section(1, [1, 0x60, 0, 1, 0x7f]),
        section(3, [1, 0]),
        section(10, [1, 4, 0, 0x42, 0, 0x0b]),
      ),
      26,
      /type mismatch: expected i32, found i64/,
    ],
    [
      'an export of a function that does not exist',
      module(type, section(7, [1, 1, 0x66, 0, 3])),
      19,
      /refers to function 3, which does not exist/,
    ],
  ];
  for (const [what, bytes, offset, message] of CASES) {
    it(`${what}: reported with its offset; V8 and wasm-validate reject it too`, () => {
      const r = validateWasm(bytes, features);
      assert.equal(r.valid, false);
      assert.match(r.error!.message, message);
      assert.equal(r.error!.offset, offset);
      assert.equal(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>), false, 'V8 rejects it');
      assert.equal(wasmValidate(bytes), false, 'wasm-validate rejects it');
    });
  }

  it('GC types are decoded, not type-checked, and the result says so', () => {
    const gc = module(
      section(1, [2, 0x5f, 0, 0x60, 0, 0]),
      section(3, [1, 1]),
      section(10, [1, 2, 0, 0x0b]),
    );
    const withGc = validateWasm(gc, { ...features, gc: true });
    assert.equal(withGc.checked, 'decoded-only');
    assert.match(withGc.note!, /GC/);
    const without = validateWasm(gc, { ...features, gc: false });
    assert.equal(without.valid, WebAssembly.validate(gc));
  });

  it('10 000 seeded mutants of real modules: the validator agrees with V8 on every one (wabt beside)', async () => {
    const wabt = await loadWabt();
    const counts = runDifferential({
      bases: bases(),
      mutants: 10_000,
      seed: 20261202,
      features,
      wabt,
    });
    const { disagreements, ...figures } = counts;
    console.log(`    differential validation: ${JSON.stringify(figures)}`);
    assert.ok(counts.modules >= 2, 'real modules to mutate');
    assert.equal(counts.mutants, 10_000);
    assert.ok(counts.v8Valid > 100, 'mutants V8 accepts, so both answers are exercised');
    assert.equal(
      counts.oursDisagreeWithV8,
      0,
      disagreements
        .map(
          (d) =>
            `#${d.index} of ${d.base}: V8 ${d.v8}, ours ${d.ours} (${d.message} at ${d.offset})`,
        )
        .join('\n'),
    );
    assert.equal(counts.oursAgreeWithV8 + counts.decodedOnly, counts.mutants);
  });

  it("wabt.js in process stands for Debian's wasm-validate: they agree on 300 mutants", async () => {
    const wabt = await loadWabt();
    const rand = prng(7);
    const all = bases();
    let agree = 0;
    let v8Agree = 0;
    for (let i = 0; i < 300; i++) {
      const base = all[i % all.length];
      const bytes =
        i % 2 ? mutateInPlace(base.bytes, rand, base.code) : mutateBytes(base.bytes, rand);
      const debian = wasmValidate(bytes);
      if (debian === wabtValid(wabt, bytes, wabtFeatures(features))) agree++;
      if (debian === WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) v8Agree++;
    }
    console.log(
      `    wasm-validate (Debian wabt 1.0.32) vs wabt.js: ${agree}/300 agree; vs V8: ${v8Agree}/300`,
    );
    assert.ok(agree >= 295, `${agree}/300`);
  });
});

function readdirSafe(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wasm'))
    .sort();
}
