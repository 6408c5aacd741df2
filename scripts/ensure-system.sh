#!/usr/bin/env bash
# Installs the system packages the test suite needs when they are missing
# (Chromium for browser tests, poppler-utils for PDF-to-PNG checks, fonts).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v git >/dev/null 2>&1 || need+=(git)
# Spelling check (kompas spelling): hunspell with the Dutch dictionary.
command -v hunspell >/dev/null 2>&1 || need+=(hunspell)
[ -f /usr/share/hunspell/nl.dic ] || need+=(hunspell-nl)
# Accessibility test: axe-core is installed with npm ci (Makefile target test).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Systeempakketten installeren: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "fout: ${need[*]} ontbreekt en ik ben geen root; installeer met apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
