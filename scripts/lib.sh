# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# shellcheck shell=bash
#
# Shared helpers for the test harness. Sourced, never run.
#
# Layout of the cache (default ~/.cache/mbufcompat, or $MBUFCOMPAT_CACHE);
# every entry is keyed by the Debian package version it came from, so a new
# kernel package gives a new entry and the old one is simply left behind:
#
#   src/linux-source-6.12_<ver>/     extracted kernel source, this tree
#                                    linked in as drivers/mbufcompat
#   uml/6.12-debug_<ver>/            kunit.py build dir (incremental)
#   uml/6.1-lean_<ver>/
#   distro/<abi>_<ver>/image/        dpkg-deb -x of linux-image-<abi>-unsigned
#   distro/<abi>_<ver>/dkms/         copy of this tree, built like DKMS does
#   distro/<abi>_<ver>/initramfs.cpio.gz
#   logs/                            the kernel logs of the last run, and
#                                    apt's output (apt-<date>.log)

MBUFCOMPAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MBUFCOMPAT_CACHE=${MBUFCOMPAT_CACHE:-${HOME:-/root}/.cache/mbufcompat}
# The module tree the test kernels are built from: this clone, unless a
# harness test points it at a scratch copy (planted bugs, stand-in module).
MBUFCOMPAT_TREE=${MBUFCOMPAT_TREE:-$MBUFCOMPAT_ROOT}
export MBUFCOMPAT_ROOT MBUFCOMPAT_CACHE MBUFCOMPAT_TREE

# The kernel series we support, newest first.
# shellcheck disable=SC2034 # used by the scripts that source this
MBUFCOMPAT_SERIES=(6.12 6.1)

# Colour only on a terminal.
if [[ -t 1 ]]; then
	_c_bold=$'\e[1m' _c_red=$'\e[31m' _c_green=$'\e[32m' _c_off=$'\e[0m'
else
	_c_bold='' _c_red='' _c_green='' _c_off=''
fi

say() { printf '%s==> %s%s\n' "$_c_bold" "$*" "$_c_off" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() { printf '%serror:%s %s\n' "$_c_red" "$_c_off" "$*" >&2; exit 1; }

# One named check result, on stdout, in a form results_count can add up.
pass() { printf '%sPASS%s %s\n' "$_c_green" "$_c_off" "$*"; }
fail() { printf '%sFAIL%s %s\n' "$_c_red" "$_c_off" "$*"; }

# Run as root, or through sudo when we are not.
as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	else
		sudo "$@"
	fi
}

# Version string safe to use in a path (Debian versions hold '+' and '~').
path_version() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }

pkg_installed_version() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

pkg_candidate_version() {
	apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }'
}

# apt_run LOGFILE WHAT CMD...: run an apt command as root, its output
# appended to LOGFILE (under the cache's logs/); on failure show the tail
# of this run's output and die saying WHAT failed.
apt_run() {
	local log=$1 what=$2 out rc=0

	shift 2
	mkdir -p "$(dirname "$log")"
	out=$(mktemp)
	as_root env DEBIAN_FRONTEND=noninteractive "$@" >"$out" 2>&1 || rc=$?
	{
		printf '=== %s: %s (status %d)\n' "$(date -u '+%F %T UTC')" "$*" "$rc"
		cat "$out"
	} >>"$log"
	if [[ $rc -ne 0 ]]; then
		tail -n 25 "$out" | sed 's/^/    | /' >&2
		rm -f "$out"
		die "$what failed (status $rc; apt's whole output: $log)"
	fi
	rm -f "$out"
}

# Where apt's output goes: one log a day in the cache.
apt_log() { printf '%s/logs/apt-%s.log' "$MBUFCOMPAT_CACHE" "$(date -u +%Y%m%d)"; }

# apt-get update, unless this process did already or the lists are less
# than an hour old (several scripts of one run may each want it).
_apt_updated=
apt_update_once() {
	[[ -n $_apt_updated ]] && return 0
	# (apt keeps the server's dates on the lists: use our own stamp.)
	if [[ -n $(find "$MBUFCOMPAT_CACHE/.apt-updated" -mmin -60 2>/dev/null) ]]; then
		_apt_updated=1
		return 0
	fi
	say "apt-get update (refreshing the package lists)"
	apt_run "$(apt_log)" "apt-get update" apt-get update -q
	_apt_updated=1
	mkdir -p "$MBUFCOMPAT_CACHE" && touch "$MBUFCOMPAT_CACHE/.apt-updated"
}

# pkg_reason PKG: why the harness wants PKG, for the one line that says
# what is being installed.
pkg_reason() {
	case $1 in
	qemu-system-x86 | busybox-static | cpio | gzip)
		echo "to boot the test kernels" ;;
	linux-source-*)
		echo "kernel sources for the UML test kernels and checkpatch" ;;
	linux-headers-*-rt-amd64)
		echo "to check the build refuses PREEMPT_RT" ;;
	linux-headers-*)
		echo "to build the module for Debian's kernel" ;;
	sparse) echo "for make sparse" ;;
	shellcheck) echo "for make style" ;;
	dkms) echo "to test the DKMS package" ;;
	*) echo "to build kernels and the module" ;;
	esac
}

# ensure_pkgs [--why REASON] PKG...: install the packages among PKG that
# are not installed yet; silent when they all are. Says in one line what
# it installs and why (REASON, or each package's pkg_reason); apt's
# output goes to $MBUFCOMPAT_CACHE/logs/apt-<date>.log and is shown (its
# tail) only if the install fails.
ensure_pkgs() {
	local p why='' missing=() line='' r
	local -A by_reason=()
	local order=()

	if [[ ${1:-} == --why ]]; then
		why=$2
		shift 2
	fi
	for p in "$@"; do
		[[ -n $(pkg_installed_version "$p") ]] || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	for p in "${missing[@]}"; do
		r=${why:-$(pkg_reason "$p")}
		[[ -n ${by_reason[$r]+set} ]] || order+=("$r")
		by_reason[$r]+="${by_reason[$r]:+ }$p"
	done
	for r in "${order[@]}"; do
		line+="${line:+; }${by_reason[$r]} ($r)"
	done
	apt_update_once
	say "installing $line"
	# Another apt run (another clone's) may hold the lock: wait for it.
	apt_run "$(apt_log)" "apt-get install ${missing[*]}" \
		apt-get install -y -q -o DPkg::Lock::Timeout=600 \
		--no-install-recommends "${missing[@]}"
}

# Extracted source of linux-source-<series>; prints its path. With "link"
# as second argument, this tree is linked in as drivers/mbufcompat (the
# symlink is refreshed every time: the clone may have moved). Only a run
# that builds a kernel from it, holding cache_lock "src-<series>", may
# ask for the link: repointing it under another clone's build breaks that
# build.
kernel_source() {
	local series=$1 link=${2:-} ver dir tarball tmp

	ensure_pkgs "linux-source-$series"
	ver=$(pkg_installed_version "linux-source-$series")
	dir=$MBUFCOMPAT_CACHE/src/linux-source-${series}_$(path_version "$ver")
	tarball=
	for tmp in /usr/src/linux-source-"$series".tar.*; do
		[[ -f $tmp ]] && tarball=$tmp && break
	done
	[[ -n $tarball ]] || die "linux-source-$series is installed but /usr/src/linux-source-$series.tar.* is missing"

	if [[ ! -f $dir/.mbufcompat-extracted ]]; then
		say "Extracting $(basename "$tarball") ($ver) into the cache"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -xf "$tarball" -C "$dir.tmp" --strip-components=1 ||
			die "extracting $tarball failed"
		touch "$dir.tmp/.mbufcompat-extracted"
		mv "$dir.tmp" "$dir"
	fi

	grep -q 'drivers/mbufcompat/Kconfig' "$dir/drivers/Kconfig" ||
		sed -i 's|^endmenu|source "drivers/mbufcompat/Kconfig"\n\nendmenu|' \
			"$dir/drivers/Kconfig"
	grep -q 'drivers/mbufcompat/Kconfig' "$dir/drivers/Kconfig" ||
		die "could not hook drivers/mbufcompat/Kconfig into $dir/drivers/Kconfig"
	# shellcheck disable=SC2016 # make syntax, not shell
	grep -q '^obj-$(CONFIG_MBUFCOMPAT)' "$dir/drivers/Makefile" ||
		printf 'obj-$(CONFIG_MBUFCOMPAT)\t\t+= mbufcompat/\n' >>"$dir/drivers/Makefile"
	[[ $link != link ]] || ln -sfn "$MBUFCOMPAT_TREE" "$dir/drivers/mbufcompat"
	printf '%s\n' "$dir"
}

# The newest Debian cloud kernel of a series whose matching headers package
# is installed or installable. Prints "<abi> <version>", e.g.
# "6.12.117+deb12-cloud-amd64 6.12.117-1~deb12u1".
distro_kernel() {
	local series=$1 pick abi ver

	pick=$(_distro_kernel_pick "$series")
	read -r abi ver <<<"$pick"
	# Not cached yet, so about to download: make sure the lists are
	# current, or the version they name may be gone from the mirror.
	if [[ -z $pick || ! -f $MBUFCOMPAT_CACHE/distro/$(_distro_dir "$abi" "$ver")/image/.mbufcompat-extracted ]]; then
		apt_update_once
		pick=$(_distro_kernel_pick "$series")
	fi
	[[ -n $pick ]] ||
		die "no linux-image-$series*-cloud-amd64-unsigned with matching headers in apt"
	printf '%s\n' "$pick"
}

_distro_dir() { printf '%s_%s' "$1" "$(path_version "$2")"; }

_distro_kernel_pick() {
	local series=$1 n abi iv hv

	for n in $(apt-cache pkgnames "linux-image-$series" 2>/dev/null |
		grep -E "^linux-image-${series}[.][0-9].*-cloud-amd64-unsigned$" |
		sort -Vr); do
		abi=${n#linux-image-}
		abi=${abi%-unsigned}
		iv=$(pkg_candidate_version "$n")
		[[ -n $iv && $iv != "(none)" ]] || continue
		hv=$(pkg_installed_version "linux-headers-$abi")
		[[ -n $hv ]] || hv=$(pkg_candidate_version "linux-headers-$abi")
		[[ $hv == "$iv" ]] || continue
		printf '%s %s\n' "$abi" "$iv"
		return 0
	done
}

# Unpack the distro kernel image (not installed: extracted into the cache)
# and make sure its headers are installed. Prints the extraction dir.
distro_image() {
	local abi=$1 ver=$2 dir pkg deb tmp

	ensure_pkgs "linux-headers-$abi"
	dir=$MBUFCOMPAT_CACHE/distro/$(_distro_dir "$abi" "$ver")
	pkg=linux-image-$abi-unsigned
	if [[ ! -f $dir/image/.mbufcompat-extracted ]]; then
		apt_update_once
		say "apt-get download $pkg=$ver"
		tmp=$(mktemp -d)
		chmod 0777 "$tmp" # apt's _apt user downloads into it
		(cd "$tmp" && apt-get download -qq "$pkg=$ver" >&2) ||
			die "apt-get download $pkg=$ver failed"
		deb=$(ls "$tmp"/*.deb)
		rm -rf "$dir/image"
		mkdir -p "$dir"
		dpkg-deb -x "$deb" "$dir/image.tmp" || die "dpkg-deb -x $deb failed"
		rm -rf "$tmp"
		touch "$dir/image.tmp/.mbufcompat-extracted"
		mv "$dir/image.tmp" "$dir/image"
	fi
	printf '%s\n' "$dir"
}

# Copy the module's sources (not its build products) from this tree into a
# build dir, as DKMS copies them into /var/lib/dkms. Mtimes are kept, so a
# rebuild compiles only what changed; files gone from the tree go here too.
sync_tree() {
	local dst=$1

	mkdir -p "$dst"
	find "$dst" -type f \( -name '*.[ch]' -o -name Kbuild -o -name Kconfig \
		-o -name .kunitconfig -o -name dkms.conf \) -delete
	(
		cd "$MBUFCOMPAT_TREE"
		local top=() d
		for d in Kbuild Kconfig dkms.conf mbufcompat include kunit; do
			[[ -e $d ]] && top+=("$d")
		done
		find -L "${top[@]}" -type f \( -name '*.[ch]' -o -name Kbuild \
			-o -name Kconfig -o -name .kunitconfig -o -name dkms.conf \) -print0 |
			tar --null -T - -chf -
	) | tar -xpf - -C "$dst" || die "copying the sources to $dst failed"
}

# cache_lock NAME: hold an exclusive lock called NAME in the cache until
# this process and its children exit, so that two runs on one machine (two
# clones, or a developer's run beside CI's) never build in one dir at once.
cache_lock() {
	local fd

	mkdir -p "$MBUFCOMPAT_CACHE/locks"
	exec {fd}>"$MBUFCOMPAT_CACHE/locks/$1.lock"
	if ! flock -n "$fd"; then
		info "waiting for another run that uses $1"
		flock "$fd"
	fi
}

# tree_guard MARKDIR OBJDIR: OBJDIR holds build products of this module.
# When the last build there was of another clone, remove them: kbuild
# compares mtimes, which say nothing across clones, so an object newer
# than a different clone's source would be kept.
tree_guard() {
	local mark=$1/.mbufcompat-tree

	if [[ $(cat "$mark" 2>/dev/null) != "$MBUFCOMPAT_TREE" ]]; then
		rm -rf "$2"
		mkdir -p "$1"
		printf '%s\n' "$MBUFCOMPAT_TREE" >"$mark"
	fi
}

# guest_tally NAME LOG RC: the checks a guest printed to its console LOG
# (MBUFTEST PASS/FAIL/INFO lines), whether its script ran to the end and
# the guest powered off (RC: qemu's status), and the kernel log scan, as
# named checks; the counts go to guest_p and guest_f.
guest_tally() {
	local name=$1 log=$2 rc=$3 verdict check

	guest_p=0 guest_f=0
	sed -nE 's/^MBUFTEST INFO /    /p' "$log"
	while read -r verdict check; do
		if [[ $verdict == PASS ]]; then
			pass "$name: $check"
			guest_p=$((guest_p + 1))
		else
			fail "$name: $check"
			guest_f=$((guest_f + 1))
		fi
	done < <(sed -nE 's/^MBUFTEST (PASS|FAIL) /\1 /p' "$log")
	if [[ $rc -eq 0 ]] && grep -q '^MBUFTEST DONE$' "$log"; then
		pass "$name: test script ran to the end and the guest powered off"
		guest_p=$((guest_p + 1))
	else
		fail "$name: test script ran to the end and the guest powered off (qemu status $rc$([[ $rc -eq 124 ]] && echo ": timed out"))"
		tail -n 20 "$log" | sed 's/^/    | /'
		guest_f=$((guest_f + 1))
	fi
	if logscan_check "$name" "$log"; then
		guest_p=$((guest_p + 1))
	else
		guest_f=$((guest_f + 1))
	fi
}

# Every stage ends with "RESULT <passed> <failed> <skipped>": appended to
# $MBUFCOMPAT_RESULTS when check.sh collects them, else printed.
result_line() {
	local l
	l=$(printf 'RESULT %d %d %d' "$1" "$2" "${3:-0}")
	if [[ -n ${MBUFCOMPAT_RESULTS:-} ]]; then
		printf '%s\n' "$l" >>"$MBUFCOMPAT_RESULTS"
	else
		printf '%s\n' "$l"
	fi
}

# logscan_check NAME LOG: the kernel log scan as one named check; its
# status says whether it passed.
logscan_check() {
	if "$MBUFCOMPAT_ROOT/scripts/logscan.sh" "$2"; then
		pass "$1: kernel log scan"
	else
		fail "$1: kernel log scan ($2)"
		return 1
	fi
}

# tcg_patch_race LOG: the guest died of an int3 trap ("Oops: int3") at a
# site its kernel was patching (a static key, an alternative). Under QEMU's
# TCG one vCPU can still run the temporary int3 after another has finished
# the patch; it happened at boot in Debian's sched_clock code with no module
# loaded, and once in the flow-hash setup. No check of ours traps with int3
# (BUG() and WARN() are ud2), so such a run says nothing about the tests.
tcg_patch_race() {
	grep -q 'Oops: int3' "$1"
}

# tcg_guest NAME LOG CMD...: run CMD, a QEMU guest whose serial console
# goes into LOG, and strip the console's CRs from LOG. A run that hit TCG's
# text-patching race (tcg_patch_race) is run once more, its log kept as
# LOG.tcg-race; a second such run stands. Returns CMD's status.
tcg_guest() {
	local name=$1 log=$2 rc retried=
	shift 2

	while :; do
		rc=0
		"$@" || rc=$?
		sed -i 's/\r$//' "$log"
		[[ -z $retried ]] && tcg_patch_race "$log" || return "$rc"
		retried=1
		cp "$log" "$log.tcg-race"
		info "$name: the guest hit QEMU TCG's text-patching race (Oops: int3, kept in $log.tcg-race): running it once more"
	done
}
