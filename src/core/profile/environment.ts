import os from 'node:os';
import type { EnvironmentInfo } from './result-schema';

export function describeEnvironment(
  runtimes: Record<string, string>,
  exact: boolean,
): EnvironmentInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    arch: os.arch(),
    kernel: os.release(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    node: process.versions.node,
    runtimes,
    measurement: exact ? 'wait4' : 'polling',
  };
}
