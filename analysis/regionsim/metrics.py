"""Derived metrics: callables ``metric(ds) -> DataArray (run, time)`` that ``compare`` and the
plots accept in place of a variable name.

    total("output")                       output summed over zone and sector
    theil("output", over="zone")          Theil index of output across zones, weighted by talent
    zero_sum_relocations()                firm moves between zones of the region, per month
    indicator(ds, "theil_output")         an engine indicator: the file's, else computed
    headline(ds)                          the report's headline metrics present in a file

Each metric is a :class:`Metric`: it carries a name, a long name and units, and lists the
variables it needs, so a caller can skip it on files that lack them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import xarray as xr

__all__ = ["Metric", "total", "theil", "theil_index", "zero_sum_relocations", "variable",
           "indicator", "FALLBACKS", "headline", "HEADLINE"]


@dataclass(frozen=True)
class Metric:
    """A named function of a dataset returning a DataArray with dims (run, time, …)."""

    name: str
    fn: Callable[[xr.Dataset], xr.DataArray] = field(repr=False)
    long_name: str = ""
    units: str = ""
    needs: tuple[str, ...] = ()
    units_label: str = ""   # readable units ("million CNY per month"), when the file has them

    def __call__(self, ds: xr.Dataset) -> xr.DataArray:
        out = self.fn(ds)
        out.name = self.name
        attrs = dict(out.attrs)
        if self.units:
            attrs["units"] = self.units
            attrs.pop("units_label", None)
        if self.units_label:
            attrs["units_label"] = self.units_label
        if self.long_name:
            attrs["long_name"] = self.long_name
        out.attrs = attrs
        return out

    def available(self, ds: xr.Dataset) -> bool:
        return all(v in ds.variables for v in self.needs)


def _extra_dims(da: xr.DataArray) -> list[str]:
    return [d for d in da.dims if d not in ("run", "time")]


def variable(var: str, how: str = "sum", name: str | None = None,
             long_name: str | None = None) -> Metric:
    """``var`` reduced over every dimension but run and time (``how`` = "sum" or "mean")."""
    if how not in ("sum", "mean"):
        raise ValueError(f"how must be 'sum' or 'mean', not {how!r}")

    def fn(ds):
        da = ds[var]
        extra = _extra_dims(da)
        return getattr(da, how)(extra, keep_attrs=True) if extra else da

    return Metric(name or f"{how}_{var}", fn,
                  long_name=long_name or f"{var}, {how} over every dimension but run and time",
                  needs=(var,))


def total(var: str, name: str | None = None, long_name: str | None = None) -> Metric:
    """``var`` summed over every dimension but run and time (keeps the variable's units)."""
    return variable(var, "sum", name=name or f"total_{var}",
                    long_name=long_name or f"{var}, summed over the region")


def theil_index(values: xr.DataArray, weights: xr.DataArray | None, dim: str) -> xr.DataArray:
    """Theil T index of ``values`` across ``dim``.

    With weights (e.g. population): T = Σ_i s_i ln(s_i / w_i), s_i = y_i / Σy, w_i = n_i / Σn,
    the Theil index of per-capita values y_i/n_i (0 when every unit has the same value per
    head; larger = more unequal). Without weights every unit counts the same:
    T = (1/N) Σ_i (y_i/ȳ) ln(y_i/ȳ). Units with y_i = 0 or n_i = 0 contribute 0. With
    weights = talent living in the zone (employed + seeking) this is the engine's
    ``theil_output``.
    """
    y = values.astype(float)
    share = y / y.sum(dim)
    if weights is None:
        pop = xr.ones_like(y) / y.sizes[dim]
    else:
        w = weights.astype(float)
        pop = w / w.sum(dim)
    with np.errstate(divide="ignore", invalid="ignore"):
        # As the engine's theil_output: units without output or without people contribute 0,
        # and a region without either has index 0.
        term = xr.where((share > 0) & (pop > 0), share * np.log(share / pop), 0.0)
    return term.sum(dim)


def theil(var: str = "output", over: str = "zone", weight: str | None = "talent",
          name: str | None = None) -> Metric:
    """Theil index of ``var`` across ``over`` (other dims summed), per run and month.

    ``weight="talent"`` weights each zone by its talent (employed + seeking, all skills), i.e.
    the inequality of ``var`` per head across zones; another variable name weights by that
    variable (summed over its other dims); ``None`` counts each zone the same.
    """
    needs = (var,) + (() if weight is None else
                      ("talent_employed", "talent_seeking") if weight == "talent" else (weight,))

    def per_over(da):
        extra = [d for d in _extra_dims(da) if d != over]
        return da.sum(extra) if extra else da

    def fn(ds):
        values = per_over(ds[var])
        if weight is None:
            w = None
        elif weight == "talent":
            w = per_over(ds["talent_employed"] + ds["talent_seeking"])
        else:
            w = per_over(ds[weight])
        return theil_index(values, w, over)

    label = f"Theil index of {var} across {over}s" + ("" if weight is None else
                                                      f", weighted by {weight}")
    return Metric(name or f"theil_{var}", fn, long_name=label, units="1", needs=needs)


def zero_sum_relocations(var: str = "firm_relocations", name: str | None = None) -> Metric:
    """Moves between different zones of the region per month (the off-diagonal sum)."""

    def fn(ds):
        da = ds[var]
        src, dst = da["zone_from"].values, da["zone_to"].values
        off = xr.DataArray(np.asarray([[a != b for b in dst] for a in src]),
                           dims=("zone_from", "zone_to"))
        return da.where(off, 0).sum(("zone_from", "zone_to"))

    default = "zero_sum_relocations" if var == "firm_relocations" else f"zero_sum_{var}"
    return Metric(name or default, fn,
                  long_name=f"{var.replace('_', ' ')} between zones of the region (zero-sum moves)",
                  units="1 month-1", needs=(var,))


#: The engine's indicators that this package can also compute, for files written before the
#: engine recorded them. The engine is their source: :func:`indicator` reads the file's variable
#: whenever it is there, and the tests check on a real engine file that these agree with it.
FALLBACKS: dict[str, Metric] = {
    "theil_output": theil("output"),
    "zero_sum_relocations": zero_sum_relocations(),
}


def indicator(ds: xr.Dataset, name: str) -> Metric | None:
    """The engine's indicator ``name`` for this dataset: the file's variable when present (its
    long name and units too), else the package's computation from :data:`FALLBACKS` when the
    file has what it needs, else None."""
    if name in ds.variables:
        var = ds[name]
        return Metric(name, lambda d: d[name], long_name=str(var.attrs.get("long_name", "")),
                      units=str(var.attrs.get("units", "")), needs=(name,),
                      units_label=str(var.attrs.get("units_label", "")))
    fallback = FALLBACKS.get(name)
    return fallback if fallback is not None and fallback.available(ds) else None


def _total(ds, var, name, long_name):
    if var not in ds.variables:
        return None
    return Metric(name, total(var).fn, long_name=long_name,
                  units=str(ds[var].attrs.get("units", "")), needs=(var,),
                  units_label=str(ds[var].attrs.get("units_label", "")))


#: Headline metrics of the report, in order: (name, how to build it from a dataset).
HEADLINE = (
    ("total_output", lambda ds: _total(ds, "output", "total_output",
                                       "total output (value added), region")),
    ("total_employment", lambda ds: _total(ds, "employment", "total_employment",
                                           "employment, region")),
    ("total_firms", lambda ds: _total(ds, "firms", "total_firms", "firms, region")),
    ("total_tax_collected", lambda ds: _total(ds, "tax_collected", "total_tax_collected",
                                              "tax collected, region")),
    ("total_subsidies_paid", lambda ds: _total(ds, "subsidies_paid", "total_subsidies_paid",
                                               "subsidies paid, all jurisdictions")),
    ("theil_output", lambda ds: indicator(ds, "theil_output")),
    ("zero_sum_relocations", lambda ds: indicator(ds, "zero_sum_relocations")),
)


def headline(ds: xr.Dataset) -> list[Metric]:
    """The headline metrics this dataset can provide (missing variables are skipped).

    Total output, employment, firms, tax collected and subsidies paid (summed over the region);
    the Theil index of output across zones (the file's ``theil_output`` when it has one, else
    computed from output and talent by zone); firm relocations between zones per month (the
    file's ``zero_sum_relocations`` when present, else the off-diagonal of
    ``firm_relocations``).
    """
    out = []
    for _, build in HEADLINE:
        metric = build(ds)
        if metric is not None and metric.available(ds):
            out.append(metric)
    return out
