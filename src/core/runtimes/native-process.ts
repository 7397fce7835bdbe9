import { isExecutableFile } from './find-executable';
import type { CommandLine, MeasureOptions, RunSample } from '../measure/measured-run';
import { fileSize, measureProcessRuntime } from './process-measure';
import { runCommandLine } from './run-command-line';
import type {
  ArtifactSize,
  Detection,
  ProcessRuntimeAdapter,
  RunIO,
  RunOutcome,
  RunSpec,
} from './types';

/** The native counterpart run directly as a process: the baseline every container is compared with. */
export class NativeProcessRuntime implements ProcessRuntimeAdapter {
  readonly id = 'process';
  readonly displayName = 'Native process';
  readonly runs = 'native' as const;

  detect(): Promise<Detection> {
    return Promise.resolve({ available: true, version: `${process.platform}/${process.arch}` });
  }

  commandLine(spec: RunSpec): CommandLine {
    if (!isExecutableFile(spec.artifact)) {
      throw new Error(
        `${spec.artifact} is not an executable file: build the native twin (e.g. gcc -static) or chmod +x it.`,
      );
    }
    return {
      file: spec.artifact,
      args: spec.args ?? [],
      env: { ...process.env, ...(spec.env ?? {}) },
      cwd: spec.cwd,
    };
  }

  async run(spec: RunSpec, io: RunIO = {}): Promise<RunOutcome> {
    return runCommandLine(this.id, this.commandLine(spec), spec, io);
  }
  measure(spec: RunSpec, options?: MeasureOptions): Promise<RunSample> {
    return measureProcessRuntime(this, spec, options);
  }

  artifactSize(spec: RunSpec): Promise<ArtifactSize> {
    return fileSize(spec);
  }
}
