// Coverage code lenses on requirements ("covered by 3 tasks (2 done)") open the references peek
// view: the server sends `editor.action.showReferences` (or its `specmark.showReferences`) with
// plain JSON arguments, which are converted to vscode.Uri / Position / Location here.
import * as vscode from 'vscode';
import type { Location as LspLocation, Position as LspPosition, Protocol2CodeConverter } from 'vscode-languageclient/node';
import { log } from './log';
import { isObject } from './util';

/** VS Code's references peek; needs (vscode.Uri, vscode.Position, vscode.Location[]). */
export const VSCODE_SHOW_REFERENCES = 'editor.action.showReferences';
/** The server's command for coverage lenses in other clients; same arguments as JSON. */
export const SERVER_SHOW_REFERENCES = 'specmark.showReferences';

function isProtocolPosition(value: unknown): value is LspPosition {
  return isObject(value) && typeof value.line === 'number' && typeof value.character === 'number';
}

function isProtocolLocation(value: unknown): value is LspLocation {
  return (
    isObject(value) &&
    typeof value.uri === 'string' &&
    isObject(value.range) &&
    isProtocolPosition(value.range.start) &&
    isProtocolPosition(value.range.end)
  );
}

/** `[uri, position, locations]` as JSON (LSP types) or already as VS Code objects → the arguments
 * of `editor.action.showReferences`; undefined when they have another shape. */
export function showReferencesArgs(
  args: readonly unknown[] | undefined,
  p2c: Protocol2CodeConverter,
): [vscode.Uri, vscode.Position, vscode.Location[]] | undefined {
  if (args === undefined || args.length < 3 || !Array.isArray(args[2])) {
    return undefined;
  }
  const [rawUri, rawPosition, rawLocations] = args as [unknown, unknown, unknown[]];
  let uri: vscode.Uri;
  if (rawUri instanceof vscode.Uri) {
    uri = rawUri;
  } else if (typeof rawUri === 'string') {
    try {
      uri = p2c.asUri(rawUri);
    } catch {
      return undefined;
    }
  } else {
    return undefined;
  }
  let position: vscode.Position;
  if (rawPosition instanceof vscode.Position) {
    position = rawPosition;
  } else if (isProtocolPosition(rawPosition)) {
    position = p2c.asPosition(rawPosition);
  } else {
    return undefined;
  }
  const locations: vscode.Location[] = [];
  for (const loc of rawLocations) {
    if (loc instanceof vscode.Location) {
      locations.push(loc);
    } else if (isProtocolLocation(loc)) {
      locations.push(p2c.asLocation(loc));
    } else {
      return undefined;
    }
  }
  return [uri, position, locations];
}

/** A lens whose command is `editor.action.showReferences` or `specmark.showReferences`, with
 * the arguments converted and the command `editor.action.showReferences`; other lenses as they are. */
export function convertReferencesLens(lens: vscode.CodeLens, p2c: Protocol2CodeConverter): vscode.CodeLens {
  const cmd = lens.command;
  if (cmd === undefined || (cmd.command !== VSCODE_SHOW_REFERENCES && cmd.command !== SERVER_SHOW_REFERENCES)) {
    return lens;
  }
  const converted = showReferencesArgs(cmd.arguments, p2c);
  if (converted === undefined) {
    log.warn(`Code lens "${cmd.title}": unexpected ${cmd.command} arguments, left as they are`);
    return lens;
  }
  // Mutated in place: the lens may be the client's ProtocolCodeLens (it carries `data`).
  lens.command = { ...cmd, command: VSCODE_SHOW_REFERENCES, arguments: converted };
  return lens;
}
