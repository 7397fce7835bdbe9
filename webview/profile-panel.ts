// The profiling panel (in a VS Code webview) and the standalone HTML report (opened from a file):
// one bundle, two hosts. Data arrives only by postMessage (panel) or an inert JSON block (report).
import './panel/panel.css';
import { renderCsv } from '../src/core/profile/report-csv';
import { renderMarkdownReport } from '../src/core/profile/report-markdown';
import { parseToWebview, type FromWebview, type PanelState } from '../src/shared/webview-protocol';
import { PanelApp, type Host } from './panel/app';
import { onThemeChange } from './panel/theme';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  setState(state: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('app')!;
const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

function download(name: string, content: string, type: string): void {
  const a = document.createElement('a');
  a.href = content.startsWith('data:')
    ? content
    : URL.createObjectURL(new Blob([content], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

let state: PanelState | undefined;
const host: Host = vscode
  ? { standalone: false, post: (m) => vscode.postMessage(m) }
  : {
      standalone: true,
      post: () => undefined,
      download: (format, name, content) => {
        const result = state?.result;
        if (format === 'png') return download(name, content, 'image/png');
        if (!result) return;
        if (format === 'json') download(name, JSON.stringify(result, null, 2), 'application/json');
        else if (format === 'csv') download(name, renderCsv(result), 'text/csv');
        else if (format === 'markdown')
          download(
            name,
            renderMarkdownReport(result, result.settings.name ?? 'Profile'),
            'text/markdown',
          );
      },
    };
const app = new PanelApp(root, host);

if (vscode) {
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseToWebview(event.data);
    if (!message) {
      console.warn('wasm-containers: ignored a message that is not of the panel protocol');
      return;
    }
    if (message.type === 'state') {
      state = message.state;
      vscode.setState({ resultFile: message.state.resultFile });
      app.setState(message.state);
    } else if (message.type === 'progress')
      app.setProgress(message.message, message.done, message.total);
    else app.finished(message.result);
  });
  vscode.postMessage({ type: 'ready' });
} else {
  // a report opened from a file follows the OS colour scheme and contrast, as VS Code's themes would
  document.body.classList.add('standalone');
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const contrast = window.matchMedia('(prefers-contrast: more)');
  const applyScheme = () => {
    const classes = document.body.classList;
    classes.toggle('vscode-dark', dark.matches && !contrast.matches);
    classes.toggle('vscode-light', !dark.matches && !contrast.matches);
    classes.toggle('vscode-high-contrast', dark.matches && contrast.matches);
    classes.toggle('vscode-high-contrast-light', !dark.matches && contrast.matches);
  };
  applyScheme();
  dark.addEventListener('change', applyScheme);
  contrast.addEventListener('change', applyScheme);
  const data = document.getElementById('wc-data')?.textContent;
  state = data
    ? { ...(JSON.parse(data) as PanelState), standalone: true }
    : { runs: [], live: false, standalone: true };
  app.setState(state);
}

onThemeChange(() => app.render());
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => app.render(), 150);
});
