"""Where torch computes: ``--device cpu`` (the default) or ``--device cuda``.

The numeric code is written once for any device: tensors are made on :data:`DEVICE` and
results come back to the CPU as NumPy arrays or floats. The check that a GPU is really
there happens once, when the device is asked for, with one clear line when it is not.
"""

from __future__ import annotations

from contextvars import ContextVar

from ..errors import InputError

#: The torch device of the work in progress ("cpu" or "cuda").
DEVICE: ContextVar[str] = ContextVar("DEVICE", default="cpu")
DEVICES = ("cpu", "cuda")


def checked(name: str) -> str:
    """``name`` if torch can compute there, else an :class:`InputError` saying why.

    >>> checked("cpu")
    'cpu'
    >>> checked("tpu")
    Traceback (most recent call last):
    ...
    tutor.errors.InputError: --device: 'tpu' is not a device tutor knows: give cpu or cuda
    """
    if name not in DEVICES:
        raise InputError(
            "{name!r} is not a device tutor knows: give cpu or cuda", key="--device", name=name
        )
    if name == "cuda":
        import torch

        if torch.version.cuda is None:
            raise InputError(
                "no CUDA here: torch {version} is a CPU-only build; leave --device out to "
                "compute on the CPU",
                key="--device",
                version=torch.__version__,
            )
        if not torch.cuda.is_available():
            raise InputError(
                "no CUDA device here (torch {version} sees none); leave --device out to compute "
                "on the CPU",
                key="--device",
                version=torch.__version__,
            )
    return name
