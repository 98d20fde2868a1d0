"""Where a function built from |u|, sign, Heaviside, max and min may fail to be differentiable.

SymPy and torch both take sign(0) = 0 and a one-sided choice for max at a tie, so a gradient
evaluated on a kink is a number either way and an autograd check agrees with it. The tasks
ask here first, and say so when a point lies on one.
"""

from __future__ import annotations

import itertools

import sympy as sp

#: One-argument functions whose zero is a kink (|u|) or a jump (sign, the step).
_AT_ZERO = (sp.Abs, sp.sign, sp.Heaviside)


def kinks(expr: sp.Expr) -> list[sp.Expr]:
    """Expressions u whose zeros are kinks or jumps of ``expr``: u for |u|, sign(u) and H(u);
    a − b for max(a, b) and min(a, b).

    >>> x, y = sp.symbols("x y")
    >>> kinks(sp.Abs(x - y) + sp.Max(x, 2))
    [x - y, 2 - x]
    """
    found: list[sp.Expr] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, _AT_ZERO):
            found.append(node.args[0])
        elif isinstance(node, sp.Max | sp.Min):
            found.extend(a - b for a, b in itertools.combinations(node.args, 2))
    return list(dict.fromkeys(found))
