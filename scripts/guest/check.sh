#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The distro-kernel checks, run by busybox sh inside QEMU. Every check prints
# one line "MBUFTEST PASS <name>" or "MBUFTEST FAIL <name>"; the host counts
# them. The unload-with-leak test comes last: it leaves caches behind.
KO=/mbufcompat.ko
CACHES="mbuf mbuf_cluster mbuf_jumbo_page mbuf_jumbo_9k mbuf_jumbo_16k"
LIMITS="nmbufs nmbclusters nmbjumbop nmbjumbo9 nmbjumbo16"
SYS=/proc/sys/net/mbuf
NET=/proc/net/mbuf
DBG=/sys/kernel/debug/mbufcompat

pass() { echo "MBUFTEST PASS $*"; }
fail() { echo "MBUFTEST FAIL $*"; }
info() { echo "MBUFTEST INFO $*"; }
# check NAME COMMAND...: one named check from a command's status.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

loaded() { grep -q '^mbufcompat ' /proc/modules; }
not_loaded() { ! loaded; }
slab_has() { grep -q "^$1 " /proc/slabinfo; }
is_number() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
nonempty() { [ -n "$(cat "$1" 2>/dev/null)" ]; }
no_caches() {
	left=
	for c in $CACHES; do slab_has "$c" && left="$left $c"; done
	[ -z "$left" ] || { info "still in /proc/slabinfo:$left"; return 1; }
}
# write FILE VALUE: succeeds only if the kernel accepted the write.
write() { (echo "$2" >"$1") 2>/dev/null; }
# Value is exactly $2.
is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
raise() { write "$1" "$2" && is "$1" "$2"; }
unload() { loaded && rmmod mbufcompat; }
# dmesg_mark, then dmesg_has TEXT: TEXT was logged since the mark. (Not
# "dmesg -c": the host scans the whole log at the end.)
dmesg_mark() { MARK=$(dmesg | wc -l); }
dmesg_has() { dmesg | tail -n +$((MARK + 1)) | grep -q -- "$1"; }

echo "MBUFTEST INFO kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"

# --- load with defaults -------------------------------------------------
check "insmod with default parameters" insmod "$KO"
check "module listed in /proc/modules" loaded
for c in $CACHES; do
	check "slabinfo lists cache $c" slab_has "$c"
done
for f in netstat zones mbstat; do
	check "$NET/$f readable" nonempty "$NET/$f"
done
check "netstat has the netstat -m layout" \
	grep -qs "mbufs in use (current/cache/total)" "$NET/netstat"
check "zones has the vmstat -z layout" grep -qs "^mbuf_cluster:" "$NET/zones"

# --- defaults derived from RAM as FreeBSD 14's tunable_mbinit does ------
mem=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) * 1024))
mm=$((mem / 2))
check "default maxmbufmem is half of RAM ($mm)" is "$SYS/maxmbufmem" "$mm"
check "default nmbclusters = maxmbufmem/MCLBYTES/4" is "$SYS/nmbclusters" $((mm / 2048 / 4))
check "default nmbjumbop = maxmbufmem/PAGE_SIZE/4" is "$SYS/nmbjumbop" $((mm / 4096 / 4))
check "default nmbjumbo9 = maxmbufmem/9k/6" is "$SYS/nmbjumbo9" $((mm / 9216 / 6))
check "default nmbjumbo16 = maxmbufmem/16k/6" is "$SYS/nmbjumbo16" $((mm / 16384 / 6))
sum=$((mm / 2048 / 4 + mm / 4096 / 4 + mm / 9216 / 6 + mm / 16384 / 6))
nb=$((mm / 256 / 5))
[ "$nb" -ge "$sum" ] || nb=$sum
check "default nmbufs = max(maxmbufmem/MSIZE/5, sum of cluster limits)" is "$SYS/nmbufs" "$nb"

# --- root of a user namespace cannot raise host-wide limits --------------
v=$(cat "$SYS/nmbufs")
if unshare -Ur sh -c "echo $((v + 1)) > $SYS/nmbufs" 2>/dev/null; then
	fail "root in a user namespace refused"
else
	check "root in a user namespace refused" is "$SYS/nmbufs" "$v"
fi

# --- limits: read, raise, lower refused, garbage refused ----------------
# nmbufs first and by a lot: FreeBSD requires nmbufs to cover the clusters.
for n in $LIMITS; do
	f=$SYS/$n
	v=$(cat "$f" 2>/dev/null)
	if ! is_number "$v"; then
		fail "sysctl $n read (got '$v')"
		continue
	fi
	pass "sysctl $n read ($v)"
	if [ "$n" = nmbufs ]; then up=$((v * 2 + 1024)); else up=$((v + v / 8 + 1)); fi
	check "sysctl $n raise $v -> $up" raise "$f" "$up"
	cur=$(cat "$f")
	if write "$f" $((cur - 1)); then
		fail "sysctl $n lowering refused"
	else
		check "sysctl $n lowering refused" is "$f" "$cur"
	fi
	if write "$f" "12abc"; then
		fail "sysctl $n garbage refused"
	else
		check "sysctl $n garbage refused" is "$f" "$cur"
	fi
done
v=$(cat "$SYS/maxmbufmem" 2>/dev/null)
check "sysctl maxmbufmem read ($v)" is_number "$v"
if write "$SYS/maxmbufmem" $((v + 4096)); then
	fail "sysctl maxmbufmem is read-only"
else
	check "sysctl maxmbufmem is read-only" is "$SYS/maxmbufmem" "$v"
fi

# --- SMP stress workload -------------------------------------------------
if [ -e "$DBG/stress" ]; then
	check "stress workload (4 threads x 20000)" write "$DBG/stress" "4 20000"
	while read -r l; do info "stress: $l"; done <"$DBG/stress"
else
	fail "stress workload ($DBG/stress missing)"
fi
check "netstat readable after the workload" nonempty "$NET/netstat"

# --- the shrinker under real memory pressure -----------------------------
# Leave pairs in the caches, then fill a tmpfs (no swap: unreclaimable)
# until the caches are empty or memory is nearly gone. kswapd starts at the
# low watermark, a few MiB above OOM on a 1 GiB guest; a higher
# watermark_scale_factor makes it reclaim (shrinkers included) well before
# the OOM killer could be involved.
cached() { awk -F'[:,] *' '/^mbuf/ { s += $5 } END { print s + 0 }' "$NET/zones"; }
drains() { awk '/calls to protocol drain routines/ { print $1 }' "$NET/netstat"; }
if [ -e "$DBG/fill" ] && write "$DBG/fill" 4096 && [ "$(cached)" -gt 0 ]; then
	pass "caches hold items before pressure ($(cached))"
	d0=$(drains)
	wsf=$(cat /proc/sys/vm/watermark_scale_factor)
	echo 1000 >/proc/sys/vm/watermark_scale_factor
	mkdir -p /pressure && mount -t tmpfs -o size=100% tmpfs /pressure
	i=0
	while [ "$(cached)" -gt 0 ]; do
		# MemFree, not MemAvailable: the latter subtracts the raised
		# watermarks and would stop us before kswapd ever woke.
		free=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo)
		[ "$free" -gt 40960 ] || break
		dd if=/dev/zero of=/pressure/f$i bs=1M count=8 2>/dev/null || break
		i=$((i + 1))
		sleep 0.2
	done
	info "pressure: $((i * 8)) MiB in tmpfs, $(cached) items cached"
	check "shrinker emptied the caches under memory pressure" test "$(cached)" -eq 0
	check "memory pressure ran the drain routines" test "$(drains)" -gt "$d0"
	rm -f /pressure/f*
	umount /pressure
	echo "$wsf" >/proc/sys/vm/watermark_scale_factor
else
	fail "caches hold items before pressure"
fi

# --- unload --------------------------------------------------------------
check "rmmod" rmmod mbufcompat
check "module gone from /proc/modules" not_loaded
check "no mbuf caches in slabinfo after rmmod" no_caches
check "$SYS removed" test ! -e "$SYS"
check "$NET removed" test ! -e "$NET"

# --- load with parameters ------------------------------------------------
set -- nmbufs=200000 nmbclusters=50000 nmbjumbop=20000 nmbjumbo9=5000 \
	nmbjumbo16=3000 maxmbufmem=536870912
check "insmod with parameters $*" insmod "$KO" "$@"
for p in "$@"; do
	n=${p%%=*}
	check "parameter $n shows in sysctl" is "$SYS/$n" "${p#*=}"
done
unload
check "no mbuf caches after the second rmmod" no_caches

# --- bad parameters refuse the load --------------------------------------
for p in nmbufs=-1 nmbclusters=-5 nmbjumbop=abc nmbjumbo9=-2 nmbjumbo16=12x \
	maxmbufmem=-1; do
	n=${p%%=*}
	dmesg_mark
	if insmod "$KO" "$p" 2>/dev/null; then
		fail "insmod $p refused (it loaded)"
		unload
	else
		check "insmod $p refused, dmesg names $n" dmesg_has "$n"
	fi
done
check "nothing loaded after the refused loads" not_loaded

# A script that sources this one may look at the kernel here, before the
# last test leaks on purpose (the debug stage scans kmemleak).
if type before_leak_test >/dev/null 2>&1; then before_leak_test; fi

# --- unload with mbufs outstanding (last: leaves the caches behind) ------
dmesg_mark
check "insmod for the unload-with-leak test" insmod "$KO"
if [ -e "$DBG/leak" ]; then
	check "leak 3 mbufs through debugfs" write "$DBG/leak" 3
else
	fail "leak 3 mbufs through debugfs ($DBG/leak missing)"
fi
check "rmmod with mbufs outstanding" rmmod mbufcompat
check "unload warns that mbufs are still in use" dmesg_has "still in use at unload"
check "caches kept while mbufs are outstanding" slab_has mbuf

echo "MBUFTEST DONE"
