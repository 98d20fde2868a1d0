"""The text and LaTeX of problems/sse.yaml, pinned. Regenerate: TUTOR_GOLDEN=1 pytest."""

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
# Float round-off in the last bits differs between CPUs; everything else must match exactly.
ERROR = re.compile(r"max \|error\| [0-9.e+-]+")


def normalise(text: str) -> str:
    return ERROR.sub("max |error| <err>", text)


@pytest.mark.parametrize("fmt,ext", [("text", "txt"), ("latex", "tex"), ("markdown", "md")])
def test_sse_output_is_pinned(sse_solution, fmt, ext):
    got = normalise(getattr(sse_solution, f"to_{fmt}")())
    path = GOLDEN / f"sse.{ext}"
    if os.environ.get("TUTOR_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")
