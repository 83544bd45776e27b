// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_lro: FreeBSD's tcp_lro_* calls on Linux's GRO.
 *
 * Strategy. The test driver of mbuf_ifnet_kunit.h runs its receive work
 * in its own NAPI poll (mbuf_napi_enter / mbuf_napi_exit) and feeds the
 * frames through the LRO calls as a FreeBSD driver does; a tap on the
 * device records what reaches the stack. The cases check:
 *  - tcp_lro_init / tcp_lro_init_args set FreeBSD's fields and limits;
 *  - tcp_lro_rx accepts (0) and delivers every frame once, in order, and
 *    refuses (TCP_LRO_CANNOT, frame still the caller's) without an ifp;
 *  - tcp_lro_queue_mbuf holds frames until tcp_lro_flush_all, flushes by
 *    itself at lro_mbuf_max, passes frames straight on with IFCAP_LRO
 *    off, and drops frames (freed) for a context without a queue, as
 *    FreeBSD does; tcp_lro_free frees what is still held;
 *  - the counters lro_queued / lro_flushed;
 *  - with INET, the coalescing is Linux's: four in-order TCP segments of
 *    one flow given to tcp_lro_rx reach the stack as one skb of four GSO
 *    segments (skipped without INET, as in UML).
 * The zones end at their baseline.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <netinet/tcp_lro.h>
#include "mbuf_ifnet_kunit.h"

struct mbt_lro {
	struct napi_struct	napi;
	struct lro_ctrl		lro;
	struct mbuf		*pending;	/* m_nextpkt list to receive */
	bool			use_queue;	/* tcp_lro_queue_mbuf, else _rx */
	bool			flush;		/* tcp_lro_flush_all at the end */
	int			rx_ret;		/* last tcp_lro_rx() result */
	unsigned int		held;		/* lro_mbuf_count before flush */
};

static int mbt_lro_poll(struct napi_struct *napi, int budget)
{
	struct mbt_lro *l = container_of(napi, struct mbt_lro, napi);
	struct mbuf *m, *next;

	mbuf_napi_enter(napi);
	for (m = l->pending; m; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		if (l->use_queue) {
			tcp_lro_queue_mbuf(&l->lro, m);
		} else {
			l->rx_ret = tcp_lro_rx(&l->lro, m, 0);
			if (l->rx_ret)
				if_input(napi->dev, m);
		}
	}
	l->pending = NULL;
	l->held = l->lro.lro_mbuf_count;
	if (l->flush)
		tcp_lro_flush_all(&l->lro);
	mbuf_napi_exit(napi);
	napi_complete_done(napi, 1);
	return 1;
}

static void mbt_lro_run(struct mbt_lro *l, struct mbuf *list)
{
	l->pending = list;
	local_bh_disable();
	napi_schedule(&l->napi);
	local_bh_enable();
}

static struct mbuf *mbt_frames(int n, u8 first)
{
	struct mbuf *head = NULL, **tail = &head;
	int i;

	for (i = 0; i < n; i++) {
		*tail = mbt_frame(100 + i, first + i);
		if (!*tail) {
			while (head) {
				struct mbuf *m = head;

				head = m->m_nextpkt;
				m_freem(m);
			}
			return NULL;
		}
		tail = &(*tail)->m_nextpkt;
	}
	return head;
}

static struct mbt_lro *mbt_lro_setup(struct kunit *test, struct mbt_softc *sc,
				     unsigned int lro_mbufs)
{
	struct mbt_lro *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	if (!l)
		return NULL;
	KUNIT_EXPECT_EQ(test, tcp_lro_init_args(&l->lro, sc->ifp,
						TCP_LRO_ENTRIES, lro_mbufs), 0);
	netif_napi_add(sc->ifp, &l->napi, mbt_lro_poll);
	napi_enable(&l->napi);
	return l;
}

static void mbt_lro_teardown(struct mbt_lro *l)
{
	napi_disable(&l->napi);
	netif_napi_del(&l->napi);
	tcp_lro_free(&l->lro);
}

static void mbuf_lro_init(struct kunit *test)
{
	struct lro_ctrl lc;

	memset(&lc, 0xa5, sizeof(lc));
	KUNIT_EXPECT_EQ(test, tcp_lro_init(&lc), 0);
	KUNIT_EXPECT_NULL(test, lc.ifp);
	KUNIT_EXPECT_EQ(test, lc.lro_cnt, (unsigned int)TCP_LRO_ENTRIES);
	KUNIT_EXPECT_EQ(test, lc.lro_mbuf_max, 0U);
	KUNIT_EXPECT_EQ(test, lc.lro_queued, 0ULL);
	KUNIT_EXPECT_EQ(test, lc.lro_flushed, 0ULL);
	KUNIT_EXPECT_EQ(test, lc.lro_length_lim, (unsigned int)TCP_LRO_LENGTH_MAX);
	KUNIT_EXPECT_EQ(test, (int)lc.lro_ackcnt_lim, TCP_LRO_ACKCNT_MAX);
	tcp_lro_free(&lc);
	KUNIT_EXPECT_EQ(test, tcp_lro_init_args(&lc, NULL, 4, 32), 0);
	KUNIT_EXPECT_EQ(test, lc.lro_cnt, 4U);
	KUNIT_EXPECT_EQ(test, lc.lro_mbuf_max, 32U);
	tcp_lro_free(&lc);
}

static void mbuf_lro_rx(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, IFCAP_LRO, IFCAP_LRO);
	struct lro_ctrl nolc;
	struct mbt_lro *l;
	struct mbuf *m;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	/* No interface: refused, the frame stays the caller's. */
	tcp_lro_init(&nolc);
	m = mbt_frame(100, 1);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, tcp_lro_rx(&nolc, m, 0), TCP_LRO_CANNOT);
	m_freem(m);
	tcp_lro_free(&nolc);

	l = mbt_lro_setup(test, sc, 0);
	KUNIT_ASSERT_NOT_NULL(test, l);
	l->flush = true;
	m = mbt_frames(5, 10);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbt_lro_run(l, m);
	KUNIT_EXPECT_EQ(test, mbt_wait_rx(sc, 5), 5);
	KUNIT_EXPECT_EQ(test, l->rx_ret, 0);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, sc->rx_len[i], 100 + i - ETH_HLEN);
		KUNIT_EXPECT_EQ(test, sc->rx_first[i], 10 + i);
	}
	KUNIT_EXPECT_EQ(test, l->lro.lro_queued, 5ULL);
	KUNIT_EXPECT_EQ(test, l->lro.lro_flushed, 5ULL);
	mbt_lro_teardown(l);
	mbt_detach(sc);
}

static void mbuf_lro_queue(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, IFCAP_LRO, IFCAP_LRO);
	struct mbt_lro *l;
	struct mbuf *m;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	l = mbt_lro_setup(test, sc, 8);
	KUNIT_ASSERT_NOT_NULL(test, l);
	l->use_queue = true;

	/* Held until tcp_lro_flush_all(). */
	m = mbt_frames(3, 20);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbt_lro_run(l, m);
	msleep(20);
	KUNIT_EXPECT_EQ(test, l->held, 3U);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->rx_count), 0);
	KUNIT_EXPECT_EQ(test, l->lro.lro_queued, 3ULL);
	KUNIT_EXPECT_EQ(test, l->lro.lro_flushed, 0ULL);
	l->flush = true;
	mbt_lro_run(l, NULL);
	KUNIT_EXPECT_EQ(test, mbt_wait_rx(sc, 3), 3);
	KUNIT_EXPECT_EQ(test, sc->rx_first[0], 20);
	KUNIT_EXPECT_EQ(test, sc->rx_first[2], 22);
	KUNIT_EXPECT_EQ(test, l->lro.lro_mbuf_count, 0U);
	KUNIT_EXPECT_EQ(test, l->lro.lro_flushed, 3ULL);

	/* lro_mbuf_max reached: flushed without being asked. */
	l->flush = false;
	m = mbt_frames(9, 30);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbt_lro_run(l, m);
	KUNIT_EXPECT_EQ(test, mbt_wait_rx(sc, 11), 11);
	msleep(20);
	KUNIT_EXPECT_EQ(test, l->held, 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->rx_count), 11);

	/* IFCAP_LRO off: straight to if_input(), nothing held. */
	if_setcapenablebit(sc->ifp, 0, IFCAP_LRO);
	m = mbt_frames(2, 40);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbt_lro_run(l, m);
	KUNIT_EXPECT_EQ(test, mbt_wait_rx(sc, 13), 13);
	KUNIT_EXPECT_EQ(test, l->held, 1U);
	KUNIT_EXPECT_EQ(test, l->lro.lro_queued, 12ULL);
	/* tcp_lro_free() frees the frame still held. */
	mbt_lro_teardown(l);
	KUNIT_EXPECT_EQ(test, l->lro.lro_mbuf_count, 0U);

	/* No queue (lro_mbufs 0): FreeBSD drops what queue_mbuf gets. */
	if_setcapenablebit(sc->ifp, IFCAP_LRO, 0);
	l = mbt_lro_setup(test, sc, 0);
	KUNIT_ASSERT_NOT_NULL(test, l);
	l->use_queue = true;
	l->flush = true;
	m = mbt_frames(2, 50);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbt_lro_run(l, m);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->rx_count), 13);
	mbt_lro_teardown(l);
	mbt_detach(sc);
}

/* What an ETH_P_ALL tap on the device saw: GRO's output. */
struct mbt_tap {
	struct packet_type	pt;
	atomic_t		count;
	int			len;
	int			segs;
};

static int mbt_tap_rx(struct sk_buff *skb, struct net_device *dev,
		      struct packet_type *pt, struct net_device *orig)
{
	struct mbt_tap *t = container_of(pt, struct mbt_tap, pt);

	if (skb->protocol == htons(ETH_P_IP) && !atomic_read(&t->count)) {
		t->len = skb->len;
		t->segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	}
	if (skb->protocol == htons(ETH_P_IP))
		atomic_inc(&t->count);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

#define MBT_TCP_PAYLOAD	1000

/* One TCP/IPv4 segment of a flow, checksums verified by the "hardware". */
static struct mbuf *mbt_tcp_segment(int i)
{
	struct mbuf *m = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	struct ether_header *eh;
	struct tcphdr *th;
	struct iphdr *ip;

	if (!m)
		return NULL;
	eh = mtod(m, struct ether_header *);
	memcpy(eh->ether_dhost, mbt_mac, ETHER_ADDR_LEN);
	memset(eh->ether_shost, 0x02, ETHER_ADDR_LEN);
	eh->ether_type = htons(ETHERTYPE_IP);
	ip = (struct iphdr *)(eh + 1);
	memset(ip, 0, sizeof(*ip) + sizeof(*th));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(*ip) + sizeof(*th) + MBT_TCP_PAYLOAD);
	ip->id = htons(100 + i);
	ip->frag_off = htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = htonl(0xc6120001);		/* 198.18.0.1 */
	ip->daddr = htonl(0xc6120002);		/* 198.18.0.2 */
	ip->check = ip_fast_csum((u8 *)ip, ip->ihl);
	th = (struct tcphdr *)(ip + 1);
	th->source = htons(40000);
	th->dest = htons(5001);
	th->seq = htonl(1000 + i * MBT_TCP_PAYLOAD);
	th->ack_seq = htonl(1);
	th->doff = 5;
	th->ack = 1;
	th->window = htons(512);
	memset(th + 1, 'a' + i, MBT_TCP_PAYLOAD);
	m->m_len = ETHER_HDR_LEN + sizeof(*ip) + sizeof(*th) + MBT_TCP_PAYLOAD;
	m->m_pkthdr.len = m->m_len;
	m->m_pkthdr.csum_flags = CSUM_IP_CHECKED | CSUM_IP_VALID |
				 CSUM_DATA_VALID | CSUM_PSEUDO_HDR;
	m->m_pkthdr.csum_data = 0xffff;
	return m;
}

static void mbuf_lro_gro_merges(struct kunit *test)
{
	struct mbuf *head = NULL, **tail = &head;
	struct mbt_softc *sc;
	struct mbt_tap *tap;
	struct mbt_lro *l;
	int i;

	if (!IS_ENABLED(CONFIG_INET))
		kunit_skip(test, "no INET: GRO has no TCP to merge");
	sc = mbt_attach(test, IFCAP_LRO | IFCAP_RXCSUM, IFCAP_LRO | IFCAP_RXCSUM);
	KUNIT_ASSERT_NOT_NULL(test, sc);
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	tap = kunit_kzalloc(test, sizeof(*tap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tap);
	tap->pt.type = htons(ETH_P_ALL);
	tap->pt.dev = sc->ifp;
	tap->pt.ignore_outgoing = true;
	tap->pt.func = mbt_tap_rx;
	dev_add_pack(&tap->pt);
	l = mbt_lro_setup(test, sc, 0);
	KUNIT_ASSERT_NOT_NULL(test, l);
	l->flush = true;
	for (i = 0; i < 4; i++) {
		*tail = mbt_tcp_segment(i);
		KUNIT_ASSERT_NOT_NULL(test, *tail);
		tail = &(*tail)->m_nextpkt;
	}
	mbt_lro_run(l, head);
	for (i = 0; i < 100 && !atomic_read(&tap->count); i++)
		msleep(20);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&tap->count), 1);
	KUNIT_EXPECT_EQ(test, tap->segs, 4);
	KUNIT_EXPECT_EQ(test, tap->len, (int)(sizeof(struct iphdr) +
		sizeof(struct tcphdr) + 4 * MBT_TCP_PAYLOAD));
	KUNIT_EXPECT_EQ(test, l->lro.lro_queued, 4ULL);
	dev_remove_pack(&tap->pt);
	mbt_lro_teardown(l);
	mbt_detach(sc);
}

static struct kunit_case mbuf_lro_cases[] = {
	KUNIT_CASE(mbuf_lro_init),
	KUNIT_CASE(mbuf_lro_rx),
	KUNIT_CASE(mbuf_lro_queue),
	KUNIT_CASE(mbuf_lro_gro_merges),
	{}
};

static struct kunit_suite mbuf_lro_suite = {
	.name		= "mbuf_lro",
	.init		= mbuf_kunit_init,
	.exit		= mbt_kunit_exit,
	.test_cases	= mbuf_lro_cases,
};

kunit_test_suite(mbuf_lro_suite);
