import path from 'node:path';
import { bundledFile } from '../paths';
import { isExecutableFile } from '../runtimes/find-executable';

/**
 * Where the compiled wc-exec helper lives: next to the bundles (dist/bin) when bundled, or in
 * the repository's dist/ when the core runs from source (tests). WASM_CONTAINERS_EXEC_HELPER
 * overrides; WASM_CONTAINERS_EXEC_HELPER=none forces the portable fallback.
 */
export function locateExecHelper(): string | undefined {
  const override = process.env.WASM_CONTAINERS_EXEC_HELPER;
  if (override === 'none') return undefined;
  if (override) return isExecutableFile(override) ? override : undefined;
  try {
    const helper = bundledFile(path.join('bin', 'wc-exec'));
    return isExecutableFile(helper) ? helper : undefined;
  } catch {
    return undefined; // not built (no C compiler): the portable fallback measures
  }
}

/** The figures of one run the helper reports, alone (--report-fd) or in a batch. */
export type ExecFigures = Pick<
  ExecHelperReport,
  | 'exitCode'
  | 'signal'
  | 'execErrno'
  | 'wallNs'
  | 'firstStdoutNs'
  | 'maxRssKb'
  | 'userUs'
  | 'systemUs'
>;

const ERRNO_NAMES: Readonly<Record<number, string>> = { 2: 'not found', 13: 'permission denied' };

/** Why the helper could not start `file` (its exec failed), or undefined when it started. */
export function execFailure(file: string, { execErrno }: Pick<ExecFigures, 'execErrno'>) {
  if (execErrno === 0) return undefined;
  const why = ERRNO_NAMES[execErrno];
  return `Could not start ${file}: errno ${execErrno}${why ? ` (${why})` : ''}`;
}

/** A started run's figures in a sample's units (ms, KiB): exact, memory from wait4. */
export function sampleFigures(r: ExecFigures) {
  return {
    exitCode: r.signal ? null : r.exitCode,
    signal: r.signal ? `signal ${r.signal}` : null,
    wallMs: r.wallNs / 1e6,
    firstOutputMs: r.firstStdoutNs >= 0 ? r.firstStdoutNs / 1e6 : undefined,
    maxRssKb: r.maxRssKb,
    userMs: r.userUs / 1e3,
    systemMs: r.systemUs / 1e3,
    exact: true,
    memorySource: 'wait4' as const,
  };
}

/** What wc-exec writes on its report descriptor (see native/wc-exec.c). */
export interface ExecHelperReport {
  exitCode: number;
  signal: number;
  execErrno: number;
  wallNs: number;
  firstStdoutNs: number;
  maxRssKb: number;
  userUs: number;
  systemUs: number;
  stdoutBytes: number;
  chunks: Array<[number, number]>;
}

export function parseExecHelperReport(text: string): ExecHelperReport {
  const report = JSON.parse(text) as ExecHelperReport;
  for (const key of ['exitCode', 'wallNs', 'maxRssKb'] as const) {
    if (typeof report[key] !== 'number')
      throw new Error(`wc-exec report lacks ${key}: ${text.slice(0, 200)}`);
  }
  return report;
}
