import path from 'node:path';
import { writeFileAtomic, runsDirectory, saveResult } from '../core/profile/results-store';
import { discoverPair } from '../core/profile/discover';
import { nodeWasiVsNativeTargets } from '../core/profile/profile-pair';
import { runProfile } from '../core/profile/profiler';
import { renderCsv } from '../core/profile/report-csv';
import { renderMarkdownReport } from '../core/profile/report-markdown';
import { renderTextReport } from '../core/profile/report-text';
import { detectRuntimes } from '../core/runtimes/runtime-catalog';
import { catalogToJson, renderCatalog } from '../core/runtimes/runtime-report';
import { errorMessage } from '../core/process/errors';
import { TOOL_VERSION } from '../core/version';
import { parseCli, USAGE, UsageError, type ProfileArgs, type RunArgs } from './args';

async function profile(opts: ProfileArgs, signal: AbortSignal): Promise<number> {
  const pair = discoverPair(opts.path, opts.native);
  const targets = nodeWasiVsNativeTargets(pair, opts.args);
  const log = (line: string) => process.stderr.write(line + '\n');
  if (!pair.native) log(`Note: no native twin found (looked for ${pair.nativeCandidates.join(', ')}); profiling the module alone. Pass --native FILE to compare.`);
  const total = targets.length * (opts.runs + opts.warmup);
  let done = 0;
  const tty = process.stderr.isTTY;
  log(`Profiling ${targets.map((t) => t.label).join(' vs ')}: ${opts.warmup} warmup + ${opts.runs} runs each, ${opts.order}…`);
  const resultsDir = opts.resultsDir ?? runsDirectory(process.cwd());
  let savedTo = '';
  const result = await runProfile(targets, {
    runs: opts.runs, warmup: opts.warmup, order: opts.order, timeoutMs: opts.timeoutMs, markers: opts.markers, signal,
    onSample: ({ target, phase, index, total: count }) => {
      done++;
      if (tty) process.stderr.write(`\r\x1b[2K[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30)}] ${done}/${total} ${target} ${phase} ${index + 1}/${count}`);
    },
    onCheckpoint: (partial) => { savedTo = saveResult(resultsDir, partial); },
  });
  if (tty) process.stderr.write('\r\x1b[2K');
  savedTo = saveResult(resultsDir, result);
  const title = `Wasm vs native: ${path.relative(process.cwd(), pair.module) || pair.module}`;
  if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(renderTextReport(result, title) + '\n');
  if (opts.exportJson) writeFileAtomic(opts.exportJson, JSON.stringify(result, null, 2) + '\n');
  if (opts.exportMarkdown) writeFileAtomic(opts.exportMarkdown, renderMarkdownReport(result, title));
  if (opts.exportCsv) writeFileAtomic(opts.exportCsv, renderCsv(result));
  log(`\nResult (every raw sample): ${savedTo}`);
  for (const [flag, file] of [['JSON', opts.exportJson], ['Markdown', opts.exportMarkdown], ['CSV', opts.exportCsv]]) if (file) log(`${flag} report: ${file}`);
  if (result.status === 'cancelled') return 130;
  if (result.status === 'failed') return 1;
  return result.targets.every((t) => t.summary.wallMs.n > 0) ? 0 : 1;
}

async function run(opts: RunArgs, signal: AbortSignal): Promise<number> {
  const catalog = await detectRuntimes({ skipEngines: true });
  const runtime = catalog.runtimes.find((r) => r.id === opts.runtime && r.runs === 'wasm');
  if (!runtime) {
    const ids = catalog.runtimes.filter((r) => r.runs === 'wasm').map((r) => r.id);
    throw new UsageError(`unknown Wasm runtime '${opts.runtime}' (known: ${ids.join(', ')})`);
  }
  if (!runtime.available) throw new Error(`${runtime.displayName} is not available: ${runtime.reason}`);
  const outcome = await runtime.adapter.run(
    { artifact: opts.module, args: opts.args, dirs: opts.dirs, env: opts.env },
    { signal, onStdout: (c) => process.stdout.write(c), onStderr: (c) => process.stderr.write(c) },
  );
  return outcome.exitCode ?? 1;
}

async function runtimes(json: boolean): Promise<number> {
  const catalog = await detectRuntimes();
  process.stdout.write((json ? JSON.stringify(catalogToJson(catalog), null, 2) : renderCatalog(catalog)) + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const cli = parseCli(argv);
    switch (cli.command) {
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case 'version':
        process.stdout.write(`wasm-containers ${TOOL_VERSION}\n`);
        return 0;
      case 'run':
        return await run(cli, controller.signal);
      case 'runtimes':
        return await runtimes(cli.json);
      case 'profile':
        return await profile(cli, controller.signal);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasm-containers: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`wasm-containers: ${errorMessage(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
