import { readdirSync, readFileSync } from 'node:fs';

/**
 * Children of `pid` found through /proc. Process-group kill misses descendants that called
 * setsid/setpgid (daemonising runtimes do), so we also walk the parent links.
 */
export function descendantsOf(pid: number, table: Map<number, number> = processTable()): number[] {
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of table) {
      if (ppid === parent && !result.includes(child)) {
        result.push(child);
        queue.push(child);
      }
    }
  }
  return result;
}

/** pid → parent pid of every process, read once from /proc (empty elsewhere). */
export function processTable(): Map<number, number> {
  const parentOf = new Map<number, number>();
  if (process.platform !== 'linux') return parentOf;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return parentOf;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // comm may contain spaces and parentheses: the fields we need follow the last ')'.
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(name), Number(after[1]));
    } catch {
      // the process exited while we were reading
    }
  }
  return parentOf;
}

/** SIGKILLs the process group led by `pid` (spawned detached) and every descendant. */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  const descendants = descendantsOf(pid);
  for (const target of [-pid, pid, ...descendants]) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * SIGKILLs what is left of the process group led by `pid` once the leader has been reaped: its
 * descendants have then been re-parented, so walking /proc from it (~200 reads, 5-10 ms per
 * process started) can find none of them; the group still holds those that did not leave it.
 */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie still answers kill(0) but is no longer running
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}
