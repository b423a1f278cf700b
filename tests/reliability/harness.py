# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Driving the collection the way users do: ``ansible-playbook`` with the collection installed from this checkout,
implicit localhost, against a simulator on loopback.

Every run of a Controller writes only below its work directory: its own ANSIBLE_HOME, Ansible temp directories, cache
(the default pacing state) and the JSON file each registered result is copied to. That is what makes "the key never
appears in any file written" checkable: scan the work directory.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION = "certops.digicert"
# The file that holds every registered result of a playbook written with keep_at_end.
ALL_RESULTS = "all_results"


def ansible_command(name: str) -> str:
    """The Ansible program ``name`` of the Python environment running the tests (not whatever PATH finds first)."""
    beside_python = os.path.join(os.path.dirname(sys.executable), name)
    if os.access(beside_python, os.X_OK):
        return beside_python
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed in this Python environment")
    return found


def install_collection(destination: str) -> str:
    """Install this checkout as users install a collection; return the collections path to use."""
    os.makedirs(destination, exist_ok=True)
    result = subprocess.run(
        [ansible_command("ansible-galaxy"), "collection", "install", REPO_ROOT, "-p", destination, "--force"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(os.environ, ANSIBLE_HOME=os.path.join(destination, ".ansible-home")),
    )
    if result.returncode != 0:
        raise RuntimeError(f"ansible-galaxy collection install failed:\n{result.stdout}\n{result.stderr}")
    return destination


def module_task(module: str, args: dict, register: str, name: str | None = None) -> dict:
    """A task that runs a collection module and keeps going when it fails, so its result can be kept."""
    return {"name": name or f"Run {module} ({register})", f"{COLLECTION}.{module}": args, "register": register, "ignore_errors": True}


@dataclasses.dataclass
class PlaybookRun:
    """One finished ansible-playbook run: exit status, what it printed, and the results it kept, by register name."""

    returncode: int
    stdout: str
    stderr: str
    results: dict
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def result(self, register: str = "outcome") -> dict:
        if register not in self.results:
            raise AssertionError(f"the run kept no result {register!r} (exit {self.returncode}):\n{self.output[-4000:]}")
        return self.results[register]


class Controller:
    """Runs playbooks with the installed collection; everything they write stays below ``work_dir``."""

    def __init__(self, collections_path: str, work_dir: str) -> None:
        self.collections_path = collections_path
        self.work_dir = work_dir
        self.results_dir = os.path.join(work_dir, "results")
        self._playbooks = 0
        for name in ("results", "playbooks", "ansible-home", "local-tmp", "remote-tmp", "cache", "logs"):
            os.makedirs(os.path.join(work_dir, name), exist_ok=True)

    def environment(self, api_key: str | None = None, extra: dict | None = None) -> dict:
        """The environment of a run: the user's, minus any CertCentral or Ansible settings, plus the work dir's."""
        environment = {name: value for name, value in os.environ.items() if not name.startswith(("ANSIBLE_", "DIGICERT_")) and name not in ("XDG_CACHE_HOME",)}
        environment.update(
            ANSIBLE_COLLECTIONS_PATH=self.collections_path,
            ANSIBLE_HOME=os.path.join(self.work_dir, "ansible-home"),
            ANSIBLE_LOCAL_TEMP=os.path.join(self.work_dir, "local-tmp"),
            ANSIBLE_REMOTE_TEMP=os.path.join(self.work_dir, "remote-tmp"),
            XDG_CACHE_HOME=os.path.join(self.work_dir, "cache"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            ANSIBLE_RETRY_FILES_ENABLED="0",
            ANSIBLE_DEPRECATION_WARNINGS="0",
            # Implicit localhost needs no inventory; say so instead of warning about it on every run.
            ANSIBLE_LOCALHOST_WARNING="0",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
            PYTHONDONTWRITEBYTECODE="1",
        )
        if api_key is not None:
            environment["DIGICERT_API_KEY"] = api_key
        environment.update(extra or {})
        return environment

    def playbook(
        self, tasks: list[dict], name: str = "run", play_vars: dict | None = None, module_defaults: dict | None = None, keep_at_end: bool = False
    ) -> str:
        """Write a one-play playbook for implicit localhost that keeps the results of the tasks with ``register`` where
        PlaybookRun finds them (also in check mode): each right after its task, or with ``keep_at_end`` all in one
        task at the end (one module run instead of one per task, for long tables of short tasks)."""
        self._playbooks += 1
        kept = []
        registers = [task["register"] for task in tasks if task.get("register")]
        for task in tasks:
            kept.append(task)
            if task.get("register") and not keep_at_end:
                kept.append(self._keep_task(task["register"], f"{{{{ {task['register']} | to_json }}}}"))
        if keep_at_end and registers:
            mapping = ", ".join(f"'{register}': {register}" for register in registers)
            kept.append(self._keep_task(ALL_RESULTS, f"{{{{ {{{mapping}}} | to_json }}}}"))
        play = {"name": name, "hosts": "localhost", "gather_facts": False, "tasks": kept}
        if play_vars:
            play["vars"] = play_vars
        if module_defaults:
            play["module_defaults"] = module_defaults
        path = os.path.join(self.work_dir, "playbooks", f"{self._playbooks:03d}-{name}.yml")
        with open(path, "w", encoding="utf-8") as playbook:
            yaml.safe_dump([play], playbook, sort_keys=False)
        return path

    def _keep_task(self, name: str, content: str) -> dict:
        return {
            "name": f"Keep the result of {name}",
            "ansible.builtin.copy": {"content": content, "dest": os.path.join(self.results_dir, f"{name}.json"), "mode": "0600"},
            "check_mode": False,
            "diff": False,
        }

    def command(self, playbook: str, verbosity: int = 0, check: bool = False, diff: bool = False, extra_args: tuple = ()) -> list[str]:
        command = [ansible_command("ansible-playbook"), playbook]
        if verbosity:
            command.append("-" + "v" * verbosity)
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        return command + list(extra_args)

    def _clear_results(self) -> None:
        for name in os.listdir(self.results_dir):
            os.remove(os.path.join(self.results_dir, name))

    def kept_results(self) -> dict:
        """The results the playbooks kept, by register name."""
        results = {}
        for name in sorted(os.listdir(self.results_dir)):
            with open(os.path.join(self.results_dir, name), encoding="utf-8") as result_file:
                kept = json.load(result_file)
            if name == f"{ALL_RESULTS}.json":
                results.update(kept)
            else:
                results[name[: -len(".json")]] = kept
        return results

    def run(
        self,
        playbook: str,
        api_key: str | None = None,
        verbosity: int = 0,
        check: bool = False,
        diff: bool = False,
        timeout: float = 900,
        extra_args: tuple = (),
        extra_env: dict | None = None,
    ) -> PlaybookRun:
        """Run a playbook to its end (or kill it after ``timeout`` seconds and fail)."""
        running = self.start(playbook, api_key=api_key, verbosity=verbosity, check=check, diff=diff, extra_args=extra_args, extra_env=extra_env)
        return running.finish(timeout)

    def start(
        self,
        playbook: str,
        api_key: str | None = None,
        verbosity: int = 0,
        check: bool = False,
        diff: bool = False,
        extra_args: tuple = (),
        extra_env: dict | None = None,
        keep_results: bool = False,
    ) -> RunningPlaybook:
        """Start a playbook in its own process group and return at once (for runs that get killed, or run side by side)."""
        if not keep_results:
            self._clear_results()
        return RunningPlaybook(self, self.command(playbook, verbosity, check, diff, extra_args), self.environment(api_key, extra_env))


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat_file:
                fields = stat_file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def runs_a_module(pid: int) -> bool:
    """Whether the process runs an Ansible module (its AnsiballZ wrapper), rather than an Ansible worker or a shell."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"AnsiballZ_" in cmdline.read()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat_file:
            return stat_file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class RunningPlaybook:
    """An ansible-playbook process started in a new session, so that it (and only it) can be signalled as a group.

    Ansible's worker processes call setsid() themselves, so the module they run is not in the playbook's process
    group: a signal to the group reaches the controller, not the module. ``descendants()`` finds them by parentage
    while the controller is alive, which is how a kill of the whole process tree is done, and how processes left
    behind are found and ended afterwards (always by PID, never by name).
    """

    def __init__(self, controller: Controller, command: list[str], environment: dict) -> None:
        self.controller = controller
        self.started = time.monotonic()
        log_stem = os.path.join(controller.work_dir, "logs", f"{time.time_ns()}")
        self._stdout = open(log_stem + ".out", "w+", encoding="utf-8")  # pylint: disable=consider-using-with  # noqa: SIM115
        self._stderr = open(log_stem + ".err", "w+", encoding="utf-8")  # pylint: disable=consider-using-with  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            env=environment,
            cwd=controller.work_dir,
            stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
            stdout=self._stdout,
            stderr=self._stderr,
            start_new_session=True,
        )
        self.seen_descendants: set[int] = set()

    def descendants(self) -> list[int]:
        """PIDs of every process below the controller now; remembered, so stragglers can be ended later."""
        children = _children_by_parent()
        found, stack = [], [self.process.pid]
        while stack:
            for child in children.get(stack.pop(), []):
                found.append(child)
                stack.append(child)
        self.seen_descendants.update(found)
        return found

    def signal_group(self, signal_number: int) -> None:
        """What Ctrl-C (SIGINT) or ``kill -9 -PGID`` (SIGKILL) does: signal the controller's process group."""
        self.descendants()
        os.killpg(self.process.pid, signal_number)

    def kill_tree(self) -> None:
        """What a crash of the machine or container does: SIGKILL to the controller and everything below it."""
        pids = self.descendants()
        os.killpg(self.process.pid, signal.SIGKILL)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def poll(self) -> int | None:
        if self.process.poll() is None:
            self.descendants()
        return self.process.poll()

    def wait(self, timeout: float) -> int:
        """Wait for the controller to exit; kill its tree and raise if it takes longer than ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                self.kill_tree()
                self.process.wait(timeout=30)
                raise TimeoutError(f"ansible-playbook did not finish within {timeout:.0f} s and was killed; output:\n{self._read()[-4000:]}")
            time.sleep(0.05)
        return self.process.returncode

    def leftovers(self) -> list[int]:
        """Processes that were below the controller and still run after it ended (orphaned Ansible workers and modules)."""
        return sorted(pid for pid in self.seen_descendants if _alive(pid))

    def wait_for_leftovers(self, timeout: float) -> list[int]:
        """Let orphaned modules finish their work; return the PIDs of modules still running after ``timeout`` seconds.

        Only modules are waited for: an orphaned worker waits forever to hand its result to the dead controller.
        """
        deadline = time.monotonic() + timeout
        while any(runs_a_module(pid) for pid in self.leftovers()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return [pid for pid in self.leftovers() if runs_a_module(pid)]

    def end_leftovers(self) -> None:
        """SIGKILL what this run left behind. An orphaned Ansible worker whose controller died waits forever to hand
        back its result; it has nothing left to do."""
        for pid in self.leftovers():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _read(self) -> str:
        self._stdout.flush()
        self._stderr.flush()
        self._stdout.seek(0)
        self._stderr.seek(0)
        return self._stdout.read() + self._stderr.read()

    def finish(self, timeout: float = 900) -> PlaybookRun:
        """Wait for the run, end whatever it left behind, and collect its output and kept results."""
        try:
            returncode = self.wait(timeout)
        finally:
            self.end_leftovers()
        self._stdout.seek(0)
        self._stderr.seek(0)
        stdout, stderr = self._stdout.read(), self._stderr.read()
        self._stdout.close()
        self._stderr.close()
        return PlaybookRun(returncode, stdout, stderr, self.controller.kept_results(), time.monotonic() - self.started)
