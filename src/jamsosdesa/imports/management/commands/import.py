# `import` is a Python keyword, so the command's code lives in _import.py.
from ._import import Command  # noqa: F401
