import path from 'node:path';
import * as vscode from 'vscode';
import { formatKb, formatMs, formatRatio } from '../../core/format';
import { runProfile, type ProfileOptions, type ProfileTarget } from '../../core/profile/profiler';
import { renderMarkdownReport } from '../../core/profile/report-markdown';
import type { ProfileResult } from '../../core/profile/result-schema';
import { runsDirectory, saveResult, writeFileAtomic } from '../../core/profile/results-store';
import { errorMessage } from '../../core/process/errors';

export type ProfileCommandResult =
  | { status: 'complete' | 'cancelled' | 'failed'; resultFile: string; reportFile: string; result: ProfileResult }
  | { status: 'untrusted' | 'no-file' | 'error' | 'not-approved'; message?: string };

/**
 * Runs a profile under a cancellable notification that names the current target and run, keeps
 * every checkpoint under the workspace's .wasm-containers/runs, and opens the report.
 */
export async function profileWithProgress(
  log: vscode.LogOutputChannel, title: string, folder: string, targets: ProfileTarget[], options: Omit<ProfileOptions, 'signal' | 'onSample' | 'onCheckpoint' | 'onProgress'>,
): Promise<ProfileCommandResult> {
  const runsDir = runsDirectory(folder);
  const coldStart = options.scenarios?.coldStart ?? true;
  const total = coldStart ? targets.length * (options.runs + options.warmup) : 0;
  log.info(`profiling ${targets.map((t) => `${t.label} (${t.spec.artifact})`).join(' vs ')}: ${options.warmup} warmup + ${options.runs} runs each`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Profiling ${title}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return runProfile(targets, {
          ...options, signal: controller.signal,
          onProgress: (message) => { progress.report({ message }); log.info(message); },
          onSample: ({ target, phase, index, total: count, sample }) => {
            progress.report({ increment: total ? 100 / total : 0, message: `${target}: ${phase} ${index + 1}/${count}` });
            log.debug(`${target} ${phase} #${index + 1}: ${formatMs(sample.wallMs)}, ${formatKb(sample.maxRssKb)}, exit ${sample.exitCode}${sample.error ? ` (${sample.error})` : ''}`);
          },
          onCheckpoint: (partial) => saveResult(runsDir, partial),
        });
      },
    );
    const resultFile = saveResult(runsDir, result);
    const reportFile = resultFile.replace(/\.json$/, '.md');
    writeFileAtomic(reportFile, renderMarkdownReport(result, title));
    for (const c of result.comparisons) {
      log.info(`${c.target} vs ${c.reference}: size ${formatRatio(c.size)}, cold start ${formatRatio(c.wallMs.ratio)}, peak memory ${formatRatio(c.maxRssKb.ratio)}`);
    }
    log.info(`profile ${result.status}: ${resultFile}`);
    if (result.status === 'failed') void vscode.window.showErrorMessage(`Profiling ${title} failed: ${result.error}. The runs measured before are kept in ${path.basename(resultFile)}.`);
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(reportFile));
    return { status: result.status === 'running' ? 'failed' : result.status, resultFile, reportFile, result };
  } catch (e) {
    log.error(`profiling failed: ${errorMessage(e)}`);
    void vscode.window.showErrorMessage(`Profiling ${title} failed: ${errorMessage(e)}`);
    return { status: 'error', message: errorMessage(e) };
  }
}
