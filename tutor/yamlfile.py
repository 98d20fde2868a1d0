"""Reading a stranger's YAML: safe tags only, no aliases, no duplicate keys, bounded size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_BYTES = 1_000_000
#: Digits an integer in a problem file may have (Python refuses to read past 4,300).
MAX_DIGITS = 1000


class _StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that also refuses aliases (no billion laughs) and repeated keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in problem files", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.MarkedYAMLError(
                    None, None, "keys must be plain names", key_node.start_mark
                )
            if key in seen:
                raise yaml.MarkedYAMLError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _mapping(loader: Any, node: Any) -> dict[Any, Any]:
    result: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    return result


def _int(loader: Any, node: Any) -> int:
    digits = sum(c.isalnum() for c in str(node.value))
    if digits > MAX_DIGITS:
        raise yaml.MarkedYAMLError(
            None,
            None,
            f"a number with {digits:,} digits (at most {MAX_DIGITS:,}); write it as a "
            "decimal with an exponent, such as 1.5e30",
            node.start_mark,
        )
    value: int = yaml.SafeLoader.construct_yaml_int(loader, node)
    return value


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _int)
# Dates are text here: "title: 2024-13-01" is a title, not an impossible date.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: str | Path) -> Any:
    """Parse the YAML file at ``path`` safely; any problem is an :class:`InputError`."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a problem file", file=name) from None
    except OSError as exc:
        raise InputError("cannot read: {strerror}", file=name, strerror=exc.strerror) from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            "file is too large ({count} bytes; at most {MAX_BYTES})",
            file=name,
            count=len(raw),
            MAX_BYTES=MAX_BYTES,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text (byte {start})", file=name, start=exc.start) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str = "<string>") -> Any:
    """Parse YAML text with the strict safe loader."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        problem = problem.replace("\n", " ")
        raise InputError(
            "invalid YAML at {where}{problem}", file=name, where=where, problem=problem
        ) from None
    except yaml.YAMLError as exc:
        detail = str(exc).replace("\n", " ")
        raise InputError("invalid YAML: {detail}", file=name, detail=detail) from None
    except RecursionError:
        raise InputError("invalid YAML: nested too deeply", file=name) from None
