#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Install, with apt-get, whatever the harness needs and the machine lacks.
# Idempotent, and silent when everything is already there. The distro
# kernels' headers and images are chosen and fetched by lib.sh on demand.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# Building kernels and the module.
pkgs=(gcc make bc flex bison libelf-dev libssl-dev dwarves python3 xz-utils
	kmod perl)
# Checking them.
pkgs+=(sparse)
# Booting the distro kernels.
pkgs+=(qemu-system-x86 busybox-static cpio gzip)
# Kernel sources for the UML builds, checkpatch and the compat layer.
for s in "${MBUFCOMPAT_SERIES[@]}"; do
	pkgs+=("linux-source-$s")
done

ensure_pkgs "${pkgs[@]}"
