#!/usr/bin/env bash
# One-command setup, run by `make setup` (and so by every other make target).
# Idempotent and quick when nothing changed: system packages are checked with dpkg-query, the
# virtual environment is reinstalled only when pyproject.toml is newer than its stamp.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the build needs. libharfbuzz-subset0: without it WeasyPrint subsets CJK fonts
# with fontTools, ~20x slower. poppler-utils: pdftotext/pdffonts/pdftoppm for PDF checks.
# fonts-hanazono: CJK Extension B and beyond, which Noto CJK lacks. A Java runtime runs
# EPUBCheck; chromium drives the browser tests.
PACKAGES=(fonts-noto-cjk fonts-noto-color-emoji fonts-hanazono libharfbuzz-subset0 libpango-1.0-0
          libpangoft2-1.0-0 poppler-utils chromium)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)

if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages. Run this as root, then run make again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
stamp=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  touch "$stamp"
fi
