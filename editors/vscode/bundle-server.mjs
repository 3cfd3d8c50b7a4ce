// Bundles the language server into bundled/libs for the .vsix, as Microsoft's
// vscode-python-tools-extension-template does: specmark (a wheel built from this repository)
// and its pinned pure-Python dependencies (bundled-requirements.txt), installed with
// `pip install --target`. Only pure-Python wheels (platform "any", Python 3.10 tags), so one
// bundle runs on every OS and every Python >= 3.10. The extension runs it with
// `<python> -m specmark serve` and PYTHONPATH=bundled/libs (src/serverCommand.ts).
//
//   node bundle-server.mjs            # PYTHON=/path/to/python3 to choose the packaging Python
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const libs = path.join(here, 'bundled', 'libs');
const python = process.env.PYTHON ?? 'python3';
const run = (args) => execFileSync(python, args, { stdio: 'inherit' });

fs.rmSync(path.join(here, 'bundled'), { recursive: true, force: true });
fs.mkdirSync(libs, { recursive: true });
const wheels = fs.mkdtempSync(path.join(os.tmpdir(), 'specmark-wheel-'));
try {
  run(['-m', 'pip', 'wheel', '--quiet', '--disable-pip-version-check', '--no-deps', '--wheel-dir', wheels, repo]);
  const wheel = fs.readdirSync(wheels).find((f) => f.startsWith('specmark-') && f.endsWith('.whl'));
  if (wheel === undefined) throw new Error(`no specmark wheel was built in ${wheels}`);
  run([
    '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
    '--target', libs, '--no-compile', '--no-deps',
    '--only-binary=:all:', '--platform', 'any', '--python-version', '3.10', '--implementation', 'py', '--abi', 'none',
    '-r', path.join(here, 'bundled-requirements.txt'),
    path.join(wheels, wheel),
  ]);
} finally {
  fs.rmSync(wheels, { recursive: true, force: true });
}
// console scripts would point at the packaging Python; the extension runs `-m specmark`
fs.rmSync(path.join(libs, 'bin'), { recursive: true, force: true });
for (const entry of fs.readdirSync(libs, { recursive: true })) {
  if (path.basename(entry) === '__pycache__') {
    fs.rmSync(path.join(libs, entry), { recursive: true, force: true });
  }
}
let bytes = 0;
for (const entry of fs.readdirSync(libs, { recursive: true })) {
  const stat = fs.statSync(path.join(libs, entry), { throwIfNoEntry: false });
  if (stat?.isFile()) bytes += stat.size;
}
console.log(`bundled the server into ${path.relative(here, libs)} (${(bytes / 1e6).toFixed(1)} MB unpacked)`);
