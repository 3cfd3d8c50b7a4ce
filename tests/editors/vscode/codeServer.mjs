// code-server: the extension's install, and the server itself on a free local port (its own
// process group, stopped as a whole).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { codeServer, env, extDir, repo, say, sleep, tmp, userData, vsix, ws } from './config.mjs';

// An explicit config file, so that code-server neither reads nor writes ~/.config/code-server.
const csConfig = path.join(tmp, 'code-server.yaml');
const csBase = [codeServer, '--config', csConfig, '--user-data-dir', userData, '--extensions-dir', extDir];
const csEnv = () => ({ ...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${env.PATH}` });
export const codeServerLog = path.join(tmp, 'code-server.log');

export function installExtension() {
  fs.writeFileSync(csConfig, 'auth: none\ncert: false\n');
  say(`installing ${path.relative(repo, vsix)} into ${extDir}`);
  const installOut = execFileSync(process.execPath, [...csBase, '--install-extension', vsix], {
    encoding: 'utf8',
    timeout: 120000,
    env: csEnv(),
  });
  say(installOut.trim().split('\n').pop());
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Starts code-server on the workspace: { port, waitUntilUp(), stop() }. */
export async function startCodeServer() {
  const port = await freePort();
  const csLog = fs.createWriteStream(codeServerLog);
  say(`starting code-server on 127.0.0.1:${port}`);
  const cs = spawn(
    process.execPath,
    [
      ...csBase,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ws,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: csEnv(),
      detached: true, // own process group: killed as a whole at the end
    },
  );
  cs.stdout.pipe(csLog);
  cs.stderr.pipe(csLog);
  let csExited = false;
  cs.on('exit', (code) => {
    csExited = true;
    say(`code-server exited (${code})`);
  });

  async function waitUntilUp() {
    const deadline = Date.now() + 60000;
    while (!(await httpOk(`http://127.0.0.1:${port}/healthz`))) {
      if (csExited || Date.now() > deadline) throw new Error('code-server did not come up (see code-server.log)');
      await sleep(250);
    }
  }

  async function stop() {
    if (csExited) return;
    try {
      process.kill(-cs.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 50 && !csExited; i++) {
      await sleep(100);
    }
    if (!csExited) {
      try {
        process.kill(-cs.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  return { port, waitUntilUp, stop };
}
