#!/usr/bin/env bash
# Runs one stage of `make test` (or `make up`) and records how long it took.
#   tools/stage.sh NAME COMMAND...
# Prints the duration after the stage and appends "NAME SECONDS STATUS" to .cache/stages.txt;
# tools/stage.sh --summary prints that table and clears it.
set -uo pipefail
log=.cache/stages.txt
mkdir -p .cache
if [ "${1:-}" = "--summary" ]; then
  [ -f "$log" ] || exit 0
  total=0
  echo "== stage durations"
  while read -r name seconds status; do
    printf '   %-22s %7.1f s  %s\n' "$name" "$seconds" "$status"
    # name:part rows (the Molecule scenarios) are inside their stage's time already.
    [[ "$name" == *:* ]] || total=$(awk -v a="$total" -v b="$seconds" 'BEGIN { print a + b }')
  done < "$log"
  printf '   %-22s %7.1f s\n' total "$total"
  rm -f "$log"
  exit 0
fi
name=$1
shift
echo "== stage $name: $*"
start=$(date +%s.%N)
"$@"
rc=$?
seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
status=$([ "$rc" -eq 0 ] && echo ok || echo "FAILED ($rc)")
echo "== stage $name: $status in $seconds s"
echo "$name $seconds $status" >> "$log"
exit "$rc"
