// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Jumbo clusters: page-sized, 9 KiB and 16 KiB buffers from the page
 * allocator.
 *
 * A jumbo cluster must be one DMA segment, so it is physically contiguous:
 * buffers are carved from blocks of 2^order pages (alloc_pages with
 * __GFP_COMP, never vmalloc). The blocks stay ordinary compound pages, so
 * a buffer can later be handed to an sk_buff as a page fragment (page =
 * the block's head, offset = the buffer's) without a copy.
 *
 *   block (order 4 on 4 KiB pages, the 9 KiB zone):
 *   +--------+--------+--------+--------+--------+--------+--------+----+
 *   | buf 0  | buf 1  | buf 2  | buf 3  | buf 4  | buf 5  | buf 6  |1KiB|
 *   +--------+--------+--------+--------+--------+--------+--------+----+
 *    ^ head page: page->private -> struct mbuf_jumbo_block
 *
 * Each block has a descriptor from a kmem_cache named after the zone
 * ("mbuf_jumbo_9k", ...), so every zone shows in /proc/slabinfo: which
 * buffers are free (a bitmap), the block's order and buffer count, and its
 * place on the zone's "partial" (some buffer free) or "full" list. A
 * buffer finds its block through the compound head page's private field.
 * A block whose buffers are all back is returned to the page allocator at
 * once; the per-CPU magazines in front absorb the churn.
 *
 * Layout. The smallest order that wastes at most a fifth of a block is the
 * fallback; if one order more is nearly perfect (>= 95 %), that is tried
 * first, opportunistically, without reclaim, as SLUB does for its slabs.
 * On 4 KiB pages:
 *   page: order 0, 1 buffer, 100 %
 *   9k:   order 4, 7 buffers, 98.4 %; fallback order 3, 3 buffers, 84.4 %
 *   16k:  order 2, 1 buffer, 100 %
 * mbuf_zone_mem_info() reports what the blocks actually held cost.
 */
#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "internal.h"

struct mbuf_jumbo_block {
	struct list_head link;		/* on partial or full */
	struct page *page;		/* head of the compound block */
	unsigned long free;		/* bit i set: buffer i is free */
	unsigned int order, nbuf;
};

struct mbuf_jumbo {
	spinlock_t lock;		/* the lists, the bitmaps, the totals */
	struct list_head partial;	/* blocks with a free buffer */
	struct list_head full;		/* blocks with every buffer out */
	struct kmem_cache *desc_cache;
	unsigned int size;
	unsigned int desc_bytes;	/* what a descriptor really takes */
	unsigned int pref_order, pref_nbuf;
	unsigned int min_order, min_nbuf;
	/* totals over the blocks held, under lock */
	unsigned long blocks, items, backing;
};

static struct mbuf_jumbo mbuf_jumbos[MBZ_NZONES];

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

static struct mbuf_jumbo_block *mbuf_jumbo_block_new(struct mbuf_jumbo *j,
						     gfp_t gfp)
{
	struct mbuf_jumbo_block *b;
	struct page *page = NULL;
	unsigned int order = j->pref_order;

	b = kmem_cache_alloc(j->desc_cache, gfp);
	if (!b)
		return NULL;
	if (order != j->min_order)
		page = alloc_pages((gfp | __GFP_COMP | __GFP_NOWARN |
				    __GFP_NORETRY | __GFP_NOMEMALLOC) &
				   ~__GFP_RECLAIM, order);
	if (!page) {
		order = j->min_order;
		page = alloc_pages(gfp | __GFP_COMP, order);
	}
	if (!page) {
		kmem_cache_free(j->desc_cache, b);
		return NULL;
	}
	b->page = page;
	b->order = order;
	b->nbuf = mbuf_jumbo_per_block(j->size, order);
	b->free = GENMASK(b->nbuf - 1, 0);
	set_page_private(page, (unsigned long)b);
	return b;
}

static void mbuf_jumbo_block_free(struct mbuf_jumbo *j,
				  struct mbuf_jumbo_block *b)
{
	set_page_private(b->page, 0);
	__free_pages(b->page, b->order);
	list_del_init(&b->link);
	b->page = NULL;
	b->free = 0;
	kmem_cache_free(j->desc_cache, b);
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
		items[got++] = base + idx * j->size;
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
	unsigned long flags, off;
	struct page *head;
	LIST_HEAD(empty);
	unsigned int idx;
	int i;

	spin_lock_irqsave(&j->lock, flags);
	for (i = 0; i < n; i++) {
		head = virt_to_head_page(items[i]);
		b = (struct mbuf_jumbo_block *)page_private(head);
		off = (char *)items[i] - (char *)page_address(head);
		idx = off / j->size;
		if (WARN_ONCE(!b || b->page != head || off % j->size ||
			      idx >= b->nbuf || b->free & BIT(idx),
			      MBUF_LOG_PREFIX "bad free of %p to zone %s\n",
			      items[i], zone->name))
			continue;
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

const struct mbuf_zone_ops mbuf_jumbo_ops = {
	.import = mbuf_jumbo_import,
	.release = mbuf_jumbo_release,
};

/**
 * mbuf_jumbo_mem_info() - memory held by a jumbo zone's blocks
 * @zone: a jumbo zone
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
 * mbuf_jumbo_init() - set up a jumbo zone's backend
 * @zone: the zone, already set up with mbuf_zone_setup()
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
	j->blocks = 0;
	j->items = 0;
	j->backing = 0;
	mbuf_jumbo_layout(j);
	j->desc_cache = kmem_cache_create(zone->name,
					  sizeof(struct mbuf_jumbo_block), 0,
					  MBUF_SLAB_NO_MERGE,
					  mbuf_jumbo_desc_init);
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
 * mbuf_jumbo_exit() - tear down a jumbo zone's backend
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
	if (leak || WARN_ON(!list_empty(&j->partial) || !list_empty(&j->full)))
		return;
	kmem_cache_destroy(j->desc_cache);
	j->desc_cache = NULL;
}
