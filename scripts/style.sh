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

mapfile -t files < <(find mbufcompat include kunit -name '*.[ch]' 2>/dev/null | sort)
# Ignored, because the FreeBSD KPI we implement dictates them: its types
# (uint32_t, u_int, caddr_t: PREFER_KERNEL_TYPES) and typedefs (uma_zone_t:
# NEW_TYPEDEFS). And checkpatch knows EXPORT_SYMBOL but not our wrapper, so a
# "blank line after function" finding right before MBUF_EXPORT() is dropped.
ignore=PREFER_KERNEL_TYPES,NEW_TYPEDEFS
say "checkpatch --strict (ignoring $ignore): ${#files[@]} files"
if [[ ${#files[@]} -gt 0 ]]; then
	out=$(mktemp)
	perl "$src/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--show-types --no-summary --ignore "$ignore" -f "${files[@]}" \
		>"$out" || true
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
