// Makes hello.component.wasm (a WASI preview2 command component) from hello.wasm and the preview1
// adapter, with wasm-tools as shipped (transpiled to JS) in @bytecodealliance/jco-transpile:
//   d=$(mktemp -d) && (cd "$d" && npm init -y >/dev/null && npm i --ignore-scripts @bytecodealliance/jco-transpile@0.15.0 && npm pack @bytecodealliance/jco@1.35.0 && tar xzf bytecodealliance-jco-1.35.0.tgz)
//   WC_TOOLS="$d" node examples/hello/make-component.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const tools = process.env.WC_TOOLS;
if (!tools) throw new Error('set WC_TOOLS to the folder prepared as the comment at the top says');
const { tools: wasmTools, $init } = await import(path.join(tools, 'node_modules/@bytecodealliance/jco-transpile/vendor/wasm-tools.js'));
await $init;
const core = readFileSync(path.join(here, 'hello.wasm'));
const adapter = readFileSync(path.join(tools, 'package/lib/wasi_snapshot_preview1.command.wasm'));
// an empty world: the adapter brings the preview2 imports and the wasi:cli/run export
const embedded = wasmTools.componentEmbed({ binary: core, witSource: 'package local:hello;\nworld hello {}\n', stringEncoding: 'utf8' });
const component = wasmTools.componentNew(embedded, [['wasi_snapshot_preview1', adapter]]);
writeFileSync(path.join(here, 'hello.component.wasm'), component);
console.log(`hello.component.wasm: ${component.length} bytes`);
console.log(wasmTools.componentWit(component));
