import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateExecHelper } from '../../src/core/measure/exec-helper';
import { markerTimes, measureCommand } from '../../src/core/measure/measured-run';
import { helloNative } from '../unit/helpers';

describe('measureCommand', () => {
  it('the wc-exec helper is built (npm run build compiles it)', () => {
    assert.ok(locateExecHelper(), 'dist/bin/wc-exec is missing: is a C compiler installed?');
  });

  it('measures a native run exactly: exit code, wall time, first output, peak RSS', async () => {
    const s = await measureCommand({ file: helloNative, args: [] });
    assert.equal(s.error, undefined);
    assert.equal(s.exact, true);
    assert.equal(s.exitCode, 0);
    assert.equal(s.stdout, 'Hello from a Wasm container!\n');
    // a unit check (milliseconds, not µs or ns), not a speed limit
    assert.ok(s.wallMs > 0 && s.wallMs < 60_000, `wall ${s.wallMs}`);
    assert.ok(s.firstOutputMs! > 0 && s.firstOutputMs! <= s.wallMs);
    assert.ok(s.maxRssKb > 0 && s.maxRssKb < 10_000, `rss ${s.maxRssKb}`);
  });

  it('peak RSS sees a short-lived 200 MiB allocation that polling would miss', async () => {
    const s = await measureCommand({
      file: process.execPath,
      args: ['-e', 'const b = Buffer.alloc(200 * 1024 * 1024, 1); b[5] = 2;'],
    });
    assert.equal(s.exitCode, 0);
    assert.ok(s.maxRssKb > 200 * 1024, `peak ${s.maxRssKb} KiB`);
  });

  it('times marker lines and keeps exit codes', async () => {
    const s = await measureCommand(
      { file: helloNative, args: ['sleep', '0.2'] },
      { markers: ['Starting', 'Stopped'] },
    );
    assert.equal(s.exitCode, 0);
    const { Starting, Stopped } = s.markers;
    assert.ok(Starting !== undefined && Stopped !== undefined, JSON.stringify(s.markers));
    assert.ok(Stopped - Starting >= 195, `sleep of 200 ms measured as ${Stopped - Starting}`);
    assert.ok(Stopped <= s.wallMs);
    const failing = await measureCommand({ file: helloNative, args: ['exit', '7'] });
    assert.equal(failing.exitCode, 7);
  });

  it('a program that cannot start is a failed sample, not a throw', async () => {
    const s = await measureCommand({ file: '/nonexistent/prog', args: [] });
    assert.match(s.error!, /Could not start \/nonexistent\/prog/);
    assert.ok(Number.isNaN(s.wallMs));
  });

  it('a hanging program is killed at the timeout and recorded as failed', async () => {
    const s = await measureCommand(
      { file: helloNative, args: ['sleep', '30'] },
      { timeoutMs: 300 },
    );
    // only the timeout path says so: the program was stopped, not waited for
    assert.match(s.error!, /did not finish within 300 ms/);
  });

  it('falls back to polling when the helper is absent, and says so', async () => {
    process.env.WASM_CONTAINERS_EXEC_HELPER = 'none';
    try {
      const s = await measureCommand({
        file: process.execPath,
        args: [
          '-e',
          'Buffer.alloc(100 * 1024 * 1024, 1); setTimeout(() => console.log("done"), 100)',
        ],
      });
      assert.equal(s.exact, false);
      assert.equal(s.exitCode, 0);
      assert.ok(s.maxRssKb > 100 * 1024, `polled peak ${s.maxRssKb}`);
      assert.ok(s.firstOutputMs! > 0);
    } finally {
      delete process.env.WASM_CONTAINERS_EXEC_HELPER;
    }
  });
});

describe('markerTimes', () => {
  it('maps marker lines to the time of the chunk that completed them', () => {
    const stdout = 'noise\nStarting up\nwork\nStopped\n';
    // chunks: [end offset, ns]
    const chunks: Array<[number, number]> = [
      [6, 1e6],
      [18, 2e6],
      [23, 3e6],
      [31, 4e6],
    ];
    assert.deepEqual(markerTimes(stdout, chunks, ['Starting', 'Stopped', 'Absent']), {
      Starting: 2,
      Stopped: 4,
    });
  });
  it('a marker split across chunks takes the later chunk', () => {
    assert.deepEqual(
      markerTimes(
        'Star' + 'ting\n',
        [
          [4, 1e6],
          [9, 5e6],
        ],
        ['Starting'],
      ),
      { Starting: 5 },
    );
  });
});
