import { isExecutableFile } from './find-executable';
import type { CommandLine } from '../measure/measured-run';
import { ProcessRuntime } from './process-measure';
import type { Detection, RunSpec } from './types';

/** The native counterpart run directly as a process: the baseline every container is compared with. */
export class NativeProcessRuntime extends ProcessRuntime {
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
}
