"""Fuzzing tutor (issue 17): hypothesis strategies for what strangers send, and one runner.

Three kinds of input, each a :class:`Case` that the command line runs in a fresh folder:

- ``expression``: ``tutor derive`` on a random expression over every whitelisted function,
  with huge and tiny numbers and deep nests;
- ``file``: ``tutor solve`` on a random problem file, or on one of ``problems/`` mutated
  (keys dropped, values swapped for odd ones, huge numbers put in);
- ``bytes``: ``tutor solve`` on raw bytes, random or a bank file with bytes flipped.

The contract (:func:`acceptable`): exit 0, 1, 2 or 4, one line on stderr for 2 and 4, never 3
("internal error"), never past :data:`LIMIT_S`. ``tests/test_fuzz.py`` runs a short
derandomised sample in CI; ``python3 tests/fuzz_long.py`` runs 20,000 before a stop.
"""

from __future__ import annotations

import copy
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import strategies as st

from tutor.cli import main
from tutor.expr import FUNCTIONS

ROOT = Path(__file__).resolve().parent.parent
BANK = sorted((ROOT / "problems").glob("*.yaml"))
#: No input may take longer than this (the issue's bound); tutor's own limits are set below it.
LIMIT_S = 30.0
LIMITS = ["--task-timeout", "5", "--timeout", "20"]
TASK_NAMES = (
    "partials gradient directional_derivative hessian taylor convexity "
    "stationary_points normal_equation gradient_descent backprop"
).split()
UNARY = sorted(n for n in FUNCTIONS if n not in ("Max", "Min", "atan2", "log"))
NAMES = ("x", "y")
HUGE = "HUGE_INTEGER"


@dataclass(frozen=True)
class Case:
    """One input: its kind, the command-line arguments, and the files to write first."""

    kind: str
    args: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...] = ()

    def describe(self) -> str:
        return f"{self.kind}: tutor {' '.join(self.args)} " + " ".join(
            f"[{name}: {content[:300]!r}]" for name, content in self.files
        )


@dataclass(frozen=True)
class Outcome:
    code: int
    seconds: float
    stderr: str


def run(case: Case) -> Outcome:
    """Run ``case`` through the command line in a fresh temporary folder."""
    with tempfile.TemporaryDirectory(prefix="tutor-fuzz-") as tmp:
        for name, content in case.files:
            (Path(tmp) / name).write_bytes(content)
        args = [a.replace("{tmp}", tmp) for a in case.args]
        start = time.monotonic()
        result = CliRunner().invoke(main, [args[0], *LIMITS, *args[1:]])
        seconds = time.monotonic() - start
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += f"[escaped: {type(result.exception).__name__}: {result.exception}]"
        return Outcome(3, seconds, stderr)
    return Outcome(result.exit_code, seconds, stderr)


def acceptable(outcome: Outcome) -> bool:
    if outcome.code not in (0, 1, 2, 4) or outcome.seconds > LIMIT_S:
        return False
    return outcome.code in (0, 1) or outcome.stderr.count("\n") == 1


# Expressions ---------------------------------------------------------------------------------

_small = st.one_of(st.integers(0, 12).map(str), st.sampled_from(["0.5", "1/3", "pi", "E"]))
_weird = st.one_of(
    st.integers(-(10**6), 10**6).map(lambda n: f"({n})"),
    st.integers(1, 6000).map(lambda k: "9" * k),  # up to 6,000 digits
    st.integers(1, 500).map(lambda k: f"10**{k}"),
    st.sampled_from(["1e-300", "1e-320", "1e308", "2.5e-7", "0", "0.0"]),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"({f!r})"),
)
# Mostly what a teacher writes, one leaf in seven from the tails.
_leaves = st.one_of(*[st.sampled_from(NAMES)] * 4, _small, _small, _weird)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(UNARY), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["Max", "Min", "atan2", "log"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        inner.map(lambda e: f"-({e})"),
        inner.map(lambda e: f"log({e})"),
    )


expressions = st.recursive(_leaves, _extend, max_leaves=10)
deep_nests = st.tuples(st.sampled_from(UNARY), st.integers(20, 400)).map(
    lambda t: f"{t[0]}(" * t[1] + "x" + ")" * t[1]
)


@st.composite
def expression_cases(draw: st.DrawFn) -> Case:
    text = draw(st.one_of(expressions, expressions, expressions, deep_nests))
    wrt = draw(st.sampled_from(["x", "x,y", "y"]))
    args = ["derive", "--wrt", wrt]
    if draw(st.booleans()):
        point = draw(st.sampled_from(["0", "1", "-1", "0.5", "1e300", "pi", "1/3", "2**60"]))
        args += ["--at", ",".join([point] * len(wrt.split(",")))]
    args += ["--format", draw(st.sampled_from(["text", "json", "markdown", "latex"]))]
    return Case("expression", (*args, "--", text))  # "--": an expression may start with "-"


# Problem files -------------------------------------------------------------------------------

_odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.just(HUGE),  # a 5,000-digit integer, put in after dumping (PyYAML cannot print it)
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["x", "x**2", "1/0", "zoo", "nan", "I", "sqrt(-1)", "log(0)", "[1, 2]"]),
    st.lists(st.integers(-5, 5), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _task(draw: st.DrawFn) -> Any:
    name = draw(st.sampled_from(TASK_NAMES))
    params = {
        "gradient": {"at": [1, 2]},
        "directional_derivative": {"at": [1, 2], "direction": [3, 4]},
        "hessian": {"at": [0, 1]},
        "taylor": {"at": [0, 0], "order": 2},
        "gradient_descent": {"start": [0.5, 0.5], "lr": 0.1, "steps": 5},
        "backprop": {"at": [1, 2]},
    }.get(name)
    if params is None or draw(st.booleans()):
        return name if params is None else {name: params}
    key = draw(st.sampled_from(sorted(params)))
    return {name: {**params, key: draw(_odd_values)}}


@st.composite
def random_problems(draw: st.DrawFn) -> dict[str, Any]:
    problem: dict[str, Any] = {
        "title": draw(st.text(min_size=1, max_size=40)),
        "variables": list(NAMES),
        "objective": draw(expressions),
        "tasks": [_task(draw) for _ in range(draw(st.integers(1, 3)))],
    }
    if draw(st.integers(0, 4)) == 0:
        del problem["objective"]
        problem["model"] = "y = x*" + draw(expressions)
        problem["data"] = {"x": [1, 2, 3], "y": [2, 4, 7]}
    return problem


@st.composite
def mutated_bank_problems(draw: st.DrawFn) -> dict[str, Any]:
    path = draw(st.sampled_from(BANK))
    problem = copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))
    for _ in range(draw(st.integers(1, 3))):
        keys = sorted(problem)
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["drop", "replace", "replace", "nest"]))
        if action == "drop" and len(keys) > 1:
            del problem[key]
        elif action == "nest" and isinstance(problem[key], list) and problem[key]:
            i = draw(st.integers(0, len(problem[key]) - 1))
            problem[key][i] = draw(_odd_values)
        else:
            problem[key] = draw(_odd_values)
    return problem


def _dump(problem: Any) -> bytes:
    text = yaml.safe_dump(problem, allow_unicode=True, sort_keys=False)
    return text.replace(HUGE, "9" * 5000).encode("utf-8")


@st.composite
def file_cases(draw: st.DrawFn) -> Case:
    problem = draw(st.one_of(random_problems(), mutated_bank_problems()))
    fmt = draw(st.sampled_from(["text", "json", "markdown", "latex"]))
    args = ("solve", "{tmp}/p.yaml", "--format", fmt)
    files = [("p.yaml", _dump(problem))]
    data = problem.get("data") if isinstance(problem, dict) else None
    if isinstance(data, dict) and isinstance(data.get("csv"), str):
        source = ROOT / "problems" / data["csv"]
        if source.is_file() and source.parent == ROOT / "problems":
            files.append((source.name, source.read_bytes()))
    return Case("file", args, tuple(files))


@st.composite
def byte_cases(draw: st.DrawFn) -> Case:
    if draw(st.booleans()):
        content = draw(st.binary(max_size=400))
    else:
        content = bytearray(draw(st.sampled_from(BANK)).read_bytes())
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(content) - 1))
            content[i] = draw(st.integers(0, 255))
        content = bytes(content)
    return Case("bytes", ("solve", "{tmp}/p.yaml"), (("p.yaml", content),))


STRATEGIES = {"expression": expression_cases(), "file": file_cases(), "bytes": byte_cases()}
