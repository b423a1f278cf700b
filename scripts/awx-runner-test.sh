#!/usr/bin/env bash
# The AWX tests (tests/awx): the credential type, the job template and its survey checked against the
# controller's rules and the collection's variables, and the clean-up job run the way AWX runs it, through
# ansible-runner on a private data directory, against the CertCentral simulator. About two minutes.
# Runs in .venvs/awx (requirements-awx.txt). Extra arguments go to pytest (for example -k definitions).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/toolchain.sh
source "$root/scripts/toolchain.sh"

awx_venv="$tool_venvs/awx"
ensure_venv "$awx_venv" "$(find_python 3.11)" -r "$root/requirements-awx.txt" -e "$root/tests/simulator"
cd "$root"
"$awx_venv/bin/python" -m pytest -p no:cacheprovider tests/awx "$@"
