/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD 14's <sys/buf_ring.h>: a fixed-size ring of pointers with any
 * number of producers and one consumer (or several, with
 * buf_ring_dequeue_mc()), the queue under drbr_* (<net/ifq.h>).
 *
 * Algorithm (FreeBSD's): producers reserve a slot by advancing
 * br_prod_head with a compare-and-swap, store their pointer, then wait
 * until every earlier producer has published (br_prod_tail reaches their
 * slot) and publish theirs with a release store. The consumer reads
 * slots up to br_prod_tail and frees them by a release store of
 * br_cons_tail. One slot always stays empty, so a ring of count entries
 * holds count - 1 pointers. A full ring refuses the pointer with ENOBUFS
 * and counts it in br_drops.
 *
 * Context. A producer that has reserved a slot must not be overtaken on
 * its CPU by another producer of the same ring, which would spin for it
 * for ever: FreeBSD's critical_enter(). Here the enqueue and the
 * multi-consumer dequeue run with local interrupts off for those few
 * instructions, so they may be called from any context. The
 * single-consumer calls (_sc, peek, putback, advance) need the caller's
 * serialisation, as in FreeBSD (the driver's queue lock).
 */
#ifndef _SYS_BUF_RING_H_
#define _SYS_BUF_RING_H_

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/processor.h>
#include <linux/types.h>

struct malloc_type;
struct mtx;

struct buf_ring {
	u32		br_prod_head;	/* next slot a producer reserves */
	u32		br_prod_tail;	/* slots below are published */
	int		br_prod_size;
	int		br_prod_mask;
	uint64_t	br_drops;	/* enqueues refused: ring full */
	u32		br_cons_head ____cacheline_aligned_in_smp;
	u32		br_cons_tail;	/* slots below are free again */
	int		br_cons_size;
	int		br_cons_mask;
	void		*br_ring[] ____cacheline_aligned_in_smp;
};

/**
 * buf_ring_enqueue() - add a pointer at the tail (multi-producer)
 * @br: the ring
 * @buf: the pointer (not NULL)
 *
 * Context: any; lock-free against other producers and the consumer.
 * Return: 0, or ENOBUFS (positive, FreeBSD's) if the ring is full.
 */
static inline int buf_ring_enqueue(struct buf_ring *br, void *buf)
{
	u32 head, next, ctail;
	unsigned long flags;

	local_irq_save(flags);
	for (;;) {
		head = READ_ONCE(br->br_prod_head);
		next = (head + 1) & br->br_prod_mask;
		ctail = READ_ONCE(br->br_cons_tail);
		if (next == ctail) {
			/* Full, unless a consumer or producer moved meanwhile. */
			smp_rmb();
			if (head == READ_ONCE(br->br_prod_head) &&
			    ctail == READ_ONCE(br->br_cons_tail)) {
				/* Lossy under contention, as FreeBSD's. */
				data_race(br->br_drops++);
				local_irq_restore(flags);
				return ENOBUFS;
			}
			continue;
		}
		if (cmpxchg_acquire(&br->br_prod_head, head, next) == head)
			break;
	}
	WRITE_ONCE(br->br_ring[head], buf);
	/* Publish in order: wait for the producers before us. */
	while (READ_ONCE(br->br_prod_tail) != head)
		cpu_relax();
	/* Release: the slot's store is visible before the new tail. */
	smp_store_release(&br->br_prod_tail, next);
	local_irq_restore(flags);
	return 0;
}

/**
 * buf_ring_dequeue_mc() - remove the head pointer (multi-consumer)
 * @br: the ring
 *
 * Context: any; lock-free against other consumers using this call.
 * Return: the pointer, or NULL if the ring is empty.
 */
static inline void *buf_ring_dequeue_mc(struct buf_ring *br)
{
	u32 head, next;
	unsigned long flags;
	void *buf;

	local_irq_save(flags);
	for (;;) {
		head = READ_ONCE(br->br_cons_head);
		/* Acquire: slots below the tail are filled for us. */
		if (head == smp_load_acquire(&br->br_prod_tail)) {
			local_irq_restore(flags);
			return NULL;
		}
		next = (head + 1) & br->br_cons_mask;
		if (cmpxchg_acquire(&br->br_cons_head, head, next) == head)
			break;
	}
	buf = READ_ONCE(br->br_ring[head]);
	/* Free slots in order: wait for the consumers before us. */
	while (READ_ONCE(br->br_cons_tail) != head)
		cpu_relax();
	/* Release: our read of the slot is done before producers reuse it. */
	smp_store_release(&br->br_cons_tail, next);
	local_irq_restore(flags);
	return buf;
}

/**
 * buf_ring_dequeue_sc() - remove the head pointer (single consumer)
 * @br: the ring
 *
 * Context: the caller serialises all consumers of @br.
 * Return: the pointer, or NULL if the ring is empty.
 */
static inline void *buf_ring_dequeue_sc(struct buf_ring *br)
{
	u32 head = br->br_cons_head;
	void *buf;

	/* Acquire: slots below the tail are filled for us. */
	if (head == smp_load_acquire(&br->br_prod_tail))
		return NULL;
	buf = READ_ONCE(br->br_ring[head]);
	head = (head + 1) & br->br_cons_mask;
	WRITE_ONCE(br->br_cons_head, head);
	/* Release: our read of the slot is done before producers reuse it. */
	smp_store_release(&br->br_cons_tail, head);
	return buf;
}

/**
 * buf_ring_advance_sc() - drop the head after buf_ring_peek() (single consumer)
 * @br: the ring
 *
 * Context: the caller serialises all consumers of @br.
 */
static inline void buf_ring_advance_sc(struct buf_ring *br)
{
	u32 head = br->br_cons_head;

	/* Acquire: pairs with the producers' release of the tail. */
	if (head == smp_load_acquire(&br->br_prod_tail))
		return;
	head = (head + 1) & br->br_cons_mask;
	WRITE_ONCE(br->br_cons_head, head);
	/* Release: the consumer is done with the slot before it is reused. */
	smp_store_release(&br->br_cons_tail, head);
}

/**
 * buf_ring_putback_sc() - replace the head pointer (single consumer)
 * @br: the ring, not empty
 * @buf: what to leave at the head instead (a driver's m_defrag() result)
 *
 * Context: the caller serialises all consumers of @br.
 */
static inline void buf_ring_putback_sc(struct buf_ring *br, void *buf)
{
	WARN_ON_ONCE(br->br_cons_head == READ_ONCE(br->br_prod_tail));
	WRITE_ONCE(br->br_ring[br->br_cons_head], buf);
}

/**
 * buf_ring_peek() - the head pointer, left in the ring
 * @br: the ring
 *
 * Context: the caller serialises all consumers of @br.
 * Return: the pointer, or NULL if the ring is empty.
 */
static inline void *buf_ring_peek(struct buf_ring *br)
{
	/* Acquire: slots below the tail are filled for us. */
	if (br->br_cons_head == smp_load_acquire(&br->br_prod_tail))
		return NULL;
	return READ_ONCE(br->br_ring[br->br_cons_head]);
}

/**
 * buf_ring_peek_clear_sc() - buf_ring_peek() for a single consumer
 * @br: the ring
 *
 * FreeBSD clears the slot in debug builds only; so does this (never).
 *
 * Context: the caller serialises all consumers of @br.
 * Return: the pointer, or NULL if the ring is empty.
 */
static inline void *buf_ring_peek_clear_sc(struct buf_ring *br)
{
	return buf_ring_peek(br);
}

/**
 * buf_ring_full() - whether an enqueue would fail now
 * @br: the ring
 *
 * Return: nonzero if full (a racy snapshot, as in FreeBSD).
 */
static inline int buf_ring_full(struct buf_ring *br)
{
	return ((READ_ONCE(br->br_prod_head) + 1) & br->br_prod_mask) ==
	       READ_ONCE(br->br_cons_tail);
}

/**
 * buf_ring_empty() - whether the consumer would find nothing
 * @br: the ring
 *
 * Return: nonzero if empty (a racy snapshot for anyone but the consumer).
 */
static inline int buf_ring_empty(struct buf_ring *br)
{
	return READ_ONCE(br->br_cons_head) == READ_ONCE(br->br_prod_tail);
}

/**
 * buf_ring_count() - pointers in the ring
 * @br: the ring
 *
 * Return: the number of published, not yet freed pointers (a snapshot).
 */
static inline int buf_ring_count(struct buf_ring *br)
{
	return (br->br_prod_size + READ_ONCE(br->br_prod_tail) -
		READ_ONCE(br->br_cons_tail)) & br->br_prod_mask;
}

struct buf_ring *buf_ring_alloc(int count, struct malloc_type *type,
				int flags, struct mtx *lock);
void buf_ring_free(struct buf_ring *br, struct malloc_type *type);

#endif /* !_SYS_BUF_RING_H_ */
