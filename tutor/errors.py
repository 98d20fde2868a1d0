"""The errors tutor raises, each carrying where in the input it went wrong."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    r"""``text`` safe to print on one terminal line: control and format characters (a newline,
    an ANSI escape that would paint the terminal, a right-to-left override) shown as escapes.

    >>> printable("bad\x1b[31mkey\nx")
    'bad\\x1b[31mkey\\nx'
    """
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(ch)
            out.append(
                {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch)
                or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
            )
        else:
            out.append(ch)
    return "".join(out)


class TutorError(Exception):
    """Base class of every error tutor raises on purpose."""


class InputError(TutorError):
    """Bad input: an unreadable file, a schema error, an unsafe or unparsable expression.

    The command line prints it as one line and exits 2.

    >>> str(InputError("expected a number", file="p.yaml", key="tasks[0].gradient.at"))
    'p.yaml: tasks[0].gradient.at: expected a number'
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key

    def located(self, *, file: str | None = None, key: str | None = None) -> InputError:
        """The same error with the file and key filled in where they were not known yet."""
        inner = self.key
        joined: str | None
        if key and inner:
            joined = f"{key}{inner}" if inner.startswith("[") else f"{key}.{inner}"
        else:
            joined = key or inner
        return InputError(self.message, file=self.file or file, key=joined)

    def __str__(self) -> str:
        parts = (self.file, self.key, self.message)
        return printable(": ".join(part for part in parts if part))


class ExpressionError(InputError):
    """An expression that cannot be parsed, or uses something the whitelist does not allow."""
