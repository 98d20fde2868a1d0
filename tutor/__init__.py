"""tutor: a symbolic-to-numeric math tutor. SymPy derives step by step, torch computes,
autograd checks.

>>> import tutor
>>> tutor.derive("x**3", wrt="x").sections[0].result
{'x': '3*x**2'}
"""

from . import formats as formats
from .api import backprop as backprop
from .api import compile as compile
from .api import descend as descend
from .api import grade as grade
from .api import gradient as gradient
from .api import hessian as hessian
from .document import Solution as Solution
from .errors import ExpressionError as ExpressionError
from .errors import InputError as InputError
from .errors import TutorError as TutorError
from .expr import parse as parse
from .loading import load as load
from .problem import Problem as Problem
from .solve import derive as derive
from .solve import solve as solve

__all__ = [
    "ExpressionError",
    "backprop",
    "compile",
    "descend",
    "grade",
    "gradient",
    "hessian",
    "InputError",
    "Problem",
    "Solution",
    "TutorError",
    "derive",
    "load",
    "parse",
    "solve",
]
__version__ = "0.1.0"
