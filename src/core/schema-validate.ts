/**
 * The JSON schemas under schemas/ are the validators: ajv checks a document against one and fills
 * in its defaults (the document is completed in place), and the first problem is told as the JSON
 * path of the field and what was expected there, in words drawn from the schema itself.
 */
import type AjvClass from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import ajvOptions from './ajv-options.json';
import { bundledFile } from './paths';

/** A document that does not match its schema: where (a JSON path) and what was expected. */
export class SchemaMismatch extends Error {
  constructor(
    readonly where: string,
    readonly expected: string,
  ) {
    super(`${where}: ${expected}`);
    this.name = 'SchemaMismatch';
  }
}

type SchemaNode = {
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
};

/** "/targets/0/id" → "targets[0].id"; the document itself is "(root)". */
export function jsonPath(pointer: string, field?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (field !== undefined) parts.push(field);
  const out = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return out || '(root)';
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  array: 'an array',
  object: 'an object',
  boolean: 'true or false',
  null: 'null',
};

const got = (value: unknown) => `, got ${JSON.stringify(value)?.slice(0, 60) ?? 'nothing'}`;
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');

/** One ajv error in words: what was expected at that path. */
function explain(e: ErrorObject): SchemaMismatch {
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  const described = parent.description ? lowerFirst(parent.description) : undefined;
  const params = e.params as Record<string, unknown>;
  const where = jsonPath(e.instancePath);
  switch (e.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      const about = parent.properties?.[field]?.description;
      return new SchemaMismatch(
        jsonPath(e.instancePath, field),
        `missing${about ? ` (${lowerFirst(about)})` : ''}`,
      );
    }
    case 'additionalProperties': {
      const known = Object.keys(parent.properties ?? {}).filter((k) => k !== '$schema');
      return new SchemaMismatch(
        jsonPath(e.instancePath, String(params.additionalProperty)),
        `not a known field (known: ${known.join(', ')})`,
      );
    }
    case 'type':
      return new SchemaMismatch(
        where,
        `expected ${[params.type]
          .flat()
          .map((t) => TYPE_WORDS[String(t)] ?? String(t))
          .join(' or ')}${got(e.data)}`,
      );
    case 'minimum':
      return new SchemaMismatch(
        where,
        `expected ${parent.type === 'integer' ? 'a whole number' : 'a number'} ≥ ${String(params.limit)}${got(e.data)}`,
      );
    case 'enum':
      return new SchemaMismatch(
        where,
        `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got(e.data)}`,
      );
    case 'minLength':
      return new SchemaMismatch(where, `expected a non-empty string${got(e.data)}`);
    default:
      // pattern, minItems, maxItems, anyOf …: the schema's own description says what fits
      return new SchemaMismatch(
        where,
        described ? `expected ${described}${got(e.data)}` : (e.message ?? 'invalid'),
      );
  }
}

/**
 * The validator the build generated from schemas/NAME.schema.json (dist/schema-NAME.js, see
 * scripts/schema-validators.mjs), if it was generated from this very schema; else undefined.
 */
function generatedValidator(name: string, schema: object): ValidateFunction | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const generated = require(bundledFile(`schema-${name}.js`)) as ValidateFunction & {
      text?: string;
    };
    // a dist/ built before the schema changed must not validate against the old one
    return generated.text === JSON.stringify(schema) ? generated : undefined;
  } catch {
    return undefined; // not built (running from source without dist/)
  }
}

/** The schema compiled now, with the options the build's validators were generated with. */
function compiledValidator(schema: object): ValidateFunction {
  // required here, not imported: with the generated validators, ajv's compiler is never loaded
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv } = require('ajv') as { default: typeof AjvClass };
  // the schemas are ours, checked against JSON Schema's meta-schema by a unit test: compiling
  // the meta-schema again at every start cost 80 of the CLI's ~130 ms of schema work
  return new Ajv(ajvOptions).compile(schema);
}

/**
 * A validator for schemas/NAME.schema.json (`schema`, its parsed text), on first use: the one the
 * build generated, else compiled then. It returns the document (completed with the schema's
 * defaults) as T, or throws a SchemaMismatch for its first problem.
 */
export function schemaValidator<T>(name: string, schema: object): (data: unknown) => T {
  let validate: ValidateFunction | undefined;
  return (data) => {
    validate ??= generatedValidator(name, schema) ?? compiledValidator(schema);
    if (validate(data)) return data as T;
    const errors = validate.errors ?? [];
    // anyOf reports each branch's problem, then its own: the schema's description of it is clearer
    const first = errors.find((e) => e.keyword === 'anyOf') ?? errors[0];
    throw first ? explain(first) : new SchemaMismatch('(root)', 'does not match its schema');
  };
}
