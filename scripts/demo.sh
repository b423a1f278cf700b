#!/usr/bin/env bash
# The main job against the bundled CertCentral simulator, seeded with the realistic demo account: start the
# simulator, install this checkout as the collection, run the clean-up of abandoned orders in report mode, then
# applied, show the report, and stop the simulator.
# Extra arguments go to ansible-playbook (for example -v, or -e to override variables).
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/venv.sh"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

demo_dir="$root/.demo"
mkdir -p "$demo_dir"
trap stop_simulator EXIT
SIMULATOR_LOG="$demo_dir/simulator.log" start_simulator --demo-account
echo "CertCentral simulator (demo account) at $simulator_url"

# Install the checkout as it is now, so that playbooks and modules resolve by their FQCN.
export ANSIBLE_COLLECTIONS_PATH="$demo_dir/collections"
ansible-galaxy collection install "$root" -p "$demo_dir/collections" --force >/dev/null
# The ready playbooks run on the implicit localhost, as they are meant to: no inventory is needed, so Ansible's
# warnings that there is none are noise here.
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
export DIGICERT_API_URL="$simulator_url"
# The simulator's documented demo key (full access); a real run reads DIGICERT_API_KEY from the environment.
DIGICERT_API_KEY=$(python -c 'from certcentral_sim.generator import DEMO_ADMIN_KEY; print(DEMO_ADMIN_KEY)')
export DIGICERT_API_KEY

report_dir="$demo_dir/reports"
echo "== 1/2: report only (the role's default): what would be canceled, and a plan to review; nothing is changed"
ansible-playbook certops.digicert.cleanup_abandoned_orders -e order_cleanup_report_dir="$report_dir" "$@"
# The plan a person reviews (its HTML and Markdown reports beside it) is what the applied run may change, nothing else.
plan=$(readlink -f "$report_dir/order-cleanup-latest.plan.json")
echo "== 2/2: applied with the reviewed plan $plan: cancel exactly the orders in it"
ansible-playbook certops.digicert.cleanup_abandoned_orders -e order_cleanup_report_dir="$report_dir" \
  -e order_cleanup_apply=true -e order_cleanup_plan="$plan" \
  -e 'order_cleanup_note="Demo: abandoned orders of the simulator demo account"' "$@"
echo
cat "$report_dir/order-cleanup-latest.md"
echo
echo "Reports of both runs: $report_dir (the latest: order-cleanup-latest.md, .csv, .json, .html; the plan: $plan)"
