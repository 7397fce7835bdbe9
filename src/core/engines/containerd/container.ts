import os from 'node:os';
import { CgroupPeakPoller } from '../../measure/cgroup-memory';
import {
  failedSample,
  markerTimes,
  type MeasureOptions,
  type RunSample,
} from '../../measure/measured-run';
import { CancelledError, ProcessError } from '../../process/errors';
import { isAlive } from '../../process/kill-tree';
import type {
  ArtifactSize,
  Detection,
  RunIO,
  RunOutcome,
  RunSpec,
  RuntimeAdapter,
} from '../../runtimes/types';
import { MANAGED_LABEL, OWNER_LABEL, ownerValue } from '../labels';
import { type Ctr, EventLog } from './ctr';
import { imageEntrypoint, importArchive, isArchive } from './images';
import { daemonBinary } from './locate';
import { runtimeVersionText } from '../podman-runtime';

/** The runc shim runs runc, crun or youki (its BinaryName); runwasi shims are runtimes of their own. */
const RUNC_SHIM = 'io.containerd.runc.v2';
export const isShimRuntime = (name: string) => /^io\.containerd\.[\w-]+\.v\d+$/.test(name);
/** containerd-shim-<engine>-v1 for io.containerd.<engine>.v1 */
export const shimBinaryOf = (runtime: string) =>
  `containerd-shim-${runtime.split('.')[2]}-${runtime.split('.')[3]}`;

/** ctr's own log lines (containerd 2 on cgroup v1 warns on every call) are not the guest's stderr. */
export const withoutCtrNotices = (stderr: string) =>
  stderr.replace(/^time="[^"]*" level=(warning|info) msg=.*\n?/gm, '');

/** Containers of this process not removed yet (removed at shutdown, and swept after a crash). */
const liveContainers = new Map<string, Ctr>();
const eventLogs = new Map<string, EventLog>();
let sequence = 0;

function eventLogFor(ctr: Ctr): EventLog {
  let log = eventLogs.get(ctr.place.address);
  if (!log) {
    log = new EventLog(ctr);
    eventLogs.set(ctr.place.address, log);
  }
  return log;
}
process.once('exit', () => eventLogs.forEach((l) => l.close()));

/** Kills and deletes a container's task, then the container (each step may find it gone). */
async function removeContainer(ctr: Ctr, id: string): Promise<void> {
  await ctr.run(['tasks', 'kill', '--signal', 'SIGKILL', id]).catch(() => undefined);
  await ctr.run(['tasks', 'delete', '--force', id]).catch(() => undefined);
  await ctr.run(['containers', 'delete', id]).catch(() => undefined);
  liveContainers.delete(id);
}

export async function removeLiveContainerdContainers(): Promise<number> {
  const all = [...liveContainers];
  await Promise.all(all.map(([id, ctr]) => removeContainer(ctr, id)));
  return all.length;
}

/**
 * Removes containers this tool left in containerd: labelled as ours, created on this host by a
 * process that no longer exists (a crashed CLI or extension host). Those of running instances stay.
 */
export async function removeStaleContainerdContainers(ctr: Ctr): Promise<string[]> {
  const ids = (await ctr.ok(['containers', 'list', '--quiet', `labels."${MANAGED_LABEL}"==true`]))
    .split('\n')
    .filter(Boolean);
  const removed: string[] = [];
  for (const id of ids) {
    const info = JSON.parse(await ctr.ok(['containers', 'info', id]).catch(() => '{}')) as {
      Labels?: Record<string, string>;
    };
    const [host, pid] = (info.Labels?.[OWNER_LABEL] ?? '').split('/');
    if (host !== os.hostname() || !pid || isAlive(Number(pid))) continue;
    await removeContainer(ctr, id);
    removed.push(id);
  }
  return removed;
}

interface Execution {
  outcome: RunOutcome;
  firstOutputMs?: number;
  chunks: Array<[number, number]>;
  peakBytes?: number;
  /** ms from the ctr call; from containerd's events, when they arrived */
  marks?: { created: number; started: number; exited: number };
  endMs: number;
}

/**
 * Runs an image as a containerd container through `ctr run --rm`: natively under runc, crun or
 * youki (the runc shim with that binary), or a Wasm image under a runwasi shim
 * (io.containerd.wasmtime.v1). The container carries our labels and is always removed: after it
 * exits, on timeout, on cancel and on error. Phases come from containerd's own events.
 */
export class ContainerdRuntime implements RuntimeAdapter {
  readonly id: string;
  readonly displayName: string;

  constructor(
    private readonly ctr: Ctr,
    /** runc, crun, youki, or a shim runtime such as io.containerd.wasmtime.v1 */
    readonly ociRuntime: string,
    readonly runs: 'wasm' | 'native' = 'native',
  ) {
    this.id = `containerd-${ociRuntime}`;
    this.displayName = `containerd${runs === 'wasm' ? ' Wasm' : ''} (${ociRuntime})`;
  }

  /** The daemon's version, or why it cannot be reached. */
  async serverVersion(): Promise<string> {
    const out = await this.ctr.ok(['version'], { timeoutMs: 10_000 });
    return /Server:\s*\n\s*Version:\s*(\S+)/.exec(out)?.[1] ?? 'unknown';
  }

  /** The binary behind the runtime: the shim, or the OCI runtime the runc shim runs. */
  runtimeBinary(name = this.ociRuntime): string | undefined {
    if (name.startsWith('/')) return name;
    return daemonBinary(isShimRuntime(name) ? shimBinaryOf(name) : name);
  }

  async detect(): Promise<Detection> {
    let version: string;
    try {
      version = await this.serverVersion();
    } catch (e) {
      return {
        available: false,
        reason: `No containerd answers on ${this.ctr.place.address} (${(e as Error).message.split('\n')[0]}): run scripts/setup-containerd.sh`,
      };
    }
    if (!this.runtimeBinary()) {
      const binary = isShimRuntime(this.ociRuntime)
        ? shimBinaryOf(this.ociRuntime)
        : this.ociRuntime;
      const how =
        this.ociRuntime === 'io.containerd.wasmtime.v1'
          ? 'WITH_SHIM=1 bash scripts/setup-containerd.sh builds it (tools/containerd-shim-wasmtime)'
          : this.ociRuntime === 'youki'
            ? 'bash scripts/setup-containerd.sh builds it (crates.io youki)'
            : `install ${binary}`;
      return {
        available: false,
        reason: `containerd ${version}: ${binary} is not installed: ${how}.`,
      };
    }
    const refusal = await this.specRefusal(version);
    if (refusal) return { available: false, reason: refusal };
    return { available: true, version: `containerd ${version} / ${this.ociRuntime}` };
  }

  /**
   * crun checks the OCI spec version it is given: containerd 2 writes runtime-spec 1.2, which crun
   * before 1.15 refuses ("unknown version specified"; Debian 12's crun 1.8.1 says spec 1.0.0).
   */
  private async specRefusal(version: string): Promise<string | undefined> {
    if (this.ociRuntime !== 'crun' || Number(/^(\d+)/.exec(version)?.[1] ?? 0) < 2)
      return undefined;
    const text = await runtimeVersionText(this.runtimeBinary());
    const spec = /^spec: (\d+)\.(\d+)/m.exec(text);
    if (!spec || Number(spec[1]) > 1 || Number(spec[2]) >= 2) return undefined;
    return `containerd ${version} writes OCI runtime-spec 1.2, which ${text.split('\n')[0]} (spec ${spec[1]}.${spec[2]}) refuses ("unknown version specified"): install crun 1.15 or later.`;
  }

  /** Imports an image archive (the daemonless builder's) once, before the measured runs. */
  async prepare(spec: RunSpec, options: { signal?: AbortSignal } = {}): Promise<RunSpec> {
    if (!(await isArchive(spec.artifact))) return spec;
    const image = await importArchive(this.ctr, spec.artifact, this.runs, options.signal);
    return { ...spec, artifact: image.name };
  }

  async artifactSize(spec: RunSpec): Promise<ArtifactSize> {
    const ready = await this.prepare(spec);
    const out = await this.ctr.ok(['images', 'list', `name==${ready.artifact}`]);
    const row = out.split('\n')[1]?.trim();
    // an image that only another engine's store holds (Docker's, Podman's) is not ours to run
    if (!row) throw new Error(`containerd holds no image ${ready.artifact} (namespace of its own)`);
    const m = /\s([\d.]+)\s*(B|KiB|MiB|GiB)\s/.exec(row + ' ');
    const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[m?.[2] ?? 'B'] ?? 1;
    return { bytes: m ? Math.round(Number(m[1]) * unit) : NaN, what: 'image' };
  }

  /** `ctr run` arguments for one container (the image's platform is asked for Wasm images). */
  private runArgs(spec: RunSpec, id: string, entrypoint: string[]): string[] {
    const runtime = spec.ociRuntime ?? this.ociRuntime;
    const binary = this.runtimeBinary(runtime);
    const annotations =
      this.runs === 'wasm'
        ? { 'module.wasm.image/variant': 'compat', ...spec.annotations }
        : spec.annotations;
    return [
      'run',
      '--rm',
      ...(isShimRuntime(runtime)
        ? ['--runtime', runtime]
        : [
            '--runtime',
            RUNC_SHIM,
            ...(runtime !== 'runc' && binary ? ['--runc-binary', binary] : []),
          ]),
      ...(this.runs === 'wasm' ? ['--platform', 'wasi/wasm'] : []),
      '--label',
      `${MANAGED_LABEL}=true`,
      '--label',
      `${OWNER_LABEL}=${ownerValue()}`,
      ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      ...(spec.dirs ?? []).flatMap((d) => [
        '--mount',
        `type=bind,src=${d.host},dst=${d.guest},options=rbind:rw`,
      ]),
      ...(spec.cwd ? ['--cwd', spec.cwd] : []),
      ...(spec.memoryLimitBytes ? ['--memory-limit', String(spec.memoryLimitBytes)] : []),
      ...Object.entries(annotations ?? {}).flatMap(([k, v]) => ['--annotation', `${k}=${v}`]),
      spec.artifact,
      id,
      // ctr replaces the whole command line; Docker's args replace only the CMD
      ...(spec.args && spec.args.length > 0 ? [...entrypoint, ...spec.args] : []),
    ];
  }

  async run(spec: RunSpec, io: RunIO = {}): Promise<RunOutcome> {
    return (await this.execute(await this.prepare(spec, io), io, false)).outcome;
  }

  /** One `ctr run --rm`, split into create / start / run / remove by containerd's events. */
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
        wallMs: e.endMs,
        firstOutputMs: e.firstOutputMs,
        maxRssKb: e.peakBytes === undefined ? NaN : e.peakBytes / 1024,
        markers: markerTimes(e.outcome.stdout, e.chunks, options.markers ?? []),
        exact: false,
        memorySource: 'cgroup-polled',
        ...(e.marks
          ? {
              containerPhases: {
                create: e.marks.created,
                start: e.marks.started - e.marks.created,
                run: e.marks.exited - e.marks.started,
                remove: e.endMs - e.marks.exited,
              },
            }
          : {}),
        stdout: e.outcome.stdout,
        stderr: e.outcome.stderr,
      };
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      return failedSample((err as Error).message);
    }
  }

  private async execute(spec: RunSpec, io: RunIO, measure: boolean): Promise<Execution> {
    if (io.signal?.aborted) throw new CancelledError(`${this.id} ${spec.artifact}`);
    const id = `wc-${process.pid}-${++sequence}-${Date.now().toString(36)}`;
    const entrypoint = spec.args?.length ? await imageEntrypoint(this.ctr, spec.artifact) : [];
    const events = measure ? eventLogFor(this.ctr) : undefined;
    if (events) await events.acquire();
    const t0 = performance.now();
    const since = () => performance.now() - t0;
    let stdout = '';
    let firstOutputMs: number | undefined;
    const chunks: Array<[number, number]> = [];
    const poller = measure ? new CgroupPeakPoller(id) : undefined;
    liveContainers.set(id, this.ctr);
    let clean = false;
    try {
      const live =
        io.stdin === 'inherit' || (io.stdin && io.stdin !== 'ignore') ? io.stdin : undefined;
      const r = await this.ctr.run(this.runArgs(spec, id, entrypoint), {
        signal: io.signal,
        timeoutMs: spec.timeoutMs,
        ...(spec.stdin !== undefined ? { input: spec.stdin } : live ? { stdin: live } : {}),
        onSpawn: () => io.onStart?.(id),
        onStdout: (c) => {
          const t = since();
          firstOutputMs ??= t;
          stdout += c.toString('utf8');
          chunks.push([Buffer.byteLength(stdout), t * 1e6]);
          io.onStdout?.(c);
        },
        onStderr: (c) => io.onStderr?.(c),
        label: `ctr run (${this.id})`,
      });
      const endMs = since();
      const peakBytes = poller?.stop();
      // ctr's own failures (no such image, runtime not found) are not the guest's exit code
      const failure = /^ctr: (.*)$/m.exec(r.stderr);
      if (failure && r.exitCode !== 0)
        throw new Error(`ctr run under ${this.ociRuntime} failed: ${failure[1]}`);
      clean = true;
      const marks = events ? await this.marksOf(events, id, t0) : undefined;
      return {
        outcome: {
          runtime: this.id,
          exitCode: r.exitCode,
          signal: null,
          stdout,
          stderr: withoutCtrNotices(r.stderr),
          durationMs: endMs,
          id,
        },
        firstOutputMs,
        chunks,
        peakBytes,
        marks,
        endMs,
      };
    } catch (e) {
      if (e instanceof ProcessError && e.details.timedOut)
        throw new Error(
          `${spec.artifact} under ${this.ociRuntime} did not finish within ${spec.timeoutMs} ms; the container was killed and removed.`,
        );
      throw e;
    } finally {
      events?.release();
      poller?.stop();
      if (clean) liveContainers.delete(id);
      else await removeContainer(this.ctr, id);
    }
  }

  /** create / start / exit from containerd's events, as ms after t0 (performance clock). */
  private async marksOf(
    events: EventLog,
    id: string,
    t0: number,
  ): Promise<Execution['marks'] | undefined> {
    const times = await events.timesOf(
      id,
      ['/containers/create', '/tasks/start', '/tasks/exit'],
      10_000,
    );
    const at = (topic: string) => {
      const wall = times.get(topic);
      return wall === undefined ? undefined : wall - performance.timeOrigin - t0;
    };
    const [created, started, exited] = ['/containers/create', '/tasks/start', '/tasks/exit'].map(
      at,
    );
    if (created === undefined || started === undefined || exited === undefined) return undefined;
    return { created, started, exited };
  }
}
