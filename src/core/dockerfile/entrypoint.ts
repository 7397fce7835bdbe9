import path from 'node:path';
import { fileStartsWithWasmMagic } from '../wasm/header';
import { DockerfileError, readFinalStage } from './final-stage';

export { DockerfileError };
export { isDockerfileName } from './dockerfile-name';

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

/**
 * Reads the final stage of a Dockerfile whose image is `FROM scratch` plus copied files, and finds
 * the program its entrypoint runs on the host (the build context is the Dockerfile's folder unless
 * given). Only such images can be run without building them; anything else gets a precise error.
 */
export function resolveEntrypoint(file: string, context = path.dirname(file)): ContainerEntrypoint {
  const stage = readFinalStage(file, context);
  const program = stage.program;
  if (!program)
    throw new DockerfileError(
      file,
      undefined,
      'the final stage has no ENTRYPOINT or CMD: add ENTRYPOINT ["/app.wasm"].',
    );
  // the model refuses an entrypoint nothing was copied to; this is its file on the host
  const copied = program.file!;
  return {
    kind: program.kind ?? (fileStartsWithWasmMagic(copied.host) ? 'wasm' : 'native'),
    artifact: copied.host,
    guestPath: program.guestPath,
    args: program.argv.slice(1),
    env: stage.env,
    workdir: stage.workdir,
    platform: stage.platform,
    line: program.line,
  };
}
