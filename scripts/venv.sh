#!/usr/bin/env bash
# Create or refresh the project virtual environment (.venv) from requirements-dev.txt.
# Idempotent: it reinstalls only when requirements-dev.txt, requirements.txt or the simulator's pyproject.toml changed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${CERTOPS_VENV:-$root/.venv}
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3

stamp="$venv/.requirements.sha256"
wanted=$(cat "$root/requirements-dev.txt" "$root/requirements.txt" "$root/tests/simulator/pyproject.toml" | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "Setting up $venv (one-off, about a minute)..." >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
# The simulator as an editable package: `python -m certcentral_sim` and `import certcentral_sim` work from any
# directory, with no path edits, and see every change to tests/simulator at once.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/requirements-dev.txt" \
  -e "$root/tests/simulator"
echo "$wanted" > "$stamp"
