import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CancelledError, ProcessError } from '../../src/core/process/errors';
import { isAlive } from '../../src/core/process/kill-tree';
import { runProcess } from '../../src/core/process/run-process';
import { parseJson } from '../unit/helpers';

const node = process.execPath;
/** A node process that starts a grandchild, prints both pids, and waits forever. */
const PARENT_WITH_GRANDCHILD = `
  const { spawn } = require('child_process');
  const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  console.log(JSON.stringify({ parent: process.pid, grandchild: g.pid }));
  setInterval(() => {}, 1000);`;

/** Polls until the state holds; the deadline is a watchdog for a process that never goes. */
async function waitUntil(predicate: () => boolean, ms = 120_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return predicate();
}

describe('runProcess', () => {
  it('returns exit code, stdout and stderr of an argv command', async () => {
    const r = await runProcess(node, [
      '-e',
      'console.log("out"); console.error("err"); process.exit(3)',
    ]);
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.ok(r.durationMs > 0);
  });

  it('passes arguments verbatim, without a shell', async () => {
    const tricky = ['a b', '$(echo no)', '"quoted"', "it's", '; rm -rf /', 'ünïcødé'];
    const r = await runProcess(node, [
      '-e',
      'console.log(JSON.stringify(process.argv.slice(1)))',
      ...tricky,
    ]);
    assert.deepEqual(JSON.parse(r.stdout), tricky);
  });

  it('with check, rejects with stderr in the message', async () => {
    await assert.rejects(
      runProcess(node, ['-e', 'console.error("disk on fire"); process.exit(2)'], {
        check: true,
        label: 'the probe',
      }),
      (e: unknown) => {
        assert.ok(e instanceof ProcessError);
        assert.match(e.message, /the probe exited with code 2/);
        assert.match(e.message, /disk on fire/);
        return true;
      },
    );
  });

  it('starts the child in a session of its own unless told to keep it in ours', async () => {
    // fields after comm in /proc/PID/stat: state, ppid, pgrp, session
    const sid = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
    const script = "process.stdout.write(require('fs').readFileSync('/proc/self/stat', 'utf8'))";
    const own = await runProcess(node, ['-e', script]);
    assert.equal(sid(own.stdout), own.pid);
    const ours = await runProcess(node, ['-e', script], { ownSession: false });
    assert.equal(sid(ours.stdout), sid(readFileSync('/proc/self/stat', 'utf8')));
    assert.notEqual(sid(ours.stdout), ours.pid);
  });

  it('explains a missing executable', async () => {
    await assert.rejects(
      runProcess('/nonexistent/wasmtime', []),
      /was not found\. Install it or set its path/,
    );
  });

  it('cancellation kills the whole tree, grandchildren included', async () => {
    const controller = new AbortController();
    let pids: { parent: number; grandchild: number } | undefined;
    const running = runProcess(node, ['-e', PARENT_WITH_GRANDCHILD], {
      signal: controller.signal,
      onStdout: (c) => {
        pids = parseJson<{ parent: number; grandchild: number }>(c);
        controller.abort();
      },
    });
    await assert.rejects(running, (e: unknown) => e instanceof CancelledError);
    assert.ok(pids, 'the child never reported its pids');
    assert.ok(
      await waitUntil(() => !isAlive(pids!.parent) && !isAlive(pids!.grandchild)),
      `left running: ${JSON.stringify(pids)}`,
    );
  });

  it('a timeout kills the tree and says how long it waited', async () => {
    let pids: { parent: number; grandchild: number } | undefined;
    await assert.rejects(
      runProcess(node, ['-e', PARENT_WITH_GRANDCHILD], {
        timeoutMs: 500,
        onStdout: (c) => {
          pids = parseJson<{ parent: number; grandchild: number }>(c);
        },
      }),
      (e: unknown) =>
        e instanceof ProcessError && e.details.timedOut === true && /within 500 ms/.test(e.message),
    );
    assert.ok(pids);
    assert.ok(
      await waitUntil(() => !isAlive(pids!.parent) && !isAlive(pids!.grandchild)),
      `left running: ${JSON.stringify(pids)}`,
    );
  });

  it('bounds buffered output but streams all of it', async () => {
    let streamed = 0;
    const r = await runProcess(node, ['-e', 'process.stdout.write("x".repeat(1 << 20))'], {
      maxBufferBytes: 1000,
      onStdout: (c) => {
        streamed += c.length;
      },
    });
    assert.equal(r.stdout.length, 1000);
    assert.equal(r.stdoutTruncated, true);
    assert.equal(streamed, 1 << 20);
  });

  it('an already aborted signal starts nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runProcess(node, ['-e', ''], { signal: controller.signal }),
      CancelledError,
    );
  });
});
