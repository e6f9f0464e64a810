"""Quick-look plots of one run of a regionsim output file, from the command line.

    PYTHONPATH=analysis /usr/bin/python3 -m regionsim.quicklook out/baseline.h5 -o out/plots

Writes five PNGs into the output directory (created if needed) and prints their paths:

    firms_by_zone.png                     firms per zone over time (all sectors)
    employment_by_zone.png                employment per zone over time (all sectors)
    wage_rent_by_zone.png                 wage and rent per zone over time (two panels)
    budget_subsidies_by_jurisdiction.png  budget and subsidies paid per jurisdiction
    firm_relocations.png                  firm relocations over the whole run, zone x zone

The plots are derived artefacts: files of these names in the output directory are overwritten
without asking. Only one run of the file is drawn (``--run``, default 0). This module is only the
entry point (the same as ``python3 -m regionsim quicklook``); the plots are drawn by
:func:`regionsim.plots.quicklook`, which Python code calls directly.
"""

import sys

from .cli import quicklook_main as main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
