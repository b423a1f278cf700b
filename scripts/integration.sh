#!/usr/bin/env bash
# Run `ansible-test integration` against a CertCentral simulator started for this run.
# The targets read the simulator's address and demo keys from tests/integration/integration_config.yml, which
# this script writes into the copy it tests. Extra arguments go to ansible-test (for example a target name).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_get_pip_standin
work=$(mktemp -d)
trap 'stop_simulator; rm -rf "$work"' EXIT
collection=$(copy_collection "$work")

SIMULATOR_LOG="$work/simulator.log" start_simulator --demo-account
write_integration_config "$collection/tests/integration/integration_config.yml"

cd "$collection"
status=0
ansible-test integration --local --python 3.11 "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- last lines of the simulator's log ---" >&2
  tail -n 40 "$work/simulator.log" >&2
fi
exit "$status"
