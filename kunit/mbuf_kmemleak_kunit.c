// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_kmemleak: fail the run if anything leaked.
 *
 * Strategy. The test kernels run the suites built in and halt as soon as
 * they are done (kunit_shutdown=halt), with no userspace, so nobody ever
 * writes "scan" to /sys/kernel/debug/kmemleak, and kmemleak's own thread
 * scans first 60 s after boot, then every 10 min. One scan is not enough
 * anyway: kmemleak reports an object only when a scan finds it unreferenced
 * with the same contents (checksum) as the scan before, and older than 5 s.
 *
 * Kernel code cannot write "scan" to that file: it has only a ->write that
 * copies from a user pointer, so kernel_write() refuses it, and a kernel
 * thread has no user memory to pass (UML cannot even create any on the
 * hosts we run on). So this suite, which the test kernels link into
 * vmlinux, does what that ->write does: it looks up kmemleak_scan() and its
 * scan_mutex with kallsyms_lookup_name(), which built-in code may call.
 * Kbuild links the suite last, and built-in suites run in link order, so
 * by now every other suite is done:
 *
 *  1. Wait past kmemleak's minimum object age (5 s), so that what the last
 *     suites allocated counts.
 *  2. Scan twice, holding scan_mutex as kmemleak's ->write does: the first
 *     scan records checksums, the second reports what stayed unreferenced.
 *  3. Mount debugfs privately (get_fs_type() + vfs_kern_mount(): debugfs
 *     has one superblock, so this is /sys/kernel/debug), open "kmemleak"
 *     and read it with seq_read_iter() into a kernel buffer.
 *  4. Copy the report into the kernel log and the test log; fail if it
 *     lists any unreferenced object.
 *
 * Without CONFIG_DEBUG_KMEMLEAK (lean configs, distro kernels), or when
 * built as a module (no kallsyms_lookup_name() there), the case is skipped.
 * If kmemleak is configured but cannot be driven (symbols renamed, no
 * debugfs, kmemleak disabled after running out of its object pool) the
 * case fails: a leak detector that cannot look must not pass.
 *
 * Checked by planting leaks (kmalloc() and drop the pointer) in a scratch
 * suite linked before this one: the case fails and lists them.
 *
 * kmemleak may miss a leaked mbuf: a stale copy of its address anywhere it
 * scans (the unused depth of some task's stack, an uninitialised slab
 * object) makes it look referenced, and a cluster is then reachable through
 * it. The zones themselves know better. Once every suite is done nothing
 * may be in use in any zone, so the second case asks them, after reaping
 * what the stack has given back: a leaked m_get(), m_getcl() or m_getjcl()
 * of any size fails it every time, and names the zone.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/sched/task_stack.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <net/mbuf_skb.h>
#include "../mbufcompat/internal.h"

/* mm/kmemleak.c: objects younger than MSECS_MIN_AGE are never reported. */
#define MBUF_KMEMLEAK_MIN_AGE_MS	5000
#define MBUF_KMEMLEAK_SCANS		2
#define MBUF_KMEMLEAK_REPORT_MAX	(256 * 1024)
#define MBUF_KMEMLEAK_LINES_MAX		200

/* Run kmemleak's scan @times, as its debugfs ->write does for "scan". */
static bool mbuf_kmemleak_scan(struct kunit *test, int times)
{
#ifndef MODULE
	struct mutex *scan_mutex;	/* kmemleak's: serialises scans */
	void (*scan)(void);

	scan = (void (*)(void))kallsyms_lookup_name("kmemleak_scan");
	scan_mutex = (struct mutex *)kallsyms_lookup_name("scan_mutex");
	if (!scan || !scan_mutex) {
		KUNIT_FAIL(test, "no kmemleak_scan() or scan_mutex in kallsyms");
		return false;
	}
	while (times--) {
		mutex_lock(scan_mutex);
		scan();
		mutex_unlock(scan_mutex);
	}
	return true;
#else
	return false;
#endif
}

/* Read the report into a vmalloc'ed, NUL-terminated buffer. */
static char *mbuf_kmemleak_report(struct kunit *test)
{
	struct file_system_type *debugfs;
	struct vfsmount *mnt;
	struct file *f;
	struct kiocb kiocb;
	struct iov_iter iter;
	struct kvec kv;
	size_t len = 0;
	ssize_t n;
	char *buf;

	debugfs = get_fs_type("debugfs");
	if (!debugfs) {
		KUNIT_FAIL(test, "debugfs is not available");
		return NULL;
	}
	mnt = vfs_kern_mount(debugfs, 0, "debugfs", NULL);
	put_filesystem(debugfs);
	if (IS_ERR(mnt)) {
		KUNIT_FAIL(test, "cannot mount debugfs: %ld", PTR_ERR(mnt));
		return NULL;
	}
	f = file_open_root_mnt(mnt, "kmemleak", O_RDONLY, 0);
	if (IS_ERR(f)) {
		KUNIT_FAIL(test, "cannot open debugfs kmemleak: %ld", PTR_ERR(f));
		buf = NULL;
		goto out_mnt;
	}
	buf = vzalloc(MBUF_KMEMLEAK_REPORT_MAX + 1);
	if (!buf) {
		KUNIT_FAIL(test, "no memory for the kmemleak report");
		goto out_file;
	}

	/*
	 * kernel_read() wants ->read_iter, which debugfs' proxy does not
	 * offer; the file is a seq_file, and seq_read_iter() fills a kvec.
	 */
	init_sync_kiocb(&kiocb, f);
	while (len < MBUF_KMEMLEAK_REPORT_MAX) {
		kv.iov_base = buf + len;
		kv.iov_len = MBUF_KMEMLEAK_REPORT_MAX - len;
		iov_iter_kvec(&iter, ITER_DEST, &kv, 1, kv.iov_len);
		n = seq_read_iter(&kiocb, &iter);
		if (n <= 0) {
			if (n < 0)
				KUNIT_FAIL(test, "reading kmemleak failed: %zd", n);
			break;
		}
		len += n;
	}
	buf[len] = '\0';
out_file:
	fput(f);
out_mnt:
	mntput(mnt);
	return buf;
}

/*
 * A freed task stack is handed to the next task that needs one, so this
 * thread may run on a stack an earlier suite's test ran on, its unused
 * depth still holding pointers that test dropped; kmemleak scans the whole
 * stack of every live task, and such a stale copy would hide a leak. Zero
 * the unused depth (all but a safety margin) before scanning.
 */
#define MBUF_KMEMLEAK_SCRUB_FRAME	256
#define MBUF_KMEMLEAK_SCRUB_MARGIN	1024

static noinline void mbuf_kmemleak_scrub_stack(void)
{
	char buf[MBUF_KMEMLEAK_SCRUB_FRAME];
	unsigned long left = (unsigned long)buf -
			     (unsigned long)task_stack_page(current);

	memset(buf, 0, sizeof(buf));
	barrier_data(buf);
	if (left > 2 * MBUF_KMEMLEAK_SCRUB_FRAME + MBUF_KMEMLEAK_SCRUB_MARGIN)
		mbuf_kmemleak_scrub_stack();
}

static void mbuf_kmemleak_no_leaks(struct kunit *test)
{
	unsigned int leaks = 0, lines = 0;
	char *report, *line, *cur;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "CONFIG_DEBUG_KMEMLEAK is not set");
	if (IS_MODULE(CONFIG_MBUFCOMPAT_KUNIT_TEST))
		kunit_skip(test, "needs the suites built in, not a module");

	msleep(MBUF_KMEMLEAK_MIN_AGE_MS + 500);
	mbuf_kmemleak_scrub_stack();
	if (!mbuf_kmemleak_scan(test, MBUF_KMEMLEAK_SCANS))
		return;

	report = mbuf_kmemleak_report(test);
	if (!report)
		return;
	cur = report;
	while ((line = strsep(&cur, "\n"))) {
		if (!*line)
			continue;
		if (strstr(line, "unreferenced object"))
			leaks++;
		if (++lines <= MBUF_KMEMLEAK_LINES_MAX)
			kunit_err(test, "kmemleak: %s\n", line);
	}
	if (lines > MBUF_KMEMLEAK_LINES_MAX)
		kunit_err(test, "kmemleak: ... %u more lines\n",
			  lines - MBUF_KMEMLEAK_LINES_MAX);
	vfree(report);
	KUNIT_EXPECT_EQ_MSG(test, leaks, 0U,
			    "kmemleak found %u unreferenced objects", leaks);
}

/*
 * Nothing in use in any zone: every suite gave back what it took. Lent
 * buffers the stack has freed are reaped first (mbuf_skb_lent() does).
 */
static void mbuf_kmemleak_zones_idle(struct kunit *test)
{
	struct mbuf_zone_stats st;
	unsigned long lent;
	int id;

	lent = mbuf_skb_lent();
	KUNIT_EXPECT_EQ_MSG(test, lent, 0UL,
			    "%lu clusters still lent to the stack", lent);
	for (id = 0; id < MBZ_NZONES; id++) {
		mbuf_zone_get_stats(MBZ(id), &st);
		KUNIT_EXPECT_EQ_MSG(test, st.in_use, 0L,
				    "zone %s: %ld items in use after every suite: leaked",
				    MBZ(id)->name, st.in_use);
	}
}

static struct kunit_case mbuf_kmemleak_cases[] = {
	KUNIT_CASE(mbuf_kmemleak_zones_idle),
	KUNIT_CASE(mbuf_kmemleak_no_leaks),
	{}
};

static struct kunit_suite mbuf_kmemleak_suite = {
	.name = "mbuf_kmemleak",
	.test_cases = mbuf_kmemleak_cases,
};

kunit_test_suites(&mbuf_kmemleak_suite);
