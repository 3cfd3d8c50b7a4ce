// VS Code client for the specmark language server (`specmark serve`, LSP over stdio): the
// extension's entry point, which wires the parts together.
//
// - client.ts / clientOptions.ts: starts the server for the spec Markdown files named by
//   `specmark.files` (documents.ts), restarts it when its settings change; the server's stderr
//   and the LSP trace go to the "Specmark" output channel (log.ts);
// - serverCommand.ts: finds the server: `specmark.server.path`, else `specmark.server.pythonPath`,
//   else the server bundled in the .vsix, else the interpreter selected in the Python extension,
//   else `specmark` on PATH, else `python3`;
// - commands.ts: `specmark.toggleTask` (command palette, ctrl+alt+x / cmd+alt+x) toggles the
//   checkbox of the task under the cursor through the server's `specmark.toggleTask` command;
//   `specmark.restartServer`, `specmark.showOutput`;
// - statusBar.ts: a status-bar item shows the current plan's progress (`specmark/progress`),
//   hidden when the server does not answer it;
// - references.ts: coverage code lenses on requirements ("covered by 3 tasks (2 done)") open the
//   references peek view;
// - settings.ts: the `specmark` settings the server receives.
import * as vscode from 'vscode';
import { currentClient, restart, setExtensionRoot, stopClient } from './client';
import { registerCommands } from './commands';
import { updateContextKey } from './documents';
import { createLog, log } from './log';
import { cancelProgress, createStatusBar, scheduleProgress } from './statusBar';

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  setExtensionRoot(ctx.extensionPath);
  ctx.subscriptions.push(createLog(), createStatusBar(currentClient));

  ctx.subscriptions.push(
    ...registerCommands(restart),
    vscode.window.onDidChangeActiveTextEditor(() => {
      updateContextKey();
      scheduleProgress(0);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) {
        scheduleProgress();
      }
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active !== undefined && e.uris.some((u) => u.toString() === active)) {
        scheduleProgress();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('specmark.server') || e.affectsConfiguration('specmark.files')) {
        log.info('Server settings changed: restarting the server.');
        // Deferred, so that the client sends its didChangeConfiguration for this same change
        // before it is stopped.
        setTimeout(() => void restart(), 100);
      } else if (e.affectsConfiguration('specmark')) {
        updateContextKey();
        scheduleProgress(0);
      }
    }),
  );
  updateContextKey();
  // Wait for the start so that `specmark.toggleTask` (registered by the client from the server's
  // executeCommandProvider) exists when activation was triggered by that command.
  await restart();
}

export async function deactivate(): Promise<void> {
  cancelProgress();
  await stopClient();
}
