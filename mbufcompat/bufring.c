// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * buf_ring allocation (FreeBSD 14's buf_ring_alloc / buf_ring_free). The
 * ring operations themselves are inline in <sys/buf_ring.h>.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <sys/buf_ring.h>
#include "internal.h"

/**
 * buf_ring_alloc() - allocate an empty ring
 * @count: slots, a power of 2 of at least 2 (the ring holds count - 1)
 * @type: FreeBSD's malloc type (M_DEVBUF); unused
 * @flags: M_NOWAIT or M_WAITOK (malloc(9) flags; M_ZERO is implied)
 * @lock: FreeBSD's debug-build consumer lock; unused
 *
 * Context: process context with M_WAITOK; any with M_NOWAIT.
 * Return: the ring, or NULL (@count not a power of 2, or no memory with
 * M_NOWAIT).
 */
struct buf_ring *buf_ring_alloc(int count, struct malloc_type *type,
				int flags, struct mtx *lock)
{
	struct buf_ring *br;

	if (mbuf_bad_arg(count < 2 || !is_power_of_2(count),
			 "%s: count %d is not a power of 2\n", __func__,
			 count))
		return NULL;
	if (mbuf_bad_arg(!(flags & (M_NOWAIT | M_WAITOK)),
			 "%s: bad flags %#x\n", __func__, flags))
		return NULL;
	if (mbuf_fault_armed() && (flags & M_NOWAIT) && mbuf_should_fail(NULL))
		return NULL;
	br = kvzalloc(struct_size(br, br_ring, count),
		      mbuf_how_to_gfp(flags & (M_NOWAIT | M_WAITOK)));
	if (!br)
		return NULL;
	br->br_prod_size = count;
	br->br_cons_size = count;
	br->br_prod_mask = count - 1;
	br->br_cons_mask = count - 1;
	return br;
}
MBUF_EXPORT(buf_ring_alloc);

/**
 * buf_ring_free() - free a ring
 * @br: the ring (its pointers are the caller's; drbr_free() frees mbufs)
 * @type: FreeBSD's malloc type; unused
 *
 * Context: process context.
 */
void buf_ring_free(struct buf_ring *br, struct malloc_type *type)
{
	kvfree(br);
}
MBUF_EXPORT(buf_ring_free);
