"""SymPy → torch (issue 6): graphs kept alive, batches, dtype and device honoured."""

import pytest
import sympy as sp
import torch

from tutor.numeric.compile import compile_expr, compile_exprs

A, B = sp.symbols("a b", real=True)


def test_vector_output_keeps_the_autograd_graph_over_a_batch():
    f = compile_exprs([20 * A + 8 * B - 28, 8 * A + 4 * B - 12], [A, B])
    a = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    first, second = f(a, b)
    assert first.tolist() == [-28.0, 0.0] and second.tolist() == [-12.0, 0.0]
    (first.sum() + second.sum()).backward()
    assert a.grad.tolist() == [28.0, 28.0] and b.grad.tolist() == [12.0, 12.0]


def test_max_min_heaviside_piecewise():
    f = compile_exprs(
        [sp.Max(A, B), sp.Min(A, B), sp.Heaviside(A), sp.Piecewise((A, A > 0), (-A, True))],
        [A, B],
    )
    a, b = torch.tensor([-1.0, 2.0, 0.0]), torch.tensor([1.0, 1.0, 0.0])
    assert [t.tolist() for t in f(a, b)] == [
        [1.0, 2.0, 0.0],
        [-1.0, 1.0, 0.0],
        [0.0, 1.0, 0.5],
        [1.0, 2.0, 0.0],
    ]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtype_and_device_follow_the_inputs(dtype):
    # The meta device stands in for CUDA: a constant built on the CPU would show up here.
    f = compile_exprs(
        [sp.Max(A, B) + sp.atan2(A, B) + sp.Heaviside(A), sp.Integer(3), sp.pi * A], [A, B]
    )
    x = torch.zeros(4, device="meta", dtype=dtype)
    outs = f(x, x)
    assert {(t.device.type, t.dtype, tuple(t.shape)) for t in outs} == {("meta", dtype, (4,))}


def test_constant_expression_broadcasts_to_the_batch():
    f = compile_expr(sp.Integer(7), [A])
    assert f(torch.zeros(3)).tolist() == [7.0, 7.0, 7.0]
