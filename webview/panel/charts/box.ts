/**
 * The cold-start distribution: per target a box (quartiles, median, whiskers at 1.5 IQR) over every
 * measured run drawn as a dot; the median written beside it; hover a dot for that run, the box for
 * the statistics.
 */
import { chart, frame, horizontalTicks, root, type Chart } from './axis';
import { scaleFor, type Unit } from './scale';
import { chartFont, fitText, svg, text, textWidth } from './svg';
import { quantile } from '../../../src/core/profile/stats';
import { attachTips } from './tooltip';

export interface BoxRow {
  name: string;
  colour: number;
  values: number[];
  /** Hover text of the run at index i (of values). */
  runTip: (i: number) => string;
  /** Hover text of the whole distribution. */
  summaryTip: string;
}

export interface BoxOptions {
  title: string;
  units: Unit[];
  format: (v: number) => string;
  log: boolean;
  width: number;
}

const ROW = 40;
const BOX = 16;

interface Stats {
  sorted: number[];
  q1: number;
  q3: number;
  median: number;
  low: number;
  high: number;
}

function stats(values: number[]): Stats {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  return {
    sorted,
    q1,
    q3,
    median: quantile(sorted, 0.5),
    low: sorted.find((v) => v >= q1 - 1.5 * iqr) ?? q1,
    high: [...sorted].reverse().find((v) => v <= q3 + 1.5 * iqr) ?? q3,
  };
}

/** A deterministic vertical jitter in −1 … 1, so that repeated renders match. */
const jitter = (k: number) => ((((k * 2654435761) >>> 0) % 1000) / 1000 - 0.5) * 2;

export function boxPlot(rows: BoxRow[], o: BoxOptions): Chart {
  const f = frame(o.width, chartFont());
  const all = rows.flatMap((r) => r.values);
  const scale = scaleFor(all, o.units, o.log, Math.max(2, Math.floor(o.width / 120)));
  const st = rows.map((r) => stats(r.values));
  const medians = st.map((s) => (s.sorted.length ? `median ${o.format(s.median)}` : 'no runs'));
  const labelWidth = Math.min(
    Math.max(...rows.map((r) => textWidth(r.name, f.font)), 40) + 12,
    o.width * 0.38,
  );
  const valueWidth = Math.max(...medians.map((m) => textWidth(m, f.font)), 20) + 12;
  const x0 = labelWidth;
  const x1 = o.width - valueWidth;
  const top = 4;
  const plotBottom = top + rows.length * ROW;
  f.height = plotBottom + f.line + 10;
  const node = root(f, o.title);
  node.append(horizontalTicks(scale, x0, x1, top, plotBottom, f));
  const xOf = (v: number) => x0 + scale.fraction(v) * (x1 - x0);
  const dots: Array<Array<[number, number]>> = [];

  rows.forEach((r, i) => {
    const s = st[i];
    const cy = top + i * ROW + ROW / 2;
    const g = svg('g', { class: 'row' });
    const label = fitText(r.name, labelWidth - 12, f.font);
    const name = text(labelWidth - 8, cy, label, { class: 'category', 'text-anchor': 'end' });
    if (label !== r.name) name.append(svg('title', {}, r.name));
    g.append(name);
    const points = r.values.map((v, k): [number, number] => [
      xOf(v),
      cy + jitter(k) * (BOX / 2 + 3),
    ]);
    dots.push(points);
    // every run as a dot: one path, so that 10 000 runs stay one element
    g.append(
      svg('path', {
        class: `dots s${r.colour % 8}${points.length > 2000 ? ' dense' : ''}`,
        d: points
          .filter((_, k) => Number.isFinite(r.values[k]))
          .map(([x, y]) => `M${x.toFixed(1)} ${y.toFixed(1)}h0`)
          .join(''),
      }),
    );
    if (s.sorted.length > 0) {
      const whisker = `M${xOf(s.low)} ${cy}H${xOf(s.q1)}M${xOf(s.q3)} ${cy}H${xOf(s.high)}M${xOf(s.low)} ${cy - BOX / 3}v${(BOX * 2) / 3}M${xOf(s.high)} ${cy - BOX / 3}v${(BOX * 2) / 3}`;
      g.append(svg('path', { class: `whisker s${r.colour % 8}`, d: whisker }));
      g.append(
        svg('rect', {
          class: `box s${r.colour % 8}`,
          x: xOf(s.q1),
          y: cy - BOX / 2,
          width: Math.max(2, xOf(s.q3) - xOf(s.q1)),
          height: BOX,
          'data-tip': r.summaryTip,
          tabindex: 0,
        }),
      );
      g.append(
        svg('path', {
          class: `median s${r.colour % 8}`,
          d: `M${xOf(s.median)} ${cy - BOX / 2}v${BOX}`,
        }),
      );
    }
    const end = s.sorted.length ? xOf(s.sorted[s.sorted.length - 1]) : x0;
    g.append(text(end + 8, cy, medians[i], { class: 'value' }));
    node.append(g);
  });

  // the nearest run under the pointer (within 6 px), else the box's statistics
  attachTips(node, (x, y) => {
    const i = Math.floor((y - top) / ROW);
    if (i < 0 || i >= rows.length) return undefined;
    let best = -1;
    let bestDistance = 36;
    dots[i].forEach(([px, py], k) => {
      const d = (px - x) ** 2 + (py - y) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    });
    if (best >= 0) return rows[i].runTip(best);
    const s = st[i];
    return s.sorted.length && x >= xOf(s.low) - 4 && x <= xOf(s.high) + 4
      ? rows[i].summaryTip
      : undefined;
  });
  node.dataset.scale = scale.kind;
  return chart(node);
}
