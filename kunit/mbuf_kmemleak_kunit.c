// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_kmemleak: fail the run if anything leaked.
 *
 * Strategy. The test kernels run the suites built in and halt as soon as
 * they are done (kunit_shutdown=halt), with no userspace, so nobody would
 * ever "echo scan > /sys/kernel/debug/kmemleak" and the kmemleak thread's
 * own first scan (60 s after boot) never comes. This suite does it from
 * kernel code instead, after every other suite has run: Kbuild links it
 * last, and built-in suites run in link order.
 *
 *  1. Mount debugfs privately (get_fs_type() + vfs_kern_mount(): debugfs
 *     has one superblock, so this is the same tree as /sys/kernel/debug)
 *     and open "kmemleak" relative to that mount.
 *  2. Wait until the objects the last suites allocated are older than
 *     kmemleak's minimum age (5 s): younger ones are never reported.
 *  3. Write "scan" twice. A report lists objects that are unreferenced in
 *     the latest scan, so a pointer that was only briefly out of sight
 *     during the first scan is not reported.
 *  4. Read the report back, copy it into the kernel log and the test log,
 *     and fail if it is not empty.
 *
 * Without CONFIG_DEBUG_KMEMLEAK (lean configs, distro kernels) the case is
 * skipped. If kmemleak is configured but not working (disabled at boot or
 * after running out of its object pool) the case fails: a silent leak
 * detector must not pass.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

/* kmemleak does not report objects younger than this (MSECS_MIN_AGE). */
#define MBUF_KMEMLEAK_MIN_AGE_MS	5000
#define MBUF_KMEMLEAK_SCANS		2
/* Largest report we copy to the log; the count covers all of it. */
#define MBUF_KMEMLEAK_REPORT_MAX	(256 * 1024)

static struct file *mbuf_kmemleak_open(struct kunit *test,
				       struct vfsmount *mnt, int flags)
{
	struct file *f;

	f = file_open_root_mnt(mnt, "kmemleak", flags, 0);
	if (IS_ERR(f))
		KUNIT_FAIL(test, "cannot open debugfs kmemleak: %ld (kmemleak disabled?)",
			   PTR_ERR(f));
	return f;
}

static int mbuf_kmemleak_scan(struct kunit *test, struct vfsmount *mnt)
{
	static const char cmd[] = "scan";
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = mbuf_kmemleak_open(test, mnt, O_WRONLY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, cmd, strlen(cmd), &pos);
	fput(f);
	if (n != strlen(cmd)) {
		KUNIT_FAIL(test, "writing \"scan\" to kmemleak failed: %zd", n);
		return n < 0 ? n : -EIO;
	}
	return 0;
}

/* Read the whole report into a vmalloc'ed, NUL-terminated buffer. */
static char *mbuf_kmemleak_report(struct kunit *test, struct vfsmount *mnt)
{
	struct file *f;
	loff_t pos = 0;
	size_t len = 0;
	ssize_t n;
	char *buf;

	f = mbuf_kmemleak_open(test, mnt, O_RDONLY);
	if (IS_ERR(f))
		return NULL;
	buf = vzalloc(MBUF_KMEMLEAK_REPORT_MAX + 1);
	if (!buf) {
		fput(f);
		KUNIT_FAIL(test, "no memory for the kmemleak report");
		return NULL;
	}
	while (len < MBUF_KMEMLEAK_REPORT_MAX) {
		n = kernel_read(f, buf + len, MBUF_KMEMLEAK_REPORT_MAX - len,
				&pos);
		if (n <= 0) {
			if (n < 0)
				KUNIT_FAIL(test, "reading kmemleak failed: %zd", n);
			break;
		}
		len += n;
	}
	fput(f);
	buf[len] = '\0';
	return buf;
}

static void mbuf_kmemleak_no_leaks(struct kunit *test)
{
	struct file_system_type *debugfs;
	struct vfsmount *mnt;
	char *report, *line, *cur;
	unsigned int leaks = 0;
	int i;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "CONFIG_DEBUG_KMEMLEAK is not set");

	debugfs = get_fs_type("debugfs");
	if (!debugfs) {
		KUNIT_FAIL(test, "debugfs is not available");
		return;
	}
	mnt = vfs_kern_mount(debugfs, 0, "debugfs", NULL);
	put_filesystem(debugfs);
	if (IS_ERR(mnt)) {
		KUNIT_FAIL(test, "cannot mount debugfs: %ld", PTR_ERR(mnt));
		return;
	}

	msleep(MBUF_KMEMLEAK_MIN_AGE_MS + 1000);
	for (i = 0; i < MBUF_KMEMLEAK_SCANS; i++)
		if (mbuf_kmemleak_scan(test, mnt))
			goto out;

	report = mbuf_kmemleak_report(test, mnt);
	if (!report)
		goto out;
	cur = report;
	while ((line = strsep(&cur, "\n"))) {
		if (!*line)
			continue;
		if (strstr(line, "unreferenced object"))
			leaks++;
		kunit_err(test, "kmemleak: %s\n", line);
	}
	vfree(report);
	KUNIT_EXPECT_EQ_MSG(test, leaks, 0U,
			    "kmemleak found %u unreferenced objects", leaks);
out:
	mntput(mnt);
}

static struct kunit_case mbuf_kmemleak_cases[] = {
	KUNIT_CASE(mbuf_kmemleak_no_leaks),
	{}
};

static struct kunit_suite mbuf_kmemleak_suite = {
	.name = "mbuf_kmemleak",
	.test_cases = mbuf_kmemleak_cases,
};

kunit_test_suites(&mbuf_kmemleak_suite);
