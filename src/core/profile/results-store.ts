import { validateResultShape } from './result-validate';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write';

export { writeFileAtomic };
import path from 'node:path';
import { PROFILE_SCHEMA_VERSION, type ProfileResult } from './result-schema';
import type { RunEntry } from '../../shared/webview-protocol';

/** Where a workspace keeps its profile runs. */
export function runsDirectory(root: string): string {
  return path.join(root, '.wasm-containers', 'runs');
}

export function resultFileName(result: ProfileResult): string {
  return `${result.startedAt.replace(/[:.]/g, '-')}-${result.id.slice(0, 8)}.json`;
}

export function saveResult(dir: string, result: ProfileResult): string {
  const file = path.join(dir, resultFileName(result));
  writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

export function loadResult(file: string): ProfileResult {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
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
  return result as ProfileResult;
}

/** The stored runs of a folder, newest first (unreadable files are skipped). */
export function listRuns(dir: string, limit = 50): RunEntry[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
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
