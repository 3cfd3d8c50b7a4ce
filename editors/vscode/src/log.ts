// The "Specmark" output channel: the extension's log, the server's stderr and the LSP trace.
import * as vscode from 'vscode';

export const CLIENT_NAME = 'Specmark';

/** Set by createLog() when the extension activates. */
export let log: vscode.LogOutputChannel;

export function createLog(): vscode.LogOutputChannel {
  log = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  return log;
}
