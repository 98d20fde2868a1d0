"""The ``tutor`` command: thin over the Python API (``tutor.solve``, ``tutor.derive``).

Exit codes: 0 done; 1 a cross-check disagreed; 2 bad input (one line naming the file, the
key and the problem); 3 an internal error (a bug in tutor: please report it); 4 a time limit
stopped a task (the other tasks still printed) or the whole file.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import click

from . import phrasing
from .budget import TASK_TIMEOUT, alarm
from .document import Solution
from .errors import InputError, Phrase, printable
from .output import check_destination, write_bytes, write_text
from .render.base import check_line

FORMATS = ("text", "latex", "markdown", "json")
EXTENSIONS = {"text": "txt", "latex": "tex", "markdown": "md", "json": "json"}
EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_TIME_LIMIT = 1, 2, 3, 4
#: Which exit code wins when a batch has several: a bug, bad input, a failed check, a time-out.
SEVERITY = {0: 0, EXIT_TIME_LIMIT: 1, EXIT_CHECK_FAILED: 2, EXIT_BAD_INPUT: 3, EXIT_INTERNAL: 4}


def worse(a: int, b: int) -> int:
    """The more serious of two exit codes."""
    return a if SEVERITY[a] >= SEVERITY[b] else b


def exit_code(solution: Solution) -> int:
    """2 if a task was refused for its input, else 1 if a cross-check disagreed, else 4 if a
    time limit stopped a task, else 0."""
    if solution.refused:
        return EXIT_BAD_INPUT
    if not solution.ok:
        return EXIT_CHECK_FAILED
    return 0 if solution.complete else EXIT_TIME_LIMIT


class TimeLimit(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop work that runs longer than ``seconds`` (a hostile expression can be slow)."""
    with alarm(seconds, TimeLimit):
        yield


def _fail(message: str | Phrase | InputError, code: int, lang: str | None = None) -> NoReturn:
    """``tutor: error: ...`` on one line, in ``lang``, and exit with ``code``."""
    click.echo(f"tutor: error: {_line(message, lang)}", err=True)
    sys.exit(code)


def _line(message: str | Phrase | InputError, lang: str | None) -> str:
    if isinstance(message, InputError):
        return message.line(lang)
    return printable(message if isinstance(message, str) else message.said(lang))


class Failure(Exception):
    """Work that failed, as the message to print and the exit code it calls for."""

    def __init__(self, message: Phrase | InputError, code: int):
        super().__init__(str(message))
        self.message, self.code = message, code

    def line(self, lang: str | None) -> str:
        """The message as one line in ``lang``."""
        return _line(self.message, lang)


def attempt(where: str, timeout: float, work: Callable[[], Any]) -> Any:
    """Run ``work``; bad input and time-outs raise a :class:`Failure` of code 2, bugs code 3."""
    from .pdf import PdfError

    try:
        with time_limit(timeout):
            return work()
    except InputError as exc:
        raise Failure(exc, EXIT_BAD_INPUT) from None
    except TimeLimit:
        message = Phrase(
            "{where}: gave up after {seconds} s (--timeout); a lower --task-timeout stops a slow "
            "task and keeps the others",
            where=where,
            seconds=f"{timeout:g}",
        )
        raise Failure(message, EXIT_TIME_LIMIT) from None
    except RecursionError:
        message = Phrase("{where}: expression is nested too deeply", where=where)
        raise Failure(message, EXIT_BAD_INPUT) from None
    except (ValueError, OverflowError) as exc:
        # Numbers the input made too big to print (Python's 4,300-digit limit) or to convert
        # (an integer past int64): the input's size, not a bug.
        text = str(exc)
        if "integer string conversion" in text or "int too big to convert" in text:
            message = Phrase(
                "{where}: a number grew too large to handle (past 4,300 digits, or beyond int64 "
                "where a tensor needs it): use smaller numbers or exponents",
                where=where,
            )
            raise Failure(message, EXIT_BAD_INPUT) from None
        raise _internal(where, exc) from None
    except PdfError as exc:  # escaping let something through: a bug, with LaTeX's own words
        message = Phrase(
            "{where}: {error}; no PDF was written (--out DIR keeps the .tex); this is a bug in "
            "tutor, please report it",
            where=where,
            error=str(exc),
        )
        raise Failure(message, EXIT_INTERNAL) from None
    except Exception as exc:  # a bug in tutor, not the user's fault: say so plainly
        raise _internal(where, exc) from None


def _internal(where: str, exc: Exception) -> Failure:
    if os.environ.get("TUTOR_DEBUG"):
        raise exc
    message = Phrase(
        "{where}: internal error ({kind}: {error}); this is a bug in tutor, please report it "
        "(set TUTOR_DEBUG=1 for the traceback)",
        where=where,
        kind=type(exc).__name__,
        error=str(exc).replace("\n", " "),
    )
    return Failure(message, EXIT_INTERNAL)


def guarded(where: str, timeout: float, work: Callable[[], Any], lang: str | None = None) -> Any:
    """:func:`attempt`, exiting with one line (in ``lang``) on failure."""
    try:
        return attempt(where, timeout, work)
    except Failure as failure:
        _fail(failure.message, failure.code, lang)


def render(solution: Solution, fmt: str) -> str:
    return {
        "text": solution.to_text,
        "latex": solution.to_latex,
        "markdown": solution.to_markdown,
        "json": lambda: solution.to_json() + "\n",
    }[fmt]()


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


def lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    from .phrasing.catalogs import languages

    return click.option(
        "--lang",
        type=click.Choice(languages()),
        default=None,
        help="Language of the narration (default: the problem's lang:, else en).",
    )(f)


def _seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not (math.isfinite(value) and 0 <= value <= 1e6):
        raise click.BadParameter("give seconds from 0 (no limit) to 1,000,000", ctx, param)
    return value


def timeout_option(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--task-timeout",
        type=float,
        callback=_seconds,
        default=TASK_TIMEOUT,
        show_default=True,
        help="Stop a task after this many seconds and print the others (0: no limit; exit 4).",
    )(f)
    return click.option(
        "--timeout",
        type=float,
        callback=_seconds,
        default=300,
        show_default=True,
        help="Give up on a file after this many seconds (0: no limit; exit 4).",
    )(f)


def scheduler_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=None,
        help="Run the batch on this Dask cluster (default: TUTOR_SCHEDULER, else a local "
        "cluster on this machine's cores; inprocess: no cluster).",
    )(f)


class Terminated(BaseException):
    """SIGTERM, raised where the program is so that temporary folders are removed on the way
    out (a LaTeX build's ``tutor-pdf-*`` was left behind) and a running latexmk is killed."""


#: Set by SIGTERM. Raised in a finalizer, Terminated is swallowed as "unraisable" by Python;
#: the flag makes the run end as terminated all the same.
_TERMINATED = threading.Event()


def _terminate(signum: int, frame: object) -> None:
    _TERMINATED.set()
    raise Terminated


class OneLineErrors(click.Group):
    """click's group, with usage errors as one line (``tutor: error: ...``, exit 2) instead
    of three, and Ctrl-C as exit 130 (click's 1 is this tool's "a check disagreed")."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        sigterm = signal.getsignal(signal.SIGTERM)
        if sigterm is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _terminate)
        try:
            with warnings.catch_warnings():
                if not os.environ.get("TUTOR_DEBUG"):
                    # A library's warning (SymPy's SyntaxWarning, torch's UserWarning) is not
                    # something a teacher can act on, and it broke the one-line contract.
                    warnings.simplefilter("ignore")
                self._run(*args, **kwargs)
        except SystemExit as exc:
            if _TERMINATED.is_set() and exc.code != 143:
                click.echo("tutor: terminated", err=True)
                sys.exit(143)
            raise
        finally:  # called in-process (tests, a notebook): the handler is left as it was
            if sigterm is signal.SIG_DFL:
                signal.signal(signal.SIGTERM, sigterm)

    def _run(self, *args: Any, **kwargs: Any) -> None:
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            message = exc.format_message().replace("\n", " ")
            if isinstance(exc, click.NoSuchOption) and not exc.option_name.startswith("--"):
                message += (
                    " An expression that starts with '-' goes after '--': "
                    "tutor derive --wrt x -- '-(-x)'"
                )
            _fail(message, EXIT_BAD_INPUT)
        except click.ClickException as exc:
            _fail(exc.format_message().replace("\n", " "), exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            click.echo("tutor: interrupted", err=True)
            sys.exit(130)
        except Terminated:
            click.echo("tutor: terminated", err=True)
            sys.exit(143)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tutor")
def main() -> None:
    """tutor: SymPy derives step by step, torch computes, autograd checks.

    Example: tutor solve problems/sse.yaml
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@format_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each solution into this folder instead of printing it (LaTeX and Markdown "
    "with their figures, named after the problem: sse.md, sse-surface.png; with --pdf, the "
    ".tex, figures and PDF together). Files of one name from two folders become a-sse, b-sse.",
)
@click.option(
    "--pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Make a worked-solution PDF of FILE, with figures (needs TeX Live).",
)
@click.option(
    "--pdf-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Make a PDF of each FILE in this folder, going on past failures.",
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
@click.option(
    "--device",
    type=click.Choice(["cpu", "cuda"]),
    default="cpu",
    show_default=True,
    help="Where torch computes: the reductions of Parquet/CSV partitions and the autograd "
    "twin (cuda: a GPU, which must be there).",
)
@lang_option
@timeout_option
@scheduler_option
def solve(
    files: tuple[Path, ...],
    fmt: str,
    out: Path | None,
    pdf: Path | None,
    pdf_dir: Path | None,
    seed: int,
    detail: str,
    dtype: str,
    device: str,
    lang: str | None,
    timeout: float,
    task_timeout: float,
    scheduler: str | None,
) -> None:
    """Work out every task of a problem file, step by step, checked by autograd.

    \b
    Examples:
      tutor solve problems/sse.yaml
      tutor solve problems/sse.yaml --format markdown --out notes/
      tutor solve problems/sse.yaml --pdf sse.pdf
      tutor solve problems/*.yaml --pdf-dir handouts/
      tutor solve problems/sse.yaml --lang zh
    """
    from .numeric.device import checked

    guarded("--device", timeout, partial(checked, device), lang)
    options = {
        "seed": seed,
        "detail": detail,
        "dtype": dtype,
        "device": device,
        "task_timeout": task_timeout,
        "lang": lang,
    }
    if pdf_dir is not None or len(files) > 1:
        if pdf is not None or (pdf_dir is None and out is None):
            _fail(
                Phrase("several files go to a folder: --pdf-dir DIR for PDFs, or --out DIR"),
                EXIT_BAD_INPUT,
                lang,
            )
        sys.exit(_batch(files, fmt, out, pdf_dir, timeout, options, scheduler))
    (file,) = files
    spoken = _spoken(file, timeout, options)
    try:
        # One file: worked out here; with a scheduler named, its Dask work (the reduction
        # of partitioned data) goes to that cluster.
        with _cluster_of(scheduler, spoken["lang"]):
            code = attempt(str(file), timeout, partial(_one, file, fmt, out, pdf, spoken))
    except Failure as failure:
        _fail(failure.message, failure.code, spoken["lang"])
    sys.exit(code)


@contextlib.contextmanager
def _cluster_of(scheduler: str | None, lang: str | None) -> Iterator[None]:
    """A client of the cluster ``--scheduler`` (or TUTOR_SCHEDULER) names, as Dask's default
    for the work in the block; nothing when none is named."""
    from . import cluster

    with contextlib.ExitStack() as stack:
        try:
            address = cluster.scheduler_address(scheduler)
            if address is not None and address != cluster.IN_PROCESS:
                stack.enter_context(cluster.connect(address, 1))
        except InputError as exc:
            _fail(exc, EXIT_BAD_INPUT, lang)
        yield


def _spoken(file: Path, timeout: float, options: dict[str, Any]) -> dict[str, Any]:
    """``options`` with the language the file's results are said in (--lang, else the file's
    own ``lang:``, else English) and the file's YAML, read once for both. A file that cannot
    be read is read again by the work, which says why."""
    from .solve import asked_language
    from .yamlfile import read_yaml

    try:
        raw = attempt(str(file), timeout, partial(read_yaml, file))
    except Failure:
        return {**options, "lang": options["lang"] or "en"}
    return {**options, "lang": options["lang"] or asked_language(raw), "raw": raw}


def _one(
    file: Path,
    fmt: str,
    out: Path | None,
    pdf: Path | None,
    options: dict[str, Any],
    quiet: bool = False,
    name: str | None = None,
) -> int:
    """Solve ``file`` and write what was asked for; the exit code (:func:`exit_code`).

    ``name`` (the file's stem unless a batch says otherwise) names what goes in ``out``: the
    text as ``name.md`` and its figures as ``name-surface.png``, so problems never share one.
    """
    from .solve import solve as solve_problem

    name = name or file.stem
    target = pdf if pdf is not None else None
    if pdf is None and out is not None:
        target = out / f"{name}.{EXTENSIONS[fmt]}"
    if target is not None:
        check_destination(target)  # before the work, not after it
    solution: Solution = solve_problem(file, **options)
    if pdf is not None:
        from .pdf import write_pdf

        write_pdf(solution, pdf, keep=out)
        if not quiet:
            click.echo(Phrase("wrote {path}", path=str(pdf)).said(solution.lang))
    elif out is not None and target is not None:
        if fmt in ("latex", "markdown"):
            solution = _with_figures(solution, out, name)
        write_text(target, render(solution, fmt))
        if not quiet:
            click.echo(Phrase("wrote {path}", path=str(target)).said(solution.lang))
    else:
        click.echo(render(solution, fmt), nl=False)
    if not quiet:
        _say_what_went_wrong(str(file), solution)
    return exit_code(solution)


def _say_what_went_wrong(where: str, solution: Solution) -> None:
    refused, lang = solution.refused, solution.lang
    if refused:  # one line, as for any bad input; the solution above has the other tasks
        more = Phrase("; {n} more task(s) refused", n=len(refused) - 1) if len(refused) > 1 else ""
        message = Phrase("{error} (the other tasks are done{more})", error=refused[0], more=more)
        click.echo(f"tutor: error: {_line(message, lang)}", err=True)
        return
    failed = sum(1 for c in solution.checks if c.ok is False)
    if failed:
        message = Phrase("{where}: {n} cross-check(s) disagreed", where=where, n=failed)
        click.echo(f"tutor: {_line(message, lang)}", err=True)
    stopped = [s.task for s in solution.sections if not s.complete]
    if stopped:
        message = _stopped(where, stopped)
        click.echo(f"tutor: {_line(message, lang)}", err=True)


def _stopped(where: str, tasks: Sequence[str]) -> Phrase:
    return Phrase(
        "{where}: stopped by the time limit: {names}", where=where, names=", ".join(tasks)
    )


def _with_figures(solution: Solution, out: Path, name: str) -> Solution:
    """Draw the figures into ``out`` as ``name-surface.png`` etc.; the solution showing them."""
    from . import figures

    plans = [replace(p, name=f"{name}-{p.name}") for p in figures.plan(solution)]
    with tempfile.TemporaryDirectory(prefix="tutor-figures-") as tmp:
        figures.draw(plans, Path(tmp))
        for path in sorted(Path(tmp).iterdir()):
            write_bytes(out / path.name, path.read_bytes())
    return figures.attach(solution, plans)


def output_names(files: Sequence[Path]) -> dict[Path, str]:
    """A distinct name for each file's outputs: its stem, or where stems clash, its path.

    >>> names = output_names([Path("a/sse.yaml"), Path("b/sse.yaml"), Path("b/lr.yaml")])
    >>> list(names.values())
    ['a-sse', 'b-sse', 'lr']
    """
    stems = Counter(f.stem for f in files)
    clashing = [f.resolve().with_suffix("") for f in files if stems[f.stem] > 1]
    common = Path(os.path.commonpath(clashing)) if clashing else Path()
    names = {}
    for f in files:
        parts = f.resolve().with_suffix("").relative_to(common).parts if stems[f.stem] > 1 else ()
        names[f] = "-".join(parts) or f.stem
    by_name: dict[str, set[Path]] = {}
    for f, name in names.items():
        by_name.setdefault(name, set()).add(f.resolve())
    for name, sources in by_name.items():
        if len(sources) > 1:
            listed = " and ".join(sorted(str(p) for p in sources))
            raise InputError(
                "{listed} would both write {name}.*: rename one", listed=listed, name=name
            )
    return names


def _batch(
    files: tuple[Path, ...],
    fmt: str,
    out: Path | None,
    pdf_dir: Path | None,
    timeout: float,
    options: dict[str, Any],
    scheduler: str | None,
) -> int:
    """Every file as a unit on Dask (:mod:`tutor.cluster`) under a progress bar that follows
    them; the client writes what each made; failures listed at the end, in file order.

    The exit code is the worst of the files' own: 1 if a check disagreed, 2 for bad input
    (an unusable destination included), 3 for a bug.
    """
    from . import cluster

    lang = options["lang"]
    try:
        names = output_names(files)
        address = cluster.scheduler_address(scheduler)
    except InputError as exc:
        _fail(exc, EXIT_BAD_INPUT, lang)
    # One date on every PDF of the batch: a worker's PDF is byte for byte the local one.
    date = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    failures: dict[int, str] = {}
    worst = 0
    jobs, places = [], []
    for index, file in enumerate(files):
        name = names[file]
        spoken = _spoken(file, timeout, options)
        targets = [pdf_dir / f"{name}.pdf"] if pdf_dir is not None else []
        if pdf_dir is None and out is not None:
            targets.append(out / f"{name}.{EXTENSIONS[fmt]}")
        try:
            for target in targets:
                check_destination(target)  # before the work, not after it
        except InputError as exc:
            failures[index] = _line(exc, spoken["lang"])
            worst = worse(worst, EXIT_BAD_INPUT)
            continue
        job = (str(file), fmt, name, pdf_dir is not None, out is not None, spoken, timeout, date)
        jobs.append(job)
        places.append(index)

    def lost(i: int, exc: BaseException) -> Any:
        return cluster.Done(EXIT_INTERNAL, _line(cluster.lost_line(jobs[i][0], exc), lang))

    try:
        with (
            cluster.connect(address, len(jobs)) as client,
            click.progressbar(length=len(files), label="tutor", file=sys.stderr) as bar,
        ):
            bar.update(len(files) - len(jobs))
            for i, done in cluster.run(solve_unit, jobs, client, lost):
                index = places[i]
                try:
                    for relative, data in done.files.items():
                        top, _, rest = relative.partition("/")
                        folder = pdf_dir if top == "pdf" else out
                        assert folder is not None, relative
                        write_bytes(folder / rest, data)
                except InputError as exc:
                    failures[index] = _line(exc, lang)
                    worst = worse(worst, EXIT_BAD_INPUT)
                else:
                    if done.line:
                        failures[index] = done.line
                    worst = worse(worst, done.code)
                bar.update(1)
    except InputError as exc:
        _fail(exc, EXIT_BAD_INPUT, lang)
    if failures:
        summary = Phrase("{k} of {n} failed:", k=len(failures), n=len(files))
        click.echo(f"tutor: {summary.said(lang)}", err=True)
        for index in sorted(failures):
            click.echo(f"  {failures[index]}", err=True)
        return worst
    done_all = Phrase("all {n} done", n=len(files))
    click.echo(f"tutor: {done_all.said(lang)}", err=True)
    return 0


def solve_unit(
    file: str,
    fmt: str,
    name: str,
    pdf: bool,
    keep: bool,
    spoken: dict[str, Any],
    timeout: float,
    date: int,
) -> Any:
    """One file of a ``tutor solve`` batch, here or on a Dask worker: what it made as bytes
    (``pdf/NAME.pdf``, ``out/...``), its exit code and its failure line.

    ``spoken`` carries the file's YAML as the client read it, so a worker needs the problem's
    folder only for its data files (a CSV or Parquet beside it).
    """
    from .cluster import Done, where_said
    from .output import SOURCE_DATE

    said = spoken["lang"]
    token = SOURCE_DATE.set(date)
    try:
        with tempfile.TemporaryDirectory(prefix="tutor-unit-") as tmp:
            root = Path(tmp)
            pdf_path = root / "pdf" / f"{name}.pdf" if pdf else None
            folder = (root / "out" / name if pdf else root / "out") if keep else None
            work = partial(_one, Path(file), fmt, folder, pdf_path, spoken, quiet=True, name=name)
            line = ""
            try:
                code = attempt(file, timeout, work)
                if code == EXIT_CHECK_FAILED:
                    line = _line(Phrase("{where}: a cross-check disagreed", where=file), said)
                elif code == EXIT_TIME_LIMIT:
                    stopped = Phrase("{where}: a task was stopped by its time limit", where=file)
                    line = _line(stopped, said)
            except Failure as failure:
                code, line = failure.code, where_said(failure.line(said), said)
            files = {
                path.relative_to(root).as_posix(): path.read_bytes()
                for path in sorted(root.rglob("*"))
                if path.is_file()
            }
    finally:
        SOURCE_DATE.reset(token)
    return Done(code, line, files)


@main.command()
@click.argument("expr")
@click.option("--wrt", required=True, help="Variables, separated by commas: a,b")
@click.option("--at", help="A point for the gradient, in --wrt order: 0,0")
@click.option(
    "--const",
    "consts",
    multiple=True,
    metavar="NAME=VALUE",
    help="A named constant and its value, held fixed: --const a=2 (repeat for more)",
)
@format_option
@detail_option
@timeout_option
@lang_option
def derive(
    expr: str,
    wrt: str,
    at: str | None,
    consts: tuple[str, ...],
    fmt: str,
    detail: str,
    timeout: float,
    task_timeout: float,
    lang: str | None,
) -> None:
    """Differentiate one expression step by step, no problem file needed.

    Example: tutor derive "a*sin(x)/x" --wrt x --const a=2 --detail full
    """
    from .solve import derive as derive_expr

    point = [p.strip() for p in at.split(",")] if at else None
    constants = {}
    for given in consts:
        name, eq, value = given.partition("=")
        if not eq or not name.strip() or not value.strip():
            _fail(
                Phrase("--const {given}: write NAME=VALUE, e.g. --const a=2", given=given),
                EXIT_BAD_INPUT,
                lang,
            )
        constants[name.strip()] = value.strip()
    solution: Solution = guarded(
        "derive",
        timeout,
        lambda: derive_expr(
            expr,
            wrt,
            at=point,
            constants=constants,
            detail=detail,
            task_timeout=task_timeout,
            lang=lang,
        ),
        lang,
    )
    if fmt == "json":
        import json

        click.echo(json.dumps(solution.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render(solution, fmt), nl=False)
    _say_what_went_wrong("derive", solution)
    sys.exit(exit_code(solution))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@timeout_option
@scheduler_option
def check(
    files: tuple[Path, ...], timeout: float, task_timeout: float, scheduler: str | None
) -> None:
    """Run every cross-check of each problem file; exit 1 if any disagrees.

    Example: tutor check problems/*.yaml
    """
    from . import cluster

    try:
        address = cluster.scheduler_address(scheduler)
    except InputError as exc:
        _fail(exc, EXIT_BAD_INPUT)
    jobs = [(str(file), timeout, task_timeout) for file in files]

    def lost(i: int, exc: BaseException) -> Any:
        line = _line(cluster.lost_line(jobs[i][0], exc), None)
        return cluster.Done(EXIT_INTERNAL, value=([], [f"tutor: error: {line}"]))

    worst, shown = 0, 0
    finished: dict[int, Any] = {}
    try:
        with cluster.connect(address, len(jobs)) as client:
            for i, done in cluster.run(check_unit, jobs, client, lost):
                finished[i] = done
                while shown in finished:  # in file order, each as soon as it can be
                    done = finished.pop(shown)
                    out, err = done.value
                    for line in out:
                        click.echo(line)
                    for line in err:
                        click.echo(line, err=True)
                    worst = worse(worst, done.code)
                    shown += 1
    except InputError as exc:
        _fail(exc, EXIT_BAD_INPUT)
    sys.exit(worst)


def check_unit(file: str, timeout: float, task_timeout: float) -> Any:
    """One file of ``tutor check``, here or on a Dask worker: its exit code and the lines it
    prints (stdout, stderr) as ``Done.value``."""
    from .cluster import Done
    from .solve import solve as solve_problem

    try:
        solution = attempt(
            file, timeout, partial(solve_problem, Path(file), task_timeout=task_timeout)
        )
    except Failure as failure:
        return Done(failure.code, value=([], [f"tutor: error: {failure.line(None)}"]))
    lang, out, worst = solution.lang, [], 0
    if not solution.complete:
        worst = worse(worst, EXIT_TIME_LIMIT)
        stopped = [s.task for s in solution.sections if not s.complete]
        out.append(_line(_stopped(file, stopped), lang))
    bad = [c for c in solution.checks if c.ok is False]
    unchecked = [c for c in solution.checks if c.ok is None]
    n = len(solution.checks)
    if bad:
        worst = worse(worst, EXIT_CHECK_FAILED)
        verdict = Phrase("{where}: {k} of {n} checks DISAGREE", where=file, k=len(bad), n=n)
    elif unchecked:
        verdict = Phrase(
            "{where}: {k} of {n} checks agree, {u} unchecked",
            where=file,
            k=n - len(unchecked),
            n=n,
            u=len(unchecked),
        )
    elif n == 1:
        verdict = Phrase("{where}: the check agrees", where=file)
    else:
        verdict = Phrase("{where}: all {n} checks agree", where=file, n=n)
    out.append(_line(verdict, lang))
    with phrasing.language(lang):
        out.extend(f"  {check_line(c)}" for c in (*bad, *unchecked))
    return Done(worst, value=(out, []))


@main.command()
@click.argument("problem", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("answers", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: each student's grades and feedback; json: one object per answers file.",
)
@click.option(
    "--gradebook",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one CSV row per student: the score of every part, the total, the diagnoses.",
)
@lang_option
@timeout_option
@scheduler_option
def grade(
    problem: Path,
    answers: tuple[Path, ...],
    fmt: str,
    gradebook: Path | None,
    lang: str | None,
    timeout: float,
    task_timeout: float,
    scheduler: str | None,
) -> None:
    """Grade students' answers to a problem: each part right or not, the slip that explains a
    wrong one, and a score.

    \b
    Examples:
      tutor grade problems/sse.yaml answers/ada.yaml
      tutor grade problems/sse.yaml answers/*.yaml --gradebook grades.csv
      tutor grade problems/sse.yaml answers/ada.yaml --format json --lang zh
    """
    from . import cluster
    from .grading import grade_answers, read_answers
    from .render.grades import gradebook as gradebook_csv
    from .render.grades import report_text

    spoken = _spoken(problem, timeout, {"lang": lang})
    said = spoken["lang"]
    if gradebook is not None:
        guarded(str(gradebook), timeout, partial(check_destination, gradebook), said)

    _KEYS.clear()  # this run's key only: the workers of this process solve nothing again
    work = partial(_answer_key, str(problem), spoken.get("raw"), said, task_timeout)
    key = guarded(str(problem), timeout, work, said)
    reports: list[Any] = [None] * len(answers)
    jobs, places = [], []
    for index, file in enumerate(answers):
        with phrasing.language(said):
            try:
                raw = read_answers(file)
            except InputError as exc:  # one line of its own; the batch goes on
                reports[index] = grade_answers(key, None, file=str(file), error=exc)
                continue
        jobs.append((str(problem), spoken.get("raw"), str(file), raw, said, task_timeout, timeout))
        places.append(index)

    def lost(i: int, exc: BaseException) -> Any:
        return cluster.Done(EXIT_INTERNAL, _line(cluster.lost_line(jobs[i][2], exc), said))

    hidden = len(answers) == 1 or not sys.stderr.isatty()  # off a terminal, no lone label
    try:
        address = cluster.scheduler_address(scheduler)
        with (
            cluster.connect(address, len(jobs)) as client,
            click.progressbar(
                length=len(answers), label="tutor", file=sys.stderr, hidden=hidden
            ) as bar,
        ):
            bar.update(len(answers) - len(jobs))
            for i, done in cluster.run(grade_unit, jobs, client, lost):
                report = done.value
                if report is None:  # the unit itself was lost: its line is the report
                    with phrasing.language(said):
                        error = InputError(Phrase("{line}", line=done.line))
                        report = grade_answers(key, None, file=jobs[i][2], error=error)
                reports[places[i]] = report
                bar.update(1)
    except InputError as exc:
        _fail(exc, EXIT_BAD_INPUT, said)
    if fmt == "json":
        import json

        objects = [r.to_json() for r in reports]
        shown = objects[0] if len(objects) == 1 else objects
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    else:
        with phrasing.language(said):
            click.echo("\n".join(report_text(r) for r in reports), nl=False)
    if gradebook is not None:
        write_text(gradebook, gradebook_csv(reports))
        click.echo(Phrase("wrote {path}", path=str(gradebook)).said(said), err=True)
    refused = [r for r in reports if r.error is not None]
    for r in refused:
        click.echo(f"tutor: error: {r.error}", err=True)
    code = EXIT_BAD_INPUT if refused else 0
    failed = sum(1 for c in key.solution.checks if c.ok is False)
    if failed:  # the key itself disagreed with autograd: its grades are not to be trusted
        message = Phrase(
            "{where}: {n} cross-check(s) of the key disagreed: check these grades by hand",
            where=str(problem),
            n=failed,
        )
        click.echo(f"tutor: {_line(message, said)}", err=True)
        code = worse(code, EXIT_CHECK_FAILED)
    sys.exit(code)


#: The keys a process has worked out, by problem: a Dask worker solves a problem once for
#: all the students it grades, not once each.
_KEYS: dict[tuple[str, str, str, float], Any] = {}


def _key_id(problem: str, raw: Any, lang: str, task_timeout: float) -> tuple[str, str, str, float]:
    import hashlib
    import json

    text = json.dumps(raw, sort_keys=True, default=str)
    return problem, hashlib.sha256(text.encode()).hexdigest(), lang, task_timeout


def _answer_key(problem: str, raw: Any, lang: str, task_timeout: float) -> Any:
    """The grading key of ``problem`` (its YAML ``raw``), worked out once per process."""
    from .grading import answer_key
    from .loading import load
    from .solve import solve as solve_problem

    ident = _key_id(problem, raw, lang, task_timeout)
    if ident not in _KEYS:
        with phrasing.language(lang):
            loaded = load(Path(problem), raw)
            solution = solve_problem(loaded, task_timeout=task_timeout, lang=lang)
            _KEYS[ident] = answer_key(loaded, solution)
    return _KEYS[ident]


def grade_unit(
    problem: str, raw: Any, file: str, answers: Any, lang: str, task_timeout: float, timeout: float
) -> Any:
    """One student of a ``tutor grade`` batch, here or on a Dask worker: their report (as
    ``Done.value``). The key is worked out once per process (:data:`_KEYS`)."""
    from .cluster import Done
    from .grading import grade_answers

    def work() -> Any:
        key = _answer_key(problem, raw, lang, task_timeout)
        with phrasing.language(lang):
            return grade_answers(key, answers, file=file)

    try:
        return Done(value=attempt(file, timeout, work))
    except Failure as failure:
        with phrasing.language(lang):
            line = failure.line(lang).removeprefix(f"{file}: ")
            error = InputError(Phrase("{line}", line=line))
            key = _KEYS.get(_key_id(problem, raw, lang, task_timeout))
            if key is None:
                return Done(failure.code, failure.line(lang))
            return Done(value=grade_answers(key, None, file=file, error=error))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--count", type=click.IntRange(1, 10_000), default=None, help="How many variants.")
@click.option("--seed", type=int, default=0, show_default=True, help="The seed of the draws.")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Write DIR/<id>/problem.yaml, sheet.pdf, key.pdf, and DIR/key.json, DIR/key.csv.",
)
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A CSV of students (an id column, else the first): one variant each, drawn from the "
    "student's id and the seed, so it never changes when the roster grows.",
)
@click.option(
    "--moodle",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the variants as a Moodle XML quiz (one Cloze question each).",
)
@click.option("--no-pdf", is_flag=True, help="Write the problem files and keys, no PDFs.")
@lang_option
@timeout_option
@scheduler_option
def variants(
    file: Path,
    count: int | None,
    seed: int,
    out: Path,
    roster: Path | None,
    moodle: Path | None,
    no_pdf: bool,
    lang: str | None,
    timeout: float,
    task_timeout: float,
    scheduler: str | None,
) -> None:
    """Draw variants of a template (a problem file with params:), each solved, checked and
    typeset: a sheet for the student, a key for the teacher.

    \b
    Examples:
      tutor variants problems/templates/lesson5-two-points.yaml --count 40 --seed 1 --out build/
      tutor variants problems/templates/quadratic-min.yaml --roster class.csv --out build/
    """
    from .variant_files import Run, write_run

    if (count is None) == (roster is None):
        message = Phrase("give --count N, or --roster CSV (one variant per student)")
        _fail(message, EXIT_BAD_INPUT, lang)
    run = Run(file, count, seed, out, roster, moodle, not no_pdf, lang, task_timeout, scheduler)
    size = count if count is not None else len(_lines(roster))
    steps = size * (1 if no_pdf else 2)  # each variant drawn, then typeset
    limit = timeout * size  # --timeout is per variant
    # On a terminal only: elsewhere click prints the label alone, a line beside an error's
    hidden = not sys.stderr.isatty()
    with click.progressbar(length=steps, label="tutor", file=sys.stderr, hidden=hidden) as bar:
        written = guarded(str(file), limit, partial(write_run, run, lambda: bar.update(1)), lang)
    message = Phrase("wrote {count} variants to {path}", count=written, path=str(out))
    click.echo(message.said(lang or "en"), err=True)


def _lines(path: Path | None) -> list[str]:
    """The lines of a roster, to size the progress bar (it is read properly later)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines() if path else []
    except OSError:
        return []


if __name__ == "__main__":  # pragma: no cover
    main()
