// Starts code-server (the VS Code 1.139 server + web workbench, from npm) on 127.0.0.1 and Debian
// chromium through playwright-core: a real VS Code extension host where VS Code itself cannot be
// downloaded. Installed by scripts/setup-vscode-host.sh into .vscode-test/.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const NODE24_BIN = process.env.VSCODE_HOST_NODE_BIN ?? path.join(root, '.vscode-test/node24/bin');
const CODE_SERVER =
  process.env.VSCODE_HOST_CODE_SERVER ??
  path.join(root, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const t0 = Date.now();
export const log = (...a) => console.log(`[host +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => res(p));
      })
      .on('error', rej);
  });

/** The test workspace: the fixture folder plus the example's built artifacts. */
export function makeWorkspace(dir) {
  const ws = path.join(dir, 'ws');
  cpSync(path.join(root, 'test/fixtures/ws'), ws, { recursive: true });
  for (const f of ['hello.wasm', 'hello', 'hello.c', 'hello.component.wasm'])
    cpSync(path.join(root, 'examples/hello', f), path.join(ws, f));
  // a module that copies stdin to stdout: what is typed in the run terminal must reach it
  cpSync(path.join(root, 'test/fixtures/wasm/cat.wat'), path.join(ws, 'cat.wat'));
  // a real 10 MB module for the inspector (fetched by scripts/fetch-wasm-samples.mjs)
  const big = path.join(root, '.cache/wasm-samples/starlingmonkey_embedding.wasm');
  if (existsSync(big)) {
    mkdirSync(path.join(ws, 'samples'));
    cpSync(big, path.join(ws, 'samples/starlingmonkey_embedding.wasm'));
  }
  return ws;
}

/**
 * `untrusted`: workspace trust on and the folder not trusted (Restricted Mode, no prompt); the
 * extension host gets WC_EXTHOST_SUITE=untrusted so that the test runner picks the matching suite.
 */
export async function startCodeServer({
  settings = {},
  verbose = !!process.env.VERBOSE,
  untrusted = false,
} = {}) {
  const runs = path.join(root, '.vscode-test/runs');
  mkdirSync(runs, { recursive: true });
  const dir = mkdtempSync(path.join(runs, 'run-'));
  const ws = makeWorkspace(dir);
  const userData = path.join(dir, 'user-data');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': untrusted,
        ...(untrusted
          ? {
              'security.workspace.trust.startupPrompt': 'never',
              'security.workspace.trust.banner': 'never',
              'security.workspace.trust.emptyWindow': false,
            }
          : {}),
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        'window.commandCenter': false,
        'workbench.reduceMotion': 'on',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        // the DOM renderer keeps terminal text readable from the page (no WebGL canvas)
        'terminal.integrated.gpuAcceleration': 'off',
        ...settings,
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(dir, 'config.yaml'), '');
  const port = await freePort();
  const args = [
    CODE_SERVER,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    path.join(dir, 'extensions'),
    '--config',
    path.join(dir, 'config.yaml'),
    // without it the built workbench ignores the URL payload (extensionDevelopmentPath / extensionTestsPath)
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  const env = {
    ...process.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    HOME: dir,
    TMPDIR: dir,
    EXTENSIONS_GALLERY: '{}',
    WC_EXTHOST_SUITE: untrusted ? 'untrusted' : 'trusted',
  };
  const proc = spawn(path.join(NODE24_BIN, 'node'), args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const onData = (d) => {
    out += d;
    if (verbose) process.stderr.write(`[code-server] ${d}`);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => {
      if (proc.exitCode !== null) return r();
      proc.once('exit', r);
      setTimeout(r, 5000);
    });
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      // exited after SIGTERM
    }
    if (!process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if (proc.exitCode !== null)
        throw new Error(`code-server exited early (${proc.exitCode}):\n${out}`);
      try {
        if ((await fetch(url + 'healthz')).ok) break;
      } catch {
        // not listening yet
      }
      // a watchdog for a server that never comes up, not a speed limit (a loaded machine is slow)
      if (i > 3000) throw new Error('code-server did not start in 300 s:\n' + out);
      await new Promise((r) => setTimeout(r, 100));
    }
    // /healthz answers before VS Code is loaded: request the page and wait for the agent
    const res = await fetch(url).catch((e) => ({ ok: false, status: String(e) }));
    for (let i = 0; res.ok && i < 3000 && !out.includes('Extension host agent started'); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!res.ok || !out.includes('Extension host agent started'))
      throw new Error(
        `VS Code server failed to start (GET / -> ${res.status}):\n${out.slice(-3000)}`,
      );
  } catch (e) {
    await stop();
    throw e;
  }
  log(`code-server up on ${url}`);
  return { url, port, dir, ws, pid: proc.pid, output: () => out, stop };
}

export function launchChromium(userDataDir) {
  const home = path.join(userDataDir, 'home');
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    },
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const remoteUri = (server, p) =>
  `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;

/** The workbench URL with this extension loaded from the repository (and, optionally, tests to run). */
export function workbenchUrl(server, { testsPath } = {}) {
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, root)],
    ['skipWelcome', 'true'],
  ];
  if (testsPath) payload.push(['extensionTestsPath', remoteUri(server, testsPath)]);
  return `${server.url}?folder=${encodeURIComponent(server.ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
