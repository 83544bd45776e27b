/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The send-tag part of FreeBSD 14's <net/if_var.h>.
 *
 * A send tag is per-flow state a network interface keeps for the stack
 * (a hardware rate limit, a TLS offload context). The driver allocates
 * the tag, embeds a struct m_snd_tag (<sys/mbuf.h>) at its start, calls
 * m_snd_tag_init() on it with its method table, and the stack attaches it
 * to outgoing packets (m_pkthdr.snd_tag with CSUM_SND_TAG). Each tag holds
 * a reference on its interface until m_snd_tag_destroy().
 *
 * Names, layouts and values are FreeBSD 14's. The one Linux addition:
 * struct net_device has no if_snd_tag_alloc method, so a driver that
 * offers send tags registers its allocator for its device with
 * mbuf_snd_tag_register(), and m_snd_tag_alloc() finds it there.
 */
#ifndef _NET_IF_VAR_H_
#define _NET_IF_VAR_H_

#include <linux/types.h>
#include <sys/mbuf.h>

struct inpcb;
struct ktls_session;

/* if_snd_tag_alloc_header.type / if_snd_tag_sw.type */
#define IF_SND_TAG_TYPE_RATE_LIMIT	0
#define IF_SND_TAG_TYPE_UNLIMITED	1
#define IF_SND_TAG_TYPE_TLS		2
#define IF_SND_TAG_TYPE_TLS_RATE_LIMIT	3
#define IF_SND_TAG_TYPE_TLS_RX		4
#define IF_SND_TAG_TYPE_MAX		5

struct if_snd_tag_alloc_header {
	uint32_t type;		/* IF_SND_TAG_TYPE_* */
	uint32_t flowid;	/* flow hash of the connection's packets */
	uint32_t flowtype;	/* its M_HASHTYPE_* */
	uint8_t numa_domain;
};

struct if_snd_tag_alloc_rate_limit {
	struct if_snd_tag_alloc_header hdr;
	uint64_t max_rate;	/* bytes per second */
	uint32_t flags;		/* M_NOWAIT or M_WAITOK */
	uint32_t reserved;
};

struct if_snd_tag_alloc_tls {
	struct if_snd_tag_alloc_header hdr;
	struct inpcb *inp;
	const struct ktls_session *tls;
};

struct if_snd_tag_alloc_tls_rx {
	struct if_snd_tag_alloc_header hdr;
	struct inpcb *inp;
	const struct ktls_session *tls;
	uint16_t vlan_id;	/* 0: none */
};

struct if_snd_tag_alloc_tls_rate_limit {
	struct if_snd_tag_alloc_header hdr;
	struct inpcb *inp;
	const struct ktls_session *tls;
	uint64_t max_rate;	/* bytes per second */
};

struct if_snd_tag_rate_limit_params {
	uint64_t max_rate;	/* bytes per second */
	uint32_t queue_level;	/* IF_SND_QUEUE_LEVEL_MIN (empty) .. _MAX */
#define IF_SND_QUEUE_LEVEL_MIN	0
#define IF_SND_QUEUE_LEVEL_MAX	65535
	uint32_t flags;		/* M_NOWAIT or M_WAITOK */
};

struct if_snd_tag_modify_tls_rx {
	uint32_t tls_hdr_tcp_sn;	/* TCP sequence of the TLS header */
	uint32_t tls_rec_length;	/* whole record; 0: resume offload */
	uint64_t tls_seq_number;
};

union if_snd_tag_alloc_params {
	struct if_snd_tag_alloc_header hdr;
	struct if_snd_tag_alloc_rate_limit rate_limit;
	struct if_snd_tag_alloc_rate_limit unlimited;
	struct if_snd_tag_alloc_tls tls;
	struct if_snd_tag_alloc_tls_rx tls_rx;
	struct if_snd_tag_alloc_tls_rate_limit tls_rate_limit;
};

union if_snd_tag_modify_params {
	struct if_snd_tag_rate_limit_params rate_limit;
	struct if_snd_tag_rate_limit_params unlimited;
	struct if_snd_tag_rate_limit_params tls_rate_limit;
	struct if_snd_tag_modify_tls_rx tls_rx;
};

union if_snd_tag_query_params {
	struct if_snd_tag_rate_limit_params rate_limit;
	struct if_snd_tag_rate_limit_params unlimited;
	struct if_snd_tag_rate_limit_params tls_rate_limit;
};

typedef int (if_snd_tag_alloc_t)(struct ifnet *ifp,
				 union if_snd_tag_alloc_params *params,
				 struct m_snd_tag **mstp);
typedef int (if_snd_tag_modify_t)(struct m_snd_tag *mst,
				  union if_snd_tag_modify_params *params);
typedef int (if_snd_tag_query_t)(struct m_snd_tag *mst,
				 union if_snd_tag_query_params *params);
typedef void (if_snd_tag_free_t)(struct m_snd_tag *mst);
typedef struct m_snd_tag *(if_next_send_tag_t)(struct m_snd_tag *mst);

/* A tag type's methods, shared by all tags of that type (m_snd_tag_init). */
struct if_snd_tag_sw {
	if_snd_tag_modify_t	*snd_tag_modify;
	if_snd_tag_query_t	*snd_tag_query;
	if_snd_tag_free_t	*snd_tag_free;	/* required */
	if_next_send_tag_t	*next_snd_tag;
	u_int			type;		/* IF_SND_TAG_TYPE_* */
};

/* Linux: how a device offers send tags (see sndtag.c). */
int	mbuf_snd_tag_register(struct ifnet *ifp, if_snd_tag_alloc_t *alloc);
void	mbuf_snd_tag_unregister(struct ifnet *ifp);

#endif /* !_NET_IF_VAR_H_ */
