import { decodeComponent } from './component';
import { decodeCoreModule } from './core-module';
import { readWasmHeader } from './header';
import type { WasmBinaryInfo } from './model';

/** Decodes a core module or a component, whichever the preamble says it is. */
export function decodeWasm(bytes: Uint8Array): WasmBinaryInfo {
  let isComponent = false;
  try {
    isComponent = readWasmHeader(bytes).kind === 'component';
  } catch {
    // decodeCoreModule reports the header problem with its offset
  }
  return isComponent ? decodeComponent(bytes) : decodeCoreModule(bytes);
}
