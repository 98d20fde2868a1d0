"""Formulas as the lessons print them: one line of Unicode, or LaTeX.

Both printers keep the order a tree is stored in (see :func:`tutor.expr.ordered`), write a
number next to what it multiplies (``20a``, ``2(2 − a − b)``) and show a negative factor
after the first as ``·(−1)``, so an unevaluated chain-rule product prints the way a teacher
writes it on the board.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "lam": "λ",
    "lambda": "λ",
    "mu": "μ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "omega": "ω",
    "rho": "ρ",
    "xi": "ξ",
    "nu": "ν",
    "kappa": "κ",
}
_TRAILING_DIGITS = re.compile(r"([A-Za-z]+)_?(\d+)\Z")


def split_sign(term: sp.Expr) -> tuple[bool, sp.Expr]:
    """``(True, t)`` when ``term`` is ``-t`` written with a leading negative number.

    >>> a = sp.Symbol("a")
    >>> split_sign(-3 * a)
    (True, 3*a)
    """
    if term.is_Number and term.is_negative:
        return True, -term
    if term.is_Mul and term.args and term.args[0].is_Number and term.args[0].is_negative:
        first, rest = -term.args[0], term.args[1:]
        if first == 1:
            return True, rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
        return True, sp.Mul(first, *rest, evaluate=False)
    return False, term


def _mul_parts(expr: sp.Expr) -> tuple[list[sp.Expr], list[sp.Expr]]:
    """Numerator and denominator factors of a product, in stored order."""
    numer: list[sp.Expr] = []
    denom: list[sp.Expr] = []
    for factor in expr.args if expr.is_Mul else (expr,):
        if factor.is_Rational and not factor.is_Integer:
            if factor.p != 1:
                numer.append(sp.Integer(factor.p))
            denom.append(sp.Integer(factor.q))
        elif factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative:
            exp = -factor.exp
            denom.append(factor.base if exp == 1 else sp.Pow(factor.base, exp, evaluate=False))
        else:
            numer.append(factor)
    return numer, denom


class _Shared:
    """What the Unicode and LaTeX printers do alike: signs, sums and products."""

    times = "·"

    if TYPE_CHECKING:

        def _print(self, expr: Any, **kwargs: Any) -> str: ...

    def neg(self, text: str) -> str:
        raise NotImplementedError

    def paren(self, text: str) -> str:
        raise NotImplementedError

    def join_terms(self, expr: sp.Expr) -> str:
        out = ""
        for i, term in enumerate(expr.args):
            negative, magnitude = split_sign(term)
            text = self._print(magnitude)
            if magnitude.is_Add:
                text = self.paren(text)
            if i == 0:
                out = self.neg(text) if negative else text
            else:
                out += (f" {self.minus} " if negative else " + ") + text
        return out

    minus = "-"

    def factor_text(self, factor: sp.Expr, first: bool) -> str:
        text = self._print(factor)
        if factor.is_Add or (not first and split_sign(factor)[0]):
            return self.paren(text)
        if factor.is_Mul or (factor.is_Rational and not factor.is_Integer):
            return self.paren(text)
        if factor.is_Pow and factor.exp == sp.S.Half:
            return text
        if precedence(factor) < PRECEDENCE["Mul"]:
            return self.paren(text)
        return text

    def join_factors(self, factors: list[sp.Expr], bare: bool = False) -> str:
        if bare and len(factors) == 1:
            return str(self._print(factors[0]))
        out = ""
        prev: sp.Expr | None = None
        for i, factor in enumerate(factors):
            text = self.factor_text(factor, first=i == 0)
            if prev is None:
                out = text
            elif prev.is_Number and i > 1 and factors[i - 2].is_Number:  # 3·1·c, not 3·1c
                out += self.times + text
            else:
                out += self.separator(prev, factor, text) + text
            prev = factor
        return out

    def separator(self, left: sp.Expr, right: sp.Expr, right_text: str) -> str:
        if right_text[:1].isdigit() or right_text.startswith(("-", MINUS, "\\left(-")):
            return self.times
        if isinstance(left, sp.Derivative):
            return self.times
        if left.is_Number and _is_exp(right):
            return self.times  # 2·e^x: "2e^x" and "1e^(1/3)" read as scientific notation
        if left.is_Number:
            return self.space_after_number
        if _is_letter(left) and _is_letter(right):
            return self.space_after_number
        if right.is_Add or (right.is_Pow and right.base.is_Add):
            return self.space_after_number
        return self.times

    space_after_number = ""

    def print_mul(self, expr: sp.Expr) -> str:
        first = expr.args[0] if expr.is_Mul else None
        if first is not None and first.is_Float and abs(float(first)) == 1 and len(expr.args) > 1:
            # 1.0·b² from float data reads as b²
            rest = expr.args[1:]
            unit = rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
            return self.neg(self._print(unit)) if float(first) < 0 else self._print(unit)
        negative, magnitude = split_sign(expr)
        if negative:
            if not (magnitude.is_Mul or magnitude.is_Pow):
                text = self._print(magnitude)
                return self.neg(self.paren(text) if magnitude.is_Add else text)
            return self.neg(self.print_mul(magnitude))
        numer, denom = _mul_parts(magnitude)
        if not denom:
            return self.join_factors(numer)
        return self.fraction(numer, denom)

    def fraction(self, numer: list[sp.Expr], denom: list[sp.Expr]) -> str:
        raise NotImplementedError


def _is_exp(expr: sp.Expr) -> bool:
    """e^u (or e itself), however it is held: exp(u), E**u, E."""
    return isinstance(expr, sp.exp) or expr is sp.E or (expr.is_Pow and expr.base is sp.E)


def _is_letter(expr: sp.Expr) -> bool:
    base = expr.base if expr.is_Pow and expr.exp.is_Integer else expr
    return bool(base.is_Symbol and len(base.name) == 1)


class UnicodePrinter(_Shared, StrPrinter):
    """One line of Unicode: ``2(2 − a − b)·(−1)``, ``x²``, ``√(x + 1)``, ``w₀``."""

    _default_settings = {**StrPrinter._default_settings, "order": "none"}
    minus = MINUS

    def neg(self, text: str) -> str:
        return MINUS + text

    def paren(self, text: str) -> str:
        return f"({text})"

    def _print_Add(self, expr: sp.Expr, order: Any = None) -> str:
        return self.join_terms(expr)

    def _print_Mul(self, expr: sp.Expr) -> str:
        return self.print_mul(expr)

    def fraction(self, numer: list[sp.Expr], denom: list[sp.Expr]) -> str:
        top = self.join_factors(numer) if numer else "1"
        bottom = self.join_factors(denom)
        root = denom[0].is_Pow and denom[0].exp == sp.S.Half
        if len(denom) > 1 or (denom[0].is_Pow and not denom[0].exp.is_Integer and not root):
            bottom = f"({bottom})"
        return f"{top}/{bottom}"

    def _print_Pow(self, expr: sp.Expr, rational: bool = False) -> str:
        base, exp = expr.base, expr.exp
        if exp in (sp.S.Half, sp.Rational(1, 3)):
            inner = self._print(base)
            root = "√" if exp == sp.S.Half else "∛"
            return f"{root}{inner}" if base.is_Atom else f"{root}({inner})"
        if exp.is_Number and exp.is_negative:
            return self.fraction([], [base if exp == -1 else sp.Pow(base, -exp, evaluate=False)])
        base_text = self._print(base)
        if not (base.is_Atom and not (base.is_Number and base.is_negative)) and not (
            base.is_Function and not base.is_Pow
        ):
            base_text = f"({base_text})"
        elif base.is_Rational and not base.is_Integer:
            base_text = f"({base_text})"
        if exp.is_Integer:
            return base_text + str(exp).translate(_SUPERSCRIPT)
        exp_text = self._print(exp)
        if not exp.is_Atom or (exp.is_Rational and not exp.is_Integer):
            exp_text = f"({exp_text})"
        return f"{base_text}^{exp_text}"

    def _print_exp(self, expr: sp.Expr) -> str:
        arg = expr.args[0]
        text = self._print(arg)
        bare = arg.is_Atom and not arg.is_negative and not (arg.is_Rational and not arg.is_Integer)
        return f"e^{text}" if bare else f"e^({text})"  # e^(1/10), never e^1/10

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "e"

    def _print_Pi(self, expr: sp.Expr) -> str:
        return "π"

    def _print_Integer(self, expr: sp.Expr) -> str:
        return str(expr.p).replace("-", MINUS)

    def _print_Rational(self, expr: sp.Expr) -> str:
        return f"{expr.p}/{expr.q}".replace("-", MINUS)

    def _print_Decimal(self, expr: Any) -> str:
        return str(expr.written).replace("-", MINUS)

    def _print_Float(self, expr: sp.Expr) -> str:
        return format_float(float(expr)).replace("-", MINUS)

    def _print_Symbol(self, expr: sp.Expr) -> str:
        return unicode_name(expr.name)

    def _print_Abs(self, expr: sp.Expr) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_MatrixBase(self, expr: sp.MatrixBase) -> str:
        if expr.cols == 1:
            return "(" + ", ".join(self._print(e) for e in expr) + ")"
        rows = ("[" + ", ".join(self._print(e) for e in row) + "]" for row in expr.tolist())
        return "[" + ", ".join(rows) + "]"

    _print_ImmutableDenseMatrix = _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Equality(self, expr: sp.Expr) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Interval(self, expr: sp.Interval) -> str:
        left = "(" if expr.left_open else "["
        right = ")" if expr.right_open else "]"
        return f"{left}{self._print(expr.start)}, {self._print(expr.end)}{right}"

    def _print_Union(self, expr: sp.Union) -> str:
        return " ∪ ".join(self._print(a) for a in expr.args)

    def _print_Infinity(self, expr: sp.Expr) -> str:
        return "∞"

    def _print_NegativeInfinity(self, expr: sp.Expr) -> str:
        return MINUS + "∞"

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"H({self._print(expr.args[0])})"

    def _print_Derivative(self, expr: sp.Expr) -> str:
        return f"∂/∂{self._print(expr.variables[0])}({self._print(expr.expr)})"

    def _print_sigmoid(self, expr: sp.Expr) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_Limit(self, expr: sp.Expr) -> str:
        body, var, point, side = expr.args
        sign = {"+": "⁺", "-": "⁻"}.get(str(side), "")
        return f"lim_{{{self._print(var)}→{self._print(point)}{sign}}} ({self._print(body)})"


class TutorLatexPrinter(_Shared, LatexPrinter):
    """LaTeX in the same conventions: ``2 \\left(2 - a - b\\right) \\cdot \\left(-1\\right)``."""

    _default_settings = {**LatexPrinter._default_settings, "order": "none"}
    times = " \\cdot "
    space_after_number = " "

    def neg(self, text: str) -> str:
        return "-" + text

    def paren(self, text: str) -> str:
        return f"\\left({text}\\right)"

    def _print_Decimal(self, expr: Any) -> str:
        return str(expr.written)

    def _print_sigmoid(self, expr: sp.Expr, exp: str | None = None) -> str:
        body = f"\\sigma\\!\\left({self._print(expr.args[0])}\\right)"
        return body if exp is None else f"{body}^{{{exp}}}"

    def _print_Add(self, expr: sp.Expr, order: Any = None) -> str:
        return self.join_terms(expr)

    def _print_Mul(self, expr: sp.Expr) -> str:
        return self.print_mul(expr)

    def fraction(self, numer: list[sp.Expr], denom: list[sp.Expr]) -> str:
        top = self.join_factors(numer, bare=True) if numer else "1"
        return f"\\frac{{{top}}}{{{self.join_factors(denom, bare=True)}}}"

    def _print_Symbol(self, expr: sp.Expr, style: str = "plain") -> str:
        name = expr.name
        if name in ("lam", "lamda"):
            return "\\lambda"
        result: str = super()._print_Symbol(expr, style=style)
        # SymPy writes a name ending in "scr" with \mathscr, whose fonts a plain TeX Live
        # lacks; \mathcal is the script alphabet every LaTeX has.
        return result.replace("\\mathscr{", "\\mathcal{")

    def _print_Float(self, expr: sp.Expr) -> str:
        return format_float(float(expr)).replace("e", r" \cdot 10^{") + (
            "}" if "e" in format_float(float(expr)) else ""
        )

    def _print_MatrixBase(self, expr: sp.MatrixBase) -> str:
        rows = [" & ".join(self._print(e) for e in row) for row in expr.tolist()]
        return "\\begin{pmatrix}" + " \\\\ ".join(rows) + "\\end{pmatrix}"

    _print_ImmutableDenseMatrix = _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Derivative(self, expr: sp.Expr) -> str:
        var = self._print(expr.variables[0])
        inner = self._print(expr.expr)
        return f"\\frac{{\\partial}}{{\\partial {var}}}\\left({inner}\\right)"


def unicode_name(name: str) -> str:
    """``w0`` -> ``w₀``, ``lam`` -> ``λ``, ``x_12`` -> ``x₁₂``."""
    if name in _GREEK:
        return _GREEK[name]
    match = _TRAILING_DIGITS.match(name)
    if match:
        head = _GREEK.get(match.group(1), match.group(1))
        return head + match.group(2).translate(_SUBSCRIPT)
    return name


def format_float(value: float, digits: int = 10) -> str:
    """A float without noise: ``0.1`` not ``0.1000000000000000055``, ``1e-12`` kept short.

    >>> format_float(0.28), format_float(1/3), format_float(-2.0), format_float(3e-12)
    ('0.28', '0.3333333333', '-2', '3e-12')
    """
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_UNICODE = UnicodePrinter()
_LATEX = TutorLatexPrinter()


def math_text(expr: Any) -> str:
    """One line of Unicode for ``expr``.

    >>> a, b = sp.symbols("a b")
    >>> chain = sp.Mul(2, sp.Add(2, -a, -b, evaluate=False), -1, evaluate=False)
    >>> math_text(chain)
    '2(2 − a − b)·(−1)'
    >>> from tutor.expr import ordered
    >>> math_text(ordered(20*a + 8*b - 28)), math_text(ordered(a**2/2 - 3*b))
    ('20a + 8b − 28', 'a²/2 − 3b')
    """
    return str(_UNICODE.doprint(sp.sympify(expr) if isinstance(expr, int | float) else expr))


def math_latex(expr: Any) -> str:
    """LaTeX for ``expr``, in the same conventions as :func:`math_text`.

    >>> a, b = sp.symbols("a b")
    >>> math_latex(sp.Mul(2, sp.Add(2, -a, -b, evaluate=False), -1, evaluate=False))
    '2 \\\\left(2 - a - b\\\\right) \\\\cdot \\\\left(-1\\\\right)'
    """
    return str(_LATEX.doprint(sp.sympify(expr) if isinstance(expr, int | float) else expr))


def _latex_piece(expr: sp.Expr) -> str:
    """One term or factor of a broken line: a sum inside it in parentheses."""
    text = _LATEX._print(expr)
    return _LATEX.paren(text) if expr.is_Add else text


def broken_sum(expr: sp.Expr, width: int) -> list[str]:
    """A long sum's LaTeX in lines of about ``width`` characters (of its text form), each
    line after the first starting with its sign, as a textbook breaks a long line.

    >>> a, b, c = sp.symbols("a b c")
    >>> broken_sum(sp.Add(a**2, -2 * b, c, evaluate=False), 6)
    ['a^{2}', '- 2 b', '+ c']
    """
    lines: list[str] = []
    current, used = "", 0
    for term in expr.args:
        negative, magnitude = split_sign(term)
        size = len(math_text(magnitude)) + 3
        pieces = broken_product(magnitude, width - 2) if size > width else None
        if pieces is not None:  # one term longer than a line: its product broken too
            if current:
                lines.append(current)
            sign = "-" if negative else ("+" if lines else "")
            lines.append(f"{sign} {pieces[0]}".strip())
            lines += pieces[1:-1]
            current, used = pieces[-1], width  # the next term starts a line
            if len(pieces) == 1:
                current, used = lines.pop(), size
            continue
        text = _latex_piece(magnitude)
        if current and used + size > width:
            lines.append(current)
            current, used = "", 0
        if current:
            current += (" - " if negative else " + ") + text
        else:
            sign = "-" if negative else ("+" if lines else "")
            current = f"{sign} {text}" if sign and lines else (f"-{text}" if negative else text)
        used += size
    lines.append(current)
    return lines


def broken_product(expr: sp.Expr, width: int) -> list[str] | None:
    """A long product's LaTeX in lines, breaking before a ``\\cdot``; None for a product
    with a denominator (a fraction is set whole)."""
    negative, magnitude = split_sign(expr)
    if not magnitude.is_Mul:
        return None
    numer, denom = _mul_parts(magnitude)
    if denom:
        return None
    lines: list[str] = []
    current, used = "", 0
    for factor in numer:
        size = len(math_text(factor)) + 1
        if factor.is_Add and size > width:  # a long sum inside: broken in big parentheses
            inner = broken_sum(factor, width - 4)
            lead = (
                f"{current} \\cdot \\bigl("
                if current
                else ("\\cdot \\bigl(" if lines else "\\bigl(")
            )
            lines.append(f"{lead} {inner[0]}")
            lines += inner[1:-1]
            current, used = (inner[-1] + " \\bigr)") if len(inner) > 1 else "", width
            if len(inner) == 1:
                lines[-1] += " \\bigr)"
                current, used = "", 0
            continue
        text = _latex_piece(factor)
        if current and used + size > width:
            lines.append(current)
            current, used = "", 0
        current = f"{current} \\cdot {text}" if current else (f"\\cdot {text}" if lines else text)
        used += size
    if current:
        lines.append(current)
    if negative:
        lines[0] = f"-{lines[0]}"
    return lines
