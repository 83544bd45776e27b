#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The debug-kernel checks (qemu-debug.sh), run by busybox sh inside QEMU
# with 4 CPUs. Prints "MBUFTEST PASS|FAIL <name>" lines like check.sh:
#
#  1. kmemleak: scan what boot left and clear it, so that only what the
#     tests leak is reported at the end;
#  2. KUnit: insmod the module built with its suites (each suite runs at
#     load; the host parses the KTAP from the log), rmmod;
#  3. CPU hotplug: a CPU's cached items go back when it goes offline, and
#     the stress workload balances while CPUs go offline and online;
#  4. the distro-stage checks (check.sh, sourced), with a kmemleak scan
#     just before its last test, which leaks mbufs on purpose.
KTEST=/mbufcompat-kunit.ko
KO=/mbufcompat.ko
DBG=/sys/kernel/debug/mbufcompat
NET=/proc/net/mbuf
LEAKS=/sys/kernel/debug/kmemleak
CPUS=/sys/devices/system/cpu

# shellcheck source=scripts/guest/lib.sh
. /lib.sh

ncpu=$(grep -c ^processor /proc/cpuinfo)
check "4 CPUs online in the guest (have $ncpu)" test "$ncpu" -eq 4

# --- 1. kmemleak baseline ------------------------------------------------
# An object is reported once it is older than 5 s and unchanged between
# two scans; "clear" forgets what has been reported.
kmemleak_scan() {
	sleep 6
	echo scan >"$LEAKS" && echo scan >"$LEAKS"
}
if [ -e "$LEAKS" ]; then
	kmemleak_scan
	n=$(grep -c '^unreferenced object' "$LEAKS")
	info "kmemleak: $n objects reported after boot, cleared"
	echo clear >"$LEAKS"
	pass "kmemleak cleared before the tests"
else
	fail "kmemleak cleared before the tests ($LEAKS missing)"
fi

# --- 2. KUnit --------------------------------------------------------------
# The suites run inside insmod; their KTAP goes to the kernel log.
check "insmod the module with its KUnit suites" insmod "$KTEST"
check "rmmod after the KUnit suites" rmmod mbufcompat

# --- 3. CPU hotplug ----------------------------------------------------------
cached() { awk -F'[:,] *' '/^mbuf/ { s += $5 } END { print s + 0 }' "$NET/zones"; }
# Flush what every online CPU and the depot cache: the shrinker's scan
# through debugfs (CONFIG_SHRINKER_DEBUG), which empties all of it.
shrink() {
	for s in /sys/kernel/debug/shrinker/mbufcompat-*; do
		[ -e "$s/scan" ] && echo "0 0 1000000" >"$s/scan" 2>/dev/null
	done
	return 0
}
online() { write "$CPUS/cpu$1/online" "$2"; }

check "insmod for the hotplug tests" insmod "$KO"
shrink
check "shrinker scan empties the caches (all CPUs online)" test "$(cached)" -eq 0
# Fill CPU 3's caches only: 100 packets allocated and freed there stay in
# its magazine (a magazine holds 256).
if taskset -c 3 sh -c "echo 100 >$DBG/fill" 2>/dev/null && c=$(cached) &&
	[ "$c" -gt 0 ]; then
	pass "CPU 3 caches items ($c)"
	check "CPU 3 goes offline" online 3 0
	c=$(cached)
	check "CPU 3's cached items returned when it went offline (left: $c)" \
		test "$c" -eq 0
	shrink
	check "nothing cached after a flush with CPU 3 offline" test "$(cached)" -eq 0
	check "CPU 3 comes back online" online 3 1
else
	fail "CPU 3 caches items"
fi

# The stress workload while CPUs 1-3 go offline and online in turn.
(write "$DBG/stress" "6 20000" && echo ok >/tmp/stress.ok) &
stress=$!
flips=0
cpu=1
while kill -0 "$stress" 2>/dev/null; do
	online "$cpu" 0 && flips=$((flips + 1))
	sleep 0.3
	online "$cpu" 1 && flips=$((flips + 1))
	cpu=$((cpu % 3 + 1))
done
wait "$stress"
for c in 1 2 3; do online "$c" 1; done
while read -r l; do info "stress under hotplug: $l"; done <"$DBG/stress"
info "CPU online/offline transitions during the stress run: $flips"
check "stress workload balanced while CPUs went offline and online" \
	test -f /tmp/stress.ok
check "CPUs went offline and online during the stress run ($flips)" \
	test "$flips" -ge 4
check "all 4 CPUs online again" test "$(cat $CPUS/online)" = "0-3"
shrink
check "nothing cached after the hotplug stress and a flush" test "$(cached)" -eq 0
check "rmmod after the hotplug tests" rmmod mbufcompat

# --- 4. the distro-stage checks, kmemleak before their leak test ------------
# check.sh calls this, if defined, right before its unload-with-leak test.
before_leak_test() {
	if [ ! -e "$LEAKS" ]; then
		fail "kmemleak: no leaks after the tests ($LEAKS missing)"
		return
	fi
	kmemleak_scan
	n=$(grep -c '^unreferenced object' "$LEAKS")
	if [ "$n" -eq 0 ]; then
		pass "kmemleak: no leaks after the tests"
	else
		fail "kmemleak: no leaks after the tests ($n objects)"
		head -n 200 "$LEAKS" | sed 's/^/MBUFTEST INFO kmemleak: /'
	fi
}
# The debug kernel's config turns CONFIG_MBUFCOMPAT_DEBUG on for every
# build against it, so the production-build checks belong to the distro
# stages.
NO_PROD_MODULE="the debug kernel's config makes every build a debug build"
# shellcheck source=scripts/guest/check.sh
. /check.sh
