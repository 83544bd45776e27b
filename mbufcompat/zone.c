// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The zone core: per-CPU magazines, limits and the uma(9) entry points.
 *
 * Fast path. Each CPU has, per zone, one magazine per context level: a
 * LIFO array of items ready to hand out. Allocation pops, free pushes, at
 * the caller's level, with preemption disabled and nothing else: no irq
 * toggling, no atomic, no lock, no shared cache line written; statistics
 * are plain per-CPU, per-level increments in the same section.
 *
 *     alloc:  preempt off | lvl: count? pop, allocs++ | on     -> ctor
 *     free:   dtor -> preempt off | lvl: room && !bypass? push | on
 *
 * Why that is enough: on one CPU a context level (task, softirq) is only
 * ever interrupted by a higher one (softirq, hardirq), which has a
 * magazine of its own, and a level never interrupts itself (softirqs and
 * hard interrupts do not nest; a task cannot be preempted with preemption
 * off). Hard interrupt and NMI context have no magazine: hard interrupts
 * go to the backend, NMIs may not allocate at all (as on FreeBSD). The
 * price is that items freed at one level refill another only through the
 * backend, as SLUB's per-CPU freelist would hand them over directly.
 *
 * Slow path (out of line). A full magazine parks zone->batch items in the
 * zone's depot, a list of full batches shared by all CPUs (UMA's bucket
 * cache, SLUB's barn): one lock round trip per batch, and packet pairs
 * stay paired. An empty magazine takes a batch from the depot. Only when
 * the depot is empty (or full) does the backend see the traffic:
 * zone->ops->import / ->release (kmem_cache_alloc_bulk, jumbo blocks,
 * packet pairs, a debugnet pool), called outside the preempt-off section,
 * after which the magazine is re-read.
 *
 * Flushing. A CPU's magazines are emptied on that CPU by a work item
 * (mbuf_flush_wq, WQ_MEM_RECLAIM since the shrinker flushes), running in
 * task context with bottom halves off: no operation on either magazine
 * can be in progress there. Then the depot is emptied, from any context.
 * A dead CPU's magazines are emptied by the CPU hotplug "dead" callback.
 * flush_all() takes no CPU hotplug lock, so the shrinker may call it from
 * reclaim.
 *
 * Limits. zone->charged counts the zone's items outside its backend:
 * handed out, or cached in a magazine. It moves once per batch (refill
 * charges, flush uncharges), never per item, and a charge never takes it
 * above zone->max: near the limit the batch shrinks to what is left, so the
 * count is exact. An allocation that finds no room
 *   - counts a limit hit, logs zone->warning at most once per interval (as
 *     FreeBSD's "[zone: mbuf_cluster] kern.ipc.nmbclusters limit reached"),
 *     and queues the max-action (mbuf_reclaim_schedule(), a workqueue);
 *   - for zone_clust, first drains the packet cache (this CPU at once, the
 *     others from a work item), whose pairs hold clusters, and retries;
 *   - M_NOWAIT: returns NULL and counts a failure;
 *   - M_WAITOK: counts a sleep and waits on zone->wait until an item of
 *     the zone comes back. The sleeper raises zone->sleepers and
 *     zone->bypass, issues a full barrier, has every CPU flush its
 *     magazines, then the depot, and re-checks before sleeping; a free
 *     reads bypass and parks any batch in the depot inside its preempt-off
 *     section (so a flush work on that CPU, and the depot flush after it,
 *     come later), skips the magazine while bypass is set, uncharges,
 *     issues a full barrier and wakes the queue if anyone sleeps. Either the sleeper sees the
 *     room or the freer sees the sleeper: no wake-up is lost.
 *
 * Items cached on other CPUs count against the limit, as in UMA; the
 * max-action and the reclaim shrinker drain them.
 *
 * M_WAITOK never returns NULL: a backend failure under GFP_KERNEL is
 * retried after a short sleep. M_NOWAIT never sleeps (GFP_ATOMIC).
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/error-injection.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include "internal.h"
#include "trace.h"

struct uma_zone mbuf_zones[MBZ_NALL];

/*
 * zone_mbuf: the zone of mbufs (MSIZE)
 *
 * What uma_zalloc(zone_mbuf, ...) allocates from, as in FreeBSD; debugnet
 * points it at a stand-in during a session.
 */
uma_zone_t zone_mbuf = MBZ(MBZ_MBUF);
MBUF_EXPORT(zone_mbuf);

/*
 * zone_clust: the zone of 2 KiB clusters (MCLBYTES)
 *
 * What uma_zalloc(zone_clust, ...) allocates from, as in FreeBSD; debugnet
 * points it at a stand-in during a session.
 */
uma_zone_t zone_clust = MBZ(MBZ_CLUST);
MBUF_EXPORT(zone_clust);

/*
 * zone_pack: the zone of packets: mbufs with a 2 KiB cluster attached
 *
 * What uma_zalloc(zone_pack, ...) allocates from, as in FreeBSD; debugnet
 * points it at a stand-in during a session.
 */
uma_zone_t zone_pack = MBZ(MBZ_PACK);
MBUF_EXPORT(zone_pack);

/*
 * zone_jumbop: the zone of page-size jumbo clusters (MJUMPAGESIZE)
 *
 * What uma_zalloc(zone_jumbop, ...) allocates from, as in FreeBSD; debugnet
 * points it at a stand-in during a session.
 */
uma_zone_t zone_jumbop = MBZ(MBZ_JUMBOP);
MBUF_EXPORT(zone_jumbop);

/*
 * zone_jumbo9: the zone of 9 KiB jumbo clusters (MJUM9BYTES)
 *
 * What uma_zalloc(zone_jumbo9, ...) allocates from, as in FreeBSD; debugnet
 * points it at a stand-in during a session.
 */
uma_zone_t zone_jumbo9 = MBZ(MBZ_JUMBO9);
MBUF_EXPORT(zone_jumbo9);

/*
 * zone_jumbo16: the zone of 16 KiB jumbo clusters (MJUM16BYTES)
 *
 * What uma_zalloc(zone_jumbo16, ...) allocates from, as in FreeBSD; debugnet
 * points it at a stand-in during a session.
 */
uma_zone_t zone_jumbo16 = MBZ(MBZ_JUMBO16);
MBUF_EXPORT(zone_jumbo16);

DEFINE_STATIC_KEY_TRUE(mbuf_zone_accounting_key);

/* How long a sleeper waits before it re-checks on its own (a safety net). */
#define MBUF_ZONE_WAIT_RECHECK	(10 * HZ)
/* Items a flush moves per backend call (bounds the stack it uses). */
#define MBUF_ZONE_FLUSH_CHUNK	16

static const struct mbuf_zone_ops mbuf_slab_ops;
static int mbuf_zone_cpuhp_state = -1;
static struct workqueue_struct *mbuf_flush_wq;
/* Bytes an object of each slab zone really takes (see mbuf_zone_mem_info). */
static unsigned int mbuf_slab_stride[MBZ_NZONES];

/* Pair zones charge nothing: their mbufs and clusters are charged. */
static inline bool mbuf_zone_charges(uma_zone_t zone)
{
	return !mbuf_zone_id_is_pair(zone->id);
}

/*
 * The limit
 */

/* Charge up to @want items; returns how many fit under the limit. */
static long mbuf_zone_charge(uma_zone_t zone, long want)
{
	long cur, max, grant;

	if (!mbuf_zone_accounting() || !mbuf_zone_charges(zone))
		return want;
	max = READ_ONCE(zone->max);
	if (!max) {
		atomic_long_add(want, &zone->charged);
		return want;
	}
	cur = atomic_long_read(&zone->charged);
	do {
		grant = min(want, max - cur);
		if (grant <= 0)
			return 0;
	} while (!atomic_long_try_cmpxchg(&zone->charged, &cur, cur + grant));
	return grant;
}

/* Give @n items' charge back and wake whoever waits for room. */
static void mbuf_zone_uncharge(uma_zone_t zone, long n)
{
	if (!n || !mbuf_zone_accounting() || !mbuf_zone_charges(zone))
		return;
	atomic_long_sub(n, &zone->charged);
	/* Pairs with the barrier in mbuf_zone_wait(). */
	smp_mb__after_atomic();
	if (atomic_read(&zone->sleepers))
		wake_up_all(&zone->wait);
}

static bool mbuf_zone_has_room(uma_zone_t zone)
{
	long max = READ_ONCE(zone->max);

	return !max || atomic_long_read(&zone->charged) < max;
}

/* mbuf_zone_bypassed(): see zone.h. */

/*
 * Call @fn on each pair zone whose items hold an item of @zone: for
 * zone_mbuf every pair zone, for a cluster zone its own pair zone.
 */
static void mbuf_zone_for_pairs(uma_zone_t zone, void (*fn)(uma_zone_t pz))
{
	int i;

	if (zone == MBZ(MBZ_MBUF)) {
		fn(MBZ(MBZ_PACK));
		for (i = MBZ_PACKP; i <= MBZ_PACK16; i++)
			fn(MBZ(i));
	} else if (zone == MBZ(MBZ_CLUST)) {
		fn(MBZ(MBZ_PACK));
	} else if (zone->id >= MBZ_JUMBOP && zone->id <= MBZ_JUMBO16 &&
		   zone == MBZ(zone->id)) {
		fn(MBZ(mbuf_jumbo_pair_id(zone->id)));
	}
}

static void mbuf_zone_bypass_inc(uma_zone_t zone)
{
	atomic_inc(&zone->bypass);
}

static void mbuf_zone_bypass_dec(uma_zone_t zone)
{
	atomic_dec(&zone->bypass);
}

static void mbuf_zone_bypass_add(uma_zone_t zone, int delta)
{
	atomic_add(delta, &zone->bypass);
	mbuf_zone_for_pairs(zone, delta > 0 ? mbuf_zone_bypass_inc :
				  mbuf_zone_bypass_dec);
}

/*
 * Magazines
 */

/* mbuf_zone_level() and mbuf_zone_mag(): see zone.h. */

/* Count a failed, or a sleeping, request at the caller's level. */
static void mbuf_zone_count_fail(uma_zone_t zone)
{
	preempt_disable();
	mbuf_zone_mag(zone)->fails++;
	preempt_enable();
}

static void mbuf_zone_count_sleep(uma_zone_t zone)
{
	preempt_disable();
	mbuf_zone_mag(zone)->sleeps++;
	preempt_enable();
}

/*
 * Items in a cache (a magazine, the depot, the packet cache) are free:
 * only the zone may touch them. mbuf_zone_cache_enter() and _leave()
 * bracket an item's stay in the caches:
 *
 *   - KASAN: the item is poisoned (the backend's hook, or the kernel's
 *     mempool hook for slab objects), so any access while it is cached
 *     is reported as a use after free, and a second free of a cached
 *     item as a double free (the poison hook refuses it).
 *   - Trashing (CONFIG_MBUFCOMPAT_TRASH, kernels without KASAN): the
 *     item is filled with a pattern, verified when it leaves.
 *   - Debug builds (CONFIG_MBUFCOMPAT_DEBUG), for the zones whose items
 *     KASAN does not poison (every zone without KASAN; with it, the
 *     slab-backed mbuf and packet zones of a module or of a kernel
 *     before 6.8, which has no mempool hooks for them): the item's first
 *     word holds a cookie derived from its address while it is cached,
 *     so that freeing it again is recognised (FreeBSD's INVARIANTS
 *     checks a free against the keg's free-item bitmap).
 *
 * A double free is reported, counted and dropped: the item is cached
 * once, not handed out twice.
 */
#define MBUF_ZONE_CACHED_COOKIE	0x6d62756663616368UL	/* "mbufcach" */
/* MBUF_ZONE_COOKIES, _TRASHES and _POISONS: see zone.h. */

static __always_inline unsigned long mbuf_zone_cookie(const void *item)
{
	return (unsigned long)item ^ MBUF_ZONE_CACHED_COOKIE;
}

/*
 * Only the mbuf zones' items carry no state while cached; a private
 * zone's (uma_zcreate() with an init routine) keep what init set up.
 */
static __always_inline bool mbuf_zone_cookies(uma_zone_t zone)
{
	if (!MBUF_ZONE_COOKIES || zone->id == MBZ_PRIVATE)
		return false;
	/* Where KASAN poisons cached items, its poison catches the free. */
	if (zone->ops->poison)
		return !IS_ENABLED(CONFIG_KASAN_GENERIC);
	return !MBUF_KASAN_POISONS;
}

static void mbuf_zone_double_free(uma_zone_t zone, void *item)
{
	atomic_long_inc(&zone->double_frees);
	pr_err_ratelimited(MBUF_LOG_PREFIX "double free of item %p in zone %s (already cached); dropped\n",
			   item, zone->name);
}

/**
 * mbuf_zone_poison() - mark an item entering a zone's cache as free
 * @zone: its zone
 * @item: the item
 *
 * The backend's poison hook, or for slab objects the kernel's mempool
 * hook (a no-op without KASAN). Any context.
 *
 * Return: false if KASAN found the item already poisoned or not an
 * object of its own (a double or invalid free, reported): the caller
 * must not cache it.
 */
bool mbuf_zone_poison(uma_zone_t zone, void *item)
{
	void *cl;

	/*
	 * A packet is two objects: its mbuf (checked first, so that a double
	 * free poisons nothing more) and its cluster, as the cluster zone
	 * poisons clusters. m_ext, which pairs them, is read before the
	 * mbuf is poisoned and after it is unpoisoned. Jumbo pairs alike.
	 */
	if (mbuf_zone_id_is_pair(zone->id) && zone == MBZ(zone->id)) {
		cl = ((struct mbuf *)item)->m_ext.ext_buf;
		if (!mbuf_zone_poison(MBZ(MBZ_MBUF), item))
			return false;
		return mbuf_zone_poison(MBZ(mbuf_pair_clust_id(zone->id)), cl);
	}
	if (zone->ops->poison)
		return zone->ops->poison(zone, item);
	if (zone->ops != &mbuf_slab_ops)
		return true;
	return mbuf_kasan_poison_object(item);
}

/**
 * mbuf_zone_unpoison() - mark an item leaving a zone's cache as live
 * @zone: its zone
 * @item: the item, poisoned by mbuf_zone_poison()
 */
void mbuf_zone_unpoison(uma_zone_t zone, void *item)
{
	if (mbuf_zone_id_is_pair(zone->id) && zone == MBZ(zone->id)) {
		mbuf_zone_unpoison(MBZ(MBZ_MBUF), item);
		mbuf_zone_unpoison(MBZ(mbuf_pair_clust_id(zone->id)),
				   ((struct mbuf *)item)->m_ext.ext_buf);
		return;
	}
	if (zone->ops->unpoison)
		zone->ops->unpoison(zone, item);
	else if (zone->ops == &mbuf_slab_ops)
		mbuf_kasan_unpoison_object(item, zone->size);
}

/*
 * An item freed by its user enters the cache; false: do not cache it.
 * A zone without magazines (a debugnet stand-in) caches nothing: its
 * items go straight back, untouched.
 */
static __always_inline bool mbuf_zone_cache_enter(uma_zone_t zone,
						  void *item)
{
	if (!zone->mag_size)
		return true;
	if (mbuf_zone_cookies(zone) &&
	    unlikely(READ_ONCE(*(unsigned long *)item) ==
		     mbuf_zone_cookie(item))) {
		mbuf_zone_double_free(zone, item);
		return false;
	}
	/*
	 * kmemleak scans a cached mbuf like a live one: the m_next and m_ext
	 * pointers of a freed chain would make a leaked mbuf or cluster look
	 * referenced. Kernels with kmemleak clear a cached mbuf (MT_NOTMBUF
	 * and no flags, what a free mbuf has, are zeroes).
	 */
	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK) && zone->id == MBZ_MBUF)
		memset(item, 0, MSIZE);
	if (MBUF_ZONE_TRASHES)
		mbuf_trash_fill(zone, item);
	if (mbuf_zone_cookies(zone))
		WRITE_ONCE(*(unsigned long *)item, mbuf_zone_cookie(item));
	if (MBUF_ZONE_POISONS && unlikely(!mbuf_zone_poison(zone, item))) {
		atomic_long_inc(&zone->double_frees);
		return false;
	}
	return true;
}

/* A fresh item from the backend enters the cache (it cannot be cached). */
static void mbuf_zone_cache_enter_fresh(uma_zone_t zone, void *item)
{
	if (!zone->mag_size)
		return;
	if (MBUF_ZONE_TRASHES)
		mbuf_trash_fill(zone, item);
	if (mbuf_zone_cookies(zone))
		WRITE_ONCE(*(unsigned long *)item, mbuf_zone_cookie(item));
	if (MBUF_ZONE_POISONS)
		mbuf_zone_poison(zone, item);
}

/* An item leaves the cache: to a caller, or back to the backend. */
static __always_inline void mbuf_zone_cache_leave(uma_zone_t zone, void *item)
{
	unsigned long *w = item;

	if (!zone->mag_size)
		return;
	if (MBUF_ZONE_POISONS)
		mbuf_zone_unpoison(zone, item);
	/* What the cookie replaced; anything else was written meanwhile. */
	if (mbuf_zone_cookies(zone) && READ_ONCE(*w) == mbuf_zone_cookie(item))
		WRITE_ONCE(*w, MBUF_ZONE_TRASHES ? 0xdeadc0dedeadc0deUL : 0);
	if (MBUF_ZONE_TRASHES)
		mbuf_trash_verify(zone, item);
}

/*
 * kmemleak scans the per-CPU magazines and the depot: a slot an item
 * left must not keep pointing at it, or a leaked item would still look
 * referenced. Only kernels with kmemleak pay for the stores.
 */
static __always_inline void mbuf_zone_forget(void **slots, unsigned int n)
{
	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		memset(slots, 0, n * sizeof(void *));
}

/* Release @n items taken out of a cache. */
static void mbuf_zone_release_cached(uma_zone_t zone, void **items, int n)
{
	int i;

	for (i = 0; i < n; i++)
		mbuf_zone_cache_leave(zone, items[i]);
	zone->ops->release(zone, items, n);
	mbuf_zone_uncharge(zone, n);
}

/*
 * Empty one magazine into the backend. The caller owns it: it is this
 * CPU's at the caller's level with preemption off, one at a lower level
 * that cannot run meanwhile, or a dead CPU's.
 */
static unsigned int mbuf_zone_empty_mag(uma_zone_t zone,
					struct mbuf_zone_mag *mag)
{
	void *items[MBUF_ZONE_FLUSH_CHUNK];
	unsigned int total = 0, n;

	while (mag->count) {
		n = min_t(unsigned int, mag->count, MBUF_ZONE_FLUSH_CHUNK);
		mag->count -= n;
		memcpy(items, &mag->mag[mag->count], n * sizeof(void *));
		mbuf_zone_forget(&mag->mag[mag->count], n);
		mbuf_zone_release_cached(zone, items, n);
		total += n;
	}
	return total;
}

/*
 * The depot. Batches are copied in and out under the lock (a batch is
 * 256 bytes of pointers); the lock-free peek at depot_items only saves the
 * lock when the depot is obviously empty.
 */
static bool mbuf_zone_depot_put(uma_zone_t zone, void **items)
{
	struct mbuf_zone_batch *b;
	unsigned long flags;

	spin_lock_irqsave(&zone->depot_lock, flags);
	b = list_first_entry_or_null(&zone->depot_free, struct mbuf_zone_batch,
				     link);
	if (zone->depot_items + zone->batch > READ_ONCE(zone->depot_limit))
		b = NULL;
	if (b) {
		memcpy(b->items, items, zone->batch * sizeof(void *));
		list_move(&b->link, &zone->depot_full);
		WRITE_ONCE(zone->depot_items, zone->depot_items + zone->batch);
	}
	spin_unlock_irqrestore(&zone->depot_lock, flags);
	return b;
}

static bool mbuf_zone_depot_get(uma_zone_t zone, void **items)
{
	struct mbuf_zone_batch *b;
	unsigned long flags;

	if (!READ_ONCE(zone->depot_items))
		return false;
	spin_lock_irqsave(&zone->depot_lock, flags);
	b = list_first_entry_or_null(&zone->depot_full, struct mbuf_zone_batch,
				     link);
	if (b) {
		memcpy(items, b->items, zone->batch * sizeof(void *));
		mbuf_zone_forget(b->items, zone->batch);
		list_move(&b->link, &zone->depot_free);
		WRITE_ONCE(zone->depot_items, zone->depot_items - zone->batch);
	}
	spin_unlock_irqrestore(&zone->depot_lock, flags);
	return b;
}

/* Give everything in the depot back to the backend. Any context. */
static unsigned int mbuf_zone_depot_drain(uma_zone_t zone)
{
	void *items[MBZ_BATCH_MAX];
	unsigned int n = 0;

	while (mbuf_zone_depot_get(zone, items)) {
		mbuf_zone_release_cached(zone, items, zone->batch);
		n += zone->batch;
	}
	return n;
}

/*
 * Empty what this CPU caches and the caller may touch: its own level's
 * magazine, and from task context with interrupts on also the softirq
 * level's (bottom halves are turned off for that).
 */
static unsigned int mbuf_zone_flush_local_count(uma_zone_t zone)
{
	struct mbuf_zone_pcpu *pc;
	unsigned int n;

	if (!zone->mag_size)
		return 0;
	if (mbuf_zone_level() == MBZ_LVL_TASK && !irqs_disabled()) {
		local_bh_disable();
		preempt_disable();
		pc = this_cpu_ptr(zone->pcpu);
		n = mbuf_zone_empty_mag(zone, &pc->lvl[MBZ_LVL_TASK]);
		n += mbuf_zone_empty_mag(zone, &pc->lvl[MBZ_LVL_SOFTIRQ]);
		preempt_enable();
		local_bh_enable();
		return n;
	}
	preempt_disable();
	n = mbuf_zone_empty_mag(zone, mbuf_zone_mag(zone));
	preempt_enable();
	return n;
}

/**
 * mbuf_zone_flush_local() - give back what this CPU caches
 * @zone: the zone
 *
 * Any context. From task context with interrupts enabled every magazine
 * of this CPU is emptied; from an interrupt, only the one of its level
 * (a lower level's may be in use by the code interrupted).
 */
void mbuf_zone_flush_local(uma_zone_t zone)
{
	mbuf_zone_flush_local_count(zone);
}

/* A CPU's flush work: on that CPU, in task context. */
static void mbuf_zone_flush_workfn(struct work_struct *work)
{
	struct mbuf_zone_pcpu *pc;

	pc = container_of(work, struct mbuf_zone_pcpu, flush_work);
	mbuf_zone_flush_local_count(pc->zone);
}

/**
 * mbuf_zone_flush_all() - give back what every CPU caches
 * @zone: the zone
 *
 * Each online CPU empties its magazines in a work item; this waits for
 * them, then empties the depot. Dead CPUs were emptied when they died.
 * Takes no CPU hotplug lock (a CPU that goes away meanwhile has its work
 * run elsewhere, which is harmless). Process context; may be called from
 * memory reclaim.
 */
void mbuf_zone_flush_all(uma_zone_t zone)
{
	/* For the drain event: what the caches hold less afterwards. */
	unsigned long before = 0, after;
	int cpu;

	might_sleep();
	if (!zone->mag_size)
		return;
	if (trace_zone_drain_enabled())
		before = mbuf_zone_cached(zone);
	for_each_online_cpu(cpu)
		queue_work_on(cpu, mbuf_flush_wq,
			      &per_cpu_ptr(zone->pcpu, cpu)->flush_work);
	for_each_online_cpu(cpu)
		flush_work(&per_cpu_ptr(zone->pcpu, cpu)->flush_work);
	mbuf_zone_depot_drain(zone);
	if (trace_zone_drain_enabled()) {
		after = mbuf_zone_cached(zone);
		trace_zone_drain(zone, before > after ? before - after : 0);
	}
}

/**
 * mbuf_zones_flush_all() - give back what every zone caches, on every CPU
 *
 * The pair zones first: their pairs release an mbuf and a cluster each
 * into the other zones, which are flushed after them. Process context.
 */
void mbuf_zones_flush_all(void)
{
	int i;

	for (i = 0; i < MBZ_NALL; i++)
		if (mbuf_zone_id_is_pair(i))
			mbuf_zone_flush_all(MBZ(i));
	for (i = 0; i < MBZ_NALL; i++)
		if (!mbuf_zone_id_is_pair(i))
			mbuf_zone_flush_all(MBZ(i));
}

static void mbuf_zone_drain_work(struct work_struct *work)
{
	mbuf_zone_flush_all(container_of(work, struct uma_zone, drain_work));
}

/**
 * mbuf_zone_drain() - give back what a zone caches, on every CPU
 * @zone: the zone
 *
 * What this CPU may flush from here (see mbuf_zone_flush_local()) and the
 * depot are emptied at once; the other CPUs' magazines by a work item
 * (flush its work to wait for it). Any context.
 */
void mbuf_zone_drain(uma_zone_t zone)
{
	unsigned long n;

	if (!zone->mag_size)
		return;
	n = mbuf_zone_flush_local_count(zone);
	n += mbuf_zone_depot_drain(zone);
	trace_zone_drain(zone, n);
	schedule_work(&zone->drain_work);
}

/**
 * mbuf_zone_cached() - how many items a zone's magazines hold
 * @zone: the zone
 *
 * A snapshot; never allocates, any context.
 *
 * Return: the number of items cached over all CPUs and levels and in
 * the depot.
 */
unsigned long mbuf_zone_cached(uma_zone_t zone)
{
	struct mbuf_zone_pcpu *pc;
	unsigned long n = READ_ONCE(zone->depot_items);
	int cpu, l;

	if (!zone->pcpu)
		return n;
	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(zone->pcpu, cpu);
		for (l = 0; l < MBZ_NLEVELS; l++)
			n += READ_ONCE(pc->lvl[l].count);
	}
	return n;
}

static void mbuf_zone_empty_cpu(uma_zone_t zone, int cpu)
{
	struct mbuf_zone_pcpu *pc = per_cpu_ptr(zone->pcpu, cpu);
	int l;

	for (l = 0; l < MBZ_NLEVELS; l++)
		mbuf_zone_empty_mag(zone, &pc->lvl[l]);
}

/* CPU hotplug: a dead CPU's magazines go back, so no charge is stranded. */
static int mbuf_zone_cpu_dead(unsigned int cpu)
{
	int i;

	/* Pair zones first: their pairs release into the other zones. */
	for (i = 0; i < MBZ_NALL; i++)
		if (mbuf_zone_id_is_pair(i))
			mbuf_zone_empty_cpu(MBZ(i), cpu);
	for (i = 0; i < MBZ_NALL; i++)
		if (!mbuf_zone_id_is_pair(i))
			mbuf_zone_empty_cpu(MBZ(i), cpu);
	return 0;
}

/*
 * The slow path
 */

/* Drain a pair zone if it caches anything. */
static void mbuf_zone_drain_cached(uma_zone_t pz)
{
	if (mbuf_zone_cached(pz))
		mbuf_zone_drain(pz);
}

/*
 * The zone is full. Count it, warn, queue the max-action; for the mbuf
 * and cluster zones, drain the pair caches holding their items. Returns
 * true if that freed room to retry.
 */
static bool mbuf_zone_limit_reached(uma_zone_t zone, bool *first)
{
	if (*first) {
		*first = false;
		atomic_long_inc(&zone->limit_hits);
		trace_zone_limit_reached(zone);
		if (zone->warning && __ratelimit(&zone->warn_rs)) {
			atomic_long_inc(&zone->warnings);
			pr_warn(MBUF_LOG_PREFIX "[zone: %s] %s\n", zone->name,
				zone->warning);
		}
		mbuf_reclaim_schedule(zone);
		/*
		 * Cached items count against the limit: give back what this
		 * CPU may flush from here and the depots, the pair caches
		 * first (their pairs hold mbufs and clusters), and let the
		 * other CPUs follow from a work item.
		 */
		mbuf_zone_for_pairs(zone, mbuf_zone_drain_cached);
		if (zone == MBZ(zone->id) && mbuf_zone_cached(zone))
			mbuf_zone_drain(zone);
		return mbuf_zone_has_room(zone);
	}
	return false;
}

/* Wait, M_WAITOK, until the zone has room (or a while has passed). */
static void mbuf_zone_wait(uma_zone_t zone)
{
	atomic_inc(&zone->sleepers);
	mbuf_zone_bypass_add(zone, 1);
	/* Pairs with the barrier in mbuf_zone_uncharge(). */
	smp_mb__after_atomic();
	/* From now on frees skip the magazines; empty what they hold. */
	mbuf_zone_for_pairs(zone, mbuf_zone_flush_all);
	mbuf_zone_flush_all(zone);
	wait_event_timeout(zone->wait, mbuf_zone_has_room(zone),
			   MBUF_ZONE_WAIT_RECHECK);
	mbuf_zone_bypass_add(zone, -1);
	atomic_dec(&zone->sleepers);
}

/* A backend failed an M_WAITOK request: pause before trying again. */
static void mbuf_zone_backoff(unsigned int *tries)
{
	if (++*tries <= 2)
		cond_resched();
	else
		msleep(min(*tries, 20U));
}

/*
 * Get up to @want items from the backend, charged. Handles the limit and
 * backend failures. M_NOWAIT may return 0; M_WAITOK returns at least 1.
 */
static int mbuf_zone_fill(uma_zone_t zone, void **items, int want, int how)
{
	bool nowait = (how & (M_NOWAIT | M_WAITOK)) != M_WAITOK;
	bool first = true, slept = false;
	/* M_ZERO is for the one item handed out, not for a whole batch. */
	gfp_t gfp = mbuf_how_to_gfp(how & ~M_ZERO);
	unsigned int tries = 0;
	long n;
	int got;

	for (;;) {
		n = mbuf_zone_charge(zone, want);
		if (unlikely(!n)) {
			if (mbuf_zone_limit_reached(zone, &first))
				continue;
			if (nowait)
				return 0;
			if (!slept) {
				slept = true;
				mbuf_zone_count_sleep(zone);
				trace_zone_limit_sleep(zone);
			}
			mbuf_zone_wait(zone);
			continue;
		}
		got = zone->ops->import(zone, items, n, gfp);
		if (got < n)
			mbuf_zone_uncharge(zone, n - got);
		if (likely(got > 0) || nowait)
			return got;
		mbuf_zone_backoff(&tries);
		want = 1;
	}
}

/**
 * mbuf_zone_get_batch() - take items straight from a zone's backend
 * @zone: the zone
 * @items: where to store them
 * @n: how many are wanted, at most MBZ_BATCH_MAX
 * @how: M_NOWAIT or M_WAITOK
 *
 * The items are charged to @zone but pass neither its magazine nor its
 * constructor, and its statistics do not count them: the taker counts
 * them as its own items (the packet zone: as pairs). Fault injection
 * applies to M_NOWAIT requests.
 *
 * Return: how many were stored; with M_WAITOK at least one.
 */
int mbuf_zone_get_batch(uma_zone_t zone, void **items, int n, int how)
{
	void *batch[MBZ_BATCH_MAX];
	struct mbuf_zone_mag *mag;
	int got, k, i;

	how = mbuf_zone_check_how(how);
	if (WARN_ON_ONCE(n <= 0 || n > MBZ_BATCH_MAX))
		return 0;
	if (mbuf_fault_armed() && (how & M_NOWAIT) && mbuf_should_fail(zone))
		return 0;

	/* What this CPU caches at this level first, as UMA's zalloc would. */
	preempt_disable();
	mag = mbuf_zone_mag(zone);
	got = min_t(int, n, mag->count);
	mag->count -= got;
	memcpy(items, &mag->mag[mag->count], got * sizeof(void *));
	mbuf_zone_forget(&mag->mag[mag->count], got);
	preempt_enable();

	/* Then a batch from the depot; what is not needed goes back. */
	if (got < n && zone->mag_size && mbuf_zone_depot_get(zone, batch)) {
		k = min_t(int, n - got, zone->batch);
		memcpy(items + got, batch, k * sizeof(void *));
		got += k;
		if (k < zone->batch)
			mbuf_zone_release_cached(zone, batch + k,
						 zone->batch - k);
	}
	for (i = 0; i < got; i++)
		mbuf_zone_cache_leave(zone, items[i]);

	/* The backend for the rest; with some in hand, never wait. */
	if (got < n)
		got += mbuf_zone_fill(zone, items + got, n - got,
				      got ? M_NOWAIT : how);
	return got;
}

/**
 * mbuf_zone_put_batch() - give items straight back to a zone's backend
 * @zone: the zone
 * @items: the items
 * @n: how many
 *
 * The counterpart of mbuf_zone_get_batch(). Any context.
 */
void mbuf_zone_put_batch(uma_zone_t zone, void **items, int n)
{
	if (n <= 0)
		return;
	zone->ops->release(zone, items, n);
	mbuf_zone_uncharge(zone, n);
}

/* The magazine was empty: refill it and hand out one item. */
static noinline void *mbuf_zone_alloc_slow(uma_zone_t zone, int how)
{
	void *items[MBZ_BATCH_MAX];
	struct mbuf_zone_mag *mag;
	int got, want, i, k;
	void *item;

	if (WARN_ON_ONCE(in_nmi()))
		return NULL;
	want = 1;
	if (mbuf_zone_level() < MBZ_LVL_HARDIRQ)
		want = min(zone->batch, READ_ONCE(zone->mag_cap) + 1);
	if (want == zone->batch && want > 1 &&
	    mbuf_zone_depot_get(zone, items)) {
		/* Cached items: they leave the depot here, or go back. */
		got = want - 1;
		item = items[got];
		mbuf_zone_cache_leave(zone, item);
	} else {
		got = mbuf_zone_fill(zone, items, want, how);
		if (unlikely(!got)) {
			mbuf_zone_count_fail(zone);
			return NULL;
		}
		item = items[--got];
		for (i = 0; i < got; i++)
			mbuf_zone_cache_enter_fresh(zone, items[i]);
	}

	preempt_disable();
	mag = mbuf_zone_mag(zone);
	mag->allocs++;
	/*
	 * Others at this level on this CPU may have filled it meanwhile. A
	 * sleeper may have flushed every cache since the refill was charged:
	 * then nothing may stay idle in a magazine, it goes back at once.
	 */
	k = 0;
	if (!mbuf_zone_bypassed(zone) && mag->cap > mag->count)
		k = min_t(int, got, mag->cap - mag->count);
	memcpy(&mag->mag[mag->count], items, k * sizeof(void *));
	mag->count += k;
	preempt_enable();

	if (unlikely(k < got))
		mbuf_zone_release_cached(zone, items + k, got - k);
	return item;
}

/* The magazine is full, absent or bypassed: make room or go around it. */
static noinline void mbuf_zone_free_slow(uma_zone_t zone, void *item)
{
	void *items[MBZ_BATCH_MAX + 1];
	struct mbuf_zone_mag *mag;
	unsigned int out;
	int n = 0;

	if (WARN_ON_ONCE(in_nmi()))
		return;		/* leaked: the backends are not NMI-safe */
	preempt_disable();
	mag = mbuf_zone_mag(zone);
	mag->frees++;
	if (mag->cap && !mbuf_zone_bypassed(zone)) {
		if (mag->count >= mag->cap) {
			/* Park a batch in the depot, or else give it back. */
			out = min(mag->count, zone->batch);
			mag->count -= out;
			if (out < zone->batch ||
			    !mbuf_zone_depot_put(zone, &mag->mag[mag->count])) {
				n = out;
				memcpy(items, &mag->mag[mag->count],
				       n * sizeof(void *));
			}
			mbuf_zone_forget(&mag->mag[mag->count], out);
		}
		if (mag->count < mag->cap)
			mag->mag[mag->count++] = item;
		else
			items[n++] = item;
	} else {
		items[n++] = item;
	}
	preempt_enable();

	if (n)
		mbuf_zone_release_cached(zone, items, n);
}

/* Take one item out of the zone (magazine first), without constructor. */
static __always_inline void *mbuf_zone_alloc_item(uma_zone_t zone, int how)
{
	struct mbuf_zone_mag *mag;
	void *item;

	preempt_disable();
	mag = mbuf_zone_mag(zone);
	if (likely(mag->count)) {
		item = mag->mag[--mag->count];
		mbuf_zone_forget(&mag->mag[mag->count], 1);
		mag->allocs++;
		preempt_enable();
		mbuf_zone_cache_leave(zone, item);
		return item;
	}
	preempt_enable();
	return mbuf_zone_alloc_slow(zone, how);
}

/* Put one item back (magazine first), after its destructor ran. */
static __always_inline void mbuf_zone_free_item(uma_zone_t zone, void *item)
{
	/*
	 * Every item passes through the cache, even one that goes straight
	 * back to the backend: a double free is caught either way.
	 */
	if (unlikely(!mbuf_zone_cache_enter(zone, item)))
		return;
	if (likely(mbuf_zone_mag_push(zone, item)))
		return;
	mbuf_zone_free_slow(zone, item);
}

/* M_ZERO: the item's bytes; for a pair, its cluster's (m_init does the rest). */
static void mbuf_zone_zero(uma_zone_t zone, void *item)
{
	if (mbuf_zone_id_is_pair(zone->id))
		memset(((struct mbuf *)item)->m_ext.ext_buf, 0,
		       MBZ(mbuf_pair_clust_id(zone->id))->size);
	else
		memset(item, 0, zone->size);
}

/**
 * mbuf_zone_check_how() - make a caller's "how" safe
 * @how: M_NOWAIT or M_WAITOK, optionally with M_ZERO
 *
 * FreeBSD requires exactly one of M_NOWAIT and M_WAITOK. Anything else
 * is logged once and treated as M_NOWAIT: the caller may be in atomic
 * context, so the allocation must not sleep.
 *
 * Return: @how, or @how with M_WAITOK replaced by M_NOWAIT.
 */
int mbuf_zone_check_how(int how)
{
	int w = how & (M_NOWAIT | M_WAITOK);

	if (likely(w == M_NOWAIT || w == M_WAITOK))
		return how;
	pr_warn_once(MBUF_LOG_PREFIX "allocation with how %#x, neither M_NOWAIT nor M_WAITOK, from %pS: treated as M_NOWAIT\n",
		     how, __builtin_return_address(0));
	return (how & ~M_WAITOK) | M_NOWAIT;
}

/**
 * uma_zalloc_arg() - allocate an item from a zone
 * @zone: one of the mbuf zones (zone_mbuf, zone_clust, zone_pack,
 *	zone_jumbop, zone_jumbo9, zone_jumbo16)
 * @arg: the constructor's argument: a struct mb_args for zone_mbuf and
 *	zone_pack; for the cluster zones an mbuf to attach the cluster to,
 *	or NULL for a bare cluster
 * @how: M_NOWAIT or M_WAITOK, optionally with M_ZERO
 *
 * The zone's constructor runs on the item, as UMA's does: m_init() for an
 * mbuf, attaching the cluster to @arg for a cluster. With M_NOWAIT the call
 * never sleeps and may be made from any context, including hard interrupts.
 * With M_WAITOK it may sleep, for memory or, when the zone is at its limit,
 * until an item of the zone is freed; it does not return NULL.
 *
 * Return: the item, or NULL (M_NOWAIT only, or a failing constructor).
 */
MBUF_FAST_ENTRY void *uma_zalloc_arg(uma_zone_t zone, void *arg, int how)
{
	void *item;

	how = mbuf_zone_check_how(how);
	might_sleep_if(how & M_WAITOK);

	if (mbuf_fault_armed() && (how & M_NOWAIT) &&
	    mbuf_should_fail(zone)) {
		mbuf_zone_count_fail(zone);
		return NULL;
	}
	item = mbuf_zone_alloc_item(zone, how);
	if (unlikely(!item))
		return NULL;
	if (unlikely(how & M_ZERO))
		mbuf_zone_zero(zone, item);
	if (likely(zone->ctor) &&
	    unlikely(INDIRECT_CALL_3(zone->ctor, mb_ctor_mbuf, mb_ctor_pack,
				     mb_ctor_clust, zone, item, arg, how))) {
		mbuf_zone_free_item(zone, item);
		mbuf_zone_count_fail(zone);
		return NULL;
	}
	return item;
}
MBUF_EXPORT(uma_zalloc_arg);

/**
 * mbuf_zone_get_fast_out() - take an item from a zone without its constructor
 * @zone: the zone
 * @how: M_NOWAIT (callers send anything else through uma_zalloc_arg; a
 *	bad one is made M_NOWAIT, as there)
 *
 * The out-of-line part of mbuf_zone_get_fast() (zone.h): the whole path
 * where the inline magazine pop is compiled out (debug and KASAN
 * kernels), the magazine refill where it is not. The magazine (and the
 * slow path behind it) and fault injection, without the generic argument
 * checks and the indirect constructor call.
 *
 * Return: the item, or NULL.
 */
void *mbuf_zone_get_fast_out(uma_zone_t zone, int how)
{
	how = mbuf_zone_check_how(how);
	if (mbuf_fault_armed() && (how & M_NOWAIT) && mbuf_should_fail(zone)) {
		mbuf_zone_count_fail(zone);
		return NULL;
	}
	return mbuf_zone_alloc_item(zone, how);
}

/**
 * mbuf_zone_put_fast_out() - give an item back to a zone without its destructor
 * @zone: the zone it came from
 * @item: the item, for which the destructor would have nothing to do
 *
 * The out-of-line part of mbuf_zone_put_fast() (zone.h).
 */
void mbuf_zone_put_fast_out(uma_zone_t zone, void *item)
{
	mbuf_zone_free_item(zone, item);
}

/* uma_zfree_arg() of a zone with a destructor. */
static noinline void mbuf_zone_free_dtor(uma_zone_t zone, void *item,
					 void *arg)
{
	INDIRECT_CALL_2(zone->dtor, mb_dtor_mbuf, mb_dtor_pack, zone, item,
			arg);
	mbuf_zone_free_item(zone, item);
}

/**
 * uma_zfree_arg() - return an item to its zone
 * @zone: the zone the item came from
 * @item: the item; NULL is ignored
 * @arg: the destructor's argument (for zone_mbuf and zone_pack, the
 *	MB_DTOR_SKIP flag cast to a pointer, or NULL)
 *
 * Runs the zone's destructor, then caches the item for the next
 * allocation on this CPU or gives it back. Any context.
 */
MBUF_FAST_ENTRY void uma_zfree_arg(uma_zone_t zone, void *item, void *arg)
{
	if (unlikely(!item))
		return;
	/*
	 * Out of line with a destructor, so that a free without one (bare
	 * clusters) saves no registers for the call.
	 */
	if (zone->dtor) {
		mbuf_zone_free_dtor(zone, item, arg);
		return;
	}
	mbuf_zone_free_item(zone, item);
}
MBUF_EXPORT(uma_zfree_arg);

/*
 * Limits and statistics
 */

/**
 * mbuf_zone_cache_bound() - what a zone's caches may hold within a share
 * @share: items the caches may hold back in total; negative for no bound
 * @ncpus: CPUs that may have magazines (num_possible_cpus())
 * @mag_size: the largest magazine
 * @batch: items per depot batch
 * @depot_max: items the depot can hold at most
 * @b: the result: each magazine's capacity, the depot's
 *
 * Up to half of @share, in whole batches, for the depot; the rest split
 * evenly over MBZ_CACHED_LEVELS magazines of each CPU. So
 * MBZ_CACHED_LEVELS * @ncpus * b->mag_cap + b->depot_items <= @share.
 */
void mbuf_zone_cache_bound(long share, unsigned int ncpus,
			   unsigned int mag_size, unsigned int batch,
			   unsigned int depot_max, struct mbuf_zone_bound *b)
{
	long mags;

	if (share < 0) {
		b->mag_cap = mag_size;
		b->depot_items = depot_max;
		return;
	}
	b->depot_items = min_t(long, depot_max,
			       rounddown(share / 2, max(batch, 1U)));
	mags = (long)MBZ_CACHED_LEVELS * max(ncpus, 1U);
	b->mag_cap = min_t(long, mag_size, (share - b->depot_items) / mags);
}

/* A limited zone's cache share (see MBUF_ZONE_CACHE_FRACTION); -1: none. */
static long mbuf_zone_limit_share(uma_zone_t zone, bool halve)
{
	long max = READ_ONCE(zone->max);

	if (!max)
		return -1;
	return max / MBUF_ZONE_CACHE_FRACTION / (halve ? 2 : 1);
}

/* The smaller of two shares, -1 standing for none. */
static long mbuf_zone_share_min(long a, long b)
{
	if (a < 0)
		return b;
	return b < 0 ? a : min(a, b);
}

/*
 * The mbuf limit's cache share is split four ways: half for the mbuf
 * zone, a quarter for the packet zone, a twelfth for each jumbo pair
 * zone (each pair holds one mbuf).
 */
#define MBUF_ZONE_MBUF_SHARE_JPACK	12

/**
 * mbuf_zone_cache_share() - how many items a zone's caches may hold back
 * @zone: one of the zones of mbuf_zones[]
 *
 * Each limit's share (1/MBUF_ZONE_CACHE_FRACTION of it) is split among
 * the zones whose caches hold its items: the cluster and jumbo limits'
 * half each between the cluster zone and its pair zone, the mbuf limit's
 * as MBUF_ZONE_MBUF_SHARE_JPACK says. A pair zone gets the smaller of
 * its two shares.
 *
 * Return: the share of the zone's limit its own caches may hold (for
 * a pair zone, of the mbuf and cluster limits), -1 if unbounded.
 */
long mbuf_zone_cache_share(uma_zone_t zone)
{
	long m;

	switch (zone->id) {
	case MBZ_MBUF:
	case MBZ_CLUST:
	case MBZ_JUMBOP:
	case MBZ_JUMBO9:
	case MBZ_JUMBO16:
		return mbuf_zone_limit_share(zone, true);
	case MBZ_PACK:
		m = mbuf_zone_limit_share(MBZ(MBZ_MBUF), true);
		if (m > 0)
			m /= 2;
		return mbuf_zone_share_min(m,
			mbuf_zone_limit_share(MBZ(MBZ_CLUST), true));
	case MBZ_PACKP:
	case MBZ_PACK9:
	case MBZ_PACK16:
		m = mbuf_zone_limit_share(MBZ(MBZ_MBUF), false);
		if (m > 0)
			m /= MBUF_ZONE_MBUF_SHARE_JPACK;
		return mbuf_zone_share_min(m,
			mbuf_zone_limit_share(MBZ(mbuf_pair_clust_id(zone->id)),
					      true));
	default:
		return -1;
	}
}

/*
 * Size a zone's caches for its limit. If they now hold more than the new
 * bound allows in total, they are flushed (process context); otherwise a
 * magazine over its new capacity spills on its next free.
 */
static void mbuf_zone_resize_caches(uma_zone_t zone)
{
	struct mbuf_zone_bound b;
	bool over;
	int cpu, l;

	if (!zone->pcpu || !zone->mag_size)
		return;
	mbuf_zone_cache_bound(mbuf_zone_cache_share(zone), num_possible_cpus(),
			      zone->mag_size, zone->batch, zone->depot_max, &b);
	over = mbuf_zone_cached(zone) > (unsigned long)MBZ_CACHED_LEVELS *
					num_possible_cpus() * b.mag_cap +
					b.depot_items;
	WRITE_ONCE(zone->mag_cap, b.mag_cap);
	WRITE_ONCE(zone->depot_limit, b.depot_items);
	for_each_possible_cpu(cpu)
		for (l = 0; l < MBZ_CACHED_LEVELS; l++)
			WRITE_ONCE(per_cpu_ptr(zone->pcpu, cpu)->lvl[l].cap,
				   b.mag_cap);
	if (over && mbuf_flush_wq)
		mbuf_zone_flush_all(zone);
}

/**
 * mbuf_zone_set_limit() - set how many items a zone may have out
 * @zone: the zone
 * @max: the limit; 0 (or less) for none
 *
 * Items cached in per-CPU magazines count against the limit. Raising it
 * wakes the allocations sleeping for room.
 *
 * Return: the limit now in effect.
 */
long mbuf_zone_set_limit(uma_zone_t zone, long max)
{
	if (max < 0)
		max = 0;
	WRITE_ONCE(zone->max, max);
	/* Pairs with the barrier in mbuf_zone_wait(), like an uncharge. */
	smp_mb();
	if (atomic_read(&zone->sleepers))
		wake_up_all(&zone->wait);
	if (zone == MBZ(zone->id)) {
		mbuf_zone_resize_caches(zone);
		mbuf_zone_for_pairs(zone, mbuf_zone_resize_caches);
	}
	return max;
}

/**
 * uma_zone_set_max() - limit the number of items a zone hands out
 * @zone: the zone
 * @nitems: the limit; 0 for none
 *
 * Return: the limit now in effect.
 */
int uma_zone_set_max(uma_zone_t zone, int nitems)
{
	return mbuf_zone_set_limit(zone, nitems);
}
MBUF_EXPORT(uma_zone_set_max);

/**
 * uma_zone_get_max() - a zone's limit
 * @zone: the zone
 *
 * Return: the limit, 0 if there is none.
 */
int uma_zone_get_max(uma_zone_t zone)
{
	return min_t(long, READ_ONCE(zone->max), INT_MAX);
}
MBUF_EXPORT(uma_zone_get_max);

/**
 * mbuf_zone_get_stats() - a snapshot of a zone's counters
 * @zone: the zone
 * @st: where to store it
 *
 * Sums the per-CPU counters without stopping the CPUs; never allocates.
 */
void mbuf_zone_get_stats(uma_zone_t zone, struct mbuf_zone_stats *st)
{
	const struct mbuf_zone_mag *mag;
	int cpu, l;

	memset(st, 0, sizeof(*st));
	/* A zone torn down (or never set up) has no per-CPU counters. */
	for_each_possible_cpu(cpu) {
		if (!zone->pcpu)
			break;
		for (l = 0; l < MBZ_NLEVELS; l++) {
			mag = &per_cpu_ptr(zone->pcpu, cpu)->lvl[l];
			st->allocs += READ_ONCE(mag->allocs);
			st->frees += READ_ONCE(mag->frees);
			st->fails += READ_ONCE(mag->fails);
			st->sleeps += READ_ONCE(mag->sleeps);
			st->cached += READ_ONCE(mag->count);
		}
	}
	st->cached += READ_ONCE(zone->depot_items);
	st->in_use = (long)(st->allocs - st->frees);
	st->charged = atomic_long_read(&zone->charged);
	st->max = READ_ONCE(zone->max);
	st->limit_hits = atomic_long_read(&zone->limit_hits);
}

/**
 * mbuf_zone_outstanding() - items a zone's backend has handed out
 * @zone: the zone
 *
 * In use and cached, and for zone_mbuf and zone_clust also one per packet
 * of the packet zone (in use or cached there), which their statistics
 * leave to the packet zone. With accounting on and nobody allocating,
 * this is what the zone is charged. Never allocates.
 *
 * Return: the count.
 */
long mbuf_zone_outstanding(uma_zone_t zone)
{
	struct mbuf_zone_stats st;
	long n;
	int i;

	mbuf_zone_get_stats(zone, &st);
	n = st.in_use + st.cached;
	/* Pairs held (in use or cached) by the pair zones, too. */
	if (zone == MBZ(MBZ_MBUF) || zone == MBZ(MBZ_CLUST)) {
		mbuf_zone_get_stats(MBZ(MBZ_PACK), &st);
		n += st.in_use + st.cached;
	}
	for (i = MBZ_PACKP; i <= MBZ_PACK16; i++) {
		if (zone != MBZ(MBZ_MBUF) &&
		    zone != MBZ(mbuf_pair_clust_id(i)))
			continue;
		mbuf_zone_get_stats(MBZ(i), &st);
		n += st.in_use + st.cached;
	}
	return n;
}

/**
 * uma_zone_get_cur() - how many items of a zone are in use
 * @zone: the zone
 *
 * Items cached by the allocator are not counted, as in UMA.
 *
 * Return: the number of items allocated and not freed (approximate while
 * other CPUs allocate).
 */
int uma_zone_get_cur(uma_zone_t zone)
{
	struct mbuf_zone_stats st;

	mbuf_zone_get_stats(zone, &st);
	return clamp_t(long, st.in_use, 0, INT_MAX);
}
MBUF_EXPORT(uma_zone_get_cur);

/**
 * uma_zone_exhausted() - is a zone at its limit?
 * @zone: the zone
 *
 * Return: nonzero if the zone has a limit and has reached it, or if
 * allocations are sleeping for it.
 */
int uma_zone_exhausted(uma_zone_t zone)
{
	if (atomic_read(&zone->sleepers))
		return 1;
	return !mbuf_zone_has_room(zone);
}
MBUF_EXPORT(uma_zone_exhausted);

/**
 * mbuf_zone_set_accounting() - turn limit accounting on or off
 * @on: the new state
 *
 * For the benchmark. Process context, with the zones quiet: turning it on
 * recounts each zone's charge as its items in use plus cached.
 */
void mbuf_zone_set_accounting(bool on)
{
	int i;

	if (!on) {
		static_branch_disable(&mbuf_zone_accounting_key);
		return;
	}
	if (static_branch_likely(&mbuf_zone_accounting_key))
		return;
	for (i = 0; i < MBZ_NALL; i++)
		if (mbuf_zone_charges(MBZ(i)))
			atomic_long_set(&MBZ(i)->charged,
					mbuf_zone_outstanding(MBZ(i)));
	static_branch_enable(&mbuf_zone_accounting_key);
}

/**
 * mbuf_zone_mem_info() - memory behind a zone and how well it is used
 * @zone: the zone
 * @mem: where to store the numbers (see struct mbuf_zone_mem)
 *
 * Never allocates; any context.
 */
void mbuf_zone_mem_info(uma_zone_t zone, struct mbuf_zone_mem *mem)
{
	memset(mem, 0, sizeof(*mem));
	switch (zone->id) {
	case MBZ_MBUF:
		if (zone != MBZ(zone->id))
			break;		/* a debugnet pool */
		mem->items = max(mbuf_zone_outstanding(zone), 0L);
		mem->usable_bytes = mem->items * zone->size;
		mem->backing_bytes = mem->items * mbuf_slab_stride[zone->id];
		break;
	case MBZ_CLUST:
	case MBZ_JUMBOP:
	case MBZ_JUMBO9:
	case MBZ_JUMBO16:
		if (zone == MBZ(zone->id))
			mbuf_jumbo_mem_info(zone, mem);
		break;
	default:	/* the packet zone's memory is the other zones' */
		break;
	}
}

/*
 * Zone lifecycle
 */

/**
 * mbuf_zone_setup() - initialise a zone object
 * @zone: the zone
 * @name: its name (FreeBSD's)
 * @size: item size in bytes
 * @id: which kind of items: selects the constructor and destructor
 * @mag_size: per-CPU magazine capacity, 0 to MBZ_MAG_MAX (0: no caching)
 * @ops: the backend
 *
 * Sets everything but zone->backend, which belongs to @ops and which the
 * caller sets before the first allocation. No limit, no warning. Process
 * context, after mbuf_zones_init().
 *
 * Return: 0, or -ENOMEM.
 */
int mbuf_zone_setup(uma_zone_t zone, const char *name, unsigned int size,
		    enum mbuf_zone_id id, unsigned int mag_size,
		    const struct mbuf_zone_ops *ops)
{
	struct mbuf_zone_pcpu *pc;
	int cpu;

	if (WARN_ON(mag_size > MBZ_MAG_MAX || id > MBZ_PRIVATE))
		return -EINVAL;
	zone->name = name;
	zone->size = size;
	zone->id = id;
	zone->mag_size = mag_size;
	zone->batch = clamp(mag_size / 2, 1U, (unsigned int)MBZ_BATCH_MAX);
	zone->ops = ops;
	switch (id) {
	case MBZ_MBUF:
		zone->ctor = mb_ctor_mbuf;
		zone->dtor = mb_dtor_mbuf;
		break;
	case MBZ_PACK:
	case MBZ_PACKP:
	case MBZ_PACK9:
	case MBZ_PACK16:
		zone->ctor = mb_ctor_pack;
		zone->dtor = mb_dtor_pack;
		break;
	case MBZ_PRIVATE:	/* the caller sets its own */
		zone->ctor = NULL;
		zone->dtor = NULL;
		break;
	default:
		zone->ctor = mb_ctor_clust;
		zone->dtor = NULL;
		break;
	}
	zone->max = 0;
	atomic_long_set(&zone->charged, 0);
	atomic_set(&zone->sleepers, 0);
	atomic_set(&zone->bypass, 0);
	init_waitqueue_head(&zone->wait);
	zone->warning = NULL;
	ratelimit_state_init(&zone->warn_rs, MBUF_ZONE_WARN_INTERVAL, 1);
	ratelimit_set_flags(&zone->warn_rs, RATELIMIT_MSG_ON_RELEASE);
	atomic_long_set(&zone->limit_hits, 0);
	atomic_long_set(&zone->warnings, 0);
	INIT_WORK(&zone->drain_work, mbuf_zone_drain_work);
	spin_lock_init(&zone->depot_lock);
	INIT_LIST_HEAD(&zone->depot_full);
	INIT_LIST_HEAD(&zone->depot_free);
	zone->depot_items = 0;
	zone->depot_max = 0;
	zone->depot_limit = 0;
	zone->depot_mem = NULL;
	zone->mag_cap = mag_size;
	atomic_long_set(&zone->double_frees, 0);
	zone->pcpu = alloc_percpu(struct mbuf_zone_pcpu);
	if (!zone->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(zone->pcpu, cpu);
		pc->zone = zone;
		INIT_WORK(&pc->flush_work, mbuf_zone_flush_workfn);
		pc->lvl[MBZ_LVL_TASK].cap = mag_size;
		pc->lvl[MBZ_LVL_SOFTIRQ].cap = mag_size;
	}
	return 0;
}

/**
 * mbuf_zone_teardown() - undo mbuf_zone_setup()
 * @zone: the zone, with nothing in use
 *
 * Gives back what the magazines hold; the backend itself is the caller's.
 * Process context.
 */
void mbuf_zone_teardown(uma_zone_t zone)
{
	int cpu;

	if (!zone->pcpu)
		return;
	cancel_work_sync(&zone->drain_work);
	mbuf_zone_flush_all(zone);
	for_each_possible_cpu(cpu) {
		cancel_work_sync(&per_cpu_ptr(zone->pcpu, cpu)->flush_work);
		/* CPUs that went offline without the hotplug callback */
		mbuf_zone_empty_cpu(zone, cpu);
	}
	mbuf_zone_depot_drain(zone);
	free_percpu(zone->pcpu);
	zone->pcpu = NULL;
	kfree(zone->depot_mem);
	zone->depot_mem = NULL;
	zone->depot_max = 0;
	zone->depot_limit = 0;
}

/* Give a zone a depot of @nbatch batches (none: every spill is released). */
static int mbuf_zone_depot_init(uma_zone_t zone, unsigned int nbatch)
{
	unsigned int i;

	if (!nbatch || !zone->mag_size)
		return 0;
	zone->depot_mem = kcalloc(nbatch, sizeof(*zone->depot_mem), GFP_KERNEL);
	if (!zone->depot_mem)
		return -ENOMEM;
	for (i = 0; i < nbatch; i++)
		list_add(&zone->depot_mem[i].link, &zone->depot_free);
	zone->depot_max = nbatch * zone->batch;
	zone->depot_limit = zone->depot_max;
	return 0;
}

/*
 * The slab-backed zone: mbufs (2 KiB clusters are page-backed, jumbo.c)
 */

/*
 * The cache.
 *
 * No kmem_cache constructor: a cache that still holds items at unload is
 * kept (see mbuf_zone_destroy()), and a constructor would then point
 * into the freed module text. What a constructor would establish is done
 * by import instead: an mbuf from the backend has type MT_NOTMBUF and no
 * flags, so a packet pairs a clean mbuf with its cluster (release
 * re-establishes it too). Without a constructor SLUB may keep its free
 * pointer inside a free object, which is nobody's business while it is
 * free. (Clusters are page-backed: jumbo.c.)
 *
 * Layout. Objects are aligned as kmalloc aligns for DMA
 * (ARCH_DMA_MINALIGN), which keeps the cost near 3 %.
 *
 * Usercopy: packet data is copied to and from user space, so an mbuf's
 * data area (m_dat, and m_pktdat inside it) is a usercopy region but not
 * its header: hardened usercopy then stops a copy that strays into
 * m_next, m_data and the like. A usercopy region also keeps the cache
 * out of slab merging.
 */
/* A free mbuf: no type, no flags (packets pair such mbufs). */
static void mbuf_slab_init_mbufs(void **items, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct mbuf *m = items[i];

		m->m_type = MT_NOTMBUF;
		m->m_flags = 0;
	}
}

static int mbuf_slab_import_objs(struct kmem_cache *kc, void **items, int n,
				 gfp_t gfp)
{
	int i;

	/*
	 * The bulk call wants interrupts on (6.1's turns them back on behind
	 * our back) and is all or nothing; with interrupts off, or when it
	 * fails, take objects one at a time.
	 */
	if (n > 1 && !irqs_disabled() && kmem_cache_alloc_bulk(kc, gfp, n, items))
		return n;
	for (i = 0; i < n; i++) {
		items[i] = kmem_cache_alloc(kc, gfp);
		if (!items[i])
			break;
	}
	return i;
}

static int mbuf_slab_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	struct kmem_cache *kc = zone->backend;
	int i;

	/*
	 * Without a constructor SLUB keeps its free pointer inside a free
	 * object, and it stays there once the object is allocated: an mbuf
	 * sitting in a magazine would point kmemleak at the object that
	 * followed it on SLUB's freelist, so that a leak of that one would
	 * look referenced. Kernels with kmemleak zero what they import.
	 */
	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		gfp |= __GFP_ZERO;
	i = mbuf_slab_import_objs(kc, items, n, gfp);
	mbuf_slab_init_mbufs(items, i);
	return i;
}

static void mbuf_slab_release(uma_zone_t zone, void **items, int n)
{
	kmem_cache_free_bulk(zone->backend, n, items);
}

static const struct mbuf_zone_ops mbuf_slab_ops = {
	.import = mbuf_slab_import,
	.release = mbuf_slab_release,
};

struct mbuf_zone_def {
	const char *name;
	unsigned int size, mag_size, depot;	/* depot: batches */
	const char *warning;
};

/*
 * A per-CPU magazine level holds up to about 128 KiB of a zone's buffers
 * (for mbufs and packets: as many as for clusters); each depot holds 16
 * batches (512 mbufs, clusters or packets; 8 batches of jumbo clusters),
 * enough for a 256-entry receive ring to be refilled from it. The
 * reclaim shrinker empties both under memory pressure.
 */
static const struct mbuf_zone_def mbuf_zone_defs[MBZ_NALL] = {
	[MBZ_MBUF] = { MBUF_MEM_NAME, MSIZE, 64, 16,
		       "kern.ipc.nmbufs limit reached" },
	[MBZ_CLUST] = { MBUF_CLUSTER_MEM_NAME, MCLBYTES, 64, 16,
			"kern.ipc.nmbclusters limit reached" },
	[MBZ_PACK] = { MBUF_PACKET_MEM_NAME, MSIZE, 256, 16, NULL },
	[MBZ_JUMBOP] = { MBUF_JUMBOP_MEM_NAME, MJUMPAGESIZE,
			 (128 * 1024) / MJUMPAGESIZE, 8,
			 "kern.ipc.nmbjumbop limit reached" },
	[MBZ_JUMBO9] = { MBUF_JUMBO9_MEM_NAME, MJUM9BYTES, 16, 8,
			 "kern.ipc.nmbjumbo9 limit reached" },
	[MBZ_JUMBO16] = { MBUF_JUMBO16_MEM_NAME, MJUM16BYTES, 8, 8,
			  "kern.ipc.nmbjumbo16 limit reached" },
	/* Jumbo pairs: as many per CPU as their cluster zone caches. */
	[MBZ_PACKP] = { MBUF_PACKET_JUMBOP_NAME, MSIZE,
			(128 * 1024) / MJUMPAGESIZE, 8, NULL },
	[MBZ_PACK9] = { MBUF_PACKET_JUMBO9_NAME, MSIZE, 16, 8, NULL },
	[MBZ_PACK16] = { MBUF_PACKET_JUMBO16_NAME, MSIZE, 8, 8, NULL },
};

/*
 * Cache names. A cache kept at an unload with items still out keeps its
 * name, so a later load that finds the name taken (in /sys/kernel/slab)
 * names its cache "<name>.<n>" with the smallest free n: /proc/slabinfo
 * then shows both, never two caches of one name.
 */
#define MBUF_SLAB_NAME_MAX	32
static char mbuf_slab_names[MBZ_NZONES][MBUF_SLAB_NAME_MAX];

static bool mbuf_slab_name_taken(const char *name)
{
	struct kernfs_node *dir, *kn;

	if (!kernel_kobj || !kernel_kobj->sd)
		return false;
	dir = kernfs_find_and_get(kernel_kobj->sd, "slab");
	if (!dir)
		return false;
	kn = kernfs_find_and_get(dir, name);
	kernfs_put(kn);
	kernfs_put(dir);
	return kn;
}

/**
 * mbuf_zone_pick_cache_name() - a free name for a zone's kmem_cache
 * @zone: one of the six zones
 *
 * For every backend that makes a kmem_cache named after its zone (the
 * slab zones, and block descriptors of page-backed ones), so that a load
 * after a leaky unload never makes a second cache of a kept one's name.
 * Process context (module init).
 *
 * Return: the zone's name, or "<name>.<n>" with the smallest free n;
 * kept until the zone's next pick (kmem_cache_create() copies it).
 */
const char *mbuf_zone_pick_cache_name(uma_zone_t zone)
{
	char *buf = mbuf_slab_names[zone->id];
	unsigned int n;

	strscpy(buf, zone->name, MBUF_SLAB_NAME_MAX);
	for (n = 1; mbuf_slab_name_taken(buf) && n < 1000; n++)
		snprintf(buf, MBUF_SLAB_NAME_MAX, "%s.%u", zone->name, n);
	return buf;
}

/**
 * mbuf_zone_cache_name() - the name a zone's kmem_cache got at load
 * @id: the zone
 *
 * Return: the zone's name, or "<name>.<n>" when an earlier load kept a
 * cache of that name; "" if the zone has none.
 */
const char *mbuf_zone_cache_name(enum mbuf_zone_id id)
{
	return id < MBZ_NZONES ? mbuf_slab_names[id] : "";
}

static int mbuf_slab_init(uma_zone_t zone)
{
	bool m = zone->id == MBZ_MBUF;
	struct kmem_cache *kc;
	void *obj;

	kc = kmem_cache_create_usercopy(mbuf_zone_pick_cache_name(zone),
					zone->size,
					ARCH_DMA_MINALIGN,
					MBUF_SLAB_NO_MERGE |
					(m ? 0 : SLAB_HWCACHE_ALIGN),
					m ? MBUF_USERCOPY_OFFSET : 0,
					m ? MBUF_USERCOPY_SIZE : zone->size,
					NULL);
	if (!kc)
		return -ENOMEM;
	zone->backend = kc;
	mbuf_slab_stride[zone->id] = zone->size;
	obj = kmem_cache_alloc(kc, GFP_KERNEL);
	if (obj) {
		mbuf_slab_stride[zone->id] = max_t(size_t, ksize(obj),
						   zone->size);
		kmem_cache_free(kc, obj);
	}
	return 0;
}

static const struct mbuf_zone_ops *mbuf_zone_def_ops(enum mbuf_zone_id id)
{
	if (id == MBZ_MBUF)
		return &mbuf_slab_ops;
	if (mbuf_zone_id_is_pair(id))
		return &mbuf_packet_ops;
	return &mbuf_jumbo_ops;
}

/*
 * Unload. A zone whose items are all back is destroyed. A zone with items
 * still out is left alone, its memory leaked on purpose: freeing it would
 * pull memory from under whoever holds the items, and once the module's
 * text is gone nothing could take them back later (page_pool retries its
 * teardown from a work item instead; a module cannot). A kmem_cache so
 * kept stays registered under its name, so /proc/slabinfo shows the leak;
 * it has no constructor, and nothing else of it points into the module.
 *
 * Order matters: every zone's count is taken while all of them are still
 * set up, since the mbuf and cluster zones count the pairs the packet
 * zone holds (the packet cache is flushed first, so those are pairs in
 * use). Only then are backends destroyed and the per-CPU state freed.
 */
static long mbuf_zone_count_leak(uma_zone_t zone)
{
	long out;

	if (!zone->pcpu || (!zone->backend && !mbuf_zone_id_is_pair(zone->id)))
		return 0;
	out = mbuf_zone_outstanding(zone);
	if (out > 0)
		pr_warn(MBUF_LOG_PREFIX "%ld items of zone %s still in use at unload; leaking its memory\n",
			out, zone->name);
	return out;
}

static void mbuf_zone_destroy(uma_zone_t zone, long out)
{
	switch (zone->id) {
	case MBZ_MBUF:
		if (!zone->backend)
			break;
		if (out <= 0)
			kmem_cache_destroy(zone->backend);
		else
			pr_warn(MBUF_LOG_PREFIX "keeping slab cache %s: it holds items still in use\n",
				mbuf_zone_cache_name(zone->id));
		break;
	case MBZ_PACK:
	case MBZ_PACKP:
	case MBZ_PACK9:
	case MBZ_PACK16:
		break;
	default:
		if (zone->backend)
			mbuf_jumbo_exit(zone, out > 0);
		break;
	}
	zone->backend = NULL;
}

/**
 * mbuf_zones_exit() - destroy the zones (module unload, init failure)
 *
 * See above for zones with items still in use.
 */
void mbuf_zones_exit(void)
{
	long out[MBZ_NALL];
	int i;

	if (mbuf_zone_cpuhp_state >= 0)
		cpuhp_remove_state_nocalls(mbuf_zone_cpuhp_state);
	mbuf_zone_cpuhp_state = -1;
	for (i = 0; i < MBZ_NALL; i++)
		if (MBZ(i)->pcpu)
			cancel_work_sync(&MBZ(i)->drain_work);
	/* Pairs first: their mbufs and clusters go back to the others. */
	for (i = 0; i < MBZ_NALL; i++)
		if (mbuf_zone_id_is_pair(i) && MBZ(i)->pcpu)
			mbuf_zone_flush_all(MBZ(i));
	for (i = 0; i < MBZ_NALL; i++)
		if (MBZ(i)->pcpu)
			mbuf_zone_flush_all(MBZ(i));
	for (i = 0; i < MBZ_NALL; i++)
		out[i] = mbuf_zone_count_leak(MBZ(i));
	for (i = 0; i < MBZ_NALL; i++)
		if (mbuf_zone_id_is_pair(i))
			mbuf_zone_teardown(MBZ(i));
	for (i = MBZ_NALL - 1; i >= 0; i--) {
		mbuf_zone_teardown(MBZ(i));
		mbuf_zone_destroy(MBZ(i), out[i]);
	}
	if (mbuf_flush_wq)
		destroy_workqueue(mbuf_flush_wq);
	mbuf_flush_wq = NULL;
}

/**
 * mbuf_zones_init() - create the mbuf zones and their backends
 *
 * Return: 0, or a negative errno with nothing left behind.
 */
int mbuf_zones_init(void)
{
	const struct mbuf_zone_def *d;
	uma_zone_t zone;
	int i, err;

	/* Reclaim flushes the magazines: the flush work must make progress. */
	err = mbuf_init_fault("flush workqueue");
	if (!err) {
		mbuf_flush_wq = alloc_workqueue("mbuf_flush", WQ_MEM_RECLAIM, 0);
		if (!mbuf_flush_wq)
			err = -ENOMEM;
	}
	if (err)
		return err;
	for (i = 0; i < MBZ_NALL; i++) {
		d = &mbuf_zone_defs[i];
		zone = MBZ(i);
		err = mbuf_init_fault("zone setup");
		if (!err)
			err = mbuf_zone_setup(zone, d->name, d->size, i,
					      min_t(unsigned int, d->mag_size,
						    MBZ_MAG_MAX),
					      mbuf_zone_def_ops(i));
		if (!err)
			err = mbuf_init_fault("zone depot");
		if (!err)
			err = mbuf_zone_depot_init(zone, d->depot);
		if (err)
			goto fail;
		zone->warning = d->warning;
		err = mbuf_init_fault("zone backend");
		if (!err && i == MBZ_MBUF)
			err = mbuf_slab_init(zone);
		else if (!err && !mbuf_zone_id_is_pair(i))
			err = mbuf_jumbo_init(zone);
		if (err)
			goto fail;
	}
	err = mbuf_init_fault("cpu hotplug state");
	if (!err)
		err = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN,
						"net/mbufcompat:dead", NULL,
						mbuf_zone_cpu_dead);
	if (err < 0)
		goto fail;
	mbuf_zone_cpuhp_state = err;
	return 0;

fail:
	mbuf_zones_exit();
	return err;
}
