#!/bin/sh
# Instructions per single-thread round trip (driver add + kick check,
# device take + return, driver get), counted by callgrind: a run of N round
# trips minus a run of 0, divided by N.
#   tests/bench/callgrind.sh [path/to/ringbench] [N]
# Extra ringbench options (e.g. -n for no EVENT_IDX) via BENCH_OPTS.
set -eu
bin=${1:-}
n=${2:-1000000}
if [ -z "$bin" ]; then
	for b in build/tests/bench/ringbench; do
		[ -x "$b" ] && bin=$b && break
	done
fi
[ -x "${bin:-}" ] || { echo "callgrind.sh: build the ringbench target first" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind missing" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { # runs ringbench with N round trips, prints total instructions
	valgrind --tool=callgrind --callgrind-out-file="$tmp/out.$1" \
		"$bin" ${BENCH_OPTS:-} rt "$1" >/dev/null 2>"$tmp/log.$1"
	sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$tmp/out.$1"
}
base=$(count 0)
full=$(count "$n")
awk -v f="$full" -v b="$base" -v n="$n" -v o="${BENCH_OPTS:-}" 'BEGIN {
	printf "instructions per round trip: %.1f (%d round trips%s%s)\n",
	       (f - b) / n, n, o == "" ? ", event idx" : ", options ", o
}'
