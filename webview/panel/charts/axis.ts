/** The pieces every chart shares: a frame, a value axis with gridlines, and PNG export. */
import type { Scale } from './scale';
import { svg, text, textWidth } from './svg';

export interface Chart {
  svg: SVGSVGElement;
  /** The chart as drawn, as a PNG data URL (theme colours resolved). */
  png(): Promise<string>;
}

export interface Frame {
  width: number;
  height: number;
  font: string;
  /** Height of a text line in pixels. */
  line: number;
}

export function frame(width: number, font: string): Frame {
  const size = parseFloat(font) || 13;
  return { width, height: 0, font, line: Math.round(size * 1.35) };
}

export function root(f: Frame, label: string): SVGSVGElement {
  return svg('svg', {
    class: 'wc-chart',
    width: f.width,
    height: f.height,
    viewBox: `0 0 ${f.width} ${f.height}`,
    role: 'img',
    'aria-label': label,
  });
}

/**
 * Tick labels along a horizontal axis, skipping any that would touch the one before (gridlines
 * stay): labels never overlap, whatever the width.
 */
export function horizontalTicks(
  scale: Scale,
  x0: number,
  x1: number,
  yTop: number,
  yAxis: number,
  f: Frame,
  format: (v: number) => string = scale.label,
): SVGGElement {
  const g = svg('g', { class: 'axis' });
  let lastRight = -Infinity;
  for (const t of scale.ticks) {
    const x = x0 + scale.fraction(t) * (x1 - x0);
    g.append(svg('line', { class: 'grid', x1: x, x2: x, y1: yTop, y2: yAxis }));
    const label = format(t);
    const w = textWidth(label, f.font);
    const left = Math.max(0, Math.min(x - w / 2, f.width - w));
    if (left < lastRight + 6) continue;
    lastRight = left + w;
    g.append(
      text(left + w / 2, yAxis + f.line / 2 + 4, label, { class: 'tick', 'text-anchor': 'middle' }),
    );
  }
  g.append(svg('line', { class: 'baseline', x1: x0, x2: x1, y1: yAxis, y2: yAxis }));
  return g;
}

/** Tick labels along a vertical axis (right-aligned left of x0), each with its gridline. */
export function verticalTicks(
  scale: Scale,
  x0: number,
  x1: number,
  yTop: number,
  yBottom: number,
  f: Frame,
  format: (v: number) => string = scale.label,
): SVGGElement {
  const g = svg('g', { class: 'axis' });
  let lastTop = Infinity;
  for (const t of scale.ticks) {
    const y = yBottom - scale.fraction(t) * (yBottom - yTop);
    g.append(svg('line', { class: 'grid', x1: x0, x2: x1, y1: y, y2: y }));
    if (y > lastTop - f.line) continue;
    lastTop = y;
    g.append(text(x0 - 6, y, format(t), { class: 'tick', 'text-anchor': 'end' }));
  }
  g.append(svg('line', { class: 'baseline', x1: x0, x2: x0, y1: yTop, y2: yBottom }));
  return g;
}

const INLINED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
];

/** The SVG with its computed styles written as attributes, drawn on a canvas at twice the size. */
export async function toPng(node: SVGSVGElement): Promise<string> {
  const clone = node.cloneNode(true) as SVGSVGElement;
  const originals = [node, ...Array.from(node.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((original, i) => {
    const style = getComputedStyle(original);
    for (const p of INLINED) copies[i].setAttribute(p, style.getPropertyValue(p));
  });
  const background = getComputedStyle(document.body).backgroundColor;
  clone.insertBefore(
    svg('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: background }),
    clone.firstChild,
  );
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  const width = Number(node.getAttribute('width'));
  const height = Number(node.getAttribute('height'));
  canvas.width = width * 2;
  canvas.height = height * 2;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.drawImage(image, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}

export function chart(node: SVGSVGElement): Chart {
  return { svg: node, png: () => toPng(node) };
}
