/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Expected kernel log lines. A case that provokes a report on purpose (a
 * WARN, an error line of the module) brackets it so that the log scan
 * (scripts/logscan.sh) accepts it:
 *
 *	mbuf_log_expect_begin("reference count overflow");
 *	...the call that reports...
 *	mbuf_log_expect_end();
 *
 * Between the two markers a line containing the text is accepted, and so
 * is the whole WARN block ("cut here" to "end trace") whose message
 * contains it; anything else is still a failure, and so is the text not
 * appearing at all. The guest scripts write the same markers to /dev/kmsg.
 */
#ifndef MBUF_LOGEXPECT_H
#define MBUF_LOGEXPECT_H

#include <linux/printk.h>

#define mbuf_log_expect_begin(text)					\
	pr_info("MBUFTEST EXPECT BEGIN %s\n", text)
#define mbuf_log_expect_end()						\
	pr_info("MBUFTEST EXPECT END\n")

#endif /* MBUF_LOGEXPECT_H */
