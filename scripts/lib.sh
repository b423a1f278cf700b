#!/usr/bin/env bash
# Shared helpers for the scripts in this folder; source it, do not run it.
# shellcheck disable=SC2034  # variables are used by the scripts that source this file

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${CERTOPS_VENV:-$root/.venv}
export PATH="$venv/bin:$PATH"

# ansible-test bootstraps pip in its virtual environments by downloading get-pip.py, which this offline
# machine cannot reach. It first looks for a cached copy; a stand-in that installs from the pip wheel bundled
# with ensurepip does the same job. The pip version is read from ansible-test itself, not hard-coded.
ensure_get_pip_standin() {
  local requirements_py pip_version cache
  requirements_py=$("$venv/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))')
  pip_version=$(sed -n "s/.*pip='\([0-9.]*\)'.*/\1/p" "$requirements_py" | head -n1)
  cache="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
  # Written every time, so that a stand-in left by an older checkout is replaced.
  mkdir -p "$(dirname "$cache")"
  cat > "$cache" <<'PY'
"""Offline stand-in for get-pip.py: install pip from the wheel that ensurepip bundles."""
import glob
import os
import sys
import sysconfig

import ensurepip

# Where ensurepip keeps its pip wheel: bundled with CPython as built from source (pyenv, python.org), or in the
# distribution's wheel directory (Debian and Ubuntu: /usr/share/python-wheels, named by WHEEL_PKG_DIR).
places = [os.path.join(os.path.dirname(ensurepip.__file__), "_bundled"), sysconfig.get_config_var("WHEEL_PKG_DIR") or "", "/usr/share/python-wheels"]
wheels = [wheel for place in places if place for wheel in sorted(glob.glob(os.path.join(place, "pip-*.whl")))]
if not wheels:
    sys.exit("no pip wheel for ensurepip in " + ", ".join(place for place in places if place) + "; install your distribution's python3-venv package")
sys.path.insert(0, wheels[-1])
from pip._internal.cli.main import main  # noqa: E402

args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
sys.exit(main(["install", *args]))
PY
}

# Build the collection tarball as users get it (build_ignore applies) into the directory $1; print its path.
build_collection() {
  ansible-galaxy collection build "$root" --force --output-path "$1" >/dev/null
  ls "$1"/certops-digicert-*.tar.gz
}

# ansible-test needs the collection at a real .../ansible_collections/certops/digicert path. Copy what git
# would ship (tracked files plus untracked ones that are not ignored; deleted ones skipped) below $1 and print
# the collection's path.
copy_collection() {
  local dest="$1/ansible_collections/certops/digicert"
  mkdir -p "$dest"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
    if [ -e "$file" ]; then cp -P --parents -t "$dest" "$file"; fi
  done)
  echo "$dest"
}

# Start the bundled CertCentral simulator on a free loopback port, in the background, with any extra
# simulator flags given. Sets simulator_pid and simulator_url (…/services/v2); stop it with stop_simulator.
start_simulator() {
  local url_file log_file
  url_file=$(mktemp)
  log_file=${SIMULATOR_LOG:-$(mktemp)}
  rm -f "$url_file"
  python -m certcentral_sim --host 127.0.0.1 --port 0 --url-file "$url_file" "$@" >"$log_file" 2>&1 &
  simulator_pid=$!
  for _ in $(seq 1 300); do
    if [ -s "$url_file" ]; then
      simulator_url=$(cat "$url_file")
      rm -f "$url_file"
      return 0
    fi
    if ! kill -0 "$simulator_pid" 2>/dev/null; then
      echo "the simulator did not start; its output:" >&2
      cat "$log_file" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "the simulator did not report its address within 30 s; its output:" >&2
  cat "$log_file" >&2
  return 1
}

stop_simulator() {
  if [ -n "${simulator_pid:-}" ] && kill -0 "$simulator_pid" 2>/dev/null; then
    kill "$simulator_pid" 2>/dev/null
    wait "$simulator_pid" 2>/dev/null || true
  fi
  simulator_pid=
}

# Write the integration targets' config for the running simulator (start_simulator) to $1: its URLs and the demo
# account's keys, which the simulator invents and are no secret.
write_integration_config() {
  local admin_key orders_key view_only_key
  read -r admin_key orders_key view_only_key < <(python -c \
    'from certcentral_sim import generator as g; print(g.DEMO_ADMIN_KEY, g.DEMO_ORDERS_KEY, g.DEMO_VIEW_ONLY_KEY)')
  cat > "$1" <<YAML
---
certcentral_api_url: "$simulator_url"
certcentral_admin_url: "${simulator_url%/services/v2}/_sim"
certcentral_admin_key: "$admin_key"
certcentral_orders_key: "$orders_key"
certcentral_view_only_key: "$view_only_key"
YAML
}
