# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The project stands on its own: it cites its own API notes, never a document its users do not have.

Facts about the CertCentral API are cited as ``docs/certcentral-api.md §N`` (and, inside ``docs/simulator.md`` and
the notes themselves, as a bare ``§N``). These tests fail when a file cites a section that does not exist, or cites
a "reference §N", a path under a ``shared/`` folder or a "steering" repository, none of which a user can open; and
when ``docs/architecture.md`` leaves out a part of the code it maps.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
API_NOTES = "docs/certcentral-api.md"
ARCHITECTURE = "docs/architecture.md"
# Files whose bare "§N" means a section of the API notes.
BARE_SECTION_FILES = (API_NOTES, "docs/simulator.md")
# The release history may quote old wording; this file spells the patterns it looks for.
EXEMPT_PREFIXES = ("changelogs/", "tests/unit/test_docs_selfcontained.py")
# Used only when the tree is not a git checkout (an installed or unpacked collection).
NOT_SHIPPED_DIRECTORIES = {".git", ".venv", ".venvs", "venv", ".ansible", ".pytest_cache", "__pycache__", "collections", "dist", "reports", ".demo", "output"}

FORBIDDEN = (
    ('a "reference §N" citation', re.compile(r"reference\s*§", re.IGNORECASE)),
    ('a "§N of the reference" citation', re.compile(r"§\s*\d+(?:\.\d+)?\s+of\s+the\s+reference", re.IGNORECASE)),
    ("a path under a shared/ folder", re.compile(r"\bshared/", re.IGNORECASE)),
    ('a "steering" repository', re.compile(r"\bsteering\b", re.IGNORECASE)),
)
SECTION_HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", re.MULTILINE)
# "docs/certcentral-api.md §4", "docs/certcentral-api.md §1, §8, §9", "docs/certcentral-api.md (§2, §3 and §6)".
NOTES_CITATION = re.compile(r"docs/certcentral-api\.md\s*\(?\s*(§\s*\d+(?:\.\d+)?(?:\s*(?:,|and|or)\s*§\s*\d+(?:\.\d+)?)*)")
SECTION_NUMBER = re.compile(r"§\s*(\d+(?:\.\d+)?)")


def project_files():
    """Tracked files, relative to the root; every file of the tree when it is not a git checkout."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        paths = []
        for directory, subdirectories, names in os.walk(ROOT):
            subdirectories[:] = [name for name in subdirectories if name not in NOT_SHIPPED_DIRECTORIES]
            paths.extend(os.path.relpath(os.path.join(directory, name), ROOT).replace(os.sep, "/") for name in names)
        return sorted(paths)
    return sorted(path for path in listing.stdout.decode("utf-8").split("\0") if path)


def read_text(path):
    """The file's text, or None for a binary file or one that is listed but absent."""
    try:
        with open(os.path.join(ROOT, path), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def forbidden_citations(text):
    """(line number, what, line) for every citation of something users do not have."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        found.extend((number, what, line.strip()) for what, pattern in FORBIDDEN if pattern.search(line))
    return found


def notes_sections(notes_text):
    """The section numbers of the API notes, from their ``## N.`` and ``### N.M`` headings."""
    return set(SECTION_HEADING.findall(notes_text))


def cited_sections(text, bare):
    """(line number, section) for every section the text cites; with ``bare``, every "§N" counts."""
    cited = []
    for number, line in enumerate(text.splitlines(), start=1):
        if bare:
            cited.extend((number, section) for section in SECTION_NUMBER.findall(line))
            continue
        for citation in NOTES_CITATION.finditer(line):
            cited.extend((number, section) for section in SECTION_NUMBER.findall(citation.group(1)))
    return cited


@pytest.fixture(scope="module")
def files():
    texts = {path: read_text(path) for path in project_files() if not path.startswith(EXEMPT_PREFIXES)}
    return {path: text for path, text in texts.items() if text is not None}


@pytest.fixture(scope="module")
def sections():
    return notes_sections(read_text(API_NOTES))


def test_no_file_cites_what_users_do_not_have(files):
    offending = [f"{path}:{number}: {what}: {line}" for path, text in files.items() for number, what, line in forbidden_citations(text)]
    assert not offending, "Cite docs/certcentral-api.md instead:\n" + "\n".join(offending)


def test_every_cited_section_of_the_api_notes_exists(files, sections):
    missing = [
        f"{path}:{number}: §{section}"
        for path, text in files.items()
        for number, section in cited_sections(text, bare=path in BARE_SECTION_FILES)
        if section not in sections
    ]
    assert not missing, "docs/certcentral-api.md has no such section:\n" + "\n".join(missing)


def test_the_code_cites_the_api_notes(files):
    # Guards the test above against a citation pattern that silently stops matching anything.
    citing = [path for path, text in files.items() if cited_sections(text, bare=False)]
    assert any(path.startswith("tests/simulator/certcentral_sim/") for path in citing), citing


def test_the_api_notes_keep_their_numbered_sections(sections):
    # Code and docs cite these by number; a renumbering would break the citations silently.
    assert {str(number) for number in range(14)} | {"5.1"} <= sections


@pytest.mark.parametrize(
    "text, expected",
    [
        ("see reference §4 for the codes", ['a "reference §N" citation']),
        ("# Documented (Reference  §1, §8).", ['a "reference §N" citation']),
        ("as §13 of the reference says", ['a "§N of the reference" citation']),
        ("`../shared/reference/certcentral-api.md`", ["a path under a shared/ folder"]),
        ("of the steering repository", ['a "steering" repository']),
        ("the reference date of the account; docs/certcentral-api.md §4; sharedir/", []),
    ],
)
def test_forbidden_citations_are_recognised(text, expected):
    assert [what for _number, what, _line in forbidden_citations(text)] == expected


@pytest.mark.parametrize(
    "text, bare, expected",
    [
        ("(docs/certcentral-api.md §1, §8, §9)", False, ["1", "8", "9"]),
        ("follow docs/certcentral-api.md (§2, §3 and §6.1); see §12", False, ["2", "3", "6.1"]),
        ("Cancel (§4): 204, INFERRED §10", True, ["4", "10"]),
        ("see §4 of somewhere else", False, []),
    ],
)
def test_citations_of_the_api_notes_are_recognised(text, bare, expected):
    assert [section for _number, section in cited_sections(text, bare)] == expected


def test_sections_are_read_from_the_headings():
    notes = "# Title\n\n## 0. Basics\n\n### 5.1 Client certificates\n\n## 13. What real accounts do\n#### 14. not one\n"
    assert notes_sections(notes) == {"0", "5.1", "13"}


def code_parts(paths):
    """The names docs/architecture.md must mention: private utils and plugins by file name, roles and playbooks."""
    parts = set()
    for path in paths:
        folder, name = os.path.split(path)
        if folder in ("plugins/module_utils/_certcentral", "plugins/modules", "plugins/action", "playbooks"):
            if name.endswith((".py", ".yml")) and name != "__init__.py":
                parts.add(name)
        elif path.startswith("roles/"):
            parts.add(path.split("/")[1])
    return parts


def test_the_architecture_page_names_every_part_of_the_code():
    page = read_text(ARCHITECTURE)
    unnamed = sorted(part for part in code_parts(project_files()) if part not in page)
    assert not unnamed, f"docs/architecture.md does not say what these are for: {', '.join(unnamed)}"


def test_parts_of_the_code_are_recognised():
    paths = [
        "plugins/module_utils/_certcentral/verdict.py",
        "plugins/module_utils/_certcentral/__init__.py",
        "plugins/modules/digicert_order_info.py",
        "plugins/action/order_cleanup_report.py",
        "playbooks/order_report.yml",
        "playbooks/templates/orders.csv.j2",
        "roles/order_cleanup/tasks/main.yml",
        "plugins/doc_fragments/_certcentral.py",
        "tests/unit/conftest.py",
    ]
    assert code_parts(paths) == {"verdict.py", "digicert_order_info.py", "order_cleanup_report.py", "order_report.yml", "order_cleanup"}
