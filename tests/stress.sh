#!/usr/bin/env bash
# Green under load: the README's test command, RUNS times in a row (default 3), while a CPU hog
# keeps every core busy. Prints each run's time and result; exits non-zero if any run failed.
#
#   tests/stress.sh                 # three full runs
#   tests/stress.sh 1 -- tests/ui   # one run of a part: what follows -- goes to pytest
#
# The hog is `stress-ng --cpu N` if it is installed, else N Python busy loops (N = cores, or $HOGS);
# it is started here and always stopped when this script ends, however it ends.
set -uo pipefail
cd "$(dirname "$0")/.."

runs=3
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
    runs=$1
    shift
fi
[ "${1:-}" = "--" ] && shift
hogs=${HOGS:-$(nproc)}

hog_pids=()
stop_hogs() {
    for pid in "${hog_pids[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    hog_pids=()
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM

if command -v stress-ng >/dev/null 2>&1; then
    stress-ng --cpu "$hogs" --quiet &
    hog_pids+=($!)
    echo "stress: stress-ng --cpu $hogs (pid ${hog_pids[*]})"
else
    for _ in $(seq "$hogs"); do
        python3 -c 'while True: pass' &
        hog_pids+=($!)
    done
    echo "stress: $hogs Python busy loops (pids ${hog_pids[*]})"
fi

log=$(mktemp -d /tmp/linclass-stress.XXXXXX)
failed=0
for i in $(seq "$runs"); do
    start=$(date +%s)
    # The README's test command, exactly, with this script's pytest arguments after it.
    { python -m pip install -r requirements-dev.txt && python -m pytest -n auto "$@"; } >"$log/run$i.log" 2>&1
    status=$?
    [ "$status" -eq 5 ] && status=1 # pytest ran no test: not a pass
    took=$(($(date +%s) - start))
    result=$(grep -E '^=+ .*(passed|failed|error|no tests ran).* =+$' "$log/run$i.log" | tail -1 | tr -d '=' | sed 's/^ *//; s/ *$//')
    if [ "$status" -eq 0 ]; then word=green; else word=FAILED failed=1; fi
    printf 'stress: run %d of %d: %s in %d s (%s), log %s\n' "$i" "$runs" "$word" "$took" "$result" "$log/run$i.log"
done
exit "$failed"
