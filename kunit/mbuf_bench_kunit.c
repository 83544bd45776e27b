// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_bench: the mbuf allocator timed against Linux's own allocators.
 *
 * Strategy. Every benchmark is a pair (or a set) of operations a driver
 * could use for the same job: ours (m_get, m_getcl, m_getjcl) and Linux's
 * (kmem_cache, alloc_skb, napi_alloc_skb, alloc_pages, page_pool), with the
 * same sizes and gfp flags, measured in the same boot. Each operation is an
 * allocation and its free; in the "ring" variants 256 allocations are made
 * first and then freed, as a NIC refills its receive ring. "@bh" variants
 * run in sections of 64 operations with bottom halves disabled, as a NAPI
 * poll with the default weight runs; the others run in process context in
 * chunks of the same size.
 *
 * Each operation of a group is warmed up, then timed for
 * mbufcompat.bench_iters operations per run with ktime_get_ns() (UML has no
 * cycle counter), mbufcompat.bench_runs times. A run is made of slices of
 * MBUF_BENCH_SLICE operations, and the slices of all operations of a group
 * are interleaved, their order rotating, so that A and B alternate every
 * few tens of microseconds and whatever else the host does hits both.
 * Slices the host took away from the UML process altogether are counted at
 * the run's median slice. The kernel log gets one line per run and one
 * summary line per operation:
 *
 *   mbuf_bench: op=<name> run=<i> ns_per_op=<x.yy> raw=<x.yy>
 *               replaced=<slices>/<of>
 *   mbuf_bench: op=<name> median=<x.yy> min=<x.yy> max=<x.yy> runs=<n>
 *               iters=<n>
 *   mbuf_bench: cmp ours=<name> theirs=<name> ratio=<x.yyy> target=<t>
 *               verdict=PASS|MISS|-
 *   mbuf_bench: mem zone=<name> item=<n> items=<n> usable=<n> backing=<n>
 *               per_usable=<x.yyy> efficiency=<x.y>% stride=<n> order=<n>
 *               per_block=<n> target=<t> verdict=PASS|MISS|-
 *
 * (each on one line; "n/a" where the kernel lacks the allocator).
 *
 * scripts/bench.sh ("make bench") boots a kernel without debug options with
 * a million operations per run and turns these lines into a table.
 *
 * The cases never assert a speed: that would make a loaded build machine
 * fail the tests. They pass when every operation ran without a failed
 * allocation, every timing is non-zero, and every zone's in-use count is
 * back at its baseline afterwards; "make check" runs them once with the
 * small default iteration count to prove the code works.
 */
#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sort.h>
#if IS_ENABLED(CONFIG_PAGE_POOL)
#include MBUF_PAGE_POOL_H
#endif
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/mbuf_skb.h>
#include <sys/mbuf.h>
#include "internal.h"

static unsigned int mbuf_bench_iters = 4096;
module_param_named(bench_iters, mbuf_bench_iters, uint, 0444);
MODULE_PARM_DESC(bench_iters,
		 "Operations per timed run of each benchmark (make bench uses 1000000; the small default only proves the benchmarks work)");

static unsigned int mbuf_bench_runs = 5;
module_param_named(bench_runs, mbuf_bench_runs, uint, 0444);
MODULE_PARM_DESC(bench_runs,
		 "Timed runs of each benchmark, at least 5; the median is reported");

#define MBUF_BENCH_RUNS_MIN	5
#define MBUF_BENCH_RUNS_MAX	31
#define MBUF_BENCH_RING		256	/* buffers in an RX ring */
#define MBUF_BENCH_BUDGET	64	/* NAPI_POLL_WEIGHT */
#define MBUF_BENCH_SKB_LEN	1500	/* an Ethernet frame */
#define MBUF_BENCH_GFP		(GFP_ATOMIC | __GFP_NOWARN)	/* M_NOWAIT */
#define MBUF_BENCH_PS_PER_NS	1000

/*
 * UML's clock is the host's and keeps running while the host runs other
 * processes: on a busy machine a run loses whole milliseconds to them.
 * Each run is timed in slices of MBUF_BENCH_SLICE operations, and a slice
 * that took more than MBUF_BENCH_OUTLIER times the run's median slice (a
 * slice takes tens of microseconds, a host time slice is milliseconds) is
 * counted at the median instead. The raw time is logged beside it.
 */
#define MBUF_BENCH_SLICE	1024
#define MBUF_BENCH_OUTLIER	4
static_assert(MBUF_BENCH_SLICE % MBUF_BENCH_RING == 0);

/*
 * The comparison's caches, 256 B and 2 KiB: kept out of slab merging like
 * the zones' own caches, aligned to their (power of two) size, which costs
 * no padding, and without a constructor, as a driver would make them.
 */
#define MBUF_BENCH_SLAB_FLAGS	MBUF_SLAB_NO_MERGE

/* The order alloc_pages() needs for a 9 KiB or 16 KiB buffer. */
#define MBUF_BENCH_JUMBO_ORDER	2
static_assert(PAGE_SIZE << MBUF_BENCH_JUMBO_ORDER >= MJUM16BYTES);

struct mbuf_bench_ctx {
	struct kmem_cache *cache_mbuf;	/* 256 B, like an mbuf */
	struct kmem_cache *cache_clust;	/* 2 KiB, like a cluster */
	struct napi_struct napi;	/* never scheduled: napi_alloc_skb's owner */
	struct page_pool *pool_page;	/* order 0 */
	struct page_pool *pool_jumbo;	/* MBUF_BENCH_JUMBO_ORDER */
	void *ring[MBUF_BENCH_RING];
	u64 *slice_sorted;		/* scratch: one run's slices, sorted */
	struct page *frag_page;		/* what the skbs' page frags point at */
	/* the bridge: a 64 KiB TSO skb */
	struct sk_buff *gso_skb;
	struct mbuf *floor_m;		/* the floor's mbuf, freed after its skb */
};

static struct mbuf_bench_ctx mbuf_bench;

/*
 * One allocation and its free, for each allocator. The loops below inline
 * them, so a benchmark costs no indirect call per operation.
 */
static __always_inline void *bench_mget(struct mbuf_bench_ctx *c)
{
	return m_get(M_NOWAIT, MT_DATA);
}

static __always_inline void bench_mget_free(struct mbuf_bench_ctx *c, void *p)
{
	m_free(p);
}

static __always_inline void *bench_mgetcl(struct mbuf_bench_ctx *c)
{
	return m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
}

static __always_inline void bench_mgetcl_free(struct mbuf_bench_ctx *c, void *p)
{
	m_freem(p);
}

#define BENCH_JUMBO(name, size)						\
static __always_inline void *bench_##name(struct mbuf_bench_ctx *c)	\
{									\
	return m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, size);		\
}									\
									\
static __always_inline void bench_##name##_free(struct mbuf_bench_ctx *c, \
						void *p)		\
{									\
	m_freem(p);							\
}

BENCH_JUMBO(jpage, MJUMPAGESIZE)
BENCH_JUMBO(j9, MJUM9BYTES)
BENCH_JUMBO(j16, MJUM16BYTES)

/* A bare cluster, no mbuf: what alloc_pages() alone gives a driver. */
#define BENCH_CLUSTER(name, size, zone)				\
static __always_inline void *bench_##name(struct mbuf_bench_ctx *c)	\
{									\
	return m_cljget(NULL, M_NOWAIT, size);				\
}									\
									\
static __always_inline void bench_##name##_free(struct mbuf_bench_ctx *c, \
						void *p)		\
{									\
	uma_zfree(zone, p);						\
}

BENCH_CLUSTER(clpage, MJUMPAGESIZE, zone_jumbop)
BENCH_CLUSTER(cl9, MJUM9BYTES, zone_jumbo9)
BENCH_CLUSTER(cl16, MJUM16BYTES, zone_jumbo16)

static __always_inline void *bench_kmem(struct mbuf_bench_ctx *c)
{
	return kmem_cache_alloc(c->cache_mbuf, MBUF_BENCH_GFP);
}

static __always_inline void bench_kmem_free(struct mbuf_bench_ctx *c, void *p)
{
	kmem_cache_free(c->cache_mbuf, p);
}

/* Two objects, the small one pointing at the big one, as an mbuf does. */
static __always_inline void *bench_kmem2(struct mbuf_bench_ctx *c)
{
	void **m = kmem_cache_alloc(c->cache_mbuf, MBUF_BENCH_GFP);

	if (unlikely(!m))
		return NULL;
	*m = kmem_cache_alloc(c->cache_clust, MBUF_BENCH_GFP);
	if (unlikely(!*m)) {
		kmem_cache_free(c->cache_mbuf, m);
		return NULL;
	}
	return m;
}

static __always_inline void bench_kmem2_free(struct mbuf_bench_ctx *c, void *p)
{
	void **m = p;

	kmem_cache_free(c->cache_clust, *m);
	kmem_cache_free(c->cache_mbuf, m);
}

static __always_inline void *bench_skb(struct mbuf_bench_ctx *c)
{
	return alloc_skb(MBUF_BENCH_SKB_LEN, MBUF_BENCH_GFP);
}

static __always_inline void bench_skb_free(struct mbuf_bench_ctx *c, void *p)
{
	kfree_skb(p);
}

static __always_inline void *bench_napi(struct mbuf_bench_ctx *c)
{
	return napi_alloc_skb(&c->napi, MBUF_BENCH_SKB_LEN);
}

/* A non-zero budget: the skb goes back to the per-CPU NAPI cache. */
static __always_inline void bench_napi_free(struct mbuf_bench_ctx *c, void *p)
{
	napi_consume_skb(p, MBUF_BENCH_BUDGET);
}

/*
 * The sk_buff bridge. Receive: a frame in a fresh cluster (the ring's
 * refill) handed to the stack by mbuf_to_skb(), against the copy every
 * other compatibility layer makes: the same refill, napi_alloc_skb(), a
 * copy out of the mbuf (m_copydata) and m_freem(). Transmit: a 64 KiB TSO
 * skb turned into a chain by skb_to_mbuf(), against m_getm2() and
 * skb_copy_bits(). The skb is shared (one reference taken per operation),
 * as a retransmission queue holds it.
 */
#define MBUF_BENCH_RX9K_LEN	9000
#define MBUF_BENCH_GSO_LEN	65536
#define MBUF_BENCH_GSO_HDR	(ETH_HLEN + 20 + 20)

static __always_inline void *bench_rx2k(struct mbuf_bench_ctx *c)
{
	struct mbuf *m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);

	if (unlikely(!m))
		return NULL;
	m->m_len = MBUF_BENCH_SKB_LEN;
	m->m_pkthdr.len = MBUF_BENCH_SKB_LEN;
	return mbuf_to_skb(m, &c->napi);
}

static __always_inline void bench_rx2k_free(struct mbuf_bench_ctx *c, void *p)
{
	napi_consume_skb(p, MBUF_BENCH_BUDGET);
}

static __always_inline void *bench_rx9k(struct mbuf_bench_ctx *c)
{
	struct mbuf *m = m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MJUM9BYTES);

	if (unlikely(!m))
		return NULL;
	m->m_len = MBUF_BENCH_RX9K_LEN;
	m->m_pkthdr.len = MBUF_BENCH_RX9K_LEN;
	return mbuf_to_skb(m, &c->napi);
}

#define bench_rx9k_free	bench_rx2k_free

/*
 * The floor of any zero-copy receive head: the same refill, a page
 * reference and napi_build_skb() on the cluster, the mbuf freed right
 * after the skb (no lending and no looking: only what mbuf_to_skb()
 * cannot do without).
 */
static __always_inline void *bench_floor2k(struct mbuf_bench_ctx *c)
{
	struct mbuf *m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	struct sk_buff *skb;
	char *buf;

	if (unlikely(!m))
		return NULL;
	buf = m->m_ext.ext_buf;
	get_page(virt_to_page(buf));
	skb = napi_build_skb(buf, m->m_ext.ext_size);
	if (unlikely(!skb)) {
		put_page(virt_to_page(buf));
		m_freem(m);
		return NULL;
	}
	skb_reserve(skb, mtod(m, char *) - buf);
	skb_put(skb, MBUF_BENCH_SKB_LEN);
	c->floor_m = m;
	return skb;
}

static __always_inline void bench_floor2k_free(struct mbuf_bench_ctx *c,
					       void *p)
{
	napi_consume_skb(p, MBUF_BENCH_BUDGET);
	m_freem(c->floor_m);
}

static __always_inline void *bench_copy(struct mbuf_bench_ctx *c,
					struct mbuf *m, int len)
{
	struct sk_buff *skb;

	if (unlikely(!m))
		return NULL;
	m->m_len = len;
	m->m_pkthdr.len = len;
	skb = napi_alloc_skb(&c->napi, len);
	if (likely(skb))
		m_copydata(m, 0, len, skb_put(skb, len));
	m_freem(m);
	return skb;
}

static __always_inline void *bench_copy2k(struct mbuf_bench_ctx *c)
{
	return bench_copy(c, m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR),
			  MBUF_BENCH_SKB_LEN);
}

#define bench_copy2k_free	bench_rx2k_free

static __always_inline void *bench_copy9k(struct mbuf_bench_ctx *c)
{
	return bench_copy(c, m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MJUM9BYTES),
			  MBUF_BENCH_RX9K_LEN);
}

#define bench_copy9k_free	bench_rx2k_free

static __always_inline void *bench_tx64k(struct mbuf_bench_ctx *c)
{
	return skb_to_mbuf(skb_get(c->gso_skb), M_NOWAIT);
}

static __always_inline void bench_tx64k_free(struct mbuf_bench_ctx *c, void *p)
{
	m_freem(p);
}

static __always_inline void *bench_txcopy(struct mbuf_bench_ctx *c)
{
	struct mbuf *m = m_getm2(NULL, MBUF_BENCH_GSO_LEN, M_NOWAIT, MT_DATA,
				 M_PKTHDR);
	struct mbuf *n;
	int off = 0;

	if (unlikely(!m))
		return NULL;
	for (n = m; n; n = n->m_next) {
		n->m_len = min_t(int, M_TRAILINGSPACE(n), MBUF_BENCH_GSO_LEN - off);
		skb_copy_bits(c->gso_skb, off, mtod(n, void *), n->m_len);
		off += n->m_len;
	}
	m->m_pkthdr.len = off;
	return m;
}

#define bench_txcopy_free	bench_tx64k_free

static __always_inline void *bench_pages0(struct mbuf_bench_ctx *c)
{
	return alloc_pages(MBUF_BENCH_GFP, 0);
}

static __always_inline void bench_pages0_free(struct mbuf_bench_ctx *c, void *p)
{
	__free_pages(p, 0);
}

static __always_inline void *bench_pages2(struct mbuf_bench_ctx *c)
{
	return alloc_pages(MBUF_BENCH_GFP, MBUF_BENCH_JUMBO_ORDER);
}

static __always_inline void bench_pages2_free(struct mbuf_bench_ctx *c, void *p)
{
	__free_pages(p, MBUF_BENCH_JUMBO_ORDER);
}

/*
 * Chain surgery against its skb counterpart. Each operation receives a
 * packet the way a driver does, makes it fit and frees it:
 *
 *   defrag16  a 1504-byte packet in 16 mbufs (a header mbuf and 15
 *             plain ones, 94 bytes each) made one cluster by m_defrag();
 *             the skb: 94 bytes of linear data and 15 page fragments of
 *             94 bytes (references to one page, as a driver's RX frags
 *             are), made linear by skb_linearize()
 *   pullup54  a 1500-byte packet whose first mbuf holds only the 14-byte
 *             Ethernet header, the rest in a 2 KiB cluster, made to hold
 *             Ethernet + IPv4 + TCP (54 bytes) in its first mbuf by
 *             m_pullup(); the skb: 14 bytes linear (in a 128-byte head)
 *             and one 1486-byte page fragment, pulled by pskb_may_pull()
 *
 * Building the packet is part of each operation (there is no other way to
 * hand m_defrag() a chain it may free); the "build" operations, which do
 * everything but the surgery, show what that costs on each side.
 */
#define BENCH_SEGS	16
#define BENCH_SEG	94
#define BENCH_HDR	14
#define BENCH_PKT	1500
#define BENCH_PULL	54

static __always_inline struct mbuf *bench_chain16(void)
{
	struct mbuf *m = m_gethdr(M_NOWAIT, MT_DATA), *n;
	int i;

	if (unlikely(!m))
		return NULL;
	m->m_len = BENCH_SEG;
	m->m_pkthdr.len = BENCH_SEGS * BENCH_SEG;
	for (i = 1; i < BENCH_SEGS; i++) {
		n = m_get(M_NOWAIT, MT_DATA);
		if (unlikely(!n)) {
			m_freem(m);
			return NULL;
		}
		n->m_len = BENCH_SEG;
		n->m_next = m->m_next;
		m->m_next = n;
	}
	return m;
}

static __always_inline void *bench_chain16_build(struct mbuf_bench_ctx *c)
{
	return bench_chain16();
}

static __always_inline void *bench_defrag16(struct mbuf_bench_ctx *c)
{
	struct mbuf *m = bench_chain16(), *d;

	if (unlikely(!m))
		return NULL;
	d = m_defrag(m, M_NOWAIT);
	if (unlikely(!d))
		m_freem(m);
	return d;
}

static __always_inline void bench_mchain_free(struct mbuf_bench_ctx *c,
					      void *p)
{
	m_freem(p);
}

#define bench_chain16_build_free	bench_mchain_free
#define bench_defrag16_free		bench_mchain_free

static __always_inline struct sk_buff *bench_skb16(struct mbuf_bench_ctx *c)
{
	struct sk_buff *skb = alloc_skb(BENCH_SEG, MBUF_BENCH_GFP);
	int i;

	if (unlikely(!skb))
		return NULL;
	skb_put(skb, BENCH_SEG);
	for (i = 0; i < BENCH_SEGS - 1; i++) {
		get_page(c->frag_page);
		skb_add_rx_frag(skb, i, c->frag_page, i * BENCH_SEG, BENCH_SEG,
				BENCH_SEG);
	}
	return skb;
}

static __always_inline void *bench_skb16_build(struct mbuf_bench_ctx *c)
{
	return bench_skb16(c);
}

static __always_inline void *bench_linearize16(struct mbuf_bench_ctx *c)
{
	struct sk_buff *skb = bench_skb16(c);

	if (unlikely(!skb))
		return NULL;
	if (unlikely(skb_linearize(skb))) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

static __always_inline void bench_skbchain_free(struct mbuf_bench_ctx *c,
						void *p)
{
	kfree_skb(p);
}

#define bench_skb16_build_free		bench_skbchain_free
#define bench_linearize16_free		bench_skbchain_free

static __always_inline struct mbuf *bench_rxhdr(void)
{
	struct mbuf *m = m_gethdr(M_NOWAIT, MT_DATA), *n;

	if (unlikely(!m))
		return NULL;
	n = m_getcl(M_NOWAIT, MT_DATA, 0);
	if (unlikely(!n)) {
		m_free(m);
		return NULL;
	}
	m->m_len = BENCH_HDR;
	n->m_len = BENCH_PKT - BENCH_HDR;
	m->m_next = n;
	m->m_pkthdr.len = BENCH_PKT;
	return m;
}

static __always_inline void *bench_rxhdr_build(struct mbuf_bench_ctx *c)
{
	return bench_rxhdr();
}

static __always_inline void *bench_pullup54(struct mbuf_bench_ctx *c)
{
	struct mbuf *m = bench_rxhdr();

	if (unlikely(!m))
		return NULL;
	return m->m_len < BENCH_PULL ? m_pullup(m, BENCH_PULL) : m;
}

#define bench_rxhdr_build_free		bench_mchain_free
#define bench_pullup54_free		bench_mchain_free

static __always_inline struct sk_buff *bench_rxskb(struct mbuf_bench_ctx *c)
{
	struct sk_buff *skb = alloc_skb(128, MBUF_BENCH_GFP);

	if (unlikely(!skb))
		return NULL;
	skb_put(skb, BENCH_HDR);
	get_page(c->frag_page);
	skb_add_rx_frag(skb, 0, c->frag_page, 0, BENCH_PKT - BENCH_HDR,
			PAGE_SIZE / 2);
	return skb;
}

static __always_inline void *bench_rxskb_build(struct mbuf_bench_ctx *c)
{
	return bench_rxskb(c);
}

static __always_inline void *bench_maypull54(struct mbuf_bench_ctx *c)
{
	struct sk_buff *skb = bench_rxskb(c);

	if (unlikely(!skb))
		return NULL;
	if (unlikely(!pskb_may_pull(skb, BENCH_PULL))) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

#define bench_rxskb_build_free		bench_skbchain_free
#define bench_maypull54_free		bench_skbchain_free

#if IS_ENABLED(CONFIG_PAGE_POOL)
static __always_inline void *bench_pp0(struct mbuf_bench_ctx *c)
{
	return page_pool_alloc_pages(c->pool_page, MBUF_BENCH_GFP);
}

/* Direct recycling into the pool's lockless cache, as from its NAPI poll. */
static __always_inline void bench_pp0_free(struct mbuf_bench_ctx *c, void *p)
{
	page_pool_put_full_page(c->pool_page, p, true);
}

static __always_inline void *bench_pp2(struct mbuf_bench_ctx *c)
{
	return page_pool_alloc_pages(c->pool_jumbo, MBUF_BENCH_GFP);
}

static __always_inline void bench_pp2_free(struct mbuf_bench_ctx *c, void *p)
{
	page_pool_put_full_page(c->pool_jumbo, p, true);
}

static struct page_pool *mbuf_bench_pool_create(unsigned int order)
{
	struct page_pool_params pp = {
		.order = order,
		.pool_size = MBUF_BENCH_RING,
		.nid = NUMA_NO_NODE,
	};
	struct page_pool *pool = page_pool_create(&pp);

	return IS_ERR(pool) ? NULL : pool;
}

static int mbuf_bench_pools_create(struct mbuf_bench_ctx *c)
{
	c->pool_page = mbuf_bench_pool_create(0);
	c->pool_jumbo = mbuf_bench_pool_create(MBUF_BENCH_JUMBO_ORDER);
	return c->pool_page && c->pool_jumbo ? 0 : -ENOMEM;
}

static void mbuf_bench_pools_destroy(struct mbuf_bench_ctx *c)
{
	if (c->pool_page)
		page_pool_destroy(c->pool_page);
	if (c->pool_jumbo)
		page_pool_destroy(c->pool_jumbo);
	c->pool_page = NULL;
	c->pool_jumbo = NULL;
}
#else
static int mbuf_bench_pools_create(struct mbuf_bench_ctx *c)
{
	return 0;
}

static void mbuf_bench_pools_destroy(struct mbuf_bench_ctx *c)
{
}
#endif

/*
 * The timed loops of allocator bench_<name>() / bench_<name>_free(): @n
 * operations, either each allocation freed at once ("pair") or @n
 * allocations into the ring and then @n frees ("ring"). They return how
 * many allocations failed.
 */
#define MBUF_BENCH_LOOPS(name)						\
static unsigned long bench_##name##_pair(struct mbuf_bench_ctx *c,	\
					 unsigned int n)		\
{									\
	unsigned long fails = 0;					\
	unsigned int i;							\
	void *p;							\
									\
	for (i = 0; i < n; i++) {					\
		p = bench_##name(c);					\
		if (unlikely(!p))					\
			fails++;					\
		else							\
			bench_##name##_free(c, p);			\
	}								\
	return fails;							\
}									\
									\
static unsigned long __maybe_unused					\
bench_##name##_ring(struct mbuf_bench_ctx *c, unsigned int n)		\
{									\
	unsigned long fails = 0;					\
	unsigned int i;							\
									\
	for (i = 0; i < n; i++) {					\
		c->ring[i] = bench_##name(c);				\
		if (unlikely(!c->ring[i]))				\
			fails++;					\
	}								\
	for (i = 0; i < n; i++)						\
		if (likely(c->ring[i]))					\
			bench_##name##_free(c, c->ring[i]);		\
	return fails;							\
}

MBUF_BENCH_LOOPS(mget)
MBUF_BENCH_LOOPS(mgetcl)
MBUF_BENCH_LOOPS(jpage)
MBUF_BENCH_LOOPS(j9)
MBUF_BENCH_LOOPS(j16)
MBUF_BENCH_LOOPS(clpage)
MBUF_BENCH_LOOPS(cl9)
MBUF_BENCH_LOOPS(cl16)
MBUF_BENCH_LOOPS(kmem)
MBUF_BENCH_LOOPS(kmem2)
MBUF_BENCH_LOOPS(skb)
MBUF_BENCH_LOOPS(napi)
MBUF_BENCH_LOOPS(pages0)
MBUF_BENCH_LOOPS(pages2)
MBUF_BENCH_LOOPS(chain16_build)
MBUF_BENCH_LOOPS(defrag16)
MBUF_BENCH_LOOPS(skb16_build)
MBUF_BENCH_LOOPS(linearize16)
MBUF_BENCH_LOOPS(rxhdr_build)
MBUF_BENCH_LOOPS(pullup54)
MBUF_BENCH_LOOPS(rxskb_build)
MBUF_BENCH_LOOPS(maypull54)
MBUF_BENCH_LOOPS(rx2k)
MBUF_BENCH_LOOPS(rx9k)
MBUF_BENCH_LOOPS(floor2k)
MBUF_BENCH_LOOPS(copy2k)
MBUF_BENCH_LOOPS(copy9k)
MBUF_BENCH_LOOPS(tx64k)
MBUF_BENCH_LOOPS(txcopy)
#if IS_ENABLED(CONFIG_PAGE_POOL)
MBUF_BENCH_LOOPS(pp0)
MBUF_BENCH_LOOPS(pp2)
#else
#define bench_pp0_pair	NULL
#define bench_pp2_pair	NULL
#endif

typedef unsigned long (*mbuf_bench_fn)(struct mbuf_bench_ctx *c,
				       unsigned int n);

enum mbuf_bench_acct { ACCT_ANY, ACCT_OFF, ACCT_ON };

struct mbuf_bench_op {
	const char *name;
	mbuf_bench_fn fn;		/* NULL: not in this kernel */
	unsigned int chunk;		/* operations per call of fn */
	bool bh;			/* each call with BH disabled */
	enum mbuf_bench_acct acct;	/* limit accounting during the runs */
	const char *missing;		/* why fn is NULL */
};

#define OP(_name, _fn, _chunk, _bh) \
	{ .name = _name, .fn = _fn, .chunk = _chunk, .bh = _bh }
#define OP_PAIR(name, fn)	OP(name, bench_##fn##_pair, MBUF_BENCH_BUDGET, false)
#define OP_PAIR_BH(name, fn)	OP(name, bench_##fn##_pair, MBUF_BENCH_BUDGET, true)
#define OP_RING(name, fn)	OP(name, bench_##fn##_ring, MBUF_BENCH_RING, false)
#define OP_RING_BH(name, fn)	OP(name, bench_##fn##_ring, MBUF_BENCH_RING, true)
#define OP_ACCT(_name, _fn, _chunk, _acct) \
	{ .name = _name, .fn = _fn, .chunk = _chunk, .acct = _acct }
#define OP_PP(_name, _fn) \
	{ .name = _name, .fn = bench_##_fn##_pair, .chunk = MBUF_BENCH_BUDGET, \
	  .bh = true, .missing = "CONFIG_PAGE_POOL is not set" }

/* A comparison: ours / theirs, with the target ratio (0: none). */
struct mbuf_bench_cmp {
	const char *ours;
	const char *theirs;
	unsigned int target_milli;
};

struct mbuf_bench_group {
	const struct mbuf_bench_op *ops;
	unsigned int nops;
	const struct mbuf_bench_cmp *cmps;
	unsigned int ncmps;
};

struct mbuf_bench_result {
	u64 ps[MBUF_BENCH_RUNS_MAX];	/* picoseconds per operation, by run */
	u64 median, min, max;
	unsigned long fails;
	bool done;
};

static const struct mbuf_bench_op mbuf_bench_mbuf_ops[] = {
	OP_PAIR("m_get+m_free", mget),
	OP_PAIR("kmem_cache_256", kmem),
};

static const struct mbuf_bench_cmp mbuf_bench_mbuf_cmps[] = {
	{ "m_get+m_free", "kmem_cache_256", 800 },
};

static const struct mbuf_bench_op mbuf_bench_cluster_ops[] = {
	OP_PAIR("m_getcl+m_freem", mgetcl),
	OP_PAIR("kmem_cache_256+2048", kmem2),
	OP_PAIR("alloc_skb+kfree_skb", skb),
	OP_PAIR_BH("m_getcl+m_freem@bh", mgetcl),
	OP_PAIR_BH("napi_alloc_skb+napi_consume_skb@bh", napi),
};

static const struct mbuf_bench_cmp mbuf_bench_cluster_cmps[] = {
	{ "m_getcl+m_freem", "kmem_cache_256+2048", 600 },
	{ "m_getcl+m_freem", "alloc_skb+kfree_skb", 500 },
	{ "m_getcl+m_freem@bh", "napi_alloc_skb+napi_consume_skb@bh", 1000 },
};

static const struct mbuf_bench_op mbuf_bench_ring_ops[] = {
	OP_RING("ring:m_get+m_free", mget),
	OP_RING("ring:kmem_cache_256", kmem),
	OP_RING("ring:m_getcl+m_freem", mgetcl),
	OP_RING("ring:kmem_cache_256+2048", kmem2),
	OP_RING("ring:alloc_skb+kfree_skb", skb),
	OP_RING_BH("ring:m_getcl+m_freem@bh", mgetcl),
	OP_RING_BH("ring:napi_alloc_skb+napi_consume_skb@bh", napi),
};

static const struct mbuf_bench_cmp mbuf_bench_ring_cmps[] = {
	{ "ring:m_get+m_free", "ring:kmem_cache_256", 800 },
	{ "ring:m_getcl+m_freem", "ring:kmem_cache_256+2048", 600 },
	{ "ring:m_getcl+m_freem", "ring:alloc_skb+kfree_skb", 500 },
	{ "ring:m_getcl+m_freem@bh", "ring:napi_alloc_skb+napi_consume_skb@bh",
	  1000 },
};

/*
 * Jumbo clusters. m_getjcl() + m_freem() (a pair from a jumbo pair zone)
 * against alloc_pages() of the same size, and in BH context against
 * page_pool's direct recycling, which does half the work (a page, no
 * mbuf); the bare clusters (m_cljget(NULL, ...): a buffer and nothing
 * else, like alloc_pages()) against page_pool in BH context, one for one.
 */
static const struct mbuf_bench_op mbuf_bench_jumbo_ops[] = {
	OP_PAIR("m_getjcl_page+m_freem", jpage),
	OP_PAIR("m_cljget_page+uma_zfree", clpage),
	OP_PAIR("alloc_pages_o0+__free_pages", pages0),
	OP_PAIR_BH("m_getjcl_page+m_freem@bh", jpage),
	OP_PP("page_pool_o0@bh", pp0),
	OP_PAIR("m_getjcl_9k+m_freem", j9),
	OP_PAIR("m_cljget_9k+uma_zfree", cl9),
	OP_PAIR("m_getjcl_16k+m_freem", j16),
	OP_PAIR("m_cljget_16k+uma_zfree", cl16),
	OP_PAIR("alloc_pages_o2+__free_pages", pages2),
	OP_PAIR_BH("m_getjcl_9k+m_freem@bh", j9),
	OP_PAIR_BH("m_getjcl_16k+m_freem@bh", j16),
	OP_PP("page_pool_o2@bh", pp2),
	OP_PAIR_BH("m_cljget_page+uma_zfree@bh", clpage),
	OP_PAIR_BH("m_cljget_9k+uma_zfree@bh", cl9),
	OP_PAIR_BH("m_cljget_16k+uma_zfree@bh", cl16),
};

static const struct mbuf_bench_cmp mbuf_bench_jumbo_cmps[] = {
	{ "m_getjcl_page+m_freem", "alloc_pages_o0+__free_pages", 300 },
	{ "m_cljget_page+uma_zfree", "alloc_pages_o0+__free_pages", 0 },
	{ "m_getjcl_page+m_freem@bh", "page_pool_o0@bh", 2000 },
	{ "m_getjcl_9k+m_freem", "alloc_pages_o2+__free_pages", 300 },
	{ "m_getjcl_16k+m_freem", "alloc_pages_o2+__free_pages", 300 },
	{ "m_cljget_9k+uma_zfree", "alloc_pages_o2+__free_pages", 0 },
	{ "m_cljget_16k+uma_zfree", "alloc_pages_o2+__free_pages", 0 },
	{ "m_getjcl_9k+m_freem@bh", "page_pool_o2@bh", 2000 },
	{ "m_getjcl_16k+m_freem@bh", "page_pool_o2@bh", 2000 },
	{ "m_cljget_page+uma_zfree@bh", "page_pool_o0@bh", 1000 },
	{ "m_cljget_9k+uma_zfree@bh", "page_pool_o2@bh", 1000 },
	{ "m_cljget_16k+uma_zfree@bh", "page_pool_o2@bh", 1000 },
};

/* Enforcement overhead: the same operations with limit accounting on/off. */
static const struct mbuf_bench_op mbuf_bench_acct_ops[] = {
	OP_ACCT("m_get+m_free/acct_off", bench_mget_pair,
		MBUF_BENCH_BUDGET, ACCT_OFF),
	OP_ACCT("m_get+m_free/acct_on", bench_mget_pair,
		MBUF_BENCH_BUDGET, ACCT_ON),
	OP_ACCT("m_getcl+m_freem/acct_off", bench_mgetcl_pair,
		MBUF_BENCH_BUDGET, ACCT_OFF),
	OP_ACCT("m_getcl+m_freem/acct_on", bench_mgetcl_pair,
		MBUF_BENCH_BUDGET, ACCT_ON),
	OP_ACCT("ring:m_get+m_free/acct_off", bench_mget_ring,
		MBUF_BENCH_RING, ACCT_OFF),
	OP_ACCT("ring:m_get+m_free/acct_on", bench_mget_ring,
		MBUF_BENCH_RING, ACCT_ON),
	OP_ACCT("ring:m_getcl+m_freem/acct_off", bench_mgetcl_ring,
		MBUF_BENCH_RING, ACCT_OFF),
	OP_ACCT("ring:m_getcl+m_freem/acct_on", bench_mgetcl_ring,
		MBUF_BENCH_RING, ACCT_ON),
	OP_ACCT("m_getjcl_9k+m_freem/acct_off", bench_j9_pair,
		MBUF_BENCH_BUDGET, ACCT_OFF),
	OP_ACCT("m_getjcl_9k+m_freem/acct_on", bench_j9_pair,
		MBUF_BENCH_BUDGET, ACCT_ON),
};

static const struct mbuf_bench_cmp mbuf_bench_acct_cmps[] = {
	{ "m_get+m_free/acct_on", "m_get+m_free/acct_off", 1100 },
	{ "m_getcl+m_freem/acct_on", "m_getcl+m_freem/acct_off", 1100 },
	{ "ring:m_get+m_free/acct_on", "ring:m_get+m_free/acct_off", 1100 },
	{ "ring:m_getcl+m_freem/acct_on", "ring:m_getcl+m_freem/acct_off",
	  1100 },
	{ "m_getjcl_9k+m_freem/acct_on", "m_getjcl_9k+m_freem/acct_off",
	  1100 },
};

static const struct mbuf_bench_op mbuf_bench_chain_ops[] = {
	OP_PAIR("m_defrag_16mbufs", defrag16),
	OP_PAIR("skb_linearize_16frags", linearize16),
	OP_PAIR("build:16mbufs+m_freem", chain16_build),
	OP_PAIR("build:16frags+kfree_skb", skb16_build),
	OP_PAIR("m_pullup_54", pullup54),
	OP_PAIR("pskb_may_pull_54", maypull54),
	OP_PAIR("build:hdr+cluster+m_freem", rxhdr_build),
	OP_PAIR("build:hdr+frag+kfree_skb", rxskb_build),
};

/*
 * Targets. m_defrag() allocates one cluster from a magazine where
 * skb_linearize() kmallocs a new 2 KiB head, and the chain is 16 mbufs
 * from magazines where the skb is one skb and 15 page references; both
 * copy the same 1504 bytes, which bounds the gain: the target is parity
 * or better (<= 1.00). m_pullup(54) moves 40..60 bytes into the first
 * mbuf without allocating, as pskb_may_pull() does into the head's
 * tailroom, and the packet it starts from is two magazine items where the
 * skb is an skb, a kmalloc'd head and a page reference: <= 0.70, the
 * allocation advantage the cluster benchmarks show (0.2 - 0.4) diluted by
 * the copy and the pullup logic both sides share.
 */
static const struct mbuf_bench_cmp mbuf_bench_chain_cmps[] = {
	{ "m_defrag_16mbufs", "skb_linearize_16frags", 1000 },
	{ "build:16mbufs+m_freem", "build:16frags+kfree_skb", 0 },
	{ "m_pullup_54", "pskb_may_pull_54", 700 },
	{ "build:hdr+cluster+m_freem", "build:hdr+frag+kfree_skb", 0 },
};

/* The sk_buff bridge against the copies other layers make. */
static const struct mbuf_bench_op mbuf_bench_bridge_ops[] = {
	OP_PAIR_BH("mbuf_to_skb_1500_2k@bh", rx2k),
	OP_PAIR_BH("m_getcl+napi_alloc_skb+copy_1500@bh", copy2k),
	OP_PAIR_BH("mbuf_to_skb_9000_9k@bh", rx9k),
	OP_PAIR_BH("m_getjcl+napi_alloc_skb+copy_9000@bh", copy9k),
	OP_PAIR("skb_to_mbuf_64k_tso+m_freem", tx64k),
	OP_PAIR("m_getm2+skb_copy_bits_64k+m_freem", txcopy),
	OP_PAIR_BH("floor:m_getcl+napi_build_skb_1500+m_freem@bh", floor2k),
};

static const struct mbuf_bench_cmp mbuf_bench_bridge_cmps[] = {
	{ "mbuf_to_skb_1500_2k@bh", "m_getcl+napi_alloc_skb+copy_1500@bh",
	  500 },
	{ "mbuf_to_skb_9000_9k@bh", "m_getjcl+napi_alloc_skb+copy_9000@bh",
	  200 },
	{ "skb_to_mbuf_64k_tso+m_freem", "m_getm2+skb_copy_bits_64k+m_freem",
	  200 },
	{ "floor:m_getcl+napi_build_skb_1500+m_freem@bh",
	  "m_getcl+napi_alloc_skb+copy_1500@bh", 0 },
};

static const struct mbuf_bench_group mbuf_bench_groups[] = {
	{
		.ops = mbuf_bench_mbuf_ops,
		.nops = ARRAY_SIZE(mbuf_bench_mbuf_ops),
		.cmps = mbuf_bench_mbuf_cmps,
		.ncmps = ARRAY_SIZE(mbuf_bench_mbuf_cmps),
	},
	{
		.ops = mbuf_bench_cluster_ops,
		.nops = ARRAY_SIZE(mbuf_bench_cluster_ops),
		.cmps = mbuf_bench_cluster_cmps,
		.ncmps = ARRAY_SIZE(mbuf_bench_cluster_cmps),
	},
	{
		.ops = mbuf_bench_ring_ops,
		.nops = ARRAY_SIZE(mbuf_bench_ring_ops),
		.cmps = mbuf_bench_ring_cmps,
		.ncmps = ARRAY_SIZE(mbuf_bench_ring_cmps),
	},
	{
		.ops = mbuf_bench_jumbo_ops,
		.nops = ARRAY_SIZE(mbuf_bench_jumbo_ops),
		.cmps = mbuf_bench_jumbo_cmps,
		.ncmps = ARRAY_SIZE(mbuf_bench_jumbo_cmps),
	},
	{
		.ops = mbuf_bench_acct_ops,
		.nops = ARRAY_SIZE(mbuf_bench_acct_ops),
		.cmps = mbuf_bench_acct_cmps,
		.ncmps = ARRAY_SIZE(mbuf_bench_acct_cmps),
	},
	{
		.ops = mbuf_bench_chain_ops,
		.nops = ARRAY_SIZE(mbuf_bench_chain_ops),
		.cmps = mbuf_bench_chain_cmps,
		.ncmps = ARRAY_SIZE(mbuf_bench_chain_cmps),
	},
	{
		.ops = mbuf_bench_bridge_ops,
		.nops = ARRAY_SIZE(mbuf_bench_bridge_ops),
		.cmps = mbuf_bench_bridge_cmps,
		.ncmps = ARRAY_SIZE(mbuf_bench_bridge_cmps),
	},
};

enum {
	BENCH_MBUF, BENCH_CLUSTER, BENCH_RING, BENCH_JUMBO, BENCH_ACCT,
	BENCH_CHAIN,
	BENCH_BRIDGE,
};

static unsigned int mbuf_bench_nruns(void)
{
	return clamp(mbuf_bench_runs, MBUF_BENCH_RUNS_MIN, MBUF_BENCH_RUNS_MAX);
}

/* Operations per timed run: bench_iters rounded up to whole slices. */
static unsigned long mbuf_bench_nops(void)
{
	return roundup((unsigned long)max(mbuf_bench_iters, 1U),
		       MBUF_BENCH_SLICE);
}

/* Picoseconds as nanoseconds with two decimals: "12.34". */
struct mbuf_bench_ns {
	char s[24];
};

static const char *mbuf_bench_ns(struct mbuf_bench_ns *buf, u64 ps)
{
	snprintf(buf->s, sizeof(buf->s), "%llu.%02llu",
		 div_u64(ps, MBUF_BENCH_PS_PER_NS),
		 div_u64(ps % MBUF_BENCH_PS_PER_NS, 10));
	return buf->s;
}

static void mbuf_bench_set_acct(enum mbuf_bench_acct acct)
{
	if (acct != ACCT_ANY)
		mbuf_zone_set_accounting(acct == ACCT_ON);
}

static unsigned long mbuf_bench_call(struct mbuf_bench_ctx *c,
				     const struct mbuf_bench_op *op,
				     unsigned long n)
{
	unsigned long done, fails = 0;

	for (done = 0; done < n; done += op->chunk) {
		if (op->bh) {
			local_bh_disable();
			fails += op->fn(c, op->chunk);
			local_bh_enable();
		} else {
			fails += op->fn(c, op->chunk);
		}
	}
	return fails;
}

static int mbuf_bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

struct mbuf_bench_run {
	u64 ps;			/* per operation, outlier slices replaced */
	u64 raw_ps;		/* per operation, as the clock saw it */
	unsigned long replaced;	/* slices counted at the median */
};

/* One slice of @op, timed. */
static u64 mbuf_bench_slice(struct mbuf_bench_ctx *c,
			    const struct mbuf_bench_op *op, unsigned long *fails)
{
	u64 t0;

	mbuf_bench_set_acct(op->acct);
	t0 = ktime_get_ns();
	*fails += mbuf_bench_call(c, op, MBUF_BENCH_SLICE);
	return ktime_get_ns() - t0;
}

/* A run of @nslices slices (@slice_ns), counted as described above. */
static void mbuf_bench_run_time(struct mbuf_bench_ctx *c, const u64 *slice_ns,
				unsigned long nslices,
				struct mbuf_bench_run *run)
{
	unsigned long s, n = nslices * MBUF_BENCH_SLICE;
	u64 med, total = 0, raw = 0;

	memcpy(c->slice_sorted, slice_ns, nslices * sizeof(u64));
	sort(c->slice_sorted, nslices, sizeof(u64), mbuf_bench_cmp_u64, NULL);
	med = c->slice_sorted[nslices / 2];
	run->replaced = 0;
	for (s = 0; s < nslices; s++) {
		raw += slice_ns[s];
		if (slice_ns[s] > med * MBUF_BENCH_OUTLIER) {
			total += med;
			run->replaced++;
		} else {
			total += slice_ns[s];
		}
	}
	run->ps = div64_u64(total * MBUF_BENCH_PS_PER_NS, n);
	run->raw_ps = div64_u64(raw * MBUF_BENCH_PS_PER_NS, n);
}

static void mbuf_bench_summarise(struct mbuf_bench_result *res,
				 unsigned int runs)
{
	u64 sorted[MBUF_BENCH_RUNS_MAX];

	memcpy(sorted, res->ps, runs * sizeof(sorted[0]));
	sort(sorted, runs, sizeof(sorted[0]), mbuf_bench_cmp_u64, NULL);
	res->min = sorted[0];
	res->max = sorted[runs - 1];
	if (runs & 1)
		res->median = sorted[runs / 2];
	else
		res->median = (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
}

static const struct mbuf_bench_result *
mbuf_bench_find(const struct mbuf_bench_group *g,
		const struct mbuf_bench_result *res, const char *name)
{
	unsigned int i;

	for (i = 0; i < g->nops; i++)
		if (!strcmp(g->ops[i].name, name))
			return res[i].done ? &res[i] : NULL;
	return NULL;
}

static void mbuf_bench_compare(struct kunit *test,
			       const struct mbuf_bench_group *g,
			       const struct mbuf_bench_result *res)
{
	const struct mbuf_bench_result *ours, *theirs;
	const struct mbuf_bench_cmp *cmp;
	char target[16];
	u64 ratio;

	for (cmp = g->cmps; cmp < g->cmps + g->ncmps; cmp++) {
		if (cmp->target_milli)
			snprintf(target, sizeof(target), "<=%u.%02u",
				 cmp->target_milli / 1000,
				 cmp->target_milli % 1000 / 10);
		else
			strscpy(target, "-", sizeof(target));
		ours = mbuf_bench_find(g, res, cmp->ours);
		theirs = mbuf_bench_find(g, res, cmp->theirs);
		if (!ours || !theirs || !theirs->median) {
			pr_info("mbuf_bench: cmp ours=%s theirs=%s ratio=n/a target=%s verdict=n/a\n",
				cmp->ours, cmp->theirs, target);
			continue;
		}
		ratio = div64_u64(ours->median * 1000 + theirs->median / 2,
				  theirs->median);
		pr_info("mbuf_bench: cmp ours=%s theirs=%s ratio=%llu.%03llu target=%s verdict=%s\n",
			cmp->ours, cmp->theirs, div_u64(ratio, 1000), ratio % 1000,
			target, !cmp->target_milli ? "-" :
			ratio <= cmp->target_milli ? "PASS" : "MISS");
	}
}

/* In-use counts of every zone, to check that a benchmark gave all back. */
static void mbuf_bench_in_use(long in_use[MBZ_NALL])
{
	struct mbuf_zone_stats st;
	int z;

	for (z = 0; z < MBZ_NALL; z++) {
		mbuf_zone_get_stats(&mbuf_zones[z], &st);
		in_use[z] = st.in_use;
	}
}

static void mbuf_bench_check_in_use(struct kunit *test,
				    const long before[MBZ_NALL])
{
	long after[MBZ_NALL];
	int z;

	/* Clusters lent to skbs the stack has freed go back first. */
	mbuf_skb_lent();
	mbuf_bench_in_use(after);
	for (z = 0; z < MBZ_NALL; z++)
		KUNIT_EXPECT_EQ_MSG(test, after[z], before[z],
				    "zone %s: in use %ld, was %ld",
				    mbuf_zones[z].name, after[z], before[z]);
}

/*
 * Run a group. A run of every operation is @nslices slices; the slices of
 * all operations are interleaved, the order rotating from slice to slice,
 * so whatever else the host does at a given moment hits A and B alike.
 */
static void mbuf_bench_group_run(struct kunit *test, unsigned int gi)
{
	const struct mbuf_bench_group *g = &mbuf_bench_groups[gi];
	unsigned int runs = mbuf_bench_nruns(), r, k, i;
	unsigned long n = mbuf_bench_nops(), s, nslices;
	struct mbuf_bench_ns t, t_min, t_max;
	const struct mbuf_bench_op *op;
	struct mbuf_bench_result *res;
	struct mbuf_bench_run run;
	long in_use[MBZ_NALL];
	u64 *slice_ns;

	nslices = n / MBUF_BENCH_SLICE;
	res = kunit_kcalloc(test, g->nops, sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	slice_ns = kunit_kmalloc_array(test, g->nops * nslices, sizeof(u64),
				       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slice_ns);
	mbuf_bench.slice_sorted = kunit_kmalloc_array(test, nslices,
						      sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mbuf_bench.slice_sorted);
	mbuf_bench_in_use(in_use);

	/* Warm-up: fill the caches each allocator keeps, untimed. */
	for (i = 0; i < g->nops; i++) {
		op = &g->ops[i];
		if (!op->fn) {
			pr_info("mbuf_bench: op=%s n/a (%s)\n", op->name,
				op->missing);
			continue;
		}
		mbuf_bench_set_acct(op->acct);
		res[i].fails += mbuf_bench_call(&mbuf_bench, op,
						roundup(n / 4, MBUF_BENCH_SLICE));
	}

	for (r = 0; r < runs; r++) {
		for (s = 0; s < nslices; s++) {
			for (k = 0; k < g->nops; k++) {
				i = (k + s + r) % g->nops;
				op = &g->ops[i];
				if (op->fn)
					slice_ns[i * nslices + s] =
						mbuf_bench_slice(&mbuf_bench, op,
								 &res[i].fails);
			}
			cond_resched();
		}
		for (i = 0; i < g->nops; i++) {
			op = &g->ops[i];
			if (!op->fn)
				continue;
			mbuf_bench_run_time(&mbuf_bench, &slice_ns[i * nslices],
					    nslices, &run);
			res[i].ps[r] = run.ps;
			pr_info("mbuf_bench: op=%s run=%u ns_per_op=%s raw=%s replaced=%lu/%lu\n",
				op->name, r, mbuf_bench_ns(&t, run.ps),
				mbuf_bench_ns(&t_min, run.raw_ps), run.replaced,
				nslices);
		}
	}
	mbuf_bench_set_acct(ACCT_ON);

	for (i = 0; i < g->nops; i++) {
		op = &g->ops[i];
		if (!op->fn)
			continue;
		mbuf_bench_summarise(&res[i], runs);
		res[i].done = true;
		pr_info("mbuf_bench: op=%s median=%s min=%s max=%s runs=%u iters=%lu\n",
			op->name, mbuf_bench_ns(&t, res[i].median),
			mbuf_bench_ns(&t_min, res[i].min),
			mbuf_bench_ns(&t_max, res[i].max), runs, n);
		KUNIT_EXPECT_EQ_MSG(test, res[i].fails, 0UL,
				    "%s: %lu allocations failed", op->name,
				    res[i].fails);
		KUNIT_EXPECT_GT_MSG(test, res[i].min, 0ULL,
				    "%s: a run took no time", op->name);
	}
	mbuf_bench_compare(test, g, res);
	mbuf_bench_check_in_use(test, in_use);
}

static void mbuf_bench_mbuf(struct kunit *test)
{
	mbuf_bench_group_run(test, BENCH_MBUF);
}

static void mbuf_bench_cluster(struct kunit *test)
{
	mbuf_bench_group_run(test, BENCH_CLUSTER);
}

static void mbuf_bench_ring(struct kunit *test)
{
	mbuf_bench_group_run(test, BENCH_RING);
}

static void mbuf_bench_jumbo(struct kunit *test)
{
	mbuf_bench_group_run(test, BENCH_JUMBO);
}

static void mbuf_bench_accounting(struct kunit *test)
{
	mbuf_bench_group_run(test, BENCH_ACCT);
}

static void mbuf_bench_chain(struct kunit *test)
{
	mbuf_bench_group_run(test, BENCH_CHAIN);
}

static void mbuf_bench_bridge(struct kunit *test)
{
	mbuf_bench_group_run(test, BENCH_BRIDGE);
	/* What the stack held went back with the skbs. */
	KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 0UL);
}

/* 9 KiB clusters must use at least 84 % of the memory behind them. */
#define MBUF_BENCH_J9_EFFICIENCY_PCT	84
/*
 * 2 KiB clusters: the target is 100 %; what a block's descriptor costs
 * (a few dozen bytes per 32 KiB) may take off at most half a per cent.
 */
#define MBUF_BENCH_CL_EFFICIENCY_PERMILLE	995

struct mbuf_bench_mem {
	unsigned long items, usable, backing;
	size_t stride;			/* slab zones: bytes an item occupies */
	unsigned int order, per_block;	/* jumbo zones: their blocks */
};

/*
 * The memory behind @zone, @item being one of its live items. Jumbo zones
 * account for their blocks themselves (mbuf_zone_mem_info()). For the slab
 * zones, what an object really occupies is measured with ksize(): SLUB's
 * stride, which includes the free pointer it keeps outside an object of a
 * cache with a constructor and the padding to the cache's alignment. A
 * packet is an mbuf and a cluster, so it costs both strides.
 */
static void mbuf_bench_mem_measure(uma_zone_t zone, void *item,
				   struct mbuf_bench_mem *r)
{
	struct mbuf_zone_stats st;
	struct mbuf_zone_mem mem;
	struct mbuf *m = item;

	memset(r, 0, sizeof(*r));
	mbuf_zone_mem_info(zone, &mem);
	switch (zone->id) {
	case MBZ_MBUF:
		r->stride = ksize(item);
		r->items = mem.items;
		r->usable = mem.usable_bytes;
		r->backing = max(mem.backing_bytes, mem.items * r->stride);
		break;
	case MBZ_PACK:
		/* an mbuf's stride and a cluster's share of its blocks */
		mbuf_zone_get_stats(zone, &st);
		mbuf_zone_mem_info(zone_clust, &mem);
		r->stride = ksize(m) + (mem.items ? DIV_ROUND_UP(mem.backing_bytes,
								 mem.items) :
					MCLBYTES);
		r->items = st.in_use + st.cached;
		r->usable = r->items * (MSIZE + MCLBYTES);
		r->backing = r->items * r->stride;
		break;
	default:
		r->items = mem.items;
		r->usable = mem.usable_bytes;
		r->backing = mem.backing_bytes;
		r->order = mem.pref_order;
		r->per_block = mem.pref_items;
		break;
	}
}

/*
 * Memory: backing bytes per usable byte of every zone, measured with a
 * ring's worth of items allocated so that each zone has live backing
 * memory. mbufs and packets are made by their constructors from an mb_args
 * as m_get() and m_getcl() make them; clusters are allocated bare.
 */
static void mbuf_bench_memory(struct kunit *test)
{
	struct mb_args args = { .flags = M_PKTHDR, .type = MT_DATA };
	long in_use[MBZ_NALL];
	struct mbuf_bench_mem r;
	u64 per_usable, eff;
	int z, i;

	mbuf_bench_in_use(in_use);
	for (z = 0; z < MBZ_NZONES; z++) {
		uma_zone_t zone = &mbuf_zones[z];
		void *arg = z == MBZ_MBUF || z == MBZ_PACK ? &args : NULL;
		bool j9 = z == MBZ_JUMBO9, cl = z == MBZ_CLUST;

		for (i = 0; i < MBUF_BENCH_RING; i++) {
			mbuf_bench.ring[i] = uma_zalloc_arg(zone, arg, M_NOWAIT);
			KUNIT_EXPECT_NOT_NULL(test, mbuf_bench.ring[i]);
		}
		if (mbuf_bench.ring[0])
			mbuf_bench_mem_measure(zone, mbuf_bench.ring[0], &r);
		for (i = 0; i < MBUF_BENCH_RING; i++)
			if (mbuf_bench.ring[i])
				uma_zfree(zone, mbuf_bench.ring[i]);
		if (!mbuf_bench.ring[0])
			continue;

		KUNIT_EXPECT_GE_MSG(test, r.items, (unsigned long)MBUF_BENCH_RING,
				    "zone %s", zone->name);
		KUNIT_EXPECT_GE_MSG(test, r.backing, r.usable, "zone %s",
				    zone->name);
		if (!r.usable || !r.backing)
			continue;
		per_usable = div64_u64((u64)r.backing * 1000 + r.usable / 2,
				       r.usable);
		eff = div64_u64((u64)r.usable * 1000 + r.backing / 2, r.backing);
		pr_info("mbuf_bench: mem zone=%s item=%u items=%lu usable=%lu backing=%lu per_usable=%llu.%03llu efficiency=%llu.%llu%% stride=%zu order=%u per_block=%u target=%s verdict=%s\n",
			zone->name, zone->size, r.items, r.usable, r.backing,
			div_u64(per_usable, 1000), per_usable % 1000,
			div_u64(eff, 10), eff % 10, r.stride, r.order,
			r.per_block, j9 ? ">=84%" : cl ? "100%" : "-",
			j9 ? (eff >= MBUF_BENCH_J9_EFFICIENCY_PCT * 10 ?
			      "PASS" : "MISS") :
			cl ? (eff >= MBUF_BENCH_CL_EFFICIENCY_PERMILLE ?
			      "PASS" : "MISS") : "-");
	}
	mbuf_bench_check_in_use(test, in_use);
}

/* A TCP/IPv4 TSO skb of 64 KiB: headers linear, the payload in pages. */
static struct sk_buff *mbuf_bench_gso_skb(void)
{
	struct sk_buff *skb = alloc_skb(MBUF_BENCH_GSO_HDR + NET_SKB_PAD,
					GFP_KERNEL);
	int i, left = MBUF_BENCH_GSO_LEN - MBUF_BENCH_GSO_HDR;
	struct iphdr *ip;
	struct tcphdr *th;
	struct page *pg;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	memset(skb_put(skb, MBUF_BENCH_GSO_HDR), 0, MBUF_BENCH_GSO_HDR);
	skb_reset_mac_header(skb);
	eth_hdr(skb)->h_proto = htons(ETH_P_IP);
	skb_set_network_header(skb, ETH_HLEN);
	ip = ip_hdr(skb);
	ip->version = 4;
	ip->ihl = 5;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = htonl(0xc6120001);
	ip->daddr = htonl(0xc6120002);
	skb_set_transport_header(skb, ETH_HLEN + 20);
	th = tcp_hdr(skb);
	th->doff = 5;
	for (i = 0; left > 0 && i < MAX_SKB_FRAGS; i++) {
		int n = min_t(int, left, PAGE_SIZE);

		pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pg) {
			kfree_skb(skb);
			return NULL;
		}
		skb_fill_page_desc(skb, i, pg, 0, n);
		skb->len += n;
		skb->data_len += n;
		skb->truesize += PAGE_SIZE;
		left -= n;
	}
	skb_partial_csum_set(skb, ETH_HLEN + 20, offsetof(struct tcphdr, check));
	skb_shinfo(skb)->gso_size = 1448;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	return skb;
}

static void mbuf_bench_suite_exit(struct kunit_suite *suite)
{
	struct mbuf_bench_ctx *c = &mbuf_bench;

	kfree_skb(c->gso_skb);
	c->gso_skb = NULL;

	mbuf_bench_pools_destroy(c);
	if (c->frag_page)
		put_page(c->frag_page);
	c->frag_page = NULL;
	kmem_cache_destroy(c->cache_clust);
	kmem_cache_destroy(c->cache_mbuf);
	c->cache_clust = NULL;
	c->cache_mbuf = NULL;
}

static int mbuf_bench_suite_init(struct kunit_suite *suite)
{
	struct mbuf_bench_ctx *c = &mbuf_bench;

	c->cache_mbuf = kmem_cache_create("mbuf_bench_256", MSIZE, MSIZE,
					  MBUF_BENCH_SLAB_FLAGS, NULL);
	c->cache_clust = kmem_cache_create("mbuf_bench_2048", MCLBYTES,
					   MCLBYTES, MBUF_BENCH_SLAB_FLAGS,
					   NULL);
	c->frag_page = alloc_page(GFP_KERNEL);
	if (!c->cache_mbuf || !c->cache_clust || !c->frag_page)
		goto fail;
	if (mbuf_bench_pools_create(c))
		goto fail;
	c->gso_skb = mbuf_bench_gso_skb();
	if (!c->gso_skb)
		goto fail;
	return 0;

fail:
	mbuf_bench_suite_exit(suite);
	return -ENOMEM;
}

static struct kunit_case mbuf_bench_cases[] = {
	KUNIT_CASE(mbuf_bench_mbuf),
	KUNIT_CASE(mbuf_bench_cluster),
	KUNIT_CASE(mbuf_bench_ring),
	KUNIT_CASE(mbuf_bench_jumbo),
	KUNIT_CASE(mbuf_bench_accounting),
	KUNIT_CASE(mbuf_bench_chain),
	KUNIT_CASE(mbuf_bench_bridge),
	KUNIT_CASE(mbuf_bench_memory),
	{}
};

static struct kunit_suite mbuf_bench_suite = {
	.name = "mbuf_bench",
	.suite_init = mbuf_bench_suite_init,
	.suite_exit = mbuf_bench_suite_exit,
	.test_cases = mbuf_bench_cases,
};

kunit_test_suite(mbuf_bench_suite);
