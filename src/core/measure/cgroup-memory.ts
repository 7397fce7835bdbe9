import { readFileSync } from 'node:fs';

/**
 * Files holding a container's peak memory (high-water mark), by cgroup layout: v1 (memory
 * controller under docker/), v2 with the systemd driver, v2 with the cgroupfs driver.
 */
export function cgroupPeakFiles(containerId: string, root = '/sys/fs/cgroup'): string[] {
  return [
    `${root}/memory/docker/${containerId}/memory.max_usage_in_bytes`,
    `${root}/memory/system.slice/docker-${containerId}.scope/memory.max_usage_in_bytes`,
    `${root}/system.slice/docker-${containerId}.scope/memory.peak`,
    `${root}/docker/${containerId}/memory.peak`,
  ];
}

export function cgroupCurrentFiles(containerId: string, root = '/sys/fs/cgroup'): string[] {
  return [
    `${root}/memory/docker/${containerId}/memory.usage_in_bytes`,
    `${root}/memory/system.slice/docker-${containerId}.scope/memory.usage_in_bytes`,
    `${root}/system.slice/docker-${containerId}.scope/memory.current`,
    `${root}/docker/${containerId}/memory.current`,
  ];
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
    if (value !== undefined && (this.peakBytes === undefined || value > this.peakBytes)) this.peakBytes = value;
  }
  stop(): number | undefined {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.peakBytes;
  }
}
