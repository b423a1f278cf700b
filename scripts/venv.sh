#!/usr/bin/env bash
# Create or refresh the project virtual environment (.venv) from requirements-dev.txt.
# Idempotent: it reinstalls only when requirements-dev.txt or requirements.txt changed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${CERTOPS_VENV:-$root/.venv}
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3

stamp="$venv/.requirements.sha256"
wanted=$(cat "$root/requirements-dev.txt" "$root/requirements.txt" | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "Setting up $venv (one-off, about a minute)..." >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/requirements-dev.txt"
echo "$wanted" > "$stamp"
