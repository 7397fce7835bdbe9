import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { NodeWasiRuntime } from '../../src/core/runtimes/node-wasi';
import { createProject, renderTemplate, TEMPLATES } from '../../src/core/scaffold';
import { buildProject, describeBuild, detectProject } from '../../src/core/project-build';
import { analyzeDockerfile } from '../../src/server/dockerfile-analysis';
import { runProcess } from '../../src/core/process/run-process';
import { repoRoot, tempDir } from '../unit/helpers';
import { hasTool } from '../unit/wasm-samples';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const analyze = (dir: string, file: string) =>
  analyzeDockerfile(readFileSync(path.join(dir, file), 'utf8'), path.join(dir, file));

describe('New Wasm Container (templates)', () => {
  it('every template gives the program, a Wasm Dockerfile, its native counterpart, a build script and tasks', () => {
    for (const t of TEMPLATES) {
      const files = renderTemplate(t, 'demo-app');
      for (const f of ['Dockerfile', 'Dockerfile.native', 'build.sh', 'README.md', '.gitignore'])
        assert.ok(files[f], `${t.id}: ${f}`);
      // build tasks come from the extension's task provider, never from a CLI the user lacks
      assert.equal(files['.vscode/tasks.json'], undefined);
      assert.doesNotMatch(files['README.md'], /wasm-containers /);
      assert.match(
        files.Dockerfile,
        /^FROM --platform=wasi\/wasm scratch\nCOPY demo-app\.wasm \/demo-app\.wasm\nENTRYPOINT \["\/demo-app\.wasm"\]$/m,
      );
      assert.match(
        files['Dockerfile.native'],
        /^FROM scratch\nCOPY demo-app \/demo-app\nENTRYPOINT \["\/demo-app"\]$/m,
      );
      assert.doesNotMatch(
        Object.values(files).join('\n'),
        /\{\{\w+\}\}/,
        `${t.id}: every placeholder is filled`,
      );
    }
    assert.throws(() => renderTemplate(TEMPLATES[0], 'Bad Name'), /not a usable project name/);
  });

  it('the WAT project needs no toolchain: its module is built in process and runs under Node WASI', async () => {
    const dir = path.join(tempDir(), 'wat-demo');
    createProject('wat', dir, 'wat-demo');
    const project = detectProject(dir)!;
    const outcomes = await buildProject(project, { only: 'module', searchPath: '' });
    assert.deepEqual(
      outcomes.map((o) => [o.step.output, o.status]),
      [['wat-demo.wasm', 'built']],
    );
    const run = await new NodeWasiRuntime().run({ artifact: path.join(dir, 'wat-demo.wasm') });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, 'Hello from wat-demo!\n');
    if (hasTool('gcc')) {
      execFileSync('sh', ['build.sh'], { cwd: dir, stdio: 'ignore' });
      assert.equal(
        execFileSync(path.join(dir, 'wat-demo'), { encoding: 'utf8' }),
        'Hello from wat-demo!\n',
        'the native twin does the same work',
      );
      assert.deepEqual(
        analyze(dir, 'Dockerfile'),
        [],
        'the language server has nothing to say about it',
      );
    }
    assert.throws(
      () => createProject('wat', dir, 'wat-demo'),
      /is not empty: choose a new or empty folder/,
    );
    assert.throws(
      () => createProject('cobol', path.join(tempDir(), 'x'), 'x'),
      /unknown template 'cobol'/,
    );
  });

  it('the C project builds with clang-14 and gcc, both run, and its Dockerfiles are clean', async (t) => {
    if (!hasTool('clang-14') || !hasTool('gcc'))
      return t.skip('clang-14 or gcc missing (scripts/setup-system.sh)');
    const dir = path.join(tempDir(), 'c-demo');
    createProject('c', dir, 'c-demo');
    assert.ok(statSync(path.join(dir, 'build.sh')).mode & 0o100, 'build.sh is executable');
    // the steps the editor's build task and New Wasm Container run: clang-14 and gcc -static
    const outcomes = await buildProject(detectProject(dir)!);
    assert.deepEqual(
      outcomes.map((o) => [o.step.output, o.status]),
      [
        ['c-demo.wasm', 'built'],
        ['c-demo', 'built'],
      ],
      JSON.stringify(outcomes),
    );
    assert.equal(
      describeBuild(detectProject(dir)!, outcomes).text,
      'c-demo: built c-demo.wasm and c-demo (native twin).',
    );
    const wasm = await new NodeWasiRuntime().run({ artifact: path.join(dir, 'c-demo.wasm') });
    assert.equal(wasm.stdout, 'Hello from c-demo!\n');
    assert.equal(
      execFileSync(path.join(dir, 'c-demo'), { encoding: 'utf8' }),
      'Hello from c-demo!\n',
    );
    assert.deepEqual(analyze(dir, 'Dockerfile'), []);
    // and the CLI profiles it against its twin straight away
    const profile = await runProcess(
      process.execPath,
      [
        cli,
        'profile',
        dir,
        '--runs',
        '3',
        '--warmup',
        '0',
        '--results-dir',
        path.join(dir, 'runs'),
      ],
      { timeoutMs: 120_000 },
    );
    assert.equal(profile.exitCode, 0, profile.stderr);
    assert.match(profile.stdout, /c-demo/);
  });

  it('before a Rust or TinyGo build, the language server names the artifacts still missing (and nothing else)', () => {
    for (const id of ['rust', 'tinygo']) {
      const dir = path.join(tempDir(), `${id}-demo`);
      createProject(id, dir, `${id}-demo`);
      const findings = analyze(dir, 'Dockerfile');
      assert.deepEqual(
        findings.map((f) => f.code),
        ['missing-source'],
        `${id}: ${JSON.stringify(findings)}`,
      );
      assert.match(
        findings[0].message,
        new RegExp(`${id}-demo\\.wasm does not exist in the build context`),
      );
    }
  });

  it('wasm-containers new and wat2wasm from the command line', async () => {
    const dir = tempDir();
    const created = await runProcess(process.execPath, [
      cli,
      'new',
      'wat',
      path.join(dir, 'cli-demo'),
    ]);
    assert.equal(created.exitCode, 0, created.stderr);
    assert.match(created.stdout, /Created .*cli-demo \(wat\): .*main\.wat/);
    // built right away: the module in process, the twin when gcc is there
    assert.match(created.stdout, /cli-demo: built cli-demo\.wasm/);
    mkdirSync(path.join(dir, 'bad'));
    writeFileSync(
      path.join(dir, 'bad', 'bad.wat'),
      '(module\n  (func (result i32)\n    i64.const 1))\n',
    );
    const bad = await runProcess(process.execPath, [
      cli,
      'wat2wasm',
      path.join(dir, 'bad', 'bad.wat'),
    ]);
    assert.equal(bad.exitCode, 1);
    assert.match(bad.stderr, /bad\.wat.*:3:5: error: type mismatch/);
  });
});
