// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The pair zones: mbufs with a cluster already attached.
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
 * FreeBSD has no such zone for jumbo clusters, so a driver refilling its
 * ring with m_getjcl() pays for two zones. Here the same backend serves
 * three more pair zones, one per jumbo size (MBZ_PACKP, MBZ_PACK9,
 * MBZ_PACK16: "mbuf_packet_page", "mbuf_packet_9k", "mbuf_packet_16k"),
 * which m_getjcl() and m_freem() use as m_getcl() uses the packet zone.
 * A jumbo pair's cluster keeps the ext_type of its size (EXT_JUMBOP,
 * EXT_JUMBO9, EXT_JUMBO16), as FreeBSD's m_getjcl() sets it; the mbuf's
 * MBUF_EXT_FLAG_PAIRED marks it as a pair, which m_free() returns whole
 * when it is still a plain one (embedded count of one, no tags, no send
 * tag), as it returns EXT_PACKET pairs.
 *
 * The mbufs and clusters are taken with mbuf_zone_get_batch(), so the mbuf
 * and cluster zones charge them against nmbufs / nmbclusters / nmbjumbo*
 * and count them as in use for as long as the pair exists, whether a
 * driver holds it or a pair cache does (FreeBSD's cluster zone counts its
 * packet zone's clusters the same way). The pair zones themselves charge
 * nothing; their in_use and cached count pairs. The caches are bounded by
 * the magazine size per CPU and by their share of the limits
 * (mbuf_zone_cache_share()); what overflows goes back to the two zones.
 * They are drained on demand (mbuf_zone_drain(): reclaim, unload), by the
 * max-action and the shrinker (reclaim.c), and by the zone core when the
 * mbuf zone or their cluster zone is at its limit, so cached pairs never
 * starve a request for either.
 */
#include "internal.h"

/* Pair up to @n mbufs with clusters of the pair zone's size. */
static int mbuf_packet_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	int how = gfpflags_allow_blocking(gfp) ? M_WAITOK : M_NOWAIT;
	uma_zone_t mz = MBZ(MBZ_MBUF), cz = MBZ(mbuf_pair_clust_id(zone->id));
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
		/* Attach as the cluster zone does, then mark it a pair. */
		m = items[i];
		m->m_flags = 0;
		mb_ctor_clust(cz, cl[i], m, how);
		if (zone->id == MBZ_PACK)
			m->m_ext.ext_type = EXT_PACKET;
		else
			m->m_ext.ext_flags |= MBUF_EXT_FLAG_PAIRED;
	}
	return nc;
}

/* Split @n pairs and give each half back to its zone. Any context. */
static void mbuf_packet_release(uma_zone_t zone, void **items, int n)
{
	uma_zone_t mz = MBZ(MBZ_MBUF), cz = MBZ(mbuf_pair_clust_id(zone->id));
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
