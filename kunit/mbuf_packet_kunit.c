// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_packet: the packet cache (zone_pack: mbuf + 2 KiB cluster pairs).
 *
 * Strategy. From an empty packet cache, one allocation must build one
 * batch of pairs, each an mbuf with a cluster attached as FreeBSD's packet
 * zone leaves it (M_EXT, EXT_PACKET, MCLBYTES, embedded count 1, m_data at
 * the cluster), with the mbufs and clusters charged to zone_mbuf and
 * zone_clust. Freeing returns the pair to the cache: it counts as cached,
 * not in use, and still holds its cluster. Overflow beyond the per-CPU
 * bound spills back to the two zones; a drain gives everything back.
 * When zone_clust is at its limit, a cluster request drains the packet
 * cache and succeeds with a cluster freed that way (the seeds' behaviour),
 * and a failure halfway through building pairs (fault injection on the
 * cluster zone, or on the mbuf zone) returns NULL with no mbuf or cluster
 * left charged. Cases that count pin themselves to one CPU. Limits are
 * restored and in-use counts checked after each case (mbuf_zk_exit()).
 */
#include <kunit/test.h>
#include <linux/cache.h>
#include "mbuf_zone_kunit.h"

static void *mbuf_pk_get(int how)
{
	struct mb_args args = { .flags = M_PKTHDR, .type = MT_DATA };

	return uma_zalloc_arg(zone_pack, &args, how);
}

/* Charges of the mbuf and cluster zones. */
static long mbuf_pk_charged(enum mbuf_zone_id id)
{
	return mbuf_zk_stats(MBZ(id)).charged;
}

/* A packet is a paired mbuf and cluster, charged to their zones. */
static void mbuf_packet_pairing(struct kunit *test)
{
	uma_zone_t pz = zone_pack;
	struct mbuf_zone_stats p0, c0, p;
	long mc0, cc0;
	struct mbuf *m;

	mbuf_zk_quiesce();
	migrate_disable();
	p0 = mbuf_zk_stats(pz);
	c0 = mbuf_zk_stats(zone_clust);
	mc0 = mbuf_pk_charged(MBZ_MBUF);
	cc0 = mbuf_pk_charged(MBZ_CLUST);

	m = mbuf_pk_get(M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, (u32)m->m_flags, (u32)(M_PKTHDR | M_EXT));
	KUNIT_EXPECT_EQ(test, (u32)m->m_type, (u32)MT_DATA);
	KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_type, (u32)EXT_PACKET);
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, (u32)MCLBYTES);
	KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_flags, (u32)EXT_FLAG_EMBREF);
	KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_count, 1U);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, m->m_ext.ext_buf);
	/* DMA-safe: a cluster shares no cache line with anything else */
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)m->m_ext.ext_buf,
					   cache_line_size()));
	KUNIT_EXPECT_EQ(test, m->m_len, 0);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 0);

	/* One batch of pairs built: one handed out, the rest cached. */
	p = mbuf_zk_stats(pz);
	KUNIT_EXPECT_EQ(test, p.in_use, p0.in_use + 1);
	KUNIT_EXPECT_EQ(test, p.cached, (unsigned long)pz->batch - 1);
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_MBUF), mc0 + pz->batch);
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_CLUST), cc0 + pz->batch);
	/* ... counted by the packet zone, not as clusters in use */
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(zone_clust).in_use, c0.in_use);

	/* Freed, the pair is cached, not in use, and keeps its cluster. */
	uma_zfree(pz, m);
	p = mbuf_zk_stats(pz);
	KUNIT_EXPECT_EQ(test, p.in_use, p0.in_use);
	KUNIT_EXPECT_EQ(test, p.cached, (unsigned long)pz->batch);
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_CLUST), cc0 + pz->batch);

	/* The next packet is that pair again (LIFO), cluster and all. */
	KUNIT_EXPECT_PTR_EQ(test, mbuf_pk_get(M_NOWAIT), m);
	uma_zfree(pz, m);
	migrate_enable();
}

/* Beyond the per-CPU bound, pairs spill back to the zones. */
static void mbuf_packet_spill(struct kunit *test)
{
	int i, n = 2 * MBZ_MAG_MAX + zone_pack->depot_max;
	long cc0;
	void **items;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	mbuf_zk_quiesce();
	cc0 = mbuf_pk_charged(MBZ_CLUST);
	for (i = 0; i < n; i++) {
		items[i] = mbuf_pk_get(M_NOWAIT);
		KUNIT_ASSERT_NOT_NULL(test, items[i]);
	}
	for (i = 0; i < n; i++)
		uma_zfree(zone_pack, items[i]);
	/* Bounded: a magazine and a full depot; the rest spilled. */
	KUNIT_EXPECT_EQ(test, zone_pack->depot_items, zone_pack->depot_max);
	KUNIT_EXPECT_LE(test, mbuf_zone_cached(zone_pack),
			(unsigned long)zone_pack->mag_size * MBZ_NLEVELS *
			num_possible_cpus() + zone_pack->depot_max);
	KUNIT_EXPECT_LT(test, mbuf_zone_cached(zone_pack), (unsigned long)n);
	/* Every cluster still charged is held by a cached pair. */
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_CLUST) - cc0,
			(long)mbuf_zone_cached(zone_pack));
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_MBUF),
			mbuf_zone_outstanding(zone_mbuf));
}

/* A drain gives every cached pair back: mbufs and clusters uncharged. */
static void mbuf_packet_drain(struct kunit *test)
{
	void *items[8];
	long mc0, cc0;
	int i;

	mbuf_zk_quiesce();
	mc0 = mbuf_pk_charged(MBZ_MBUF);
	cc0 = mbuf_pk_charged(MBZ_CLUST);
	for (i = 0; i < ARRAY_SIZE(items); i++)
		items[i] = mbuf_pk_get(M_WAITOK);
	for (i = 0; i < ARRAY_SIZE(items); i++)
		uma_zfree(zone_pack, items[i]);
	KUNIT_EXPECT_GT(test, mbuf_zone_cached(zone_pack), 0UL);

	mbuf_zone_drain(zone_pack);
	flush_work(&zone_pack->drain_work);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(zone_pack), 0UL);
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_MBUF), mc0);
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_CLUST), cc0);
}

/*
 * zone_clust at its limit: a cluster request drains the packet cache.
 * The limit leaves the packet cache its full batch (the cache bound is
 * 1/16 of it), and bare clusters take the rest of the room.
 */
static void mbuf_packet_clust_limit_drains(struct kunit *test)
{
	const int room = 1024;
	uma_zone_t cz = zone_clust;
	void *m, *cl, **bare;
	long hits;
	int i, n;

	bare = kunit_kcalloc(test, room, sizeof(*bare), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bare);
	mbuf_zk_quiesce();
	migrate_disable();
	m = mbuf_pk_get(M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	uma_zfree(zone_pack, m);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(zone_pack),
			(unsigned long)zone_pack->batch);

	mbuf_zone_set_limit(cz, mbuf_pk_charged(MBZ_CLUST) + room);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(zone_pack),
			(unsigned long)zone_pack->batch);
	for (n = 0; n < room; n++) {
		bare[n] = uma_zalloc(cz, M_NOWAIT);
		if (!bare[n])
			break;
	}
	KUNIT_EXPECT_EQ(test, n, room);
	/* No room left: every other charged cluster sits in a cached pair. */
	hits = atomic_long_read(&cz->limit_hits);
	cl = uma_zalloc(cz, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, cl);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&cz->limit_hits), hits + 1);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(zone_pack), 0UL);
	for (i = 0; i < n; i++)
		uma_zfree(cz, bare[i]);
	migrate_enable();
	if (cl)
		uma_zfree(cz, cl);
}

/* Building pairs fails halfway: NULL, and nothing stays charged. */
static void mbuf_packet_fault(struct kunit *test)
{
	static const unsigned int masks[] = {
		MBUF_FAULT_ZONE(MBZ_CLUST),	/* mbufs taken, clusters not */
		MBUF_FAULT_ZONE(MBZ_MBUF),	/* nothing taken */
		MBUF_FAULT_ZONE(MBZ_PACK),	/* refused at entry */
	};
	struct mbuf_zone_stats p0;
	long mc0, cc0;
	void *m;
	int i;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		mbuf_zk_quiesce();
		p0 = mbuf_zk_stats(zone_pack);
		mc0 = mbuf_pk_charged(MBZ_MBUF);
		cc0 = mbuf_pk_charged(MBZ_CLUST);
		mbuf_fault_set(masks[i], 0, 1);
		KUNIT_EXPECT_NULL(test, mbuf_pk_get(M_NOWAIT));
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(zone_pack).fails,
				p0.fails + 1);
		KUNIT_EXPECT_EQ(test, mbuf_zone_cached(zone_pack), 0UL);
		KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_MBUF), mc0);
		KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_CLUST), cc0);

		/* M_WAITOK is never failed; afterwards all works again. */
		mbuf_fault_set(masks[i], 0, 1);
		m = mbuf_pk_get(M_WAITOK);
		KUNIT_EXPECT_NOT_NULL(test, m);
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 0UL);
		mbuf_fault_clear();
		uma_zfree(zone_pack, m);
		m = mbuf_pk_get(M_NOWAIT);
		KUNIT_EXPECT_NOT_NULL(test, m);
		uma_zfree(zone_pack, m);
	}
}

/*
 * Packets are built from the cluster zone's caches first, as FreeBSD's
 * packet zone imports through uma_zalloc(zone_clust): at the cluster
 * limit, with the packet cache empty but clusters free in zone_clust's
 * magazine, m_getcl() succeeds with one of those.
 */
static void mbuf_packet_uses_cached_clusters(struct kunit *test)
{
	/*
	 * What the caches may hold is a share of the limit spread over every
	 * possible CPU: give each room for the few clusters kept here.
	 */
	const int kept = 4, room = 256 * num_possible_cpus();
	struct mbuf *m;
	void **cl, *c;
	long base;
	int i;

	cl = kunit_kcalloc(test, room, sizeof(*cl), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	mbuf_zk_quiesce();
	migrate_disable();
	base = mbuf_pk_charged(MBZ_CLUST);
	mbuf_zone_set_limit(zone_clust, base + room);
	for (i = 0; i < room; i++) {
		cl[i] = uma_zalloc(zone_clust, M_NOWAIT);
		if (!cl[i])
			break;
	}
	KUNIT_ASSERT_EQ(test, i, room);
	KUNIT_ASSERT_EQ(test, mbuf_pk_charged(MBZ_CLUST), base + room);
	for (i = 0; i < kept; i++)
		uma_zfree(zone_clust, cl[room - 1 - i]);
	KUNIT_ASSERT_EQ(test, mbuf_zone_cached(zone_clust), (unsigned long)kept);
	KUNIT_ASSERT_EQ(test, mbuf_zone_cached(zone_pack), 0UL);
	KUNIT_ASSERT_EQ(test, mbuf_pk_charged(MBZ_CLUST), base + room);

	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	KUNIT_EXPECT_NOT_NULL(test, m);
	if (m) {
		/* its cluster is one of those that were cached */
		c = m->m_ext.ext_buf;
		for (i = 0; i < kept; i++)
			if (c == cl[room - 1 - i])
				break;
		KUNIT_EXPECT_LT(test, i, kept);
	}
	KUNIT_EXPECT_EQ(test, mbuf_pk_charged(MBZ_CLUST), base + room);
	m_freem(m);
	for (i = 0; i < room - kept; i++)
		uma_zfree(zone_clust, cl[i]);
	migrate_enable();
}

static struct kunit_case mbuf_packet_cases[] = {
	KUNIT_CASE(mbuf_packet_pairing),
	KUNIT_CASE(mbuf_packet_spill),
	KUNIT_CASE(mbuf_packet_drain),
	KUNIT_CASE(mbuf_packet_clust_limit_drains),
	KUNIT_CASE(mbuf_packet_fault),
	KUNIT_CASE(mbuf_packet_uses_cached_clusters),
	{}
};

static struct kunit_suite mbuf_packet_suite = {
	.name = "mbuf_packet",
	.init = mbuf_zk_init,
	.exit = mbuf_zk_exit,
	.test_cases = mbuf_packet_cases,
};

kunit_test_suite(mbuf_packet_suite);
