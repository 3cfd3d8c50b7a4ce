// The options the language client starts with: how the server process runs, and the client
// options with their middleware (settings filtering, coverage lenses, the toggle command).
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  type LanguageClient,
  type LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { TOGGLE_COMMAND, toggleAtCursor } from './commands';
import type { SpecDocumentFilter } from './documents';
import { log } from './log';
import { convertReferencesLens, SERVER_SHOW_REFERENCES, showReferencesArgs, VSCODE_SHOW_REFERENCES } from './references';
import type { ServerCommand } from './serverCommand';
import { serverSettings } from './settings';
import { scheduleProgress } from './statusBar';
import { isObject } from './util';

/** The server process: stdio, in the first workspace folder, with unbuffered Python output. */
export function serverOptions(server: ServerCommand): ServerOptions {
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    command: server.command,
    args: server.args,
    transport: TransportKind.stdio,
    options: { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1', ...server.env } },
  };
}

/** client: the client these options are for (called only once it exists). */
export function clientOptions(
  selector: SpecDocumentFilter[],
  watchers: vscode.FileSystemWatcher[],
  client: () => LanguageClient,
): LanguageClientOptions {
  return {
    documentSelector: selector,
    outputChannel: log,
    traceOutputChannel: log,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    synchronize: {
      configurationSection: 'specmark',
      fileEvents: watchers,
    },
    middleware: {
      workspace: {
        // workspace/configuration: answer section "specmark" without the client-only keys.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (result instanceof ResponseError || !Array.isArray(result)) {
            return result;
          }
          return result.map((value: unknown, i) => {
            const section = params.items[i]?.section;
            if (section === 'specmark') {
              return serverSettings(value);
            }
            if ((section === undefined || section === null) && isObject(value) && isObject(value.specmark)) {
              return { ...value, specmark: serverSettings(value.specmark) };
            }
            return value;
          });
        },
        // The push (synchronize.configurationSection) with the same filtering.
        didChangeConfiguration: async () => {
          const settings = serverSettings(vscode.workspace.getConfiguration().get('specmark'));
          log.info(`Settings sent to the server: ${JSON.stringify(settings)}`);
          await client().sendNotification(DidChangeConfigurationNotification.type, { settings: { specmark: settings } });
        },
      },
      // Coverage lenses: convert the JSON arguments of `editor.action.showReferences` (and
      // rewrite the server's `specmark.showReferences`) so that a click opens the peek view.
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        return Array.isArray(lenses) ? lenses.map((lens) => convertReferencesLens(lens, client().protocol2CodeConverter)) : lenses;
      },
      resolveCodeLens: async (codeLens, token, next) => {
        const lens = await next(codeLens, token);
        return lens ? convertReferencesLens(lens, client().protocol2CodeConverter) : lens;
      },
      executeCommand: async (command, args, next) => {
        if (command === TOGGLE_COMMAND && args.length === 0) {
          return toggleAtCursor(next);
        }
        if (command === SERVER_SHOW_REFERENCES) {
          // Shown client-side instead of the server's fallback (which only opens the first task).
          const converted = showReferencesArgs(args, client().protocol2CodeConverter);
          if (converted !== undefined) {
            return vscode.commands.executeCommand(VSCODE_SHOW_REFERENCES, ...converted);
          }
          log.warn(`${SERVER_SHOW_REFERENCES}: unexpected arguments ${JSON.stringify(args)}; passed to the server`);
        }
        const result: unknown = await next(command, args);
        scheduleProgress();
        return result;
      },
    },
  };
}
