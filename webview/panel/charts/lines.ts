/**
 * Lines over a numeric x (instances, starts, time): a marker shape per series so that lines stay
 * apart without colour; hover shows every series' value at the nearest x.
 */
import { chart, frame, horizontalTicks, root, verticalTicks, type Chart } from './axis';
import { scaleFor, type Unit } from './scale';
import { chartFont, svg, text, textWidth } from './svg';
import { attachTips } from './tooltip';

export interface LineSeries {
  name: string;
  colour: number;
  points: Array<[number, number]>;
}

export interface LineOptions {
  title: string;
  xTitle: string;
  xUnits: Unit[];
  yUnits: Unit[];
  formatX: (v: number) => string;
  formatY: (v: number) => string;
  xLog: boolean;
  yLog: boolean;
  width: number;
}

const HEIGHT = 240;

/** Marker shapes (a path around 0,0), one per series. */
const MARKERS = [
  'M-3.5 0a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0', // circle
  'M-3 -3h6v6h-6z', // square
  'M0 -4l4 7h-8z', // triangle
  'M0 -4.5l4.5 4.5l-4.5 4.5l-4.5 -4.5z', // diamond
  'M-4 0h8M0 -4v8', // plus
  'M-3 -3l6 6M3 -3l-6 6', // cross
  'M0 4l4 -7h-8z', // triangle down
  'M-4 -1.5h8v3h-8z', // bar
];

export function lineChart(series: LineSeries[], o: LineOptions): Chart {
  const f = frame(o.width, chartFont());
  f.height = HEIGHT;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const yScale = scaleFor(ys, o.yUnits, o.yLog, 4);
  const xScale = scaleFor(xs, o.xUnits, o.xLog, Math.max(2, Math.floor(o.width / 110)), false);
  const yLabelWidth = Math.max(...yScale.ticks.map((t) => textWidth(yScale.label(t), f.font)), 20);
  const x0 = yLabelWidth + 12;
  const x1 = o.width - 12;
  const top = 8;
  const yBottom = HEIGHT - 2 * f.line - 12;
  const node = root(f, o.title);
  const xOf = (v: number) => x0 + xScale.fraction(v) * (x1 - x0);
  const yOf = (v: number) => yBottom - yScale.fraction(v) * (yBottom - top);
  node.append(verticalTicks(yScale, x0, x1, top, yBottom, f));
  node.append(horizontalTicks(xScale, x0, x1, top, yBottom, f));
  node.append(
    text(x1, HEIGHT - f.line / 2 - 2, o.xTitle, { class: 'axis-title', 'text-anchor': 'end' }),
  );
  series.forEach((s) => {
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    const cls = `s${s.colour % 8}`;
    node.append(
      svg('path', {
        class: `line ${cls}`,
        d: pts
          .map(([x, y], k) => `${k ? 'L' : 'M'}${xOf(x).toFixed(1)} ${yOf(y).toFixed(1)}`)
          .join(''),
      }),
    );
    if (pts.length <= 60) {
      const shape = MARKERS[s.colour % MARKERS.length];
      for (const [x, y] of pts)
        node.append(
          svg('path', {
            class: `marker ${cls}`,
            d: shape,
            transform: `translate(${xOf(x).toFixed(1)} ${yOf(y).toFixed(1)})`,
          }),
        );
    }
  });
  const guide = svg('line', {
    class: 'guide',
    x1: 0,
    x2: 0,
    y1: top,
    y2: yBottom,
    visibility: 'hidden',
  });
  node.append(guide);
  attachTips(node, (px) => {
    if (px < x0 - 10 || px > x1 + 10 || xs.length === 0) {
      guide.setAttribute('visibility', 'hidden');
      return undefined;
    }
    const nearest = xs.reduce((a, b) => (Math.abs(xOf(b) - px) < Math.abs(xOf(a) - px) ? b : a));
    guide.setAttribute('x1', String(xOf(nearest)));
    guide.setAttribute('x2', String(xOf(nearest)));
    guide.setAttribute('visibility', 'visible');
    const lines = series
      .map((s) => [s.name, s.points.find((p) => p[0] === nearest)?.[1]] as const)
      .filter(([, v]) => v !== undefined)
      .map(([name, v]) => `${name}: ${o.formatY(v!)}`);
    return [o.formatX(nearest), ...lines].join('\n');
  });
  node.addEventListener('mouseleave', () => guide.setAttribute('visibility', 'hidden'));
  node.dataset.scale = yScale.kind;
  return chart(node);
}

/** The marker of a series, for its legend key. */
export function markerIcon(colour: number): SVGSVGElement {
  return svg(
    'svg',
    { class: 'key-marker', width: 12, height: 12, viewBox: '-6 -6 12 12', 'aria-hidden': 'true' },
    svg('path', { class: `marker s${colour % 8}`, d: MARKERS[colour % MARKERS.length] }),
  );
}
