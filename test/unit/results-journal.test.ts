import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runProfile } from '../../src/core/profile/profiler';
import type { ProfileResult } from '../../src/core/profile/result-schema';
import { listRuns, loadResult, ResultJournal } from '../../src/core/profile/results-store';
import { NativeProcessRuntime } from '../../src/core/runtimes/native-process';
import { helloNative, tempDir } from './helpers';

const targets = ['a', 'b'].map((id) => ({
  id,
  label: id,
  runtime: new NativeProcessRuntime(),
  spec: { artifact: helloNative },
}));

describe('ResultJournal (checkpoints of a running profile)', () => {
  it('appends only what is new at each checkpoint and never rewrites what it wrote', async () => {
    const dir = tempDir();
    const journal = new ResultJournal(dir);
    const snapshots: string[] = [];
    const result = await runProfile(targets, {
      runs: 5,
      warmup: 1,
      order: 'sequential', // a checkpoint after every sample
      onCheckpoint: (partial) => {
        journal.checkpoint(partial);
        snapshots.push(readFileSync(journal.file, 'utf8'));
      },
    });
    assert.equal(snapshots.length, 12);
    for (let k = 1; k < snapshots.length; k++) {
      assert.ok(snapshots[k].startsWith(snapshots[k - 1]), `checkpoint ${k} rewrote the journal`);
      // one line per new sample: the I/O of a profile grows linearly with its samples
      assert.equal(snapshots[k].split('\n').length - snapshots[k - 1].split('\n').length, 1);
    }
    // while it runs, the journal is a run of the history, with every sample so far
    const running = listRuns(dir);
    assert.equal(running.length, 1);
    assert.equal(running[0].file, journal.file);
    const replayed = loadResult(journal.file);
    assert.equal(replayed.status, 'running');
    assert.deepEqual(
      replayed.targets.map((t) => [t.samples.length, t.warmupSamples.length, t.summary.wallMs.n]),
      [
        [5, 1, 5],
        [5, 1, 5],
      ],
    );
    assert.deepEqual(replayed.targets[1].samples, result.targets[1].samples);
    // finishing replaces the journal with the result file
    const file = journal.finish(result);
    assert.deepEqual(readdirSync(dir), [file.slice(dir.length + 1)]);
    assert.equal(loadResult(file).status, 'complete');
  });

  it('a journal left by a crashed profiler loads as an interrupted run with its samples', async () => {
    const dir = tempDir();
    const journal = new ResultJournal(dir);
    await runProfile(targets, { runs: 3, warmup: 0, onCheckpoint: (p) => journal.checkpoint(p) });
    // the writer's pid: a process that has exited; and a torn last line, as a crash leaves it
    const dead = spawnSync('true').pid;
    const lines = readFileSync(journal.file, 'utf8').split('\n');
    const header = JSON.parse(lines[0]) as { header: ProfileResult; pid: number };
    header.pid = dead;
    lines[0] = JSON.stringify(header);
    writeFileSync(journal.file, lines.join('\n') + '{"target":0,"pha');
    const r = loadResult(journal.file);
    assert.equal(r.status, 'failed');
    assert.match(r.error!, /stopped before it finished/);
    assert.deepEqual(
      r.targets.map((t) => t.samples.length),
      [3, 3],
    );
    assert.equal(r.comparisons.length, 1);
    assert.equal(listRuns(dir)[0].status, 'failed');
  });
});
