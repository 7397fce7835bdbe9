import type { RunSample } from '../measure/measured-run';
import type { RatioEstimate, Summary } from './stats';
import type { DensityResult, StormResult, TimelineResult } from './scenarios';

/** Bumped whenever a field changes meaning; readers refuse versions they do not know. */
export const PROFILE_SCHEMA_VERSION = 1;

export interface EnvironmentInfo {
  hostname: string;
  platform: string;
  arch: string;
  kernel: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  node: string;
  /** Version of every runtime used, keyed by runtime id. */
  runtimes: Record<string, string>;
  /** Whether timing and memory came from wait4 accounting (wc-exec) or polling. */
  measurement: 'wait4' | 'polling';
}

export interface TargetDescription {
  id: string;
  label: string;
  runtime: string;
  runs: 'wasm' | 'native';
  artifact: string;
  args: string[];
  /** Bytes of the module or native binary on disk, or of the image. */
  sizeBytes: number;
  sizeKind: 'file' | 'image';
  /** For a module or binary: the FROM scratch image that would ship it, built in memory (bytes). */
  image?: { compressed: number; uncompressed: number };
  /** Ahead-of-time variants: the compile done once before the measured runs (in no sample). */
  aot?: AotPreparation;
}

/** An ahead-of-time compile as a profile reports it: apart from the runs, which use its output. */
export interface AotPreparation {
  /** The compiled form (.cwasm, .wasmu, .aot, or wazero's cache directory). */
  artifact: string;
  kind: 'file' | 'directory';
  bytes: number;
  /** How long the compile took (when it ran: this profile, or the earlier one that cached it). */
  compileMs: number;
  /** True when the artifact came from the cache (this profile compiled nothing). */
  reused: boolean;
  /** sha256 of the module it was compiled from. */
  moduleDigest: string;
  compiler: { file: string; args: string[]; version?: string };
}

/** A run's sample as stored: the measured figures without the full output. */
export type StoredSample = Omit<RunSample, 'stdout' | 'stderr'> & {
  index: number;
  stdoutBytes: number;
  stderrTail?: string;
};

export interface TargetSummary {
  wallMs: Summary;
  firstOutputMs: Summary;
  maxRssKb: Summary;
  /** Marker-split phases (startup, run, shutdown) when marker lines were configured and seen. */
  phases?: Record<string, Summary>;
  /** Containers: create / start / run / remove of each docker run --rm equivalent. */
  containerPhases?: Record<string, Summary>;
  failures: number;
}

export interface TargetResult extends TargetDescription {
  samples: StoredSample[];
  warmupSamples: StoredSample[];
  summary: TargetSummary;
}

export interface Comparison {
  /** target id / reference target id */
  target: string;
  reference: string;
  wallMs: RatioEstimate;
  maxRssKb: RatioEstimate;
  size: number;
}

export interface ProfileResult {
  schemaVersion: number;
  tool: { name: 'wasm-containers'; version: string };
  id: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'complete' | 'cancelled' | 'failed';
  settings: {
    name?: string;
    runs: number;
    warmup: number;
    order: 'interleaved' | 'sequential';
    timeoutMs: number;
    markers: string[];
    coldStart: boolean;
    /** What the profile was started from: a spec, a module, a Dockerfile or an image (absolute). */
    source?: string;
  };
  environment: EnvironmentInfo;
  targets: TargetResult[];
  comparisons: Comparison[];
  scenarios: { storms: StormResult[]; density: DensityResult[]; timelines: TimelineResult[] };
  /** Peak resident memory of the profiler itself, KiB: it must stay small next to what it measures. */
  profilerPeakRssKb?: number;
  error?: string;
}
