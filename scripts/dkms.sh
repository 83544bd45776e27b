#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# dkms.sh [SERIES...]: test the DKMS package (dkms.conf, "make
# dkms-install" and "make dkms-remove") for Debian's 6.12 and 6.1 cloud
# kernels, without touching the machine's /usr/src, /var/lib/dkms or
# /lib/modules: the Makefile's DKMS_SOURCETREE and DKMS_FLAGS point dkms at
# private trees (--dkmstree, --installtree, --no-depmod), and the signing
# key dkms makes goes to a private file too (dkms takes mok_signing_key and
# mok_certificate from the environment).
#
#   make dkms-install KVER="<both releases>"   add, build (a production
#            build against each release's headers) and install
#   the sources copied are only those a build needs
#   dkms status says installed for each release; each module has
#            dkms.conf's version, that release's vermagic, dkms'
#            signature, no test or debug code
#   BUILD_EXCLUSIVE: dkms refuses (status 77) releases outside 6.1 and
#            6.12, given the 6.12 headers, and the PREEMPT_RT release
#   each module, as installed, boots in the matching kernel in QEMU
#            (qemu.sh --guest, guest/dkms.sh): depmod, modprobe with the
#            README's /etc/modprobe.d example, sysctl -p of its
#            /etc/sysctl.d example, every netstat -m line, modprobe -r,
#            the kernel log scan
#   make dkms-remove leaves nothing in the private trees
#   the machine's own trees are as they were
#
# Prints one PASS/FAIL line per check, then "RESULT <passed> <failed> 0".
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[[ $# -ge 1 ]] || set -- "${MBUFCOMPAT_SERIES[@]}"
ensure_pkgs dkms openssl kmod binutils xz-utils

tree=$MBUFCOMPAT_TREE
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$tree/dkms.conf")
[[ -n $version ]] || die "no PACKAGE_VERSION in $tree/dkms.conf"
logs=$MBUFCOMPAT_CACHE/logs
mkdir -p "$logs"
priv=$(mktemp -d "${TMPDIR:-/tmp}/mbufcompat-dkms.XXXXXX")
trap 'rm -rf "$priv"' EXIT
mkdir -p "$priv/src" "$priv/dkms" "$priv/lib/modules"
export mok_signing_key=$priv/mok.key mok_certificate=$priv/mok.pub
dkms_args=(--sourcetree "$priv/src" --dkmstree "$priv/dkms"
	--installtree "$priv/lib/modules" --no-depmod)
mk=(make -s -C "$tree" DKMS_SOURCETREE="$priv/src"
	DKMS_FLAGS="--dkmstree $priv/dkms --installtree $priv/lib/modules --no-depmod")

passed=0 failed=0
ok() { pass "DKMS: $*"; passed=$((passed + 1)); }
bad() { fail "DKMS: $*"; failed=$((failed + 1)); }
# check NAME COMMAND...: one named check from a command's status.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# What a dkms run on this machine would have changed.
host_state() {
	find /usr/src -maxdepth 1 -name 'mbufcompat*'
	find /var/lib/dkms -mindepth 1 2>/dev/null
	find /lib/modules -path '*/updates/dkms/mbufcompat*' 2>/dev/null
}
host_before=$(host_state)

# The README's /etc/modprobe.d and /etc/sysctl.d examples, as tested in
# the guest: each line must be in the README, as a code line.
modprobe_conf='options mbufcompat nmbclusters=131072 nmbjumbop=65536'
sysctl_conf='net.mbuf.nmbjumbo9 = 16384'
readme_has() {
	grep -qxF "    $1" "$tree/README.md" ||
		{ info "README.md lacks the code line '    $1'"; return 1; }
}
check "README's /etc/modprobe.d example is the one tested ($modprobe_conf)" \
	readme_has "$modprobe_conf"
check "README's /etc/sysctl.d example is the one tested ($sysctl_conf)" \
	readme_has "$sysctl_conf"

declare -A abi_of=()
abis=()
for series in "$@"; do
	read -r abi ver < <(distro_kernel "$series")
	distro_image "$abi" "$ver" >/dev/null
	abi_of[$series]=$abi
	abis+=("$abi")
	mkdir -p "$priv/lib/modules/$abi"
done

# --- make dkms-install --------------------------------------------------
say "DKMS: make dkms-install KVER=\"${abis[*]}\" (private trees in $priv)"
t=$SECONDS
log=$logs/dkms-install.log
if "${mk[@]}" dkms-install KVER="${abis[*]}" >"$log" 2>&1; then
	ok "make dkms-install: dkms add, build, install for ${abis[*]} ($((SECONDS - t)) s)"
else
	bad "make dkms-install: dkms add, build, install for ${abis[*]} (log: $log)"
	tail -n 30 "$log" | sed 's/^/    | /' >&2
	for l in "$priv"/dkms/mbufcompat/"$version"/*/*/log/make.log \
		"$priv"/dkms/mbufcompat/"$version"/build/make.log; do
		[[ -f $l ]] || continue
		info "$l:"
		tail -n 20 "$l" | sed 's/^/    | /' >&2
	done
fi

# Only what a production build needs: dkms.conf, the Makefile, Kbuild,
# Kconfig, the module's sources and the public headers.
src=$priv/src/mbufcompat-$version
copied() {
	local top extra products

	top=$(cd "$src" 2>/dev/null && find . -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')
	[[ $top == "Kbuild Kconfig Makefile dkms.conf include mbufcompat " ]] ||
		{ info "top of $src: $top"; return 1; }
	extra=$(find "$src/mbufcompat" "$src/include" -type f ! -name '*.[ch]')
	products=$(find "$src" -name '*.mod.c' -o -name '*.o' -o -name '*.ko')
	[[ -z $extra$products ]] ||
		{ info "not sources: $extra $products"; return 1; }
	info "$(find "$src" -type f | wc -l) files in $src"
}
check "the sources copied are only those a build needs (no kunit/, examples/, scripts/, build products)" copied

# (dkms' stderr holds only readelf's noise about the headers' .comment.)
status=$(dkms status "${dkms_args[@]}" -m mbufcompat 2>/dev/null || true)
while read -r l; do info "dkms status: $l"; done <<<"$status"

# installed_ko ABI: the module as dkms installed it (xz-compressed where
# the kernel compresses its own modules).
installed_ko() {
	find "$priv/lib/modules/$1/updates/dkms" -name 'mbufcompat.ko*' 2>/dev/null |
		head -n1
}
debug_syms='^(mbuf_selftest_|mbuf_stress_|mbuf_leak|mbuf_fill|mbuf_fault_|mbuf_should_fail|_eil_addr_)'
production() {
	local ko=$1 plain=$priv/plain.ko syms

	case $ko in
	*.xz) xz -dc "$ko" >"$plain" || return 1 ;;
	*) cp "$ko" "$plain" ;;
	esac
	syms=$(nm "$plain" | awk '{ print $NF }') || return 1
	grep -qx m_getcl <<<"$syms" || { info "no m_getcl in $ko"; return 1; }
	! grep -qE "$debug_syms" <<<"$syms" ||
		{ info "debug symbols in $ko: $(grep -E "$debug_syms" <<<"$syms" | tr '\n' ' ')"; return 1; }
}
for abi in "${abis[@]}"; do
	check "dkms status: mbufcompat/$version, $abi, x86_64: installed" \
		grep -qxF "mbufcompat/$version, $abi, x86_64: installed" <<<"$status"
	ko=$(installed_ko "$abi")
	if [[ -z $ko ]]; then
		bad "$abi: module installed in <installtree>/$abi/updates/dkms"
		continue
	fi
	ok "$abi: module installed in <installtree>/$abi/updates/dkms ($(basename "$ko"))"
	mv=$(modinfo -F version "$ko" 2>/dev/null || true)
	check "$abi: module version is dkms.conf's ($mv)" test "$mv" = "$version"
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
	check "$abi: vermagic is $abi's ($vm)" test "${vm%% *}" = "$abi"
	signer=$(modinfo -F signer "$ko" 2>/dev/null || true)
	check "$abi: signed with dkms' key ($signer)" \
		test "$signer" = "DKMS module signing key"
	check "$abi: a production build (nm: no test or debug symbols)" \
		production "$ko"
done

# --- BUILD_EXCLUSIVE ------------------------------------------------------
# Given headers that would build, dkms must still refuse a release outside
# the two series (status 77), and build nothing for it.
kdir=/usr/src/linux-headers-${abis[0]}
excluded() {
	local out rc=0

	out=$(dkms build "${dkms_args[@]}" "mbufcompat/$version" -k "$1" \
		--kernelsourcedir "${2:-$kdir}" 2>&1) || rc=$?
	if [[ $rc -ne 77 ]] || ! grep -q 'BUILD_EXCLUSIVE directive which does not match' <<<"$out"; then
		info "dkms build -k $1: status $rc"
		tail -n 5 <<<"$out" | sed 's/^/    | /' >&2
		return 1
	fi
	[[ ! -e $priv/dkms/mbufcompat/$version/$1 ]] ||
		{ info "$priv/dkms/mbufcompat/$version/$1 exists"; return 1; }
}
for kv in 5.10.0-32-amd64 6.0.12-1-amd64 6.11.10+bpo-amd64 6.13.0-1-amd64 \
	6.120.1 "$(uname -r)"; do
	[[ $kv =~ ^6\.(1|12)\. ]] && continue # the machine runs a supported one
	check "BUILD_EXCLUSIVE_KERNEL: dkms refuses $kv (status 77)" excluded "$kv"
done
for abi in "${abis[@]}"; do
	rt=${abi%-cloud-amd64}-rt-amd64
	ensure_pkgs "linux-headers-$rt"
	check "BUILD_EXCLUSIVE_CONFIG: dkms refuses PREEMPT_RT $rt (status 77)" \
		excluded "$rt" "/usr/src/linux-headers-$rt"
done

# --- the installed modules in their kernels -------------------------------
for series in "$@"; do
	abi=${abi_of[$series]}
	ko=$(installed_ko "$abi")
	[[ -n $ko ]] || continue
	root=$priv/guest-$series
	mkdir -p "$root/lib/modules/$abi/updates/dkms" "$root/etc/modprobe.d" \
		"$root/etc/sysctl.d"
	cp "$ko" "$root/lib/modules/$abi/updates/dkms/"
	printf '%s\n' "$modprobe_conf" >"$root/etc/modprobe.d/mbufcompat.conf"
	printf '%s\n' "$sysctl_conf" >"$root/etc/sysctl.d/mbufcompat.conf"
	printf '%s\n' "$version" >"$root/dkms-version"
	out=$priv/guest-$series.out
	"$MBUFCOMPAT_ROOT/scripts/qemu.sh" --guest \
		"$MBUFCOMPAT_ROOT/scripts/guest/dkms.sh" "$ko" "$root" "$series" \
		>"$out" || true
	sed 's/QEMU Debian/DKMS: QEMU Debian/' "$out"
	passed=$((passed + $(grep -c '^PASS' "$out" || true)))
	failed=$((failed + $(grep -c '^FAIL' "$out" || true)))
	grep -qE '^(PASS|FAIL)' "$out" || bad "QEMU Debian $series: guest ran"
done

# --- make dkms-remove -----------------------------------------------------
log=$logs/dkms-remove.log
remove() {
	"${mk[@]}" dkms-remove >"$log" 2>&1 ||
		{ tail -n 20 "$log" | sed 's/^/    | /' >&2; return 1; }
}
check "make dkms-remove (log: $log)" remove
left() {
	local s l

	s=$(dkms status "${dkms_args[@]}" -m mbufcompat 2>/dev/null)
	l=$(find "$priv/src" "$priv/lib/modules" "$priv/dkms" -mindepth 1 \
		-name 'mbufcompat*' 2>/dev/null)
	[[ -z $s$l ]] || { info "left: $s $l"; return 1; }
}
check "after make dkms-remove: nothing in dkms status, the source, dkms or install tree" left
host_after=$(host_state)
check "the machine's /usr/src, /var/lib/dkms and /lib/modules/*/updates/dkms untouched" \
	test "$host_before" = "$host_after"

result_line "$passed" "$failed" 0
[[ $failed -eq 0 ]]
