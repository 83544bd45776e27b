#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# qemu.sh [--demo] SERIES...: test the module on Debian's own kernels.
#
# For each series (6.12, 6.1): build mbufcompat.ko against the newest
# linux-headers-*-cloud-amd64 as DKMS would (build.sh), with the test and
# debug code (MBUFCOMPAT_DEBUG=1) that the checks and the demo drive; in
# check mode also a production build, which must hold none of that code
# (checked here with nm, and in the guest, which loads it too); unpack the matching
# linux-image-*-unsigned into the cache (not installed), pack a busybox
# initramfs with the module and a test script (guest/check.sh, or
# guest/demo.sh with --demo), and boot it: qemu-system-x86_64 -accel tcg
# (KVM fails on these hosts with an emulation error) -smp 2 -m 1G,
# console on the serial port, power off at the end, bounded by a timeout
# ($MBUFCOMPAT_QEMU_TIMEOUT seconds, default 600).
#
# Check mode prints one PASS/FAIL line per guest check plus the log scan,
# then "RESULT <passed> <failed> <skipped>".
#
# qemu.sh --guest SCRIPT KO ROOT SERIES...: no build, for a stage that
# brings its own module (dkms.sh): boot with KO as /mbufcompat.ko, the
# files under ROOT copied over the initramfs root, and SCRIPT as the test
# script; print its checks and the log scan as PASS/FAIL lines, no RESULT
# line; the exit status says whether any failed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=check
guest_root=
if [[ ${1:-} == --demo ]]; then
	mode=demo
	shift
elif [[ ${1:-} == --guest ]]; then
	mode=guest
	guest_script=${2:?usage: qemu.sh --guest SCRIPT KO ROOT SERIES...}
	guest_ko=${3:?usage: qemu.sh --guest SCRIPT KO ROOT SERIES...}
	guest_root=${4:?usage: qemu.sh --guest SCRIPT KO ROOT SERIES...}
	shift 4
fi
[[ $# -ge 1 ]] || set -- "${MBUFCOMPAT_SERIES[@]}"
timeout=${MBUFCOMPAT_QEMU_TIMEOUT:-600}
guest=$MBUFCOMPAT_ROOT/scripts/guest

ensure_pkgs qemu-system-x86 busybox-static cpio gzip binutils
busybox=/bin/busybox
[[ -x $busybox ]] || die "$busybox missing although busybox-static is installed"

# initramfs KO SCRIPT OUT [PRODKO]: /init, busybox, the module, the test
# script and, if given, the production module as /mbufcompat-prod.ko.
initramfs() {
	local ko=$1 script=$2 out=$3 prodko=${4:-} tmp

	tmp=$(mktemp -d)
	mkdir -p "$tmp/bin"
	cp "$busybox" "$tmp/bin/busybox"
	cp "$guest/init" "$tmp/init"
	cp "$guest/lib.sh" "$tmp/lib.sh"
	cp "$script" "$tmp/test.sh"
	cp "$ko" "$tmp/mbufcompat.ko"
	[[ -z $prodko ]] || cp "$prodko" "$tmp/mbufcompat-prod.ko"
	[[ -z $guest_root ]] || cp -a "$guest_root/." "$tmp/"
	chmod 755 "$tmp/init" "$tmp/test.sh"
	(cd "$tmp" && find . -print0 | cpio --null -o -H newc --quiet) |
		gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
}

# boot KERNEL INITRD LOG CMDLINE: run the guest, serial console into LOG.
boot() {
	tcg_guest "${name:-QEMU}" "$3" qemu_guest "$@"
}

qemu_guest() {
	timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -smp 2 -m 1G \
		-nographic -no-reboot -nic none \
		-kernel "$1" -initrd "$2" \
		-append "console=ttyS0 panic=-1 $4" \
		</dev/null >"$3" 2>&1
}

# prod_has_no_debug DEBUGKO PRODKO: the symbols of the test and debug code
# (the debugfs workloads of selftest.c, the fault injection of fault.c, any
# error-injection list entry) are in the debug module and none of them in
# the production one. Checking the debug module too proves the patterns
# still name real symbols.
debug_syms='^(mbuf_selftest_|mbuf_stress_|mbuf_leak|mbuf_fill|mbuf_fault_|mbuf_should_fail|_eil_addr_)'
prod_has_no_debug() {
	local dsyms psyms dbg prod

	if ! dsyms=$(nm "$1") || ! psyms=$(nm "$2"); then
		info "nm failed on $1 or $2"
		return 1
	fi
	dbg=$(awk '{ print $NF }' <<<"$dsyms" | grep -cE "$debug_syms" || true)
	prod=$(awk '{ print $NF }' <<<"$psyms" | grep -E "$debug_syms" || true)
	if [[ $dbg -lt 4 ]]; then
		info "only $dbg debug symbols in the debug module $1: the check is stale"
		return 1
	fi
	if [[ -n $prod ]]; then
		info "debug symbols in the production module $2: ${prod//$'\n'/ }"
		return 1
	fi
	info "debug module: $dbg debug symbols; production module: none"
}

# rt_refused ABI: building against the PREEMPT_RT headers of the same
# kernel (Debian's linux-headers-*-rt-amd64) fails with the one-line
# refusal of Kbuild, before anything is compiled.
rt_message="mbufcompat: PREEMPT_RT kernels are not supported"
rt_refused() {
	local rt=${1%-cloud-amd64}-rt-amd64 kdir dir out stops

	ensure_pkgs "linux-headers-$rt"
	kdir=/usr/src/linux-headers-$rt
	grep -qs '^CONFIG_PREEMPT_RT=y' "$kdir/include/config/auto.conf" || {
		info "$kdir is not a PREEMPT_RT kernel"
		return 1
	}
	dir=$MBUFCOMPAT_CACHE/module/${rt}_refusal
	cache_lock "module-$rt"
	tree_guard "$dir.tree" "$dir"
	sync_tree "$dir"
	if out=$(make -C "$kdir" M="$dir" modules 2>&1); then
		info "the module built for $rt"
		return 1
	fi
	# make's own "*** [target] Error" lines follow; count only the error.
	stops=$(grep -c '\*\*\* [^[]' <<<"$out" || true)
	if ! grep -qF "*** $rt_message" <<<"$out" || [[ $stops -ne 1 ]] ||
		[[ -n $(find "$dir" -name '*.o' -print -quit) ]]; then
		info "building for $rt failed otherwise:"
		tail -n 15 <<<"$out" | sed 's/^/    | /' >&2
		return 1
	fi
	info "$(grep -F "$rt_message" <<<"$out")"
}

# This run's copies of the modules (build dirs are shared between runs).
kos=$(mktemp -d)
trap 'rm -rf "$kos"' EXIT

total_pass=0 total_fail=0
if [[ $mode == check ]]; then
	if "$MBUFCOMPAT_ROOT/scripts/logscan.sh" --selftest; then
		pass "log scan self-test: reports, the module's own error lines, expected-line markers"
		total_pass=$((total_pass + 1))
	else
		fail "log scan self-test: reports, the module's own error lines, expected-line markers"
		total_fail=$((total_fail + 1))
	fi
fi
for series in "$@"; do
	name="QEMU Debian $series"
	read -r abi ver < <(distro_kernel "$series")
	dir=$(distro_image "$abi" "$ver")
	kernel=$dir/image/boot/vmlinuz-$abi
	[[ -f $kernel ]] || die "no $kernel in linux-image-$abi-unsigned"
	logs=$MBUFCOMPAT_CACHE/logs
	mkdir -p "$logs"

	if [[ $mode == guest ]]; then
		initrd=$kos/initramfs-$series-guest.cpio.gz
		initramfs "$guest_ko" "$guest_script" "$initrd"
		log=$kos/qemu-$series-$(basename "$guest_script" .sh).log
		shared=$logs/qemu-$series-$(basename "$guest_script" .sh).log
		say "$name: booting $abi in QEMU with $(basename "$guest_script") (timeout ${timeout}s)"
		start=$SECONDS
		rc=0
		boot "$kernel" "$initrd" "$log" "loglevel=4" || rc=$?
		cp "$log" "$shared"
		info "$name: guest ran for $((SECONDS - start)) s (console log: $shared)"
		guest_tally "$name" "$log" "$rc"
		total_pass=$((total_pass + guest_p)) total_fail=$((total_fail + guest_f))
		continue
	fi

	if ! ko=$(MBUFCOMPAT_KO_COPY=$kos/debug-$series.ko \
		"$MBUFCOMPAT_ROOT/scripts/build.sh" "$series" \
		MBUFCOMPAT_DEBUG=1 | tail -n1); then
		fail "$name: module builds against linux-headers-$abi (MBUFCOMPAT_DEBUG=1)"
		total_fail=$((total_fail + 1))
		continue
	fi
	prodko=
	if [[ $mode == check ]]; then
		pass "$name: module builds against linux-headers-$abi (MBUFCOMPAT_DEBUG=1)"
		total_pass=$((total_pass + 1))
		if prodko=$(MBUFCOMPAT_KO_COPY=$kos/prod-$series.ko \
			"$MBUFCOMPAT_ROOT/scripts/build.sh" "$series" | tail -n1); then
			pass "$name: production module builds against linux-headers-$abi"
			total_pass=$((total_pass + 1))
			if prod_has_no_debug "$ko" "$prodko"; then
				pass "$name: production module holds no test or debug code (nm)"
				total_pass=$((total_pass + 1))
			else
				fail "$name: production module holds no test or debug code (nm)"
				total_fail=$((total_fail + 1))
			fi
		else
			fail "$name: production module builds against linux-headers-$abi"
			total_fail=$((total_fail + 1))
			prodko=
		fi
	fi

	if [[ $mode == check ]]; then
		if rt_refused "$abi"; then
			pass "$name: PREEMPT_RT headers refused with one line ($rt_message)"
			total_pass=$((total_pass + 1))
		else
			fail "$name: PREEMPT_RT headers refused with one line ($rt_message)"
			total_fail=$((total_fail + 1))
		fi
	fi

	# The initramfs and the console log are this run's own (another
	# clone's run may boot the same kernel meanwhile); the log is copied
	# to the shared logs dir once the guest is done.
	script=$guest/$mode.sh
	initrd=$kos/initramfs-$series-$mode.cpio.gz
	initramfs "$ko" "$script" "$initrd" "$prodko"
	log=$kos/qemu-$series-$mode.log
	shared=$logs/qemu-$series-$mode.log

	say "$name: booting $abi in QEMU (TCG, 2 CPUs, 1G; timeout ${timeout}s)"
	start=$SECONDS
	rc=0
	if [[ $mode == demo ]]; then
		boot "$kernel" "$initrd" "$log" "quiet loglevel=3" || rc=$?
		cp "$log" "$shared"
		sed -n '/^MBUFDEMO BEGIN$/,/^MBUFDEMO END$/p' "$log" | sed '1d;$d' |
			sed "s/^--- .*/$_c_bold&$_c_off/"
		info "booted, ran and powered off in $((SECONDS - start)) s (full console log: $shared)"
		if [[ $rc -ne 0 ]] || ! grep -q '^MBUFDEMO END$' "$log"; then
			die "the demo did not finish (qemu status $rc): see $shared"
		fi
		"$MBUFCOMPAT_ROOT/scripts/logscan.sh" "$log" ||
			die "the kernel log shows a problem (lines above)"
		continue
	fi

	boot "$kernel" "$initrd" "$log" "loglevel=4" || rc=$?
	cp "$log" "$shared"
	info "$name: guest ran for $((SECONDS - start)) s (console log: $shared)"
	guest_tally "$name" "$log" "$rc"
	p=$guest_p f=$guest_f
	info "$name: $p passed, $f failed"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
done

[[ $mode != check ]] || result_line "$total_pass" "$total_fail" 0
[[ $mode == demo || $total_fail -eq 0 ]]
