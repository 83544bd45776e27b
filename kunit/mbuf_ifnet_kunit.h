/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A FreeBSD-style test driver on a real registered net_device, shared by
 * the mbuf_ifnet and mbuf_lro suites.
 *
 * The driver is written as a FreeBSD driver is: if_alloc(IFT_ETHER),
 * if_setsoftc(), if_initname(), methods, capabilities, ether_ifattach().
 * Its ioctl records every command and implements SIOCSIFFLAGS (init sets
 * IFF_DRV_RUNNING, down clears it), SIOCSIFMTU (up to 9000), SIOCSIFCAP
 * (enables what was asked, except what the test forbids) and
 * SIOCADDMULTI (counts the multicast list with if_foreach_llmaddr()). Its
 * transmit method keeps the packets it gets on an mbufq.
 *
 * Received frames use a private EtherType; a packet_type tap for it on
 * the device records what the stack delivered (length, first bytes, GSO
 * segment count) and frees the skb.
 */
#ifndef MBUF_IFNET_KUNIT_H
#define MBUF_IFNET_KUNIT_H

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <net/if_types.h>
#include <net/if_var.h>
#include <net/mbuf_skb.h>
#include "ifnet.h"
#include "mbuf_kpi_kunit.h"

#define MBT_ETHERTYPE	0x88B5		/* IEEE local experimental */
#define MBT_MAXPKT	64

struct mbt_softc {
	if_t		ifp;
	int		ioctls[8];	/* 0 flags 1 mtu 2 cap 3 addmulti 4 other */
	int		last_flags;	/* if_getflags() at the last SIOCSIFFLAGS */
	int		last_reqcap;
	int		refuse_caps;	/* SIOCSIFCAP never enables these */
	int		mcast_seen;	/* if_foreach_llmaddr() at SIOCADDMULTI */
	int		inits;
	int		qflushes;
	int		tx_error;	/* transmit returns this (packet freed) */
	struct mbufq	txq;		/* what transmit got */
	spinlock_t	lock;
	/* the receive tap */
	struct packet_type pt;
	atomic_t	rx_count;
	int		rx_len[MBT_MAXPKT];
	int		rx_segs[MBT_MAXPKT];
	u8		rx_first[MBT_MAXPKT];	/* first payload byte */
};

static inline void mbt_init(void *arg)
{
	struct mbt_softc *sc = arg;

	sc->inits++;
	if_setdrvflagbits(sc->ifp, IFF_DRV_RUNNING, IFF_DRV_OACTIVE);
}

static inline u_int mbt_count_maddr(void *arg, struct sockaddr_dl *sdl,
				    u_int cnt)
{
	return sdl->sdl_alen == ETHER_ADDR_LEN ? 1 : 0;
}

static inline int mbt_ioctl(if_t ifp, u_long cmd, caddr_t data)
{
	struct mbt_softc *sc = if_getsoftc(ifp);
	struct ifreq *ifr = (struct ifreq *)data;

	switch (cmd) {
	case SIOCSIFFLAGS:
		sc->ioctls[0]++;
		sc->last_flags = if_getflags(ifp);
		if (if_getflags(ifp) & IFF_UP) {
			if (!(if_getdrvflags(ifp) & IFF_DRV_RUNNING))
				mbt_init(sc);
		} else {
			if_setdrvflagbits(ifp, 0, IFF_DRV_RUNNING);
		}
		return 0;
	case SIOCSIFMTU:
		sc->ioctls[1]++;
		if (ifr->ifr_mtu > ETHERMTU_JUMBO)
			return EINVAL;
		if_setmtu(ifp, ifr->ifr_mtu);
		return 0;
	case SIOCSIFCAP:
		sc->ioctls[2]++;
		sc->last_reqcap = ifr->ifr_reqcap;
		if_setcapenable(ifp, ifr->ifr_reqcap & ~sc->refuse_caps &
				if_getcapabilities(ifp));
		return 0;
	case SIOCADDMULTI:
	case SIOCDELMULTI:
		sc->ioctls[3]++;
		sc->mcast_seen = if_foreach_llmaddr(ifp, mbt_count_maddr, sc);
		return 0;
	default:
		sc->ioctls[4]++;
		return ether_ioctl(ifp, cmd, data);
	}
}

static inline int mbt_transmit(if_t ifp, struct mbuf *m)
{
	struct mbt_softc *sc = if_getsoftc(ifp);
	int error = sc->tx_error;

	if (error) {
		m_freem(m);
		if_inc_counter(ifp, IFCOUNTER_OERRORS, 1);
		return error;
	}
	spin_lock_bh(&sc->lock);
	error = mbufq_enqueue(&sc->txq, m);
	spin_unlock_bh(&sc->lock);
	if (error)
		m_freem(m);
	else
		if_inc_counter(ifp, IFCOUNTER_OPACKETS, 1);
	return error;
}

static inline void mbt_qflush(if_t ifp)
{
	struct mbt_softc *sc = if_getsoftc(ifp);

	sc->qflushes++;
}

static inline int mbt_rx(struct sk_buff *skb, struct net_device *dev,
			 struct packet_type *pt, struct net_device *orig)
{
	struct mbt_softc *sc = container_of(pt, struct mbt_softc, pt);
	int i = atomic_read(&sc->rx_count);

	if (i < MBT_MAXPKT) {
		sc->rx_len[i] = skb->len;
		sc->rx_segs[i] = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
		sc->rx_first[i] = 0;
		skb_copy_bits(skb, 0, &sc->rx_first[i], 1);
	}
	atomic_inc(&sc->rx_count);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static const u8 mbt_mac[ETHER_ADDR_LEN] = { 0x02, 0x6d, 0x62, 0x74, 0x00, 0x01 };

/* A FreeBSD attach routine. Returns the softc, or NULL (test failed). */
static inline struct mbt_softc *mbt_attach(struct kunit *test, int caps,
					   int capenable)
{
	struct mbt_softc *sc;
	if_t ifp;

	sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return NULL;
	spin_lock_init(&sc->lock);
	mbufq_init(&sc->txq, 1000);
	ifp = if_alloc(IFT_ETHER);
	KUNIT_EXPECT_NOT_NULL(test, ifp);
	if (!ifp)
		return NULL;
	sc->ifp = ifp;
	if_setsoftc(ifp, sc);
	if_initname(ifp, "mbt%d", IF_DUNIT_NONE);
	if_setflags(ifp, IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST);
	if_setinitfn(ifp, mbt_init);
	if_setioctlfn(ifp, mbt_ioctl);
	if_settransmitfn(ifp, mbt_transmit);
	if_setqflushfn(ifp, mbt_qflush);
	if_setcapabilities(ifp, caps);
	if_setcapenable(ifp, capenable);
	if_setbaudrate(ifp, IF_Gbps(10));
	if (mbuf_ether_ifattach(ifp, mbt_mac)) {
		KUNIT_FAIL(test, "ether_ifattach failed");
		if_free(ifp);
		return NULL;
	}
	sc->pt.type = htons(MBT_ETHERTYPE);
	sc->pt.dev = ifp;
	sc->pt.func = mbt_rx;
	dev_add_pack(&sc->pt);
	return sc;
}

static inline void mbt_detach(struct mbt_softc *sc)
{
	dev_remove_pack(&sc->pt);
	ether_ifdetach(sc->ifp);
	if_free(sc->ifp);
	mbufq_drain(&sc->txq);
}

static inline int mbt_up(struct mbt_softc *sc)
{
	int error;

	rtnl_lock();
	error = dev_open(sc->ifp, NULL);
	rtnl_unlock();
	return error;
}

static inline void mbt_down(struct mbt_softc *sc)
{
	rtnl_lock();
	dev_close(sc->ifp);
	rtnl_unlock();
}

/* Wait (up to 2 s) until the tap has seen @n frames. */
static inline int mbt_wait_rx(struct mbt_softc *sc, int n)
{
	int i;

	for (i = 0; i < 100 && atomic_read(&sc->rx_count) < n; i++)
		msleep(20);
	return atomic_read(&sc->rx_count);
}

/*
 * A received frame as a driver builds it: an M_PKTHDR chain of @nclust
 * 2 KiB clusters holding @len bytes, Ethernet header for MBT_ETHERTYPE,
 * payload bytes starting at @first.
 */
static inline struct mbuf *mbt_frame(int len, u8 first)
{
	struct ether_header *eh;
	struct mbuf *m;
	u8 *p;
	int i;

	m = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	if (!m || len > MCLBYTES || len < ETHER_HDR_LEN + 1) {
		m_freem(m);
		return NULL;
	}
	eh = mtod(m, struct ether_header *);
	memcpy(eh->ether_dhost, mbt_mac, ETHER_ADDR_LEN);
	memset(eh->ether_shost, 0x02, ETHER_ADDR_LEN);
	eh->ether_type = htons(MBT_ETHERTYPE);
	p = mtod(m, u8 *) + ETHER_HDR_LEN;
	for (i = 0; i < len - ETHER_HDR_LEN; i++)
		p[i] = first + i;
	m->m_len = len;
	m->m_pkthdr.len = len;
	return m;
}

/*
 * Suite .exit: the clusters lent to the stack came back (the stack freed
 * every skb: mbuf_skb_lent() reaps them), then the zone baseline.
 */
static inline void mbt_kunit_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mbuf_skb_lent(), 0UL);
	mbuf_kunit_exit(test);
}

#endif /* MBUF_IFNET_KUNIT_H */
