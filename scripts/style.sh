#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# style.sh: checkpatch --strict (from the 6.12 kernel source) over the C
# sources, and shellcheck over the scripts. Fails on any finding.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

ensure_pkgs perl shellcheck
src=$(kernel_source 6.12)
cd "$MBUFCOMPAT_ROOT"
status=0

mapfile -t files < <(find mbufcompat include kunit examples -name '*.[ch]' 2>/dev/null | sort)
# Ignored everywhere, because the FreeBSD KPI we implement dictates them: its
# types (uint32_t, u_int, caddr_t: PREFER_KERNEL_TYPES) and typedefs
# (uma_zone_t: NEW_TYPEDEFS); and its functions return POSITIVE errno values
# (ENOBUFS, ENOMEM, ...), as a porter expects (USE_NEGATIVE_ERRNO). And
# checkpatch knows EXPORT_SYMBOL but not our wrapper, so a "blank line after
# function" finding right before MBUF_EXPORT() is dropped below.
ignore=PREFER_KERNEL_TYPES,NEW_TYPEDEFS,USE_NEGATIVE_ERRNO

# extra_ignore FILE: the further types ignored in FILE only, and why.
extra_ignore() {
	local extra=""

	case $1 in
	include/sys/*.h)
		# Public FreeBSD headers: flag and size constants are spelt as
		# FreeBSD spells them ("1 << MCLSHIFT" is an int; BIT() is not).
		extra+=",BIT_MACRO" ;;
	esac
	case $1 in
	include/sys/mbuf.h)
		# ext_count, ext_cnt and m_snd_tag.refcount are volatile in
		# FreeBSD's structures, which ported code may rely on.
		extra+=",VOLATILE" ;;
	include/sys/queue.h)
		# The BSD queue macros take a field name and a struct tag as
		# arguments, which can be neither parenthesised nor evaluated
		# once; SLIST_HEAD_INITIALIZER(head) ignores its argument, as
		# FreeBSD's does.
		extra+=",MACRO_ARG_REUSE,MACRO_ARG_PRECEDENCE,MACRO_ARG_UNUSED" ;;
	mbufcompat/compat.h)
		# Kernel version checks are what this file is for (and the only
		# place they are allowed); a newer kernel's branch may drop an
		# argument the older one needs (mbuf_trace_assign_str).
		extra+=",LINUX_VERSION_CODE,MACRO_ARG_UNUSED" ;;
	mbufcompat/trace.h)
		# TRACE_EVENT() is laid out as every kernel trace header lays it
		# out: one TP_*() argument a line, each opening a block.
		extra+=",OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT" ;;
	esac
	printf '%s' "$extra"
}

# One checkpatch run per distinct ignore list.
declare -A groups=()
for f in "${files[@]}"; do
	key="$ignore$(extra_ignore "$f")"
	groups[$key]+="$f"$'\n'
done

say "checkpatch --strict (ignoring $ignore, and per file): ${#files[@]} files"
if [[ ${#files[@]} -gt 0 ]]; then
	out=$(mktemp)
	for key in "${!groups[@]}"; do
		mapfile -t group < <(printf '%s' "${groups[$key]}")
		perl "$src/scripts/checkpatch.pl" --strict --no-tree --quiet \
			--show-types --no-summary --ignore "$key" \
			-f "${group[@]}" >>"$out" || true
	done
	n=$(awk 'BEGIN { RS = ""; ORS = "\n\n" }
		/LINE_SPACING/ && /\n\+MBUF_EXPORT\(/ { next }
		{ print >"/dev/stderr"; n++ }
		END { print n + 0 }' "$out")
	rm -f "$out"
	[[ $n -eq 0 ]] || { info "checkpatch: $n findings"; status=1; }
fi

say "shellcheck: scripts"
shellcheck -x scripts/*.sh .ci/run || status=1
shellcheck -s sh scripts/guest/* || status=1

[[ $status -eq 0 ]] && say "style: clean"
exit "$status"
