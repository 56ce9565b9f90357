#!/usr/bin/env bash
# Install the Debian/Ubuntu packages SIKIM needs beyond Python: only those missing, so it is a
# quick no-op on a machine that already has them. Runs apt-get as root, or through sudo.
#
#   scripts/install-system-deps.sh run            WeasyPrint's Pango libraries and a font (PDFs)
#   scripts/install-system-deps.sh messages       gettext (make messages)
#   scripts/install-system-deps.sh test           run + messages + Chromium (browser tests)
#   scripts/install-system-deps.sh scale          test + PostgreSQL + Redis (make test-scale)
#   scripts/install-system-deps.sh bench          run + wrk (make bench)
#   scripts/install-system-deps.sh venv PYTHON    the pythonX.Y-venv package PYTHON needs for `-m venv`
set -euo pipefail

group=${1:-test}
run_packages=(fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0)
case $group in
  run) packages=("${run_packages[@]}") ;;
  messages) packages=(gettext) ;;
  test) packages=("${run_packages[@]}" gettext chromium) ;;
  scale) packages=("${run_packages[@]}" gettext chromium postgresql redis-server) ;;
  bench) packages=("${run_packages[@]}" wrk) ;;
  venv)
    python=${2:?usage: $0 venv PYTHON}
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    packages=("python$version-venv")
    ;;
  *) echo "usage: $0 run|messages|test|scale|bench|venv PYTHON" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "This is not a Debian/Ubuntu system: install the equivalent of these packages yourself: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "These packages are missing and there is no sudo to install them: ${missing[*]}" >&2
  echo "As root: apt-get install ${missing[*]}" >&2
  exit 1
fi
if [[ " ${missing[*]} " == *" chromium "* ]] && grep -qi '^ID=ubuntu' /etc/os-release 2>/dev/null; then
  echo "Note: Ubuntu ships Chromium only as a snap; the browser tests expect Debian's /usr/bin/chromium." >&2
fi

echo "» installing system packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
