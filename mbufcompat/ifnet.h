/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ifnet state mbufcompat keeps in a net_device's private area, shared
 * by ifnet.c and lro.c. Not part of the KPI (that is <net/if_var.h>).
 */
#ifndef MBUFCOMPAT_IFNET_H
#define MBUFCOMPAT_IFNET_H

#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/if_var.h>

/* Per-CPU IFCOUNTER_* values. */
struct mbuf_ifnet_pcpu {
	u64_stats_t		cnt[IFCOUNTERS];
	struct u64_stats_sync	syncp;
};

/* Per-CPU receive cell: if_input() outside the driver's NAPI poll. */
struct mbuf_ifnet_cell {
	spinlock_t		lock;		/* irq-safe: any context queues */
	bool			enabled;	/* the interface is up */
	struct mbufq		q;
	struct napi_struct	napi;
};

/* FreeBSD's struct ifnet fields Linux has no place for. */
struct mbuf_ifnet {
	struct net_device	*dev;
	void			*softc;
	u_char			type;		/* IFT_* */
	int			flags;		/* IFF_*, FreeBSD values */
	int			drv_flags;	/* IFF_DRV_* */
	spinlock_t		drv_lock;	/* drv_flags + queue state */
	int			capabilities;
	int			capenable;
	int			capabilities2;
	int			capenable2;
	int			hwassist;	/* CSUM_* */
	u_int			tsomax;
	u_int			tsomaxsegcount;
	u_int			tsomaxsegsize;
	int			ifheaderlen;
	uint64_t		baudrate;
	int			link_state;	/* LINK_STATE_* */
	char			dname[IFNAMSIZ];
	int			dunit;

	if_init_fn_t		init;
	if_ioctl_fn_t		ioctl;
	if_start_fn_t		start;
	if_transmit_fn_t	transmit;
	if_qflush_fn_t		qflush;
	if_get_counter_t	get_counter;

	struct mbuf_ifnet_pcpu __percpu *stats;
	struct mbuf_ifnet_cell __percpu *cells;
	struct work_struct	rxmode_work;	/* ndo_set_rx_mode -> ioctl */

	spinlock_t		sndq_lock;	/* legacy send queue */
	struct mbufq		sndq;
};

bool mbuf_ifnet_is_ours(const struct net_device *dev);
struct napi_struct *mbuf_ifnet_napi(if_t ifp);
netdev_features_t mbuf_ifnet_caps_to_features(int caps);
int mbuf_ifnet_features_to_caps(netdev_features_t f, int capabilities);

#endif /* MBUFCOMPAT_IFNET_H */
