// dist/schema-<name>.js: each JSON schema schemas/<name>.schema.json compiled ahead of time into an
// ajv standalone validator, with the options the run-time compile uses (src/core/ajv-options.json).
// Compiling the profile schema at run time cost 35-65 ms of every CLI profile (--cpu-prof);
// requiring its generated code costs a few. The schemas stay the only source: each module keeps its
// schema's JSON text beside the validator, and src/core/schema-validate.ts uses the validator only
// for that very text (else it compiles: running from source, or a dist/ older than the schema).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The names of the schemas under schemas/ (profile for profile.schema.json …). */
export const schemaNames = (root) =>
  readdirSync(path.join(root, 'schemas'))
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => f.slice(0, -'.schema.json'.length));

/** One schema's module source: `exports.text` (its JSON text) and `exports.validate`. */
export function schemaValidatorSource(root, name) {
  const Ajv = require('ajv').default;
  const standalone = require('ajv/dist/standalone').default;
  const options = JSON.parse(readFileSync(path.join(root, 'src/core/ajv-options.json'), 'utf8'));
  const schema = JSON.parse(
    readFileSync(path.join(root, 'schemas', `${name}.schema.json`), 'utf8'),
  );
  const ajv = new Ajv({ ...options, code: { source: true } });
  const code = standalone(ajv, ajv.compile(schema));
  return `${code}\nmodule.exports.text = ${JSON.stringify(JSON.stringify(schema))};\n`;
}

/**
 * The entry points of dist/schema-<name>.js for esbuild: each schema's generated module, written
 * under node_modules/.cache (ajv's run-time helpers it requires resolve from there and are
 * bundled in). Generated when the build starts: `--watch` does not regenerate a changed schema.
 */
export function schemaValidatorEntries(root) {
  const dir = path.join(root, 'node_modules', '.cache', 'schema-validators');
  mkdirSync(dir, { recursive: true });
  return Object.fromEntries(
    schemaNames(root).map((name) => {
      const file = path.join(dir, `${name}.js`);
      writeFileSync(file, schemaValidatorSource(root, name));
      return [`schema-${name}`, file];
    }),
  );
}
