// The JSON schemas are the validators: every default a schema states is what the parser gives,
// and results stored before the schema became the loader still load and compare.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { compareWithBaseline } from '../../src/core/profile/baseline';
import { parseProfileSpec, specDefaults } from '../../src/core/profile/spec';
import { loadResult, saveResult } from '../../src/core/profile/results-store';
import { renderTextReport, warningsOf } from '../../src/core/profile/report-text';
import { jsonPath } from '../../src/core/schema-validate';
import { HELLO_SHAPES, syntheticResult } from './synthetic-result';
import { parseJson, repoRoot, tempDir } from './helpers';

type Node = {
  default?: unknown;
  properties?: Record<string, Node>;
  items?: Node;
};

const profileSchema = parseJson<Node>(
  readFileSync(path.join(repoRoot, 'schemas', 'profile.schema.json')),
);

/** Every [path, default] the schema states under objects (arrays' items state none here). */
function defaultsOf(node: Node, at: string[] = []): Array<[string[], unknown]> {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => [
    ...(child.default !== undefined ? [[[...at, key], child.default] as [string[], unknown]] : []),
    ...defaultsOf(child, [...at, key]),
  ]);
}

const TARGET = { id: 'w', runtime: 'node-wasi', artifact: 'm.wasm' };

/** The smallest spec that reaches `at`: its parent objects present and empty, the field absent. */
function specReaching(at: string[]): Record<string, unknown> {
  const spec: Record<string, unknown> = { targets: [TARGET] };
  let node = spec;
  for (const key of at.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  return spec;
}

const valueAt = (doc: unknown, at: string[]) =>
  at.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);

describe('the JSON schemas are the validators', () => {
  const defaults = defaultsOf(profileSchema);

  it('the profile schema states defaults for the settings and every scenario', () => {
    const paths = defaults.map(([at]) => at.join('.'));
    for (const expected of [
      'runs',
      'warmup',
      'order',
      'timeoutSeconds',
      'markers',
      'scenarios.coldStart',
      'scenarios.startStorm.counts',
      'scenarios.density.instances',
      'scenarios.density.args',
      'scenarios.density.readyMarker',
      'scenarios.density.settleMs',
      'scenarios.memoryTimeline.intervalMs',
    ])
      assert.ok(paths.includes(expected), `${expected} has no default in ${paths.join(', ')}`);
  });

  for (const [at, value] of defaults)
    it(`honours the default of ${at.join('.')}: ${JSON.stringify(value)}`, () => {
      const spec = parseProfileSpec(JSON.stringify(specReaching(at)), 'spec.json');
      const got = valueAt(spec, at);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        // an object's default is completed by its own fields' defaults
        for (const [k, v] of Object.entries(value)) assert.deepEqual(valueAt(got, [k]), v);
      else assert.deepEqual(got, value);
      // and a value given is kept, not replaced by the default
      if (typeof value === 'number') {
        const given = specReaching(at);
        Object.assign(valueAt(given, at.slice(0, -1)) ?? given, { [at.at(-1)!]: value + 1 });
        assert.equal(valueAt(parseProfileSpec(JSON.stringify(given), 's'), at), value + 1);
      }
    });

  it("the CLI's module and Dockerfile profiles start from the same defaults", () => {
    const d = specDefaults();
    assert.deepEqual(
      [d.runs, d.warmup, d.order, d.timeoutSeconds, d.markers, d.scenarios],
      [10, 2, 'interleaved', 60, ['Starting', 'Stopped'], { coldStart: true }],
    );
  });

  it('JSON paths read as in the spec (targets[0].dirs[1])', () => {
    assert.equal(jsonPath('/targets/0/dirs/1'), 'targets[0].dirs[1]');
    assert.equal(jsonPath('', 'targets'), 'targets');
    assert.equal(jsonPath(''), '(root)');
    assert.equal(jsonPath('/env/a~1b'), 'env.a/b');
  });
});

describe('stored results from before still load and compare (migration)', () => {
  const fixtures = ['init-spec-ids.json', 'hello-8-targets.json'];

  for (const name of fixtures)
    it(`${name} loads through the result schema and compares with itself`, () => {
      const dir = tempDir();
      copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'results', name), path.join(dir, name));
      const result = loadResult(path.join(dir, name));
      assert.ok(result.targets.length >= 2);
      const cmp = compareWithBaseline(result, result, 10);
      assert.ok(cmp.rows.length === result.targets.length);
      assert.ok(cmp.rows.every((r) => r.verdict === 'same'));
      renderTextReport(result, name);
    });

  it("a run stored before today's outlier rule is warned about in today's words", () => {
    // init-spec-ids.json was written when the rule was 0.6745·z > 3.5: the warnings are drawn
    // again from its samples (its native runs have two far outliers, by either rule)
    const file = path.join(repoRoot, 'test', 'fixtures', 'results', 'init-spec-ids.json');
    const outliers = warningsOf(loadResult(file)).filter((w) => /outlier/.test(w));
    assert.equal(outliers.length, 1);
    assert.match(outliers[0], /MAD > 14\.8, hyperfine's rule\): native · process \(2\)\./);
  });

  it('what the profiler writes today loads back unchanged', () => {
    const dir = tempDir();
    const result = syntheticResult(HELLO_SHAPES.slice(0, 3), { reference: 'native-process' });
    const file = saveResult(dir, result);
    const loaded = loadResult(file);
    assert.equal(JSON.stringify(loaded), JSON.stringify(parseJson(JSON.stringify(result))));
  });

  it('a result with a field this version does not know still loads (forward compatible)', () => {
    const dir = tempDir();
    const result = syntheticResult(HELLO_SHAPES.slice(0, 2));
    const file = path.join(dir, 'r.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...result,
        futureField: 1,
        targets: result.targets.map((t) => ({ ...t, x: 2 })),
      }),
    );
    assert.equal(loadResult(file).targets.length, 2);
  });
});

// the validators skip the meta-schema check at run time (it cost 80 ms of every CLI start)
describe('every schema under schemas/ is a valid JSON Schema', () => {
  for (const file of ['profile', 'result', 'inspect'])
    it(`${file}.schema.json`, () => {
      const ajv = new Ajv({ strict: true });
      const schema = parseJson<object>(
        readFileSync(path.join(repoRoot, 'schemas', `${file}.schema.json`)),
      );
      assert.equal(ajv.validateSchema(schema), true, ajv.errorsText(ajv.errors));
      ajv.compile(schema); // strict mode: no unknown keyword, no ambiguous type
    });
});
