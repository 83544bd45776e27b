#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# What every guest script (check.sh, smp.sh, net.sh, dkms.sh) shares,
# sourced from /lib.sh in the initramfs. A check prints one line
# "MBUFTEST PASS <name>" or "MBUFTEST FAIL <name>", which the host counts
# (guest_tally in scripts/lib.sh); "MBUFTEST INFO" lines are shown, not
# counted.

# The module's own slab caches: none may be left once it is unloaded.
CACHES="mbuf mbuf_cluster mbuf_jumbo_page mbuf_jumbo_9k mbuf_jumbo_16k"

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
# write FILE VALUE: succeeds only if the kernel accepted the write.
write() { (echo "$2" >"$1") 2>/dev/null; }
# is FILE VALUE: FILE reads exactly VALUE (what it reads otherwise is shown).
is() {
	v=$(cat "$1" 2>/dev/null)
	[ "$v" = "$2" ] || { info "$1 is '$v', not '$2'"; return 1; }
}
slabinfo_readable() { grep -q '^slabinfo - version' /proc/slabinfo; }
slab_has() { grep -q "^$1 " /proc/slabinfo; }
# no_caches: none of $CACHES is in /proc/slabinfo (which must be readable).
no_caches() {
	slabinfo_readable || { info "/proc/slabinfo unreadable"; return 1; }
	left=
	for c in $CACHES; do slab_has "$c" && left="$left $c"; done
	[ -z "$left" ] || { info "still in /proc/slabinfo:$left"; return 1; }
}
