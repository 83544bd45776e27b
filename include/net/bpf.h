/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The driver side of FreeBSD's <net/bpf.h>: the tap macros a driver calls
 * on every packet it sends or receives.
 *
 * They do nothing here. Linux feeds its taps (packet sockets: tcpdump,
 * libpcap) from the stack: every frame if_input() delivers passes
 * __netif_receive_skb(), which hands it to the taps, and every frame the
 * stack transmits is shown to them in dev_hard_start_xmit() before
 * ndo_start_xmit calls the driver's if_transmit(). A tap call in the
 * driver would duplicate what the taps already saw, so none is made;
 * bpf_peers_present() is false so that code building a tap-only copy
 * skips it.
 */
#ifndef _NET_BPF_H_
#define _NET_BPF_H_

#include <linux/types.h>

struct bpf_if;

#define DLT_NULL	0
#define DLT_EN10MB	1	/* Ethernet */

static inline bool bpf_peers_present(const struct bpf_if *bpf)
{
	return false;
}

#define BPF_MTAP(_ifp, _m)	do { (void)(_ifp); (void)(_m); } while (0)
#define BPF_MTAP2(_ifp, _data, _dlen, _m)				\
	do { (void)(_ifp); (void)(_data); (void)(_dlen); (void)(_m); } while (0)

#endif /* !_NET_BPF_H_ */
