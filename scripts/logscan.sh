#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# logscan.sh LOG...: fail if a kernel log shows that something went wrong.
#
# Looks for the reports of KASAN, UBSAN, lockdep, kmemleak, SLUB debugging,
# WARN/BUG/Oops, RCU stalls, hung tasks and stack dumps, and prints every
# offending line with its line number. Exits 0 when the logs are clean.
#
# Known and harmless, so ignored:
#  - the WARNING (and its stack dump) that kunit.py's default UML config
#    triggers at boot: virtio-PCI with no device configured (virt-pci.c,
#    "No virtio device ID configured");
#  - the stack dump that follows "FAULT_INJECTION: forcing a failure"
#    when a fault_attr has verbose set: an injected failure is a test
#    doing its job, not a bug.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: logscan.sh LOG..." >&2; exit 2; }

status=0
for log in "$@"; do
	if [[ ! -r $log ]]; then
		echo "logscan: cannot read $log" >&2
		status=1
		continue
	fi
	# Lines are matched after stripping a "[ time]" printk prefix and
	# carriage returns (serial consoles).
	awk -v logname="$log" '
	function flag(why) {
		# The stack dump of a report already flagged is part of it.
		splat_until = NR + 80
		bad++
		if (bad <= 60)
			printf "logscan: %s:%d: [%s] %s\n", logname, NR, why, line
	}
	{
		line = $0
		sub(/\r$/, "", line)
		s = line
		sub(/^\[ *[0-9]+\.[0-9]+\] */, "", s)
	}
	# The one known virt-pci warning: skip its whole block.
	ignore_block && /---\[ end trace/ { ignore_block = 0; next }
	ignore_block { next }
	s ~ /WARNING:.*virt-pci\.c/ { ignore_block = 1; next }
	s ~ /No virtio device ID configured/ { next }
	# A test that plants a corruption brackets the report it expects.
	s ~ /mbufcompat: .*: expecting a KASAN report/ { planted = 1; next }
	s ~ /mbufcompat: .*: end of expected KASAN report/ { planted = 0; next }
	planted { next }
	# A verbose fault injection dumps the stack on purpose.
	s ~ /FAULT_INJECTION: forcing a failure/ { fi_until = NR + 80; next }
	fi_until >= NR && s ~ /Call Trace|^Stack:/ { next }

	s ~ /BUG: KASAN|KASAN:/                       { flag("KASAN"); next }
	s ~ /UBSAN:/                                  { flag("UBSAN"); next }
	s ~ /possible circular locking|possible recursive locking|inconsistent lock state|possible irq lock inversion|suspicious RCU usage|bad unlock balance|lock held when returning|held lock freed|DEBUG_LOCKS_WARN_ON/ { flag("lockdep"); next }
	s ~ /unreferenced object 0x|new suspected memory leak|Kernel memory leak detector disabled/ { flag("kmemleak"); next }
	s ~ /Objects remaining|Slab cache still has objects|Poison overwritten|Redzone overwritten|Freepointer corrupt|Object padding overwritten|Padding overwritten/ { flag("slab"); next }
	s ~ /general protection fault/                { flag("GPF"); next }
	s ~ /Kernel panic/                            { flag("panic"); next }
	s ~ /Oops/                                    { flag("Oops"); next }
	s ~ /WARNING:/                                { flag("WARNING"); next }
	s ~ /(^|[^A-Za-z0-9_])BUG([^A-Za-z0-9_]|$)/   { flag("BUG"); next }
	s ~ /rcu: INFO:|rcu_.*detected stalls|INFO: task .* blocked for more than/ { flag("stall"); next }
	s ~ /list_add corruption|list_del corruption|refcount_t:/ { flag("corruption"); next }
	s ~ /Call Trace/ && NR > splat_until          { flag("stack dump"); next }
	END {
		if (bad > 60)
			printf "logscan: %s: ... and %d more\n", logname, bad - 60
		exit bad ? 1 : 0
	}' "$log" || status=1
done
exit "$status"
