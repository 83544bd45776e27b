#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# check.sh [STAGE...]: "make check". Stages, all by default, in this order:
#   uml-6.12   KUnit in UML 6.12, debug config (KASAN, UBSAN, lockdep,
#              kmemleak, atomic-sleep, fault injection)
#   uml-6.1    KUnit in UML 6.1, lean config
#   qemu-6.12  insmod/sysctl/stress/rmmod checks on Debian's 6.12 kernel
#   qemu-6.1   the same on Debian's 6.1 kernel
#   qemu-6.12-debug  our own SMP debug kernel (KASAN, lockdep, kmemleak,
#              ...): every KUnit suite at insmod, CPU hotplug under the
#              stress workload, the qemu-6.12 checks
#   net-6.12   traffic between two virtio-net NICs on Debian's 6.12 kernel:
#              Linux's virtio_net (the harness's baseline), then the
#              example driver examples/vtnet (scripts/net.sh)
#   net-6.1    the same on Debian's 6.1 kernel
#   dkms       the DKMS package: make dkms-install for Debian's 6.12 and
#              6.1 headers in private trees, BUILD_EXCLUSIVE refusals, the
#              installed modules modprobe'd in QEMU, make dkms-remove
#              (scripts/dkms.sh; about 3.5 min, two full module builds)
# On demand only (not in the default list):
#   net-6.12-debug  the traffic tests on the SMP debug kernel of
#              qemu-6.12-debug (built by that stage, or first here); its
#              64 MiB TCP transfers fail their time limit (about 1 Mbit/s
#              with KASAN, lockdep and SLUB debugging under TCG)
#   qemu-6.12-kcsan  the same kernel with KCSAN instead of KASAN (its own
#              cold kernel build would take make check past its budget)
# Every kernel log is scanned (one check per kernel). Ends with exactly one
# line "N passed, N failed" (KUnit cases of both UML kernels plus the QEMU
# checks) and exits non-zero if anything failed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[[ $# -ge 1 ]] || set -- uml-6.12 uml-6.1 qemu-6.12 qemu-6.1 qemu-6.12-debug \
	net-6.12 net-6.1 dkms
scripts=$MBUFCOMPAT_ROOT/scripts
start=$SECONDS

say "mbufcompat: make check (cache: $MBUFCOMPAT_CACHE)"
"$scripts/deps.sh"

MBUFCOMPAT_RESULTS=$(mktemp)
export MBUFCOMPAT_RESULTS
trap 'rm -f "$MBUFCOMPAT_RESULTS"' EXIT

summary=()
passed=0 failed=0 skipped=0
for stage in "$@"; do
	case $stage in
	uml-6.12) title="UML 6.12, debug config"; cmd=(uml.sh 6.12 debug) ;;
	uml-6.1) title="UML 6.1, lean config"; cmd=(uml.sh 6.1 lean) ;;
	qemu-6.12) title="QEMU, Debian's 6.12 kernel"; cmd=(qemu.sh 6.12) ;;
	qemu-6.1) title="QEMU, Debian's 6.1 kernel"; cmd=(qemu.sh 6.1) ;;
	qemu-6.12-debug) title="QEMU, SMP debug kernel 6.12"; cmd=(qemu-debug.sh kasan) ;;
	qemu-6.12-kcsan) title="QEMU, SMP KCSAN kernel 6.12"; cmd=(qemu-debug.sh kcsan) ;;
	net-6.12) title="QEMU traffic, Debian's 6.12 kernel"; cmd=(net.sh 6.12) ;;
	net-6.1) title="QEMU traffic, Debian's 6.1 kernel"; cmd=(net.sh 6.1) ;;
	net-6.12-debug) title="QEMU traffic, SMP debug kernel 6.12"; cmd=(net.sh 6.12-debug) ;;
	dkms) title="DKMS package, Debian's 6.12 and 6.1 kernels"; cmd=(dkms.sh) ;;
	*) die "unknown stage '$stage' (uml-6.12 uml-6.1 qemu-6.12 qemu-6.1 qemu-6.12-debug qemu-6.12-kcsan net-6.12 net-6.1 net-6.12-debug dkms)" ;;
	esac
	printf '\n' >&2
	say "[$stage] $title"
	before=$(wc -l <"$MBUFCOMPAT_RESULTS")
	t=$SECONDS
	rc=0
	"$scripts/${cmd[0]}" "${cmd[@]:1}" || rc=$?
	if [[ $(wc -l <"$MBUFCOMPAT_RESULTS") -eq $before ]]; then
		fail "$title: stage aborted (exit status $rc)"
		p=0 f=1 s=0
	else
		read -r _ p f s < <(tail -n1 "$MBUFCOMPAT_RESULTS")
		if [[ $rc -ne 0 && $f -eq 0 ]]; then
			fail "$title: stage exited with status $rc"
			f=1
		fi
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	summary+=("$(printf '%-15s %5d passed %5d failed %3d skipped %6ds' \
		"$stage" "$p" "$f" "$s" $((SECONDS - t)))")
done

printf '\n' >&2
say "Summary ($((SECONDS - start)) s; logs in $MBUFCOMPAT_CACHE/logs)"
printf '    %s\n' "${summary[@]}"
[[ $skipped -eq 0 ]] || info "$skipped KUnit cases skipped (not counted): their config is off in that kernel"
printf '%d passed, %d failed\n' "$passed" "$failed"
[[ $failed -eq 0 ]]
