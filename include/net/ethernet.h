/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD 14's <net/ethernet.h> for ported drivers: frame sizes, the
 * Ethernet header, attach / detach and the default ioctl.
 *
 * ether_ifattach() sets the net_device's MAC address, turns the driver's
 * capabilities into netdev features and registers the device;
 * ether_ifdetach() unregisters it (see <net/if_var.h>).
 *
 * ETHER_BPF_MTAP() does nothing: Linux's taps (packet sockets, tcpdump)
 * are fed by the stack itself, in __netif_receive_skb() for every frame
 * if_input() delivers and in dev_hard_start_xmit() for every frame handed
 * to ndo_start_xmit, before the driver sees it. A driver's own tap call
 * would show each transmitted frame twice.
 */
#ifndef _NET_ETHERNET_H_
#define _NET_ETHERNET_H_

#include <linux/types.h>
#include <net/if.h>

#define ETHER_ADDR_LEN		6	/* octets in an Ethernet address */
#define ETHER_TYPE_LEN		2	/* octets in the type field */
#define ETHER_CRC_LEN		4	/* octets in the trailing CRC */
#define ETHER_HDR_LEN		(ETHER_ADDR_LEN * 2 + ETHER_TYPE_LEN)
#define ETHER_MIN_LEN		64	/* shortest frame, CRC included */
#define ETHER_MAX_LEN		1518	/* longest frame, CRC included */
#define ETHER_MAX_LEN_JUMBO	9018	/* longest jumbo frame */
#define ETHER_VLAN_ENCAP_LEN	4	/* an 802.1Q tag */
#define ETHER_ALIGN		2	/* aligns the IP header after 14 bytes */

#define ETHERMTU	(ETHER_MAX_LEN - ETHER_HDR_LEN - ETHER_CRC_LEN)
#define ETHERMIN	(ETHER_MIN_LEN - ETHER_HDR_LEN - ETHER_CRC_LEN)
#define ETHERMTU_JUMBO	(ETHER_MAX_LEN_JUMBO - ETHER_HDR_LEN - ETHER_CRC_LEN)

/* Address tests: inline functions behind FreeBSD's macro names. */
static inline bool ether_is_multicast(const u_char *a)
{
	return a[0] & 0x01;
}

static inline bool ether_is_ipv6_multicast(const u_char *a)
{
	return a[0] == 0x33 && a[1] == 0x33;
}

static inline bool ether_is_broadcast(const u_char *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}

static inline bool ether_is_zero(const u_char *a)
{
	return (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]) == 0;
}

#define ETHER_IS_MULTICAST(addr)	ether_is_multicast((const u_char *)(addr))
#define ETHER_IS_IPV6_MULTICAST(addr)					\
	ether_is_ipv6_multicast((const u_char *)(addr))
#define ETHER_IS_BROADCAST(addr)	ether_is_broadcast((const u_char *)(addr))
#define ETHER_IS_ZERO(addr)		ether_is_zero((const u_char *)(addr))

struct ether_header {
	u_char	ether_dhost[ETHER_ADDR_LEN];
	u_char	ether_shost[ETHER_ADDR_LEN];
	u_short	ether_type;		/* network byte order */
} __packed;

struct ether_addr {
	u_char	octet[ETHER_ADDR_LEN];
} __packed;

/* An 802.1Q-tagged header. */
struct ether_vlan_header {
	uint8_t		evl_dhost[ETHER_ADDR_LEN];
	uint8_t		evl_shost[ETHER_ADDR_LEN];
	uint16_t	evl_encap_proto;	/* ETHERTYPE_VLAN */
	uint16_t	evl_tag;
	uint16_t	evl_proto;
} __packed;

#define EVL_VLID_MASK		0x0FFF
#define EVL_PRI_MASK		0xE000
#define EVL_VLANOFTAG(tag)	((tag) & EVL_VLID_MASK)
#define EVL_PRIOFTAG(tag)	(((tag) >> 13) & 7)

#define ETHERTYPE_IP		0x0800
#define ETHERTYPE_ARP		0x0806
#define ETHERTYPE_REVARP	0x8035
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_IPV6		0x86DD
#define ETHERTYPE_PAE		0x888E
#define ETHERTYPE_QINQ		0x88A8
#define ETHERTYPE_LLDP		0x88CC
#define ETHERTYPE_MPLS		0x8847

void	ether_ifattach(struct ifnet *ifp, const u_int8_t *lla);
void	ether_ifdetach(struct ifnet *ifp);
int	ether_ioctl(struct ifnet *ifp, u_long cmd, caddr_t data);

/* See the header comment: Linux's taps already see the frame. */
#define ETHER_BPF_MTAP(_ifp, _m)	do { (void)(_ifp); (void)(_m); } while (0)

#endif /* !_NET_ETHERNET_H_ */
