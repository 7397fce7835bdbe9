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
  RUN: 'RUN cannot work in a Wasm image: there is no shell or program to run. Do the work in an earlier stage or on the host.',
  SHELL: 'SHELL has no effect: a Wasm image has no shell.',
  USER: 'USER is not supported in a Wasm image: it has no users (the runtime decides what the module may touch).',
  HEALTHCHECK: 'HEALTHCHECK runs a command inside the container, and a Wasm image has none to run.',
};

/** The stages of a Dockerfile (no build context: nothing is read from disk). */
export function stagesOf(text: string): Stage[] {
  return readDockerfile(text, { mode: 'lenient' }).stages;
}

const rangeOf = (ins: Instruction) => ins.getRange();

function finding(
  ins: Instruction,
  severity: Finding['severity'],
  code: Finding['code'],
  message: string,
  fix?: Finding['fix'],
): Finding {
  const r = rangeOf(ins);
  return {
    line: r.start.line,
    start: r.start.character,
    endLine: r.end.line,
    end: r.end.character,
    severity,
    code,
    message,
    ...(fix ? { fix } : {}),
  };
}

/** Removes an instruction's whole lines (continuation lines included). */
const removeInstruction = (ins: Instruction, title: string): Finding['fix'] => ({
  title,
  edits: [
    {
      startLine: rangeOf(ins).start.line,
      startChar: 0,
      endLine: rangeOf(ins).end.line + 1,
      endChar: 0,
      newText: '',
    },
  ],
});

const atRange = (
  range: Range,
  severity: Finding['severity'],
  code: Finding['code'],
  message: string,
): Finding => ({
  line: range.start.line,
  start: range.start.character,
  endLine: range.end.line,
  end: range.end.character,
  severity,
  code,
  message,
});

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

function checkExecForm(ins: Instruction, findings: Finding[]): void {
  const text = (ins.getArgumentsContent() ?? '').trim();
  if (!text) return;
  if (!text.startsWith('[')) {
    findings.push(
      finding(
        ins,
        'error',
        DiagnosticCodes.entrypointForm,
        `${ins.getKeyword()} in shell form ("${text}") needs /bin/sh, which a Wasm image does not have: use the exec form, ${ins.getKeyword()} ["${text.split(/\s+/)[0]}"${text
          .split(/\s+/)
          .slice(1)
          .map((a) => `, "${a}"`)
          .join('')}].`,
        {
          title: 'Use the exec form',
          edits: [
            {
              startLine: ins.getArgumentsRange()!.start.line,
              startChar: ins.getArgumentsRange()!.start.character,
              endLine: ins.getArgumentsRange()!.end.line,
              endChar: ins.getArgumentsRange()!.end.character,
              newText: JSON.stringify(text.split(/\s+/)).replace(/","/g, '", "'),
            },
          ],
        },
      ),
    );
    return;
  }
  try {
    const parsed: unknown = JSON.parse(text.replace(/\\\r?\n/g, ''));
    if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string'))
      throw new Error('not an array of strings');
  } catch (e) {
    findings.push(
      finding(
        ins,
        'error',
        DiagnosticCodes.entrypointForm,
        `${ins.getKeyword()} is not a valid JSON array of strings (${(e as Error).message}): Docker would run it as a shell command, and a Wasm image has no shell.`,
      ),
    );
  }
}

function checkPlatform(stage: Stage, findings: Finding[]): void {
  if (stage.platform) return;
  const from = stage.from;
  const r = from.getRange();
  const after = from.getArgumentsRange()?.start ?? {
    line: r.start.line,
    character: r.start.character + 5,
  };
  findings.push({
    line: r.start.line,
    start: r.start.character,
    endLine: r.start.line,
    end: r.start.character + 4,
    severity: 'warning',
    code: DiagnosticCodes.missingPlatform,
    message: `This stage builds a Wasm image (${stage.wasmReason}) but has no --platform: the engine would label it for its own platform (linux/amd64), and Wasm runtimes select images by platform. Add --platform=wasi/wasm.`,
    fix: {
      title: 'Add --platform=wasi/wasm',
      edits: [
        {
          startLine: after.line,
          startChar: after.character,
          endLine: after.line,
          endChar: after.character,
          newText: '--platform=wasi/wasm ',
        },
      ],
    },
  });
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
  if (facts.problem) {
    findings.push(
      finding(
        copy,
        'error',
        DiagnosticCodes.notWasm,
        `${path.basename(mod.host)} is not a valid WebAssembly module: ${facts.problem} (open it in the Wasm Inspector for what decoded).`,
      ),
    );
    return;
  }
  if (facts.wasi === 'preview1') {
    for (const expose of stage.instructions.filter((i) => i.getKeyword() === 'EXPOSE')) {
      findings.push(
        finding(
          expose,
          'warning',
          DiagnosticCodes.exposePreview1,
          `EXPOSE has no effect: ${path.basename(mod.host)} is a WASI preview1 module, which has no sockets to listen on (that needs WASI preview2, or WASIX).`,
          removeInstruction(expose, 'Remove EXPOSE'),
        ),
      );
    }
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
      `it builds FROM ${b.base}, whose files count in its size and start-up while this image is FROM scratch: use FROM scratch with a static binary (gcc -static)`,
    );
  if (JSON.stringify(a.args) !== JSON.stringify(b.args))
    problems.push(
      `its program gets ${JSON.stringify(b.args)} but the module gets ${JSON.stringify(a.args)}: give both the same arguments so that they do the same work`,
    );
  const envDiff = [...new Set([...Object.keys(a.env), ...Object.keys(b.env)])].filter(
    (k) => a.env[k] !== b.env[k],
  );
  if (envDiff.length) problems.push(`their environments differ (${envDiff.join(', ')})`);
  if (problems.length === 0) return;
  const from = stage.from.getRange();
  findings.push({
    line: from.start.line,
    start: from.start.character,
    endLine: from.start.line,
    end: from.start.character + 4,
    severity: 'warning',
    code: DiagnosticCodes.unfairCounterpart,
    message: `The comparison with ${path.basename(native)} would be unfair: ${problems.join('; ')}.`,
  });
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
