// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_stats: /proc/net/mbuf/{netstat,zones,mbstat}.
 *
 * Strategy. The files are read through a private procfs mount, exactly as
 * an administrator reads them, and parsed back into numbers. A case takes
 * the numbers, makes a known set of allocations (plain mbufs, clusters,
 * packets from the packet zone, and every jumbo size), reads again and
 * checks that each counter moved by exactly what it made, that the byte
 * totals agree with the item sizes, that cache + current = total, that
 * the limits shown are the live limits, and that after freeing everything
 * the "current" numbers are back where they were. A failed M_NOWAIT
 * allocation (a limit lowered to what the zone holds) must show in the
 * "denied" line and the zone's FAIL column; a drain must show in m_drain,
 * a failed m_copym() (fault injection) in m_mcfail.
 * mbstat's constant fields are compared with the header's values.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "mbuf_kpi_kunit.h"
#include "mbuf_procfs.h"

#define MBUF_STATS_BUF	8192
#define MBUF_STATS_N	4

struct mbuf_stats_netstat {
	unsigned long mbufs[3];		/* current/cache/total */
	unsigned long clust[4];		/* current/cache/total/max */
	unsigned long pack[2];		/* current/cache */
	unsigned long jumbo[3][4];	/* page, 9k, 16k: current/cache/total/max */
	unsigned long kbytes[3];	/* current/cache/total */
	unsigned long denied[3];	/* mbufs/clusters/mbuf+clusters */
	unsigned long delayed[3];
	unsigned long jdelayed[3];	/* page/9k/16k */
	unsigned long jdenied[3];
	unsigned long drains;
};

struct mbuf_stats_zone_row {
	unsigned int size;
	long limit;
	unsigned long used, free, req, fail, sleep;
};

struct mbuf_stats_ctx {
	struct mbuf_kunit_baseline base;	/* first: mbuf_kunit_exit() reads it */
	struct vfsmount *mnt;
	char *buf;
};

static const char *mbuf_stats_line(struct kunit *test, const char *text,
				   const char *label)
{
	const char *hit = strstr(text, label);
	const char *line;

	KUNIT_ASSERT_NOT_NULL_MSG(test, hit, "no line \"%s\" in:\n%s", label,
				  text);
	line = hit;
	while (line > text && line[-1] != '\n')
		line--;
	return line;
}

/* Parse n numbers "a/b/c" (each optionally followed by K) at a line start. */
static void mbuf_stats_nums(struct kunit *test, const char *text,
			    const char *label, unsigned long *v, int n)
{
	const char *p = mbuf_stats_line(test, text, label);
	int i, used, got;

	for (i = 0; i < n; i++) {
		got = sscanf(p, "%lu%n", &v[i], &used);
		KUNIT_ASSERT_EQ_MSG(test, got, 1, "field %d of \"%s\"", i,
				    label);
		p += used;
		if (*p == 'K')
			p++;
		if (i < n - 1) {
			KUNIT_ASSERT_EQ_MSG(test, *p, '/', "after field %d of \"%s\"",
					    i, label);
			p++;
		}
	}
	KUNIT_ASSERT_EQ_MSG(test, *p, ' ', "\"%s\" has more fields", label);
}

static void mbuf_stats_read(struct kunit *test, const char *file)
{
	struct mbuf_stats_ctx *ctx = test->priv;
	char path[32];

	snprintf(path, sizeof(path), "net/mbuf/%s", file);
	KUNIT_ASSERT_GT(test, mbuf_procfs_read(ctx->mnt, path, ctx->buf,
					       MBUF_STATS_BUF),
			(ssize_t)0);
	KUNIT_ASSERT_LT(test, strlen(ctx->buf), (size_t)MBUF_STATS_BUF - 1);
}

static void mbuf_stats_netstat(struct kunit *test,
			       struct mbuf_stats_netstat *ns)
{
	struct mbuf_stats_ctx *ctx = test->priv;
	const char *t = ctx->buf;
	char label[64];

	mbuf_stats_read(test, "netstat");
	mbuf_stats_nums(test, t, " mbufs in use (current/cache/total)\n",
			ns->mbufs, 3);
	mbuf_stats_nums(test, t,
			" mbuf clusters in use (current/cache/total/max)\n",
			ns->clust, 4);
	mbuf_stats_nums(test, t,
			" mbuf+clusters out of packet secondary zone in use (current/cache)\n",
			ns->pack, 2);
	snprintf(label, sizeof(label), " %luk (page size) jumbo clusters in use",
		 MJUMPAGESIZE / 1024);
	mbuf_stats_nums(test, t, label, ns->jumbo[0], 4);
	mbuf_stats_nums(test, t, " 9k jumbo clusters in use (current/cache/total/max)\n",
			ns->jumbo[1], 4);
	mbuf_stats_nums(test, t, " 16k jumbo clusters in use (current/cache/total/max)\n",
			ns->jumbo[2], 4);
	mbuf_stats_nums(test, t, " bytes allocated to network (current/cache/total)\n",
			ns->kbytes, 3);
	mbuf_stats_nums(test, t,
			" requests for mbufs denied (mbufs/clusters/mbuf+clusters)\n",
			ns->denied, 3);
	mbuf_stats_nums(test, t,
			" requests for mbufs delayed (mbufs/clusters/mbuf+clusters)\n",
			ns->delayed, 3);
	mbuf_stats_nums(test, t, " requests for jumbo clusters delayed (",
			ns->jdelayed, 3);
	mbuf_stats_nums(test, t, " requests for jumbo clusters denied (",
			ns->jdenied, 3);
	mbuf_stats_nums(test, t, " calls to protocol drain routines\n",
			&ns->drains, 1);
}

static void mbuf_stats_zone(struct kunit *test, const char *name,
			    struct mbuf_stats_zone_row *r)
{
	struct mbuf_stats_ctx *ctx = test->priv;
	char label[40];
	const char *line;
	int got;

	snprintf(label, sizeof(label), "\n%s:", name);
	line = strstr(ctx->buf, label);
	KUNIT_ASSERT_NOT_NULL_MSG(test, line, "no row %s in:\n%s", name,
				  ctx->buf);
	got = sscanf(line + strlen(label), " %u, %ld, %lu, %lu, %lu, %lu, %lu",
		     &r->size, &r->limit, &r->used, &r->free, &r->req, &r->fail,
		     &r->sleep);
	KUNIT_ASSERT_EQ_MSG(test, got, 7, "zone row \"%.80s\"", line + 1);
}

static int mbuf_stats_case_init(struct kunit *test)
{
	struct mbuf_stats_ctx *ctx;
	int err;

	/* quiet caches, so that only this case's items move the numbers */
	mbuf_reclaim_wait();
	err = mbuf_kunit_init(test);
	if (err)
		return err;
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->base = *(struct mbuf_kunit_baseline *)test->priv;
	test->priv = ctx;
	ctx->buf = kunit_kzalloc(test, MBUF_STATS_BUF, GFP_KERNEL);
	if (!ctx->buf)
		return -ENOMEM;
	ctx->mnt = mbuf_procfs_mount(test);
	return ctx->mnt ? 0 : -ENODEV;
}

static void mbuf_stats_case_exit(struct kunit *test)
{
	struct mbuf_stats_ctx *ctx = test->priv;

	mbuf_reclaim_wait();
	if (ctx && ctx->mnt)
		mntput(ctx->mnt);
	mbuf_kunit_exit(test);
}

struct mbuf_stats_items {
	struct mbuf *m[MBUF_STATS_N];		/* plain mbufs */
	void *cl[MBUF_STATS_N];			/* bare clusters */
	struct mbuf *pk[MBUF_STATS_N];		/* packets (m_getcl) */
	void *j[3][MBUF_STATS_N];		/* page, 9k, 16k */
};

static uma_zone_t mbuf_stats_jzone(int k)
{
	return k == 0 ? zone_jumbop : k == 1 ? zone_jumbo9 : zone_jumbo16;
}

static void mbuf_stats_alloc(struct kunit *test, struct mbuf_stats_items *it)
{
	int i, k;

	for (i = 0; i < MBUF_STATS_N; i++) {
		it->m[i] = m_get(M_WAITOK, MT_DATA);
		it->cl[i] = uma_zalloc(zone_clust, M_WAITOK);
		it->pk[i] = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
		KUNIT_ASSERT_NOT_NULL(test, it->m[i]);
		KUNIT_ASSERT_NOT_NULL(test, it->cl[i]);
		KUNIT_ASSERT_NOT_NULL(test, it->pk[i]);
		for (k = 0; k < 3; k++) {
			it->j[k][i] = uma_zalloc(mbuf_stats_jzone(k), M_WAITOK);
			KUNIT_ASSERT_NOT_NULL(test, it->j[k][i]);
		}
	}
}

static void mbuf_stats_free(struct mbuf_stats_items *it)
{
	int i, k;

	for (i = 0; i < MBUF_STATS_N; i++) {
		m_free(it->m[i]);
		uma_zfree(zone_clust, it->cl[i]);
		m_freem(it->pk[i]);
		for (k = 0; k < 3; k++)
			uma_zfree(mbuf_stats_jzone(k), it->j[k][i]);
	}
}

static void mbuf_stats_netstat_counts(struct kunit *test)
{
	static const unsigned long jsize[3] = {
		MJUMPAGESIZE, MJUM9BYTES, MJUM16BYTES,
	};
	const int *jmax[3] = { &nmbjumbop, &nmbjumbo9, &nmbjumbo16 };
	struct mbuf_stats_netstat a, b, c;
	struct mbuf_stats_items *it;
	unsigned long bytes;
	int i, k;

	it = kunit_kzalloc(test, sizeof(*it), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, it);
	mbuf_stats_netstat(test, &a);
	mbuf_stats_alloc(test, it);
	mbuf_stats_netstat(test, &b);

	/* each packet is an mbuf and a cluster */
	KUNIT_EXPECT_EQ(test, b.mbufs[0], a.mbufs[0] + 2 * MBUF_STATS_N);
	KUNIT_EXPECT_EQ(test, b.clust[0], a.clust[0] + 2 * MBUF_STATS_N);
	KUNIT_EXPECT_EQ(test, b.pack[0], a.pack[0] + MBUF_STATS_N);
	for (k = 0; k < 3; k++) {
		KUNIT_EXPECT_EQ(test, b.jumbo[k][0], a.jumbo[k][0] + MBUF_STATS_N);
		KUNIT_EXPECT_EQ(test, b.jumbo[k][2],
				b.jumbo[k][0] + b.jumbo[k][1]);
		KUNIT_EXPECT_EQ(test, b.jumbo[k][3], (unsigned long)*jmax[k]);
	}
	KUNIT_EXPECT_EQ(test, b.mbufs[2], b.mbufs[0] + b.mbufs[1]);
	KUNIT_EXPECT_EQ(test, b.clust[2], b.clust[0] + b.clust[1]);
	KUNIT_EXPECT_EQ(test, b.clust[3], (unsigned long)nmbclusters);

	/* the byte count follows the item counts (K, rounded down) */
	bytes = b.mbufs[0] * MSIZE + b.clust[0] * MCLBYTES;
	for (k = 0; k < 3; k++)
		bytes += b.jumbo[k][0] * jsize[k];
	KUNIT_EXPECT_EQ(test, b.kbytes[0], bytes / 1024);
	bytes = b.mbufs[1] * MSIZE + b.clust[1] * MCLBYTES;
	for (k = 0; k < 3; k++)
		bytes += b.jumbo[k][1] * jsize[k];
	KUNIT_EXPECT_EQ(test, b.kbytes[1], bytes / 1024);
	KUNIT_EXPECT_LE(test, b.kbytes[2] - b.kbytes[0] - b.kbytes[1], 1UL);

	mbuf_stats_free(it);
	mbuf_stats_netstat(test, &c);
	KUNIT_EXPECT_EQ(test, c.mbufs[0], a.mbufs[0]);
	KUNIT_EXPECT_EQ(test, c.clust[0], a.clust[0]);
	KUNIT_EXPECT_EQ(test, c.pack[0], a.pack[0]);
	for (k = 0; k < 3; k++)
		KUNIT_EXPECT_EQ(test, c.jumbo[k][0], a.jumbo[k][0]);
	KUNIT_EXPECT_EQ(test, c.kbytes[0], a.kbytes[0]);
	/* nothing was denied or delayed on the way */
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, c.denied[i], a.denied[i]);
		KUNIT_EXPECT_EQ(test, c.jdenied[i], a.jdenied[i]);
		KUNIT_EXPECT_EQ(test, c.delayed[i], a.delayed[i]);
		KUNIT_EXPECT_EQ(test, c.jdelayed[i], a.jdelayed[i]);
	}
}

static void mbuf_stats_zones_rows(struct kunit *test)
{
	static const struct {
		const char *name;
		unsigned int size;
		const int *limit;
		int made;		/* by mbuf_stats_alloc() */
	} z[] = {
		{ MBUF_PACKET_MEM_NAME, MSIZE, NULL, MBUF_STATS_N },
		{ MBUF_MEM_NAME, MSIZE, &nmbufs, MBUF_STATS_N },
		{ MBUF_CLUSTER_MEM_NAME, MCLBYTES, &nmbclusters, MBUF_STATS_N },
		{ MBUF_JUMBOP_MEM_NAME, MJUMPAGESIZE, &nmbjumbop, MBUF_STATS_N },
		{ MBUF_JUMBO9_MEM_NAME, MJUM9BYTES, &nmbjumbo9, MBUF_STATS_N },
		{ MBUF_JUMBO16_MEM_NAME, MJUM16BYTES, &nmbjumbo16, MBUF_STATS_N },
	};
	struct mbuf_stats_ctx *ctx = test->priv;
	struct mbuf_stats_zone_row a[ARRAY_SIZE(z)], b;
	struct mbuf_stats_items *it;
	int i;

	it = kunit_kzalloc(test, sizeof(*it), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, it);
	mbuf_stats_read(test, "zones");
	KUNIT_EXPECT_EQ(test, strncmp(ctx->buf, "ITEM", 4), 0);
	for (i = 0; i < ARRAY_SIZE(z); i++) {
		mbuf_stats_zone(test, z[i].name, &a[i]);
		KUNIT_EXPECT_EQ_MSG(test, a[i].size, z[i].size, "%s", z[i].name);
		if (z[i].limit)
			KUNIT_EXPECT_EQ_MSG(test, a[i].limit, (long)*z[i].limit,
					    "%s", z[i].name);
	}

	mbuf_stats_alloc(test, it);
	mbuf_stats_read(test, "zones");
	for (i = 0; i < ARRAY_SIZE(z); i++) {
		mbuf_stats_zone(test, z[i].name, &b);
		KUNIT_EXPECT_EQ_MSG(test, b.used, a[i].used + z[i].made, "%s",
				    z[i].name);
		KUNIT_EXPECT_GE_MSG(test, b.req, a[i].req + z[i].made, "%s",
				    z[i].name);
		KUNIT_EXPECT_EQ_MSG(test, b.fail, a[i].fail, "%s", z[i].name);
	}
	mbuf_stats_free(it);
	mbuf_stats_read(test, "zones");
	for (i = 0; i < ARRAY_SIZE(z); i++) {
		mbuf_stats_zone(test, z[i].name, &b);
		KUNIT_EXPECT_EQ_MSG(test, b.used, a[i].used, "%s", z[i].name);
	}
}

/* A failed M_NOWAIT allocation shows as denied, per zone. */
static void mbuf_stats_denied(struct kunit *test)
{
	uma_zone_t zone = &mbuf_zones[MBZ_JUMBO9];
	struct mbuf_stats_netstat a, b;
	struct mbuf_stats_zone_row ra, rb;
	struct mbuf_zone_stats st;
	void *keep;

	mbuf_stats_netstat(test, &a);
	mbuf_stats_read(test, "zones");
	mbuf_stats_zone(test, MBUF_JUMBO9_MEM_NAME, &ra);

	keep = uma_zalloc(zone_jumbo9, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	mbuf_zone_flush_all(zone);
	mbuf_zone_get_stats(zone, &st);
	mbuf_zone_set_limit(zone, st.charged);
	KUNIT_EXPECT_NULL(test, uma_zalloc(zone_jumbo9, M_NOWAIT));
	mbuf_zone_set_limit(zone, nmbjumbo9);
	uma_zfree(zone_jumbo9, keep);

	mbuf_stats_netstat(test, &b);
	KUNIT_EXPECT_EQ(test, b.jdenied[0], a.jdenied[0]);
	KUNIT_EXPECT_EQ(test, b.jdenied[1], a.jdenied[1] + 1);
	KUNIT_EXPECT_EQ(test, b.jdenied[2], a.jdenied[2]);
	KUNIT_EXPECT_EQ(test, b.denied[1], a.denied[1]);
	mbuf_stats_read(test, "zones");
	mbuf_stats_zone(test, MBUF_JUMBO9_MEM_NAME, &rb);
	KUNIT_EXPECT_EQ(test, rb.fail, ra.fail + 1);
	KUNIT_EXPECT_EQ(test, rb.limit, (long)nmbjumbo9);
}

static unsigned long mbuf_stats_mbstat_field(struct kunit *test,
					     const char *name)
{
	struct mbuf_stats_ctx *ctx = test->priv;
	char label[32];
	unsigned long v;
	const char *line;
	int got;

	snprintf(label, sizeof(label), "%s ", name);
	line = mbuf_stats_line(test, ctx->buf, label);
	got = sscanf(line + strlen(label), "%lu", &v);
	KUNIT_ASSERT_EQ_MSG(test, got, 1, "%s", name);
	return v;
}

static void mbuf_stats_mbstat(struct kunit *test)
{
	unsigned long drains;
	struct mbstat mbs;

	mbuf_stats_read(test, "mbstat");
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_msize"),
			(unsigned long)MSIZE);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mclbytes"),
			(unsigned long)MCLBYTES);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_minclsize"),
			(unsigned long)MINCLSIZE);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mlen"),
			(unsigned long)MLEN);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mhlen"),
			(unsigned long)MHLEN);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_numtypes"),
			(unsigned long)MT_NTYPES);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "sf_iocnt"), 0UL);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "sf_allocfail"),
			0UL);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "sf_allocwait"),
			0UL);
	mbuf_mbstat_get(&mbs);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mbufs"),
			mbs.m_mbufs);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mclusts"),
			mbs.m_mclusts);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mcfail"),
			mbs.m_mcfail);
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mpfail"),
			mbs.m_mpfail);

	drains = mbuf_stats_mbstat_field(test, "m_drain");
	KUNIT_EXPECT_EQ(test, drains, mbuf_reclaim_drains());
	mbuf_reclaim_schedule(&mbuf_zones[MBZ_MBUF]);
	mbuf_reclaim_wait();
	mbuf_stats_read(test, "mbstat");
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_drain"),
			drains + 1);
}

/*
 * A failed m_copym() counts in mbstat's m_mcfail, as FreeBSD's does; a
 * successful one does not. The copy of a two-mbuf chain fails at its
 * first and at its second mbuf (the first then freed: the zone baseline).
 */
static void mbuf_stats_mcfail(struct kunit *test)
{
	unsigned long before;
	struct mbstat mbs;
	struct mbuf *m, *n;
	int skip;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_next = m_get(M_WAITOK, MT_DATA);
	m->m_len = 64;
	m->m_next->m_len = 32;
	m->m_pkthdr.len = 96;
	memset(mtod(m, void *), 0x5a, 64);
	memset(mtod(m->m_next, void *), 0xa5, 32);
	mbuf_stats_read(test, "mbstat");
	before = mbuf_stats_mbstat_field(test, "m_mcfail");

	n = m_copym(m, 0, M_COPYALL, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, n);
	m_freem(n);
	mbuf_stats_read(test, "mbstat");
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mcfail"),
			before);

	for (skip = 0; skip < 2; skip++) {
		mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), skip, 1);
		n = m_copym(m, 0, M_COPYALL, M_NOWAIT);
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
		mbuf_fault_clear();
		KUNIT_EXPECT_NULL(test, n);
		m_freem(n);
	}
	mbuf_stats_read(test, "mbstat");
	KUNIT_EXPECT_EQ(test, mbuf_stats_mbstat_field(test, "m_mcfail"),
			before + 2);
	mbuf_mbstat_get(&mbs);
	KUNIT_EXPECT_EQ(test, mbs.m_mcfail, before + 2);
	m_freem(m);
}

static struct kunit_case mbuf_stats_cases[] = {
	KUNIT_CASE(mbuf_stats_netstat_counts),
	KUNIT_CASE(mbuf_stats_zones_rows),
	KUNIT_CASE(mbuf_stats_denied),
	KUNIT_CASE(mbuf_stats_mbstat),
	KUNIT_CASE(mbuf_stats_mcfail),
	{}
};

static struct kunit_suite mbuf_stats_suite = {
	.name = "mbuf_stats",
	.init = mbuf_stats_case_init,
	.exit = mbuf_stats_case_exit,
	.test_cases = mbuf_stats_cases,
};

kunit_test_suites(&mbuf_stats_suite);
