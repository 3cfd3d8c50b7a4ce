// Finding the server: `specmark.server.path`, else `specmark.server.pythonPath`, else the server
// bundled in the .vsix (run by the interpreter selected in the Python extension or a Python on
// PATH), else the selected interpreter if it has specmark, else `specmark` on PATH, else `python3`.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { log } from './log';
import { errorText } from './util';

/** How the server is launched, and a human-readable account of where that came from. */
export interface ServerCommand {
  command: string;
  args: string[];
  origin: string;
  /** Environment variables added for the server (the bundled server's PYTHONPATH). */
  env?: Record<string, string>;
}

/** A start failure with a message that tells the user how to fix it. */
export class ServerNotFoundError extends Error {}

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

/** Watches the Python extension's selected interpreter; disposed when the client stops. */
let pythonEnvListener: vscode.Disposable | undefined;

export function disposePythonEnvListener(): void {
  pythonEnvListener?.dispose();
  pythonEnvListener = undefined;
}

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

async function pythonFromExtension(
  resource: vscode.Uri | undefined,
  onInterpreterChange: () => void,
): Promise<string | undefined> {
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
            onInterpreterChange();
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
function bundledLibs(extensionRoot: string | undefined): string | undefined {
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

/** The server command for the current settings. extensionRoot: the extension's folder (the
 * bundled server is in bundled/libs below it); onInterpreterChange: called when the interpreter
 * selected in the Python extension changes while no server setting is set. */
export async function resolveServerCommand(
  extensionRoot: string | undefined,
  onInterpreterChange: () => void,
): Promise<ServerCommand> {
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
  const selected = await pythonFromExtension(resource, onInterpreterChange);

  // The server bundled in the .vsix (bundle-server.mjs), run by a Python >= 3.10: the one
  // selected in the Python extension, else the first on PATH.
  const libs = bundledLibs(extensionRoot);
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
