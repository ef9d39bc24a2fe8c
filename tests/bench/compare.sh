#!/bin/sh
# Split and packed rings side by side: instructions per single-thread round
# trip (callgrind.sh) and two-thread ns per buffer (median of RUNS runs).
#   tests/bench/compare.sh [BUILD_DIR] [RUNS]
# BUILD_DIR holds tests/bench/ringbench{,_packed,_packed_direct}.
set -eu
dir=${1:-}
runs=${2:-21}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$dir" ]; then
	for d in build; do
		[ -x "$d/tests/bench/ringbench_packed" ] && dir=$d && break
	done
fi
b=${dir:-.}/tests/bench
for p in ringbench ringbench_packed ringbench_packed_direct; do
	[ -x "$b/$p" ] || { echo "compare.sh: build $p first" >&2; exit 2; }
done

ipr() { # program, options -> instructions per round trip
	BENCH_OPTS="$2" sh "$here/callgrind.sh" "$b/$1" 200000 |
		sed -n 's/^instructions per round trip: \([0-9.]*\).*/\1/p'
}
mt() { # program, options -> median ns per buffer
	"$b/$1" $2 mt 1000000 "$runs" | sed -n 's/^mt: median \([0-9.]*\).*/\1/p'
}

printf '%-44s %10s %10s %10s\n' "" split packed "packed*"
for o in "" "-n" "-b 32"; do
	label="instructions/round trip${o:+ ($o)}"
	[ -z "$o" ] && label="instructions/round trip (EVENT_IDX)"
	printf '%-44s %10s %10s %10s\n' "$label" \
		"$(ipr ringbench "$o")" "$(ipr ringbench_packed "$o")" \
		"$(ipr ringbench_packed_direct "$o")"
done
for o in "-b 64" "-n -b 64" "-b 1"; do
	printf '%-44s %10s %10s %10s\n' "ns/buffer, 2 threads, median of $runs ($o)" \
		"$(mt ringbench "$o")" "$(mt ringbench_packed "$o")" \
		"$(mt ringbench_packed_direct "$o")"
done
echo "packed: through virtqueue_*; packed*: the packed ring's own vqp_* calls"
