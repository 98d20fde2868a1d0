"""The translations of the message catalog: gettext catalogs, read and written with Babel.

:data:`~tutor.phrasing.messages.MESSAGES` is the English source, keyed by meaning. Each
language is one gettext catalog, ``tutor/locale/<lang>/LC_MESSAGES/tutor.po``, whose entries
carry the key as ``msgctxt``, the English template as ``msgid`` (and ``msgid_plural``) and
the translation as ``msgstr``; the plural form is chosen by the catalog's own ``Plural-Forms``
rule (Chinese has one form). Adding a language is adding one ``.po`` file::

    python -m tutor.phrasing.catalogs update xx   # a new or refreshed catalog to translate

Untranslated and fuzzy entries fall back to English.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..errors import InputError
from .messages import MESSAGES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "tutor"
_FORMS = ("one", "other")


def catalog_path(lang: str) -> Path:
    """Where ``lang``'s catalog lives: ``tutor/locale/<lang>/LC_MESSAGES/tutor.po``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def languages() -> tuple[str, ...]:
    """English and every language with a catalog."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return ("en", *found)


def known_language(lang: str) -> str:
    """``lang`` if tutor speaks it; else the input error a problem file or a caller gets."""
    if lang not in languages():
        known = ", ".join(languages())
        raise InputError(
            "unknown language {lang_!r}: write one of {known}", key="lang", lang_=lang, known=known
        )
    return lang


def _entries() -> list[tuple[str, str | tuple[str, str]]]:
    """(key, English template, or its singular and plural) for every message."""
    out: list[tuple[str, str | tuple[str, str]]] = []
    for key, text in MESSAGES.items():
        base, _, form = key.rpartition(".")
        if form in _FORMS and all(f"{base}.{f}" in MESSAGES for f in _FORMS):
            if form == "one":
                out.append((base, (MESSAGES[f"{base}.one"], MESSAGES[f"{base}.other"])))
            continue
        out.append((key, text))
    return out


#: The context of every :class:`~tutor.errors.Phrase` in a catalog (its msgid is the English
#: template): the error messages, and the command line's own lines.
PHRASE = "phrase"
#: The calls whose template argument is a Phrase's, as Babel's extractor reads them from
#: tutor's source: InputError("...", key=...), Phrase("..."), self.fail(node, "...").
PHRASE_KEYWORDS = {
    "InputError": None,
    "ExpressionError": None,
    "NotANumber": None,
    "Phrase": None,
    "N_": None,
    "fail": (2,),
}


def phrase_templates() -> list[str]:
    """Every Phrase template in tutor's source (each error message), extracted by Babel as
    gettext's ``pybabel extract`` would (a message built another way has no translation: the
    tests check that none is)."""
    from babel.messages.extract import extract_from_dir

    package = LOCALE_DIR.parent
    with contextlib.redirect_stderr(io.StringIO()):  # Babel notes each key=f"..." it skips
        extracted = list(
            extract_from_dir(package, method_map=[("**.py", "python")], keywords=PHRASE_KEYWORDS)
        )
    found = (message for _file, _line, message, _comments, _context in extracted)
    return list(dict.fromkeys(m for m in found if isinstance(m, str) and m))


def template_catalog() -> Catalog:
    """The catalog template (``.pot``): every English message and error, none translated."""
    catalog = Catalog(domain=DOMAIN, project="tutor", fuzzy=False)
    for key, english in _entries():
        catalog.add(english, context=key)
    for template in phrase_templates():
        catalog.add(template, context=PHRASE)
    return catalog


@dataclass(frozen=True)
class Translation:
    """One language's templates: key → template, and key → plural forms with the rule that
    picks one by count."""

    singular: dict[str, str]
    plural: dict[str, tuple[str, ...]]
    form: Callable[[int], int]
    phrases: dict[str, str]

    def template(self, key: str, count: int | None) -> str | None:
        if count is not None and key in self.plural:
            forms = self.plural[key]
            index = min(self.form(count), len(forms) - 1)
            return forms[index] or None
        return self.singular.get(key)


@functools.cache
def translation(lang: str) -> Translation | None:
    """The catalog of ``lang``, read from its ``.po`` (None for English)."""
    if lang == "en":
        return None
    with catalog_path(known_language(lang)).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    singular: dict[str, str] = {}
    plural: dict[str, tuple[str, ...]] = {}
    phrases: dict[str, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy or not message.context:
            continue
        if message.context == PHRASE:
            if message.string:
                phrases[str(message.id)] = str(message.string)
            continue
        if message.pluralizable:
            raw = message.string
            forms = tuple(str(f) for f in raw) if isinstance(raw, list | tuple) else (str(raw),)
            if any(forms):
                plural[message.context] = forms
        elif message.string:
            singular[message.context] = str(message.string)
    return Translation(singular, plural, gettext.c2py(catalog.plural_expr), phrases)


def translated_phrase(template: str, lang: str) -> str | None:
    """A Phrase's template in ``lang`` (:data:`tutor.errors.translator`)."""
    found = translation(lang) if lang in languages() else None
    return None if found is None else found.phrases.get(template)


def update(lang: str) -> Path:
    """Write ``lang``'s catalog anew from the English source, keeping its translations."""
    path = catalog_path(lang)
    source = template_catalog()
    if path.is_file():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="tutor", fuzzy=False)
    catalog.update(source, no_fuzzy_matching=True)
    catalog.obsolete.clear()  # a message tutor no longer says leaves the catalog
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=False)
    return path


if __name__ == "__main__":  # python -m tutor.phrasing.catalogs update zh
    if len(sys.argv) != 3 or sys.argv[1] != "update":
        sys.exit("usage: python -m tutor.phrasing.catalogs update LANG")
    print(update(sys.argv[2]))
