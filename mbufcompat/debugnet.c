// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * debugnet pools: mbufs and clusters set aside for a debugger or a crash
 * dump that must send packets when the memory allocators can no longer be
 * used (FreeBSD's netdump/netgdb; on Linux, netpoll users such as
 * netconsole, or a panic-time dump over the network).
 *
 * debugnet_mbuf_reinit() fills two pools from the regular zones: nmbuf
 * mbufs, nclust clusters of one size. debugnet_mbuf_start() then points
 * the six zone pointers a driver allocates from (zone_mbuf, zone_clust,
 * ...) at stand-in zones served by the pools, and debugnet_mbuf_finish()
 * points them back. In between, every m_get(), m_getcl(), m_clget(),
 * m_getjcl(), uma_zalloc(zone_*) and their frees are served by the pools
 * alone: no slab, no page allocator, no sleeping. An empty pool makes an
 * M_NOWAIT allocation fail (NULL). FreeBSD asserts that M_WAITOK never
 * finds a pool empty; here, as any M_WAITOK allocation does, it waits (in
 * process context) until a pool buffer is freed.
 *
 *   zone_mbuf    -> debugnet_mbuf           mbuf pool
 *   zone_clust   -> debugnet_mbuf_cluster   \
 *   zone_jumbop  -> debugnet_mbuf_jumbo_page |  cluster pool: every
 *   zone_jumbo9  -> debugnet_mbuf_jumbo_9k   |  cluster has the size
 *   zone_jumbo16 -> debugnet_mbuf_jumbo_16k /   given to reinit
 *   zone_pack    -> debugnet_mbuf_packet    one of each pool, paired
 *
 * As in FreeBSD every cluster zone hands out clusters of the pool's size,
 * whatever size the caller asked for: the driver reinitialises the pools
 * with its receive buffer size (clsize) when its MTU changes. FreeBSD
 * points all four cluster zone pointers at a single stand-in; we give each
 * its own stand-in over the same pool, so that each knows which regular
 * zone it replaces (below).
 *
 * Nothing lost, nothing freed twice. The stand-ins are swapped in while
 * the system runs, so they also receive buffers that were allocated from
 * the regular zones before start (a driver's receive ring, a packet in
 * flight), and regular zones may receive pool buffers freed after finish.
 * Each pool therefore knows its own buffers (a sorted array of their
 * addresses, built by reinit):
 *
 *   - a pool buffer freed to any stand-in goes back to its pool;
 *   - any other buffer freed to a stand-in is parked on that stand-in
 *     (linked through its own first word, no memory needed) and handed
 *     to the regular zone it came from at finish, or at the latest by
 *     drain;
 *   - a pool buffer freed to a regular zone after finish simply stays
 *     there: it was allocated from that zone by reinit in the first place,
 *     and the pool is one buffer short until the next reinit.
 *
 * Packet-zone pairs made by the stand-in carry the pool cluster's own type
 * (EXT_CLUSTER for 2 KiB), so when freed they come apart and each half
 * goes back to its pool; a regular zone_pack pair (EXT_PACKET) freed
 * during the session is parked and returned whole.
 *
 * Concurrency. As in FreeBSD, debugnet_mbuf_start() and _finish() are
 * called by the one debugnet user around its session, or with the system
 * stopped (panic); they are not serialised against each other. The zone
 * pointers are written with WRITE_ONCE. The pools and parked lists are
 * under raw spinlocks, irq-safe, so allocations and frees may come from
 * any context and CPU. While an oops or panic is in progress only a
 * trylock is attempted, so that a CPU stopped while holding a pool lock
 * cannot deadlock the dump: the allocation fails instead (a free is then
 * leaked, which is harmless at that point). debugnet_mbuf_reinit() and
 * _drain() run in process context, never during a session.
 */
#include <linux/bsearch.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include "internal.h"

/* Buffers linked through their first word. */
struct dn_list {
	raw_spinlock_t	lock;
	void		*head;
};

/* A pool: the buffers reinit set aside, and which of them are home. */
struct dn_pool {
	struct dn_list	free;
	void		**owned;	/* every buffer of the pool, sorted */
	unsigned int	nowned;
	uma_zone_t	origin;		/* regular zone they came from */
};

/* A stand-in zone: what a zone_* pointer points at during a session. */
struct dn_zone {
	struct uma_zone	zone;
	struct dn_pool	*pool;		/* NULL for the packet stand-in */
	uma_zone_t	home;		/* the regular zone it replaces */
	struct dn_list	parked;		/* other buffers, owed to home */
};

static const char *const dn_zone_names[MBZ_NZONES] = {
	[MBZ_MBUF]	= "debugnet_" MBUF_MEM_NAME,
	[MBZ_CLUST]	= "debugnet_" MBUF_CLUSTER_MEM_NAME,
	[MBZ_PACK]	= "debugnet_" MBUF_PACKET_MEM_NAME,
	[MBZ_JUMBOP]	= "debugnet_" MBUF_JUMBOP_MEM_NAME,
	[MBZ_JUMBO9]	= "debugnet_" MBUF_JUMBO9_MEM_NAME,
	[MBZ_JUMBO16]	= "debugnet_" MBUF_JUMBO16_MEM_NAME,
};

/* The pointers drivers allocate through, by zone. */
static uma_zone_t *const dn_zone_ptrs[MBZ_NZONES] = {
	[MBZ_MBUF]	= &zone_mbuf,
	[MBZ_CLUST]	= &zone_clust,
	[MBZ_PACK]	= &zone_pack,
	[MBZ_JUMBOP]	= &zone_jumbop,
	[MBZ_JUMBO9]	= &zone_jumbo9,
	[MBZ_JUMBO16]	= &zone_jumbo16,
};

static struct dn_pool dn_mbuf_pool, dn_clust_pool;
static struct dn_zone dn_zones[MBZ_NZONES];
static bool dn_ready;		/* stand-ins set up by reinit */
static bool dn_started;		/* zone pointers repointed */
static DEFINE_MUTEX(dn_mutex);	/* reinit and drain */

/* ---- lists ---------------------------------------------------------- */

static void dn_list_init(struct dn_list *l)
{
	raw_spin_lock_init(&l->lock);
	l->head = NULL;
}

/*
 * Push @item on @l, or with @item NULL pop one (NULL if empty). While an
 * oops is in progress the lock is only tried: a CPU stopped while holding
 * it must not hang the dump, so the pop fails and the push leaks.
 */
static void *dn_list_xfer(struct dn_list *l, void *item)
{
	unsigned long flags;

	if (unlikely(oops_in_progress)) {
		if (!raw_spin_trylock_irqsave(&l->lock, flags))
			return NULL;
	} else {
		raw_spin_lock_irqsave(&l->lock, flags);
	}
	if (item) {
		*(void **)item = l->head;
		l->head = item;
	} else {
		item = l->head;
		if (item) {
			l->head = *(void **)item;
			*(void **)item = NULL;
		}
	}
	raw_spin_unlock_irqrestore(&l->lock, flags);
	return item;
}

static void dn_list_push(struct dn_list *l, void *item)
{
	dn_list_xfer(l, item);
}

static void *dn_list_pop(struct dn_list *l)
{
	return dn_list_xfer(l, NULL);
}

/* Take the whole list, for handing it back outside the lock. */
static void *dn_list_take_all(struct dn_list *l)
{
	unsigned long flags;
	void *head;

	raw_spin_lock_irqsave(&l->lock, flags);
	head = l->head;
	l->head = NULL;
	raw_spin_unlock_irqrestore(&l->lock, flags);
	return head;
}

/* Give every buffer of a taken list to @zone. */
static void dn_list_free_to(void *head, uma_zone_t zone)
{
	void *item;

	while ((item = head)) {
		head = *(void **)item;
		*(void **)item = NULL;
		/* tags, if any, went when the buffer was freed to us */
		uma_zfree_arg(zone, item, (void *)MB_DTOR_SKIP);
	}
}

/* ---- pools ---------------------------------------------------------- */

static int dn_ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a;
	uintptr_t y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

static bool dn_pool_owns(const struct dn_pool *pool, const void *item)
{
	return pool->nowned &&
	       bsearch(&item, pool->owned, pool->nowned, sizeof(void *),
		       dn_ptr_cmp);
}

/*
 * Fill @pool with @n buffers from @origin (M_WAITOK: may sleep until the
 * zone has room). @alloc gets one buffer.
 */
static int dn_pool_fill(struct dn_pool *pool, uma_zone_t origin, int n,
			void *(*alloc)(uma_zone_t zone))
{
	int i;

	pool->origin = origin;
	if (n <= 0)
		return 0;
	pool->owned = kvmalloc_array(n, sizeof(void *), GFP_KERNEL);
	if (!pool->owned)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		pool->owned[i] = alloc(origin);
		if (!pool->owned[i])
			break;		/* only under fault injection */
		dn_list_push(&pool->free, pool->owned[i]);
	}
	pool->nowned = i;
	sort(pool->owned, i, sizeof(void *), dn_ptr_cmp, NULL);
	return 0;
}

/* Give the pool's buffers that are home back to their zone. */
static void dn_pool_empty(struct dn_pool *pool)
{
	dn_list_free_to(dn_list_take_all(&pool->free), pool->origin);
	kvfree(pool->owned);
	pool->owned = NULL;
	pool->nowned = 0;
}

static void *dn_alloc_mbuf(uma_zone_t zone)
{
	return m_get(M_WAITOK, MT_DATA);
}

static void *dn_alloc_clust(uma_zone_t zone)
{
	return uma_zalloc(zone, M_WAITOK);
}

/* ---- stand-in zone operations ---------------------------------------- */

static struct dn_zone *to_dn_zone(uma_zone_t zone)
{
	return container_of(zone, struct dn_zone, zone);
}

static int dn_buf_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	struct dn_pool *pool = to_dn_zone(zone)->pool;
	int i;

	for (i = 0; i < n; i++) {
		items[i] = dn_list_pop(&pool->free);
		if (!items[i])
			break;
	}
	return i;
}

static void dn_buf_release(uma_zone_t zone, void **items, int n)
{
	struct dn_zone *dz = to_dn_zone(zone);
	int i;

	for (i = 0; i < n; i++) {
		if (dn_pool_owns(dz->pool, items[i]))
			dn_list_push(&dz->pool->free, items[i]);
		else
			dn_list_push(&dz->parked, items[i]);
	}
}

/* A packet: an mbuf and a cluster from the pools, the cluster attached. */
static int dn_pack_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	struct mbuf *m;
	void *cl;
	int i;

	for (i = 0; i < n; i++) {
		m = dn_list_pop(&dn_mbuf_pool.free);
		if (!m)
			break;
		cl = dn_list_pop(&dn_clust_pool.free);
		if (!cl) {
			dn_list_push(&dn_mbuf_pool.free, m);
			break;
		}
		mb_ctor_clust(&dn_zones[MBZ_CLUST].zone, cl, m, M_NOWAIT);
		items[i] = m;
	}
	return i;
}

static void dn_pack_release(uma_zone_t zone, void **items, int n)
{
	struct dn_zone *dz = to_dn_zone(zone);
	struct mbuf *m;
	int i;

	for (i = 0; i < n; i++) {
		m = items[i];
		if (m->m_ext.ext_type != EXT_PACKET &&
		    dn_pool_owns(&dn_mbuf_pool, m) &&
		    dn_pool_owns(&dn_clust_pool, m->m_ext.ext_buf)) {
			/* one of ours, freed whole: split it again */
			dn_list_push(&dn_clust_pool.free, m->m_ext.ext_buf);
			m->m_flags &= ~M_EXT;
			dn_list_push(&dn_mbuf_pool.free, m);
		} else {
			dn_list_push(&dz->parked, m);
		}
	}
}

/* Packet tags go when a packet is freed to a stand-in, as to any zone. */
static void dn_dtor_pack(uma_zone_t zone, void *mem, void *arg)
{
	struct mbuf *m = mem;

	if (m->m_ext.ext_type == EXT_PACKET)
		mb_dtor_pack(zone, mem, arg);
	else if (m->m_flags & M_PKTHDR)
		m_tag_delete_chain(m, NULL);
}

static const struct mbuf_zone_ops dn_buf_ops = {
	.import		= dn_buf_import,
	.release	= dn_buf_release,
};

static const struct mbuf_zone_ops dn_pack_ops = {
	.import		= dn_pack_import,
	.release	= dn_pack_release,
};

/* ---- set up and tear down ------------------------------------------- */

/* Hand parked buffers to the regular zones they belong to. */
static void dn_return_parked(void)
{
	int id;

	for (id = 0; id < MBZ_NZONES; id++)
		dn_list_free_to(dn_list_take_all(&dn_zones[id].parked),
				dn_zones[id].home);
}

static void dn_zones_teardown(void)
{
	int id;

	for (id = 0; id < MBZ_NZONES; id++)
		mbuf_zone_teardown(&dn_zones[id].zone);
}

static int dn_zones_setup(int clsize)
{
	struct dn_zone *dz;
	int id, err;

	for (id = 0; id < MBZ_NZONES; id++) {
		dz = &dn_zones[id];
		err = mbuf_zone_setup(&dz->zone, dn_zone_names[id],
				      id == MBZ_MBUF ? MSIZE :
				      id == MBZ_PACK ? MCLBYTES : clsize,
				      id, 0,
				      id == MBZ_PACK ? &dn_pack_ops : &dn_buf_ops);
		if (err) {
			while (id--)
				mbuf_zone_teardown(&dn_zones[id].zone);
			return err;
		}
		dz->home = MBZ(id);
		dn_list_init(&dz->parked);
		switch (id) {
		case MBZ_MBUF:
			dz->pool = &dn_mbuf_pool;
			dz->zone.ctor = mb_ctor_mbuf;
			dz->zone.dtor = mb_dtor_mbuf;
			break;
		case MBZ_PACK:
			dz->pool = NULL;
			dz->zone.ctor = mb_ctor_pack;
			dz->zone.dtor = dn_dtor_pack;
			break;
		default:
			dz->pool = &dn_clust_pool;
			dz->zone.ctor = mb_ctor_clust;
			dz->zone.dtor = NULL;
		}
	}
	return 0;
}

static bool dn_valid_clsize(int clsize)
{
	return clsize == MCLBYTES || clsize == MJUMPAGESIZE ||
	       clsize == MJUM9BYTES || clsize == MJUM16BYTES;
}

/* Caller holds dn_mutex. */
static void dn_drain_locked(void)
{
	if (WARN(dn_started, "debugnet: mbuf pools drained during a session\n"))
		return;
	if (!dn_ready)
		return;
	dn_ready = false;
	/*
	 * A CPU may have read a zone pointer just before finish restored it
	 * and still be allocating from or freeing to a stand-in. What is
	 * freed below (the stand-ins' per-CPU state, the pools' arrays) is
	 * only used with preemption or interrupts disabled (magazine
	 * sections, the raw pool locks), so it is no longer in use once a
	 * grace period has passed. The stand-in zone objects themselves are
	 * static and never freed.
	 */
	synchronize_rcu();
	dn_return_parked();
	dn_zones_teardown();
	dn_pool_empty(&dn_mbuf_pool);
	dn_pool_empty(&dn_clust_pool);
}

/**
 * debugnet_mbuf_drain() - free the debugnet pools
 *
 * Returns the pools' mbufs and clusters (and any buffer still parked for
 * a regular zone) to the regular zones and removes the stand-in zones.
 * Not during a session. Process context.
 */
void debugnet_mbuf_drain(void)
{
	mutex_lock(&dn_mutex);
	dn_drain_locked();
	mutex_unlock(&dn_mutex);
}
MBUF_EXPORT(debugnet_mbuf_drain);

/**
 * debugnet_mbuf_reinit() - set aside mbufs and clusters for debugnet
 * @nmbuf: mbufs to set aside
 * @nclust: clusters to set aside
 * @clsize: their size: MCLBYTES, MJUMPAGESIZE, MJUM9BYTES or MJUM16BYTES;
 *	every cluster allocated during a session has this size
 *
 * Drains the previous pools, then allocates the new ones from the regular
 * zones, waiting for room as M_WAITOK does. Not during a session. Process
 * context. On failure (invalid @clsize, no memory for the bookkeeping) an
 * error is logged and no pools exist: a session then runs with normal
 * allocation.
 */
void debugnet_mbuf_reinit(int nmbuf, int nclust, int clsize)
{
	int err;

	mutex_lock(&dn_mutex);
	dn_drain_locked();
	if (dn_started) {
		mutex_unlock(&dn_mutex);
		return;
	}
	if (!dn_valid_clsize(clsize)) {
		pr_err("debugnet: invalid mbuf cluster size %d\n", clsize);
		goto out;
	}
	dn_list_init(&dn_mbuf_pool.free);
	dn_list_init(&dn_clust_pool.free);
	err = dn_zones_setup(clsize);
	if (err)
		goto fail;
	err = dn_pool_fill(&dn_mbuf_pool, MBZ(MBZ_MBUF), nmbuf,
			   dn_alloc_mbuf);
	if (!err)
		err = dn_pool_fill(&dn_clust_pool, m_getzone(clsize), nclust,
				   dn_alloc_clust);
	if (err) {
		dn_zones_teardown();
		dn_pool_empty(&dn_mbuf_pool);
		dn_pool_empty(&dn_clust_pool);
		goto fail;
	}
	dn_ready = true;
	goto out;
fail:
	pr_err("debugnet: cannot set aside %d mbufs and %d clusters: %d\n",
	       nmbuf, nclust, err);
out:
	mutex_unlock(&dn_mutex);
}
MBUF_EXPORT(debugnet_mbuf_reinit);

/**
 * debugnet_mbuf_start() - serve all mbuf allocations from the debugnet
 * pools
 *
 * Points zone_mbuf, zone_clust, zone_pack and the jumbo zone pointers at
 * stand-ins that allocate from the pools only. Called by the debugnet
 * user before its session, or with the system stopped; not concurrently
 * with itself or debugnet_mbuf_finish(). Any context. Without pools
 * (no successful debugnet_mbuf_reinit()) nothing changes.
 */
void debugnet_mbuf_start(void)
{
	int id;

	if (WARN(dn_started, "debugnet: mbuf pools already in use\n"))
		return;
	if (!READ_ONCE(dn_ready)) {
		pr_warn("debugnet: no mbuf pools set aside, allocating normally\n");
		return;
	}
	dn_started = true;
	pr_info("debugnet: overwriting mbuf zone pointers\n");
	for (id = 0; id < MBZ_NZONES; id++) {
		dn_zones[id].home = READ_ONCE(*dn_zone_ptrs[id]);
		WRITE_ONCE(*dn_zone_ptrs[id], &dn_zones[id].zone);
	}
}
MBUF_EXPORT(debugnet_mbuf_start);

/**
 * debugnet_mbuf_finish() - return to normal mbuf allocation
 *
 * Restores the zone pointers saved by debugnet_mbuf_start(), then hands
 * buffers that were freed to the stand-ins but belong to the regular
 * zones back to them. Same calling rules as debugnet_mbuf_start().
 */
void debugnet_mbuf_finish(void)
{
	int id;

	if (!dn_started) {
		WARN(READ_ONCE(dn_ready), "debugnet: mbuf pools not in use\n");
		return;
	}
	pr_info("debugnet: restoring mbuf zone pointers\n");
	for (id = 0; id < MBZ_NZONES; id++)
		WRITE_ONCE(*dn_zone_ptrs[id], dn_zones[id].home);
	dn_started = false;
	dn_return_parked();
}
MBUF_EXPORT(debugnet_mbuf_finish);

/* Module unload: end a session left open and free the pools. */
void mbuf_debugnet_exit(void)
{
	if (dn_started) {
		pr_warn("debugnet: session still open at unload\n");
		debugnet_mbuf_finish();
	}
	debugnet_mbuf_drain();
}
