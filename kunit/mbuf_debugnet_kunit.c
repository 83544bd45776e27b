// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_debugnet: the preallocated pools behind debugnet_mbuf_start().
 *
 * Strategy. Each case sets pools aside with debugnet_mbuf_reinit(),
 * records the statistics of the six regular zones, starts a session and
 * allocates with interrupts off (as netpoll does) through the ordinary KPI
 * -- m_get, m_getcl, m_getjcl, m_clget, uma_zalloc on the zone pointers --
 * until the pools run dry. Against the seed's debugnet code:
 *  - during a session the zone pointers are the stand-ins, every cluster
 *    zone hands out clusters of the pool's size, and exactly nmbuf mbufs
 *    and nclust clusters can be had: then NULL;
 *  - the regular zones are not touched at all (their allocation and free
 *    counts stay the same: no slab, no page allocator);
 *  - frees go back to the pools (a pool can be emptied again, as often as
 *    wanted); a packet that finds an mbuf but no cluster puts the mbuf
 *    back;
 *  - finish restores the pointers; buffers of the regular zones freed
 *    during the session are handed back to them then, pool buffers freed
 *    after it stay with the regular zones, and drain returns the rest:
 *    every zone ends at its baseline (nothing lost, nothing freed twice);
 *  - M_WAITOK on an empty pool waits until a pool buffer is freed.
 * Each case runs for every pool cluster size where that matters.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include "mbuf_kpi_kunit.h"

#define DN_NMBUF	8
#define DN_NCLUST	6

struct mbuf_dn_snap {
	unsigned long allocs[MBZ_NZONES], frees[MBZ_NZONES];
};

static void mbuf_dn_snap(struct mbuf_dn_snap *s)
{
	struct mbuf_zone_stats st;
	int z;

	for (z = 0; z < MBZ_NZONES; z++) {
		mbuf_zone_get_stats(MBZ(z), &st);
		s->allocs[z] = st.allocs;
		s->frees[z] = st.frees;
	}
}

/* The regular zones saw no allocation or free since @s. */
static void mbuf_dn_untouched(struct kunit *test, const struct mbuf_dn_snap *s)
{
	struct mbuf_dn_snap now;
	int z;

	mbuf_dn_snap(&now);
	for (z = 0; z < MBZ_NZONES; z++) {
		KUNIT_EXPECT_EQ_MSG(test, now.allocs[z], s->allocs[z],
				    "zone %s allocated", MBZ(z)->name);
		KUNIT_EXPECT_EQ_MSG(test, now.frees[z], s->frees[z],
				    "zone %s freed", MBZ(z)->name);
	}
}

static uma_zone_t *const mbuf_dn_ptrs[MBZ_NZONES] = {
	&zone_mbuf, &zone_clust, &zone_pack, &zone_jumbop, &zone_jumbo9,
	&zone_jumbo16,
};

static void mbuf_dn_regular(struct kunit *test)
{
	int z;

	for (z = 0; z < MBZ_NZONES; z++)
		KUNIT_EXPECT_PTR_EQ(test, *mbuf_dn_ptrs[z], MBZ(z));
}

/* What an allocation loop did, recorded with interrupts off. */
#define DN_MAX	32
struct mbuf_dn_run {
	int kind, size, n;
	struct mbuf *m[DN_MAX];
	void *cl[DN_MAX];
};

enum { DN_GET, DN_GETCL, DN_GETJCL, DN_CLGET, DN_BARE };

static void mbuf_dn_alloc_all(void *arg)
{
	struct mbuf_dn_run *r = arg;
	struct mbuf *m;

	for (r->n = 0; r->n < DN_MAX; r->n++) {
		m = NULL;
		switch (r->kind) {
		case DN_GET:
			m = m_get(M_NOWAIT, MT_DATA);
			break;
		case DN_GETCL:
			m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
			break;
		case DN_GETJCL:
			m = m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, r->size);
			break;
		case DN_CLGET:
			m = m_get(M_NOWAIT, MT_DATA);
			if (m && !m_clget(m, M_NOWAIT)) {
				m_free(m);
				m = NULL;
			}
			break;
		case DN_BARE:
			r->cl[r->n] = uma_zalloc(zone_clust, M_NOWAIT);
			if (!r->cl[r->n])
				return;
			continue;
		}
		if (!m)
			return;
		r->m[r->n] = m;
	}
}

static void mbuf_dn_free_all(void *arg)
{
	struct mbuf_dn_run *r = arg;
	int i;

	for (i = 0; i < r->n; i++) {
		if (r->kind == DN_BARE)
			uma_zfree(zone_clust, r->cl[i]);
		else
			m_freem(r->m[i]);
	}
}

/* Allocate until NULL with interrupts off, check, free, twice. */
static void mbuf_dn_drain_pool(struct kunit *test, int kind, int size,
			       int want, int clsize)
{
	struct mbuf_dn_run *r;
	int round, i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->kind = kind;
	r->size = size;
	for (round = 0; round < 2; round++) {
		mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_alloc_all, r);
		KUNIT_EXPECT_EQ_MSG(test, r->n, want, "kind %d, round %d",
				    kind, round);
		for (i = 0; kind != DN_GET && kind != DN_BARE && i < r->n; i++) {
			struct mbuf *m = r->m[i];

			KUNIT_EXPECT_TRUE(test, m->m_flags & M_EXT);
			KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, (u32)clsize);
			KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type,
					m_gettype(clsize));
			KUNIT_EXPECT_PTR_EQ(test, m->m_data, m->m_ext.ext_buf);
		}
		mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_free_all, r);
	}
}

static const int mbuf_dn_sizes[] = {
	MCLBYTES, MJUMPAGESIZE, MJUM9BYTES, MJUM16BYTES,
};

static void mbuf_dn_size_desc(const int *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "clsize %d", *size);
}

KUNIT_ARRAY_PARAM(mbuf_dn_size, mbuf_dn_sizes, mbuf_dn_size_desc);

/* A session is served by the pools alone, and ends where it began. */
static void mbuf_debugnet_session(struct kunit *test)
{
	int clsize = *(const int *)test->param_value;
	struct mbuf_dn_snap snap;
	int z;

	debugnet_mbuf_reinit(DN_NMBUF, DN_NCLUST, clsize);
	mbuf_dn_snap(&snap);
	debugnet_mbuf_start();
	for (z = 0; z < MBZ_NZONES; z++) {
		KUNIT_EXPECT_PTR_NE(test, *mbuf_dn_ptrs[z], MBZ(z));
		KUNIT_EXPECT_EQ(test, strncmp((*mbuf_dn_ptrs[z])->name,
					      "debugnet_", 9), 0);
	}
	/* every cluster zone hands out pool-sized clusters */
	KUNIT_EXPECT_EQ(test, zone_clust->size, (u32)clsize);
	KUNIT_EXPECT_EQ(test, zone_jumbop->size, (u32)clsize);
	KUNIT_EXPECT_EQ(test, zone_jumbo9->size, (u32)clsize);
	KUNIT_EXPECT_EQ(test, zone_jumbo16->size, (u32)clsize);

	mbuf_dn_drain_pool(test, DN_GET, 0, DN_NMBUF, clsize);
	mbuf_dn_drain_pool(test, DN_GETCL, 0, DN_NCLUST, clsize);
	mbuf_dn_drain_pool(test, DN_GETJCL, MJUM16BYTES, DN_NCLUST, clsize);
	mbuf_dn_drain_pool(test, DN_GETJCL, MJUMPAGESIZE, DN_NCLUST, clsize);
	mbuf_dn_drain_pool(test, DN_CLGET, 0, DN_NCLUST, clsize);
	mbuf_dn_drain_pool(test, DN_BARE, 0, DN_NCLUST, clsize);
	mbuf_dn_untouched(test, &snap);

	debugnet_mbuf_finish();
	mbuf_dn_regular(test);
	debugnet_mbuf_drain();
}

/* A packet that gets an mbuf but no cluster gives the mbuf back. */
static void mbuf_debugnet_pairs(struct kunit *test)
{
	struct mbuf_dn_run *r, *q;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, q);
	debugnet_mbuf_reinit(4, 2, MCLBYTES);
	debugnet_mbuf_start();
	r->kind = DN_GETCL;
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_alloc_all, r);
	KUNIT_EXPECT_EQ(test, r->n, 2);
	q->kind = DN_GET;
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_alloc_all, q);
	KUNIT_EXPECT_EQ(test, q->n, 2);
	/* a freed packet comes apart: its mbuf serves m_get again */
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_free_all, r);
	r->kind = DN_GET;
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_alloc_all, r);
	KUNIT_EXPECT_EQ(test, r->n, 2);
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_free_all, r);
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_dn_free_all, q);
	debugnet_mbuf_finish();
	debugnet_mbuf_drain();
}

/*
 * Buffers of the regular zones freed during a session are kept apart and
 * returned at finish; they never join a pool, even of the right size.
 */
static void mbuf_debugnet_foreign(struct kunit *test)
{
	int clsize = *(const int *)test->param_value;
	struct mbuf *pkt, *m, *jm, *mc;
	struct mbuf_dn_snap snap;
	void *cl, *jcl;
	int z;

	debugnet_mbuf_reinit(DN_NMBUF, DN_NCLUST, clsize);
	pkt = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);		/* EXT_PACKET */
	m = m_get(M_WAITOK, MT_DATA);
	jm = m_getjcl(M_WAITOK, MT_DATA, 0, MJUM9BYTES);
	mc = m_getjcl(M_WAITOK, MT_DATA, 0, MJUMPAGESIZE);
	cl = uma_zalloc(zone_clust, M_WAITOK);
	jcl = uma_zalloc(zone_jumbo16, M_WAITOK);
	mbuf_dn_snap(&snap);

	debugnet_mbuf_start();
	m_freem(pkt);
	m_freem(m);
	m_freem(jm);
	m_freem(mc);
	uma_zfree(zone_clust, cl);
	uma_zfree(zone_jumbo16, jcl);
	mbuf_dn_untouched(test, &snap);
	/* the pools hold exactly what reinit put there */
	mbuf_dn_drain_pool(test, DN_GET, 0, DN_NMBUF, clsize);
	mbuf_dn_drain_pool(test, DN_BARE, 0, DN_NCLUST, clsize);
	debugnet_mbuf_finish();

	/* handed back at finish: only the pools are still out */
	mbuf_kunit_flush();
	for (z = 0; z < MBZ_NZONES; z++)
		KUNIT_EXPECT_EQ_MSG(test, mbuf_kunit_delta(test, z),
				    z == MBZ_MBUF ? (long)DN_NMBUF :
				    z != MBZ_PACK && MBZ(z)->size == clsize ?
				    (long)DN_NCLUST : 0L,
				    "zone %s", MBZ(z)->name);
	debugnet_mbuf_drain();
}

/* Pool buffers freed after finish belong to the regular zones. */
static void mbuf_debugnet_after_finish(struct kunit *test)
{
	struct mbuf_dn_run *r;
	struct mbuf *m;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	debugnet_mbuf_reinit(DN_NMBUF, DN_NCLUST, MCLBYTES);
	debugnet_mbuf_start();
	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	debugnet_mbuf_finish();
	m_freem(m);
	/* one of each short now */
	debugnet_mbuf_start();
	mbuf_dn_drain_pool(test, DN_GET, 0, DN_NMBUF - 1, MCLBYTES);
	mbuf_dn_drain_pool(test, DN_BARE, 0, DN_NCLUST - 1, MCLBYTES);
	debugnet_mbuf_finish();
	debugnet_mbuf_drain();
}

/* Without pools a session changes nothing; reinit replaces the pools. */
static void mbuf_debugnet_lifecycle(struct kunit *test)
{
	struct mbuf *m;

	debugnet_mbuf_drain();
	debugnet_mbuf_start();
	mbuf_dn_regular(test);
	m = m_get(M_NOWAIT, MT_DATA);
	KUNIT_EXPECT_NOT_NULL(test, m);
	m_free(m);
	debugnet_mbuf_finish();
	mbuf_dn_regular(test);

	debugnet_mbuf_reinit(DN_NMBUF, DN_NCLUST, MCLBYTES);
	debugnet_mbuf_reinit(3, 2, MJUM9BYTES);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 3L);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_CLUST), 0L);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_JUMBO9), 2L);
	debugnet_mbuf_start();
	mbuf_dn_drain_pool(test, DN_GET, 0, 3, MJUM9BYTES);
	mbuf_dn_drain_pool(test, DN_GETCL, 0, 2, MJUM9BYTES);
	debugnet_mbuf_finish();
	debugnet_mbuf_drain();
	debugnet_mbuf_drain();
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_JUMBO9), 0L);
}

/*
 * m_getcl() reads zone_pack and passes it on; a session may start before
 * the allocation looks at the zone again. The packet it returns must be
 * a packet all the same (mbuf with its cluster), not a plain mbuf.
 */
static void mbuf_debugnet_zone_read_before_start(struct kunit *test)
{
	struct mbuf *m;

	debugnet_mbuf_reinit(DN_NMBUF, DN_NCLUST, MCLBYTES);
	debugnet_mbuf_start();
	KUNIT_ASSERT_PTR_NE(test, zone_pack, MBZ(MBZ_PACK));
	m = mbuf_test_mb_alloc(MBZ(MBZ_PACK), M_NOWAIT, MT_DATA, M_PKTHDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_EXT);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, m->m_ext.ext_buf);
	KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_type, (u32)EXT_PACKET);
	KUNIT_EXPECT_EQ(test, M_SIZE(m), MCLBYTES);
	debugnet_mbuf_finish();
	m_freem(m);
	debugnet_mbuf_drain();
}

/*
 * Drain frees the stand-ins' state only after a grace period: a CPU that
 * read a stand-in pointer before finish may still be using it.
 */
static void mbuf_debugnet_drain_grace_period(struct kunit *test)
{
	unsigned long cookie;

	debugnet_mbuf_reinit(DN_NMBUF, DN_NCLUST, MCLBYTES);
	debugnet_mbuf_start();
	debugnet_mbuf_finish();
	cookie = get_state_synchronize_rcu();
	debugnet_mbuf_drain();
	KUNIT_EXPECT_TRUE(test, poll_state_synchronize_rcu(cookie));
}

struct mbuf_dn_waiter {
	struct completion done;
	struct mbuf *m;
};

static int mbuf_dn_waiter_fn(void *arg)
{
	struct mbuf_dn_waiter *w = arg;

	w->m = m_get(M_WAITOK, MT_DATA);
	complete(&w->done);
	return 0;
}

/* M_WAITOK on an empty pool waits for a pool buffer, never NULL. */
static void mbuf_debugnet_waitok(struct kunit *test)
{
	struct mbuf_dn_waiter *w;
	struct task_struct *t;
	struct mbuf *a, *b;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	init_completion(&w->done);
	debugnet_mbuf_reinit(2, 1, MCLBYTES);
	debugnet_mbuf_start();
	a = m_get(M_NOWAIT, MT_DATA);
	b = m_get(M_NOWAIT, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_NULL(test, m_get(M_NOWAIT, MT_DATA));
	t = kthread_run(mbuf_dn_waiter_fn, w, "mbuf_dn_waiter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&w->done,
							  msecs_to_jiffies(200)),
			0UL);
	m_free(a);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&w->done, 10 * HZ),
			0UL);
	KUNIT_EXPECT_PTR_EQ(test, w->m, a);
	m_free(w->m);
	m_free(b);
	debugnet_mbuf_finish();
	debugnet_mbuf_drain();
}

static void mbuf_debugnet_test_exit(struct kunit *test)
{
	/* a failed case may leave a session or pools behind */
	if (zone_mbuf != MBZ(MBZ_MBUF))
		debugnet_mbuf_finish();
	debugnet_mbuf_drain();
	mbuf_kunit_exit(test);
}

static struct kunit_case mbuf_debugnet_cases[] = {
	KUNIT_CASE_PARAM(mbuf_debugnet_session, mbuf_dn_size_gen_params),
	KUNIT_CASE(mbuf_debugnet_pairs),
	KUNIT_CASE_PARAM(mbuf_debugnet_foreign, mbuf_dn_size_gen_params),
	KUNIT_CASE(mbuf_debugnet_after_finish),
	KUNIT_CASE(mbuf_debugnet_lifecycle),
	KUNIT_CASE(mbuf_debugnet_waitok),
	KUNIT_CASE(mbuf_debugnet_zone_read_before_start),
	KUNIT_CASE(mbuf_debugnet_drain_grace_period),
	{}
};

static struct kunit_suite mbuf_debugnet_suite = {
	.name = "mbuf_debugnet",
	.init = mbuf_kunit_init,
	.exit = mbuf_debugnet_test_exit,
	.test_cases = mbuf_debugnet_cases,
};

kunit_test_suite(mbuf_debugnet_suite);
