/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The driver ring queue (drbr_*) of FreeBSD 14's <net/ifq.h>: a driver's
 * per-queue software transmit queue on a buf_ring (<sys/buf_ring.h>), as
 * if_transmit methods use it (ena, vtnet, gve, ...). ALTQ does not exist
 * here, so these are the buf_ring operations FreeBSD uses without it.
 * The legacy if_snd queue (IFQ_*) of if_start drivers is the send queue
 * of <net/if_var.h> (if_setsendqlen(), if_dequeue(), ...).
 */
#ifndef _NET_IFQ_H_
#define _NET_IFQ_H_

#include <sys/buf_ring.h>
#include <sys/mbuf.h>

/**
 * drbr_enqueue() - queue a packet for transmission
 * @ifp: the interface (unused without ALTQ)
 * @br: the driver's ring
 * @m: the packet; consumed: freed if the ring is full
 *
 * Context: any.
 * Return: 0, or ENOBUFS (@m freed).
 */
static inline int drbr_enqueue(struct ifnet *ifp, struct buf_ring *br,
			       struct mbuf *m)
{
	int error = buf_ring_enqueue(br, m);

	if (error)
		m_freem(m);
	return error;
}

/* Put back a packet drbr_peek() returned (possibly a new chain for it). */
static inline void drbr_putback(struct ifnet *ifp, struct buf_ring *br,
				struct mbuf *m_new)
{
	buf_ring_putback_sc(br, m_new);
}

/* The head packet, left queued; drbr_advance() or drbr_putback() follows. */
static inline struct mbuf *drbr_peek(struct ifnet *ifp, struct buf_ring *br)
{
	return buf_ring_peek_clear_sc(br);
}

/* Free every queued packet. */
static inline void drbr_flush(struct ifnet *ifp, struct buf_ring *br)
{
	struct mbuf *m;

	while ((m = buf_ring_dequeue_sc(br)) != NULL)
		m_freem(m);
}

/* Free every queued packet and the ring. */
static inline void drbr_free(struct buf_ring *br, struct malloc_type *type)
{
	drbr_flush(NULL, br);
	buf_ring_free(br, type);
}

static inline struct mbuf *drbr_dequeue(struct ifnet *ifp,
					struct buf_ring *br)
{
	return buf_ring_dequeue_sc(br);
}

/* Drop the head packet drbr_peek() returned (it was sent). */
static inline void drbr_advance(struct ifnet *ifp, struct buf_ring *br)
{
	buf_ring_advance_sc(br);
}

/* Dequeue the head packet only if func(m, arg) returns nonzero. */
static inline struct mbuf *drbr_dequeue_cond(struct ifnet *ifp,
					     struct buf_ring *br,
					     int (*func)(struct mbuf *, void *),
					     void *arg)
{
	struct mbuf *m = buf_ring_peek(br);

	if (!m || func(m, arg) == 0)
		return NULL;
	return buf_ring_dequeue_sc(br);
}

static inline int drbr_empty(struct ifnet *ifp, struct buf_ring *br)
{
	return buf_ring_empty(br);
}

static inline int drbr_needs_enqueue(struct ifnet *ifp, struct buf_ring *br)
{
	return !buf_ring_empty(br);
}

static inline int drbr_inuse(struct ifnet *ifp, struct buf_ring *br)
{
	return buf_ring_count(br);
}

#endif /* !_NET_IFQ_H_ */
