/**
 * What the profiling panel shows, as data: core lists stored runs and writes the standalone report
 * from it; src/shared/webview-protocol.ts carries it to the webview (shared imports core, never the
 * reverse).
 */
import type { ProfileResult } from './result-schema';

/** A stored run as the history lists it. */
export interface RunEntry {
  file: string;
  id: string;
  name: string;
  startedAt: string;
  status: ProfileResult['status'];
  targets: string[];
}

/** Everything the panel shows; also what a standalone report embeds. */
export interface PanelState {
  result?: ProfileResult;
  /** Where the result is stored (restoring the panel after a reload reads it again). */
  resultFile?: string;
  /** The run compared against, when the user picked two. */
  baseline?: ProfileResult;
  runs: RunEntry[];
  /** A profile is running: samples keep arriving, and it can be cancelled. */
  live: boolean;
  /** The standalone report has no extension behind it: exports become downloads. */
  standalone?: boolean;
}
