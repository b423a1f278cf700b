#!/usr/bin/env bash
# Run galaxy-importer, the checks Galaxy and Automation Hub run when a collection is uploaded, on the built
# tarball: manifest and file checksums, every plugin's documentation through ansible-doc, every role's README and
# metadata, the changelog, and ansible-lint (production profile, with the importer's own rule set). Offline: no
# ansible-test container, no Galaxy request. Fails when the importer rejects the tarball or reports any error or
# warning, or when a link of the README or of a role README would not resolve on Galaxy (tests/galaxy/galaxy_page.py,
# which also writes a preview of the Galaxy page into dist/docs/galaxy). Runs in .venvs/galaxy
# (requirements-galaxy.txt); about 10 s once that exists.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/toolchain.sh
source "$root/scripts/toolchain.sh"

galaxy_venv="$tool_venvs/galaxy"
ensure_venv "$galaxy_venv" "$(find_python 3.11)" -r "$root/requirements-galaxy.txt"
export PATH="$galaxy_venv/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(build_collection "$work/dist")

# Everything the hosted service checks that can run here; GALAXY_IMPORTER_CONFIG puts this file before the
# importer's system-wide one.
mkdir "$work/tmp"
cat > "$work/galaxy-importer.cfg" <<CFG
[galaxy-importer]
log_level_main = INFO
run_ansible_doc = True
run_ansible_lint = True
offline_ansible_lint = True
check_changelog = True
check_required_tags = True
require_v1_or_greater = True
run_ansible_test = False
ansible_test_local_image = False
run_flake8 = False
tmp_root_dir = $work/tmp
ansible_local_tmp = $work/tmp/ansible
CFG

# The importer writes importer_result.json into the current directory.
cd "$work"
status=0
GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" python -m galaxy_importer.main "$tarball" >"$work/importer.log" 2>&1 \
  || status=$?
cat "$work/importer.log"
if [ "$status" -ne 0 ]; then
  echo "galaxy-importer rejected $(basename "$tarball") (exit status $status)" >&2
  exit 1
fi
# One message is no problem: ansible-lint, as the importer runs it, cannot find this collection's own playbooks
# through import_playbook (awx/project/order_cleanup.yml imports certops.digicert.cleanup_abandoned_orders),
# because the importer points ANSIBLE_COLLECTIONS_PATH at the ansible_collections folder itself and ansible-lint
# looks for another ansible_collections below it. It is not counted for a playbook the tarball does ship.
shipped_playbooks=$(tar -tzf "$tarball" | sed -n 's|^playbooks/\([a-z0-9_]*\)\.yml$|\1|p')
not_a_problem=$(echo "^$"; for playbook in $shipped_playbooks; do
  echo "^WARNING: ERROR +Failed to find certops\.digicert\.$playbook playbook\.\$"
done)
problems=$(grep -E '^(ERROR|WARNING|CRITICAL):' "$work/importer.log" | grep -v -E -f <(echo "$not_a_problem") || true)
if [ -n "$problems" ]; then
  echo "galaxy-importer accepted $(basename "$tarball") but reported $(wc -l <<<"$problems") problem(s):" >&2
  echo "$problems" >&2
  exit 1
fi
# The page as Galaxy will show it, from the importer's own rendering (its docs_blob), as a preview in
# dist/docs/galaxy; fails when a link of the README or of a role README would not resolve on Galaxy.
python "$root/tests/galaxy/galaxy_page.py" importer_result.json "$root/dist/docs/galaxy"
roles=$(python -c 'import json, sys; print(" ".join(sorted(c["name"] for c in json.load(open(sys.argv[1]))["contents"] if c["content_type"] == "role")))' importer_result.json)
echo "galaxy-importer accepted $(basename "$tarball"), roles: ${roles:-none}"
