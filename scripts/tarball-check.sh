#!/usr/bin/env bash
# Check the collection as it ships: build the tarball, unpack it into ansible_collections/certops/digicert, and
# run ansible-test sanity and ansible-lint on exactly what it contains. (scripts/build-check.sh checks that it
# carries no test output or caches and that it installs.) Extra arguments go to ansible-test sanity.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_get_pip_standin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(build_collection "$work/dist")
unpacked="$work/ansible_collections/certops/digicert"
mkdir -p "$unpacked"
tar -xzf "$tarball" -C "$unpacked"
echo "unpacked $(basename "$tarball"): $(find "$unpacked" -type f | wc -l) files"

cd "$unpacked"
echo "==> ansible-test sanity on the tarball's content"
ansible-test sanity --local --python 3.11 "$@"
echo "==> ansible-lint on the tarball's content"
ANSIBLE_COLLECTIONS_PATH="$work" ansible-lint --offline
