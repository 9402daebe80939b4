"""The test suite."""

import os
import sys

# Before any test module or conftest imports our code: the suite starts dozens of Python processes (xdist workers,
# `python app.py`, `raci`), and where the environment says PYTHONDONTWRITEBYTECODE each would compile every module
# from source again (~2 s per worker just to collect). Keep the compiled files (in __pycache__, which git ignores)
# for this process, the workers and every child.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
