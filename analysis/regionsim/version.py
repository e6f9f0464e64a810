"""The version of regionsim: one number for the engine and this package, set in CMake.

``project(regionsim VERSION x.y.z)`` in the repository's CMakeLists.txt is the only place it is
written. The engine gets it from CMake (``regionsim --version``, the root attribute
``engine_version`` of every output file); this package reads the same line at import when it runs
from the source tree (``PYTHONPATH=analysis``), and falls back to the installed distribution's
metadata (``pip install ./analysis`` builds that metadata from this module, see pyproject.toml).

Standard library only: setuptools executes this file on its own to learn the version.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["__version__", "cmake_version"]

#: CMakeLists.txt of the source tree this file sits in (analysis/regionsim/version.py).
CMAKE_LISTS = Path(__file__).resolve().parents[2] / "CMakeLists.txt"
_PROJECT = re.compile(r"^\s*project\s*\(\s*regionsim\s+VERSION\s+([0-9][0-9A-Za-z.+-]*)",
                      re.MULTILINE | re.IGNORECASE)


def cmake_version(path: Path = CMAKE_LISTS) -> str | None:
    """The ``VERSION`` of ``project(regionsim …)`` in ``path``; None without such a line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    found = _PROJECT.search(text)
    return found.group(1) if found else None


def _installed_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regionsim")
    except PackageNotFoundError:
        return None


__version__ = cmake_version() or _installed_version() or "0+unknown"
