#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# kernels.sh: prepare the kernels the tests use, in the cache, and print
# where they are. The other scripts do this on demand; this is for people.
#
#   kernels.sh source 6.12   extracted linux-source-6.12, this tree linked in
#                            as drivers/mbufcompat (for in-tree builds)
#   kernels.sh image 6.1     Debian's newest 6.1 cloud kernel, unpacked,
#                            with its headers installed
#   kernels.sh list          both of each
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

image() {
	local abi ver dir

	read -r abi ver < <(distro_kernel "$1")
	dir=$(distro_image "$abi" "$ver")
	printf '%s\t%s\t%s\n' "$abi" "$dir/image/boot/vmlinuz-$abi" \
		"/usr/src/linux-headers-$abi"
}

case ${1:-list} in
source) kernel_source "${2:?series (6.12 or 6.1)}" ;;
image) image "${2:?series (6.12 or 6.1)}" ;;
list)
	for s in "${MBUFCOMPAT_SERIES[@]}"; do
		printf 'source %s\t%s\n' "$s" "$(kernel_source "$s")"
		printf 'image %s\t%s\n' "$s" "$(image "$s")"
	done
	;;
*) die "usage: kernels.sh source|image SERIES, or kernels.sh list" ;;
esac
