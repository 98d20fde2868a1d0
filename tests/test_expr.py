import pytest
import sympy as sp

from tutor.errors import ExpressionError
from tutor.expr import evaluate, ordered, parse, parse_number

x, y = sp.symbols("x y", real=True)
NAMES = {"x": x, "y": y}


def test_decimals_become_exact_rationals():
    assert parse("0.1*x + 1e-3", NAMES) == sp.Rational(1, 10) * x + sp.Rational(1, 1000)
    assert parse_number("1/3") == sp.Rational(1, 3)
    assert parse_number(0.25) == sp.Rational(1, 4)


def test_whitelisted_functions_build_sympy():
    assert parse("sqrt(x) + log(x, 10) + atan2(y, x) + Abs(x)", NAMES) == (
        sp.sqrt(x) + sp.log(x, 10) + sp.atan2(y, x) + sp.Abs(x)
    )
    assert parse("E**x + pi", NAMES) == sp.exp(x) + sp.pi


def test_unevaluated_tree_keeps_source_order():
    shown = parse("4 - 3*x - y", NAMES, evaluate=False)
    assert [str(t) for t in shown.args] == ["4", "-3*x", "-y"]
    assert evaluate(shown) == 4 - 3 * x - y
    assert ordered(evaluate(shown)).args == (-3 * x, -y, 4)


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("__import__('os').system('true')", "only named functions"),
        ("x.__class__", "attribute access not allowed"),
        ("x[0]", "subscripts not allowed"),
        ("lambda: 1", "lambda not allowed"),
        ("[i for i in x]", "comprehensions not allowed"),
        ("eval('1')", "unknown function 'eval'"),
        ("open", "unknown name 'open'"),
        ("x ^ 2", "write ** instead"),
        ("x if y else 1", "conditional expressions not allowed"),
        ("'text'", "str literals not allowed"),
        ("2 ** 10 ** 10", "exponent is too large"),
        ("9" * 7000, "too long"),
        ("x" + "+x" * 1600, "too long"),
        ("-(" * 70 + "x" + ")" * 70, "nested too deeply"),
        ("sin(x, y)", "sin takes 1 argument"),
        ("exp(x=1)", "keyword arguments"),
        ("x / 0", "division by zero"),
        ("x; import os", "invalid syntax"),
        ("", "empty expression"),
    ],
)
def test_hostile_or_broken_text_is_refused_with_a_pointer(text, fragment):
    with pytest.raises(ExpressionError) as info:
        parse(text, NAMES)
    assert fragment in str(info.value)


def test_parsing_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(ExpressionError):
        parse(f"__import__('pathlib').Path('{marker}').touch()", NAMES)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x + csc(sin(pi))", "csc(sin(pi)) is undefined (infinite, or 0/0)"),
        ("atanh(Abs(1)) + x", "atanh(Abs(1)) is undefined (infinite, or 0/0)"),
        ("log(0)*x", "log(0) is undefined (infinite, or 0/0)"),
        ("sqrt(-1)*x", "sqrt(-1) is not a real number"),
        ("x*asec(1/2)", "asec(1/2) is not a real number (≈ 1.317i)"),
        ("x + acos(pi)", "acos(pi) is not a real number (≈ 1.812i)"),
    ],
)
def test_undefined_or_complex_constants_are_refused_by_name(text, message):
    """These once crashed inside SymPy or gave a false ✗ (issue 17): refused up front."""
    from click.testing import CliRunner

    from tutor.cli import main

    result = CliRunner().invoke(main, ["derive", text, "--wrt", "x"])
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2x + 1", "a product needs *: write 2*x"),
        ("x − 1", "the character '−' (U+2212) is not Python syntax: write - instead"),
        ("3 × x", "the character '×' (U+00D7) is not Python syntax: write * instead"),
        ("x^2 + 1", "^ is not a power in Python syntax; write ** instead (column 2:"),
        ("max(x, 1)", "unknown function 'max': write Max"),
        ("uniform(0", "a parenthesis is left open: in YAML's {key: value, ...} form a comma"),
    ],
)
def test_what_python_cannot_read_is_named_with_its_fix(text, says):
    """Issue 19: errors that teach what to write, at the right column."""
    with pytest.raises(ExpressionError) as info:
        parse(text, {"x": sp.Symbol("x")})
    assert says in str(info.value)


def test_an_unquoted_expression_in_a_yaml_flow_mapping_says_to_quote_it(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nvariables: [w, b]\nmodel: y = w*x + b\nloss: mse\ntasks: [partials]\n"
        "data:\n  generate: {n: 10, seed: 0, x: uniform(0, 1), y: 2*x}\n"
    )
    from click.testing import CliRunner

    from tutor.cli import main

    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tutor: error: {path}: data.generate.x: cannot parse")
    assert 'quote an expression that has one: "uniform(0, 1)"' in result.stderr


def test_a_word_where_a_number_belongs_says_a_number_is_expected():
    """Issue 19: `lr: "fast"` said "unknown name 'fast'"."""
    with pytest.raises(ExpressionError, match="expected a number, got 'fast': write a number"):
        parse_number("fast")


def test_lambda_is_refused_where_it_is_declared_with_the_name_to_use():
    from tutor.expr import check_name

    with pytest.raises(ExpressionError, match="write lam, which prints as λ"):
        check_name("lambda")
