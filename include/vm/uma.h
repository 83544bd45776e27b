/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The part of FreeBSD's uma(9) that network drivers use: the six mbuf
 * zones (zone_mbuf, zone_clust, zone_pack, zone_jumbop, zone_jumbo9,
 * zone_jumbo16, declared in <sys/mbuf.h>) and zones of their own made with
 * uma_zcreate(). A driver allocates with uma_zalloc() / uma_zalloc_arg()
 * and frees with uma_zfree() / uma_zfree_arg(), exactly as on FreeBSD.
 */
#ifndef _VM_UMA_H_
#define _VM_UMA_H_

#include <linux/cache.h>
#include <linux/types.h>

struct uma_zone;
typedef struct uma_zone *uma_zone_t;

void *uma_zalloc_arg(uma_zone_t zone, void *arg, int how);
void uma_zfree_arg(uma_zone_t zone, void *item, void *arg);
int uma_zone_set_max(uma_zone_t zone, int nitems);
int uma_zone_get_max(uma_zone_t zone);
int uma_zone_get_cur(uma_zone_t zone);
int uma_zone_exhausted(uma_zone_t zone);

/**
 * uma_zalloc() - allocate an item from a zone, with no constructor argument
 * @zone: the zone
 * @how: M_NOWAIT or M_WAITOK
 *
 * Return: the item, or NULL (only with M_NOWAIT).
 */
static inline void *uma_zalloc(uma_zone_t zone, int how)
{
	return uma_zalloc_arg(zone, NULL, how);
}

/**
 * uma_zfree() - return an item to its zone, with no destructor argument
 * @zone: the zone the item was allocated from
 * @item: the item; NULL is ignored
 */
static inline void uma_zfree(uma_zone_t zone, void *item)
{
	uma_zfree_arg(zone, item, NULL);
}

/*
 * Driver-private zones (uma_zcreate()): items of any size on a kmem cache,
 * behind the same per-CPU magazines as the mbuf zones, listed in
 * /proc/net/mbuf/zones. The callbacks and their order are UMA's:
 *
 *   uminit / fini   when an item enters / leaves the zone's memory
 *                   (kept across allocations: state an item keeps while
 *                   cached, like a lock or a DMA map)
 *   ctor / dtor     on every uma_zalloc() / uma_zfree()
 *
 * size is the callbacks' second argument; flags / how are malloc(9)'s.
 */
typedef int (*uma_ctor)(void *mem, int size, void *arg, int flags);
typedef void (*uma_dtor)(void *mem, int size, void *arg);
typedef int (*uma_init)(void *mem, int size, int flags);
typedef void (*uma_fini)(void *mem, int size);

/* malloc(9): requests that may dip into a zone's reserve. */
#ifndef M_USE_RESERVE
#define M_USE_RESERVE	0x0400
#endif

/* Alignment masks (align argument: the mask, i.e. alignment - 1). */
#define UMA_ALIGN_PTR	(sizeof(void *) - 1)
#define UMA_ALIGN_LONG	(sizeof(long) - 1)
#define UMA_ALIGN_INT	(sizeof(int) - 1)
#define UMA_ALIGN_SHORT	(sizeof(short) - 1)
#define UMA_ALIGN_CHAR	(sizeof(char) - 1)
#define UMA_ALIGN_CACHE	(L1_CACHE_BYTES - 1)

/* Zone flags. Accepted; those without a Linux meaning change nothing. */
#define UMA_ZONE_UNMANAGED	0x0001
#define UMA_ZONE_ZINIT		0x0002	/* zero items when they enter the zone */
#define UMA_ZONE_CONTIG		0x0004
#define UMA_ZONE_NOTOUCH	0x0008
#define UMA_ZONE_MALLOC		0x0010
#define UMA_ZONE_NOFREE		0x0020
#define UMA_ZONE_MTXCLASS	0x0040
#define UMA_ZONE_VM		0x0080
#define UMA_ZONE_NOTPAGE	0x0100
#define UMA_ZONE_SECONDARY	0x0200
#define UMA_ZONE_NOBUCKET	0x0400	/* no per-CPU caching */
#define UMA_ZONE_MAXBUCKET	0x0800	/* the largest per-CPU caches */
#define UMA_ZONE_CACHESPREAD	0x2000
#define UMA_ZONE_NODUMP		0x4000
#define UMA_ZONE_PCPU		0x8000	/* refused: no per-CPU items */
#define UMA_ZONE_FIRSTTOUCH	0x10000
#define UMA_ZONE_ROUNDROBIN	0x20000
#define UMA_ZONE_SMR		0x40000	/* refused: no SMR */
#define UMA_ZONE_NOKASAN	0x80000

uma_zone_t uma_zcreate(const char *name, size_t size, uma_ctor ctor,
		       uma_dtor dtor, uma_init uminit, uma_fini fini,
		       int align, uint32_t flags);
void uma_zdestroy(uma_zone_t zone);
void uma_prealloc(uma_zone_t zone, int itemcnt);
void uma_zone_reserve(uma_zone_t zone, int nitems);

#endif /* _VM_UMA_H_ */
