import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { newNonce, webviewHtml } from '../../src/core/webview-page';
import { parseFromInspector, parseToInspector } from '../../src/shared/inspector-protocol';
import { parseFromWebview } from '../../src/shared/webview-protocol';
import { repoRoot } from './helpers';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)],
  );
}

describe('webview hardening', () => {
  it('every webview page: CSP default-src none, scripts and styles by nonce, attributes escaped', () => {
    const nonce = newNonce();
    const html = webviewHtml({
      nonce,
      cspSource: 'vscode-resource:',
      scriptUri: 'x.js?"><script>alert(1)</script>',
      styleUri: 's.css',
      title: '<b>t</b>',
    });
    assert.match(
      html,
      /content="default-src 'none'; script-src 'nonce-[^']+'; style-src vscode-resource: 'nonce-[^']+'; img-src vscode-resource: data:; font-src vscode-resource:;"/,
    );
    assert.equal(html.match(/<script/g)?.length, 1, 'one script element, the nonce-tagged bundle');
    assert.match(html, /src="x\.js\?&quot;>&lt;script>alert\(1\)&lt;\/script>"/);
    assert.match(html, /<title>&lt;b>t&lt;\/b><\/title>/);
    assert.notEqual(newNonce(), nonce);
  });

  it('the browser code never turns data into HTML (no innerHTML, no inline handlers)', () => {
    for (const file of files(path.join(repoRoot, 'webview')).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(
        text,
        /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/,
        file,
      );
      assert.doesNotMatch(text, /setAttribute\(\s*['"]on/, file);
    }
  });

  it('hostile messages from a webview are refused, not half-understood', () => {
    const hostile: unknown[] = [
      null,
      42,
      'ready',
      [],
      { type: 'wat' },
      { type: 'wat', module: -1, index: 0 },
      { type: 'wat', module: 0, index: 1.5 },
      { type: 'wat', module: '0', index: 0 },
      { type: 'wat', module: 1e9, index: 0 },
      { type: 'rendered', heading: 'x'.repeat(5000), tabs: [] },
      { type: 'rendered', heading: 'h', tabs: Array(50).fill('t') },
      { type: 'rendered', heading: 'h', tabs: [{ toString: () => 'x' }] },
      { type: '__proto__' },
      { type: 'unknown' },
    ];
    for (const m of hostile) assert.equal(parseFromInspector(m), undefined, JSON.stringify(m));
    assert.deepEqual(
      parseFromInspector({ type: 'wat', module: 0, index: 7, extra: 'ignored' }),
      { type: 'wat', module: 0, index: 7 },
      'only the known fields are kept',
    );
    for (const m of [
      { type: 'export', format: 'exe' },
      { type: 'saveChart', name: '../../etc/passwd', pngDataUrl: 'data:image/png;base64,' },
      { type: 'saveChart', name: 'c', pngDataUrl: 'javascript:alert(1)' },
      { type: 'openRun', file: 42 },
    ]) {
      assert.equal(parseFromWebview(m), undefined, JSON.stringify(m));
    }
    assert.equal(
      parseToInspector({ type: 'report', report: { sections: 'no' }, fileName: 'x' }),
      undefined,
    );
  });
});
