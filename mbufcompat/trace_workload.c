// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The debugfs workload that fires every tracepoint of the mbuf event group
 * with known arguments (test code: CONFIG_MBUFCOMPAT_DEBUG and
 * CONFIG_MBUFCOMPAT_TRACEPOINTS), so that a test can check the trace
 * buffer event by event. Writing to /sys/kernel/debug/mbufcompat/trace_workload:
 *
 *   kpi    each traced KPI call once: m_get_raw + m_init + m_free,
 *          m_gethdr_raw + m_init + m_freem, m_get + m_clget,
 *          m_gethdr + m_cljget(NULL, page size) + m_cljset, m_getcl,
 *          m_getjcl (9 KiB), m_get + m_extadd (512 bytes, EXT_NET_DRV,
 *          M_RDONLY); every how is M_NOWAIT but m_extadd's m_get's
 *          (M_WAITOK). Fails with -ENOMEM if an allocation fails.
 *   limit  run the cluster zone into its limit: m_getcl(M_NOWAIT) until
 *          it fails (a limit reached, the packet cache drained), every
 *          CPU's caches flushed and the same again until a flush makes no
 *          room; then one m_getcl(M_WAITOK) that sleeps until a work item,
 *          which waits for the sleeper, frees a pair; then everything is
 *          freed. Refused (-EINVAL) unless nmbclusters is at most
 *          MBUF_TRACE_WL_MAX; -EIO if the zone never ran out or the sleeper
 *          never showed up.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "internal.h"

#define MBUF_TRACE_WL_MAX	8192	/* largest nmbclusters "limit" runs at */
#define MBUF_TRACE_WL_POLL_MS	10	/* the freer's look for the sleeper */
#define MBUF_TRACE_WL_WAIT_MS	30000	/* ... and how long it looks at most */
#define MBUF_TRACE_WL_EXTSIZE	512	/* m_extadd()'s buffer */

static DEFINE_MUTEX(mbuf_trace_wl_lock);
static struct dentry *mbuf_trace_wl_file;

static void mbuf_trace_wl_ext_free(struct mbuf *m)
{
	kfree(m->m_ext.ext_arg1);
}

static int mbuf_trace_wl_kpi(void)
{
	struct mbuf *m;
	void *cl, *buf;

	m = m_get_raw(M_NOWAIT, MT_DATA);
	if (!m)
		return -ENOMEM;
	m_init(m, M_NOWAIT, MT_DATA, 0);
	m_free(m);

	m = m_gethdr_raw(M_NOWAIT, MT_DATA);
	if (!m)
		return -ENOMEM;
	m_init(m, M_NOWAIT, MT_DATA, M_PKTHDR);
	m_freem(m);

	m = m_get(M_NOWAIT, MT_DATA);
	if (!m)
		return -ENOMEM;
	m_clget(m, M_NOWAIT);
	m_freem(m);

	m = m_gethdr(M_NOWAIT, MT_DATA);
	if (!m)
		return -ENOMEM;
	cl = m_cljget(NULL, M_NOWAIT, MJUMPAGESIZE);
	if (cl)
		m_cljset(m, cl, EXT_JUMBOP);
	m_freem(m);
	if (!cl)
		return -ENOMEM;

	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	if (!m)
		return -ENOMEM;
	m_freem(m);

	m = m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MJUM9BYTES);
	if (!m)
		return -ENOMEM;
	m_freem(m);

	buf = kmalloc(MBUF_TRACE_WL_EXTSIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	m = m_get(M_WAITOK, MT_DATA);
	m_extadd(m, buf, MBUF_TRACE_WL_EXTSIZE, mbuf_trace_wl_ext_free, buf,
		 NULL, M_RDONLY, EXT_NET_DRV);
	m_freem(m);
	return 0;
}

struct mbuf_trace_wl_freer {
	struct work_struct work;
	struct mbuf *m;
	bool saw_sleeper;
};

/*
 * Free the held pair once the M_WAITOK request sleeps for it. On SMP the
 * other CPUs' caches are emptied by work items, so a fixed delay could
 * free too early (no sleep traced) or the sleeper could find room that a
 * late flush made; waiting for zone->sleepers leaves no such window.
 */
static void mbuf_trace_wl_free_fn(struct work_struct *work)
{
	struct mbuf_trace_wl_freer *f =
		container_of(work, struct mbuf_trace_wl_freer, work);
	uma_zone_t zone = MBZ(MBZ_CLUST);
	unsigned int waited = 0;

	while (!atomic_read(&zone->sleepers) &&
	       waited < MBUF_TRACE_WL_WAIT_MS) {
		msleep(MBUF_TRACE_WL_POLL_MS);
		waited += MBUF_TRACE_WL_POLL_MS;
	}
	f->saw_sleeper = atomic_read(&zone->sleepers) > 0;
	m_freem(f->m);
	f->m = NULL;
}

/* Take pairs with M_NOWAIT until one fails; how many were taken. */
static int mbuf_trace_wl_take(struct mbufq *q, int max)
{
	struct mbuf *m;
	int n = 0;

	while (n < max && (m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR))) {
		mbufq_enqueue(q, m);
		n++;
	}
	return n;
}

static int mbuf_trace_wl_limit(void)
{
	struct mbuf_trace_wl_freer f = { };
	int limit = READ_ONCE(nmbclusters), got;
	struct mbuf *m;
	struct mbufq q;

	if (limit <= 0 || limit > MBUF_TRACE_WL_MAX)
		return -EINVAL;
	mbufq_init(&q, INT_MAX);
	/* The caches count against the limit: a little more than it. */
	got = mbuf_trace_wl_take(&q, limit + MBZ_BATCH_MAX);
	if (got == limit + MBZ_BATCH_MAX || mbufq_empty(&q)) {
		/* Never ran out (or had nothing): not the zone at a limit. */
		mbufq_drain(&q);
		return -EIO;
	}
	/* What other CPUs still cache is room the sleeper would find. */
	do {
		mbuf_zones_flush_all();
	} while (mbuf_trace_wl_take(&q, limit) > 0);

	f.m = mbufq_dequeue(&q);
	INIT_WORK_ONSTACK(&f.work, mbuf_trace_wl_free_fn);
	schedule_work(&f.work);
	m = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	flush_work(&f.work);
	destroy_work_on_stack(&f.work);
	m_freem(m);
	mbufq_drain(&q);
	return f.saw_sleeper ? 0 : -EIO;
}

static ssize_t mbuf_trace_wl_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char cmd[16];
	int err;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	strim(cmd);
	if (mutex_lock_interruptible(&mbuf_trace_wl_lock))
		return -EINTR;
	if (!strcmp(cmd, "kpi"))
		err = mbuf_trace_wl_kpi();
	else if (!strcmp(cmd, "limit"))
		err = mbuf_trace_wl_limit();
	else
		err = -EINVAL;
	mutex_unlock(&mbuf_trace_wl_lock);
	return err ? err : count;
}

static const struct file_operations mbuf_trace_wl_fops = {
	.owner = THIS_MODULE,
	.write = mbuf_trace_wl_write,
	.llseek = default_llseek,
};

/**
 * mbuf_trace_workload_init() - create the debugfs trace_workload file
 *
 * Without debugfs there is nothing to create, which is not an error.
 */
void mbuf_trace_workload_init(void)
{
	if (IS_ERR_OR_NULL(mbuf_debugfs_dir))
		return;
	mbuf_trace_wl_file = debugfs_create_file("trace_workload", 0200,
						 mbuf_debugfs_dir, NULL,
						 &mbuf_trace_wl_fops);
}

/**
 * mbuf_trace_workload_exit() - remove the debugfs trace_workload file
 *
 * Waits for a running workload (debugfs removal drains active writers).
 */
void mbuf_trace_workload_exit(void)
{
	debugfs_remove(mbuf_trace_wl_file);
}
