#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# "make demo", inside QEMU: what a new user wants to see, in a few screens.
# The host prints what lies between MBUFDEMO BEGIN and MBUFDEMO END.
KO=/mbufcompat.ko
SYS=/proc/sys/net/mbuf
NET=/proc/net/mbuf
DBG=/sys/kernel/debug/mbufcompat

step() { printf '\n--- %s\n' "$*"; }
run() { echo "# $*"; "$@" 2>&1; }

echo "MBUFDEMO BEGIN"
step "Debian's $(uname -r) kernel, booted in QEMU"
run insmod "$KO" || echo "(insmod failed: see dmesg below)"
dmesg | grep -i mbuf | grep -v taint | tail -n 5

step "The mbuf zones are kmem caches (/proc/slabinfo)"
echo "# grep ^mbuf /proc/slabinfo"
awk '/^mbuf/ { printf "  %-18s %8d in use %8d allocated %6d bytes each\n", $1, $2, $3, $4 }' \
	/proc/slabinfo

step "FreeBSD's limits, as sysctls under $SYS"
for f in "$SYS"/*; do
	[ -e "$f" ] && printf '  %-15s %s\n' "${f##*/}" "$(cat "$f")"
done

v=$(cat "$SYS/nmbclusters" 2>/dev/null)
if [ -n "$v" ]; then
	up=$((v * 2))
	step "Raise kern.ipc.nmbclusters: $v -> $up"
	echo "# echo $up > $SYS/nmbclusters"
	echo "$up" >"$SYS/nmbclusters" && echo "  nmbclusters is now $(cat "$SYS/nmbclusters")"
	step "Lowering a limit is refused, as on FreeBSD"
	echo "# echo $v > $SYS/nmbclusters"
	(echo "$v" >"$SYS/nmbclusters") 2>&1 | sed 's/^/  /'
	echo "  nmbclusters is still $(cat "$SYS/nmbclusters")"
fi

step "A workload: 2 threads allocating, sharing and freeing mbufs"
if [ -e "$DBG/stress" ]; then
	echo "# echo '2 50000' > $DBG/stress"
	echo "2 50000" >"$DBG/stress" && echo "  counters balanced"
	sed 's/^/  /' "$DBG/stress"
else
	echo "  ($DBG/stress is not there yet)"
fi

step "netstat -m  ($NET/netstat)"
cat "$NET/netstat" 2>&1

step "vmstat -z  ($NET/zones)"
cat "$NET/zones" 2>&1

step "Unload"
run rmmod mbufcompat
n=$(grep -c '^mbuf' /proc/slabinfo)
echo "  mbuf caches left in /proc/slabinfo: $n"
echo "MBUFDEMO END"
