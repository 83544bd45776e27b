#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# net.sh [--demo|--bench] SERIES...: real traffic through examples/vtnet.
#
# For each series (6.12, 6.1): build mbufcompat.ko (build.sh) and vtnet.ko
# against it (its Module.symvers), pack a busybox initramfs with both, the
# distro image's own virtio_net, virtio core (6.1) and pktgen modules and
# guest/net.sh, and boot Debian's kernel in QEMU (TCG, 2 CPUs) with two
# virtio-net NICs on one QEMU hub and no other network:
#
#   check    Linux's virtio_net (the harness's own baseline), then vtnet:
#            ping, TCP with checksums at MTU 1500 and 9000, pktgen 64 B
#            and 1514 B with every frame counted, unload under traffic.
#            6.12 runs the production build of the module, 6.1 the test
#            build (MBUFCOMPAT_DEBUG=1), so traffic covers both.
#            One PASS/FAIL line a check, then "RESULT <pass> <fail> 0".
#   --bench  the same guest, virtio_net then vtnet, $NET_RUNS runs each:
#            pktgen packets per second received and TCP throughput, the
#            medians and the ratio vtnet / virtio_net; each driver with
#            its own interrupt placement, then both with the same one.
#   --demo   the second part of "make demo" (6.12 only).
#
# Environment: NET_SIZE (MiB per TCP transfer, default 64; 32 in the
# benchmark, 8 in the demo), NET_COUNT64 / NET_COUNT1500 (pktgen frames,
# default 200000 / 100000; half in the benchmark), NET_RUNS (bench runs,
# >= 3, default 5: TCP under TCG varies by a third between runs), NET_DRIVERS
# (default "virtio_net vtnet"), MBUFCOMPAT_QEMU_TIMEOUT.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=check
case ${1:-} in
--demo | --bench) mode=${1#--}; shift ;;
esac
[[ $# -ge 1 ]] || set -- "${MBUFCOMPAT_SERIES[@]}"
timeout=${MBUFCOMPAT_QEMU_TIMEOUT:-$([[ $mode == bench ]] && echo 2400 || echo 900)}
guest=$MBUFCOMPAT_ROOT/scripts/guest
drivers=${NET_DRIVERS:-virtio_net vtnet}
size=${NET_SIZE:-64}
count64=${NET_COUNT64:-200000}
count1500=${NET_COUNT1500:-100000}
runs=${NET_RUNS:-$([[ $mode == bench ]] && echo 5 || echo 3)}
[[ $mode != demo ]] || { drivers=vtnet size=${NET_SIZE:-8}; }
# The benchmark repeats every measurement: somewhat shorter ones.
[[ $mode != bench ]] || {
	size=${NET_SIZE:-32} count64=${NET_COUNT64:-100000}
	count1500=${NET_COUNT1500:-50000}
}
[[ $runs =~ ^[0-9]+$ && $runs -ge 3 ]] || die "NET_RUNS must be at least 3"
# What each series starts from (the debug kernel's series scales them).
base_size=$size base_count64=$count64 base_count1500=$count1500
base_timeout=$timeout

ensure_pkgs qemu-system-x86 busybox-static cpio gzip xz-utils
busybox=/bin/busybox
[[ -x $busybox ]] || die "$busybox missing although busybox-static is installed"

# build_modules KDIR TAG [MAKE ARGS...]: mbufcompat.ko, then vtnet.ko
# against its Module.symvers, in build dirs of this script's own in the
# cache (module/net-TAG), under a lock, and copies of both into $private.
# (Not build.sh's dir: another clone's run may empty that dir as soon as
# build.sh is done.) Sets mbuf_ok and vtnet_ok; the logs are TAG.log and
# TAG-vtnet.log in the cache.
build_modules() {
	local kdir=$1 tag=$2 dir
	shift 2

	dir=$MBUFCOMPAT_CACHE/module/net-$tag
	mbuf_ok=0 vtnet_ok=0
	(
		cache_lock "net-$tag"
		# The debug kernel's build dir, which its own stage may be using.
		[[ -z ${extra_lock:-} ]] || cache_lock "$extra_lock"
		tree_guard "$dir.tree" "$dir"
		sync_tree "$dir"
		# The example's Kbuild finds the public headers two levels up.
		(cd "$MBUFCOMPAT_TREE" && find -L examples/vtnet -type f \
			\( -name '*.[ch]' -o -name Kbuild \) -print0 |
			tar --null -T - -chf -) | tar -xpf - -C "$dir" ||
			die "copying examples to $dir failed"
		say "Building mbufcompat.ko and vtnet.ko against $kdir${*:+ with $*}"
		make -C "$kdir" M="$dir" -j"$(nproc)" "$@" modules >"$dir.log" 2>&1 || {
			grep -iE '(warning|error):' "$dir.log" >&2
			tail -n 20 "$dir.log" >&2
			exit 1
		}
		cp "$dir/mbufcompat.ko" "$private/"
		make -C "$kdir" M="$dir/examples/vtnet" -j"$(nproc)" \
			KBUILD_EXTRA_SYMBOLS="$dir/Module.symvers" modules \
			>"$dir-vtnet.log" 2>&1 || {
			grep -iE '(warning|error):' "$dir-vtnet.log" >&2
			tail -n 20 "$dir-vtnet.log" >&2
			exit 2
		}
		grep -iE '(warning|error):' "$dir.log" "$dir-vtnet.log" >&2
		cp "$dir/examples/vtnet/vtnet.ko" "$private/"
	) || true
	[[ -f $private/mbufcompat.ko ]] && mbuf_ok=1
	[[ -f $private/vtnet.ko ]] && vtnet_ok=1
	return 0
}

# add_module IMAGE_MODDIR NAME DEST: NAME.ko from the distro image (plain
# or xz), uncompressed, into DEST; nothing if the image has it built in.
add_module() {
	local f

	f=$(find "$1" -name "$2.ko" -o -name "$2.ko.xz" | head -n1)
	[[ -n $f ]] || return 0
	case $f in
	*.xz) xz -dc "$f" >"$3/$2.ko" ;;
	*) cp "$f" "$3/$2.ko" ;;
	esac
}

# initramfs MODDIR OUT [KO...]: busybox, init, guest/net.sh, /net.conf, the
# given modules and the image's virtio, virtio_net and pktgen modules.
initramfs() {
	local moddir=$1 out=$2 tmp ko n
	shift 2

	tmp=$(mktemp -d)
	mkdir -p "$tmp/bin" "$tmp/lib/net"
	cp "$busybox" "$tmp/bin/busybox"
	cp "$guest/init" "$tmp/init"
	cp "$guest/lib.sh" "$tmp/lib.sh"
	cp "$guest/net.sh" "$tmp/test.sh"
	for ko; do [[ ! -f $ko ]] || cp "$ko" "$tmp/lib/net/"; done
	for n in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
		virtio_pci failover net_failover dimlib virtio_net pktgen; do
		add_module "$moddir" "$n" "$tmp/lib/net"
	done
	cat >"$tmp/net.conf" <<-EOF
		MODE=$mode
		DRIVERS="$drivers"
		SIZE=$size
		COUNT64=$count64
		COUNT1500=$count1500
		RUNS=$runs
	EOF
	chmod 755 "$tmp/init" "$tmp/test.sh"
	(cd "$tmp" && find . -print0 | cpio --null -o -H newc --quiet) |
		gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
}

# boot KERNEL INITRD LOG CMDLINE: two virtio-net NICs on hub 0, nothing else.
boot() {
	tcg_guest "$name" "$3" net_guest "$@"
}

net_guest() {
	timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -smp 2 -m 1G \
		-nographic -no-reboot -nic none \
		-netdev hubport,id=p0,hubid=0 -netdev hubport,id=p1,hubid=0 \
		-device virtio-net-pci,netdev=p0,mac=52:54:00:00:00:01 \
		-device virtio-net-pci,netdev=p1,mac=52:54:00:00:00:02 \
		-kernel "$1" -initrd "$2" -append "console=ttyS0 panic=-1 $4" \
		</dev/null >"$3" 2>&1
}

# median of the arguments (integers).
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# bench_table LOG SERIES: medians, ratios and the target, from the guest's
# MBUFBENCH lines: first each driver with the interrupt placement it asks
# for (the target rows), then both with the same placement (pin_irqs in
# guest/net.sh), which shows what is left of the difference without it.
bench_table() {
	local log=$1 m unit a b ratio verdict qv miss=0 sfx target
	local -a va vb

	qv=$(qemu-system-x86_64 --version | head -n1 | sed 's/^QEMU emulator version //')
	printf '\nvtnet / virtio_net, %s, QEMU %s (TCG, 2 CPUs), median of %d runs\n' \
		"$(sed -n 's/.*MBUFTEST BOOTED //p' "$log" | head -n1)" "$qv" "$runs"
	printf '%-30s %14s %14s %7s %7s\n' metric virtio_net vtnet ratio target
	for sfx in "" +pinned; do
		for m in pps64 pps1500 tcp; do
			case $m in
			pps64) unit="pktgen 64 B (pps)" ;;
			pps1500) unit="pktgen 1514 B (pps)" ;;
			tcp) unit="TCP $size MiB (kbit/s)" ;;
			esac
			target='>=0.90'
			[[ -z $sfx ]] || { unit="$unit, pinned"; target=info; }
			mapfile -t va < <(awk -v d="virtio_net$sfx" -v m=$m '$1 == "MBUFBENCH" && $2 == d && $3 == m { print $5 }' "$log")
			mapfile -t vb < <(awk -v d="vtnet$sfx" -v m=$m '$1 == "MBUFBENCH" && $2 == d && $3 == m { print $5 }' "$log")
			if [[ ${#va[@]} -lt 3 || ${#vb[@]} -lt 3 ]]; then
				printf '%-30s %14s %14s %7s %7s  MISSING (%d/%d runs)\n' "$unit" - - - "$target" \
					"${#va[@]}" "${#vb[@]}"
				miss=1
				continue
			fi
			a=$(median "${va[@]}")
			b=$(median "${vb[@]}")
			ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
			verdict=PASS
			if [[ -n $sfx ]]; then
				verdict=
			elif awk -v r="$ratio" 'BEGIN { exit !(r < 0.9) }'; then
				verdict=MISS
			fi
			printf '%-30s %14s %14s %6sx %7s  %s\n' "$unit" "$a" "$b" "$ratio" "$target" "$verdict"
		done
	done
	printf '%s\n' "pinned: every interrupt of NIC A on CPU 0 and of NIC B on CPU 1, for both drivers"
	if grep -q 'MBUFBENCH .* tcp .* bad$' "$log"; then
		info "a TCP transfer did not deliver every byte: see $log"
		miss=1
	fi
	return "$miss"
}

# debug_kernel: the SMP debug kernel of the qemu-6.12-debug stage
# (scripts/qemu-debug.sh builds it; run here first if it has not been
# built for the current config), and the modules built against it.
# Sets kernel, moddir, kdir, dir, cmdline.
debug_kernel() {
	local src ver hash build

	src=$(
		cache_lock src-6.12
		kernel_source 6.12
	)
	ver=$(basename "$src")
	ver=${ver#linux-source-6.12_}
	hash=$(sha256sum <"$MBUFCOMPAT_ROOT/scripts/kconfig/qemu-debug.config" | cut -c1-12)
	build=$MBUFCOMPAT_CACHE/qemu-debug/6.12-kasan_${ver}_$hash
	if [[ ! -f $build/arch/x86/boot/bzImage || ! -f $build/Module.symvers ]]; then
		say "$name: the debug kernel is not built yet: running scripts/qemu-debug.sh kasan first"
		MBUFCOMPAT_RESULTS='' "$MBUFCOMPAT_ROOT/scripts/qemu-debug.sh" kasan >/dev/null || true
		[[ -f $build/arch/x86/boot/bzImage ]] || return 1
	fi
	extra_lock="qemu-debug-6.12-kasan_$ver" build_modules "$build" \
		"6.12-debug_$hash" CONFIG_MBUFCOMPAT_KUNIT_TEST= CONFIG_MBUFCOMPAT_BENCH=
	kernel=$build/arch/x86/boot/bzImage
	moddir=$build
	kdir=$build
	dir=$build
	# The NICs interrupt through MSI-X (CONFIG_PCI_MSI in that config):
	# under TCG with KASAN, ACPI's PCI routing method (_PRT), which INTx
	# needs, can run past ACPICA's loop timeout.
	cmdline="kasan_multi_shot"
}

total_pass=0 total_fail=0
for series in "$@"; do
	name="QEMU net Debian $series"
	logs=$MBUFCOMPAT_CACHE/logs
	mkdir -p "$logs"
	p=0 f=0
	cmdline=
	size=$base_size count64=$base_count64 count1500=$base_count1500
	timeout=$base_timeout
	private=$(mktemp -d)
	if [[ $series == 6.12-debug ]]; then
		name="QEMU net $series"
		timeout=${MBUFCOMPAT_QEMU_TIMEOUT:-2400}
		# That kernel forwards about a hundredth of what a distro
		# kernel does under TCG (KASAN, lockdep, SLUB debugging and
		# debug objects on every packet): a tenth of the pktgen frames
		# (each one still counted) and 8 MiB per TCP transfer, which
		# at its 1 to 3 Mbit/s fits the guest's 300 s limit per transfer.
		count64=${NET_COUNT64:-20000} count1500=${NET_COUNT1500:-10000}
		size=${NET_SIZE:-8}
		if ! debug_kernel; then
			fail "$name: the debug kernel builds"
			total_fail=$((total_fail + 1))
			continue
		fi
	else
		read -r abi ver < <(distro_kernel "$series")
		dir=$(distro_image "$abi" "$ver")
		kernel=$dir/image/boot/vmlinuz-$abi
		moddir=$dir/image/lib/modules/$abi
		kdir=/usr/src/linux-headers-$abi
		[[ -f $kernel ]] || die "no $kernel in linux-image-$abi-unsigned"
		ensure_pkgs gcc make bc flex bison libelf-dev libssl-dev dwarves kmod
		# The benchmark and the 6.12 checks run the production build,
		# whose magazine fast paths are inlined into the KPI (a debug
		# build keeps them out of line for its hooks); the 6.1 checks and
		# the demo the test build, with its double-free cookies.
		if [[ $mode == bench || ($mode == check && $series == 6.12) ]]; then
			build_modules "$kdir" "${abi}_$(path_version "$ver")"
		else
			build_modules "$kdir" "${abi}_$(path_version "$ver")-debug" MBUFCOMPAT_DEBUG=1
		fi
	fi
	if [[ $mbuf_ok == 1 ]]; then
		[[ $mode != check ]] || { pass "$name: mbufcompat.ko builds"; p=$((p + 1)); }
	else
		[[ $mode == check ]] || die "mbufcompat.ko does not build"
		fail "$name: mbufcompat.ko builds"
		f=$((f + 1))
	fi
	if [[ $vtnet_ok == 1 ]]; then
		[[ $mode != check ]] || { pass "$name: vtnet.ko builds against mbufcompat's Module.symvers"; p=$((p + 1)); }
	elif [[ $mbuf_ok == 1 ]]; then
		[[ $mode == check ]] || die "vtnet.ko does not build"
		fail "$name: vtnet.ko builds against mbufcompat's Module.symvers"
		f=$((f + 1))
	fi

	initrd=$dir/initramfs-net-$mode.cpio.gz
	initramfs "$moddir" "$initrd" "$private"/*.ko
	rm -rf "$private"
	log=$logs/qemu-$series-net-$mode.log
	say "$name: booting $(basename "$kernel") with two virtio-net NICs on one hub (TCG, 2 CPUs; timeout ${timeout}s)"
	start=$SECONDS
	rc=0
	boot "$kernel" "$initrd" "$log" "$cmdline $([[ $mode == check ]] && echo loglevel=4 || echo quiet loglevel=3)" || rc=$?
	info "$name: guest ran for $((SECONDS - start)) s (console log: $log)"

	case $mode in
	demo)
		sed -n '/^MBUFDEMO BEGIN$/,/^MBUFDEMO END$/p' "$log" | sed '1d;$d' |
			sed "s/^--- .*/$_c_bold&$_c_off/"
		{ [[ $rc -eq 0 ]] && grep -q '^MBUFDEMO END$' "$log"; } ||
			die "the network demo did not finish (qemu status $rc): see $log"
		"$MBUFCOMPAT_ROOT/scripts/logscan.sh" "$log" ||
			die "the kernel log shows a problem (lines above)"
		continue
		;;
	bench)
		{ [[ $rc -eq 0 ]] && grep -q '^MBUFTEST DONE$' "$log"; } ||
			die "the network benchmark did not finish (qemu status $rc): see $log"
		grep -E '^MBUF(BENCH|INFO) ' "$log" | sed 's/^/    /' >&2
		bench_table "$log" "$series" || total_fail=$((total_fail + 1))
		continue
		;;
	esac

	guest_tally "$name" "$log" "$rc"
	p=$((p + guest_p)) f=$((f + guest_f))
	info "$name: $p passed, $f failed"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
done

[[ $mode != check ]] || result_line "$total_pass" "$total_fail" 0
[[ $total_fail -eq 0 ]]
