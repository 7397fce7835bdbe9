/**
 * The one Dockerfile model: stages, the final one, what each COPY/ADD puts where (WORKDIR-relative
 * destinations, globs, ARG/ENV expansion as Docker does it), the program the entrypoint names,
 * and the native counterpart beside it. The builder and the runner read it strictly (the first
 * problem is an error with its line); the language server reads it leniently (every problem is
 * collected with its place, and reading goes on).
 */
import { DockerfileParser, type From, type Instruction } from 'dockerfile-ast';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileStartsWithWasmMagic } from '../wasm/header';
import { copyOperands, jsonForm, type Operand } from './json-form';

export class DockerfileError extends Error {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line === undefined ? '' : `:${line + 1}`}: ${message}`);
    this.name = 'DockerfileError';
  }
}

export type Range = Operand['range'];

/** What the model found wrong, where. `kind` lets the front ends pick their wording and fixes. */
export interface ModelProblem {
  kind:
    | 'no-from'
    | 'not-scratch'
    | 'unsupported'
    | 'copy-from'
    | 'copy-operands'
    | 'source'
    | 'url'
    | 'exec-form'
    | 'no-entrypoint'
    | 'entry-not-copied';
  line: number;
  range: Range;
  message: string;
  /** Which stage it is in (its index); absent for the file as a whole. */
  stage?: number;
  /** A source naming a variable with no value here: a diagnostic can say nothing sure about it. */
  unresolved?: boolean;
}

/** A file the image will hold: where it comes from on the host and where it lands in the image. */
export interface StageFile {
  host: string;
  guest: string;
  mode: number;
  line: number;
  /** The COPY/ADD operand that named it (its place in the document). */
  range: Range;
}

export interface Stage {
  from: From;
  name?: string;
  instructions: Instruction[];
  platform?: string;
  image: string;
  files: StageFile[];
  entrypoint?: { args: string[]; line: number; instruction: Instruction };
  cmd?: { args: string[]; line: number; instruction: Instruction };
  env: Record<string, string>;
  workdir?: string;
  labels: Record<string, string>;
  /** The program the image runs: ENTRYPOINT's first word (else CMD's), resolved against WORKDIR. */
  program?: {
    guestPath: string;
    argv: string[];
    line: number;
    instruction: Instruction;
    file?: StageFile;
    kind?: 'wasm' | 'native';
  };
  /** Why it is taken for a Wasm stage (its platform, a .wasm entrypoint, FROM scratch + a module). */
  wasmReason?: string;
}

export interface DockerfileModel {
  stages: Stage[];
  final?: Stage;
  problems: ModelProblem[];
}

export interface ReadOptions {
  /** The Dockerfile's path: names it in errors, and its folder is the default build context. */
  file?: string;
  context?: string;
  /** strict: throw at the first problem (builder, runner); lenient: collect them (diagnostics). */
  mode: 'strict' | 'lenient';
}

const WASM_PLATFORM = /^(wasi|wasip1|wasip2)\/wasm(32)?$/;
/** Instructions whose arguments Docker expands ARG/ENV variables in. ENTRYPOINT and CMD are not among them. */
const EXPANDS = new Set([
  'ADD',
  'COPY',
  'ENV',
  'EXPOSE',
  'FROM',
  'LABEL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

const lineOf = (ins: Instruction) => ins.getRange().start.line;

/** Reads a Dockerfile's text into the model. */
export function readDockerfile(text: string, options: ReadOptions): DockerfileModel {
  return new Reader(text, options).read();
}

/** Reads a Dockerfile file (strict unless said otherwise). */
export function readDockerfileFile(
  file: string,
  options: Partial<ReadOptions> = {},
): DockerfileModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DockerfileError(file, undefined, `cannot read it: ${(e as Error).message}`);
  }
  return readDockerfile(text, { mode: 'strict', file, ...options });
}

/** The first variable a value names that has no value and no default. */
function unknownVariable(
  value: string,
  vars: (name: string) => string | undefined,
): string | undefined {
  for (const m of value.matchAll(/\$\{(\w+)(:[-+][^}]*)?\}|\$(\w+)/g)) {
    const name = m[1] ?? m[3] ?? '';
    if (vars(name) === undefined && !m[2]?.startsWith(':-')) return name;
  }
  return undefined;
}

/** `${X}`, `${X:-default}`, `${X:+alternative}` and `$X`, as the Dockerfile frontend expands them. */
export function expandVariables(value: string, vars: (name: string) => string | undefined): string {
  return value.replace(
    /\\\$|\$\{(\w+)(?::([-+])([^}]*))?\}|\$(\w+)/g,
    (
      match,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === '\\$') return '$';
      const v = vars(braced ?? bare ?? '');
      if (op === '-') return v === undefined || v === '' ? (word ?? '') : v;
      if (op === '+') return v === undefined || v === '' ? '' : (word ?? '');
      return v ?? '';
    },
  );
}

class Reader {
  private readonly problems: ModelProblem[] = [];
  private readonly context: string | undefined;
  private readonly label: string;

  constructor(
    private readonly text: string,
    private readonly options: ReadOptions,
  ) {
    this.context = options.context ?? (options.file ? path.dirname(options.file) : undefined);
    this.label = options.file ?? 'Dockerfile';
  }

  private stageIndex = -1;
  private vars: (name: string) => string | undefined = () => undefined;

  /** Collected with their stage; in strict mode the final stage's first one is thrown at the end. */
  private problem(p: ModelProblem): void {
    this.problems.push(this.stageIndex >= 0 ? { ...p, stage: this.stageIndex } : p);
  }

  read(): DockerfileModel {
    const instructions = DockerfileParser.parse(this.text).getInstructions();
    const globalArgs = new Map<string, string | undefined>();
    const stages: Stage[] = [];
    let current: Stage | undefined;
    let stageArgs = new Map<string, string | undefined>();
    for (const ins of instructions) {
      const keyword = ins.getKeyword();
      if (keyword === 'FROM') {
        const from = ins as From;
        const vars = (n: string) => globalArgs.get(n);
        current = {
          from,
          instructions: [],
          image: expandVariables(from.getImage() ?? from.getImageName() ?? '', vars),
          env: {},
          labels: {},
          files: [],
          ...(from.getBuildStage() ? { name: from.getBuildStage()! } : {}),
        };
        const platform = from.getPlatformFlag()?.getValue();
        if (platform) current.platform = expandVariables(platform, vars);
        stages.push(current);
        this.stageIndex = stages.length - 1;
        stageArgs = new Map();
        continue;
      }
      if (!current) {
        // before the first FROM only ARG counts: the global scope, usable in FROM lines
        if (keyword === 'ARG') for (const [k, v] of argPairs(ins)) globalArgs.set(k, v);
        continue;
      }
      current.instructions.push(ins);
      this.instruction(current, ins, globalArgs, stageArgs);
    }
    const final = stages.at(-1);
    for (const [i, stage] of stages.entries()) {
      this.stageIndex = i;
      this.program(stage, stage === final);
      stage.wasmReason = wasmReasonOf(stage);
    }
    this.stageIndex = -1;
    if (!final)
      this.problem({
        kind: 'no-from',
        line: 0,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: 'there is no FROM instruction.',
      });
    if (this.options.mode === 'strict') {
      // the builder and the runner use the final stage only: its first problem is the error
      const first = this.problems.find(
        (p) => p.stage === undefined || p.stage === stages.length - 1,
      );
      if (first)
        throw new DockerfileError(
          this.label,
          first.kind === 'no-from' ? undefined : first.line,
          first.message,
        );
    }
    return { stages, ...(final ? { final } : {}), problems: this.problems };
  }

  private instruction(
    stage: Stage,
    ins: Instruction,
    globalArgs: Map<string, string | undefined>,
    stageArgs: Map<string, string | undefined>,
  ): void {
    const keyword = ins.getKeyword();
    const line = lineOf(ins);
    // ENV wins over ARG; a global ARG is seen in a stage only once the stage declares it again
    const vars = (n: string) => stage.env[n] ?? stageArgs.get(n);
    this.vars = vars;
    const expand = (v: string) => (EXPANDS.has(keyword) ? expandVariables(v, vars) : v);
    switch (keyword) {
      case 'ARG':
        for (const [k, v] of argPairs(ins)) stageArgs.set(k, v ?? globalArgs.get(k));
        return;
      case 'ENV':
        for (const p of properties(ins)) stage.env[p.getName()] = expand(p.getValue() ?? '');
        return;
      case 'LABEL':
        // only an image needs them (diagnostics read none, and 1 000 LABEL lines cost)
        if (this.options.mode === 'strict')
          for (const p of properties(ins)) stage.labels[p.getName()] = expand(p.getValue() ?? '');
        return;
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(
          stage.workdir ?? '/',
          expand(ins.getArguments()[0]?.getValue() ?? '/'),
        );
        return;
      case 'ENTRYPOINT':
      case 'CMD': {
        const args = this.execForm(ins, keyword);
        stage[keyword === 'ENTRYPOINT' ? 'entrypoint' : 'cmd'] = { args, line, instruction: ins };
        return;
      }
      case 'COPY':
      case 'ADD':
        return this.copy(stage, ins, keyword, expand);
    }
  }

  private execForm(ins: Instruction, what: string): string[] {
    const strings = jsonForm(ins);
    if (strings) return strings;
    const text = (ins.getArgumentsContent() ?? '').trim();
    if (text === '') return [];
    const range = ins.getRange();
    this.problem({
      kind: 'exec-form',
      line: lineOf(ins),
      range,
      message: text.startsWith('[')
        ? `${what} is not a valid JSON array of strings: ${text}`
        : `${what} uses the shell form ("${text}"): a FROM scratch image has no /bin/sh. Use the exec form, e.g. ${what} ["/app.wasm"].`,
    });
    return text.startsWith('[') ? [] : text.split(/\s+/);
  }

  private copy(
    stage: Stage,
    ins: Instruction,
    keyword: string,
    expand: (v: string) => string,
  ): void {
    const line = lineOf(ins);
    if ((ins as unknown as { getFromFlag?(): unknown }).getFromFlag?.()) {
      // files from another stage or image: only a real build has them
      this.problem({
        kind: 'copy-from',
        line,
        range: ins.getRange(),
        message: `${keyword} --from copies from another stage, which only docker build can produce.`,
      });
      return;
    }
    const raw = copyOperands(ins);
    const operands = raw.map((o) => ({ ...o, value: expand(o.value) }));
    if (operands.length < 2) {
      this.problem({
        kind: 'copy-operands',
        line,
        range: ins.getRange(),
        message: `${keyword} needs a source and a destination.`,
      });
      return;
    }
    const dest = operands.at(-1)!.value;
    const sources = operands.slice(0, -1);
    const destDir = path.posix.resolve(stage.workdir ?? '/', dest);
    // several sources or a wildcard: the destination is a directory (Docker requires the slash)
    // …and so is the working directory itself (COPY x . / COPY x ./): it exists in the image
    const intoDir =
      dest.endsWith('/') ||
      dest === '.' ||
      dest.endsWith('/.') ||
      destDir === (stage.workdir ?? '/') ||
      sources.length > 1 ||
      sources.some((s) => isGlob(s.value));
    for (const [i, source] of sources.entries()) {
      // a variable with no value here (a --build-arg): known only at build time
      const unknown = unknownVariable(raw[i]?.value ?? '', this.vars);
      if (unknown) {
        this.problem({
          kind: 'source',
          line,
          range: source.range,
          message: `${keyword} source ${raw[i]?.value} uses $${unknown}, which has no value here (no ARG default or ENV)`,
          unresolved: true,
        });
        continue;
      }
      if (/^https?:\/\//.test(source.value)) {
        this.problem({
          kind: 'url',
          line,
          range: source.range,
          message: `${keyword} of a URL (${source.value}) needs the network; copy a local file.`,
        });
        continue;
      }
      if (!this.context) continue;
      const found = resolveSource(this.context, source.value);
      if ('problem' in found) {
        this.problem({
          kind: 'source',
          line,
          range: source.range,
          message: `${keyword} source ${found.problem}.`,
        });
        continue;
      }
      for (const host of found.files) {
        const st = statSync(host);
        if (st.isDirectory()) {
          try {
            walk(this.context, host, destDir, line, source.range, stage.files);
          } catch (e) {
            if (!(e instanceof WalkProblem)) throw e;
            this.problem({
              kind: 'source',
              line,
              range: source.range,
              message: `${keyword} source ${e.message}.`,
            });
          }
        } else
          stage.files.push({
            host,
            guest: intoDir ? path.posix.join(destDir, path.basename(host)) : destDir,
            mode: st.mode & 0o111 ? 0o755 : 0o644,
            line,
            range: source.range,
          });
      }
    }
  }

  /** The program of a stage: what its entrypoint names, found among the files the stage copies. */
  private program(stage: Stage, isFinal: boolean): void {
    const argv = [...(stage.entrypoint?.args ?? []), ...(stage.cmd?.args ?? [])];
    const named = stage.entrypoint?.args.length ? stage.entrypoint : stage.cmd;
    if (!argv[0] || !named) return;
    const guestPath = path.posix.resolve(stage.workdir ?? '/', argv[0]);
    const file = stage.files.find((f) => f.guest === guestPath);
    stage.program = {
      guestPath,
      argv,
      line: named.line,
      instruction: named.instruction,
      ...(file ? { file, kind: isModule(guestPath, file.host) ? 'wasm' : 'native' } : {}),
    };
    // only the final stage's image runs; an earlier stage's program is not this Dockerfile's concern
    // a source that is missing already explains an entrypoint with no file: one problem, not two
    const sourceMissing = this.problems.some(
      (p) => p.stage === this.stageIndex && p.kind === 'source',
    );
    if (
      !sourceMissing &&
      !file &&
      isFinal &&
      this.context &&
      stage.image === 'scratch' &&
      !stage.instructions.some(copiesFromElsewhere)
    )
      this.problem({
        kind: 'entry-not-copied',
        line: named.line,
        range: named.instruction.getRange(),
        message: `${named.instruction.getKeyword()} runs ${argv[0]}${guestPath !== argv[0] ? ` (${guestPath})` : ''}, but no COPY or ADD of this stage puts a file there (copied: ${stage.files.map((f) => f.guest).join(', ') || 'nothing'}).`,
      });
  }
}

const copiesFromElsewhere = (ins: Instruction) =>
  /^(COPY|ADD)$/.test(ins.getKeyword()) &&
  (!!(ins as unknown as { getFromFlag?(): unknown }).getFromFlag?.() ||
    copyOperands(ins).some((o) => /^https?:\/\//.test(o.value) || o.value.includes('$')));

function isModule(guestPath: string, host: string): boolean {
  try {
    return guestPath.endsWith('.wasm') || fileStartsWithWasmMagic(host);
  } catch {
    return guestPath.endsWith('.wasm');
  }
}

function wasmReasonOf(stage: Stage): string | undefined {
  if (stage.platform && WASM_PLATFORM.test(stage.platform)) return `--platform=${stage.platform}`;
  const program = stage.entrypoint?.args[0];
  if (program?.endsWith('.wasm')) return `its ENTRYPOINT runs ${program}`;
  if (stage.image === 'scratch' && stage.files.some((f) => f.guest.endsWith('.wasm')))
    return 'it is FROM scratch with a .wasm copied in';
  if (
    stage.image === 'scratch' &&
    stage.instructions.some(
      (i) =>
        /^(COPY|ADD)$/.test(i.getKeyword()) &&
        copyOperands(i).some((a) => a.value.endsWith('.wasm')),
    )
  )
    return 'it is FROM scratch with a .wasm copied in';
  return undefined;
}

function argPairs(ins: Instruction): Array<[string, string | undefined]> {
  const text = (ins.getArgumentsContent() ?? '').trim();
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [pair, undefined] : [pair.slice(0, eq), unquote(pair.slice(eq + 1))];
    });
}

const unquote = (v: string) => (/^(["']).*\1$/.test(v) ? v.slice(1, -1) : v);

function properties(ins: Instruction): Array<{ getName(): string; getValue(): string | null }> {
  return (
    ins as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }
  ).getProperties();
}

const isGlob = (source: string) => /[*?[]/.test(source);

/** A Go filepath.Match pattern (what Docker matches COPY sources with) as a RegExp for one path segment. */
function segmentPattern(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^\^/, '!');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files of the build context a COPY source names (a path or a wildcard), or why there are
 * none: absent, absolute, or leaving the context through `..` or a symlink (docker build refuses it).
 */
export function resolveSource(
  context: string,
  source: string,
): { files: string[] } | { problem: string } {
  if (path.isAbsolute(source))
    return {
      problem: `${source} is absolute: sources are relative to the build context (${context})`,
    };
  let root: string;
  try {
    root = realpathSync(context);
  } catch {
    return { problem: `${source}: the build context ${context} does not exist` };
  }
  const inside = (real: string) => real === root || real.startsWith(root + path.sep);
  let candidates = [root];
  for (const segment of path.posix
    .normalize(source)
    .split('/')
    .filter((s) => s !== '.' && s !== '')) {
    const next: string[] = [];
    for (const dir of candidates) {
      if (!isGlob(segment)) {
        next.push(path.join(dir, segment));
        continue;
      }
      let names: string[] = [];
      try {
        names = readdirSync(dir).sort();
      } catch {
        // not a directory: no match
      }
      const re = segmentPattern(segment);
      next.push(...names.filter((n) => re.test(n)).map((n) => path.join(dir, n)));
    }
    candidates = next;
  }
  if (isGlob(source) && candidates.length === 0)
    return { problem: `nothing in the build context matches ${source}` };
  const files: string[] = [];
  for (const c of candidates) {
    if (!existsSync(c)) {
      if (!inside(path.resolve(c)))
        return {
          problem: `${source} leaves the build context (${context}): docker build refuses it`,
        };
      return { problem: `${source} does not exist in the build context (${context})` };
    }
    const real = realpathSync(c);
    if (!inside(real))
      return {
        problem: `${source} leaves the build context (${context}): docker build refuses it`,
      };
    files.push(real);
  }
  return { files };
}

class WalkProblem extends Error {}

/** Every file under a copied directory (symlinks followed only while they stay in the context). */
function walk(
  context: string,
  hostDir: string,
  guestDir: string,
  line: number,
  range: Range,
  out: StageFile[],
): void {
  for (const name of readdirSync(hostDir).sort()) {
    const rel = path.relative(realpathSync(context), path.join(hostDir, name));
    const found = resolveSource(context, rel);
    if ('problem' in found) throw new WalkProblem(found.problem);
    const [host] = found.files;
    if (!host) continue;
    const st = statSync(host);
    if (st.isDirectory()) walk(context, host, path.posix.join(guestDir, name), line, range, out);
    else if (st.isFile())
      out.push({
        host,
        guest: path.posix.join(guestDir, name),
        mode: st.mode & 0o111 ? 0o755 : 0o644,
        line,
        range,
      });
  }
}

/** The native counterpart of a Wasm Dockerfile: `Dockerfile.native` beside it, when there is one. */
export function nativeCounterpart(file: string): string | undefined {
  if (path.basename(file).endsWith('.native')) return undefined;
  const native = path.join(path.dirname(file), `${path.basename(file)}.native`);
  return existsSync(native) ? native : undefined;
}
