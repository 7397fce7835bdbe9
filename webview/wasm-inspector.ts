// The Wasm inspector custom editor's page. Data arrives only by postMessage and is validated.
import './panel/panel.css';
import './inspector/inspector.css';
import { parseToInspector, type FromInspector } from '../src/shared/inspector-protocol';
import { InspectorApp } from './inspector/app';

declare function acquireVsCodeApi(): { postMessage(message: FromInspector): void };

const vscode = acquireVsCodeApi();
const app = new InspectorApp(document.getElementById('app')!, (m) => vscode.postMessage(m));
window.addEventListener('message', (event: MessageEvent) => {
  const message = parseToInspector(event.data);
  if (message) app.receive(message);
  else console.warn('wasm-containers: ignored a message that is not of the inspector protocol');
});
vscode.postMessage({ type: 'ready' });
