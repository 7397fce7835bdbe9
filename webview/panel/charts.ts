import uPlot from 'uplot';
import { quantile } from '../../src/core/profile/stats';
import type { ChartTheme } from './theme';

export interface ChartHandle {
  plot: uPlot;
  /** PNG of the chart as drawn (axes included). */
  png(): string;
}

const HEIGHT = 260;

function axis(
  theme: ChartTheme,
  label: string,
  values?: uPlot.Axis['values'],
  size?: number,
  splits?: uPlot.Axis['splits'],
): uPlot.Axis {
  // an explicit `size: undefined` would override uPlot's default and hide the axis: set only what is given
  return {
    label,
    values,
    stroke: theme.foreground,
    labelFont: theme.font,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    ...(size !== undefined ? { size } : {}),
    ...(splits !== undefined ? { splits } : {}),
  };
}

/** One tick per category, at 0, 1, 2 … */
const categorySplits = (count: number) => () => Array.from({ length: count }, (_, i) => i);

function make(target: HTMLElement, opts: uPlot.Options, data: uPlot.AlignedData): ChartHandle {
  const plot = new uPlot(opts, data, target);
  return { plot, png: () => plot.ctx.canvas.toDataURL('image/png') };
}

export function widthOf(target: HTMLElement): number {
  return Math.max(320, Math.floor(target.clientWidth || target.parentElement?.clientWidth || 600));
}

/** Category axis labels: index → name, shortened to fit. */
const categoryValues = (names: string[]) => (_u: uPlot, ticks: number[]) =>
  ticks.map((t) =>
    Number.isInteger(t) && names[t] !== undefined
      ? names[t].length > 24
        ? names[t].slice(0, 23) + '…'
        : names[t]
      : '',
  );

/**
 * Box plot per category with every raw value drawn as a jittered point. Whiskers at 1.5 IQR like
 * most box plots; points beyond them stand out as outliers.
 */
export function boxPlot(
  target: HTMLElement,
  theme: ChartTheme,
  groups: Array<{ name: string; values: number[] }>,
  yLabel: string,
  format: (v: number) => string,
): ChartHandle {
  const all = groups.flatMap((g) => g.values).filter(Number.isFinite);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  const stats = groups.map((g) => {
    const s = g.values.filter(Number.isFinite).sort((a, b) => a - b);
    const q1 = quantile(s, 0.25),
      q3 = quantile(s, 0.75),
      iqr = q3 - q1;
    const lowW = s.find((v) => v >= q1 - 1.5 * iqr) ?? q1;
    const highW = [...s].reverse().find((v) => v <= q3 + 1.5 * iqr) ?? q3;
    return { s, q1, q3, med: quantile(s, 0.5), lowW, highW };
  });
  const draw = (u: uPlot) => {
    const ctx = u.ctx;
    ctx.save();
    const px = (v: number) => u.valToPos(v, 'y', true);
    const bandPx = u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true);
    stats.forEach((st, i) => {
      if (st.s.length === 0) return;
      const colour = theme.series[i % theme.series.length];
      const cx = u.valToPos(i, 'x', true);
      const half = Math.min(bandPx * 0.28, 60 * devicePixelRatio);
      // raw points, jittered deterministically so repeated renders match
      ctx.fillStyle = colour;
      ctx.globalAlpha = st.s.length > 2000 ? 0.25 : 0.55;
      const r = Math.max(1.5, 2.5 * devicePixelRatio);
      st.s.forEach((v, k) => {
        const jitter = ((((k * 2654435761) >>> 0) % 1000) / 1000 - 0.5) * half * 1.6;
        ctx.fillRect(cx + jitter - r / 2, px(v) - r / 2, r, r);
      });
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.strokeRect(cx - half, px(st.q3), half * 2, px(st.q1) - px(st.q3));
      ctx.beginPath();
      ctx.moveTo(cx - half, px(st.med));
      ctx.lineTo(cx + half, px(st.med));
      ctx.moveTo(cx, px(st.q3));
      ctx.lineTo(cx, px(st.highW));
      ctx.moveTo(cx, px(st.q1));
      ctx.lineTo(cx, px(st.lowW));
      ctx.moveTo(cx - half / 2, px(st.highW));
      ctx.lineTo(cx + half / 2, px(st.highW));
      ctx.moveTo(cx - half / 2, px(st.lowW));
      ctx.lineTo(cx + half / 2, px(st.lowW));
      ctx.stroke();
    });
    ctx.restore();
  };
  return make(
    target,
    {
      width: widthOf(target),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, groups.length - 0.5] },
        y: { range: [Math.max(0, lo - pad), hi + pad] },
      },
      axes: [
        axis(
          theme,
          '',
          categoryValues(groups.map((g) => g.name)),
          undefined,
          categorySplits(groups.length),
        ),
        axis(theme, yLabel, (_u, ticks) => ticks.map(format), 80),
      ],
      series: [{}, { show: false }],
      hooks: { draw: [draw] },
    },
    [groups.map((_, i) => i), groups.map(() => null)],
  );
}

/**
 * Bars per category; with several parts they are grouped side by side, or stacked when `stacked`.
 * A single part is coloured per category, like the targets' legend; parts are coloured per part.
 */
export function barChart(
  target: HTMLElement,
  theme: ChartTheme,
  categories: string[],
  parts: Array<{ name: string; values: number[] }>,
  yLabel: string,
  format: (v: number) => string,
  stacked = false,
): ChartHandle {
  const totals = categories.map((_, i) =>
    stacked
      ? parts.reduce((s, p) => s + (Number.isFinite(p.values[i]) ? p.values[i] : 0), 0)
      : Math.max(...parts.map((p) => (Number.isFinite(p.values[i]) ? p.values[i] : 0))),
  );
  const top = Math.max(...totals, 0) * 1.1 || 1;
  const draw = (u: uPlot) => {
    const ctx = u.ctx;
    ctx.save();
    const bandPx = u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true);
    const groupPx = bandPx * 0.7;
    categories.forEach((_, i) => {
      const cx = u.valToPos(i, 'x', true);
      let base = 0;
      parts.forEach((p, j) => {
        const v = p.values[i];
        if (!Number.isFinite(v) || v <= 0) return;
        ctx.fillStyle =
          parts.length === 1 ? theme.series[i % theme.series.length] : partColour(theme, j);
        if (stacked) {
          const y0 = u.valToPos(base, 'y', true),
            y1 = u.valToPos(base + v, 'y', true);
          ctx.fillRect(cx - groupPx / 2, y1, groupPx, y0 - y1);
          base += v;
        } else {
          const w = groupPx / parts.length;
          const x = cx - groupPx / 2 + j * w;
          const y1 = u.valToPos(v, 'y', true);
          ctx.fillRect(x + 1, y1, w - 2, u.valToPos(0, 'y', true) - y1);
        }
      });
    });
    ctx.restore();
  };
  return make(
    target,
    {
      width: widthOf(target),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, categories.length - 0.5] },
        y: { range: [0, top] },
      },
      axes: [
        axis(theme, '', categoryValues(categories), undefined, categorySplits(categories.length)),
        axis(theme, yLabel, (_u, ticks) => ticks.map(format), 80),
      ],
      series: [{}, { show: false }],
      hooks: { draw: [draw] },
    },
    [categories.map((_, i) => i), categories.map(() => null)],
  );
}

/** Lines over a shared numeric x (counts, or ms); series may have gaps. */
export function lineChart(
  target: HTMLElement,
  theme: ChartTheme,
  lines: Array<{ name: string; points: Array<[number, number]> }>,
  xLabel: string,
  yLabel: string,
  formatX: (v: number) => string,
  formatY: (v: number) => string,
  logX = false,
): ChartHandle {
  const xs = [...new Set(lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map((l) => {
    const col: Array<number | null> = xs.map(() => null);
    for (const [x, y] of l.points) col[index.get(x)!] = y;
    return col;
  });
  return make(
    target,
    {
      width: widthOf(target),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, distr: logX ? 3 : 1 },
        y: { range: (_u, _min, max) => [0, (max || 1) * 1.1] },
      },
      axes: [
        axis(theme, xLabel, (_u, ticks) => ticks.map(formatX)),
        axis(theme, yLabel, (_u, ticks) => ticks.map(formatY), 80),
      ],
      series: [
        { label: xLabel },
        ...lines.map((l, i) => ({
          label: l.name,
          stroke: theme.series[i % theme.series.length],
          width: 2,
          spanGaps: true,
          points: {
            show: l.points.length <= 60,
            size: 6,
            fill: theme.series[i % theme.series.length],
          },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatY(v)),
        })),
      ],
    },
    [xs, ...ys] as uPlot.AlignedData,
  );
}

/** Colours of the parts of grouped or stacked bars: taken from the end of the palette so they do not read as targets. */
export function partColour(theme: ChartTheme, j: number): string {
  return theme.series[(theme.series.length - 1 - j + theme.series.length) % theme.series.length];
}
