// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Page-backed clusters: the 2 KiB, page-sized, 9 KiB and 16 KiB buffers,
 * from the page allocator.
 *
 * A cluster must be one DMA segment and must be lendable to an sk_buff
 * (skb.c), so it is physically contiguous page memory, never slab memory
 * or vmalloc: buffers are carved from blocks of 2^order pages. Jumbo
 * blocks are compound pages (one reference count for the block; a buffer
 * becomes an skb fragment as page = the page it starts in, offset within
 * it). 2 KiB blocks are split into independent pages (split_page()), two
 * MCLBYTES-aligned clusters in each, as FreeBSD places them, so each page
 * has a reference count of its own and a cluster never crosses a page.
 *
 *   block (order 4 on 4 KiB pages, the 9 KiB zone):
 *   +--------+--------+--------+--------+--------+--------+--------+----+
 *   | buf 0  | buf 1  | buf 2  | buf 3  | buf 4  | buf 5  | buf 6  |1KiB|
 *   +--------+--------+--------+--------+--------+--------+--------+----+
 *    ^ head page: page->private -> struct mbuf_jumbo_block
 *
 *   block (order 3, the 2 KiB zone): 8 pages, each page->private -> block
 *   | c0 | c1 | c2 | c3 | ...                              | c14 | c15 |
 *   |  page 0  |  page 1  |  ...                          |  page 7   |
 *
 * Each block has a descriptor from a kmem_cache named after the zone
 * ("mbuf_cluster", "mbuf_jumbo_9k", ...), so every zone shows in
 * /proc/slabinfo: which buffers are free (a bitmap), the block's order and
 * buffer count, and its place on the zone's "partial" (some buffer free)
 * or "full" list. A buffer finds its block through its page's private
 * field (the compound head's for jumbo blocks). A block whose buffers are
 * all back is returned to the page allocator at once (__free_pages(),
 * which only drops our reference if the stack still holds the page); the
 * per-CPU magazines in front absorb the churn. New 2 KiB blocks are
 * zeroed, so no stale memory goes out on the wire as frame padding.
 *
 * Layout. The smallest order that wastes at most a fifth of a block is the
 * fallback; if one order more is nearly perfect (>= 95 %), that is tried
 * first, opportunistically, without reclaim, as SLUB does for its slabs.
 * The 2 KiB zone prefers order 3 (one descriptor per 16 clusters) and
 * falls back to single pages. On 4 KiB pages:
 *   2 KiB: order 3, 16 buffers, 99.9 %; fallback order 0, 2 buffers, 98.8 %
 *   page:  order 0, 1 buffer, 100 %
 *   9k:    order 4, 7 buffers, 98.4 %; fallback order 3, 3 buffers, 84.4 %
 *   16k:   order 2, 1 buffer, 100 %
 * (descriptors, a few dozen bytes a block, included in the percentages).
 * mbuf_zone_mem_info() reports what the blocks actually held cost.
 *
 * Page-allocator memory is invisible to kmemleak, so every buffer handed
 * out of a block is registered with it (and unregistered when it comes
 * back): a leaked cluster is reported like a leaked slab object. With
 * generic KASAN, a buffer cached by its zone is poisoned (the zone's
 * poison/unpoison hooks), so touching it is reported. A free of memory
 * that is not a buffer of the zone's blocks (a slab object, a foreign
 * page, a buffer of another zone, a double free) is refused with a log
 * line and counted, never followed.
 */
#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "internal.h"

struct mbuf_jumbo;

struct mbuf_jumbo_block {
	struct list_head link;		/* on partial or full */
	struct page *page;		/* first page of the block */
	struct mbuf_jumbo *owner;	/* the zone backend it belongs to */
	unsigned long free;		/* bit i set: buffer i is free */
	unsigned int order, nbuf;
};

struct mbuf_jumbo {
	spinlock_t lock;		/* the lists, the bitmaps, the totals */
	struct list_head partial;	/* blocks with a free buffer */
	struct list_head full;		/* blocks with every buffer out */
	struct kmem_cache *desc_cache;
	unsigned int size;
	bool split;			/* blocks of single pages (2 KiB zone) */
	unsigned int desc_bytes;	/* what a descriptor really takes */
	unsigned int pref_order, pref_nbuf;
	unsigned int min_order, min_nbuf;
	/* totals over the blocks held, under lock */
	unsigned long blocks, items, backing;
};

static struct mbuf_jumbo mbuf_jumbos[MBZ_NZONES];
/* frees of memory that is not a free-able buffer of the zone */
static atomic_long_t mbuf_jumbo_bad;

static unsigned int mbuf_jumbo_per_block(unsigned int size, unsigned int order)
{
	return min_t(unsigned long, (PAGE_SIZE << order) / size, BITS_PER_LONG);
}

/* Do the buffers of a block of @order fill at least num/den of it? */
static bool mbuf_jumbo_uses(unsigned int size, unsigned int order,
			    unsigned int num, unsigned int den)
{
	return (u64)mbuf_jumbo_per_block(size, order) * size * den >=
	       (u64)(PAGE_SIZE << order) * num;
}

static void mbuf_jumbo_layout(struct mbuf_jumbo *j)
{
	unsigned int o = get_order(j->size), top = o + 2;

	if (j->split) {
		/* Whole pages of buffers; the bigger block saves descriptors. */
		j->min_order = 0;
		j->pref_order = PAGE_ALLOC_COSTLY_ORDER;
		j->min_nbuf = mbuf_jumbo_per_block(j->size, 0);
		j->pref_nbuf = mbuf_jumbo_per_block(j->size, j->pref_order);
		return;
	}

	while (o < top && !mbuf_jumbo_uses(j->size, o, 4, 5))
		o++;
	j->min_order = o;
	j->pref_order = o;
	if (!mbuf_jumbo_uses(j->size, o, 19, 20) &&
	    mbuf_jumbo_uses(j->size, o + 1, 19, 20) &&
	    o + 1 <= PAGE_ALLOC_COSTLY_ORDER + 1)
		j->pref_order = o + 1;
	j->min_nbuf = mbuf_jumbo_per_block(j->size, j->min_order);
	j->pref_nbuf = mbuf_jumbo_per_block(j->size, j->pref_order);
}

/* The invariant of a free descriptor: unlinked, no block. */
static void mbuf_jumbo_desc_init(void *obj)
{
	struct mbuf_jumbo_block *b = obj;

	INIT_LIST_HEAD(&b->link);
	b->page = NULL;
	b->free = 0;
}

static unsigned long mbuf_jumbo_block_bytes(struct mbuf_jumbo *j,
					    struct mbuf_jumbo_block *b)
{
	return (PAGE_SIZE << b->order) + j->desc_bytes;
}

/* Every page of a split block points at it; a compound head does. */
static void mbuf_jumbo_set_private(struct mbuf_jumbo *j,
				   struct mbuf_jumbo_block *b,
				   unsigned long val)
{
	unsigned int i, n = j->split ? 1U << b->order : 1;

	for (i = 0; i < n; i++)
		set_page_private(b->page + i, val);
}

static struct page *mbuf_jumbo_pages(struct mbuf_jumbo *j, gfp_t gfp,
				     unsigned int order)
{
	struct page *page;

	if (!j->split)
		return alloc_pages(gfp | __GFP_COMP, order);
	page = alloc_pages(gfp | __GFP_ZERO, order);
	if (page && order)
		split_page(page, order);
	return page;
}

static struct mbuf_jumbo_block *mbuf_jumbo_block_new(struct mbuf_jumbo *j,
						     gfp_t gfp)
{
	struct mbuf_jumbo_block *b;
	struct page *page = NULL;
	unsigned int order = j->pref_order;

	b = kmem_cache_alloc(j->desc_cache, gfp);
	if (!b)
		return NULL;
	mbuf_jumbo_desc_init(b);
	if (order != j->min_order)
		page = mbuf_jumbo_pages(j, (gfp | __GFP_NOWARN | __GFP_NORETRY |
					    __GFP_NOMEMALLOC) & ~__GFP_RECLAIM,
					order);
	if (!page) {
		order = j->min_order;
		page = mbuf_jumbo_pages(j, gfp, order);
	}
	if (!page) {
		kmem_cache_free(j->desc_cache, b);
		return NULL;
	}
	b->page = page;
	b->owner = j;
	b->order = order;
	b->nbuf = mbuf_jumbo_per_block(j->size, order);
	b->free = GENMASK(b->nbuf - 1, 0);
	mbuf_jumbo_set_private(j, b, (unsigned long)b);
	return b;
}

static void mbuf_jumbo_block_free(struct mbuf_jumbo *j,
				  struct mbuf_jumbo_block *b)
{
	unsigned int i;

	mbuf_jumbo_set_private(j, b, 0);
	/* Pages the stack still references are freed by its put_page(). */
	if (j->split)
		for (i = 0; i < 1U << b->order; i++)
			__free_pages(b->page + i, 0);
	else
		__free_pages(b->page, b->order);
	list_del_init(&b->link);
	b->page = NULL;
	b->owner = NULL;
	b->free = 0;
	kmem_cache_free(j->desc_cache, b);
}

/*
 * The block holding @item if @item is the start of a buffer of @j's
 * blocks, else NULL. Looks at nothing it has not checked first: @item may
 * be anything a confused caller frees (a slab object, another zone's
 * buffer, a page of someone else's). Its page must not be a slab page,
 * and the descriptor pointer found there must point into slab memory
 * (where our descriptors live: always mapped, so reading it cannot
 * fault) and name this zone before the rest of it is believed. Caller
 * holds the lock or the buffer (either keeps the block alive).
 */
static struct mbuf_jumbo_block *mbuf_jumbo_block_of(struct mbuf_jumbo *j,
						    const void *item,
						    unsigned int *idxp)
{
	struct mbuf_jumbo_block *b;
	struct page *page, *head;
	unsigned long off;

	if (!item || !virt_addr_valid(item))
		return NULL;
	page = virt_to_page(item);
	head = j->split ? page : compound_head(page);
	if (PageSlab(head))
		return NULL;
	b = (struct mbuf_jumbo_block *)page_private(head);
	if (!b || !IS_ALIGNED((unsigned long)b, sizeof(void *)) ||
	    !virt_addr_valid(b) || !PageSlab(virt_to_head_page(b)) ||
	    READ_ONCE(b->owner) != j)
		return NULL;
	if (page < b->page || page >= b->page + (1UL << b->order))
		return NULL;
	off = (const char *)item - (const char *)page_address(b->page);
	if (off % j->size || off / j->size >= b->nbuf)
		return NULL;
	*idxp = off / j->size;
	return b;
}

/**
 * mbuf_pageblock_owns() - is @buf a cluster of @zone's page-backed blocks?
 * @zone: a cluster zone (2 KiB or jumbo)
 * @buf: the start of a buffer, allocated from @zone by the caller
 *
 * The bridge lends only such buffers to the stack: their pages are ours
 * and stay ours while the buffer is allocated. Any context.
 *
 * Return: true if it is.
 */
bool mbuf_pageblock_owns(uma_zone_t zone, const void *buf)
{
	struct mbuf_jumbo *j = READ_ONCE(zone->backend);
	unsigned int idx;

	if (zone->ops != &mbuf_jumbo_ops || !j)
		return false;
	return !!mbuf_jumbo_block_of(j, buf, &idx);
}

/**
 * mbuf_pageblock_bad_frees() - refused frees since load, for the tests
 *
 * Return: how many frees of memory that was not an allocated buffer of
 * the zone (slab memory, a foreign page, a double free) were refused.
 */
unsigned long mbuf_pageblock_bad_frees(void)
{
	return atomic_long_read(&mbuf_jumbo_bad);
}

/* Take up to @n buffers from block @b; caller holds the lock. */
static int mbuf_jumbo_take(struct mbuf_jumbo *j, struct mbuf_jumbo_block *b,
			   void **items, int n)
{
	char *base = page_address(b->page);
	unsigned int idx;
	int got = 0;

	while (got < n && b->free) {
		idx = __ffs(b->free);
		b->free &= ~BIT(idx);
		items[got] = base + idx * j->size;
		/* Page memory is not tracked: kmemleak must see the buffer. */
		kmemleak_alloc(items[got], j->size, 1, GFP_ATOMIC);
		/*
		 * A buffer holds packet bytes, never pointers that own
		 * memory: scanning it would only let stale bytes of a freed
		 * buffer hide a leak.
		 */
		kmemleak_no_scan(items[got]);
		got++;
	}
	if (!b->free)
		list_move(&b->link, &j->full);
	return got;
}

static int mbuf_jumbo_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	struct mbuf_jumbo *j = zone->backend;
	struct mbuf_jumbo_block *b;
	unsigned long flags;
	int got = 0;

	spin_lock_irqsave(&j->lock, flags);
	while (got < n && !list_empty(&j->partial)) {
		b = list_first_entry(&j->partial, struct mbuf_jumbo_block, link);
		got += mbuf_jumbo_take(j, b, items + got, n - got);
	}
	spin_unlock_irqrestore(&j->lock, flags);

	while (got < n) {
		b = mbuf_jumbo_block_new(j, gfp);
		if (!b)
			break;
		spin_lock_irqsave(&j->lock, flags);
		j->blocks++;
		j->items += b->nbuf;
		j->backing += mbuf_jumbo_block_bytes(j, b);
		list_add(&b->link, &j->partial);
		got += mbuf_jumbo_take(j, b, items + got, n - got);
		spin_unlock_irqrestore(&j->lock, flags);
	}
	return got;
}

static void mbuf_jumbo_release(uma_zone_t zone, void **items, int n)
{
	struct mbuf_jumbo *j = zone->backend;
	struct mbuf_jumbo_block *b, *tmp;
	unsigned long flags;
	LIST_HEAD(empty);
	unsigned int idx;
	int i;

	spin_lock_irqsave(&j->lock, flags);
	for (i = 0; i < n; i++) {
		b = mbuf_jumbo_block_of(j, items[i], &idx);
		if (!b || b->free & BIT(idx)) {
			atomic_long_inc(&mbuf_jumbo_bad);
			pr_err_ratelimited(MBUF_LOG_PREFIX "refused free of %p to zone %s: not one of its allocated buffers\n",
					   items[i], zone->name);
			continue;
		}
		mbuf_kasan_unpoison_range(items[i], j->size);
		kmemleak_free(items[i]);
		if (!b->free)
			list_move(&b->link, &j->partial);
		b->free |= BIT(idx);
		if (b->free == GENMASK(b->nbuf - 1, 0)) {
			list_move(&b->link, &empty);
			j->blocks--;
			j->items -= b->nbuf;
			j->backing -= mbuf_jumbo_block_bytes(j, b);
		}
	}
	spin_unlock_irqrestore(&j->lock, flags);

	list_for_each_entry_safe(b, tmp, &empty, link)
		mbuf_jumbo_block_free(j, b);
}

/* A cached buffer is free to all but its zone: any access is reported. */
static bool mbuf_jumbo_poison(uma_zone_t zone, void *item)
{
	return mbuf_kasan_poison_range(item, zone->size);
}

static void mbuf_jumbo_unpoison(uma_zone_t zone, void *item)
{
	mbuf_kasan_unpoison_range(item, zone->size);
}

const struct mbuf_zone_ops mbuf_jumbo_ops = {
	.import = mbuf_jumbo_import,
	.release = mbuf_jumbo_release,
	.poison = mbuf_jumbo_poison,
	.unpoison = mbuf_jumbo_unpoison,
};

/**
 * mbuf_jumbo_mem_info() - memory held by a cluster zone's blocks
 * @zone: a page-backed cluster zone (2 KiB or jumbo)
 * @mem: where to store the numbers (see struct mbuf_zone_mem)
 *
 * Never allocates; any context.
 */
void mbuf_jumbo_mem_info(uma_zone_t zone, struct mbuf_zone_mem *mem)
{
	struct mbuf_jumbo *j = zone->backend;
	unsigned long flags;

	if (!j)
		return;
	spin_lock_irqsave(&j->lock, flags);
	mem->blocks = j->blocks;
	mem->items = j->items;
	mem->backing_bytes = j->backing;
	spin_unlock_irqrestore(&j->lock, flags);
	mem->usable_bytes = mem->items * j->size;
	mem->pref_order = j->pref_order;
	mem->pref_items = j->pref_nbuf;
	mem->min_order = j->min_order;
	mem->min_items = j->min_nbuf;
}

/**
 * mbuf_jumbo_init() - set up a page-backed cluster zone's backend
 * @zone: the zone (2 KiB or jumbo), already set up with mbuf_zone_setup()
 *
 * Return: 0, or -ENOMEM.
 */
int mbuf_jumbo_init(uma_zone_t zone)
{
	struct mbuf_jumbo *j = &mbuf_jumbos[zone->id];
	struct mbuf_jumbo_block *b;

	spin_lock_init(&j->lock);
	INIT_LIST_HEAD(&j->partial);
	INIT_LIST_HEAD(&j->full);
	j->size = zone->size;
	j->split = zone->id == MBZ_CLUST;
	j->blocks = 0;
	j->items = 0;
	j->backing = 0;
	mbuf_jumbo_layout(j);
	/*
	 * No constructor (block_new initialises each descriptor): a cache
	 * kept at a leaky unload must not point into the freed module, and
	 * its name must not be reused by a later load.
	 */
	j->desc_cache = kmem_cache_create(mbuf_zone_pick_cache_name(zone),
					  sizeof(struct mbuf_jumbo_block), 0,
					  MBUF_SLAB_NO_MERGE, NULL);
	if (!j->desc_cache)
		return -ENOMEM;
	/* SLUB's stride for a descriptor, for mbuf_zone_mem_info() */
	j->desc_bytes = sizeof(struct mbuf_jumbo_block);
	b = kmem_cache_alloc(j->desc_cache, GFP_KERNEL);
	if (b) {
		j->desc_bytes = max_t(size_t, ksize(b), j->desc_bytes);
		kmem_cache_free(j->desc_cache, b);
	}
	zone->backend = j;
	return 0;
}

/**
 * mbuf_jumbo_exit() - tear down a page-backed cluster zone's backend
 * @zone: the zone, its magazines already flushed
 * @leak: buffers are still in use: keep every block and the descriptor
 *	cache (see mbuf_zone_destroy())
 */
void mbuf_jumbo_exit(uma_zone_t zone, bool leak)
{
	struct mbuf_jumbo *j = zone->backend;

	if (!j)
		return;
	/* With nothing in use, every block went back when it emptied. */
	if (leak) {
		pr_warn(MBUF_LOG_PREFIX "keeping slab cache %s: it holds items still in use\n",
			mbuf_zone_cache_name(zone->id));
		return;
	}
	if (WARN_ON(!list_empty(&j->partial) || !list_empty(&j->full)))
		return;
	kmem_cache_destroy(j->desc_cache);
	j->desc_cache = NULL;
}
