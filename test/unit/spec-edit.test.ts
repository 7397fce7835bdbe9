import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseProfileSpec } from '../../src/core/profile/spec';
import { specFromResult, specLocation, withScenario } from '../../src/core/profile/spec-edit';
import { HELLO_SHAPES, syntheticResult } from './synthetic-result';

describe('adding a scenario a profile lacks to a spec', () => {
  const result = syntheticResult(HELLO_SHAPES.slice(0, 2), { reference: 'native-process' });

  it('writes a spec from the profile: its targets, relative paths, reference and settings', () => {
    const spec = specFromResult(result, '/work');
    const parsed = parseProfileSpec(JSON.stringify(spec), 'spec.json');
    assert.deepEqual(
      parsed.targets.map((t) => [t.id, t.runtime, t.artifact]),
      [
        ['wasm-node-wasi', 'node-wasi', 'wasm-node-wasi'],
        ['native-process', 'process', 'native-process'],
      ],
    );
    assert.equal(parsed.reference, 'native-process');
    assert.equal(parsed.runs, 20);
  });

  it('adds each scenario so that the spec parses with it, keeping what the spec had', () => {
    const base = {
      ...specFromResult(result, '/work'),
      name: 'kept',
      scenarios: { coldStart: true, startStorm: { counts: [5] } },
    };
    const storm = parseProfileSpec(JSON.stringify(withScenario(base, 'startStorm')), 's');
    assert.deepEqual(storm.scenarios.startStorm, { counts: [1, 10, 100] });
    assert.equal(storm.name, 'kept');
    const timeline = parseProfileSpec(JSON.stringify(withScenario(base, 'memoryTimeline')), 's');
    assert.equal(timeline.scenarios.memoryTimeline?.intervalMs, 100);
    assert.deepEqual(timeline.scenarios.startStorm, { counts: [5] });
    const density = parseProfileSpec(
      JSON.stringify(withScenario(base, 'density', { densityArgs: ['serve'], readyMarker: 'up' })),
      's',
    );
    assert.deepEqual(density.scenarios.density, {
      instances: [10, 100],
      args: ['serve'],
      readyMarker: 'up',
      settleMs: 500,
    });
    const markers = parseProfileSpec(
      JSON.stringify(withScenario(base, 'markers', { markers: ['go', 'done'] })),
      's',
    );
    assert.deepEqual(markers.markers, ['go', 'done']);
  });

  it('finds the spec a profile ran from, else a place beside its module', () => {
    assert.equal(
      specLocation(
        { ...result, settings: { ...result.settings, source: '/p/x.profile.json' } },
        '/ws',
      ),
      '/p/x.profile.json',
    );
    assert.equal(specLocation(result, '/ws'), path.join('/work', 'wasm-containers.profile.json'));
    const containers = syntheticResult(HELLO_SHAPES.filter((s) => s.container));
    assert.equal(specLocation(containers, '/ws'), path.join('/ws', 'wasm-containers.profile.json'));
  });
});
