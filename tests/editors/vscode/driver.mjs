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
//   CHROMIUM               Chromium executable (default: chromium on PATH)
//   SPECMARK_ARTIFACTS     where screenshots and logs go on failure (default <repo>/test-artifacts/vscode)
//   SPECMARK_KEEP_TMP=1    keep the temporary directory
//   SPECMARK_E2E_TIMEOUT_MS the whole run's limit (default 480000)
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
//
// Parts: config.mjs (the environment, the temporary directory), workspace.mjs (the generated specs
// and settings), codeServer.mjs (the extension's install, code-server), ui.mjs (Chromium and the
// UI operations), steps.mjs (a step, and what is saved when it fails), scenario.mjs (the steps).
import * as fs from 'node:fs';
import { installExtension, startCodeServer } from './codeServer.mjs';
import { env, say, tmp } from './config.mjs';
import { playScenario } from './scenario.mjs';
import { saveArtifacts, step } from './steps.mjs';
import { closeBrowser, openWorkbench } from './ui.mjs';
import { createWorkspace } from './workspace.mjs';

createWorkspace();
installExtension();
const codeServer = await startCodeServer();

async function cleanup() {
  await closeBrowser();
  await codeServer.stop();
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

let exitCode = 0;
try {
  await step('code-server starts', codeServer.waitUntilUp);
  await step('browser opens the workspace', () => openWorkbench(codeServer.port));
  await playScenario();
} catch {
  exitCode = 1;
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
