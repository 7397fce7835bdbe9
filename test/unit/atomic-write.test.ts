import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeFileAtomic } from '../../src/core/atomic-write';
import { tempDir } from './helpers';

describe('writeFileAtomic', () => {
  it('writes a new file, creating its folders, and leaves no temporary file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a', 'b', 'out.json');
    writeFileAtomic(file, 'one\n');
    assert.equal(readFileSync(file, 'utf8'), 'one\n');
    assert.deepEqual(readdirSync(path.dirname(file)), ['out.json']);
  });

  it('replaces an existing file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.json');
    writeFileSync(file, 'old and longer\n');
    writeFileAtomic(file, Buffer.from('new\n'));
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
    assert.deepEqual(readdirSync(dir), ['out.json']);
  });

  it('replaces a folder in the way, and a stale temporary of the same process', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.json');
    mkdirSync(path.join(file, 'inside'), { recursive: true });
    mkdirSync(`${file}.tmp-${process.pid}`);
    writeFileAtomic(file, 'text\n');
    assert.ok(statSync(file).isFile());
    assert.equal(readFileSync(file, 'utf8'), 'text\n');
    assert.deepEqual(readdirSync(dir), ['out.json']);
  });
});
