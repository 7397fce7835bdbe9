import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { CgroupPeakPoller } from '../../measure/cgroup-memory';
import {
  failedSample,
  markerTimes,
  type MeasureOptions,
  type RunSample,
} from '../../measure/measured-run';
import { CancelledError } from '../../process/errors';
import { engineInfo, explainDockerError } from './client';
import { MANAGED_FILTER, MANAGED_LABEL, OWNER_LABEL, ownerValue } from '../labels';
import { isAlive } from '../../process/kill-tree';
import { libpodCreate } from '../podman-create';
import { requireAnnotationSupport, resolveOciRuntime } from './oci-choice';
import os from 'node:os';
import type {
  ArtifactSize,
  Detection,
  RunIO,
  RunOutcome,
  RunSpec,
  RuntimeAdapter,
} from '../../runtimes/types';

interface Execution {
  outcome: RunOutcome;
  /** ms from the create call: created, started, exited, removed */
  marks: { created: number; started: number; exited: number; removed: number };
  firstOutputMs?: number;
  chunks: Array<[number, number]>;
  peakBytes?: number;
}

/** Containers this process created and has not removed yet; removed on extension host exit. */
export const liveContainers = new Map<string, Docker.Container>();

/**
 * Containers whose removal failed because the engine could not be reached: removed as soon as it
 * answers again (before the next run, on the next engine contact, and at shutdown).
 */
const pendingRemovals = new Map<string, Docker.Container>();

const isGone = (e: unknown) => (e as { statusCode?: number }).statusCode === 404;

export async function retryPendingRemovals(): Promise<number> {
  let removed = 0;
  for (const [id, container] of [...pendingRemovals]) {
    try {
      await container.remove({ force: true });
      removed++;
      pendingRemovals.delete(id);
    } catch (e) {
      if (isGone(e)) pendingRemovals.delete(id);
    }
  }
  return removed;
}

export const pendingRemovalCount = () => pendingRemovals.size;

async function removeOrRemember(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true });
  } catch (e) {
    if (!isGone(e)) pendingRemovals.set(container.id, container);
  }
}

/**
 * Removes containers this tool left behind: labelled as ours, created on this host by a process that
 * no longer exists (a crashed extension host or CLI). Containers of a running instance are kept.
 */
export async function removeStaleContainers(docker: Docker): Promise<string[]> {
  const removed: string[] = [];
  const host = os.hostname();
  for (const info of await docker.listContainers({ all: true, filters: MANAGED_FILTER })) {
    const [ownerHost, ownerPid] = (info.Labels?.[OWNER_LABEL] ?? '').split('/');
    if (ownerHost !== host || !ownerPid || isAlive(Number(ownerPid))) continue;
    await docker
      .getContainer(info.Id)
      .remove({ force: true })
      .then(
        () => removed.push(info.Id),
        () => undefined,
      );
  }
  return removed;
}

export async function removeLiveContainers(): Promise<number> {
  const all = [...liveContainers.values()];
  await Promise.all(all.map((c) => c.remove({ force: true }).catch(() => undefined)));
  liveContainers.clear();
  await retryPendingRemovals();
  return all.length;
}

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
    // crun serves Podman both ways (native, and wasm through its Wasm handler): the ids must differ
    this.id = `${engine}-${ociRuntime}${runs === 'wasm' && !ociRuntime.startsWith('io.containerd.') ? '-wasm' : ''}`;
    this.displayName = `${engine === 'podman' ? 'Podman' : 'Docker'}${runs === 'wasm' ? ' Wasm' : ''} (${ociRuntime})`;
  }

  async detect(): Promise<Detection> {
    try {
      const info = await engineInfo(this.docker);
      const runtimes = Object.keys(info.runtimes);
      if (!runtimes.includes(this.ociRuntime)) {
        const where =
          this.engine === 'podman'
            ? 'containers.conf under [engine.runtimes]'
            : '/etc/docker/daemon.json under "runtimes" and reload dockerd';
        return {
          available: false,
          reason: `${this.engine} ${info.serverVersion} has no runtime '${this.ociRuntime}' (it has ${runtimes.join(', ')}). Register it in ${where}.`,
        };
      }
      return {
        available: true,
        version: `${this.engine} ${info.serverVersion} / ${this.ociRuntime}`,
      };
    } catch (e) {
      return { available: false, reason: explainDockerError(e) };
    }
  }

  async artifactSize(spec: RunSpec): Promise<ArtifactSize> {
    const info = await this.docker.getImage(spec.artifact).inspect();
    return { bytes: info.Size, what: 'image' };
  }

  async run(spec: RunSpec, io: RunIO = {}): Promise<RunOutcome> {
    return (await this.execute(spec, io, false)).outcome;
  }

  /** A `docker run --rm` equivalent, timed step by step, with the cgroup's peak memory. */
  async measure(spec: RunSpec, options: MeasureOptions = {}): Promise<RunSample> {
    try {
      const e = await this.execute(
        { ...spec, timeoutMs: options.timeoutMs ?? spec.timeoutMs },
        { signal: options.signal },
        true,
      );
      return {
        exitCode: e.outcome.exitCode,
        signal: null,
        wallMs: e.marks.removed,
        firstOutputMs: e.firstOutputMs,
        maxRssKb: e.peakBytes === undefined ? NaN : e.peakBytes / 1024,
        markers: markerTimes(e.outcome.stdout, e.chunks, options.markers ?? []),
        exact: false,
        memorySource: 'cgroup-polled',
        containerPhases: {
          create: e.marks.created,
          start: e.marks.started - e.marks.created,
          run: e.marks.exited - e.marks.started,
          remove: e.marks.removed - e.marks.exited,
        },
        stdout: e.outcome.stdout,
        stderr: e.outcome.stderr,
      };
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      return failedSample((err as Error).message);
    }
  }

  /** The annotations a run asks for: the Wasm variant for Wasm images, then the spec's own. */
  private annotationsFor(spec: RunSpec): Record<string, string> {
    // crun's Wasm handlers (and runwasi's compat mode) look for this annotation
    const base: Record<string, string> =
      this.runs === 'wasm' ? { 'module.wasm.image/variant': 'compat' } : {};
    return { ...base, ...(spec.annotations ?? {}) };
  }

  private async create(spec: RunSpec, withStdin: boolean): Promise<Docker.Container> {
    const runtime = await resolveOciRuntime(this.docker, this.engine, this.ociRuntime, spec);
    const annotations = this.annotationsFor(spec);
    const labels = { [MANAGED_LABEL]: 'true', [OWNER_LABEL]: ownerValue() };
    const asked = Object.keys(spec.annotations ?? {}).length > 0;
    if (asked && this.engine === 'podman') {
      const id = await libpodCreate(this.docker, {
        image: spec.artifact,
        spec,
        labels,
        stdin: withStdin,
        annotations,
      });
      return this.docker.getContainer(id);
    }
    if (asked) await requireAnnotationSupport(this.docker);
    return this.docker.createContainer({
      Image: spec.artifact,
      Cmd: spec.args && spec.args.length > 0 ? spec.args : undefined,
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      WorkingDir: spec.cwd,
      Labels: labels,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: withStdin,
      StdinOnce: withStdin,
      HostConfig: {
        Runtime: runtime,
        Binds: (spec.dirs ?? []).map((d) => `${d.host}:${d.guest}`),
        NetworkMode: 'none',
        ...(spec.memoryLimitBytes ? { Memory: spec.memoryLimitBytes } : {}),
        // Podman asks for nofile/nproc limits above the hard limits of nested hosts (CI sandboxes,
        // containers), and its runtime's setrlimit then fails: ask for Docker's usual soft limits
        ...(this.engine === 'podman'
          ? {
              Ulimits: [
                { Name: 'nofile', Soft: 1024, Hard: 1024 },
                { Name: 'nproc', Soft: 1024, Hard: 1024 },
              ],
            }
          : {}),
        // engines before API 1.43 ignore the field (asked-for annotations were checked above)
        ...(Object.keys(annotations).length > 0 ? { Annotations: annotations } : {}),
      },
      ...(this.platform ? { platform: this.platform } : {}),
    });
  }

  private async execute(spec: RunSpec, io: RunIO, measure: boolean): Promise<Execution> {
    if (io.signal?.aborted) throw new CancelledError(`${this.id} ${spec.artifact}`);
    if (pendingRemovals.size > 0) await retryPendingRemovals();
    const t0 = performance.now();
    const since = () => performance.now() - t0;
    // live input (the CLI's own stdin, the editor's terminal) or a fixed one goes to the container's stdin
    const live =
      io.stdin === 'inherit' ? process.stdin : io.stdin === 'ignore' ? undefined : io.stdin;
    const withStdin = spec.stdin !== undefined || live !== undefined;
    let container: Docker.Container;
    try {
      container = await this.create(spec, withStdin);
    } catch (e) {
      throw new Error(
        `Creating a container of ${spec.artifact} under ${spec.ociRuntime ?? this.ociRuntime} failed: ${explainDockerError(e)}`,
      );
    }
    liveContainers.set(container.id, container);
    const created = since();
    let stdout = '';
    let stderr = '';
    let firstOutputMs: number | undefined;
    const chunks: Array<[number, number]> = [];
    let timer: NodeJS.Timeout | undefined;
    let poller: CgroupPeakPoller | undefined;
    let stopReason: 'cancelled' | 'timeout' | undefined;
    const stop = (reason: 'cancelled' | 'timeout') => {
      stopReason = reason;
      container.kill().catch(() => {
        /* already stopped */
      });
    };
    const onAbort = () => stop('cancelled');
    try {
      const stream = await container.attach({
        stream: true,
        stdout: true,
        stderr: true,
        stdin: withStdin,
        hijack: withStdin,
      });
      const out = new PassThrough();
      const err = new PassThrough();
      out.on('data', (c: Buffer) => {
        const t = since();
        firstOutputMs ??= t;
        stdout += c.toString('utf8');
        chunks.push([Buffer.byteLength(stdout), t * 1e6]);
        io.onStdout?.(c);
      });
      err.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
        io.onStderr?.(c);
      });
      this.docker.modem.demuxStream(stream, out, err);
      const ended = new Promise<void>((resolve) =>
        stream
          .on('end', resolve)
          .on('close', resolve)
          .on('error', () => resolve()),
      );
      io.signal?.addEventListener('abort', onAbort, { once: true });
      if (spec.timeoutMs !== undefined) timer = setTimeout(() => stop('timeout'), spec.timeoutMs);
      await container.start();
      const started = since();
      io.onStart?.(container.id);
      if (measure) poller = new CgroupPeakPoller(container.id);
      if (spec.stdin !== undefined) (stream as NodeJS.WritableStream).end(spec.stdin);
      else if (live) live.pipe(stream); // its end half-closes: the guest reads EOF
      const exit = (await container.wait()) as { StatusCode: number };
      const exited = since();
      const peakBytes = poller?.stop();
      // the attach stream normally ends with the container; do not wait on it forever
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        ended,
        new Promise((r) => {
          grace = setTimeout(r, 2000);
        }),
      ]);
      clearTimeout(grace);
      if (stopReason === 'cancelled') throw new CancelledError(`${this.id} ${spec.artifact}`);
      if (stopReason === 'timeout')
        throw new Error(
          `${spec.artifact} under ${this.ociRuntime} did not finish within ${spec.timeoutMs} ms; the container was killed and removed.`,
        );
      await container.remove({ force: true });
      liveContainers.delete(container.id);
      const removed = since();
      return {
        outcome: {
          runtime: this.id,
          exitCode: exit.StatusCode,
          signal: null,
          stdout,
          stderr,
          durationMs: removed,
          id: container.id,
        },
        marks: { created, started, exited, removed },
        firstOutputMs,
        chunks,
        peakBytes,
      };
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      throw new Error(
        `Running ${spec.artifact} under ${this.ociRuntime} failed: ${explainDockerError(e)}${stderr ? `\nstderr:\n${stderr.trimEnd()}` : ''}`,
      );
    } finally {
      poller?.stop();
      if (live) live.unpipe(); // the container is gone: stop reading the caller's input for it
      if (timer) clearTimeout(timer);
      io.signal?.removeEventListener('abort', onAbort);
      if (liveContainers.has(container.id)) {
        liveContainers.delete(container.id);
        await removeOrRemember(container);
      }
    }
  }
}
