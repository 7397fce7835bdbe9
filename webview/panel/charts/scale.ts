/**
 * Axes a person reads at a glance: ticks at 1-2-5 steps in the unit of the values (KiB, MiB, ms, s),
 * and a log scale when the values span more than LOG_SPAN× (a 1 ms native start next to a 130 ms
 * Node WASI start would otherwise be an invisible sliver). Pure functions, no DOM.
 */

export interface Unit {
  name: string;
  /** Size of one unit in base units (bytes, ms, counts). */
  size: number;
}

export const BYTES: Unit[] = [
  { name: 'B', size: 1 },
  { name: 'KiB', size: 1024 },
  { name: 'MiB', size: 1024 ** 2 },
  { name: 'GiB', size: 1024 ** 3 },
];
export const MILLISECONDS: Unit[] = [
  { name: 'µs', size: 0.001 },
  { name: 'ms', size: 1 },
  { name: 's', size: 1000 },
];
export const COUNTS: Unit[] = [{ name: '', size: 1 }];

/** Values spanning more than this factor are drawn on a log scale by default. */
export const LOG_SPAN = 20;

export interface Scale {
  kind: 'linear' | 'log';
  /** Domain in base units. */
  min: number;
  max: number;
  ticks: number[];
  /** A tick's label in its unit: "200 KiB", "1 MiB", "50 ms". */
  label: (value: number) => string;
  /** 0 … 1 along the axis; values at or below the domain's start map to 0. */
  fraction: (value: number) => number;
}

const positive = (values: number[]) => values.filter((v) => Number.isFinite(v) && v > 0);

/** max / min of the positive values (1 when there are fewer than two). */
export function spanOf(values: number[]): number {
  const p = positive(values);
  return p.length < 2 ? 1 : Math.max(...p) / Math.min(...p);
}

export const wantsLog = (values: number[]) => spanOf(values) > LOG_SPAN;

/** Up to three significant digits, no trailing zeros: 0.5, 12, 250, 1.25. */
function number(v: number): string {
  if (v === 0) return '0';
  return String(Number(v.toPrecision(3)));
}

/** The largest unit in which the value is at least 1 (the smallest unit otherwise). */
export function unitFor(value: number, units: Unit[]): Unit {
  let unit = units[0];
  // a tolerance so that 1024 B reads 1 KiB despite floating point
  for (const u of units) if (Math.abs(value) >= u.size * (1 - 1e-9)) unit = u;
  return unit;
}

function labelIn(value: number, unit: Unit): string {
  if (value === 0) return '0';
  return unit.name ? `${number(value / unit.size)} ${unit.name}` : number(value / unit.size);
}

/** 1, 2 or 5 × 10^k: the smallest at or above raw. */
export function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  return 10 * magnitude;
}

/** 0 … a nice top, in 1-2-5 steps of the unit of the largest value, about `count` ticks. */
export function linearScale(values: number[], units: Unit[], count = 5): Scale {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  const unit = unitFor(max || units[0].size, units);
  const inUnit = max / unit.size || 1;
  const step = niceStep(inUnit / Math.max(1, count));
  const top = Math.ceil(inUnit / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; k * step <= top + step * 1e-9; k++) ticks.push(k * step * unit.size);
  const domainMax = top * unit.size;
  return {
    kind: 'linear',
    min: 0,
    max: domainMax,
    ticks,
    label: (v) => labelIn(v, unit),
    fraction: (v) => (Number.isFinite(v) ? Math.max(0, Math.min(1, v / domainMax)) : 0),
  };
}

/** Every 1-2-5 value of every unit between lo and hi, in base units, ascending. */
function candidates(
  lo: number,
  hi: number,
  units: Unit[],
): Array<{ value: number; unit: Unit; m: number }> {
  const out: Array<{ value: number; unit: Unit; m: number }> = [];
  units.forEach((unit, i) => {
    const next = units[i + 1];
    // the first unit reaches below 1, the last above its next unit's size
    const from = i === 0 ? Math.min(0, Math.floor(Math.log10(lo / unit.size)) - 1) : 0;
    const to = next
      ? Math.ceil(Math.log10(next.size / unit.size))
      : Math.ceil(Math.log10(hi / unit.size)) + 1;
    for (let k = from; k <= to; k++)
      for (const m of [1, 2, 5]) {
        const inUnit = m * 10 ** k;
        const value = inUnit * unit.size;
        if (next && (inUnit >= 1000 || value >= next.size * (1 - 1e-9))) continue;
        out.push({ value, unit, m });
      }
  });
  return out.sort((a, b) => a.value - b.value);
}

/**
 * A log scale from the 1-2-5 value below the smallest (so that the smallest bar keeps a visible
 * length) to the one at or above the largest; at most `maxTicks` ticks (then only the 1s, then
 * every other decade).
 */
export function logScale(values: number[], units: Unit[], maxTicks = 8, padBelow = true): Scale {
  const p = positive(values);
  const lowest = p.length ? Math.min(...p) : 1;
  const highest = p.length ? Math.max(...p) : 10;
  const all = candidates(lowest, highest, units);
  const below =
    [...all].reverse().find((c) => (padBelow ? c.value < lowest / 1.15 : c.value <= lowest)) ??
    all[0];
  const above = all.find((c) => c.value >= highest * (1 - 1e-9)) ?? all[all.length - 1];
  let ticks = all.filter((c) => c.value >= below.value && c.value <= above.value);
  if (ticks.length > maxTicks) ticks = ticks.filter((c) => c.m === 1 || c === below || c === above);
  for (let stride = 2; ticks.length > maxTicks && stride < 8; stride++) {
    const ones = ticks.filter((c) => c.m === 1);
    ticks = ones.filter((_, i) => i % stride === 0);
  }
  const min = below.value;
  const max = above.value;
  const span = Math.log(max / min) || 1;
  return {
    kind: 'log',
    min,
    max,
    ticks: ticks.map((t) => t.value),
    label: (v) => labelIn(v, unitFor(v, units)),
    fraction: (v) => (Number.isFinite(v) && v > min ? Math.min(1, Math.log(v / min) / span) : 0),
  };
}

/** `padBelow`: a log scale starts a step below the smallest value (bars keep a length; axes of counts need not). */
export function scaleFor(
  values: number[],
  units: Unit[],
  log: boolean,
  count = 5,
  padBelow = true,
): Scale {
  return log && positive(values).length > 0
    ? logScale(values, units, Math.max(3, count + 2), padBelow)
    : linearScale(values, units, count);
}
