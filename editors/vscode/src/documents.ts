// Which documents are spec documents: the `specmark.files` globs (the client's document
// selector) and the `specmark.isSpecDocument` context key of the toggle keybinding.
import * as vscode from 'vscode';

const SPEC_CONTEXT_KEY = 'specmark.isSpecDocument';
const DEFAULT_FILES = [
  '**/tasks.md',
  '**/requirements.md',
  '**/bugfix.md',
  '**/spec.md',
  '**/design.md',
  '**/openspec/changes/*/proposal.md',
];

export interface SpecDocumentFilter {
  scheme: string;
  language: string;
  pattern: string;
}

export function documentSelector(): SpecDocumentFilter[] {
  const configured = vscode.workspace.getConfiguration('specmark').get<string[]>('files', DEFAULT_FILES);
  const patterns = Array.isArray(configured) && configured.length > 0 ? configured : DEFAULT_FILES;
  return patterns.map((pattern) => ({ scheme: 'file', language: 'markdown', pattern }));
}

/** True when the document is one of the server's (matches the document selector). */
export function isSpecDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(documentSelector(), doc) > 0;
}

export function updateContextKey(): void {
  const doc = vscode.window.activeTextEditor?.document;
  const isSpec = doc !== undefined && isSpecDocument(doc);
  void vscode.commands.executeCommand('setContext', SPEC_CONTEXT_KEY, isSpec);
}
