#!/usr/bin/env node
// Density: N concurrent instances kept alive, memory per instance from the OS, time to bring all up,
// and the profiler's own peak memory (target < 150 MB).
//   node bench/density.mjs [--wasm 100,400] [--containers 100] [--runtime docker-runc]
// Node WASI and native-process instances run `hello sleep 300` (stopped once measured); containers run the native image.
// Needs `npm run build`; containers need a Docker engine (scripts/setup-docker.sh) or containerd
// (scripts/setup-containerd.sh: --runtime containerd-runc, containerd-youki). Prints figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    wasm: { type: 'string', default: '100,400' },
    containers: { type: 'string', default: '100' },
    runtime: { type: 'string', default: 'docker-runc' },
  },
});
const list = (v) =>
  v
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'wc-density-'));
const hello = path.join(root, 'examples/hello');

function profile(name, targets, instances) {
  const spec = path.join(tmp, `${name}.json`);
  writeFileSync(
    spec,
    JSON.stringify({
      name,
      targets,
      scenarios: {
        coldStart: false,
        density: { instances, args: ['sleep', '300'], readyMarker: 'Starting', settleMs: 1000 },
      },
    }),
  );
  const out = path.join(tmp, `${name}-result.json`);
  const t0 = Date.now();
  execFileSync(
    process.execPath,
    [
      path.join(root, 'dist/cli.js'),
      'profile',
      spec,
      '--timeout',
      '120',
      '--results-dir',
      path.join(tmp, 'runs'),
      '--export-json',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const result = JSON.parse(readFileSync(out, 'utf8'));
  return { result, seconds: (Date.now() - t0) / 1000 };
}

const mib = (kb) =>
  kb === undefined || !Number.isFinite(kb) ? '–' : `${(kb / 1024).toFixed(2)} MiB`;
const rows = [
  [
    'target',
    'instances',
    'ready',
    'measured',
    'all up after',
    'per instance RSS',
    'per instance PSS',
    'per instance cgroup',
    'profiler peak',
    'wall time of the scenario',
  ],
];
const add = ({ result, seconds }) => {
  for (const d of result.scenarios.density) {
    rows.push([
      result.targets.find((t) => t.id === d.target).label,
      String(d.instances),
      String(d.ready),
      String(d.measured),
      `${(d.upMs / 1000).toFixed(2)} s`,
      d.totalCgroupKb === undefined ? mib(d.perInstanceRssKb) : '–',
      mib(d.perInstancePssKb),
      mib(d.perInstanceCgroupKb),
      mib(result.profilerPeakRssKb),
      `${seconds.toFixed(1)} s`,
    ]);
    for (const e of d.errors.slice(0, 3)) console.error(`  ${d.target} ×${d.instances}: ${e}`);
  }
};

for (const n of list(values.wasm)) {
  process.stderr.write(`density: ${n} × Node WASI and ${n} × native process…\n`);
  add(
    profile(
      `processes-${n}`,
      [
        {
          id: 'wasm',
          label: 'wasm · node-wasi',
          runtime: 'node-wasi',
          artifact: path.join(hello, 'hello.wasm'),
        },
        {
          id: 'native',
          label: 'native · process',
          runtime: 'process',
          artifact: path.join(hello, 'hello'),
        },
      ],
      [n],
    ),
  );
}
/**
 * The native image: built by Docker or Podman from Dockerfile.native; containerd (which has a store
 * of its own) imports the daemonless builder's oci-archive holding the Wasm and native images.
 */
function nativeImage() {
  if (!values.runtime.startsWith('containerd-'))
    return {
      artifact: 'wasm-containers/hello-native:latest',
      build: { context: hello, dockerfile: 'Dockerfile.native' },
    };
  const archive = path.join(tmp, 'hello.oci.tar');
  execFileSync(process.execPath, [
    path.join(root, 'dist/cli.js'),
    'build',
    path.join(hello, 'Dockerfile'),
    '--native',
    path.join(hello, 'Dockerfile.native'),
    '--output',
    `oci-archive:${archive}`,
  ]);
  return { artifact: archive };
}
for (const n of list(values.containers)) {
  process.stderr.write(`density: ${n} × native image under ${values.runtime}…\n`);
  add(
    profile(
      `containers-${n}`,
      [
        {
          id: 'image',
          label: `native image · ${values.runtime.replace(/^docker-/, '')}`,
          runtime: values.runtime,
          ...nativeImage(),
        },
      ],
      [n],
    ),
  );
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(
  `\nDensity (${os.cpus()[0].model.trim()} ×${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB)\n`,
);
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
