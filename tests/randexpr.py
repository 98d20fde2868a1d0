"""A seeded generator of random nested expressions (text), for stress tests and benchmarks.

Nests of every function tutor's parser accepts, over one to three variables, to depth 5: the
shapes a teacher writes and the odd ones a fuzzer does. Kept out of the fixed corpus so that
each new seed finds new cases.
"""

from __future__ import annotations

import random

UNARY = (
    "sqrt exp log sin cos tan sec csc cot asin acos atan acot asec acsc "
    "sinh cosh tanh coth sech csch asinh acosh atanh acoth Abs sign"
).split()
BINARY_FUNCTIONS = ("Max", "Min", "atan2")
VARIABLES = ("x", "y", "z")


def expression(rng: random.Random, depth: int, names: tuple[str, ...]) -> str:
    """One random expression of at most ``depth`` levels over ``names``."""
    if depth <= 0 or rng.random() < 0.15:
        return leaf(rng, names)
    kind = rng.random()
    if kind < 0.35:
        op = rng.choice(("+", "-", "*", "/"))
        return f"({expression(rng, depth - 1, names)} {op} {expression(rng, depth - 1, names)})"
    if kind < 0.45:
        return f"({expression(rng, depth - 1, names)})**{rng.choice((2, 3, 4, -1, -2))}"
    if kind < 0.5:
        name = rng.choice(BINARY_FUNCTIONS)
        return f"{name}({expression(rng, depth - 1, names)}, {expression(rng, depth - 1, names)})"
    return f"{rng.choice(UNARY)}({expression(rng, depth - 1, names)})"


def leaf(rng: random.Random, names: tuple[str, ...]) -> str:
    r = rng.random()
    if r < 0.55:
        return rng.choice(names)
    if r < 0.8:
        return str(rng.randint(1, 9))
    if r < 0.9:
        return f"{rng.randint(2, 5)}*{rng.choice(names)}"
    return rng.choice(("pi", "E", "1/2", "3/2"))


def sample(seed: int, count: int) -> list[tuple[str, tuple[str, ...]]]:
    """``count`` (expression, variables) pairs, reproducibly from ``seed``."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        names = VARIABLES[: rng.randint(1, 3)]
        depth = rng.randint(2, 5)
        text = expression(rng, depth, names)
        used = tuple(n for n in names if n in text)
        out.append((text, used or names[:1]))
    return out
