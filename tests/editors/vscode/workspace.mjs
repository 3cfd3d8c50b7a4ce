// The workspace the test opens (three small generated specs) and code-server's user, machine and
// workspace settings.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledOnly, env, userData, ws } from './config.mjs';

const specDir = path.join(ws, '.kiro', 'specs', 'demo');
export const tasksFile = path.join(specDir, 'tasks.md');
// Changes during the test go to the workspace settings: code-server does not always notice a
// rewrite of the user settings file, while the workspace folder's watcher is reliable.
const workspaceSettings = {};
export const writeWorkspaceSettings = (extra) => {
  Object.assign(workspaceSettings, extra);
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(workspaceSettings, null, 2));
};

/** Writes the specs into the workspace, and the user and machine settings. */
export function createWorkspace() {
  fs.mkdirSync(specDir, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(specDir, 'requirements.md'),
    [
      '# Requirements Document',
      '',
      '## Introduction',
      '',
      'A demo spec for the VS Code end-to-end test.',
      '',
      '## Requirements',
      '',
      '### Requirement 1: Login',
      '',
      '**User Story:** As a user, I want to log in, so that I can see my data.',
      '',
      '#### Acceptance Criteria',
      '',
      '1. WHEN the user submits valid credentials THE system SHALL open a session',
      '2. WHEN the user submits invalid credentials THE system SHALL show an error',
      '',
    ].join('\n'),
  );
  const TASKS = ['# Implementation Plan', '', '- [ ] 1. Implement login', '  - Build the login form', ''].join('\n');
  fs.writeFileSync(tasksFile, TASKS);
  // A second spec whose one task covers criterion 1.1: the coverage code lens and the inlay hint.
  const coveredDir = path.join(ws, '.kiro', 'specs', 'covered');
  fs.mkdirSync(coveredDir, { recursive: true });
  fs.writeFileSync(
    path.join(coveredDir, 'requirements.md'),
    [
      '# Requirements Document',
      '',
      '## Requirements',
      '',
      '### Requirement 1: Session handling',
      '',
      '**User Story:** As a user, I want to stay signed in, so that I do not log in on every page.',
      '',
      '#### Acceptance Criteria',
      '',
      '1. WHEN the user signs in THE system SHALL start a session',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(coveredDir, 'tasks.md'),
    ['# Implementation Plan', '', '- [x] 1. Start a session on sign-in', '  - _Requirements: 1.1_', ''].join('\n'),
  );

  // A third spec that no step opens: its finding shows only with specmark.diagnostics.scope = workspace.
  const unopenedDir = path.join(ws, '.kiro', 'specs', 'unopened');
  fs.mkdirSync(unopenedDir, { recursive: true });
  fs.copyFileSync(path.join(specDir, 'requirements.md'), path.join(unopenedDir, 'requirements.md'));
  fs.writeFileSync(
    path.join(unopenedDir, 'tasks.md'),
    ['# Implementation Plan', '', '- [ ] 1. Never opened', '  - _Requirements: 1.1, 1.2, 9.9_', ''].join('\n'),
  );

  // code-server is a remote window: settings of scope machine / machine-overridable (the server
  // path) are read from the remote ("Machine") settings, the others from the user settings.
  fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  const userSettings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
    'git.enabled': false,
    'specmark.trace.server': 'messages',
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  const machineSettingsFile = path.join(userData, 'Machine', 'settings.json');
  const serverSettings = bundledOnly
    ? {}
    : env.SPECMARK_SERVER_PATH
      ? { 'specmark.server.path': env.SPECMARK_SERVER_PATH }
      : { 'specmark.server.pythonPath': env.SPECMARK_PYTHON };
  fs.writeFileSync(machineSettingsFile, JSON.stringify(serverSettings, null, 2));
}
