import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { CancelledError } from '../process/errors';
import { explainDockerError } from './docker-client';
import { MANAGED_LABEL } from './docker-labels';
import type { Detection, RunIO, RunOutcome, RunSpec, RuntimeAdapter } from './types';

/**
 * Runs an image as a container under one OCI runtime of a Docker-API engine (runc, crun, runsc,
 * kata, or a runwasi shim such as io.containerd.wasmtime.v1). The container is always removed:
 * after it exits, on timeout, on cancel and on error.
 */
export class DockerContainerRuntime implements RuntimeAdapter {
  readonly id: string;
  readonly displayName: string;

  constructor(
    private readonly docker: Docker,
    readonly ociRuntime: string,
    readonly runs: 'wasm' | 'native' = 'native',
    private readonly platform?: string,
    readonly engine: 'docker' | 'podman' = 'docker',
  ) {
    this.id = `${engine}-${ociRuntime}`;
    this.displayName = `${engine === 'podman' ? 'Podman' : 'Docker'}${runs === 'wasm' ? ' Wasm' : ''} (${ociRuntime})`;
  }

  async detect(): Promise<Detection> {
    try {
      const info = await this.docker.info();
      const runtimes = Object.keys(info.Runtimes ?? {});
      if (!runtimes.includes(this.ociRuntime)) {
        return { available: false, reason: `${this.engine} ${info.ServerVersion} has no runtime '${this.ociRuntime}' (it has ${runtimes.join(', ')}). Register it in /etc/docker/daemon.json under "runtimes" and reload dockerd.` };
      }
      return { available: true, version: `${this.engine} ${info.ServerVersion} / ${this.ociRuntime}` };
    } catch (e) {
      return { available: false, reason: explainDockerError(e) };
    }
  }

  async run(spec: RunSpec, io: RunIO = {}): Promise<RunOutcome> {
    if (io.signal?.aborted) throw new CancelledError(`${this.id} ${spec.artifact}`);
    const started = performance.now();
    const container = await this.docker.createContainer({
      Image: spec.artifact,
      Cmd: spec.args && spec.args.length > 0 ? spec.args : undefined,
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      WorkingDir: spec.cwd,
      Labels: { [MANAGED_LABEL]: 'true' },
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: spec.stdin !== undefined,
      StdinOnce: spec.stdin !== undefined,
      HostConfig: {
        Runtime: this.ociRuntime,
        Binds: (spec.dirs ?? []).map((d) => `${d.host}:${d.guest}`),
        NetworkMode: 'none',
      },
      ...(this.platform ? { platform: this.platform } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let stopReason: 'cancelled' | 'timeout' | undefined;
    const stop = (reason: 'cancelled' | 'timeout') => {
      stopReason = reason;
      container.kill().catch(() => { /* already stopped */ });
    };
    const onAbort = () => stop('cancelled');
    try {
      const stream = await container.attach({ stream: true, stdout: true, stderr: true, stdin: spec.stdin !== undefined, hijack: spec.stdin !== undefined });
      const out = new PassThrough();
      const err = new PassThrough();
      out.on('data', (c: Buffer) => { stdout += c.toString('utf8'); io.onStdout?.(c); });
      err.on('data', (c: Buffer) => { stderr += c.toString('utf8'); io.onStderr?.(c); });
      this.docker.modem.demuxStream(stream, out, err);
      const ended = new Promise<void>((resolve) => stream.on('end', resolve).on('close', resolve).on('error', () => resolve()));
      io.signal?.addEventListener('abort', onAbort, { once: true });
      if (spec.timeoutMs !== undefined) timer = setTimeout(() => stop('timeout'), spec.timeoutMs);
      await container.start();
      if (spec.stdin !== undefined) (stream as NodeJS.WritableStream).end(spec.stdin);
      const exit = (await container.wait()) as { StatusCode: number };
      await Promise.race([ended, new Promise((r) => setTimeout(r, 2000))]);
      if (stopReason === 'cancelled') throw new CancelledError(`${this.id} ${spec.artifact}`);
      if (stopReason === 'timeout') throw new Error(`${spec.artifact} under ${this.ociRuntime} did not finish within ${spec.timeoutMs} ms; the container was killed and removed.`);
      return { runtime: this.id, exitCode: exit.StatusCode, signal: null, stdout, stderr, durationMs: performance.now() - started, id: container.id };
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      const message = explainDockerError(e);
      throw new Error(`Running ${spec.artifact} under ${this.ociRuntime} failed: ${message}${stderr ? `\nstderr:\n${stderr.trimEnd()}` : ''}`);
    } finally {
      if (timer) clearTimeout(timer);
      io.signal?.removeEventListener('abort', onAbort);
      await container.remove({ force: true }).catch(() => { /* removed already */ });
    }
  }
}
