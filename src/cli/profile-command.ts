import { existsSync, writeFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import path from 'node:path';
import { compareWithBaseline } from '../core/profile/baseline';
import { discoverPair } from '../core/profile/discover';
import { runProfile, type ProfileTarget } from '../core/profile/profiler';
import { renderCsv } from '../core/profile/report-csv';
import { renderMarkdownReport } from '../core/profile/report-markdown';
import { renderTextReport } from '../core/profile/report-text';
import {
  loadResult,
  ResultJournal,
  resultText,
  runsDirectory,
  writeFileAtomic,
} from '../core/profile/results-store';
import {
  defaultSpecFor,
  loadProfileSpec,
  specDefaults,
  type ProfileSpec,
} from '../core/profile/spec';
import { resolveSpecTargets } from '../core/profile/spec-targets';
import { NATIVE_PROCESS, specTarget, targetId } from '../core/profile/targets';
import { isDockerfileName } from '../core/dockerfile/dockerfile-name';
import { detectRuntimes, type Catalog } from '../core/runtimes/runtime-catalog';
import type { RuntimeAdapter } from '../core/runtimes/types';
import { availableModuleRuntimes, moduleRuntimesOf } from '../core/profile/runtime-preference';
import { cliRuntimes } from './default-runtime';
import { formatMs, formatRatio } from '../core/format';
import type { ProfileArgs } from './args';
import { runtimePaths } from './hints';
import { writeStdout } from './stdio';
import { needsEngines } from '../core/engines/runtime-ids';

const log = (line: string) => process.stderr.write(line + '\n');

/** A module (and its twin) given on the command line, as a spec: the module under `runtimes`. */
function specFromModule(
  opts: ProfileArgs,
  runtimes: string[],
): { spec: ProfileSpec; title: string } {
  const pair = discoverPair(opts.path, opts.native);
  if (!pair.native)
    log(
      `Note: no native twin found (looked for ${pair.nativeCandidates.join(', ')}); profiling the module alone. Pass --native FILE to compare.`,
    );
  const targets = runtimes.map((runtime) =>
    specTarget({ runs: 'wasm', runtime }, pair.module, opts.args),
  );
  if (pair.native) targets.push(specTarget(NATIVE_PROCESS, pair.native, opts.args));
  return {
    spec: {
      ...specDefaults(),
      targets,
      ...(pair.native ? { reference: targetId(NATIVE_PROCESS) } : {}),
    },
    title: `Wasm vs native: ${path.relative(process.cwd(), pair.module) || pair.module}`,
  };
}

/** The Wasm runtimes a module or a Dockerfile's module runs under, said on stderr. */
function moduleRuntimeIds(catalog: Catalog, opts: ProfileArgs): string[] {
  const chosen = cliRuntimes(catalog, opts.runtimes);
  for (const note of chosen.notes) log(note);
  return chosen.ids;
}

/** The adapters of `ids`, refused with the catalog's reason when one cannot run here. */
function adaptersOf(catalog: Catalog, ids: string[]): RuntimeAdapter[] {
  return ids.map((id) => {
    const r = moduleRuntimesOf(catalog).find((x) => x.id === id);
    if (!r) throw new Error(`Unknown Wasm runtime '${id}'.`);
    if (!r.available) throw new Error(`${r.displayName} is not available: ${r.reason}`);
    return r.adapter;
  });
}

/**
 * The runtimes a spec's targets are bound to: with the engines when a target needs one; else only
 * the process runtimes the targets name (a profile of native processes need not look for every
 * Wasm CLI on PATH), or every one when one of those is missing or unavailable, so that the error
 * lists and hints are the whole catalog's.
 */
async function specCatalog(spec: ProfileSpec, paths: ReturnType<typeof runtimePaths>) {
  if (needsEngines(spec.targets)) return detectRuntimes({ ...paths, skipEngines: false });
  const named = await detectRuntimes({
    ...paths,
    skipEngines: true,
    only: spec.targets.map((t) => t.runtime),
  });
  const found = (id: string) => named.runtimes.some((r) => r.id === id && r.available);
  return spec.targets.every((t) => found(t.runtime))
    ? named
    : detectRuntimes({ ...paths, skipEngines: true });
}

export async function profileCommand(opts: ProfileArgs, signal: AbortSignal): Promise<number> {
  let spec: ProfileSpec;
  let title: string;
  let targets: ProfileTarget[];
  if (isDockerfileName(opts.path)) {
    // a wasm Dockerfile: its module vs the native counterpart (Dockerfile.native) as a process and an image
    const catalog = await detectRuntimes(runtimePaths(opts.runtimePath));
    // (loaded here only: the Dockerfile parser and the engines' build are no spec's start)
    const { dockerfileTargets } = await import('../core/profile/dockerfile-targets');
    const found = await dockerfileTargets(opts.path, {
      wasmRuntimes: adaptersOf(catalog, moduleRuntimeIds(catalog, opts)),
      catalog,
      onOutput: (line) => log(`  ${line}`),
      signal,
    });
    for (const note of found.notes) log(`Note: ${note}`);
    ({ title, targets } = found);
    spec = { ...specDefaults(), targets: [], reference: targetId(NATIVE_PROCESS) };
  } else {
    let catalog: Catalog | undefined;
    if (opts.path.endsWith('.json')) {
      spec = loadProfileSpec(opts.path);
      title = spec.name ?? path.basename(opts.path, '.json');
    } else {
      catalog = await detectRuntimes({ ...runtimePaths(opts.runtimePath), skipEngines: true });
      ({ spec, title } = specFromModule(opts, moduleRuntimeIds(catalog, opts)));
    }
    if (!catalog || needsEngines(spec.targets))
      catalog = await specCatalog(spec, runtimePaths(opts.runtimePath));
    targets = await resolveSpecTargets(spec, catalog, {
      onOutput: (line) => log(`  ${line}`),
      signal,
    });
  }

  const scenarios = {
    ...spec.scenarios,
    ...(opts.coldStart ? {} : { coldStart: false }),
    ...(opts.storm ? { startStorm: { counts: opts.storm } } : {}),
    // density instances must outlive the slowest start (they are stopped once measured): the spec can give other arguments, the CLI uses 'sleep 300'
    ...(opts.density
      ? {
          density: {
            instances: opts.density,
            args: spec.scenarios.density?.args ?? ['sleep', '300'],
            readyMarker: opts.readyMarker,
            settleMs: 500,
          },
        }
      : {}),
    ...(opts.memoryIntervalMs
      ? { memoryTimeline: { intervalMs: opts.memoryIntervalMs, args: opts.args } }
      : {}),
  };
  const runs = opts.runs ?? spec.runs;
  const warmup = opts.warmup ?? spec.warmup;
  const total = scenarios.coldStart ? targets.length * (runs + warmup) : 0;
  let done = 0;
  const tty = process.stderr.isTTY;
  log(
    `Profiling ${targets.map((t) => t.label).join(' vs ')}${scenarios.coldStart ? `: ${warmup} warmup + ${runs} runs each, ${opts.order ?? spec.order}` : ''}…`,
  );
  // checkpoints append to a journal; the finished result replaces it
  const journal = new ResultJournal(opts.resultsDir ?? runsDirectory(process.cwd()));
  const result = await runProfile(targets, {
    runs,
    warmup,
    order: opts.order ?? spec.order,
    timeoutMs: opts.timeoutMs ?? spec.timeoutSeconds * 1000,
    markers: opts.markers ?? spec.markers,
    reference: spec.reference,
    name: title,
    source: path.resolve(opts.path),
    scenarios,
    signal,
    // no UI thread to keep responsive: a worker thread would only add its start to every profile
    imageSizeThread: 'inline',
    // checkpoints only append raw samples to the journal (a replay recomputes the statistics)
    liveStatistics: false,
    onProgress: (message) => {
      if (tty) process.stderr.write(`\r\x1b[2K${message}`);
      else log(message);
    },
    onSample: ({ target, phase, index, total: count }) => {
      done++;
      if (tty)
        process.stderr.write(
          `\r\x1b[2K[${'#'.repeat(Math.round((done / Math.max(total, 1)) * 30)).padEnd(30)}] ${done}/${total} ${target} ${phase} ${index + 1}/${count}`,
        );
    },
    onCheckpoint: (partial) => journal.checkpoint(partial),
  });
  if (tty) process.stderr.write('\r\x1b[2K');
  // the stored result, the --json output and the --export-json file are the same text
  const text = resultText(result);
  const savedTo = journal.finish(result, text);
  if (opts.json) writeStdout(text);
  else
    writeStdout(
      renderTextReport(result, title, {
        // (asked of the descriptor: writeStdout makes no process.stdout)
        colour: isatty(1) && !process.env.NO_COLOR,
      }) + '\n',
    );
  if (opts.exportJson) writeFileAtomic(opts.exportJson, text);
  if (opts.exportMarkdown)
    writeFileAtomic(opts.exportMarkdown, renderMarkdownReport(result, title));
  if (opts.exportCsv) writeFileAtomic(opts.exportCsv, renderCsv(result));
  if (opts.exportHtml) {
    // (loaded for this export only: the page's nonce is node:crypto's, which nothing else here needs)
    const { standaloneHtml } = await import('../core/profile/report-html');
    writeFileAtomic(opts.exportHtml, standaloneHtml({ result, runs: [], live: false }, title));
  }
  log(`\nResult (every raw sample): ${savedTo}`);
  for (const [flag, file] of [
    ['JSON', opts.exportJson],
    ['Markdown', opts.exportMarkdown],
    ['CSV', opts.exportCsv],
    ['HTML', opts.exportHtml],
  ])
    if (file) log(`${flag} report: ${file}`);

  let code = result.status === 'cancelled' ? 130 : result.status === 'failed' ? 1 : 0;
  if (
    code === 0 &&
    result.settings.coldStart &&
    !result.targets.every((t) => t.summary.wallMs.n > 0)
  )
    code = 1;
  if (opts.baseline) {
    const cmp = compareWithBaseline(result, loadResult(opts.baseline), opts.failIfSlowerPct ?? 10);
    const out = [`\nAgainst baseline ${opts.baseline} (threshold ${cmp.thresholdPct}%):`];
    for (const r of cmp.rows) {
      out.push(
        r.verdict === 'missing'
          ? `  ${r.target}: not in the baseline`
          : `  ${r.target}: ${formatMs(r.baselineMedianMs)} → ${formatMs(r.currentMedianMs)} (${formatRatio(r.ratio.ratio)}${Number.isFinite(r.ratio.low) ? `, 95% CI ${formatRatio(r.ratio.low)} – ${formatRatio(r.ratio.high)}` : ''}) ${r.verdict}`,
      );
    }
    writeStdout(out.join('\n') + '\n');
    if (opts.failIfSlowerPct !== undefined && cmp.regressed && code === 0) {
      log(`A target is more than ${cmp.thresholdPct}% slower than the baseline.`);
      code = 3;
    }
  }
  if (result.status === 'failed') log(`Profiling failed: ${result.error}`);
  return code;
}

/** wasm-containers init [DIR]: a spec for the module in DIR under every Wasm runtime detected, and its native twin. */
export async function initCommand(dir: string): Promise<number> {
  const pair = discoverPair(dir);
  const file = path.join(
    pair.module.slice(0, pair.module.lastIndexOf(path.sep) + 1) || '.',
    'wasm-containers.profile.json',
  );
  if (existsSync(file))
    throw new Error(`${file} exists already; edit it, or remove it to start again.`);
  const base = path.dirname(file);
  const runtimes = availableModuleRuntimes(
    await detectRuntimes({ ...runtimePaths(), skipEngines: true }),
  );
  const spec = defaultSpecFor(
    path.relative(base, pair.module),
    pair.native ? path.relative(base, pair.native) : undefined,
    runtimes.map((r) => r.id),
  );
  log(`Wasm runtimes detected: ${runtimes.map((r) => r.id).join(', ')}`);
  writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  process.stdout.write(`${file}\n`);
  return 0;
}
