"""The text, LaTeX and Markdown of problems/sse.yaml, pinned. Regenerate with
``python3 tests/goldens.py`` and read the diff; a test never writes its own expectation."""

import goldens
import pytest


@pytest.mark.parametrize("fmt,ext", [("text", "txt"), ("latex", "tex"), ("markdown", "md")])
def test_sse_output_is_pinned(sse_solution, fmt, ext):
    got = goldens.normalise(getattr(sse_solution, f"to_{fmt}")())
    assert got == (goldens.GOLDEN / f"sse.{ext}").read_text(encoding="utf-8")


def test_the_normaliser_hides_round_off_in_every_format():
    assert goldens.normalise("max |error| 4.4e-15") == "max |error| <err>"
    assert goldens.normalise(r"max \|error\| 4.4e-15") == "max |error| <err>"
