#!/usr/bin/env bash
# Re-pin requirements.txt and requirements-dev.txt from the *.in files, in throw-away venvs.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 -m venv "$tmp/run" && "$tmp/run/bin/pip" install -q -r requirements.in
{ echo "# Pinned by scripts/lock.sh from requirements.in. Do not edit by hand."; "$tmp/run/bin/pip" freeze; } > requirements.txt
python3 -m venv "$tmp/dev" && "$tmp/dev/bin/pip" install -q -r requirements.txt -r requirements-dev.in
{ echo "# Pinned by scripts/lock.sh from requirements-dev.in (on top of requirements.txt). Do not edit by hand."
  echo "-r requirements.txt"
  "$tmp/dev/bin/pip" freeze | grep -v -x -F -f <(sed '1d' requirements.txt); } > requirements-dev.txt
rm -rf "$tmp"
