#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# qemu-debug.sh [kasan|kcsan]: the module on an SMP debug kernel of our own.
#
# Builds an x86-64 kernel from Debian's linux-source-6.12 with a small
# config: allnoconfig plus scripts/kconfig/qemu-debug.config (what booting
# in QEMU, the network tests and the module need; SMP, full preemption,
# CPU hotplug, and the debug options: KASAN, KFENCE, lockdep, atomic-sleep,
# kmemleak, UBSAN, SLUB debugging, fault injection, KUnit). The kcsan
# profile adds qemu-kcsan.config (KCSAN instead of KASAN, which exclude
# each other). The build dir is in the cache, keyed by source version and
# config hash; a new key starts from a copy of the newest build of the
# same source and profile, so a config change recompiles only what it
# touches.
#
# The module is built twice against that tree: in tree, linked under
# drivers/ as =m with its KUnit suites (every suite runs at insmod), and out
# of tree without them (for the distro-stage checks, which load it several
# times). The guest (4 CPUs, TCG) runs scripts/guest/smp.sh: KUnit, CPU
# hotplug under the stress workload, scripts/guest/check.sh, and kmemleak
# cleared before and scanned after. Then the console log is checked for
# KASAN (or KCSAN) and 4 CPUs, and scanned (logscan.sh).
#
# Prints one PASS/FAIL line per check (KUnit cases counted as such), then
# "RESULT <passed> <failed> <skipped>".
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

profile=${1:-kasan}
series=6.12
kconfig=$MBUFCOMPAT_ROOT/scripts/kconfig
guest=$MBUFCOMPAT_ROOT/scripts/guest
case $profile in
kasan)
	frags=("$kconfig/qemu-debug.config")
	sanitizer='KernelAddressSanitizer initialized'
	;;
kcsan)
	frags=("$kconfig/qemu-debug.config" "$kconfig/qemu-kcsan.config")
	sanitizer='kcsan: enabled early'
	;;
*)
	die "unknown profile '$profile' (kasan or kcsan)"
	;;
esac
name="QEMU $series-debug ($profile)"
[[ $profile == kasan ]] || name="QEMU $series-$profile"
timeout=${MBUFCOMPAT_QEMU_TIMEOUT:-2400}
logs=$MBUFCOMPAT_CACHE/logs
tag=qemu-$series-$profile
mkdir -p "$logs"

ensure_pkgs gcc make bc flex bison libelf-dev libssl-dev kmod python3 \
	qemu-system-x86 busybox-static cpio gzip

# The source, with this tree linked in. The lock guards the link: hold it
# only while something reads drivers/mbufcompat (kernel_source relinks it).
src=$(
	cache_lock "src-$series"
	kernel_source "$series"
)
ver=$(basename "$src")
ver=${ver#linux-source-"$series"_}
hash=$(cat "${frags[@]}" | sha256sum | cut -c1-12)
builds=$MBUFCOMPAT_CACHE/qemu-debug
build=$builds/$series-${profile}_${ver}_$hash
cache_lock "qemu-debug-$series-${profile}_$ver"

# shellcheck disable=SC2317 # called through run_logged
kmake() { nice -n 10 make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" "$@"; }

# allnoconfig plus the fragments; every symbol they set must stick, except
# the module's own (its Kconfig may not have them yet).
# (A later fragment overrides an earlier one, as KCONFIG_ALLCONFIG reads it.)
configure() {
	local all=$build/.mbufcompat-fragment l sym got bad=0
	local -A want=()

	cat "${frags[@]}" >"$all"
	KCONFIG_ALLCONFIG=$all nice -n 10 make -C "$src" O="$build" ARCH=x86_64 \
		-s allnoconfig >"$build/.mbufcompat-config.log" 2>&1 || {
		tail -n 5 "$build/.mbufcompat-config.log" >&2
		return 1
	}
	while IFS= read -r l; do
		if [[ $l =~ ^#\ (CONFIG_[A-Z0-9_]+)\ is\ not\ set ]]; then
			want[${BASH_REMATCH[1]}]=
		elif [[ $l =~ ^(CONFIG_[A-Z0-9_]+)=(.*)$ ]]; then
			want[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		fi
	done <"$all"
	for sym in "${!want[@]}"; do
		got=$(sed -n "s/^$sym=//p" "$build/.config")
		[[ $got == "${want[$sym]}" ]] && continue
		[[ $sym == CONFIG_MBUFCOMPAT_* ]] && continue
		info "config: $sym=${want[$sym]:-n} did not stick (got ${got:-n}: a dependency is off)"
		bad=1
	done
	[[ $bad -eq 0 ]] || {
		info "the kernel config does not hold what the fragments ask for"
		return 1
	}
}

# A new build dir starts from the newest one of this source and profile.
if [[ ! -f $build/.config ]]; then
	seed=
	for d in "$builds/$series-${profile}_${ver}_"*; do
		[[ -f $d/.config && $d != "$build" ]] || continue
		[[ -z $seed || $d/.config -nt $seed/.config ]] && seed=$d
	done
	if [[ -n $seed ]]; then
		info "new config: starting from the objects of $(basename "$seed")"
		rm -rf "$build.tmp"
		cp -a "$seed" "$build.tmp"
		mv "$build.tmp" "$build"
	fi
fi
mkdir -p "$build"

# run_logged LOG WHAT COMMAND...: COMMAND's output into LOG; every minute a
# line of progress, as the UML builds print.
run_logged() {
	local log=$1 what=$2 start=$SECONDS stamp hb rc=0
	shift 2

	stamp=$build/.mbufcompat-stamp
	touch "$stamp"
	(
		while sleep 60; do
			n=$(find "$build" -name '*.o' -newer "$stamp" 2>/dev/null | wc -l)
			info "$name: $what, $(((SECONDS - start) / 60)) min, $n objects compiled"
		done
	) &
	hb=$!
	"$@" >"$log" 2>&1 || rc=$?
	kill "$hb" 2>/dev/null || true
	wait "$hb" 2>/dev/null || true
	if [[ $rc -ne 0 ]]; then
		grep -E 'error:|Error [0-9]' "$log" | head -n 20 >&2 || true
		tail -n 15 "$log" >&2
	fi
	return "$rc"
}

passed=0 failed=0 skipped=0
ok() { pass "$name: $*"; passed=$((passed + 1)); }
nok() { fail "$name: $*"; failed=$((failed + 1)); }
finish() {
	result_line "$passed" "$failed" "$skipped"
	[[ $failed -eq 0 ]]
	exit
}

# --- the kernel ------------------------------------------------------------
if ! (
	cache_lock "src-$series"
	kernel_source "$series" link >/dev/null
	configure
); then
	nok "kernel configures (allnoconfig + ${frags[*]##*/})"
	finish
fi
say "$name: building the kernel (source $(basename "$src"), build dir $build)"
[[ -f $build/arch/x86/boot/bzImage ]] ||
	info "cold build: on 2 cores this takes a long while (see the README's time table)"
t=$SECONDS
if ! run_logged "$logs/$tag-build.log" "building the kernel" kmake bzImage; then
	nok "kernel builds (log: $logs/$tag-build.log)"
	finish
fi
info "$name: kernel built in $((SECONDS - t)) s"
kernel=$build/arch/x86/boot/bzImage

# --- the module, in tree with its suites and out of tree without ----------
oot=$build/mbufcompat-oot
t=$SECONDS
rc=0
(
	cache_lock "src-$series"
	kernel_source "$series" link >/dev/null
	tree_guard "$build/drivers" "$build/drivers/mbufcompat"
	configure
	run_logged "$logs/$tag-module.log" "building the modules" kmake modules
) || rc=$?
ko_kunit=$build/drivers/mbufcompat/mbufcompat.ko
if [[ $rc -ne 0 || ! -f $ko_kunit ]]; then
	nok "module builds in tree with its KUnit suites (log: $logs/$tag-module.log)"
	finish
fi
ok "module builds in tree with its KUnit suites"
tree_guard "$oot.tree" "$oot"
sync_tree "$oot"
if ! run_logged "$logs/$tag-oot.log" "building the module out of tree" \
	nice -n 10 make -C "$build" M="$oot" -j"$(nproc)" MBUFCOMPAT_DEBUG=1 CONFIG_MBUFCOMPAT_KUNIT_TEST= \
	CONFIG_MBUFCOMPAT_BENCH= modules || [[ ! -f $oot/mbufcompat.ko ]]; then
	nok "module builds out of tree against the debug kernel (log: $logs/$tag-oot.log)"
	finish
fi
ok "module builds out of tree against the debug kernel"
info "$name: modules built in $((SECONDS - t)) s"

# --- the guest ---------------------------------------------------------------
busybox=/bin/busybox
initrd=$build/initramfs.cpio.gz
tmp=$(mktemp -d)
mkdir -p "$tmp/bin"
cp "$busybox" "$tmp/bin/busybox"
cp "$guest/init" "$tmp/init"
cp "$guest/lib.sh" "$tmp/lib.sh"
cp "$guest/smp.sh" "$tmp/test.sh"
cp "$guest/check.sh" "$tmp/check.sh"
cp "$oot/mbufcompat.ko" "$tmp/mbufcompat.ko"
cp "$ko_kunit" "$tmp/mbufcompat-kunit.ko"
chmod 755 "$tmp/init" "$tmp/test.sh" "$tmp/check.sh"
(cd "$tmp" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$initrd"
rm -rf "$tmp"

log=$logs/$tag.log
say "$name: booting in QEMU (TCG, 4 CPUs, 1G; timeout ${timeout}s)"
# debug_guest: one run of the guest, console into $log; its status is
# QEMU's (0 when the watcher stopped it after the log dump).
# shellcheck disable=SC2317 # called through tcg_guest
debug_guest() {
	local start=$SECONDS qemu watch rc=0

	# The guest powers off at the end; should it hang after dumping its log
	# (or before: the timeout), stop QEMU.
	: >"$log"
	timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -smp 4 -m 1G \
		-nographic -no-reboot -nic none -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 loglevel=7 kasan_multi_shot sysctl.kernel.hung_task_timeout_secs=300" \
		</dev/null >"$log" 2>&1 &
	qemu=$!
	(
		while sleep 5; do
			grep -q '^MBUFTEST DMESG END' "$log" 2>/dev/null && break
			n=$(grep -c '^MBUFTEST \(PASS\|FAIL\)' "$log" 2>/dev/null || true)
			[[ $(((SECONDS - start) % 60)) -lt 5 ]] &&
				info "$name: guest running, $(((SECONDS - start) / 60)) min, $n checks done"
		done
		sleep 2
		kill "$qemu" 2>/dev/null || true
	) &
	watch=$!
	wait "$qemu" || rc=$?
	kill "$watch" 2>/dev/null || true
	wait "$watch" 2>/dev/null || true
	info "$name: guest ran for $((SECONDS - start)) s (console log: $log)"
	# Killed by the watcher after the dump: that is the normal end.
	grep -q '^MBUFTEST DMESG END' "$log" && [[ $rc -ne 124 ]] && rc=0
	return "$rc"
}
rc=0
tcg_guest "$name" "$log" debug_guest || rc=$?

# The boot: the sanitizer and 4 CPUs.
if grep -q "$sanitizer" "$log"; then
	ok "kernel log: $sanitizer"
else
	nok "kernel log: '$sanitizer' missing"
fi
if grep -qE 'smp: Brought up [0-9]+ nodes?, 4 CPUs' "$log"; then
	ok "kernel log: 4 CPUs brought up"
else
	nok "kernel log: 4 CPUs brought up ($(grep -m1 'smp: Brought up' "$log" || echo none))"
fi

# KUnit: the KTAP the suites printed at insmod, from the log dump.
ktap=$logs/$tag.ktap
# The kernel's own (empty) run of built-in suites at boot prints a KTAP
# document of its own ("1..0"); kunit.py would stop there, so it is cut.
sed -n '/^MBUFTEST DMESG BEGIN$/,/^MBUFTEST DMESG END$/p' "$log" |
	awk '/KTAP version 1$/ { held = $0; next }
	     held != "" && /\] 1\.\.0$/ { held = ""; next }
	     held != "" { print held; held = "" }
	     { print }' >"$ktap"
kout=$logs/$tag.kunit
python3 "$src/tools/testing/kunit/kunit.py" parse "$ktap" >"$kout" 2>&1 || true
grep -E '^\[[0-9:]+\] (\[FAILED\]|\[SKIPPED\]|\[CRASHED\]|# .*(fail|skip))' "$kout" |
	sed 's/^/    /' | head -n 40 || true
summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$kout" | tail -n1 || true)
if [[ -z $summary ]]; then
	nok "KUnit: no results in the log (see $kout)"
else
	field() { sed -nE "s/.* $1: ([0-9]+).*/\\1/p" <<<"$summary"; }
	kp=$(field passed) kf=$(field failed) ks=$(field skipped)
	kc=$(field crashed) ke=$(field errors)
	kp=${kp:-0} kf=$((${kf:-0} + ${kc:-0} + ${ke:-0})) ks=${ks:-0}
	info "$name: KUnit $kp passed, $kf failed, $ks skipped (full output: $kout)"
	if [[ $kp -eq 0 ]]; then
		nok "KUnit: no case passed (see $kout)"
	fi
	passed=$((passed + kp)) failed=$((failed + kf)) skipped=$((skipped + ks))
fi

# The guest's checks.
sed -nE 's/^MBUFTEST INFO /    /p' "$log"
while read -r verdict check; do
	if [[ $verdict == PASS ]]; then ok "$check"; else nok "$check"; fi
done < <(sed -nE 's/^MBUFTEST (PASS|FAIL) /\1 /p' "$log")
if [[ $rc -eq 0 ]] && grep -q '^MBUFTEST DONE$' "$log" &&
	grep -q '^MBUFTEST DMESG END$' "$log"; then
	ok "test script ran to the end"
else
	nok "test script ran to the end (qemu status $rc$([[ $rc -eq 124 ]] && echo ": timed out"))"
	tail -n 20 "$log" | sed 's/^/    | /'
fi
if logscan_check "$name" "$log"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
info "$name: $passed passed, $failed failed, $skipped skipped"
finish
