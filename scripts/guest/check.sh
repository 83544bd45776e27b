#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The distro-kernel checks, run by busybox sh inside QEMU. Every check prints
# one line "MBUFTEST PASS <name>" or "MBUFTEST FAIL <name>"; the host counts
# them. The unload-with-leak test comes last: it leaves caches behind.
#
# A check fails when what it checks did not run: a refusal counts only with
# the error the kernel gives for it, an absence only where the thing could
# be seen, a count only when it could be read.
KO=/mbufcompat.ko
LIMITS="nmbufs nmbclusters nmbjumbop nmbjumbo9 nmbjumbo16"
SYS=/proc/sys/net/mbuf
NET=/proc/net/mbuf
DBG=/sys/kernel/debug/mbufcompat

# shellcheck source=scripts/guest/lib.sh
. /lib.sh

is_number() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
nonempty() { [ -n "$(cat "$1" 2>/dev/null)" ]; }
# refused ERRNO FILE VALUE: the write fails with that error (its strerror
# text, e.g. "Invalid argument"), so not merely because FILE is missing.
refused() {
	[ -e "$2" ] || { info "$2 missing"; return 1; }
	err=$( (echo "$3" >"$2") 2>&1) && { info "$2 took '$3'"; return 1; }
	case $err in
	*"$1"*) return 0 ;;
	*) info "writing '$3' to $2: '$err', not '$1'"; return 1 ;;
	esac
}
raise() { write "$1" "$2" && is "$1" "$2"; }
unload() { loaded && rmmod mbufcompat; }
# dmesg_mark, then dmesg_has TEXT: TEXT was logged since the mark. (Not
# "dmesg -c": the host scans the whole log at the end.)
dmesg_mark() { MARK=$(dmesg | wc -l); }
dmesg_has() { dmesg | tail -n +$((MARK + 1)) | grep -q -- "$1"; }
# expect_begin TEXT ... expect_end: the kernel lines containing TEXT logged
# in between are expected, and the host's log scan accepts them (see
# scripts/logscan.sh); it fails the scan if TEXT never shows. The markers
# are at the default level, below the console's: the host scans the dmesg
# dump at the end (init), where they sit among all the kernel's lines.
expect_begin() { echo "MBUFTEST EXPECT BEGIN $1" >/dev/kmsg; }
expect_end() { echo "MBUFTEST EXPECT END" >/dev/kmsg; }

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
# The namespace must really be entered (uid 0 inside) and the write itself
# refused; unshare failing proves nothing.
v=$(cat "$SYS/nmbufs")
r=$(unshare -Ur sh -c "id -u; (echo $((v + 1)) > $SYS/nmbufs) 2>&1 && echo wrote" 2>&1)
case $r in
0*wrote*) fail "root in a user namespace refused (the write succeeded)" ;;
0*denied* | 0*"not permitted"*)
	check "root in a user namespace refused" is "$SYS/nmbufs" "$v" ;;
*) fail "root in a user namespace refused (no namespace or no write: '$r')" ;;
esac

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
	if refused "Invalid argument" "$f" $((cur - 1)); then
		check "sysctl $n lowering refused" is "$f" "$cur"
	else
		fail "sysctl $n lowering refused"
	fi
	if refused "Invalid argument" "$f" "12abc"; then
		check "sysctl $n garbage refused" is "$f" "$cur"
	else
		fail "sysctl $n garbage refused"
	fi
done
v=$(cat "$SYS/maxmbufmem" 2>/dev/null)
check "sysctl maxmbufmem read ($v)" is_number "$v"
if refused "denied" "$SYS/maxmbufmem" $((v + 4096)); then
	check "sysctl maxmbufmem is read-only" is "$SYS/maxmbufmem" "$v"
else
	fail "sysctl maxmbufmem is read-only"
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
# Both print nothing (so a comparison fails) when there is nothing to read.
cached() {
	grep -q '^mbuf' "$NET/zones" 2>/dev/null &&
		awk -F'[:,] *' '/^mbuf/ { s += $5 } END { print s + 0 }' "$NET/zones"
}
drains() { awk '/calls to protocol drain routines/ { print $1 }' "$NET/netstat" 2>/dev/null; }
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

# --- the debugfs knobs: bounded, never hang -------------------------------
# "fill" holds all its pairs at once: a count beyond nmbclusters can never
# succeed and is refused at once; "leak" holds at most 65536 mbufs in all.
# The writes run in the background so that a hang fails the check instead
# of the whole run, and the machine must still allocate afterwards.
# knob_write FILE VALUE SECONDS: prints the write's status, or "hung".
knob_write() {
	rm -f /tmp/knob.rc
	(write "$1" "$2"; echo $? >/tmp/knob.rc) </dev/null >/dev/null 2>&1 &
	t=0
	while [ ! -s /tmp/knob.rc ] && [ "$t" -lt $(($3 * 10)) ]; do
		sleep 0.1
		t=$((t + 1))
	done
	if [ -s /tmp/knob.rc ]; then cat /tmp/knob.rc; else echo hung; fi
}
nc=$(cat "$SYS/nmbclusters" 2>/dev/null)
if [ -e "$DBG/fill" ] && is_number "$nc"; then
	rc=$(knob_write "$DBG/fill" $((nc + 1)) 10)
	check "fill beyond nmbclusters ($((nc + 1))) fails within 10 s (status $rc)" \
		test "$rc" != hung -a "$rc" != 0
	# After a hang the knobs' lock is held for good: nothing more to try.
	if [ "$rc" != hung ]; then
		check "fill beyond nmbclusters: refused as invalid" \
			refused "Invalid argument" "$DBG/fill" $((nc + 1))
		check "fill 64 works afterwards" \
			test "$(knob_write "$DBG/fill" 64 30)" = 0
	fi
else
	fail "fill beyond nmbclusters fails ($DBG/fill or nmbclusters missing)"
fi
if [ -e "$DBG/leak" ]; then
	l0=$(cat "$DBG/leak")
	check "leak beyond its bound (65537) refused" \
		refused "Invalid argument" "$DBG/leak" 65537
	check "leak count unchanged by the refused write ($l0)" is "$DBG/leak" "$l0"
else
	fail "leak beyond its bound refused ($DBG/leak missing)"
fi
check "stress workload after the knob checks (2 threads x 2000)" \
	write "$DBG/stress" "2 2000"

# --- bus_dma: mbuf chains mapped for a real PCI device ------------------
# busdma_pci (debug builds) maps chains through the DMA operations Linux
# uses for the guest's first PCI device and reports each check.
if [ -e "$DBG/busdma_pci" ]; then
	cat "$DBG/busdma_pci" >/tmp/busdma.out 2>&1
	while read -r l; do info "busdma: $l"; done </tmp/busdma.out
	check "bus_dma maps mbuf chains for a PCI device (EFBIG, m_defrag, boundary)" \
		grep -q "^result: pass" /tmp/busdma.out
else
	fail "bus_dma maps mbuf chains for a PCI device ($DBG/busdma_pci missing)"
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
check "rmmod after the load with parameters" unload
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

# --- tracepoints: the mbuf event group -----------------------------------
# Every event must be in tracefs; with the group enabled, the debug build's
# trace_workload (kpi: each traced KPI call once with known arguments;
# limit: the cluster zone run into nmbclusters, one M_WAITOK sleep there),
# a fill and drop_caches (the shrinker) must leave each event in the trace
# buffer with the fields it was called with. Pointers print hashed, or as
# "(____ptrval____)" while the kernel has no random key yet; NZ is a
# non-NULL one (NULL prints as zeros). hash-ptr stays on: Debian's 6.1
# prints the first %s of an event empty without it.
TR=/sys/kernel/tracing
EVENTS="m_get m_gethdr m_get_raw m_gethdr_raw m_getcl m_getjcl m_init m_clget
	m_cljget m_cljset m_extadd m_free m_freem zone_limit_reached
	zone_limit_sleep zone_drain reclaim_scan"
NZ='(0*[1-9a-f][0-9a-f]*|\(____ptrval____\))'
[ -d "$TR/events" ] || mount -t tracefs nodev "$TR" 2>/dev/null
traced() { grep -qE -- "$1" /tmp/trace.out; }
# trace_has NAME REGEX: one check that a line of the trace matches.
trace_has() { check "trace: $1" traced "$2"; }
if [ ! -d "$TR/events" ]; then
	fail "tracefs mounted at $TR"
elif insmod "$KO" nmbclusters=4096; then
	missing=
	for e in $EVENTS; do
		[ -e "$TR/events/mbuf/$e/format" ] || missing="$missing $e"
	done
	check "tracefs lists every mbuf event${missing:+ (missing:$missing)}" \
		test -z "$missing"
	echo 0 >"$TR/tracing_on"
	echo 8192 >"$TR/buffer_size_kb"
	: >"$TR/trace"
	echo 1 >"$TR/events/mbuf/enable"
	echo 1 >"$TR/tracing_on"
	check "trace_workload kpi" write "$DBG/trace_workload" kpi
	check "trace_workload limit (nmbclusters=4096)" \
		write "$DBG/trace_workload" limit
	check "fill 2048 before drop_caches" write "$DBG/fill" 2048
	for i in 1 2 3; do echo 2 >/proc/sys/vm/drop_caches; done
	echo 0 >"$TR/tracing_on"
	echo 0 >"$TR/events/mbuf/enable"
	cat "$TR/trace" >/tmp/trace.out
	info "trace: $(grep -c ' m_\| zone_\| reclaim_' /tmp/trace.out) mbuf event lines"
	info "trace sample: $(grep -m1 ' m_getcl: ' /tmp/trace.out)"
	trace_has "m_get_raw (how, type, m)" \
		" m_get_raw: how=M_NOWAIT type=MT_DATA m=$NZ\$"
	trace_has "m_gethdr_raw (how, type, m)" \
		" m_gethdr_raw: how=M_NOWAIT type=MT_DATA m=$NZ\$"
	trace_has "m_init (m, how, type, flags, error)" \
		" m_init: m=$NZ how=M_NOWAIT type=MT_DATA flags=M_PKTHDR error=0\$"
	trace_has "m_get (how, type, m)" \
		" m_get: how=M_NOWAIT type=MT_DATA m=$NZ\$"
	trace_has "m_get with M_WAITOK" " m_get: how=M_WAITOK type=MT_DATA m=$NZ\$"
	trace_has "m_gethdr (how, type, m)" \
		" m_gethdr: how=M_NOWAIT type=MT_DATA m=$NZ\$"
	trace_has "m_clget (m, how, cl)" " m_clget: m=$NZ how=M_NOWAIT cl=$NZ\$"
	trace_has "m_cljget (m, how, size, cl), bare page cluster" \
		" m_cljget: m=[^ ]+ how=M_NOWAIT size=4096 cl=$NZ\$"
	trace_has "m_cljset (m, cl, type)" \
		" m_cljset: m=$NZ cl=$NZ type=EXT_JUMBOP\$"
	trace_has "m_getcl how=M_NOWAIT type=MT_DATA flags=M_PKTHDR" \
		" m_getcl: how=M_NOWAIT type=MT_DATA flags=M_PKTHDR m=$NZ\$"
	trace_has "m_getcl failing at the limit (m NULL)" \
		" m_getcl: how=M_NOWAIT type=MT_DATA flags=M_PKTHDR m=0+\$"
	trace_has "m_getcl M_WAITOK after the sleep" \
		" m_getcl: how=M_WAITOK type=MT_DATA flags=M_PKTHDR m=$NZ\$"
	trace_has "m_getjcl (how, type, flags, size, m)" \
		" m_getjcl: how=M_NOWAIT type=MT_DATA flags=M_PKTHDR size=9216 m=$NZ\$"
	trace_has "m_extadd (m, buf, size, flags, type)" \
		" m_extadd: m=$NZ buf=$NZ size=512 flags=M_RDONLY type=EXT_NET_DRV\$"
	trace_has "m_free (m, type, flags)" " m_free: m=$NZ type=MT_DATA flags="
	trace_has "m_freem (m)" " m_freem: m=$NZ\$"
	trace_has "zone_limit_reached (zone, limit)" \
		" zone_limit_reached: zone=mbuf_cluster limit=4096 charged=[0-9]+\$"
	trace_has "zone_limit_sleep (zone, limit)" \
		" zone_limit_sleep: zone=mbuf_cluster limit=4096\$"
	trace_has "zone_drain of the packet cache (zone, count)" \
		" zone_drain: zone=mbuf_packet count=[0-9]+\$"
	trace_has "reclaim_scan (nr_to_scan, freed) from drop_caches" \
		" reclaim_scan: nr_to_scan=[0-9]+ freed=[0-9]+\$"
	check "rmmod after the tracepoint checks" rmmod mbufcompat
else
	fail "insmod nmbclusters=4096 for the tracepoint checks"
fi

# --- init failing half way leaves nothing behind (debug build) ----------
# init_fail_at=N fails the N-th step of init; N is raised until the load
# succeeds, so every step fails once. After each failure nothing may be
# left: no cache, no sysctl or procfs directory, no debugfs directory.
leftovers() {
	slabinfo_ok=$(grep -c '^slabinfo - version' /proc/slabinfo)
	[ "$slabinfo_ok" = 1 ] || { info "/proc/slabinfo unreadable"; return 1; }
	left=
	for c in $CACHES; do slab_has "$c" && left="$left $c"; done
	for d in "$SYS" "$NET" "$DBG"; do [ -e "$d" ] && left="$left $d"; done
	[ -z "$left" ] || { info "left behind:$left"; return 1; }
}
if grep -aq 'parm=init_fail_at:' "$KO"; then
	n=1 bad=
	while [ "$n" -le 100 ] && ! insmod "$KO" init_fail_at=$n 2>/dev/null; do
		dmesg | grep -q "init: failing step $n (" || bad="$bad $n:no-failure"
		leftovers || bad="$bad $n"
		n=$((n + 1))
	done
	steps=$((n - 1))
	check "load succeeds past the last init step ($steps steps)" loaded
	unload
	info "init steps failed in turn: $steps${bad:+, bad:$bad}"
	check "each of $steps init failures leaves nothing behind" \
		test -z "$bad" -a "$steps" -ge 20
else
	fail "init failure injection (no init_fail_at: a build without CONFIG_MBUFCOMPAT_DEBUG)"
fi

# --- a production build holds no test or debug code ---------------------
# /mbufcompat-prod.ko is built without MBUFCOMPAT_DEBUG=1. Its debugfs
# directory must exist (so debugfs is there to look at) and hold none of
# the debug build's files.
PROD=/mbufcompat-prod.ko
if [ -n "${NO_PROD_MODULE:-}" ]; then
	info "production module: not built for this kernel ($NO_PROD_MODULE)"
elif [ -f "$PROD" ] && insmod "$PROD"; then
	pass "insmod the production module"
	check "production module: $DBG exists" test -d "$DBG"
	for f in stress leak fill fail_alloc busdma_pci; do
		check "production module: no debugfs $f" \
			test -d "$DBG" -a ! -e "$DBG/$f"
	done
	check "production module: netstat readable" nonempty "$NET/netstat"
	check "rmmod the production module" rmmod mbufcompat
else
	fail "insmod the production module ($PROD)"
fi
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
expect_begin "still in use at unload"
check "rmmod with mbufs outstanding" rmmod mbufcompat
expect_end
check "unload warns that mbufs are still in use" dmesg_has "still in use at unload"
check "caches kept while mbufs are outstanding" slab_has mbuf

# --- unload with a packet and an mbuf leaked, then load again -----------
# leak_at_load=1 (debug build) takes one m_getcl() and one m_get() at load
# and never frees them. The unload must keep both slab caches that hold
# them, say so, and warn or BUG about nothing; a new load must then work
# beside the kept caches, under names of its own.
no_dup_caches() {
	awk 'NR > 2 { if (seen[$1]++) { print "MBUFTEST INFO duplicate cache " $1; d = 1 } }
		END { exit d }' /proc/slabinfo
}
dmesg_clean() { ! dmesg | tail -n +$((MARK + 1)) | grep -qE 'BUG|WARNING|Call Trace|Objects remaining|still has objects'; }
if grep -aq 'parm=leak_at_load:' "$KO"; then
	dmesg_mark
	check "insmod leaking a packet and an mbuf" insmod "$KO" leak_at_load=1
	echo "<6>MBUFTEST EXPECT BEGIN still in use at unload" >/dev/kmsg
	check "rmmod with a packet and an mbuf leaked" rmmod mbufcompat
	echo "<6>MBUFTEST EXPECT END" >/dev/kmsg
	check "leaky unload: kernel log clean (no oops, warn or slab report)" dmesg_clean
	check "leaky unload: 2 mbufs still in use, logged" dmesg_has "2 items of zone mbuf still in use"
	check "leaky unload: 1 cluster still in use, logged" dmesg_has "1 items of zone mbuf_cluster still in use"
	check "leaky unload: keeps the mbuf cache, logged" dmesg_has "keeping slab cache mbuf[.0-9]*:"
	check "leaky unload: keeps the cluster cache, logged" dmesg_has "keeping slab cache mbuf_cluster[.0-9]*:"
	dmesg_mark
	check "insmod after the leaky unload" insmod "$KO"
	check "no two slab caches of one name" no_dup_caches
	check "reload: stress workload (2 threads x 5000)" write "$DBG/stress" "2 5000"
	check "reload: netstat readable" nonempty "$NET/netstat"
	check "rmmod after the reload" rmmod mbufcompat
	check "reload and rmmod: kernel log clean (no oops, warn or slab report)" dmesg_clean
	check "no two slab caches of one name after it" no_dup_caches
else
	fail "unload with a packet leaked (no leak_at_load: a build without CONFIG_MBUFCOMPAT_DEBUG)"
fi

echo "MBUFTEST DONE"
