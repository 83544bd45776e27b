// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The sk_buff bridge: mbuf chains to sk_buffs and back, payload not copied.
 *
 * Receive (mbuf_to_skb). Clusters of every size are page-backed (blocks
 * from the page allocator, cluster.c and jumbo.c), so the stack can hold
 * them the way it holds any page: through the page reference count. A
 * cluster given to an skb is "lent":
 *
 *   - the skb gets a page reference of its own (get_page) for each piece
 *     it takes: the cluster as its head (build_skb, when the frame leaves
 *     room for struct skb_shared_info at the end of a cluster nobody else
 *     references) or as a page fragment;
 *   - the mbuf that carried the cluster is kept, unchanged, on the lent
 *     list: it keeps the cluster allocated, so its zone cannot hand the
 *     memory to anyone else while the stack reads it;
 *   - the stack frees the skb whenever and wherever it likes; its
 *     put_page() is the only thing that happens then. Nothing of ours is
 *     called, so an skb may outlive the driver and this module;
 *   - the lent list is reaped (on each conversion once it is long, once a
 *     second from a work item, and whenever the lent count is read): a
 *     buffer whose page holds only its block's own reference again is
 *     back, and the mbuf that kept it is freed the usual way (m_free), its
 *     cluster going back to its zone.
 *
 * Lent buffers stay in use in their zones and count against their limits
 * (nmbclusters, nmbjumbo*), as a cluster in a socket buffer does on
 * FreeBSD. Blocks are reclaimed by reference count per page, so a page of
 * two 2 KiB clusters comes back when both are back, a jumbo block when all
 * of its buffers lent at the time are. On unload the lent mbufs are freed
 * at once: their clusters go back to the zones, the zones give the blocks
 * back with __free_pages(), which only drops our reference, and the last
 * put_page() of the stack frees the memory.
 *
 * Storage the stack cannot take is copied: an mbuf's own data area and
 * the header and trailer bytes of an M_EXTPG mbuf (slab memory), and
 * external buffers of other types. M_EXTPG pages are lent with a page
 * reference and the mbuf freed at once: the pages' own ext_free drops the
 * mbuf's reference, the skb keeps its own.
 *
 * Transmit (skb_to_mbuf): the headers are copied into the packet header
 * mbuf (a driver may rewrite them); every other piece of the skb becomes
 * an EXT_NET_DRV, M_RDONLY mbuf sharing one reference count, and the skb
 * is consumed when its last mbuf is freed.
 *
 * The metadata mapping both ways is tabled in Documentation/bridge.rst.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/workqueue.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/mbuf_skb.h>
#include "internal.h"

/* Header bytes copied into the linear part ahead of lent storage. */
#define MBUF_SKB_HDRCOPY	128
/* Lent buffers above which a conversion reaps, and how many it looks at. */
#define MBUF_SKB_REAP_BATCH	64
#define MBUF_SKB_REAP_INTERVAL	HZ

/*
 * The lent list: mbufs keeping a lent cluster allocated, linked through
 * m_nextpkt, oldest first.
 */
static DEFINE_SPINLOCK(mbuf_skb_lent_lock);
static struct mbuf *mbuf_skb_lent_head;
static struct mbuf **mbuf_skb_lent_tail = &mbuf_skb_lent_head;
static unsigned long mbuf_skb_lent_n;		/* on the list */
static atomic_long_t mbuf_skb_lent_total;	/* ever lent */
static bool mbuf_skb_stopping;

static void mbuf_skb_reap_workfn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mbuf_skb_reap_work, mbuf_skb_reap_workfn);

/* The zone whose page-backed blocks hold a cluster of @type, or NULL. */
static uma_zone_t mbuf_skb_cluster_zone(int type)
{
	switch (type) {
	case EXT_CLUSTER:
	case EXT_PACKET:
		return MBZ(MBZ_CLUST);
	case EXT_JUMBOP:
		return MBZ(MBZ_JUMBOP);
	case EXT_JUMBO9:
		return MBZ(MBZ_JUMBO9);
	case EXT_JUMBO16:
		return MBZ(MBZ_JUMBO16);
	}
	return NULL;
}

/* Can @m's storage be lent (a cluster in one of our page-backed blocks)? */
static bool mbuf_skb_lendable(const struct mbuf *m)
{
	uma_zone_t zone;

	if ((m->m_flags & (M_EXT | M_EXTPG | M_NOFREE)) != M_EXT)
		return false;
	zone = mbuf_skb_cluster_zone(m->m_ext.ext_type);
	return zone && mbuf_pageblock_owns(zone, m->m_ext.ext_buf);
}

/* Is the cluster a lent mbuf keeps back, i.e. only its block refers to it? */
static bool mbuf_skb_returned(const struct mbuf *m)
{
	if (page_count(virt_to_page(m->m_ext.ext_buf)) != 1)
		return false;
	/* The stack's last accesses happen before its put_page(). */
	smp_acquire__after_ctrl_dep();
	return true;
}

/* Append a private list of @n lent mbufs to the lent list. */
static void mbuf_skb_lend(struct mbuf *head, struct mbuf **tail,
			  unsigned long n)
{
	unsigned long flags;
	bool arm;

	if (!n)
		return;
	atomic_long_add(n, &mbuf_skb_lent_total);
	spin_lock_irqsave(&mbuf_skb_lent_lock, flags);
	arm = !mbuf_skb_lent_n && !mbuf_skb_stopping;
	*mbuf_skb_lent_tail = head;
	mbuf_skb_lent_tail = tail;
	mbuf_skb_lent_n += n;
	spin_unlock_irqrestore(&mbuf_skb_lent_lock, flags);
	if (arm)
		schedule_delayed_work(&mbuf_skb_reap_work,
				      MBUF_SKB_REAP_INTERVAL);
}

/*
 * Look at up to @budget lent mbufs, oldest first: free those whose
 * cluster is back (or all of them with @all), keep the others.
 * Returns how many are still lent. Any context but hard interrupt.
 */
static unsigned long mbuf_skb_reap(unsigned long budget, bool all)
{
	struct mbuf *list, *m, *keep = NULL, **keept = &keep;
	unsigned long flags, n = 0, kept = 0, left;

	spin_lock_irqsave(&mbuf_skb_lent_lock, flags);
	list = mbuf_skb_lent_head;
	m = list;
	while (m && n < budget) {
		n++;
		if (n == budget || !m->m_nextpkt)
			break;
		m = m->m_nextpkt;
	}
	if (m) {
		mbuf_skb_lent_head = m->m_nextpkt;
		m->m_nextpkt = NULL;
		if (!mbuf_skb_lent_head)
			mbuf_skb_lent_tail = &mbuf_skb_lent_head;
	}
	mbuf_skb_lent_n -= n;
	spin_unlock_irqrestore(&mbuf_skb_lent_lock, flags);

	while (list) {
		m = list;
		list = m->m_nextpkt;
		m->m_nextpkt = NULL;
		if (all || mbuf_skb_returned(m)) {
			m_free(m);
		} else {
			*keept = m;
			keept = &m->m_nextpkt;
			kept++;
		}
	}

	spin_lock_irqsave(&mbuf_skb_lent_lock, flags);
	if (kept) {
		*mbuf_skb_lent_tail = keep;
		mbuf_skb_lent_tail = keept;
		mbuf_skb_lent_n += kept;
	}
	left = mbuf_skb_lent_n;
	spin_unlock_irqrestore(&mbuf_skb_lent_lock, flags);
	return left;
}

static void mbuf_skb_reap_workfn(struct work_struct *work)
{
	if (mbuf_skb_reap(ULONG_MAX, false) && !READ_ONCE(mbuf_skb_stopping))
		schedule_delayed_work(&mbuf_skb_reap_work,
				      MBUF_SKB_REAP_INTERVAL);
}

/**
 * mbuf_skb_lent() - cluster buffers lent to the stack and not yet returned
 *
 * Reaps the lent list first, so that a buffer the stack has freed is no
 * longer counted.
 *
 * Context: process context (any but hard interrupt, in fact).
 * Return: the number of lent buffers.
 */
unsigned long mbuf_skb_lent(void)
{
	return mbuf_skb_reap(ULONG_MAX, false);
}
MBUF_EXPORT(mbuf_skb_lent);

/**
 * mbuf_skb_lent_ever() - buffers lent to the stack since the module loaded
 *
 * Return: the count.
 */
unsigned long mbuf_skb_lent_ever(void)
{
	return atomic_long_read(&mbuf_skb_lent_total);
}

/**
 * mbuf_skb_exit() - give every lent buffer's memory to the stack (unload)
 *
 * Frees the mbufs keeping lent clusters: the clusters go back to their
 * zones, which drop their block references; pages the stack still holds
 * are freed by its last put_page().
 */
void mbuf_skb_exit(void)
{
	WRITE_ONCE(mbuf_skb_stopping, true);
	cancel_delayed_work_sync(&mbuf_skb_reap_work);
	mbuf_skb_reap(ULONG_MAX, true);
}

/* ---- receive: mbuf chain -> skb ------------------------------------- */

struct mbuf_skb_rx {
	struct sk_buff *skb;		/* the skb handed out */
	struct sk_buff *cur;		/* where fragments go: skb or frag_list */
	struct sk_buff **next;		/* where the next frag_list skb links */
	struct napi_struct *napi;
	struct mbuf *lent, **lent_tail;	/* mbufs to put on the lent list */
	unsigned long nlent;
};

/* Allocation failure for tests (fault.c, MBUF_FAULT_OTHER). */
static bool mbuf_skb_fail(void)
{
	return mbuf_fault_armed() && mbuf_should_fail(NULL);
}

/*
 * Add a fragment for which the caller holds a page reference (passed to
 * the skb, or dropped on failure).
 */
static int mbuf_skb_add_frag(struct mbuf_skb_rx *rx, struct page *page,
			     unsigned int off, unsigned int len,
			     unsigned int truesize)
{
	struct sk_buff *n;

	if (skb_shinfo(rx->cur)->nr_frags >= MAX_SKB_FRAGS) {
		n = mbuf_skb_fail() ? NULL : alloc_skb(0, GFP_ATOMIC);
		if (!n) {
			put_page(page);
			return -ENOMEM;
		}
		*rx->next = n;
		rx->next = &n->next;
		rx->cur = n;
	}
	skb_add_rx_frag(rx->cur, skb_shinfo(rx->cur)->nr_frags, page, off,
			len, truesize);
	return 0;
}

/* Copy @len bytes into new page fragments. */
static int mbuf_skb_add_copy(struct mbuf_skb_rx *rx, const void *src,
			     unsigned int len)
{
	unsigned int n;
	struct page *page;
	void *va;

	while (len) {
		n = min_t(unsigned int, len, PAGE_SIZE);
		if (mbuf_skb_fail())
			va = NULL;
		else if (rx->napi)
			va = napi_alloc_frag(n);
		else
			va = netdev_alloc_frag(n);
		if (!va)
			return -ENOMEM;
		memcpy(va, src, n);
		page = virt_to_head_page(va);
		if (mbuf_skb_add_frag(rx, page,
				      (char *)va - (char *)page_address(page),
				      n, n))
			return -ENOMEM;
		src += n;
		len -= n;
	}
	return 0;
}

/* Bytes [@off, @off + @len) of an M_EXTPG mbuf's data: pages lent. */
static int mbuf_skb_add_extpg(struct mbuf_skb_rx *rx, struct mbuf *m,
			      unsigned int off, unsigned int len)
{
	unsigned int seg, pgoff, n;
	int i, err;

	off += mtod(m, uintptr_t);
	seg = m->m_epg_hdrlen;
	if (off < seg) {
		n = min(seg - off, len);
		err = mbuf_skb_add_copy(rx, m->m_epg_hdr + off, n);
		if (err)
			return err;
		len -= n;
		off = seg;
	}
	off -= seg;
	for (i = 0; i < m->m_epg_npgs && len; i++) {
		pgoff = i == 0 ? m->m_epg_1st_off : 0;
		seg = m_epg_pagelen(m, i, pgoff);
		if (off >= seg) {
			off -= seg;
			continue;
		}
		n = min(seg - off, len);
		get_page(m->m_epg_pg[i]);
		err = mbuf_skb_add_frag(rx, m->m_epg_pg[i], pgoff + off, n,
					PAGE_SIZE);
		if (err)
			return err;
		len -= n;
		off = 0;
	}
	if (len) {
		if (WARN_ON_ONCE(off + len > m->m_epg_trllen))
			return -EINVAL;
		return mbuf_skb_add_copy(rx, m->m_epg_trail + off, len);
	}
	return 0;
}

/*
 * Bytes [@off, m_len) of @m into fragments. Returns 1 if @m now keeps a
 * lent cluster (the caller puts it on the lent list), 0 if @m may be
 * freed, or a negative errno.
 */
static int mbuf_skb_add_mbuf(struct mbuf_skb_rx *rx, struct mbuf *m,
			     unsigned int off)
{
	unsigned int len = m->m_len - off;
	char *data = mtod(m, char *) + off;
	struct page *page;
	int err;

	if (m->m_flags & M_EXTPG)
		return mbuf_skb_add_extpg(rx, m, off, len);
	if (!mbuf_skb_lendable(m))
		return mbuf_skb_add_copy(rx, data, len);
	page = virt_to_page(data);
	get_page(page);
	err = mbuf_skb_add_frag(rx, page, offset_in_page(data), len,
				m->m_ext.ext_size);
	if (err)
		return err;
	/* Others may read the cluster too: no writing in place. */
	if (m_extrefcnt(m) > 1)
		skb_shinfo(rx->skb)->flags |= SKBFL_SHARED_FRAG;
	return 1;
}

/* Keep @m (a lent cluster's mbuf) for the lent list. */
static void mbuf_skb_keep(struct mbuf_skb_rx *rx, struct mbuf *m)
{
	/* Tags and a send tag need not wait for the stack. */
	if (m->m_flags & M_PKTHDR) {
		m_tag_delete_chain(m, NULL);
		if (m->m_pkthdr.csum_flags & CSUM_SND_TAG)
			m_snd_tag_rele(m->m_pkthdr.snd_tag);
		m->m_pkthdr.csum_flags = 0;
		m->m_flags &= ~M_PKTHDR;
	}
	m->m_next = NULL;
	m->m_nextpkt = NULL;
	*rx->lent_tail = m;
	rx->lent_tail = &m->m_nextpkt;
	rx->nlent++;
}

/*
 * Can the first mbuf's cluster be the skb's head? Only a cluster nobody
 * else references, since the shared info is written at its end.
 */
static bool mbuf_skb_head_fits(const struct mbuf *m)
{
	unsigned int used;

	if (!mbuf_skb_lendable(m) || m_extrefcnt((struct mbuf *)m) != 1)
		return false;
	used = mtod(m, char *) - m->m_ext.ext_buf + m->m_len;
	return used + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) <=
	       m->m_ext.ext_size;
}

static struct sk_buff *mbuf_skb_build_head(struct mbuf_skb_rx *rx,
					   struct mbuf *m)
{
	char *buf = m->m_ext.ext_buf;
	struct sk_buff *skb;

	if (mbuf_skb_fail())
		return NULL;
	get_page(virt_to_page(buf));
	skb = rx->napi ? napi_build_skb(buf, m->m_ext.ext_size) :
			 build_skb(buf, m->m_ext.ext_size);
	if (!skb) {
		put_page(virt_to_page(buf));
		return NULL;
	}
	skb_reserve(skb, mtod(m, char *) - buf);
	skb_put(skb, m->m_len);
	return skb;
}

static struct sk_buff *mbuf_skb_alloc_head(struct mbuf_skb_rx *rx,
					   struct net_device *dev,
					   unsigned int len)
{
	if (mbuf_skb_fail())
		return NULL;
	if (rx->napi)
		return napi_alloc_skb(rx->napi, len);
	return netdev_alloc_skb(dev, len);
}

/* Ethernet, optional in-band 802.1Q/802.1ad tag, IPv4 or IPv6, TCP/UDP. */
struct mbuf_skb_hdrs {
	unsigned int l3off, l4off;
	u8 proto;
	bool v6;
};

static int mbuf_skb_parse(struct sk_buff *skb, struct mbuf_skb_hdrs *h)
{
	const struct ethhdr *eth;
	__be16 type;

	if (!pskb_may_pull(skb, ETH_HLEN))
		return -EINVAL;
	eth = (const struct ethhdr *)skb->data;
	type = eth->h_proto;
	h->l3off = ETH_HLEN;
	if (eth_type_vlan(type)) {
		if (!pskb_may_pull(skb, VLAN_ETH_HLEN))
			return -EINVAL;
		type = ((const struct vlan_ethhdr *)skb->data)->h_vlan_encapsulated_proto;
		h->l3off = VLAN_ETH_HLEN;
	}
	if (type == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, h->l3off + sizeof(*iph)))
			return -EINVAL;
		iph = (const struct iphdr *)(skb->data + h->l3off);
		h->v6 = false;
		h->proto = iph->protocol;
		h->l4off = h->l3off + iph->ihl * 4;
	} else if (type == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6;

		if (!pskb_may_pull(skb, h->l3off + sizeof(*ip6)))
			return -EINVAL;
		ip6 = (const struct ipv6hdr *)(skb->data + h->l3off);
		h->v6 = true;
		h->proto = ip6->nexthdr;
		h->l4off = h->l3off + sizeof(*ip6);
	} else {
		return -EPROTONOSUPPORT;
	}
	if (h->proto != IPPROTO_TCP && h->proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (!pskb_may_pull(skb, h->l4off + (h->proto == IPPROTO_TCP ?
					    sizeof(struct tcphdr) :
					    sizeof(struct udphdr))))
		return -EINVAL;
	skb_set_network_header(skb, h->l3off);
	skb_set_transport_header(skb, h->l4off);
	return 0;
}

/* Checksum offload requests and results, TSO: see Documentation/bridge.rst */
static void mbuf_skb_rx_csum(struct sk_buff *skb, const struct mbuf *m)
{
	u32 f = m->m_pkthdr.csum_flags;
	struct mbuf_skb_hdrs h;
	struct tcphdr *th;
	unsigned int l4len;

	if (f & (CSUM_IP_TSO | CSUM_IP6_TSO |
		 CSUM_IP_TCP | CSUM_IP_UDP | CSUM_IP6_TCP | CSUM_IP6_UDP)) {
		if (mbuf_skb_parse(skb, &h))
			return;
		if (!skb_partial_csum_set(skb, h.l4off, h.proto == IPPROTO_TCP ?
					  offsetof(struct tcphdr, check) :
					  offsetof(struct udphdr, check)))
			return;
		if (!(f & (CSUM_IP_TSO | CSUM_IP6_TSO)) ||
		    h.proto != IPPROTO_TCP || !m->m_pkthdr.tso_segsz)
			return;
		/*
		 * FreeBSD's TSO checksum field holds the pseudo-header sum
		 * without the length, Linux's GSO one with the L4 length.
		 */
		th = tcp_hdr(skb);
		l4len = skb->len - h.l4off;
		if (h.v6)
			th->check = ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
						     &ipv6_hdr(skb)->daddr,
						     l4len, IPPROTO_TCP, 0);
		else
			th->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr,
						       ip_hdr(skb)->daddr,
						       l4len, IPPROTO_TCP, 0);
		skb_shinfo(skb)->gso_size = m->m_pkthdr.tso_segsz;
		skb_shinfo(skb)->gso_type = h.v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_segs = 0;
		return;
	}
	if ((f & (CSUM_DATA_VALID | CSUM_PSEUDO_HDR)) ==
	    (CSUM_DATA_VALID | CSUM_PSEUDO_HDR) &&
	    m->m_pkthdr.csum_data == 0xffff) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum_level = (f & CSUM_INNER_L4_VALID) ? 1 : 0;
	}
}

static void mbuf_skb_rx_meta(struct sk_buff *skb, const struct mbuf *m)
{
	const struct pkthdr *ph = &m->m_pkthdr;
	enum pkt_hash_types ht;

	skb_reset_mac_header(skb);
	if (!(ph->csum_flags & CSUM_SND_TAG))
		skb->dev = ph->rcvif;
	if (m->m_flags & M_VLANTAG)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), ph->ether_vtag);
	if (M_HASHTYPE_ISHASH(m)) {
		switch (M_HASHTYPE_GET(m)) {
		case M_HASHTYPE_RSS_TCP_IPV4:
		case M_HASHTYPE_RSS_TCP_IPV6:
		case M_HASHTYPE_RSS_TCP_IPV6_EX:
		case M_HASHTYPE_RSS_UDP_IPV4:
		case M_HASHTYPE_RSS_UDP_IPV6:
		case M_HASHTYPE_RSS_UDP_IPV6_EX:
			ht = PKT_HASH_TYPE_L4;
			break;
		case M_HASHTYPE_RSS_IPV4:
		case M_HASHTYPE_RSS_IPV6:
		case M_HASHTYPE_RSS_IPV6_EX:
			ht = PKT_HASH_TYPE_L3;
			break;
		default:
			ht = PKT_HASH_TYPE_L2;
			break;
		}
		skb_set_hash(skb, ph->flowid, ht);
	}
	if (m->m_flags & M_TSTMP)
		skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(ph->rcv_tstmp);
	mbuf_skb_rx_csum(skb, m);
}

/* frag_list skbs count in their parent's lengths. */
static void mbuf_skb_rx_finish(struct sk_buff *skb)
{
	struct sk_buff *n;

	skb_walk_frags(skb, n) {
		skb->len += n->len;
		skb->data_len += n->len;
		skb->truesize += n->truesize;
	}
}

/**
 * mbuf_to_skb() - turn a received mbuf chain into an sk_buff
 * @m: an M_PKTHDR chain holding one frame from its MAC header on
 * @napi: the NAPI context the frame was received in, or NULL
 *
 * See include/net/mbuf_skb.h and Documentation/bridge.rst.
 *
 * Return: the skb, or NULL (@m has then been freed).
 */
struct sk_buff *mbuf_to_skb(struct mbuf *m, struct napi_struct *napi)
{
	struct mbuf_skb_rx rx = { .napi = napi };
	unsigned int total, hlen, off;
	struct net_device *dev;
	struct mbuf *n, *next;
	bool head_lent = false;
	int ret = 0;

	if (!m)
		return NULL;
	if (!(m->m_flags & M_PKTHDR) || m->m_pkthdr.len <= 0) {
		pr_warn_ratelimited(MBUF_LOG_PREFIX "%s: not a packet header mbuf\n",
				    __func__);
		m_freem(m);
		return NULL;
	}
	rx.lent_tail = &rx.lent;
	total = m->m_pkthdr.len;
	dev = (m->m_pkthdr.csum_flags & CSUM_SND_TAG) ? NULL :
	      m->m_pkthdr.rcvif;

	if (total > MBUF_SKB_COPYBREAK && m->m_len > 0 &&
	    mbuf_skb_head_fits(m)) {
		/* The first cluster is the head; the rest follows it. */
		rx.skb = mbuf_skb_build_head(&rx, m);
		hlen = m->m_len;
		head_lent = true;
	} else {
		/*
		 * A copied head: the whole of a small frame, else the
		 * headers, and all of an mbuf's own data area up front.
		 */
		hlen = min_t(unsigned int, total, MBUF_SKB_HDRCOPY);
		if (total <= MBUF_SKB_COPYBREAK)
			hlen = total;
		else if (!mbuf_skb_lendable(m) && !(m->m_flags & M_EXTPG))
			hlen = max_t(unsigned int, hlen,
				     min_t(unsigned int, m->m_len,
					   MBUF_SKB_COPYBREAK));
		rx.skb = mbuf_skb_alloc_head(&rx, dev, hlen);
		if (rx.skb)
			m_copydata(m, 0, hlen, skb_put(rx.skb, hlen));
	}
	if (!rx.skb) {
		m_freem(m);
		return NULL;
	}
	rx.cur = rx.skb;
	rx.next = &skb_shinfo(rx.skb)->frag_list;
	mbuf_skb_rx_meta(rx.skb, m);

	/* The first @hlen bytes are in the head: the rest as fragments. */
	off = hlen;
	for (n = m; n; n = next) {
		next = n->m_next;
		ret = 0;
		if (n == m && head_lent)
			ret = 1;	/* its cluster is the head */
		else if (off < n->m_len)
			ret = mbuf_skb_add_mbuf(&rx, n, off);
		off -= min_t(unsigned int, off, n->m_len);
		if (ret > 0) {
			mbuf_skb_keep(&rx, n);
			continue;
		}
		n->m_next = NULL;
		m_free(n);
		if (ret < 0)
			break;
	}
	mbuf_skb_lend(rx.lent, rx.lent_tail, rx.nlent);
	if (ret < 0) {
		m_freem(next);
		kfree_skb(rx.skb);
		return NULL;
	}
	mbuf_skb_rx_finish(rx.skb);
	if (rx.nlent >= MBUF_SKB_REAP_BATCH ||
	    READ_ONCE(mbuf_skb_lent_n) >= MBUF_SKB_REAP_BATCH)
		mbuf_skb_reap(MBUF_SKB_REAP_BATCH, false);
	return rx.skb;
}
MBUF_EXPORT(mbuf_to_skb);

/* ---- transmit: skb -> mbuf chain ------------------------------------ */

/* The last mbuf referencing the skb is gone. Any context. */
static void mbuf_skb_tx_free(struct mbuf *m)
{
	dev_consume_skb_any(m->m_ext.ext_arg1);
}

struct mbuf_skb_tx {
	struct sk_buff *skb;
	struct mbuf *carrier;		/* holds the shared count */
	struct mbuf **tail;
	int how;
};

/* One read-only piece of the skb's memory. */
static int mbuf_skb_tx_piece(struct mbuf_skb_tx *tx, char *addr,
			     unsigned int len)
{
	struct mbuf *n;

	if (!len)
		return 0;
	n = m_get(tx->how, MT_DATA);
	if (!n)
		return -ENOMEM;
	if (!tx->carrier) {
		m_extadd(n, addr, len, mbuf_skb_tx_free, tx->skb, NULL,
			 M_RDONLY, EXT_NET_DRV);
		tx->carrier = n;
	} else {
		mb_dupcl(n, tx->carrier);
		n->m_ext.ext_buf = addr;
		n->m_ext.ext_size = len;
	}
	n->m_data = addr;
	n->m_len = len;
	*tx->tail = n;
	tx->tail = &n->m_next;
	return 0;
}

/*
 * One skb's linear part and fragments (not its frag_list), from *@off on;
 * *@off is left at what remains to skip after this skb.
 */
static int mbuf_skb_tx_pieces(struct mbuf_skb_tx *tx, struct sk_buff *skb,
			      unsigned int *off)
{
	unsigned int hl = skb_headlen(skb), fl;
	const skb_frag_t *f;
	int i, err;

	if (*off < hl) {
		err = mbuf_skb_tx_piece(tx, (char *)skb->data + *off,
					hl - *off);
		if (err)
			return err;
		*off = hl;
	}
	*off -= hl;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		f = &skb_shinfo(skb)->frags[i];
		fl = skb_frag_size(f);
		if (*off >= fl) {
			*off -= fl;
			continue;
		}
		/* Pages only (not device memory), all in the direct map. */
		if (!skb_frag_page(f) || PageHighMem(skb_frag_page(f)))
			return -EINVAL;
		err = mbuf_skb_tx_piece(tx, (char *)skb_frag_address(f) + *off,
					fl - *off);
		if (err)
			return err;
		*off = 0;
	}
	return 0;
}

/* Headers to copy: through the L4 header of an offloaded packet. */
static unsigned int mbuf_skb_tx_hlen(const struct sk_buff *skb)
{
	unsigned int hlen = min_t(unsigned int, skb->len, MHLEN);

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_is_gso(skb) &&
	    skb->csum_offset == offsetof(struct tcphdr, check))
		hlen = skb_transport_offset(skb) + tcp_hdrlen(skb);
	else if (skb->ip_summed == CHECKSUM_PARTIAL)
		hlen = skb_checksum_start_offset(skb) +
		       (skb->csum_offset == offsetof(struct tcphdr, check) ?
			tcp_hdrlen(skb) : sizeof(struct udphdr));
	else if (skb->len > MHLEN)
		hlen = min_t(unsigned int, skb_headlen(skb), MHLEN);
	return min_t(unsigned int, hlen, min_t(unsigned int, skb->len, MHLEN));
}

/* The IP version at the network header: 4, 6, or 0. */
static int mbuf_skb_ipver(const struct sk_buff *skb)
{
	int room = skb_headlen(skb) - skb_network_offset(skb);

	if (skb_network_offset(skb) < 0 || room < (int)sizeof(struct iphdr))
		return 0;
	if (ip_hdr(skb)->version == 4)
		return 4;
	if (ip_hdr(skb)->version == 6 && room >= (int)sizeof(struct ipv6hdr))
		return 6;
	return 0;
}

/* Offload requests, with FreeBSD's TSO pseudo-header sum in @m's copy. */
static int mbuf_skb_tx_csum(struct mbuf *m, const struct sk_buff *skb)
{
	struct pkthdr *ph = &m->m_pkthdr;
	unsigned int l4 = skb_checksum_start_offset(skb);
	int ver = mbuf_skb_ipver(skb);
	bool tcp = skb->csum_offset == offsetof(struct tcphdr, check);
	struct tcphdr *th;

	if (skb->ip_summed == CHECKSUM_UNNECESSARY) {
		ph->csum_flags |= CSUM_IP_CHECKED | CSUM_IP_VALID |
				  CSUM_DATA_VALID | CSUM_PSEUDO_HDR;
		if (skb->csum_level)
			ph->csum_flags |= CSUM_INNER_L3_CALC |
					  CSUM_INNER_L3_VALID |
					  CSUM_INNER_L4_CALC |
					  CSUM_INNER_L4_VALID;
		ph->csum_data = 0xffff;
		return 0;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return skb_is_gso(skb) ? -EPROTONOSUPPORT : 0;
	if (!ver || (!tcp && skb->csum_offset != offsetof(struct udphdr, check)))
		return -EPROTONOSUPPORT;
	ph->csum_data = skb->csum_offset;
	ph->l2hlen = skb_network_offset(skb);
	ph->l3hlen = l4 - skb_network_offset(skb);
	ph->l4hlen = tcp ? tcp_hdrlen(skb) : sizeof(struct udphdr);
	if (ver == 4)
		ph->csum_flags |= tcp ? CSUM_IP_TCP : CSUM_IP_UDP;
	else
		ph->csum_flags |= tcp ? CSUM_IP6_TCP : CSUM_IP6_UDP;
	if (!skb_is_gso(skb))
		return 0;
	if (!tcp || !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) ||
	    (skb_shinfo(skb)->gso_type & ~(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 |
					    SKB_GSO_DODGY | SKB_GSO_TCP_ECN |
					    SKB_GSO_TCP_FIXEDID)) ||
	    l4 + sizeof(*th) > (unsigned int)m->m_len)
		return -EPROTONOSUPPORT;
	ph->tso_segsz = skb_shinfo(skb)->gso_size;
	th = (struct tcphdr *)(mtod(m, char *) + l4);
	if (ver == 4) {
		const struct iphdr *iph = (const struct iphdr *)
			(mtod(m, char *) + skb_network_offset(skb));

		ph->csum_flags |= CSUM_IP | CSUM_IP_TSO;
		th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, 0,
					       IPPROTO_TCP, 0);
	} else {
		const struct ipv6hdr *ip6 = (const struct ipv6hdr *)
			(mtod(m, char *) + skb_network_offset(skb));

		ph->csum_flags |= CSUM_IP6_TSO;
		th->check = ~csum_ipv6_magic(&ip6->saddr, &ip6->daddr, 0,
					     IPPROTO_TCP, 0);
	}
	return 0;
}

static int mbuf_skb_tx_meta(struct mbuf *m, const struct sk_buff *skb)
{
	struct pkthdr *ph = &m->m_pkthdr;
	int ver;

	ph->rcvif = skb->dev;
	if (skb_vlan_tag_present(skb)) {
		m->m_flags |= M_VLANTAG;
		ph->ether_vtag = skb_vlan_tag_get(skb);
	}
	if (skb->hash) {
		ph->flowid = skb->hash;
		ver = mbuf_skb_ipver(skb);
		if (skb->sw_hash || !ver)
			M_HASHTYPE_SET(m, M_HASHTYPE_OPAQUE_HASH);
		else if (!skb->l4_hash)
			M_HASHTYPE_SET(m, ver == 4 ? M_HASHTYPE_RSS_IPV4 :
						     M_HASHTYPE_RSS_IPV6);
		else if ((ver == 4 ? ip_hdr(skb)->protocol :
				     ipv6_hdr(skb)->nexthdr) == IPPROTO_UDP)
			M_HASHTYPE_SET(m, ver == 4 ? M_HASHTYPE_RSS_UDP_IPV4 :
						     M_HASHTYPE_RSS_UDP_IPV6);
		else
			M_HASHTYPE_SET(m, ver == 4 ? M_HASHTYPE_RSS_TCP_IPV4 :
						     M_HASHTYPE_RSS_TCP_IPV6);
	}
	/* rcv_tstmp shares its room with the header lengths of offloads. */
	if (skb->ip_summed != CHECKSUM_PARTIAL &&
	    skb_hwtstamps((struct sk_buff *)skb)->hwtstamp) {
		m->m_flags |= M_TSTMP;
		ph->rcv_tstmp = ktime_to_ns(skb_hwtstamps((struct sk_buff *)skb)->hwtstamp);
	}
	return mbuf_skb_tx_csum(m, skb);
}

/**
 * skb_to_mbuf() - turn an sk_buff to transmit into an mbuf chain
 * @skb: the skb, as ndo_start_xmit gets it
 * @how: M_NOWAIT or M_WAITOK
 *
 * See include/net/mbuf_skb.h and Documentation/bridge.rst.
 *
 * Return: the chain, or NULL (@skb has then been freed).
 */
struct mbuf *skb_to_mbuf(struct sk_buff *skb, int how)
{
	struct mbuf_skb_tx tx = { .how = how };
	unsigned int hlen, off;
	struct sk_buff *fl;
	struct mbuf *m;
	int err;

	if (!skb)
		return NULL;
	if ((how & (M_NOWAIT | M_WAITOK)) != M_NOWAIT &&
	    (how & (M_NOWAIT | M_WAITOK)) != M_WAITOK) {
		pr_warn_once(MBUF_LOG_PREFIX "%s: bad how %#x\n", __func__, how);
		kfree_skb(skb);
		return NULL;
	}
	might_sleep_if(how & M_WAITOK);
	/* FreeBSD's M_VLANTAG is 802.1Q: other tags go into the frame. */
	if (skb_vlan_tag_present(skb) && skb->vlan_proto != htons(ETH_P_8021Q)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb)
			return NULL;
	}
	m = m_gethdr(how, MT_DATA);
	if (!m) {
		kfree_skb(skb);
		return NULL;
	}
	hlen = mbuf_skb_tx_hlen(skb);
	if (skb_copy_bits(skb, 0, mtod(m, void *), hlen))
		goto drop;
	m->m_len = hlen;
	m->m_pkthdr.len = skb->len;
	if (mbuf_skb_tx_meta(m, skb))
		goto drop;

	tx.skb = skb;
	tx.tail = &m->m_next;
	off = hlen;
	err = mbuf_skb_tx_pieces(&tx, skb, &off);
	skb_walk_frags(skb, fl) {
		if (err)
			break;
		err = mbuf_skb_tx_pieces(&tx, fl, &off);
	}
	if (err) {
		/* Freeing the chain frees the skb once it references it. */
		if (tx.carrier)
			skb = NULL;
		goto drop;
	}
	if (!tx.carrier)
		dev_consume_skb_any(skb);	/* all of it was copied */
	return m;

drop:
	m_freem(m);
	kfree_skb(skb);
	return NULL;
}
MBUF_EXPORT(skb_to_mbuf);
