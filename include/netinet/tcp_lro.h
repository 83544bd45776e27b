/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD 14's software LRO (<netinet/tcp_lro.h>) on top of Linux's GRO.
 *
 * A driver keeps its calls: tcp_lro_init() (or tcp_lro_init_args()) per
 * receive queue, tcp_lro_rx() or tcp_lro_queue_mbuf() per packet,
 * tcp_lro_flush_all() at the end of a batch, tcp_lro_free() at detach.
 * The coalescing itself is Linux's: every packet goes to GRO
 * (napi_gro_receive() through if_input(), see <net/if_var.h>), which
 * merges TCP segments of one flow and flushes at the end of the NAPI
 * poll. So tcp_lro_rx() always accepts a packet of an attached lro_ctrl
 * (returns 0) and hands it on at once; tcp_lro_queue_mbuf() holds its
 * packets until tcp_lro_flush_all() (or lro_mbuf_max of them), as
 * FreeBSD does, but does not sort them: GRO keeps per-flow state itself.
 *
 * Statistics: lro_queued counts packets accepted, lro_flushed packets
 * handed to GRO. How many GRO merged is Linux's to count
 * (/proc/net/softnet_stat, ethtool); lro_bad_csum stays 0 because GRO
 * checks checksums itself.
 */
#ifndef _TCP_LRO_H_
#define _TCP_LRO_H_

#include <linux/types.h>
#include <sys/mbuf.h>

struct timeval;
struct lro_entry;

#define TCP_LRO_ENTRIES		8	/* tcp_lro_init()'s lro_cnt */
#define TCP_LRO_LENGTH_MAX	(65535 - 255)
#define TCP_LRO_ACKCNT_MAX	65535

/* tcp_lro_rx() results other than 0 (accepted). */
#define TCP_LRO_NO_ENTRIES	-2
#define TCP_LRO_CANNOT		-1
#define TCP_LRO_NOT_SUPPORTED	1

/*
 * Part of a driver's receive queue structure. The fields a driver reads
 * or sets are FreeBSD's; FreeBSD's private hash and entry lists are
 * replaced by the queue of tcp_lro_queue_mbuf().
 */
struct lro_ctrl {
	struct ifnet	*ifp;		/* where packets go (if_input) */
	uint64_t	lro_queued;	/* packets accepted */
	uint64_t	lro_flushed;	/* packets handed to GRO */
	uint64_t	lro_bad_csum;
	unsigned int	lro_cnt;	/* FreeBSD: LRO entries */
	unsigned int	lro_mbuf_count;	/* packets held by queue_mbuf */
	unsigned int	lro_mbuf_max;	/* queue_mbuf flushes at this many */
	unsigned short	lro_ackcnt_lim;
	unsigned short	lro_cpu;
	unsigned int	lro_length_lim;
	struct mbufq	lro_mq;		/* Linux: tcp_lro_queue_mbuf()'s */
};

int	tcp_lro_init(struct lro_ctrl *lc);
int	tcp_lro_init_args(struct lro_ctrl *lc, struct ifnet *ifp,
			  unsigned int lro_entries, unsigned int lro_mbufs);
void	tcp_lro_free(struct lro_ctrl *lc);
void	tcp_lro_flush_inactive(struct lro_ctrl *lc, const struct timeval *timeout);
void	tcp_lro_flush_all(struct lro_ctrl *lc);
int	tcp_lro_rx(struct lro_ctrl *lc, struct mbuf *m, uint32_t csum);
void	tcp_lro_queue_mbuf(struct lro_ctrl *lc, struct mbuf *m);

#endif /* !_TCP_LRO_H_ */
