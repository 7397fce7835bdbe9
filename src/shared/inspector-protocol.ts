/**
 * The message protocol between the extension and the Wasm inspector webview. Both sides import
 * this module; every message is validated on receipt.
 */
import type { CodeScan } from '../core/wasm/code-scan';
import type { InspectReport } from '../core/wasm/inspect';
import type { RuntimeVerdict } from '../core/wasm/runtime-support';
import type { FunctionWat } from '../core/wasm/wat';
import { index, isObj, str } from './validate';

export type ToInspector =
  | { type: 'report'; fileName: string; report: InspectReport }
  /** The code scan finished: proposals used by the instructions, and the verdicts that follow. */
  | {
      type: 'codeScan';
      features: CodeScan['features'];
      instructions: number;
      ms: number;
      runtimes: RuntimeVerdict[];
    }
  /** `module` indexes the core modules in order (0 for a core module; nested modules of a component). */
  | { type: 'wat'; module: number; wat: FunctionWat }
  | { type: 'watError'; module: number; index: number; message: string }
  /** Validate: the first problem with its offset (or none), how far it checked, and wabt's verdict beside it. */
  | {
      type: 'validation';
      valid: boolean;
      message?: string;
      offset?: number;
      checked?: 'full' | 'decoded-only';
      notes?: string[];
      features?: string[];
      ms: number;
      wabt?: { valid: boolean; message?: string };
    };

export type FromInspector =
  | { type: 'ready' }
  | { type: 'wat'; module: number; index: number }
  | { type: 'validate' }
  /** Open the whole module as text in an editor (small modules only). */
  | { type: 'openText' }
  /** The page shows a report: its heading and tab titles as displayed (what the command reports back). */
  | { type: 'rendered'; heading: string; tabs: string[]; pageMs: number; renderMs: number };

export function parseFromInspector(message: unknown): FromInspector | undefined {
  if (!isObj(message)) return undefined;
  if (message.type === 'ready' || message.type === 'validate' || message.type === 'openText')
    return { type: message.type };
  if (message.type === 'wat' && index(message.module, 10_000) && index(message.index))
    return { type: 'wat', module: message.module, index: message.index };
  if (
    message.type === 'rendered' &&
    str(message.heading, 2000) &&
    Array.isArray(message.tabs) &&
    message.tabs.length <= 20 &&
    message.tabs.every((t) => str(t, 200))
  ) {
    const ms = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : -1);
    return {
      type: 'rendered',
      heading: message.heading,
      tabs: message.tabs,
      pageMs: ms(message.pageMs),
      renderMs: ms(message.renderMs),
    };
  }
  return undefined;
}

export function parseToInspector(message: unknown): ToInspector | undefined {
  if (!isObj(message)) return undefined;
  switch (message.type) {
    case 'report':
      return isObj(message.report) &&
        Array.isArray(message.report.sections) &&
        typeof message.fileName === 'string'
        ? (message as ToInspector)
        : undefined;
    case 'codeScan':
      return Array.isArray(message.features) && Array.isArray(message.runtimes)
        ? (message as ToInspector)
        : undefined;
    case 'wat':
      return isObj(message.wat) && typeof message.wat.text === 'string'
        ? (message as ToInspector)
        : undefined;
    case 'watError':
      return typeof message.message === 'string' ? (message as ToInspector) : undefined;
    case 'validation':
      return typeof message.valid === 'boolean' ? (message as ToInspector) : undefined;
  }
  return undefined;
}
