import { escapeAttr, newNonce } from '../webview-page';
import { readFileSync } from 'node:fs';
import { bundledFile } from '../paths';
import type { PanelState } from './panel-state';

/** Data inside <script type="application/json">: `<` escaped so that no "</script>" can end the block. */
export function inertJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A report that opens offline in any browser: the panel's bundle and styles inlined, the data in an
 * inert JSON block, and a CSP that allows no network request at all.
 */
export function standaloneHtml(state: PanelState, title: string): string {
  const nonce = newNonce();
  const script = readFileSync(bundledFile('webview/profile-panel.js'), 'utf8').replace(
    /<\/script/gi,
    '<\\/script',
  );
  const style = readFileSync(bundledFile('webview/profile-panel.css'), 'utf8').replace(
    /<\/style/gi,
    '<\\/style',
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data: blob:;">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttr(title)}</title>
<style nonce="${nonce}">${style}</style>
</head>
<body>
<main id="app"></main>
<script type="application/json" id="wc-data">${inertJson({ ...state, standalone: true })}</script>
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
}
