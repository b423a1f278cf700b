# The two commands of the README, and the single stages of the test run.
.PHONY: demo test venv changelog units simulator sanity lint integration molecule build galaxy tarball shellcheck ruff docs awx ee benchmark reliability matrix

demo: venv
	scripts/demo.sh

test:
	scripts/test.sh

venv:
	scripts/venv.sh

changelog units simulator sanity lint integration molecule build galaxy tarball shellcheck ruff docs awx ee benchmark reliability matrix:
	scripts/test.sh $@
