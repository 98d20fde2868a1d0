"""The ``tutor`` command: thin over the Python API (``tutor.solve``, ``tutor.derive``).

Exit codes: 0 done; 1 a cross-check disagreed; 2 bad input (one line naming the file, the
key and the problem); 3 an internal error (a bug in tutor: please report it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import click

from .document import Solution
from .errors import InputError

FORMATS = ("text", "latex", "markdown", "json")
EXTENSIONS = {"text": "txt", "latex": "tex", "markdown": "md", "json": "json"}
EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 1, 2, 3


class TimeLimit(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop work that runs longer than ``seconds`` (a hostile expression can be slow)."""
    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fail(message: str, code: int) -> None:
    click.echo(f"tutor: error: {message}", err=True)
    sys.exit(code)


def guarded(where: str, timeout: float, work: Callable[[], Any]) -> Any:
    """Run ``work``; bad input and time-outs become one line and exit 2, bugs exit 3."""
    try:
        with time_limit(timeout):
            return work()
    except InputError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    except TimeLimit:
        _fail(
            f"{where}: gave up after {timeout:g} s (--timeout); simplify the problem",
            EXIT_BAD_INPUT,
        )
    except RecursionError:
        _fail(f"{where}: expression is nested too deeply", EXIT_BAD_INPUT)
    except Exception as exc:  # a bug in tutor, not the user's fault: say so plainly
        if os.environ.get("TUTOR_DEBUG"):
            raise
        _fail(
            f"{where}: internal error ({type(exc).__name__}: {exc}); this is a bug in "
            "tutor, please report it (set TUTOR_DEBUG=1 for the traceback)",
            EXIT_INTERNAL,
        )
    return None


def render(solution: Solution, fmt: str) -> str:
    return {
        "text": solution.to_text,
        "latex": solution.to_latex,
        "markdown": solution.to_markdown,
        "json": lambda: solution.to_json() + "\n",
    }[fmt]()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Output format.",
    )(f)


def detail_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--detail",
        type=click.Choice(["compact", "full"]),
        default="compact",
        show_default=True,
        help="compact: each derivative in the lesson's one line; full: every rule applied.",
    )(f)


def timeout_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--timeout",
        type=float,
        default=300,
        show_default=True,
        help="Give up after this many seconds (0: no limit).",
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tutor")
def main() -> None:
    """tutor: SymPy derives step by step, torch computes, autograd checks.

    Example: tutor solve problems/sse.yaml
    """


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@format_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write FILE's solution into this folder instead of printing it.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the random check points."
)
@detail_option
@click.option(
    "--dtype",
    type=click.Choice(["float64", "float32"]),
    default="float64",
    show_default=True,
    help="Precision of numeric runs (gradient descent).",
)
@timeout_option
def solve(
    file: Path, fmt: str, out: Path | None, seed: int, detail: str, dtype: str, timeout: float
) -> None:
    """Work out every task of a problem file, step by step, checked by autograd.

    Example: tutor solve problems/sse.yaml --format markdown
    """
    from .solve import solve as solve_problem

    solution: Solution = guarded(
        str(file), timeout, lambda: solve_problem(file, seed=seed, detail=detail, dtype=dtype)
    )
    text = render(solution, fmt)
    if out is not None:
        target = out / f"{file.stem}.{EXTENSIONS[fmt]}"
        write_atomic(target, text)
        click.echo(f"wrote {target}")
    else:
        click.echo(text, nl=False)
    if not solution.ok:
        failed = sum(1 for c in solution.checks if not c.ok)
        click.echo(f"tutor: {failed} cross-check(s) disagreed", err=True)
        sys.exit(EXIT_CHECK_FAILED)


@main.command()
@click.argument("expr")
@click.option("--wrt", required=True, help="Variables, separated by commas: a,b")
@click.option("--at", help="A point for the gradient, in --wrt order: 0,0")
@format_option
@detail_option
@timeout_option
def derive(expr: str, wrt: str, at: str | None, fmt: str, detail: str, timeout: float) -> None:
    """Differentiate one expression step by step, no problem file needed.

    Example: tutor derive "sin(x)/x" --wrt x --detail full
    """
    from .render.jsonout import derivation_dict
    from .solve import derive as derive_expr

    point = [p.strip() for p in at.split(",")] if at else None
    solution: Solution = guarded(
        "derive", timeout, lambda: derive_expr(expr, wrt, at=point, detail=detail)
    )
    if fmt == "json":
        import json

        click.echo(json.dumps(derivation_dict(solution, expr), indent=2, ensure_ascii=False))
    else:
        click.echo(render(solution, fmt), nl=False)
    if not solution.ok:
        sys.exit(EXIT_CHECK_FAILED)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@timeout_option
def check(files: tuple[Path, ...], timeout: float) -> None:
    """Run every cross-check of each problem file; exit 1 if any disagrees.

    Example: tutor check problems/*.yaml
    """
    from .solve import solve as solve_problem

    worst = 0
    for file in files:
        try:
            solution = guarded(str(file), timeout, partial(solve_problem, file))
        except SystemExit as exc:
            worst = max(worst, int(exc.code or 0))
            continue
        bad = [c for c in solution.checks if not c.ok]
        if bad:
            worst = max(worst, EXIT_CHECK_FAILED)
            click.echo(f"{file}: {len(bad)} of {len(solution.checks)} checks DISAGREE")
            for c in bad:
                click.echo(f"  ✗ {c.what}: max |error| {c.max_abs_err:.3g} > {c.tolerance:.1g}")
        else:
            n = len(solution.checks)
            click.echo(
                f"{file}: {'the' if n == 1 else f'all {n}'} check{'s' if n != 1 else ''} agree"
                f"{'s' if n == 1 else ''}"
            )
    sys.exit(worst)


if __name__ == "__main__":  # pragma: no cover
    main()
