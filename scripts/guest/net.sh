#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Traffic between the guest's two virtio-net NICs, run by busybox sh inside
# QEMU (scripts/net.sh builds the initramfs and boots it). The NICs share
# one QEMU hub and nothing else: each goes into a network namespace of its
# own (198.18.0.1 and 198.18.0.2, the benchmarking range), so every frame
# one sends crosses the hub to the other.
#
# /net.conf sets MODE (check, bench or demo), DRIVERS (virtio_net and/or
# vtnet, in that order), SIZE (MiB per TCP transfer), COUNT64 and COUNT1500
# (pktgen frames per run) and RUNS (bench repetitions).
#
# check: one line "MBUFTEST PASS|FAIL <name>" per check, as guest/check.sh.
# bench: "MBUFBENCH <driver>[+pinned] <metric> <run> <value>" lines.
# demo:  what "make demo" shows, between MBUFDEMO BEGIN and MBUFDEMO END.
# shellcheck disable=SC1091,SC2153 # written by scripts/net.sh: MODE, ...
. /net.conf
MODS=/lib/net
NETSTAT=/proc/net/mbuf/netstat
MAC_A=52:54:00:00:00:01
MAC_B=52:54:00:00:00:02
IP_A=198.18.0.1
IP_B=198.18.0.2
# pktgen's frames go to B's MAC but to an address B does not own: B's
# driver receives (and counts) every one, its IP layer drops them without
# an ICMP reply, so no other frame reaches B during a run.
IP_SINK=198.18.0.99
PORT=5001
DATA=/tmp/data
# A listening nc reads its stdin too and, at its end, shuts down its side
# of the connection, at which the sender stops: listeners read this FIFO,
# opened read-write, which never ends.
HOLD=/tmp/hold
# A transfer that takes longer than this has failed (its nc is killed).
XFER_TIMEOUT=300

# shellcheck source=scripts/guest/lib.sh
. /lib.sh
say() { [ "$MODE" = demo ] && printf '%s\n' "$*"; }
step() { [ "$MODE" = demo ] && printf '\n--- %s\n' "$*"; }

# Hundredths of a second since boot.
now() { awk '{ sub(/\./, "", $1); print $1 + 0 }' /proc/uptime; }

# kload NAME...: insmod each module the image has (the 6.1 virtio core is
# modular, 6.12's is built in: a missing file is not an error).
kload() {
	for n; do
		[ -e "$MODS/$n.ko" ] || continue
		grep -q "^$n " /proc/modules && continue
		insmod "$MODS/$n.ko" || return 1
	done
}

# ifname MAC: the interface with that address, in this namespace.
ifname() {
	for d in /sys/class/net/*; do
		[ "$(cat "$d/address" 2>/dev/null)" = "$1" ] && {
			echo "${d##*/}"
			return 0
		}
	done
	return 1
}

# wait_ifs: both NICs are back in the initial namespace (at most 10 s).
wait_ifs() {
	i=0
	while [ $i -lt 100 ]; do
		IFA=$(ifname $MAC_A) && IFB=$(ifname $MAC_B) && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

ina() { nsenter -t "$NSA" -n "$@"; }
inb() { nsenter -t "$NSB" -n "$@"; }

# newns VAR: start a process holding a new network namespace (IPv6 off in
# it, so that no autoconfiguration or MLD frame mixes with the traffic)
# and set VAR to its PID. (Not a command substitution: that would wait
# for the holder's end.)
newns() {
	unshare -n sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
		echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
		exec sleep 100000' </dev/null >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ "$(readlink /proc/$pid/ns/net)" = "$(readlink /proc/self/ns/net)" ] ||
		[ "$(cat /proc/$pid/comm 2>/dev/null)" != sleep ]; do
		sleep 0.05
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
	done
	eval "$1=$pid"
}

# ns_up MTU: NIC A into one namespace, NIC B into another, addressed, up.
ns_up() {
	wait_ifs || return 1
	newns NSA && newns NSB || return 1
	ip link set "$IFA" netns "$NSA" && ip link set "$IFB" netns "$NSB" || return 1
	ina ip link set lo up && inb ip link set lo up &&
		ina ip addr add $IP_A/24 dev "$IFA" &&
		inb ip addr add $IP_B/24 dev "$IFB" &&
		ina ip link set "$IFA" mtu "$1" up &&
		inb ip link set "$IFB" mtu "$1" up || return 1
	# Carrier up on both ends.
	i=0
	until ina ip link show "$IFA" | grep -q LOWER_UP &&
		inb ip link show "$IFB" | grep -q LOWER_UP; do
		sleep 0.1
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
	done
}

# ns_down: both NICs back to the initial namespace, holders gone.
ns_down() {
	[ -n "$NSA" ] && ina ip link set "$IFA" netns 1 2>/dev/null
	[ -n "$NSB" ] && inb ip link set "$IFB" netns 1 2>/dev/null
	kill "$NSA" "$NSB" 2>/dev/null
	wait "$NSA" "$NSB" 2>/dev/null
	NSA='' NSB=''
	return 0
}

# counter NS IF FIELD: a /proc/net/dev field of IF inside namespace NS
# (3: received packets, 2: received bytes, 11: sent packets).
counter() {
	nsenter -t "$1" -n cat /proc/net/dev |
		sed 's/^ *//; s/:/ /' | awk -v i="$2" -v f="$3" '$1 == i { print $f }'
}

# diag: what the two ends and the kernel say, after a failure.
diag() {
	for ns in "$NSA" "$NSB"; do
		for f in dev snmp arp softnet_stat; do
			nsenter -t "$ns" -n cat /proc/net/$f 2>&1 | grep -v '^ *lo:' |
				while read -r l; do info "diag $ns $f: $l"; done
		done
	done
	dmesg | tail -n 15 | while read -r l; do info "diag: dmesg: $l"; done
}

# ping_ok SIZE: 10 pings A -> B of SIZE payload bytes, none lost.
ping_ok() {
	out=$(ina ping -c 10 -i 0.2 -W 2 -s "$1" $IP_B 2>&1)
	echo "$out" | grep -q ' 0% packet loss' || {
		echo "$out" | tail -n 2 | while read -r l; do info "ping: $l"; done
		return 1
	}
}

# xfer [count]: send $DATA from A to B over TCP, checksum it on B. Sets
# SECS (hundredths) and RXSUM. With "count", B only counts the bytes
# (RXSUM is then their number), as a throughput tool's sink does: md5sum
# under TCG competes with the drivers' work for the guest's two CPUs, and
# the checks compare the checksums already.
xfer() {
	xsink=md5sum
	[ "${1:-}" != count ] || xsink='wc -c'
	rm -f /tmp/rx.sum
	inb sh -c "timeout $XFER_TIMEOUT nc -l -p $PORT <>$HOLD | $xsink >/tmp/rx.sum" &
	rx=$!
	# Wait for the listener (port 5001 is 1389 in /proc/net/tcp).
	i=0
	until inb grep -q ':1389 00000000:0000 0A' /proc/net/tcp; do
		sleep 0.05
		i=$((i + 1))
		[ $i -lt 100 ] || break
	done
	t0=$(now)
	ina timeout $XFER_TIMEOUT nc $IP_B $PORT <$DATA
	wait $rx
	SECS=$(($(now) - t0))
	[ $SECS -gt 0 ] || SECS=1
	# The first word: md5sum's hash, or wc's count.
	# shellcheck disable=SC2046 # split on purpose
	RXSUM=$(set -- $(cat /tmp/rx.sum 2>/dev/null); echo "${1:-}")
}

# pktgen_run SIZE COUNT [CHUNK]: COUNT frames of SIZE bytes (FCS excluded)
# from A to B. Sets SENT, RCVD (B's driver count) and SECS (first to last
# frame received, hundredths).
#
# With CHUNK, pktgen sends CHUNK frames at a time and the next chunk waits
# until B's count has caught up: a sender on another CPU than the receiver
# outruns it, and QEMU drops what its queue to a full receive ring (10000
# frames) cannot hold; chunks smaller than that make "every frame arrives"
# a property of the drivers, not of the two CPUs' relative speeds. Without
# it (the benchmark), one unpaced flood.
pktgen_run() {
	pg=/proc/net/pktgen
	chunk=${3:-$2}
	ina sh -c "echo rem_device_all >$pg/kpktgend_0
		echo add_device $IFA >$pg/kpktgend_0
		for c in 'pkt_size $1' 'delay 0' 'dst $IP_SINK' \
			'dst_mac $MAC_B' 'udp_dst_min 9' 'udp_dst_max 9'; do
			echo \$c >$pg/$IFA
		done"
	r0=$(counter "$NSB" "$IFB" 3)
	t0=$(now)
	SENT=0 left=$2
	while [ "$left" -gt 0 ]; do
		n=$chunk
		[ "$n" -le "$left" ] || n=$left
		ina sh -c "echo 'count $n' >$pg/$IFA; echo start >$pg/pgctrl"
		SENT=$((SENT + $(ina sed -n 's/.*pkts-sofar: *\([0-9]*\).*/\1/p' "$pg/$IFA")))
		left=$((left - n))
		# The hub may still hold frames when pktgen returns: wait until
		# B has them all or its count stops moving.
		last=-1
		cur=$(counter "$NSB" "$IFB" 3)
		while [ "$cur" != "$last" ]; do
			last=$cur
			t1=$(now)
			[ $((cur - r0)) -ge "$SENT" ] && break
			sleep 0.1
			cur=$(counter "$NSB" "$IFB" 3)
		done
	done
	SECS=$((t1 - t0))
	[ $SECS -gt 0 ] || SECS=1
	RCVD=$((cur - r0))
	ina sh -c "echo rem_device_all >$pg/kpktgend_0"
}

# attach DRIVER / detach DRIVER: bind both NICs to it, or unbind.
attach() {
	case $1 in
	virtio_net) kload failover net_failover dimlib virtio_net ;;
	vtnet) kload mbufcompat vtnet ;;
	esac
}
detach() {
	rmmod "$1"
}

# zero_in_use: netstat -m says no mbuf or cluster is in use or lent.
zero_in_use() {
	bad=$(awk '/mbufs in use/ || /mbuf clusters in use/ ||
		/jumbo clusters in use/ || /lent/ {
			split($1, v, "/"); if (v[1] + 0 != 0) print }' $NETSTAT)
	[ -z "$bad" ] || {
		grep -E 'in use|lent' $NETSTAT | while read -r l; do info "netstat -m: $l"; done
		return 1
	}
}

# wait_zero: sockets and the namespaces' queues free their lent buffers
# asynchronously (RCU, netns cleanup): give them up to 10 s.
#
# A socket that frees an skb on another CPU than the one that received it
# puts it on that CPU's deferred-free list (skb_attempt_defer_free), which
# only that CPU's next network softirq empties: once the NICs are gone,
# a ping over loopback on each CPU runs it.
wait_zero() {
	ip link set lo up
	i=0
	until zero_in_use >/dev/null || [ $i -ge 50 ]; do
		c=0
		while [ $c -lt "$(nproc)" ]; do
			taskset -c $c ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
			c=$((c + 1))
		done
		sleep 0.2
		i=$((i + 1))
	done
}

# ---------------------------------------------------------------- check --
# traffic DRIVER MTU: ping, and one TCP transfer with its checksum.
traffic() {
	d=$1 mtu=$2
	check "$d mtu $mtu: ping A -> B, 0% loss" ping_ok 56
	check "$d mtu $mtu: ping of $((mtu - 28)) bytes, 0% loss" ping_ok $((mtu - 28))
	if ! ping_ok 56; then
		diag
		fail "$d mtu $mtu: $SIZE MiB over TCP (no connectivity: not tried)"
		return
	fi
	xfer
	check "$d mtu $mtu: $SIZE MiB over TCP, md5 matches ($((SIZE * 100 * 8 / SECS)) Mbit/s)" \
		test "$RXSUM" = "$TXSUM"
}

# pktgen_check DRIVER SIZE COUNT
pktgen_check() {
	pktgen_run "$2" "$3" 4096
	check "$1: pktgen $3 frames of $2 B: $SENT sent, $RCVD received ($((RCVD * 100 / SECS)) pps)" \
		test "$SENT" = "$3" -a "$RCVD" = "$3"
}

# baseline_check: Linux's own driver through the same steps, briefly: a
# failure here is the harness's (or QEMU's), not vtnet's.
baseline_check() {
	d=virtio_net
	check "$d: driver loads and binds both NICs" attach "$d"
	check "$d: interfaces appear" wait_ifs
	check "$d mtu 1500: both NICs in their own namespace, up" ns_up 1500
	pktgen_check "$d" 60 $((COUNT64 / 10))
	traffic "$d" 1500
	ns_down
	check "$d: rmmod" detach "$d"
}

check_driver() {
	d=$1
	[ "$d" = virtio_net ] && { baseline_check; return; }
	check "$d: driver loads and binds both NICs" attach "$d"
	check "$d: interfaces appear" wait_ifs
	info "$d: interfaces $IFA and $IFB"
	# pktgen first: no frame of an earlier test (an ARP probe, a late
	# TCP segment) can then reach B during the count.
	check "$d mtu 1500: both NICs in their own namespace, up" ns_up 1500
	pktgen_check "$d" 60 "$COUNT64"
	pktgen_check "$d" 1514 "$COUNT1500"
	traffic "$d" 1500
	ns_down
	check "$d: interfaces back in the initial namespace" wait_ifs
	check "$d mtu 9000: both NICs in their own namespace, up" ns_up 9000
	traffic "$d" 9000
	ina ip link set "$IFA" mtu 1500
	check "$d: MTU change while up (9000 -> 1500)" ping_ok 1472
	ina ip link set "$IFA" mtu 9000
	info "netstat -m after the transfers: $(grep -E 'in use|lent' $NETSTAT | tr '\n' ';')"
	ns_down
	check "$d: rmmod" detach "$d"
	wait_zero
	check "netstat -m: nothing in use or lent after rmmod vtnet" zero_in_use
	# Again, with traffic running while the driver goes away.
	check "$d: insmod again" attach "$d"
	check "$d: both NICs up again at mtu 9000" ns_up 9000
	inb nc -l -p $PORT <>$HOLD >/dev/null &
	sink=$!
	sleep 0.5
	ina nc $IP_B $PORT </dev/zero &
	src=$!
	sleep 1
	b0=$(counter "$NSB" "$IFB" 2)
	sleep 1
	b1=$(counter "$NSB" "$IFB" 2)
	check "$d: traffic flowing before the unload ($((b1 - b0)) bytes in 1 s)" \
		test $((b1 - b0)) -gt 100000
	check "$d: rmmod vtnet with traffic running" detach vtnet
	check "$d: both interfaces gone" sh -c "! nsenter -t $NSA -n ip link show $IFA 2>/dev/null &&
		! nsenter -t $NSB -n ip link show $IFB 2>/dev/null"
	kill $src $sink 2>/dev/null
	wait $src $sink 2>/dev/null
	kill "$NSA" "$NSB" 2>/dev/null
	wait "$NSA" "$NSB" 2>/dev/null
	NSA='' NSB=''
	wait_zero
	check "netstat -m: nothing in use or lent after the unload under traffic" zero_in_use
	check "rmmod mbufcompat" rmmod mbufcompat
	check "no mbuf caches left in slabinfo" sh -c '! grep -q ^mbuf /proc/slabinfo'
}

# ---------------------------------------------------------------- bench --
# virtio_irqs: interrupts the virtio-net queues have taken, on every CPU.
virtio_irqs() {
	awk 'NR == 1 { n = NF; next }
	     /virtio[0-9]*-|vtnet/ { for (i = 2; i <= n + 1; i++) s += $i }
	     END { print s + 0 }' /proc/interrupts
}

# bench_pps DRIVER METRIC RUN SIZE COUNT: one pktgen measurement, with the
# queues' interrupts per thousand frames received (an interrupt under TCG
# costs thousands of guest instructions).
bench_pps() {
	i0=$(virtio_irqs)
	pktgen_run "$4" "$5"
	i1=$(virtio_irqs)
	echo "MBUFBENCH $1 $2 $3 $((RCVD * 100 / SECS)) $SENT $RCVD"
	echo "MBUFINFO $1 $2 $3 irqs_per_1000_frames=$(((i1 - i0) * 1000 / (RCVD + 1)))"
}

# nic_irqs IF: the interrupts (MSI-X vectors) of interface IF's PCI device.
nic_irqs() {
	ls "$(readlink -f "/sys/class/net/$1/device")/../msi_irqs"
}

# pin_irqs: every interrupt of NIC A on CPU 0, of NIC B on CPU 1, whatever
# the driver asked for: the placement-free comparison of the two drivers.
# Before ns_up (after wait_ifs): a NIC's sysfs entry is seen from its own
# namespace only.
pin_irqs() {
	qa=$(nic_irqs "$IFA" | tr '\n' ' ') && qb=$(nic_irqs "$IFB" | tr '\n' ' ') &&
		[ -n "$qa" ] && [ -n "$qb" ] || return 1
	for q in $qa; do echo 0 >/proc/irq/"$q"/smp_affinity_list || return 1; done
	for q in $qb; do echo 1 >/proc/irq/"$q"/smp_affinity_list || return 1; done
	info "pinned: A's interrupts ${qa}on CPU 0, B's ${qb}on CPU 1"
}

# bench_run DRIVER RUN [pinned]: one run of every measurement under
# DRIVER, with its own interrupt placement or (pinned, reported as
# DRIVER+pinned) with pin_irqs' placement.
bench_run() {
	d=$1 r=$2 tag=$1
	[ -z "${3:-}" ] || tag=$1+pinned
	if ! { attach "$d" && wait_ifs && { [ -z "${3:-}" ] || pin_irqs; } && ns_up 1500; }; then
		echo "MBUFBENCH $tag error setup"
		ns_down
		detach "$d"
		return
	fi
	d=$tag
	bench_pps "$d" pps64 "$r" 60 "$COUNT64"
	bench_pps "$d" pps1500 "$r" 1514 "$COUNT1500"
	i0=$(virtio_irqs)
	xfer count
	i1=$(virtio_irqs)
	echo "MBUFINFO $d tcp $r irqs=$((i1 - i0))"
	ok=bad
	[ "$RXSUM" = $((SIZE * 1048576)) ] && ok=ok
	# kbit/s: SIZE MiB in SECS hundredths of a second.
	echo "MBUFBENCH $d tcp $r $((SIZE * 838861 / SECS)) $ok"
	ns_down
	wait_ifs
	detach "$1"
}

# bench: the drivers take turns, run after run, so that a change in the
# host's load between runs weighs on both alike.
bench() {
	r=1
	while [ $r -le "$RUNS" ]; do
		for d in $DRIVERS; do bench_run "$d" "$r"; done
		for d in $DRIVERS; do bench_run "$d" "$r" pinned; done
		r=$((r + 1))
	done
}

# ----------------------------------------------------------------- demo --
demo() {
	step "Both NICs under vtnet, a FreeBSD-style driver on mbuf(9)"
	say "# insmod mbufcompat.ko; insmod vtnet.ko"
	attach vtnet || say "(loading vtnet failed: see dmesg below)"
	wait_ifs
	dmesg | grep -E 'vtnet[0-9]' | tail -n 2
	ns_up 1500 || say "(setting up the namespaces failed)"
	say "# nsenter -t $NSA -n ip addr show $IFA"
	ina ip addr show "$IFA"

	step "ping from $IFA ($IP_A, namespace A) to $IFB ($IP_B, namespace B)"
	ina ping -c 3 -i 0.2 $IP_B

	step "$SIZE MiB over TCP from A to B, md5 compared"
	xfer &
	xp=$!
	# Once a quarter of it is across, look.
	r0=$(counter "$NSB" "$IFB" 2)
	i=0
	while [ $(($(counter "$NSB" "$IFB" 2) - r0)) -lt $((SIZE * 262144)) ] &&
		[ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	say "# netstat -m during the transfer (buffers on the rings, in flight, lent to sockets)"
	grep -E 'in use|lent' $NETSTAT
	wait $xp
	say "sent     $TXSUM"
	say "received $(cut -d' ' -f1 /tmp/rx.sum)"
	[ "$(cut -d' ' -f1 /tmp/rx.sum)" = "$TXSUM" ] && say "checksums match"

	step "Interface counters (if_inc_counter), /proc/net/dev of both namespaces"
	ina grep -E "Inter|face|$IFA" /proc/net/dev
	inb grep "$IFB" /proc/net/dev

	step "Detach: rmmod vtnet (buffers on its rings freed), then netstat -m"
	ns_down
	rmmod vtnet
	wait_zero
	grep -E 'in use|lent' $NETSTAT
	rmmod mbufcompat
	say "mbuf caches left in /proc/slabinfo: $(grep -c '^mbuf' /proc/slabinfo)"
}

# ----------------------------------------------------------------- main --
info "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, drivers: $DRIVERS"
check "virtio core and pktgen load" kload virtio_ring virtio \
	virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci pktgen
mkfifo $HOLD
dd if=/dev/urandom of=$DATA bs=1M count="$SIZE" 2>/dev/null
TXSUM=$(md5sum $DATA | cut -d' ' -f1)
[ "$MODE" = demo ] && echo "MBUFDEMO BEGIN"

case $MODE in
check) for d in $DRIVERS; do check_driver "$d"; done ;;
bench) bench ;;
demo) demo ;;
esac
[ "$MODE" = demo ] && echo "MBUFDEMO END"
echo "MBUFTEST DONE"
