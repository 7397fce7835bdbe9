/**
 * One tooltip for every chart: elements carry their text in data-tip (set from data as text, never
 * markup); hovering or focusing them shows it next to the pointer.
 */
let tip: HTMLDivElement | undefined;

function element(): HTMLDivElement {
  if (!tip || !tip.isConnected) {
    tip = document.createElement('div');
    tip.className = 'wc-tooltip';
    tip.setAttribute('role', 'tooltip');
    tip.hidden = true;
    document.body.append(tip);
  }
  return tip;
}

export function showTip(content: string, x: number, y: number): void {
  const t = element();
  t.textContent = content;
  t.hidden = false;
  const { width, height } = t.getBoundingClientRect();
  const left = Math.min(x + 14, window.innerWidth - width - 4);
  const top = y + 16 + height > window.innerHeight ? y - height - 8 : y + 16;
  t.style.left = `${Math.max(4, left) + window.scrollX}px`;
  t.style.top = `${Math.max(4, top) + window.scrollY}px`;
}

export function hideTip(): void {
  if (tip) tip.hidden = true;
}

/**
 * Hover and keyboard focus on any element with data-tip inside `root`; `resolve` may compute a tip
 * from the pointer position instead (nearest point of a scatter).
 */
export function attachTips(
  root: SVGSVGElement,
  resolve?: (x: number, y: number) => string | undefined,
): void {
  root.addEventListener('mousemove', (e) => {
    const target = (e.target as Element).closest('[data-tip]');
    const box = root.getBoundingClientRect();
    const content =
      resolve?.(e.clientX - box.left, e.clientY - box.top) ?? target?.getAttribute('data-tip');
    if (content) showTip(content, e.clientX, e.clientY);
    else hideTip();
  });
  root.addEventListener('mouseleave', hideTip);
  root.addEventListener('focusin', (e) => {
    const target = (e.target as Element).closest('[data-tip]');
    const content = target?.getAttribute('data-tip');
    if (!content) return;
    const r = target!.getBoundingClientRect();
    showTip(content, r.right, r.top);
  });
  root.addEventListener('focusout', hideTip);
}
