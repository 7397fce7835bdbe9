import type { Instruction } from 'dockerfile-ast';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  nativeCounterpart,
  readDockerfile,
  type DockerfileModel,
  type Range,
  type Stage,
} from '../core/dockerfile/model';
import { DiagnosticCodes } from '../shared/lsp-protocol';
import { checkDockerfileText, type Finding, type Fix } from './dockerfile-checks';
import { moduleFacts } from './module-facts';

/**
 * The language server's reading of a Dockerfile: the one Dockerfile model (src/core/dockerfile),
 * read leniently — the same stages, files, WORKDIR-relative paths, globs, ARG/ENV expansion and
 * entrypoint as the builder and the runner use — turned into diagnostics with quick fixes.
 */
export type { Stage };

const NOT_IN_WASM: Record<string, string> = {
  RUN:
    'RUN cannot work in a Wasm image: there is no shell or program to run. ' +
    'Do the work in an earlier stage or on the host.',
  SHELL: 'SHELL has no effect: a Wasm image has no shell.',
  USER:
    'USER is not supported in a Wasm image: it has no users ' +
    '(the runtime decides what the module may touch).',
  HEALTHCHECK: 'HEALTHCHECK runs a command inside the container, and a Wasm image has none to run.',
};

/** The stages of a Dockerfile (no build context: nothing is read from disk). */
export function stagesOf(text: string): Stage[] {
  return readDockerfile(text, { mode: 'lenient' }).stages;
}

/** A finding over a range of the text, with its quick fix if it has one. */
function atRange(
  range: Range,
  severity: Finding['severity'],
  code: Finding['code'],
  message: string,
  fix?: Finding['fix'],
): Finding {
  return {
    line: range.start.line,
    start: range.start.character,
    endLine: range.end.line,
    end: range.end.character,
    severity,
    code,
    message,
    ...(fix ? { fix } : {}),
  };
}

/** A finding over a whole instruction. */
const finding = (ins: Instruction, ...rest: DropFirst<Parameters<typeof atRange>>) =>
  atRange(ins.getRange(), ...rest);
type DropFirst<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

/** The first four characters of a stage's FROM (where stage-wide warnings are shown). */
function fromKeyword(stage: Stage): Range {
  const { start } = stage.from.getRange();
  return { start, end: { line: start.line, character: start.character + 4 } };
}

/** A quick fix that replaces `range` with `newText` (an empty range inserts it). */
const replacing = (title: string, range: Range, newText: string): Finding['fix'] => ({
  title,
  edits: [
    {
      startLine: range.start.line,
      startChar: range.start.character,
      endLine: range.end.line,
      endChar: range.end.character,
      newText,
    },
  ],
});

/** Removes an instruction's whole lines (continuation lines included). */
function removeInstruction(ins: Instruction, title: string): Finding['fix'] {
  const { start, end } = ins.getRange();
  const lines = {
    start: { line: start.line, character: 0 },
    end: { line: end.line + 1, character: 0 },
  };
  return replacing(title, lines, '');
}

/**
 * Everything the server reports on a Dockerfile. `file`: its path on disk, for what needs the
 * build context (sources, the module, the native counterpart beside it). Each check is guarded: a
 * Dockerfile the parser half-understands yields what the other checks find, never a crash.
 */
export function analyzeDockerfile(text: string, file?: string): Finding[] {
  const findings: Finding[] = [...checkDockerfileText(text)];
  const guard = (what: string, line: number, check: () => void) => {
    try {
      check();
    } catch (e) {
      findings.push({
        line,
        start: 0,
        end: 0,
        severity: 'information',
        code: DiagnosticCodes.missingSource,
        message: `could not check ${what}: ${(e as Error).message}`,
      });
    }
  };
  let model: DockerfileModel | undefined;
  guard('the stages', 0, () => {
    model = readDockerfile(text, { mode: 'lenient', ...(file ? { file } : {}) });
  });
  if (!model) return findings;
  // what the model found in the files it resolved: sources of every stage, the final entrypoint
  for (const p of model.problems) {
    if (p.unresolved) continue; // an ARG given only at build time: nothing sure to say
    if (p.kind === 'source' || p.kind === 'copy-operands')
      findings.push(atRange(p.range, 'error', DiagnosticCodes.missingSource, p.message));
    if (p.kind === 'entry-not-copied') {
      const finding = atRange(p.range, 'error', DiagnosticCodes.missingSource, p.message);
      const fixes = model.final ? runCopiedModule(text, model.final, p.range) : [];
      findings.push(fixes.length > 0 ? { ...finding, fixes } : finding);
    }
  }
  const final = model.final;
  if (!final?.wasmReason) return findings;
  for (const ins of final.instructions) {
    const keyword = ins.getKeyword();
    guard(keyword, lineOf(ins), () => {
      if (NOT_IN_WASM[keyword])
        findings.push(
          finding(
            ins,
            'error',
            DiagnosticCodes.unsupportedInWasm,
            `${NOT_IN_WASM[keyword]} (this stage builds a Wasm image: ${final.wasmReason})`,
            removeInstruction(ins, `Remove ${keyword}`),
          ),
        );
      if (keyword === 'ENTRYPOINT' || keyword === 'CMD') checkExecForm(ins, findings);
    });
  }
  const fromLine = lineOf(final.from);
  guard('the platform', fromLine, () => checkPlatform(final, findings));
  if (file) {
    guard('the module', fromLine, () => checkModule(final, findings));
    guard('the native counterpart', fromLine, () => checkCounterpart(final, file, findings));
  }
  return findings;
}

const lineOf = (ins: Instruction) => ins.getRange().start.line;

/** ["a", "b"]: the exec form of a shell-form command line, as a person would write it. */
const execForm = (words: string[]) => JSON.stringify(words).replace(/","/g, '", "');

/** ENTRYPOINT and CMD of a Wasm image must be in exec form: there is no shell to run them. */
function checkExecForm(ins: Instruction, findings: Finding[]): void {
  const text = (ins.getArgumentsContent() ?? '').trim();
  const args = ins.getArgumentsRange();
  if (!text || !args) return;
  const keyword = ins.getKeyword();
  if (!text.startsWith('[')) {
    const exec = execForm(text.split(/\s+/));
    const message =
      `${keyword} in shell form ("${text}") needs /bin/sh, which a Wasm image does not have: ` +
      `use the exec form, ${keyword} ${exec}.`;
    const fix = replacing('Use the exec form', args, exec);
    findings.push(finding(ins, 'error', DiagnosticCodes.entrypointForm, message, fix));
    return;
  }
  try {
    const parsed: unknown = JSON.parse(text.replace(/\\\r?\n/g, ''));
    if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string'))
      throw new Error('not an array of strings');
  } catch (e) {
    const message =
      `${keyword} is not a valid JSON array of strings (${(e as Error).message}): ` +
      'Docker would run it as a shell command, and a Wasm image has no shell.';
    findings.push(finding(ins, 'error', DiagnosticCodes.entrypointForm, message));
  }
}

/** A Wasm stage without --platform would be labelled for the engine's own platform. */
function checkPlatform(stage: Stage, findings: Finding[]): void {
  if (stage.platform) return;
  const keyword = fromKeyword(stage);
  const after = stage.from.getArgumentsRange()?.start ?? {
    line: keyword.start.line,
    character: keyword.start.character + 5,
  };
  const message =
    `This stage builds a Wasm image (${stage.wasmReason}) but has no --platform: the engine ` +
    'would label it for its own platform (linux/amd64), and Wasm runtimes select images by ' +
    'platform. Add --platform=wasi/wasm.';
  const fix = replacing(
    'Add --platform=wasi/wasm',
    { start: after, end: after },
    '--platform=wasi/wasm ',
  );
  findings.push(atRange(keyword, 'warning', DiagnosticCodes.missingPlatform, message, fix));
}

/** The module the final stage runs (its entrypoint's file), else the first .wasm it copies. */
function stageModule(stage: Stage): { host: string; range: Range } | undefined {
  const file = stage.program?.file ?? stage.files.find((f) => f.guest.endsWith('.wasm'));
  return file ? { host: file.host, range: file.range } : undefined;
}

function checkModule(stage: Stage, findings: Finding[]): void {
  const mod = stageModule(stage);
  if (!mod || !statSync(mod.host).isFile()) return;
  const facts = moduleFacts(mod.host);
  const copy = stage.instructions.find((i) => lineOf(i) === mod.range.start.line) ?? stage.from;
  const name = path.basename(mod.host);
  if (facts.problem) {
    const message =
      `${name} is not a valid WebAssembly module: ${facts.problem} ` +
      '(open it in the Wasm Inspector for what decoded).';
    findings.push(finding(copy, 'error', DiagnosticCodes.notWasm, message));
    return;
  }
  if (facts.wasi !== 'preview1') return;
  const message =
    `EXPOSE has no effect: ${name} is a WASI preview1 module, which has no sockets to listen on ` +
    '(that needs WASI preview2, or WASIX).';
  for (const expose of stage.instructions.filter((i) => i.getKeyword() === 'EXPOSE')) {
    const fix = removeInstruction(expose, 'Remove EXPOSE');
    findings.push(finding(expose, 'warning', DiagnosticCodes.exposePreview1, message, fix));
  }
}

/** ENTRYPOINT/CMD program arguments, ENV and base of a stage, for the fairness comparison. */
function shapeOf(stage: Stage) {
  return {
    base: stage.image,
    args: [...(stage.entrypoint?.args ?? []).slice(1), ...(stage.cmd?.args ?? [])],
    env: stage.env,
  };
}

/** Dockerfile ↔ Dockerfile.native beside it: what makes their comparison unfair. */
function checkCounterpart(stage: Stage, file: string, findings: Finding[]): void {
  const native = nativeCounterpart(file);
  if (!native) return;
  const nativeStage = readDockerfile(readFileSync(native, 'utf8'), { mode: 'lenient' }).final;
  if (!nativeStage) return;
  const a = shapeOf(stage);
  const b = shapeOf(nativeStage);
  const problems: string[] = [];
  if (b.base !== 'scratch')
    problems.push(
      `it builds FROM ${b.base}, whose files count in its size and start-up while this image ` +
        'is FROM scratch: use FROM scratch with a static binary (gcc -static)',
    );
  const [wasmArgs, nativeArgs] = [JSON.stringify(a.args), JSON.stringify(b.args)];
  if (wasmArgs !== nativeArgs)
    problems.push(
      `its program gets ${nativeArgs} but the module gets ${wasmArgs}: ` +
        'give both the same arguments so that they do the same work',
    );
  const names = new Set([...Object.keys(a.env), ...Object.keys(b.env)]);
  const envDiff = [...names].filter((k) => a.env[k] !== b.env[k]);
  if (envDiff.length) problems.push(`their environments differ (${envDiff.join(', ')})`);
  if (problems.length === 0) return;
  const unfair = `The comparison with ${path.basename(native)} would be unfair`;
  const message = `${unfair}: ${problems.join('; ')}.`;
  findings.push(atRange(fromKeyword(stage), 'warning', DiagnosticCodes.unfairCounterpart, message));
}

/**
 * Quick fixes for an ENTRYPOINT (or CMD) that runs a file no COPY puts there: one per module the
 * stage does copy, replacing the program's path with the module's.
 */
function runCopiedModule(text: string, stage: Stage, range: Range): Fix[] {
  const program = stage.program?.argv[0];
  if (!program) return [];
  const lines = text.split(/\r?\n/);
  for (let line = range.start.line; line <= range.end.line && line < lines.length; line++) {
    const from = line === range.start.line ? range.start.character : 0;
    const at = lines[line].indexOf(program, from);
    if (at < 0) continue;
    return stage.files
      .map((f) => f.guest)
      .filter((guest) => guest.endsWith('.wasm'))
      .map((guest) => ({
        title: `Run ${guest} (copied by this stage)`,
        edits: [
          {
            startLine: line,
            startChar: at,
            endLine: line,
            endChar: at + program.length,
            newText: guest,
          },
        ],
      }));
  }
  return [];
}
