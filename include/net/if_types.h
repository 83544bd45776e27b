/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD's <net/if_types.h>: interface types (if_alloc(), if_gettype()),
 * the values of the SNMP ifType MIB as FreeBSD 14 numbers them. Only the
 * Ethernet family is backed by a Linux device type (alloc_etherdev);
 * if_alloc() refuses the others.
 */
#ifndef _NET_IF_TYPES_H_
#define _NET_IF_TYPES_H_

#define IFT_OTHER		0x1
#define IFT_ETHER		0x6	/* Ethernet CSMA/CD */
#define IFT_ISO88023		0x7
#define IFT_LOOP		0x18	/* loopback */
#define IFT_PPP			0x17
#define IFT_PROPVIRTUAL		0x35	/* proprietary virtual */
#define IFT_L2VLAN		0x87	/* 802.1Q VLAN */
#define IFT_IEEE8023ADLAG	0x88	/* 802.3ad link aggregation */
#define IFT_BRIDGE		0xd1	/* transparent bridge */
#define IFT_INFINIBAND		0xc7

#endif /* !_NET_IF_TYPES_H_ */
