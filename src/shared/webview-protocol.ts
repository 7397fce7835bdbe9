/**
 * The one message protocol between the extension and the profiling webview (and the data shape of
 * the standalone HTML report). Both sides import this module; every message is validated on receipt.
 */
import type { PanelState } from '../core/profile/panel-state';
import type { ProfileResult } from '../core/profile/result-schema';
import { SCENARIOS, type ScenarioName } from '../core/profile/scenario-names';
import { isObj, str } from './validate';

/** The panel's data (stored runs, what it shows) is core's: the protocol carries it. */
export type { PanelState, RunEntry } from '../core/profile/panel-state';

export type ToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'progress'; message: string; done: number; total: number }
  | { type: 'finished'; result: ProfileResult };

export type ExportFormat = 'json' | 'csv' | 'markdown' | 'html';

/** Scenarios a profile may lack; the panel offers to add them (to a spec) and run again. */
export { SCENARIOS, type ScenarioName };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'export'; format: ExportFormat }
  | { type: 'saveChart'; name: string; pngDataUrl: string }
  | { type: 'openRaw' }
  | { type: 'openRun'; file: string }
  | { type: 'compare'; baselineFile: string; currentFile: string }
  | { type: 'addScenario'; scenario: ScenarioName };

/** Messages from the webview are untrusted input: anything not exactly of this protocol is refused. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (!isObj(message) || typeof message.type !== 'string') return undefined;
  switch (message.type) {
    case 'ready':
    case 'cancel':
    case 'openRaw':
      return { type: message.type };
    case 'export':
      return ['json', 'csv', 'markdown', 'html'].includes(message.format as string)
        ? { type: 'export', format: message.format as ExportFormat }
        : undefined;
    case 'saveChart':
      return str(message.name, 100) &&
        /^[\w .-]+$/.test(message.name) &&
        str(message.pngDataUrl, 20_000_000) &&
        message.pngDataUrl.startsWith('data:image/png;base64,')
        ? {
            type: 'saveChart',
            name: message.name,
            pngDataUrl: message.pngDataUrl,
          }
        : undefined;
    case 'openRun':
      return str(message.file) ? { type: 'openRun', file: message.file } : undefined;
    case 'compare':
      return str(message.baselineFile) && str(message.currentFile)
        ? {
            type: 'compare',
            baselineFile: message.baselineFile,
            currentFile: message.currentFile,
          }
        : undefined;
    case 'addScenario':
      return SCENARIOS.includes(message.scenario as ScenarioName)
        ? { type: 'addScenario', scenario: message.scenario as ScenarioName }
        : undefined;
    default:
      return undefined;
  }
}

/** Messages to the webview are checked too: the webview ignores anything else. */
export function parseToWebview(message: unknown): ToWebview | undefined {
  if (!isObj(message) || typeof message.type !== 'string') return undefined;
  if (message.type === 'state' && isObj(message.state) && Array.isArray(message.state.runs))
    return message as ToWebview;
  if (message.type === 'progress' && typeof message.message === 'string')
    return message as ToWebview;
  if (message.type === 'finished' && isObj(message.result) && Array.isArray(message.result.targets))
    return message as ToWebview;
  return undefined;
}
