import { validateResultShape } from './result-validate';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { writeFileAtomic } from '../atomic-write';

export { writeFileAtomic };
import path from 'node:path';
import { PROFILE_SCHEMA_VERSION, type ProfileResult, type StoredSample } from './result-schema';
import { compareTargets, summarizeTarget } from './summary';
import type { RunEntry } from './panel-state';

/** Where a workspace keeps its profile runs. */
export function runsDirectory(root: string): string {
  return path.join(root, '.wasm-containers', 'runs');
}

export function resultFileName(result: ProfileResult): string {
  return `${result.startedAt.replace(/[:.]/g, '-')}-${result.id.slice(0, 8)}.json`;
}

/** A result as it is stored (and exported): indented JSON, one line feed at the end. */
export const resultText = (result: ProfileResult): string => JSON.stringify(result, null, 2) + '\n';

/** Stores `result` in `dir`; `text`, its resultText() when the caller has it already. */
export function saveResult(dir: string, result: ProfileResult, text = resultText(result)): string {
  const file = path.join(dir, resultFileName(result));
  writeFileAtomic(file, text);
  return file;
}

export function loadResult(file: string): ProfileResult {
  let data: unknown;
  try {
    data = file.endsWith(JOURNAL) ? replayJournal(file) : JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not a readable profile result: ${(e as Error).message}`);
  }
  const result = data as Partial<ProfileResult>;
  if (typeof result !== 'object' || result === null || !Array.isArray(result.targets)) {
    throw new Error(`${file} is not a profile result (no targets array).`);
  }
  if (result.schemaVersion !== PROFILE_SCHEMA_VERSION) {
    throw new Error(
      `${file} has schema version ${String(result.schemaVersion)}; this version of Wasm Containers reads version ${PROFILE_SCHEMA_VERSION}.`,
    );
  }
  try {
    validateResultShape(result);
  } catch (e) {
    throw new Error(`${file} is not a well-formed profile result: ${(e as Error).message}.`);
  }
  return result;
}

/** The stored runs of a folder, newest first (unreadable files are skipped). */
export function listRuns(dir: string, limit = 50): RunEntry[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json') || f.endsWith(JOURNAL))
      .sort()
      .reverse()
      .slice(0, limit);
  } catch {
    return [];
  }
  const runs: RunEntry[] = [];
  for (const f of files) {
    try {
      const r = loadResult(path.join(dir, f));
      runs.push({
        file: path.join(dir, f),
        id: r.id,
        name: r.settings.name ?? r.targets.map((t) => t.label).join(' vs '),
        startedAt: r.startedAt,
        status: r.status,
        targets: r.targets.map((t) => t.id),
      });
    } catch {
      // not a result of this version: leave it out of the history
    }
  }
  return runs;
}

/*
 * A running profile is kept as a journal (`<name>.running.jsonl`) that only grows: a header line
 * (the result with no samples), then one line per sample or scenario result as they come. A
 * checkpoint appends what is new since the last one, never rewrites or re-reads anything; the
 * finished result replaces the journal. A journal left behind by a crash loads as an interrupted
 * run with every sample measured until then.
 */
const JOURNAL = '.running.jsonl';

type JournalLine =
  | { header: ProfileResult; pid: number }
  | { target: number; phase: 'warmup' | 'measure'; sample: StoredSample }
  | { scenario: keyof ProfileResult['scenarios']; value: unknown };

const scenarioKinds = ['storms', 'density', 'timelines'] as const;

export class ResultJournal {
  /** The journal's path once the first checkpoint has written it. */
  file = '';
  /**
   * The journal, open for appending from the first checkpoint to finish(): a checkpoint is one
   * write, not an open, a write and a close (20 per target in a CLI profile, each between two
   * measured samples).
   */
  private fd: number | undefined;
  private written: Array<{ warmup: number; measure: number }> = [];
  private scenarios = { storms: 0, density: 0, timelines: 0 };

  constructor(private readonly dir: string) {}

  /** Appends what `partial` holds beyond the previous checkpoint; returns the journal's path. */
  checkpoint(partial: ProfileResult): string {
    const lines: JournalLine[] = [];
    if (!this.file) {
      mkdirSync(this.dir, { recursive: true });
      this.file = path.join(this.dir, resultFileName(partial).replace(/\.json$/, JOURNAL));
      const header: ProfileResult = {
        ...partial,
        targets: partial.targets.map((t) => ({ ...t, samples: [], warmupSamples: [] })),
        scenarios: { storms: [], density: [], timelines: [] },
      };
      lines.push({ header, pid: process.pid });
      this.written = partial.targets.map(() => ({ warmup: 0, measure: 0 }));
    }
    partial.targets.forEach((t, target) => {
      const done = this.written[target];
      for (const sample of t.warmupSamples.slice(done.warmup))
        lines.push({ target, phase: 'warmup', sample });
      for (const sample of t.samples.slice(done.measure))
        lines.push({ target, phase: 'measure', sample });
      done.warmup = t.warmupSamples.length;
      done.measure = t.samples.length;
    });
    for (const kind of scenarioKinds) {
      const all: unknown[] = partial.scenarios[kind];
      for (const value of all.slice(this.scenarios[kind])) lines.push({ scenario: kind, value });
      this.scenarios[kind] = all.length;
    }
    if (lines.length > 0) {
      this.fd ??= openSync(this.file, 'a');
      const bytes = Buffer.from(lines.map((l) => JSON.stringify(l) + '\n').join(''));
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at);
    }
    return this.file;
  }

  /**
   * Writes the finished result beside it and removes the journal; returns the result's path.
   * `text`: the result's resultText(), when the caller has it already.
   */
  finish(result: ProfileResult, text?: string): string {
    const file = saveResult(this.dir, result, text);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.file) rmSync(this.file, { force: true });
    return file;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A journal as a result: its samples in order, statistics recomputed. */
function replayJournal(file: string): ProfileResult {
  const lines = readFileSync(file, 'utf8').split('\n');
  let result: ProfileResult | undefined;
  let writer = 0;
  for (const [n, text] of lines.entries()) {
    if (!text) continue;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      if (n === lines.length - 1 || (n === lines.length - 2 && !lines[n + 1])) break; // torn last line
      throw new Error(`line ${n + 1} is not JSON`);
    }
    if ('header' in line) {
      result = line.header;
      writer = line.pid;
    } else if (!result) throw new Error('the journal has no header line');
    else if ('sample' in line) {
      const t = result.targets[line.target];
      if (!t) throw new Error(`line ${n + 1}: no target ${line.target}`);
      (line.phase === 'warmup' ? t.warmupSamples : t.samples).push(line.sample);
    } else if (scenarioKinds.includes(line.scenario))
      (result.scenarios[line.scenario] as unknown[]).push(line.value);
  }
  if (!result) throw new Error('the journal is empty');
  for (const t of result.targets) t.summary = summarizeTarget(t.samples, markerPair(result));
  // the reference the profile was given is not in the result: the default one (first native target)
  result.comparisons = compareTargets(result.targets);
  if (!processAlive(writer)) {
    result.status = 'failed';
    result.error =
      'the profiler stopped before it finished; the samples measured until then are kept';
  }
  return result;
}

const markerPair = (r: ProfileResult): [string, string] | undefined =>
  r.settings.markers.length === 2 ? [r.settings.markers[0], r.settings.markers[1]] : undefined;
