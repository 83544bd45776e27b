#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# build.sh SERIES [MAKE ARGS...]: build mbufcompat.ko against Debian's
# newest cloud kernel headers of SERIES (6.12 or 6.1) exactly as DKMS
# would: copy the sources to a build dir in the cache and run
# "make -C <headers> M=<build dir>". Extra arguments go to make (W=1, C=2).
# With MBUFCOMPAT_WERROR=1 any compiler, kernel-doc or sparse warning fails
# the build; MBUFCOMPAT_VERBOSE=1 shows the whole make output. Prints the
# path of the module last, on stdout.
#
# MBUFCOMPAT_DEBUG=1 among the make arguments builds the test and debug code
# (CONFIG_MBUFCOMPAT_DEBUG), as the test stages do; it gets a build dir of
# its own (suffix -debug), so that switching between the two builds
# recompiles nothing that did not change.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

series=${1:?usage: build.sh SERIES [MAKE ARGS...]}
shift

ensure_pkgs gcc make bc flex bison libelf-dev libssl-dev dwarves kmod
read -r abi ver < <(distro_kernel "$series")
ensure_pkgs "linux-headers-$abi"
kdir=/usr/src/linux-headers-$abi
[[ -f $kdir/Makefile ]] || die "$kdir is missing although linux-headers-$abi is installed"
flavour=
for arg in "$@"; do
	[[ $arg != MBUFCOMPAT_DEBUG=1 ]] || flavour=-debug
done
dir=$MBUFCOMPAT_CACHE/module/${abi}_$(path_version "$ver")$flavour
log=$dir.log

cache_lock "module-$abi$flavour"
tree_guard "$dir.tree" "$dir"
say "Building mbufcompat.ko for $abi ($ver)${*:+ with $*}"
sync_tree "$dir"
rc=0
if [[ ${MBUFCOMPAT_VERBOSE:-0} == 1 ]]; then
	make -C "$kdir" M="$dir" -j"$(nproc)" "$@" modules 2>&1 | tee "$log" >&2 || rc=$?
else
	make -C "$kdir" M="$dir" -j"$(nproc)" "$@" modules >"$log" 2>&1 || rc=$?
	# Quiet unless something is wrong: show the diagnostics.
	grep -iE '(warning|error):' "$log" >&2 || true
fi
if [[ $rc -ne 0 ]]; then
	[[ ${MBUFCOMPAT_VERBOSE:-0} == 1 ]] || tail -n 40 "$log" >&2
	die "build for $abi failed (log: $log)"
fi
n=$(grep -ciE '(warning|error):' "$log" || true)
if [[ ${MBUFCOMPAT_WERROR:-0} == 1 && $n -ne 0 ]]; then
	die "$n warnings building for $abi (log: $log)"
fi
info "built $dir/mbufcompat.ko ($n warnings)"
[[ -f $dir/mbufcompat.ko ]] || die "no mbufcompat.ko in $dir"
printf '%s\n' "$dir/mbufcompat.ko"
