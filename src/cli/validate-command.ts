import { readFileSync } from 'node:fs';
import { validateBinary } from '../core/wasm/validate-binary';
import type { ValidateArgs } from './args';

/** wasm-containers validate FILE.wasm: exit 0 when valid, 1 with the first problem's offset. */
export function validateCommand(cli: ValidateArgs): number {
  const v = validateBinary(readFileSync(cli.file));
  process.stdout.write(
    cli.json
      ? JSON.stringify(v, null, 2) + '\n'
      : `${cli.file}: ${
          v.valid
            ? `valid (${v.checked === 'full' ? 'every rule checked' : 'no problem found; parts were only decoded'})`
            : `invalid at byte offset ${v.error!.offset} (0x${v.error!.offset.toString(16)}): ${v.error!.message}`
        }\n${v.notes.map((n) => `  note: ${n}\n`).join('')}  proposals accepted (this V8's): ${v.features.join(', ')}\n`,
  );
  return v.valid ? 0 : 1;
}
