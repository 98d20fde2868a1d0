"""``python -m tutor`` is the ``tutor`` command."""

from .cli import main

main()
