/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The zone layer: FreeBSD UMA zones for mbufs, built on Linux allocators.
 *
 *   uma_zalloc_arg(zone, arg, how)
 *        |
 *        v
 *   per-CPU magazine (LIFO array, irqs off, no atomics)  <-- fast path
 *        | empty / full
 *        v
 *   slow path: charge the zone's limit in batches, then
 *   zone->ops->import() / ->release():
 *        mbuf, mbuf_cluster : kmem_cache bulk alloc/free
 *        mbuf_jumbo_*       : page-backed blocks (jumbo.c)
 *        mbuf_packet        : an mbuf + a 2 KiB cluster, paired (packet.c)
 *        debugnet_*         : a preallocated pool (debugnet.c)
 *
 * A zone's "charged" count is the number of its items outside its backend:
 * handed out to callers or cached in per-CPU magazines. The limit (max, as
 * set by uma_zone_set_max and the nmb* sysctls) bounds that count, as
 * UMA's limit does; items in use = allocs - frees, cached = sum of
 * magazine fill. The packet zone charges nothing itself: its import takes
 * an mbuf and a cluster from their zones, which charge for them.
 *
 * Constructors (zone->ctor) run on every allocation, like UMA ctors:
 * m_init for mbufs, attaching a cluster to the mbuf passed as argument for
 * cluster zones. kmem_cache constructors, which run only when a slab
 * object is first created (like UMA's zinit), establish what holds for
 * every free object.
 */
#ifndef MBUFCOMPAT_ZONE_H
#define MBUFCOMPAT_ZONE_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <vm/uma.h>

enum mbuf_zone_id {
	MBZ_MBUF,
	MBZ_CLUST,
	MBZ_PACK,
	MBZ_JUMBOP,
	MBZ_JUMBO9,
	MBZ_JUMBO16,
	MBZ_NZONES,
};

/* Largest magazine; a zone's mag_size may be smaller (0: no caching). */
#define MBZ_MAG_MAX	64

struct mbuf_zone_pcpu {
	unsigned int count;		/* items in mag[] */
	/* statistics, written only by the owning CPU with irqs off */
	unsigned long allocs;		/* items handed out */
	unsigned long frees;		/* items given back */
	unsigned long fails;		/* M_NOWAIT requests that got NULL */
	unsigned long sleeps;		/* M_WAITOK requests that slept */
	void *mag[MBZ_MAG_MAX];
};

struct mbuf_zone_ops {
	/* Get up to @n items from the backend into @items; returns how many. */
	int (*import)(uma_zone_t zone, void **items, int n, gfp_t gfp);
	/* Give @n items back to the backend. Any context. */
	void (*release)(uma_zone_t zone, void **items, int n);
};

struct uma_zone {
	const char *name;		/* FreeBSD's zone name, e.g. "mbuf_cluster" */
	unsigned int size;		/* item size in bytes */
	enum mbuf_zone_id id;
	unsigned int mag_size;		/* per-CPU magazine capacity */
	unsigned int batch;		/* items moved per refill/flush */
	const struct mbuf_zone_ops *ops;
	/* per-allocation constructor; nonzero return fails the allocation */
	int (*ctor)(uma_zone_t zone, void *item, void *arg, int how);
	/* per-free destructor */
	void (*dtor)(uma_zone_t zone, void *item, void *arg);
	void *backend;			/* private to ops (kmem_cache, block list, pool) */

	/* limit enforcement */
	long max;			/* 0: unlimited */
	atomic_long_t charged;		/* items outside the backend */
	atomic_t sleepers;		/* M_WAITOK callers waiting for a free */
	wait_queue_head_t wait;
	const char *warning;		/* "kern.ipc.nmbclusters limit reached" */
	struct ratelimit_state warn_rs;
	atomic_long_t limit_hits;	/* times an allocation found the zone full */

	struct mbuf_zone_pcpu __percpu *pcpu;
};

/* The zones themselves; zone_* pointers (sys/mbuf.h) point at these. */
extern struct uma_zone mbuf_zones[MBZ_NZONES];

/* zone.c: lifecycle */
int mbuf_zone_setup(uma_zone_t zone, const char *name, unsigned int size,
		    enum mbuf_zone_id id, unsigned int mag_size,
		    const struct mbuf_zone_ops *ops);
void mbuf_zone_teardown(uma_zone_t zone);

/* zone.c: caches. Flushing remote CPUs needs process context. */
void mbuf_zone_flush_local(uma_zone_t zone);
void mbuf_zone_flush_all(uma_zone_t zone);
unsigned long mbuf_zone_cached(uma_zone_t zone);
/*
 * Give back what a zone caches: this CPU now, the other CPUs from a work
 * item. Any context (m_clget drains the packet zone this way, as the seed
 * does when the cluster zone is exhausted).
 */
void mbuf_zone_drain(uma_zone_t zone);

/* zone.c: statistics snapshot, never allocates */
struct mbuf_zone_stats {
	unsigned long allocs, frees, fails, sleeps, cached;
	long in_use, charged, max, limit_hits;
};
void mbuf_zone_get_stats(uma_zone_t zone, struct mbuf_zone_stats *st);

/* zone.c: the limit; returns the effective max, like uma_zone_set_max() */
long mbuf_zone_set_limit(uma_zone_t zone, long max);

/* reclaim.c: the max-action, queued when a zone hits its limit */
void mbuf_reclaim_schedule(uma_zone_t zone);

/* fault.c: private fault injection for allocation failure tests */
bool mbuf_should_fail(uma_zone_t zone);

#endif /* MBUFCOMPAT_ZONE_H */
