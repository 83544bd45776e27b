#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Build a User-Mode Linux kernel with this tree and its KUnit suites built
# in, boot it with kunit.py and scan its log.
#
#   scripts/uml.sh 6.12 debug   KASAN, UBSAN, lockdep, kmemleak, fault injection
#   scripts/uml.sh 6.1 lean     just the suites: proves the compat layer
#
# UML userspace does not start on every host, so nothing is insmod'ed: the
# module and the suites run in-kernel at boot, the kmemleak suite last.
# The build dir lives in the cache and is reused: kunit.py rebuilds only what
# changed, and reconfigures only when the config does.
#
# Prints kunit.py's own progress, then "RESULT <passed> <failed> <skipped>"
# (KUnit cases, plus one check for the log scan).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

series=${1:?usage: uml.sh SERIES PROFILE (e.g. 6.12 debug, 6.1 lean)}
profile=${2:?usage: uml.sh SERIES PROFILE (e.g. 6.12 debug, 6.1 lean)}
name="UML $series $profile"

case $profile in
debug)
	kconfig=(DEBUG_KERNEL=y KASAN=y PROVE_LOCKING=y DEBUG_KMEMLEAK=y
		DEBUG_KMEMLEAK_AUTO_SCAN=y DEBUG_ATOMIC_SLEEP=y UBSAN=y
		FAULT_INJECTION=y FAILSLAB=y FAIL_PAGE_ALLOC=y
		FAULT_INJECTION_DEBUG_FS=y DEBUG_FS=y)
	# UML lacks HAVE_EFFICIENT_UNALIGNED_ACCESS, so UBSAN would check
	# alignment and flag the core kernel's (deliberate) unaligned loads.
	kconfig+=(UBSAN_ALIGNMENT=n)
	# 6.12 only: count/scan of every shrinker under debugfs.
	[[ $series == 6.1 ]] || kconfig+=(SHRINKER_DEBUG=y)
	# The benchmark suite runs once, briefly (bench_iters is small by
	# default), to prove it works; timings come only from "make bench".
	kconfig+=(MBUFCOMPAT_BENCH=y)
	# Report every KASAN bug, not just the first one.
	kargs=(kasan_multi_shot)
	timeout=1800
	;;
lean)
	# FreeBSD INVARIANTS-style trashing, in the kernel without KASAN.
	kconfig=(MBUFCOMPAT_TRASH=y)
	kargs=()
	timeout=600
	;;
*)
	die "unknown profile '$profile' (debug or lean)"
	;;
esac
# The suites drive the test and debug code (fault injection, workloads).
kconfig+=(MBUFCOMPAT_DEBUG=y)

cache_lock "src-$series"
src=$(kernel_source "$series")
ver=$(basename "$src")
ver=${ver#linux-source-"$series"_}
build=$MBUFCOMPAT_CACHE/uml/$series-${profile}_$ver
logs=$MBUFCOMPAT_CACHE/logs
mkdir -p "$build" "$logs"
tree_guard "$build" "$build/drivers/mbufcompat"
out=$logs/uml-$series-$profile.out
klog=$logs/uml-$series-$profile.log

args=(run --arch=um --build_dir="$build" --jobs="$(nproc)"
	--timeout="$timeout" --kunitconfig="$MBUFCOMPAT_ROOT/kunit/.kunitconfig")
for opt in "${kconfig[@]}"; do
	args+=(--kconfig_add="CONFIG_$opt")
done
for arg in "${kargs[@]}"; do
	args+=(--kernel_args="$arg")
done

say "$name: building and running KUnit (source $(basename "$src"), build dir $build)"
[[ -f $build/vmlinux ]] || info "cold build: this takes several minutes (15 or so for the debug config)"
rm -f "$build/test.log" "$out"
start=$SECONDS

# kunit.py says nothing while make runs: say something every minute.
(
	while sleep 60; do
		grep -qs 'Starting KUnit Kernel' "$out" && break
		n=$(find "$build" -name '*.o' -newer "$build/.config" 2>/dev/null | wc -l)
		info "$name: still building, $(((SECONDS - start) / 60)) min, $n objects compiled"
	done
) &
heartbeat=$!

# kunit.py's output goes through, less one line per passed case unless
# MBUFCOMPAT_VERBOSE=1 (all of it is in $out).
filter=(grep --line-buffered -vE '^\[[0-9:]+\] \[PASSED\] ')
[[ ${MBUFCOMPAT_VERBOSE:-0} == 1 ]] && filter=(cat)
set +e
python3 "$src/tools/testing/kunit/kunit.py" "${args[@]}" 2>&1 | tee "$out" |
	"${filter[@]}"
rc=${PIPESTATUS[0]}
set -e
kill "$heartbeat" 2>/dev/null || true
wait "$heartbeat" 2>/dev/null || true
info "$name: kunit.py exited $rc after $((SECONDS - start)) s (full output: $out)"

passed=0 failed=0 skipped=0
summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$out" | tail -n1 || true)
if [[ -z $summary ]]; then
	if [[ ! -f $build/test.log ]]; then
		fail "$name: kernel did not build or boot (see $out)"
	else
		fail "$name: KUnit produced no results (see $klog)"
	fi
	failed=1
else
	field() { sed -nE "s/.* $1: ([0-9]+).*/\\1/p" <<<"$summary"; }
	passed=$(field passed) failed=$(field failed) skipped=$(field skipped)
	crashed=$(field crashed) errors=$(field errors)
	passed=${passed:-0} failed=$((${failed:-0} + ${crashed:-0} + ${errors:-0}))
	skipped=${skipped:-0}
	if [[ $failed -eq 0 && $rc -ne 0 ]]; then
		fail "$name: kunit.py failed with status $rc although no case failed"
		failed=1
	fi
	info "$name: $passed passed, $failed failed, $skipped skipped"
fi

# The log scan counts as one check of its own.
if [[ -f $build/test.log ]]; then
	cp "$build/test.log" "$klog"
	if logscan_check "$name" "$klog"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
else
	fail "$name: kernel log scan (no kernel log)"
	failed=$((failed + 1))
fi

result_line "$passed" "$failed" "$skipped"
[[ $failed -eq 0 ]]
