// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * FreeBSD's ifnet driver API (if_t) over Linux's struct net_device.
 *
 * if_t is the net_device itself; what FreeBSD keeps in struct ifnet and
 * Linux has no field for is struct mbuf_ifnet in the device's private
 * area (netdev_priv). The net_device_ops below play FreeBSD's stack:
 * they call the driver's if_ioctl / if_init / if_transmit / if_qflush the
 * way FreeBSD's if.c and if_ethersubr.c do (<net/if_var.h> lists which
 * operation issues what).
 *
 * Flags. FreeBSD's if_flags are kept here in FreeBSD's values; IFF_UP,
 * IFF_PROMISC and IFF_ALLMULTI follow Linux's dev->flags (same values),
 * which Linux changes and we pass on by SIOCSIFFLAGS. The driver flags
 * drive the transmit queues: they run while IFF_DRV_RUNNING is set and
 * IFF_DRV_OACTIVE is clear, and are stopped otherwise, so Linux stops
 * calling ndo_start_xmit exactly when FreeBSD's stack would stop calling
 * if_start.
 *
 * Receive. if_input() hands each packet to mbuf_to_skb() and GRO. In a
 * NAPI poll bracketed by mbuf_napi_enter() / mbuf_napi_exit() that is the
 * driver's own NAPI context, directly. Elsewhere packets are queued to a
 * per-CPU receive cell of the interface, a NAPI context of ours that
 * converts and delivers them in softirq: so if_input() works in any
 * context (a work item, a threaded interrupt, hard interrupt) and every
 * packet still goes through GRO, which is what tcp_lro (lro.c) relies on.
 *
 * Counters are per CPU (if_inc_counter() from any context, no shared
 * cache line), summed for ndo_get_stats64 and ethtool -S.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <net/if_types.h>
#include <net/if_var.h>
#include <net/mbuf_skb.h>
#include "internal.h"
#include "ifnet.h"

/* Most Linux transmit queues an interface gets: one per CPU, capped. */
#define MBUF_IFNET_MAX_TXQ	64
/* Packets a receive cell holds (Linux's default netdev_max_backlog). */
#define MBUF_IFNET_CELL_QLEN	1000

static const struct net_device_ops mbuf_ifnet_ops;
static const struct ethtool_ops mbuf_ifnet_ethtool_ops;

/* The NAPI context the driver runs on this CPU (mbuf_napi_enter()). */
static DEFINE_PER_CPU(struct napi_struct *, mbuf_napi_current);

static inline struct mbuf_ifnet *ifn(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/**
 * mbuf_ifnet_is_ours() - whether a net_device was made by if_alloc()
 * @dev: any net_device
 *
 * Return: true if @dev has mbufcompat's ifnet state.
 */
bool mbuf_ifnet_is_ours(const struct net_device *dev)
{
	return dev && dev->netdev_ops == &mbuf_ifnet_ops;
}

/* -- counters -- */

/**
 * if_inc_counter() - add to an interface counter
 * @ifp: the interface
 * @cnt: IFCOUNTER_*
 * @inc: the amount (may be negative)
 *
 * Context: any.
 */
void if_inc_counter(if_t ifp, ift_counter cnt, int64_t inc)
{
	struct mbuf_ifnet_pcpu *s;
	unsigned long flags;

	if (mbuf_bad_arg((unsigned int)cnt >= IFCOUNTERS,
			 "%s: bad counter %d\n", __func__, cnt))
		return;
	s = get_cpu_ptr(ifn(ifp)->stats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->cnt[cnt], inc);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(ifn(ifp)->stats);
}
MBUF_EXPORT(if_inc_counter);

/**
 * if_get_counter_default() - an interface counter as if_inc_counter() kept it
 * @ifp: the interface
 * @cnt: IFCOUNTER_*
 *
 * The sum over all CPUs. A driver's get_counter method calls this for
 * the counters it does not keep itself, as in FreeBSD.
 *
 * Context: any.
 * Return: the value (0 for a bad @cnt).
 */
uint64_t if_get_counter_default(if_t ifp, ift_counter cnt)
{
	uint64_t sum = 0;
	int cpu;

	if ((unsigned int)cnt >= IFCOUNTERS)
		return 0;
	for_each_possible_cpu(cpu) {
		struct mbuf_ifnet_pcpu *s = per_cpu_ptr(ifn(ifp)->stats, cpu);
		unsigned int start;
		u64 v;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->cnt[cnt]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}
MBUF_EXPORT(if_get_counter_default);

/**
 * if_getcounter() - an interface counter as the stack reports it
 * @ifp: the interface
 * @cnt: IFCOUNTER_*
 *
 * Context: any (the driver's get_counter method decides).
 * Return: the driver's get_counter method's value, or
 * if_get_counter_default() without one.
 */
uint64_t if_getcounter(if_t ifp, ift_counter cnt)
{
	if_get_counter_t fn = ifn(ifp)->get_counter;

	return fn ? fn(ifp, cnt) : if_get_counter_default(ifp, cnt);
}
MBUF_EXPORT(if_getcounter);

/* -- transmit queue state from the driver flags -- */

static bool mbuf_ifnet_txq_should_run(int drv_flags)
{
	return (drv_flags & (IFF_DRV_RUNNING | IFF_DRV_OACTIVE)) ==
	       IFF_DRV_RUNNING;
}

/*
 * Caller holds drv_lock. Applies the queue state the flags ask for; the
 * queues have a qdisc only while registered (ether_ifattach() applies
 * the state the flags had before).
 */
static void mbuf_ifnet_txq_apply(struct mbuf_ifnet *ifnp, int old, int new)
{
	bool was = mbuf_ifnet_txq_should_run(old);
	bool is = mbuf_ifnet_txq_should_run(new);

	if (was == is || ifnp->dev->reg_state != NETREG_REGISTERED)
		return;
	if (is)
		netif_tx_wake_all_queues(ifnp->dev);
	else
		netif_tx_stop_all_queues(ifnp->dev);
}

/**
 * if_setdrvflagbits() - set and clear driver flags
 * @ifp: the interface
 * @if_setflags: IFF_DRV_* to set
 * @clear_flags: IFF_DRV_* to clear
 *
 * The transmit queues run while IFF_DRV_RUNNING is set and
 * IFF_DRV_OACTIVE is clear: setting OACTIVE (ring full) stops them,
 * clearing it in the completion path wakes them.
 *
 * Context: any.
 * Return: 0.
 */
int if_setdrvflagbits(if_t ifp, int if_setflags, int clear_flags)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);
	unsigned long flags;
	int old, new;

	spin_lock_irqsave(&ifnp->drv_lock, flags);
	old = ifnp->drv_flags;
	new = (old | if_setflags) & ~clear_flags;
	WRITE_ONCE(ifnp->drv_flags, new);
	mbuf_ifnet_txq_apply(ifnp, old, new);
	spin_unlock_irqrestore(&ifnp->drv_lock, flags);
	return 0;
}
MBUF_EXPORT(if_setdrvflagbits);

/**
 * if_setdrvflags() - replace the driver flags
 * @ifp: the interface
 * @flags: IFF_DRV_*
 *
 * Context: any.
 * Return: 0.
 */
int if_setdrvflags(if_t ifp, int flags)
{
	return if_setdrvflagbits(ifp, flags, ~flags);
}
MBUF_EXPORT(if_setdrvflags);

/**
 * if_getdrvflags() - the driver flags
 * @ifp: the interface
 *
 * Context: any (a snapshot).
 * Return: IFF_DRV_* bits.
 */
int if_getdrvflags(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->drv_flags);
}
MBUF_EXPORT(if_getdrvflags);

/* -- stack flags -- */

/**
 * if_getflags() - FreeBSD's interface flags
 * @ifp: the interface
 *
 * IFF_UP, IFF_PROMISC and IFF_ALLMULTI are the state last passed to the
 * driver (SIOCSIFFLAGS), which follows Linux's dev->flags.
 *
 * Context: any (a snapshot).
 * Return: IFF_* bits, FreeBSD values.
 */
int if_getflags(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->flags);
}
MBUF_EXPORT(if_getflags);

/**
 * if_setflags() - replace FreeBSD's interface flags
 * @ifp: the interface
 * @flags: IFF_* bits (drivers set IFF_BROADCAST, IFF_SIMPLEX,
 *	IFF_MULTICAST before attach)
 *
 * Context: any; normally attach.
 * Return: 0.
 */
int if_setflags(if_t ifp, int flags)
{
	WRITE_ONCE(ifn(ifp)->flags, flags);
	return 0;
}
MBUF_EXPORT(if_setflags);

/**
 * if_setflagbits() - set and clear FreeBSD's interface flags
 * @ifp: the interface
 * @set: IFF_* to set
 * @clear: IFF_* to clear
 *
 * Context: process context (the driver's ioctl, attach).
 * Return: 0.
 */
int if_setflagbits(if_t ifp, int set, int clear)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);

	WRITE_ONCE(ifnp->flags, (ifnp->flags | set) & ~clear);
	return 0;
}
MBUF_EXPORT(if_setflagbits);

/* -- capabilities <-> netdev features -- */

#define MBUF_IFNET_CAPS_MAPPED						\
	(IFCAP_RXCSUM | IFCAP_RXCSUM_IPV6 | IFCAP_TXCSUM |		\
	 IFCAP_TXCSUM_IPV6 | IFCAP_TSO4 | IFCAP_TSO6 | IFCAP_LRO |	\
	 IFCAP_VLAN_HWTAGGING | IFCAP_VLAN_HWFILTER)

#define MBUF_IFNET_FEATURES_MAPPED					\
	(NETIF_F_RXCSUM | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |	\
	 NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_LRO |			\
	 NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_TX |		\
	 NETIF_F_HW_VLAN_CTAG_FILTER)

/**
 * mbuf_ifnet_caps_to_features() - the netdev features of FreeBSD capabilities
 * @caps: IFCAP_* bits
 *
 * Return: the NETIF_F_* bits (see Documentation/ifnet.rst for the table).
 */
netdev_features_t mbuf_ifnet_caps_to_features(int caps)
{
	netdev_features_t f = 0;

	if (caps & (IFCAP_RXCSUM | IFCAP_RXCSUM_IPV6))
		f |= NETIF_F_RXCSUM;
	if (caps & IFCAP_TXCSUM)
		f |= NETIF_F_IP_CSUM;
	if (caps & IFCAP_TXCSUM_IPV6)
		f |= NETIF_F_IPV6_CSUM;
	if (caps & IFCAP_TSO4)
		f |= NETIF_F_TSO;
	if (caps & IFCAP_TSO6)
		f |= NETIF_F_TSO6;
	if (caps & IFCAP_LRO)
		f |= NETIF_F_LRO;
	if (caps & IFCAP_VLAN_HWTAGGING)
		f |= NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_TX;
	if (caps & IFCAP_VLAN_HWFILTER)
		f |= NETIF_F_HW_VLAN_CTAG_FILTER;
	return f;
}

/**
 * mbuf_ifnet_features_to_caps() - FreeBSD capabilities of netdev features
 * @f: NETIF_F_* bits
 * @capabilities: what the interface supports (if_getcapabilities())
 *
 * Return: the IFCAP_* bits of @f the interface supports.
 */
int mbuf_ifnet_features_to_caps(netdev_features_t f, int capabilities)
{
	int caps = 0;

	if (f & NETIF_F_RXCSUM)
		caps |= IFCAP_RXCSUM | IFCAP_RXCSUM_IPV6;
	if (f & NETIF_F_IP_CSUM)
		caps |= IFCAP_TXCSUM;
	if (f & NETIF_F_IPV6_CSUM)
		caps |= IFCAP_TXCSUM_IPV6;
	if (f & NETIF_F_TSO)
		caps |= IFCAP_TSO4;
	if (f & NETIF_F_TSO6)
		caps |= IFCAP_TSO6;
	if (f & NETIF_F_LRO)
		caps |= IFCAP_LRO;
	if (f & (NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_TX))
		caps |= IFCAP_VLAN_HWTAGGING;
	if (f & NETIF_F_HW_VLAN_CTAG_FILTER)
		caps |= IFCAP_VLAN_HWFILTER;
	return caps & capabilities;
}

static netdev_features_t mbuf_ifnet_vlan_features(int caps)
{
	netdev_features_t f = NETIF_F_SG | NETIF_F_HIGHDMA;

	if (caps & IFCAP_VLAN_HWCSUM)
		f |= mbuf_ifnet_caps_to_features(caps & (IFCAP_TXCSUM |
							 IFCAP_TXCSUM_IPV6));
	if (caps & IFCAP_VLAN_HWTSO)
		f |= mbuf_ifnet_caps_to_features(caps & IFCAP_TSO);
	return f;
}

/*
 * Before registration the features follow the capabilities at once.
 * After it Linux owns dev->features: it learns of changes through
 * ndo_set_features (ethtool -K), whose SIOCSIFCAP is where a driver
 * changes its capenable.
 */
static void mbuf_ifnet_sync_features(struct mbuf_ifnet *ifnp)
{
	struct net_device *dev = ifnp->dev;

	if (dev->reg_state != NETREG_UNINITIALIZED)
		return;
	dev->hw_features = (dev->hw_features & ~MBUF_IFNET_FEATURES_MAPPED) |
		mbuf_ifnet_caps_to_features(ifnp->capabilities);
	dev->features = (dev->features & ~MBUF_IFNET_FEATURES_MAPPED) |
		mbuf_ifnet_caps_to_features(ifnp->capenable &
					    ifnp->capabilities);
	dev->vlan_features = mbuf_ifnet_vlan_features(ifnp->capenable);
}

/**
 * if_getcapabilities() - the capabilities the interface supports
 * @ifp: the interface
 *
 * Return: IFCAP_* bits.
 */
int if_getcapabilities(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->capabilities);
}
MBUF_EXPORT(if_getcapabilities);

/**
 * if_setcapabilities() - set the supported capabilities
 * @ifp: the interface
 * @capabilities: IFCAP_* bits (become hw_features before attach)
 *
 * Context: process context; normally attach.
 * Return: 0.
 */
int if_setcapabilities(if_t ifp, int capabilities)
{
	WRITE_ONCE(ifn(ifp)->capabilities, capabilities);
	mbuf_ifnet_sync_features(ifn(ifp));
	return 0;
}
MBUF_EXPORT(if_setcapabilities);

/**
 * if_setcapabilitiesbit() - set and clear supported capabilities
 * @ifp: the interface
 * @setbit: IFCAP_* to set
 * @clearbit: IFCAP_* to clear
 *
 * Context: process context.
 * Return: 0.
 */
int if_setcapabilitiesbit(if_t ifp, int setbit, int clearbit)
{
	return if_setcapabilities(ifp, (ifn(ifp)->capabilities | setbit) &
				  ~clearbit);
}
MBUF_EXPORT(if_setcapabilitiesbit);

/**
 * if_getcapenable() - the enabled capabilities
 * @ifp: the interface
 *
 * Return: IFCAP_* bits.
 */
int if_getcapenable(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->capenable);
}
MBUF_EXPORT(if_getcapenable);

/**
 * if_setcapenable() - set the enabled capabilities
 * @ifp: the interface
 * @capenable: IFCAP_* bits (become the features before attach; in the
 *	driver's SIOCSIFCAP handler, the features Linux gets back)
 *
 * Context: process context.
 * Return: 0.
 */
int if_setcapenable(if_t ifp, int capenable)
{
	WRITE_ONCE(ifn(ifp)->capenable, capenable);
	mbuf_ifnet_sync_features(ifn(ifp));
	return 0;
}
MBUF_EXPORT(if_setcapenable);

/**
 * if_setcapenablebit() - set and clear enabled capabilities
 * @ifp: the interface
 * @setcap: IFCAP_* to set
 * @clearcap: IFCAP_* to clear
 *
 * Context: process context.
 * Return: 0.
 */
int if_setcapenablebit(if_t ifp, int setcap, int clearcap)
{
	return if_setcapenable(ifp, (ifn(ifp)->capenable | setcap) & ~clearcap);
}
MBUF_EXPORT(if_setcapenablebit);

/**
 * if_togglecapenable() - flip enabled capabilities
 * @ifp: the interface
 * @togglecap: IFCAP_* to flip
 *
 * Context: process context.
 * Return: 0.
 */
int if_togglecapenable(if_t ifp, int togglecap)
{
	return if_setcapenable(ifp, ifn(ifp)->capenable ^ togglecap);
}
MBUF_EXPORT(if_togglecapenable);

/**
 * if_getcapabilities2() - the second capability word (IFCAP2_*, kept)
 * @ifp: the interface
 *
 * Return: IFCAP2_BIT() bits; Linux has no counterpart (receive TLS).
 */
int if_getcapabilities2(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->capabilities2);
}
MBUF_EXPORT(if_getcapabilities2);

/**
 * if_setcapabilities2() - set the second capability word
 * @ifp: the interface
 * @capabilities: IFCAP2_BIT() bits, kept for the driver
 *
 * Return: 0.
 */
int if_setcapabilities2(if_t ifp, int capabilities)
{
	WRITE_ONCE(ifn(ifp)->capabilities2, capabilities);
	return 0;
}
MBUF_EXPORT(if_setcapabilities2);

/**
 * if_setcapabilities2bit() - set and clear bits of the second word
 * @ifp: the interface
 * @setbit: bits to set
 * @clearbit: bits to clear
 *
 * Return: 0.
 */
int if_setcapabilities2bit(if_t ifp, int setbit, int clearbit)
{
	return if_setcapabilities2(ifp, (ifn(ifp)->capabilities2 | setbit) &
				   ~clearbit);
}
MBUF_EXPORT(if_setcapabilities2bit);

/**
 * if_getcapenable2() - the enabled second-word capabilities (kept)
 * @ifp: the interface
 *
 * Return: IFCAP2_BIT() bits.
 */
int if_getcapenable2(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->capenable2);
}
MBUF_EXPORT(if_getcapenable2);

/**
 * if_setcapenable2() - set the enabled second-word capabilities
 * @ifp: the interface
 * @capenable: IFCAP2_BIT() bits, kept for the driver
 *
 * Return: 0.
 */
int if_setcapenable2(if_t ifp, int capenable)
{
	WRITE_ONCE(ifn(ifp)->capenable2, capenable);
	return 0;
}
MBUF_EXPORT(if_setcapenable2);

/**
 * if_setcapenable2bit() - set and clear enabled second-word capabilities
 * @ifp: the interface
 * @setcap: bits to set
 * @clearcap: bits to clear
 *
 * Return: 0.
 */
int if_setcapenable2bit(if_t ifp, int setcap, int clearcap)
{
	return if_setcapenable2(ifp, (ifn(ifp)->capenable2 | setcap) &
				~clearcap);
}
MBUF_EXPORT(if_setcapenable2bit);

/**
 * if_togglecapenable2() - flip enabled second-word capabilities
 * @ifp: the interface
 * @togglecap: bits to flip
 *
 * Return: 0.
 */
int if_togglecapenable2(if_t ifp, int togglecap)
{
	return if_setcapenable2(ifp, ifn(ifp)->capenable2 ^ togglecap);
}
MBUF_EXPORT(if_togglecapenable2);

/**
 * if_gethwassist() - the CSUM_* offloads the driver performs
 * @ifp: the interface
 *
 * Return: CSUM_* bits (<sys/mbuf.h>).
 */
int if_gethwassist(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->hwassist);
}
MBUF_EXPORT(if_gethwassist);

/**
 * if_sethwassist() - set the CSUM_* offloads the driver performs
 * @ifp: the interface
 * @hwassist_bit: CSUM_* bits
 *
 * Kept for the driver and the sk_buff bridge; what Linux asks of the
 * device is decided by the features (capabilities), as on FreeBSD by
 * if_capenable.
 *
 * Return: 0.
 */
int if_sethwassist(if_t ifp, int hwassist_bit)
{
	WRITE_ONCE(ifn(ifp)->hwassist, hwassist_bit);
	return 0;
}
MBUF_EXPORT(if_sethwassist);

/**
 * if_sethwassistbits() - set and clear hwassist bits
 * @ifp: the interface
 * @toset: CSUM_* to set
 * @toclear: CSUM_* to clear
 *
 * Return: 0.
 */
int if_sethwassistbits(if_t ifp, int toset, int toclear)
{
	return if_sethwassist(ifp, (ifn(ifp)->hwassist | toset) & ~toclear);
}
MBUF_EXPORT(if_sethwassistbits);

/**
 * if_clearhwassist() - clear all hwassist bits
 * @ifp: the interface
 *
 * Return: 0.
 */
int if_clearhwassist(if_t ifp)
{
	return if_sethwassist(ifp, 0);
}
MBUF_EXPORT(if_clearhwassist);

/**
 * if_togglehwassist() - flip hwassist bits
 * @ifp: the interface
 * @toggle_bits: CSUM_* to flip
 *
 * Return: 0.
 */
int if_togglehwassist(if_t ifp, int toggle_bits)
{
	return if_sethwassist(ifp, ifn(ifp)->hwassist ^ toggle_bits);
}
MBUF_EXPORT(if_togglehwassist);

/**
 * if_sethwtsomax() - longest TSO packet, link-layer header included
 * @ifp: the interface
 * @if_hw_tsomax: bytes (netif_set_tso_max_size())
 *
 * Context: process context; attach.
 * Return: 0.
 */
int if_sethwtsomax(if_t ifp, u_int if_hw_tsomax)
{
	ifn(ifp)->tsomax = if_hw_tsomax;
	netif_set_tso_max_size(ifp, if_hw_tsomax);
	return 0;
}
MBUF_EXPORT(if_sethwtsomax);

/**
 * if_sethwtsomaxsegcount() - most DMA segments of a TSO packet
 * @ifp: the interface
 * @if_hw_tsomaxsegcount: segments
 *
 * Kept: Linux limits TSO by packets (gso_max_segs), not by scatter-gather
 * entries; a chain with too many is the driver's m_defrag() / m_collapse()
 * case, as on FreeBSD when the stack does not know the limit.
 *
 * Return: 0.
 */
int if_sethwtsomaxsegcount(if_t ifp, u_int if_hw_tsomaxsegcount)
{
	ifn(ifp)->tsomaxsegcount = if_hw_tsomaxsegcount;
	return 0;
}
MBUF_EXPORT(if_sethwtsomaxsegcount);

/**
 * if_sethwtsomaxsegsize() - longest DMA segment of a TSO packet
 * @ifp: the interface
 * @if_hw_tsomaxsegsize: bytes
 *
 * Kept: Linux has no such limit; the driver's bus_dma tag (maxsegsz)
 * splits longer pieces.
 *
 * Return: 0.
 */
int if_sethwtsomaxsegsize(if_t ifp, u_int if_hw_tsomaxsegsize)
{
	ifn(ifp)->tsomaxsegsize = if_hw_tsomaxsegsize;
	return 0;
}
MBUF_EXPORT(if_sethwtsomaxsegsize);

/**
 * if_gethwtsomax() - the value if_sethwtsomax() set
 * @ifp: the interface
 *
 * Return: bytes, 0 if never set.
 */
u_int if_gethwtsomax(const if_t ifp)
{
	return ifn(ifp)->tsomax;
}
MBUF_EXPORT(if_gethwtsomax);

/**
 * if_gethwtsomaxsegcount() - the value if_sethwtsomaxsegcount() set
 * @ifp: the interface
 *
 * Return: segments, 0 if never set.
 */
u_int if_gethwtsomaxsegcount(const if_t ifp)
{
	return ifn(ifp)->tsomaxsegcount;
}
MBUF_EXPORT(if_gethwtsomaxsegcount);

/**
 * if_gethwtsomaxsegsize() - the value if_sethwtsomaxsegsize() set
 * @ifp: the interface
 *
 * Return: bytes, 0 if never set.
 */
u_int if_gethwtsomaxsegsize(const if_t ifp)
{
	return ifn(ifp)->tsomaxsegsize;
}
MBUF_EXPORT(if_gethwtsomaxsegsize);

/**
 * if_setifheaderlen() - the link-layer header length (kept)
 * @ifp: the interface
 * @len: bytes (Ethernet: 14, 18 with a VLAN tag)
 *
 * Return: 0.
 */
int if_setifheaderlen(if_t ifp, int len)
{
	ifn(ifp)->ifheaderlen = len;
	return 0;
}
MBUF_EXPORT(if_setifheaderlen);

/* -- softc, methods, names -- */

/**
 * if_setsoftc() - attach the driver's state
 * @ifp: the interface
 * @softc: the driver's softc
 *
 * Return: 0.
 */
int if_setsoftc(if_t ifp, void *softc)
{
	ifn(ifp)->softc = softc;
	return 0;
}
MBUF_EXPORT(if_setsoftc);

/**
 * if_getsoftc() - the driver's state
 * @ifp: the interface
 *
 * Return: what if_setsoftc() stored.
 */
void *if_getsoftc(if_t ifp)
{
	return ifn(ifp)->softc;
}
MBUF_EXPORT(if_getsoftc);

/**
 * if_setinitfn() - set the driver's init method (called with the softc)
 * @ifp: the interface
 * @fn: the method
 */
void if_setinitfn(if_t ifp, if_init_fn_t fn)
{
	ifn(ifp)->init = fn;
}
MBUF_EXPORT(if_setinitfn);

/**
 * if_setioctlfn() - set the driver's ioctl method
 * @ifp: the interface
 * @fn: the method; called in process context with the RTNL held
 */
void if_setioctlfn(if_t ifp, if_ioctl_fn_t fn)
{
	ifn(ifp)->ioctl = fn;
}
MBUF_EXPORT(if_setioctlfn);

/**
 * if_setstartfn() - set the driver's start method (legacy send queue)
 * @ifp: the interface
 * @fn: the method; used when the driver sets no transmit method
 */
void if_setstartfn(if_t ifp, if_start_fn_t fn)
{
	ifn(ifp)->start = fn;
}
MBUF_EXPORT(if_setstartfn);

/**
 * if_getstartfn() - the driver's start method
 * @ifp: the interface
 *
 * Return: the method, or NULL.
 */
if_start_fn_t if_getstartfn(if_t ifp)
{
	return ifn(ifp)->start;
}
MBUF_EXPORT(if_getstartfn);

/**
 * if_settransmitfn() - set the driver's transmit method
 * @ifp: the interface
 * @fn: the method; called from ndo_start_xmit (softirq or BH-disabled
 *	process context) with each packet as an mbuf chain, which it
 *	consumes whatever it returns
 */
void if_settransmitfn(if_t ifp, if_transmit_fn_t fn)
{
	ifn(ifp)->transmit = fn;
}
MBUF_EXPORT(if_settransmitfn);

/**
 * if_gettransmitfn() - the driver's transmit method
 * @ifp: the interface
 *
 * Return: the method, or NULL.
 */
if_transmit_fn_t if_gettransmitfn(if_t ifp)
{
	return ifn(ifp)->transmit;
}
MBUF_EXPORT(if_gettransmitfn);

/**
 * if_setqflushfn() - set the driver's method that drops queued packets
 * @ifp: the interface
 * @fn: the method; called when the interface goes down
 */
void if_setqflushfn(if_t ifp, if_qflush_fn_t fn)
{
	ifn(ifp)->qflush = fn;
}
MBUF_EXPORT(if_setqflushfn);

/**
 * if_setgetcounterfn() - set the driver's counter method
 * @ifp: the interface
 * @fn: returns a counter's value; may call if_get_counter_default()
 */
void if_setgetcounterfn(if_t ifp, if_get_counter_t fn)
{
	ifn(ifp)->get_counter = fn;
}
MBUF_EXPORT(if_setgetcounterfn);

/**
 * if_init() - call the driver's init method
 * @ifp: the interface
 * @ctx: its argument (the softc)
 */
void if_init(if_t ifp, void *ctx)
{
	if (ifn(ifp)->init)
		ifn(ifp)->init(ctx);
}
MBUF_EXPORT(if_init);

/**
 * if_ioctl() - call the driver's ioctl method
 * @ifp: the interface
 * @cmd: SIOC*
 * @data: the request (a struct ifreq for the interface commands)
 *
 * Return: the method's result, or EOPNOTSUPP without one.
 */
int if_ioctl(if_t ifp, u_long cmd, void *data)
{
	if (!ifn(ifp)->ioctl)
		return EOPNOTSUPP;
	return ifn(ifp)->ioctl(ifp, cmd, data);
}
MBUF_EXPORT(if_ioctl);

/**
 * if_initname() - name the interface
 * @ifp: the interface, not yet attached
 * @name: the driver name ("vtnet")
 * @unit: the unit number, or IF_DUNIT_NONE to use @name as it is (which
 *	may be a Linux pattern such as "vtnet%d")
 */
void if_initname(if_t ifp, const char *name, int unit)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);

	strscpy(ifnp->dname, name, sizeof(ifnp->dname));
	ifnp->dunit = unit;
	if (mbuf_bad_arg(ifp->reg_state != NETREG_UNINITIALIZED,
			 "%s: %s is attached already\n", __func__,
			 ifp->name))
		return;
	if (unit == IF_DUNIT_NONE)
		strscpy(ifp->name, name, IFNAMSIZ);
	else
		snprintf(ifp->name, IFNAMSIZ, "%s%d", name, unit);
}
MBUF_EXPORT(if_initname);

/**
 * if_name() - the interface name
 * @ifp: the interface
 *
 * Return: dev->name ("vtnet0").
 */
const char *if_name(if_t ifp)
{
	return ifp->name;
}
MBUF_EXPORT(if_name);

/**
 * if_getdname() - the driver name if_initname() got
 * @ifp: the interface
 *
 * Return: the name ("" before if_initname()).
 */
const char *if_getdname(const if_t ifp)
{
	return ifn(ifp)->dname;
}
MBUF_EXPORT(if_getdname);

/**
 * if_getdunit() - the unit number if_initname() got
 * @ifp: the interface
 *
 * Return: the unit, IF_DUNIT_NONE before if_initname().
 */
int if_getdunit(const if_t ifp)
{
	return ifn(ifp)->dunit;
}
MBUF_EXPORT(if_getdunit);

/**
 * if_getindex() - the interface index
 * @ifp: the interface
 *
 * Return: dev->ifindex (0 before attach).
 */
int if_getindex(const if_t ifp)
{
	return ifp->ifindex;
}
MBUF_EXPORT(if_getindex);

/**
 * if_gettype() - the interface type
 * @ifp: the interface
 *
 * Return: the IFT_* if_alloc() got.
 */
int if_gettype(const if_t ifp)
{
	return ifn(ifp)->type;
}
MBUF_EXPORT(if_gettype);

/**
 * if_setdev() - set the hardware device (SET_NETDEV_DEV)
 * @ifp: the interface, not yet attached
 * @dev: the struct device (a device_t)
 *
 * Return: 0.
 */
int if_setdev(if_t ifp, void *dev)
{
	SET_NETDEV_DEV(ifp, (struct device *)dev);
	return 0;
}
MBUF_EXPORT(if_setdev);

/**
 * if_printf() - print a message prefixed with the interface name
 * @ifp: the interface
 * @fmt: printf format
 *
 * Return: the number of characters printed.
 */
int if_printf(if_t ifp, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;
	int r;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	r = pr_info("%s: %pV", ifp->name, &vaf);
	va_end(args);
	return r;
}
MBUF_EXPORT(if_printf);

/* -- MTU, speed, link, addresses -- */

/**
 * if_getmtu() - the MTU
 * @ifp: the interface
 *
 * Return: dev->mtu.
 */
int if_getmtu(const if_t ifp)
{
	return READ_ONCE(ifp->mtu);
}
MBUF_EXPORT(if_getmtu);

/**
 * if_setmtu() - set the MTU
 * @ifp: the interface
 * @mtu: bytes
 *
 * The driver calls this at attach and in its SIOCSIFMTU handler (which
 * ndo_change_mtu runs); Linux announces the change itself.
 *
 * Return: 0.
 */
int if_setmtu(if_t ifp, int mtu)
{
	WRITE_ONCE(ifp->mtu, mtu);
	return 0;
}
MBUF_EXPORT(if_setmtu);

/**
 * if_getbaudrate() - the link speed
 * @ifp: the interface
 *
 * Return: bits per second.
 */
uint64_t if_getbaudrate(const if_t ifp)
{
	return READ_ONCE(ifn(ifp)->baudrate);
}
MBUF_EXPORT(if_getbaudrate);

/**
 * if_setbaudrate() - set the link speed (ethtool's speed)
 * @ifp: the interface
 * @baudrate: bits per second (IF_Gbps(10))
 *
 * Return: the previous value.
 */
uint64_t if_setbaudrate(if_t ifp, uint64_t baudrate)
{
	return xchg(&ifn(ifp)->baudrate, baudrate);
}
MBUF_EXPORT(if_setbaudrate);

/**
 * if_getlinkstate() - the link state last reported
 * @ifp: the interface
 *
 * Return: LINK_STATE_*.
 */
int if_getlinkstate(if_t ifp)
{
	return READ_ONCE(ifn(ifp)->link_state);
}
MBUF_EXPORT(if_getlinkstate);

/**
 * if_link_state_change() - report the link state
 * @ifp: the interface
 * @link_state: LINK_STATE_UP (carrier on), LINK_STATE_DOWN (carrier off)
 *	or LINK_STATE_UNKNOWN (carrier on: Linux has no unknown carrier)
 *
 * Context: any.
 */
void if_link_state_change(if_t ifp, int link_state)
{
	WRITE_ONCE(ifn(ifp)->link_state, link_state);
	if (link_state == LINK_STATE_DOWN)
		netif_carrier_off(ifp);
	else
		netif_carrier_on(ifp);
}
MBUF_EXPORT(if_link_state_change);

/**
 * if_getlladdr() - the hardware address
 * @ifp: the interface
 *
 * Return: dev->dev_addr (ETHER_ADDR_LEN bytes).
 */
caddr_t if_getlladdr(const if_t ifp)
{
	return (caddr_t)ifp->dev_addr;
}
MBUF_EXPORT(if_getlladdr);

/**
 * if_getaddrlen() - the hardware address length
 * @ifp: the interface
 *
 * Return: dev->addr_len.
 */
uint8_t if_getaddrlen(if_t ifp)
{
	return ifp->addr_len;
}
MBUF_EXPORT(if_getaddrlen);

static void mbuf_ifnet_sdl_init(if_t ifp, struct sockaddr_dl *sdl)
{
	memset(sdl, 0, sizeof(*sdl));
	sdl->sdl_len = sizeof(*sdl);
	sdl->sdl_family = AF_LINK_FREEBSD;
	sdl->sdl_index = ifp->ifindex;
	sdl->sdl_type = IFT_ETHER;
	sdl->sdl_alen = ETH_ALEN;
}

/**
 * if_foreach_lladdr() - call @cb on each unicast hardware address
 * @ifp: the interface
 * @cb: called with @arg, the address and the running count; returns
 *	how much to add to the count (0 or 1)
 * @arg: its argument
 *
 * The primary address first, then the secondary unicast list (dev->uc).
 *
 * Context: process context or softirq; @cb runs with the address list
 * lock held and must not sleep (FreeBSD runs it in the net epoch).
 * Return: the count.
 */
u_int if_foreach_lladdr(if_t ifp, iflladdr_cb_t cb, void *arg)
{
	struct netdev_hw_addr *ha;
	struct sockaddr_dl sdl;
	u_int count = 0;

	mbuf_ifnet_sdl_init(ifp, &sdl);
	netif_addr_lock_bh(ifp);
	memcpy(LLADDR(&sdl), ifp->dev_addr, ETH_ALEN);
	count += cb(arg, &sdl, count);
	netdev_for_each_uc_addr(ha, ifp) {
		memcpy(LLADDR(&sdl), ha->addr, ETH_ALEN);
		count += cb(arg, &sdl, count);
	}
	netif_addr_unlock_bh(ifp);
	return count;
}
MBUF_EXPORT(if_foreach_lladdr);

/**
 * if_foreach_llmaddr() - call @cb on each multicast hardware address
 * @ifp: the interface
 * @cb: as for if_foreach_lladdr()
 * @arg: its argument
 *
 * Context: as if_foreach_lladdr().
 * Return: the count.
 */
u_int if_foreach_llmaddr(if_t ifp, iflladdr_cb_t cb, void *arg)
{
	struct netdev_hw_addr *ha;
	struct sockaddr_dl sdl;
	u_int count = 0;

	mbuf_ifnet_sdl_init(ifp, &sdl);
	netif_addr_lock_bh(ifp);
	netdev_for_each_mc_addr(ha, ifp) {
		memcpy(LLADDR(&sdl), ha->addr, ETH_ALEN);
		count += cb(arg, &sdl, count);
	}
	netif_addr_unlock_bh(ifp);
	return count;
}
MBUF_EXPORT(if_foreach_llmaddr);

/**
 * if_lladdr_count() - unicast hardware addresses
 * @ifp: the interface
 *
 * Return: 1 (the primary) plus the secondary unicast addresses.
 */
u_int if_lladdr_count(if_t ifp)
{
	return 1 + netdev_uc_count(ifp);
}
MBUF_EXPORT(if_lladdr_count);

/**
 * if_llmaddr_count() - multicast hardware addresses
 * @ifp: the interface
 *
 * Return: netdev_mc_count().
 */
u_int if_llmaddr_count(if_t ifp)
{
	return netdev_mc_count(ifp);
}
MBUF_EXPORT(if_llmaddr_count);

/* -- packet header helpers -- */

/**
 * if_setrcvif() - set a packet's receiving interface
 * @m: an M_PKTHDR mbuf
 * @ifp: the interface
 */
void if_setrcvif(struct mbuf *m, if_t ifp)
{
	m->m_pkthdr.rcvif = ifp;
}
MBUF_EXPORT(if_setrcvif);

/**
 * if_setvtag() - set a packet's VLAN tag (M_VLANTAG to be set by the caller)
 * @m: an M_PKTHDR mbuf
 * @tag: the 802.1Q tag control field
 */
void if_setvtag(struct mbuf *m, u_int16_t tag)
{
	m->m_pkthdr.ether_vtag = tag;
}
MBUF_EXPORT(if_setvtag);

/**
 * if_getvtag() - a packet's VLAN tag
 * @m: an M_PKTHDR mbuf
 *
 * Return: m_pkthdr.ether_vtag.
 */
u_int16_t if_getvtag(struct mbuf *m)
{
	return m->m_pkthdr.ether_vtag;
}
MBUF_EXPORT(if_getvtag);

/**
 * if_bpfmtap() - FreeBSD's BPF tap: nothing to do
 * @ifp: the interface
 * @m: the packet
 *
 * Linux's taps see every frame in the stack (<net/bpf.h>).
 */
void if_bpfmtap(if_t ifp, struct mbuf *m)
{
}
MBUF_EXPORT(if_bpfmtap);

/**
 * if_etherbpfmtap() - FreeBSD's Ethernet BPF tap: nothing to do
 * @ifp: the interface
 * @m: the packet
 *
 * As if_bpfmtap().
 */
void if_etherbpfmtap(if_t ifp, struct mbuf *m)
{
}
MBUF_EXPORT(if_etherbpfmtap);

/* -- the legacy send queue (if_start drivers) -- */

/**
 * if_setsendqlen() - size the send queue
 * @ifp: the interface
 * @tx_desc_count: packets it holds (FreeBSD: the ring size - 1)
 *
 * Return: 0.
 */
int if_setsendqlen(if_t ifp, int tx_desc_count)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);

	spin_lock_bh(&ifnp->sndq_lock);
	ifnp->sndq.mq_maxlen = max(tx_desc_count, 1);
	spin_unlock_bh(&ifnp->sndq_lock);
	return 0;
}
MBUF_EXPORT(if_setsendqlen);

/**
 * if_setsendqready() - mark the send queue ready (nothing else to do)
 * @ifp: the interface
 *
 * Return: 0.
 */
int if_setsendqready(if_t ifp)
{
	return 0;
}
MBUF_EXPORT(if_setsendqready);

/**
 * if_sendq_empty() - whether the send queue is empty
 * @ifp: the interface
 *
 * Return: nonzero if empty (a snapshot).
 */
int if_sendq_empty(if_t ifp)
{
	return READ_ONCE(ifn(ifp)->sndq.mq_len) == 0;
}
MBUF_EXPORT(if_sendq_empty);

/**
 * if_dequeue() - take the next packet of the send queue
 * @ifp: the interface
 *
 * Context: softirq or process context.
 * Return: the packet, or NULL.
 */
struct mbuf *if_dequeue(if_t ifp)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);
	struct mbuf *m;

	spin_lock_bh(&ifnp->sndq_lock);
	m = mbufq_dequeue(&ifnp->sndq);
	spin_unlock_bh(&ifnp->sndq_lock);
	return m;
}
MBUF_EXPORT(if_dequeue);

/**
 * if_sendq_prepend() - put a packet back at the head of the send queue
 * @ifp: the interface
 * @m: the packet
 *
 * Context: softirq or process context.
 * Return: 0.
 */
int if_sendq_prepend(if_t ifp, struct mbuf *m)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);

	spin_lock_bh(&ifnp->sndq_lock);
	mbufq_prepend(&ifnp->sndq, m);
	spin_unlock_bh(&ifnp->sndq_lock);
	return 0;
}
MBUF_EXPORT(if_sendq_prepend);

/* FreeBSD's if_transmit_default: queue, then start. */
static int mbuf_ifnet_start_transmit(if_t ifp, struct mbuf *m)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);
	int error;

	if (!ifnp->start) {
		m_freem(m);
		if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
		return ENXIO;
	}
	spin_lock_bh(&ifnp->sndq_lock);
	error = mbufq_enqueue(&ifnp->sndq, m);
	spin_unlock_bh(&ifnp->sndq_lock);
	if (error) {
		m_freem(m);
		if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
		return error;
	}
	ifnp->start(ifp);
	return 0;
}

static void mbuf_ifnet_sndq_drain(struct mbuf_ifnet *ifnp)
{
	struct mbufq q;

	mbufq_init(&q, 0);
	spin_lock_bh(&ifnp->sndq_lock);
	mbufq_concat(&q, &ifnp->sndq);
	spin_unlock_bh(&ifnp->sndq_lock);
	mbufq_drain(&q);
}

/**
 * if_transmit() - hand a packet to the driver
 * @ifp: the interface
 * @m: an M_PKTHDR chain, consumed
 *
 * The driver's transmit method, or FreeBSD's default for if_start
 * drivers: the send queue and the start method.
 *
 * Context: softirq or BH-disabled process context (ndo_start_xmit).
 * Return: 0 or the driver's positive errno (@m is gone either way).
 */
int if_transmit(if_t ifp, struct mbuf *m)
{
	if_transmit_fn_t fn = ifn(ifp)->transmit;

	if (fn)
		return fn(ifp, m);
	return mbuf_ifnet_start_transmit(ifp, m);
}
MBUF_EXPORT(if_transmit);

/**
 * if_qflush() - drop the packets queued for transmission
 * @ifp: the interface
 *
 * The driver's qflush method, or the legacy send queue's drain.
 *
 * Context: process context.
 */
void if_qflush(if_t ifp)
{
	struct mbuf_ifnet *ifnp = ifn(ifp);

	if (ifnp->qflush)
		ifnp->qflush(ifp);
	mbuf_ifnet_sndq_drain(ifnp);
}
MBUF_EXPORT(if_qflush);

/* -- receive -- */

/**
 * mbuf_napi_enter() - the driver's NAPI poll starts receive work
 * @napi: the driver's NAPI context, running on this CPU
 *
 * Until mbuf_napi_exit(), if_input() and tcp_lro_*() on @napi's device
 * feed @napi's GRO directly.
 *
 * Context: the NAPI poll of @napi.
 */
void mbuf_napi_enter(struct napi_struct *napi)
{
	this_cpu_write(mbuf_napi_current, napi);
}
MBUF_EXPORT(mbuf_napi_enter);

/**
 * mbuf_napi_exit() - the driver's NAPI poll ends receive work
 * @napi: the NAPI context mbuf_napi_enter() got
 *
 * Context: the NAPI poll of @napi.
 */
void mbuf_napi_exit(struct napi_struct *napi)
{
	WARN_ON_ONCE(this_cpu_read(mbuf_napi_current) != napi);
	this_cpu_write(mbuf_napi_current, NULL);
}
MBUF_EXPORT(mbuf_napi_exit);

/**
 * mbuf_ifnet_napi() - the driver's running NAPI context for a device
 * @ifp: the interface
 *
 * Return: the context mbuf_napi_enter() set on this CPU if it belongs to
 * @ifp and we are not in a hard interrupt that preempted it, else NULL.
 */
struct napi_struct *mbuf_ifnet_napi(if_t ifp)
{
	struct napi_struct *napi;

	/* A poll runs in softirq (or busy polling, with BH off). */
	if (in_hardirq() || in_nmi() || !in_softirq())
		return NULL;
	napi = this_cpu_read(mbuf_napi_current);
	return napi && napi->dev == ifp ? napi : NULL;
}

/* Convert and deliver one packet in @napi's context. */
static void mbuf_ifnet_deliver(if_t ifp, struct mbuf *m,
			       struct napi_struct *napi)
{
	struct sk_buff *skb;

	skb = mbuf_to_skb(m, napi);
	if (!skb) {
		if_inc_counter(ifp, IFCOUNTER_IQDROPS, 1);
		return;
	}
	/* The frame starts at its MAC header unless the bridge parsed it. */
	if (!skb->protocol)
		skb->protocol = eth_type_trans(skb, ifp);
	napi_gro_receive(napi, skb);
}

/* The receive cell: packets queued by if_input() outside a NAPI poll. */
static int mbuf_ifnet_cell_poll(struct napi_struct *napi, int budget)
{
	struct mbuf_ifnet_cell *cell =
		container_of(napi, struct mbuf_ifnet_cell, napi);
	unsigned long flags;
	struct mbuf *m;
	int done = 0;

	while (done < budget) {
		spin_lock_irqsave(&cell->lock, flags);
		m = mbufq_dequeue(&cell->q);
		spin_unlock_irqrestore(&cell->lock, flags);
		if (!m)
			break;
		mbuf_ifnet_deliver(napi->dev, m, napi);
		done++;
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static void mbuf_ifnet_cell_queue(if_t ifp, struct mbuf *m)
{
	struct mbuf_ifnet_cell *cell;
	unsigned long flags;
	bool first;
	int error;

	cell = get_cpu_ptr(ifn(ifp)->cells);
	spin_lock_irqsave(&cell->lock, flags);
	first = mbufq_empty(&cell->q);
	error = READ_ONCE(cell->enabled) ? mbufq_enqueue(&cell->q, m) : ENETDOWN;
	spin_unlock_irqrestore(&cell->lock, flags);
	if (error) {
		m_freem(m);
		if_inc_counter(ifp, IFCOUNTER_IQDROPS, 1);
	} else if (first) {
		napi_schedule(&cell->napi);
	}
	put_cpu_ptr(ifn(ifp)->cells);
}

/**
 * if_input() - hand received packets to the stack
 * @ifp: the interface
 * @m: an M_PKTHDR chain holding one frame from its Ethernet header, or
 *	several linked by m_nextpkt; consumed
 *
 * Sets m_pkthdr.rcvif, converts with mbuf_to_skb() and delivers through
 * GRO: in the driver's NAPI context between mbuf_napi_enter() and
 * mbuf_napi_exit(), else through the interface's per-CPU receive cell.
 * A packet that cannot be delivered (no memory, interface down) is freed
 * and counted in IFCOUNTER_IQDROPS.
 *
 * Context: any.
 */
void if_input(if_t ifp, struct mbuf *m)
{
	struct napi_struct *napi = mbuf_ifnet_napi(ifp);
	struct mbuf *next;

	/*
	 * Outside the driver's NAPI poll the packets go to this CPU's
	 * receive cell: stay on one CPU for the whole batch, or a migration
	 * half way would split it over two cells and reorder it.
	 */
	if (!napi)
		migrate_disable();
	for (; m; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		if (m->m_flags & M_PKTHDR)
			m->m_pkthdr.rcvif = ifp;
		if (napi)
			mbuf_ifnet_deliver(ifp, m, napi);
		else
			mbuf_ifnet_cell_queue(ifp, m);
	}
	if (!napi)
		migrate_enable();
}
MBUF_EXPORT(if_input);

static void mbuf_ifnet_cells_set(struct mbuf_ifnet *ifnp, bool on)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mbuf_ifnet_cell *cell = per_cpu_ptr(ifnp->cells, cpu);
		unsigned long flags;
		struct mbufq q;

		if (on) {
			WRITE_ONCE(cell->enabled, true);
			napi_enable(&cell->napi);
			continue;
		}
		spin_lock_irqsave(&cell->lock, flags);
		WRITE_ONCE(cell->enabled, false);
		spin_unlock_irqrestore(&cell->lock, flags);
		napi_disable(&cell->napi);
		mbufq_init(&q, 0);
		spin_lock_irqsave(&cell->lock, flags);
		mbufq_concat(&q, &cell->q);
		spin_unlock_irqrestore(&cell->lock, flags);
		mbufq_drain(&q);
	}
}

/* -- net_device_ops: FreeBSD's stack calling the driver -- */

static int mbuf_ifnet_flags_ioctl(struct mbuf_ifnet *ifnp)
{
	struct ifreq ifr = {};

	ifr.ifr_flags = (short)ifnp->flags;
	return if_ioctl(ifnp->dev, SIOCSIFFLAGS, &ifr);
}

static int mbuf_ifnet_open(struct net_device *dev)
{
	struct mbuf_ifnet *ifnp = ifn(dev);
	int error = 0;

	mbuf_ifnet_cells_set(ifnp, true);
	if_setflagbits(dev, IFF_UP | (dev->flags & (IFF_PROMISC | IFF_ALLMULTI)),
		       0);
	if (ifnp->ioctl)
		error = mbuf_ifnet_flags_ioctl(ifnp);
	else
		if_init(dev, ifnp->softc);
	if (error) {
		if_setflagbits(dev, 0, IFF_UP);
		mbuf_ifnet_cells_set(ifnp, false);
		return -error;
	}
	return 0;
}

static int mbuf_ifnet_stop(struct net_device *dev)
{
	struct mbuf_ifnet *ifnp = ifn(dev);

	if_setflagbits(dev, 0, IFF_UP);
	if (ifnp->ioctl)
		mbuf_ifnet_flags_ioctl(ifnp);
	if_qflush(dev);
	mbuf_ifnet_cells_set(ifnp, false);
	return 0;
}

static netdev_tx_t mbuf_ifnet_start_xmit(struct sk_buff *skb,
					 struct net_device *dev)
{
	struct mbuf *m = skb_to_mbuf(skb, M_NOWAIT);

	if (!m) {
		if_inc_counter(dev, IFCOUNTER_OQDROPS, 1);
		return NETDEV_TX_OK;
	}
	/* The driver counts its own errors; the packet is gone either way. */
	if_transmit(dev, m);
	return NETDEV_TX_OK;
}

static int mbuf_ifnet_change_mtu(struct net_device *dev, int new_mtu)
{
	struct mbuf_ifnet *ifnp = ifn(dev);
	int old = dev->mtu, error;
	struct ifreq ifr = {};

	if (ifnp->ioctl) {
		ifr.ifr_mtu = new_mtu;
		error = if_ioctl(dev, SIOCSIFMTU, &ifr);
		if (error)
			return -error;
	}
	/* A driver that accepted without if_setmtu() gets it set for it. */
	if (dev->mtu == old)
		WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

static int mbuf_ifnet_set_features(struct net_device *dev,
				   netdev_features_t features)
{
	struct mbuf_ifnet *ifnp = ifn(dev);
	struct ifreq ifr = {};
	int error;

	ifr.ifr_reqcap = (ifnp->capenable & ~MBUF_IFNET_CAPS_MAPPED) |
		mbuf_ifnet_features_to_caps(features, ifnp->capabilities);
	if (!ifnp->ioctl) {
		/* No driver to ask: the capabilities follow Linux. */
		WRITE_ONCE(ifnp->capenable, ifr.ifr_reqcap);
		return 0;
	}
	if (ifr.ifr_reqcap == ifnp->capenable)
		return 0;
	error = if_ioctl(dev, SIOCSIFCAP, &ifr);
	if (error)
		return -error;
	/* The features are what the driver enabled, not what was asked. */
	dev->features = (features & ~MBUF_IFNET_FEATURES_MAPPED) |
		mbuf_ifnet_caps_to_features(ifnp->capenable &
					    ifnp->capabilities);
	dev->vlan_features = mbuf_ifnet_vlan_features(ifnp->capenable);
	return 1;
}

static void mbuf_ifnet_set_rx_mode(struct net_device *dev)
{
	/* Atomic context here; the driver's ioctl may sleep. */
	schedule_work(&ifn(dev)->rxmode_work);
}

static void mbuf_ifnet_rxmode_work(struct work_struct *work)
{
	struct mbuf_ifnet *ifnp = container_of(work, struct mbuf_ifnet,
					       rxmode_work);
	struct net_device *dev = ifnp->dev;
	struct ifreq ifr;
	int want, have;

	rtnl_lock();
	if (dev->reg_state != NETREG_REGISTERED || !(dev->flags & IFF_UP) ||
	    !ifnp->ioctl)
		goto out;
	want = dev->flags & (IFF_PROMISC | IFF_ALLMULTI);
	have = ifnp->flags & (IFF_PROMISC | IFF_ALLMULTI);
	if (want != have) {
		if_setflagbits(dev, want, have & ~want);
		mbuf_ifnet_flags_ioctl(ifnp);
	}
	memset(&ifr, 0, sizeof(ifr));
	if_ioctl(dev, SIOCADDMULTI, &ifr);
out:
	rtnl_unlock();
}

static void mbuf_ifnet_get_stats64(struct net_device *dev,
				   struct rtnl_link_stats64 *s)
{
	s->rx_packets = if_getcounter(dev, IFCOUNTER_IPACKETS);
	s->rx_errors = if_getcounter(dev, IFCOUNTER_IERRORS);
	s->tx_packets = if_getcounter(dev, IFCOUNTER_OPACKETS);
	s->tx_errors = if_getcounter(dev, IFCOUNTER_OERRORS);
	s->collisions = if_getcounter(dev, IFCOUNTER_COLLISIONS);
	s->rx_bytes = if_getcounter(dev, IFCOUNTER_IBYTES);
	s->tx_bytes = if_getcounter(dev, IFCOUNTER_OBYTES);
	s->multicast = if_getcounter(dev, IFCOUNTER_IMCASTS);
	s->rx_dropped = if_getcounter(dev, IFCOUNTER_IQDROPS);
	s->tx_dropped = if_getcounter(dev, IFCOUNTER_OQDROPS);
	s->rx_nohandler = if_getcounter(dev, IFCOUNTER_NOPROTO);
}

static const struct net_device_ops mbuf_ifnet_ops = {
	.ndo_open		= mbuf_ifnet_open,
	.ndo_stop		= mbuf_ifnet_stop,
	.ndo_start_xmit		= mbuf_ifnet_start_xmit,
	.ndo_change_mtu		= mbuf_ifnet_change_mtu,
	.ndo_set_features	= mbuf_ifnet_set_features,
	.ndo_set_rx_mode	= mbuf_ifnet_set_rx_mode,
	.ndo_get_stats64	= mbuf_ifnet_get_stats64,
	.ndo_validate_addr	= eth_validate_addr,
};

/* -- ethtool: driver name, link, speed, the IFCOUNTER_* counters -- */

static const char mbuf_ifnet_counter_names[IFCOUNTERS][ETH_GSTRING_LEN] = {
	[IFCOUNTER_IPACKETS]	= "ipackets",
	[IFCOUNTER_IERRORS]	= "ierrors",
	[IFCOUNTER_OPACKETS]	= "opackets",
	[IFCOUNTER_OERRORS]	= "oerrors",
	[IFCOUNTER_COLLISIONS]	= "collisions",
	[IFCOUNTER_IBYTES]	= "ibytes",
	[IFCOUNTER_OBYTES]	= "obytes",
	[IFCOUNTER_IMCASTS]	= "imcasts",
	[IFCOUNTER_OMCASTS]	= "omcasts",
	[IFCOUNTER_IQDROPS]	= "iqdrops",
	[IFCOUNTER_OQDROPS]	= "oqdrops",
	[IFCOUNTER_NOPROTO]	= "noproto",
};

static void mbuf_ifnet_get_drvinfo(struct net_device *dev,
				   struct ethtool_drvinfo *info)
{
	strscpy(info->driver, ifn(dev)->dname[0] ? ifn(dev)->dname :
		"mbufcompat", sizeof(info->driver));
}

static int mbuf_ifnet_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? IFCOUNTERS : -EOPNOTSUPP;
}

static void mbuf_ifnet_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, mbuf_ifnet_counter_names,
		       sizeof(mbuf_ifnet_counter_names));
}

static void mbuf_ifnet_get_ethtool_stats(struct net_device *dev,
					 struct ethtool_stats *stats, u64 *data)
{
	int i;

	for (i = 0; i < IFCOUNTERS; i++)
		data[i] = if_getcounter(dev, i);
}

static int mbuf_ifnet_get_link_ksettings(struct net_device *dev,
					 struct ethtool_link_ksettings *ks)
{
	u64 mbps = div_u64(if_getbaudrate(dev), 1000000);

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	ethtool_link_ksettings_zero_link_mode(ks, advertising);
	ks->base.port = PORT_OTHER;
	ks->base.autoneg = AUTONEG_DISABLE;
	if (netif_carrier_ok(dev) && mbps) {
		ks->base.speed = min_t(u64, mbps, U32_MAX - 1);
		ks->base.duplex = DUPLEX_FULL;
	} else {
		ks->base.speed = SPEED_UNKNOWN;
		ks->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static const struct ethtool_ops mbuf_ifnet_ethtool_ops = {
	.get_drvinfo		= mbuf_ifnet_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= mbuf_ifnet_get_sset_count,
	.get_strings		= mbuf_ifnet_get_strings,
	.get_ethtool_stats	= mbuf_ifnet_get_ethtool_stats,
	.get_link_ksettings	= mbuf_ifnet_get_link_ksettings,
};

/* -- creation, attach, detach -- */

/**
 * if_alloc() - create an interface
 * @type: IFT_ETHER (the only type backed by a Linux device type)
 *
 * An Ethernet net_device (alloc_etherdev_mqs) with one transmit queue per
 * possible CPU (at most 64), its queues stopped until the driver sets
 * IFF_DRV_RUNNING, named "eth%d" until if_initname().
 *
 * Context: process context.
 * Return: the interface, or NULL (another @type, or no memory).
 */
if_t if_alloc(u_char type)
{
	struct mbuf_ifnet *ifnp;
	struct net_device *dev;
	int cpu;

	if (mbuf_bad_arg(type != IFT_ETHER,
			 "%s: type %#x unsupported (IFT_ETHER only)\n",
			 __func__, type))
		return NULL;
	if (mbuf_fault_armed() && mbuf_should_fail(NULL))
		return NULL;
	dev = alloc_etherdev_mqs(sizeof(*ifnp),
				 min_t(unsigned int, num_possible_cpus(),
				       MBUF_IFNET_MAX_TXQ), 1);
	if (!dev)
		return NULL;
	ifnp = netdev_priv(dev);
	ifnp->dev = dev;
	ifnp->type = type;
	ifnp->dunit = IF_DUNIT_NONE;
	ifnp->link_state = LINK_STATE_UNKNOWN;
	spin_lock_init(&ifnp->drv_lock);
	spin_lock_init(&ifnp->sndq_lock);
	mbufq_init(&ifnp->sndq, IFQ_MAXLEN);
	INIT_WORK(&ifnp->rxmode_work, mbuf_ifnet_rxmode_work);
	ifnp->stats = alloc_percpu(struct mbuf_ifnet_pcpu);
	ifnp->cells = alloc_percpu(struct mbuf_ifnet_cell);
	if (!ifnp->stats || !ifnp->cells) {
		free_percpu(ifnp->stats);
		free_percpu(ifnp->cells);
		free_netdev(dev);
		return NULL;
	}
	for_each_possible_cpu(cpu) {
		struct mbuf_ifnet_cell *cell = per_cpu_ptr(ifnp->cells, cpu);

		u64_stats_init(&per_cpu_ptr(ifnp->stats, cpu)->syncp);
		spin_lock_init(&cell->lock);
		mbufq_init(&cell->q, MBUF_IFNET_CELL_QLEN);
		netif_napi_add(dev, &cell->napi, mbuf_ifnet_cell_poll);
	}
	dev->netdev_ops = &mbuf_ifnet_ops;
	dev->ethtool_ops = &mbuf_ifnet_ethtool_ops;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IF_MAXMTU;
	/* Chains are scatter-gather; bus_dma copes with any page. */
	dev->features |= NETIF_F_SG | NETIF_F_HIGHDMA;
	dev->hw_features |= NETIF_F_SG;
	dev->vlan_features = mbuf_ifnet_vlan_features(0);
	netif_tx_stop_all_queues(dev);
	return dev;
}
MBUF_EXPORT(if_alloc);

/**
 * if_alloc_dev() - if_alloc() and if_setdev()
 * @type: IFT_ETHER
 * @dev: the hardware's struct device
 *
 * Context: process context.
 * Return: the interface, or NULL.
 */
if_t if_alloc_dev(u_char type, device_t dev)
{
	if_t ifp = if_alloc(type);

	if (ifp)
		if_setdev(ifp, dev);
	return ifp;
}
MBUF_EXPORT(if_alloc_dev);

/**
 * if_free() - free an interface
 * @ifp: from if_alloc(), detached (or never attached)
 *
 * An interface still attached is detached first, with a warning.
 *
 * Context: process context.
 */
void if_free(if_t ifp)
{
	struct mbuf_ifnet *ifnp;
	int cpu;

	if (!ifp)
		return;
	if (mbuf_bad_arg(!mbuf_ifnet_is_ours(ifp),
			 "%s: %s was not made by if_alloc()\n", __func__,
			 ifp->name))
		return;
	ifnp = ifn(ifp);
	if (mbuf_bad_arg(ifp->reg_state == NETREG_REGISTERED,
			 "%s: %s still attached\n", __func__, ifp->name))
		ether_ifdetach(ifp);
	for_each_possible_cpu(cpu)
		netif_napi_del(&per_cpu_ptr(ifnp->cells, cpu)->napi);
	mbuf_ifnet_sndq_drain(ifnp);
	free_percpu(ifnp->cells);
	free_percpu(ifnp->stats);
	free_netdev(ifp);
}
MBUF_EXPORT(if_free);

/**
 * mbuf_ether_ifattach() - ether_ifattach() that reports failure
 * @ifp: from if_alloc()
 * @lla: the MAC address (ETHER_ADDR_LEN bytes)
 *
 * Sets the address, the MTU (ETHERMTU unless the driver set one), the
 * features from the capabilities, the carrier off if the driver reports
 * link state (IFCAP_LINKSTATE), and registers the device.
 *
 * Context: process context, RTNL not held.
 * Return: 0, or a positive errno from register_netdev().
 */
int mbuf_ether_ifattach(if_t ifp, const u_int8_t *lla)
{
	struct mbuf_ifnet *ifnp;
	int error;

	if (mbuf_bad_arg(!mbuf_ifnet_is_ours(ifp),
			 "%s: not an if_alloc() interface\n", __func__))
		return EINVAL;
	ifnp = ifn(ifp);
	eth_hw_addr_set(ifp, lla);
	if (!ifp->mtu)
		ifp->mtu = ETHERMTU;
	mbuf_ifnet_sync_features(ifnp);
	if (ifnp->capabilities & IFCAP_LINKSTATE &&
	    ifnp->link_state != LINK_STATE_UP)
		netif_carrier_off(ifp);
	error = register_netdev(ifp);
	if (error) {
		netdev_err(ifp, "%s: register_netdev: %d\n", __func__,
			   error);
		return -error;
	}
	if (mbuf_ifnet_txq_should_run(if_getdrvflags(ifp)))
		netif_tx_wake_all_queues(ifp);
	return 0;
}
MBUF_EXPORT(mbuf_ether_ifattach);

/**
 * ether_ifattach() - attach an Ethernet interface
 * @ifp: from if_alloc()
 * @lla: the MAC address
 *
 * mbuf_ether_ifattach() without a result, as FreeBSD's; a failure is
 * logged and the interface stays unattached (if_getindex() is 0).
 *
 * Context: process context, RTNL not held.
 */
void ether_ifattach(if_t ifp, const u_int8_t *lla)
{
	mbuf_ether_ifattach(ifp, lla);
}
MBUF_EXPORT(ether_ifattach);

/**
 * ether_ifdetach() - detach an Ethernet interface
 * @ifp: the interface
 *
 * Unregisters the device: Linux brings it down first (SIOCSIFFLAGS without
 * IFF_UP, if_qflush()) and waits until nothing uses it.
 *
 * Context: process context, RTNL not held.
 */
void ether_ifdetach(if_t ifp)
{
	if (ifp->reg_state == NETREG_REGISTERED)
		unregister_netdev(ifp);
	cancel_work_sync(&ifn(ifp)->rxmode_work);
}
MBUF_EXPORT(ether_ifdetach);

/**
 * ether_ioctl() - FreeBSD's default Ethernet ioctl
 * @ifp: the interface
 * @cmd: SIOCSIFADDR (bring up and init), SIOCGIFADDR (the MAC address
 *	into ifr_addr.sa_data) or SIOCSIFMTU (ETHERMTU at most)
 * @data: a struct ifreq
 *
 * Drivers call it for the commands they do not handle.
 *
 * Return: 0 or EINVAL (other commands, or an MTU above ETHERMTU).
 */
int ether_ioctl(if_t ifp, u_long cmd, caddr_t data)
{
	struct ifreq *ifr = (struct ifreq *)data;

	switch (cmd) {
	case SIOCSIFADDR:
		if_setflagbits(ifp, IFF_UP, 0);
		if_init(ifp, if_getsoftc(ifp));
		return 0;
	case SIOCGIFADDR:
		memcpy(ifr->ifr_addr.sa_data, ifp->dev_addr, ETHER_ADDR_LEN);
		return 0;
	case SIOCSIFMTU:
		if (ifr->ifr_mtu > ETHERMTU)
			return EINVAL;
		if_setmtu(ifp, ifr->ifr_mtu);
		return 0;
	default:
		return EINVAL;
	}
}
MBUF_EXPORT(ether_ioctl);
