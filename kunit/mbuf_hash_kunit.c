// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_hash: the packet header macros of sys/mbuf.h and the software flow
 * hash of uipc_mbufhash.c.
 *
 * Strategy. The macros are checked against FreeBSD 14's values and
 * behaviour: M_HASHTYPE_GET hides M_HASHTYPE_INNER (set by
 * M_HASHTYPE_SETINNER) while M_HASHTYPE_ISHASH reads the raw type, the
 * CSUM_FLAGS_TX / CSUM_FLAGS_RX sets split the 32 bits between them,
 * CSUM_TLS_*, the FIB accessors, the receive time stamp conversion, the
 * PACKET_TAG_* numbers, m_tag_locate()'s uint16_t type and the
 * assertions' single evaluation. m_ether_tcpip_hash() is checked against
 * an FNV-1 computed here over the fields each MBUF_HASHFLAG_* selects, in
 * FreeBSD's order, for IPv4/TCP, IPv6 (flow label), 802.1Q in the frame
 * and M_VLANTAG, a frame whose headers straddle mbufs (same hash as when
 * contiguous), frames too short for a header, and non-IP frames.
 */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/time64.h>
#include "mbuf_kpi_kunit.h"

static void mbuf_hash_types(struct kunit *test)
{
	struct mbuf *m = m_gethdr(M_WAITOK, MT_DATA);

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, M_HASHTYPE_INNER, 0x40);
	M_HASHTYPE_SET(m, M_HASHTYPE_RSS_TCP_IPV4);
	M_HASHTYPE_SETINNER(m);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.rsstype,
			M_HASHTYPE_RSS_TCP_IPV4 | M_HASHTYPE_INNER);
	KUNIT_EXPECT_EQ(test, M_HASHTYPE_GET(m), M_HASHTYPE_RSS_TCP_IPV4);
	KUNIT_EXPECT_TRUE(test, M_HASHTYPE_TEST(m, M_HASHTYPE_RSS_TCP_IPV4));
	KUNIT_EXPECT_TRUE(test, M_HASHTYPE_ISHASH(m));
	M_HASHTYPE_SET(m, M_HASHTYPE_OPAQUE);
	KUNIT_EXPECT_FALSE(test, M_HASHTYPE_ISHASH(m));
	M_HASHTYPE_SET(m, M_HASHTYPE_OPAQUE_HASH);
	KUNIT_EXPECT_TRUE(test, M_HASHTYPE_ISHASH(m));
	M_HASHTYPE_CLEAR(m);
	KUNIT_EXPECT_EQ(test, M_HASHTYPE_GET(m), M_HASHTYPE_NONE);
	KUNIT_EXPECT_EQ(test, MBUF_HASHFLAG_L2, 4);
	KUNIT_EXPECT_EQ(test, MBUF_HASHFLAG_L3, 8);
	KUNIT_EXPECT_EQ(test, MBUF_HASHFLAG_L4, 16);
	m_free(m);
}

static void mbuf_hash_csum(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, CSUM_FLAGS_TX & CSUM_FLAGS_RX, 0U);
	KUNIT_EXPECT_EQ(test, CSUM_FLAGS_TX | CSUM_FLAGS_RX, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, CSUM_FLAGS_TX & CSUM_INNER_IP_TSO,
			(u32)CSUM_INNER_IP_TSO);
	KUNIT_EXPECT_EQ(test, CSUM_FLAGS_RX & CSUM_INNER_L4_VALID,
			(u32)CSUM_INNER_L4_VALID);
	KUNIT_EXPECT_EQ(test, CSUM_TLS_MASK, 0x30000000U);
	KUNIT_EXPECT_EQ(test, CSUM_TLS_DECRYPTED, (u32)CSUM_L5_CALC);
	KUNIT_EXPECT_EQ(test, CSUM_INNER_TSO, 0x20100U);
}

static void mbuf_hash_hdr_fields(struct kunit *test)
{
	struct m_tag *(*locate)(struct mbuf *, u_int32_t, uint16_t,
				struct m_tag *) = m_tag_locate;
	struct mbuf *m = m_gethdr(M_WAITOK, MT_DATA), *p;
	struct timespec64 ts;
	struct m_tag *t;
	int evals = 0;

	KUNIT_ASSERT_NOT_NULL(test, m);
	M_SETFIB(m, 7);
	KUNIT_EXPECT_EQ(test, M_GETFIB(m), 7U);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.fibnum, 7);

	m->m_flags |= M_TSTMP;
	m->m_pkthdr.rcv_tstmp = 3 * NSEC_PER_SEC + 123456789ULL;
	mbuf_tstmp2timespec(m, &ts);
	KUNIT_EXPECT_EQ(test, ts.tv_sec, 3LL);
	KUNIT_EXPECT_EQ(test, ts.tv_nsec, 123456789L);

	KUNIT_EXPECT_EQ(test, PACKET_TAG_DUMMYNET, 15);
	KUNIT_EXPECT_EQ(test, PACKET_TAG_DIVERT, 17);
	KUNIT_EXPECT_EQ(test, PACKET_TAG_MACLABEL, 19 | MTAG_PERSISTENT);
	KUNIT_EXPECT_EQ(test, PACKET_TAG_PF, 21);
	KUNIT_EXPECT_EQ(test, PACKET_TAG_PF_REASSEMBLED, 31);

	/* The type is 16 bits wide, as m_tag_id is. */
	t = m_tag_get(PACKET_TAG_DUMMYNET, 4, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, t);
	m_tag_prepend(m, t);
	KUNIT_EXPECT_PTR_EQ(test, locate(m, MTAG_ABI_COMPAT,
					 PACKET_TAG_DUMMYNET, NULL), t);
	KUNIT_EXPECT_PTR_EQ(test, m_tag_find(m, PACKET_TAG_DUMMYNET, NULL), t);

	/* The assertions evaluate their argument once. */
	p = m;
	M_ASSERTVALID((evals++, p));
	M_ASSERTMAPPED((evals++, p));
	M_ASSERTPKTHDR((evals++, p));
	KUNIT_EXPECT_EQ(test, evals, 3);
	m_freem(m);
}

/* ---- m_ether_tcpip_hash ------------------------------------------------- */

static u32 fnv(const void *buf, size_t len, u32 h)
{
	const u8 *p = buf;

	while (len--) {
		h *= 0x01000193;
		h ^= *p++;
	}
	return h;
}

#define HASH_KEY	0x12345678U
#define HASH_ALL	(MBUF_HASHFLAG_L2 | MBUF_HASHFLAG_L3 | MBUF_HASHFLAG_L4)

struct hash_v4_frame {
	struct ethhdr eh;
	struct iphdr ip;
	__be16 sport, dport;
	u8 payload[16];
} __packed;

static void hash_v4_fill(struct hash_v4_frame *f, u8 proto)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->eh.h_dest, "\x02\x00\x00\x00\x00\x01", ETH_ALEN);
	memcpy(f->eh.h_source, "\x02\x00\x00\x00\x00\x02", ETH_ALEN);
	f->eh.h_proto = htons(ETH_P_IP);
	f->ip.version = 4;
	f->ip.ihl = 5;
	f->ip.protocol = proto;
	f->ip.saddr = htonl(0xc6120001);	/* 198.18.0.1 */
	f->ip.daddr = htonl(0xc6130002);	/* 198.19.0.2 */
	f->sport = htons(40000);
	f->dport = htons(443);
}

/* A packet of @len bytes from @data, split in two mbufs at @split. */
static struct mbuf *hash_packet(struct kunit *test, const void *data, int len,
				int split)
{
	struct mbuf *m = m_gethdr(M_WAITOK, MT_DATA);

	KUNIT_ASSERT_NOT_NULL(test, m);
	memcpy(mtod(m, u8 *), data, split);
	m->m_len = split;
	m->m_pkthdr.len = len;
	if (split < len) {
		m->m_next = m_get(M_WAITOK, MT_DATA);
		KUNIT_ASSERT_NOT_NULL(test, m->m_next);
		memcpy(mtod(m->m_next, u8 *), (const u8 *)data + split,
		       len - split);
		m->m_next->m_len = len - split;
	}
	return m;
}

static u32 hash_v4_expect(const struct hash_v4_frame *f, u32 flags,
			  bool ports)
{
	u32 h = HASH_KEY;

	if (flags & MBUF_HASHFLAG_L2) {
		h = fnv(f->eh.h_source, ETH_ALEN, h);
		h = fnv(f->eh.h_dest, ETH_ALEN, h);
	}
	if (flags & MBUF_HASHFLAG_L3) {
		h = fnv(&f->ip.saddr, 4, h);
		h = fnv(&f->ip.daddr, 4, h);
	}
	if ((flags & MBUF_HASHFLAG_L4) && ports)
		h = fnv(&f->sport, 4, h);
	return h;
}

static void mbuf_hash_ipv4(struct kunit *test)
{
	static const u32 flag_sets[] = {
		MBUF_HASHFLAG_L2, MBUF_HASHFLAG_L3, MBUF_HASHFLAG_L4,
		MBUF_HASHFLAG_L3 | MBUF_HASHFLAG_L4, HASH_ALL,
	};
	struct hash_v4_frame f;
	struct mbuf *m, *s;
	int i;

	hash_v4_fill(&f, IPPROTO_TCP);
	m = hash_packet(test, &f, sizeof(f), sizeof(f));
	/* Headers straddling the two mbufs: copied out, same hash. */
	s = hash_packet(test, &f, sizeof(f), ETH_HLEN + 6);
	for (i = 0; i < ARRAY_SIZE(flag_sets); i++) {
		KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(flag_sets[i], m, HASH_KEY),
				hash_v4_expect(&f, flag_sets[i], true));
		KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(flag_sets[i], s, HASH_KEY),
				hash_v4_expect(&f, flag_sets[i], true));
	}
	m_freem(m);
	m_freem(s);

	/* Ports only for TCP, UDP and SCTP. */
	hash_v4_fill(&f, IPPROTO_ICMP);
	m = hash_packet(test, &f, sizeof(f), sizeof(f));
	KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(HASH_ALL, m, HASH_KEY),
			hash_v4_expect(&f, HASH_ALL, false));
	m_freem(m);
	/* Too short for the IP header: the MACs only. */
	hash_v4_fill(&f, IPPROTO_UDP);
	m = hash_packet(test, &f, ETH_HLEN + 10, ETH_HLEN + 10);
	KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(HASH_ALL, m, HASH_KEY),
			hash_v4_expect(&f, MBUF_HASHFLAG_L2, false));
	/* Too short for an Ethernet header: the key itself. */
	m->m_len = ETH_HLEN - 1;
	m->m_pkthdr.len = ETH_HLEN - 1;
	KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(HASH_ALL, m, HASH_KEY),
			HASH_KEY);
	m_freem(m);
}

static void mbuf_hash_vlan(struct kunit *test)
{
	struct {
		struct ethhdr eh;
		__be16 tci, proto;
		struct iphdr ip;
		__be16 sport, dport;
	} __packed q;
	struct hash_v4_frame f;
	struct mbuf *m;
	u32 h;

	/* M_VLANTAG: the tag from the packet header, after the MACs. */
	hash_v4_fill(&f, IPPROTO_UDP);
	m = hash_packet(test, &f, sizeof(f), sizeof(f));
	m->m_flags |= M_VLANTAG;
	m->m_pkthdr.ether_vtag = 100;
	h = fnv(f.eh.h_source, ETH_ALEN, HASH_KEY);
	h = fnv(f.eh.h_dest, ETH_ALEN, h);
	h = fnv(&m->m_pkthdr.ether_vtag, 2, h);
	h = fnv(&f.ip.saddr, 4, h);
	h = fnv(&f.ip.daddr, 4, h);
	h = fnv(&f.sport, 4, h);
	KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(HASH_ALL, m, HASH_KEY), h);
	m_freem(m);

	/* An 802.1Q header in the frame: tag hashed, IP found behind it. */
	memset(&q, 0, sizeof(q));
	q.eh = f.eh;
	q.eh.h_proto = htons(ETH_P_8021Q);
	q.tci = htons(100);
	q.proto = htons(ETH_P_IP);
	q.ip = f.ip;
	q.sport = f.sport;
	q.dport = f.dport;
	m = hash_packet(test, &q, sizeof(q), sizeof(q));
	h = fnv(q.eh.h_source, ETH_ALEN, HASH_KEY);
	h = fnv(q.eh.h_dest, ETH_ALEN, h);
	h = fnv(&q.tci, 2, h);
	h = fnv(&q.ip.saddr, 4, h);
	h = fnv(&q.ip.daddr, 4, h);
	h = fnv(&q.sport, 4, h);
	KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(HASH_ALL, m, HASH_KEY), h);
	m_freem(m);
}

static void mbuf_hash_ipv6(struct kunit *test)
{
	struct {
		struct ethhdr eh;
		struct ipv6hdr ip6;
	} __packed f;
	struct mbuf *m;
	__be32 flow;
	u32 h;

	memset(&f, 0, sizeof(f));
	f.eh.h_proto = htons(ETH_P_IPV6);
	*(__be32 *)&f.ip6 = htonl(0x6abcdef1);	/* version 6, label 0xcdef1 */
	f.ip6.saddr.s6_addr[15] = 1;
	f.ip6.daddr.s6_addr[15] = 2;
	m = hash_packet(test, &f, sizeof(f), sizeof(f));
	flow = htonl(0xcdef1);
	h = fnv(&f.ip6.saddr, 16, HASH_KEY);
	h = fnv(&f.ip6.daddr, 16, h);
	h = fnv(&flow, 4, h);
	KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(MBUF_HASHFLAG_L3 |
						 MBUF_HASHFLAG_L4, m, HASH_KEY),
			h);
	/* A non-IP EtherType: nothing past L2. */
	f.eh.h_proto = htons(ETH_P_ARP);
	memcpy(mtod(m, u8 *), &f, sizeof(f));
	KUNIT_EXPECT_EQ(test, m_ether_tcpip_hash(MBUF_HASHFLAG_L3 |
						 MBUF_HASHFLAG_L4, m, HASH_KEY),
			HASH_KEY);
	m_freem(m);
	/* Keys are random (two equal keys: 1 in 2^32). */
	KUNIT_EXPECT_NE(test, m_ether_tcpip_hash_init(),
			m_ether_tcpip_hash_init());
}

static struct kunit_case mbuf_hash_cases[] = {
	KUNIT_CASE(mbuf_hash_types),
	KUNIT_CASE(mbuf_hash_csum),
	KUNIT_CASE(mbuf_hash_hdr_fields),
	KUNIT_CASE(mbuf_hash_ipv4),
	KUNIT_CASE(mbuf_hash_vlan),
	KUNIT_CASE(mbuf_hash_ipv6),
	{}
};

static struct kunit_suite mbuf_hash_suite = {
	.name = "mbuf_hash",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_hash_cases,
};

kunit_test_suite(mbuf_hash_suite);
