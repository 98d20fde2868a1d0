"""The pictures the lessons draw, with matplotlib's object API (no pyplot state, no display).

Each ``draw_*`` function fills a fresh :class:`matplotlib.figure.Figure` from plain NumPy
data and a vectorised NumPy function ``f(*coordinates)``; choosing what to draw for a
solution is :mod:`tutor.figures`' work.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

from . import phrasing

Func = Callable[..., np.ndarray]
GRID = 80


#: Sans-serif families for labels: matplotlib's own DejaVu Sans, then the first CJK family
#: the system has (Debian's fonts-noto-cjk); matplotlib falls back glyph by glyph along the
#: list, so a Chinese label is drawn, not boxes.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")


@functools.cache
def font_families() -> tuple[str, ...]:
    """DejaVu Sans and the first CJK family found."""
    from matplotlib import font_manager

    present = {f.name for f in font_manager.fontManager.ttflist}
    return ("DejaVu Sans", *[name for name in CJK_FAMILIES if name in present][:1])


def use_fonts(fig: Figure) -> Figure:
    """Every label of ``fig`` in :func:`font_families` (a Chinese label needs the CJK one)."""
    for text in fig.findobj(Text):
        text.set_fontfamily(list(font_families()))
    return fig


def new_figure(width: float = 5.5, height: float = 4.0) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _grid(f: Func, box: Sequence[tuple[float, float]]) -> tuple[np.ndarray, ...]:
    (x0, x1), (y0, y1) = box
    x, y = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    with np.errstate(all="ignore"):
        z = np.broadcast_to(np.asarray(f(x, y), dtype=float), x.shape).copy()
    z[~np.isfinite(z)] = np.nan
    return x, y, z


def _curve(f: Func, span: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(span[0], span[1], 400)
    with np.errstate(all="ignore"):
        y = np.broadcast_to(np.asarray(f(x), dtype=float), x.shape).copy()
    y[~np.isfinite(y)] = np.nan
    return x, y


def draw_surface(f: Func, box: Sequence[tuple[float, float]], names: Sequence[str]) -> Figure:
    """One variable: the curve. Two: the surface with its contour map projected beneath."""
    fig = new_figure()
    if len(box) == 1:
        ax = fig.add_subplot()
        ax.plot(*_curve(f, box[0]), color="C0")
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[-1])
        ax.grid(alpha=0.3)
        return fig
    x, y, z = _grid(f, box)
    ax3 = fig.add_subplot(projection="3d")
    low = float(np.nanmin(z))
    floor = low - 0.3 * (float(np.nanmax(z)) - low or 1.0)
    ax3.plot_surface(x, y, z, cmap="viridis", alpha=0.85, linewidth=0, antialiased=True)
    ax3.contour(x, y, z, levels=15, zdir="z", offset=floor, cmap="viridis")
    ax3.set_zlim(floor, float(np.nanmax(z)))
    ax3.set_xlabel(names[0])
    ax3.set_ylabel(names[1])
    ax3.set_zlabel(names[2])
    return fig


def draw_path(
    f: Func,
    box: Sequence[tuple[float, float]],
    paths: Sequence[tuple[str, np.ndarray]],
    minimum: np.ndarray | None,
    names: Sequence[str],
) -> Figure:
    """Descent paths over the contour map (two variables) or the curve (one)."""
    fig = new_figure()
    ax = fig.add_subplot()
    if len(box) == 1:
        ax.plot(*_curve(f, box[0]), color="0.5")
        for label, path in paths:
            xs = path[:, 0]
            with np.errstate(all="ignore"):
                ys = np.broadcast_to(np.asarray(f(xs), dtype=float), xs.shape)
            ax.plot(xs, ys, "o-", markersize=3, label=label)
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[-1])
    else:
        x, y, z = _grid(f, box)
        contours = ax.contour(x, y, z, levels=20, cmap="viridis")
        ax.clabel(contours, fontsize=6)
        for label, path in paths:
            ax.plot(path[:, 0], path[:, 1], "o-", markersize=2.5, linewidth=1, label=label)
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
    if minimum is not None:
        point = (minimum[0], f(*minimum)) if len(box) == 1 else tuple(minimum)
        ax.plot(*point, "r*", markersize=12, label=phrasing.text("plot.minimum"))
    ax.set_xlim(*box[0])  # a diverging path leaves the picture instead of stretching it
    if len(box) == 2:
        ax.set_ylim(*box[1])
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return fig


def draw_losses(runs: Sequence[tuple[str, np.ndarray, np.ndarray]], name: str) -> Figure:
    """Loss per iteration, one line per run; log scale when the losses span decades."""
    fig = new_figure(5.5, 3.5)
    ax = fig.add_subplot()
    finite = [v[np.isfinite(v)] for _, _, v in runs]
    values = np.concatenate(finite) if finite else np.array([])
    positive = values[values > 0]
    if positive.size and values.min() > 0 and positive.max() / positive.min() > 100:
        ax.set_yscale("log")
    for label, steps, losses in runs:
        ax.plot(steps, losses, label=label)
    ax.set_xlabel(phrasing.text("plot.iteration"))
    ax.set_ylabel(name)
    if len(runs) > 1:
        ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return fig


def draw_tangent(
    f: Func, span: tuple[float, float], at: float, slope: float, names: Sequence[str]
) -> Figure:
    """f with its tangent line at one point."""
    fig = new_figure(5.5, 3.8)
    ax = fig.add_subplot()
    x, y = _curve(f, span)
    value = float(f(np.asarray(at)))
    ax.plot(x, y, label=names[-1])
    ax.plot(x, value + slope * (x - at), "--", label=phrasing.text("plot.tangent"))
    ax.plot([at], [value], "ko")
    finite = y[np.isfinite(y)]
    if finite.size:
        pad = 0.1 * (finite.max() - finite.min() or 1.0)
        ax.set_ylim(finite.min() - pad, finite.max() + pad)
    ax.set_xlabel(names[0])
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return fig


def draw_gradient_field(
    f: Func,
    gradient: Func,
    box: Sequence[tuple[float, float]],
    at: np.ndarray,
    names: Sequence[str],
) -> Figure:
    """Level curves with gradient arrows, each normal to the curve through its foot."""
    fig = new_figure()
    ax = fig.add_subplot()
    x, y, z = _grid(f, box)
    ax.contour(x, y, z, levels=15, cmap="viridis")
    (x0, x1), (y0, y1) = box
    gx, gy = np.meshgrid(np.linspace(x0, x1, 9), np.linspace(y0, y1, 9))
    with np.errstate(all="ignore"):
        u, v = (np.broadcast_to(np.asarray(c, dtype=float), gx.shape) for c in gradient(gx, gy))
    ax.quiver(gx, gy, u, v, color="0.4", angles="xy")
    with np.errstate(all="ignore"):
        pu, pv = (float(c) for c in gradient(*at))
    if np.isfinite([pu, pv]).all():  # not at a point where f is not differentiable
        ax.quiver(
            [at[0]],
            [at[1]],
            [pu],
            [pv],
            color="red",
            angles="xy",
            label=phrasing.text("plot.gradient"),
        )
    ax.plot([at[0]], [at[1]], "ro")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_aspect("equal", adjustable="datalim")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)
    return fig


def draw_fit(
    x: np.ndarray, y: np.ndarray, model: Func, labels: Sequence[str], fitted: str
) -> Figure:
    """The data points and the fitted model through them."""
    fig = new_figure(5.5, 3.8)
    ax = fig.add_subplot()
    ax.scatter(x, y, s=12, color="C0", label=phrasing.text("plot.data"), zorder=3)
    xs = np.linspace(float(x.min()), float(x.max()), 300)
    with np.errstate(all="ignore"):
        ys = np.broadcast_to(np.asarray(model(xs), dtype=float), xs.shape)
    ax.plot(xs, ys, color="C1", label=fitted)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return fig
