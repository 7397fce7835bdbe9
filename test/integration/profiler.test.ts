import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { discoverPair } from '../../src/core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../src/core/profile/profile-pair';
import { runProfile } from '../../src/core/profile/profiler';
import { renderCsv } from '../../src/core/profile/report-csv';
import { renderMarkdownReport } from '../../src/core/profile/report-markdown';
import { renderTextReport } from '../../src/core/profile/report-text';
import { loadResult, saveResult } from '../../src/core/profile/results-store';
import { NativeProcessRuntime } from '../../src/core/runtimes/native-process';
import { helloDir, helloNative, helloWasm, tempDir } from '../unit/helpers';

describe('discoverPair', () => {
  it('finds the module and its native twin in a folder', () => {
    assert.deepEqual(discoverPair(helloDir), {
      module: helloWasm,
      native: helloNative,
      nativeCandidates: [helloNative, `${helloNative}.native`],
    });
    assert.equal(discoverPair(helloWasm).native, helloNative);
  });
  it('explains what is missing', () => {
    const dir = tempDir();
    assert.throws(() => discoverPair(dir), /holds no \.wasm module/);
    assert.throws(() => discoverPair(path.join(dir, 'nope')), /does not exist/);
    copyFileSync(helloWasm, path.join(dir, 'a.wasm'));
    assert.equal(discoverPair(dir).native, undefined);
    copyFileSync(helloWasm, path.join(dir, 'b.wasm'));
    assert.throws(() => discoverPair(dir), /several modules \(a\.wasm, b\.wasm\): name the one/);
    // the one module with a native twin beside it is chosen; two twins are ambiguous again
    copyFileSync(helloNative, path.join(dir, 'b'));
    assert.equal(discoverPair(dir).module, path.join(dir, 'b.wasm'));
    copyFileSync(helloNative, path.join(dir, 'a'));
    assert.throws(
      () => discoverPair(dir),
      /several modules \(a\.wasm, b\.wasm\), 2 with a native twin: name the one/,
    );
    writeFileSync(path.join(dir, 'plain'), 'text', { mode: 0o644 });
    assert.throws(
      () => discoverPair(path.join(dir, 'a.wasm'), path.join(dir, 'plain')),
      /not an executable/,
    );
  });
});

describe('runProfile', () => {
  it('profiles Node WASI against native, interleaved, with every raw sample and ratios', async () => {
    const order: string[] = [];
    const targets = nodeWasiVsNativeTargets(discoverPair(helloDir));
    const checkpoints: number[] = [];
    const result = await runProfile(targets, {
      runs: 4,
      warmup: 1,
      onSample: (e) => order.push(`${e.phase}:${e.target}`),
      onCheckpoint: (p) => checkpoints.push(p.targets.reduce((n, t) => n + t.samples.length, 0)),
    });
    assert.equal(result.status, 'complete');
    assert.deepEqual(order.slice(0, 4), [
      'warmup:wasm-node-wasi',
      'warmup:native-process',
      'measure:wasm-node-wasi',
      'measure:native-process',
    ]);
    assert.equal(order.length, 10);
    assert.deepEqual(checkpoints, [0, 2, 4, 6, 8], 'a checkpoint after every round');
    const [wasm, native] = result.targets;
    assert.equal(wasm.samples.length, 4);
    assert.equal(wasm.warmupSamples.length, 1);
    assert.equal(wasm.summary.wallMs.n, 4);
    assert.equal(wasm.summary.failures, 0);
    assert.ok(wasm.samples.every((s) => s.exact && s.exitCode === 0 && s.stdoutBytes === 29));
    // Node (V8 + WASI) needs far more memory and time than a static binary; the measurement must see that
    assert.ok(
      wasm.summary.maxRssKb.median > 10 * native.summary.maxRssKb.median,
      `${wasm.summary.maxRssKb.median} vs ${native.summary.maxRssKb.median}`,
    );
    assert.ok(wasm.summary.wallMs.median > native.summary.wallMs.median);
    assert.equal(wasm.sizeBytes, readFileSync(helloWasm).length);
    assert.equal(result.comparisons.length, 1);
    assert.equal(result.comparisons[0].reference, 'native-process');
    assert.ok(result.comparisons[0].wallMs.ratio > 1);
    assert.ok(result.comparisons[0].size < 1, 'the module is smaller than the static binary');
    assert.equal(result.environment.measurement, 'wait4');
    assert.match(result.environment.runtimes['node-wasi'], /^node /);

    const text = renderTextReport(result, 'hello');
    assert.match(
      text,
      /^ {2}Wasm under Node WASI: image \d+× smaller · starts [\d.]+× slower .* more memory than native/m,
    );
    assert.ok(
      wasm.image!.compressed < native.image!.compressed,
      'the wasm image is smaller than the native one',
    );
    assert.match(renderMarkdownReport(result, 'hello'), /\| wasm · node-wasi \| [\d.]+ KiB \| /);
    const csv = renderCsv(result).trim().split('\n');
    assert.equal(csv.length, 1 + 10);
    assert.equal(csv[0].split(',').length, 12);

    const dir = tempDir();
    const file = saveResult(dir, result);
    assert.deepEqual(loadResult(file), JSON.parse(JSON.stringify(result)));
  });

  it('sequential order runs one target after the other', async () => {
    const order: string[] = [];
    await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)), {
      runs: 2,
      warmup: 0,
      order: 'sequential',
      onSample: (e) => order.push(e.target),
    });
    assert.deepEqual(order, [
      'wasm-node-wasi',
      'wasm-node-wasi',
      'native-process',
      'native-process',
    ]);
  });

  it('records failing runs per run and leaves them out of the statistics', async () => {
    const result = await runProfile(
      [
        {
          id: 'fails',
          label: 'exits 3',
          runtime: new NativeProcessRuntime(),
          spec: { artifact: helloNative, args: ['exit', '3'] },
        },
      ],
      { runs: 3, warmup: 0 },
    );
    assert.equal(result.status, 'complete');
    assert.equal(result.targets[0].summary.failures, 3);
    assert.equal(result.targets[0].summary.wallMs.n, 0);
    assert.match(result.targets[0].samples[0].error!, /exited with code 3 \(expected 0\)/);
    assert.match(renderTextReport(result, 't'), /3 of 3 runs failed/);
  });

  it('a hanging target times out per run and the profile goes on', async () => {
    const result = await runProfile(
      [
        {
          id: 'hangs',
          label: 'sleeps',
          runtime: new NativeProcessRuntime(),
          spec: { artifact: helloNative, args: ['sleep', '30'] },
        },
      ],
      { runs: 2, warmup: 0, timeoutMs: 200 },
    );
    assert.equal(result.targets[0].samples.length, 2);
    assert.ok(
      result.targets[0].samples.every((s) => /did not finish within 200 ms/.test(s.error ?? '')),
    );
  });

  it('a target that floods its output is measured with bounded memory, its output counted', async () => {
    // a small executable (not node itself, whose 100 MB the profile would pack to estimate its image)
    const flood = path.join(tempDir(), 'flood');
    writeFileSync(
      flood,
      `#!${process.execPath}\nconst b = Buffer.alloc(1 << 20, 120); for (let i = 0; i < 50; i++) process.stdout.write(b);\n`,
      { mode: 0o755 },
    );
    const before = process.memoryUsage().rss;
    const result = await runProfile(
      [
        {
          id: 'flood',
          label: 'writes 50 MB',
          runtime: new NativeProcessRuntime(),
          spec: { artifact: flood },
        },
      ],
      { runs: 2, warmup: 0 },
    );
    const t = result.targets[0];
    assert.equal(t.summary.failures, 0, JSON.stringify(t.samples.map((s) => s.error)));
    // every byte counted (the helper times and counts output without keeping it)
    assert.deepEqual(
      t.samples.map((s) => s.stdoutBytes),
      [50 << 20, 50 << 20],
    );
    assert.ok(
      process.memoryUsage().rss - before < 200 * 1024 * 1024,
      'the profiler did not keep the flood',
    );
  });

  it('cancellation keeps the samples measured so far', async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)), {
      runs: 50,
      warmup: 0,
      signal: controller.signal,
      onSample: () => {
        if (++seen === 3) controller.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    // the helper hands records over in groups: a sample it finished before it saw the cancel is
    // measured, and kept; nothing after that group runs
    const kept = result.targets.reduce((n, t) => n + t.samples.length, 0);
    assert.ok(kept >= 3 && kept < 20, `kept ${kept} of 100 samples`);
    for (const t of result.targets) assert.equal(t.summary.wallMs.n, t.samples.length);
  });

  it('splits phases by marker lines', async () => {
    const result = await runProfile(
      nodeWasiVsNativeTargets(discoverPair(helloDir), ['sleep', '0.1']),
      { runs: 2, warmup: 0, markers: ['Starting', 'Stopped'] },
    );
    for (const t of result.targets) {
      const phases = t.summary.phases!;
      assert.ok(phases, `${t.id} has no phases`);
      assert.ok(
        // the run phase is the program's 100 ms sleep, whatever the machine's load adds around it
        phases.run.median >= 95 && phases.run.median < 10_000,
        `${t.id} run phase ${phases.run.median}`,
      );
      assert.ok(phases.startup.median > 0 && phases.shutdown.median >= 0);
    }
    assert.ok(
      result.targets[0].summary.phases!.startup.median >
        result.targets[1].summary.phases!.startup.median,
      'Node WASI starts slower than a static binary',
    );
  });

  it('rejects nonsense settings', async () => {
    await assert.rejects(runProfile([], { runs: 1, warmup: 0 }), /no targets/);
    await assert.rejects(
      runProfile(nodeWasiVsNativeTargets(discoverPair(helloDir)), { runs: 0, warmup: 0 }),
      /at least 1/,
    );
  });
});
