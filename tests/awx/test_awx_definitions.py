# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AWX definitions in awx/ are what the controller accepts, and they match what the collection reads.

The controller's rules are those of AWX's CredentialTypeInputField, CredentialTypeInjectorField and survey
validation; the collection's side is the role's argument spec and the playbooks."""

from __future__ import annotations

import os
import re

import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from awx_job import inject_credential, launch_extra_vars, survey_errors, survey_form_answers
from awx_repo import AWX_DIR, REPO_ROOT, load_yaml

NAME_PATTERN = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
INPUT_FIELD_KEYS = {"id", "label", "type", "format", "choices", "help_text", "multiline", "secret", "ask_at_runtime", "default"}
# Environment variables the controller refuses in an injector (besides every ANSIBLE_* name).
CONTROLLER_ENV_BLOCKLIST = {
    "VIRTUAL_ENV",
    "PATH",
    "PYTHONPATH",
    "JOB_ID",
    "INVENTORY_ID",
    "INVENTORY_SOURCE_ID",
    "INVENTORY_UPDATE_ID",
    "AD_HOC_COMMAND_ID",
    "REST_API_URL",
    "REST_API_TOKEN",
    "MAX_EVENT_RES",
    "CALLBACK_QUEUE",
    "CALLBACK_CONNECTION",
    "CACHE",
    "JOB_CALLBACK_DEBUG",
    "INVENTORY_HOSTVARS",
    "AWX_HOST",
    "PROJECT_REVISION",
    "SUPERVISOR_CONFIG_PATH",
}
US_API_URL = "https://www.digicert.com/services/v2"
EU_API_URL = "https://certcentral.digicert.eu/services/v2"


def test_credential_type_inputs_are_valid_for_the_controller(credential_type):
    assert credential_type["kind"] == "cloud"
    fields = credential_type["inputs"]["fields"]
    ids = [field["id"] for field in fields]
    assert len(ids) == len(set(ids))
    for field in fields:
        assert set(field) <= INPUT_FIELD_KEYS, field
        assert {"id", "label"} <= set(field)
        assert NAME_PATTERN.match(field["id"]) and field["id"] != "tower"
        assert field.get("type", "string") in ("string", "boolean")
        assert field.get("format") in (None, "ssh_private_key", "url")
    assert set(credential_type["inputs"]["required"]) <= set(ids)
    assert next(field for field in fields if field["id"] == "api_key")["secret"] is True


def test_credential_type_injectors_are_valid_for_the_controller(credential_type):
    injectors = credential_type["injectors"]
    assert set(injectors) <= {"env", "extra_vars", "file"}
    for name in injectors["env"]:
        assert NAME_PATTERN.match(name) and not name.startswith("ANSIBLE_") and name not in CONTROLLER_ENV_BLOCKLIST
    assert all(NAME_PATTERN.match(name) for name in injectors["extra_vars"])
    # The controller renders every template with only the defined fields, and refuses undefined names.
    namespace = {field["id"]: "EXAMPLE" for field in credential_type["inputs"]["fields"]}
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind in ("env", "extra_vars"):
        for template in injectors[kind].values():
            sandbox.from_string(template).render(**namespace)


@pytest.mark.parametrize(
    "inputs, expected_url",
    [
        ({"api_key": "KEY"}, US_API_URL),
        ({"api_key": "KEY", "api_url": ""}, US_API_URL),
        ({"api_key": "KEY", "api_url": EU_API_URL}, EU_API_URL),
    ],
    ids=["url-unset", "url-empty", "url-eu"],
)
def test_credential_injects_the_key_and_url_as_environment_and_extra_vars(credential_type, inputs, expected_url):
    env, extra_vars = inject_credential(credential_type, inputs)

    assert env == {"DIGICERT_API_KEY": "KEY", "DIGICERT_API_URL": expected_url}
    assert extra_vars == {"order_cleanup_api_key": "KEY", "order_cleanup_api_url": expected_url, "digicert_api_key": "KEY", "digicert_api_url": expected_url}


def test_the_role_reads_the_injected_role_variables(credential_type, role_options):
    injected = set(credential_type["injectors"]["extra_vars"])
    role_variables = {name for name in injected if name.startswith("order_cleanup_")}
    assert role_variables == {"order_cleanup_api_key", "order_cleanup_api_url"}
    assert role_variables <= set(role_options)
    assert role_options["order_cleanup_api_key"]["no_log"] is True
    # Without the extra vars, the role falls back to the environment variables the credential also injects.
    role_defaults = load_yaml("roles", "order_cleanup", "defaults", "main.yml")
    assert "'DIGICERT_API_KEY'" in role_defaults["order_cleanup_api_key"]
    assert "'DIGICERT_API_URL'" in role_defaults["order_cleanup_api_url"]


@pytest.mark.parametrize("role", ["decommission", "order_report"])
def test_the_roles_behind_the_other_playbooks_read_the_injected_extra_vars(credential_type, role):
    """The roles decommission and order_report default their key and URL to the extra vars the credential injects:
    the modules' own fallback to DIGICERT_API_KEY only works where the environment variable reaches them."""
    defaults = load_yaml("roles", role, "defaults", "main.yml")
    for name, variable in (("digicert_api_key", f"{role}_api_key"), ("digicert_api_url", f"{role}_api_url")):
        assert name in credential_type["injectors"]["extra_vars"]
        assert re.search(rf"\b{name}\b", defaults[variable]), f"{variable} does not read {name}"


def test_survey_questions_are_role_variables_of_matching_types(job_template, role_options):
    assert job_template["survey_enabled"] is True
    survey = job_template["survey_spec"]
    assert survey["name"] and survey["description"]
    python_type = {"int": int, "list": list, "bool": str, "str": str}
    for element in survey["spec"]:
        option = role_options[element["variable"]]
        assert {"question_name", "variable", "type", "required"} <= set(element)
        answer = survey_form_answers(job_template, {})[element["variable"]]
        assert isinstance(answer, python_type[option["type"]]), element["variable"]
        if element["type"] in ("multiselect", "multiplechoice"):
            allowed = option.get("choices") or (["false", "true"] if option["type"] == "bool" else None)
            assert set(element["choices"]) <= set(allowed), element["variable"]


def test_survey_defaults_are_the_role_defaults_where_both_exist(job_template, role_options):
    answers = survey_form_answers(job_template, {})
    for variable in ("order_cleanup_older_than_days", "order_cleanup_statuses", "order_cleanup_max_cancellations"):
        assert answers[variable] == role_options[variable]["default"], variable
    assert answers["order_cleanup_apply"] == str(role_options["order_cleanup_apply"]["default"]).lower()


def test_template_extra_vars_are_role_variables(job_template, role_options):
    assert set(job_template["extra_vars"]) <= set(role_options)


def test_every_schedule_launches_with_valid_answers_for_every_question(job_template, job_template_file):
    for schedule in job_template_file["schedules"]:
        extra_vars = launch_extra_vars(job_template, schedule["extra_data"])
        for element in job_template["survey_spec"]["spec"]:
            assert element["variable"] in schedule["extra_data"], (schedule["name"], element["variable"])
            assert survey_errors(element, extra_vars) == []
        assert schedule["rrule"].startswith("DTSTART;TZID=UTC:")


def test_the_project_installs_the_collection_and_runs_its_clean_up_playbook(job_template):
    requirements = load_yaml("awx", "project", "collections", "requirements.yml")
    assert [item["name"] for item in requirements["collections"]] == ["certops.digicert"]
    with open(os.path.join(AWX_DIR, "project", job_template["playbook"]), encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    imported = [play["ansible.builtin.import_playbook"] for play in plays]
    assert imported == ["certops.digicert.cleanup_abandoned_orders"]
    assert os.path.exists(os.path.join(REPO_ROOT, "playbooks", "cleanup_abandoned_orders.yml"))
