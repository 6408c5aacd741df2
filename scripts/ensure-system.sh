#!/usr/bin/env bash
# Installs the system packages Kompas needs when they are missing.
#   ensure-system.sh runtime   only what building the site needs (Pango for WeasyPrint's card PDFs)
#   ensure-system.sh           also what the test suite needs (Chromium, poppler-utils, hunspell-nl, npm, strace)
set -euo pipefail
need=()
ldconfig -p 2>/dev/null | grep 'libpangoft2-1.0.so' >/dev/null || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-}" != runtime ]; then
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# QR codes on the card backs are decoded in tests/print/test_cards.py.
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v git >/dev/null 2>&1 || need+=(git)
# Spelling check (kompas spelling): hunspell with the Dutch dictionary.
command -v hunspell >/dev/null 2>&1 || need+=(hunspell)
[ -f /usr/share/hunspell/nl.dic ] || need+=(hunspell-nl)
# Accessibility test: axe-core is installed with npm ci (Makefile target test).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# Offline test without privileges (tests/browser/test_offline.py): strace -f over the build and its children.
command -v strace >/dev/null 2>&1 || need+=(strace)
fi
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
