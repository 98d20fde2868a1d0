"""The Python API behind the commands: load a problem, work out its tasks, derive by hand."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sympy as sp

from . import phrasing
from .budget import TASK_TIMEOUT, TaskOverTime, alarm
from .document import Solution
from .errors import InputError
from .expr import parse_number
from .loading import load, problem_from_dict
from .numeric.device import DEVICE, checked
from .phrasing.catalogs import languages
from .problem import Problem
from .yamlfile import read_yaml


def solve(
    problem: str | Path | Problem | dict[str, Any],
    *,
    seed: int = 0,
    detail: str = "compact",
    dtype: str = "float64",
    task_timeout: float = TASK_TIMEOUT,
    lang: str | None = None,
    raw: Any = None,
    device: str = "cpu",
) -> Solution:
    """Work out every task of a problem (a path to a YAML file, or a loaded Problem).

    ``lang`` ("en", "zh") is the language of the narration; by default the problem file's
    ``lang:``, else English. Formulas, JSON keys and machine values are the same in all.
    ``raw`` is the file's YAML where the caller has read it already (it is read once).

    A task that runs longer than ``task_timeout`` seconds (0: no limit) is stopped: its
    section is marked incomplete (``complete: false``) with what it had finished, and the
    other tasks go on.

    ``detail="full"`` shows every rule application of each derivative, not only the
    lesson's one-line form; ``seed`` seeds the random points of the cross-checks; ``dtype``
    ("float64" or "float32") is the precision numeric runs such as gradient descent use.
    ``device`` ("cpu" or "cuda") is where torch computes the reductions of partitioned data
    and the autograd twin; asking for "cuda" where there is none is an :class:`InputError`.

    >>> sol = solve({"title": "Bowl", "variables": ["x", "y"], "objective": "x**2 + y**2",
    ...              "tasks": [{"gradient": {"at": [1, 2]}}]})
    >>> sol.sections[0].result["exact"], sol.ok
    (['2', '4'], True)
    """
    token = DEVICE.set(checked(device))
    try:
        if isinstance(problem, Problem):
            lang = lang or problem.lang
        else:  # the statement is built while loading: say it in the language the file asks for
            if raw is None:  # ``raw``: the file's YAML, where the caller has read it already
                raw = problem if isinstance(problem, dict) else read_yaml(problem)
            lang = lang or asked_language(raw)
            with phrasing.language(lang):
                problem = (
                    problem_from_dict(raw) if isinstance(problem, dict) else load(problem, raw)
                )
        with phrasing.language(lang):
            solution = _solve(problem, seed, detail, dtype, task_timeout)
    except InputError as exc:  # said in the language asked for, where it is known by now
        exc.lang = exc.lang or (lang if lang in languages() else None)
        raise
    finally:
        DEVICE.reset(token)
    return dataclasses.replace(solution, lang=lang)


def _in_passes(problem: Problem) -> bool:
    """Whether the problem's loss is evaluated by passes over partitioned data."""
    model = problem.model
    return model is not None and model.data.partitioned is not None and model.moments is None


def asked_language(raw: Any) -> str:
    """The language a problem file asks for, if it is one tutor speaks (else loading says
    what is wrong with it, in English)."""
    asked = raw.get("lang", "en") if isinstance(raw, dict) else "en"
    return asked if asked in languages() else "en"


def _solve(problem: Problem, seed: int, detail: str, dtype: str, task_timeout: float) -> Solution:
    from .tasks import TASKS, refused_section, stopped_section
    from .tasks.context import Context
    from .tasks.derivation import DETAILS

    if detail not in DETAILS:
        raise InputError(
            "detail must be one of {value}, got {detail!r}", value=", ".join(DETAILS), detail=detail
        )
    if dtype not in ("float32", "float64"):
        raise InputError("dtype must be float32 or float64, got {dtype!r}", dtype=dtype)
    ctx = Context(problem, seed=seed, detail=detail, dtype=dtype)
    # Every task's checks use torch. Import it before any time limit is armed: a signal that
    # lands inside an import leaves a half-initialised module behind.
    import torch  # noqa: F401

    sections = []
    for call in problem.tasks:
        if _in_passes(problem) and call.name != "gradient_descent":
            refusal = InputError(
                "over data read in partitions, this model is not linear least squares: no "
                "formula of the weights carries its loss, so only gradient_descent runs on it "
                "(one pass over the partitions a step)"
            )
            sections.append(
                refused_section(call.name, refusal.located(file=problem.path, key=call.key))
            )
            continue
        try:
            with alarm(task_timeout, TaskOverTime):
                sections.append(TASKS[call.name].run(ctx, call.params))
        except InputError as exc:  # this task's input: say so in its place, do the others
            sections.append(
                refused_section(call.name, exc.located(file=problem.path, key=call.key))
            )
        except AttributeError as exc:
            if not _raised_in_sympy(exc):
                raise
            # SymPy's own bug (cot(asin(x)) asks tan(asin(x)), a quotient, for a method only
            # functions have): the expression, not tutor, meets it; say how to write around it.
            error = InputError(
                "SymPy fails on this objective (a SymPy bug with sec, csc or cot of an inverse "
                "trigonometric function); write cot(u) as cos(u)/sin(u), sec(u) as 1/cos(u)",
                file=problem.path,
                key=call.key,
            )
            sections.append(refused_section(call.name, error))
        except TaskOverTime:
            sections.append(stopped_section(ctx, call.name, task_timeout))
    return Solution(
        title=problem.title,
        source=problem.source,
        description=problem.description,
        variables=problem.variables,
        objective=problem.objective,
        objective_shown=problem.objective_shown,
        objective_display=problem.objective_display,
        name=problem.name,
        setup=problem.setup,
        sections=tuple(sections),
        constants=tuple(
            sp.Eq(sp.Symbol(k), v, evaluate=False) for k, v in (problem.constants or {}).items()
        ),
    )


def derive(
    expr: str,
    wrt: str | Sequence[str],
    *,
    at: Sequence[Any] | None = None,
    constants: Mapping[str, Any] | None = None,
    name: str = "f",
    detail: str = "compact",
    task_timeout: float = TASK_TIMEOUT,
    lang: str | None = None,
) -> Solution:
    """Differentiate ``expr`` by each of ``wrt``, step by step, checked by autograd; other
    names are ``constants`` with their values (``{"a": 2}``), held fixed. ``lang`` is the
    language of the narration and of an error (English by default).

    ``wrt`` is a list of names or one string of names separated by commas or spaces. The
    result's ``to_dict()`` is what ``tutor derive --format json`` prints.

    >>> d = derive("(2 - a - b)**2 + (4 - 3*a - b)**2", wrt="a, b")
    >>> d.sections[0].result
    {'a': '20*a + 8*b - 28', 'b': '8*a + 4*b - 12'}
    >>> derive("k*x**2", wrt="x", constants={"k": 3}).to_dict()["result"]
    {'x': '6*x'}
    """
    lang = lang or "en"
    try:
        return _derive(expr, wrt, at, constants, name, detail, task_timeout, lang)
    except InputError as exc:
        exc.lang = exc.lang or lang
        raise


def _derive(
    expr: str,
    wrt: str | Sequence[str],
    at: Sequence[Any] | None,
    constants: Mapping[str, Any] | None,
    name: str,
    detail: str,
    task_timeout: float,
    lang: str,
) -> Solution:
    names = wrt.replace(",", " ").split() if isinstance(wrt, str) else list(wrt)
    if not names:
        raise InputError("name at least one variable", key="--wrt")
    if at is not None and len(at) != len(names):
        raise InputError(
            "give one number per variable of --wrt ({value}), got {count}",
            key="--at",
            value=", ".join(names),
            count=len(at),
        )
    for value in at or ():
        try:
            parse_number(value)
        except InputError as exc:
            raise exc.with_key("--at") from None
    tasks: list[Any] = ["partials"]
    if at is not None:
        tasks.append({"gradient": {"at": list(at)}})
    raw = {
        "title": f"d/d({', '.join(names)}) of {expr}",
        "variables": names,
        "objective": expr,
        "name": name,
        "tasks": tasks,
        **({"constants": dict(constants)} if constants else {}),
    }
    try:
        problem = problem_from_dict(raw)
    except InputError as exc:
        raise _as_typed(exc) from None
    solution = solve(problem, detail=detail, task_timeout=task_timeout, lang=lang)
    with phrasing.language(lang):
        title = phrasing.text(
            "derive.title" if len(names) == 1 else "derive.title.partial",
            f=phrasing.plain(problem.objective_shown),
            wrt=", ".join(phrasing.plain(v) for v in problem.variables),
        )
    return dataclasses.replace(solution, title=title, expression=expr)


#: A problem file's keys as ``tutor derive`` spells what the user typed.
_DERIVE_KEYS = (
    ("objective", "EXPR"),
    ("variables", "--wrt"),
    ("constants.", "--const "),
    ("tasks[1].gradient.at", "--at"),
)


def _as_typed(exc: InputError) -> InputError:
    """An error about the problem ``derive`` built, in the words of its command line."""
    key, message = exc.key or "", exc.message
    for inner, typed in _DERIVE_KEYS:
        if key.startswith(inner):
            key = typed + key[len(inner) :].lstrip(".") if inner.endswith(".") else typed
            break
    if key == "EXPR" and message.startswith("unknown name"):
        word = message.split("'")[1] if message.count("'") >= 2 else "it"
        return InputError(
            "{error}: add {word} to --wrt to differentiate by it, or hold it fixed with "
            "--const {word}=VALUE",
            file=exc.file,
            key=key,
            lang=exc.lang,
            error=exc.phrase,
            word=word,
        )
    return InputError(exc.phrase, file=exc.file, key=key or None, lang=exc.lang)


def _raised_in_sympy(exc: BaseException) -> bool:
    """The innermost frame of ``exc`` is SymPy's."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and f"{os.sep}sympy{os.sep}" in tb.tb_frame.f_code.co_filename
