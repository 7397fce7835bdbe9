import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { runProfile } from '../../src/core/profile/profiler';
import { renderTextReport } from '../../src/core/profile/report-text';
import { loadProfileSpec } from '../../src/core/profile/spec';
import { resolveSpecTargets } from '../../src/core/profile/spec-targets';
import { detectRuntimes } from '../../src/core/runtimes/runtime-catalog';
import { connectOrSkip, helloDir, managedContainers } from './docker-helpers';

describe('profiling container targets from a spec', async () => {
  const { docker, skip } = await connectOrSkip();

  it(
    'builds the native image, then measures cold starts, a storm and density under runc and crun',
    { skip, timeout: 300_000 },
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'wc-spec-'));
      const spec = path.join(dir, 'p.json');
      writeFileSync(
        spec,
        JSON.stringify({
          runs: 3,
          warmup: 1,
          reference: 'process',
          targets: [
            { id: 'process', runtime: 'process', artifact: path.join(helloDir, 'hello') },
            {
              id: 'runc',
              runtime: 'docker-runc',
              artifact: 'wasm-containers-test/profile-native:latest',
              build: { context: helloDir, dockerfile: 'Dockerfile.native' },
            },
            {
              id: 'crun',
              runtime: 'docker-crun',
              artifact: 'wasm-containers-test/profile-native:latest',
            },
          ],
          scenarios: {
            startStorm: { counts: [2] },
            density: {
              instances: [3],
              args: ['sleep', '20'],
              readyMarker: 'Starting',
              settleMs: 200,
            },
          },
        }),
      );
      const catalog = await detectRuntimes();
      const targets = await resolveSpecTargets(loadProfileSpec(spec), catalog);
      const result = await runProfile(targets, {
        runs: 3,
        warmup: 1,
        reference: 'process',
        scenarios: loadProfileSpec(spec).scenarios,
      });
      assert.equal(result.status, 'complete', result.error);
      const byId = Object.fromEntries(result.targets.map((t) => [t.id, t]));
      for (const id of ['runc', 'crun']) {
        const t = byId[id];
        assert.equal(t.summary.failures, 0, JSON.stringify(t.samples.map((s) => s.error)));
        assert.equal(t.sizeKind, 'image');
        assert.ok(t.sizeBytes > 600_000, `image size ${t.sizeBytes}`);
        const phases = t.summary.containerPhases!;
        assert.ok(
          phases.create.median > 0 && phases.start.median > 0 && phases.remove.median > 0,
          JSON.stringify(phases),
        );
        // the whole docker run --rm equivalent is the sum of its steps
        for (const s of t.samples) {
          const p = s.containerPhases!;
          assert.ok(Math.abs(p.create + p.start + p.run + p.remove - s.wallMs) < 0.01);
          assert.equal(s.memorySource, 'cgroup-polled');
        }
        assert.ok(
          t.summary.wallMs.median > byId.process.summary.wallMs.median,
          'a container start costs more than a process start',
        );
      }
      const storms = result.scenarios.storms.filter((s) => s.target !== 'process');
      assert.deepEqual(
        storms.map((s) => [s.target, s.count, s.failures]),
        [
          ['runc', 2, 0],
          ['crun', 2, 0],
        ],
      );
      const density = result.scenarios.density.filter((d) => d.target !== 'process');
      for (const d of density) {
        assert.equal(d.ready, 3, d.errors.join('; '));
        assert.ok(d.totalCgroupKb! > 0, `${d.target}: cgroup memory ${d.totalCgroupKb}`);
      }
      assert.match(
        renderTextReport(result, 'containers'),
        /runc: create .* start .* run .* remove/,
      );
      assert.deepEqual(
        (await managedContainers(docker!)).map((c) => c.Names),
        [],
        'every container was removed',
      );
    },
  );
});
