#!/usr/bin/env bash
# Check the execution environment definitions without a container engine: build the collection tarball into
# dist/ee/, write the build context with `ansible-builder create` into dist/ee-context/, and check that
#   - the context holds the Containerfile, this checkout's tarball and the galaxy requirement that installs it,
#   - ansible-core and ansible-runner in execution-environment.yml are the versions the tests run,
#   - ansible-builder finds the collection's Python requirements (meta/execution-environment.yml) in the
#     installed tarball, as its introspection does inside the build.
# Then `podman build --tag certops-digicert-ee:latest dist/ee-context` builds the image where podman exists.
# Runs in .venvs/awx (requirements-awx.txt).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/toolchain.sh
source "$root/scripts/toolchain.sh"

awx_venv="$tool_venvs/awx"
ensure_venv "$awx_venv" "$(find_python 3.11)" -r "$root/requirements-awx.txt"
export PATH="$awx_venv/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "ee-check: $*" >&2; exit 1; }

pinned() {  # pinned NAME FILE: the version FILE pins NAME to
  sed -n "s/^[[:space:]-]*\(package_pip: \)\{0,1\}$1==\([^[:space:]]*\).*/\2/p" "$2" | head -n1
}
for tool in ansible-core:requirements-dev.txt ansible-runner:requirements-awx.txt; do
  name=${tool%%:*} file=${tool#*:}
  ee_version=$(pinned "$name" "$root/execution-environment.yml")
  tested_version=$(pinned "$name" "$root/$file")
  if [ -z "$ee_version" ] || [ "$ee_version" != "$tested_version" ]; then
    fail "execution-environment.yml installs $name ${ee_version:-unpinned}, the tests run ${tested_version:-unpinned} ($file)"
  fi
done

cd "$root"
tarball=$(build_collection "$work/dist")
mkdir -p dist/ee
cp "$tarball" dist/ee/certops-digicert.tar.gz
echo "collection: $(basename "$tarball") -> dist/ee/certops-digicert.tar.gz"

rm -rf dist/ee-context
ansible-builder create --file execution-environment.yml --context dist/ee-context --output-filename Containerfile >/dev/null
[ -f dist/ee-context/Containerfile ] || fail "ansible-builder wrote no Containerfile"
cmp -s dist/ee/certops-digicert.tar.gz dist/ee-context/_build/collections/certops-digicert.tar.gz ||
  fail "the build context does not hold this checkout's tarball"
grep -q 'name: collections/certops-digicert.tar.gz' dist/ee-context/_build/requirements.yml ||
  fail "the build context's galaxy requirements do not install the tarball"
grep -q 'ansible-galaxy collection install .*-r requirements.yml' dist/ee-context/Containerfile ||
  fail "the Containerfile does not install the galaxy requirements"
echo "build context: dist/ee-context (Containerfile, _build/requirements.yml, _build/collections/certops-digicert.tar.gz)"

ansible-galaxy collection install dist/ee/certops-digicert.tar.gz -p "$work/collections" >/dev/null 2>&1
introspected=$(ansible-builder introspect --sanitize "$work/collections")
echo "$introspected" | grep -E "^- '?requests" ||
  fail "ansible-builder does not find the collection's Python requirements: $introspected"
echo "ee-check: passed"
