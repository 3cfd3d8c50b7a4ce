// End-to-end test of the specmark VS Code extension in real VS Code (code-server), driven through
// its UI with headless Chromium (playwright-core).
//
// Run by tests/editors/test_vscode.py; by hand (with Node 24, after editors/install-deps.sh):
//
//   SPECMARK_CODE_SERVER=~/.cache/specmark-editors/code-server/node_modules/code-server/out/node/entry.js \
//   SPECMARK_VSIX=editors/vscode/specmark.vsix SPECMARK_SERVER_PATH="$(command -v specmark)" \
//   node tests/editors/vscode/driver.mjs
//
// Environment:
//   SPECMARK_CODE_SERVER   code-server's entry script (run with this process's node, which must be 24)
//   SPECMARK_VSIX          the packaged extension
//   SPECMARK_SERVER_PATH   the `specmark` executable (setting specmark.server.path), or
//   SPECMARK_PYTHON        a Python that can `-m specmark serve` (setting specmark.server.pythonPath)
//   SPECMARK_E2E_BUNDLED=1 set neither setting: the extension must start the server bundled in the
//                          .vsix; only the first steps run (diagnostics in the Problems panel)
//   CHROMIUM               Chromium executable (default /usr/bin/chromium)
//   SPECMARK_ARTIFACTS     where screenshots and logs go on failure (default <repo>/test-artifacts/vscode)
//   SPECMARK_KEEP_TMP=1    keep the temporary directory
//
// Steps (each must pass): the missing-requirements warning shows in the Problems panel; the
// setting specmark.severity (pushed to the server with didChangeConfiguration) makes it an error; the
// keybinding (ctrl+alt+x) turns `[ ]` into `[x]`; the code action "Mark task 1 not done" turns it
// back; the command palette's "Specmark: Toggle Task Checkbox" marks it done again; after saving the
// file on disk has `[x]`; in a second spec, the "covered by 1 task (1 done)" code lens of
// requirements.md opens the references peek view with the covering task when clicked; the setting
// specmark.inlayHints shows the requirement's title after its ID in tasks.md; a wrong
// specmark.server.path gives an error notification that says how to fix it. The status-bar
// progress item is checked when the server answers specmark/progress.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const t0 = Date.now();
const say = (msg) => console.log(`[vscode-e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

const env = process.env;
const codeServer = env.SPECMARK_CODE_SERVER;
const vsix = env.SPECMARK_VSIX ?? path.join(repo, 'editors', 'vscode', 'specmark.vsix');
const chromiumPath = env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = env.SPECMARK_ARTIFACTS ?? path.join(repo, 'test-artifacts', 'vscode');
const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

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

// ------------------------------------------------------------------------------------------
// Workspace, user settings, extension install.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'specmark-vscode-'));
const userData = path.join(tmp, 'user-data');
const extDir = path.join(tmp, 'extensions');
const ws = path.join(tmp, 'workspace');
const specDir = path.join(ws, '.kiro', 'specs', 'demo');
const tasksFile = path.join(specDir, 'tasks.md');
fs.mkdirSync(specDir, { recursive: true });
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(
  path.join(specDir, 'requirements.md'),
  [
    '# Requirements Document',
    '',
    '## Introduction',
    '',
    'A demo spec for the VS Code end-to-end test.',
    '',
    '## Requirements',
    '',
    '### Requirement 1: Login',
    '',
    '**User Story:** As a user, I want to log in, so that I can see my data.',
    '',
    '#### Acceptance Criteria',
    '',
    '1. WHEN the user submits valid credentials THE system SHALL open a session',
    '2. WHEN the user submits invalid credentials THE system SHALL show an error',
    '',
  ].join('\n'),
);
const TASKS = ['# Implementation Plan', '', '- [ ] 1. Implement login', '  - Build the login form', ''].join('\n');
fs.writeFileSync(tasksFile, TASKS);
// A second spec whose one task covers criterion 1.1: the coverage code lens and the inlay hint.
const coveredDir = path.join(ws, '.kiro', 'specs', 'covered');
fs.mkdirSync(coveredDir, { recursive: true });
fs.writeFileSync(
  path.join(coveredDir, 'requirements.md'),
  [
    '# Requirements Document',
    '',
    '## Requirements',
    '',
    '### Requirement 1: Session handling',
    '',
    '**User Story:** As a user, I want to stay signed in, so that I do not log in on every page.',
    '',
    '#### Acceptance Criteria',
    '',
    '1. WHEN the user signs in THE system SHALL start a session',
    '',
  ].join('\n'),
);
fs.writeFileSync(
  path.join(coveredDir, 'tasks.md'),
  ['# Implementation Plan', '', '- [x] 1. Start a session on sign-in', '  - _Requirements: 1.1_', ''].join('\n'),
);

// A third spec that no step opens: its finding shows only with specmark.diagnostics.scope = workspace.
const unopenedDir = path.join(ws, '.kiro', 'specs', 'unopened');
fs.mkdirSync(unopenedDir, { recursive: true });
fs.copyFileSync(path.join(specDir, 'requirements.md'), path.join(unopenedDir, 'requirements.md'));
fs.writeFileSync(
  path.join(unopenedDir, 'tasks.md'),
  ['# Implementation Plan', '', '- [ ] 1. Never opened', '  - _Requirements: 1.1, 1.2, 9.9_', ''].join('\n'),
);

// code-server is a remote window: settings of scope machine / machine-overridable (the server
// path) are read from the remote ("Machine") settings, the others from the user settings.
fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'git.enabled': false,
  'specmark.trace.server': 'messages',
};
fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
const machineSettingsFile = path.join(userData, 'Machine', 'settings.json');
const bundledOnly = env.SPECMARK_E2E_BUNDLED === '1';
const serverSettings = bundledOnly
  ? {}
  : env.SPECMARK_SERVER_PATH
    ? { 'specmark.server.path': env.SPECMARK_SERVER_PATH }
    : { 'specmark.server.pythonPath': env.SPECMARK_PYTHON };
fs.writeFileSync(machineSettingsFile, JSON.stringify(serverSettings, null, 2));
// Changes during the test go to the workspace settings: code-server does not always notice a
// rewrite of the user settings file, while the workspace folder's watcher is reliable.
const workspaceSettings = {};
const writeWorkspaceSettings = (extra) => {
  Object.assign(workspaceSettings, extra);
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(workspaceSettings, null, 2));
};

// An explicit config file, so that code-server neither reads nor writes ~/.config/code-server.
const csConfig = path.join(tmp, 'code-server.yaml');
fs.writeFileSync(csConfig, 'auth: none\ncert: false\n');
const csBase = [codeServer, '--config', csConfig, '--user-data-dir', userData, '--extensions-dir', extDir];
say(`installing ${path.relative(repo, vsix)} into ${extDir}`);
const installOut = execFileSync(process.execPath, [...csBase, '--install-extension', vsix], {
  encoding: 'utf8',
  timeout: 120000,
  env: { ...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${env.PATH}` },
});
say(installOut.trim().split('\n').pop());

// ------------------------------------------------------------------------------------------
// code-server and the browser.

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const port = await freePort();
const csLog = fs.createWriteStream(path.join(tmp, 'code-server.log'));
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
    env: { ...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${env.PATH}` },
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

let browser;
let page;
let failed = false;

async function cleanup() {
  try {
    await browser?.close();
  } catch {
    /* already gone */
  }
  if (!csExited) {
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
}

async function saveArtifacts(label) {
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
    fs.copyFileSync(path.join(tmp, 'code-server.log'), `${prefix}-code-server.log`);
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
function specmarkLog() {
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

async function step(name, fn) {
  say(`STEP ${name}`);
  try {
    return await fn();
  } catch (err) {
    failed = true;
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

/** Lines of the active editor as rendered (Monaco renders spaces as U+00A0). */
async function editorLines() {
  return page.evaluate(() => {
    const group = document.querySelector('.editor-group-container.active') ?? document;
    const lines = [...group.querySelectorAll('.monaco-editor .view-lines .view-line')];
    return lines
      .map((el) => ({ top: parseFloat(el.style.top || '0'), text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
}

async function waitForEditorLine(predicate, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let lines = [];
  while (Date.now() < deadline) {
    lines = await editorLines();
    if (lines.some(predicate)) return lines;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; editor shows:\n${lines.join('\n')}`);
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
}

/** Opens a workspace file with quick open (Ctrl+P); `query` is a path such as "demo/tasks.md". */
async function openFile(query) {
  const name = path.basename(query);
  const folder = path.basename(path.dirname(query));
  const tab = page.locator('.tab.active', { hasText: name });
  let rows = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.keyboard.press(`${mod}+P`);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(query);
    // The row of that file: its name, and its folder in the description.
    const row = page
      .locator('.quick-input-list .monaco-list-row', { hasText: name })
      .filter({ hasText: folder })
      .first();
    try {
      await row.waitFor({ state: 'visible', timeout: 20000 });
      await row.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
      await tab.waitFor({ timeout: 10000 });
      const crumbs = await page.locator('.editor-group-container.active .monaco-breadcrumbs').first().innerText();
      if (crumbs.includes(folder)) return;
      rows = [`opened a ${name} outside ${folder}: ${crumbs.replace(/\s+/g, ' ')}`];
    } catch {
      rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts().catch(() => []);
      await page.keyboard.press('Escape');
    }
    say(`quick open "${query}" (attempt ${attempt}) did not open it: ${JSON.stringify(rows)}`);
  }
  throw new Error(`quick open could not open ${query}: ${JSON.stringify(rows)}`);
}

async function clickTaskLine() {
  // Click at the end of the task line so that the cursor is on it.
  const line = page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'Implement login' });
  await line.first().click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('End');
}

// Stop code-server (and the language server under it) when killed or when the run takes too long.
const WATCHDOG_MS = Number(env.SPECMARK_E2E_TIMEOUT_MS ?? 480000);
const watchdog = setTimeout(async () => {
  say(`watchdog: the run took longer than ${WATCHDOG_MS / 1000}s`);
  await saveArtifacts('watchdog');
  await cleanup();
  process.exit(1);
}, WATCHDOG_MS);
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, async () => {
    say(`${sig}: stopping`);
    await cleanup();
    process.exit(1);
  });
}

/** Thrown to end the run after the steps of SPECMARK_E2E_BUNDLED=1. */
class BundledDone extends Error {}

const TODO = (l) => /^- \[ \] 1\. Implement login/.test(l);
const DONE = (l) => /^- \[x\] 1\. Implement login/.test(l);

let exitCode = 0;
try {
  await step('code-server starts', async () => {
    const deadline = Date.now() + 60000;
    while (!(await httpOk(`http://127.0.0.1:${port}/healthz`))) {
      if (csExited || Date.now() > deadline) throw new Error('code-server did not come up (see code-server.log)');
      await sleep(250);
    }
  });

  await step('browser opens the workspace', async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (err) => say(`page error: ${err.message}`));
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.statusbar').waitFor({ timeout: 60000 });
    // Wait for the explorer to show the workspace, so that quick open can find files.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
  });

  await step('open tasks.md', async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    await openFile('demo/tasks.md');
    await waitForEditorLine(TODO, '"- [ ] 1. Implement login" in the editor');
  });

  await step('Problems panel shows missing-requirements', async () => {
    await runCommand('View: Focus Problems');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'missing-requirements' }).first();
    const startError = page.locator('.notification-toast', { hasText: 'Specmark: the language server' }).first();
    await Promise.race([
      row.waitFor({ state: 'visible', timeout: 90000 }),
      startError.waitFor({ state: 'visible', timeout: 90000 }).then(
        async () => {
          throw new Error(`the server did not start: ${await startError.innerText()}`);
        },
        () => new Promise(() => {}),
      ),
    ]);
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    say(`Problems: ${text}`);
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'problems.png') });
    if (!/specmark/.test(text)) throw new Error(`the problem is not from source specmark: ${text}`);
  });

  if (bundledOnly) {
    await step('the server is the one bundled in the .vsix', async () => {
      const started = specmarkLog()
        .split('\n')
        .find((l) => /Starting the server: /.test(l));
      say(`output channel: ${started}`);
      if (!started || !/the bundled server/.test(started)) throw new Error(`not the bundled server: ${started}`);
    });
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'bundled-success.png') });
    throw new BundledDone();
  }

  await step('setting specmark.severity turns it into an error', async () => {
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'missing-requirements' }).first();
    if ((await row.locator('.codicon-warning').count()) === 0) {
      throw new Error(`expected a warning icon: ${await row.innerHTML()}`);
    }
    writeWorkspaceSettings({ 'specmark.severity': { 'missing-requirements': 'error' } });
    try {
      await row.locator('.codicon-error').waitFor({ timeout: 20000 });
    } catch {
      // Tell a missing re-pull (the server must send workspace/diagnostic/refresh after a
      // settings change) from settings that never arrived.
      await clickTaskLine();
      await page.keyboard.type(' ');
      const afterEdit = await row
        .locator('.codicon-error')
        .waitFor({ timeout: 10000 })
        .then(() => true, () => false);
      throw new Error(
        afterEdit
          ? 'the new severity showed only after an edit: the server did not send workspace/diagnostic/refresh ' +
              'after workspace/didChangeConfiguration (VS Code pulls diagnostics)'
          : 'the severity setting had no effect, even after an edit',
      );
    }
    say('Problems: missing-requirements is now an error');
    const invalid = page.locator('.notification-toast', { hasText: 'invalid settings' });
    if ((await invalid.count()) > 0) {
      throw new Error(`the server rejected the settings: ${await invalid.first().innerText()}`);
    }
  });

  await step('keybinding ctrl+alt+x marks the task done', async () => {
    await clickTaskLine();
    await page.keyboard.press(isMac ? 'Meta+Alt+X' : 'Control+Alt+X');
    const lines = await waitForEditorLine(DONE, '"- [x] 1. Implement login" after ctrl+alt+x');
    say(`editor: ${lines.find(DONE)}`);
  });

  await step('code action "Mark task 1 not done" reopens it', async () => {
    await clickTaskLine();
    const title = 'Mark task 1 not done';
    let item = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    await page.keyboard.press(`${mod}+Period`); // Quick Fix...
    try {
      await item.waitFor({ state: 'visible', timeout: 10000 });
    } catch {
      // Not offered as a quick fix: look in the refactor menu.
      await page.keyboard.press('Escape');
      await runCommand('Refactor...');
      item = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
      await item.waitFor({ state: 'visible', timeout: 10000 });
    }
    await item.click();
    const lines = await waitForEditorLine(TODO, '"- [ ] 1. Implement login" after the code action');
    say(`editor: ${lines.find(TODO)}`);
  });

  await step('the Refactor menu (codeAction, only = ["refactor"]) offers the toggle', async () => {
    await clickTaskLine();
    await runCommand('Refactor...');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Mark task 1 done' }).first();
    await item.waitFor({ state: 'visible', timeout: 10000 });
    say(`Refactor menu: ${(await item.innerText()).replace(/\s+/g, ' ').trim()}`);
    await page.keyboard.press('Escape');
  });

  await step('ctrl+alt+x on a line that is not a task says why in the status bar', async () => {
    const heading = page
      .locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'Implementation Plan' })
      .first();
    await heading.click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(isMac ? 'Meta+Alt+X' : 'Control+Alt+X');
    const message = page.locator('.statusbar-item', { hasText: 'no task on line 1' }).first();
    await message.waitFor({ state: 'visible', timeout: 10000 });
    say(`status bar: ${(await message.innerText()).replace(/\s+/g, ' ').trim()}`);
    const lines = await editorLines();
    if (!lines.some(TODO)) throw new Error(`the toggle changed the document: ${JSON.stringify(lines)}`);
  });

  await step('command palette "Specmark: Toggle Task Checkbox" marks it done', async () => {
    await clickTaskLine();
    await runCommand('Specmark: Toggle Task Checkbox');
    await waitForEditorLine(DONE, '"- [x] 1. Implement login" after the palette command');
  });

  await step('save writes [x] to disk', async () => {
    await clickTaskLine();
    await page.keyboard.press(`${mod}+S`);
    const deadline = Date.now() + 15000;
    let text = '';
    while (Date.now() < deadline) {
      text = fs.readFileSync(tasksFile, 'utf8');
      if (text.includes('- [x] 1. Implement login')) break;
      await sleep(200);
    }
    if (!text.includes('- [x] 1. Implement login')) throw new Error(`tasks.md on disk:\n${text}`);
    say('tasks.md on disk has "- [x] 1. Implement login"');
  });

  await step('status bar progress', async () => {
    // Shown when the server answers specmark/progress; hidden (and logged) when it does not.
    const item = page.locator('.statusbar-item', { has: page.locator('[aria-label^="Specmark plan:"]') });
    const label = page.locator('.statusbar [aria-label^="Specmark plan:"]').first();
    const deadline = Date.now() + 10000;
    let aria = '';
    while (Date.now() < deadline) {
      if (await label.isVisible()) {
        aria = (await label.getAttribute('aria-label')) ?? '';
        if (/^Specmark plan: 1 of 1 tasks done/.test(aria)) break;
      } else if (/does not implement specmark\/progress/.test(specmarkLog())) {
        say('status bar: hidden, the server does not implement specmark/progress (graceful degradation)');
        return;
      }
      await sleep(200);
    }
    if (aria === '') {
      say('status bar: hidden (the server answered null for this document)');
      return;
    }
    say(`status bar: "${(await item.first().innerText()).replace(/\s+/g, ' ').trim()}" (${aria.replace(/\n/g, ' ')})`);
    if (!/^Specmark plan: 1 of 1 tasks done/.test(aria)) throw new Error(`unexpected progress: ${aria}`);
  });

  await step('coverage code lens "covered by" opens the references peek view', async () => {
    await openFile('covered/requirements.md');
    await waitForEditorLine((l) => /Requirement 1: Session handling/.test(l), 'the covered spec\'s requirements.md');
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    const lens = editor.locator('.codelens-decoration a', { hasText: 'covered by' }).first();
    try {
      await lens.waitFor({ state: 'visible', timeout: 30000 });
    } catch {
      const shown = await editor.locator('.codelens-decoration').allInnerTexts();
      throw new Error(`no "covered by" code lens; lenses shown: ${JSON.stringify(shown)}`);
    }
    const title = (await lens.innerText()).trim();
    say(`code lens: "${title}"`);
    if (!/^covered by 1 task \(1 done\)$/.test(title)) throw new Error(`unexpected lens title: ${title}`);
    await lens.click();
    const peek = page.locator('.peekview-widget.reference-zone-widget, .reference-zone-widget').first();
    const failure = page.locator('.notification-toast', { hasText: /showReferences|argument does not match|Illegal argument|command .* failed/i }).first();
    await Promise.race([
      peek.waitFor({ state: 'visible', timeout: 15000 }),
      failure.waitFor({ state: 'visible', timeout: 15000 }).then(
        async () => {
          throw new Error(`clicking the lens failed: ${(await failure.innerText()).replace(/\s+/g, ' ')}`);
        },
        () => new Promise(() => {}),
      ),
    ]);
    const row = peek.locator('.monaco-list-row', { hasText: 'Start a session on sign-in' }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 10000 });
    } catch {
      throw new Error(`the peek view does not list the covering task: ${(await peek.innerText()).replace(/\s+/g, ' ')}`);
    }
    const head = (await peek.locator('.peekview-title').innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    say(`peek view: "${head}", lists "${(await row.innerText()).replace(/\s+/g, ' ').trim()}"`);
    await page.keyboard.press('Escape');
    await peek.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);
  });

  await step('setting specmark.inlayHints shows requirement titles in tasks.md', async () => {
    await openFile('covered/tasks.md');
    // The hint sits right after the ID: "_Requirements: 1.1 Session handling_".
    const REF = (l) => /_Requirements: 1\.1/.test(l);
    const hinted = (l) => /_Requirements: 1\.1\s*Session handling/.test(l);
    await waitForEditorLine(REF, 'the covered spec\'s tasks.md');
    // The plan lens means the server has answered for this document: no hint may show yet.
    await page
      .locator('.editor-group-container.active .monaco-editor .codelens-decoration', { hasText: 'tasks done' })
      .first()
      .waitFor({ state: 'visible', timeout: 30000 });
    await sleep(1000);
    const lines = await editorLines();
    if (lines.some(hinted)) {
      throw new Error(`an inlay hint shows although specmark.inlayHints is off: ${lines.find(REF)}`);
    }
    writeWorkspaceSettings({ 'specmark.inlayHints': true });
    const after = await waitForEditorLine(hinted, 'the inlay hint "Session handling" after 1.1', 30000);
    say(`editor with inlay hint: ${after.find(hinted).trim()}`);
  });

  await step('completion on a _Requirements: line offers the criteria with their text', async () => {
    await openFile('demo/tasks.md');
    const detail = page
      .locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'Build the login form' })
      .first();
    await detail.click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- _Requirements: ');
    const item = page.locator('.suggest-widget .monaco-list-row', { hasText: '1.2' }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 10000 });
    } catch {
      await page.keyboard.press('Control+Space');
      await item.waitFor({ state: 'visible', timeout: 10000 });
    }
    const rows = await page.locator('.suggest-widget .monaco-list-row').allInnerTexts();
    say(`completion: ${JSON.stringify(rows.map((r) => r.replace(/\s+/g, ' ').trim()).slice(0, 5))}`);
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'completion.png') });
    await page.keyboard.press('Escape');
    await runCommand('File: Revert File');
  });

  await step('specmark.diagnostics.scope = workspace lists a file that was never opened', async () => {
    await runCommand('View: Focus Problems');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'unknown-requirement' }).first();
    if (await row.isVisible()) throw new Error('an unopened file has problems with the default scope "open"');
    writeWorkspaceSettings({ 'specmark.diagnostics.scope': 'workspace' });
    await row.waitFor({ state: 'visible', timeout: 30000 });
    const file = page.locator('.markers-panel .monaco-list-row', { hasText: 'unopened' }).first();
    await file.waitFor({ state: 'visible', timeout: 10000 });
    say(`Problems: ${(await file.innerText()).replace(/\s+/g, ' ')} / ${(await row.innerText()).replace(/\s+/g, ' ')}`);
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'workspace-scope.png') });
  });

  await step('the output channel logs no server warning as an error and no internal name', async () => {
    const bad = specmarkLog()
      .split('\n')
      .filter((l) => /\[error\].*(WARNING|Cancel notification)|\$\/specmark\//.test(l));
    if (bad.length > 0) throw new Error(`output channel:\n${bad.join('\n')}`);
  });

  await step('a wrong specmark.server.path gives a notification that says how to fix it', async () => {
    writeWorkspaceSettings({ 'specmark.server.path': '/nonexistent/specmark' });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'specmark.server.path' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30000 });
    const text = (await toast.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ');
    say(`notification: ${text}`);
    if (!/pip install specmark/.test(text)) throw new Error(`notification does not say how to fix it: ${text}`);
  });

  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'last-success.png') });
} catch (err) {
  exitCode = err instanceof BundledDone ? 0 : 1;
} finally {
  clearTimeout(watchdog);
  await cleanup();
  if (env.SPECMARK_KEEP_TMP === '1') {
    say(`kept ${tmp}`);
  } else {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
say(exitCode === 0 ? 'vscode e2e: OK' : 'vscode e2e: FAILED');
process.exit(exitCode);
