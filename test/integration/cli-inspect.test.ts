import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseCli } from '../../src/cli/args';
import { runProcess } from '../../src/core/process/run-process';
import type { InspectReport } from '../../src/core/wasm/inspect';
import {
  helloDir,
  helloWasm,
  referenceCodeSection,
  referenceSection,
  repoRoot,
  tempDir,
} from '../unit/helpers';
import { formatBytes } from '../../src/core/format';
import { sample } from '../unit/wasm-samples';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const validate = new Ajv({ allErrors: true, strict: false }).compile<InspectReport>(
  JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'inspect.schema.json'), 'utf8')) as object,
);
const inspect = (...args: string[]) =>
  runProcess(process.execPath, [cli, 'inspect', ...args], { maxBufferBytes: 64 * 1024 * 1024 });

/** The --json output, checked against the documented schema. */
function parseReport(stdout: string): InspectReport {
  const json: unknown = JSON.parse(stdout);
  assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  return json;
}

describe('wasm-containers inspect', () => {
  it('parses its options', () => {
    assert.deepEqual(parseCli(['inspect', 'm.wasm', '--json', '--wat', 'main']), {
      command: 'inspect',
      file: 'm.wasm',
      json: true,
      wat: 'main',
      scan: true,
    });
    assert.deepEqual(parseCli(['inspect', 'm.wasm', '--no-scan']), {
      command: 'inspect',
      file: 'm.wasm',
      json: false,
      wat: undefined,
      scan: false,
    });
    assert.throws(() => parseCli(['inspect']), /one FILE\.wasm/);
  });

  it('prints the facts of a module, and JSON that follows the documented schema', async () => {
    const text = await inspect(helloWasm);
    assert.equal(text.exitCode, 0, text.stderr);
    assert.match(text.stdout, /kind: +core module, command/);
    assert.match(text.stdout, /WASI: +preview1/);
    assert.match(text.stdout, /node-wasi +yes/);
    // the code section with its id byte and its size's LEB128, as wasm-objdump -h places it
    const section = referenceCodeSection();
    const code = section.start + section.size - section.offset;
    const share = ((100 * code) / readFileSync(helloWasm).length).toFixed(1);
    assert.match(
      text.stdout,
      new RegExp(
        `What eats the bytes:\\n +code +${formatBytes(code).replace('.', '\\.')} +${share.replace('.', '\\.')} %`,
      ),
    );
    const json = await inspect(helloWasm, '--json');
    assert.equal(json.exitCode, 0);
    const report = parseReport(json.stdout);
    assert.equal(report.classification?.wasi, 'preview1');
    assert.equal(report.binary?.kind, 'core-module');
    assert.equal(report.binary.functions.length, referenceSection('Function').count);
    assert.ok((report.instructionCount ?? 0) > 10_000);
  });

  it('describes a component with the same schema', async () => {
    const r = await inspect(path.join(helloDir, 'hello.component.wasm'), '--json');
    assert.equal(r.exitCode, 0, r.stderr);
    const report = parseReport(r.stdout);
    assert.equal(report.binary?.kind, 'component');
    assert.equal(report.classification?.wasi, 'preview2');
    assert.equal(report.binary.modules.length, 4);
  });

  it('a 14 MB Go module validates too', async (t) => {
    const file = sample(t, 'esbuild.wasm');
    if (!file) return;
    const r = await inspect(file, '--json', '--no-scan');
    assert.equal(r.exitCode, 0, r.stderr);
    const report = parseReport(r.stdout);
    assert.deepEqual(report.classification?.abis, ['go-js']);
  });

  it('prints one function as WAT, by index or by name', async () => {
    const byIndex = await inspect(helloWasm, '--wat', '18');
    assert.equal(byIndex.exitCode, 0, byIndex.stderr);
    assert.match(
      byIndex.stdout,
      /^\(func \(;18;\) \(type 3\) \(param i32 i32\) \(result i32\)\n {2}\(local i32 f64 i64 i32 i32\)\n {2}global\.get 0\n/,
    );
    const component = await inspect(
      path.join(helloDir, 'hello.component.wasm'),
      '--wat',
      'fd_write',
    );
    assert.equal(component.exitCode, 0, component.stderr);
    assert.match(component.stdout, /^\(func \$fd_write /);
    const missing = await inspect(helloWasm, '--wat', 'no_such_function');
    assert.equal(missing.exitCode, 1);
    assert.match(
      missing.stderr,
      /no function is named "no_such_function" \(the module has no name section: use an index\)/,
    );
  });

  it('exits 1 with the problems and their offsets for a damaged file, and still prints what decoded', async () => {
    const dir = tempDir();
    const cut = path.join(dir, 'cut.wasm');
    const code = referenceCodeSection();
    writeFileSync(cut, readFileSync(helloWasm).subarray(0, 5000));
    const r = await inspect(cut);
    assert.equal(r.exitCode, 1);
    assert.match(
      r.stdout,
      new RegExp(
        `Problems \\(2\\):\\n {2}at byte offset ${code.offset} \\(0x${code.offset.toString(16)}\\) in code: the code section declares ${code.size} bytes but only ${5000 - code.start} remain in the file`,
      ),
    );
    assert.match(r.stdout, /imports: +args_get/);
    parseReport((await inspect(cut, '--json')).stdout);
    const notWasm = await inspect(path.join(repoRoot, 'README.md'));
    assert.equal(notWasm.exitCode, 1);
    assert.match(
      notWasm.stdout,
      /at byte offset 0 \(0x0\): not a WebAssembly binary: expected the magic number/,
    );
    const absent = await inspect(path.join(dir, 'absent.wasm'));
    assert.equal(absent.exitCode, 1);
    assert.match(absent.stderr, /absent\.wasm: no such file/);
  });
});
