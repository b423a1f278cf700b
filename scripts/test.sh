#!/usr/bin/env bash
# Run every check the project has, in order, and fail if any of them fails.
# Usage: scripts/test.sh [stage ...]   (stages: see all_stages below)
set -uo pipefail
"$(dirname "${BASH_SOURCE[0]}")/venv.sh" || { echo "could not set up the virtual environment" >&2; exit 1; }
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root" || exit 1

stage_changelog() { antsibull-changelog lint; }
stage_units() { python -m pytest tests/unit -q; }
stage_simulator() { python -m pytest tests/simulator -q; }
stage_sanity() { "$root/scripts/sanity.sh"; }
# ansible-lint and molecule install the collection under ANSIBLE_HOME; keep that inside the checkout (ignored),
# so that a stale copy in ~/.ansible never shadows the checkout in later runs.
stage_lint() { ANSIBLE_HOME="$root/.ansible" ansible-lint; }
stage_molecule() { ANSIBLE_HOME="$root/.ansible" molecule test -s order_cleanup && ANSIBLE_HOME="$root/.ansible" molecule test -s order_cleanup_plan && ANSIBLE_HOME="$root/.ansible" molecule test -s decommission; }
stage_integration() { "$root/scripts/integration.sh"; }
stage_build() { "$root/scripts/build-check.sh"; }
# galaxy-importer on the tarball, offline: the checks Galaxy and Automation Hub run at upload.
stage_galaxy() { "$root/scripts/galaxy-check.sh"; }
# ansible-test sanity and ansible-lint on exactly what the tarball ships (tests included); the stages sanity and
# lint run the same on the checkout, for a quicker look while developing.
stage_tarball() { "$root/scripts/tarball-check.sh"; }
# The CI entry point is not shipped (and has no .sh suffix), so the tarball's sanity run does not shellcheck it.
stage_shellcheck() { shellcheck -x "$root"/scripts/*.sh "$root/.ci/run"; }
# Python lint and format (ruff.toml) in check mode over all of the repository's Python. No cache, so nothing is
# written into the checkout.
stage_ruff() {
  ruff check --no-cache plugins tests benchmarks scripts && ruff format --no-cache --check plugins tests benchmarks scripts
}
stage_docs() { "$root/scripts/docs.sh"; }
stage_awx() { "$root/scripts/awx-runner-test.sh" -q; }
stage_ee() { "$root/scripts/ee-check.sh"; }
# Every benchmark contender on a tiny account, so that the harness cannot rot; the full run is benchmarks/run.py.
stage_benchmark() { python "$root/benchmarks/run.py" --smoke; }
# The reliability suite's quick variant: every fault condition on runs of 50 orders, the bad-input tables, the
# secret scans and trust, shared out between two processes; the full run is
# `python -m pytest tests/reliability --full --write-report docs/reliability.md`.
stage_reliability() { python -m pytest tests/reliability -q -p no:cacheprovider -n 2; }
# The oldest ansible-core we claim and the newest this machine runs; the full matrix is `scripts/matrix.sh`.
stage_matrix() {
  "$root/scripts/matrix.sh" -k oldest:sanity newest:sanity \
    oldest:integration:digicert_order_info newest:integration:digicert_order_info
}

all_stages=(changelog shellcheck ruff units simulator tarball integration molecule build galaxy docs awx ee benchmark reliability matrix)
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=("${all_stages[@]}")

passed=()
failed=()
for stage in "${stages[@]}"; do
  if ! declare -F "stage_$stage" >/dev/null; then
    echo "unknown stage '$stage'; known stages: ${all_stages[*]}" >&2
    exit 2
  fi
  echo
  echo "==> $stage"
  started=$SECONDS
  if "stage_$stage"; then
    passed+=("$stage")
    echo "<== $stage passed in $((SECONDS - started)) s"
  else
    failed+=("$stage")
    echo "<== $stage FAILED in $((SECONDS - started)) s"
  fi
done

echo
[ ${#failed[@]} -eq 0 ] || echo "failed stages: ${failed[*]}"
echo "stages: ${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
