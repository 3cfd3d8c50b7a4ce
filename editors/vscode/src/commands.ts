// The extension's commands: `specmark.restartServer`, `specmark.showOutput`, and the client side
// of `specmark.toggleTask` (command palette, ctrl+alt+x / cmd+alt+x), which toggles the checkbox of
// the task under each cursor through the server's command of that name.
import * as vscode from 'vscode';
import { isSpecDocument } from './documents';
import { log } from './log';
import { scheduleProgress } from './statusBar';
import { isObject } from './util';

export const TOGGLE_COMMAND = 'specmark.toggleTask';
const TOGGLE_MESSAGE_MS = 5000;

export function registerCommands(restart: () => Promise<void>): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('specmark.restartServer', () => restart()),
    vscode.commands.registerCommand('specmark.showOutput', () => log.show(true)),
  ];
}

/** `specmark.toggleTask` without arguments: the server's command on each line with a cursor.
 * next: the client's executeCommand (sends workspace/executeCommand to the server). */
export async function toggleAtCursor(
  next: (command: string, args: unknown[]) => vscode.ProviderResult<unknown>,
): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !isSpecDocument(editor.document)) {
    void vscode.window.showInformationMessage(
      'Specmark: put the cursor on a task line of a spec file (e.g. tasks.md) to toggle it.',
    );
    return undefined;
  }
  const uri = editor.document.uri.toString();
  const lines = [...new Set(editor.selections.map((s) => s.active.line))].sort((a, b) => a - b);
  let result: unknown;
  const reasons: string[] = [];
  for (const line of lines) {
    result = await next(TOGGLE_COMMAND, [uri, line]);
    const reason = notAppliedReason(result);
    if (reason !== undefined) {
      reasons.push(reason);
    }
  }
  if (reasons.length > 0) {
    // Nothing toggled on some line (not a task, a malformed checkbox): say why, briefly.
    const text = reasons.length === 1 ? reasons[0] : `${reasons[0]} (and ${reasons.length - 1} more lines)`;
    log.info(`Toggle: ${reasons.join('; ')}`);
    vscode.window.setStatusBarMessage(`$(info) Specmark: ${text}`, TOGGLE_MESSAGE_MS);
  }
  scheduleProgress();
  return result;
}

/** The server's reason when specmark.toggleTask applied nothing ({applied: false, reason}). */
export function notAppliedReason(result: unknown): string | undefined {
  if (isObject(result) && result.applied === false && typeof result.reason === 'string' && result.reason) {
    return result.reason;
  }
  return undefined;
}
