"""The logistic loss over data (issue 6): exact gradient, descent to the optimum, twin, errors."""

from pathlib import Path

import numpy as np
import pytest
import sympy as sp
import torch
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor.cli import main
from tutor.losses import LOSSES
from tutor.numeric.rowloss import RowLoss

HOURS = np.array([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
PASSED = np.array([0, 0, 0, 1, 0, 1, 1, 1.0])


def newton_optimum():
    """The minimiser by Newton's method, independent of tutor."""
    x = np.stack([HOURS, np.ones(8)], axis=1)
    w = np.zeros(2)
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = (x.T * (p * (1 - p))) @ x / 8
        w -= np.linalg.solve(hessian, x.T @ (p - PASSED) / 8)
    return w


@pytest.fixture(scope="module")
def solution():
    sol = tutor.solve(PROBLEMS / "logistic-pass-fail.yaml")
    assert sol.ok, [c for c in sol.checks if not c.ok]
    return sol


def section(sol, task):
    return next(s for s in sol.sections if s.task == task)


def test_gradient_at_zero_is_exact(solution):
    # σ(0) = 1/2: ∂L/∂w = (1/8)Σ(1/2 − yᵢ)hᵢ = (9 − 12.5)/8, ∂L/∂b = (4 − 4)/8
    result = section(solution, "gradient").result
    assert result["exact"] == ["-7/16", "0"] and result["value"] == [-0.4375, 0.0]


def test_descent_reaches_the_newton_optimum_and_autograd_agrees(solution):
    run = section(solution, "gradient_descent")
    final = np.array(list(run.result["final"].values()))
    assert np.abs(final - newton_optimum()).max() < 1e-4
    assert run.result["converged"] and not run.result["diverged"]
    twin = run.checks[0]
    assert twin.ok and twin.max_abs_err < 1e-10


def test_objective_is_shown_as_the_cross_entropy(solution):
    text = solution.to_text()
    assert "L = (1/m) Σᵢ [log(1 + e^ŷᵢ) − yᵢ·ŷᵢ]" in text
    assert "log(1 + e^(b + 2w)) − (b + 2w)" in text  # row 4, a pass


A, B, X = sp.symbols("a b x", real=True)


@pytest.mark.parametrize(
    ("model", "logits_of"),
    [
        (sp.tanh(A * X) + B, lambda w, x: torch.tanh(w[:, :1] * x) + w[:, 1:]),  # row gradient
        (A * X**2 + B + 1, lambda w, x: w[:, :1] * x**2 + w[:, 1:] + 1),  # design matrix
    ],
    ids=["nonlinear", "linear"],
)
def test_row_gradient_matches_torch_binary_cross_entropy(model, logits_of):
    rng = np.random.default_rng(3)
    x = rng.normal(size=500)
    y = (rng.uniform(size=500) < 0.5).astype(float)
    loss = RowLoss(
        rhs=model,
        variables=[A, B],
        inputs=[X],
        columns=[x],
        target=y,
        loss=LOSSES["logistic"],
    )
    gradient, value = loss.numpy_functions()
    points = rng.normal(size=(3, 2))
    w = torch.tensor(points, requires_grad=True)
    logits = logits_of(w, torch.from_numpy(x))
    target = torch.from_numpy(y).expand(3, -1)
    per_run = torch.nn.functional.binary_cross_entropy_with_logits(
        logits, target, reduction="none"
    ).mean(dim=1)
    per_run.sum().backward()
    assert np.allclose(gradient(points), w.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert np.allclose(value(points), per_run.detach().numpy(), rtol=1e-12)


def write(tmp_path, body):
    path = tmp_path / "p.yaml"
    path.write_text("title: t\nvariables: [w, b]\nmodel: y = w*x + b\nloss: logistic\n" + body)
    return path


def test_labels_outside_0_1_exit_2(tmp_path):
    path = write(tmp_path, "data: {x: [1, 2], y: [0, 2]}\ntasks: [partials]\n")
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"tutor: error: {path}: data: "
        "the logistic loss needs labels y between 0 and 1 (classes 0 and 1)"
    ]


def test_normal_equation_refuses_the_logistic_loss(tmp_path):
    path = write(tmp_path, "data: {x: [1, 2], y: [0, 1]}\ntasks: [normal_equation]\n")
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert "the logistic loss has no closed form: use gradient_descent" in result.output


HOMEWORK = Path(__file__).parent / "corpus" / "homework"


def test_the_logistic_gradient_and_hessian_are_written_in_sigma():
    """Issue 19: (1/m)Σ(σ(ŷᵢ) − yᵢ)xᵢ and σ(1 − σ), not quotients of exponentials."""
    sol = tutor.solve(HOMEWORK / "logistic-hessian.yaml")
    assert sol.ok, [c for c in sol.checks if not c.ok]
    text = sol.to_text()
    assert "∂L/∂wⱼ = (1/m) Σᵢ (σ(ŷᵢ) − yᵢ)·∂ŷᵢ/∂wⱼ" in text
    assert (
        "∂L/∂w = (σ(b + w/2)/2 + σ(b + w) + 3(σ(b + 3w/2) − 1)/2 + 2σ(b + 2w)"
        " + 5(σ(b + 5w/2) − 1)/2 + 3(σ(b + 3w) − 1))/6"
    ) in text
    assert "∂²L/∂b² = σ(b + w/2)(1 − σ(b + w/2))/6 + σ(b + w)(1 − σ(b + w))/6" in text
    assert "e^(b + w)/(" not in text and "e^b·e^" not in text
    gradient, hessian = sol.sections
    assert gradient.result["exact"] == ["-7/24", "0"]  # (1/6)Σ(1/2 − yᵢ)xᵢ at w = b = 0
    # σ(0)(1 − σ(0)) = 1/4: H(0, 0) = (1/24)[[Σxᵢ², Σxᵢ], [Σxᵢ, 6]] for x = 0.5, 1, ..., 3
    assert hessian.result["value"] == [[91 / 96, 7 / 16], [7 / 16, 1 / 4]]
    checks = [c.what for c in sol.checks]
    assert checks.count("the σ forms equal the derivatives of L by the rules") == 2


def test_a_wrong_sigma_form_fails_its_check(monkeypatch):
    from tutor.tasks import through_model

    right = through_model.second
    monkeypatch.setattr(through_model, "second", lambda form, u, v: 2 * right(form, u, v))
    monkeypatch.setattr("tutor.tasks.hessian.second", through_model.second)
    sol = tutor.solve(HOMEWORK / "logistic-hessian.yaml")
    bad = [c for c in sol.checks if c.ok is False]
    assert [c.what for c in bad] == ["the σ forms equal the derivatives of L by the rules"]
