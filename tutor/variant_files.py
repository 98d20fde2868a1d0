"""What ``tutor variants`` writes for each variant: its problem file, a student sheet (the
statement and the questions, no solution), its key (the worked solution with every check),
and for the whole run ``key.json`` and ``key.csv`` with every answer."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from . import phrasing
from .budget import TASK_TIMEOUT
from .document import Label, Section, Solution, Step
from .errors import InputError
from .loading import load
from .outcome import Empty
from .output import SOURCE_DATE, check_destination, write_bytes, write_text
from .pdf import compile_tex, write_pdf
from .problem import Problem
from .render import moodle
from .render.latex import LatexPrinter
from .solve import asked_language, solve
from .variants import Variant, make, template
from .yamlfile import read_yaml


def problem_text(variant: Variant) -> str:
    """The variant's problem file: the template with its values in, keys in their order."""
    return yaml.safe_dump(
        dict(variant.raw), sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )


def sheet(solution: Solution, problem: Problem) -> Solution:
    """The student's sheet: the statement, then each task as a question (no result, no
    check, no figure)."""
    questions = []
    for section, call in zip(solution.sections, problem.tasks, strict=True):
        given = call.params.model_dump()
        ask = question(section.task, given, solution.name)
        questions.append(Section(section.task, section.title, given, Empty(), (ask,)))
    return replace(solution, sections=tuple(questions))


def question(task: str, given: dict[str, Any], name: Label) -> Step:
    """A task as the sheet asks it: "Find every stationary point of SSE and classify it."."""
    params = {k: _shown(v) for k, v in given.items() if v is not None}
    key = f"sheet.{task}"
    for extra in ("at", "direction", "angle"):
        if extra in params and f"{key}.{extra}" in phrasing.MESSAGES:
            key = f"{key}.{extra}"
    parts = {k: params.get(k, "") for k in ("at", "direction", "angle", "start", "lr", "order")}
    return Step.of(phrasing.text("sheet.question"), phrasing.say(key, None, f=name, **parts))


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_shown(v) for v in value) + ")"
    return str(value)


def task_names(solution: Solution) -> list[str]:
    """Each task's name in keys and answers files: ``gradient_descent``, and
    ``gradient_descent.2`` for a task's second appearance (as ``tutor grade`` reads them)."""
    seen: Counter[str] = Counter()
    out = []
    for section in solution.sections:
        seen[section.task] += 1
        n = seen[section.task]
        out.append(section.task if n == 1 else f"{section.task}.{n}")
    return out


def key_json(variants: Sequence[Variant]) -> str:
    """``{id: {task: result}}``: every variant's results as its JSON has them."""
    out = {}
    for v in variants:
        printed = v.solution.to_dict()["tasks"]
        out[v.id] = {
            name: task["result"] for name, task in zip(task_names(v.solution), printed, strict=True)
        }
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def key_csv(variants: Sequence[Variant]) -> str:
    """One row per answer: ``id, task, key, value`` (a value that is a list or mapping as
    compact JSON), and the params each variant drew, as task ``params``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "task", "key", "value"])
    for v in variants:
        for name, value in v.values.items():
            shown = value.numerator if value.denominator == 1 else f"{value}"
            writer.writerow([v.id, "params", name, shown])
        printed = v.solution.to_dict()["tasks"]
        for name, task in zip(task_names(v.solution), printed, strict=True):
            for key, value in task["result"].items():
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                writer.writerow([v.id, name, key, text])
    return buffer.getvalue()


@dataclass(frozen=True)
class Run:
    """One ``tutor variants`` run, as the command line gives it."""

    file: Path
    count: int | None
    seed: int
    out: Path
    roster: Path | None = None
    moodle: Path | None = None
    pdf: bool = True
    lang: str | None = None
    task_timeout: float = TASK_TIMEOUT
    #: ``--scheduler``: a Dask cluster's address, ``inprocess``, or None (see tutor.cluster).
    scheduler: str | None = None


def write_run(run: Run, step: Callable[[], None] = lambda: None) -> int:
    """Draw, solve and check every variant, then write them all; the number written.

    Nothing is written until every variant is drawn: an impossible ``require:`` leaves the
    folder as it was.
    """
    raw = read_yaml(run.file)
    t = template(raw, str(run.file))
    ids = roster_ids(run.roster) if run.roster is not None else _numbered(run.count or 0)
    lang = run.lang or asked_language(raw)
    for target in (run.out / "key.json", run.out / "key.csv", run.moodle):
        if target is not None:
            check_destination(target)

    def solved(problem: Problem) -> Solution:
        return solve(problem, task_timeout=run.task_timeout, lang=lang)

    with phrasing.language(lang):
        made = make(t, ids, run.seed, solved, progress=lambda ident: step())
    for variant in made:
        write_text(run.out / variant.id / "problem.yaml", problem_text(variant))
    failed = _typeset(made, run, lang, step) if run.pdf else []
    write_text(run.out / "key.json", key_json(made))
    write_text(run.out / "key.csv", key_csv(made))
    if run.moodle is not None:
        write_text(run.moodle, moodle_quiz(made, run.file.stem))
    if failed:
        raise InputError(
            "{k} of {n} variants have no PDFs (the rest are written): {first}",
            k=len(failed),
            n=len(made),
            first=failed[0],
        )
    return len(made)


def _typeset(made: Sequence[Variant], run: Run, lang: str, step: Callable[[], None]) -> list[str]:
    """Every variant's sheet and key, each variant a unit on Dask (:mod:`tutor.cluster`; LaTeX
    and the figures are the slow part, about 4 s a variant). A unit solves its variant again
    from its problem file's YAML (a Solution holds functions that do not pickle) and gives
    back the two PDFs, which are written here; without a cluster the solutions in hand are
    typeset. The lines of the variants that could not be typeset: the others are written."""
    from . import cluster

    date = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    address = cluster.scheduler_address(run.scheduler)
    failed: list[str] = []
    with cluster.connect(address, len(made)) as client:
        if client is None:
            token = SOURCE_DATE.set(date)
            try:
                for v in made:
                    for name, data in _pdfs(v.solution, v.problem, lang).items():
                        write_bytes(run.out / v.id / name, data)
                    step()
            finally:
                SOURCE_DATE.reset(token)
            return failed
        jobs = [
            (str(run.out / v.id / "problem.yaml"), dict(v.raw), lang, run.task_timeout, date)
            for v in made
        ]

        def lost(i: int, exc: BaseException) -> cluster.Done:
            return cluster.Done(3, cluster.lost_line(made[i].id, exc).said(lang))

        for i, done in cluster.run(typeset_unit, jobs, client, lost):
            if done.line:
                failed.append(done.line)
            for name, data in done.files.items():
                write_bytes(run.out / made[i].id / name, data)
            step()
    return failed


def typeset_unit(file: str, raw: Any, lang: str, task_timeout: float, date: int) -> Any:
    """One variant's ``sheet.pdf`` and ``key.pdf`` as bytes, here or on a Dask worker."""
    from . import cluster

    token = SOURCE_DATE.set(date)
    try:
        problem = load(Path(file), raw)
        solution = solve(problem, task_timeout=task_timeout, lang=lang)
        return cluster.Done(files=_pdfs(solution, problem, lang))
    except InputError as exc:
        return cluster.Done(2, cluster.where_said(exc.line(lang), lang))
    finally:
        SOURCE_DATE.reset(token)


def _pdfs(solution: Solution, problem: Problem, lang: str) -> dict[str, bytes]:
    """``sheet.pdf`` (the questions) and ``key.pdf`` (the worked solution), as bytes."""
    with phrasing.language(lang):
        source = LatexPrinter().document(sheet(solution, problem))
    with tempfile.TemporaryDirectory(prefix="tutor-sheet-") as tmp:
        folder = Path(tmp)
        pdfs = {"sheet.pdf": compile_tex(source, folder).read_bytes()}
        pdfs["key.pdf"] = write_pdf(solution, folder / "key.pdf").read_bytes()
    return pdfs


def _numbered(count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"v{k:0{width}d}" for k in range(1, count + 1)]


def roster_ids(path: Path) -> list[str]:
    """The students of a roster CSV: its ``id`` column (else its first), each once, each a
    name a folder can have."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("cannot read the roster: {why}", file=str(path), why=str(exc)) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError("the roster is empty", file=str(path))
    header = [h.strip().lower() for h in rows[0]]
    column = header.index("id") if "id" in header else 0
    ids: list[str] = []
    for n, row in enumerate(rows[1:], start=2):
        if not row or not row[column].strip():
            continue
        ident = row[column].strip()
        if not _ID.fullmatch(ident):
            raise InputError(
                "line {n}: {ident!r} cannot name a folder: use letters, digits, . _ and -",
                file=str(path),
                n=n,
                ident=ident[:40],
            )
        if ident in ids:
            raise InputError("line {n}: {ident!r} appears twice", file=str(path), n=n, ident=ident)
        ids.append(ident)
    if not ids:
        raise InputError("the roster has no students", file=str(path))
    return ids


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def moodle_quiz(made: Sequence[Variant], category: str) -> str:
    """Every variant as one Cloze question of a Moodle XML quiz."""
    questions = []
    for v in made:
        printed = v.solution.to_dict()["tasks"]
        names = [x.name for x in v.problem.variables]
        blanks = [
            a
            for section, task in zip(v.solution.sections, printed, strict=True)
            for a in moodle.answers(section.task, task["result"], names)
        ]
        statement = f"{v.solution.title}. {v.solution.description}".strip()
        questions.append(moodle.Question(f"{category} {v.id}", statement, tuple(blanks)))
    return moodle.quiz(category, questions)
