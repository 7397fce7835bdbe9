import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  buildProject,
  copiedModules,
  describeBuild,
  detectProject,
  watOutput,
} from '../../src/core/project-build';
import { createProject } from '../../src/core/scaffold';
import { tempDir } from './helpers';

describe('building template projects', () => {
  it('recognises a project by its sources and names it by the module its Dockerfile copies', () => {
    for (const template of ['c', 'rust', 'tinygo', 'wat'] as const) {
      const dir = path.join(tempDir(), 'anywhere', `folder-${template}`);
      createProject(template, dir, `app-${template}`);
      const project = detectProject(dir);
      assert.equal(project?.template, template);
      assert.equal(project?.name, `app-${template}`);
      assert.deepEqual(
        project?.steps.map((s) => [s.kind, s.output]),
        [
          ['module', `app-${template}.wasm`],
          ['native', `app-${template}`],
        ],
      );
    }
    assert.equal(detectProject(tempDir()), undefined);
  });

  it('says plainly which tool is missing and how to get it, and builds what it can', async () => {
    const dir = path.join(tempDir(), 'c-app');
    createProject('c', dir, 'c-app');
    const project = detectProject(dir)!;
    const outcomes = await buildProject(project, { searchPath: '' });
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.missing]),
      [
        ['missing-tools', ['clang-14']],
        ['missing-tools', ['gcc']],
      ],
    );
    const summary = describeBuild(project, outcomes);
    assert.equal(summary.ok, false);
    assert.equal(
      summary.text,
      'c-app.wasm not built: clang-14 is not installed (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32). c-app (native twin) not built: gcc is not installed (apt-get install gcc).',
    );
  });

  it('reports a failing tool with its last lines', async (t) => {
    const dir = path.join(tempDir(), 'broken');
    createProject('c', dir, 'broken');
    writeFileSync(path.join(dir, 'main.c'), 'int main( {');
    const outcomes = await buildProject(detectProject(dir)!, { only: 'native' });
    if (outcomes[0].status === 'missing-tools')
      return t.skip('gcc missing (scripts/setup-system.sh)');
    assert.equal(outcomes[0].status, 'failed');
    assert.match(outcomes[0].message!, /gcc exited with code 1: .*error/);
  });

  it("Compile WAT writes the module the folder's Dockerfile copies", () => {
    const dir = path.join(tempDir(), 'wat-app');
    createProject('wat', dir, 'hello-wat');
    assert.equal(watOutput(path.join(dir, 'main.wat')), path.join(dir, 'hello-wat.wasm'));
    // any other .wat compiles beside itself, even next to a Dockerfile that copies another module
    writeFileSync(path.join(dir, 'other.wat'), '(module)');
    assert.equal(watOutput(path.join(dir, 'other.wat')), path.join(dir, 'other.wasm'));
    const lone = path.join(tempDir(), 'lone');
    mkdirSync(lone);
    writeFileSync(path.join(lone, 'x.wat'), '(module)');
    writeFileSync(path.join(lone, 'Dockerfile'), 'FROM scratch\nCOPY hello.wasm /\n');
    assert.equal(watOutput(path.join(lone, 'x.wat')), path.join(lone, 'x.wasm'));
    assert.deepEqual(
      copiedModules('FROM scratch\nCOPY ["a b.wasm", "/m.wasm"]\nADD c.wasm d.txt /\n'),
      ['a b.wasm', 'c.wasm'],
    );
  });
});
