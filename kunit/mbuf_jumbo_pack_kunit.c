// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_jumbo_pack: the jumbo pair zones (packet.c): mbufs paired with a
 * page, 9 KiB or 16 KiB cluster, which m_getjcl() and m_freem() use as
 * m_getcl() uses the packet zone.
 *
 * Strategy. For each jumbo size, from empty caches: m_getjcl() hands out
 * a pair built in a batch (M_EXT, the size's own ext_type, embedded count
 * one, MBUF_EXT_FLAG_PAIRED), counted in use by the pair zone and charged
 * to zone_mbuf and the jumbo zone; m_freem() caches it whole, and on one
 * CPU the next m_getjcl() returns the same mbuf with the same cluster.
 * A pair that is no longer plain when freed (shared, tagged) still comes
 * back whole once its last reference goes; an mbuf + jumbo cluster
 * assembled by hand goes back to the two zones. Cached pairs count
 * against nmbjumbo*: a cluster request at the limit drains them and
 * succeeds, and at a small limit the cluster zone's and pair zone's
 * caches together hold at most 1/8 of it. The shrinker and the
 * max-action drain the pair caches. Failures while pairing (fault
 * injection on the mbuf zone, the jumbo zone, or the pair zone itself)
 * return NULL with nothing left charged, and m_getjcl() under injection
 * fails as it does without pair zones. Cases that count pin themselves
 * to one CPU; every zone's in-use count is checked against its baseline
 * after each case and limits are restored (mbuf_zk_exit()). netstat -m
 * (/proc/net/mbuf/netstat) and /proc/net/mbuf/zones show a held pair as
 * a pair of its zone, an mbuf and a jumbo cluster.
 */
#include <kunit/test.h>
#include <linux/shrinker.h>
#include "mbuf_procfs.h"
#include "mbuf_zone_kunit.h"

static const int mbuf_jp_sizes[] = { MJUMPAGESIZE, MJUM9BYTES, MJUM16BYTES };
static const enum mbuf_zone_id mbuf_jp_clust[] = {
	MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
};

static uma_zone_t mbuf_jp_pz(int k)
{
	return MBZ(mbuf_jumbo_pair_id(mbuf_jp_clust[k]));
}

static uma_zone_t mbuf_jp_cz(int k)
{
	return MBZ(mbuf_jp_clust[k]);
}

static long mbuf_jp_charged(uma_zone_t zone)
{
	return mbuf_zk_stats(zone).charged;
}

static struct mbuf *mbuf_jp_get(int k, int how)
{
	return m_getjcl(how, MT_DATA, M_PKTHDR, mbuf_jp_sizes[k]);
}

/* Pairing, caching, and the same pair again on one CPU. */
static void mbuf_jumbo_pack_pairing(struct kunit *test)
{
	struct mbuf_zone_stats p0, c0, p;
	long mc0, cc0;
	struct mbuf *m, *m2;
	uma_zone_t pz, cz;
	void *cl;
	int k;

	for (k = 0; k < ARRAY_SIZE(mbuf_jp_sizes); k++) {
		pz = mbuf_jp_pz(k);
		cz = mbuf_jp_cz(k);
		mbuf_zk_quiesce();
		migrate_disable();
		p0 = mbuf_zk_stats(pz);
		c0 = mbuf_zk_stats(cz);
		mc0 = mbuf_jp_charged(zone_mbuf);
		cc0 = mbuf_jp_charged(cz);

		m = mbuf_jp_get(k, M_NOWAIT);
		if (!m) {
			migrate_enable();
			KUNIT_FAIL(test, "m_getjcl(%d) failed", mbuf_jp_sizes[k]);
			return;
		}
		KUNIT_EXPECT_EQ(test, (u32)m->m_flags, (u32)(M_PKTHDR | M_EXT));
		KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_type,
				(u32)m_gettype(mbuf_jp_sizes[k]));
		KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, (u32)mbuf_jp_sizes[k]);
		KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_flags,
				(u32)(EXT_FLAG_EMBREF | MBUF_EXT_FLAG_PAIRED));
		KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_count, 1U);
		KUNIT_EXPECT_PTR_EQ(test, m->m_data, m->m_ext.ext_buf);
		KUNIT_EXPECT_EQ(test, m->m_len, 0);
		KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 0);
		KUNIT_EXPECT_TRUE(test, M_WRITABLE(m));
		cl = m->m_ext.ext_buf;

		/* One batch built: one handed out, the rest cached. */
		p = mbuf_zk_stats(pz);
		KUNIT_EXPECT_EQ(test, p.in_use, p0.in_use + 1);
		KUNIT_EXPECT_EQ(test, p.allocs, p0.allocs + 1);
		KUNIT_EXPECT_EQ(test, p.cached, (unsigned long)pz->batch - 1);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(zone_mbuf),
				mc0 + pz->batch);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(cz), cc0 + pz->batch);
		/* ... counted by the pair zone, not by the cluster zone */
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(cz).in_use, c0.in_use);
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(cz).allocs, c0.allocs);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(cz),
				mbuf_zone_outstanding(cz));
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(zone_mbuf),
				mbuf_zone_outstanding(zone_mbuf));

		/* Freed, the pair is cached whole; the cluster stays charged. */
		m_freem(m);
		p = mbuf_zk_stats(pz);
		KUNIT_EXPECT_EQ(test, p.in_use, p0.in_use);
		KUNIT_EXPECT_EQ(test, p.cached, (unsigned long)pz->batch);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(cz), cc0 + pz->batch);
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(cz).frees, c0.frees);

		/* The next m_getjcl() is that pair again, cluster and all. */
		m2 = mbuf_jp_get(k, M_NOWAIT);
		KUNIT_EXPECT_PTR_EQ(test, m2, m);
		if (m2) {
			KUNIT_EXPECT_PTR_EQ(test, m2->m_ext.ext_buf, cl);
			KUNIT_EXPECT_PTR_EQ(test, m2->m_data, cl);
		}
		m_freem(m2);
		migrate_enable();

		/* A flush gives everything back: charges where they were. */
		mbuf_zk_quiesce();
		KUNIT_EXPECT_EQ(test, mbuf_zone_cached(pz), 0UL);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(cz), cc0);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(zone_mbuf), mc0);
	}
}

/* M_WAITOK takes the pair zone too; 2 KiB stays with the packet zone. */
static void mbuf_jumbo_pack_waitok_and_2k(struct kunit *test)
{
	struct mbuf_zone_stats p0, q0;
	struct mbuf *m;
	uma_zone_t pz = mbuf_jp_pz(1);

	mbuf_zk_quiesce();
	p0 = mbuf_zk_stats(pz);
	m = mbuf_jp_get(1, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).in_use, p0.in_use + 1);
	KUNIT_EXPECT_TRUE(test, m->m_ext.ext_flags & MBUF_EXT_FLAG_PAIRED);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).in_use, p0.in_use);

	p0 = mbuf_zk_stats(zone_pack);
	q0 = mbuf_zk_stats(pz);
	m = m_getjcl(M_NOWAIT, MT_DATA, 0, MCLBYTES);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_type, (u32)EXT_PACKET);
	KUNIT_EXPECT_FALSE(test, m->m_ext.ext_flags & MBUF_EXT_FLAG_PAIRED);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(zone_pack).in_use, p0.in_use + 1);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).allocs, q0.allocs);
	m_freem(m);
}

/*
 * A shared pair comes back whole when its last reference goes, a tagged
 * one too (its tags deleted); a hand-made mbuf + jumbo cluster goes back
 * to the mbuf and cluster zones.
 */
static void mbuf_jumbo_pack_free_paths(struct kunit *test)
{
	struct mbuf_zone_stats p0, c0, p;
	uma_zone_t pz = mbuf_jp_pz(2), cz = mbuf_jp_cz(2);
	struct mbuf *m, *n;
	struct m_tag *t;

	mbuf_zk_quiesce();
	migrate_disable();
	p0 = mbuf_zk_stats(pz);
	c0 = mbuf_zk_stats(cz);

	/* shared: the carrier first, then the copy */
	m = mbuf_jp_get(2, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_len = 100;
	m->m_pkthdr.len = 100;
	n = m_copym(m, 0, M_COPYALL, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), n ? 2U : 1U);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).in_use, p0.in_use + 1);
	m_freem(n);
	p = mbuf_zk_stats(pz);
	KUNIT_EXPECT_EQ(test, p.in_use, p0.in_use);
	KUNIT_EXPECT_EQ(test, p.cached, (unsigned long)pz->batch);

	/* tagged: the slow path, still cached whole */
	m = mbuf_jp_get(2, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	t = m_tag_get(7, 16, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, t);
	if (t)
		m_tag_prepend(m, t);
	m_freem(m);
	p = mbuf_zk_stats(pz);
	KUNIT_EXPECT_EQ(test, p.in_use, p0.in_use);
	KUNIT_EXPECT_EQ(test, p.cached, (unsigned long)pz->batch);
	/* the pair handed out next has no tags left */
	m = mbuf_jp_get(2, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, SLIST_EMPTY(&m->m_pkthdr.tags));
	m_freem(m);

	/* by hand: m_gethdr + m_cljget, freed to the two zones */
	m = m_gethdr(M_NOWAIT, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_NOT_NULL(test, m_cljget(m, M_NOWAIT, MJUM16BYTES));
	KUNIT_EXPECT_FALSE(test, m->m_ext.ext_flags & MBUF_EXT_FLAG_PAIRED);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(cz).in_use, c0.in_use + 1);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(cz).in_use, c0.in_use);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).cached,
			(unsigned long)pz->batch);
	migrate_enable();
}

/* Cache @n pairs of size index @k on this CPU; returns how many. */
static unsigned long mbuf_jp_fill(struct kunit *test, int k, int n)
{
	struct mbuf **mv;
	int i;

	mv = kunit_kcalloc(test, n, sizeof(*mv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mv);
	for (i = 0; i < n; i++)
		mv[i] = mbuf_jp_get(k, M_NOWAIT);
	for (i = 0; i < n; i++)
		m_freem(mv[i]);
	return mbuf_zone_cached(mbuf_jp_pz(k));
}

/*
 * Cached pairs count against nmbjumbo9 and are drained at its limit: with
 * the limit at what is charged, a bare cluster request still succeeds.
 * Enough is held in use that the cached pairs fit in the pair zone's
 * share of the limit (a lower limit flushes caches holding more).
 */
#define MBUF_JP_HELD	256

static void mbuf_jumbo_pack_limit_drain(struct kunit *test)
{
	uma_zone_t pz = mbuf_jp_pz(1), cz = mbuf_jp_cz(1);
	unsigned long cached;
	long cc0, hits0;
	void **held, *cl;
	int i;

	held = kunit_kcalloc(test, MBUF_JP_HELD * 4, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	for (i = 0; i < MBUF_JP_HELD; i++) {
		held[i] = uma_zalloc(zone_jumbo9, M_WAITOK);
		KUNIT_ASSERT_NOT_NULL(test, held[i]);
	}
	mbuf_zk_quiesce();
	migrate_disable();
	cc0 = mbuf_jp_charged(cz);
	cached = mbuf_jp_fill(test, 1, 4);
	KUNIT_EXPECT_GT(test, cached, 0UL);
	/* every cached pair holds a charged cluster */
	KUNIT_EXPECT_EQ(test, mbuf_jp_charged(cz) - cc0, (long)cached);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(cz), 0UL);

	hits0 = mbuf_zk_stats(cz).limit_hits;
	mbuf_zone_set_limit(cz, mbuf_jp_charged(cz));
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(pz), cached);
	cl = uma_zalloc(zone_jumbo9, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, cl);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(cz).limit_hits, hits0 + 1);
	flush_work(&pz->drain_work);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(pz), 0UL);
	uma_zfree(zone_jumbo9, cl);
	migrate_enable();
	mbuf_zone_set_limit(cz, 0);
	for (i = 0; i < MBUF_JP_HELD; i++)
		uma_zfree(zone_jumbo9, held[i]);

	/* the limit on the mbuf zone drains them as well */
	for (i = 0; i < MBUF_JP_HELD * 4; i++) {
		held[i] = m_get(M_WAITOK, MT_DATA);
		KUNIT_ASSERT_NOT_NULL(test, held[i]);
	}
	mbuf_zk_quiesce();
	migrate_disable();
	cached = mbuf_jp_fill(test, 1, 4);
	KUNIT_EXPECT_GT(test, cached, 0UL);
	hits0 = mbuf_zk_stats(zone_mbuf).limit_hits;
	mbuf_zone_set_limit(zone_mbuf, mbuf_jp_charged(zone_mbuf));
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(pz), cached);
	cl = m_get(M_NOWAIT, MT_DATA);
	KUNIT_EXPECT_NOT_NULL(test, cl);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(zone_mbuf).limit_hits, hits0 + 1);
	m_free(cl);
	migrate_enable();
	flush_work(&pz->drain_work);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(pz), 0UL);
	mbuf_zone_set_limit(zone_mbuf, 0);
	for (i = 0; i < MBUF_JP_HELD * 4; i++)
		m_free(held[i]);
}

/* At a small limit, the 9k caches hold at most 1/8 of it; 7/8 allocate. */
static void mbuf_jumbo_pack_cache_bound(struct kunit *test)
{
	uma_zone_t pz = mbuf_jp_pz(1), cz = mbuf_jp_cz(1);
	const long room = 128;
	long base, cached, limit;
	struct mbuf **mv;
	int i, round;

	mv = kunit_kcalloc(test, room, sizeof(*mv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mv);
	mbuf_zk_quiesce();
	base = mbuf_jp_charged(cz);
	limit = base + room;
	mbuf_zone_set_limit(cz, limit);
	KUNIT_EXPECT_LE(test, mbuf_zone_cache_share(pz),
			limit / MBUF_ZONE_CACHE_FRACTION / 2);
	migrate_disable();
	for (round = 0; round < 2; round++) {
		for (i = 0; i < room; i++) {
			mv[i] = round ? (void *)uma_zalloc(zone_jumbo9, M_NOWAIT) :
				mbuf_jp_get(1, M_NOWAIT);
			if (!mv[i])
				break;
		}
		KUNIT_EXPECT_EQ(test, i, (int)room);
		while (i--) {
			if (round)
				uma_zfree(zone_jumbo9, mv[i]);
			else
				m_freem(mv[i]);
		}
		cached = mbuf_zone_cached(cz) + mbuf_zone_cached(pz);
		KUNIT_EXPECT_LE_MSG(test, cached,
				    limit / MBUF_ZONE_CACHE_FRACTION,
				    "round %d", round);
	}
	/* 7/8 of the room is there for the taking, drains or not */
	for (i = 0; i < room - limit / MBUF_ZONE_CACHE_FRACTION; i++) {
		mv[i] = (void *)uma_zalloc(zone_jumbo9, M_NOWAIT);
		if (!mv[i])
			break;
	}
	KUNIT_EXPECT_EQ(test, i, (int)(room - limit / MBUF_ZONE_CACHE_FRACTION));
	while (i--)
		uma_zfree(zone_jumbo9, mv[i]);
	migrate_enable();
}

/* The shrinker counts cached pairs and gives them all back. */
static void mbuf_jumbo_pack_shrinker(struct kunit *test)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nr_to_scan = 1 };
	unsigned long cached[3], count, freed;
	long cc0[3];
	int k;

	mbuf_zk_quiesce();
	migrate_disable();
	for (k = 0; k < ARRAY_SIZE(mbuf_jp_sizes); k++) {
		cc0[k] = mbuf_jp_charged(mbuf_jp_cz(k));
		cached[k] = mbuf_jp_fill(test, k, 3);
		KUNIT_EXPECT_GT(test, cached[k], 0UL);
	}
	migrate_enable();
	count = mbuf_reclaim_count(NULL, &sc);
	KUNIT_EXPECT_GE(test, count, cached[0] + cached[1] + cached[2]);
	freed = mbuf_reclaim_scan(NULL, &sc);
	KUNIT_EXPECT_GE(test, freed, cached[0] + cached[1] + cached[2]);
	mbuf_reclaim_wait();
	for (k = 0; k < ARRAY_SIZE(mbuf_jp_sizes); k++) {
		KUNIT_EXPECT_EQ(test, mbuf_zone_cached(mbuf_jp_pz(k)), 0UL);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(mbuf_jp_cz(k)), cc0[k]);
	}
}

/* The max-action (queued at any zone's limit) drains the pair caches. */
static void mbuf_jumbo_pack_max_action(struct kunit *test)
{
	unsigned long drains;
	int k;

	mbuf_zk_quiesce();
	migrate_disable();
	for (k = 0; k < ARRAY_SIZE(mbuf_jp_sizes); k++)
		KUNIT_EXPECT_GT(test, mbuf_jp_fill(test, k, 2), 0UL);
	migrate_enable();
	drains = mbuf_reclaim_drains();
	mbuf_reclaim_schedule(mbuf_jp_cz(2));
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_drains(), drains + 1);
	for (k = 0; k < ARRAY_SIZE(mbuf_jp_sizes); k++)
		KUNIT_EXPECT_EQ(test, mbuf_zone_cached(mbuf_jp_pz(k)), 0UL);
}

/* Pairing fails halfway: NULL, counted, nothing left charged. */
static void mbuf_jumbo_pack_fault(struct kunit *test)
{
	static const unsigned int masks[] = {
		MBUF_FAULT_ZONE(MBZ_MBUF), MBUF_FAULT_ZONE(MBZ_JUMBOP),
		MBUF_FAULT_JPACK,
	};
	struct mb_args args = { .flags = M_PKTHDR, .type = MT_DATA };
	uma_zone_t pz = mbuf_jp_pz(0), cz = mbuf_jp_cz(0);
	struct mbuf_zone_stats p0;
	long mc0, cc0;
	struct mbuf *m;
	int i;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		mbuf_zk_quiesce();
		migrate_disable();
		p0 = mbuf_zk_stats(pz);
		mc0 = mbuf_jp_charged(zone_mbuf);
		cc0 = mbuf_jp_charged(cz);
		mbuf_fault_set(masks[i], 0, 1);
		m = uma_zalloc_arg(pz, &args, M_NOWAIT);
		KUNIT_EXPECT_EQ_MSG(test, mbuf_fault_injected(), 1UL,
				    "mask %#x", masks[i]);
		mbuf_fault_clear();
		KUNIT_EXPECT_NULL_MSG(test, m, "mask %#x", masks[i]);
		if (m)
			m_freem(m);
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).fails, p0.fails + 1);
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).in_use, p0.in_use);
		KUNIT_EXPECT_EQ(test, mbuf_zone_cached(pz), 0UL);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(cz), cc0);
		KUNIT_EXPECT_EQ(test, mbuf_jp_charged(zone_mbuf),
				mbuf_zone_outstanding(zone_mbuf));
		KUNIT_EXPECT_LE(test, mbuf_jp_charged(zone_mbuf),
				mc0 + (long)zone_mbuf->batch);
		migrate_enable();
	}

	/* m_getjcl() under injection: a cluster fault fails it, as before */
	mbuf_zk_quiesce();
	m = mbuf_jp_get(0, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m_freem(m);			/* a pair cached on this CPU */
	p0 = mbuf_zk_stats(pz);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_JUMBOP), 0, 1);
	m = mbuf_jp_get(0, M_NOWAIT);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, m);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(pz).allocs, p0.allocs);
}

#define MBUF_JP_BUF	8192

/* The first two numbers "a/b" of the line of @buf containing @label. */
static void mbuf_jp_nums(struct kunit *test, const char *buf,
			 const char *label, unsigned long *a, unsigned long *b)
{
	const char *line = strstr(buf, label);
	int got;

	KUNIT_ASSERT_NOT_NULL_MSG(test, line, "no \"%s\" in:\n%s", label, buf);
	while (line > buf && line[-1] != '\n')
		line--;
	got = sscanf(line, "%lu/%lu", a, b);
	KUNIT_ASSERT_EQ_MSG(test, got, 2, "%s", label);
}

/* The USED column of a zone's row in /proc/net/mbuf/zones. */
static unsigned long mbuf_jp_zone_used(struct kunit *test, const char *buf,
				       const char *name)
{
	char label[32];
	const char *row;
	unsigned long used;
	unsigned int size;
	long limit;
	int got;

	snprintf(label, sizeof(label), "\n%s:", name);
	row = strstr(buf, label);
	KUNIT_ASSERT_NOT_NULL_MSG(test, row, "no row %s in:\n%s", name, buf);
	got = sscanf(row + strlen(label), " %u, %ld, %lu", &size, &limit,
		     &used);
	KUNIT_ASSERT_EQ(test, got, 3);
	KUNIT_EXPECT_EQ(test, size, (unsigned int)MSIZE);
	return used;
}

struct mbuf_jp_view {
	unsigned long pair_cur, pair_cache, j9_cur, j9_cache, mbufs, used;
};

static void mbuf_jp_view(struct kunit *test, struct vfsmount *mnt, char *buf,
			 struct mbuf_jp_view *v)
{
	unsigned long cache;

	KUNIT_ASSERT_GT(test, mbuf_procfs_read(mnt, "net/mbuf/netstat", buf,
					       MBUF_JP_BUF), (ssize_t)0);
	mbuf_jp_nums(test, buf,
		     " mbuf+9k jumbo clusters out of jumbo packet zone in use (current/cache)",
		     &v->pair_cur, &v->pair_cache);
	mbuf_jp_nums(test, buf, " 9k jumbo clusters in use (current/cache/total/max)",
		     &v->j9_cur, &v->j9_cache);
	mbuf_jp_nums(test, buf, " mbufs in use (current/cache/total)",
		     &v->mbufs, &cache);
	KUNIT_ASSERT_GT(test, mbuf_procfs_read(mnt, "net/mbuf/zones", buf,
					       MBUF_JP_BUF), (ssize_t)0);
	v->used = mbuf_jp_zone_used(test, buf, MBUF_PACKET_JUMBO9_NAME);
}

/* netstat -m and the zones file count a pair held by a driver. */
static void mbuf_jumbo_pack_procfs(struct kunit *test)
{
	struct mbuf_jp_view a, b;
	struct vfsmount *mnt;
	struct mbuf *m;
	char *buf;

	buf = kunit_kzalloc(test, MBUF_JP_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	mnt = mbuf_procfs_mount(test);
	KUNIT_ASSERT_NOT_NULL(test, mnt);
	mbuf_zk_quiesce();
	mbuf_jp_view(test, mnt, buf, &a);
	KUNIT_EXPECT_EQ(test, a.pair_cache, 0UL);
	m = mbuf_jp_get(1, M_WAITOK);
	if (!m) {
		mntput(mnt);
		KUNIT_FAIL(test, "m_getjcl(M_WAITOK) returned NULL");
		return;
	}
	mbuf_jp_view(test, mnt, buf, &b);
	KUNIT_EXPECT_EQ(test, b.pair_cur, a.pair_cur + 1);
	KUNIT_EXPECT_EQ(test, b.pair_cache, (unsigned long)mbuf_jp_pz(1)->batch - 1);
	KUNIT_EXPECT_EQ(test, b.j9_cur, a.j9_cur + 1);
	KUNIT_EXPECT_EQ(test, b.j9_cache, a.j9_cache + b.pair_cache);
	KUNIT_EXPECT_EQ(test, b.mbufs, a.mbufs + 1);
	KUNIT_EXPECT_EQ(test, b.used, a.used + 1);
	m_freem(m);
	mbuf_zk_quiesce();
	mbuf_jp_view(test, mnt, buf, &b);
	KUNIT_EXPECT_EQ(test, b.pair_cur, a.pair_cur);
	KUNIT_EXPECT_EQ(test, b.pair_cache, 0UL);
	KUNIT_EXPECT_EQ(test, b.j9_cur, a.j9_cur);
	KUNIT_EXPECT_EQ(test, b.used, a.used);
	mntput(mnt);
}

static struct kunit_case mbuf_jumbo_pack_cases[] = {
	KUNIT_CASE(mbuf_jumbo_pack_pairing),
	KUNIT_CASE(mbuf_jumbo_pack_waitok_and_2k),
	KUNIT_CASE(mbuf_jumbo_pack_free_paths),
	KUNIT_CASE(mbuf_jumbo_pack_limit_drain),
	KUNIT_CASE(mbuf_jumbo_pack_cache_bound),
	KUNIT_CASE(mbuf_jumbo_pack_shrinker),
	KUNIT_CASE(mbuf_jumbo_pack_max_action),
	KUNIT_CASE(mbuf_jumbo_pack_fault),
	KUNIT_CASE(mbuf_jumbo_pack_procfs),
	{}
};

static struct kunit_suite mbuf_jumbo_pack_suite = {
	.name = "mbuf_jumbo_pack",
	.init = mbuf_zk_init,
	.exit = mbuf_zk_exit,
	.test_cases = mbuf_jumbo_pack_cases,
};

kunit_test_suite(mbuf_jumbo_pack_suite);
