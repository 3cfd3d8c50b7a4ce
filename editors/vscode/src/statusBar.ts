// The status-bar item with the current plan's progress (`specmark/progress`): updated when the
// active editor, its text or its diagnostics change; hidden when the server does not answer it.
import * as vscode from 'vscode';
import { ErrorCodes, type LanguageClient, ResponseError, State } from 'vscode-languageclient/node';
import { isSpecDocument } from './documents';
import { log } from './log';
import { errorText } from './util';

const PROGRESS_REQUEST = 'specmark/progress';

export interface Progress {
  done: number;
  inProgress: number;
  open: number;
  total: number;
  criteriaCovered: number;
  criteriaTotal: number;
}

let statusBar: vscode.StatusBarItem;
let currentClient: () => LanguageClient | undefined = () => undefined;
let progressSupported = true;
let progressTimer: NodeJS.Timeout | undefined;
let progressGeneration = 0;

/** Creates the item; getClient returns the running client (asked at each update). */
export function createStatusBar(getClient: () => LanguageClient | undefined): vscode.StatusBarItem {
  currentClient = getClient;
  statusBar = vscode.window.createStatusBarItem('specmark.progress', vscode.StatusBarAlignment.Right, 100);
  statusBar.name = 'Specmark Plan Progress';
  return statusBar;
}

export function hideProgress(): void {
  statusBar.hide();
}

/** A new server: ask it for its progress again, even if the previous one did not answer. */
export function resetProgressSupport(): void {
  progressSupported = true;
}

export function cancelProgress(): void {
  if (progressTimer !== undefined) {
    clearTimeout(progressTimer);
  }
}

export function scheduleProgress(delayMs = 300): void {
  if (progressTimer !== undefined) {
    clearTimeout(progressTimer);
  }
  progressTimer = setTimeout(() => {
    progressTimer = undefined;
    void updateProgress();
  }, delayMs);
}

export function formatProgress(p: Progress): { text: string; tooltip: string } {
  let text = `$(checklist) ${p.done}/${p.total}`;
  if (p.criteriaTotal > 0) {
    text += ` $(pass) ${p.criteriaCovered}/${p.criteriaTotal}`;
  }
  const pct = p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
  const tooltip =
    `Specmark plan: ${p.done} of ${p.total} tasks done (${pct}%), ${p.inProgress} in progress, ${p.open} open.` +
    (p.criteriaTotal > 0 ? `\nAcceptance criteria covered by tasks: ${p.criteriaCovered} of ${p.criteriaTotal}.` : '');
  return { text, tooltip };
}

function isProgress(value: unknown): value is Progress {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return ['done', 'inProgress', 'open', 'total', 'criteriaCovered', 'criteriaTotal'].every(
    (k) => typeof v[k] === 'number',
  );
}

async function updateProgress(): Promise<void> {
  const generation = ++progressGeneration;
  const lc = currentClient();
  const doc = vscode.window.activeTextEditor?.document;
  const enabled = vscode.workspace.getConfiguration('specmark').get<boolean>('statusBar.enabled', true);
  if (
    !enabled ||
    !progressSupported ||
    lc === undefined ||
    lc.state !== State.Running ||
    doc === undefined ||
    !isSpecDocument(doc)
  ) {
    statusBar.hide();
    return;
  }
  let result: unknown;
  try {
    result = await lc.sendRequest(PROGRESS_REQUEST, { uri: doc.uri.toString() });
  } catch (err) {
    if (err instanceof ResponseError && err.code === ErrorCodes.MethodNotFound) {
      log.info(`The server does not implement ${PROGRESS_REQUEST}: the status-bar item stays hidden.`);
      progressSupported = false;
    } else {
      log.debug(`${PROGRESS_REQUEST} failed: ${errorText(err)}`);
    }
    result = undefined;
  }
  if (generation !== progressGeneration) {
    return; // a newer update is under way
  }
  if (!isProgress(result)) {
    statusBar.hide();
    return;
  }
  const { text, tooltip } = formatProgress(result);
  statusBar.text = text;
  statusBar.tooltip = tooltip;
  statusBar.accessibilityInformation = { label: tooltip };
  statusBar.show();
}
