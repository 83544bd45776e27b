// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * FreeBSD's software LRO (tcp_lro_*) on Linux's GRO.
 *
 * FreeBSD's tcp_lro merges TCP segments of a flow into one large packet
 * before if_input(). Linux's GRO does the same one step later, inside
 * napi_gro_receive(), for TCP and everything else it knows (UDP, tunnels,
 * IPv6 extension headers), with its own flush rules. So the driver's LRO
 * calls pass packets to if_input() (which feeds GRO) and keep FreeBSD's
 * observable contract: tcp_lro_rx() accepts a packet (returns 0) and the
 * driver no longer owns it; tcp_lro_queue_mbuf() holds packets until
 * tcp_lro_flush_all() or lro_mbuf_max of them; after tcp_lro_flush_all()
 * nothing is held here, and inside the driver's NAPI poll GRO is flushed
 * too (napi_gro_flush()), so the packets are in the stack as FreeBSD's
 * flush puts them there.
 */
#include <linux/netdevice.h>
#include <netinet/tcp_lro.h>
#include <net/if_var.h>
#include "internal.h"
#include "ifnet.h"

/**
 * tcp_lro_init_args() - initialise an LRO context
 * @lc: the context (in the driver's receive queue structure)
 * @ifp: the interface packets go to (may be set in lc->ifp later)
 * @lro_entries: FreeBSD's flow entries; kept in lro_cnt (GRO has its own)
 * @lro_mbufs: how many packets tcp_lro_queue_mbuf() holds before it
 *	flushes; 0: tcp_lro_queue_mbuf() is not used (FreeBSD then drops
 *	what it gets)
 *
 * Context: any.
 * Return: 0.
 */
int tcp_lro_init_args(struct lro_ctrl *lc, struct ifnet *ifp,
		      unsigned int lro_entries, unsigned int lro_mbufs)
{
	memset(lc, 0, sizeof(*lc));
	lc->ifp = ifp;
	lc->lro_cnt = lro_entries;
	lc->lro_mbuf_max = lro_mbufs;
	lc->lro_ackcnt_lim = TCP_LRO_ACKCNT_MAX;
	lc->lro_length_lim = TCP_LRO_LENGTH_MAX;
	mbufq_init(&lc->lro_mq, lro_mbufs ? lro_mbufs : 1);
	return 0;
}
MBUF_EXPORT(tcp_lro_init_args);

/**
 * tcp_lro_init() - initialise an LRO context with FreeBSD's defaults
 * @lc: the context; the driver sets lc->ifp afterwards
 *
 * Context: any.
 * Return: 0.
 */
int tcp_lro_init(struct lro_ctrl *lc)
{
	return tcp_lro_init_args(lc, NULL, TCP_LRO_ENTRIES, 0);
}
MBUF_EXPORT(tcp_lro_init);

/* Hand @m to if_input() (GRO), counted. */
static void tcp_lro_pass(struct lro_ctrl *lc, struct mbuf *m)
{
	lc->lro_flushed++;
	if_input(lc->ifp, m);
}

/**
 * tcp_lro_rx() - offer a received packet to LRO
 * @lc: the context
 * @m: an M_PKTHDR chain holding one Ethernet frame
 * @csum: FreeBSD's precomputed checksum argument (unused: GRO checks)
 *
 * The packet goes to GRO through if_input() at once.
 *
 * Context: the driver's receive path (any context if_input() allows).
 * Return: 0 (@m consumed); TCP_LRO_CANNOT if @lc has no interface (@m is
 * still the caller's, who passes it to if_input()).
 */
int tcp_lro_rx(struct lro_ctrl *lc, struct mbuf *m, uint32_t csum)
{
	if (!lc->ifp)
		return TCP_LRO_CANNOT;
	lc->lro_queued++;
	tcp_lro_pass(lc, m);
	return 0;
}
MBUF_EXPORT(tcp_lro_rx);

/**
 * tcp_lro_queue_mbuf() - queue a received packet for tcp_lro_flush_all()
 * @lc: the context, from tcp_lro_init_args() with lro_mbufs > 0
 * @m: an M_PKTHDR chain holding one Ethernet frame; consumed
 *
 * As in FreeBSD: without an interface or a queue (lro_mbufs 0) the packet
 * is dropped; with IFCAP_LRO disabled it goes straight to if_input(); a
 * full queue is flushed.
 *
 * Context: the driver's receive path.
 */
void tcp_lro_queue_mbuf(struct lro_ctrl *lc, struct mbuf *m)
{
	if (unlikely(!lc->ifp || !lc->lro_mbuf_max)) {
		m_freem(m);
		return;
	}
	if (!(if_getcapenable(lc->ifp) & IFCAP_LRO)) {
		if_input(lc->ifp, m);
		return;
	}
	lc->lro_queued++;
	mbufq_enqueue(&lc->lro_mq, m);	/* never full: flushed below */
	lc->lro_mbuf_count = mbufq_len(&lc->lro_mq);
	if (lc->lro_mbuf_count >= lc->lro_mbuf_max)
		tcp_lro_flush_all(lc);
}
MBUF_EXPORT(tcp_lro_queue_mbuf);

/**
 * tcp_lro_flush_all() - deliver everything LRO holds
 * @lc: the context
 *
 * Passes the queued packets to if_input() in order; inside the driver's
 * NAPI poll (mbuf_napi_enter()) also flushes that context's GRO.
 *
 * Context: the driver's receive path.
 */
void tcp_lro_flush_all(struct lro_ctrl *lc)
{
	struct napi_struct *napi;
	struct mbuf *m;

	while ((m = mbufq_dequeue(&lc->lro_mq)) != NULL)
		tcp_lro_pass(lc, m);
	lc->lro_mbuf_count = 0;
	if (lc->ifp) {
		napi = mbuf_ifnet_napi(lc->ifp);
		if (napi)
			napi_gro_flush(napi, false);
	}
}
MBUF_EXPORT(tcp_lro_flush_all);

/**
 * tcp_lro_flush_inactive() - deliver packets held longer than @timeout
 * @lc: the context
 * @timeout: FreeBSD's age limit; every held packet is delivered (the
 *	queue lives for one receive batch only)
 *
 * Context: the driver's receive path.
 */
void tcp_lro_flush_inactive(struct lro_ctrl *lc, const struct timeval *timeout)
{
	tcp_lro_flush_all(lc);
}
MBUF_EXPORT(tcp_lro_flush_inactive);

/**
 * tcp_lro_free() - release an LRO context
 * @lc: the context; packets still queued are freed
 *
 * Context: any.
 */
void tcp_lro_free(struct lro_ctrl *lc)
{
	mbufq_drain(&lc->lro_mq);
	lc->lro_mbuf_count = 0;
}
MBUF_EXPORT(tcp_lro_free);
