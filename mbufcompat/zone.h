/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The zone layer: FreeBSD UMA zones for mbufs, built on Linux allocators.
 *
 *   uma_zalloc_arg(zone, arg, how)
 *        |
 *        v
 *   per-CPU magazine of the current context level      <-- fast path
 *   (LIFO array; preemption off, no irq toggling, no atomics)
 *        | empty / full
 *        v
 *   slow path: charge the zone's limit in batches, then
 *   zone->ops->import() / ->release():
 *        mbuf               : kmem_cache bulk alloc/free
 *        mbuf_cluster,
 *        mbuf_jumbo_*       : page-backed blocks (jumbo.c)
 *        mbuf_packet        : an mbuf + a 2 KiB cluster, paired (packet.c)
 *        debugnet_*         : a preallocated pool (debugnet.c)
 *
 * Each CPU has one magazine per context level: task and softirq (hard
 * interrupts, rare for mbufs, go to the backend). Code at one level can
 * only be interrupted by a higher level, which uses another magazine, so a
 * magazine needs no more protection than disabled preemption. Other CPUs'
 * magazines are flushed from a work item on that CPU (zone.c).
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
#include <linux/bits.h>
#include <linux/jump_label.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
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
	MBZ_NZONES,		/* FreeBSD's six zones */
	/*
	 * Beyond FreeBSD: pre-paired mbuf + jumbo cluster zones (packet.c),
	 * the packet zone's counterparts for page, 9 KiB and 16 KiB
	 * clusters. They are in mbuf_zones[] but not among the first
	 * MBZ_NZONES, which are the zones a FreeBSD driver can name.
	 */
	MBZ_PACKP = MBZ_NZONES,
	MBZ_PACK9,
	MBZ_PACK16,
	MBZ_NALL,		/* every zone in mbuf_zones[] */
	/*
	 * A zone a driver made with uma_zcreate() (uzone.c): not one of
	 * mbuf_zones[], no constructor of ours; fault injection treats it
	 * as MBUF_FAULT_OTHER.
	 */
	MBZ_PRIVATE = MBZ_NALL,
};

/* A zone of pre-paired mbufs and clusters: the packet zone or a jumbo one. */
static inline bool mbuf_zone_id_is_pair(enum mbuf_zone_id id)
{
	return id == MBZ_PACK || (id >= MBZ_PACKP && id <= MBZ_PACK16);
}

/* A jumbo pair zone (page, 9 KiB or 16 KiB clusters). */
static inline bool mbuf_zone_id_is_jpack(enum mbuf_zone_id id)
{
	return id >= MBZ_PACKP && id <= MBZ_PACK16;
}

/* The cluster zone a pair zone's items hold a cluster of. */
static inline enum mbuf_zone_id mbuf_pair_clust_id(enum mbuf_zone_id id)
{
	return id == MBZ_PACK ? MBZ_CLUST : id - MBZ_PACKP + MBZ_JUMBOP;
}

/* The jumbo pair zone of a jumbo cluster zone. */
static inline enum mbuf_zone_id mbuf_jumbo_pair_id(enum mbuf_zone_id id)
{
	return id - MBZ_JUMBOP + MBZ_PACKP;
}

/*
 * ext_flags bit of an mbuf that a jumbo pair zone paired with its
 * cluster (a bit FreeBSD 14 leaves unused): m_free() and mb_free_ext()
 * give such a pair back to its pair zone whole, as an EXT_PACKET one to
 * the packet zone. The cluster keeps its own ext_type (EXT_JUMBOP,
 * EXT_JUMBO9, EXT_JUMBO16), as m_getjcl() gives it on FreeBSD.
 */
#define MBUF_EXT_FLAG_PAIRED	0x000100

/* The jumbo pair zones' names (vmstat -z style, /proc/net/mbuf/zones). */
#define MBUF_PACKET_JUMBOP_NAME		"mbuf_packet_page"
#define MBUF_PACKET_JUMBO9_NAME		"mbuf_packet_9k"
#define MBUF_PACKET_JUMBO16_NAME	"mbuf_packet_16k"

/* Largest magazine; a zone's mag_size may be smaller (0: no caching). */
#define MBZ_MAG_MAX	256
/* Most items moved between a magazine and the backend in one go. */
#define MBZ_BATCH_MAX	32
/* At most one "limit reached" line per zone per interval (FreeBSD: 300 s). */
#define MBUF_ZONE_WARN_INTERVAL	(300 * HZ)

/* Context levels; each has its own magazine on each CPU. */
enum mbuf_zone_level {
	MBZ_LVL_TASK,
	MBZ_LVL_SOFTIRQ,
	MBZ_LVL_HARDIRQ,	/* and NMI: no magazine */
	MBZ_NLEVELS,
};

/* mbuf_zone_cached_mag() adds to the task level's magazine. */
static_assert(MBZ_LVL_TASK == 0 && MBZ_LVL_SOFTIRQ == 1);

struct mbuf_zone_mag {
	unsigned int count;		/* items in mag[] */
	unsigned int cap;		/* capacity at this level */
	/* statistics, written only at this level on the owning CPU */
	unsigned long allocs;		/* items handed out */
	unsigned long frees;		/* items given back */
	unsigned long fails;		/* M_NOWAIT requests that got NULL */
	unsigned long sleeps;		/* M_WAITOK requests that slept */
	void *mag[MBZ_MAG_MAX];
};

/* A batch of items parked in a zone's depot. */
struct mbuf_zone_batch {
	struct list_head link;
	void *items[MBZ_BATCH_MAX];
};

struct mbuf_zone_pcpu {
	struct mbuf_zone_mag lvl[MBZ_NLEVELS];
	struct work_struct flush_work;	/* flushes this CPU's magazines */
	struct uma_zone *zone;
};

struct mbuf_zone_ops {
	/* Get up to @n items from the backend into @items; returns how many. */
	int (*import)(uma_zone_t zone, void **items, int n, gfp_t gfp);
	/* Give @n items back to the backend. Any context. */
	void (*release)(uma_zone_t zone, void **items, int n);
	/*
	 * Optional KASAN hooks for items that enter (poison) or leave
	 * (unpoison) a zone's cache: a per-CPU magazine, the depot or the
	 * packet cache. A cached item is free to everyone but the zone, so
	 * an access to it is a use after free. NULL selects the default,
	 * which is right for kmem_cache objects only: the kernel's mempool
	 * hooks (kasan_mempool_poison_object()) on the slab zones' items, no
	 * poisoning for other backends. Page-backed backends poison their
	 * own items. Any context; must not sleep or allocate. poison
	 * returns false, after reporting it, for an item already poisoned:
	 * a double free, which the zone then does not cache.
	 */
	bool (*poison)(uma_zone_t zone, void *item);
	void (*unpoison)(uma_zone_t zone, void *item);
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

	/*
	 * Nonzero while someone sleeps for this zone's items (or, for the
	 * packet zone, for an mbuf or a cluster): frees then skip the
	 * magazine so that the item goes back at once.
	 */
	atomic_t bypass;
	atomic_long_t warnings;		/* times the warning was logged */
	struct work_struct drain_work;	/* mbuf_zone_drain(): other CPUs */

	/*
	 * The depot (UMA's bucket cache): full batches any CPU's magazine
	 * can take or leave with one lock round trip, so that an overflowing
	 * magazine does not send its items back to the backend one by one.
	 * Items here are cached (and charged), like those in magazines.
	 */
	spinlock_t depot_lock;		/* the lists and depot_items */
	struct list_head depot_full;	/* batches of zone->batch items */
	struct list_head depot_free;	/* empty batches */
	unsigned int depot_items;	/* items on depot_full */
	unsigned int depot_max;		/* items the depot can hold */
	struct mbuf_zone_batch *depot_mem;

	/*
	 * What the caches may hold now: each magazine's capacity and the
	 * depot's, at most mag_size and depot_max, less under a limit (see
	 * mbuf_zone_cache_bound()).
	 */
	unsigned int mag_cap;
	unsigned int depot_limit;
	atomic_long_t double_frees;	/* frees of an item already cached */
};

/* The zones themselves; zone_* pointers (sys/mbuf.h) point at these. */
extern struct uma_zone mbuf_zones[MBZ_NALL];

/* Real zones by id; debugnet may repoint the zone_* handles elsewhere. */
#define MBZ(id)		(&mbuf_zones[id])

/*
 * The allocation and free entry points drivers call per packet start on a
 * cache line of their own, so that their speed does not depend on where
 * the linker happens to place them (what the kernel's
 * DEBUG_FORCE_FUNCTION_ALIGN_64B does for all of its text, to make
 * measurements repeatable).
 */
#define MBUF_FAST_ENTRY	__aligned(64)

/* zone.c: lifecycle */
int mbuf_zone_setup(uma_zone_t zone, const char *name, unsigned int size,
		    enum mbuf_zone_id id, unsigned int mag_size,
		    const struct mbuf_zone_ops *ops);
void mbuf_zone_teardown(uma_zone_t zone);

/* zone.c: caches. Flushing remote CPUs needs process context. */
void mbuf_zone_flush_local(uma_zone_t zone);
void mbuf_zone_flush_all(uma_zone_t zone);
/* Every zone of mbuf_zones[], pair zones first. Process context. */
void mbuf_zones_flush_all(void);
unsigned long mbuf_zone_cached(uma_zone_t zone);
/*
 * Give back what a zone caches: this CPU now, the other CPUs from a work
 * item. Any context (m_clget drains the packet zone this way, as the seed
 * does when the cluster zone is exhausted).
 */
void mbuf_zone_drain(uma_zone_t zone);

/*
 * zone.c: statistics snapshot, never allocates.
 *
 * in_use counts items the zone handed out and that were not given back;
 * cached, items in its per-CPU magazines. The mbufs and clusters paired in
 * packets are counted by the packet zone only: its in_use and cached count
 * packets, each one mbuf and one cluster (as netstat -m adds them up).
 * zone_mbuf's and zone_clust's charge, though, includes them: the limit
 * covers every mbuf and every cluster.
 */
struct mbuf_zone_stats {
	unsigned long allocs, frees, fails, sleeps, cached;
	long in_use, charged, max, limit_hits;
};

void mbuf_zone_get_stats(uma_zone_t zone, struct mbuf_zone_stats *st);
/* zone.c: items the backend handed out (in use + cached + held in packets) */
long mbuf_zone_outstanding(uma_zone_t zone);

/*
 * zone.c: the limit; returns the effective max, like uma_zone_set_max().
 * Process context: a lower limit may shrink and flush the caches.
 */
long mbuf_zone_set_limit(uma_zone_t zone, long max);

/*
 * zone.c: the cache bound. Items cached but not in use count against a
 * zone's limit, so under a limit the caches are sized to hold back at
 * most 1/MBUF_ZONE_CACHE_FRACTION of it in total, on any number of CPUs:
 * for the mbuf and cluster zones half of that share is theirs and half
 * the packet cache's (each packet holds one of each), for the jumbo
 * zones all of it. Within a share, the depot gets up to half (whole
 * batches) and the magazines the rest, split over MBZ_CACHED_LEVELS
 * levels of every possible CPU. Without a limit the caches have their
 * full size. mbuf_zone_cache_bound() is the computation for a share of
 * @share items (negative: no limit).
 */
#define MBUF_ZONE_CACHE_FRACTION	8
#define MBZ_CACHED_LEVELS		2	/* task and softirq */

struct mbuf_zone_bound {
	unsigned int mag_cap;		/* per magazine (CPU and level) */
	unsigned int depot_items;	/* items the depot may hold */
};

void mbuf_zone_cache_bound(long share, unsigned int ncpus,
			   unsigned int mag_size, unsigned int batch,
			   unsigned int depot_max, struct mbuf_zone_bound *b);
long mbuf_zone_cache_share(uma_zone_t zone);

/*
 * zone.c: limit accounting on or off (default on), for the benchmark to
 * measure its cost. Off, nothing is charged or enforced. Process context,
 * and only while the zones are quiet: turning it back on recounts every
 * zone's charge from its statistics.
 */
void mbuf_zone_set_accounting(bool on);

/*
 * zone.c: move items between a zone's backend and another zone's cache,
 * with the zone's limit, statistics and sleeping rules but without its
 * magazine or constructor. The packet zone builds its pairs with these.
 * get returns how many it got (M_WAITOK: at least one); put takes any
 * number and any context.
 */
int mbuf_zone_get_batch(uma_zone_t zone, void **items, int n, int how);
void mbuf_zone_put_batch(uma_zone_t zone, void **items, int n);

/*
 * zone.c: memory behind a zone. items are the items the backend has
 * carved out for us (in use, cached, and free slots of our blocks);
 * usable_bytes = items * size; backing_bytes is the memory holding them,
 * block descriptors included. Efficiency is usable / backing. For the
 * slab-backed zones backing counts each object at the bytes SLUB gives it
 * (its stride, measured when the cache is made); the leftover at the end
 * of a slab is not visible to us and not counted. The layout fields
 * describe a zone's blocks (jumbo zones; 0 for slab zones): preferred and
 * fallback page order and items per block at each.
 */
struct mbuf_zone_mem {
	unsigned long items, blocks;
	unsigned long usable_bytes, backing_bytes;
	unsigned int pref_order, pref_items;
	unsigned int min_order, min_items;
};

void mbuf_zone_mem_info(uma_zone_t zone, struct mbuf_zone_mem *mem);

/* reclaim.c: the max-action, queued when a zone hits its limit */
void mbuf_reclaim_schedule(uma_zone_t zone);

/*
 * fault.c: private fault injection for allocation failure tests; the API is
 * described at the top of fault.c. Zone masks are MBUF_FAULT_ZONE(MBZ_*)
 * bits; MBUF_FAULT_OTHER selects allocations outside the zones (tags and
 * the like), which pass a NULL zone to mbuf_should_fail().
 */
#define MBUF_FAULT_ZONE(id)	BIT(id)
#define MBUF_FAULT_OTHER	BIT(MBZ_NZONES)
#define MBUF_FAULT_JPACK	BIT(MBZ_NZONES + 1)	/* the jumbo pair zones */
#define MBUF_FAULT_ALL		GENMASK(MBZ_NZONES + 1, 0)

#ifdef CONFIG_MBUFCOMPAT_DEBUG
DECLARE_STATIC_KEY_FALSE(mbuf_fault_key);
bool mbuf_should_fail(uma_zone_t zone);
void mbuf_fault_set(unsigned int zone_mask, unsigned int skip,
		    unsigned int times);
void mbuf_fault_clear(void);
unsigned long mbuf_fault_injected(void);

/* Cheap test for callers' fast paths: is any fault injection armed? */
static __always_inline bool mbuf_fault_armed(void)
{
	return static_branch_unlikely(&mbuf_fault_key);
}
#else
/* A production build has no fault injection: nothing ever fails by design. */
static __always_inline bool mbuf_fault_armed(void)
{
	return false;
}

static inline bool mbuf_should_fail(uma_zone_t zone)
{
	return false;
}
#endif

/*
 * trash.c (CONFIG_MBUFCOMPAT_TRASH): fill an item with a pattern when it
 * enters a per-CPU magazine and check the pattern when it leaves one. The
 * zone code reads no item while it sits in a magazine, except that a
 * packet-zone item's m_ext (the pairing with its cluster) must survive:
 * the fill leaves it alone.
 */
#if IS_ENABLED(CONFIG_MBUFCOMPAT_TRASH)
void mbuf_trash_fill(uma_zone_t zone, void *item);
void mbuf_trash_verify(uma_zone_t zone, void *item);
#else
static inline void mbuf_trash_fill(uma_zone_t zone, void *item)
{
}

static inline void mbuf_trash_verify(uma_zone_t zone, void *item)
{
}
#endif

/*
 * jumbo.c, packet.c: backends of the zones, set up by mbuf_zones_init().
 * jumbo.c serves every cluster zone (2 KiB, page, 9 KiB, 16 KiB) from
 * page-backed blocks.
 */
int mbuf_jumbo_init(uma_zone_t zone);
void mbuf_jumbo_exit(uma_zone_t zone, bool leak);
void mbuf_jumbo_mem_info(uma_zone_t zone, struct mbuf_zone_mem *mem);
extern const struct mbuf_zone_ops mbuf_jumbo_ops;
extern const struct mbuf_zone_ops mbuf_packet_ops;
bool mbuf_pageblock_owns(uma_zone_t zone, const void *buf);
unsigned long mbuf_pageblock_bad_frees(void);

/*
 * What a cached item goes through on entering and leaving a magazine
 * (zone.c, mbuf_zone_cache_enter()): a double-free cookie on debug
 * builds, a trash pattern with CONFIG_MBUFCOMPAT_TRASH, KASAN poison
 * where any hook can poison (the kernel's mempool hooks,
 * MBUF_KASAN_POISONS, or generic KASAN's shadow for page memory), and
 * on kernels with kmemleak a cleared mbuf and cleared magazine slots.
 * With none of them a magazine operation is a pop or a push and nothing
 * else, which the KPI's fast paths inline (mbuf_zone_get_fast() below).
 */
#define MBUF_ZONE_COOKIES	IS_ENABLED(CONFIG_MBUFCOMPAT_DEBUG)
#define MBUF_ZONE_TRASHES	(IS_ENABLED(CONFIG_MBUFCOMPAT_TRASH) && \
				 !IS_ENABLED(CONFIG_KASAN))
#define MBUF_ZONE_POISONS	(MBUF_KASAN_POISONS || \
				 IS_ENABLED(CONFIG_KASAN_GENERIC))
#define MBUF_ZONE_BARE_CACHE	(!MBUF_ZONE_COOKIES && !MBUF_ZONE_TRASHES && \
				 !MBUF_ZONE_POISONS && \
				 !IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))

/* zone.c: limit accounting on (default) or off, mbuf_zone_set_accounting() */
DECLARE_STATIC_KEY_TRUE(mbuf_zone_accounting_key);

static __always_inline bool mbuf_zone_accounting(void)
{
	return static_branch_likely(&mbuf_zone_accounting_key);
}

/* The caller's context level: task, softirq, or hardirq / NMI. */
static __always_inline enum mbuf_zone_level mbuf_zone_level(void)
{
	unsigned long pc = preempt_count();

	return !!(pc & (NMI_MASK | HARDIRQ_MASK)) +
	       !!(pc & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET));
}

/*
 * The magazines of a preempt_count() @pc. Hard interrupt context and NMI,
 * whose level caches nothing, are told apart first (mbuf_zone_uncached());
 * the task or softirq magazine is then found with a test and a conditional
 * add rather than mbuf_zone_level()'s arithmetic and a multiplication,
 * since every pop and push waits for it. Preemption must be off.
 */
static __always_inline bool mbuf_zone_uncached(unsigned long pc)
{
	return pc & (NMI_MASK | HARDIRQ_MASK);
}

static __always_inline struct mbuf_zone_mag *
mbuf_zone_cached_mag(uma_zone_t zone, unsigned long pc)
{
	struct mbuf_zone_mag *mag = this_cpu_ptr(zone->pcpu)->lvl;

	if (pc & SOFTIRQ_OFFSET)
		mag += MBZ_LVL_SOFTIRQ;
	return mag;
}

/* This CPU's magazine for the caller's level; preemption must be off. */
static __always_inline struct mbuf_zone_mag *mbuf_zone_mag(uma_zone_t zone)
{
	unsigned long pc = preempt_count();

	if (mbuf_zone_uncached(pc))
		return &this_cpu_ptr(zone->pcpu)->lvl[MBZ_LVL_HARDIRQ];
	return mbuf_zone_cached_mag(zone, pc);
}

/*
 * Frees skip the magazine while the zone, or for a pair zone a zone
 * whose items its pairs hold, has sleepers. Read with preemption off.
 */
static __always_inline bool mbuf_zone_bypassed(uma_zone_t zone)
{
	return mbuf_zone_accounting() && atomic_read(&zone->bypass);
}

/* zone.c: the out-of-line parts of the two below */
void *mbuf_zone_get_fast_out(uma_zone_t zone, int how);
void mbuf_zone_put_fast_out(uma_zone_t zone, void *item);

/*
 * The inline magazine pop of the KPI's fast paths: an item from this
 * CPU's magazine at the caller's level, statistics included, or NULL when
 * that is empty (or absent: the hard-interrupt level has none). Only
 * where MBUF_ZONE_BARE_CACHE holds; elsewhere always NULL.
 */
static __always_inline void *mbuf_zone_pop(uma_zone_t zone)
{
	struct mbuf_zone_mag *mag;
	void *item = NULL;
	unsigned long pc;

	if (MBUF_ZONE_BARE_CACHE) {
		preempt_disable();
		pc = preempt_count();
		if (likely(!mbuf_zone_uncached(pc))) {
			mag = mbuf_zone_cached_mag(zone, pc);
			if (likely(mag->count)) {
				item = mag->mag[--mag->count];
				mag->allocs++;
			}
		}
		preempt_enable();
	}
	return item;
}

/*
 * The magazine push of every free path: @item onto this CPU's magazine at
 * the caller's level, statistics included. False, having done nothing,
 * when that is full or absent, or while the zone's frees bypass it.
 */
static __always_inline bool mbuf_zone_mag_push(uma_zone_t zone, void *item)
{
	struct mbuf_zone_mag *mag;
	bool pushed = false;
	unsigned long pc;

	preempt_disable();
	pc = preempt_count();
	if (likely(!mbuf_zone_uncached(pc))) {
		mag = mbuf_zone_cached_mag(zone, pc);
		if (likely(mag->count < mag->cap &&
			   !mbuf_zone_bypassed(zone))) {
			mag->mag[mag->count++] = item;
			mag->frees++;
			pushed = true;
		}
	}
	preempt_enable();
	return pushed;
}

/**
 * mbuf_zone_get_fast() - take an item from a zone without its constructor
 * @zone: the zone
 * @how: M_NOWAIT (callers send anything else through uma_zalloc_arg; a
 *	bad one is made M_NOWAIT, as there)
 *
 * For the KPI's common paths, which initialise the item themselves. Where
 * a cached item needs no hook (MBUF_ZONE_BARE_CACHE: no debug build, no
 * KASAN, no trashing, no kmemleak, hence no fault injection either) the
 * magazine pop is inlined into the caller (mbuf_zone_pop()); an empty
 * magazine and every other build take mbuf_zone_get_fast_out().
 *
 * Return: the item, or NULL.
 */
static __always_inline void *mbuf_zone_get_fast(uma_zone_t zone, int how)
{
	void *item = mbuf_zone_pop(zone);

	if (likely(item))
		return item;
	return mbuf_zone_get_fast_out(zone, how);
}

/**
 * mbuf_zone_put_fast() - give an item back to a zone without its destructor
 * @zone: the zone it came from
 * @item: the item, for which the destructor would have nothing to do
 *
 * The counterpart of mbuf_zone_get_fast(): the magazine push inline
 * where cached items need no hook, mbuf_zone_put_fast_out() for a full,
 * absent or bypassed magazine and on every other build.
 */
static __always_inline void mbuf_zone_put_fast(uma_zone_t zone, void *item)
{
	if (MBUF_ZONE_BARE_CACHE && likely(mbuf_zone_mag_push(zone, item)))
		return;
	mbuf_zone_put_fast_out(zone, item);
}

#if IS_ENABLED(CONFIG_MBUFCOMPAT_KUNIT_TEST)
/* mbuf.c, for the tests: m_get()'s and m_getcl()'s path on @zone */
struct mbuf *mbuf_test_mb_alloc(uma_zone_t zone, int how, short type,
				int flags);
#endif

/*
 * zone.c: a "how" with exactly one of M_NOWAIT and M_WAITOK is returned
 * as is; anything else is a caller bug: logged once, and made M_NOWAIT so
 * that the call never sleeps (the caller may be in atomic context).
 */
int mbuf_zone_check_how(int how);

/* zone.c: the KASAN hooks of a zone's items (see struct mbuf_zone_ops) */
bool mbuf_zone_poison(uma_zone_t zone, void *item);
void mbuf_zone_unpoison(uma_zone_t zone, void *item);

/*
 * zone.c, for the usercopy test: the part of an mbuf that may be copied
 * to or from user space (its data area, never the header).
 */
#define MBUF_USERCOPY_OFFSET	offsetof(struct mbuf, m_dat)
#define MBUF_USERCOPY_SIZE	(MSIZE - MBUF_USERCOPY_OFFSET)

/*
 * zone.c: unload and init failure. A slab cache that still holds items
 * at unload is kept (it is in use); the names of the caches of this load
 * (a later load picks fresh names if the old ones are still taken).
 */
const char *mbuf_zone_cache_name(enum mbuf_zone_id id);
const char *mbuf_zone_pick_cache_name(uma_zone_t zone);

/*
 * main.c (CONFIG_MBUFCOMPAT_DEBUG): init failure injection, the module
 * parameter init_fail_at=N: the N-th step of module init that asks fails.
 */
#ifdef CONFIG_MBUFCOMPAT_DEBUG
int mbuf_init_fault(const char *step);
#else
static inline int mbuf_init_fault(const char *step)
{
	return 0;
}
#endif

#endif /* MBUFCOMPAT_ZONE_H */
