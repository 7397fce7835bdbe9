import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runProcess } from '../../src/core/process/run-process';
import { createDockerClient } from '../../src/core/engines/docker/client';
import { buildImage } from '../../src/core/engines/docker/build';
import { inspectEngine } from '../../src/core/engines/docker/engine';
import type { CatalogJson } from '../../src/core/runtimes/runtime-report';
import { helloDir, parseJson, repoRoot, tempDir } from '../unit/helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');

/** A unix socket that does what `behave` says with each connection: a stand-in for a broken engine. */
const openSockets = new Set<Socket>();

async function fakeEngine(
  behave: (socket: Socket, request: string) => void,
): Promise<{ path: string; server: Server }> {
  const socketPath = path.join(tempDir('wc-engine-'), 'docker.sock');
  const server = createServer((socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
    let request = '';
    socket.on('data', (d) => {
      const first = request === '';
      request += d.toString();
      if (first) behave(socket, request);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { path: socketPath, server };
}

describe('Docker engine faults: a clear message with the next step, and no hang', () => {
  const servers: Server[] = [];
  // the silent engines keep their connections open: end them, or this file's process never exits
  after(() => {
    for (const socket of openSockets) socket.destroy();
    servers.forEach((s) => s.close());
  });

  it('no engine at all: the runtimes listing says so and how to get one', async () => {
    const r = await runProcess(process.execPath, [cli, 'runtimes'], {
      env: { ...process.env, DOCKER_HOST: `unix://${path.join(tempDir(), 'absent.sock')}` },
      timeoutMs: 30_000,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(
      r.stdout,
      /No Docker engine answers \(is dockerd running\? On Debian: apt-get install docker\.io, then start dockerd\), or it listens at another address\./,
    );
    // the address is the CLI's to word: its environment variable
    assert.match(
      r.stdout,
      /→ no engine answered at unix:\/\/.*absent\.sock: if it listens elsewhere, set DOCKER_HOST to its address/,
    );
    assert.match(r.stdout, /node-wasi/, 'what does not need an engine is still listed');
  });

  it('a socket the user may not open: permission denied, and what to do (a real EACCES, as an unprivileged user)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run the client as another user');
    const engine = await fakeEngine((s) => s.destroy());
    servers.push(engine.server);
    chmodSync(engine.path, 0o600);
    chmodSync(path.dirname(engine.path), 0o755);
    // nobody (65534) may read the repository but not open the root-owned socket
    const child = spawn(process.execPath, [cli, 'runtimes', '--json'], {
      uid: 65534,
      gid: 65534,
      env: { PATH: process.env.PATH, HOME: '/tmp', DOCKER_HOST: `unix://${engine.path}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const docker = parseJson<CatalogJson>(out).engines.find((e) => e.name === 'docker');
    assert.match(
      docker?.report.reason ?? '',
      /^Permission denied on the Docker socket: add your user to the docker group \(and log in again\) or use rootless Docker\.$/,
    );
  });

  it('an engine that accepts the connection and never answers: detection gives up after 5 s with the reason', async () => {
    const engine = await fakeEngine(() => undefined);
    servers.push(engine.server);
    const report = await inspectEngine(createDockerClient({ host: `unix://${engine.path}` }));
    assert.equal(report.reachable, false);
    assert.match(
      report.reason!,
      /accepted the connection but did not answer within 5 s: it may be hung; restart it/,
    );
  });

  it('an engine that stops in the middle of a build: the build fails with the reason, quickly', async () => {
    const engine = await fakeEngine((socket, request) => {
      if (!request.startsWith('POST')) {
        socket.destroy();
        return;
      }
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      const line = '{"stream":"Step 1/2 : FROM scratch\\n"}\r\n';
      socket.write(`${line.length.toString(16)}\r\n${line}\r\n`);
      setTimeout(() => socket.destroy(), 100); // the daemon dies: no end of the chunked body
    });
    servers.push(engine.server);
    const lines: string[] = [];
    await assert.rejects(
      buildImage(createDockerClient({ host: `unix://${engine.path}` }), {
        context: helloDir,
        dockerfile: 'Dockerfile.native',
        tag: 'fault:test',
        onOutput: (l) => lines.push(l),
      }),
      /Building fault:test from .*Dockerfile\.native failed: the engine's answer broke off/,
    );
    assert.deepEqual(lines, ['Step 1/2 : FROM scratch'], 'what was built so far was shown');
  });

  it('an engine that goes silent in the middle of a build: the build fails after its idle timeout', async () => {
    const engine = await fakeEngine((socket, request) => {
      if (!request.startsWith('POST')) {
        socket.destroy();
        return;
      }
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      // …and nothing more, connection kept open
    });
    servers.push(engine.server);
    await assert.rejects(
      buildImage(createDockerClient({ host: `unix://${engine.path}` }), {
        context: helloDir,
        dockerfile: 'Dockerfile.native',
        tag: 'silent:test',
        idleTimeoutMs: 1000,
      }),
      /failed: the engine sent nothing for 1 s; is it still running\?/,
    );
    assert.ok(existsSync(helloDir));
  });
});
