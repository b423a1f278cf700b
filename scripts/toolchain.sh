#!/usr/bin/env bash
# Helpers for the scripts that need tools beside the project virtual environment (the docs site, the AWX
# runner test, the execution environment check, the version matrix); source it after lib.sh, do not run it.
# Each tool gets its own virtual environment under .venvs/ (ignored by git and by the collection build), so
# that their pins cannot fight the project's.
# shellcheck disable=SC2034,SC2154  # tool_venvs is used, and root set, by the scripts that source this file

tool_venvs="$root/.venvs"

# Print the path of a working interpreter for Python $1 (for example 3.12). The pyenv shims on these machines
# exist for every installed version but fail for those that are not globally enabled, so each candidate is run.
find_python() {
  local version="$1" candidate
  for candidate in "python$version" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/"python$version"; do
    if "$candidate" -c 'import sys' >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  echo "no working python$version found (looked on PATH and under ${PYENV_ROOT:-$HOME/.pyenv}/versions)" >&2
  return 1
}

# ensure_venv DIR PYTHON REQUIREMENT...: create or refresh a virtual environment at DIR with PYTHON and install
# the requirements (pip arguments: package specs or -r FILE). Nothing is installed again while the interpreter,
# the arguments and the content of the requirement files they name stay the same.
ensure_venv() {
  local dir="$1" python="$2"
  shift 2
  local stamp="$dir/.requirements.sha256" wanted arg next_is_file=false
  wanted=$(
    "$python" --version 2>&1
    for arg in "$@"; do
      echo "$arg"
      if $next_is_file; then cat "$arg"; fi
      if [ "$arg" = "-r" ]; then next_is_file=true; else next_is_file=false; fi
    done | sha256sum | cut -d' ' -f1
  )
  if [ -x "$dir/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    return 0
  fi
  echo "Setting up $dir (one-off)..." >&2
  rm -rf "$dir"
  "$python" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
  echo "$wanted" > "$stamp"
}
