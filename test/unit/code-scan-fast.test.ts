import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scanCode } from '../../src/core/wasm/code-scan';
import { decodeWasm } from '../../src/core/wasm/decode';
import { coreModules } from '../../src/core/wasm/size-breakdown';
import { mutateBytes, prng } from '../fuzz/mutate';
import { helloWasm, repoRoot } from './helpers';

/** The fast scan and the careful one (instruction by instruction) on the same bytes. */
function bothScans(bytes: Buffer) {
  let modules;
  try {
    modules = coreModules(decodeWasm(bytes));
  } catch {
    return undefined; // not decodable enough to have functions: nothing to scan
  }
  return { fast: scanCode(bytes, modules), careful: scanCode(bytes, modules, { careful: true }) };
}

describe('the code scan’s fast path', () => {
  it('finds what the careful scan finds on real modules: instructions, features, problems', (t) => {
    const samples = path.join(repoRoot, '.cache/wasm-samples');
    const files = [helloWasm, path.join(repoRoot, 'examples/hello/hello.component.wasm')];
    for (const f of ['wasm-tools.core.wasm', 'wasi_snapshot_preview1.command.wasm'])
      if (existsSync(path.join(samples, f))) files.push(path.join(samples, f));
    if (files.length < 4) t.diagnostic('npm samples not fetched: hello.wasm only');
    for (const f of files) {
      const scans = bothScans(readFileSync(f));
      assert.ok(scans, f);
      assert.ok(scans.fast.instructions > 0, f);
      assert.deepEqual(scans.fast, scans.careful, f);
    }
  });

  it('agrees with the careful scan on thousands of mutated modules, malformed bodies included', () => {
    const seed = readFileSync(helloWasm);
    const rand = prng(20261202);
    let compared = 0;
    let withProblems = 0;
    for (let i = 0; i < 3000; i++) {
      const input = mutateBytes(seed, rand, []);
      const scans = bothScans(input);
      if (!scans) continue;
      assert.deepEqual(scans.fast, scans.careful, `mutation ${i}`);
      compared++;
      if (scans.careful.problems.length) withProblems++;
    }
    assert.ok(
      compared > 1000 && withProblems > 50,
      `${compared} compared, ${withProblems} malformed`,
    );
  });
});
