import path from 'node:path';
import { formatKb, formatMs, formatRatio } from '../../core/format';
import { runProfile, type ProfileOptions, type ProfileTarget } from '../../core/profile/profiler';
import { renderMarkdownReport } from '../../core/profile/report-markdown';
import type { ProfileResult } from '../../core/profile/result-schema';
import {
  listRuns,
  ResultJournal,
  runsDirectory,
  writeFileAtomic,
} from '../../core/profile/results-store';
import type { CommandContext, CommandRefusal } from '../command-context';
import { ProfilePanel } from '../profile-panel';

export type ProfileCommandResult =
  | {
      status: 'complete' | 'cancelled' | 'failed';
      resultFile: string;
      reportFile: string;
      result: ProfileResult;
    }
  | { status: 'no-file' | 'not-approved'; message?: string }
  | CommandRefusal;

/**
 * Runs a profile under a cancellable notification that names the current target and run, keeps
 * every checkpoint under the workspace's .wasm-containers/runs, and opens the report.
 */
export async function profileWithProgress(
  ctx: CommandContext,
  title: string,
  folder: string,
  targets: ProfileTarget[],
  options: Omit<ProfileOptions, 'signal' | 'onSample' | 'onCheckpoint' | 'onProgress'>,
): Promise<ProfileCommandResult> {
  const { log } = ctx;
  const runsDir = runsDirectory(folder);
  // the panel fills in as samples arrive
  const panel = ProfilePanel.open(ctx.extension, log, runsDir);
  // the history is read once; checkpoints append to this run's journal and read nothing back
  const history = listRuns(runsDir);
  const journal = new ResultJournal(runsDir);
  panel.update({ runs: history, live: true });
  const coldStart = options.scenarios?.coldStart ?? true;
  const total = coldStart ? targets.length * (options.runs + options.warmup) : 0;
  log.info(
    `profiling ${targets.map((t) => `${t.label} (${t.spec.artifact})`).join(' vs ')}: ${options.warmup} warmup + ${options.runs} runs each`,
  );
  try {
    const result = await ctx.withProgress(`Profiling ${title}`, (report, signal) => {
      // the panel's Cancel button stops the same run as the notification's
      const controller = new AbortController();
      signal.addEventListener('abort', () => controller.abort(), { once: true });
      panel.onCancel = () => controller.abort();
      let done = 0;
      return runProfile(targets, {
        ...options,
        name: options.name ?? title,
        signal: controller.signal,
        // the extension host's event loop serves every extension: a large module's gzip goes to a worker
        imageSizeThread: 'worker',
        // the panel shows each checkpoint's statistics as they come
        liveStatistics: true,
        onProgress: (message) => {
          report(message);
          panel.progress(message, done, total);
          log.info(message);
        },
        onSample: ({ target, phase, index, total: count, sample }) => {
          done++;
          report(`${target}: ${phase} ${index + 1}/${count}`, total ? 100 / total : 0);
          panel.progress(`${target}: ${phase} ${index + 1}/${count}`, done, total);
          log.debug(
            `${target} ${phase} #${index + 1}: ${formatMs(sample.wallMs)}, ${formatKb(sample.maxRssKb)}, exit ${sample.exitCode}${sample.error ? ` (${sample.error})` : ''}`,
          );
        },
        onCheckpoint: (partial) => {
          const file = journal.checkpoint(partial);
          const current = {
            file,
            id: partial.id,
            name: partial.settings.name ?? title,
            startedAt: partial.startedAt,
            status: partial.status,
            targets: partial.targets.map((t) => t.id),
          };
          panel.update({
            result: partial,
            resultFile: file,
            runs: [current, ...history],
            live: true,
          });
        },
      });
    });
    const resultFile = journal.finish(result);
    const reportFile = resultFile.replace(/\.json$/, '.md');
    writeFileAtomic(reportFile, renderMarkdownReport(result, title));
    for (const c of result.comparisons) {
      log.info(
        `${c.target} vs ${c.reference}: size ${formatRatio(c.size)}, cold start ${formatRatio(c.wallMs.ratio)}, peak memory ${formatRatio(c.maxRssKb.ratio)}`,
      );
    }
    log.info(`profile ${result.status}: ${resultFile}`);
    if (result.status === 'failed')
      ctx.showError(
        `Profiling ${title} failed: ${result.error}. The runs measured before are kept in ${path.basename(resultFile)}.`,
      );
    panel.finish(result, resultFile);
    return {
      status: result.status === 'running' ? 'failed' : result.status,
      resultFile,
      reportFile,
      result,
    };
  } catch (e) {
    panel.onCancel = undefined;
    panel.show();
    return ctx.fail(`Profiling ${title}`, e);
  }
}
