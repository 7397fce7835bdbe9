import { readFileSync } from 'node:fs';
import { descendantsOf, processTable } from '../process/kill-tree';

/** VmHWM (peak resident set) of one process in KiB, or undefined once it is gone. */
export function readPeakRssKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Sum of one `Field:  N kB` line of a /proc file over a process tree (exited processes count 0). */
function sumOverTree(pid: number, table: Map<number, number>, file: string, field: RegExp): number {
  let total = 0;
  for (const p of [pid, ...descendantsOf(pid, table)]) {
    try {
      const match = field.exec(readFileSync(`/proc/${p}/${file}`, 'utf8'));
      if (match) total += Number(match[1]);
    } catch {
      // exited, or not readable
    }
  }
  return total;
}

/** Current resident set of a process tree in KiB; pass one table for many trees. */
export function readTreeRssKb(pid: number, table: Map<number, number> = processTable()): number {
  return sumOverTree(pid, table, 'status', /^VmRSS:\s+(\d+) kB/m);
}

/** Proportional set size of a process tree in KiB: shared pages divided among their sharers. */
export function readTreePssKb(pid: number, table: Map<number, number> = processTable()): number {
  return sumOverTree(pid, table, 'smaps_rollup', /^Pss:\s+(\d+) kB/m);
}

/**
 * Fallback for machines without the wc-exec helper: polls the process's VmHWM. A lower bound
 * (the last reading before exit), which is why results record `exact: false` for it.
 */
export class PeakRssPoller {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly pid: number,
    intervalMs = 1,
  ) {
    this.poll();
    this.timer = setInterval(() => this.poll(), intervalMs);
  }
  private poll(): void {
    const value = readPeakRssKb(this.pid);
    if (value !== undefined && value > this.peak) this.peak = value;
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.peak;
  }
}
