// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The packet zone: mbufs with a 2 KiB cluster already attached.
 *
 * FreeBSD keeps a "packet" secondary zone whose items are mbufs paired
 * with a cluster (ext_type EXT_PACKET, embedded reference count 1), so
 * that m_getcl() costs one allocation instead of two. Here the packet
 * zone is an ordinary zone of the zone core whose backend is the pairing
 * below; its per-CPU magazines are the packet cache:
 *
 *   m_getcl -> zone_pack magazine --empty--> import: a batch of mbufs from
 *              (one pop + m_init)            zone_mbuf's backend and as
 *                                            many clusters from
 *                                            zone_clust's, paired
 *   m_freem -> zone_pack magazine --full---> release: each pair's cluster
 *              (one push)                    to zone_clust, mbuf to
 *                                            zone_mbuf
 *
 * The mbufs and clusters are taken with mbuf_zone_get_batch(), so the mbuf
 * and cluster zones charge them against nmbufs / nmbclusters and count
 * them as in use for as long as the pair exists, whether a driver holds
 * it or the packet cache does (FreeBSD's cluster zone counts its packet
 * zone's clusters the same way). The packet zone itself charges nothing;
 * its in_use and cached count pairs. The cache is bounded by the magazine
 * size per CPU; what overflows goes back to the two zones. It is drained
 * on demand (mbuf_zone_drain(zone_pack): reclaim, unload) and by the zone
 * core when zone_clust is at its limit, so cached pairs never starve a
 * cluster request.
 */
#include "internal.h"

/* Pair up to @n mbufs with clusters. */
static int mbuf_packet_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	int how = gfpflags_allow_blocking(gfp) ? M_WAITOK : M_NOWAIT;
	uma_zone_t mz = MBZ(MBZ_MBUF), cz = MBZ(MBZ_CLUST);
	void *cl[MBZ_BATCH_MAX];
	struct mbuf *m;
	int nm, nc, i;

	n = min(n, MBZ_BATCH_MAX);
	nm = mbuf_zone_get_batch(mz, items, n, how);
	if (!nm)
		return 0;
	nc = mbuf_zone_get_batch(cz, cl, nm, how);
	if (nc < nm)
		mbuf_zone_put_batch(mz, items + nc, nm - nc);
	for (i = 0; i < nc; i++) {
		/* Attach as the cluster zone does, then mark it a packet. */
		m = items[i];
		m->m_flags = 0;
		mb_ctor_clust(cz, cl[i], m, how);
		m->m_ext.ext_type = EXT_PACKET;
	}
	return nc;
}

/* Split @n pairs and give each half back to its zone. Any context. */
static void mbuf_packet_release(uma_zone_t zone, void **items, int n)
{
	uma_zone_t mz = MBZ(MBZ_MBUF), cz = MBZ(MBZ_CLUST);
	void *cl[MBZ_BATCH_MAX];
	int i, k;

	while (n > 0) {
		k = min(n, MBZ_BATCH_MAX);
		for (i = 0; i < k; i++)
			cl[i] = ((struct mbuf *)items[i])->m_ext.ext_buf;
		mbuf_zone_put_batch(cz, cl, k);
		mbuf_zone_put_batch(mz, items, k);
		items += k;
		n -= k;
	}
}

const struct mbuf_zone_ops mbuf_packet_ops = {
	.import = mbuf_packet_import,
	.release = mbuf_packet_release,
};
