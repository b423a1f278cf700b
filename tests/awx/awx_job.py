# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Launch a job template the way AWX does: survey answers merged with the template's defaults, the credential
injected by its credential type, and ansible-runner on a private data directory.

What is reproduced, from AWX's source (awx.main.models.mixins.SurveyJobTemplateMixin and
awx_plugins.interfaces._temporary_private_inject_api.inject_credential):

- extra vars: the template's extra_vars, overridden by every survey default that would be a valid answer,
  overridden by the answers given at launch (or a schedule's extra_data); answers are validated like AWX does;
- a credential: its inputs with a value (booleans always) form the namespace; the injectors' templates are
  rendered in Jinja's immutable sandbox; env injectors become environment variables (env/envvars), extra_vars
  injectors a YAML file of their own in env/ that is passed as ``-e @file`` (env/cmdline);
- the private data directory: project/ (a copy of the project's files), inventory/hosts, env/extravars,
  env/settings, and the collections installed into requirements_collections/, as a project update leaves them.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

# The inventory of AWX's "Demo Inventory": the controller itself, with the interpreter that runs Ansible.
DEMO_INVENTORY = """\
[local]
localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
"""


class SurveyAnswerError(ValueError):
    """The controller would refuse to launch with these answers."""


def survey_errors(element: dict, data: dict) -> list[str]:
    """AWX's checks of one survey question against the launch data, for the question types this repository
    uses. An empty list means the answer (or its absence) is accepted."""
    variable = element["variable"]
    if variable not in data:
        return [f"'{variable}' value missing"] if element.get("required") else []
    value = data[variable]
    question_type = element["type"]
    if question_type in ("text", "textarea", "password"):
        if not isinstance(value, str):
            return [f"'{variable}' expected to be a string"]
        if element.get("min") not in ("", None) and len(value) < int(element["min"]):
            return [f"'{variable}' is shorter than {element['min']}"]
        if element.get("max") not in ("", None) and len(value) > int(element["max"]):
            return [f"'{variable}' is longer than {element['max']}"]
    elif question_type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):  # AWX checks the exact type: no booleans
            return [f"'{variable}' expected to be an integer"]
        if element.get("min") not in ("", None) and value < int(element["min"]):
            return [f"'{variable}' is smaller than {element['min']}"]
        if element.get("max") not in ("", None) and value > int(element["max"]):
            return [f"'{variable}' is larger than {element['max']}"]
    elif question_type == "multiselect":
        if not isinstance(value, list):
            return [f"'{variable}' expected to be a list"]
        return [f"'{item}' is not one of {_choices(element)}" for item in value if item not in _choices(element)]
    elif question_type == "multiplechoice":
        if value not in _choices(element):
            return [f"'{value}' is not one of {_choices(element)}"]
    else:
        raise NotImplementedError(f"survey question type {question_type} is not emulated")
    return []


def _choices(element: dict) -> list[str]:
    choices = element["choices"]
    if isinstance(choices, str):
        return [choice for choice in choices.splitlines() if choice.strip()]
    return list(choices)


def survey_form_answers(job_template: dict, answers: dict) -> dict:
    """The answers the launch form sends: every question pre-filled with its default (a multiselect's default is
    stored as text, one choice per line, and sent as a list), then changed where ``answers`` says."""
    form = {}
    for element in job_template["survey_spec"]["spec"]:
        default = element.get("default")
        if element["type"] == "multiselect" and isinstance(default, str):
            default = [choice for choice in default.splitlines() if choice.strip()]
        if default not in (None, "", []):
            form[element["variable"]] = default
    form.update(answers)
    return form


def launch_extra_vars(job_template: dict, answers: dict) -> dict:
    """The extra vars of a job launched from ``job_template`` with these answers: those of the launch form
    (survey_form_answers) or a schedule's extra_data."""
    extra_vars = copy.deepcopy(job_template.get("extra_vars") or {})
    spec = job_template["survey_spec"]["spec"] if job_template.get("survey_enabled") else []
    for element in spec:
        default = element.get("default")
        # AWX applies a default only if it would pass as an answer; a multiselect default, stored as text, never does.
        if default is not None and not survey_errors(element, {element["variable"]: default}):
            extra_vars[element["variable"]] = default
    errors = [error for element in spec for error in survey_errors(element, dict(extra_vars, **answers))]
    if errors:
        raise SurveyAnswerError("; ".join(errors))
    undeclared = set(answers) - {element["variable"] for element in spec}
    if undeclared and not job_template.get("ask_variables_on_launch"):
        raise SurveyAnswerError(f"variables not allowed on launch: {', '.join(sorted(undeclared))}")
    extra_vars.update(answers)
    return extra_vars


def inject_credential(credential_type: dict, inputs: dict) -> tuple[dict, dict]:
    """The environment variables and extra vars that a credential with these inputs injects."""
    namespace = {name: value for name, value in inputs.items() if isinstance(value, bool) or value}
    for field in credential_type["inputs"].get("fields", []):
        if field.get("type") == "boolean":
            namespace.setdefault(field["id"], False)
    sandbox = ImmutableSandboxedEnvironment()
    injectors = credential_type["injectors"]
    env = {name: sandbox.from_string(template).render(**namespace) for name, template in injectors.get("env", {}).items()}
    extra_vars = {name: sandbox.from_string(template).render(**namespace) for name, template in injectors.get("extra_vars", {}).items()}
    return env, extra_vars


@dataclass
class JobResult:
    """What a job left behind: ansible-runner's status and return code, the output, and the private data dir."""

    status: str
    rc: int
    stdout: str
    private_data_dir: str
    artifact_dir: str

    def events(self) -> list[dict]:
        events_dir = os.path.join(self.artifact_dir, "job_events")
        events = []
        for name in os.listdir(events_dir):
            with open(os.path.join(events_dir, name), encoding="utf-8") as handle:
                events.append(json.load(handle))
        return sorted(events, key=lambda event: event["counter"])

    def files_written_by_the_job(self):
        """Every file the job wrote: the report, the output, the events, the fact cache. Left out are env/, which
        holds the injected secrets by design, and ansible-runner's record of the command and its environment
        (artifacts/<ident>/command); AWX deletes both with the private data directory, and shows the job's
        environment with every variable named like a key masked."""
        command_record = os.path.join(self.artifact_dir, "command")
        for directory, subdirectories, files in os.walk(self.private_data_dir):
            if os.path.relpath(directory, self.private_data_dir) == ".":
                subdirectories[:] = [name for name in subdirectories if name not in ("env", "requirements_collections")]
            for name in files:
                path = os.path.join(directory, name)
                if path != command_record:
                    yield path


def run_job(
    private_data_dir: str,
    *,
    project_dir: str,
    collections_dir: str,
    playbook: str,
    extra_vars: dict,
    credential_env: dict,
    credential_extra_vars: dict,
    inherited_env: dict,
    ident: str = "job",
    timeout: int = 600,
    inventory: str = DEMO_INVENTORY,
    limit: str | None = None,
) -> JobResult:
    """Lay out ``private_data_dir`` as AWX does for a job and run it with ansible-runner (with the job's limit, when
    it has one)."""
    shutil.copytree(project_dir, os.path.join(private_data_dir, "project"))
    shutil.copytree(collections_dir, os.path.join(private_data_dir, "requirements_collections"))
    env_dir = os.path.join(private_data_dir, "env")
    inventory_dir = os.path.join(private_data_dir, "inventory")
    os.makedirs(env_dir)
    os.makedirs(inventory_dir)
    with open(os.path.join(inventory_dir, "hosts"), "w", encoding="utf-8") as handle:
        handle.write(inventory)

    envvars = dict(credential_env)
    envvars["ANSIBLE_COLLECTIONS_PATH"] = os.path.join(private_data_dir, "requirements_collections")
    _write_private(os.path.join(env_dir, "envvars"), yaml.safe_dump(envvars))
    _write_private(os.path.join(env_dir, "extravars"), yaml.safe_dump(extra_vars))
    _write_private(os.path.join(env_dir, "settings"), yaml.safe_dump({"job_timeout": timeout, "suppress_ansible_output": True}))
    if credential_extra_vars:
        credential_vars_file = os.path.join(env_dir, "credential_extra_vars.yml")
        _write_private(credential_vars_file, yaml.safe_dump(credential_extra_vars))
        _write_private(os.path.join(env_dir, "cmdline"), f"-e @{credential_vars_file}")

    # ansible-runner starts ansible-playbook from PATH: the one of the interpreter running these tests.
    runner_env = dict(inherited_env)
    runner_env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + runner_env.get("PATH", "")
    completed = subprocess.run(
        [sys.executable, "-m", "ansible_runner", "run", private_data_dir, "-p", playbook, "--ident", ident] + (["--limit", limit] if limit else []),
        env=runner_env,
        capture_output=True,
        text=True,
        timeout=timeout + 60,
        check=False,
    )
    artifact_dir = os.path.join(private_data_dir, "artifacts", ident)
    status_file = os.path.join(artifact_dir, "status")
    if not os.path.exists(status_file):
        raise RuntimeError(f"ansible-runner left no status (exit {completed.returncode}): {completed.stdout[-2000:]} {completed.stderr[-2000:]}")
    with open(status_file, encoding="utf-8") as handle:
        status = handle.read().strip()
    with open(os.path.join(artifact_dir, "rc"), encoding="utf-8") as handle:
        rc = int(handle.read().strip())
    with open(os.path.join(artifact_dir, "stdout"), encoding="utf-8") as handle:
        stdout = handle.read()
    return JobResult(status=status, rc=rc, stdout=stdout, private_data_dir=private_data_dir, artifact_dir=artifact_dir)


def job_artifacts(result: JobResult) -> dict:
    """What the job returned with set_stats: AWX keeps it as the job's artifacts and hands it to the next nodes of
    a workflow as extra variables."""
    stats = [event for event in result.events() if event["event"] == "playbook_on_stats"]
    assert len(stats) == 1, [event["event"] for event in result.events()]
    return stats[0]["event_data"].get("artifact_data", {})


def run_workflow_node(
    private_data_dir: str,
    *,
    job_template: dict,
    node_extra_data: dict,
    artifacts: dict,
    credential_type: dict,
    credential_inputs: dict,
    project_dir: str,
    collections_dir: str,
    inherited_env: dict,
    ident: str,
    inventory: str = DEMO_INVENTORY,
    limit: str | None = None,
) -> JobResult:
    """Run a job node of a workflow as the controller does (AWX's WorkflowJobNode.get_job_kwargs): the node's
    extra_data as answers to the template's survey, then the ``artifacts`` of the earlier jobs (carried through any
    approval node), which win over them. Fails when the API key is in any file the job wrote."""
    extra_vars = launch_extra_vars(job_template, survey_form_answers(job_template, node_extra_data))
    extra_vars.update(artifacts)
    env, credential_vars = inject_credential(credential_type, credential_inputs)
    result = run_job(
        private_data_dir,
        project_dir=project_dir,
        collections_dir=collections_dir,
        playbook=job_template["playbook"],
        extra_vars=extra_vars,
        credential_env=env,
        credential_extra_vars=credential_vars,
        inherited_env=inherited_env,
        ident=ident,
        inventory=inventory,
        limit=limit,
    )
    secret = credential_inputs["api_key"].encode()
    for path in result.files_written_by_the_job():
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                assert secret not in handle.read(), f"the API key was written to {path}"
    return result


def _write_private(path: str, content: str) -> None:
    """Write a file only its owner can read, as AWX writes the files of a private data directory."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
