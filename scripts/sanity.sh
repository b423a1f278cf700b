#!/usr/bin/env bash
# Run `ansible-test sanity` on a copy of the checkout laid out as ansible_collections/certops/digicert.
# Extra arguments go to ansible-test, e.g. scripts/sanity.sh --test validate-modules
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_get_pip_standin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$(copy_collection "$work")"
ansible-test sanity --local --python 3.11 "$@"
