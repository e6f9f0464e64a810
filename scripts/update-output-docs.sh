#!/usr/bin/env bash
# Regenerates the variable tables of docs/output.md from the output registry
# (engine/src/output_registry.cpp): what lies between the "generated variable tables" markers
# becomes the output of `regionsim outputs --markdown`. Run it after changing the registry;
# tests/output_registry_test.cpp fails until the tables match.
#
#   bash scripts/update-output-docs.sh [path/to/regionsim]    (default: build/release/regionsim)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${1:-build/release/regionsim}
doc=docs/output.md
begin='<!-- begin generated variable tables'
end='<!-- end generated variable tables -->'

tables=$(mktemp)
trap 'rm -f "$tables" "$doc.new"' EXIT
"$bin" outputs --markdown > "$tables"
grep -q "^$begin" "$doc" && grep -q "^$end" "$doc" || {
  echo "update-output-docs.sh: $doc lacks the generated-table markers" >&2
  exit 1
}
awk -v tables="$tables" -v begin="$begin" -v end="$end" '
  index($0, begin) == 1 {
    print; print ""
    while ((getline line < tables) > 0) print line
    print ""; skip = 1; next
  }
  index($0, end) == 1 { skip = 0 }
  !skip { print }
' "$doc" > "$doc.new"
mv "$doc.new" "$doc"
echo "updated $doc from $bin outputs --markdown"
