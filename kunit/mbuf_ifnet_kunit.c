// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_ifnet: FreeBSD's ifnet driver API on a registered net_device.
 *
 * Strategy. Each case attaches the test driver of mbuf_ifnet_kunit.h
 * (written as a FreeBSD driver: if_alloc, if_set*, ether_ifattach) and
 * drives it through Linux's own entry points (dev_open, dev_close,
 * dev_set_mtu, netdev_update_features, dev_set_promiscuity, dev_mc_add,
 * dev_get_stats, ethtool ops, ndo_start_xmit, dev_queue_xmit), checking
 * that each reaches the driver as FreeBSD's stack would call it and that
 * the driver's calls show in Linux's state:
 *  - attach: name, MAC, type, softc, features from capabilities,
 *    carrier off for IFCAP_LINKSTATE drivers, queues stopped;
 *  - up/down: SIOCSIFFLAGS with IFF_UP, IFF_DRV_RUNNING -> queues run,
 *    IFF_DRV_OACTIVE -> queues stop and wake, if_qflush on down;
 *  - link state -> carrier; MTU through SIOCSIFMTU, refused by the driver;
 *  - capabilities <-> features through SIOCSIFCAP, the driver deciding;
 *  - promiscuous mode and the multicast list through the deferred
 *    SIOCSIFFLAGS / SIOCADDMULTI;
 *  - counters from any context -> ndo_get_stats64 and ethtool -S, and a
 *    driver's get_counter method;
 *  - transmit: an skb reaches if_transmit as an mbuf chain with the same
 *    bytes; the legacy if_start send queue; errors consume the packet;
 *  - receive: if_input from process context (receive cell), inside the
 *    driver's NAPI poll (mbuf_napi_enter) and as an m_nextpkt batch, all
 *    delivered to a tap with the right bytes; down -> IFCOUNTER_IQDROPS;
 *  - failure paths: if_alloc of another type, injected allocation
 *    failure.
 * The zones end every case at their baseline (lent clusters come back
 * when the stack frees the skbs).
 */
#include <kunit/test.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include "mbuf_ifnet_kunit.h"

#define MBT_CAPS	(IFCAP_HWCSUM | IFCAP_TSO4 | IFCAP_LRO | IFCAP_LINKSTATE | \
			 IFCAP_VLAN_HWTAGGING)

static bool mbt_txq_stopped(if_t ifp)
{
	return netif_tx_queue_stopped(netdev_get_tx_queue(ifp, 0));
}

static void mbuf_ifnet_attach(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	if_t ifp;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	KUNIT_EXPECT_EQ(test, (int)ifp->reg_state, (int)NETREG_REGISTERED);
	KUNIT_EXPECT_GT(test, if_getindex(ifp), 0);
	KUNIT_EXPECT_EQ(test, strncmp(if_name(ifp), "mbt", 3), 0);
	KUNIT_EXPECT_EQ(test, memcmp(if_getlladdr(ifp), mbt_mac, ETHER_ADDR_LEN), 0);
	KUNIT_EXPECT_EQ(test, if_getaddrlen(ifp), ETHER_ADDR_LEN);
	KUNIT_EXPECT_PTR_EQ(test, if_getsoftc(ifp), (void *)sc);
	KUNIT_EXPECT_EQ(test, if_gettype(ifp), IFT_ETHER);
	KUNIT_EXPECT_EQ(test, if_getmtu(ifp), ETHERMTU);
	KUNIT_EXPECT_TRUE(test, mbuf_ifnet_is_ours(ifp));
	/* Enabled capabilities are the features; supported ones hw_features. */
	KUNIT_EXPECT_TRUE(test, ifp->features & NETIF_F_RXCSUM);
	KUNIT_EXPECT_TRUE(test, ifp->features & NETIF_F_IP_CSUM);
	KUNIT_EXPECT_TRUE(test, ifp->features & NETIF_F_SG);
	KUNIT_EXPECT_FALSE(test, ifp->features & NETIF_F_TSO);
	KUNIT_EXPECT_FALSE(test, ifp->features & NETIF_F_LRO);
	KUNIT_EXPECT_TRUE(test, ifp->hw_features & NETIF_F_TSO);
	KUNIT_EXPECT_TRUE(test, ifp->hw_features & NETIF_F_LRO);
	KUNIT_EXPECT_TRUE(test, ifp->hw_features & NETIF_F_HW_VLAN_CTAG_RX);
	/* IFCAP_LINKSTATE: no carrier until the driver reports the link. */
	KUNIT_EXPECT_FALSE(test, netif_carrier_ok(ifp));
	KUNIT_EXPECT_EQ(test, if_getlinkstate(ifp), LINK_STATE_UNKNOWN);
	/* Not running yet: the stack must not transmit. */
	KUNIT_EXPECT_TRUE(test, mbt_txq_stopped(ifp));
	KUNIT_EXPECT_EQ(test, sc->inits, 0);
	mbt_detach(sc);
}

static void mbuf_ifnet_up_down(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	if_t ifp;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	KUNIT_EXPECT_EQ(test, sc->ioctls[0], 1);
	KUNIT_EXPECT_TRUE(test, sc->last_flags & IFF_UP);
	KUNIT_EXPECT_EQ(test, sc->inits, 1);
	KUNIT_EXPECT_TRUE(test, if_getdrvflags(ifp) & IFF_DRV_RUNNING);
	KUNIT_EXPECT_FALSE(test, mbt_txq_stopped(ifp));
	/* Ring full: the stack stops; completions: it resumes. */
	if_setdrvflagbits(ifp, IFF_DRV_OACTIVE, 0);
	KUNIT_EXPECT_TRUE(test, mbt_txq_stopped(ifp));
	if_setdrvflagbits(ifp, 0, IFF_DRV_OACTIVE);
	KUNIT_EXPECT_FALSE(test, mbt_txq_stopped(ifp));
	if_setdrvflags(ifp, IFF_DRV_RUNNING | IFF_DRV_OACTIVE);
	KUNIT_EXPECT_TRUE(test, mbt_txq_stopped(ifp));
	if_setdrvflags(ifp, IFF_DRV_RUNNING);
	KUNIT_EXPECT_FALSE(test, mbt_txq_stopped(ifp));
	mbt_down(sc);
	KUNIT_EXPECT_EQ(test, sc->ioctls[0], 2);
	KUNIT_EXPECT_FALSE(test, sc->last_flags & IFF_UP);
	KUNIT_EXPECT_FALSE(test, if_getflags(ifp) & IFF_UP);
	KUNIT_EXPECT_FALSE(test, if_getdrvflags(ifp) & IFF_DRV_RUNNING);
	KUNIT_EXPECT_TRUE(test, mbt_txq_stopped(ifp));
	KUNIT_EXPECT_EQ(test, sc->qflushes, 1);
	/* Up again: init again. */
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	KUNIT_EXPECT_EQ(test, sc->inits, 2);
	mbt_detach(sc);		/* down through unregister */
	KUNIT_EXPECT_EQ(test, sc->qflushes, 2);
}

static void mbuf_ifnet_link_mtu(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	struct ethtool_link_ksettings ks = {};
	if_t ifp;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	if_link_state_change(ifp, LINK_STATE_UP);
	KUNIT_EXPECT_TRUE(test, netif_carrier_ok(ifp));
	KUNIT_EXPECT_EQ(test, if_getlinkstate(ifp), LINK_STATE_UP);
	KUNIT_EXPECT_EQ(test, ifp->ethtool_ops->get_link(ifp), 1U);
	KUNIT_EXPECT_EQ(test, ifp->ethtool_ops->get_link_ksettings(ifp, &ks), 0);
	KUNIT_EXPECT_EQ(test, ks.base.speed, 10000U);
	if_link_state_change(ifp, LINK_STATE_DOWN);
	KUNIT_EXPECT_FALSE(test, netif_carrier_ok(ifp));
	KUNIT_EXPECT_EQ(test, if_getlinkstate(ifp), LINK_STATE_DOWN);

	rtnl_lock();
	err = dev_set_mtu(ifp, 9000);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, sc->ioctls[1], 1);
	KUNIT_EXPECT_EQ(test, if_getmtu(ifp), 9000);
	KUNIT_EXPECT_EQ(test, (int)ifp->mtu, 9000);
	/* The driver refuses (EINVAL): Linux gets -EINVAL, the MTU stays. */
	rtnl_lock();
	err = dev_set_mtu(ifp, 9100);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, sc->ioctls[1], 2);
	KUNIT_EXPECT_EQ(test, if_getmtu(ifp), 9000);
	mbt_detach(sc);
}

static void mbuf_ifnet_caps(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	if_t ifp;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	/* ethtool -K tso on: SIOCSIFCAP asks for TSO4, the driver enables it. */
	rtnl_lock();
	ifp->wanted_features |= NETIF_F_TSO;
	netdev_update_features(ifp);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, sc->ioctls[2], 1);
	KUNIT_EXPECT_TRUE(test, sc->last_reqcap & IFCAP_TSO4);
	KUNIT_EXPECT_TRUE(test, if_getcapenable(ifp) & IFCAP_TSO4);
	KUNIT_EXPECT_TRUE(test, ifp->features & NETIF_F_TSO);
	/* The driver refuses LRO: Linux's features follow the driver. */
	sc->refuse_caps = IFCAP_LRO;
	rtnl_lock();
	ifp->wanted_features |= NETIF_F_LRO;
	netdev_update_features(ifp);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, sc->ioctls[2], 2);
	KUNIT_EXPECT_TRUE(test, sc->last_reqcap & IFCAP_LRO);
	KUNIT_EXPECT_FALSE(test, if_getcapenable(ifp) & IFCAP_LRO);
	KUNIT_EXPECT_FALSE(test, ifp->features & NETIF_F_LRO);
	KUNIT_EXPECT_TRUE(test, ifp->features & NETIF_F_TSO);
	/* rx checksum off. */
	rtnl_lock();
	ifp->wanted_features &= ~NETIF_F_RXCSUM;
	netdev_update_features(ifp);
	rtnl_unlock();
	KUNIT_EXPECT_FALSE(test, if_getcapenable(ifp) & IFCAP_RXCSUM);
	KUNIT_EXPECT_FALSE(test, ifp->features & NETIF_F_RXCSUM);
	/* hwassist and TSO limits are kept as set. */
	if_sethwassist(ifp, CSUM_TCP | CSUM_UDP);
	if_sethwassistbits(ifp, CSUM_TSO, CSUM_UDP);
	KUNIT_EXPECT_EQ(test, if_gethwassist(ifp), CSUM_TCP | CSUM_TSO);
	if_sethwtsomax(ifp, 65518);
	KUNIT_EXPECT_EQ(test, if_gethwtsomax(ifp), 65518U);
	KUNIT_EXPECT_EQ(test, ifp->tso_max_size, 65518U);
	mbt_detach(sc);
}

static void mbuf_ifnet_rxmode(struct kunit *test)
{
	static const u8 group[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	if_t ifp;
	int before;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	flush_work(&((struct mbuf_ifnet *)netdev_priv(ifp))->rxmode_work);
	before = sc->ioctls[0];
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, dev_set_promiscuity(ifp, 1), 0);
	rtnl_unlock();
	flush_work(&((struct mbuf_ifnet *)netdev_priv(ifp))->rxmode_work);
	KUNIT_EXPECT_EQ(test, sc->ioctls[0], before + 1);
	KUNIT_EXPECT_TRUE(test, sc->last_flags & IFF_PROMISC);
	KUNIT_EXPECT_TRUE(test, if_getflags(ifp) & IFF_PROMISC);
	KUNIT_EXPECT_EQ(test, dev_mc_add(ifp, group), 0);
	flush_work(&((struct mbuf_ifnet *)netdev_priv(ifp))->rxmode_work);
	KUNIT_EXPECT_GE(test, sc->ioctls[3], 1);
	KUNIT_EXPECT_EQ(test, sc->mcast_seen, (int)netdev_mc_count(ifp));
	KUNIT_EXPECT_GE(test, sc->mcast_seen, 1);
	KUNIT_EXPECT_EQ(test, if_llmaddr_count(ifp), (u_int)netdev_mc_count(ifp));
	KUNIT_EXPECT_EQ(test, if_lladdr_count(ifp), 1U);
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, dev_set_promiscuity(ifp, -1), 0);
	rtnl_unlock();
	flush_work(&((struct mbuf_ifnet *)netdev_priv(ifp))->rxmode_work);
	KUNIT_EXPECT_FALSE(test, sc->last_flags & IFF_PROMISC);
	mbt_detach(sc);
}

static uint64_t mbt_get_counter(if_t ifp, ift_counter cnt)
{
	if (cnt == IFCOUNTER_OPACKETS)
		return 42;
	return if_get_counter_default(ifp, cnt);
}

static void mbt_count_in_irq(void *arg)
{
	if_inc_counter(arg, IFCOUNTER_IBYTES, 500);
}

static void mbuf_ifnet_counters(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	struct rtnl_link_stats64 st;
	const struct ethtool_ops *eo;
	u64 data[IFCOUNTERS];
	u8 *names;
	if_t ifp;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	eo = ifp->ethtool_ops;
	if_inc_counter(ifp, IFCOUNTER_IPACKETS, 3);
	mbuf_kunit_run_in(MBUF_CTX_SOFTIRQ, mbt_count_in_irq, ifp);
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbt_count_in_irq, ifp);
	if_inc_counter(ifp, IFCOUNTER_OQDROPS, 2);
	if_inc_counter(ifp, IFCOUNTER_OQDROPS, -1);
	if_inc_counter(ifp, IFCOUNTER_NOPROTO, 7);
	if_inc_counter(ifp, IFCOUNTERS, 1);	/* bad: ignored */
	KUNIT_EXPECT_EQ(test, if_getcounter(ifp, IFCOUNTER_IBYTES), 1000ULL);
	dev_get_stats(ifp, &st);
	KUNIT_EXPECT_EQ(test, st.rx_packets, 3ULL);
	KUNIT_EXPECT_EQ(test, st.rx_bytes, 1000ULL);
	KUNIT_EXPECT_EQ(test, st.tx_dropped, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rx_nohandler, 7ULL);
	KUNIT_EXPECT_EQ(test, st.tx_packets, 0ULL);
	/* ethtool -S: one string and value per IFCOUNTER_*. */
	KUNIT_ASSERT_EQ(test, eo->get_sset_count(ifp, ETH_SS_STATS), IFCOUNTERS);
	names = kunit_kzalloc(test, IFCOUNTERS * ETH_GSTRING_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, names);
	eo->get_strings(ifp, ETH_SS_STATS, names);
	KUNIT_EXPECT_STREQ(test, (char *)names, "ipackets");
	KUNIT_EXPECT_STREQ(test, (char *)names + IFCOUNTER_NOPROTO * ETH_GSTRING_LEN,
			   "noproto");
	eo->get_ethtool_stats(ifp, NULL, data);
	KUNIT_EXPECT_EQ(test, data[IFCOUNTER_IPACKETS], 3ULL);
	KUNIT_EXPECT_EQ(test, data[IFCOUNTER_OQDROPS], 1ULL);
	/* A driver's get_counter method decides what is reported. */
	if_setgetcounterfn(ifp, mbt_get_counter);
	dev_get_stats(ifp, &st);
	KUNIT_EXPECT_EQ(test, st.tx_packets, 42ULL);
	KUNIT_EXPECT_EQ(test, st.rx_packets, 3ULL);
	mbt_detach(sc);
}

/* A frame as ndo_start_xmit gets it. */
static struct sk_buff *mbt_tx_skb(if_t ifp, int len, u8 first)
{
	struct sk_buff *skb = alloc_skb(len + NET_IP_ALIGN, GFP_KERNEL);
	struct ethhdr *eh;
	u8 *p;
	int i;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	eh = skb_put(skb, ETH_HLEN);
	memset(eh->h_dest, 0x02, ETH_ALEN);
	memcpy(eh->h_source, mbt_mac, ETH_ALEN);
	eh->h_proto = htons(MBT_ETHERTYPE);
	p = skb_put(skb, len - ETH_HLEN);
	for (i = 0; i < len - ETH_HLEN; i++)
		p[i] = first + i;
	skb->dev = ifp;
	skb->protocol = htons(MBT_ETHERTYPE);
	skb_reset_mac_header(skb);
	return skb;
}

static bool mbt_check_frame(struct kunit *test, struct mbuf *m, int len, u8 first)
{
	u8 *buf = kmalloc(len, GFP_KERNEL);
	bool ok;
	int i;

	if (!buf)
		return false;
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_PKTHDR);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, len);
	m_copydata(m, 0, len, buf);
	ok = m->m_pkthdr.len == len;
	for (i = ETH_HLEN; i < len && ok; i++)
		ok = buf[i] == (u8)(first + i - ETH_HLEN);
	kfree(buf);
	return ok;
}

static void mbuf_ifnet_transmit(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	struct sk_buff *skb;
	struct mbuf *m;
	if_t ifp;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	/* Link first: Linux gives a device without carrier no qdisc. */
	if_link_state_change(ifp, LINK_STATE_UP);
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	/* ndo_start_xmit directly, as the stack calls it (BH off). */
	skb = mbt_tx_skb(ifp, 1000, 7);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	local_bh_disable();
	KUNIT_EXPECT_EQ(test, ifp->netdev_ops->ndo_start_xmit(skb, ifp),
			NETDEV_TX_OK);
	local_bh_enable();
	KUNIT_ASSERT_EQ(test, mbufq_len(&sc->txq), 1);
	m = mbufq_dequeue(&sc->txq);
	KUNIT_EXPECT_TRUE(test, mbt_check_frame(test, m, 1000, 7));
	m_freem(m);		/* releases the skb */
	/* Through the stack: dev_queue_xmit and the qdisc. */
	for (i = 0; i < 3; i++) {
		skb = mbt_tx_skb(ifp, 200 + i, i);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	}
	for (i = 0; i < 100 && mbufq_len(&sc->txq) < 3; i++)
		msleep(20);
	KUNIT_ASSERT_EQ(test, mbufq_len(&sc->txq), 3);
	for (i = 0; i < 3; i++) {
		m = mbufq_dequeue(&sc->txq);
		KUNIT_EXPECT_TRUE(test, mbt_check_frame(test, m, 200 + i, i));
		m_freem(m);
	}
	KUNIT_EXPECT_EQ(test, if_getcounter(ifp, IFCOUNTER_OPACKETS), 4ULL);
	/* A driver error: the packet is gone all the same, and counted. */
	sc->tx_error = ENOBUFS;
	skb = mbt_tx_skb(ifp, 100, 0);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	local_bh_disable();
	KUNIT_EXPECT_EQ(test, ifp->netdev_ops->ndo_start_xmit(skb, ifp),
			NETDEV_TX_OK);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, if_getcounter(ifp, IFCOUNTER_OERRORS), 1ULL);
	KUNIT_EXPECT_EQ(test, mbufq_len(&sc->txq), 0);
	mbt_detach(sc);
}

/* The legacy path: no transmit method, the send queue and if_start. */
static int mbt_starts;

static void mbt_start(if_t ifp)
{
	struct mbt_softc *sc = if_getsoftc(ifp);
	struct mbuf *m;

	mbt_starts++;
	/* Hold one packet back to see the queue and qflush at work. */
	while (!if_sendq_empty(ifp) && mbufq_len(&sc->txq) < 1) {
		m = if_dequeue(ifp);
		if (!m)
			break;
		mbufq_enqueue(&sc->txq, m);
	}
}

static void mbuf_ifnet_start_sendq(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	struct sk_buff *skb;
	struct mbuf *m;
	if_t ifp;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	if_settransmitfn(ifp, NULL);
	if_setstartfn(ifp, mbt_start);
	KUNIT_EXPECT_TRUE(test, if_getstartfn(ifp) == mbt_start);
	if_setsendqlen(ifp, 2);
	if_setsendqready(ifp);
	mbt_starts = 0;
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	for (i = 0; i < 4; i++) {
		skb = mbt_tx_skb(ifp, 100, i);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		local_bh_disable();
		ifp->netdev_ops->ndo_start_xmit(skb, ifp);
		local_bh_enable();
	}
	/* 1 taken by start, 2 queued, 1 refused (queue full). */
	KUNIT_EXPECT_EQ(test, mbt_starts, 3);
	KUNIT_EXPECT_EQ(test, mbufq_len(&sc->txq), 1);
	KUNIT_EXPECT_FALSE(test, if_sendq_empty(ifp));
	KUNIT_EXPECT_EQ(test, if_getcounter(ifp, IFCOUNTER_OQDROPS), 1ULL);
	m = if_dequeue(ifp);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, mbt_check_frame(test, m, 100, 1));
	if_sendq_prepend(ifp, m);
	m = mbufq_dequeue(&sc->txq);
	KUNIT_EXPECT_TRUE(test, mbt_check_frame(test, m, 100, 0));
	m_freem(m);
	mbt_down(sc);			/* if_qflush drains the send queue */
	KUNIT_EXPECT_TRUE(test, if_sendq_empty(ifp));
	mbt_detach(sc);
}

/* NAPI context of the test "driver". */
struct mbt_napi {
	struct napi_struct	napi;
	struct mbuf		*pending;	/* if_input()ed in the poll */
	bool			direct;		/* took the NAPI path */
};

static int mbt_napi_poll(struct napi_struct *napi, int budget)
{
	struct mbt_napi *n = container_of(napi, struct mbt_napi, napi);

	mbuf_napi_enter(napi);
	n->direct = mbuf_ifnet_napi(napi->dev) == napi;
	if_input(napi->dev, n->pending);
	n->pending = NULL;
	mbuf_napi_exit(napi);
	napi_complete_done(napi, 1);
	return 1;
}

static void mbuf_ifnet_input(struct kunit *test)
{
	struct mbt_softc *sc = mbt_attach(test, MBT_CAPS, IFCAP_HWCSUM);
	struct mbt_napi *n;
	struct mbuf *m, *m2, *m3;
	if_t ifp;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	ifp = sc->ifp;
	KUNIT_ASSERT_EQ(test, mbt_up(sc), 0);
	/* Process context: through the receive cell. */
	KUNIT_EXPECT_NULL(test, mbuf_ifnet_napi(ifp));
	m = mbt_frame(600, 10);
	KUNIT_ASSERT_NOT_NULL(test, m);
	if_input(ifp, m);
	KUNIT_EXPECT_EQ(test, mbt_wait_rx(sc, 1), 1);
	KUNIT_EXPECT_EQ(test, sc->rx_len[0], 600 - ETH_HLEN);
	KUNIT_EXPECT_EQ(test, sc->rx_first[0], 10);
	/* A batch linked by m_nextpkt, in order. */
	m = mbt_frame(100, 20);
	m2 = mbt_frame(200, 30);
	m3 = mbt_frame(300, 40);
	KUNIT_ASSERT_TRUE(test, m && m2 && m3);
	m->m_nextpkt = m2;
	m2->m_nextpkt = m3;
	if_input(ifp, m);
	KUNIT_EXPECT_EQ(test, mbt_wait_rx(sc, 4), 4);
	for (i = 1; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, sc->rx_len[i], 100 * i - ETH_HLEN);
		KUNIT_EXPECT_EQ(test, sc->rx_first[i], 10 + 10 * i);
	}
	/* The driver's own NAPI poll: straight into its GRO. */
	n = kunit_kzalloc(test, sizeof(*n), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, n);
	netif_napi_add(ifp, &n->napi, mbt_napi_poll);
	napi_enable(&n->napi);
	n->pending = mbt_frame(1500, 50);
	KUNIT_ASSERT_NOT_NULL(test, n->pending);
	local_bh_disable();
	napi_schedule(&n->napi);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, mbt_wait_rx(sc, 5), 5);
	KUNIT_EXPECT_TRUE(test, n->direct);
	KUNIT_EXPECT_EQ(test, sc->rx_len[4], 1500 - ETH_HLEN);
	KUNIT_EXPECT_EQ(test, sc->rx_first[4], 50);
	napi_disable(&n->napi);
	netif_napi_del(&n->napi);
	KUNIT_EXPECT_EQ(test, if_getcounter(ifp, IFCOUNTER_IQDROPS), 0ULL);
	/* Down: dropped and counted, nothing delivered, nothing leaked. */
	mbt_down(sc);
	m = mbt_frame(100, 1);
	KUNIT_ASSERT_NOT_NULL(test, m);
	if_input(ifp, m);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->rx_count), 5);
	KUNIT_EXPECT_EQ(test, if_getcounter(ifp, IFCOUNTER_IQDROPS), 1ULL);
	mbt_detach(sc);
}

static void mbuf_ifnet_alloc_fail(struct kunit *test)
{
	if_t ifp;

	KUNIT_EXPECT_NULL(test, if_alloc(IFT_LOOP));
	mbuf_fault_set(MBUF_FAULT_OTHER, 0, 1);
	KUNIT_EXPECT_NULL(test, if_alloc(IFT_ETHER));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	/* Allocated, never attached, freed. */
	ifp = if_alloc_dev(IFT_ETHER, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ifp);
	if_initname(ifp, "mbtx", 3);
	KUNIT_EXPECT_STREQ(test, if_name(ifp), "mbtx3");
	KUNIT_EXPECT_STREQ(test, if_getdname(ifp), "mbtx");
	KUNIT_EXPECT_EQ(test, if_getdunit(ifp), 3);
	KUNIT_EXPECT_EQ(test, if_getindex(ifp), 0);
	if_free(ifp);
}

static struct kunit_case mbuf_ifnet_cases[] = {
	KUNIT_CASE(mbuf_ifnet_attach),
	KUNIT_CASE(mbuf_ifnet_up_down),
	KUNIT_CASE(mbuf_ifnet_link_mtu),
	KUNIT_CASE(mbuf_ifnet_caps),
	KUNIT_CASE(mbuf_ifnet_rxmode),
	KUNIT_CASE(mbuf_ifnet_counters),
	KUNIT_CASE(mbuf_ifnet_transmit),
	KUNIT_CASE(mbuf_ifnet_start_sendq),
	KUNIT_CASE(mbuf_ifnet_input),
	KUNIT_CASE(mbuf_ifnet_alloc_fail),
	{}
};

static struct kunit_suite mbuf_ifnet_suite = {
	.name		= "mbuf_ifnet",
	.init		= mbuf_kunit_init,
	.exit		= mbt_kunit_exit,
	.test_cases	= mbuf_ifnet_cases,
};

kunit_test_suite(mbuf_ifnet_suite);
