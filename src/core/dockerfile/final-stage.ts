import path from 'node:path';
import { DockerfileError, readDockerfileFile, resolveSource, type Stage } from './model';

export { DockerfileError };

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
  /** The program the entrypoint names, resolved against WORKDIR (see model.ts). */
  program?: Stage['program'];
}

/** A source inside the build context, or an error: `..`, absolute paths and symlinks out of it are refused. */
export function contextPath(context: string, source: string, file: string, line: number): string {
  const found = resolveSource(context, source);
  if ('problem' in found) throw new DockerfileError(file, line, `COPY source ${found.problem}.`);
  return found.files[0] ?? path.resolve(context, source);
}

/** What a daemonless writer cannot honour in a FROM scratch stage, and why. */
const REFUSED: Record<string, string> = {
  RUN: 'RUN in a FROM scratch stage cannot work (there is no shell or program to run); build artifacts in an earlier stage with docker build, or on the host.',
  USER: 'USER is not supported here: a FROM scratch Wasm image has no users; remove it.',
  HEALTHCHECK:
    'HEALTHCHECK runs a command in the container, which a FROM scratch image has none of; remove it.',
  SHELL: 'SHELL has no effect without a shell in the image; remove it.',
};
const ACCEPTED = new Set([
  'COPY',
  'ADD',
  'ENTRYPOINT',
  'CMD',
  'ENV',
  'WORKDIR',
  'LABEL',
  'ARG',
  'EXPOSE',
  'STOPSIGNAL',
  'VOLUME',
  'MAINTAINER',
  'ONBUILD',
]);

/**
 * The final stage, read strictly from the one Dockerfile model. Only what a daemonless writer can
 * honour is accepted — `FROM scratch` with COPY/ADD of local files, ENTRYPOINT, CMD, ENV, WORKDIR,
 * LABEL, ARG — and everything else is a precise error with its line.
 */
export function readFinalStage(file: string, context = path.dirname(file)): FinalStage {
  const stage = readDockerfileFile(file, { mode: 'strict', context }).final!;
  const fromLine = stage.from.getRange().start.line;
  if (stage.image !== 'scratch')
    throw new DockerfileError(
      file,
      fromLine,
      `the final stage builds FROM ${stage.image}: only FROM scratch images (the module and its files) are built and run without a daemon; use docker build for others.`,
    );
  for (const ins of stage.instructions) {
    const keyword = ins.getKeyword();
    const line = ins.getRange().start.line;
    if (REFUSED[keyword]) throw new DockerfileError(file, line, REFUSED[keyword]);
    if (!ACCEPTED.has(keyword))
      throw new DockerfileError(
        file,
        line,
        `${keyword} is not supported by the daemonless builder.`,
      );
  }
  return {
    ...(stage.platform ? { platform: stage.platform } : {}),
    files: stage.files.map(({ host, guest, mode, line }) => ({ host, guest, mode, line })),
    ...(stage.entrypoint
      ? { entrypoint: { args: stage.entrypoint.args, line: stage.entrypoint.line } }
      : {}),
    ...(stage.cmd ? { cmd: { args: stage.cmd.args, line: stage.cmd.line } } : {}),
    env: stage.env,
    ...(stage.workdir ? { workdir: stage.workdir } : {}),
    labels: stage.labels,
    ...(stage.program ? { program: stage.program } : {}),
  };
}
