"""Read, compare and plot regionsim output files (netCDF-4 / HDF5) in Python.

The file layout is described in docs/output.md, the analysis walk-through in docs/analysis.md.
Use Debian's interpreter, which has xarray, h5netcdf, scipy and matplotlib::

    PYTHONPATH=analysis /usr/bin/python3
    >>> import regionsim
    >>> ds = regionsim.open("out/default.h5")       # runs = scenarios x sweeps x replicates
    >>> ds.regionsim.arms                                # the arms and their replicates
    >>> c = regionsim.compare(ds, regionsim.metrics.theil("output"), months="year5")
    >>> c.paired                                         # paired differences to the baseline

Plots (one call, one PNG, returns its path): ``plot_timeseries``, ``plot_zones``, ``plot_flows``,
``plot_sweep``, and ``quicklook(path, outdir)`` for the five plots of one run;
``write_report(path, out)`` writes the HTML report. Command line:
``python3 -m regionsim report FILE.h5 -o report.html``, ``python3 -m regionsim compare FILE VAR``
and ``python3 -m regionsim.quicklook FILE.h5 -o DIR``.

``__version__`` is the project's one version, ``project(regionsim VERSION …)`` in CMakeLists.txt,
the same the engine reports (``regionsim --version``, the files' ``engine_version``).
"""

from __future__ import annotations

from . import metrics, sensitivity
from .accessor import RegionsimAccessor  # registers ds.regionsim
from .compare import Comparison, compare, ensemble, levels, time_windows
from .dataset import (RegionsimWarning, design, normalize, open, sweep_keys, time_series_vars,
                      with_design)
from .metrics import theil, total, zero_sum_relocations
from .tidy import to_frame
from .version import __version__

__all__ = ["open", "normalize", "with_design", "design", "sweep_keys", "time_series_vars",
           "RegionsimWarning", "compare", "ensemble", "levels", "Comparison", "time_windows",
           "to_frame", "metrics", "theil", "total", "zero_sum_relocations", "plot_timeseries",
           "plot_zones", "plot_flows", "plot_sweep", "plot_paired", "quicklook", "write_report",
           "write_explorer", "sensitivity", "RegionsimAccessor", "__version__"]

_LAZY = {"plot_timeseries": "plots", "plot_zones": "plots", "plot_flows": "plots",
         "plot_sweep": "plots", "plot_paired": "plots", "quicklook": "plots",
         "write_report": "report", "write_explorer": "explore"}


def __getattr__(name):
    # matplotlib is imported only when a plot is asked for.
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'regionsim' has no attribute {name!r}")
