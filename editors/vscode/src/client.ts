// The language client's life: start (find the server, watch the spec files, start the client),
// stop, and restart (serialized, so that a restart never overlaps another start or stop).
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import { clientOptions, serverOptions } from './clientOptions';
import { documentSelector } from './documents';
import { CLIENT_NAME, log } from './log';
import { disposePythonEnvListener, resolveServerCommand, type ServerCommand } from './serverCommand';
import { hideProgress, resetProgressSupport, scheduleProgress } from './statusBar';
import { errorText } from './util';

const CLIENT_ID = 'specmark';

let client: LanguageClient | undefined;
let lifecycle: Promise<void> = Promise.resolve();
let watchers: vscode.FileSystemWatcher[] = [];
/** The extension's folder; the bundled server is in bundled/libs below it. */
let extensionRoot: string | undefined;

export function setExtensionRoot(root: string): void {
  extensionRoot = root;
}

/** The current client (undefined while none is started). */
export function currentClient(): LanguageClient | undefined {
  return client;
}

export function restart(): Promise<void> {
  lifecycle = lifecycle.catch(() => undefined).then(async () => {
    await stopClient();
    await startClient();
  });
  return lifecycle;
}

export async function stopClient(): Promise<void> {
  disposePythonEnvListener();
  disposeWatchers();
  const old = client;
  client = undefined;
  hideProgress();
  if (old !== undefined && old.state !== State.Stopped) {
    try {
      await old.stop(5000);
    } catch (err) {
      log.warn(`Stopping the server failed: ${errorText(err)}`);
    }
  }
}

function disposeWatchers(): void {
  for (const w of watchers) {
    w.dispose();
  }
  watchers = [];
}

async function startClient(): Promise<void> {
  let server: ServerCommand;
  try {
    server = await resolveServerCommand(extensionRoot, () => void restart());
  } catch (err) {
    const message = errorText(err);
    log.error(message);
    void showStartError(message);
    return;
  }
  log.info(`Starting the server: ${[server.command, ...server.args].join(' ')} (${server.origin})`);

  const selector = documentSelector();
  watchers = [...selector.map((f) => f.pattern), '**/.specmark.toml'].map((glob) =>
    vscode.workspace.createFileSystemWatcher(glob),
  );
  const lc: LanguageClient = new LanguageClient(
    CLIENT_ID,
    CLIENT_NAME,
    serverOptions(server),
    clientOptions(selector, watchers, () => lc),
  );
  client = lc;
  resetProgressSupport();
  try {
    await lc.start();
  } catch (err) {
    disposeWatchers();
    if (client === lc) {
      client = undefined;
    }
    const message =
      `Specmark: the language server "${[server.command, ...server.args].join(' ')}" (${server.origin}) ` +
      `could not be started: ${errorText(err)}. Check that this command runs in a terminal, ` +
      'or set "specmark.server.path" to a working specmark executable (pip install specmark).';
    log.error(message);
    void showStartError(message);
    return;
  }
  lc.onDidChangeState((e) => {
    if (e.newState !== State.Running) {
      hideProgress();
    } else {
      scheduleProgress(0);
    }
  });
  log.info(`Server started: ${lc.initializeResult?.serverInfo?.name ?? '?'} ${lc.initializeResult?.serverInfo?.version ?? ''}`);
  scheduleProgress(0);
}

async function showStartError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Log', 'Retry');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'specmark.server');
  } else if (choice === 'Show Log') {
    log.show(true);
  } else if (choice === 'Retry') {
    await restart();
  }
}
