/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * vtnet's state: the softc, one receive and one transmit queue, their
 * statistics. Laid out as FreeBSD's if_vtnetvar.h lays out its own, so a
 * porter finds each field where the FreeBSD driver keeps it; the fields
 * that name Linux objects are the bus attachment (virtio_device for
 * device_t, napi_struct for the interrupt taskqueues, work_struct for the
 * config-change task).
 */
#ifndef _IF_VTNETVAR_H_
#define _IF_VTNETVAR_H_

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/workqueue.h>

#include <sys/mbuf.h>
#include <net/if.h>
#include <net/if_var.h>

/*
 * Most segments one frame may take on the transmit ring: the header's
 * mbuf plus the chain skb_to_mbuf() built. A longer chain is collapsed
 * (m_collapse), or defragmented (m_defrag) when that fails.
 */
#define VTNET_TX_SEGS_MAX	32
/* Frames the receive side hands up per NAPI poll, at most. */
#define VTNET_RX_PROCESS_LIMIT	64
/* Largest MTU: a frame and its header fit one 9 KiB cluster. */
#define VTNET_MAX_MTU		9000
#define VTNET_MIN_MTU		68

struct vtnet_rxq_stats {
	uint64_t	vrxs_ipackets;	/* frames handed up */
	uint64_t	vrxs_ibytes;
	uint64_t	vrxs_iqdrops;	/* no buffer to replace one with */
	uint64_t	vrxs_ierrors;	/* runt completions */
};

struct vtnet_rxq {
	spinlock_t		 vtnrx_mtx;	/* the ring and its stats */
	struct vtnet_softc	*vtnrx_sc;
	struct virtqueue	*vtnrx_vq;
	struct scatterlist	 vtnrx_sg[1];
	int			 vtnrx_id;
	struct vtnet_rxq_stats	 vtnrx_stats;
	/* FreeBSD: vtnrx_tq and vtnrx_intrtask. */
	struct napi_struct	 vtnrx_napi;
	char			 vtnrx_name[24];
};

#define VTNET_RXQ_LOCK(_rxq)	spin_lock_bh(&(_rxq)->vtnrx_mtx)
#define VTNET_RXQ_UNLOCK(_rxq)	spin_unlock_bh(&(_rxq)->vtnrx_mtx)
#define VTNET_RXQ_LOCK_ASSERT(_rxq) lockdep_assert_held(&(_rxq)->vtnrx_mtx)

struct vtnet_txq_stats {
	uint64_t	vtxs_opackets;
	uint64_t	vtxs_obytes;
	uint64_t	vtxs_omcasts;
	uint64_t	vtxs_oerrors;	/* frames dropped: no memory, no room */
	uint64_t	vtxs_collapsed;	/* chains m_collapse() shortened */
	uint64_t	vtxs_defragged;	/* chains m_defrag() rebuilt */
};

struct vtnet_txq {
	spinlock_t		 vtntx_mtx;	/* the ring and its stats */
	struct vtnet_softc	*vtntx_sc;
	struct virtqueue	*vtntx_vq;
	struct scatterlist	 vtntx_sg[VTNET_TX_SEGS_MAX];
	int			 vtntx_id;
	struct vtnet_txq_stats	 vtntx_stats;
	/* FreeBSD: vtntx_tq and vtntx_intrtask. */
	struct napi_struct	 vtntx_napi;
	char			 vtntx_name[24];
};

#define VTNET_TXQ_LOCK(_txq)	spin_lock_bh(&(_txq)->vtntx_mtx)
#define VTNET_TXQ_UNLOCK(_txq)	spin_unlock_bh(&(_txq)->vtntx_mtx)
#define VTNET_TXQ_LOCK_ASSERT(_txq) lockdep_assert_held(&(_txq)->vtntx_mtx)

struct vtnet_softc {
	struct virtio_device	*vtnet_dev;	/* FreeBSD: device_t */
	if_t			 vtnet_ifp;
	struct vtnet_rxq	 vtnet_rxq;
	struct vtnet_txq	 vtnet_txq;

	uint32_t		 vtnet_flags;
#define VTNET_FLAG_MODERN	0x0001
#define VTNET_FLAG_MAC		0x0002
#define VTNET_FLAG_STATUS	0x0004
#define VTNET_FLAG_DETACH	0x0008
#define VTNET_FLAG_VQS		0x0010	/* virtqueues allocated */

	int			 vtnet_link_active;
	int			 vtnet_hdr_size;
	int			 vtnet_rx_clustersz;
	int			 vtnet_unit;
	uint64_t		 vtnet_features;

	/* FreeBSD: vtnet_mtx; init, stop and ioctl sleep (device reset). */
	struct mutex		 vtnet_mtx;
	/* FreeBSD: the config-change method, run from a task. */
	struct work_struct	 vtnet_config_task;

	uint8_t			 vtnet_hwaddr[ETHER_ADDR_LEN];
};

#define VTNET_CORE_LOCK(_sc)	mutex_lock(&(_sc)->vtnet_mtx)
#define VTNET_CORE_UNLOCK(_sc)	mutex_unlock(&(_sc)->vtnet_mtx)
#define VTNET_CORE_LOCK_ASSERT(_sc) lockdep_assert_held(&(_sc)->vtnet_mtx)

#endif /* _IF_VTNETVAR_H_ */
