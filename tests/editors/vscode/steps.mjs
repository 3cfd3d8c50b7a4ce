// Running a step of the scenario: on failure, a screenshot, code-server's log, VS Code's logs and
// the end of the Specmark output channel, then the error goes on (the run stops).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerLog } from './codeServer.mjs';
import { artifacts, repo, say, userData } from './config.mjs';
import { page } from './ui.mjs';

export async function saveArtifacts(label) {
  fs.mkdirSync(artifacts, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const prefix = path.join(artifacts, `${stamp}-${label}`);
  if (page) {
    try {
      await page.screenshot({ path: `${prefix}.png` });
      say(`screenshot: ${path.relative(repo, `${prefix}.png`)}`);
    } catch (err) {
      say(`screenshot failed: ${err.message}`);
    }
  }
  try {
    fs.copyFileSync(codeServerLog, `${prefix}-code-server.log`);
    const logs = path.join(userData, 'logs');
    if (fs.existsSync(logs)) {
      fs.cpSync(logs, `${prefix}-logs`, { recursive: true });
      say(`logs: ${path.relative(repo, `${prefix}-logs`)}`);
    }
  } catch (err) {
    say(`copying logs failed: ${err.message}`);
  }
}

/** The Specmark output channel's log file (LogOutputChannel), if it exists yet. */
export function specmarkLog() {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Specmark.log') found.push(p);
    }
  };
  walk(path.join(userData, 'logs'));
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

export async function step(name, fn) {
  say(`STEP ${name}`);
  try {
    return await fn();
  } catch (err) {
    say(`FAILED ${name}: ${err.stack ?? err}`);
    await saveArtifacts(name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    const log = specmarkLog();
    if (log) {
      console.log('--- Specmark output channel (last 60 lines) ---');
      console.log(log.trim().split('\n').slice(-60).join('\n'));
    }
    throw err;
  }
}
