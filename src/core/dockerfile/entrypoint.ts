import { DockerfileParser, type From, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** What a `FROM scratch` image built from a Dockerfile would run, found on the host. */
export interface ContainerEntrypoint {
  kind: 'wasm' | 'native';
  /** Host path of the file the entrypoint names (the COPY source). */
  artifact: string;
  /** Path inside the image. */
  guestPath: string;
  /** ENTRYPOINT's arguments followed by CMD's, as Docker combines them. */
  args: string[];
  env: Record<string, string>;
  workdir?: string;
  /** --platform of the final FROM, if any. */
  platform?: string;
  /** 0-based line of the instruction that names the program. */
  line: number;
}

export class DockerfileError extends Error {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line === undefined ? '' : `:${line + 1}`}: ${message}`);
    this.name = 'DockerfileError';
  }
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function startsWithWasmMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && WASM_MAGIC.every((b, i) => head[i] === b);
  } finally {
    closeSync(fd);
  }
}

/** A source inside the build context, or an error: `..`, absolute paths and symlinks out of it are refused. */
function contextFile(context: string, source: string, file: string, line: number): string {
  if (path.isAbsolute(source)) throw new DockerfileError(file, line, `COPY source ${source} is absolute: sources are relative to the build context (${context}).`);
  const resolved = path.resolve(context, source);
  const realContext = realpathSync(context);
  let real: string;
  try {
    real = realpathSync(resolved);
  } catch {
    throw new DockerfileError(file, line, `COPY source ${source} does not exist in the build context (${context}).`);
  }
  if (real !== realContext && !real.startsWith(realContext + path.sep)) {
    throw new DockerfileError(file, line, `COPY source ${source} leaves the build context (${context}); it is refused.`);
  }
  return real;
}

function execForm(ins: Instruction, file: string, what: string): string[] {
  const json = ins as JSONInstruction;
  const strings = typeof json.getJSONStrings === 'function' ? json.getJSONStrings() : [];
  const text = ins.getArgumentsContent?.() ?? '';
  if (strings.length === 0 && text.trim() !== '' && !text.trim().startsWith('[')) {
    throw new DockerfileError(file, ins.getRange().start.line, `${what} uses the shell form ("${text.trim()}"): a FROM scratch image has no /bin/sh. Use the exec form, e.g. ${what} ["/app.wasm"].`);
  }
  if (strings.length === 0 && text.trim().startsWith('[') && text.trim() !== '[]') {
    throw new DockerfileError(file, ins.getRange().start.line, `${what} is not a valid JSON array of strings: ${text.trim()}`);
  }
  return strings.map((s) => s.getJSONValue());
}

/**
 * Reads the final stage of a Dockerfile whose image is `FROM scratch` plus copied files, and finds
 * the program its entrypoint runs on the host (the build context is the Dockerfile's folder unless
 * given). Only such images can be run without building them; anything else gets a precise error.
 */
export function resolveEntrypoint(file: string, context = path.dirname(file)): ContainerEntrypoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DockerfileError(file, undefined, `cannot read it: ${(e as Error).message}`);
  }
  const instructions = DockerfileParser.parse(text).getInstructions();
  const froms = instructions.filter((i) => i.getKeyword() === 'FROM');
  if (froms.length === 0) throw new DockerfileError(file, undefined, 'there is no FROM instruction.');
  const lastFrom = froms[froms.length - 1];
  const stage = instructions.filter((i) => i.getRange().start.line > lastFrom.getRange().start.line);
  const platform = (lastFrom as From).getPlatformFlag()?.getValue() ?? undefined;
  const image = (lastFrom as From).getImageName();
  if (image !== 'scratch') {
    throw new DockerfileError(file, lastFrom.getRange().start.line, `the final stage builds FROM ${image}: only FROM scratch images (the module and its files) can be run without building; build the image and run it under a container runtime instead.`);
  }
  const copies = new Map<string, { source: string; line: number }>();
  const env: Record<string, string> = {};
  let workdir: string | undefined;
  let entrypoint: { args: string[]; line: number } | undefined;
  let cmd: { args: string[]; line: number } | undefined;
  for (const ins of stage) {
    const keyword = ins.getKeyword();
    const line = ins.getRange().start.line;
    if (keyword === 'RUN') throw new DockerfileError(file, line, 'RUN in a FROM scratch stage cannot work (there is no shell or program to run); build artifacts in an earlier stage or on the host.');
    if (keyword === 'COPY' || keyword === 'ADD') {
      const args = ins.getArguments().map((a) => a.getValue()).filter((a) => !a.startsWith('--'));
      if (ins.getArguments().some((a) => a.getValue().startsWith('--from'))) continue; // copied from another stage: not on the host
      if (args.length < 2) throw new DockerfileError(file, line, `${keyword} needs a source and a destination.`);
      const dest = args[args.length - 1];
      for (const source of args.slice(0, -1)) {
        const guest = dest.endsWith('/') ? path.posix.join(dest, path.basename(source)) : dest;
        copies.set(path.posix.resolve('/', workdir ?? '/', guest), { source, line });
      }
    } else if (keyword === 'ENV') {
      for (const p of (ins as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }).getProperties()) env[p.getName()] = p.getValue() ?? '';
    } else if (keyword === 'WORKDIR') {
      workdir = path.posix.resolve(workdir ?? '/', ins.getArguments()[0]?.getValue() ?? '/');
    } else if (keyword === 'ENTRYPOINT') {
      entrypoint = { args: execForm(ins, file, 'ENTRYPOINT'), line };
    } else if (keyword === 'CMD') {
      cmd = { args: execForm(ins, file, 'CMD'), line };
    }
  }
  const argv = [...(entrypoint?.args ?? []), ...(cmd?.args ?? [])];
  if (argv.length === 0) throw new DockerfileError(file, undefined, 'the final stage has no ENTRYPOINT or CMD: add ENTRYPOINT ["/app.wasm"].');
  const programLine = (entrypoint?.args.length ? entrypoint : cmd)!.line;
  const guestPath = path.posix.resolve(workdir ?? '/', argv[0]);
  const copy = copies.get(guestPath);
  if (!copy) {
    throw new DockerfileError(file, programLine, `the entrypoint ${argv[0]} is not copied into the image by this stage (copied: ${[...copies.keys()].join(', ') || 'nothing'}).`);
  }
  const artifact = contextFile(context, copy.source, file, copy.line);
  if (!statSync(artifact).isFile()) throw new DockerfileError(file, copy.line, `${copy.source} is not a file.`);
  const kind = guestPath.endsWith('.wasm') || startsWithWasmMagic(artifact) ? 'wasm' : 'native';
  return { kind, artifact, guestPath, args: argv.slice(1), env, workdir, platform, line: programLine };
}

/** Dockerfile, Dockerfile.native, app.dockerfile … */
export function isDockerfileName(file: string): boolean {
  const base = path.basename(file);
  return /^Dockerfile(\..+)?$/i.test(base) || /\.dockerfile$/i.test(base) || /^Containerfile(\..+)?$/i.test(base);
}
