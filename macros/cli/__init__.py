"""De opdrachtregel `kompas`: de enige laag die argumenten leest."""

from .commands import main

__all__ = ["main"]
