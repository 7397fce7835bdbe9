import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import type { BuildReport } from '../../src/cli/build-command';
import type { InspectReport } from '../../src/core/wasm/inspect';
import { helloNative, helloWasm, parseJson, repoRoot, tempDir } from '../unit/helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : /\.(ts|mjs|js)$/.test(name) ? [file] : [];
  });
}

describe('no shell strings anywhere', () => {
  const files = [
    ...sources(path.join(repoRoot, 'src')),
    ...sources(path.join(repoRoot, 'webview')),
  ];

  it('nothing asks for a shell: no shell: true, no exec/execSync of a command string', () => {
    assert.ok(files.length > 50);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /shell\s*:\s*true/, `${file} asks for a shell`);
      assert.doesNotMatch(
        text,
        /\b(child_process|cp)\.exec(Sync)?\(/,
        `${file} runs a command string`,
      );
      const imported = /import\s*\{([^}]*)\}\s*from\s*'node:child_process'/.exec(text)?.[1] ?? '';
      assert.doesNotMatch(imported, /\bexec(Sync)?\b/, `${file} imports exec`);
    }
  });

  it('processes start in one place (the process helper), with argument lists', () => {
    const spawning = files
      .filter((f) => /from 'node:child_process'/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(repoRoot, f))
      .sort();
    assert.deepEqual(spawning, ['src/core/process/run-process.ts']);
  });
});

describe('file names with spaces, quotes, $ and unicode work end to end', () => {
  const dir = path.join(tempDir(), `wc dir "quoted" 'single' $HOME ünïcødé`);
  mkdirSync(dir, { recursive: true });
  const module = path.join(dir, 'hello wörld.wasm');
  copyFileSync(helloWasm, module);
  copyFileSync(helloNative, path.join(dir, 'hello wörld'));
  writeFileSync(path.join(dir, 'data file.txt'), 'data with spaces\n');
  const cliRun = (...args: string[]) =>
    runProcess(process.execPath, [cli, ...args], { timeoutMs: 120_000 });

  it('run (with a mapped directory), inspect, profile against the native twin', async () => {
    const run = await cliRun(
      'run',
      module,
      '--dir',
      `${dir}::/data`,
      '--',
      'cat',
      '/data/data file.txt',
    );
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, 'data with spaces\n');
    const inspect = await cliRun('inspect', module, '--json', '--no-scan');
    assert.equal(parseJson<InspectReport>(inspect.stdout).file, module);
    const profile = await cliRun(
      'profile',
      dir,
      '--runs',
      '2',
      '--warmup',
      '0',
      '--results-dir',
      path.join(dir, 'runs dir'),
      '--export-markdown',
      path.join(dir, 'report é.md'),
    );
    assert.equal(profile.exitCode, 0, profile.stderr);
    assert.match(readFileSync(path.join(dir, 'report é.md'), 'utf8'), /hello wörld/);
  });

  it('daemonless builds from the module and from a Dockerfile copying it', async () => {
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      'FROM --platform=wasi/wasm scratch\nCOPY ["hello wörld.wasm", "/app dir/hello wörld.wasm"]\nENTRYPOINT ["/app dir/hello wörld.wasm"]\n',
    );
    const fromDockerfile = await cliRun(
      'build',
      path.join(dir, 'Dockerfile'),
      '--output',
      `oci-archive:${path.join(dir, 'image é.tar')}`,
      '--json',
    );
    assert.equal(fromDockerfile.exitCode, 0, fromDockerfile.stderr);
    assert.equal(
      parseJson<BuildReport>(fromDockerfile.stdout).images[0].sizes.modules,
      statSync(module).size,
    );
    const fromModule = await cliRun(
      'build',
      module,
      '--output',
      `oci-layout:${path.join(dir, 'layout dir')}`,
    );
    assert.equal(fromModule.exitCode, 0, fromModule.stderr);
    const run = await cliRun('run', path.join(dir, 'Dockerfile'), '--', 'exit', '3');
    assert.equal(run.exitCode, 3);
  });
});
