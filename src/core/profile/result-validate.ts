/**
 * The shape of a stored profile result, checked against schemas/result.schema.json when a file is
 * loaded: a result edited by hand, cut short or written by another tool is refused with the JSON
 * path of the first field that is wrong, instead of failing later inside a report or the panel.
 */
import resultSchema from '../../../schemas/result.schema.json';
import { SchemaMismatch, schemaValidator } from '../schema-validate';
import type { ProfileResult } from './result-schema';

export class ResultShapeError extends Error {}

const checkResult = schemaValidator<ProfileResult>('result', resultSchema);

/** Throws a ResultShapeError naming the first wrong field (e.g. "result.targets[1].samples[4].wallMs"). */
export function validateResultShape(data: unknown): asserts data is ProfileResult {
  let result: ProfileResult;
  try {
    result = checkResult(data);
  } catch (e) {
    if (e instanceof SchemaMismatch)
      throw new ResultShapeError(`${rooted(e.where)}: ${e.expected}`);
    throw e;
  }
  // comparisons name targets: the names must exist (a schema cannot say so)
  const ids = new Set(result.targets.map((t) => t.id));
  result.comparisons.forEach((c, i) => {
    for (const k of ['target', 'reference'] as const)
      if (!ids.has(c[k]))
        throw new ResultShapeError(
          `result.comparisons[${i}].${k}: expected the id of one of the targets, got ${JSON.stringify(c[k])}`,
        );
  });
}

const rooted = (where: string) =>
  where === '(root)' ? 'result' : `result${where.startsWith('[') ? '' : '.'}${where}`;
