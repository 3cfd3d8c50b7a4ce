// VS Code client for the specmark language server (`specmark serve`, LSP over stdio).
//
// - starts the server for the spec Markdown files named by `specmark.files`;
// - finds the server: `specmark.server.path`, else `specmark.server.pythonPath`, else the
//   interpreter selected in the Python extension, else `specmark` on PATH, else `python3`;
// - `specmark.toggleTask` (command palette, ctrl+alt+x / cmd+alt+x) toggles the checkbox of the
//   task under the cursor through the server's `specmark.toggleTask` command;
// - a status-bar item shows the current plan's progress (`specmark/progress`), hidden when the
//   server does not answer it;
// - coverage code lenses on requirements ("covered by 3 tasks (2 done)") open the references
//   peek view: the server sends `editor.action.showReferences` (or its `specmark.showReferences`)
//   with plain JSON arguments, which are converted to vscode.Uri / Position / Location here;
// - the server's stderr and the LSP trace go to the "Specmark" output channel.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ErrorCodes,
  LanguageClient,
  type LanguageClientOptions,
  type Location as LspLocation,
  type Position as LspPosition,
  type Protocol2CodeConverter,
  ResponseError,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'specmark';
const CLIENT_NAME = 'Specmark';
const TOGGLE_COMMAND = 'specmark.toggleTask';
const PROGRESS_REQUEST = 'specmark/progress';
const SPEC_CONTEXT_KEY = 'specmark.isSpecDocument';
/** VS Code's references peek; needs (vscode.Uri, vscode.Position, vscode.Location[]). */
const VSCODE_SHOW_REFERENCES = 'editor.action.showReferences';
/** The server's command for coverage lenses in other clients; same arguments as JSON. */
const SERVER_SHOW_REFERENCES = 'specmark.showReferences';
/** `specmark.*` settings that only the VS Code client uses: not sent to the server, which reads
 * the rest (the keys of .specmark.toml: severity, require-references, ...). */
const CLIENT_ONLY_KEYS = ['server', 'files', 'trace', 'statusBar'];
const DEFAULT_FILES = [
  '**/tasks.md',
  '**/requirements.md',
  '**/bugfix.md',
  '**/spec.md',
  '**/design.md',
  '**/openspec/changes/*/proposal.md',
];

export interface Progress {
  done: number;
  inProgress: number;
  open: number;
  total: number;
  criteriaCovered: number;
  criteriaTotal: number;
}

/** How the server is launched, and a human-readable account of where that came from. */
export interface ServerCommand {
  command: string;
  args: string[];
  origin: string;
  /** Environment variables added for the server (the bundled server's PYTHONPATH). */
  env?: Record<string, string>;
}

/** A start failure with a message that tells the user how to fix it. */
class ServerNotFoundError extends Error {}

/** The parts of the ms-python extension's API that are used (both the new and the old API). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(
      env: { path: string } | string,
    ): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined;
  };
}

let log: vscode.LogOutputChannel;
let client: LanguageClient | undefined;
let statusBar: vscode.StatusBarItem;
let progressSupported = true;
let progressTimer: NodeJS.Timeout | undefined;
let progressGeneration = 0;
let lifecycle: Promise<void> = Promise.resolve();
let pythonEnvListener: vscode.Disposable | undefined;
let watchers: vscode.FileSystemWatcher[] = [];
/** The extension's folder; the bundled server is in bundled/libs below it. */
let extensionRoot: string | undefined;

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  extensionRoot = ctx.extensionPath;
  log = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  statusBar = vscode.window.createStatusBarItem('specmark.progress', vscode.StatusBarAlignment.Right, 100);
  statusBar.name = 'Specmark Plan Progress';
  ctx.subscriptions.push(log, statusBar);

  ctx.subscriptions.push(
    vscode.commands.registerCommand('specmark.restartServer', () => restart()),
    vscode.commands.registerCommand('specmark.showOutput', () => log.show(true)),
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
  if (progressTimer !== undefined) {
    clearTimeout(progressTimer);
  }
  await stopClient();
}

function restart(): Promise<void> {
  lifecycle = lifecycle.catch(() => undefined).then(async () => {
    await stopClient();
    await startClient();
  });
  return lifecycle;
}

async function stopClient(): Promise<void> {
  pythonEnvListener?.dispose();
  pythonEnvListener = undefined;
  disposeWatchers();
  const old = client;
  client = undefined;
  statusBar.hide();
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

interface SpecDocumentFilter {
  scheme: string;
  language: string;
  pattern: string;
}

function documentSelector(): SpecDocumentFilter[] {
  const configured = vscode.workspace.getConfiguration('specmark').get<string[]>('files', DEFAULT_FILES);
  const patterns = Array.isArray(configured) && configured.length > 0 ? configured : DEFAULT_FILES;
  return patterns.map((pattern) => ({ scheme: 'file', language: 'markdown', pattern }));
}

function updateContextKey(): void {
  const doc = vscode.window.activeTextEditor?.document;
  const isSpec = doc !== undefined && vscode.languages.match(documentSelector(), doc) > 0;
  void vscode.commands.executeCommand('setContext', SPEC_CONTEXT_KEY, isSpec);
}

async function startClient(): Promise<void> {
  let server: ServerCommand;
  try {
    server = await resolveServerCommand();
  } catch (err) {
    const message = errorText(err);
    log.error(message);
    void showStartError(message);
    return;
  }
  log.info(`Starting the server: ${[server.command, ...server.args].join(' ')} (${server.origin})`);

  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    transport: TransportKind.stdio,
    options: { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1', ...server.env } },
  };
  const selector = documentSelector();
  watchers = [...selector.map((f) => f.pattern), '**/.specmark.toml'].map((glob) =>
    vscode.workspace.createFileSystemWatcher(glob),
  );
  const clientOptions: LanguageClientOptions = {
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
          await lc.sendNotification(DidChangeConfigurationNotification.type, { settings: { specmark: settings } });
        },
      },
      // Coverage lenses: convert the JSON arguments of `editor.action.showReferences` (and
      // rewrite the server's `specmark.showReferences`) so that a click opens the peek view.
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        return Array.isArray(lenses) ? lenses.map((lens) => convertReferencesLens(lens, lc.protocol2CodeConverter)) : lenses;
      },
      resolveCodeLens: async (codeLens, token, next) => {
        const lens = await next(codeLens, token);
        return lens ? convertReferencesLens(lens, lc.protocol2CodeConverter) : lens;
      },
      executeCommand: async (command, args, next) => {
        if (command === TOGGLE_COMMAND && args.length === 0) {
          return toggleAtCursor(next);
        }
        if (command === SERVER_SHOW_REFERENCES) {
          // Shown client-side instead of the server's fallback (which only opens the first task).
          const converted = showReferencesArgs(args, lc.protocol2CodeConverter);
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

  const lc = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = lc;
  progressSupported = true;
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
      statusBar.hide();
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

// ---------------------------------------------------------------------------------------------
// Finding the server.

function expandPath(value: string): string {
  let result = value.trim();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder !== undefined) {
    result = result.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if (result === '~' || result.startsWith('~/')) {
    result = path.join(os.homedir(), result.slice(1));
  }
  if (!path.isAbsolute(result) && result.includes(path.sep) && folder !== undefined) {
    result = path.resolve(folder, result);
  }
  return result;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Looks a bare command name up on PATH (a path with a separator is checked as it is). */
function which(name: string): string | undefined {
  if (name.includes('/') || name.includes(path.sep)) {
    return isExecutable(name) ? name : undefined;
  }
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** Runs `python -c "import specmark"`; resolves to undefined when it works, else to the reason. */
function checkPython(python: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import specmark'], { timeout: 20000 }, (err, _stdout, stderr) => {
      if (err === null) {
        resolve(undefined);
        return;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') {
        resolve(`the interpreter "${python}" does not exist or cannot be run`);
        return;
      }
      const lastLine = stderr.trim().split('\n').pop() ?? err.message;
      resolve(`"${python}" cannot import specmark (${lastLine})`);
    });
  });
}

async function pythonFromExtension(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (ext === undefined) {
    return undefined;
  }
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const envs = api?.environments;
    if (envs !== undefined) {
      if (pythonEnvListener === undefined && envs.onDidChangeActiveEnvironmentPath !== undefined) {
        pythonEnvListener = envs.onDidChangeActiveEnvironmentPath(() => {
          const settings = vscode.workspace.getConfiguration('specmark.server');
          if (!settings.get<string>('path') && !settings.get<string>('pythonPath')) {
            log.info('The selected Python interpreter changed: restarting the server.');
            void restart();
          }
        });
      }
      const active = envs.getActiveEnvironmentPath(resource);
      if (active !== undefined) {
        const env = await envs.resolveEnvironment(active);
        const exe = env?.executable?.uri?.fsPath;
        if (exe) {
          return exe;
        }
      }
    }
    const exec = api?.settings?.getExecutionDetails?.(resource)?.execCommand;
    return exec !== undefined && exec.length > 0 ? exec[0] : undefined;
  } catch (err) {
    log.warn(`Could not ask the Python extension for its interpreter: ${errorText(err)}`);
    return undefined;
  }
}

const PYTHON_NAMES =
  process.platform === 'win32'
    ? ['python', 'py', 'python3']
    : ['python3', 'python', 'python3.13', 'python3.12', 'python3.11', 'python3.10'];

/** bundled/libs of the installed extension, when the .vsix carries the server. */
function bundledLibs(): string | undefined {
  if (extensionRoot === undefined) {
    return undefined;
  }
  const libs = path.join(extensionRoot, 'bundled', 'libs');
  return fs.existsSync(path.join(libs, 'specmark', '__init__.py')) ? libs : undefined;
}

/** [major, minor] of a Python interpreter, or undefined when it cannot be run. */
function pythonVersion(python: string): Promise<[number, number] | undefined> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import sys; print(*sys.version_info[:2])'], { timeout: 20000 }, (err, stdout) => {
      const parts = stdout.trim().split(' ').map(Number);
      resolve(err === null && parts.length === 2 && parts.every(Number.isInteger) ? [parts[0], parts[1]] : undefined);
    });
  });
}

const INSTALL_HINT =
  'Install the server with "pip install specmark" (or "pipx install specmark"), then set ' +
  '"specmark.server.path" to its specmark executable, or "specmark.server.pythonPath" to a Python ' +
  'that has it, and run "Specmark: Restart Language Server".';

export async function resolveServerCommand(): Promise<ServerCommand> {
  const settings = vscode.workspace.getConfiguration('specmark.server');
  const extraArgs = settings.get<string[]>('extraArgs', []);
  const serveArgs = ['serve', ...extraArgs];

  const exePath = settings.get<string>('path', '').trim();
  if (exePath !== '') {
    const exe = which(expandPath(exePath));
    if (exe === undefined) {
      throw new ServerNotFoundError(
        `Specmark: the language server cannot be started: "specmark.server.path" is "${exePath}", ` +
          `which is not an executable file. ${INSTALL_HINT} Or clear the setting to use specmark from PATH.`,
      );
    }
    return { command: exe, args: serveArgs, origin: 'setting specmark.server.path' };
  }

  const configuredPython = settings.get<string>('pythonPath', '').trim();
  if (configuredPython !== '') {
    const python = expandPath(configuredPython);
    const problem = await checkPython(python);
    if (problem !== undefined) {
      throw new ServerNotFoundError(
        `Specmark: the language server cannot be started: ${problem} ("specmark.server.pythonPath"). ` +
          `Run "${python} -m pip install specmark", or fix the setting. ${INSTALL_HINT}`,
      );
    }
    return { command: python, args: ['-m', 'specmark', ...serveArgs], origin: 'setting specmark.server.pythonPath' };
  }

  const reasons: string[] = [];
  const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const selected = await pythonFromExtension(resource);

  // The server bundled in the .vsix (bundle-server.mjs), run by a Python >= 3.10: the one
  // selected in the Python extension, else the first on PATH.
  const libs = bundledLibs();
  if (libs !== undefined) {
    const candidates = [
      ...(selected !== undefined ? [{ python: selected, origin: 'the interpreter selected in the Python extension' }] : []),
      ...PYTHON_NAMES.flatMap((name) => {
        const found = which(name);
        return found !== undefined ? [{ python: found, origin: `${name} on PATH` }] : [];
      }),
    ];
    const tried: string[] = [];
    for (const { python, origin } of candidates) {
      const version = await pythonVersion(python);
      if (version !== undefined && (version[0] > 3 || (version[0] === 3 && version[1] >= 10))) {
        return {
          command: python,
          args: ['-m', 'specmark', ...serveArgs],
          origin: `the bundled server, run by ${origin} (Python ${version.join('.')})`,
          env: { PYTHONPATH: [libs, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) },
        };
      }
      tried.push(`${python} (${version !== undefined ? `Python ${version.join('.')}` : 'does not run'})`);
    }
    throw new ServerNotFoundError(
      'Specmark: the language server needs Python 3.10 or newer, and none was found' +
        (tried.length > 0 ? ` (tried ${tried.join(', ')})` : ' (no python3 or python on PATH)') +
        '. Install Python 3.10 or newer (https://www.python.org/downloads/, or e.g. "sudo apt install python3" ' +
        'on Debian 12 / Ubuntu 22.04 and later), select it in the Python extension, or set ' +
        '"specmark.server.path" to a specmark executable; then run "Specmark: Restart Language Server".',
    );
  }

  if (selected !== undefined) {
    const problem = await checkPython(selected);
    if (problem === undefined) {
      return { command: selected, args: ['-m', 'specmark', ...serveArgs], origin: 'interpreter selected in the Python extension' };
    }
    reasons.push(`${problem} (interpreter selected in the Python extension)`);
  }

  const onPath = which('specmark');
  if (onPath !== undefined) {
    return { command: onPath, args: serveArgs, origin: 'specmark found on PATH' };
  }
  reasons.push('no "specmark" executable on PATH');

  for (const python of process.platform === 'win32' ? ['py', 'python'] : ['python3', 'python']) {
    const found = which(python);
    if (found === undefined) {
      continue;
    }
    const problem = await checkPython(found);
    if (problem === undefined) {
      return { command: found, args: ['-m', 'specmark', ...serveArgs], origin: `${python} on PATH` };
    }
    reasons.push(problem);
    break;
  }
  throw new ServerNotFoundError(
    `Specmark: the language server was not found: ${reasons.join('; ')}. ${INSTALL_HINT}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Coverage lenses.

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
function convertReferencesLens(lens: vscode.CodeLens, p2c: Protocol2CodeConverter): vscode.CodeLens {
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

// ---------------------------------------------------------------------------------------------
// Toggle command.

async function toggleAtCursor(
  next: (command: string, args: unknown[]) => vscode.ProviderResult<unknown>,
): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || vscode.languages.match(documentSelector(), editor.document) === 0) {
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

const TOGGLE_MESSAGE_MS = 5000;

/** The server's reason when specmark.toggleTask applied nothing ({applied: false, reason}). */
export function notAppliedReason(result: unknown): string | undefined {
  if (isObject(result) && result.applied === false && typeof result.reason === 'string' && result.reason) {
    return result.reason;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Status bar.

function scheduleProgress(delayMs = 300): void {
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
  const lc = client;
  const doc = vscode.window.activeTextEditor?.document;
  const enabled = vscode.workspace.getConfiguration('specmark').get<boolean>('statusBar.enabled', true);
  if (
    !enabled ||
    !progressSupported ||
    lc === undefined ||
    lc.state !== State.Running ||
    doc === undefined ||
    vscode.languages.match(documentSelector(), doc) === 0
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `specmark` settings section as the server sees it: a JSON copy without CLIENT_ONLY_KEYS. */
export function serverSettings(section: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (isObject(section)) {
    for (const [key, value] of Object.entries(section)) {
      if (!CLIENT_ONLY_KEYS.includes(key) && value !== undefined) {
        result[key] = JSON.parse(JSON.stringify(value)) as unknown;
      }
    }
  }
  return result;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    return err.message;
  }
  return String(err);
}
