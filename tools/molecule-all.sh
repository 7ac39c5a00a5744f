#!/usr/bin/env bash
# Runs every Molecule scenario, MOLECULE_JOBS at a time (they mostly wait on the emulator and
# on module sleeps, so 2 cores serve 3 well). Each scenario's output goes to
# .cache/molecule/<scenario>.log and is printed when it fails; durations go to the stage table.
#   tools/molecule-all.sh [SCENARIO...]
set -uo pipefail
jobs=${MOLECULE_JOBS:-3}
mkdir -p .cache/molecule
scenarios=("$@")
if [ "${#scenarios[@]}" -eq 0 ]; then
  # The slowest scenarios first, so that the last ones running are short ones.
  slow=(aws_ecs_service app_container aws_fleet aws_load_balancer aws_cdn)
  mapfile -t found < <(find molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | xargs -n1 basename | sort)
  for scenario in "${slow[@]}"; do
    [[ " ${found[*]} " == *" $scenario "* ]] && scenarios+=("$scenario")
  done
  for scenario in "${found[@]}"; do
    [[ " ${slow[*]} " == *" $scenario "* ]] || scenarios+=("$scenario")
  done
fi
run_one() {
  local scenario=$1 log=.cache/molecule/$1.log
  if tools/stage.sh "molecule:$scenario" .venv/bin/molecule test -s "$scenario" > "$log" 2>&1; then
    tail -n 1 "$log"
  else
    echo "== molecule:$scenario FAILED, its log:"
    tail -n 150 "$log"
    return 1
  fi
}
export -f run_one
printf '%s\n' "${scenarios[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'
