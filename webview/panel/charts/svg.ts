/** SVG building that never interprets data as markup (names are text nodes), styled by CSS classes. */
const NS = 'http://www.w3.org/2000/svg';

export type Attrs = Record<string, string | number | undefined>;

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | undefined>
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  for (const c of children) if (c !== undefined) node.append(c);
  return node;
}

/** Text at (x, y); `anchor` start | middle | end; vertically centred on y unless told otherwise. */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): SVGTextElement {
  return svg('text', { x, y, 'dominant-baseline': 'central', ...attrs }, content);
}

/** Width of a text in the panel's font, measured without touching the document. */
let measurer: CanvasRenderingContext2D | null | undefined;
export function textWidth(content: string, font: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return content.length * 7;
  measurer.font = font;
  return measurer.measureText(content).width;
}

/** The font the charts use (the body's), as a canvas font shorthand. */
export function chartFont(): string {
  const style = getComputedStyle(document.body);
  return `${style.fontSize || '13px'} ${style.fontFamily || 'sans-serif'}`;
}

/** A text cut to fit `max` pixels, with an ellipsis. */
export function fitText(content: string, max: number, font: string): string {
  if (textWidth(content, font) <= max) return content;
  let lo = 0;
  let hi = content.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(content.slice(0, mid) + '…', font) <= max) lo = mid;
    else hi = mid - 1;
  }
  return content.slice(0, lo) + '…';
}
