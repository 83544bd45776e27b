/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The sk_buff bridge: packets between mbuf chains and Linux's stack
 * without copying their payload.
 *
 * A ported driver's receive path ends in mbuf_to_skb() (if_input calls
 * it), its transmit path starts with skb_to_mbuf() (ndo_start_xmit calls
 * it, if_transmit gets the chain). Both always consume what they are
 * given. Cluster memory lent to an sk_buff goes back through the page
 * reference count, never through a callback into this module, so an skb
 * may outlive the driver and the module. Documentation/bridge.rst has the
 * design and the table of every metadata mapping.
 */
#ifndef _NET_MBUF_SKB_H_
#define _NET_MBUF_SKB_H_

#include <sys/mbuf.h>

struct sk_buff;
struct napi_struct;

/*
 * Bytes of a frame's headers mbuf_to_skb() may copy into the skb's linear
 * part (and the size up to which it copies a whole small frame).
 */
#define MBUF_SKB_COPYBREAK	256

/*
 * Leading space skb_to_mbuf() leaves in the first mbuf of the chain, in
 * front of the copied headers, so that a driver's M_PREPEND of its own
 * small header (virtio-net's 12 bytes, a VLAN tag, a descriptor prefix)
 * happens in place, as it does on FreeBSD, whose stack leaves max_linkhdr
 * in front of the headers it builds. Only a packet whose checksum or TSO
 * offload needs more than MHLEN - MBUF_SKB_LEADINGSPACE bytes of headers
 * in the first mbuf gets less (what remains of MHLEN).
 */
#define MBUF_SKB_LEADINGSPACE	32

/**
 * mbuf_to_skb() - turn a received mbuf chain into an sk_buff
 * @m: an M_PKTHDR chain holding one frame from its MAC header on
 * @napi: the NAPI context the frame was received in, or NULL
 *
 * Consumes @m: on success its storage now belongs to the returned skb, on
 * failure it has been freed. Payload in 2 KiB, page, 9 KiB and 16 KiB
 * clusters and in unmapped (M_EXTPG) pages is not copied: it becomes the
 * skb's head or its page fragments, lent to the stack. At most
 * MBUF_SKB_COPYBREAK bytes of headers are copied, and a frame of at most
 * that size may be copied whole. Storage the stack cannot take (an mbuf's
 * own data area, a driver's external buffer, a cluster that other mbufs
 * share) is copied. The skb has len == m->m_pkthdr.len, the same bytes,
 * data and the MAC header at the frame's first byte, dev =
 * m->m_pkthdr.rcvif, and the checksum, TSO, RSS hash, VLAN and timestamp
 * of the packet header (Documentation/bridge.rst). skb->protocol is left
 * to the caller, which passes the skb to eth_type_trans() as a Linux
 * driver does.
 *
 * Context: any but hard interrupt; @napi, if given, must be the caller's
 * own running NAPI context.
 * Return: the skb, or NULL (out of memory, or @m is not a packet header).
 */
struct sk_buff *mbuf_to_skb(struct mbuf *m, struct napi_struct *napi);

/**
 * skb_to_mbuf() - turn an sk_buff to transmit into an mbuf chain
 * @skb: the skb, as ndo_start_xmit gets it
 * @how: M_NOWAIT or M_WAITOK
 *
 * Consumes @skb: on success the chain references its memory, on failure
 * it has been freed. The first mbuf is an M_PKTHDR mbuf holding a private
 * copy of the headers (up to MHLEN bytes), which a driver may rewrite,
 * with MBUF_SKB_LEADINGSPACE bytes of leading space in front of them;
 * the rest of the linear part and every page fragment follow as read-only
 * external storage (EXT_NET_DRV, M_RDONLY). The skb is released when the
 * last mbuf referencing it is freed, in any context. m_pkthdr.len ==
 * skb->len; checksum offload, TSO (with the TCP pseudo-header checksum
 * FreeBSD drivers expect in th_sum), flow hash, VLAN tag and timestamp
 * follow the table in Documentation/bridge.rst.
 *
 * Context: any but hard interrupt with M_NOWAIT; process context with
 * M_WAITOK.
 * Return: the chain, or NULL (out of memory, or a bad @how).
 */
struct mbuf *skb_to_mbuf(struct sk_buff *skb, int how);

/**
 * mbuf_skb_lent() - cluster bytes lent to the stack and not yet returned
 *
 * Counts the buffers mbuf_to_skb() gave to sk_buffs whose memory the stack
 * still holds (netstat -m shows them on a line of their own). Looks at the
 * page reference counts first, so a buffer the stack has freed is no
 * longer counted.
 *
 * Context: process context.
 * Return: the number of lent buffers.
 */
unsigned long mbuf_skb_lent(void);

#endif /* _NET_MBUF_SKB_H_ */
