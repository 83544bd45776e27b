#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# demo.sh: "make demo". Builds the module against Debian's 6.12 cloud kernel
# headers, boots that kernel in QEMU and shows the module at work: the mbuf
# caches in /proc/slabinfo, the limits under /proc/sys/net/mbuf (raised, and
# lowering refused), a workload, netstat -m and vmstat -z, rmmod.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

say "mbufcompat demo: FreeBSD's mbuf(9) allocator on a stock Debian kernel"
info "(first run: installs what is missing and fetches the kernel; later runs take seconds)"
"$MBUFCOMPAT_ROOT/scripts/deps.sh"
"$MBUFCOMPAT_ROOT/scripts/qemu.sh" --demo 6.12
# Part 2: a FreeBSD-style driver (examples/vtnet) moving real traffic.
"$MBUFCOMPAT_ROOT/scripts/net.sh" --demo 6.12
