"""NIST StRD linear least-squares datasets as tutor problems, with their certified values.

Each ``.dat`` file (../shared/data/nist-strd/) holds its certified coefficients and, after the
last line starting with ``Data:``, the rows (y first, then x or x1..xk).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

NIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "nist-strd"

#: The model of each dataset, over the variables b0..bk and the data columns.
MODELS = {
    "Norris": ("x", [0, 1]),
    "Pontius": ("x", [0, 1, 2]),
    "NoInt1": ("x", [1]),
    "NoInt2": ("x", [1]),
    "Filip": ("x", list(range(11))),
    "Wampler1": ("x", list(range(6))),
    "Wampler2": ("x", list(range(6))),
    "Wampler3": ("x", list(range(6))),
    "Wampler4": ("x", list(range(6))),
    "Wampler5": ("x", list(range(6))),
    "Longley": ("x1..x6", list(range(7))),
}


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: list[str]
    rows: list[list[str]]
    certified: list[Decimal]

    def problem(self, folder: Path) -> Path:
        """Write ``folder/<name>.yaml`` (and its CSV): the normal equation of this fit."""
        csv = folder / f"{self.name}.csv"
        csv.write_text(
            ",".join(self.columns) + "\n" + "\n".join(",".join(r) for r in self.rows) + "\n"
        )
        kind, powers = MODELS[self.name]
        names = [f"b{p}" for p in powers]
        if kind == "x":
            terms = [
                n if p == 0 else f"{n}*x" if p == 1 else f"{n}*x**{p}"
                for n, p in zip(names, powers, strict=True)
            ]
        else:
            terms = ["b0", *(f"b{j}*x{j}" for j in range(1, 7))]
        path = folder / f"{self.name}.yaml"
        path.write_text(
            f"title: NIST StRD {self.name}\n"
            f"variables: [{', '.join(names)}]\n"
            f"model: y = {' + '.join(terms)}\n"
            f"data: {{csv: {self.name}.csv}}\n"
            "tasks: [normal_equation]\n"
        )
        return path


def load(name: str) -> Dataset:
    lines = (NIST / f"{name}.dat").read_text().splitlines()
    certified: list[Decimal] = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[0][0] == "B" and parts[0][1:].isdigit():
            certified.append(Decimal(parts[1]))
    start = max(i for i, line in enumerate(lines) if line.startswith("Data:"))
    header = lines[start].split()[1:]
    rows = [line.split() for line in lines[start + 1 :] if line.strip()]
    return Dataset(name, header, rows, certified)


def lre(estimate: float, certified: Decimal) -> float:
    """NIST's log relative error: correct significant digits, capped at 15."""
    if certified == 0:
        return 15.0 if estimate == 0 else -math.log10(abs(estimate))
    error = abs(Decimal(repr(estimate)) - certified) / abs(certified)
    return 15.0 if error == 0 else min(15.0, float(-error.log10()))
