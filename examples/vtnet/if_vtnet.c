// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vtnet: a virtio-net driver written the way FreeBSD's if_vtnet is.
 *
 * The data path is the FreeBSD one, unchanged in kind: receive rings
 * filled with mbuf clusters (m_getcl, m_getjcl at a jumbo MTU), the
 * virtio-net header in front of each frame, completions turned into mbuf
 * chains and handed up with if_input(); transmit through if_transmit()
 * with the chain the stack gave, the header prepended (M_PREPEND), one
 * ring descriptor per mbuf, m_collapse()/m_defrag() for chains that are
 * too long, completed chains freed from the completion side. Interface
 * state goes through the ifnet KPI (if_setdrvflagbits, if_inc_counter,
 * if_link_state_change, ...).
 *
 * What is Linux's is the bus attachment, the part FreeBSD's newbus and
 * virtio(4) glue do: a virtio_driver with probe/remove instead of
 * DEVMETHODs, virtqueues from virtio_find_vqs(), scatterlists instead of
 * sglist(9), and NAPI contexts where FreeBSD runs its interrupt tasks.
 * Documentation/porting.rst walks through it, function by function.
 *
 * Kept small on purpose: one queue pair, no control virtqueue, no
 * offloads (the QEMU hub backend the tests use offers none); MTU up to
 * VTNET_MAX_MTU without mergeable receive buffers.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/scatterlist.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

#include <sys/mbuf.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_types.h>
#include <net/if_var.h>

#include "if_vtnetvar.h"
#include "vtnet_compat.h"

static int	vtnet_attach(struct virtio_device *dev);
static void	vtnet_detach(struct virtio_device *dev);
static void	vtnet_config_change(struct virtio_device *dev);

static int	vtnet_rxq_populate(struct vtnet_rxq *rxq);
static void	vtnet_rxq_free_mbufs(struct vtnet_rxq *rxq);
static int	vtnet_rxq_new_buf(struct vtnet_rxq *rxq);
static int	vtnet_rxq_eof(struct vtnet_rxq *rxq, int budget);
static void	vtnet_txq_free_mbufs(struct vtnet_txq *txq);
static int	vtnet_txq_eof(struct vtnet_txq *txq);
static int	vtnet_txq_encap(struct vtnet_txq *txq, struct mbuf **m_head);
static int	vtnet_txq_mq_start(if_t ifp, struct mbuf *m);
static void	vtnet_qflush(if_t ifp);
static void	vtnet_init(void *xsc);
static void	vtnet_init_locked(struct vtnet_softc *sc);
static void	vtnet_stop(struct vtnet_softc *sc);
static int	vtnet_ioctl(if_t ifp, u_long cmd, caddr_t data);
static void	vtnet_update_link_status(struct vtnet_softc *sc);

/* The unit numbers handed out: vtnet0, vtnet1, ... */
static DEFINE_IDA(vtnet_units);

/* -- receive ---------------------------------------------------------- */

/*
 * Cluster size for the MTU: a frame, a VLAN tag and the virtio-net header
 * in one buffer, as FreeBSD sizes vtnet_rx_clustersz without mergeable
 * buffers.
 */
static int vtnet_rx_cluster_size(struct vtnet_softc *sc, int mtu)
{
	int framesz;

	framesz = sc->vtnet_hdr_size + ETHER_HDR_LEN + ETHER_VLAN_ENCAP_LEN +
	    mtu;
	if (framesz <= MCLBYTES)
		return MCLBYTES;
	if (framesz <= MJUMPAGESIZE)
		return MJUMPAGESIZE;
	return MJUM9BYTES;
}

/* Post one empty buffer on the receive ring. */
static int vtnet_rxq_enqueue_buf(struct vtnet_rxq *rxq, struct mbuf *m)
{
	int error;

	VTNET_RXQ_LOCK_ASSERT(rxq);
	sg_init_one(rxq->vtnrx_sg, mtod(m, void *), m->m_len);
	error = virtqueue_add_inbuf(rxq->vtnrx_vq, rxq->vtnrx_sg, 1, m,
				    GFP_ATOMIC);
	return error ? ENOSPC : 0;
}

/*
 * A fresh cluster for the ring. The device writes the virtio-net header
 * and then the frame from the start of it.
 */
static int vtnet_rxq_new_buf(struct vtnet_rxq *rxq)
{
	struct vtnet_softc *sc = rxq->vtnrx_sc;
	struct mbuf *m;
	int error;

	if (sc->vtnet_rx_clustersz == MCLBYTES)
		m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	else
		m = m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR,
			     sc->vtnet_rx_clustersz);
	if (!m)
		return ENOBUFS;
	m->m_len = sc->vtnet_rx_clustersz;
	m->m_pkthdr.len = m->m_len;

	error = vtnet_rxq_enqueue_buf(rxq, m);
	if (error)
		m_freem(m);
	return error;
}

/* Fill the ring: every free descriptor gets a buffer. */
static int vtnet_rxq_populate(struct vtnet_rxq *rxq)
{
	int nbufs, error;

	error = ENOSPC;
	for (nbufs = 0; rxq->vtnrx_vq->num_free > 0; nbufs++) {
		error = vtnet_rxq_new_buf(rxq);
		if (error)
			break;
	}
	if (nbufs > 0) {
		virtqueue_kick(rxq->vtnrx_vq);
		/* A ring that is full is the normal end. */
		if (error == ENOSPC)
			error = 0;
	}
	return error;
}

/* Buffers still on the ring (the device is reset: it owns none). */
static void vtnet_rxq_free_mbufs(struct vtnet_rxq *rxq)
{
	struct mbuf *m;

	while ((m = virtqueue_detach_unused_buf(rxq->vtnrx_vq)))
		m_freem(m);
}

/*
 * One completed buffer: strip the header, hand the frame up. Called with
 * the queue lock held; drops it around if_input(), as FreeBSD does.
 */
static void vtnet_rxq_input(struct vtnet_rxq *rxq, struct mbuf *m)
{
	struct vtnet_softc *sc = rxq->vtnrx_sc;
	if_t ifp = sc->vtnet_ifp;

	m_adj(m, sc->vtnet_hdr_size);
	m->m_pkthdr.rcvif = ifp;

	rxq->vtnrx_stats.vrxs_ipackets++;
	rxq->vtnrx_stats.vrxs_ibytes += m->m_pkthdr.len;

	VTNET_RXQ_UNLOCK(rxq);
	if_input(ifp, m);
	VTNET_RXQ_LOCK(rxq);
}

/*
 * Completed receive buffers, at most @budget: each is replaced on the
 * ring by a new one before its frame goes up; when no new buffer can be
 * had, the frame is dropped and its buffer goes back on the ring, so the
 * ring never runs dry.
 */
static int vtnet_rxq_eof(struct vtnet_rxq *rxq, int budget)
{
	struct vtnet_softc *sc = rxq->vtnrx_sc;
	if_t ifp = sc->vtnet_ifp;
	struct virtqueue *vq = rxq->vtnrx_vq;
	struct mbuf *m;
	unsigned int len;
	int count, deq;

	VTNET_RXQ_LOCK_ASSERT(rxq);
	count = 0;
	deq = 0;
	while (count < budget && (m = virtqueue_get_buf(vq, &len))) {
		deq++;
		if (len < sc->vtnet_hdr_size + ETHER_HDR_LEN) {
			rxq->vtnrx_stats.vrxs_ierrors++;
			if_inc_counter(ifp, IFCOUNTER_IERRORS, 1);
			m->m_len = sc->vtnet_rx_clustersz;
			if (vtnet_rxq_enqueue_buf(rxq, m) != 0)
				m_freem(m);
			continue;
		}
		if (vtnet_rxq_new_buf(rxq) != 0) {
			rxq->vtnrx_stats.vrxs_iqdrops++;
			if_inc_counter(ifp, IFCOUNTER_IQDROPS, 1);
			m->m_len = sc->vtnet_rx_clustersz;
			if (vtnet_rxq_enqueue_buf(rxq, m) != 0)
				m_freem(m);
			continue;
		}
		m->m_len = len;
		m->m_pkthdr.len = len;
		count++;
		if_inc_counter(ifp, IFCOUNTER_IPACKETS, 1);
		if_inc_counter(ifp, IFCOUNTER_IBYTES, len - sc->vtnet_hdr_size);
		vtnet_rxq_input(rxq, m);
		/* if_input may have stopped us (detach, MTU change). */
		if ((if_getdrvflags(ifp) & IFF_DRV_RUNNING) == 0)
			break;
	}
	if (deq > 0)
		virtqueue_kick(vq);
	return count;
}

/*
 * The receive NAPI poll: FreeBSD's vtnet_rxq_tq_intr. Interrupts stay off
 * while frames keep coming; on the way out they are turned back on, and a
 * completion that raced with that is picked up by polling again.
 */
static int vtnet_rx_poll(struct napi_struct *napi, int budget)
{
	struct vtnet_rxq *rxq = container_of(napi, struct vtnet_rxq,
					     vtnrx_napi);
	int done;

	/* if_input() feeds this NAPI context's GRO in between. */
	mbuf_napi_enter(napi);
	VTNET_RXQ_LOCK(rxq);
	done = vtnet_rxq_eof(rxq, budget);
	VTNET_RXQ_UNLOCK(rxq);
	mbuf_napi_exit(napi);

	if (done < budget && napi_complete_done(napi, done)) {
		if (!virtqueue_enable_cb(rxq->vtnrx_vq)) {
			virtqueue_disable_cb(rxq->vtnrx_vq);
			napi_schedule(napi);
		}
	}
	return done;
}

/* Receive interrupt: FreeBSD's vtnet_rx_vq_intr, deferring to the poll. */
static void vtnet_rx_vq_intr(struct virtqueue *vq)
{
	struct vtnet_softc *sc = vq->vdev->priv;

	virtqueue_disable_cb(vq);
	napi_schedule(&sc->vtnet_rxq.vtnrx_napi);
}

/* -- transmit --------------------------------------------------------- */

/* Scatterlist entries a chain needs: one per mbuf with data (M_EXTPG: more). */
static int vtnet_sg_count_mbuf(struct mbuf *m)
{
	int n;

	for (n = 0; m; m = m->m_next) {
		if (m->m_len <= 0)
			continue;
		if ((m->m_flags & M_EXTPG) == 0)
			n++;
		else
			n += m->m_epg_npgs + (m->m_epg_hdrlen > 0) +
			    (m->m_epg_trllen > 0);
	}
	return n;
}

/*
 * The scatterlist of a chain, one entry per mbuf with data (and one per
 * page of an unmapped mbuf): sglist_append_mbuf() of FreeBSD. Returns the
 * number of entries, or -1 when the chain needs more than @nsegs. Only
 * the entries used are initialized: a frame of two mbufs costs two.
 */
static int vtnet_sg_append_mbuf(struct scatterlist *sg, int nsegs, struct mbuf *m)
{
	int n, i, off, len;

	n = vtnet_sg_count_mbuf(m);
	if (n > nsegs)
		return -1;
	if (n == 0)
		return 0;
	sg_init_table(sg, n);
	for (n = 0; m; m = m->m_next) {
		if (m->m_len <= 0)
			continue;
		if ((m->m_flags & M_EXTPG) == 0) {
			sg_set_buf(&sg[n++], mtod(m, void *), m->m_len);
			continue;
		}
		/* Unmapped: header, pages, trailer, each its own entry. */
		if (m->m_epg_hdrlen > 0)
			sg_set_buf(&sg[n++], m->m_epg_hdr, m->m_epg_hdrlen);
		off = m->m_epg_1st_off;
		for (i = 0; i < m->m_epg_npgs; i++) {
			len = m_epg_pagelen(m, i, off);
			sg_set_page(&sg[n++], m->m_epg_pg[i], len, off);
			off = 0;
		}
		if (m->m_epg_trllen > 0)
			sg_set_buf(&sg[n++], m->m_epg_trail, m->m_epg_trllen);
	}
	return n;
}

/*
 * Put a chain whose first bytes are the virtio-net header on the ring.
 * A chain with more mbufs than descriptors allowed is shortened with
 * m_collapse() or, failing that, copied into clusters with m_defrag(),
 * as FreeBSD does on EFBIG.
 */
static int vtnet_txq_enqueue_buf(struct vtnet_txq *txq, struct mbuf **m_head)
{
	struct mbuf *m, *n;
	int collapsed, nsegs, error;

	m = *m_head;
	collapsed = 0;
again:
	nsegs = vtnet_sg_append_mbuf(txq->vtntx_sg, VTNET_TX_SEGS_MAX, m);
	if (nsegs < 0) {
		if (collapsed)
			goto fail;
		n = m_collapse(m, M_NOWAIT, VTNET_TX_SEGS_MAX);
		if (n) {
			txq->vtntx_stats.vtxs_collapsed++;
		} else {
			n = m_defrag(m, M_NOWAIT);
			if (!n)
				goto fail;
			txq->vtntx_stats.vtxs_defragged++;
		}
		*m_head = m = n;
		collapsed = 1;
		goto again;
	}

	error = virtqueue_add_outbuf(txq->vtntx_vq, txq->vtntx_sg, nsegs, m,
				     GFP_ATOMIC);
	if (error == 0)
		return 0;
	/* No room: the caller keeps the chain and stops the queue. */
	return ENOSPC;

fail:
	m_freem(*m_head);
	*m_head = NULL;
	return ENOBUFS;
}

/*
 * The frame's transmit header. No offload is negotiated, so the header
 * says "nothing to do": no checksum to fill in, no segmentation.
 */
static int vtnet_txq_encap(struct vtnet_txq *txq, struct mbuf **m_head)
{
	struct vtnet_softc *sc = txq->vtntx_sc;
	struct virtio_net_hdr_v1 *hdr;
	struct mbuf *m;
	int error;

	m = *m_head;
	M_PREPEND(m, sc->vtnet_hdr_size, M_NOWAIT);
	*m_head = m;
	if (!m)
		return ENOBUFS;
	hdr = mtod(m, struct virtio_net_hdr_v1 *);
	memset(hdr, 0, sc->vtnet_hdr_size);
	hdr->gso_type = VIRTIO_NET_HDR_GSO_NONE;

	error = vtnet_txq_enqueue_buf(txq, m_head);
	if (error == ENOSPC) {
		/* Take the header off again: the chain is retried as is. */
		m_adj(*m_head, sc->vtnet_hdr_size);
	}
	return error;
}

/*
 * Completed transmit chains, freed here and now: Linux's TCP small
 * queues hold a socket's next segments until its earlier ones are freed.
 */
static int vtnet_txq_eof(struct vtnet_txq *txq)
{
	if_t ifp = txq->vtntx_sc->vtnet_ifp;
	struct mbuf *m;
	unsigned int len;
	int deq;

	VTNET_TXQ_LOCK_ASSERT(txq);
	deq = 0;
	while ((m = virtqueue_get_buf(txq->vtntx_vq, &len))) {
		txq->vtntx_stats.vtxs_opackets++;
		txq->vtntx_stats.vtxs_obytes += m->m_pkthdr.len;
		if (m->m_flags & M_MCAST)
			txq->vtntx_stats.vtxs_omcasts++;
		m_freem(m);
		deq++;
	}
	if (deq > 0 && (if_getdrvflags(ifp) & IFF_DRV_OACTIVE) &&
	    txq->vtntx_vq->num_free >= VTNET_TX_SEGS_MAX)
		if_setdrvflagbits(ifp, 0, IFF_DRV_OACTIVE);
	return deq;
}

/*
 * if_transmit: one frame from the stack. Counted and freed when the
 * device completes it; the queue is marked active (stopped) while fewer
 * descriptors remain than the longest chain may take, so the next frame
 * always fits.
 */
static int vtnet_txq_mq_start(if_t ifp, struct mbuf *m)
{
	struct vtnet_softc *sc = if_getsoftc(ifp);
	struct vtnet_txq *txq = &sc->vtnet_txq;
	int error, len, mcast;

	len = m->m_pkthdr.len + sc->vtnet_hdr_size;
	mcast = (m->m_flags & M_MCAST) != 0;

	VTNET_TXQ_LOCK(txq);
	if ((if_getdrvflags(ifp) & IFF_DRV_RUNNING) == 0 ||
	    !sc->vtnet_link_active) {
		VTNET_TXQ_UNLOCK(txq);
		m_freem(m);
		if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
		return ENETDOWN;
	}

	/* Reclaim first: cheap, and it frees descriptors for this frame. */
	vtnet_txq_eof(txq);

	error = vtnet_txq_encap(txq, &m);
	if (error != 0) {
		if (m)
			m_freem(m);
		txq->vtntx_stats.vtxs_oerrors++;
		VTNET_TXQ_UNLOCK(txq);
		if_inc_counter(ifp, IFCOUNTER_OERRORS, 1);
		return error;
	}
	if (txq->vtntx_vq->num_free < VTNET_TX_SEGS_MAX) {
		if_setdrvflagbits(ifp, IFF_DRV_OACTIVE, 0);
		/* Completions may have come in since: look once more. */
		if (!virtqueue_enable_cb_delayed(txq->vtntx_vq))
			vtnet_txq_eof(txq);
	}
	virtqueue_kick(txq->vtntx_vq);
	VTNET_TXQ_UNLOCK(txq);

	if_inc_counter(ifp, IFCOUNTER_OPACKETS, 1);
	if_inc_counter(ifp, IFCOUNTER_OBYTES, len - sc->vtnet_hdr_size);
	if (mcast)
		if_inc_counter(ifp, IFCOUNTER_OMCASTS, 1);
	return 0;
}

/* if_qflush: nothing is queued in the driver (the ring is the queue). */
static void vtnet_qflush(if_t ifp)
{
}

/* Transmit completions: FreeBSD's vtnet_txq_tq_intr. */
static int vtnet_tx_poll(struct napi_struct *napi, int budget)
{
	struct vtnet_txq *txq = container_of(napi, struct vtnet_txq,
					     vtntx_napi);

	/*
	 * The callbacks go back on under the queue lock too: the transmit
	 * path adds and reclaims buffers and turns them on under it, and the
	 * virtio core wants every virtqueue operation but disabling
	 * callbacks serialised.
	 */
	VTNET_TXQ_LOCK(txq);
	vtnet_txq_eof(txq);
	napi_complete_done(napi, 0);
	if (!virtqueue_enable_cb_delayed(txq->vtntx_vq)) {
		virtqueue_disable_cb(txq->vtntx_vq);
		napi_schedule(napi);
	}
	VTNET_TXQ_UNLOCK(txq);
	return 0;
}

static void vtnet_tx_vq_intr(struct virtqueue *vq)
{
	struct vtnet_softc *sc = vq->vdev->priv;

	virtqueue_disable_cb(vq);
	napi_schedule(&sc->vtnet_txq.vtntx_napi);
}

/* Chains still on the transmit ring at stop (the device is reset). */
static void vtnet_txq_free_mbufs(struct vtnet_txq *txq)
{
	struct mbuf *m;

	while ((m = virtqueue_detach_unused_buf(txq->vtntx_vq)))
		m_freem(m);
}

/* -- init, stop, ioctl ------------------------------------------------ */

/*
 * Where the queue pair's interrupts go: both virtqueues on one CPU, so a
 * frame's transmit completion runs where the stack queued it and the
 * pair's receive work shares that CPU's caches; each device on the next
 * CPU after the previous one's, as iflib offsets each device's first
 * queue, so that several single-queue NICs do not all interrupt CPU 0.
 * A hint only: the interrupt follows its CPU away when that goes offline,
 * and the virtio core drops the hint with the virtqueues.
 */
static void vtnet_set_affinity(struct vtnet_softc *sc)
{
	struct virtio_device *dev = sc->vtnet_dev;
	const struct cpumask *mask;

	cpus_read_lock();
	mask = cpumask_of(cpumask_local_spread(sc->vtnet_unit,
					       dev_to_node(&dev->dev)));
	virtqueue_set_affinity(sc->vtnet_rxq.vtnrx_vq, mask);
	virtqueue_set_affinity(sc->vtnet_txq.vtntx_vq, mask);
	cpus_read_unlock();
}

/*
 * The device's virtqueues, after a reset: FreeBSD's vtnet_virtio_reinit
 * (re-negotiation) and vtnet_alloc_virtqueues in one.
 */
static int vtnet_alloc_virtqueues(struct vtnet_softc *sc)
{
	struct virtio_device *dev = sc->vtnet_dev;
	struct virtqueue *vqs[2];
	vq_callback_t *cbs[2] = { vtnet_rx_vq_intr, vtnet_tx_vq_intr };
	const char * const names[2] = { sc->vtnet_rxq.vtnrx_name,
	    sc->vtnet_txq.vtntx_name };
	int error;

	error = vtnet_find_vqs(dev, 2, vqs, cbs, names);
	if (error)
		return error;
	sc->vtnet_rxq.vtnrx_vq = vqs[0];
	sc->vtnet_txq.vtntx_vq = vqs[1];
	sc->vtnet_flags |= VTNET_FLAG_VQS;
	vtnet_set_affinity(sc);
	return 0;
}

/*
 * Bring a reset device back to DRIVER_OK's threshold: acknowledge, the
 * same features as at attach, the virtqueues. What virtio_device_restore
 * does, for a driver that resets to resize its receive buffers.
 */
static int vtnet_virtio_reinit(struct vtnet_softc *sc)
{
	struct virtio_device *dev = sc->vtnet_dev;
	int error;

	virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER);
	error = dev->config->finalize_features(dev);
	if (error)
		return error;
	virtio_add_status(dev, VIRTIO_CONFIG_S_FEATURES_OK);
	if ((dev->config->get_status(dev) & VIRTIO_CONFIG_S_FEATURES_OK) == 0)
		return -ENODEV;
	return vtnet_alloc_virtqueues(sc);
}

/*
 * Stop: FreeBSD's vtnet_stop. Not running, no more interrupt work, the
 * device reset (it owns no buffer after that), every buffer still on the
 * rings freed, the virtqueues released.
 */
static void vtnet_stop(struct vtnet_softc *sc)
{
	if_t ifp = sc->vtnet_ifp;

	VTNET_CORE_LOCK_ASSERT(sc);
	if ((if_getdrvflags(ifp) & IFF_DRV_RUNNING) == 0)
		return;

	VTNET_TXQ_LOCK(&sc->vtnet_txq);
	VTNET_RXQ_LOCK(&sc->vtnet_rxq);
	if_setdrvflagbits(ifp, 0, IFF_DRV_RUNNING | IFF_DRV_OACTIVE);
	VTNET_RXQ_UNLOCK(&sc->vtnet_rxq);
	VTNET_TXQ_UNLOCK(&sc->vtnet_txq);

	napi_disable(&sc->vtnet_rxq.vtnrx_napi);
	napi_disable(&sc->vtnet_txq.vtntx_napi);
	virtio_reset_device(sc->vtnet_dev);

	vtnet_rxq_free_mbufs(&sc->vtnet_rxq);
	vtnet_txq_free_mbufs(&sc->vtnet_txq);
	sc->vtnet_dev->config->del_vqs(sc->vtnet_dev);
	sc->vtnet_flags &= ~VTNET_FLAG_VQS;
}

/*
 * Init: FreeBSD's vtnet_init_locked. Receive buffers sized for the MTU,
 * the ring filled, the device live, interrupts on.
 */
static void vtnet_init_locked(struct vtnet_softc *sc)
{
	if_t ifp = sc->vtnet_ifp;
	int error;

	VTNET_CORE_LOCK_ASSERT(sc);
	if (if_getdrvflags(ifp) & IFF_DRV_RUNNING)
		return;

	if ((sc->vtnet_flags & VTNET_FLAG_VQS) == 0) {
		error = vtnet_virtio_reinit(sc);
		if (error) {
			dev_err(&sc->vtnet_dev->dev,
				"cannot reinitialize the device: %d\n", error);
			return;
		}
	}

	sc->vtnet_rx_clustersz = vtnet_rx_cluster_size(sc, if_getmtu(ifp));
	VTNET_RXQ_LOCK(&sc->vtnet_rxq);
	error = vtnet_rxq_populate(&sc->vtnet_rxq);
	VTNET_RXQ_UNLOCK(&sc->vtnet_rxq);
	if (error) {
		dev_err(&sc->vtnet_dev->dev,
			"cannot fill the receive ring: %d\n", error);
		virtio_reset_device(sc->vtnet_dev);
		vtnet_rxq_free_mbufs(&sc->vtnet_rxq);
		sc->vtnet_dev->config->del_vqs(sc->vtnet_dev);
		sc->vtnet_flags &= ~VTNET_FLAG_VQS;
		return;
	}

	/*
	 * The virtio core sets DRIVER_OK itself once attach returns; after
	 * a reset (stop) it is ours to set.
	 */
	if ((sc->vtnet_dev->config->get_status(sc->vtnet_dev) &
	     VIRTIO_CONFIG_S_DRIVER_OK) == 0)
		virtio_device_ready(sc->vtnet_dev);
	if_setdrvflagbits(ifp, IFF_DRV_RUNNING, IFF_DRV_OACTIVE);
	napi_enable(&sc->vtnet_rxq.vtnrx_napi);
	napi_enable(&sc->vtnet_txq.vtntx_napi);
	/* Frames may have arrived before NAPI was on. */
	virtqueue_disable_cb(sc->vtnet_rxq.vtnrx_vq);
	napi_schedule(&sc->vtnet_rxq.vtnrx_napi);
	vtnet_update_link_status(sc);
}

static void vtnet_init(void *xsc)
{
	struct vtnet_softc *sc = xsc;

	VTNET_CORE_LOCK(sc);
	vtnet_init_locked(sc);
	VTNET_CORE_UNLOCK(sc);
}

/*
 * MTU change: FreeBSD's vtnet_ioctl_mtu. A running interface is stopped
 * and started again, so that its receive buffers fit the new size.
 */
static int vtnet_ioctl_mtu(struct vtnet_softc *sc, u_int mtu)
{
	if_t ifp = sc->vtnet_ifp;

	VTNET_CORE_LOCK_ASSERT(sc);
	if (if_getmtu(ifp) == mtu)
		return 0;
	if (mtu < VTNET_MIN_MTU || mtu > VTNET_MAX_MTU)
		return EINVAL;

	if_setmtu(ifp, mtu);
	if (if_getdrvflags(ifp) & IFF_DRV_RUNNING) {
		vtnet_stop(sc);
		vtnet_init_locked(sc);
	}
	return 0;
}

static int vtnet_ioctl(if_t ifp, u_long cmd, caddr_t data)
{
	struct vtnet_softc *sc = if_getsoftc(ifp);
	struct ifreq *ifr = (struct ifreq *)data;
	int error = 0;

	switch (cmd) {
	case SIOCSIFMTU:
		VTNET_CORE_LOCK(sc);
		error = vtnet_ioctl_mtu(sc, ifr->ifr_mtu);
		VTNET_CORE_UNLOCK(sc);
		break;
	case SIOCSIFFLAGS:
		VTNET_CORE_LOCK(sc);
		if (if_getflags(ifp) & IFF_UP) {
			if ((if_getdrvflags(ifp) & IFF_DRV_RUNNING) == 0)
				vtnet_init_locked(sc);
		} else if (if_getdrvflags(ifp) & IFF_DRV_RUNNING) {
			vtnet_stop(sc);
		}
		VTNET_CORE_UNLOCK(sc);
		break;
	default:
		error = ether_ioctl(ifp, cmd, data);
		break;
	}
	return error;
}

/* -- link state ------------------------------------------------------- */

static int vtnet_is_link_up(struct vtnet_softc *sc)
{
	uint16_t status;

	if ((sc->vtnet_flags & VTNET_FLAG_STATUS) == 0)
		return 1;
	status = virtio_cread16(sc->vtnet_dev,
				offsetof(struct virtio_net_config, status));
	return (status & VIRTIO_NET_S_LINK_UP) != 0;
}

static void vtnet_update_link_status(struct vtnet_softc *sc)
{
	if_t ifp = sc->vtnet_ifp;
	int link;

	link = vtnet_is_link_up(sc);
	if (link && !sc->vtnet_link_active) {
		sc->vtnet_link_active = 1;
		if_link_state_change(ifp, LINK_STATE_UP);
	} else if (!link && sc->vtnet_link_active) {
		sc->vtnet_link_active = 0;
		if_link_state_change(ifp, LINK_STATE_DOWN);
	}
}

static void vtnet_config_task(struct work_struct *work)
{
	struct vtnet_softc *sc = container_of(work, struct vtnet_softc,
					      vtnet_config_task);

	VTNET_CORE_LOCK(sc);
	if ((sc->vtnet_flags & VTNET_FLAG_DETACH) == 0)
		vtnet_update_link_status(sc);
	VTNET_CORE_UNLOCK(sc);
}

/* The config-change interrupt: may come in any context, so deferred. */
static void vtnet_config_change(struct virtio_device *dev)
{
	struct vtnet_softc *sc = dev->priv;

	schedule_work(&sc->vtnet_config_task);
}

/* -- counters --------------------------------------------------------- */

/*
 * if_get_counter: the interface counters are kept by if_inc_counter();
 * the queues' own statistics add what the KPI has no counter for.
 */
static uint64_t vtnet_get_counter(if_t ifp, ift_counter cnt)
{
	return if_get_counter_default(ifp, cnt);
}

/* -- attach, detach --------------------------------------------------- */

static void vtnet_get_macaddr(struct vtnet_softc *sc)
{
	if (sc->vtnet_flags & VTNET_FLAG_MAC) {
		virtio_cread_bytes(sc->vtnet_dev,
				   offsetof(struct virtio_net_config, mac),
		    sc->vtnet_hwaddr, ETHER_ADDR_LEN);
	} else {
		/* A random locally administered address, as FreeBSD does. */
		eth_random_addr(sc->vtnet_hwaddr);
	}
}

static int vtnet_setup_interface(struct vtnet_softc *sc)
{
	if_t ifp;
	int error;

	ifp = if_alloc_dev(IFT_ETHER, &sc->vtnet_dev->dev);
	if (!ifp)
		return ENOMEM;
	sc->vtnet_ifp = ifp;
	if_initname(ifp, "vtnet", sc->vtnet_unit);
	if_setsoftc(ifp, sc);
	if_setflags(ifp, IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST);
	if_setinitfn(ifp, vtnet_init);
	if_setioctlfn(ifp, vtnet_ioctl);
	if_settransmitfn(ifp, vtnet_txq_mq_start);
	if_setqflushfn(ifp, vtnet_qflush);
	if_setgetcounterfn(ifp, vtnet_get_counter);
	if_setmtu(ifp, ETHERMTU);
	if_setcapabilities(ifp, IFCAP_JUMBO_MTU | IFCAP_LINKSTATE);
	if_setcapenable(ifp, if_getcapabilities(ifp));
	if_sethwassist(ifp, 0);
	/*
	 * Linux checks an MTU against the device's range before the
	 * SIOCSIFMTU ioctl reaches the driver, so the range is told here;
	 * vtnet_ioctl_mtu() checks it too, as FreeBSD's does.
	 */
	ifp->min_mtu = VTNET_MIN_MTU;
	ifp->max_mtu = VTNET_MAX_MTU;

	netif_napi_add(ifp, &sc->vtnet_rxq.vtnrx_napi,
		       vtnet_rx_poll);
	netif_napi_add_tx(ifp, &sc->vtnet_txq.vtntx_napi,
			  vtnet_tx_poll);

	/*
	 * FreeBSD's ether_ifattach() cannot fail; Linux's registration can,
	 * so the variant that reports it is used.
	 */
	error = mbuf_ether_ifattach(ifp, sc->vtnet_hwaddr);
	if (error) {
		netif_napi_del(&sc->vtnet_rxq.vtnrx_napi);
		netif_napi_del(&sc->vtnet_txq.vtntx_napi);
		if_free(ifp);
		sc->vtnet_ifp = NULL;
	}
	return error;
}

/*
 * Attach: FreeBSD's vtnet_attach. Features, queues, the interface. The
 * device goes live (DRIVER_OK) when the interface is brought up.
 */
static int vtnet_attach(struct virtio_device *dev)
{
	struct vtnet_softc *sc;
	int error, unit;

	if (!virtio_has_feature(dev, VIRTIO_F_VERSION_1)) {
		dev_err(&dev->dev, "vtnet needs a modern (VIRTIO_F_VERSION_1) device\n");
		return -ENODEV;
	}
	unit = ida_alloc(&vtnet_units, GFP_KERNEL);
	if (unit < 0)
		return unit;

	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc) {
		ida_free(&vtnet_units, unit);
		return -ENOMEM;
	}
	sc->vtnet_dev = dev;
	sc->vtnet_unit = unit;
	dev->priv = sc;
	mutex_init(&sc->vtnet_mtx);
	INIT_WORK(&sc->vtnet_config_task, vtnet_config_task);

	sc->vtnet_flags |= VTNET_FLAG_MODERN;
	if (virtio_has_feature(dev, VIRTIO_NET_F_MAC))
		sc->vtnet_flags |= VTNET_FLAG_MAC;
	if (virtio_has_feature(dev, VIRTIO_NET_F_STATUS))
		sc->vtnet_flags |= VTNET_FLAG_STATUS;
	sc->vtnet_features = dev->features;
	/* Modern devices always carry num_buffers: 12 bytes. */
	sc->vtnet_hdr_size = sizeof(struct virtio_net_hdr_v1);

	spin_lock_init(&sc->vtnet_rxq.vtnrx_mtx);
	sc->vtnet_rxq.vtnrx_sc = sc;
	snprintf(sc->vtnet_rxq.vtnrx_name, sizeof(sc->vtnet_rxq.vtnrx_name),
		 "vtnet%d-rx0", unit);
	spin_lock_init(&sc->vtnet_txq.vtntx_mtx);
	sc->vtnet_txq.vtntx_sc = sc;
	snprintf(sc->vtnet_txq.vtntx_name, sizeof(sc->vtnet_txq.vtntx_name),
		 "vtnet%d-tx0", unit);

	error = vtnet_alloc_virtqueues(sc);
	if (error) {
		dev_err(&dev->dev, "cannot allocate virtqueues: %d\n", error);
		goto fail;
	}
	vtnet_get_macaddr(sc);

	error = vtnet_setup_interface(sc);
	if (error) {
		dev_err(&dev->dev, "cannot set up the interface: %d\n", error);
		error = -error;
		goto fail_vqs;
	}
	return 0;

fail_vqs:
	virtio_reset_device(dev);
	dev->config->del_vqs(dev);
fail:
	ida_free(&vtnet_units, unit);
	kfree(sc);
	dev->priv = NULL;
	return error;
}

/*
 * Detach: FreeBSD's vtnet_detach. Stopped first, which frees whatever
 * buffers the rings still hold, then the interface goes away.
 */
static void vtnet_detach(struct virtio_device *dev)
{
	struct vtnet_softc *sc = dev->priv;
	if_t ifp = sc->vtnet_ifp;

	VTNET_CORE_LOCK(sc);
	sc->vtnet_flags |= VTNET_FLAG_DETACH;
	vtnet_stop(sc);
	VTNET_CORE_UNLOCK(sc);
	cancel_work_sync(&sc->vtnet_config_task);

	ether_ifdetach(ifp);
	netif_napi_del(&sc->vtnet_rxq.vtnrx_napi);
	netif_napi_del(&sc->vtnet_txq.vtntx_napi);
	if_free(ifp);

	if (sc->vtnet_flags & VTNET_FLAG_VQS) {
		virtio_reset_device(dev);
		dev->config->del_vqs(dev);
	}
	ida_free(&vtnet_units, sc->vtnet_unit);
	kfree(sc);
}

/* -- the virtio driver ------------------------------------------------ */

static const struct virtio_device_id vtnet_id_table[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static unsigned int vtnet_features[] = {
	VIRTIO_NET_F_MAC,
	VIRTIO_NET_F_STATUS,
};

static struct virtio_driver vtnet_driver = {
	.driver.name		= "vtnet",
	.id_table		= vtnet_id_table,
	.feature_table		= vtnet_features,
	.feature_table_size	= ARRAY_SIZE(vtnet_features),
	.probe			= vtnet_attach,
	.remove			= vtnet_detach,
	.config_changed		= vtnet_config_change,
};

static int __init vtnet_modevent_load(void)
{
	return register_virtio_driver(&vtnet_driver);
}

static void __exit vtnet_modevent_unload(void)
{
	unregister_virtio_driver(&vtnet_driver);
	ida_destroy(&vtnet_units);
}

module_init(vtnet_modevent_load);
module_exit(vtnet_modevent_unload);

MODULE_DESCRIPTION("virtio-net driver in the style of FreeBSD's if_vtnet, on mbuf(9)");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_DEVICE_TABLE(virtio, vtnet_id_table);
