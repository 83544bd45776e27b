/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The part of FreeBSD's uma(9) that network drivers use on the mbuf zones.
 *
 * Only the six mbuf zones exist (zone_mbuf, zone_clust, zone_pack,
 * zone_jumbop, zone_jumbo9, zone_jumbo16, declared in <sys/mbuf.h>); a
 * driver allocates from them with uma_zalloc() / uma_zalloc_arg() and
 * frees with uma_zfree() / uma_zfree_arg(), exactly as on FreeBSD.
 */
#ifndef _VM_UMA_H_
#define _VM_UMA_H_

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

#endif /* _VM_UMA_H_ */
