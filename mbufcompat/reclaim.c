// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reclaim: giving cached mbufs back, and asking their users to let go.
 *
 * FreeBSD reclaims on two occasions. When a zone reaches its limit, UMA
 * runs the zone's max-action (mb_reclaim) from a task queue; when the VM
 * runs short of pages, the vm_lowmem event handler does the same. Both
 * call every protocol's pr_drain routine, and UMA then hands cached items
 * back to the VM. On Linux:
 *
 *   a zone hits its limit           memory pressure
 *   (any context, zone.c)           (reclaim, process context)
 *          |                                 |
 *   mbuf_reclaim_schedule()          shrinker "mbufcompat"
 *          |                         count: objects in per-CPU caches
 *          |                         scan:  flush them now, then -+
 *          v                                                      |
 *   one work item on a WQ_MEM_RECLAIM queue  <--------------------+
 *      flush every zone's per-CPU caches (pair zones first: their
 *      cached pairs hold an mbuf and a cluster each), then call the
 *      drain hooks, then count one drain (mbstat.m_drain)
 *
 * The drain hooks are the Linux form of pr_drain: ported protocol or
 * driver code registers a callback with mbuf_drain_register() to drop
 * what it can rebuild (reassembly queues, idle caches). They always run
 * from the work item, never in the context that hit the limit or that is
 * reclaiming memory: a drain takes its owner's locks, and that context may
 * hold them. Requests made while the work is pending fold into that one
 * run, as FreeBSD's task queue folds them.
 *
 * The shrinker counts one object per registered hook on top of the cached
 * items, so that pressure reaches the hooks even when nothing is cached
 * (FreeBSD's vm_lowmem drains the protocols whatever UMA holds).
 *
 * Hooks are kept on a list under a rwsem: drains read it, registration
 * and removal write it, so mbuf_drain_unregister() returns only once no
 * drain is calling the hook.
 */
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "internal.h"
#include "trace.h"

struct mbuf_drain_hook {
	struct list_head link;
	void (*fn)(void *arg);
	void *arg;
};

static LIST_HEAD(mbuf_drain_hooks);
static DECLARE_RWSEM(mbuf_drain_sem);
static unsigned int mbuf_drain_nhooks;		/* under mbuf_drain_sem */
static atomic_long_t mbuf_drain_count = ATOMIC_LONG_INIT(0);

static struct workqueue_struct *mbuf_reclaim_wq;
static struct work_struct mbuf_reclaim_work;
static struct shrinker *mbuf_shrinker;
/* true while work may be queued; cleared, then an RCU grace period */
static bool mbuf_reclaim_live;

/*
 * Flush order: a cached pair (2 KiB or jumbo) frees an mbuf and a cluster
 * into their zones, so the pair zones go first.
 */
static const enum mbuf_zone_id mbuf_reclaim_order[] = {
	MBZ_PACK, MBZ_PACKP, MBZ_PACK9, MBZ_PACK16,
	MBZ_MBUF, MBZ_CLUST, MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
};

static_assert(ARRAY_SIZE(mbuf_reclaim_order) == MBZ_NALL);

/* Items cached over all zones: what the shrinker can give back. */
unsigned long mbuf_reclaim_cached(void)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < MBZ_NALL; i++)
		n += mbuf_zone_cached(&mbuf_zones[i]);
	return n;
}

/* Give every zone's per-CPU caches back. Process context. */
static void mbuf_reclaim_flush(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mbuf_reclaim_order); i++)
		mbuf_zone_flush_all(&mbuf_zones[mbuf_reclaim_order[i]]);
}

static void mbuf_drain_run(void)
{
	struct mbuf_drain_hook *h;

	down_read(&mbuf_drain_sem);
	list_for_each_entry(h, &mbuf_drain_hooks, link)
		h->fn(h->arg);
	up_read(&mbuf_drain_sem);
	atomic_long_inc(&mbuf_drain_count);
}

static void mbuf_reclaim_workfn(struct work_struct *work)
{
	mbuf_reclaim_flush();
	mbuf_drain_run();
}

static void mbuf_reclaim_queue(void)
{
	rcu_read_lock();
	if (READ_ONCE(mbuf_reclaim_live))
		queue_work(mbuf_reclaim_wq, &mbuf_reclaim_work);
	rcu_read_unlock();
}

/**
 * mbuf_reclaim_schedule() - a zone is at its limit: reclaim soon
 * @zone: the zone (every zone is flushed, whichever hit its limit)
 *
 * FreeBSD's max-action. Any context; it only queues the reclaim work
 * (once, however often it is called before the work runs).
 */
void mbuf_reclaim_schedule(uma_zone_t zone)
{
	mbuf_reclaim_queue();
}

/**
 * mbuf_reclaim_wait() - wait until queued reclaim work has run
 *
 * Process context. For the tests, and anyone who needs a drain finished.
 */
void mbuf_reclaim_wait(void)
{
	if (mbuf_reclaim_wq)
		flush_workqueue(mbuf_reclaim_wq);
}

/**
 * mbuf_reclaim_drains() - how many times the drain hooks were run
 *
 * Return: the count FreeBSD reports as mbstat.m_drain.
 */
unsigned long mbuf_reclaim_drains(void)
{
	return atomic_long_read(&mbuf_drain_count);
}

/**
 * mbuf_reclaim_count() - the shrinker's count_objects
 * @s: the shrinker (unused; NULL when called by the tests)
 * @sc: the reclaim request (unused)
 *
 * Return: items in the per-CPU caches of all zones, plus one per
 * registered drain hook.
 */
unsigned long mbuf_reclaim_count(struct shrinker *s, struct shrink_control *sc)
{
	return mbuf_reclaim_cached() + READ_ONCE(mbuf_drain_nhooks);
}

/**
 * mbuf_reclaim_scan() - the shrinker's scan_objects
 * @s: the shrinker (unused; NULL when called by the tests)
 * @sc: the reclaim request; everything cached is freed, whatever
 *	@sc->nr_to_scan asks, as FreeBSD's low-memory handler does
 *
 * Flushes the per-CPU caches of every zone and queues the drain hooks.
 *
 * Return: the number of cached items given back.
 */
unsigned long mbuf_reclaim_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long before = mbuf_reclaim_cached(), after;

	mbuf_reclaim_flush();
	after = mbuf_reclaim_cached();
	mbuf_reclaim_queue();
	trace_reclaim_scan(sc ? sc->nr_to_scan : 0, before - min(before, after));
	return before > after ? before - after : 0;
}

/**
 * mbuf_drain_register() - have a callback run when mbufs run short
 * @fn: the drain routine; called from a workqueue, may sleep and take
 *	locks, must not call mbuf_drain_register() or mbuf_drain_unregister()
 * @arg: passed to @fn
 *
 * The Linux form of FreeBSD's protocol drain (pr_drain, called by
 * mb_reclaim): @fn is called each time a zone reaches its limit and each
 * time the kernel reclaims memory from the module, and should free what
 * its owner holds and can rebuild. Process context.
 *
 * Return: a handle for mbuf_drain_unregister(), or NULL without memory.
 */
struct mbuf_drain_hook *mbuf_drain_register(void (*fn)(void *arg), void *arg)
{
	struct mbuf_drain_hook *h = kmalloc(sizeof(*h), GFP_KERNEL);

	if (!h)
		return NULL;
	h->fn = fn;
	h->arg = arg;
	down_write(&mbuf_drain_sem);
	list_add_tail(&h->link, &mbuf_drain_hooks);
	WRITE_ONCE(mbuf_drain_nhooks, mbuf_drain_nhooks + 1);
	up_write(&mbuf_drain_sem);
	return h;
}
MBUF_EXPORT(mbuf_drain_register);

/**
 * mbuf_drain_unregister() - stop calling a drain callback
 * @hook: what mbuf_drain_register() returned; NULL is ignored
 *
 * Waits for a drain that is calling the hook to finish, so its owner may
 * free what @arg points to once this returns. Process context; not from
 * a drain callback.
 */
void mbuf_drain_unregister(struct mbuf_drain_hook *hook)
{
	if (!hook)
		return;
	down_write(&mbuf_drain_sem);
	list_del(&hook->link);
	WRITE_ONCE(mbuf_drain_nhooks, mbuf_drain_nhooks - 1);
	up_write(&mbuf_drain_sem);
	kfree(hook);
}
MBUF_EXPORT(mbuf_drain_unregister);

/**
 * mbuf_reclaim_init() - start the reclaim workqueue and the shrinker
 *
 * Return: 0 or -ENOMEM.
 */
int mbuf_reclaim_init(void)
{
	mbuf_reclaim_wq = alloc_workqueue("mbufcompat_reclaim",
					  WQ_UNBOUND | WQ_MEM_RECLAIM, 1);
	if (!mbuf_reclaim_wq)
		return -ENOMEM;
	INIT_WORK(&mbuf_reclaim_work, mbuf_reclaim_workfn);
	WRITE_ONCE(mbuf_reclaim_live, true);

	mbuf_shrinker = mbuf_shrinker_alloc("mbufcompat");
	if (!mbuf_shrinker)
		goto fail;
	mbuf_shrinker->count_objects = mbuf_reclaim_count;
	mbuf_shrinker->scan_objects = mbuf_reclaim_scan;
	/*
	 * Cached mbufs cost nothing to recreate: seeks 0 makes reclaim scan
	 * half of what we report on every pass, at any priority, the way
	 * FreeBSD's vm_lowmem drains the caches whenever memory runs low.
	 * With DEFAULT_SEEKS a cache of a few hundred items would be
	 * scanned only when reclaim is desperate.
	 */
	mbuf_shrinker->seeks = 0;
	if (mbuf_shrinker_register(mbuf_shrinker, "mbufcompat"))
		goto fail;
	return 0;

fail:
	mbuf_reclaim_exit();
	return -ENOMEM;
}

/**
 * mbuf_reclaim_exit() - stop the shrinker and the reclaim work
 *
 * After it returns no reclaim work runs or can be queued. Hooks still
 * registered (their owners did not unregister) are dropped with a warning.
 */
void mbuf_reclaim_exit(void)
{
	struct mbuf_drain_hook *h, *tmp;

	WRITE_ONCE(mbuf_reclaim_live, false);
	synchronize_rcu();
	if (mbuf_shrinker)
		mbuf_shrinker_free(mbuf_shrinker);
	mbuf_shrinker = NULL;
	if (mbuf_reclaim_wq)
		destroy_workqueue(mbuf_reclaim_wq);
	mbuf_reclaim_wq = NULL;

	down_write(&mbuf_drain_sem);
	list_for_each_entry_safe(h, tmp, &mbuf_drain_hooks, link) {
		pr_warn(MBUF_LOG_PREFIX "drain hook %ps still registered at unload\n",
			h->fn);
		list_del(&h->link);
		kfree(h);
	}
	mbuf_drain_nhooks = 0;
	up_write(&mbuf_drain_sem);
}
