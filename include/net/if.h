/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD 14's <net/if.h> for ported network drivers: the interface
 * handle (if_t), the interface flags (IFF_*), capabilities (IFCAP_*),
 * link states and the ifreq accessors drivers use in their ioctl
 * handlers.
 *
 * Linux mapping. if_t is a struct net_device * (<sys/mbuf.h> defines
 * struct ifnet as struct net_device): a ported driver may hand its ifp to
 * any Linux networking function as it is. The FreeBSD state Linux has no
 * field for (softc, flags, capabilities, driver methods) lives in the
 * net_device's private area, which if_alloc() sizes (see <net/if_var.h>).
 *
 * Name clashes with Linux's <linux/if.h>. Both systems define IFF_UP,
 * IFF_BROADCAST, IFF_DEBUG, IFF_LOOPBACK, IFF_POINTOPOINT, IFF_NOARP,
 * IFF_PROMISC and IFF_ALLMULTI with the same values; Linux's definitions
 * stay. IFF_MULTICAST differs (FreeBSD 0x8000, Linux 0x1000, which is
 * FreeBSD's IFF_LINK0): after this header IFF_MULTICAST is FreeBSD's,
 * and Linux's value is MBUF_LINUX_IFF_MULTICAST, for code that tests
 * net_device.flags directly. struct ifreq is Linux's (the same layout up
 * to the union); ifr_reqcap and ifr_curcap are added on its integer
 * member.
 */
#ifndef _NET_IF_H_
#define _NET_IF_H_

#include <linux/if.h>
#include <linux/types.h>
#include <sys/mbuf.h>

/* The interface handle of FreeBSD's driver API. */
typedef struct ifnet *if_t;

#define IF_NAMESIZE	16		/* with the NUL; Linux's IFNAMSIZ */
#define IF_MAXUNIT	0x7fff
#define IF_DUNIT_NONE	-1		/* if_initname(): no unit number */

/* Linux's IFF_MULTICAST, for net_device.flags (FreeBSD's is below). */
enum { MBUF_LINUX_IFF_MULTICAST = IFF_MULTICAST };
#undef IFF_MULTICAST

/*
 * Interface flags, FreeBSD 14 values. (i): set by the driver before
 * attach; (n): owned by the stack; (d): driver flags, if_drv_flags.
 */
#ifndef IFF_UP
#define IFF_UP		0x1		/* (n) administratively up */
#endif
#ifndef IFF_BROADCAST
#define IFF_BROADCAST	0x2		/* (i) broadcast address valid */
#endif
#ifndef IFF_DEBUG
#define IFF_DEBUG	0x4		/* (n) debugging on */
#endif
#ifndef IFF_LOOPBACK
#define IFF_LOOPBACK	0x8		/* (i) loopback interface */
#endif
#ifndef IFF_POINTOPOINT
#define IFF_POINTOPOINT	0x10		/* (i) point-to-point link */
#endif
#define IFF_NEEDSEPOCH	0x20		/* (i) calls if_input without epoch */
#define IFF_DRV_RUNNING	0x40		/* (d) resources allocated */
#ifndef IFF_NOARP
#define IFF_NOARP	0x80		/* (n) no address resolution */
#endif
#ifndef IFF_PROMISC
#define IFF_PROMISC	0x100		/* (n) receive all packets */
#endif
#ifndef IFF_ALLMULTI
#define IFF_ALLMULTI	0x200		/* (n) receive all multicast */
#endif
#define IFF_DRV_OACTIVE	0x400		/* (d) transmit queue full */
#define IFF_SIMPLEX	0x800		/* (i) cannot hear own frames */
#define IFF_LINK0	0x1000		/* link-layer specific */
#define IFF_LINK1	0x2000
#define IFF_LINK2	0x4000
#define IFF_ALTPHYS	IFF_LINK2
#define IFF_MULTICAST	0x8000		/* (i) supports multicast */
#define IFF_CANTCONFIG	0x10000		/* (i) not configurable by ioctl */
#define IFF_PPROMISC	0x20000		/* (n) user asked for promiscuous */
#define IFF_MONITOR	0x40000		/* (n) user asked for monitor mode */
#define IFF_STATICARP	0x80000		/* (n) static ARP */
#define IFF_STICKYARP	0x100000	/* (n) sticky ARP */
#define IFF_DYING	0x200000	/* (n) being detached */
#define IFF_RENAMING	0x400000	/* (n) being renamed */
#define IFF_PALLMULTI	0x800000	/* (n) user asked for allmulti */
#define IFF_NETLINK_1	0x1000000	/* (n) used by netlink */

#define IFF_CANTCHANGE							\
	(IFF_BROADCAST | IFF_POINTOPOINT | IFF_DRV_RUNNING |		\
	 IFF_DRV_OACTIVE | IFF_SIMPLEX | IFF_MULTICAST | IFF_ALLMULTI |	\
	 IFF_PROMISC | IFF_DYING | IFF_CANTCONFIG | IFF_NEEDSEPOCH)

/* if_link_state_change() states. */
#define LINK_STATE_UNKNOWN	0
#define LINK_STATE_DOWN		1
#define LINK_STATE_UP		2

/* if_setbaudrate() helpers: bits per second. */
#define IF_Kbps(x)	((uint64_t)(x) * 1000)
#define IF_Mbps(x)	(IF_Kbps((x) * 1000))
#define IF_Gbps(x)	(IF_Mbps((x) * 1000))

/* Capabilities (if_capabilities, if_capenable) as bit numbers. */
#define IFCAP_B_RXCSUM		0
#define IFCAP_B_TXCSUM		1
#define IFCAP_B_NETCONS		2
#define IFCAP_B_VLAN_MTU	3
#define IFCAP_B_VLAN_HWTAGGING	4
#define IFCAP_B_JUMBO_MTU	5
#define IFCAP_B_POLLING		6
#define IFCAP_B_VLAN_HWCSUM	7
#define IFCAP_B_TSO4		8
#define IFCAP_B_TSO6		9
#define IFCAP_B_LRO		10
#define IFCAP_B_WOL_UCAST	11
#define IFCAP_B_WOL_MCAST	12
#define IFCAP_B_WOL_MAGIC	13
#define IFCAP_B_TOE4		14
#define IFCAP_B_TOE6		15
#define IFCAP_B_VLAN_HWFILTER	16
#define IFCAP_B_NV		17
#define IFCAP_B_VLAN_HWTSO	18
#define IFCAP_B_LINKSTATE	19
#define IFCAP_B_NETMAP		20
#define IFCAP_B_RXCSUM_IPV6	21
#define IFCAP_B_TXCSUM_IPV6	22
#define IFCAP_B_HWSTATS		23
#define IFCAP_B_TXRTLMT		24
#define IFCAP_B_HWRXTSTMP	25
#define IFCAP_B_MEXTPG		26
#define IFCAP_B_TXTLS4		27
#define IFCAP_B_TXTLS6		28
#define IFCAP_B_VXLAN_HWCSUM	29
#define IFCAP_B_VXLAN_HWTSO	30
#define IFCAP_B_TXTLS_RTLMT	31
#define IFCAP_B_RXTLS4		32
#define IFCAP_B_RXTLS6		33
#define __IFCAP_B_SIZE		34
#define IFCAP_B_SIZE		__IFCAP_B_SIZE

#define IFCAP_BIT(x)		((int)(1U << (x)))

#define IFCAP_RXCSUM		IFCAP_BIT(IFCAP_B_RXCSUM)
#define IFCAP_TXCSUM		IFCAP_BIT(IFCAP_B_TXCSUM)
#define IFCAP_NETCONS		IFCAP_BIT(IFCAP_B_NETCONS)
#define IFCAP_VLAN_MTU		IFCAP_BIT(IFCAP_B_VLAN_MTU)
#define IFCAP_VLAN_HWTAGGING	IFCAP_BIT(IFCAP_B_VLAN_HWTAGGING)
#define IFCAP_JUMBO_MTU		IFCAP_BIT(IFCAP_B_JUMBO_MTU)
#define IFCAP_POLLING		IFCAP_BIT(IFCAP_B_POLLING)
#define IFCAP_VLAN_HWCSUM	IFCAP_BIT(IFCAP_B_VLAN_HWCSUM)
#define IFCAP_TSO4		IFCAP_BIT(IFCAP_B_TSO4)
#define IFCAP_TSO6		IFCAP_BIT(IFCAP_B_TSO6)
#define IFCAP_LRO		IFCAP_BIT(IFCAP_B_LRO)
#define IFCAP_WOL_UCAST		IFCAP_BIT(IFCAP_B_WOL_UCAST)
#define IFCAP_WOL_MCAST		IFCAP_BIT(IFCAP_B_WOL_MCAST)
#define IFCAP_WOL_MAGIC		IFCAP_BIT(IFCAP_B_WOL_MAGIC)
#define IFCAP_TOE4		IFCAP_BIT(IFCAP_B_TOE4)
#define IFCAP_TOE6		IFCAP_BIT(IFCAP_B_TOE6)
#define IFCAP_VLAN_HWFILTER	IFCAP_BIT(IFCAP_B_VLAN_HWFILTER)
#define IFCAP_NV		IFCAP_BIT(IFCAP_B_NV)
#define IFCAP_VLAN_HWTSO	IFCAP_BIT(IFCAP_B_VLAN_HWTSO)
#define IFCAP_LINKSTATE		IFCAP_BIT(IFCAP_B_LINKSTATE)
#define IFCAP_NETMAP		IFCAP_BIT(IFCAP_B_NETMAP)
#define IFCAP_RXCSUM_IPV6	IFCAP_BIT(IFCAP_B_RXCSUM_IPV6)
#define IFCAP_TXCSUM_IPV6	IFCAP_BIT(IFCAP_B_TXCSUM_IPV6)
#define IFCAP_HWSTATS		IFCAP_BIT(IFCAP_B_HWSTATS)
#define IFCAP_TXRTLMT		IFCAP_BIT(IFCAP_B_TXRTLMT)
#define IFCAP_HWRXTSTMP		IFCAP_BIT(IFCAP_B_HWRXTSTMP)
#define IFCAP_MEXTPG		IFCAP_BIT(IFCAP_B_MEXTPG)
#define IFCAP_TXTLS4		IFCAP_BIT(IFCAP_B_TXTLS4)
#define IFCAP_TXTLS6		IFCAP_BIT(IFCAP_B_TXTLS6)
#define IFCAP_VXLAN_HWCSUM	IFCAP_BIT(IFCAP_B_VXLAN_HWCSUM)
#define IFCAP_VXLAN_HWTSO	IFCAP_BIT(IFCAP_B_VXLAN_HWTSO)
#define IFCAP_TXTLS_RTLMT	IFCAP_BIT(IFCAP_B_TXTLS_RTLMT)

/* if_capabilities2 / if_capenable2 hold bit numbers above 31, minus 32. */
#define IFCAP2_RXTLS4		(IFCAP_B_RXTLS4 - 32)
#define IFCAP2_RXTLS6		(IFCAP_B_RXTLS6 - 32)
#define IFCAP2_BIT(x)		(1UL << (x))

#define IFCAP_HWCSUM_IPV6	(IFCAP_RXCSUM_IPV6 | IFCAP_TXCSUM_IPV6)
#define IFCAP_HWCSUM		(IFCAP_RXCSUM | IFCAP_TXCSUM)
#define IFCAP_TSO		(IFCAP_TSO4 | IFCAP_TSO6)
#define IFCAP_WOL		(IFCAP_WOL_UCAST | IFCAP_WOL_MCAST | \
				 IFCAP_WOL_MAGIC)
#define IFCAP_TOE		(IFCAP_TOE4 | IFCAP_TOE6)
#define IFCAP_TXTLS		(IFCAP_TXTLS4 | IFCAP_TXTLS6)
#define IFCAP_CANTCHANGE	(IFCAP_NETMAP | IFCAP_NV)
#define IFCAP_ALLCAPS		0xffffffff

#define IFQ_MAXLEN	50

/*
 * struct ifreq is Linux's. FreeBSD's capability words are two ints of its
 * union; Linux's union has one int (ifru_ivalue), so both names share it:
 * a request carries one of them (SIOCSIFCAP: ifr_reqcap).
 */
#define ifr_reqcap	ifr_ifru.ifru_ivalue	/* SIOCSIFCAP: wanted */
#define ifr_curcap	ifr_ifru.ifru_ivalue	/* SIOCGIFCAP: current */
#define ifr_media	ifr_ifru.ifru_ivalue	/* SIOCSIFMEDIA */

#endif /* !_NET_IF_H_ */
