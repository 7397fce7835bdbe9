import path from 'node:path';
import * as vscode from 'vscode';
import { formatMs, formatKb, formatRatio } from '../../core/format';
import { discoverPair } from '../../core/profile/discover';
import { nodeWasiVsNativeTargets } from '../../core/profile/profile-pair';
import { runProfile } from '../../core/profile/profiler';
import { renderMarkdownReport } from '../../core/profile/report-markdown';
import type { ProfileResult } from '../../core/profile/result-schema';
import { runsDirectory, saveResult, writeFileAtomic } from '../../core/profile/results-store';
import { errorMessage } from '../../core/process/errors';
import { readConfig } from '../config';
import { ensureTrusted } from '../trust';
import { pickWasmFile } from './pick-wasm';

export type ProfileCommandResult =
  | { status: 'complete' | 'cancelled' | 'failed'; resultFile: string; reportFile: string; result: ProfileResult }
  | { status: 'untrusted' | 'no-file' | 'error'; message?: string };

/** "Profile Against Native": the module under Node WASI vs its native twin, with cancellable progress. */
export async function profileModuleCommand(log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<ProfileCommandResult> {
  if (!ensureTrusted('Profiling', log)) return { status: 'untrusted' };
  const file = await pickWasmFile(uri, 'Profile Against Native');
  if (!file) return { status: 'no-file' };
  const config = readConfig(file);
  let pair;
  try {
    pair = discoverPair(file.fsPath);
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot profile ${path.basename(file.fsPath)}: ${errorMessage(e)}`);
    return { status: 'error', message: errorMessage(e) };
  }
  if (!pair.native) {
    const message = `No native twin beside ${path.basename(pair.module)} (looked for ${pair.nativeCandidates.map((c) => path.basename(c)).join(', ')}): profiling the module alone. Build the native twin (gcc -static) with that name to compare.`;
    log.warn(message);
    void vscode.window.showWarningMessage(message);
  }
  const targets = nodeWasiVsNativeTargets(pair, config.runArgs, { nodePath: config.nodePath });
  const folder = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
  const runsDir = runsDirectory(folder);
  const total = targets.length * (config.profileRuns + config.profileWarmup);
  log.info(`profiling ${targets.map((t) => `${t.label} (${t.spec.artifact})`).join(' vs ')}: ${config.profileWarmup} warmup + ${config.profileRuns} runs each`);

  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Profiling ${path.basename(pair.module)}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let done = 0;
        return runProfile(targets, {
          runs: config.profileRuns, warmup: config.profileWarmup, timeoutMs: config.runTimeoutMs, signal: controller.signal,
          onSample: ({ target, phase, index, total: count, sample }) => {
            done++;
            progress.report({ increment: 100 / total, message: `${target} ${phase} ${index + 1}/${count}` });
            log.debug(`${target} ${phase} #${index + 1}: ${formatMs(sample.wallMs)}, ${formatKb(sample.maxRssKb)}, exit ${sample.exitCode}${sample.error ? ` (${sample.error})` : ''}`);
          },
          onCheckpoint: (partial) => saveResult(runsDir, partial),
        });
      },
    );
    const resultFile = saveResult(runsDir, result);
    const reportFile = resultFile.replace(/\.json$/, '.md');
    writeFileAtomic(reportFile, renderMarkdownReport(result, `Wasm vs native: ${path.basename(pair.module)}`));
    for (const c of result.comparisons) {
      log.info(`${c.target} vs ${c.reference}: size ${formatRatio(c.size)}, cold start ${formatRatio(c.wallMs.ratio)}, peak memory ${formatRatio(c.maxRssKb.ratio)}`);
    }
    log.info(`profile ${result.status}: ${resultFile}`);
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(reportFile));
    return { status: result.status === 'running' ? 'failed' : result.status, resultFile, reportFile, result };
  } catch (e) {
    log.error(`profiling failed: ${errorMessage(e)}`);
    void vscode.window.showErrorMessage(`Profiling ${path.basename(pair.module)} failed: ${errorMessage(e)}`);
    return { status: 'error', message: errorMessage(e) };
  }
}
