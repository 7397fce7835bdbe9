import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomResultId } from '../../src/core/profile/result-id';

describe("a result's id", () => {
  it('is a random version-4 UUID, as node:crypto would give', () => {
    const ids = Array.from({ length: 200 }, () => randomResultId());
    for (const id of ids)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length, 'no two alike');
    // each position but the fixed version and variant bits takes several values
    assert.ok(new Set(ids.map((id) => id.slice(0, 8))).size > 190);
  });
});
