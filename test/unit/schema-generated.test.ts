// The validators the build generates from schemas/ (dist/schema-<name>.js, ajv standalone code)
// are the schemas: generated from their current text, and they give the verdicts, defaults and
// errors that compiling the schema at run time gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import ajvOptions from '../../src/core/ajv-options.json';
import { bundledFile } from '../../src/core/paths';
import { SchemaMismatch, schemaValidator } from '../../src/core/schema-validate';
import { inspectBytes } from '../../src/core/wasm/inspect';
import { HELLO_SHAPES, syntheticResult } from './synthetic-result';
import { helloWasm, parseJson, repoRoot } from './helpers';

const schemaOf = (name: string) =>
  parseJson<object>(readFileSync(path.join(repoRoot, 'schemas', `${name}.schema.json`)));

/** What a validator makes of a document: its verdict, the document as completed, the errors. */
function verdict(validate: ValidateFunction, doc: unknown) {
  const copy: unknown = structuredClone(doc);
  const ok = validate(copy);
  return { ok, doc: copy, errors: validate.errors ?? null };
}

const TARGET = { id: 'w', runtime: 'node-wasi', artifact: 'm.wasm' };
/** A document as stored (JSON drops undefined fields). */
const stored = (doc: unknown) => parseJson<object>(JSON.stringify(doc));
const inspected = () => stored(inspectBytes(readFileSync(helloWasm)));
/** Documents each schema takes and refuses (a valid one first). */
const examples: Record<string, unknown[]> = {
  profile: [
    parseJson(readFileSync(path.join(repoRoot, 'examples/hello/containers.profile.json'))),
    { targets: [TARGET] }, // completed with every default
    { targets: [TARGET], scenarios: { density: {} } },
    {}, // required field missing
    { targets: [TARGET], runs: 0 }, // below its minimum
    { targets: [TARGET], order: 'random' }, // not in its enum
    { targets: [{ ...TARGET, extra: 1 }] }, // unknown field
    { targets: [TARGET], markers: 'Starting' }, // wrong type
  ],
  result: [
    stored(syntheticResult(HELLO_SHAPES.slice(0, 3), { reference: 'native-process' })),
    { ...stored(syntheticResult(HELLO_SHAPES.slice(0, 1))), status: 'exploded' },
    { schemaVersion: 1 },
  ],
  inspect: [inspected(), {}, { ...inspected(), schemaVersion: 'one' }],
};

describe('the schema validators generated at build time', () => {
  for (const name of Object.keys(examples))
    it(`dist/schema-${name}.js is ${name}.schema.json and validates as the compiled schema does`, () => {
      const schema = schemaOf(name);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const generated = require(bundledFile(`schema-${name}.js`)) as ValidateFunction & {
        text: string;
      };
      assert.equal(generated.text, JSON.stringify(schema), 'generated from the current schema');
      const compiled = new Ajv(ajvOptions).compile(schema);
      for (const doc of examples[name]) {
        const expected = verdict(compiled, doc);
        assert.deepEqual(verdict(generated, doc), expected, JSON.stringify(doc).slice(0, 200));
      }
      // the examples have both verdicts
      assert.equal(verdict(compiled, examples[name][0]).ok, true);
      assert.ok(examples[name].some((d) => !verdict(compiled, d).ok));
    });

  it('a schema other than the one a validator was generated from is compiled, not matched by name', () => {
    // what a dist/ built before a schema changed holds
    const changed = { ...schemaOf('profile'), required: ['targets', 'name'] };
    const check = schemaValidator('profile', changed);
    assert.throws(() => check({ targets: [TARGET] }), SchemaMismatch);
    assert.doesNotThrow(() => check({ targets: [TARGET], name: 'n' }));
  });
});
