#!/usr/bin/env bash
# Build the documentation site into dist/docs/html: the modules', the role's and the guide's documentation
# (docs/docsite/), rendered by antsibull-docs from the collection as built, and built by Sphinx with warnings as
# errors. Offline: nothing is fetched while building (the few links into the Ansible documentation resolve through
# a small local inventory). First `antsibull-docs lint-collection-docs` checks the documentation and the guide's
# references to the collection's plugins and options.
# Runs in .venvs/docs (requirements-docs.txt); about 30 s once that exists.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/toolchain.sh
source "$root/scripts/toolchain.sh"

docs_venv="$tool_venvs/docs"
ensure_venv "$docs_venv" "$(find_python 3.11)" -r "$root/requirements-docs.txt"
export PATH="$docs_venv/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
output="$root/dist/docs"

# The collection as users get it: built, then installed.
ansible-galaxy collection install "$(build_collection "$work/dist")" -p "$work/collections" >/dev/null 2>&1
export ANSIBLE_COLLECTIONS_PATH="$work/collections"
collection="$work/collections/ansible_collections/certops/digicert"

echo "==> antsibull-docs lint-collection-docs"
antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs --validate-collection-refs self \
  --disallow-unknown-collection-refs "$collection"

echo "==> antsibull-docs sphinx-init and collection"
site="$work/site"
mkdir -m 700 "$site"
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$site" \
  --project certops.digicert --copyright "2026 certops.digicert contributors" \
  --title "certops.digicert: DigiCert CertCentral orders from Ansible" --html-short-title certops.digicert \
  certops.digicert >/dev/null

# Offline links into the Ansible documentation: the generated conf.py would download the inventories of Python,
# Jinja and Ansible. The labels the generated pages use come from a local inventory instead, with their real URLs.
"$docs_venv/bin/python" - "$site/ansible_devel.inv" <<'PY'
import sys
import zlib

ANSIBLE_LABELS = [
    ("common_return_values", "reference_appendices/common_return_values.html#common-return-values", "Return Values"),
    ("ansible_configuration_settings", "reference_appendices/config.html#ansible-configuration-settings",
     "Ansible Configuration Settings"),
    # The note on the page of a module that has an action plugin (order_cleanup_report).
    ("action_plugins", "plugins/action.html#action-plugins", "Action Plugins"),
]
header = b"# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n" \
         b"# The remainder of this file is compressed using zlib.\n"
entries = "".join("%s std:label -1 %s %s\n" % label for label in ANSIBLE_LABELS)
with open(sys.argv[1], "wb") as handle:
    handle.write(header + zlib.compress(entries.encode()))
PY
cat >> "$site/conf.py" <<'PY'

# Added by scripts/docs.sh: build offline. Only the local inventory of the Ansible labels the pages refer to.
import os  # noqa: E402
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/',
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ansible_devel.inv')),
}
PY

mkdir -p "$site/rst"
chmod og-w "$site/rst"
antsibull-docs --config-file "$site/antsibull-docs.cfg" collection --cleanup everything --fail-on-error \
  --use-current --squash-hierarchy --dest-dir "$site/rst" certops.digicert >/dev/null

echo "==> sphinx-build -W"
# Only the site: the galaxy stage writes its preview of the Galaxy page beside it, into dist/docs/galaxy.
rm -rf "$output/html" "$output/doctrees"
sphinx-build -M html "$site/rst" "$output" -c "$site" -W --keep-going -q
echo "docs: $output/html/index.html ($(find "$output/html" -name '*.html' | wc -l) pages)"
