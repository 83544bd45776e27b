// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * FreeBSD's software flow hash for Ethernet frames (uipc_mbufhash.c),
 * which lagg(4) and drivers such as mlx5en use to spread packets over
 * ports or transmit queues when the NIC gave no hash.
 *
 * The hash is FNV-1 (32 bit) over the fields the flags select, in this
 * order, starting from the caller's key (m_ether_tcpip_hash_init()):
 *
 *   MBUF_HASHFLAG_L2   source MAC, destination MAC, then the VLAN tag
 *                      (m_pkthdr.ether_vtag with M_VLANTAG, else an
 *                      802.1Q header's tag)
 *   MBUF_HASHFLAG_L3   IPv4 or IPv6 source then destination address
 *   MBUF_HASHFLAG_L4   IPv4: the TCP/UDP/SCTP port pair (4 bytes after
 *                      the IP header); IPv6: the flow label
 *
 * Headers are read in place when the first mbuf holds them, else copied
 * out with m_copydata(); a frame too short for a header stops the hash
 * there. One difference from FreeBSD 14: for an 802.1Q frame without
 * M_VLANTAG FreeBSD reads the tag and the inner EtherType 14 bytes past
 * where they are; here they are read at offsets 14 and 16, so that the
 * IP header after them is found and hashed.
 */
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <net/ipv6.h>
#include "internal.h"

#define MB_FNV1_32_INIT		0x811c9dc5U
#define MB_FNV_32_PRIME		0x01000193U

static u32 mb_fnv_32_buf(const void *buf, size_t len, u32 hval)
{
	const u8 *s = buf;

	while (len-- > 0) {
		hval *= MB_FNV_32_PRIME;
		hval ^= *s++;
	}
	return hval;
}

/* @len bytes at @off of the packet: in place, or copied into @buf. */
static const void *mb_hash_gethdr(const struct mbuf *m, u_int off,
				  u_int len, void *buf)
{
	if (m->m_pkthdr.len < off + len)
		return NULL;
	if (m->m_len < off + len) {
		m_copydata(m, off, len, buf);
		return buf;
	}
	return mtod(m, const char *) + off;
}

/**
 * m_ether_tcpip_hash_init() - a random key for m_ether_tcpip_hash()
 *
 * Return: the FNV-1 hash of a random 32-bit seed.
 */
uint32_t m_ether_tcpip_hash_init(void)
{
	u32 seed = get_random_u32();

	return mb_fnv_32_buf(&seed, sizeof(seed), MB_FNV1_32_INIT);
}
MBUF_EXPORT(m_ether_tcpip_hash_init);

static u32 mb_tcpip_hash(u32 flags, const struct mbuf *m, u32 p, int off,
			 u16 etype)
{
	union {
		struct iphdr ip;
		struct ipv6hdr ip6;
		u32 ports;
	} buf;
	const struct ipv6hdr *ip6;
	const struct iphdr *ip;
	const u32 *ports;
	__be32 flow;
	int iphlen;

	switch (etype) {
	case ETH_P_IP:
		ip = mb_hash_gethdr(m, off, sizeof(*ip), &buf);
		if (!ip)
			break;
		if (flags & MBUF_HASHFLAG_L3) {
			p = mb_fnv_32_buf(&ip->saddr, sizeof(ip->saddr), p);
			p = mb_fnv_32_buf(&ip->daddr, sizeof(ip->daddr), p);
		}
		if (!(flags & MBUF_HASHFLAG_L4))
			break;
		if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP &&
		    ip->protocol != IPPROTO_SCTP)
			break;
		iphlen = ip->ihl << 2;
		if (iphlen < sizeof(*ip))
			break;
		ports = mb_hash_gethdr(m, off + iphlen, sizeof(*ports), &buf);
		if (ports)
			p = mb_fnv_32_buf(ports, sizeof(*ports), p);
		break;
	case ETH_P_IPV6:
		ip6 = mb_hash_gethdr(m, off, sizeof(*ip6), &buf);
		if (!ip6)
			break;
		if (flags & MBUF_HASHFLAG_L3) {
			p = mb_fnv_32_buf(&ip6->saddr, sizeof(ip6->saddr), p);
			p = mb_fnv_32_buf(&ip6->daddr, sizeof(ip6->daddr), p);
		}
		if (flags & MBUF_HASHFLAG_L4) {
			/* The first word, in network order, masked. */
			flow = *(const __be32 *)ip6 & IPV6_FLOWLABEL_MASK;
			p = mb_fnv_32_buf(&flow, sizeof(flow), p);
		}
		break;
	}
	return p;
}

/**
 * m_ether_tcpip_hash() - hash an Ethernet frame's flow
 * @flags: MBUF_HASHFLAG_L2 / _L3 / _L4: which layers to include
 * @m: a packet header chain starting with the Ethernet header
 * @p: the key (m_ether_tcpip_hash_init()), or a hash to continue
 *
 * Return: the hash; @p itself if the first mbuf holds no Ethernet header.
 */
uint32_t m_ether_tcpip_hash(const uint32_t flags, const struct mbuf *m,
			    uint32_t p)
{
	struct vlan_hdr vbuf;
	const struct vlan_hdr *vlan;
	const struct ethhdr *eh;
	int off = sizeof(*eh);
	u16 etype;

	if (m->m_len < off)
		return p;
	eh = mtod(m, const struct ethhdr *);
	etype = ntohs(eh->h_proto);
	if (flags & MBUF_HASHFLAG_L2) {
		p = mb_fnv_32_buf(eh->h_source, ETH_ALEN, p);
		p = mb_fnv_32_buf(eh->h_dest, ETH_ALEN, p);
	}
	if ((m->m_flags & M_VLANTAG) && (flags & MBUF_HASHFLAG_L2)) {
		p = mb_fnv_32_buf(&m->m_pkthdr.ether_vtag,
				  sizeof(m->m_pkthdr.ether_vtag), p);
	} else if (etype == ETH_P_8021Q) {
		vlan = mb_hash_gethdr(m, off, sizeof(*vlan), &vbuf);
		if (!vlan)
			return p;
		if (flags & MBUF_HASHFLAG_L2)
			p = mb_fnv_32_buf(&vlan->h_vlan_TCI,
					  sizeof(vlan->h_vlan_TCI), p);
		etype = ntohs(vlan->h_vlan_encapsulated_proto);
		off += sizeof(*vlan);
	}
	return mb_tcpip_hash(flags, m, p, off, etype);
}
MBUF_EXPORT(m_ether_tcpip_hash);
