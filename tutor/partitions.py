"""Data beyond memory: ``data: {parquet: DIR}`` and ``data: {csv: "part-*.csv"}``, read by
dask.dataframe one partition at a time and reduced to what a least-squares fit needs.

A linear model's loss over m rows is a quadratic form in its weights whatever m is
(:mod:`tutor.numeric.stats`), so each partition gives its XᵀX, Xᵀy, yᵀy and row count in
float64 and Dask sums them in a tree: the client holds (n + 1)² numbers, never a row. The
same pass sums the judge's statistics by another route: torch autograd of the model as the
problem wrote it (each row's ∂ŷ/∂wⱼ, not SymPy's features), for the autograd twin
(:func:`tutor.numeric.twin.gram_loss`). Only the first rows are read for the statement.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from .errors import ExpressionError, InputError
from .expr import check_name
from .numeric.stats import Moments

#: Characters that make a ``csv:`` name a pattern of several files.
GLOB = re.compile(r"[*?\[]")
#: Rows read for the statement's table.
HEAD_ROWS = 8
#: Partial sums added per node of the reduction tree.
FAN_IN = 8
#: CSV files are cut into partitions of about this many bytes.
CSV_BLOCK = "64MB"


@dataclass(frozen=True)
class Source:
    """Where partitioned data lies: ``parquet`` (a folder or file) or ``csv`` (a glob), as the
    problem file wrote it, and the paths it resolved to."""

    kind: str
    given: str
    paths: tuple[str, ...]
    columns: tuple[str, ...]
    partitions: int

    def frame(self, columns: Sequence[str] | None = None) -> Any:
        """The data as a dask DataFrame (lazy: nothing is read yet)."""
        import dask.dataframe as dd

        wanted = list(columns) if columns is not None else None
        if self.kind == "parquet":
            return dd.read_parquet(list(self.paths), columns=wanted)
        return dd.read_csv(list(self.paths), usecols=wanted, blocksize=CSV_BLOCK, dtype="float64")


def is_pattern(name: str) -> bool:
    """Whether a ``csv:`` name is a glob of several files (``part-*.csv``)."""
    return bool(GLOB.search(name))


def open_source(kind: str, raw: Any, base_dir: Path) -> tuple[Source, dict[str, np.ndarray]]:
    """Check ``{parquet: DIR}`` or ``{csv: GLOB}`` and read its first rows; the source and
    those rows (for the statement's table). Nothing beyond the first partition is read."""
    key = kind
    if not isinstance(raw, str) or not raw or "\0" in raw:
        raise InputError("expected a file name or pattern", key=key)
    base = base_dir.resolve()
    if kind == "parquet":
        path = (base_dir / raw).resolve()
        if not path.is_relative_to(base):
            raise InputError("{raw!r} is outside the problem file's folder", key=key, raw=raw)
        if not path.exists():
            raise InputError("{raw!r}: no such file or folder", key=key, raw=raw)
        found = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
        # a link inside the folder must not lead a stranger's problem to another file
        paths: tuple[str, ...] = tuple(
            str(p.resolve()) for p in found if p.resolve().is_relative_to(base)
        )
        if not paths:
            raise InputError("{raw!r} holds no .parquet file", key=key, raw=raw)
    else:
        if Path(raw).is_absolute() or ".." in Path(raw).parts:
            raise InputError("{raw!r} is outside the problem file's folder", key=key, raw=raw)
        found = sorted(p.resolve() for p in base_dir.glob(raw) if p.is_file())
        paths = tuple(str(p) for p in found if p.is_relative_to(base))
        if not paths:
            raise InputError("{raw!r} matches no file in the problem's folder", key=key, raw=raw)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dask's "insufficient elements" for a short head
            source = Source(kind, raw, paths, (), 0)
            frame = source.frame()
            columns = tuple(str(c) for c in frame.columns)
            head = frame.head(HEAD_ROWS, npartitions=1)
            partitions = int(frame.npartitions)
    except InputError:
        raise
    except Exception as exc:  # pyarrow's and pandas' errors name the file and the problem
        raise InputError("{raw!r}: {why}", key=key, raw=raw, why=_first_line(exc)) from None
    for name in columns:
        try:
            check_name(name)
        except ExpressionError as exc:
            raise InputError("{raw!r} column: {why}", key=key, raw=raw, why=exc) from None
    for name, dtype in zip(columns, frame.dtypes, strict=True):
        if dtype.kind not in "iuf":
            raise InputError(
                "{raw!r}: column {name} holds {dtype}, not numbers",
                key=key,
                raw=raw,
                name=name,
                dtype=str(dtype),
            )
    if len(head) == 0:
        raise InputError("{raw!r} has no rows", key=key, raw=raw)
    rows = {c: head[c].to_numpy(dtype=np.float64) for c in columns}
    return Source(kind, raw, paths, columns, partitions), rows


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


@dataclass(frozen=True)
class Plan:
    """What each partition computes: the engine's features (SymPy's linear design) and the
    judge's model (the problem's right-hand side, differentiated by torch autograd)."""

    features: tuple[sp.Expr, ...]
    offset: sp.Expr
    output: str
    rhs: sp.Expr
    weights: tuple[sp.Symbol, ...]
    inputs: tuple[sp.Symbol, ...]
    device: str = "cpu"

    @property
    def size(self) -> int:
        return len(self.features) + 1


def partition_sums(part: Any, plan: Plan) -> np.ndarray:
    """One partition's [rows, rows not finite, engine's BBᵀ (B = [X | y]ᵀ), judge's AᵀA
    (A = [∂ŷ/∂w | y − ŷ(0)])], flat, float64."""
    from .design import column_values

    m = len(part)
    names = sorted({s.name for s in plan.inputs} | {plan.output})
    arrays = {name: _column(part, name) for name in names}
    bad = int((~np.isfinite(np.stack(list(arrays.values())))).any(axis=0).sum()) if m else 0
    by_symbol = {sp.Symbol(n, real=True): a for n, a in arrays.items()}
    engine = np.zeros((plan.size, plan.size))
    judge = np.zeros((plan.size, plan.size))
    if m and not bad:
        rows = [column_values(f, by_symbol, m) for f in plan.features]
        rows.append(arrays[plan.output] - column_values(plan.offset, by_symbol, m))
        engine = _outer(np.stack(rows), plan.device)
        judge = _judge(arrays, plan)
    return np.concatenate([[m, bad], engine.ravel(), judge.ravel()])


def _column(part: Any, name: str) -> np.ndarray:
    """A partition's column as a float64 array of its own (Arrow's buffers are read-only,
    and torch will not share a read-only array)."""
    return np.array(part[name], dtype=np.float64)


def _outer(block: np.ndarray, device: str) -> np.ndarray:
    """B Bᵀ in float64, on ``device``."""
    if device == "cpu":
        return block @ block.T
    import torch

    b = torch.from_numpy(np.ascontiguousarray(block)).to(device)
    return (b @ b.T).cpu().numpy()


def _judge(arrays: Mapping[str, np.ndarray], plan: Plan) -> np.ndarray:
    """AᵀA with A's columns each row's ∂ŷ/∂wⱼ (torch autograd of the model as written, one
    weight per row and feature, at w = 0) and y − ŷ(0)."""
    import torch

    from .numeric.compile import compile_expr

    predict = compile_expr(plan.rhs, [*plan.weights, *plan.inputs])
    m, n = len(arrays[plan.output]), len(plan.weights)
    device = torch.device(plan.device)
    w = torch.zeros((m, n), dtype=torch.float64, device=device, requires_grad=True)
    xs = [torch.from_numpy(arrays[s.name]).to(device) for s in plan.inputs]
    prediction = predict(*w.unbind(dim=1), *xs)
    prediction = prediction.expand(m) if prediction.dim() == 0 else prediction
    (jacobian,) = torch.autograd.grad(prediction.sum(), w, allow_unused=False)
    y = torch.from_numpy(arrays[plan.output]).to(device)
    a = torch.cat([jacobian, (y - prediction.detach()).unsqueeze(1)], dim=1)
    return (a.T @ a).cpu().numpy()


def _refuse_bad(source: Source, bad: int) -> None:
    if bad:
        raise InputError(
            "{raw!r}: {bad} rows hold a value that is not a finite number (NaN or ∞)",
            key=source.kind,
            raw=source.given,
            bad=bad,
        )


def _add(*parts: np.ndarray) -> np.ndarray:
    return np.sum(parts, axis=0)


@dataclass(frozen=True)
class Reduced:
    """The engine's sums and the judge's, over every row, and how they were made."""

    engine: Moments
    judge: Moments
    partitions: int


def reduce(source: Source, plan: Plan) -> Reduced:
    """Sum every partition's :func:`partition_sums` in a tree of Dask tasks (the cluster's
    client when one is active, else threads in this process; on a worker, its own threads)."""
    needed = sorted({s.name for s in plan.inputs} | {plan.output})
    total = _compute(source, needed, _add, partition_sums, plan)
    m, bad = int(total[0]), int(total[1])
    _refuse_bad(source, bad)
    size = plan.size
    engine = total[2 : 2 + size * size].reshape(size, size)
    judge = total[2 + size * size :].reshape(size, size)
    return Reduced(_moments(engine, m), _moments(judge, m), source.partitions)


def _moments(total: np.ndarray, m: int) -> Moments:
    n = total.shape[0] - 1
    return Moments(total[:n, :n].copy(), total[:n, n].copy(), float(total[n, n]), m)


# -- models the sums cannot carry: one pass over the partitions per step --------------------


def _tree(parts: list[Any], combine: Any) -> Any:
    import dask

    while len(parts) > 1:
        parts = [
            dask.delayed(combine)(*parts[i : i + FAN_IN]) for i in range(0, len(parts), FAN_IN)
        ]
    return parts[0]


def _compute(source: Source, names: Sequence[str], combine: Any, fn: Any, *args: Any) -> np.ndarray:
    """``fn(partition, *args)`` over every partition of ``source`` (its columns ``names``),
    combined in a tree of Dask tasks (:func:`_add`: summed): one pass over the data, on the
    cluster's client when one is active, else threads in this process (on a worker, its own
    threads: a task there must not wait on the cluster it runs on)."""
    import dask

    from .cluster import on_worker

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = source.frame(sorted(names))
        parts = [dask.delayed(fn)(p, *args) for p in frame.to_delayed()]
        try:
            options = {"scheduler": "threads"} if on_worker() is not None else {}
            (total,) = dask.compute(_tree(parts, combine), **options)
        except InputError:
            raise
        except Exception as exc:
            raise InputError(
                "{raw!r}: {why}", key=source.kind, raw=source.given, why=_first_line(exc)
            ) from None
    return np.asarray(total, dtype=np.float64)


def partition_count(part: Any, names: Sequence[str], output: str) -> np.ndarray:
    """One row [rows, rows not finite, the output's smallest and largest value] for one
    partition; :func:`count` stacks them (bounds are combined, not added)."""
    arrays = np.stack([part[n].to_numpy(dtype=np.float64) for n in names]) if len(part) else None
    if arrays is None:
        return np.array([[0, 0, np.inf, -np.inf]])
    y = part[output].to_numpy(dtype=np.float64)
    bad = int((~np.isfinite(arrays)).any(axis=0).sum())
    return np.array([[len(part), bad, float(np.nanmin(y)), float(np.nanmax(y))]])


def _stack(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts)


@dataclass(frozen=True)
class Counted:
    """What one pass over the partitions says of them: rows, and the output's range."""

    rows: int
    low: float
    high: float


def count(source: Source, inputs: Sequence[str], output: str) -> Counted:
    """One pass: the rows, the output's range, and a refusal if a row is not finite."""
    names = sorted({*inputs, output})
    table = _compute(source, names, _stack, partition_count, names, output)
    rows, bad = int(table[:, 0].sum()), int(table[:, 1].sum())
    _refuse_bad(source, bad)
    return Counted(rows, float(table[:, 2].min()), float(table[:, 3].max()))


@dataclass(frozen=True)
class RowSpec:
    """A model and its loss over partitioned rows: what each step's pass computes."""

    rhs: sp.Expr
    variables: tuple[sp.Symbol, ...]
    inputs: tuple[sp.Symbol, ...]
    output: str
    loss: str
    m: int
    device: str = "cpu"

    @property
    def columns(self) -> list[str]:
        return sorted({s.name for s in self.inputs} | {self.output})


def engine_sums(part: Any, spec: RowSpec, ws: np.ndarray) -> np.ndarray:
    """One partition's Σᵢ ℓ and Σᵢ ∂ℓ/∂w for each run of ``ws`` (runs × n), unscaled:
    [losses (runs), gradients (runs × n)] flat. The partition's rows are a
    :class:`~tutor.numeric.rowloss.RowLoss`, the engine of rows in memory, whose factor
    for its own m rows is taken off again."""
    from .losses import LOSSES
    from .numeric.rowloss import RowLoss

    k, n = ws.shape
    m = len(part)
    if not m:
        return np.zeros(k * (n + 1))
    loss = LOSSES[spec.loss]
    rows = RowLoss(
        rhs=spec.rhs,
        variables=spec.variables,
        inputs=spec.inputs,
        columns=[_column(part, s.name) for s in spec.inputs],
        target=_column(part, spec.output),
        loss=loss,
    )
    gradient, value = rows.numpy_functions()
    scale = float(loss.scale(m))
    with np.errstate(all="ignore"):
        return np.concatenate([value(ws) / scale, (gradient(ws) / scale).ravel()])


def judge_sums(part: Any, spec: RowSpec, ws: np.ndarray) -> np.ndarray:
    """The judge's :func:`engine_sums`: the model compiled to torch from its definition, the
    loss in torch's own primitives (``Loss.torch_rows``), the gradient by autograd."""
    import torch
    import torch.nn.functional as F

    from .losses import LOSSES
    from .numeric.compile import compile_expr

    k, n = ws.shape
    m = len(part)
    if not m:
        return np.zeros(k * (n + 1))
    loss = LOSSES[spec.loss]
    device = torch.device(spec.device)
    w = torch.tensor(ws, dtype=torch.float64, device=device, requires_grad=True)
    xs = [torch.from_numpy(_column(part, s.name)).to(device) for s in spec.inputs]
    y = torch.from_numpy(_column(part, spec.output)).to(device)
    predict = compile_expr(spec.rhs, [*spec.variables, *spec.inputs])
    prediction = predict(*(c[:, None] for c in w.unbind(dim=1)), *xs).expand(k, m)
    value = loss.torch_rows(F, prediction, y) / float(loss.scale(m))  # this partition's Σ
    (grad,) = torch.autograd.grad(value.sum(), w)
    return torch.cat([value.detach(), grad.reshape(-1)]).cpu().numpy()


def row_pass(
    source: Source, spec: RowSpec, ws: np.ndarray, judge: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """scale·Σᵢ ℓ and its gradient over every row, for each run of ``ws``: one pass."""
    from .losses import LOSSES

    k, n = ws.shape
    fn = judge_sums if judge else engine_sums
    weights = np.ascontiguousarray(ws, dtype=np.float64)
    total = _compute(source, spec.columns, _add, fn, spec, weights)
    scale = float(LOSSES[spec.loss].scale(spec.m))
    return scale * total[:k], scale * total[k:].reshape(k, n)


@dataclass(frozen=True)
class RowPasses:
    """Gradient descent over partitioned rows: every gradient, every loss, one pass.

    A pass reads every partition again (Dask keeps none in memory: the data did not fit),
    so a step costs what reading the data costs: at 10⁸ rows, tens of seconds here."""

    source: Source
    spec: RowSpec

    def numpy_functions(
        self,
    ) -> tuple[Any, Any]:
        """The engine's gradient and loss as functions of a batch of points (runs × n)."""

        def gradient(ws: np.ndarray) -> np.ndarray:
            return row_pass(self.source, self.spec, ws)[1].astype(ws.dtype)

        def loss(ws: np.ndarray) -> np.ndarray:
            return row_pass(self.source, self.spec, ws)[0].astype(ws.dtype)

        return gradient, loss

    def twin(self) -> Any:
        """The judge's loss of a batch of weights (a torch tensor, runs × n), differentiable
        once: a pass of :func:`judge_sums` gives the values and their gradient."""
        import torch

        source, spec = self.source, self.spec

        class Passed(torch.autograd.Function):
            @staticmethod
            def forward(ctx: Any, w: Any) -> Any:
                values, grad = row_pass(source, spec, w.detach().cpu().numpy(), judge=True)
                ctx.save_for_backward(torch.from_numpy(grad).to(w.device))
                return torch.from_numpy(values).to(w.device)

            @staticmethod
            def backward(ctx: Any, upstream: Any) -> Any:
                (grad,) = ctx.saved_tensors
                return upstream[:, None] * grad

        return Passed.apply


def row_spec(model: Any, variables: Sequence[sp.Symbol]) -> RowSpec:
    """The :class:`RowSpec` of a fitted model (``tutor.problem.Model``) over its partitions."""
    from .numeric.device import DEVICE

    return RowSpec(
        model.rhs,
        tuple(variables),
        tuple(model.inputs),
        model.output,
        model.loss.key,
        model.data.m,
        DEVICE.get(),
    )
