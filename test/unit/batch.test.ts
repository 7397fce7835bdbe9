import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { runBatch, type BatchCommand } from '../../src/core/measure/batch';
import { locateExecHelper } from '../../src/core/measure/exec-helper';
import type { RunSample } from '../../src/core/measure/measured-run';
import { planSchedule, runProfile, splitIntoBatches } from '../../src/core/profile/profiler';
import { NativeProcessRuntime } from '../../src/core/runtimes/native-process';
import { helloNative, parseJson, tempDir } from './helpers';

/** A process that still runs (a killed one may linger as a zombie until its new parent reaps it). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until the process has gone (a SIGKILL takes effect when the kernel next schedules it). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !running(pid);
}

const helper = () => {
  const h = locateExecHelper();
  assert.ok(h, 'dist/bin/wc-exec is missing: npm run build compiles it');
  return h;
};
const node = (script: string, extra: Partial<BatchCommand> = {}): BatchCommand => ({
  file: process.execPath,
  args: ['-e', script],
  ...extra,
});

async function collect(commands: BatchCommand[], schedule: number[], markers: string[] = []) {
  const samples: Array<[number, RunSample]> = [];
  await runBatch(helper(), commands, schedule, {
    markers,
    onSample: (step, sample) => {
      samples.push([step, sample]);
    },
  });
  return samples;
}

/** The session id in a /proc/PID/stat line (the fields after comm: state, ppid, pgrp, session). */
const sessionOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);

describe('runBatch (wc-exec batch mode)', () => {
  it('measures samples in the caller’s session, as hyperfine does, each in a group of its own', async () => {
    // CFS autogroup schedules a session as one group: a helper in a session of its own would be
    // scheduled apart from the load the caller's session carries, unlike hyperfine's children
    const dir = tempDir();
    const out = path.join(dir, 'stat');
    const script = `require('fs').writeFileSync(${JSON.stringify(out)}, require('fs').readFileSync('/proc/self/stat', 'utf8'))`;
    const [[, sample]] = await collect([node(script)], [0]);
    assert.equal(sample.error, undefined, sample.stderr);
    const stat = readFileSync(out, 'utf8');
    assert.equal(sessionOf(stat), sessionOf(readFileSync('/proc/self/stat', 'utf8')));
    const pid = Number(stat.split(' ')[0]);
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    assert.equal(pgrp, pid, 'the sample leads its own process group (wc-exec kills it whole)');
  });

  it('runs the whole schedule and streams one complete record per sample, in order', async () => {
    const dir = tempDir();
    const commands: BatchCommand[] = [
      { file: helloNative, args: [] },
      node(
        'process.stdout.write("Starting\\nabc"); process.stderr.write("warn: " + process.env.WC_X + " " + process.cwd() + "\\n"); process.exitCode = 3',
        { env: { ...process.env, WC_X: 'from-env' }, cwd: dir },
      ),
    ];
    const samples = await collect(commands, [0, 1, 0, 1, 1], ['Starting', 'abc', 'never']);
    assert.deepEqual(
      samples.map(([step]) => step),
      [0, 1, 2, 3, 4],
    );
    for (const [step, s] of samples) {
      assert.equal(s.exact, true);
      assert.equal(s.memorySource, 'wait4');
      assert.ok(s.wallMs > 0 && s.maxRssKb > 0 && s.userMs! >= 0 && s.systemMs! >= 0);
      assert.ok(s.firstOutputMs! > 0 && s.firstOutputMs! <= s.wallMs);
      if ([0, 2].includes(step)) {
        assert.equal(s.exitCode, 0);
        assert.equal(s.stdoutBytes, 'Hello from a Wasm container!\n'.length);
        assert.deepEqual(s.markers, {});
      } else {
        assert.equal(s.exitCode, 3);
        assert.equal(s.stdoutBytes, 'Starting\nabc'.length);
        assert.equal(s.stderr, `warn: from-env ${dir}\n`);
        // the last line counts even without a newline; a marker never printed is absent
        assert.deepEqual(Object.keys(s.markers).sort(), ['Starting', 'abc']);
        assert.ok(s.markers.Starting <= s.markers.abc && s.markers.abc <= s.wallMs);
      }
    }
  });

  it('gives each sample its standard input (or /dev/null) and counts every byte of a flood', async () => {
    const samples = await collect(
      [
        node(
          'let n = 0; process.stdin.on("data", (c) => (n += c.length)).on("end", () => console.log(n))',
          {
            stdin: 'x'.repeat(100_000),
          },
        ),
        node('process.stdin.on("data", () => process.exit(9)).on("end", () => console.log("eof"))'),
        node(
          'const b = Buffer.alloc(1 << 20, 120); for (let i = 0; i < 20; i++) process.stdout.write(b)',
        ),
      ],
      [0, 1, 2],
    );
    assert.deepEqual(
      samples.map(([, s]) => [s.exitCode, s.stdoutBytes]),
      [
        [0, '100000\n'.length],
        [0, 'eof\n'.length],
        [0, 20 << 20],
      ],
    );
  });

  it('records a program that cannot start, and kills one that overruns its timeout with its children', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'grandchild');
    const samples = await collect(
      [
        { file: path.join(dir, 'missing'), args: [] },
        // sh starts in a millisecond even on a busy machine: the child exists long before the timeout
        {
          file: '/bin/sh',
          args: ['-c', 'sleep 300 & echo $! > "$1"; echo waiting >&2; wait', 'sh', pidFile],
          timeoutMs: 3000,
        },
        { file: helloNative, args: [] },
      ],
      [0, 1, 2],
    );
    assert.match(samples[0][1].error!, /Could not start .*missing: errno 2 \(not found\)/);
    assert.match(samples[1][1].error!, /did not finish within 3000 ms/);
    assert.equal(samples[1][1].stderr, 'waiting\n');
    assert.equal(samples[2][1].exitCode, 0, 'the batch goes on after a timeout');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await gone(grandchild), 'the sample’s child was killed too');
  });

  it('never starts a sample while the parent is handling a record', async () => {
    // Records are handed over in groups (at most every 100 ms) and each is acknowledged after the
    // parent has handled it: several samples may run before the first record is handled, but no
    // sample may start while the parent's handler runs.
    const dir = tempDir();
    const log = path.join(dir, 'starts');
    const handling: [number, number][] = [];
    const cmd = node(
      `require('node:fs').appendFileSync(${JSON.stringify(log)}, performance.timeOrigin + '\\n')`,
    );
    await runBatch(helper(), [cmd], [0, 0, 0, 0], {
      onSample: async () => {
        const begin = performance.timeOrigin + performance.now();
        await new Promise((r) => setTimeout(r, 30));
        handling.push([begin, performance.timeOrigin + performance.now()]);
      },
    });
    const starts = readFileSync(log, 'utf8').trim().split('\n').map(Number);
    assert.equal(starts.length, 4);
    assert.equal(handling.length, 4);
    for (const [k, start] of starts.entries())
      for (const [begin, end] of handling)
        assert.ok(
          !(start > begin && start < end),
          `sample ${k} started at ${start}, while a record was being handled (${begin} … ${end})`,
        );
  });

  it('starts the first sample only when the parent says its own start is over', async () => {
    // the parent (Node) is still busy for 10-20 ms after it spawned the helper: the helper waits
    // for one byte on the acknowledgement pipe before its first sample
    const dir = tempDir();
    const marker = path.join(dir, 'started');
    const plan = path.join(dir, 'plan');
    const fields = ['wc-exec-plan-1', 'markers', '0', 'command', '3', '/bin/sh', '-c'];
    fields.push(`: > '${marker}'`, '0', '', '', '0', 'schedule', '1', '0');
    writeFileSync(plan, fields.map((f) => `${f}\0`).join(''));
    const child = spawn(helper(), ['--batch', plan, '--report-fd', '3', '--ack-fd', '4'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    });
    const [report, ack] = [child.stdio[3] as Readable, child.stdio[4] as Writable];
    let records = '';
    report.on('data', (c: Buffer) => (records += c.toString()));
    const exited = new Promise((r) => child.once('close', r));
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(existsSync(marker), false, 'no sample before the go');
      assert.equal(records, '');
      ack.write('.'); // go
      while (!records.includes('\n')) await new Promise((r) => setTimeout(r, 10));
      assert.equal(existsSync(marker), true);
      ack.end('.'); // the record's acknowledgement
      await exited;
    } finally {
      child.kill('SIGKILL'); // a helper that failed the test must not keep it waiting
    }
    assert.equal(parseJson<{ step: number }>(records).step, 0);
  });

  it('cancellation kills the running sample and rejects', async () => {
    const controller = new AbortController();
    const dir = tempDir();
    const pidFile = path.join(dir, 'pid');
    const started = runBatch(
      helper(),
      [
        node(
          `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`,
        ),
      ],
      [0, 0],
      { signal: controller.signal, onSample: () => undefined },
    );
    let pid = 0;
    while (!pid) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        pid = Number(readFileSync(pidFile, 'utf8'));
      } catch {
        // not started yet
      }
    }
    controller.abort();
    await assert.rejects(started, /cancelled/);
    assert.ok(await gone(pid), `the sample (pid ${pid}) still runs`);
  });
});

describe('the profiler’s schedule', () => {
  it('plans warmups then runs, interleaved or sequential', () => {
    const text = (order: 'interleaved' | 'sequential') =>
      planSchedule(2, 1, 2, order).map((s) => `${s.phase[0]}${s.target}.${s.index}`);
    assert.deepEqual(text('interleaved'), ['w0.0', 'w1.0', 'm0.0', 'm1.0', 'm0.1', 'm1.1']);
    assert.deepEqual(text('sequential'), ['w0.0', 'w1.0', 'm0.0', 'm0.1', 'm1.0', 'm1.1']);
  });

  it('batches consecutive process-runtime steps and leaves the others to measure()', () => {
    const parts = splitIntoBatches(planSchedule(3, 0, 2, 'interleaved'), (t) => t !== 1);
    assert.deepEqual(
      parts.map((p) => [p.batch, p.steps.map((s) => s.target).join('')]),
      [
        [true, '0'],
        [false, '1'],
        [true, '20'],
        [false, '1'],
        [true, '2'],
      ],
    );
  });

  it('a profile through the helper and one through the fallback record the same runs', async () => {
    const targets = [
      {
        id: 'a',
        label: 'a',
        runtime: new NativeProcessRuntime(),
        spec: { artifact: helloNative },
      },
      {
        id: 'b',
        label: 'b',
        runtime: new NativeProcessRuntime(),
        spec: { artifact: process.execPath, args: ['-e', 'process.exit(2)'] },
      },
    ];
    const shape = async () => {
      const checkpoints: number[] = [];
      const r = await runProfile(targets, {
        runs: 3,
        warmup: 1,
        onCheckpoint: (p) => checkpoints.push(p.targets[0].samples.length),
      });
      return {
        status: r.status,
        exact: r.targets.map((t) => t.samples.every((s) => s.exact)),
        runs: r.targets.map((t) => t.samples.map((s) => [s.index, s.exitCode, s.stdoutBytes])),
        errors: r.targets[1].samples.map((s) => s.error),
        checkpoints,
      };
    };
    const batched = await shape();
    process.env.WASM_CONTAINERS_EXEC_HELPER = 'none';
    let fallback;
    try {
      fallback = await shape();
    } finally {
      delete process.env.WASM_CONTAINERS_EXEC_HELPER;
    }
    assert.deepEqual(batched.exact, [true, true]);
    assert.deepEqual(fallback.exact, [false, false]);
    assert.deepEqual({ ...batched, exact: 0 }, { ...fallback, exact: 0 });
    assert.deepEqual(batched.checkpoints, [0, 1, 2, 3]);
    assert.deepEqual(batched.errors, Array(3).fill('exited with code 2 (expected 0)'));
  });
});
