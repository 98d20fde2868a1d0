"""Grading a student's work: ``tutor grade PROBLEM ANSWERS...`` and ``tutor.grade``.

The problem is solved once (:class:`~tutor.grading.key.Key`: every task's result, each
derivative's rule tree and its slips); each answers file is then graded part by part against
it: a formula by the equality engine, numbers to the problem's tolerance, a wrong answer
diagnosed by the slip that reproduces it, an answer written line by line marked line by line.
An answers file is a stranger's input like a problem file: read with the safe YAML loader,
its formulas by the whitelisted parser; nothing in it runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import phrasing
from ..budget import OverBudget, within
from ..errors import InputError
from ..problem import Problem
from ..yamlfile import read_yaml
from .expressions import Graded
from .feedback import said, words
from .key import Entry, Key
from .parts import PartSpec, answer_of, parts
from .report import VERDICTS, Line, Part, Report

__all__ = [
    "VERDICTS",
    "Key",
    "Line",
    "Part",
    "Report",
    "answer_key",
    "grade_answers",
    "read_answers",
]

#: Seconds one part of one student's answers may take (a formula built to be slow to
#: compare is "undecided" past it, and the other parts are graded).
PART_BUDGET = 10.0


def answer_key(problem: Problem, solution: Any) -> Key:
    """The key for ``problem`` from its solved ``solution``; weights are checked against
    its parts here, once."""
    key = Key(problem, solution)
    key.layout = tuple(
        (entry, spec, weight)
        for entry in key.entries
        for spec, weight in _weights(key, entry, parts(key, entry))
    )
    known = {e.name for e in key.entries} | {f"{e.name}.{s.name}" for e, s, _ in key.layout}
    for name in problem.grading.weights:
        if name not in known:
            raise InputError(
                "no task or part {name!r} to weigh (this problem's: {known})",
                file=problem.path,
                key=f"grading.weights.{name}",
                name=name,
                known=", ".join(sorted(known)),
            )
    return key


def read_answers(path: str | Path) -> Any:
    """An answers file (YAML or JSON), read safely; an :class:`InputError` if it cannot be."""
    return read_yaml(path)


def grade_answers(
    key: Key,
    raw: Any,
    *,
    file: str | None = None,
    student: str | None = None,
    error: InputError | None = None,
) -> Report:
    """Grade one student's answers (``raw``, as read from their file) against ``key``.

    A file that is not a mapping of tasks, or names a task the problem does not have, is
    refused as a whole: the report carries the error line and no parts; so is one that
    could not be read (``error``, the reader's).
    """
    name = student or (Path(file).stem if file else "student")
    lang = phrasing.LANGUAGE.get()
    total = sum(weight for _, _, weight in key.layout)
    try:
        if error is not None:  # the file could not be read: its one line is the report
            raise error
        answers = _checked(key, raw)
    except InputError as exc:
        line = exc.located(file=file).line(lang)
        return Report(name, file, (), total, line, lang)
    if isinstance(answers.get("student"), str) and answers["student"].strip():
        name = answers["student"].strip()[:100]
    graded = tuple(
        _part(key, entry, spec, answers.get(entry.name), weight)
        for entry, spec, weight in key.layout
    )
    return Report(name, file, graded, total, None, lang)


def _checked(key: Key, raw: Any) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise InputError("an answers file is a mapping of task names to answers (partials: ...)")
    known = [e.name for e in key.entries]
    for name in raw:
        if name != "student" and name not in known:
            raise InputError(
                "{name!r} is not a task of this problem (its tasks: {known})",
                key=str(name),
                name=str(name),
                known=", ".join(known),
            )
    return raw


def _weights(key: Key, entry: Entry, specs: list[PartSpec]) -> list[tuple[PartSpec, float]]:
    """Each part with its points: its own weight in ``grading.weights``, else its share of
    the task's weight, else its default."""
    given = key.problem.grading.weights
    scored = [s for s in specs if s.weight > 0] or specs
    out = []
    for spec in specs:
        own = given.get(f"{entry.name}.{spec.name}")
        if own is not None:
            weight = float(own)
        elif entry.name in given:
            weight = float(given[entry.name]) / len(scored) if spec in scored else 0.0
        else:
            weight = spec.weight
        out.append((spec, weight))
    return out


def _part(key: Key, entry: Entry, spec: PartSpec, answer: Any, weight: float) -> Part:
    task = entry.name
    given = answer_of(answer, spec) if answer is not None else None
    if given is None:
        feedback = words("grade.missing")
        return Part(task, spec.name, "missing", 0.0, weight, feedback)
    if not entry.section.complete or entry.section.refused:
        feedback = words("grade.no_key")
        return Part(task, spec.name, "undecided", 0.0, weight, feedback)
    try:
        with within(PART_BUDGET):
            mine = answer if spec.whole else given
            graded = spec.grade(key, entry, mine, key.problem.grading.tolerance)
    except InputError as exc:
        graded = Graded("unreadable", feedback=said(exc))
    except OverBudget:
        graded = Graded("undecided", feedback=words("grade.over_budget", seconds=int(PART_BUDGET)))
    credit = graded.earned(key.problem.grading.unsimplified)
    return Part(
        task,
        spec.name,
        graded.verdict,
        weight * credit,
        weight,
        graded.feedback,
        graded.diagnosis,
        graded.lines,
        graded.readings,
    )
