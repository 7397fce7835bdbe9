import { showReadonly } from './readonly-documents';
import path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/process/errors';
import { scanCodeInSlices } from '../core/wasm/code-scan';
import {
  FULL_DECODE_LIMIT,
  inspectBytes,
  inspectFile,
  type InspectReport,
} from '../core/wasm/inspect';
import { verdictsFor } from '../core/wasm/inspect';
import { verdictContext } from '../core/runtimes/verdict-context';
import { coreModules } from '../core/wasm/size-breakdown';
import { functionWat, nameContext } from '../core/wasm/wat';
import { validateInWorker, wholeModuleText } from '../core/wasm/wabt';
import type { CoreModuleInfo } from '../core/wasm/model';
import type { NameContext } from '../core/wasm/instructions';
import { newNonce, webviewHtml } from '../core/webview-page';
import {
  parseFromInspector,
  type FromInspector,
  type ToInspector,
} from '../shared/inspector-protocol';

/**
 * The executables verdicts may ask (the Node that runs modules, the runtime CLIs): the user's own
 * settings only. Opening a file must not run an executable a workspace names before the user
 * approved it (runs ask; the inspector does not), so such a one is judged from the tables.
 */
function runtimeOptions(scope: vscode.Uri): { nodePath?: string; paths?: Record<string, string> } {
  const c = vscode.workspace.getConfiguration('wasmContainers', scope);
  const nodePath = c.inspect<string>('node.path')?.globalValue?.trim();
  const paths = c.inspect<Record<string, string>>('runtime.paths')?.globalValue;
  return { ...(nodePath ? { nodePath } : {}), ...(paths ? { paths } : {}) };
}

export const INSPECTOR_VIEW_TYPE = 'wasmContainers.wasmInspector';

type CodeScanMessage = Extract<ToInspector, { type: 'codeScan' }>;

/** One opened .wasm: its bytes (kept for WAT on demand), the report, and the code scan once done. */
class WasmDocument implements vscode.CustomDocument {
  private scan: Promise<CodeScanMessage | undefined> | undefined;
  private readonly names = new Map<CoreModuleInfo, NameContext>();
  private readonly abort = new AbortController();

  constructor(
    readonly uri: vscode.Uri,
    readonly bytes: Uint8Array | undefined,
    readonly report: InspectReport,
  ) {}

  get modules(): CoreModuleInfo[] {
    return coreModules(this.report.binary);
  }

  /** The code scan runs once per document, in slices, whatever the number of editors on it. */
  codeScan(log: vscode.LogOutputChannel): Promise<CodeScanMessage | undefined> {
    this.scan ??= (async (): Promise<CodeScanMessage | undefined> => {
      const c = this.report.classification;
      if (!this.bytes || !c) return undefined;
      const t0 = performance.now();
      const scan = await scanCodeInSlices(this.bytes, this.modules, this.abort.signal);
      const ms = performance.now() - t0;
      log.info(
        `inspector: scanned ${scan.instructions} instructions of ${path.basename(this.uri.fsPath)} in ${ms.toFixed(0)} ms`,
      );
      for (const p of scan.problems)
        log.warn(
          `inspector: ${path.basename(this.uri.fsPath)}: at byte offset ${p.offset}: ${p.message}`,
        );
      // the Node that would run it (the configured one) and the installed runtimes' versions
      const context = await verdictContext(
        this.uri.fsPath,
        runtimeOptions(this.uri),
        this.abort.signal,
      ).catch(() => ({}));
      const runtimes = verdictsFor(c, scan.features, context);
      return {
        type: 'codeScan',
        features: scan.features,
        instructions: scan.instructions,
        ms,
        runtimes,
      };
    })().catch((e: unknown) => {
      if (!this.abort.signal.aborted) log.error(`inspector: code scan failed: ${errorMessage(e)}`);
      return undefined;
    });
    return this.scan;
  }

  wat(moduleIndex: number, index: number) {
    const m = this.modules[moduleIndex];
    if (!m || !this.bytes) throw new Error(`module ${moduleIndex} is not in this file`);
    let names = this.names.get(m);
    if (!names) this.names.set(m, (names = nameContext(m)));
    return functionWat(this.bytes, m, index, names);
  }

  /** Aborted when the last editor on the document closes: background work stops. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  dispose(): void {
    this.abort.abort();
  }
}

/**
 * The custom editor for *.wasm: a read-only inspector. The summary is decoded in the extension
 * host (tens of ms for 14 MB); the instruction scan runs in slices afterwards; WAT is decoded one
 * function at a time on request, so no module is ever rendered whole.
 */
export class WasmInspectorProvider implements vscode.CustomReadonlyEditorProvider<WasmDocument> {
  static register(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel,
  ): { provider: WasmInspectorProvider; disposable: vscode.Disposable } {
    const provider = new WasmInspectorProvider(context, log);
    return {
      provider,
      disposable: vscode.window.registerCustomEditorProvider(INSPECTOR_VIEW_TYPE, provider, {
        supportsMultipleEditorsPerDocument: true,
      }),
    };
  }

  /** Pages that reported what they show, by document URI, and who waits for the next report. */
  private readonly shown = new Map<string, RenderedView>();
  private readonly waiting = new Map<string, Array<(v: RenderedView) => void>>();

  /** What the inspector shows for a module, once its page has rendered (at most `timeoutMs` from now). */
  rendered(uri: vscode.Uri, timeoutMs = 30_000): Promise<RenderedView | undefined> {
    const key = uri.toString();
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.shown.get(key)), timeoutMs);
      const list = this.waiting.get(key) ?? [];
      list.push((v) => {
        clearTimeout(timer);
        resolve(v);
      });
      this.waiting.set(key, list);
    });
  }

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async openCustomDocument(uri: vscode.Uri): Promise<WasmDocument> {
    const t0 = performance.now();
    const name = path.basename(uri.path);
    let document: WasmDocument;
    if (uri.scheme === 'file' && (await vscode.workspace.fs.stat(uri)).size > FULL_DECODE_LIMIT) {
      document = new WasmDocument(uri, undefined, inspectFile(uri.fsPath));
    } else {
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.log.info(
        `inspector: read ${name} (${bytes.length} bytes) in ${(performance.now() - t0).toFixed(0)} ms`,
      );
      document = new WasmDocument(uri, bytes, inspectBytes(bytes, { file: name }));
    }
    const r = document.report;
    this.log.info(
      `inspector: ${name}: ${r.binary?.kind ?? 'not decoded'}, ${r.sections.length} sections, ${r.problems.length} problems, decoded in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    for (const p of r.problems)
      this.log.warn(
        `inspector: ${name}: at byte offset ${p.offset}${p.section ? ` (${p.section})` : ''}: ${p.message}`,
      );
    return document;
  }

  resolveCustomEditor(document: WasmDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const assets = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    webview.options = { enableScripts: true, localResourceRoots: [assets] };
    webview.html = webviewHtml({
      nonce: newNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'wasm-inspector.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'wasm-inspector.css')).toString(),
      title: `Wasm Inspector: ${path.basename(document.uri.path)}`,
    });
    const post = (message: ToInspector) => void webview.postMessage(message);
    const subscription = webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseFromInspector(raw);
      if (!message) {
        this.log.warn(
          `inspector: ignored a message outside the protocol: ${JSON.stringify(raw)?.slice(0, 200)}`,
        );
        return;
      }
      this.handle(document, message, post);
    });
    panel.onDidDispose(() => {
      subscription.dispose();
    });
  }

  /** The whole module as text (wabt's wasm2wat) in a read-only WAT document; refused above WHOLE_TEXT_LIMIT. */
  private async openText(document: WasmDocument): Promise<void> {
    try {
      if (!document.bytes) throw new Error('the file is over the full-decode limit');
      const text = await wholeModuleText(document.bytes);
      await showReadonly(`${path.basename(document.uri.path)}.wat`, text);
    } catch (e) {
      void vscode.window.showWarningMessage(
        `Wasm Containers: cannot show ${path.basename(document.uri.path)} as text: ${errorMessage(e)}`,
      );
    }
  }

  private handle(
    document: WasmDocument,
    message: FromInspector,
    post: (m: ToInspector) => void,
  ): void {
    switch (message.type) {
      case 'rendered': {
        const key = document.uri.toString();
        const view = {
          heading: message.heading,
          tabs: message.tabs,
          problems: document.report.problems.length,
          kind: document.report.binary?.kind,
          pageMs: message.pageMs,
          renderMs: message.renderMs,
        };
        this.log.info(
          `inspector: ${path.basename(document.uri.path)} shown ${message.pageMs.toFixed(0)} ms after its page started (render ${message.renderMs.toFixed(0)} ms)`,
        );
        this.shown.set(key, view);
        for (const resolve of this.waiting.get(key) ?? []) resolve(view);
        this.waiting.delete(key);
        return;
      }
      case 'ready':
        post({
          type: 'report',
          fileName: path.basename(document.uri.path),
          report: document.report,
        });
        void document.codeScan(this.log).then((scan) => scan && post(scan));
        return;
      case 'validate':
        if (!document.bytes)
          return post({
            type: 'validation',
            valid: false,
            message: 'the file is over the full-decode limit: not loaded',
            ms: 0,
          });
        void validateInWorker(document.bytes, document.signal).then(
          (result) => {
            const what = result.valid
              ? `valid (${result.checked === 'full' ? 'every rule checked' : 'decoded only in part'})`
              : `invalid at byte offset ${result.error!.offset}: ${result.error!.message}`;
            this.log.info(
              `inspector: validated ${path.basename(document.uri.path)} in ${result.ms.toFixed(0)} ms: ${what}; wabt: ${result.wabt.valid ? 'valid' : result.wabt.message}`,
            );
            post({
              type: 'validation',
              valid: result.valid,
              ...(result.error
                ? { message: result.error.message, offset: result.error.offset }
                : {}),
              checked: result.checked,
              notes: result.notes,
              features: result.features,
              ms: result.ms,
              wabt: {
                valid: result.wabt.valid,
                ...(result.wabt.message ? { message: result.wabt.message } : {}),
              },
            });
          },
          (e: unknown) =>
            post({
              type: 'validation',
              valid: false,
              message: `the validator could not run: ${errorMessage(e)}`,
              ms: 0,
            }),
        );
        return;
      case 'openText':
        void this.openText(document);
        return;
      case 'wat':
        try {
          post({
            type: 'wat',
            module: message.module,
            wat: document.wat(message.module, message.index),
          });
        } catch (e) {
          post({
            type: 'watError',
            module: message.module,
            index: message.index,
            message: errorMessage(e),
          });
        }
    }
  }
}

export interface RenderedView {
  heading: string;
  /** Since the page started loading, and the render alone (ms). */
  pageMs: number;
  renderMs: number;
  tabs: string[];
  problems: number;
  kind?: string;
}

/**
 * "Inspect Wasm Module": opens a .wasm in the inspector (also when another editor is its default)
 * and resolves with what the page shows once it has rendered.
 */
export async function inspectModuleCommand(
  provider: WasmInspectorProvider,
  uri: vscode.Uri | undefined,
  pick: (uri: vscode.Uri | undefined, title: string) => Promise<vscode.Uri | undefined>,
): Promise<RenderedView | undefined> {
  const target = await pick(uri, 'Inspect Wasm Module');
  if (!target) return undefined;
  const rendered = provider.rendered(target);
  await vscode.commands.executeCommand('vscode.openWith', target, INSPECTOR_VIEW_TYPE);
  return rendered;
}
