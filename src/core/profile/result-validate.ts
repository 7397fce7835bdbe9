/**
 * The shape of a stored profile result, checked field by field when a file is loaded: a result
 * edited by hand, cut short or written by another tool is refused with the JSON path of the first
 * field that is wrong, instead of failing later inside a report or the panel.
 */

type Check = (value: unknown, at: string) => void;

export class ResultShapeError extends Error {}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string'
    ? `the string ${JSON.stringify(v.slice(0, 40))}`
    : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

const fail = (at: string, want: string, v: unknown): never => {
  throw new ResultShapeError(`${at} should be ${want}, found ${describe(v)}`);
};
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Numbers; null stands for NaN, which JSON cannot hold (an unmeasured memory, a statistic of nothing). */
const num: Check = (v, at) => void (typeof v === 'number' || v === null || fail(at, 'a number', v));
const str: Check = (v, at) => void (typeof v === 'string' || fail(at, 'a string', v));
const bool: Check = (v, at) => void (typeof v === 'boolean' || fail(at, 'true or false', v));
const oneOf =
  (...values: unknown[]): Check =>
  (v, at) =>
    void (
      values.includes(v) || fail(at, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v)
    );
const nullable =
  (check: Check): Check =>
  (v, at) =>
    v === null ? undefined : check(v, at);
const arr =
  (item: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) fail(at, 'an array', v);
    (v as unknown[]).forEach((x, i) => item(x, `${at}[${i}]`));
  };
const record =
  (item: Check): Check =>
  (v, at) => {
    if (!isObj(v)) fail(at, 'an object', v);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) item(x, `${at}.${k}`);
  };
const obj =
  (fields: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (v, at) => {
    if (!isObj(v)) fail(at, 'an object', v);
    const o = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(fields)) check(o[k], `${at}.${k}`);
    for (const [k, check] of Object.entries(optional))
      if (o[k] !== undefined) check(o[k], `${at}.${k}`);
  };

const summary = obj({
  n: num,
  mean: num,
  sd: num,
  median: num,
  min: num,
  max: num,
  p95: num,
  mad: num,
  outliers: arr(num),
});
const lifecycle = (part: Check) => obj({ create: part, start: part, run: part, remove: part });
const sample = obj(
  {
    index: num,
    exitCode: nullable(num),
    wallMs: num,
    maxRssKb: num,
    markers: record(num),
    exact: bool,
    stdoutBytes: num,
  },
  {
    signal: nullable(str),
    firstOutputMs: num,
    userMs: num,
    systemMs: num,
    memorySource: str,
    containerPhases: lifecycle(num),
    stderrTail: str,
    error: str,
  },
);
const target = obj(
  {
    id: str,
    label: str,
    runtime: str,
    runs: oneOf('wasm', 'native'),
    artifact: str,
    args: arr(str),
    sizeBytes: num,
    sizeKind: oneOf('file', 'image'),
    samples: arr(sample),
    warmupSamples: arr(sample),
    summary: obj(
      { wallMs: summary, firstOutputMs: summary, maxRssKb: summary, failures: num },
      { phases: record(summary), containerPhases: lifecycle(summary) },
    ),
  },
  {
    image: obj({ compressed: num, uncompressed: num }),
    aot: obj(
      {
        artifact: str,
        kind: oneOf('file', 'directory'),
        bytes: num,
        compileMs: num,
        reused: bool,
        moduleDigest: str,
        compiler: obj({ file: str, args: arr(str) }, { version: str }),
      },
      {},
    ),
  },
);
const ratio = obj({ ratio: num, low: num, high: num });
const result = obj(
  {
    schemaVersion: num,
    id: str,
    startedAt: str,
    status: oneOf('running', 'complete', 'cancelled', 'failed'),
    tool: obj({ name: str, version: str }),
    settings: obj(
      {
        runs: num,
        warmup: num,
        order: oneOf('interleaved', 'sequential'),
        timeoutMs: num,
        markers: arr(str),
        coldStart: bool,
      },
      { name: str, source: str },
    ),
    environment: obj({
      hostname: str,
      platform: str,
      arch: str,
      kernel: str,
      cpuModel: str,
      cpuCount: num,
      totalMemoryBytes: num,
      node: str,
      runtimes: record(str),
      measurement: oneOf('wait4', 'polling'),
    }),
    targets: arr(target),
    comparisons: arr(
      obj({ target: str, reference: str, wallMs: ratio, maxRssKb: ratio, size: num }),
    ),
    scenarios: obj({
      storms: arr(
        obj({
          target: str,
          count: num,
          totalMs: num,
          sumWallMs: num,
          perStartMs: num,
          failures: num,
        }),
      ),
      density: arr(
        obj(
          {
            target: str,
            instances: num,
            ready: num,
            measured: num,
            upMs: num,
            totalRssKb: num,
            perInstanceRssKb: num,
            failures: num,
            errors: arr(str),
          },
          { totalPssKb: num, perInstancePssKb: num, totalCgroupKb: num, perInstanceCgroupKb: num },
        ),
      ),
      timelines: arr(
        obj(
          { target: str, intervalMs: num, points: arr(arr(num)), exitCode: nullable(num) },
          { error: str },
        ),
      ),
    }),
  },
  { finishedAt: str, profilerPeakRssKb: num, error: str },
);

/** Throws a ResultShapeError naming the first wrong field (e.g. "result.targets[1].samples[4].wallMs"). */
export function validateResultShape(data: unknown): void {
  result(data, 'result');
  // comparisons and scenarios name targets: the names must exist
  const r = data as {
    targets: Array<{ id: string }>;
    comparisons: Array<{ target: string; reference: string }>;
  };
  const ids = new Set(r.targets.map((t) => t.id));
  r.comparisons.forEach((c, i) => {
    for (const k of ['target', 'reference'] as const)
      if (!ids.has(c[k]))
        fail(`result.comparisons[${i}].${k}`, 'the id of one of the targets', c[k]);
  });
}
