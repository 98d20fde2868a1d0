"""A graded answers file as text (``tutor grade``), and a class's grades as a gradebook CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .. import phrasing
from ..errors import printable
from ..grading.report import Report, _round
from .text import columns as width


def report_text(report: Report) -> str:
    """One student's grades: the total, then each part's verdict, score and feedback, and an
    answer written line by line with each line's mark."""
    title = phrasing.text(
        "grade.report.title",
        student=report.student,
        score=_number(report.score),
        max=_number(report.max),
    )
    out = [title]
    if report.error is not None:
        out.append(f"  {report.error}")
        return "\n".join(printable(line) for line in out) + "\n"
    for part in report.parts:
        if part.verdict == "missing" and part.max == 0:
            continue  # a by-product nobody asked for
        verdict = phrasing.text(f"grade.verdict.{part.verdict}")
        score = f"{_number(part.score)}/{_number(part.max)}"
        name = f"{part.task}.{part.part}"
        diagnosis = f"  [{part.diagnosis}]" if part.diagnosis else ""
        out.append(f"  {_padded(name, 28)} {_padded(verdict, 13)} {score:>7}{diagnosis}")
        if part.verdict not in ("correct", "missing") or any(not x.follows for x in part.lines):
            out.append(f"      {part.feedback}")
        for k, line in enumerate(part.lines, start=1):
            mark = {True: "✓", False: "✗", None: "?"}[line.follows]
            out.append(f"      {k}. {mark} {line.text}")
        if part.readings:
            readings = "; ".join(part.readings)
            out.append("      " + phrasing.text("grade.report.readings", readings=readings))
    return "\n".join(printable(line) for line in out) + "\n"


def _padded(text: str, columns: int) -> str:
    """``text`` padded to ``columns`` terminal columns (a Chinese character takes two)."""
    return text + " " * max(0, columns - width(text))


def _number(value: float) -> str:
    return str(_round(value))


def gradebook(reports: Sequence[Report]) -> str:
    """One row per student: the score of every part, the total, the diagnoses, any error.

    The columns are the parts of the first report that has them (every report of one
    problem has the same parts).
    """
    columns: list[str] = []
    for report in reports:
        if report.parts:
            columns = [f"{p.task}.{p.part}" for p in report.parts]
            break
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "file", *columns, "total", "max", "diagnoses", "error"])
    for report in reports:
        by_name = {f"{p.task}.{p.part}": _number(p.score) for p in report.parts}
        diagnoses = "; ".join(
            f"{p.task}.{p.part}: {p.diagnosis}" for p in report.parts if p.diagnosis
        )
        writer.writerow(
            [
                _cell(report.student),
                _cell(report.file or ""),
                *(by_name.get(c, "") for c in columns),
                _number(report.score),
                _number(report.max),
                diagnoses,
                _cell(report.error or ""),
            ]
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would be read as a formula (CSV
    injection, OWASP), so it gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
