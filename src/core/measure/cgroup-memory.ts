import { readFileSync } from 'node:fs';

/**
 * A container's cgroup directories, by layout: v1 (the memory controller) and v2, Docker's
 * cgroupfs (docker/<id>) and systemd (docker-<id>.scope) drivers, Podman's cgroupfs
 * (libpod_parent/libpod-<id>) and systemd (machine.slice/libpod-<id>.scope) drivers.
 */
function cgroupDirs(containerId: string, root: string): Array<{ dir: string; v1: boolean }> {
  const places = [
    `docker/${containerId}`,
    `system.slice/docker-${containerId}.scope`,
    `libpod_parent/libpod-${containerId}`,
    `machine.slice/libpod-${containerId}.scope`,
    // containerd through ctr: /<namespace>/<id> (this tool's namespace, src/core/engines/containerd)
    `wasm-containers/${containerId}`,
  ];
  return [
    ...places.map((p) => ({ dir: `${root}/memory/${p}`, v1: true })),
    ...places.map((p) => ({ dir: `${root}/${p}`, v1: false })),
  ];
}

/** Files holding a container's peak memory (high-water mark). */
export function cgroupPeakFiles(containerId: string, root = '/sys/fs/cgroup'): string[] {
  return cgroupDirs(containerId, root).map(
    ({ dir, v1 }) => `${dir}/${v1 ? 'memory.max_usage_in_bytes' : 'memory.peak'}`,
  );
}

export function cgroupCurrentFiles(containerId: string, root = '/sys/fs/cgroup'): string[] {
  return cgroupDirs(containerId, root).map(
    ({ dir, v1 }) => `${dir}/${v1 ? 'memory.usage_in_bytes' : 'memory.current'}`,
  );
}

/** The first readable number among the files, in bytes. */
export function readFirstNumber(files: string[]): number | undefined {
  for (const file of files) {
    try {
      const value = Number(readFileSync(file, 'utf8').trim());
      if (Number.isFinite(value)) return value;
    } catch {
      // not this layout
    }
  }
  return undefined;
}

/**
 * Polls a container's cgroup peak while it runs. The cgroup vanishes when the container exits, so
 * the last reading is what we have: exact for runs longer than the interval, absent for shorter.
 */
export class CgroupPeakPoller {
  private peakBytes: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly files: string[];
  constructor(containerId: string, intervalMs = 2) {
    this.files = cgroupPeakFiles(containerId);
    this.timer = setInterval(() => this.poll(), intervalMs);
  }
  poll(): void {
    const value = readFirstNumber(this.files);
    if (value !== undefined && (this.peakBytes === undefined || value > this.peakBytes))
      this.peakBytes = value;
  }
  stop(): number | undefined {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.peakBytes;
  }
}
