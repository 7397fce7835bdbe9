import { DockerfileParser, type From, type Instruction } from 'dockerfile-ast';
import { copyOperands, jsonForm } from './json-form';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export class DockerfileError extends Error {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line === undefined ? '' : `:${line + 1}`}: ${message}`);
    this.name = 'DockerfileError';
  }
}

/** A file the image will hold: where it comes from on the host and where it lands in the image. */
export interface StageFile {
  host: string;
  guest: string;
  mode: number;
  line: number;
}

/** The final stage of a `FROM scratch` Dockerfile, resolved against its build context. */
export interface FinalStage {
  platform?: string;
  files: StageFile[];
  entrypoint?: { args: string[]; line: number };
  cmd?: { args: string[]; line: number };
  env: Record<string, string>;
  workdir?: string;
  labels: Record<string, string>;
}

/** A source inside the build context, or an error: `..`, absolute paths and symlinks out of it are refused. */
export function contextPath(context: string, source: string, file: string, line: number): string {
  if (path.isAbsolute(source))
    throw new DockerfileError(
      file,
      line,
      `COPY source ${source} is absolute: sources are relative to the build context (${context}).`,
    );
  const realContext = realpathSync(context);
  let real: string;
  try {
    real = realpathSync(path.resolve(context, source));
  } catch {
    throw new DockerfileError(
      file,
      line,
      `COPY source ${source} does not exist in the build context (${context}).`,
    );
  }
  if (real !== realContext && !real.startsWith(realContext + path.sep)) {
    throw new DockerfileError(
      file,
      line,
      `COPY source ${source} leaves the build context (${context}); it is refused.`,
    );
  }
  return real;
}

function execForm(ins: Instruction, file: string, what: string): string[] {
  const strings = jsonForm(ins);
  const text = (ins.getArgumentsContent?.() ?? '').trim();
  if (strings) return strings;
  if (text !== '' && !text.startsWith('[')) {
    throw new DockerfileError(
      file,
      ins.getRange().start.line,
      `${what} uses the shell form ("${text}"): a FROM scratch image has no /bin/sh. Use the exec form, e.g. ${what} ["/app.wasm"].`,
    );
  }
  if (text !== '')
    throw new DockerfileError(
      file,
      ins.getRange().start.line,
      `${what} is not a valid JSON array of strings: ${text}`,
    );
  return [];
}

/** Every file under a copied directory (symlinks are followed only while they stay in the context). */
function walk(
  context: string,
  hostDir: string,
  guestDir: string,
  file: string,
  line: number,
  out: StageFile[],
): void {
  for (const name of readdirSync(hostDir).sort()) {
    const rel = path.relative(context, path.join(hostDir, name));
    const host = contextPath(context, rel, file, line);
    const st = statSync(host);
    if (st.isDirectory()) walk(context, host, path.posix.join(guestDir, name), file, line, out);
    else if (st.isFile())
      out.push({
        host,
        guest: path.posix.join(guestDir, name),
        mode: st.mode & 0o111 ? 0o755 : 0o644,
        line,
      });
  }
}

const INSTRUCTIONS_WITHOUT_EFFECT = new Set([
  'EXPOSE',
  'STOPSIGNAL',
  'VOLUME',
  'MAINTAINER',
  'ONBUILD',
]);

/**
 * Reads the final stage. Only what a daemonless writer can honour is accepted — `FROM scratch` with
 * COPY/ADD of local files, ENTRYPOINT, CMD, ENV, WORKDIR, LABEL, ARG — and everything else is a
 * precise error with its line (RUN and USER cannot work in an image without a shell or users).
 */
export function readFinalStage(file: string, context = path.dirname(file)): FinalStage {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DockerfileError(file, undefined, `cannot read it: ${(e as Error).message}`);
  }
  const instructions = DockerfileParser.parse(text).getInstructions();
  const froms = instructions.filter((i) => i.getKeyword() === 'FROM');
  if (froms.length === 0)
    throw new DockerfileError(file, undefined, 'there is no FROM instruction.');
  const lastFrom = froms[froms.length - 1] as From;
  const args = new Map<string, string>();
  for (const ins of instructions.filter(
    (i) => i.getKeyword() === 'ARG' && i.getRange().start.line < lastFrom.getRange().start.line,
  )) {
    const [name, value] = (ins.getArgumentsContent() ?? '').trim().split('=');
    if (name) args.set(name, value ?? '');
  }
  const image = lastFrom.getImageName();
  if (image !== 'scratch') {
    throw new DockerfileError(
      file,
      lastFrom.getRange().start.line,
      `the final stage builds FROM ${image}: only FROM scratch images (the module and its files) are built and run without a daemon; use docker build for others.`,
    );
  }
  const stage: FinalStage = {
    platform: lastFrom.getPlatformFlag()?.getValue() ?? undefined,
    files: [],
    env: {},
    labels: {},
  };
  const expand = (value: string) =>
    value.replace(
      /\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g,
      (_m, a: string | undefined, def: string | undefined, b: string) =>
        args.get(a ?? b) ?? stage.env[a ?? b] ?? def ?? '',
    );
  for (const ins of instructions.filter(
    (i) => i.getRange().start.line > lastFrom.getRange().start.line,
  )) {
    const keyword = ins.getKeyword();
    const line = ins.getRange().start.line;
    switch (keyword) {
      case 'RUN':
        throw new DockerfileError(
          file,
          line,
          'RUN in a FROM scratch stage cannot work (there is no shell or program to run); build artifacts in an earlier stage with docker build, or on the host.',
        );
      case 'USER':
        throw new DockerfileError(
          file,
          line,
          'USER is not supported here: a FROM scratch Wasm image has no users; remove it.',
        );
      case 'COPY':
      case 'ADD': {
        // dockerfile-ast keeps flags apart from the arguments
        if ((ins as unknown as { getFromFlag?(): unknown }).getFromFlag?.()) {
          throw new DockerfileError(
            file,
            line,
            `${keyword} --from copies from another stage, which only docker build can produce.`,
          );
        }
        const parts = copyOperands(ins).map((o) => expand(o.value));
        const dest = parts.at(-1);
        if (parts.length < 2 || dest === undefined)
          throw new DockerfileError(file, line, `${keyword} needs a source and a destination.`);
        for (const source of parts.slice(0, -1)) {
          if (/^https?:/.test(source))
            throw new DockerfileError(
              file,
              line,
              `${keyword} of a URL (${source}) needs the network; copy a local file.`,
            );
          const host = contextPath(context, source, file, line);
          const guestBase = path.posix.resolve('/', stage.workdir ?? '/', dest);
          if (statSync(host).isDirectory()) walk(context, host, guestBase, file, line, stage.files);
          else {
            const guest =
              dest.endsWith('/') || parts.length > 2
                ? path.posix.join(guestBase, path.basename(source))
                : guestBase;
            stage.files.push({
              host,
              guest,
              mode: statSync(host).mode & 0o111 ? 0o755 : 0o644,
              line,
            });
          }
        }
        break;
      }
      case 'ENV':
        for (const p of (
          ins as unknown as {
            getProperties(): Array<{ getName(): string; getValue(): string | null }>;
          }
        ).getProperties())
          stage.env[p.getName()] = expand(p.getValue() ?? '');
        break;
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(
          stage.workdir ?? '/',
          expand(ins.getArguments()[0]?.getValue() ?? '/'),
        );
        break;
      case 'LABEL':
        for (const p of (
          ins as unknown as {
            getProperties(): Array<{ getName(): string; getValue(): string | null }>;
          }
        ).getProperties())
          stage.labels[p.getName()] = expand(p.getValue() ?? '');
        break;
      case 'ARG': {
        const [name, value] = (ins.getArgumentsContent() ?? '').trim().split('=');
        if (name && !args.has(name)) args.set(name, value ?? '');
        break;
      }
      case 'ENTRYPOINT':
        stage.entrypoint = { args: execForm(ins, file, 'ENTRYPOINT').map(expand), line };
        break;
      case 'CMD':
        stage.cmd = { args: execForm(ins, file, 'CMD').map(expand), line };
        break;
      case 'HEALTHCHECK':
        throw new DockerfileError(
          file,
          line,
          'HEALTHCHECK runs a command in the container, which a FROM scratch image has none of; remove it.',
        );
      case 'SHELL':
        throw new DockerfileError(
          file,
          line,
          'SHELL has no effect without a shell in the image; remove it.',
        );
      default:
        if (!INSTRUCTIONS_WITHOUT_EFFECT.has(keyword))
          throw new DockerfileError(
            file,
            line,
            `${keyword} is not supported by the daemonless builder.`,
          );
    }
  }
  return stage;
}
