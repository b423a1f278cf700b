# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Finding an API key where it must not be: in what a run printed, and in the names and contents of every file it
wrote (results, reports, Ansible's temporary files, the pacing state)."""

from __future__ import annotations

import base64
import os

# A key cut short in a log line is still a leak: any piece of this many characters counts.
PIECE = 24


def _forms(secret: str) -> set[bytes]:
    """The key, every piece of it, and the key in base64 at each of its three alignments."""
    data = secret.encode()
    forms = {data[start : start + PIECE] for start in range(0, max(1, len(data) - PIECE + 1))}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data)
        # Drop the characters that depend on the padding bytes and on the end.
        forms.add(encoded[4 if offset else 0 : -4])
    return forms


def find_secrets(secrets: dict[str, str], texts: dict[str, str], directories: list[str], skip: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    """Search ``texts`` (name -> text) and every file below ``directories`` (names and contents) for each secret.

    ``skip`` lists paths (files or directories) that hold a key on purpose, such as a test's own vars file.
    Returns the number of files searched and one sentence per finding.
    """
    forms = {name: _forms(secret) for name, secret in secrets.items()}
    findings = []

    def search(where: str, data: bytes) -> None:
        for name, patterns in forms.items():
            if any(pattern in data for pattern in patterns):
                findings.append(f"the {name} key appears in {where}")

    for label, text in texts.items():
        search(label, text.encode("utf-8", "replace"))
    files = 0
    for directory in directories:
        for root, dirs, names in os.walk(directory):
            dirs[:] = [name for name in dirs if os.path.join(root, name) not in skip]
            for name in dirs + names:
                search(f"the file name {os.path.join(root, name)}", name.encode())
            for name in names:
                path = os.path.join(root, name)
                if path in skip or os.path.islink(path):
                    continue
                files += 1
                with open(path, "rb") as found:
                    search(f"the file {path}", found.read())
    return files, findings
