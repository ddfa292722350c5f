"""The sandbox: how soon a command runs in it, how long it takes to stop, and the command
line's whole run, without and with a private dockerd.

Not ratios against a baseline like the other areas: the targets are absolute (under 1 s
without docker, under 3 s with it, on the 2-core machine of benchmarks/README.md), and
each figure is the median of ``rounds`` rounds with its spread (min-max). Rounds
alternate the two variants (without docker first in even rounds, with docker first in
odd ones), so drift in the machine's speed falls on both.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from _common import Row

from ecrpublic_mock import SandboxUnavailable, mock_ecr_public

# The command whose start is timed: coreutils' date prints the wall clock as its first
# act, about 1 ms after its exec (a Python one-liner would add the interpreter's ~20-90 ms
# of start-up). The wall clock (CLOCK_REALTIME) is the same inside the namespaces: the
# sandbox makes no time namespace.
STAMP = ["date", "+%s.%N"]
TARGETS = {False: 1.0, True: 3.0}
SUMMARY = "ecrpublic_mock sandbox: the command exited with status 0"


def _in_process(docker: bool) -> dict[str, float]:
    """One sandbox: seconds from just before ``mock.sandbox()`` until it returned
    (``start``) and until the command inside read the clock (``command``); ``stop()``."""
    with mock_ecr_public() as mock:
        before = time.time()
        sandbox = mock.sandbox(docker=docker)
        started = time.time()
        done = sandbox.run(STAMP, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(STAMP)} exited {done.returncode}: {done.stderr}")
        stamped = float(done.stdout)
        clock = time.perf_counter()
        sandbox.stop()
        stop = time.perf_counter() - clock
    return {"start": started - before, "command": stamped - before, "stop": stop}


def _outside() -> float:
    """The method's own overhead: the same command started from this process, no sandbox."""
    before = time.time()
    done = subprocess.run(STAMP, capture_output=True, text=True, check=True)
    return float(done.stdout) - before


def _command_line(docker: bool) -> float:
    """Wall seconds of ``python -m ecrpublic_mock sandbox [--docker] -- true``."""
    argv = [sys.executable, "-m", "ecrpublic_mock", "sandbox"]
    argv += ["--docker", "--", "true"] if docker else ["--", "true"]
    clock = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - clock
    if done.returncode != 0 or SUMMARY not in done.stderr:
        raise RuntimeError(f"{' '.join(argv[1:])} exited {done.returncode}: {done.stderr}")
    return wall


def _imports() -> float:
    """Wall seconds of a fresh interpreter importing the command line's modules: the part
    of the command line's run before any sandbox exists."""
    code = "import ecrpublic_mock.__main__, ecrpublic_mock._sandbox.cli"
    clock = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - clock


def _spread(samples: list[float]) -> str:
    median = statistics.median(samples)
    return f"{median * 1e3:,.0f} ms [{min(samples) * 1e3:,.0f}-{max(samples) * 1e3:,.0f}]"


def bench_sandbox(rows: list[Row], rounds: int) -> None:
    """``rounds`` rounds of each variant, after one warm-up round not counted (the first
    sandbox of a process imports trustme, cryptography and the server)."""
    try:
        with mock_ecr_public() as mock, mock.sandbox(docker=True):
            pass
    except SandboxUnavailable as error:
        raise SystemExit(f"--sandbox: this machine cannot run the sandbox: {error}") from None
    measured: dict[bool, dict[str, list[float]]] = {
        docker: {"start": [], "command": [], "stop": [], "cli": []} for docker in (False, True)
    }
    outside, imports = [], []
    for n in range(rounds + 1):
        order = (False, True) if n % 2 == 0 else (True, False)
        for docker in order:
            one = _in_process(docker)
            if n:
                for key, seconds in one.items():
                    measured[docker][key].append(seconds)
        for docker in order:
            wall = _command_line(docker)
            if n:
                measured[docker]["cli"].append(wall)
        if n:
            outside.append(_outside())
            imports.append(_imports())
    if os.environ.get("BENCH_VERBOSE"):
        print(json.dumps({str(k): v for k, v in measured.items()}), file=sys.stderr)
    for docker, samples in measured.items():
        flavour = "docker=True" if docker else "no docker"
        flag = " --docker" if docker else ""
        for what, key, targeted in (
            (
                f"sandbox ({flavour}): just before mock.sandbox() -> command started",
                "command",
                True,
            ),
            (f"sandbox ({flavour}): of which mock.sandbox() returning", "start", False),
            (f"sandbox ({flavour}): stop()", "stop", False),
            (f"python -m ecrpublic_mock sandbox{flag} -- true (wall)", "cli", True),
        ):
            rows.append(_row(what, samples[key], TARGETS[docker], targeted))
    rows.append(
        _row(
            "the timed command started outside any sandbox (the method's overhead)",
            outside,
            TARGETS[False],
            targeted=False,
        )
    )
    rows.append(
        _row(
            "a fresh interpreter importing the command line (its floor)",
            imports,
            TARGETS[False],
            targeted=False,
        )
    )


def _row(what: str, samples: list[float], target: float, targeted: bool) -> Row:
    """A row of medians against ``target`` seconds: a target to meet, or for information."""
    median = statistics.median(samples)
    if not targeted:
        return Row(what, _spread(samples), "(info)", median / target, "(info)", True)
    return Row(
        what,
        _spread(samples),
        f"{target:g} s target",
        median / target,
        f"< {target:g} s",
        median < target,
    )
