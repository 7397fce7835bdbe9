import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ignoredSettings, readSettingsFile, stripJsonc } from '../../src/core/settings-file';
import { tempDir } from './helpers';

describe('settings files as editors write them', () => {
  it('reads comments and trailing commas, keeps // and /* inside strings', () => {
    const file = path.join(tempDir(), 'settings.json');
    writeFileSync(
      file,
      `{
  // the runtimes
  "a.paths": { "wasmtime": "/opt/w//x/*y*/" }, /* block */
  "b": [1, 2,],
}`,
    );
    assert.deepEqual(readSettingsFile(file), {
      'a.paths': { wasmtime: '/opt/w//x/*y*/' },
      b: [1, 2],
    });
    assert.equal(readSettingsFile(path.join(tempDir(), 'none.json')), undefined);
    assert.equal(stripJsonc('"a\\"//b"'), '"a\\"//b"');
  });

  it('a setting the file sets but the window does not apply is reported, one it applies is not', () => {
    const file = { 'x.paths': { wasmtime: '/w' }, 'x.host': 'tcp://h:2375', other: 1 };
    const effective: Record<string, unknown> = { 'x.paths': {}, 'x.host': 'tcp://h:2375' };
    assert.deepEqual(
      ignoredSettings(file, ['x.paths', 'x.host', 'x.node'], (k) => effective[k]),
      [{ key: 'x.paths', value: { wasmtime: '/w' } }],
    );
    assert.deepEqual(
      ignoredSettings(undefined, ['x.paths'], () => undefined),
      [],
    );
  });
});
