import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeWasm } from '../../src/core/wasm/decode';
import { inspectFile, verdictsFor } from '../../src/core/wasm/inspect';
import type { CoreModuleInfo } from '../../src/core/wasm/model';
import { runtimeVerdicts } from '../../src/core/wasm/runtime-support';
import { NodeWasiRuntime } from '../../src/core/runtimes/node-wasi';
import { nodeVerdictInBackground } from '../../src/core/runtimes/node-validate';
import { functionWat, localLines } from '../../src/core/wasm/wat';
import { tempDir } from './helpers';
import { watModule } from './wasm-fixtures';
import { debianTool, objdumpSections, sample } from './wasm-samples';

const verdict = (r: ReturnType<typeof verdictsFor>, id: string) => r.find((v) => v.runtime === id)!;

describe('classification of real modules from npm', () => {
  for (const [name, pkg] of [
    ['crc32.wasm32-wasi.wasm', '@node-rs/crc32-wasm32-wasi'],
    ['parser.wasm32-wasi.wasm', '@oxc-parser/binding-wasm32-wasi'],
    ['rolldown-binding.wasm32-wasi.wasm', '@rolldown/binding-wasm32-wasi'],
  ]) {
    it(`${pkg}: a napi-rs addon (Node-API), not "unknown"; no WASI runtime can run it`, (t) => {
      const file = sample(t, name);
      if (!file) return;
      const r = inspectFile(file, { scanCode: false });
      const c = r.classification!;
      assert.ok(c.abis.includes('napi'), c.abis.join(', '));
      assert.ok(!c.abis.includes('unknown'), JSON.stringify(c.otherImports).slice(0, 300));
      assert.match(c.evidence!.join(' '), /napi-rs/);
      for (const v of r.runtimes!) {
        assert.equal(v.verdict, 'no', `${v.runtime}: ${v.reasons.join('; ')}`);
        assert.ok(v.reasons.some((x) => /Node-API/.test(x)));
      }
    });
  }

  it('sql.js: Emscripten with minified imports (module "a") is Emscripten, runnable only with its glue', (t) => {
    const file = sample(t, 'sql-wasm.wasm');
    if (!file) return;
    const r = inspectFile(file, { scanCode: false });
    const c = r.classification!;
    assert.deepEqual(c.abis, ['emscripten']);
    assert.deepEqual(c.otherImports, []);
    assert.match(c.evidence![0], /module "a"/);
    assert.equal(verdict(r.runtimes!, 'wasmtime').verdict, 'no');
  });

  it('web-tree-sitter: dylink.0 is recognised and never counted as strippable', (t) => {
    const file = sample(t, 'web-tree-sitter.wasm');
    if (!file) return;
    // the reference tool sees the section too
    assert.ok(objdumpSections(file).some((s) => s.name === 'custom:dylink.0'));
    const r = inspectFile(file, { scanCode: false });
    assert.ok(r.classification!.abis.includes('dynamic-linking'));
    assert.ok(r.classification!.abis.includes('emscripten'));
    assert.ok(
      !r.size!.strippable.sections.includes('dylink.0'),
      r.size!.strippable.sections.join(),
    );
    assert.ok(r.size!.custom.some((c) => c.name === 'dylink.0'));
    assert.equal(verdict(r.runtimes!, 'wasmtime').verdict, 'no');
  });

  it('linking and reloc.* (object files) and component-type sections are kept when stripping', () => {
    const custom = (name: string, payload: number[]) => {
      const body = [name.length, ...Buffer.from(name), ...payload];
      return [0, body.length, ...body];
    };
    const file = path.join(tempDir(), 'sections.wasm');
    writeFileSync(
      file,
      Buffer.from([
        ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
        ...custom('linking', [2]),
        ...custom('reloc.CODE', []),
        ...custom('component-type:x', []),
        ...custom('producers', [0]),
      ]),
    );
    // wasm-objdump reads the same four sections
    assert.equal(objdumpSections(file).length, 4);
    const r = inspectFile(file, { scanCode: false });
    assert.deepEqual(r.size!.strippable.sections, ['producers']);
  });
});

describe('proposals detected from the code and the structure', () => {
  it('extended-const in a global initialiser and a data offset', async () => {
    const file = await watModule(
      'extended-const',
      `(module (memory 1) (global $g i32 (i32.add (i32.const 1) (i32.const 2)))
         (data (i32.mul (i32.const 4) (i32.const 8)) "x") (func (export "_start")))`,
      ['--enable-extended-const'],
    );
    const r = inspectFile(file, { scanCode: true });
    assert.ok(
      r.classification!.features.includes('extended-const'),
      r.classification!.features.join(),
    );
    // the verdict comes from the Node that would run it: this one, asked in its own process
    const probe = await new NodeWasiRuntime().probe(file);
    const v8HasIt = Number(process.versions.node.split('.')[0]) >= 21;
    assert.equal(probe.valid, v8HasIt, probe.message);
    // the CLI's in-process answer (V8's asynchronous compile, started on bytes already read) is the same
    const inProcess = await new NodeWasiRuntime().probe(file, undefined, {
      inProcess: true,
      bytes: readFileSync(file),
    });
    assert.deepEqual(inProcess, probe);
    // the form for modules of 1 MiB and more (V8's asynchronous compile) answers the same
    assert.deepEqual(await nodeVerdictInBackground(readFileSync(file)), probe);
    const node = verdictsFor(r.classification!, r.codeFeatures, { node: probe }).find(
      (v) => v.runtime === 'node-wasi',
    )!;
    assert.equal(node.verdict, v8HasIt ? 'yes' : 'no', node.reasons.join());
    assert.match(node.basis, new RegExp(`node ${process.versions.node}`));
  });

  it('legacy try/catch and tail calls are told apart from exnref', async () => {
    const file = await watModule(
      'legacy-eh',
      `(module (tag $e) (func $f (return_call $g)) (func $g)
         (func (export "_start") (try (do (throw $e)) (catch $e))))`,
      ['--enable-exceptions', '--enable-tail-call'],
    );
    const r = inspectFile(file, { scanCode: true });
    assert.deepEqual(
      r.codeFeatures!.filter((f) => /exce|exn|tail/.test(f)),
      ['exceptions', 'legacy-exceptions', 'tail-call'],
    );
    assert.ok(r.classification!.features.includes('exceptions'));
    const v = verdictsFor(r.classification!, r.codeFeatures, { versions: { wasmtime: '48.0.8' } });
    assert.equal(verdict(v, 'wasmtime').verdict, 'no');
    assert.match(verdict(v, 'wasmtime').reasons.join(), /legacy try\/catch/);
    assert.equal(verdict(v, 'iwasm').verdict, 'no');
    assert.match(verdict(v, 'iwasm').reasons.join(), /WAMR_BUILD_TAIL_CALL/);
  });
});

describe('runtime verdicts by version', () => {
  const gc = { kind: 'core-module' as const, abis: ['wasi-preview1'], features: ['gc'] };
  it('wasmtime: GC by default from 47, behind -W gc=y before; the basis names the row', () => {
    const [at48] = runtimeVerdicts(gc, { versions: { wasmtime: '48.0.8' } }).filter(
      (v) => v.runtime === 'wasmtime',
    );
    assert.equal(at48.verdict, 'yes');
    assert.match(at48.basis, /wasmtime ≥ 48\.0\.0 \(installed: 48\.0\.8\)/);
    const [at40] = runtimeVerdicts(gc, { versions: { wasmtime: '40.0.1' } }).filter(
      (v) => v.runtime === 'wasmtime',
    );
    assert.equal(at40.verdict, 'maybe');
    assert.deepEqual(at40.flags, ['-W', 'gc=y']);
  });

  it('WasmEdge ≥ 0.16 needs no --enable-gc/--enable-exception-handling (it would reject them); 0.14 does', () => {
    const input = {
      kind: 'core-module' as const,
      abis: [],
      features: ['gc', 'exceptions', 'tail-call'],
    };
    const at16 = runtimeVerdicts(input, { versions: { wasmedge: '0.16.1' } }).find(
      (v) => v.runtime === 'wasmedge',
    )!;
    assert.equal(at16.verdict, 'yes', at16.reasons.join());
    assert.equal(at16.flags, undefined);
    const at14 = runtimeVerdicts(input, { versions: { wasmedge: '0.14.1' } }).find(
      (v) => v.runtime === 'wasmedge',
    )!;
    assert.deepEqual(at14.flags, [
      '--enable-gc',
      '--enable-exception-handling',
      '--enable-tail-call',
    ]);
    const m64 = runtimeVerdicts(
      { kind: 'core-module', abis: [], features: ['memory64'] },
      { versions: { wasmedge: '0.16.1' } },
    ).find((v) => v.runtime === 'wasmedge')!;
    assert.equal(m64.flags, undefined, 'no --enable-memory64 hint');
  });

  it("iwasm's default build refuses tail-call, memory64, multi-memory and extended-const", () => {
    for (const f of ['tail-call', 'memory64', 'multi-memory', 'extended-const']) {
      const v = runtimeVerdicts({ kind: 'core-module', abis: [], features: [f] }).find(
        (x) => x.runtime === 'iwasm',
      )!;
      assert.equal(v.verdict, 'no', f);
    }
  });

  it('a WASI 0.3 component is preview3, with the flags wasmtime 37–40 needs and none at 48', () => {
    const p3 = { kind: 'component' as const, abis: ['wasi-preview3'], features: [] };
    const at48 = runtimeVerdicts(p3, { versions: { wasmtime: '48.0.8' } }).find(
      (v) => v.runtime === 'wasmtime',
    )!;
    assert.equal(at48.verdict, 'yes');
    const at38 = runtimeVerdicts(p3, { versions: { wasmtime: '38.0.0' } }).find(
      (v) => v.runtime === 'wasmtime',
    )!;
    assert.deepEqual(at38.flags, ['-W', 'component-model-async=y', '-S', 'p3=y']);
    const at30 = runtimeVerdicts(p3, { versions: { wasmtime: '30.0.0' } }).find(
      (v) => v.runtime === 'wasmtime',
    )!;
    assert.equal(at30.verdict, 'no');
  });

  it("node-wasi: the probe's answer replaces the table for what V8 decides", () => {
    const input = { kind: 'core-module' as const, abis: ['wasi-preview1'], features: ['gc'] };
    const valid = runtimeVerdicts(input, { node: { node: '24.0.0', valid: true } })[0];
    assert.equal(valid.verdict, 'yes');
    assert.match(valid.basis, /WebAssembly\.validate/);
    const invalid = runtimeVerdicts(input, {
      node: { node: '20.20.2', valid: false, message: 'Invalid opcode 0x1f' },
    })[0];
    assert.equal(invalid.verdict, 'no');
    assert.match(invalid.reasons[0], /node 20\.20\.2 does not compile it: Invalid opcode 0x1f/);
  });
});

describe('WAT of functions with many locals', () => {
  for (const count of [0, 3, 64, 65, 200, 5000]) {
    it(`${count} locals print as valid WAT that wat2wasm turns back into the same body`, async () => {
      const locals = Array.from(
        { length: count },
        (_, i) => ['i32', 'i64', 'f32', 'f64'][i % 3 === 0 ? 0 : i % 4],
      ).join(' ');
      const file = await watModule(
        `locals-${count}`,
        `(module (func (param i32) (result i32) ${count ? `(local ${locals})` : ''} local.get 0))`,
      );
      const bytes = readFileSync(file);
      const m = decodeWasm(bytes) as CoreModuleInfo;
      const wat = functionWat(bytes, m, 0);
      assert.equal(wat.error, undefined);
      const dir = tempDir();
      writeFileSync(
        path.join(dir, 'again.wat'),
        `(module (type (func (param i32) (result i32)))\n${wat.text})`,
      );
      execFileSync(debianTool('wat2wasm'), [
        path.join(dir, 'again.wat'),
        '-o',
        path.join(dir, 'again.wasm'),
      ]);
      const again = readFileSync(path.join(dir, 'again.wasm'));
      const m2 = decodeWasm(again) as CoreModuleInfo;
      const body = (b: Buffer, x: CoreModuleInfo) =>
        b.subarray(x.functions[0].bodyOffset, x.functions[0].bodyOffset + x.functions[0].bodySize);
      assert.deepEqual(body(again, m2), body(bytes, m));
    });
  }

  it('wraps long lists, 16 to a line, and says how many there are', () => {
    const lines = localLines([
      { count: 40, type: 'i32' },
      { count: 1, type: 'f64' },
    ]);
    assert.equal(lines[0], '  ;; 41 locals');
    assert.equal(lines.length, 4);
    assert.ok(lines.slice(1).every((l) => /^ {2}\(local( (i32|f64))+\)$/.test(l)));
  });
});

/** A component importing one (empty) instance per name: enough to carry WASI interface names. */
export function componentImporting(names: string[]): Buffer {
  const types = [names.length, ...names.flatMap(() => [0x42, 0x00])];
  const imports = [
    names.length,
    ...names.flatMap((n, i) => [0x00, n.length, ...Buffer.from(n), 0x05, i]),
  ];
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  return Buffer.from([
    ...[0, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00],
    ...section(7, types),
    ...section(10, imports),
  ]);
}

describe('WASI 0.3 components', () => {
  it('are classified preview3 (not preview2), with the evidence', () => {
    const file = path.join(tempDir(), 'p3.wasm');
    writeFileSync(
      file,
      componentImporting([
        'wasi:cli/stdout@0.3.0-rc-2026-03-15',
        'wasi:cli/environment@0.3.0-rc-2026-03-15',
      ]),
    );
    const r = inspectFile(file, { scanCode: false });
    assert.deepEqual(r.problems, []);
    assert.equal(r.classification!.wasi, 'preview3');
    assert.deepEqual(r.classification!.abis, ['wasi-preview3']);
    assert.match(r.classification!.evidence![0], /WASI 0\.3 interfaces/);
    const p2 = path.join(tempDir(), 'p2.wasm');
    writeFileSync(p2, componentImporting(['wasi:cli/stdout@0.2.0']));
    assert.equal(inspectFile(p2, { scanCode: false }).classification!.wasi, 'preview2');
  });
});
