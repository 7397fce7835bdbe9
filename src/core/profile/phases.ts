import type { RunSample } from '../measure/measured-run';

/**
 * Splits a run into startup / run / shutdown by two marker lines, as published Docker-vs-Wasm
 * comparisons do: startup = spawn → start marker, run = start → stop marker, shutdown = stop marker → exit.
 */
export function splitPhases(
  sample: RunSample,
  startMarker: string,
  stopMarker: string,
): Record<string, number> | undefined {
  const start = sample.markers[startMarker];
  const stop = sample.markers[stopMarker];
  if (start === undefined || stop === undefined || !Number.isFinite(sample.wallMs))
    return undefined;
  return { startup: start, run: stop - start, shutdown: sample.wallMs - stop };
}
