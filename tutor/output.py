"""Writing output files: only over regular files, whole or not at all, with the usual mode.

Every file tutor writes for a user (text, LaTeX, Markdown, JSON, PDFs, figures kept with
``--out``) goes through :func:`write_bytes`. The destination path is the only place a
user-chosen name is used: nothing here passes it to another program.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from contextvars import ContextVar
from pathlib import Path

from .errors import InputError

#: The date a batch stamps on every PDF it makes, figures included (seconds since 1970), so
#: that a PDF made on a Dask worker is byte for byte the one made here; None: now, or the
#: environment's SOURCE_DATE_EPOCH.
SOURCE_DATE: ContextVar[int | None] = ContextVar("SOURCE_DATE", default=None)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_destination(path: Path) -> Path:
    """The path to write for ``path``: refuse anything that exists and is not a regular file.

    A symbolic link to a regular file is followed, so the link stays and its file is replaced.

    >>> check_destination(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    tutor.errors.InputError: /dev/null: is a character device, not a regular file; tutor only replaces regular files: choose another path
    """  # noqa: E501
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise InputError(
            "cannot write here: {strerror}", file=str(path), strerror=exc.strerror
        ) from None
    if stat.S_ISREG(mode):
        return Path(os.path.realpath(path))
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    raise InputError(
        "is {kind}, not a regular file; tutor only replaces regular files: choose another path",
        file=str(path),
        kind=kind,
    )


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (a reader never sees half a file); the path.

    The file gets the mode a new file gets under the current umask (``mkstemp`` alone would
    leave it readable by its owner only).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_bytes(folder / "a" / "note.txt", b"hello").read_bytes()
    b'hello'
    """
    target = check_destination(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(
            "cannot write here: {strerror}", file=str(path), strerror=exc.strerror
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_text(path: Path, text: str) -> Path:
    """:func:`write_bytes` of ``text`` in UTF-8."""
    return write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
