"""Read regionsim output files (netCDF-4 / HDF5) in Python.

The file layout is described in docs/output.md. Use Debian's interpreter, which has xarray,
h5netcdf and h5py (scripts/bootstrap.sh installs them)::

    PYTHONPATH=analysis /usr/bin/python3
    >>> import regionsim
    >>> ds = regionsim.open("out/baseline.h5")
    >>> ds.firms.isel(run=0).sum("sector").to_pandas()   # time x zone

This is the minimal package; ``python -m regionsim.quicklook FILE -o DIR`` draws overview plots.
"""

from __future__ import annotations

import os

__all__ = ["open", "__version__"]
__version__ = "0.1.0"


def open(path: str | os.PathLike[str], **kwargs):  # noqa: A001 - mirrors xarray.open_dataset
    """Open a regionsim output file as a lazily loaded :class:`xarray.Dataset`.

    Equivalent to ``xarray.open_dataset(path, engine="h5netcdf")``; extra keyword arguments are
    passed on. Close it (or use it in a ``with`` block) when done.
    """
    import xarray as xr

    return xr.open_dataset(path, engine="h5netcdf", **kwargs)
