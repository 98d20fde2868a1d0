"""Text to SymPy without ``eval``: a whitelist walk over Python's own parse tree.

Problem files come from strangers, so nothing here runs their text. Python's ``ast`` module
parses it (parsing executes nothing) and :func:`parse` builds SymPy objects from an allowed
set of nodes only: numbers, declared names, whitelisted functions, ``+ - * / **`` and
parentheses. Decimals become exact rationals (``0.1`` is ``1/10``), so exact data stays exact.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from .budget import OverBudget, within
from .errors import ExpressionError, Phrase

MAX_LENGTH = 2000
MAX_NODES = 1500
MAX_DEPTH = 60
MAX_EXPONENT = 1000
MAX_NUMBER_BITS = 20_000
#: The smallest magnitude a decimal literal may have (float64's normal range).
MIN_MAGNITUDE = 1e-300


@dataclass(frozen=True)
class Function:
    """A whitelisted function: how to build it, and how many arguments it takes."""

    build: Callable[..., sp.Expr]
    arities: tuple[int, ...] = (1,)


def _log(x: sp.Expr, base: sp.Expr | None = None, *, evaluate: bool = True) -> sp.Expr:
    if base is None:
        return sp.log(x, evaluate=evaluate)
    if base.is_number:
        try:
            value = complex(sp.N(base, 20))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            value = complex("nan")
        if not (value.imag == 0 and value.real > 0 and value.real != 1):
            raise ExpressionError(
                "the base of a logarithm must be a positive number other than 1, got {base}",
                base=base,
            )
    try:
        return sp.log(x, base)
    except (ZeroDivisionError, ValueError, TypeError):
        raise ExpressionError("SymPy cannot take log({x}, {base})", x=x, base=base) from None


def _sqrt(x: sp.Expr, *, evaluate: bool = True) -> sp.Expr:
    return sp.Pow(x, sp.S.Half, evaluate=evaluate)


def _unary(cls: type) -> Function:
    return Function(lambda x, evaluate=True: cls(x, evaluate=evaluate))


def _variadic(cls: type) -> Function:
    return Function(lambda *xs, evaluate=True: cls(*xs, evaluate=evaluate), (2, 3, 4, 5, 6))


FUNCTIONS: dict[str, Function] = {
    "sqrt": Function(_sqrt),
    "exp": _unary(sp.exp),
    "log": Function(_log, (1, 2)),
    "ln": _unary(sp.log),
    "Abs": _unary(sp.Abs),
    "abs": _unary(sp.Abs),
    "sign": _unary(sp.sign),
    "Heaviside": _unary(sp.Heaviside),
    "Max": _variadic(sp.Max),
    "Min": _variadic(sp.Min),
    "atan2": Function(lambda y, x, evaluate=True: sp.atan2(y, x, evaluate=evaluate), (2,)),
}
for _name in (
    "sin cos tan sec csc cot asin acos atan acot asec acsc "
    "sinh cosh tanh coth sech csch asinh acosh atanh acoth"
).split():
    FUNCTIONS[_name] = _unary(getattr(sp, _name))

CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}

#: Names a problem may not declare, because expressions already give them a meaning.
RESERVED = frozenset(FUNCTIONS) | frozenset(CONSTANTS)

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
#: Longer names do not fit a printed line (a 300-letter one overflowed TeX's dimensions).
MAX_NAME = 32

_BINOPS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}
_FORBIDDEN_WORDS = {
    ast.Attribute: Phrase("attribute access"),
    ast.Subscript: Phrase("subscripts"),
    ast.Lambda: Phrase("lambda"),
    ast.ListComp: Phrase("comprehensions"),
    ast.SetComp: Phrase("comprehensions"),
    ast.DictComp: Phrase("comprehensions"),
    ast.GeneratorExp: Phrase("comprehensions"),
    ast.Compare: Phrase("comparisons"),
    ast.BoolOp: Phrase("boolean operators"),
    ast.IfExp: Phrase("conditional expressions"),
    ast.NamedExpr: Phrase("assignment expressions"),
    ast.Starred: Phrase("star arguments"),
    ast.Await: Phrase("await"),
    ast.Yield: Phrase("yield"),
    ast.JoinedStr: Phrase("strings"),
    ast.List: Phrase("lists"),
    ast.Tuple: Phrase("tuples"),
    ast.Dict: Phrase("dicts"),
    ast.Set: Phrase("sets"),
}


def check_name(name: object) -> str:
    """Return ``name`` if it can name a variable, constant or data column, else raise.

    >>> check_name("w0")
    'w0'
    >>> check_name("__class__")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tutor.errors.ExpressionError: '__class__' is not a valid name ...
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ExpressionError(
            "{name!r} is not a valid name (letters, digits and _, starting with a letter)",
            name=name,
        )
    if keyword.iskeyword(name):
        hint = Phrase(": write lam, which prints as λ") if name == "lambda" else ""
        raise ExpressionError(
            "{name!r} is a Python keyword, which expressions cannot use{hint}", name=name, hint=hint
        )
    if len(name) > MAX_NAME:
        raise ExpressionError(
            "{value!r}... is {count} characters long: a name has at most {MAX_NAME}",
            value=name[:20],
            count=len(name),
            MAX_NAME=MAX_NAME,
        )
    if name in RESERVED:
        raise ExpressionError(
            "{name!r} is reserved (a function or constant in expressions)", name=name
        )
    return name


#: Characters a teacher types that Python does not read, and what to write instead.
LOOKALIKES = {
    "−": "-",
    "–": "-",
    "×": "*",
    "·": "*",
    "÷": "/",
    "²": "**2",
    "³": "**3",
    "√": "sqrt(...)",
    "π": "pi",
}
_IMPLICIT_PRODUCT = re.compile(r"(\d)\s*([A-Za-z_(])|(\))\s*([A-Za-z_(\d])")


def _syntax_hint(source: str, col: Phrase | str) -> Phrase:
    """What is wrong with text Python cannot read, and how to write it.

    >>> str(_syntax_hint("x − 1", ""))
    "the character '−' (U+2212) is not Python syntax: write - instead"
    >>> str(_syntax_hint("2x + 1", Phrase(" at column {n}", n=1)))
    'a product needs *: write 2*x (invalid syntax at column 1)'
    >>> str(_syntax_hint("uniform(0", ""))[:60]
    "a parenthesis is left open: in YAML's {key: value, ...} form"
    """
    for ch, instead in LOOKALIKES.items():
        if ch in source:
            return Phrase(
                "the character {ch!r} (U+{code}) is not Python syntax: write {instead} instead",
                ch=ch,
                code=f"{ord(ch):04X}",
                instead=instead,
            )
    product = _IMPLICIT_PRODUCT.search(source)
    if product is not None:
        left = product.group(1) or product.group(3)
        right = product.group(2) or product.group(4)
        return Phrase(
            "a product needs *: write {left}*{right} (invalid syntax{col})",
            left=left,
            right=right,
            col=col,
        )
    if source.count("(") > source.count(")") and "," not in source:
        return Phrase(
            "a parenthesis is left open: in YAML's {{key: value, ...}} form a comma ends the "
            'value, so quote an expression that has one: "uniform(0, 1)" (invalid syntax{col})',
            col=col,
        )
    return Phrase("invalid syntax{col}", col=col)


def parse(
    text: object,
    names: Mapping[str, sp.Expr],
    *,
    functions: Mapping[str, Function] = FUNCTIONS,
    evaluate: bool = True,
) -> sp.Expr:
    """Parse ``text`` into a SymPy expression over ``names``, running none of it.

    With ``evaluate=False`` the tree keeps the order and shape the text was written in,
    which is how tutor shows a teacher's expression back to them.

    >>> a, b = sp.symbols("a b")
    >>> parse("(2 - a - b)**2 + 0.5*b", {"a": a, "b": b})
    b/2 + (-a - b + 2)**2
    >>> parse("0.5", {}) == sp.Rational(1, 2)
    True
    >>> parse("a.__class__", {"a": a})
    Traceback (most recent call last):
    ...
    tutor.errors.ExpressionError: attribute access not allowed (column 1: 'a.__class__')
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise ExpressionError("expected an expression, got {kind}", kind=type(text).__name__)
    source = str(text).strip()
    if not source:
        raise ExpressionError("empty expression")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(
            "expression is too long ({count} > {MAX_LENGTH} characters)",
            count=len(source),
            MAX_LENGTH=MAX_LENGTH,
        )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = Phrase(" at column {n}", n=exc.offset) if exc.offset else ""
        raise ExpressionError(
            "cannot parse {source!r}: {value}", source=source, value=_syntax_hint(source, col)
        ) from None
    except (MemoryError, RecursionError, ValueError):
        raise ExpressionError("cannot parse {source!r}: too deeply nested", source=source) from None
    _check_size(tree, source)
    built = _Builder(source, names, functions, evaluate).build(tree.body)
    try:
        value = built if evaluate else _Builder(source, names, functions, True).build(tree.body)
        if value.has(*_UNDEFINED, sp.I):
            written = (
                built
                if not evaluate
                else _Builder(source, names, functions, False).build(tree.body)
            )
            if value.has(*_UNDEFINED):
                _refuse_undefined(written)
            _refuse_imaginary(written)
        _refuse_complex_constants(value)
        _refuse_beyond_float64(value)
        _refuse_beyond_float64(built)
    except ExpressionError:
        raise
    except Exception:  # noqa: BLE001 - SymPy failing on a constant (csc(0)): not a bug of ours
        raise ExpressionError(
            "a constant part of {source!r} cannot be evaluated (SymPy fails on it): it is "
            "probably undefined; change it",
            source=source,
        ) from None
    return built


def _refuse_imaginary(written: sp.Expr) -> None:
    """``sqrt(-1)`` evaluates to the atom I, which :func:`_refuse_complex_constants` skips:
    name the smallest constant part as written that brings it in."""
    parts = [
        a
        for a in sp.preorder_traversal(written)
        if not a.free_symbols and a.args and _evaluated(a).has(sp.I)
    ]
    shown = str(min(parts, key=sp.count_ops)) if parts else "a constant part"
    raise ExpressionError(
        "{shown} is not a real number: tutor works with real functions; change it", shown=shown
    )


def _refuse_complex_constants(value: sp.Expr) -> None:
    """A function of a constant that is not real (asec(1/2) = acos(2), sqrt(-1)) makes the
    expression complex: tutor works with real functions.

    >>> parse("x + asec(1/2)", {"x": sp.Symbol("x")})
    Traceback (most recent call last):
    ...
    tutor.errors.ExpressionError: asec(1/2) is not a real number (≈ 1.317i): tutor works with real functions; change it
    """  # noqa: E501
    # Innermost first: acos(1000) is refused before atan2(acos(1000), ...) is evaluated,
    # which mpmath cannot finish.
    for part in sp.postorder_traversal(value):
        if part.free_symbols or not isinstance(part, sp.Function | sp.Pow):
            continue
        try:
            with within(CONSTANT_BUDGET):
                number = complex(sp.N(part, 20))
        except OverflowError:  # mpmath itself overflows: sinh(sinh(1e104))
            number = complex(math.inf)
        except (TypeError, ValueError, ZeroDivisionError, OverBudget):
            continue
        if not math.isfinite(number.real) or abs(number.real) > float(FLOAT64_MAX):
            raise ExpressionError(
                "{part} is beyond float64's range (about 1.8e308), in which tutor computes: use "
                "smaller numbers",
                part=part,
            )
        if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
            shown = f"{number.imag:.4g}i" if abs(number.real) < 1e-12 else f"{number:.4g}"
            raise ExpressionError(
                "{part} is not a real number (≈ {shown}): tutor works with real functions; change "
                "it",
                part=part,
                shown=shown,
            )


_UNDEFINED = (sp.zoo, sp.oo, -sp.oo, sp.nan)
#: Seconds to evaluate one constant part numerically; past it the part is let through.
CONSTANT_BUDGET = 1.0
#: Numbers past float64's range: tutor computes with them in float64 (torch, the checks).
FLOAT64_MAX = sp.Float(1.7976931348623157e308)


def _refuse_beyond_float64(value: sp.Expr) -> None:
    """A number past float64's range (10**400, 1e308*1e308, 1/10**400) cannot be computed with.

    >>> parse("x*Min(10**379, 10**380)", {"x": sp.Symbol("x")})
    Traceback (most recent call last):
    ...
    tutor.errors.ExpressionError: 1.0e+379 is beyond float64's range (about 1.8e308), in which tutor computes: use smaller numbers
    """  # noqa: E501
    for atom in value.atoms(sp.Number):
        parts = (atom.p, atom.q) if isinstance(atom, sp.Rational) else (atom,)
        for part in parts:
            if abs(part) > FLOAT64_MAX:
                raise ExpressionError(
                    "{value} is beyond float64's range (about 1.8e308), in which tutor computes: "
                    "use smaller numbers",
                    value=str(sp.Float(part, 2)),
                )


def _refuse_undefined(written: sp.Expr) -> None:
    """Refuse an expression with a constant part that is undefined, naming the smallest such
    part as written: csc(sin(pi)) is csc(0), a pole; atanh(1) is infinite. SymPy carries them
    as zoo or oo, and they make every derivative meaningless.

    >>> parse("x + csc(sin(pi))", {"x": sp.Symbol("x")})
    Traceback (most recent call last):
    ...
    tutor.errors.ExpressionError: csc(sin(pi)) is undefined (infinite, or 0/0): remove it or change it
    """  # noqa: E501
    parts = [
        a
        for a in sp.preorder_traversal(written)
        if not a.free_symbols and a.args and _evaluated(a).has(*_UNDEFINED)
    ]
    shown = str(min(parts, key=sp.count_ops)) if parts else "a constant part"
    raise ExpressionError(
        "{shown} is undefined (infinite, or 0/0): remove it or change it", shown=shown
    )


def _evaluated(expr: sp.Expr) -> sp.Expr:
    result: sp.Expr = evaluate(expr)
    return result


def parse_number(text: object) -> sp.Expr:
    """An exact number from YAML: an int, a decimal (as a Rational) or a string like "1/3".

    >>> parse_number("1/3"), parse_number(0.25), parse_number("sqrt(2)")
    (1/3, 1/4, sqrt(2))
    """
    if isinstance(text, float):
        if not math.isfinite(text):
            raise ExpressionError("{text} is not a finite number", text=text)
        text = repr(text)
    try:
        value = parse(text, {})
    except ExpressionError as exc:
        if not exc.message.startswith("unknown name"):
            raise
        raise ExpressionError(
            "expected a number, got {text!r}: write a number, a fraction like 1/3, or numbers "
            "combined like sqrt(2)",
            text=text,
        ) from None
    if not value.is_number or value.is_real is False:
        raise ExpressionError("{text!r} is not a real number", text=text)
    return value


def _check_size(tree: ast.AST, source: str) -> None:
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(
                "expression is too large (more than {MAX_NODES} parts)", MAX_NODES=MAX_NODES
            )
        if depth > MAX_DEPTH:
            raise ExpressionError(
                "expression is nested too deeply (more than {MAX_DEPTH} levels)",
                MAX_DEPTH=MAX_DEPTH,
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


#: A decimal as a teacher writes data and points: digits, one point, digits.
_DECIMAL = re.compile(r"-?\d+\.\d+")


class Decimal(sp.Rational):
    """An exact Rational that prints as the decimal it was written as: data ``2.3`` stays
    ``2.3`` on the page while SymPy computes with 23/10.

    It equals and hashes as its Rational, so it mixes with SymPy freely; arithmetic gives
    plain Rationals (a derived 23/5 prints as a fraction), only the written atom keeps the text.
    ``str`` gives the exact fraction, which reads back exactly (JSON, SymPy).

    >>> d = Decimal("2.3")
    >>> d == sp.Rational(23, 10), hash(d) == hash(sp.Rational(23, 10)), (-d).written, d * 2
    (True, True, '-2.3', 23/5)
    """

    __slots__ = ("written",)
    written: str

    def __new__(cls, written: str) -> Decimal:
        value = sp.Rational(written)
        obj = sp.Expr.__new__(cls)
        obj.p, obj.q = value.p, value.q
        obj.written = written
        return obj

    def __hash__(self) -> int:
        return hash(sp.Rational(self.p, self.q))

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return (Decimal, (self.written,))

    def __neg__(self) -> sp.Expr:
        text = self.written[1:] if self.written.startswith("-") else "-" + self.written
        return Decimal(text)


def written_number(text: str) -> sp.Expr:
    """``text`` as an exact number: a plain decimal as a :class:`Decimal`, anything else
    (3, 1e-5, 1_000.5) as SymPy reads it."""
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    return sp.Rational(text)


class _Builder:
    def __init__(
        self,
        source: str,
        names: Mapping[str, sp.Expr],
        functions: Mapping[str, Function],
        evaluate: bool,
    ):
        self.source = source
        self.names = names
        self.functions = functions
        self.evaluate = evaluate

    def fail(self, node: ast.AST, what: str, **slots: Any) -> ExpressionError:
        """The error at ``node``: ``what`` is a :class:`Phrase` template, ``slots`` fill it."""
        segment = ast.get_source_segment(self.source, node) or self.source
        col = getattr(node, "col_offset", 0) + 1
        return ExpressionError(
            "{what} (column {col}: {segment!r})",
            what=Phrase(what, **slots),
            col=col,
            segment=segment,
        )

    def build(self, node: ast.AST) -> sp.Expr:
        method = getattr(self, f"_build_{type(node).__name__}", None)
        if method is None:
            word = _FORBIDDEN_WORDS.get(type(node), type(node).__name__)
            raise self.fail(node, "{word} not allowed", word=word)
        result: sp.Expr = method(node)
        return result

    def _build_Constant(self, node: ast.Constant) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node, "{kind} literals not allowed", kind=type(value).__name__)
        if isinstance(value, int):
            if value.bit_length() > MAX_NUMBER_BITS:
                raise self.fail(node, "number is too large")
            return sp.Integer(value)
        segment = ast.get_source_segment(self.source, node) or repr(value)
        if not math.isfinite(value):
            raise self.fail(node, "number is not finite")
        if value != 0 and not MIN_MAGNITUDE <= abs(value):
            raise self.fail(
                node,
                "number is too small for float64 (below {MIN_MAGNITUDE:g})",
                MIN_MAGNITUDE=MIN_MAGNITUDE,
            )
        exact = written_number(segment.replace("_", ""))
        if value == 0 and exact != 0:  # 1e-5000 reads as 0.0 but is not zero
            raise self.fail(
                node,
                "number is too small for float64 (below {MIN_MAGNITUDE:g})",
                MIN_MAGNITUDE=MIN_MAGNITUDE,
            )
        return exact

    def _build_Name(self, node: ast.Name) -> sp.Expr:
        if node.id in self.names:
            return self.names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in self.functions:
            raise self.fail(node, "{id} is a function; call it as {id}(...)", id=node.id)
        known = ", ".join(sorted(self.names)) or Phrase("none declared")
        raise self.fail(node, "unknown name {id!r} (known names: {known})", id=node.id, known=known)

    def _build_UnaryOp(self, node: ast.UnaryOp) -> sp.Expr:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.USub):
            if operand.is_Number:
                return -operand
            return sp.Mul(sp.S.NegativeOne, operand, evaluate=self.evaluate)
        raise self.fail(node, "operator {kind} is not allowed", kind=type(node.op).__name__)

    def _build_BinOp(self, node: ast.BinOp) -> sp.Expr:
        op = type(node.op)
        if op is ast.BitXor:
            # the column of the ^ itself, not of the left operand
            at = node.left.end_col_offset or 0
            column = self.source.find("^", at) + 1 or at + 1
            raise ExpressionError(
                "^ is not a power in Python syntax; write ** instead (column {column}: {source!r})",
                column=column,
                source=self.source,
            )
        if op not in _BINOPS:
            raise self.fail(node, "operator {kind} is not allowed", kind=type(node.op).__name__)
        left, right = self.build(node.left), self.build(node.right)
        ev = self.evaluate
        if op is ast.Add:
            return _join(sp.Add, left, right, ev)
        if op is ast.Sub:
            neg = -right if right.is_Number else sp.Mul(sp.S.NegativeOne, right, evaluate=ev)
            return _join(sp.Add, left, neg, ev)
        if op is ast.Mult:
            return _join(sp.Mul, left, right, ev)
        if op is ast.Div:
            if right.is_zero:
                raise self.fail(node, "division by zero")
            if left.is_Number and right.is_Number:
                return left / right
            return _join(sp.Mul, left, sp.Pow(right, -1, evaluate=ev), ev)
        self._check_power(node, left, right)
        return sp.Pow(left, right, evaluate=ev)

    def _check_power(self, node: ast.AST, base: sp.Expr, exponent: sp.Expr) -> None:
        if not exponent.is_Number:
            return
        if abs(exponent) > MAX_EXPONENT:
            raise self.fail(
                node,
                "exponent is too large (at most {MAX_EXPONENT} in size)",
                MAX_EXPONENT=MAX_EXPONENT,
            )
        if base.is_Rational and exponent.is_Rational:
            bits = max(abs(base.p).bit_length(), abs(base.q).bit_length())
            if bits * abs(exponent) > MAX_NUMBER_BITS:
                raise self.fail(node, "number is too large")
        if base.is_zero and exponent.is_negative:
            raise self.fail(node, "division by zero")

    def _build_Call(self, node: ast.Call) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only named functions can be called")
        name = node.func.id
        spec = self.functions.get(name)
        if spec is None:
            allowed = ", ".join(sorted(self.functions))
            cased = [f for f in self.functions if f.lower() == name.lower()]
            if cased:
                raise self.fail(
                    node, "unknown function {name!r}: write {value}", name=name, value=cased[0]
                )
            raise self.fail(
                node, "unknown function {name!r} (allowed: {allowed})", name=name, allowed=allowed
            )
        if node.keywords:
            raise self.fail(node, "keyword arguments are not allowed")
        if len(node.args) not in spec.arities:
            counts = " or ".join(str(n) for n in spec.arities)
            raise self.fail(
                node,
                "{name} takes {counts} argument(s), got {count}",
                name=name,
                counts=counts,
                count=len(node.args),
            )
        args = [self.build(arg) for arg in node.args]
        try:
            for arg in args:
                # A constant that is not real (acos(1000)) is refused where it enters: SymPy
                # given it inside another function (atan2) can search for minutes.
                if not arg.free_symbols and arg.is_extended_real is False:
                    raise self.fail(
                        node,
                        "{arg} is not a real number: tutor works with real functions; change it",
                        arg=arg,
                    )
            if self.evaluate and not any(arg.free_symbols for arg in args):
                with within(CONSTANT_BUDGET):
                    return spec.build(*args, evaluate=True)
            return spec.build(*args, evaluate=self.evaluate)
        except (TypeError, ValueError) as exc:
            raise self.fail(node, "cannot apply {name}: {exc}", name=name, exc=exc) from None
        except OverBudget:
            raise self.fail(
                node, "SymPy could not evaluate {name} of these constants", name=name
            ) from None
        except (ArithmeticError, AttributeError) as exc:  # SymPy failing on odd constants
            if not self.evaluate:  # unevaluated log(sec(0)) trips SymPy; evaluated it is 0
                try:
                    with within(CONSTANT_BUDGET):
                        evaluated = _Builder(self.source, self.names, self.functions, True)
                        return evaluated.build(node)
                except (ExpressionError, ArithmeticError, AttributeError, OverBudget):
                    pass
            raise self.fail(
                node,
                "SymPy cannot evaluate {name} of these arguments ({kind})",
                name=name,
                kind=type(exc).__name__,
            ) from None


def _join(cls: type, left: sp.Expr, right: sp.Expr, evaluate: bool) -> sp.Expr:
    """``cls(left, right)``; unevaluated, a left operand of the same kind is flattened."""
    if evaluate:
        result: sp.Expr = cls(left, right)
        return result
    head = list(left.args) if left.func is cls else [left]
    tail = list(right.args) if right.func is cls and cls is sp.Mul else [right]
    return cls(*head, *tail, evaluate=False)


def evaluate(expr: sp.Expr) -> sp.Expr:
    """Evaluate a tree built with ``evaluate=False`` into SymPy's canonical form.

    >>> a = sp.Symbol("a")
    >>> shown = parse("2 - a - 1", {"a": a}, evaluate=False)
    >>> shown.args, evaluate(shown)
    ((2, -a, -1), 1 - a)
    """
    if not expr.args or expr.is_Atom:
        return expr
    result: sp.Expr = expr.func(*(evaluate(arg) for arg in expr.args))
    return result


def ordered(expr: sp.Expr) -> sp.Expr:
    """The same expression with every sum in the order SymPy prints it (``20a + 8b - 28``).

    tutor's printers keep the order a tree is stored in, so a teacher's ``2 - a - b`` prints
    as written; results computed by SymPy pass through here first.

    >>> a, b = sp.symbols("a b")
    >>> ordered(20*a + 8*b - 28).args
    (20*a, 8*b, -28)
    """
    if not expr.args or expr.is_Atom:
        return expr
    if expr.is_Add:
        return sp.Add(*(ordered(t) for t in expr.as_ordered_terms()), evaluate=False)
    args = [ordered(arg) for arg in expr.args]
    if expr.is_Mul or expr.is_Pow:
        return expr.func(*args, evaluate=False)
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:
        return expr.func(*args)


def substitute(expr: sp.Expr, values: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Replace symbols by values without evaluating, to show a substitution: ``20·0 + 8·0 − 28``.

    >>> a, b = sp.symbols("a b")
    >>> substitute(ordered(20*a + 8*b - 28), {a: 0, b: 0}).args
    (20*0, 8*0, -28)
    """
    if expr in values:
        value: sp.Expr = sp.sympify(values[expr])
        return value
    if not expr.args or expr.is_Atom:
        return expr
    args = [substitute(arg, values) for arg in expr.args]
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:
        return expr.func(*args)
