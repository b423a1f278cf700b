# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The suite's tables: collected while the tests run, printed at the end, and written into docs/reliability.md."""

from __future__ import annotations

import dataclasses
import datetime
import platform

from fault_suite import Row

TABLE_START = "<!-- reliability-results:start -->"
TABLE_END = "<!-- reliability-results:end -->"
SECTION_ORDER = ("Faults", "Bad input", "Secrets")


@dataclasses.dataclass
class SecretScan:
    """One run (or group of runs) whose output and files were searched for the API key."""

    scenario: str
    runs: int
    files: int
    leaks: list[str]


@dataclasses.dataclass
class InputCase:
    """One bad value from the table, and what became of it."""

    target: str
    option: str
    kind: str
    value: str
    message: str
    state_changing_requests: int
    passed: bool
    accepted: bool


class ReliabilityReport:
    """Everything the suite measured in one session."""

    def __init__(self, variant: str, command: str) -> None:
        self.variant = variant
        self.command = command
        self.rows: list[Row] = []
        self.secret_scans: list[SecretScan] = []
        self.input_cases: list[InputCase] = []
        self.started = datetime.datetime.now(datetime.timezone.utc)

    def add_row(self, row: Row) -> None:
        self.rows.append(row)

    def add_secret_scan(self, scan: SecretScan) -> None:
        self.secret_scans.append(scan)

    def add_input_case(self, case: InputCase) -> None:
        self.input_cases.append(case)

    @property
    def empty(self) -> bool:
        return not (self.rows or self.secret_scans or self.input_cases)

    # ---- text -------------------------------------------------------------------------------------------------

    def fault_table(self) -> list[str]:
        lines = [
            "| condition | orders | rate limits | faults injected | retries | wrong changes | lost orders | rerun changes | leaked secrets | time |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in self.rows:
            lines.append(
                f"| {row.condition} | {row.orders} | {row.rate_limits} | {row.faults_injected} | {row.retries} | "
                f"{row.wrong_changes} | {row.lost_orders} | {row.rerun_changes} | {row.leaked_secrets} | {row.seconds:.0f} s |"
            )
        return lines

    def fault_details(self) -> list[str]:
        lines = []
        for row in self.rows:
            details = [f"faults: {row.fault_detail}"] + row.notes
            lines.append(f"- **{row.condition}**: " + "; ".join(details) + ".")
            lines.extend(f"  - PROBLEM: {problem}" for problem in row.problems[:20])
            if len(row.problems) > 20:
                lines.append(f"  - ... and {len(row.problems) - 20} more problems")
        return lines

    def secrets_table(self) -> list[str]:
        lines = ["| scenario | runs | files scanned | leaked secrets |", "|---|---:|---:|---:|"]
        for scan in self.secret_scans:
            lines.append(f"| {scan.scenario} | {scan.runs} | {scan.files} | {len(scan.leaks)} |")
        total_runs = sum(scan.runs for scan in self.secret_scans)
        total_files = sum(scan.files for scan in self.secret_scans)
        total_leaks = sum(len(scan.leaks) for scan in self.secret_scans)
        lines.append(f"| **all** | **{total_runs}** | **{total_files}** | **{total_leaks}** |")
        if total_leaks:
            lines.append("")
        for scan in self.secret_scans:
            lines.extend(f"- LEAK ({scan.scenario}): {leak}" for leak in scan.leaks)
        return lines

    def input_summary(self) -> list[str]:
        by_target: dict[str, list[InputCase]] = {}
        for case in self.input_cases:
            by_target.setdefault(case.target, []).append(case)
        lines = [
            "| module or role | bad values | failed with a clear sentence | accepted by design, changing nothing | state-changing requests sent |",
            "|---|---:|---:|---:|---:|",
        ]
        for target, cases in by_target.items():
            refused = sum(case.passed and not case.accepted for case in cases)
            accepted = sum(case.passed and case.accepted for case in cases)
            lines.append(f"| {target} | {len(cases)} | {refused} | {accepted} | {sum(case.state_changing_requests for case in cases)} |")
        failures = [case for case in self.input_cases if not case.passed]
        if failures:
            lines.append("")
        for case in failures:
            lines.append(f"- NOT CLEAR ({case.target} {case.option}={case.value}): {case.message[:300]}")
        return lines

    def run_line(self) -> str:
        try:
            from ansible.release import __version__ as ansible_version  # pylint: disable=import-outside-toplevel
        except ImportError:
            ansible_version = "unknown"
        return (
            f"Run {self.started:%Y-%m-%d %H:%M} UTC, {self.variant} variant, `{self.command}`, Python {platform.python_version()}, "
            f"ansible-core {ansible_version}, {platform.machine()}."
        )

    def sections(self) -> dict[str, list[str]]:
        """The Markdown sections this session measured, by heading."""
        measured = {}
        if self.rows:
            measured["Faults"] = self.fault_table() + [""] + self.fault_details()
        if self.input_cases:
            measured["Bad input"] = self.input_summary()
        if self.secret_scans:
            measured["Secrets"] = self.secrets_table()
        return {heading: [self.run_line(), ""] + lines for heading, lines in measured.items()}

    def terminal_lines(self) -> list[str]:
        lines = []
        if self.rows:
            lines += ["", "Fault suite (" + self.variant + ")", ""] + self.fault_table() + [""] + self.fault_details()
        if self.input_cases:
            lines += ["", "Bad input", ""] + self.input_summary()
        if self.secret_scans:
            lines += ["", "Secrets", ""] + self.secrets_table()
        return lines

    def write_into(self, path: str) -> None:
        """Write this session's sections into the results block of ``path`` (between the markers); sections it did
        not measure keep what an earlier session wrote, so that a part of the suite can be run again on its own."""
        with open(path, encoding="utf-8") as document:
            text = document.read()
        start, end = text.find(TABLE_START), text.find(TABLE_END)
        if start < 0 or end < start:
            raise ValueError(f"{path} has no {TABLE_START} ... {TABLE_END} section to write the results into")
        sections = _split_sections(text[start + len(TABLE_START) : end])
        sections.update(self.sections())
        block = [TABLE_START, ""]
        for heading in SECTION_ORDER:
            if heading in sections:
                block += [f"### {heading}", ""] + sections[heading] + [""]
        block.append(TABLE_END)
        text = text[:start] + "\n".join(block) + text[end + len(TABLE_END) :]
        with open(path, "w", encoding="utf-8") as document:
            document.write(text)


def _split_sections(block: str) -> dict[str, list[str]]:
    """The ``### heading`` sections of a results block, without their heading and surrounding blank lines."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in block.splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
    for lines in sections.values():
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
    return sections
