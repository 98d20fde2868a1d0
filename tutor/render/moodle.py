"""Variants as a Moodle XML quiz: one category, one Cloze (embedded answers) question per
variant, each of its answers a sub-question.

The format is Moodle's documented "Moodle XML" (``<quiz>``, a ``<question type="category">``,
then ``<question type="cloze">`` with ``<name>``, ``<questiontext format="html">``,
``<generalfeedback>``, ``<penalty>``, ``<hidden>``); a Cloze answer is ``{1:NUMERICAL:=v:tol}``
for a number (tolerance absolute) and ``{1:SHORTANSWER:=text}`` for a formula (Moodle compares
text, so the key's formula is given as tutor prints it for SymPy: ``20*a + 8*b - 28``).
The XML is built with ``xml.etree``, so a title cannot break out of its element.
"""

from __future__ import annotations

import html
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError

#: A number's tolerance in Moodle: relative to it, at least this much absolute.
RELATIVE, ABSOLUTE = 1e-3, 1e-6


@dataclass(frozen=True)
class Answer:
    """One blank of a question: its label, and the right number or formula."""

    label: str
    value: float | str


@dataclass(frozen=True)
class Question:
    name: str
    statement: str
    answers: tuple[Answer, ...]


def tolerance(value: float) -> float:
    return max(ABSOLUTE, RELATIVE * abs(value))


def _cloze(answer: Answer) -> str:
    if isinstance(answer.value, float):
        value = repr(answer.value)
        return f"{{1:NUMERICAL:={value}:{tolerance(answer.value):.3g}}}"
    text = answer.value.replace("\\", "\\\\")
    for ch in '}#~/"':  # Cloze's own syntax inside an answer is escaped
        text = text.replace(ch, "\\" + ch)
    return f"{{1:SHORTANSWER:={text}}}"


def quiz(category: str, questions: Iterable[Question]) -> str:
    """The Moodle XML of a category of Cloze questions."""
    root = ET.Element("quiz")
    head = ET.SubElement(root, "question", type="category")
    ET.SubElement(ET.SubElement(head, "category"), "text").text = f"$course$/tutor/{category}"
    for q in questions:
        node = ET.SubElement(root, "question", type="cloze")
        ET.SubElement(ET.SubElement(node, "name"), "text").text = q.name
        rows = "".join(f"<p>{html.escape(a.label)}: {_cloze(a)}</p>" for a in q.answers)
        body = f"<p>{html.escape(q.statement)}</p>{rows}"
        text = ET.SubElement(node, "questiontext", format="html")
        ET.SubElement(text, "text").text = body
        feedback = ET.SubElement(node, "generalfeedback", format="html")
        ET.SubElement(feedback, "text").text = ""
        ET.SubElement(node, "penalty").text = "0.3333333"
        ET.SubElement(node, "hidden").text = "0"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def answers(task: str, result: dict[str, Any], variables: Sequence[str]) -> list[Answer]:
    """The blanks a task's result gives: numbers where it has them, formulas otherwise."""
    out: list[Answer] = []

    def number(label: str, value: object) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(float(value)):
                out.append(Answer(label, float(value)))

    if task == "partials":
        out += [Answer(f"∂/∂{v}", str(result[v])) for v in variables if v in result]
    elif task == "gradient":
        at = "(" + ", ".join(str(x) for x in result.get("at") or ()) + ")"
        for v, value in zip(variables, result.get("value") or [], strict=False):
            number(f"∂/∂{v} at {at}", value)
    elif task == "stationary_points":
        for k, point in enumerate(result.get("points") or [], start=1):
            for v in variables:
                try:
                    number(f"point {k}: {v}", _exact(point[v]))
                except (TypeError, ValueError, KeyError, InputError):
                    out.append(Answer(f"point {k}: {v}", str(point[v])))
    elif task == "normal_equation":
        solution = result.get("solution") or {}
        for v in variables:
            if v in solution:
                try:
                    number(v, _exact(solution[v]))
                except (ValueError, InputError):
                    out.append(Answer(v, str(solution[v])))
    elif task == "gradient_descent":
        history = result.get("history") or []
        for k, row in enumerate(history[1:3], start=1):
            for v, value in zip(variables, row, strict=False):
                number(f"step {k}: {v}", value)
    elif task == "directional_derivative":
        number("rate", result.get("value"))
    elif task == "hessian":
        for i, row in enumerate(result.get("matrix") or []):
            for j, entry in enumerate(row):
                out.append(Answer(f"H[{i + 1},{j + 1}]", str(entry)))
    elif task == "taylor":
        out.append(Answer("expansion", str(result.get("expansion"))))
    elif task == "backprop":
        grad = result.get("grad") or {}
        for v in variables:
            if v in grad:
                try:
                    number(f"∂/∂{v}", _exact(grad[v]))
                except (ValueError, InputError):
                    out.append(Answer(f"∂/∂{v}", str(grad[v])))
    return out


def _exact(text: object) -> float:
    """An exact value as the JSON writes it ("1/3", "sqrt(29)/29") as a float, read by the
    whitelisted parser."""
    from ..expr import parse_number

    return float(parse_number(str(text)))
