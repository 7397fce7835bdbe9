/**
 * Building a project made from a template: the module and its native twin, each a step with the
 * tools it needs. A step whose tool is missing is not attempted and says which tool and how to get
 * it; the editor's tasks and New Wasm Container run these steps, so no CLI is needed.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { copyOperands } from './dockerfile/json-form';
import { errorMessage, isCancelled } from './process/errors';
import { runProcess } from './process/run-process';
import { findExecutable } from './runtimes/find-executable';
import { watToWasm } from './wasm/wabt';

export type TemplateId = 'c' | 'rust' | 'tinygo' | 'wat';

export interface BuildStep {
  kind: 'module' | 'native';
  /** What it makes, relative to the project folder. */
  output: string;
  /** The command, run in the project folder; absent for the WAT module (compiled in process). */
  argv?: string[];
  env?: Record<string, string>;
  /** A file the command leaves elsewhere (cargo's target folder), copied to `output`. */
  builtAt?: string;
  /** Executables the step needs on PATH. */
  tools: string[];
  /** How to get them. */
  install: string;
}

export interface Project {
  dir: string;
  name: string;
  template: TemplateId;
  steps: BuildStep[];
}

const DEBIAN_C = 'apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32';

/** The steps that build a template's module and native twin. */
export function buildSteps(template: TemplateId, name: string): BuildStep[] {
  const gcc: BuildStep = {
    kind: 'native',
    output: name,
    argv: ['gcc', '-static', '-O2', 'main.c', '-o', name],
    tools: ['gcc'],
    install: 'apt-get install gcc',
  };
  switch (template) {
    case 'wat':
      return [{ kind: 'module', output: `${name}.wasm`, tools: [], install: '' }, gcc];
    case 'c':
      return [
        {
          kind: 'module',
          output: `${name}.wasm`,
          argv: ['clang-14', '--target=wasm32-wasi', '-O2', 'main.c', '-o', `${name}.wasm`],
          tools: ['clang-14'],
          install: DEBIAN_C,
        },
        gcc,
      ];
    case 'rust':
      return [
        {
          kind: 'module',
          output: `${name}.wasm`,
          argv: ['cargo', 'build', '--release', '--target', 'wasm32-wasip1'],
          builtAt: `target/wasm32-wasip1/release/${name}.wasm`,
          tools: ['cargo'],
          install: 'rustup target add wasm32-wasip1',
        },
        {
          kind: 'native',
          output: name,
          argv: ['cargo', 'build', '--release', '--target', 'x86_64-unknown-linux-musl'],
          builtAt: `target/x86_64-unknown-linux-musl/release/${name}`,
          tools: ['cargo'],
          install: 'rustup target add x86_64-unknown-linux-musl',
        },
      ];
    case 'tinygo':
      return [
        {
          kind: 'module',
          output: `${name}.wasm`,
          argv: ['tinygo', 'build', '-target=wasip1', '-o', `${name}.wasm`, '.'],
          tools: ['tinygo'],
          install: 'TinyGo ≥ 0.30 from https://tinygo.org',
        },
        {
          kind: 'native',
          output: name,
          argv: ['go', 'build', '-o', name, '.'],
          env: { CGO_ENABLED: '0' },
          tools: ['go'],
          install: 'apt-get install golang',
        },
      ];
  }
}

/** The .wasm files a Dockerfile's COPY/ADD put in the image (sources, as written). */
export function copiedModules(dockerfileText: string): string[] {
  const modules: string[] = [];
  for (const ins of DockerfileParser.parse(dockerfileText).getInstructions()) {
    if (!['COPY', 'ADD'].includes(ins.getKeyword())) continue;
    const operands = copyOperands(ins).map((o) => o.value);
    modules.push(...operands.slice(0, -1).filter((s) => s.endsWith('.wasm')));
  }
  return modules;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A project in a folder, recognised by its sources and named by the module its Dockerfile copies
 * (so that it works wherever the folder is, whatever it is called).
 */
export function detectProject(dir: string): Project | undefined {
  const dockerfile = readText(path.join(dir, 'Dockerfile'));
  if (dockerfile === undefined) return undefined;
  const module = copiedModules(dockerfile)[0];
  if (!module) return undefined;
  const name = path.basename(module, '.wasm');
  const has = (f: string) => existsSync(path.join(dir, f));
  const template: TemplateId | undefined = has('main.wat')
    ? 'wat'
    : has('Cargo.toml')
      ? 'rust'
      : has('go.mod')
        ? 'tinygo'
        : has('main.c')
          ? 'c'
          : undefined;
  return template ? { dir, name, template, steps: buildSteps(template, name) } : undefined;
}

/**
 * Where Compile WAT writes: for a WAT project's main.wat, the module its Dockerfile copies
 * (NAME.wasm, what Run and the twin pairing use); any other .wat, the .wasm beside it.
 */
export function watOutput(watFile: string): string {
  const project = detectProject(path.dirname(watFile));
  return project?.template === 'wat' && path.basename(watFile) === 'main.wat'
    ? path.join(project.dir, project.steps[0].output)
    : watFile.replace(/\.wat$/, '') + '.wasm';
}

export interface StepOutcome {
  step: BuildStep;
  status: 'built' | 'missing-tools' | 'failed' | 'cancelled';
  /** missing-tools: which. */
  missing?: string[];
  /** failed: what the tool said (its last lines). */
  message?: string;
  ms: number;
}

export interface BuildOptions {
  only?: BuildStep['kind'];
  signal?: AbortSignal;
  /** The commands and their output, line by line, as a terminal would show them. */
  onOutput?: (text: string) => void;
  /** PATH to look for tools in (tests). */
  searchPath?: string;
}

async function runStep(project: Project, step: BuildStep, options: BuildOptions): Promise<void> {
  const out = options.onOutput ?? (() => undefined);
  if (!step.argv) {
    const source = path.join(project.dir, 'main.wat');
    out(`compiling main.wat → ${step.output}\n`);
    const binary = await watToWasm(readFileSync(source, 'utf8'), 'main.wat');
    writeFileSync(path.join(project.dir, step.output), binary);
    return;
  }
  out(`$ ${step.argv.join(' ')}\n`);
  const result = await runProcess(step.argv[0], step.argv.slice(1), {
    cwd: project.dir,
    env: { ...process.env, ...step.env },
    signal: options.signal,
    onStdout: (c) => out(c.toString()),
    onStderr: (c) => out(c.toString()),
    maxBufferBytes: 64 * 1024,
  });
  if (result.exitCode !== 0)
    throw new Error(
      `${step.argv[0]} exited with code ${result.exitCode ?? result.signal}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  if (step.builtAt)
    copyFileSync(path.join(project.dir, step.builtAt), path.join(project.dir, step.output));
}

/** Runs every step (or one kind); never throws for a tool's failure: each step has its outcome. */
export async function buildProject(
  project: Project,
  options: BuildOptions = {},
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of project.steps.filter((s) => !options.only || s.kind === options.only)) {
    const t0 = performance.now();
    const missing = step.tools.filter((t) => !findExecutable(t, options.searchPath));
    if (missing.length > 0) {
      outcomes.push({ step, status: 'missing-tools', missing, ms: 0 });
      options.onOutput?.(
        `${step.output}: not built, ${missing.join(' and ')} not found (${step.install})\n`,
      );
      continue;
    }
    try {
      await runStep(project, step, options);
      outcomes.push({ step, status: 'built', ms: performance.now() - t0 });
    } catch (e) {
      const cancelled = isCancelled(e);
      outcomes.push({
        step,
        status: cancelled ? 'cancelled' : 'failed',
        message: errorMessage(e),
        ms: performance.now() - t0,
      });
      if (cancelled) break;
      options.onOutput?.(`${step.output}: failed — ${errorMessage(e)}\n`);
    }
  }
  return outcomes;
}

const productName = (s: BuildStep) =>
  s.kind === 'native' ? `${s.output} (native twin)` : s.output;

/** One sentence for a notification or a terminal: what was built, what was not and why. */
export function describeBuild(
  project: Project,
  outcomes: StepOutcome[],
): { ok: boolean; text: string } {
  const built = outcomes.filter((o) => o.status === 'built').map((o) => productName(o.step));
  const sentences: string[] = [];
  if (built.length > 0) sentences.push(`${project.name}: built ${built.join(' and ')}.`);
  for (const o of outcomes) {
    if (o.status === 'missing-tools')
      sentences.push(
        `${productName(o.step)} not built: ${o.missing!.join(' and ')} ${o.missing!.length > 1 ? 'are' : 'is'} not installed (${o.step.install}).`,
      );
    else if (o.status === 'failed') sentences.push(`${productName(o.step)} failed: ${o.message}`);
    else if (o.status === 'cancelled') sentences.push(`${project.name}: build cancelled.`);
  }
  if (outcomes.length === 0) sentences.push(`${project.name}: nothing to build.`);
  return { ok: outcomes.length > 0 && built.length === outcomes.length, text: sentences.join(' ') };
}
