#!/usr/bin/env bash
# The version matrix: ansible-test sanity and integration on the oldest ansible-core the collection claims
# (meta/runtime.yml requires_ansible) and on the newest one this machine can run, each in its own virtual
# environment under .venvs/. The project's own venv (scripts/test.sh) covers the version in between.
#
# Usage: scripts/matrix.sh [-k] [LEG[:STAGE[:TARGET...]] ...]
#   LEG    oldest | newest             (default: both)
#   STAGE  sanity | integration        (default: both)
#   TARGET integration targets, separated by commas (default: all)
#   -k     keep going after a failed leg
# A leg whose Python is not on this machine (a fresh machine may have only 3.11) is skipped with a notice, unless
# CERTOPS_MATRIX_STRICT=1 (set by .ci/run), where it fails: CI must not lose an end of the matrix unseen.
# Examples: scripts/matrix.sh                               everything (about 11 minutes warm, 16 cold)
#           scripts/matrix.sh oldest:sanity newest:sanity   sanity on both ends
#           scripts/matrix.sh newest:integration:digicert_order_cancel
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/toolchain.sh
source "$root/scripts/toolchain.sh"

# The two ends of the matrix. The oldest must match requires_ansible in meta/runtime.yml (checked below);
# the newest is the latest ansible-core release for the newest Python on the machine.
declare -A leg_python=([oldest]=3.11 [newest]=3.12)
declare -A leg_core=([oldest]=2.16.19 [newest]=2.21.5)

keep_going=false
if [ "${1:-}" = "-k" ]; then keep_going=true; shift; fi
requests=("$@")
[ ${#requests[@]} -gt 0 ] || requests=(oldest newest)

claimed=$(sed -n 's/^requires_ansible: *"*>=\([0-9.]*\)"*/\1/p' "$root/meta/runtime.yml")
if [ "${claimed%.*}" != "${leg_core[oldest]%.*}" ]; then
  echo "meta/runtime.yml claims ansible-core >= $claimed, but the oldest leg tests ${leg_core[oldest]}" >&2
  exit 2
fi

# run_leg LEG STAGE TARGETS: one stage of one leg, in a subshell so that PATH and venv stay its own.
run_leg() (
  local leg="$1" stage="$2" targets="$3" python core_venv work collection status=0
  python=$(find_python "${leg_python[$leg]}") || return 97
  core_venv="$tool_venvs/ansible-core-${leg_core[$leg]}"
  ensure_venv "$core_venv" "$python" "ansible-core==${leg_core[$leg]}" -r "$root/requirements.txt" \
    -e "$root/tests/simulator" || return
  export PATH="$core_venv/bin:$PATH"
  venv="$core_venv"   # read by ensure_get_pip_standin: each ansible-test pins its own pip version
  ensure_get_pip_standin || return
  work=$(mktemp -d)
  # shellcheck disable=SC2064  # expand now: the subshell's variables are gone when the trap runs
  trap "stop_simulator; rm -rf '$work'" EXIT
  collection=$(copy_collection "$work")
  cd "$collection" || return
  echo "ansible-core $(ansible --version | sed -n '1s/.*core \([0-9.]*\).*/\1/p') on Python ${leg_python[$leg]}: $stage"

  if [ "$stage" = sanity ]; then
    ansible-test sanity --local --python "${leg_python[$leg]}"
    return
  fi

  SIMULATOR_LOG="$work/simulator.log" start_simulator --demo-account || return
  write_integration_config tests/integration/integration_config.yml
  # shellcheck disable=SC2086  # targets are split on purpose
  ansible-test integration --local --continue-on-error --python "${leg_python[$leg]}" ${targets//,/ } || status=$?
  if [ "$status" -ne 0 ]; then
    echo "--- last lines of the simulator's log ---" >&2
    tail -n 40 "$work/simulator.log" >&2
  fi
  return "$status"
)

passed=()
failed=()
skipped=()
for request in "${requests[@]}"; do
  IFS=: read -r leg stage targets <<<"$request"
  if [ -z "${leg_core[$leg]:-}" ]; then
    echo "unknown leg '$leg'; known legs: ${!leg_core[*]}" >&2
    exit 2
  fi
  stages=(sanity integration)
  [ -z "$stage" ] || stages=("$stage")
  for one_stage in "${stages[@]}"; do
    case "$one_stage" in sanity | integration) ;; *) echo "unknown stage '$one_stage'" >&2; exit 2 ;; esac
    name="$leg($one_stage${targets:+ $targets})"
    echo
    echo "==> $name"
    started=$SECONDS
    run_leg "$leg" "$one_stage" "${targets:-}"
    status=$?
    if [ "$status" -eq 0 ]; then
      passed+=("$name")
      echo "<== $name passed in $((SECONDS - started)) s"
    elif [ "$status" -eq 97 ] && [ "${CERTOPS_MATRIX_STRICT:-0}" != 1 ]; then
      skipped+=("$name")
      echo "<== $name SKIPPED: Python ${leg_python[$leg]} is not on this machine (CI runs it)"
    else
      failed+=("$name")
      echo "<== $name FAILED in $((SECONDS - started)) s"
      $keep_going || break 2
    fi
  done
done

echo
[ ${#failed[@]} -eq 0 ] || echo "failed legs: ${failed[*]}"
echo "matrix: ${#passed[@]} passed, ${#failed[@]} failed, ${#skipped[@]} skipped"
[ ${#failed[@]} -eq 0 ]
