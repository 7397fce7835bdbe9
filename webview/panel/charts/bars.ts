/**
 * Horizontal bars: one row per target with its name on the left (names never collide, however
 * many targets), a value at the end of every bar, parts grouped or stacked, hover for details.
 */
import { chart, frame, horizontalTicks, root, type Chart } from './axis';
import { scaleFor, type Unit } from './scale';
import { chartFont, fitText, svg, text, textWidth } from './svg';
import { attachTips } from './tooltip';

export interface BarRow {
  name: string;
  /** Colour index of the target (its place in the profile). */
  colour: number;
  /** One value per part; NaN where the part does not apply. */
  values: number[];
  /** Extra lines for the hover of part j. */
  details?: (part: number) => string[];
}

export interface BarOptions {
  title: string;
  parts: string[];
  stacked?: boolean;
  units: Unit[];
  format: (v: number) => string;
  log: boolean;
  width: number;
}

const BAR = 18;
const GROUPED_BAR = 12;

export function barChart(rows: BarRow[], o: BarOptions): Chart {
  const f = frame(o.width, chartFont());
  const grouped = o.parts.length > 1 && !o.stacked;
  const ok = (v: number) => Number.isFinite(v) && v > 0;
  const barsOf = (r: BarRow) => (grouped ? Math.max(1, r.values.filter(ok).length) : 1);
  const totals = rows.map((r) =>
    o.stacked
      ? r.values.filter(ok).reduce((a, b) => a + b, 0)
      : Math.max(0, ...r.values.filter(ok)),
  );
  const valueLabels = rows.flatMap((r, i) =>
    o.stacked ? [o.format(totals[i])] : r.values.filter(ok).map(o.format),
  );
  const plotted = o.stacked ? totals : rows.flatMap((r) => r.values);
  const scale = scaleFor(
    plotted,
    o.units,
    o.log && !o.stacked,
    Math.max(2, Math.floor(o.width / 120)),
  );

  const names = rows.map((r) => r.name);
  const labelWidth = Math.min(
    Math.max(...names.map((n) => textWidth(n, f.font)), 40) + 12,
    o.width * 0.38,
  );
  const valueWidth = Math.max(...valueLabels.map((v) => textWidth(v, f.font)), 20) + 10;
  const x0 = labelWidth;
  const x1 = o.width - valueWidth;
  const rowHeight = (r: BarRow) => {
    const n = barsOf(r);
    return Math.max(f.line, n * (grouped ? GROUPED_BAR : BAR) + (n - 1) * 2) + 12;
  };
  const top = 4;
  const plotBottom = top + rows.reduce((s, r) => s + rowHeight(r), 0);
  f.height = plotBottom + f.line + 10;
  const node = root(f, o.title);
  node.append(horizontalTicks(scale, x0, x1, top, plotBottom, f));

  const xOf = (v: number) => x0 + scale.fraction(v) * (x1 - x0);
  let y = top;
  rows.forEach((r, i) => {
    const h = rowHeight(r);
    const g = svg('g', { class: 'row' });
    const label = fitText(r.name, labelWidth - 12, f.font);
    const name = text(labelWidth - 8, y + h / 2, label, {
      class: 'category',
      'text-anchor': 'end',
    });
    if (label !== r.name) name.append(svg('title', {}, r.name));
    g.append(name);
    const barHeight = grouped ? GROUPED_BAR : BAR;
    let by = y + (h - (barsOf(r) * (barHeight + 2) - 2)) / 2;
    let stackBase = scale.min;
    r.values.forEach((v, j) => {
      if (!ok(v)) return;
      const from = o.stacked ? xOf(stackBase) : x0;
      const to = o.stacked ? xOf(stackBase + v) : xOf(v);
      const colour = o.parts.length > 1 ? `p${j}` : `s${r.colour % 8}`;
      const tip = [
        `${r.name}${o.parts.length > 1 ? ` — ${o.parts[j]}` : ''}: ${o.format(v)}`,
        ...(r.details?.(j) ?? []),
      ].join('\n');
      g.append(
        svg('rect', {
          class: `bar ${colour}`,
          x: from,
          y: by,
          width: Math.max(2, to - from),
          height: barHeight,
          'data-tip': tip,
          'data-value': v,
          tabindex: 0,
        }),
      );
      if (!o.stacked) {
        g.append(
          text(Math.max(from + 2, to) + 5, by + barHeight / 2, o.format(v), { class: 'value' }),
        );
        by += barHeight + 2;
      }
      stackBase += v;
    });
    if (o.stacked && totals[i] > 0)
      g.append(
        text(xOf(totals[i]) + 5, by + barHeight / 2, o.format(totals[i]), { class: 'value' }),
      );
    node.append(g);
    y += h;
  });
  node.dataset.scale = scale.kind;
  attachTips(node);
  return chart(node);
}
