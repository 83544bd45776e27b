// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Driver-private zones: uma_zcreate(9) and friends.
 *
 * A FreeBSD driver that keeps objects of its own in a zone (vtnet's
 * transmit headers, a NIC's descriptor trackers) gets a zone built exactly
 * like the mbuf zones: the zone layer's per-CPU magazines and depot
 * (zone.c), its limit (uma_zone_set_max()), statistics and fault
 * injection, on top of a backend of its own:
 *
 *   uma_zalloc_arg(zone, arg, how)
 *        | magazine empty
 *        v
 *   mbuf_uzone_import()       keg: items already carved out and uminit'ed
 *        |  keg empty, or    (uma_prealloc() fills it; uma_zone_reserve()
 *        |  only the reserve  keeps its last N for M_USE_RESERVE)
 *        v  left
 *   kmem_cache_alloc()  -> UMA_ZONE_ZINIT zeroing -> uminit
 *
 * and back: mbuf_uzone_release() refills the keg up to its size and hands
 * the rest, after fini, to the kmem cache. The callbacks run where UMA
 * runs them: uminit/fini when an item enters/leaves the zone's memory
 * (so whatever uminit sets up survives while the item sits in a magazine
 * or the keg), ctor/dtor on each uma_zalloc()/uma_zfree().
 *
 * The reserve is UMA's: "a reserved number of items to hold for
 * M_USE_RESERVE allocations; all other requests must allocate new
 * backing pages". M_USE_RESERVE also reaches the page allocator as
 * __GFP_MEMALLOC (mbuf_how_to_gfp()).
 *
 * Every zone is listed in /proc/net/mbuf/zones below the mbuf zones
 * (mbuf_uzone_seq_show()). Zones live until uma_zdestroy(); one destroyed
 * with items still out is left allocated (and reported), as the mbuf zones
 * are at unload: freeing memory under its users would be worse. Per-CPU
 * magazines of a CPU taken offline are emptied when the zone is destroyed.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "internal.h"

/* Per-CPU magazine of a private zone, and with UMA_ZONE_MAXBUCKET. */
#define MBUF_UZONE_MAG		64
#define MBUF_UZONE_MAG_MAX	MBZ_MAG_MAX

struct mbuf_uzone {
	struct uma_zone zone;		/* first: the handle drivers hold */
	struct list_head link;		/* on mbuf_uzones */
	const char *name;		/* our copy of the caller's */
	uma_ctor ctor;
	uma_dtor dtor;
	uma_init uminit;
	uma_fini fini;
	u32 flags;			/* UMA_ZONE_* */
	struct kmem_cache *kc;

	spinlock_t lock;		/* the keg below */
	void **keg;			/* free, initialised items */
	int keg_n;			/* items in keg[] */
	int keg_cap;			/* its size: max(reserve, preallocated) */
	int reserve;			/* kept for M_USE_RESERVE */
	atomic_long_t carved;		/* items taken from the kmem cache */
};

static LIST_HEAD(mbuf_uzones);
static DEFINE_MUTEX(mbuf_uzones_lock);

static struct mbuf_uzone *mbuf_uzone(uma_zone_t zone)
{
	return container_of(zone, struct mbuf_uzone, zone);
}

/* A new item from the kmem cache, zeroed if asked and uminit'ed. */
static void *mbuf_uzone_carve(struct mbuf_uzone *uz, gfp_t gfp)
{
	bool atomic = !(gfp & __GFP_DIRECT_RECLAIM);
	void *item;

	/* Tests make the backend fail as memory exhaustion would. */
	if (atomic && mbuf_fault_armed() && mbuf_should_fail(&uz->zone))
		return NULL;
	if (uz->flags & UMA_ZONE_ZINIT)
		gfp |= __GFP_ZERO;
	item = kmem_cache_alloc(uz->kc, gfp);
	if (!item)
		return NULL;
	if (uz->uminit &&
	    uz->uminit(item, uz->zone.size, atomic ? M_NOWAIT : M_WAITOK)) {
		kmem_cache_free(uz->kc, item);
		return NULL;
	}
	atomic_long_inc(&uz->carved);
	return item;
}

static void mbuf_uzone_uncarve(struct mbuf_uzone *uz, void *item)
{
	if (uz->fini)
		uz->fini(item, uz->zone.size);
	kmem_cache_free(uz->kc, item);
	atomic_long_dec(&uz->carved);
}

/* Take a free item from the keg, leaving @keep there; NULL if none. */
static void *mbuf_uzone_keg_get(struct mbuf_uzone *uz, int keep)
{
	unsigned long flags;
	void *item = NULL;

	spin_lock_irqsave(&uz->lock, flags);
	if (uz->keg_n > keep)
		item = uz->keg[--uz->keg_n];
	spin_unlock_irqrestore(&uz->lock, flags);
	return item;
}

static bool mbuf_uzone_keg_put(struct mbuf_uzone *uz, void *item)
{
	unsigned long flags;
	bool kept = false;

	spin_lock_irqsave(&uz->lock, flags);
	if (uz->keg_n < uz->keg_cap) {
		uz->keg[uz->keg_n++] = item;
		kept = true;
	}
	spin_unlock_irqrestore(&uz->lock, flags);
	return kept;
}

static int mbuf_uzone_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	struct mbuf_uzone *uz = mbuf_uzone(zone);
	int keep = (gfp & __GFP_MEMALLOC) ? 0 : READ_ONCE(uz->reserve);
	int i;

	for (i = 0; i < n; i++) {
		items[i] = mbuf_uzone_keg_get(uz, keep);
		if (!items[i])
			items[i] = mbuf_uzone_carve(uz, gfp);
		if (!items[i])
			break;
	}
	return i;
}

static void mbuf_uzone_release(uma_zone_t zone, void **items, int n)
{
	struct mbuf_uzone *uz = mbuf_uzone(zone);
	int i;

	for (i = 0; i < n; i++)
		if (!mbuf_uzone_keg_put(uz, items[i]))
			mbuf_uzone_uncarve(uz, items[i]);
}

static const struct mbuf_zone_ops mbuf_uzone_ops = {
	.import = mbuf_uzone_import,
	.release = mbuf_uzone_release,
};

static int mbuf_uzone_ctor(uma_zone_t zone, void *item, void *arg, int how)
{
	struct mbuf_uzone *uz = mbuf_uzone(zone);

	return uz->ctor(item, zone->size, arg, how);
}

static void mbuf_uzone_dtor(uma_zone_t zone, void *item, void *arg)
{
	struct mbuf_uzone *uz = mbuf_uzone(zone);

	uz->dtor(item, zone->size, arg);
}

/* Grow the keg to hold @cap items. Process context. */
static int mbuf_uzone_keg_grow(struct mbuf_uzone *uz, int cap)
{
	unsigned long flags;
	void **keg, **old;

	if (cap <= READ_ONCE(uz->keg_cap))
		return 0;
	keg = kvcalloc(cap, sizeof(*keg), GFP_KERNEL);
	if (!keg)
		return -ENOMEM;
	spin_lock_irqsave(&uz->lock, flags);
	if (cap <= uz->keg_cap) {
		spin_unlock_irqrestore(&uz->lock, flags);
		kvfree(keg);
		return 0;
	}
	memcpy(keg, uz->keg, uz->keg_n * sizeof(*keg));
	old = uz->keg;
	uz->keg = keg;
	uz->keg_cap = cap;
	spin_unlock_irqrestore(&uz->lock, flags);
	kvfree(old);
	return 0;
}

/**
 * uma_zcreate() - create a zone of a driver's own items
 * @name: the zone's name, shown in /proc/net/mbuf/zones (copied)
 * @size: bytes per item, 1 to KMALLOC_MAX_SIZE
 * @ctor: run on each item uma_zalloc() hands out (may fail it), or NULL
 * @dtor: run on each item uma_zfree() takes back, or NULL
 * @uminit: run when an item enters the zone's memory (may fail it), or NULL
 * @fini: run when an item leaves the zone's memory, or NULL
 * @align: alignment mask (UMA_ALIGN_PTR, UMA_ALIGN_CACHE, 2^n - 1)
 * @flags: UMA_ZONE_*; UMA_ZONE_ZINIT zeroes items before @uminit,
 *	   UMA_ZONE_NOBUCKET turns per-CPU caching off, UMA_ZONE_MAXBUCKET
 *	   makes the caches as large as the packet zone's; UMA_ZONE_PCPU and
 *	   UMA_ZONE_SMR are refused; the other flags change nothing on Linux
 *
 * Items are allocated with uma_zalloc()/uma_zalloc_arg() and freed with
 * uma_zfree()/uma_zfree_arg(); uma_zone_set_max(), uma_zone_get_cur(),
 * uma_prealloc() and uma_zone_reserve() apply. Process context (FreeBSD's
 * uma_zcreate() sleeps).
 *
 * Return: the zone, or NULL if memory is short or an argument is invalid
 * (which warns once); FreeBSD's waits instead and panics on bad input.
 */
uma_zone_t uma_zcreate(const char *name, size_t size, uma_ctor ctor,
		       uma_dtor dtor, uma_init uminit, uma_fini fini,
		       int align, uint32_t flags)
{
	struct mbuf_uzone *uz;
	unsigned int mag;

	might_sleep();
	if (WARN_ONCE(!name || !size || size > KMALLOC_MAX_SIZE ||
		      align < 0 || (align & (align + 1)) ||
		      (flags & (UMA_ZONE_PCPU | UMA_ZONE_SMR)),
		      MBUF_LOG_PREFIX "uma_zcreate(%s, %zu, align %d, flags 0x%x): unsupported\n",
		      name ?: "(null)", size, align, flags))
		return NULL;
	uz = kzalloc(sizeof(*uz), GFP_KERNEL);
	if (!uz)
		return NULL;
	uz->name = kstrdup_const(name, GFP_KERNEL);
	if (!uz->name)
		goto fail;
	uz->kc = kmem_cache_create(uz->name, size, align + 1, 0, NULL);
	if (!uz->kc)
		goto fail;
	uz->ctor = ctor;
	uz->dtor = dtor;
	uz->uminit = uminit;
	uz->fini = fini;
	uz->flags = flags;
	spin_lock_init(&uz->lock);
	atomic_long_set(&uz->carved, 0);
	if (flags & UMA_ZONE_NOBUCKET)
		mag = 0;
	else if (flags & UMA_ZONE_MAXBUCKET)
		mag = MBUF_UZONE_MAG_MAX;
	else
		mag = MBUF_UZONE_MAG;
	if (mbuf_zone_setup(&uz->zone, uz->name, size, MBZ_PRIVATE, mag,
			    &mbuf_uzone_ops))
		goto fail;
	uz->zone.backend = uz->kc;
	uz->zone.ctor = ctor ? mbuf_uzone_ctor : NULL;
	uz->zone.dtor = dtor ? mbuf_uzone_dtor : NULL;

	mutex_lock(&mbuf_uzones_lock);
	list_add_tail(&uz->link, &mbuf_uzones);
	mutex_unlock(&mbuf_uzones_lock);
	return &uz->zone;

fail:
	if (uz->kc)
		kmem_cache_destroy(uz->kc);
	kfree_const(uz->name);
	kfree(uz);
	return NULL;
}
MBUF_EXPORT(uma_zcreate);

/**
 * uma_zdestroy() - destroy a zone made by uma_zcreate()
 * @zone: the zone; every item should be back
 *
 * The cached items and the keg are released (fini on each), then the
 * zone. With items still allocated, the zone is unlisted and its memory
 * left in place, with a warning naming it: freeing it would pull memory
 * from under the holders. Process context.
 */
void uma_zdestroy(uma_zone_t zone)
{
	struct mbuf_uzone *uz;
	long out;
	void *item;

	if (!zone || WARN_ON_ONCE(zone->id != MBZ_PRIVATE))
		return;
	might_sleep();
	uz = mbuf_uzone(zone);
	mutex_lock(&mbuf_uzones_lock);
	list_del(&uz->link);
	mutex_unlock(&mbuf_uzones_lock);

	mbuf_zone_teardown(zone);	/* magazines back to the keg or cache */
	uz->keg_cap = 0;
	while ((item = mbuf_uzone_keg_get(uz, 0)))
		mbuf_uzone_uncarve(uz, item);
	out = atomic_long_read(&uz->carved);
	if (out) {
		pr_warn(MBUF_LOG_PREFIX "uma_zdestroy(%s): %ld items still in use; leaking the zone\n",
			uz->name, out);
		return;
	}
	kmem_cache_destroy(uz->kc);
	kvfree(uz->keg);
	kfree_const(uz->name);
	kfree(uz);
}
MBUF_EXPORT(uma_zdestroy);

/**
 * uma_prealloc() - carve out items ahead of need
 * @zone: a zone made by uma_zcreate()
 * @itemcnt: items to add to the zone's free items (uminit'ed)
 *
 * The items wait in the zone, outside its limit, for allocations that
 * find the per-CPU caches empty; frees refill them. Process context; as
 * on FreeBSD it may sleep and does not fail (short of memory it stops
 * early, with a warning).
 */
void uma_prealloc(uma_zone_t zone, int itemcnt)
{
	struct mbuf_uzone *uz;
	void *item;
	int i;

	if (WARN_ON_ONCE(!zone || zone->id != MBZ_PRIVATE || itemcnt < 0))
		return;
	might_sleep();
	uz = mbuf_uzone(zone);
	if (mbuf_uzone_keg_grow(uz, READ_ONCE(uz->keg_n) + itemcnt))
		goto short_of_memory;
	for (i = 0; i < itemcnt; i++) {
		item = mbuf_uzone_carve(uz, GFP_KERNEL);
		if (!item)
			goto short_of_memory;
		if (!mbuf_uzone_keg_put(uz, item)) {
			mbuf_uzone_uncarve(uz, item);
			break;
		}
	}
	return;

short_of_memory:
	pr_warn(MBUF_LOG_PREFIX "uma_prealloc(%s, %d): out of memory\n",
		uz->name, itemcnt);
}
MBUF_EXPORT(uma_prealloc);

/**
 * uma_zone_reserve() - keep items for M_USE_RESERVE allocations
 * @zone: a zone made by uma_zcreate()
 * @nitems: how many of the zone's free items only M_USE_RESERVE may take
 *
 * Other allocations must get new memory when the free items are down to
 * @nitems. The reserve is filled by uma_prealloc() and by frees. Process
 * context.
 */
void uma_zone_reserve(uma_zone_t zone, int nitems)
{
	struct mbuf_uzone *uz;

	if (WARN_ON_ONCE(!zone || zone->id != MBZ_PRIVATE || nitems < 0))
		return;
	might_sleep();
	uz = mbuf_uzone(zone);
	if (mbuf_uzone_keg_grow(uz, nitems))
		pr_warn(MBUF_LOG_PREFIX "uma_zone_reserve(%s, %d): out of memory\n",
			uz->name, nitems);
	else
		WRITE_ONCE(uz->reserve, nitems);
}
MBUF_EXPORT(uma_zone_reserve);

/**
 * mbuf_uzone_free_items() - a private zone's free (preallocated) items
 * @zone: a zone made by uma_zcreate()
 *
 * Return: the items waiting in its keg.
 */
int mbuf_uzone_free_items(uma_zone_t zone)
{
	return READ_ONCE(mbuf_uzone(zone)->keg_n);
}

/**
 * mbuf_uzone_seq_show() - one "vmstat -z" row per private zone
 * @m: the seq_file of /proc/net/mbuf/zones
 *
 * Columns as for the mbuf zones; FREE counts the cached items plus the
 * free items of the keg.
 */
void mbuf_uzone_seq_show(struct seq_file *m)
{
	struct mbuf_zone_stats st;
	struct mbuf_uzone *uz;

	mutex_lock(&mbuf_uzones_lock);
	list_for_each_entry(uz, &mbuf_uzones, link) {
		mbuf_zone_get_stats(&uz->zone, &st);
		seq_printf(m, "%s:%*s %6u, %6ld, %8lu, %8lu, %8lu, %4lu, %5lu\n",
			   uz->name,
			   (int)max_t(int, 0, 20 - strlen(uz->name)), "",
			   uz->zone.size, st.max, st.in_use > 0 ? st.in_use : 0,
			   st.cached + READ_ONCE(uz->keg_n), st.allocs, st.fails,
			   st.sleeps);
	}
	mutex_unlock(&mbuf_uzones_lock);
}
