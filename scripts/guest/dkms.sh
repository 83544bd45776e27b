#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The DKMS checks, run by busybox sh inside QEMU (scripts/dkms.sh): the
# module "dkms install" put under /lib/modules/<release>/updates/dkms is
# found by depmod and modprobe, takes the options of the README's
# /etc/modprobe.d example, the README's /etc/sysctl.d example applies,
# /proc/net/mbuf/netstat shows every line of netstat -m, and the module
# unloads leaving no cache behind. One "MBUFTEST PASS|FAIL <name>" line
# per check, as guest/check.sh prints them.
SYS=/proc/sys/net/mbuf
NET=/proc/net/mbuf
REL=$(uname -r)
UPD=/lib/modules/$REL/updates/dkms

# shellcheck source=scripts/guest/lib.sh
. /lib.sh

info "kernel $REL; installed by dkms: $(ls "$UPD" 2>/dev/null)"
check "dkms installed mbufcompat.ko under $UPD" \
	test -n "$(ls "$UPD"/mbufcompat.ko* 2>/dev/null)"
check "depmod" depmod
check "modules.dep lists updates/dkms/mbufcompat" \
	grep -q "updates/dkms/mbufcompat[.]ko" "/lib/modules/$REL/modules.dep"

# --- modprobe with /etc/modprobe.d/mbufcompat.conf ----------------------
check "modprobe mbufcompat" modprobe mbufcompat
check "module listed in /proc/modules" loaded
check "modprobe.d option nmbclusters=131072 in effect" \
	is "$SYS/nmbclusters" 131072
check "modprobe.d option nmbjumbop=65536 in effect" is "$SYS/nmbjumbop" 65536
check "module parameter shows nmbclusters=131072" \
	is /sys/module/mbufcompat/parameters/nmbclusters 131072
check "/sys/module/mbufcompat/version is the package's ($(cat /dkms-version))" \
	is /sys/module/mbufcompat/version "$(cat /dkms-version)"
check "a production build: no debugfs workloads" \
	test ! -e /sys/kernel/debug/mbufcompat/stress

# --- sysctl -p /etc/sysctl.d/mbufcompat.conf ------------------------------
check "sysctl -p /etc/sysctl.d/mbufcompat.conf" \
	sysctl -p /etc/sysctl.d/mbufcompat.conf
check "sysctl.d setting net.mbuf.nmbjumbo9 = 16384 in effect" \
	is "$SYS/nmbjumbo9" 16384
check "sysctl -n net.mbuf.nmbjumbo9 reads it back" \
	test "$(sysctl -n net.mbuf.nmbjumbo9)" = 16384
for f in nmbufs nmbclusters nmbjumbop nmbjumbo9 nmbjumbo16 maxmbufmem \
	num_snd_tags mb_use_ext_pgs; do
	check "sysctl net.mbuf.$f readable" sysctl -n "net.mbuf.$f"
done

# --- netstat -m: every line the README explains ---------------------------
while read -r line; do
	check "netstat: '$line'" grep -qF -- "$line" "$NET/netstat"
done <<'LINES'
mbufs in use (current/cache/total)
/131072 mbuf clusters in use (current/cache/total/max)
mbuf+clusters out of packet secondary zone in use (current/cache)
clusters lent to the Linux stack (current/total)
/65536 4k (page size) jumbo clusters in use (current/cache/total/max)
/16384 9k jumbo clusters in use (current/cache/total/max)
16k jumbo clusters in use (current/cache/total/max)
bytes allocated to network (current/cache/total)
requests for mbufs denied (mbufs/clusters/mbuf+clusters)
requests for mbufs delayed (mbufs/clusters/mbuf+clusters)
requests for jumbo clusters delayed (4k/9k/16k)
requests for jumbo clusters denied (4k/9k/16k)
requests sleeping now (mbufs/clusters/mbuf+clusters/4k/9k/16k)
requests for sfbufs denied
requests for sfbufs delayed
requests for I/O initiated by sendfile
calls to protocol drain routines
LINES
while read -r l; do info "netstat: $l"; done <"$NET/netstat"
check "zones lists mbuf_cluster with its limit" \
	grep -qE '^mbuf_cluster: +2048, +131072,' "$NET/zones"

# --- modprobe -r ------------------------------------------------------------
check "modprobe -r mbufcompat" modprobe -r mbufcompat
check "module gone from /proc/modules" not_loaded
check "no mbuf caches in slabinfo after modprobe -r" no_caches
check "/proc/sys/net/mbuf gone" test ! -e "$SYS"
echo "MBUFTEST DONE"
