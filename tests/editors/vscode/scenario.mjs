// The scenario played in the workbench, step by step (each must pass): see driver.mjs. With
// SPECMARK_E2E_BUNDLED=1, only the steps up to the bundled server's diagnostics.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { artifacts, bundledOnly, isMac, mod, say, sleep } from './config.mjs';
import { clickTaskLine, editorLines, openFile, page, runCommand, waitForEditorLine } from './ui.mjs';
import { specmarkLog, step } from './steps.mjs';
import { tasksFile, writeWorkspaceSettings } from './workspace.mjs';

const TODO = (l) => /^- \[ \] 1\. Implement login/.test(l);
const DONE = (l) => /^- \[x\] 1\. Implement login/.test(l);

export async function playScenario() {
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
    return;
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
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Mark task 1 done' }).first();
    // Run from the palette, Refactor... now and then shows nothing at all (no menu, no "no
    // refactorings" message): the editor was not focused again yet. Ask up to three times.
    for (let attempt = 1; ; attempt++) {
      await clickTaskLine();
      await runCommand('Refactor...');
      try {
        await item.waitFor({ state: 'visible', timeout: attempt < 3 ? 5000 : 10000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
        const shown = await page.locator('.action-widget').allInnerTexts();
        say(`Refactor menu not shown (attempt ${attempt}, action widget: ${JSON.stringify(shown)}): again`);
        await page.keyboard.press('Escape');
      }
    }
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
}
