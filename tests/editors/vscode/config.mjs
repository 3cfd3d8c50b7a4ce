// The driver's settings (from the environment, see driver.mjs), the temporary directory's layout,
// and the log line helper. Exits with status 2 when something the run needs is missing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..', '..');
const t0 = Date.now();
export const say = (msg) => console.log(`[vscode-e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `name` found on PATH, else undefined. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = dir && path.join(dir, name);
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const env = process.env;
export const codeServer = env.SPECMARK_CODE_SERVER;
export const vsix = env.SPECMARK_VSIX ?? path.join(repo, 'editors', 'vscode', 'specmark.vsix');
export const chromiumPath = env.CHROMIUM ?? onPath('chromium') ?? '/usr/bin/chromium';
export const artifacts = env.SPECMARK_ARTIFACTS ?? path.join(repo, 'test-artifacts', 'vscode');
export const isMac = process.platform === 'darwin';
export const mod = isMac ? 'Meta' : 'Control';
/** SPECMARK_E2E_BUNDLED=1: no server setting; only the first steps run. */
export const bundledOnly = env.SPECMARK_E2E_BUNDLED === '1';

function need(cond, msg) {
  if (!cond) {
    console.error(`vscode-e2e: ${msg}`);
    process.exit(2);
  }
}
need(codeServer && fs.existsSync(codeServer), `SPECMARK_CODE_SERVER not set or missing: ${codeServer}`);
need(fs.existsSync(vsix), `extension package missing: ${vsix}`);
need(fs.existsSync(chromiumPath), `Chromium missing: ${chromiumPath}`);
need(env.SPECMARK_SERVER_PATH || env.SPECMARK_PYTHON || env.SPECMARK_E2E_BUNDLED === '1', 'set SPECMARK_SERVER_PATH or SPECMARK_PYTHON (or SPECMARK_E2E_BUNDLED=1)');
need(Number(process.versions.node.split('.')[0]) >= 24, `code-server needs Node 24, this is ${process.version}`);

// The temporary directory (os.tmpdir()): code-server's user data and extensions, the workspace.
export const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'specmark-vscode-'));
export const userData = path.join(tmp, 'user-data');
export const extDir = path.join(tmp, 'extensions');
export const ws = path.join(tmp, 'workspace');
