// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_skb: the sk_buff bridge, mbuf_to_skb() and skb_to_mbuf().
 *
 * Strategy. Chains of every cluster size (2 KiB from the packet zone and
 * from the cluster zone, page, 9 KiB, 16 KiB) and of every shape (one
 * cluster, headers in an mbuf's own data area before a cluster, several
 * clusters, more pieces than an skb has fragment slots, unmapped M_EXTPG
 * pages with header and trailer bytes, data in plain mbufs in between)
 * are filled with a pattern and converted. The skb must have the same
 * length and bytes, and zero copy is checked: every cluster's page is the
 * skb's head or one of its fragments' pages (frag_list included). Each
 * lent cluster is counted by mbuf_skb_lent() while the skb lives,
 * whether the skb is cloned or shared and in whichever order those go,
 * and whether or not other mbufs still share the cluster; the count is
 * back to zero and every zone back to its baseline once the stack's
 * references are gone. Metadata is checked field by field both ways
 * (checksum results and requests, TSO with the pseudo-header sum each
 * side expects, RSS hash, VLAN, timestamp, rcvif/dev) and through a round
 * trip. Transmit: the headers are a private copy, the rest are read-only
 * EXT_NET_DRV mbufs pointing into the skb, and the skb is released
 * exactly when the last of them is freed. Every allocation of either
 * direction is made to fail in turn (fault injection): the call returns
 * NULL and nothing leaks (skb references, zone counts, lent count).
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/mbuf_skb.h>
#include "mbuf_zone_kunit.h"

/* ---- building chains ------------------------------------------------ */

enum mbuf_sk_kind {
	SK_PACKET,	/* m_getcl: packet zone (EXT_PACKET) */
	SK_CL2K,	/* m_getjcl(MCLBYTES): EXT_CLUSTER */
	SK_PAGE,	/* MJUMPAGESIZE */
	SK_J9,
	SK_J16,
	SK_PLAIN,	/* an mbuf's own data area */
	SK_EXTPG,	/* unmapped pages, 5 header and 7 trailer bytes */
};

struct mbuf_sk_seg {
	enum mbuf_sk_kind kind;
	int len;
	int off;	/* data offset in the cluster */
};

static u8 mbuf_sk_byte(int i)
{
	return (u8)(i * 7 + (i >> 8) * 13 + 1);
}

static void mbuf_sk_pattern(u8 *p, int from, int len)
{
	int i;

	for (i = 0; i < len; i++)
		p[i] = mbuf_sk_byte(from + i);
}

static bool mbuf_sk_lendable_kind(enum mbuf_sk_kind k)
{
	return k <= SK_J16;
}

static int mbuf_sk_kind_size(enum mbuf_sk_kind k)
{
	switch (k) {
	case SK_PACKET:
	case SK_CL2K:
		return MCLBYTES;
	case SK_PAGE:
		return MJUMPAGESIZE;
	case SK_J9:
		return MJUM9BYTES;
	case SK_J16:
		return MJUM16BYTES;
	default:
		return 0;
	}
}

/* An M_EXTPG mbuf holding @len bytes (5 header, pages, 7 trailer). */
static struct mbuf *mbuf_sk_extpg(struct kunit *test, int from, int len)
{
	int data = len - 12, i, n;
	struct mbuf *m;

	KUNIT_ASSERT_GT(test, data, 0);
	m = mb_alloc_ext_plus_pages(data + 100, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_epg_hdrlen = 5;
	mbuf_sk_pattern((u8 *)m->m_epg_hdr, from, 5);
	from += 5;
	m->m_epg_1st_off = 100;
	n = min_t(int, data, PAGE_SIZE - 100);
	mbuf_sk_pattern((u8 *)page_address(m->m_epg_pg[0]) + 100, from, n);
	from += n;
	data -= n;
	for (i = 1; data > 0; i++) {
		KUNIT_ASSERT_LT(test, i, (int)m->m_epg_npgs);
		n = min_t(int, data, PAGE_SIZE);
		mbuf_sk_pattern(page_address(m->m_epg_pg[i]), from, n);
		from += n;
		data -= n;
	}
	m->m_epg_npgs = i;
	m->m_epg_last_len = i == 1 ? len - 12 : n;
	m->m_epg_trllen = 7;
	mbuf_sk_pattern((u8 *)m->m_epg_trail, from, 7);
	m->m_len = len;
	return m;
}

/* The extra pages mb_alloc_ext_plus_pages took beyond m_epg_npgs. */
static void mbuf_sk_extpg_trim(struct mbuf *m, int had)
{
	int i;

	for (i = m->m_epg_npgs; i < had; i++)
		put_page(m->m_epg_pg[i]);
}

static struct mbuf *mbuf_sk_build(struct kunit *test,
				  const struct mbuf_sk_seg *seg, int nseg,
				  struct page **pages, int *npages)
{
	struct mbuf *top = NULL, **tail = &top, *m;
	int i, pos = 0, flags, size, had;

	*npages = 0;
	for (i = 0; i < nseg; i++) {
		flags = i ? 0 : M_PKTHDR;
		size = mbuf_sk_kind_size(seg[i].kind);
		switch (seg[i].kind) {
		case SK_PACKET:
			m = m_getcl(M_WAITOK, MT_DATA, flags);
			break;
		case SK_PLAIN:
			m = i ? m_get(M_WAITOK, MT_DATA) :
				m_gethdr(M_WAITOK, MT_DATA);
			break;
		case SK_EXTPG:
			m = mbuf_sk_extpg(test, pos, seg[i].len);
			had = DIV_ROUND_UP(seg[i].len - 12 + 100, PAGE_SIZE);
			mbuf_sk_extpg_trim(m, had);
			if (!i) {
				/* a packet header first, then the pages */
				m_freem(m);
				KUNIT_FAIL(test, "M_EXTPG cannot lead a chain here");
				return NULL;
			}
			break;
		default:
			m = m_getjcl(M_WAITOK, MT_DATA, flags, size);
			break;
		}
		KUNIT_ASSERT_NOT_NULL(test, m);
		if (seg[i].kind != SK_EXTPG) {
			m->m_data += seg[i].off;
			mbuf_sk_pattern(mtod(m, u8 *), pos, seg[i].len);
			m->m_len = seg[i].len;
		}
		if (mbuf_sk_lendable_kind(seg[i].kind))
			pages[(*npages)++] = virt_to_page(mtod(m, char *));
		if (seg[i].kind == SK_EXTPG) {
			int k;

			for (k = 0; k < m->m_epg_npgs; k++)
				pages[(*npages)++] = m->m_epg_pg[k];
		}
		pos += seg[i].len;
		*tail = m;
		tail = &m->m_next;
	}
	top->m_pkthdr.len = pos;
	return top;
}

/* Every byte of @skb follows the pattern. */
static void mbuf_sk_check_bytes(struct kunit *test, struct sk_buff *skb,
				int len)
{
	u8 *buf = kvmalloc(len, GFP_KERNEL);
	int i, bad = -1;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, skb->len, (unsigned int)len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, buf, len), 0);
	for (i = 0; i < len && bad < 0; i++)
		if (buf[i] != mbuf_sk_byte(i))
			bad = i;
	KUNIT_EXPECT_EQ_MSG(test, bad, -1, "first differing byte");
	kvfree(buf);
}

static bool mbuf_sk_skb_has_page(struct sk_buff *skb, struct page *pg)
{
	struct sk_buff *fl;
	int i;

	if (virt_to_page(skb->head) == pg)
		return true;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
		if (skb_frag_page(&skb_shinfo(skb)->frags[i]) == pg)
			return true;
	skb_walk_frags(skb, fl)
		if (mbuf_sk_skb_has_page(fl, pg))
			return true;
	return false;
}

/* Zero copy: each cluster or M_EXTPG page is in the skb. */
static void mbuf_sk_check_pages(struct kunit *test, struct sk_buff *skb,
				struct page **pages, int npages)
{
	int i;

	for (i = 0; i < npages; i++)
		KUNIT_EXPECT_TRUE_MSG(test, mbuf_sk_skb_has_page(skb, pages[i]),
				      "page %d of the chain not in the skb", i);
}

/* Everything the stack held is back: no lent cluster, zones at baseline. */
static void mbuf_sk_settled(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 0UL);
}

static int mbuf_sk_init(struct kunit *test)
{
	/* Nothing lent by earlier suites may count here. */
	if (mbuf_skb_lent())
		return -EBUSY;
	return mbuf_zk_init(test);
}

static void mbuf_sk_exit(struct kunit *test)
{
	mbuf_fault_clear();
	mbuf_skb_lent();
	mbuf_zk_exit(test);
}

/* ---- receive: sizes and shapes --------------------------------------- */

struct mbuf_sk_shape {
	const char *name;
	struct mbuf_sk_seg seg[24];
	int nseg;
	int nlend;	/* clusters that must be lent */
	bool head;	/* the first cluster must be the skb's head */
};

static const struct mbuf_sk_shape mbuf_sk_shapes[] = {
	{ "packet 1500", { { SK_PACKET, 1500, 2 } }, 1, 1, true },
	{ "2k 1500", { { SK_CL2K, 1500, 0 } }, 1, 1, true },
	{ "2k 2000 no room for shinfo", { { SK_CL2K, 2000, 0 } }, 1, 1, false },
	{ "2k 200 copied", { { SK_CL2K, 200, 0 } }, 1, 0, false },
	{ "page 4000", { { SK_PAGE, 4000, 0 } }, 1, 1, false },
	{ "page 3000 head", { { SK_PAGE, 3000, 0 } }, 1, 1, true },
	{ "9k 9000", { { SK_J9, 9000, 0 } }, 1, 1, false },
	{ "16k 16000", { { SK_J16, 16000, 0 } }, 1, 1, true },
	{ "hdr + 2k", { { SK_PLAIN, 54, 0 }, { SK_CL2K, 1446, 0 } }, 2, 1,
	  false },
	{ "3 x 2k", { { SK_PACKET, 1500, 0 }, { SK_CL2K, 1500, 0 },
		      { SK_CL2K, 1000, 0 } }, 3, 3, true },
	{ "9k + 16k + page", { { SK_J9, 9000, 0 }, { SK_J16, 16000, 0 },
			       { SK_PAGE, 4096, 0 } }, 3, 3, false },
	{ "hdr + extpg + plain", { { SK_PLAIN, 60, 0 }, { SK_EXTPG, 6000, 0 },
				   { SK_PLAIN, 30, 0 } }, 3, 0, false },
	{ "2k + plain + 2k", { { SK_CL2K, 300, 0 }, { SK_PLAIN, 100, 0 },
			       { SK_CL2K, 1400, 0 } }, 3, 2, true },
	{ "22 x 2k, frag_list", {
		{ SK_CL2K, 300 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 } }, 22, 22, true },
};

static void mbuf_sk_shape_desc(const struct mbuf_sk_shape *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_sk_shape, mbuf_sk_shapes, mbuf_sk_shape_desc);

static void mbuf_skb_rx_shapes(struct kunit *test)
{
	const struct mbuf_sk_shape *s = test->param_value;
	struct page *pages[64];
	struct sk_buff *skb;
	struct mbuf *m;
	int npages, len;
	char *head;

	m = mbuf_sk_build(test, s->seg, s->nseg, pages, &npages);
	KUNIT_ASSERT_NOT_NULL(test, m);
	len = m->m_pkthdr.len;
	head = mtod(m, char *);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	mbuf_sk_check_bytes(test, skb, len);
	if (s->nlend || s->seg[1].kind == SK_EXTPG)
		mbuf_sk_check_pages(test, skb, pages, npages);
	KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), (unsigned long)s->nlend);
	if (s->head)
		KUNIT_EXPECT_PTR_EQ(test, (char *)skb->data, head);
	else if (len > MBUF_SKB_COPYBREAK)
		KUNIT_EXPECT_LE(test, skb_headlen(skb),
				(unsigned int)MBUF_SKB_COPYBREAK);
	if (s->nseg > MAX_SKB_FRAGS)
		KUNIT_EXPECT_TRUE(test, skb_has_frag_list(skb));
	kfree_skb(skb);
	mbuf_sk_settled(test);
}

/* The skb outlives the mbuf side in every order of clone and share. */
static void mbuf_skb_rx_clone_share(struct kunit *test)
{
	static const struct mbuf_sk_seg seg[] = {
		{ SK_CL2K, 1500, 0 }, { SK_J9, 9000, 0 },
	};
	struct sk_buff *skb, *clone;
	struct page *pages[4];
	struct mbuf *m;
	int n, order;

	for (order = 0; order < 3; order++) {
		m = mbuf_sk_build(test, seg, ARRAY_SIZE(seg), pages, &n);
		skb = mbuf_to_skb(m, NULL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		clone = order == 2 ? skb_get(skb) : skb_clone(skb, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, clone);
		if (order == 1) {
			kfree_skb(clone);
			KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 2UL);
			mbuf_sk_check_bytes(test, skb, 10500);
			kfree_skb(skb);
		} else {
			kfree_skb(skb);
			KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 2UL);
			mbuf_sk_check_bytes(test, clone, 10500);
			kfree_skb(clone);
		}
		mbuf_sk_settled(test);
	}
}

/*
 * Clusters other mbufs share: lent as read-only fragments, back once both
 * the skb and the other mbufs are gone, in either order.
 */
static void mbuf_skb_rx_shared_cluster(struct kunit *test)
{
	static const struct mbuf_sk_seg seg[] = {
		{ SK_PACKET, 1500, 0 }, { SK_CL2K, 1500, 0 },
	};
	struct page *pages[4];
	struct sk_buff *skb;
	struct mbuf *m, *copy;
	int n, order;

	for (order = 0; order < 2; order++) {
		m = mbuf_sk_build(test, seg, ARRAY_SIZE(seg), pages, &n);
		copy = m_copym(m, 0, M_COPYALL, M_WAITOK);
		KUNIT_ASSERT_NOT_NULL(test, copy);
		skb = mbuf_to_skb(m, NULL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		/* No build_skb head: its shared info would overwrite data. */
		KUNIT_EXPECT_LE(test, skb_headlen(skb), (unsigned int)MBUF_SKB_COPYBREAK);
		KUNIT_EXPECT_TRUE(test, skb_has_shared_frag(skb));
		mbuf_sk_check_pages(test, skb, pages, n);
		mbuf_sk_check_bytes(test, skb, 3000);
		if (order) {
			kfree_skb(skb);
			KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 0UL);
			KUNIT_EXPECT_EQ(test, (int)mtod(copy, u8 *)[7], (int)mbuf_sk_byte(7));
			m_freem(copy);
		} else {
			m_freem(copy);
			KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 2UL);
			mbuf_sk_check_bytes(test, skb, 3000);
			kfree_skb(skb);
		}
		mbuf_sk_settled(test);
	}
}

/*
 * A 1500-byte frame in a 2 KiB cluster: the cluster itself is the skb's
 * head (build_skb), its struct skb_shared_info in the cluster's tail, one
 * page reference taken for the skb, no fragment, nothing copied; the lent
 * count and the page's reference count are back once the skb is freed.
 */
static void mbuf_skb_rx_head_on_cluster(struct kunit *test)
{
	static const struct mbuf_sk_seg seg[][1] = {
		{ { SK_CL2K, 1500, 0 } }, { { SK_PACKET, 1514, 12 } },
	};
	struct page *pages[1], *pg;
	struct sk_buff *skb;
	int i, n, refs;
	struct mbuf *m;
	char *buf;

	for (i = 0; i < ARRAY_SIZE(seg); i++) {
		m = mbuf_sk_build(test, seg[i], 1, pages, &n);
		KUNIT_ASSERT_NOT_NULL(test, m);
		buf = m->m_ext.ext_buf;
		pg = virt_to_page(buf);
		refs = page_count(pg);
		skb = mbuf_to_skb(m, NULL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_PTR_EQ(test, (char *)skb->head, buf);
		KUNIT_EXPECT_PTR_EQ(test, (char *)skb->data, buf + seg[i][0].off);
		KUNIT_EXPECT_TRUE(test, skb->head_frag);
		KUNIT_EXPECT_EQ(test, skb_headlen(skb), (unsigned int)seg[i][0].len);
		KUNIT_EXPECT_EQ(test, (int)skb_shinfo(skb)->nr_frags, 0);
		KUNIT_EXPECT_FALSE(test, skb_has_frag_list(skb));
		/* The shared info sits at the cluster's end, inside it. */
		KUNIT_EXPECT_TRUE(test, (char *)skb_shinfo(skb) >= buf + seg[i][0].off +
				  seg[i][0].len);
		KUNIT_EXPECT_TRUE(test, (char *)(skb_shinfo(skb) + 1) <= buf + MCLBYTES);
		KUNIT_EXPECT_EQ(test, page_count(pg), refs + 1);
		KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 1UL);
		mbuf_sk_check_bytes(test, skb, seg[i][0].len);
		kfree_skb(skb);
		KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 0UL);
		KUNIT_EXPECT_EQ(test, page_count(pg), refs);
	}
	mbuf_sk_settled(test);
}

/* A 1500-byte frame in a 2 KiB cluster of the cluster zone. */
static struct mbuf *mbuf_sk_frame2k(struct kunit *test)
{
	static const struct mbuf_sk_seg seg[] = { { SK_CL2K, 1500, 0 } };
	struct page *pages[1];
	struct mbuf *m;
	int n;

	m = mbuf_sk_build(test, seg, 1, pages, &n);
	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

#define SK_MANY	200	/* frames held at once: more than a CPU tracks itself */

/*
 * The bookkeeping of lent buffers. A buffer the stack has freed is taken
 * back by the next conversion on the CPU (no reaping call needed): its
 * cluster is the next one that CPU hands out. Many buffers held at once
 * all count while held; when half of them are freed, those come back
 * (but for one sharing a page with a buffer still held); all are back
 * once freed. A frame's m_nextpkt (another packet in a FreeBSD driver's
 * batch) is not part of it: it is neither lent nor freed, also once this
 * CPU's own list of lent buffers is full.
 */
static void mbuf_skb_rx_lent_bookkeeping(struct kunit *test)
{
	struct sk_buff **skbs, *a, *b;
	struct mbuf *ma, *mb, *mc, *m, *other;
	char *cla;
	int i;

	skbs = kunit_kcalloc(test, SK_MANY, sizeof(*skbs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skbs);
	KUNIT_ASSERT_EQ(test, mbuf_skb_lent(), 0UL);

	/*
	 * One CPU throughout: its own ring is where the buffers wait, and
	 * its magazines hand out last what came back first.
	 */
	ma = mbuf_sk_frame2k(test);
	mb = mbuf_sk_frame2k(test);
	cla = ma->m_ext.ext_buf;
	preempt_disable();
	a = mbuf_to_skb(ma, NULL);
	if (a)
		kfree_skb(a);
	b = mbuf_to_skb(mb, NULL);
	/* a's mbuf and cluster went back when b was converted. */
	mc = m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MCLBYTES);
	preempt_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, mc);
	KUNIT_EXPECT_PTR_EQ(test, mc->m_ext.ext_buf, cla);
	m_freem(mc);
	KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 1UL);
	kfree_skb(b);

	other = mbuf_sk_frame2k(test);
	for (i = 0; i < SK_MANY; i++) {
		m = mbuf_sk_frame2k(test);
		m->m_nextpkt = other;
		skbs[i] = mbuf_to_skb(m, NULL);
		KUNIT_ASSERT_NOT_NULL(test, skbs[i]);
	}
	KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), (unsigned long)SK_MANY);
	/* Still the caller's, untouched. */
	KUNIT_EXPECT_TRUE(test, other->m_flags & M_PKTHDR);
	KUNIT_EXPECT_NULL(test, other->m_nextpkt);
	m_freem(other);
	/* Two clusters share a page: the one at the edge may stay out. */
	for (i = 0; i < SK_MANY / 2; i++)
		kfree_skb(skbs[i]);
	KUNIT_EXPECT_GE(test, mbuf_skb_lent(), (unsigned long)SK_MANY / 2);
	KUNIT_EXPECT_LE(test, mbuf_skb_lent(), (unsigned long)SK_MANY / 2 + 1);
	for (i = SK_MANY / 2; i < SK_MANY; i++) {
		mbuf_sk_check_bytes(test, skbs[i], 1500);
		kfree_skb(skbs[i]);
	}
	mbuf_sk_settled(test);
}

/* ---- receive: metadata ----------------------------------------------- */

#define SK_SRC	htonl(0xc6120001)	/* 198.18.0.1 */
#define SK_DST	htonl(0xc6120002)

/* An Ethernet/IPv4/TCP (or IPv6/UDP) frame of @len bytes in a cluster. */
static struct mbuf *mbuf_sk_frame(struct kunit *test, int len, bool v6)
{
	struct mbuf *m = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	struct ethhdr *eth;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	p = mtod(m, char *);
	mbuf_sk_pattern((u8 *)p, 0, len);
	eth = (struct ethhdr *)p;
	if (!v6) {
		struct iphdr *ip = (struct iphdr *)(p + ETH_HLEN);
		struct tcphdr *th = (struct tcphdr *)(ip + 1);

		eth->h_proto = htons(ETH_P_IP);
		memset(ip, 0, sizeof(*ip) + sizeof(*th));
		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(len - ETH_HLEN);
		ip->protocol = IPPROTO_TCP;
		ip->ttl = 64;
		ip->saddr = SK_SRC;
		ip->daddr = SK_DST;
		th->doff = 5;
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(p + ETH_HLEN);
		struct udphdr *uh = (struct udphdr *)(ip6 + 1);

		eth->h_proto = htons(ETH_P_IPV6);
		memset(ip6, 0, sizeof(*ip6) + sizeof(*uh));
		ip6->version = 6;
		ip6->payload_len = htons(len - ETH_HLEN - sizeof(*ip6));
		ip6->nexthdr = IPPROTO_UDP;
		ip6->saddr.s6_addr[0] = 0xfd;
		ip6->daddr.s6_addr[0] = 0xfd;
		ip6->daddr.s6_addr[15] = 2;
		uh->len = ip6->payload_len;
	}
	m->m_len = len;
	m->m_pkthdr.len = len;
	return m;
}

static void mbuf_skb_rx_meta(struct kunit *test)
{
	struct net_device *dev = alloc_etherdev(0);
	struct sk_buff *skb;
	struct tcphdr *th;
	struct mbuf *m;

	KUNIT_ASSERT_NOT_NULL(test, dev);

	/* Checksums verified: CHECKSUM_UNNECESSARY, level by inner flags. */
	m = mbuf_sk_frame(test, 1000, false);
	m->m_pkthdr.csum_flags = CSUM_IP_CHECKED | CSUM_IP_VALID |
				 CSUM_DATA_VALID | CSUM_PSEUDO_HDR;
	m->m_pkthdr.csum_data = 0xffff;
	m->m_pkthdr.rcvif = dev;
	m->m_flags |= M_VLANTAG | M_TSTMP;
	m->m_pkthdr.ether_vtag = 0x2005;
	m->m_pkthdr.rcv_tstmp = 123456789012ULL;
	m->m_pkthdr.flowid = 0xabcdef01;
	M_HASHTYPE_SET(m, M_HASHTYPE_RSS_TCP_IPV4);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_UNNECESSARY);
	KUNIT_EXPECT_EQ(test, (int)skb->csum_level, 0);
	KUNIT_EXPECT_PTR_EQ(test, skb->dev, dev);
	KUNIT_EXPECT_TRUE(test, skb_vlan_tag_present(skb));
	KUNIT_EXPECT_EQ(test, skb_vlan_tag_get(skb), 0x2005);
	KUNIT_EXPECT_EQ(test, skb->vlan_proto, htons(ETH_P_8021Q));
	KUNIT_EXPECT_EQ(test, ktime_to_ns(skb_hwtstamps(skb)->hwtstamp),
			123456789012LL);
	KUNIT_EXPECT_EQ(test, skb->hash, 0xabcdef01U);
	KUNIT_EXPECT_TRUE(test, skb->l4_hash);
	KUNIT_EXPECT_EQ(test, skb_mac_offset(skb), 0);
	KUNIT_EXPECT_EQ(test, skb->len, 1000U);
	kfree_skb(skb);

	m = mbuf_sk_frame(test, 1000, false);
	m->m_pkthdr.csum_flags = CSUM_DATA_VALID | CSUM_PSEUDO_HDR |
				 CSUM_INNER_L4_CALC | CSUM_INNER_L4_VALID;
	m->m_pkthdr.csum_data = 0xffff;
	m->m_pkthdr.flowid = 7;
	M_HASHTYPE_SET(m, M_HASHTYPE_RSS_IPV4);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_UNNECESSARY);
	KUNIT_EXPECT_EQ(test, (int)skb->csum_level, 1);
	KUNIT_EXPECT_EQ(test, skb->hash, 7U);
	KUNIT_EXPECT_FALSE(test, skb->l4_hash);
	KUNIT_EXPECT_FALSE(test, skb_vlan_tag_present(skb));
	kfree_skb(skb);

	/* No 0xffff, or no hash: nothing claimed. */
	m = mbuf_sk_frame(test, 1000, false);
	m->m_pkthdr.csum_flags = CSUM_DATA_VALID | CSUM_PSEUDO_HDR;
	m->m_pkthdr.csum_data = 0x1234;
	M_HASHTYPE_SET(m, M_HASHTYPE_OPAQUE);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
	KUNIT_EXPECT_EQ(test, skb->hash, 0U);
	kfree_skb(skb);

	/* A checksum to compute: CHECKSUM_PARTIAL at the L4 header. */
	m = mbuf_sk_frame(test, 1000, false);
	m->m_pkthdr.csum_flags = CSUM_IP | CSUM_IP_TCP;
	m->m_pkthdr.csum_data = offsetof(struct tcphdr, check);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
	KUNIT_EXPECT_EQ(test, skb_checksum_start_offset(skb),
			ETH_HLEN + (int)sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, (int)skb->csum_offset,
			(int)offsetof(struct tcphdr, check));
	KUNIT_EXPECT_FALSE(test, skb_is_gso(skb));
	kfree_skb(skb);

	m = mbuf_sk_frame(test, 700, true);
	m->m_pkthdr.csum_flags = CSUM_IP6_UDP;
	m->m_pkthdr.csum_data = offsetof(struct udphdr, check);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
	KUNIT_EXPECT_EQ(test, skb_checksum_start_offset(skb),
			ETH_HLEN + (int)sizeof(struct ipv6hdr));
	KUNIT_EXPECT_EQ(test, (int)skb->csum_offset,
			(int)offsetof(struct udphdr, check));
	kfree_skb(skb);

	/* TSO: gso fields, and Linux's pseudo-header sum (with length). */
	m = mbuf_sk_frame(test, 1500, false);
	m->m_pkthdr.csum_flags = CSUM_IP | CSUM_IP_TCP | CSUM_IP_TSO;
	m->m_pkthdr.csum_data = offsetof(struct tcphdr, check);
	m->m_pkthdr.tso_segsz = 500;
	th = (struct tcphdr *)(mtod(m, char *) + ETH_HLEN + sizeof(struct iphdr));
	th->check = ~csum_tcpudp_magic(SK_SRC, SK_DST, 0, IPPROTO_TCP, 0);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_TRUE(test, skb_is_gso(skb));
	KUNIT_EXPECT_EQ(test, (int)skb_shinfo(skb)->gso_size, 500);
	KUNIT_EXPECT_TRUE(test, skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
	KUNIT_EXPECT_EQ(test, tcp_hdr(skb)->check,
			(__sum16)~csum_tcpudp_magic(SK_SRC, SK_DST,
						    1500 - ETH_HLEN - 20,
						    IPPROTO_TCP, 0));
	kfree_skb(skb);

	free_netdev(dev);
	mbuf_sk_settled(test);
}

/* ---- transmit -------------------------------------------------------- */

/* An skb: @lin linear bytes, then @nfrags page fragments of @fraglen. */
static struct sk_buff *mbuf_sk_skb(struct kunit *test, int lin, int nfrags,
				   int fraglen)
{
	struct sk_buff *skb = alloc_skb(lin + 64, GFP_KERNEL);
	int i, pos = lin;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	mbuf_sk_pattern(skb_put(skb, lin), 0, lin);
	for (i = 0; i < nfrags; i++) {
		struct page *pg = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, pg);
		mbuf_sk_pattern((u8 *)page_address(pg) + 10, pos, fraglen);
		skb_fill_page_desc(skb, i, pg, 10, fraglen);
		skb->len += fraglen;
		skb->data_len += fraglen;
		skb->truesize += PAGE_SIZE;
		pos += fraglen;
	}
	return skb;
}

static void mbuf_sk_check_chain(struct kunit *test, struct mbuf *m, int len)
{
	u8 *buf = kvmalloc(len, GFP_KERNEL);
	int i, sum, bad = -1;
	struct mbuf *n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_TRUE(test, m->m_flags & M_PKTHDR);
	KUNIT_ASSERT_EQ(test, m->m_pkthdr.len, len);
	for (n = m, sum = 0; n; n = n->m_next)
		sum += n->m_len;
	KUNIT_ASSERT_EQ(test, sum, len);
	m_copydata(m, 0, len, buf);
	for (i = 0; i < len && bad < 0; i++)
		if (buf[i] != mbuf_sk_byte(i))
			bad = i;
	KUNIT_EXPECT_EQ_MSG(test, bad, -1, "first differing byte");
	kvfree(buf);
}

static void mbuf_skb_tx_shapes(struct kunit *test)
{
	static const struct { int lin, nfrags, fraglen; } c[] = {
		{ 100, 0, 0 }, { 1000, 0, 0 }, { 60, 1, 1400 },
		{ 200, 16, 4000 }, { 40, 3, 20 },
	};
	struct sk_buff *skb;
	struct mbuf *m, *n;
	int i, k, len;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		skb = mbuf_sk_skb(test, c[i].lin, c[i].nfrags, c[i].fraglen);
		len = skb->len;
		skb_get(skb);		/* to watch when the bridge lets go */
		m = skb_to_mbuf(skb, i & 1 ? M_WAITOK : M_NOWAIT);
		KUNIT_ASSERT_NOT_NULL(test, m);
		mbuf_sk_check_chain(test, m, len);
		KUNIT_EXPECT_LE(test, m->m_len, (int)MHLEN);
		KUNIT_EXPECT_FALSE(test, m->m_flags & M_EXT);	/* a private copy */
		for (n = m->m_next, k = 0; n; n = n->m_next, k++) {
			char *d = mtod(n, char *);

			KUNIT_EXPECT_TRUE(test, n->m_flags & M_EXT);
			KUNIT_EXPECT_TRUE(test, n->m_flags & M_RDONLY);
			KUNIT_EXPECT_EQ(test, (int)n->m_ext.ext_type, EXT_NET_DRV);
			/* Zero copy: the skb's own memory. */
			if (d >= (char *)skb->head && d < (char *)skb_end_pointer(skb))
				continue;
			KUNIT_EXPECT_TRUE(test, mbuf_sk_skb_has_page(skb, virt_to_page(d)));
		}
		if (len <= MHLEN || !m->m_next) {
			KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1U);
			m_freem(m);
		} else {
			KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 2U);
			/* Free the carrier of the count first, then the rest. */
			n = m->m_next;
			m->m_next = NULL;
			m_freem(m);
			while (n) {
				KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 2U);
				n = m_free(n);
			}
			KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1U);
		}
		kfree_skb(skb);
	}
}

/*
 * The first mbuf leaves MBUF_SKB_LEADINGSPACE bytes in front of the
 * headers, so a driver's M_PREPEND of its own header (virtio-net: 12
 * bytes) happens in place: the same mbuf, no allocation, every byte kept.
 */
static void mbuf_skb_tx_leadingspace(struct kunit *test)
{
	static const struct { int lin, nfrags, fraglen; } c[] = {
		{ 1514, 0, 0 }, { 60, 0, 0 }, { 54, 1, 1400 }, { 128, 0, 0 },
		{ 150, 0, 0 }, { 200, 16, 4000 },
	};
	struct sk_buff *skb;
	struct mbuf *m, *first;
	long mbufs;
	int i, len;
	u8 hdr[12];

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		skb = mbuf_sk_skb(test, c[i].lin, c[i].nfrags, c[i].fraglen);
		len = skb->len;
		m = skb_to_mbuf(skb, M_NOWAIT);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_GE(test, M_LEADINGSPACE(m), MBUF_SKB_LEADINGSPACE);
		KUNIT_EXPECT_GT(test, m->m_len, 0);
		mbufs = mbuf_zk_stats(MBZ(MBZ_MBUF)).in_use;
		first = m;
		M_PREPEND(m, sizeof(hdr), M_NOWAIT);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_PTR_EQ(test, m, first);
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(MBZ(MBZ_MBUF)).in_use, mbufs);
		KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, len + (int)sizeof(hdr));
		memset(mtod(m, u8 *), 0xa5, sizeof(hdr));
		m_copydata(m, 0, sizeof(hdr), hdr);
		KUNIT_EXPECT_EQ(test, (int)hdr[11], 0xa5);
		m_adj(m, sizeof(hdr));
		mbuf_sk_check_chain(test, m, len);
		m_freem(m);
	}
}

/* A TCP/IPv4 (or UDP/IPv6) skb of @len bytes ready for transmit. */
static struct sk_buff *mbuf_sk_tx_frame(struct kunit *test, int len, bool v6)
{
	struct mbuf *m = mbuf_sk_frame(test, min(len, MCLBYTES), v6);
	struct sk_buff *skb = alloc_skb(len + 64, GFP_KERNEL);
	int l4 = ETH_HLEN + (v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr));

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	m_copydata(m, 0, m->m_len, skb_put(skb, m->m_len));
	m_freem(m);
	if (len > MCLBYTES)
		mbuf_sk_pattern(skb_put(skb, len - MCLBYTES), MCLBYTES,
				len - MCLBYTES);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, l4);
	skb->protocol = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
	return skb;
}

static void mbuf_skb_tx_meta(struct kunit *test)
{
	struct net_device *dev = alloc_etherdev(0);
	struct sk_buff *skb;
	struct tcphdr *th;
	__sum16 orig;
	struct mbuf *m;

	KUNIT_ASSERT_NOT_NULL(test, dev);

	/* TSO: FreeBSD's flags and pseudo-header sum, in the copy only. */
	skb = mbuf_sk_tx_frame(test, 3000, false);
	skb->dev = dev;
	skb_partial_csum_set(skb, skb_transport_offset(skb),
			     offsetof(struct tcphdr, check));
	skb_shinfo(skb)->gso_size = 1000;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	tcp_hdr(skb)->check = ~csum_tcpudp_magic(SK_SRC, SK_DST, 3000 - 34,
						 IPPROTO_TCP, 0);
	orig = tcp_hdr(skb)->check;
	skb_set_hash(skb, 0x11223344, PKT_HASH_TYPE_L4);
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), 0x0123);
	skb_get(skb);
	m = skb_to_mbuf(skb, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.csum_flags,
			(u32)(CSUM_IP | CSUM_IP_TCP | CSUM_IP_TSO));
	KUNIT_EXPECT_EQ(test, (int)m->m_pkthdr.tso_segsz, 1000);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.csum_data,
			(u32)offsetof(struct tcphdr, check));
	KUNIT_EXPECT_EQ(test, (int)m->m_pkthdr.l2hlen, ETH_HLEN);
	KUNIT_EXPECT_EQ(test, (int)m->m_pkthdr.l3hlen, 20);
	KUNIT_EXPECT_EQ(test, (int)m->m_pkthdr.l4hlen, 20);
	KUNIT_EXPECT_GE(test, m->m_len, 54);
	th = (struct tcphdr *)(mtod(m, char *) + 34);
	KUNIT_EXPECT_EQ(test, th->check,
			(__sum16)~csum_tcpudp_magic(SK_SRC, SK_DST, 0,
						    IPPROTO_TCP, 0));
	KUNIT_EXPECT_EQ(test, tcp_hdr(skb)->check, orig);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.flowid, 0x11223344U);
	KUNIT_EXPECT_EQ(test, (int)M_HASHTYPE_GET(m), M_HASHTYPE_RSS_TCP_IPV4);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_VLANTAG);
	KUNIT_EXPECT_EQ(test, (int)m->m_pkthdr.ether_vtag, 0x0123);
	KUNIT_EXPECT_PTR_EQ(test, m->m_pkthdr.rcvif, dev);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1U);
	kfree_skb(skb);

	/* UDP/IPv6 checksum; software hash; 802.1ad tag goes in-band. */
	skb = mbuf_sk_tx_frame(test, 900, true);
	skb_partial_csum_set(skb, skb_transport_offset(skb),
			     offsetof(struct udphdr, check));
	__skb_set_sw_hash(skb, 99, false);
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021AD), 7);
	m = skb_to_mbuf(skb, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.csum_flags, (u32)CSUM_IP6_UDP);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.csum_data,
			(u32)offsetof(struct udphdr, check));
	KUNIT_EXPECT_EQ(test, (int)M_HASHTYPE_GET(m), M_HASHTYPE_OPAQUE_HASH);
	KUNIT_EXPECT_FALSE(test, m->m_flags & M_VLANTAG);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 904);
	KUNIT_EXPECT_EQ(test, mtod(m, struct vlan_ethhdr *)->h_vlan_proto,
			htons(ETH_P_8021AD));
	m_freem(m);

	/* Verified checksums and a timestamp. */
	skb = mbuf_sk_tx_frame(test, 500, false);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = 1;
	skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(5555);
	m = skb_to_mbuf(skb, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.csum_flags,
			(u32)(CSUM_IP_CHECKED | CSUM_IP_VALID | CSUM_DATA_VALID |
			      CSUM_PSEUDO_HDR | CSUM_INNER_L3_CALC |
			      CSUM_INNER_L3_VALID | CSUM_INNER_L4_CALC |
			      CSUM_INNER_L4_VALID));
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.csum_data, 0xffffU);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_TSTMP);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.rcv_tstmp, 5555ULL);
	m_freem(m);

	free_netdev(dev);
}

/* mbuf -> skb -> mbuf: the same bytes and metadata. */
static void mbuf_skb_round_trip(struct kunit *test)
{
	static const struct mbuf_sk_seg seg[] = {
		{ SK_PACKET, 1000, 2 }, { SK_J9, 9000, 0 }, { SK_CL2K, 700, 0 },
	};
	struct page *pages[4];
	struct sk_buff *skb;
	struct mbuf *m;
	int n;

	m = mbuf_sk_build(test, seg, ARRAY_SIZE(seg), pages, &n);
	m->m_flags |= M_VLANTAG | M_TSTMP;
	m->m_pkthdr.ether_vtag = 42;
	m->m_pkthdr.rcv_tstmp = 77;
	m->m_pkthdr.flowid = 0x5a5a;
	M_HASHTYPE_SET(m, M_HASHTYPE_OPAQUE_HASH);
	skb = mbuf_to_skb(m, NULL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	m = skb_to_mbuf(skb, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbuf_sk_check_chain(test, m, 10700);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_VLANTAG);
	KUNIT_EXPECT_EQ(test, (int)m->m_pkthdr.ether_vtag, 42);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_TSTMP);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.rcv_tstmp, 77ULL);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.flowid, 0x5a5aU);
	KUNIT_EXPECT_TRUE(test, M_HASHTYPE_ISHASH(m));
	/* The clusters are still lent: the skb lives in the chain. */
	KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 3UL);
	m_freem(m);
	mbuf_sk_settled(test);
}

/* ---- failures -------------------------------------------------------- */

/* Each allocation of mbuf_to_skb fails in turn: NULL, nothing leaked. */
static void mbuf_skb_rx_faults(struct kunit *test)
{
	static const struct mbuf_sk_seg seg[] = {
		{ SK_CL2K, 100 }, { SK_PLAIN, 50 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_CL2K, 100 }, { SK_CL2K, 100 }, { SK_CL2K, 100 },
		{ SK_EXTPG, 5000 }, { SK_PLAIN, 60 },
	};
	struct mbuf_zone_stats base[MBZ_NZONES], st;
	struct page *pages[64];
	int skip, n, z, len, failed = 0;
	struct sk_buff *skb;
	struct mbuf *m;

	for (skip = 0; skip < 64; skip++) {
		for (z = 0; z < MBZ_NZONES; z++)
			mbuf_zone_get_stats(MBZ(z), &base[z]);
		m = mbuf_sk_build(test, seg, ARRAY_SIZE(seg), pages, &n);
		len = m->m_pkthdr.len;
		mbuf_fault_set(MBUF_FAULT_OTHER, skip, 1);
		skb = mbuf_to_skb(m, NULL);
		if (!mbuf_fault_injected()) {
			KUNIT_EXPECT_NOT_NULL(test, skb);
			mbuf_fault_clear();
			if (skb)
				mbuf_sk_check_bytes(test, skb, len);
			kfree_skb(skb);
			break;
		}
		mbuf_fault_clear();
		KUNIT_EXPECT_NULL(test, skb);
		failed++;
		mbuf_sk_settled(test);
		for (z = 0; z < MBZ_NZONES; z++) {
			mbuf_zone_get_stats(MBZ(z), &st);
			KUNIT_EXPECT_EQ_MSG(test, st.in_use, base[z].in_use,
					    "zone %s after failure %d",
					    MBZ(z)->name, skip);
		}
	}
	/* The head, frag_list skbs and copied fragments all failed once. */
	KUNIT_EXPECT_GE(test, failed, 4);
	KUNIT_EXPECT_LT(test, skip, 64);
	mbuf_sk_settled(test);
}

/* Each mbuf allocation of skb_to_mbuf fails in turn. */
static void mbuf_skb_tx_faults(struct kunit *test)
{
	struct sk_buff *skb;
	int skip, failed = 0;
	struct mbuf *m;

	for (skip = 0; skip < 32; skip++) {
		skb = mbuf_sk_skb(test, 300, 5, 1000);
		skb_get(skb);
		mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), skip, 1);
		m = skb_to_mbuf(skb, M_NOWAIT);
		if (!mbuf_fault_injected()) {
			mbuf_fault_clear();
			KUNIT_EXPECT_NOT_NULL(test, m);
			mbuf_sk_check_chain(test, m, 5300);
			m_freem(m);
			KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1U);
			kfree_skb(skb);
			break;
		}
		mbuf_fault_clear();
		KUNIT_EXPECT_NULL(test, m);
		KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1U);
		kfree_skb(skb);
		failed++;
	}
	/* the header mbuf, the rest of the linear part, 5 fragments */
	KUNIT_EXPECT_EQ(test, failed, 7);
}

/* Bad input fails safe and consumes what it was given. */
static void mbuf_skb_bad_input(struct kunit *test)
{
	struct sk_buff *skb;
	struct mbuf *m;

	m = m_get(M_WAITOK, MT_DATA);		/* no packet header */
	m->m_len = 10;
	KUNIT_EXPECT_NULL(test, mbuf_to_skb(m, NULL));
	KUNIT_EXPECT_NULL(test, mbuf_to_skb(NULL, NULL));

	skb = mbuf_sk_skb(test, 100, 0, 0);
	skb_get(skb);
	KUNIT_EXPECT_NULL(test, skb_to_mbuf(skb, 0));
	KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1U);
	skb_get(skb);
	KUNIT_EXPECT_NULL(test, skb_to_mbuf(skb, M_NOWAIT | M_WAITOK));
	KUNIT_EXPECT_EQ(test, refcount_read(&skb->users), 1U);
	kfree_skb(skb);
}

static struct kunit_case mbuf_skb_cases[] = {
	KUNIT_CASE_PARAM(mbuf_skb_rx_shapes, mbuf_sk_shape_gen_params),
	KUNIT_CASE(mbuf_skb_rx_head_on_cluster),
	KUNIT_CASE(mbuf_skb_rx_lent_bookkeeping),
	KUNIT_CASE(mbuf_skb_rx_clone_share),
	KUNIT_CASE(mbuf_skb_rx_shared_cluster),
	KUNIT_CASE(mbuf_skb_rx_meta),
	KUNIT_CASE(mbuf_skb_tx_shapes),
	KUNIT_CASE(mbuf_skb_tx_leadingspace),
	KUNIT_CASE(mbuf_skb_tx_meta),
	KUNIT_CASE(mbuf_skb_round_trip),
	KUNIT_CASE(mbuf_skb_rx_faults),
	KUNIT_CASE(mbuf_skb_tx_faults),
	KUNIT_CASE(mbuf_skb_bad_input),
	{}
};

static struct kunit_suite mbuf_skb_suite = {
	.name = "mbuf_skb",
	.init = mbuf_sk_init,
	.exit = mbuf_sk_exit,
	.test_cases = mbuf_skb_cases,
};

kunit_test_suite(mbuf_skb_suite);
