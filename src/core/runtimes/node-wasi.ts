import { readFile } from 'node:fs/promises';
import { bundledFile } from '../paths';
import { nodeVerdict, nodeVerdictInBackground } from './node-validate';
import { runProcess } from '../process/run-process';
import { cachedAnswer } from '../process/version-cache';
import type { CommandLine } from '../measure/measured-run';
import { ProcessRuntime } from './process-measure';
import type { NodeProbe } from '../wasm/runtime-support';
import type { Detection, RunSpec } from './types';

export interface NodeWasiOptions {
  /** Node executable; default: the running one (Electron is switched to plain Node). */
  nodePath?: string;
}

/** From this size on, Node's in-process verdict runs on V8's threads (see probe). */
const BACKGROUND_VERDICT_MIN = 1 << 20;

/** The embedded default runtime: Node's built-in WASI preview1, always present. */
export class NodeWasiRuntime extends ProcessRuntime {
  readonly id = 'node-wasi';
  readonly displayName = 'Node.js WASI (preview1)';
  readonly runs = 'wasm' as const;

  constructor(private readonly options: NodeWasiOptions = {}) {
    super();
  }

  private nodeExecutable(): { file: string; env: NodeJS.ProcessEnv } {
    if (this.options.nodePath) return { file: this.options.nodePath, env: {} };
    // Under Electron (desktop VS Code) execPath is the editor itself: make it behave as Node.
    return {
      file: process.execPath,
      env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
    };
  }

  async detect(): Promise<Detection> {
    const { file, env } = this.nodeExecutable();
    if (file === process.execPath)
      return { available: true, version: `node ${process.versions.node}` };
    try {
      // the one process helper: argv, timeout, stderr in the error
      const version = (
        await cachedAnswer(file, ['--version'], {
          env: { ...process.env, ...env },
          timeoutMs: 10_000,
          check: true,
        })
      ).stdout.trim();
      return { available: true, version: `node ${version.replace(/^v/, '')}` };
    } catch (e) {
      return {
        available: false,
        reason: `${file} --version failed (${(e as Error).message.split('\n')[0]}): the Node configured for running modules does not work: name another, or none to use the default one.`,
      };
    }
  }

  /**
   * WebAssembly.validate of the module in the Node that would run it (the configured one). When
   * that is this process and `bytes` are given, V8's verdict starts before this returns (see
   * nodeVerdictInBackground), so a caller can decode the module meanwhile.
   */
  probe(
    file: string,
    signal?: AbortSignal,
    options: { inProcess?: boolean; bytes?: Uint8Array } = {},
  ): Promise<NodeProbe> {
    const { file: node, env } = this.nodeExecutable();
    // the Node that would run it is this one (the CLI): its V8 answers here, without a second start
    if (options.inProcess && node === process.execPath) {
      const { bytes } = options;
      // V8's asynchronous compile ends with work on this thread (~5–8 ms here, whatever the
      // size) that waits until the thread is free; WebAssembly.validate costs ~6 ms per MB on it
      if (bytes && bytes.length < BACKGROUND_VERDICT_MIN)
        return Promise.resolve(nodeVerdict(bytes as Uint8Array<ArrayBuffer>));
      return bytes ? nodeVerdictInBackground(bytes) : readFile(file).then(nodeVerdictInBackground);
    }
    return this.probeProcess(node, env, file, signal);
  }

  private async probeProcess(
    node: string,
    env: NodeJS.ProcessEnv,
    file: string,
    signal?: AbortSignal,
  ): Promise<NodeProbe> {
    const r = await runProcess(
      node,
      ['--no-warnings', bundledFile('node-wasi-runner.js'), '--validate', file],
      {
        env: { ...process.env, ...env },
        timeoutMs: 60_000,
        check: true,
        signal,
        label: 'node --validate',
      },
    );
    return JSON.parse(r.stdout) as NodeProbe;
  }

  commandLine(spec: RunSpec): CommandLine {
    const { file, env } = this.nodeExecutable();
    const args = ['--no-warnings', bundledFile('node-wasi-runner.js')];
    for (const dir of spec.dirs ?? []) args.push('--dir', `${dir.host}::${dir.guest}`);
    for (const [key, value] of Object.entries(spec.env ?? {}))
      args.push('--env', `${key}=${value}`);
    args.push('--', spec.artifact, ...(spec.args ?? []));
    return { file, args, env: { ...process.env, ...env }, cwd: spec.cwd };
  }
}
