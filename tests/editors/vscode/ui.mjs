// The browser session: headless Chromium (playwright-core) on code-server's workbench, and the UI
// operations the scenario is made of (the editor's lines, the command palette, quick open).
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, mod, say, sleep, ws } from './config.mjs';

let browser;
/** The workbench page (set by openWorkbench). */
export let page;

/** Launches Chromium and opens the workspace in code-server's workbench. */
export async function openWorkbench(port) {
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
}

export async function closeBrowser() {
  try {
    await browser?.close();
  } catch {
    /* already gone */
  }
}

/** Lines of the active editor as rendered (Monaco renders spaces as U+00A0). */
export async function editorLines() {
  return page.evaluate(() => {
    const group = document.querySelector('.editor-group-container.active') ?? document;
    const lines = [...group.querySelectorAll('.monaco-editor .view-lines .view-line')];
    return lines
      .map((el) => ({ top: parseFloat(el.style.top || '0'), text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
}

export async function waitForEditorLine(predicate, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let lines = [];
  while (Date.now() < deadline) {
    lines = await editorLines();
    if (lines.some(predicate)) return lines;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; editor shows:\n${lines.join('\n')}`);
}

export async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  // Enter runs the focused row: wait until the list is filtered down to the command, else Enter
  // may run the row that was on top before (a recently used command).
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
}

/** Opens a workspace file with quick open (Ctrl+P); `query` is a path such as "demo/tasks.md". */
export async function openFile(query) {
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

export async function clickTaskLine() {
  // Click at the end of the task line so that the cursor is on it.
  const line = page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'Implement login' });
  await line.first().click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('End');
}
