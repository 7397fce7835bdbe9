import { runProcess, type ProcessResult, type RunProcessOptions } from '../../process/run-process';
import { NAMESPACE, type ContainerdPlace } from './locate';

/**
 * containerd is driven through `ctr`, its own client, started by the one process helper: no gRPC
 * stack in the extension (containerd's API is protobuf over gRPC on a unix socket, with streaming
 * I/O over FIFOs the client must create), and exactly the behaviour a user gets typing the command.
 */
export class Ctr {
  constructor(readonly place: Required<ContainerdPlace>) {}

  argv(args: readonly string[]): string[] {
    return ['--address', this.place.address, '--namespace', NAMESPACE, ...args];
  }

  run(args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
    return runProcess(this.place.ctr, this.argv(args), {
      timeoutMs: 60_000,
      label: `ctr ${args[0] ?? ''}`,
      ...options,
    });
  }

  /** ctr that must succeed: its stderr in the error otherwise. */
  async ok(args: readonly string[], options: RunProcessOptions = {}): Promise<string> {
    const r = await this.run(args, options);
    if (r.exitCode !== 0)
      throw new Error(`ctr ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
    return r.stdout;
  }
}

/** One containerd event as `ctr events` prints it: its wall time (ms), topic and payload. */
export interface ContainerdEvent {
  wallMs: number;
  topic: string;
  containerId?: string;
}

/** Parses `2026-12-02 13:39:13.135734946 +0000 UTC ns /tasks/start {"container_id":"t5",…}`. */
export function parseEventLine(line: string): ContainerdEvent | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? \+0000 UTC \S+ (\/\S+) (\{.*\})$/.exec(
    line.trim(),
  );
  if (!m) return undefined;
  const wallMs = Date.parse(`${m[1]}T${m[2]}Z`) + Number(m[3] ?? 0) * 1000;
  let payload: { container_id?: string; id?: string } = {};
  try {
    payload = JSON.parse(m[5]) as typeof payload;
  } catch {
    // a payload we cannot read still has its topic and time
  }
  const containerId = m[4].startsWith('/containers/') ? payload.id : payload.container_id;
  return { wallMs, topic: m[4], containerId };
}

/**
 * containerd's own record of each container's life (/containers/create, /tasks/start, /tasks/exit,
 * /containers/delete), from one long-lived `ctr events`: the daemon's timestamps split a run into
 * create, start, run and remove, which one `ctr run --rm` cannot show from outside.
 */
export class EventLog {
  private readonly byContainer = new Map<string, Map<string, number>>();
  private readonly waiters = new Set<() => void>();
  private stop: AbortController | undefined;
  private subscribed: Promise<boolean> | undefined;
  private idle: NodeJS.Timeout | undefined;
  private eventCount = 0;
  private buffer = '';

  constructor(
    private readonly ctr: Ctr,
    /** The subscriber ends this long after the last use (it would keep a CLI alive). */
    private readonly idleMs = 2000,
  ) {}

  private users = 0;

  /**
   * Subscribes (once) for one more run, and resolves when events are seen to flow (false if they
   * do not). The subscriber lives while a run holds it; release() it when the run is over.
   */
  acquire(): Promise<boolean> {
    this.users++;
    clearTimeout(this.idle);
    if (this.subscribed) return this.subscribed;
    const stop = new AbortController();
    this.stop = stop;
    this.ctr
      .run(['events'], {
        signal: stop.signal,
        timeoutMs: undefined,
        maxBufferBytes: 0,
        onStdout: (chunk) => this.take(chunk.toString('utf8')),
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.stop === stop) this.reset();
      });
    this.subscribed = this.probe();
    return this.subscribed;
  }

  /** Makes an event of our own (a namespace label) until the subscriber prints one. */
  private async probe(): Promise<boolean> {
    for (let i = 0; i < 10; i++) {
      const before = this.eventCount;
      await this.ctr.run(['namespaces', 'label', NAMESPACE, `io.wasm-containers.events=${i}`]);
      if (await this.until(() => this.eventCount > before, 500)) return true;
    }
    return false;
  }

  /** The run is over: the subscriber ends idleMs after the last run (it would keep a CLI alive). */
  release(): void {
    this.users = Math.max(0, this.users - 1);
    clearTimeout(this.idle);
    if (this.users === 0) this.idle = setTimeout(() => this.close(), this.idleMs);
  }

  private reset(): void {
    this.stop = undefined;
    this.subscribed = undefined;
    this.buffer = '';
  }

  private take(text: string): void {
    this.buffer += text;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const e = parseEventLine(line);
      if (e) this.eventCount++;
      if (!e?.containerId) continue;
      const topics = this.byContainer.get(e.containerId) ?? new Map<string, number>();
      topics.set(e.topic, e.wallMs);
      this.byContainer.set(e.containerId, topics);
    }
    for (const w of [...this.waiters]) w();
  }

  private until(test: () => boolean, ms: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve(test());
      }, ms);
      this.waiters.add(done);
    });
  }

  /**
   * The container's events by topic (wall ms), once all of `topics` arrived or `ms` passed: they do
   * not come in order (containerd 2 forwards the shim's /tasks/exit after ctr run --rm has already
   * deleted the container).
   */
  async timesOf(id: string, topics: string[], ms: number): Promise<Map<string, number>> {
    await this.until(() => topics.every((t) => this.byContainer.get(id)?.has(t)), ms);
    const times = this.byContainer.get(id) ?? new Map<string, number>();
    this.byContainer.delete(id);
    return times;
  }

  close(): void {
    clearTimeout(this.idle);
    this.stop?.abort();
    this.reset();
  }
}
