#!/usr/bin/env bash
# Build the collection tarball, check that it carries no test output or caches, install it into a scratch
# collections path and check that ansible-doc lists its plugins from there.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(build_collection "$work/dist")
echo "built $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"

unwanted=$(tar -tzf "$tarball" | grep -E '(^|/)(__pycache__|\.pytest_cache|\.ansible)(/|$)|^(tests/output|\.venvs?|venv|collections|dist|reports|\.demo)(/|$)|\.pyc$|\.tar\.gz$' || true)
if [ -n "$unwanted" ]; then
  echo "the tarball carries files it must not:" >&2
  echo "$unwanted" >&2
  exit 1
fi

ANSIBLE_COLLECTIONS_PATH="$work/collections" ansible-galaxy collection install "$tarball" -p "$work/collections" >/dev/null
listed=$(ANSIBLE_COLLECTIONS_PATH="$work/collections" ansible-doc -l certops.digicert)
echo "$listed"
expected=$(python - "$root/meta/runtime.yml" <<'PY'
import sys
import yaml
with open(sys.argv[1]) as handle:
    runtime = yaml.safe_load(handle)
print("\n".join(runtime["action_groups"]["certcentral"]))
PY
)
for module in $expected; do
  if ! grep -q "^certops.digicert.$module " <<<"$listed"; then
    echo "ansible-doc does not list certops.digicert.$module from the installed tarball" >&2
    exit 1
  fi
done
echo "installed tarball lists every module of the certcentral action group"
