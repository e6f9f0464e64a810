#!/bin/bash
# How robust are the headline conclusions (issue 9, item 5): a Morris design over the judgement
# parameters the promotion decisions and the firms' responses rest on, applied to the paired
# effects of joint promotion, separation and integrated assessment on subsidies within the region
# and on output. Writes out/sensitivity/{morris.toml, morris.h5, robustness.json, robustness.md}
# and prints the table (docs/calibration.md, "How robust is this conclusion").
#
#   bash scripts/headline_sensitivity.sh            # 6 trajectories, 2 replicates, scale 0.1
#   TRAJECTORIES=4 REPLICATES=1 SCALE=0.05 bash scripts/headline_sensitivity.sh   # quicker
#
# Needs build/release/regionsim (bash scripts/run-default.sh builds it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${OUT:-out/sensitivity}
bin=${REGIONSIM:-build/release/regionsim}
[ -x "$bin" ] || { echo "headline_sensitivity.sh: no $bin; build it first (bash scripts/run-default.sh)" >&2; exit 2; }
mkdir -p "$out"
export PYTHONPATH="$root/analysis${PYTHONPATH:+:$PYTHONPATH}"
TRAJECTORIES=${TRAJECTORIES:-6} REPLICATES=${REPLICATES:-2} SCALE=${SCALE:-0.1} OUT="$out" \
/usr/bin/python3 - <<'PY'
import os
from regionsim import sensitivity as sa

# The judgement parameters the three levers act through, at default -/+ 50 % (registry ranges),
# and the contested tournament weight over [0, 0.5].
keys = ["government.zones_known", "government.budget_weight", "government.horizon_months",
        "firms.nest_lambda", "firms.reloc_beta_subsidy", "firms.reloc_move_cost",
        "talent.beta_wage"]
space = sa.Space([sa.Parameter("government.tournament", 0.0, 0.5)]
                 + list(sa.judgement_parameters(keys=keys).parameters))
design = sa.morris_design(space, trajectories=int(os.environ["TRAJECTORIES"]), seed=11)
out = os.environ["OUT"]
sa.write_experiment(design, f"{out}/morris.toml",
                    {"baseline": "scenarios/baseline.toml",
                     "joint-promotion": "scenarios/joint-promotion.toml",
                     "separation": "scenarios/separation.toml",
                     "integrated-assessment": "scenarios/integrated-assessment.toml"},
                    replicates=int(os.environ["REPLICATES"]), seed=1,
                    overrides=[f"run.scale={os.environ['SCALE']}"])
print(f"{len(design)} points x 4 arms x {os.environ['REPLICATES']} replicates")
PY
start=$(date +%s)
"$bin" run --experiment "$out/morris.toml" -o "$out/morris.h5" --overwrite >/dev/null
echo "simulated in $(( $(date +%s) - start )) s"
/usr/bin/python3 -m regionsim robustness "$out/morris.h5" --design "$out/morris-design.json" \
  -o "$out/robustness.json" | tee "$out/robustness.md"
