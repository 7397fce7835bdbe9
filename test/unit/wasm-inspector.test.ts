import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { classify } from '../../src/core/wasm/classify';
import { scanCode } from '../../src/core/wasm/code-scan';
import { decodeCoreModule } from '../../src/core/wasm/core-module';
import { decodeWasm } from '../../src/core/wasm/decode';
import { inspectBytes } from '../../src/core/wasm/inspect';
import { runtimeVerdicts } from '../../src/core/wasm/runtime-support';
import type { CoreModuleInfo } from '../../src/core/wasm/model';
import { functionWat, nameContext } from '../../src/core/wasm/wat';
import { validateInWorker, validateWithWabt, wholeModuleText } from '../../src/core/wasm/wabt';
import { helloDir, helloWasm, tempDir } from './helpers';
import {
  compileC,
  debianTool,
  hasTool,
  objdumpImportsExports,
  objdumpSections,
  sample,
} from './wasm-samples';

const helloComponent = path.join(helloDir, 'hello.component.wasm');

/** Our sections, imports and exports against wasm-objdump's for the same file. */
function crossCheck(t: TestContext, file: string, m: CoreModuleInfo): void {
  if (!hasTool('wasm-objdump')) return t.skip('wasm-objdump (Debian wabt) is not installed');
  const ours = m.sections.map((s) => ({
    name: s.name,
    start: s.payloadOffset,
    end: s.payloadOffset + s.size,
    size: s.size,
    ...(s.count !== undefined ? { count: s.count } : {}),
  }));
  const theirs = objdumpSections(file);
  // objdump counts the data count section by its value and prints no count for start
  for (const s of ours) if (s.name === 'datacount') s.count = m.dataCount;
  assert.deepEqual(
    ours.map((s) => s.name),
    theirs.map((s) => s.name),
    'section order',
  );
  for (const [i, s] of theirs.entries()) {
    // objdump's custom-section start is after the name; ours is the payload start
    const o = ours[i];
    if (s.name.startsWith('custom:')) assert.equal(o.end, s.end, `${s.name} end`);
    else
      assert.deepEqual(
        { ...o, count: s.count === undefined ? undefined : o.count },
        { ...s, count: s.count },
        `section ${s.name}`,
      );
  }
  const { imports, exports } = objdumpImportsExports(file);
  assert.deepEqual(
    m.imports.map((i) => `${i.kind}[${i.index}] ${i.module}.${i.name}`),
    imports,
    'imports',
  );
  assert.deepEqual(
    m.exports.map((e) => `${e.kind}[${e.index}] ${e.name}`),
    exports,
    'exports',
  );
}

/** The instruction sequence of every function against wasm2wat's (mnemonics, in order). */
function watMatchesWabt(file: string, m: CoreModuleInfo): number {
  const wabt = execFileSync(debianTool('wasm2wat'), ['--enable-all', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const bodies = wabt
    .split('\n  (func ')
    .slice(1)
    .map((s) => s.split('\n  (')[0]);
  const mnemonics = (text: string) =>
    text
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/;;.*$/, '').trim())
      .filter((l) => l && !l.startsWith('('))
      .map((l) => l.replace(/\)+$/, '').split(/\s+/)[0])
      .filter(Boolean);
  const names = nameContext(m);
  assert.equal(bodies.length, m.functions.length, 'function count');
  let instructions = 0;
  m.functions.forEach((f, i) => {
    const ours = mnemonics(
      functionWat(readFileSync(file), m, f.index, names, { maxLines: Infinity }).text,
    );
    assert.deepEqual(ours, mnemonics(bodies[i]), `function ${f.index} (${f.name ?? 'unnamed'})`);
    instructions += ours.length;
  });
  return instructions;
}

describe('wasm decoder on compiled modules', () => {
  it('describes the example: WASI preview1 command, its imports, memory and functions', (t) => {
    const m = decodeCoreModule(readFileSync(helloWasm));
    assert.deepEqual(m.problems, []);
    assert.equal(m.imports.length, 15);
    assert.ok(
      m.imports.every(
        (i) =>
          i.module === 'wasi_snapshot_preview1' && i.kind === 'func' && i.type.startsWith('(param'),
      ),
    );
    assert.deepEqual(
      m.exports.map((e) => e.name),
      ['memory', '_start'],
    );
    assert.equal(m.memories.length, 1);
    assert.equal(m.functions.length + m.importedFunctionCount, 120);
    const c = classify(m);
    assert.equal(c.wasi, 'preview1');
    assert.equal(c.entry, 'command');
    assert.ok(c.wasiFunctions.includes('fd_write') && c.wasiFunctions.includes('path_open'));
    assert.deepEqual(c.capabilities, ['args', 'environment', 'filesystem']);
    crossCheck(t, helloWasm, m);
  });

  it('prints every function of the example exactly as wasm2wat sequences its instructions', (t) => {
    if (!hasTool('wasm2wat')) return t.skip('wasm2wat (wabt) missing');
    assert.ok(watMatchesWabt(helloWasm, decodeCoreModule(readFileSync(helloWasm))) > 10_000);
  });

  it('decodes SIMD, saturating truncation and bulk memory compiled by clang and sees them in the code', (t) => {
    const file = compileC(
      'simd',
      `#include <wasm_simd128.h>
#include <stdint.h>
float dot(const float *a, const float *b, int n) { v128_t acc = wasm_f32x4_splat(0);
  for (int i = 0; i + 4 <= n; i += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  return wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 3); }
void rev(uint8_t *p) { v128_t v = wasm_v128_load(p); v = wasm_i8x16_shuffle(v, v, 15,14,13,12,11,10,9,8,7,6,5,4,3,2,1,0); wasm_v128_store(p, wasm_i8x16_add_sat(v, wasm_i8x16_const_splat(3))); }
int to_int(double d) { return (int)d; }
int main(int argc, char **argv) { static uint8_t buf[64]; float x[8] = {1,2,3,4,5,6,7,8}; __builtin_memset(buf, argc, argc * 7); rev(buf); return (int)dot(x, x, argc * 4) + buf[3] + to_int(argc * 1.5); }`,
      ['-msimd128', '-mbulk-memory', '-mnontrapping-fptoint', '-msign-ext'],
    );
    if (!file) return t.skip('clang-14 missing');
    const bytes = readFileSync(file);
    const m = decodeCoreModule(bytes);
    assert.deepEqual(m.problems, []);
    const scan = scanCode(bytes, [m]);
    assert.deepEqual(scan.problems, []);
    for (const f of ['simd', 'bulk-memory', 'nontrapping-fptoint'])
      assert.ok(scan.features.includes(f as never), `${f} in ${scan.features.join(' ')}`);
    assert.ok(classify(m).declaredFeatures.includes('simd'));
    crossCheck(t, file, m);
    // the listing is compared with wabt's where it is installed; else the test says it was not
    if (!hasTool('wasm2wat')) return t.skip('wasm2wat (wabt) missing: the listing is not compared');
    watMatchesWabt(file, m);
  });
});

describe('wasm decoder on real modules from npm', () => {
  const cases: [string, (m: CoreModuleInfo) => void][] = [
    [
      'esbuild.wasm',
      (m) => {
        // Go's js/wasm: gojs imports, ~100 000 data segments
        const c = classify(m);
        assert.equal(c.abis[0], 'go-js');
        assert.match(
          runtimeVerdicts({ kind: c.kind, abis: c.abis, features: c.features })[0].reasons[0],
          /wasm_exec\.js/,
        );
        assert.ok(m.data.count > 50_000 && m.data.largest.length === 20);
        assert.equal(m.producers?.language?.[0].name, 'Go');
      },
    ],
    [
      'starlingmonkey_embedding.wasm',
      (m) => {
        const c = classify(m);
        assert.equal(c.wasi, 'preview1');
        // made to become a component: preview2 interfaces through the canonical ABI, so no runtime runs it as it is
        assert.ok(c.abis.includes('canonical-abi'));
        assert.ok(c.wasiInterfaces.includes('wasi:io/poll@0.2.10'), c.wasiInterfaces.join());
        assert.ok(c.capabilities.includes('sockets'));
        assert.deepEqual(
          runtimeVerdicts({ kind: c.kind, abis: c.abis, features: c.features }).map(
            (r) => r.verdict,
          ),
          ['no', 'no', 'no', 'no', 'no', 'no'], // node-wasi, wasmtime, wazero, wasmedge, wasmer, iwasm
        );
        assert.ok(m.customSections.some((c) => c.name.startsWith('component-type:')));
        assert.ok(m.targetFeatures?.some((f) => f.name === 'bulk-memory'));
      },
    ],
    [
      'starlingmonkey_embedding.debug.wasm',
      (m) => {
        assert.equal(m.moduleName, 'starling-raw.wasm');
        assert.ok(
          m.functions.filter((f) => f.name).length > 19_000,
          'function names from the name section',
        );
      },
    ],
    ['spidermonkey-embedding-splicer.core.wasm', (m) => assert.ok(m.functions.length > 8000)],
    ['wasm-tools.core.wasm', (m) => assert.ok(m.functions.length > 6000)],
    [
      'wasi_snapshot_preview1.command.wasm',
      (m) => assert.ok(m.imports.some((i) => i.module.startsWith('wasi:'))),
    ],
  ];
  for (const [name, check] of cases) {
    it(`${name}: sections, imports and exports match wasm-objdump; every body decodes`, (t) => {
      const file = sample(t, name);
      if (!file) return;
      const bytes = readFileSync(file);
      const m = decodeCoreModule(bytes);
      assert.deepEqual(m.problems, []);
      check(m);
      crossCheck(t, file, m);
      const scan = scanCode(bytes, [m]);
      assert.deepEqual(scan.problems, [], 'every function body decodes to its end');
      assert.ok(scan.instructions > m.functions.length);
    });
  }

  it("prints the WASI adapter's functions as wasm2wat does", (t) => {
    const file = sample(t, 'wasi_snapshot_preview1.command.wasm');
    if (!file) return;
    if (!hasTool('wasm2wat')) return t.skip('wasm2wat (Debian wabt) is not installed');
    watMatchesWabt(file, decodeCoreModule(readFileSync(file)));
  });

  it('prints one function of a 14 MB module without touching the others', (t) => {
    const file = sample(t, 'esbuild.wasm');
    if (!file) return;
    const bytes = readFileSync(file);
    const m = decodeCoreModule(bytes);
    const biggest = m.functions.reduce((a, b) => (b.bodySize > a.bodySize ? b : a));
    const wat = functionWat(bytes, m, biggest.index, nameContext(m), { maxLines: 500 });
    assert.equal(wat.truncated, true);
    assert.equal(wat.lines, 500);
    assert.match(wat.text, /more bytes of this function not shown/);
    const small = functionWat(bytes, m, m.functions[1].index);
    assert.equal(small.truncated, false);
    assert.match(small.text, /^\(func \(;\d+;\) \(type \d+\)/);
  });
});

describe('components', () => {
  it('recognises a WASI preview2 command component and decodes its nested core modules', (t) => {
    const bytes = readFileSync(helloComponent);
    const c = decodeWasm(bytes);
    assert.equal(c.kind, 'component');
    if (c.kind !== 'component') return;
    assert.equal(c.version, 0x0d);
    assert.deepEqual(c.problems, []);
    assert.equal(c.imports.length, 17);
    assert.ok(c.imports.every((i) => i.name.startsWith('wasi:') && i.kind === 'instance'));
    assert.deepEqual(
      c.exports.map((e) => e.name),
      ['wasi:cli/run@0.2.12'],
    );
    assert.equal(c.modules.length, 4);
    assert.equal(c.components.length, 1);
    const report = inspectBytes(bytes, { scanCode: true });
    assert.equal(report.classification?.wasi, 'preview2');
    assert.equal(report.classification?.entry, 'command');
    assert.equal(report.runtimes?.find((r) => r.runtime === 'wasmtime')?.verdict, 'yes');
    assert.equal(report.runtimes?.find((r) => r.runtime === 'node-wasi')?.verdict, 'no');
    // the first nested module is the example itself; each nested module matches wasm-objdump on its own bytes
    const dir = tempDir();
    for (const [i, m] of c.modules.entries()) {
      const file = path.join(dir, `nested-${i}.wasm`);
      writeFileSync(file, bytes.subarray(m.offset, m.offset + m.size));
      crossCheck(t, file, decodeCoreModule(readFileSync(file)));
      assert.equal(m.functions.length, decodeCoreModule(readFileSync(file)).functions.length);
    }
    assert.ok(c.modules[0].imports.some((i) => i.name === 'fd_write'));
    // the largest functions say which nested module defines them (indices repeat across modules)
    for (const f of report.size!.code.largest)
      assert.ok(
        c.modules[f.module]?.functions.some((x) => x.index === f.index && x.bodySize === f.bytes),
        `${f.name} in module ${f.module}`,
      );
  });
});

describe('wabt.js where it serves', () => {
  it('validates a module, and names what is wrong with a corrupted one', async () => {
    const bytes = readFileSync(helloWasm);
    assert.deepEqual((await validateWithWabt(bytes)).valid, true);
    const m = decodeCoreModule(bytes);
    const bad = Buffer.from(bytes);
    // turn an instruction of function 18 into i32.add with too few operands
    bad[m.functions.find((f) => f.index === 18)!.bodyOffset + 16] = 0x6a;
    const result = await validateWithWabt(bad);
    assert.equal(result.valid, false);
    assert.match(result.message!, /error: type mismatch/);
  });

  it("validates a 10 MB module in a worker thread, off the caller's thread", async (t) => {
    const file = sample(t, 'starlingmonkey_embedding.wasm');
    if (!file) return;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const result = await validateInWorker(readFileSync(file));
    clearInterval(timer);
    assert.equal(result.valid, true, result.error?.message);
    assert.equal(result.checked, 'full');
    assert.equal(result.wabt.valid, true, result.wabt.message);
    assert.ok(
      ticks > 5,
      `the event loop kept running (${ticks} ticks during ${result.ms.toFixed(0)} ms)`,
    );
  });

  it('gives the whole text of a small module and refuses a large one', async (t) => {
    const text = await wholeModuleText(readFileSync(helloWasm));
    assert.match(text, /^\(module\n/);
    assert.match(text, /\(import "wasi_snapshot_preview1" "fd_write"/);
    const file = sample(t, 'wasm-tools.core.wasm');
    if (!file) return;
    await assert.rejects(
      wholeModuleText(readFileSync(file)),
      /2\.3 MiB: whole-module text is offered up to 2 MiB; open functions one at a time/,
    );
  });
});
