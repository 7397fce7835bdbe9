/** Calls back when VS Code switches theme (it changes the body's classes) or the OS scheme changes. */
export function onThemeChange(callback: () => void): void {
  new MutationObserver(callback).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', callback);
}
