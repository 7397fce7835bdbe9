import { DockerfileParser, type From, type Instruction } from 'dockerfile-ast';
import { copyOperands, jsonForm } from '../core/dockerfile/json-form';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DiagnosticCodes } from '../shared/lsp-protocol';
import { checkDockerfileText, type Finding } from './dockerfile-checks';
import { moduleFacts } from './module-facts';

/** A stage of a Dockerfile: its FROM and the instructions after it. */
export interface Stage {
  from: From;
  instructions: Instruction[];
  platform?: string;
  /** Why it is taken for a Wasm stage (platform, .wasm entrypoint, FROM scratch + .wasm). */
  wasmReason?: string;
}

const WASM_PLATFORM = /^(wasi|wasip1|wasip2)\/wasm(32)?$/;
const NOT_IN_WASM: Record<string, string> = {
  RUN: 'RUN cannot work in a Wasm image: there is no shell or program to run. Do the work in an earlier stage or on the host.',
  SHELL: 'SHELL has no effect: a Wasm image has no shell.',
  USER: 'USER is not supported in a Wasm image: it has no users (the runtime decides what the module may touch).',
  HEALTHCHECK: 'HEALTHCHECK runs a command inside the container, and a Wasm image has none to run.',
};

const lineOf = (ins: Instruction) => ins.getRange().start.line;

export function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const keyword = ins.getKeyword();
    if (keyword === 'FROM')
      stages.push({
        from: ins as From,
        instructions: [],
        platform: (ins as From).getPlatformFlag()?.getValue() ?? undefined,
      });
    else stages.at(-1)?.instructions.push(ins);
  }
  for (const stage of stages) stage.wasmReason = wasmReasonOf(stage);
  return stages;
}

const execStrings = (ins: Instruction): string[] | undefined => {
  const strings = jsonForm(ins);
  return strings?.length ? strings : undefined;
};

function wasmReasonOf(stage: Stage): string | undefined {
  if (stage.platform && WASM_PLATFORM.test(stage.platform)) return `--platform=${stage.platform}`;
  const entry = stage.instructions.filter((i) => i.getKeyword() === 'ENTRYPOINT').at(-1);
  const program = entry
    ? (execStrings(entry)?.[0] ?? entry.getArguments()[0]?.getValue())
    : undefined;
  if (program?.endsWith('.wasm')) return `its ENTRYPOINT runs ${program}`;
  if (
    stage.from.getImageName() === 'scratch' &&
    stage.instructions.some(
      (i) =>
        /^(COPY|ADD)$/.test(i.getKeyword()) &&
        copyOperands(i).some((a) => a.value.endsWith('.wasm')),
    )
  ) {
    return 'it is FROM scratch with a .wasm copied in';
  }
  return undefined;
}

/** Where a file of the build context is, or why it is not usable (absent, outside the context). */
function resolveSource(
  context: string,
  source: string,
): { file?: string; problem?: string; glob?: boolean } {
  if (/^https?:\/\//.test(source)) return {};
  if (/[*?[]/.test(source)) {
    const dir = path.resolve(context, path.dirname(source));
    const re = new RegExp(
      `^${path
        .basename(source)
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // no such folder: no match
    }
    return names.some((n) => re.test(n))
      ? { glob: true }
      : { problem: `nothing in the build context matches ${source}` };
  }
  if (path.isAbsolute(source))
    return {
      problem: `${source} is absolute: sources are relative to the build context (${context})`,
    };
  const full = path.resolve(context, source);
  if (!existsSync(full))
    return { problem: `${source} does not exist in the build context (${context})` };
  try {
    const real = realpathSync(full);
    const root = realpathSync(context);
    if (real !== root && !real.startsWith(root + path.sep))
      return {
        problem: `${source} leaves the build context (${context}): docker build refuses it`,
      };
  } catch {
    return { problem: `${source} cannot be resolved` };
  }
  return { file: full };
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

/**
 * Everything the server reports on a Dockerfile. `file`: its path on disk, for the checks that
 * read the build context (sources, modules, the native counterpart beside it). Each check is
 * guarded: a Dockerfile the parser half-understands yields what the other checks find, never a crash.
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
  let stages: Stage[] = [];
  guard('the stages', 0, () => {
    stages = stagesOf(text);
  });
  const context = file ? path.dirname(file) : undefined;
  const final = stages.at(-1);
  for (const stage of stages) {
    const isFinal = stage === final;
    for (const ins of stage.instructions) {
      const keyword = ins.getKeyword();
      guard(keyword, lineOf(ins), () => {
        if (stage.wasmReason && isFinal && NOT_IN_WASM[keyword]) {
          findings.push(
            finding(
              ins,
              'error',
              DiagnosticCodes.unsupportedInWasm,
              `${NOT_IN_WASM[keyword]} (this stage builds a Wasm image: ${stage.wasmReason})`,
              removeInstruction(ins, `Remove ${keyword}`),
            ),
          );
        }
        if (stage.wasmReason && isFinal && (keyword === 'ENTRYPOINT' || keyword === 'CMD'))
          checkExecForm(ins, findings);
        if (
          context &&
          (keyword === 'COPY' || keyword === 'ADD') &&
          !(ins as unknown as { getFromFlag?(): unknown }).getFromFlag?.()
        )
          checkSources(ins, context, findings);
      });
    }
    if (stage.wasmReason && isFinal) {
      guard('the platform', lineOf(stage.from), () => checkPlatform(stage, findings));
      if (context) {
        guard('the module', lineOf(stage.from), () => checkModule(stage, context, findings));
        if (file)
          guard('the native counterpart', lineOf(stage.from), () =>
            checkCounterpart(stage, file, findings),
          );
      }
    }
  }
  return findings;
}

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

function checkSources(ins: Instruction, context: string, findings: Finding[]): void {
  const parts = copyOperands(ins);
  if (parts.length < 2) {
    findings.push(
      finding(
        ins,
        'error',
        DiagnosticCodes.missingSource,
        `${ins.getKeyword()} needs a source and a destination.`,
      ),
    );
    return;
  }
  for (const arg of parts.slice(0, -1)) {
    const source = arg.value;
    if (source.includes('$')) continue; // an ARG or ENV expansion: known only at build time
    const { problem } = resolveSource(context, source);
    if (!problem) continue;
    const r = arg.range;
    findings.push({
      line: r.start.line,
      start: r.start.character,
      endLine: r.end.line,
      end: r.end.character,
      severity: 'error',
      code: DiagnosticCodes.missingSource,
      message: `${ins.getKeyword()} source ${problem}.`,
    });
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

/** The guest program of the final stage, mapped back to the host file COPY'd there. */
function entryModule(
  stage: Stage,
  context: string,
): { ins: Instruction; guest: string; host?: string } | undefined {
  const entry = stage.instructions.filter((i) => i.getKeyword() === 'ENTRYPOINT').at(-1);
  const guest = entry ? execStrings(entry)?.[0] : undefined;
  const copies = stage.instructions.filter(
    (i) =>
      /^(COPY|ADD)$/.test(i.getKeyword()) &&
      !(i as unknown as { getFromFlag?(): unknown }).getFromFlag?.(),
  );
  for (const copy of copies) {
    const parts = copyOperands(copy).map((o) => o.value);
    const dest = parts.at(-1) ?? '';
    for (const source of parts.slice(0, -1)) {
      const target = dest.endsWith('/') ? path.posix.join(dest, path.basename(source)) : dest;
      if (
        (guest && path.posix.resolve('/', target) === path.posix.resolve('/', guest)) ||
        (!guest && source.endsWith('.wasm'))
      ) {
        return { ins: copy, guest: guest ?? target, host: resolveSource(context, source).file };
      }
    }
  }
  return entry && guest ? { ins: entry, guest } : undefined;
}

function checkModule(stage: Stage, context: string, findings: Finding[]): void {
  const mod = entryModule(stage, context);
  if (!mod) return;
  if (!mod.host) {
    if (mod.ins.getKeyword() === 'ENTRYPOINT')
      findings.push(
        finding(
          mod.ins,
          'error',
          DiagnosticCodes.missingSource,
          `ENTRYPOINT runs ${mod.guest}, but no COPY or ADD of this stage puts a file there.`,
        ),
      );
    return;
  }
  if (!statSync(mod.host).isFile()) return;
  const facts = moduleFacts(mod.host);
  if (facts.problem) {
    findings.push(
      finding(
        mod.ins,
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
  const last = (k: string) => stage.instructions.filter((i) => i.getKeyword() === k).at(-1);
  const entry = last('ENTRYPOINT');
  const cmd = last('CMD');
  const env: Record<string, string> = {};
  for (const e of stage.instructions.filter((i) => i.getKeyword() === 'ENV')) {
    for (const p of (
      e as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }
    ).getProperties())
      env[p.getName()] = p.getValue() ?? '';
  }
  return {
    base: stage.from.getImage() ?? stage.from.getImageName() ?? '',
    args: [...((entry && execStrings(entry)) ?? []).slice(1), ...((cmd && execStrings(cmd)) ?? [])],
    env,
  };
}

/** Dockerfile ↔ Dockerfile.native beside it: what makes their comparison unfair. */
function checkCounterpart(stage: Stage, file: string, findings: Finding[]): void {
  const native = path.join(path.dirname(file), `${path.basename(file)}.native`);
  if (path.basename(file).endsWith('.native') || !existsSync(native)) return;
  const nativeStage = stagesOf(readFileSync(native, 'utf8')).at(-1);
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
