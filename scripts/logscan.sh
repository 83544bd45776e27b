#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# logscan.sh LOG...: fail if a kernel log shows that something went wrong.
#
# Looks for the reports of KASAN, UBSAN, lockdep, kmemleak, SLUB debugging,
# WARN/BUG/Oops, RCU stalls, hung tasks and stack dumps, and the module's
# own reports of a real problem (see "Reports of mbufcompat" below), and
# prints every offending line with its line number. Exits 0 when the logs
# are clean.
#
# Expected reports. A test that provokes one on purpose brackets it with
# two kernel log lines (the KUnit suites with pr_info(), see
# kunit/mbuf_logexpect.h; the guest scripts by writing to /dev/kmsg):
#
#   MBUFTEST EXPECT BEGIN <text>
#   MBUFTEST EXPECT END
#
# Between them a line containing <text> is accepted, and so is a whole WARN
# block ("cut here" ... "end trace") whose message line contains it. Every
# other report between them still fails the scan, and so do an END whose
# <text> never appeared, a BEGIN inside a BEGIN and a BEGIN never ended.
#
# Known and harmless, so ignored:
#  - the WARNING (and its stack dump) that kunit.py's default UML config
#    triggers at boot: virtio-PCI with no device configured (virt-pci.c,
#    "No virtio device ID configured");
#  - the stack dump that follows "FAULT_INJECTION: forcing a failure"
#    when a fault_attr has verbose set: an injected failure is a test
#    doing its job, not a bug.
#
# logscan.sh --selftest: scan built-in sample logs, each known to be clean
# or to hold exactly one problem, and fail unless every verdict is right.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: logscan.sh LOG... | --selftest" >&2; exit 2; }

# scan LOG: the scan of one readable log; status 1 if it shows a problem.
scan() {
	local log=$1

	# Lines are matched after stripping a "[ time]" printk prefix and
	# carriage returns (serial consoles).
	awk -v logname="$log" '
	function flag_at(why, nr, text) {
		# The stack dump of a report already flagged is part of it.
		splat_until = NR + 80
		bad++
		if (bad <= 60)
			printf "logscan: %s:%d: [%s] %s\n", logname, nr, why, text
	}
	function flag(why) {
		flag_at(why, NR, line)
	}
	# A WARNING line held back (see below) that turned out unexpected.
	function flag_held() {
		if (held != "")
			flag_at("WARNING", held_nr, held)
		held = ""
	}
	{
		line = $0
		sub(/\r$/, "", line)
		s = line
		sub(/^\[ *[0-9]+\.[0-9]+\] */, "", s)
	}
	# Expected reports, bracketed by the tests (see the top).
	match(s, /MBUFTEST EXPECT BEGIN /) {
		if (expect != "")
			flag("expect: BEGIN inside the region of \"" expect "\"")
		expect = substr(s, RSTART + RLENGTH)
		expect_line = NR
		expect_seen = 0
		next
	}
	s ~ /MBUFTEST EXPECT END/ {
		flag_held()
		if (expect == "")
			flag("expect: END without BEGIN")
		else if (!expect_seen)
			flag("expect: \"" expect "\" (line " expect_line ") never appeared")
		expect = ""
		expect_block = 0
		next
	}
	expect_block && s ~ /---\[ end trace/ { expect_block = 0; next }
	expect_block { next }
	# A WARN prints "cut here", then its message and the WARNING line in
	# an order that depends on the architecture (x86: message first, UML:
	# WARNING first). In a region the WARNING line right after "cut here"
	# is held back one line, to see whether the message is the expected.
	expect != "" && held != "" {
		if (index(s, expect)) {
			expect_seen = 1
			expect_block = 1
			held = ""
			next
		}
		flag_held()
	}
	expect != "" && cut_line == NR - 1 && s ~ /WARNING:/ {
		held = line
		held_nr = NR
		next
	}
	expect != "" && index(s, expect) {
		expect_seen = 1
		if (cut_line == NR - 1)
			expect_block = 1
		next
	}
	s ~ /-+\[ cut here \]-+/ { cut_line = NR; next }

	# The one known virt-pci warning: skip its whole block.
	ignore_block && /---\[ end trace/ { ignore_block = 0; next }
	ignore_block { next }
	s ~ /WARNING:.*virt-pci\.c/ { ignore_block = 1; next }
	s ~ /No virtio device ID configured/ { next }
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
	# Reports of mbufcompat itself. Each names a real problem, never the
	# module doing its job (a limit reached, a bad parameter refused):
	#  - zone.c: items still allocated at unload (a leak of its users);
	#  - reclaim.c, sndtag.c: a drain hook, a send tag allocator, still
	#    registered at unload (and the WARN of sndtag.c for live tags);
	#  - debugnet.c: a session still open at unload, pools that could not
	#    be set aside, an invalid cluster size from the caller;
	#  - trash.c: a use after free found in a cached item (planted ones
	#    say "(expected)" and are left alone);
	#  - selftest.c: a zone that did not balance after the stress run.
	s ~ /still (in use|registered|alive|open) at unload/ { flag("mbufcompat"); next }
	s ~ /debugnet: (cannot set aside|invalid mbuf cluster size)/ { flag("mbufcompat"); next }
	s ~ /mbufcompat: use after free in zone/      { flag("mbufcompat"); next }
	s ~ /UNBALANCED$/                              { flag("mbufcompat"); next }
	END {
		flag_held()
		if (expect != "")
			flag("expect: \"" expect "\" (line " expect_line ") never ended")
		if (bad > 60)
			printf "logscan: %s: ... and %d more\n", logname, bad - 60
		exit bad ? 1 : 0
	}' "$log"
}

# The samples of --selftest: "<verdict> <name>" lines (ok: clean, bad: a
# problem), each followed by its log lines up to a line "--".
selftest_samples() {
	cat <<'EOF'
ok plain boot
[    0.1] Linux version 6.12
[    0.2] mbufcompat: [zone: mbuf_cluster] kern.ipc.nmbclusters limit reached
[    0.3] mbufcompat: nmbclusters=-5 refused: negative
--
bad WARNING
[    1.0] WARNING: CPU: 0 PID: 1 at mbufcompat/zone.c:1 x
--
bad KASAN
[    1.0] BUG: KASAN: use-after-free in m_free
--
bad items still in use at unload
[    1.0] mbufcompat: 1 items of zone mbuf still in use at unload; leaking its memory
--
bad drain hook still registered
[    1.0] mbufcompat: drain hook foo_drain still registered at unload
--
bad send tag allocator still registered
[    1.0] mbufcompat: send tag allocator of device 00000000 still registered at unload
--
bad debugnet session open at unload
[    1.0] debugnet: session still open at unload
--
bad debugnet pools not set aside
[    1.0] debugnet: cannot set aside 32 mbufs and 32 clusters: -12
--
bad use after free found by trashing
[    1.0] mbufcompat: use after free in zone mbuf: item 0000 modified at offset 8: 00
--
ok use after free planted by a test
[    1.0] mbufcompat: (expected) use after free in zone mbuf: item 0000 modified at offset 8: 00
--
bad stress run unbalanced
[    1.0] mbuf_cluster              10           11  UNBALANCED
--
ok expected line and expected WARN block
[    1.0] MBUFTEST EXPECT BEGIN still in use at unload
[    1.1] mbufcompat: 3 items of zone mbuf still in use at unload; leaking its memory
[    1.2] MBUFTEST EXPECT END
[    2.0] MBUFTEST EXPECT BEGIN reference count overflow
[    2.1] ------------[ cut here ]------------
[    2.2] mbufcompat: send tag 0000: reference count overflow; saturated, leaking it
[    2.3] WARNING: CPU: 0 PID: 1 at mbufcompat/sndtag.c:1 m_snd_tag_refcount_saturate
[    2.4] Call Trace:
[    2.5]  <TASK>
[    2.6] ---[ end trace 0000000000000000 ]---
[    2.7] MBUFTEST EXPECT END
--
ok expected WARN block, WARNING line first (UML)
[    2.0] MBUFTEST EXPECT BEGIN reference count overflow
[    2.1] ------------[ cut here ]------------
[    2.2] WARNING: CPU: 0 PID: 1 at mbufcompat/sndtag.c:1 m_snd_tag_ref+0x74/0xa0
[    2.3] mbufcompat: send tag 0000: reference count overflow; saturated, leaking it
[    2.4] Stack:
[    2.5]  000002b7 6432baa0 41b58ab3 61051a24
[    2.6] ---[ end trace 0000000000000000 ]---
[    2.7] MBUFTEST EXPECT END
--
bad a WARN block with another message, WARNING line first (UML)
[    2.0] MBUFTEST EXPECT BEGIN reference count overflow
[    2.1] mbufcompat: send tag 0000: reference count overflow; saturated, leaking it
[    2.1] ------------[ cut here ]------------
[    2.2] WARNING: CPU: 0 PID: 1 at mbufcompat/zone.c:1 x
[    2.3] something else
[    2.6] ---[ end trace 0000000000000000 ]---
[    2.7] MBUFTEST EXPECT END
--
bad expected text never appeared
[    1.0] MBUFTEST EXPECT BEGIN still in use at unload
[    1.2] MBUFTEST EXPECT END
--
bad another report inside the markers
[    1.0] MBUFTEST EXPECT BEGIN still in use at unload
[    1.1] mbufcompat: 3 items of zone mbuf still in use at unload; leaking its memory
[    1.2] BUG mbuf_cluster (Not tainted): Objects remaining on __kmem_cache_shutdown()
[    1.3] MBUFTEST EXPECT END
--
bad a WARN block with another message inside the markers
[    1.0] MBUFTEST EXPECT BEGIN reference count overflow
[    1.1] mbufcompat: send tag 0000: reference count overflow; saturated, leaking it
[    1.2] ------------[ cut here ]------------
[    1.3] something else
[    1.4] WARNING: CPU: 0 PID: 1 at mbufcompat/zone.c:1 x
[    1.5] ---[ end trace 0000000000000000 ]---
[    1.6] MBUFTEST EXPECT END
--
bad expected line after the markers ended
[    1.0] MBUFTEST EXPECT BEGIN still in use at unload
[    1.1] mbufcompat: 3 items of zone mbuf still in use at unload; leaking its memory
[    1.2] MBUFTEST EXPECT END
[    1.3] mbufcompat: 1 items of zone mbuf still in use at unload; leaking its memory
--
bad markers never ended
[    1.0] MBUFTEST EXPECT BEGIN still in use at unload
[    1.1] mbufcompat: 3 items of zone mbuf still in use at unload; leaking its memory
--
EOF
}

selftest() {
	local tmp verdict name line want got n=0 wrong=0

	tmp=$(mktemp)
	while read -r verdict name; do
		: >"$tmp"
		while IFS= read -r line && [[ $line != -- ]]; do
			printf '%s\n' "$line" >>"$tmp"
		done
		want=0
		[[ $verdict == ok ]] || want=1
		got=0
		scan "$tmp" >/dev/null || got=$?
		n=$((n + 1))
		if [[ $got -ne $want ]]; then
			echo "logscan selftest: \"$name\" scanned $([[ $got -eq 0 ]] && echo clean || echo bad), should be $verdict" >&2
			wrong=$((wrong + 1))
		fi
	done < <(selftest_samples)
	rm -f "$tmp"
	echo "logscan selftest: $((n - wrong)) of $n samples right" >&2
	[[ $n -gt 0 && $wrong -eq 0 ]]
}

if [[ $1 == --selftest ]]; then
	selftest
	exit
fi

status=0
for log in "$@"; do
	if [[ ! -r $log ]]; then
		echo "logscan: cannot read $log" >&2
		status=1
		continue
	fi
	scan "$log" || status=1
done
exit "$status"
