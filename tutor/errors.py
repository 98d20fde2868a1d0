"""The errors tutor raises, each carrying where in the input it went wrong."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any


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


#: Says a message in a language: ``(English template, lang) → that language's template``, or
#: None when it has none. :mod:`tutor.phrasing` sets it (it reads the catalogs), so that this
#: module, which every layer imports, imports none of them.
translator: Callable[[str, str], str | None] | None = None


def N_(template: str) -> str:
    """Marks ``template`` for the catalogs (gettext's N_): it is translated where it is said."""
    return template


class Phrase:
    """Words to say in the reader's language: an English template whose ``{slots}`` the keyword
    arguments fill (str.format). The template is the gettext ``msgid`` of its translations; a
    slot that is itself a Phrase (or an InputError) is said in the same language.

    >>> Phrase("cannot read {name!r}: {why}", name="a.csv", why="no such file").said("en")
    "cannot read 'a.csv': no such file"
    """

    def __init__(self, template: str, **slots: Any):
        self.template = template
        self.slots = slots

    def said(self, lang: str | None) -> str:
        """In ``lang`` (English where that language has no translation of it)."""
        template = self.template
        if lang not in (None, "en") and translator is not None:
            template = translator(template, lang) or template
        if not self.slots:
            try:  # a template of no slots still writes a brace as {{ (it is a format string)
                return template.format()
            except (KeyError, ValueError, IndexError):
                return template
        values = {
            name: value.said(lang) if isinstance(value, Phrase | InputError) else value
            for name, value in self.slots.items()
        }
        return template.format(**values)

    def __str__(self) -> str:
        return self.said("en")


class InputError(TutorError):
    """Bad input: an unreadable file, a schema error, an unsafe or unparsable expression.

    The command line prints it as one line and exits 2. The message is a :class:`Phrase` (a
    template and its slots, the keyword arguments), so that it is said in the reader's
    language (``lang``); ``message`` is its English, for programs.

    >>> str(InputError("expected a number", file="p.yaml", key="tasks[0].gradient.at"))
    'p.yaml: tasks[0].gradient.at: expected a number'
    >>> InputError("cannot read {name!r}: {why}", name="a.csv", why="no such file").message
    "cannot read 'a.csv': no such file"
    """

    def __init__(
        self,
        message: str | Phrase,
        *,
        file: str | None = None,
        key: str | None = None,
        lang: str | None = None,
        **slots: Any,
    ):
        self.phrase = message if isinstance(message, Phrase) else Phrase(message, **slots)
        self.message = self.phrase.said("en")
        super().__init__(self.message)
        self.file = file
        self.key = key
        self.lang = lang

    def said(self, lang: str | None) -> str:
        """The message in ``lang`` (English where that language has no translation of it)."""
        return self.phrase.said(lang)

    def with_key(self, key: str | None) -> InputError:
        """The same message, found at ``key`` (of the input the caller reads)."""
        return InputError(self.phrase, key=key, lang=self.lang)

    def located(
        self, *, file: str | None = None, key: str | None = None, lang: str | None = None
    ) -> InputError:
        """The same error with the file, key and language filled in where they were not known
        yet."""
        inner = self.key
        joined: str | None
        if key and inner:
            joined = f"{key}{inner}" if inner.startswith("[") else f"{key}.{inner}"
        else:
            joined = key or inner
        return InputError(self.phrase, file=self.file or file, key=joined, lang=self.lang or lang)

    def line(self, lang: str | None = None) -> str:
        """The one line a person reads: file, key and message, in the error's own language
        where it knows one, else in ``lang``."""
        parts = (self.file, self.key, self.said(self.lang or lang))
        return printable(": ".join(part for part in parts if part))

    def __str__(self) -> str:
        return self.line()


class ExpressionError(InputError):
    """An expression that cannot be parsed, or uses something the whitelist does not allow."""
