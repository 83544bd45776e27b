// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_trace: the tracepoints of the mbuf event group.
 *
 * Strategy. Each test registers probes (register_trace_<event>(), which a
 * module may do on its own tracepoints) that record how often an event
 * fired and its last arguments, makes the KPI calls, and asserts the
 * fields: FreeBSD's probe arguments (how, type, flags, size, the mbuf or
 * cluster returned, NULL on failure), one m_init per mbuf initialised, one
 * m_free per mbuf m_freem() frees, m_getjcl() of MCLBYTES firing m_getcl
 * only, a private zone at its limit firing zone_limit_reached with its
 * limit, a flush of cached mbufs firing zone_drain with what it gave back,
 * and a shrinker scan firing reclaim_scan with the request. Failure paths
 * use fault injection. Zone counts are back at their baseline after each
 * test. Without CONFIG_MBUFCOMPAT_TRACEPOINTS the tests are skipped.
 */
#include <kunit/test.h>
#include <linux/shrinker.h>
#include <linux/string.h>
#include "mbuf_kpi_kunit.h"
#include "trace.h"

/* What the probes saw: a count and the last arguments of each event. */
static struct mbuf_trace_seen {
	int get, getcl, getjcl, init, free, freem, clget, cljget, cljset;
	int limit, drain, scan;
	int how, flags, size, error, ext_type;
	short type;
	const void *m, *cl, *init_m, *free_m, *freem_m, *zone;
	int init_flags, free_flags;
	long limit_max;
	unsigned long drain_count, nr_to_scan;
} seen;

static void probe_get(void *d, int how, short type, const struct mbuf *m)
{
	seen.get++;
	seen.how = how;
	seen.type = type;
	seen.m = m;
}

static void probe_getcl(void *d, int how, short type, int flags,
			const struct mbuf *m)
{
	seen.getcl++;
	seen.how = how;
	seen.type = type;
	seen.flags = flags;
	seen.m = m;
}

static void probe_getjcl(void *d, int how, short type, int flags, int size,
			 const struct mbuf *m)
{
	seen.getjcl++;
	seen.how = how;
	seen.type = type;
	seen.flags = flags;
	seen.size = size;
	seen.m = m;
}

static void probe_init(void *d, const struct mbuf *m, int how, short type,
		       int flags, int error)
{
	seen.init++;
	seen.init_m = m;
	seen.init_flags = flags;
	seen.error = error;
}

static void probe_free(void *d, const struct mbuf *m)
{
	seen.free++;
	seen.free_m = m;
	seen.free_flags = m->m_flags;
}

static void probe_freem(void *d, const struct mbuf *m)
{
	seen.freem++;
	seen.freem_m = m;
}

static void probe_clget(void *d, const struct mbuf *m, int how)
{
	seen.clget++;
	seen.m = m;
	seen.how = how;
}

static void probe_cljget(void *d, const struct mbuf *m, int how, int size,
			 const void *cl)
{
	seen.cljget++;
	seen.m = m;
	seen.how = how;
	seen.size = size;
	seen.cl = cl;
}

static void probe_cljset(void *d, const struct mbuf *m, const void *cl,
			 int type)
{
	seen.cljset++;
	seen.m = m;
	seen.cl = cl;
	seen.ext_type = type;
}

static void probe_limit(void *d, const struct uma_zone *zone)
{
	seen.limit++;
	seen.zone = zone;
	seen.limit_max = READ_ONCE(zone->max);
}

static void probe_drain(void *d, const struct uma_zone *zone,
			unsigned long count)
{
	/* Only the zone the test drains: other work may drain others. */
	if (zone != d)
		return;
	seen.drain++;
	seen.drain_count = count;
}

static void probe_scan(void *d, unsigned long nr_to_scan, unsigned long freed)
{
	seen.scan++;
	seen.nr_to_scan = nr_to_scan;
}

static int mbuf_trace_init(struct kunit *test)
{
	memset(&seen, 0, sizeof(seen));
	return mbuf_kunit_init(test);
}

enum mbuf_trace_ev {
	MTP_m_get,
	MTP_m_getcl,
	MTP_m_getjcl,
	MTP_m_init,
	MTP_m_free,
	MTP_m_freem,
	MTP_m_clget,
	MTP_m_cljget,
	MTP_m_cljset,
	MTP_zone_limit_reached,
	MTP_zone_drain,
	MTP_reclaim_scan,
};

/* The probes a test registered: the exit unregisters those only. */
static unsigned long mbuf_trace_on;

#define MBUF_TRACE_ON(test, ev, probe, data)				\
	mbuf_trace_registered(test, MTP_##ev, register_trace_##ev(probe, data))
#define MBUF_TRACE_OFF(ev, probe, data)					\
	do {								\
		if (mbuf_trace_on & BIT(MTP_##ev))			\
			unregister_trace_##ev(probe, data);		\
	} while (0)

/*
 * Every probe the test registered off, and none still running on the
 * records the next test clears.
 */
static void mbuf_trace_exit(struct kunit *test)
{
	MBUF_TRACE_OFF(m_get, probe_get, NULL);
	MBUF_TRACE_OFF(m_getcl, probe_getcl, NULL);
	MBUF_TRACE_OFF(m_getjcl, probe_getjcl, NULL);
	MBUF_TRACE_OFF(m_init, probe_init, NULL);
	MBUF_TRACE_OFF(m_free, probe_free, NULL);
	MBUF_TRACE_OFF(m_freem, probe_freem, NULL);
	MBUF_TRACE_OFF(m_clget, probe_clget, NULL);
	MBUF_TRACE_OFF(m_cljget, probe_cljget, NULL);
	MBUF_TRACE_OFF(m_cljset, probe_cljset, NULL);
	MBUF_TRACE_OFF(zone_limit_reached, probe_limit, NULL);
	MBUF_TRACE_OFF(zone_drain, probe_drain, zone_mbuf);
	MBUF_TRACE_OFF(reclaim_scan, probe_scan, NULL);
	mbuf_trace_on = 0;
	tracepoint_synchronize_unregister();
	mbuf_kunit_exit(test);
}

/* A probe's registration: done, or the test skipped without tracepoints. */
static void mbuf_trace_registered(struct kunit *test, unsigned int ev,
				  int err)
{
	if (!IS_ENABLED(CONFIG_MBUFCOMPAT_TRACEPOINTS))
		kunit_skip(test, "built without tracepoints");
	KUNIT_ASSERT_EQ(test, err, 0);
	mbuf_trace_on |= BIT(ev);
}

static void mbuf_trace_getcl_fields(struct kunit *test)
{
	struct mbuf *m;

	MBUF_TRACE_ON(test, m_getcl, probe_getcl, NULL);
	MBUF_TRACE_ON(test, m_init, probe_init, NULL);
	MBUF_TRACE_ON(test, m_free, probe_free, NULL);
	MBUF_TRACE_ON(test, m_freem, probe_freem, NULL);
	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, seen.getcl, 1);
	KUNIT_EXPECT_EQ(test, seen.how, M_NOWAIT);
	KUNIT_EXPECT_EQ(test, seen.type, (short)MT_DATA);
	KUNIT_EXPECT_EQ(test, seen.flags, M_PKTHDR);
	KUNIT_EXPECT_PTR_EQ(test, seen.m, (const void *)m);
	KUNIT_EXPECT_EQ(test, seen.init, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.init_m, (const void *)m);
	KUNIT_EXPECT_EQ(test, seen.init_flags, M_PKTHDR);
	KUNIT_EXPECT_EQ(test, seen.error, 0);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, seen.freem, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.freem_m, (const void *)m);
	KUNIT_EXPECT_EQ(test, seen.free, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.free_m, (const void *)m);
	KUNIT_EXPECT_EQ(test, seen.free_flags, M_PKTHDR | M_EXT);
}

/* A chain of two: one m_freem, one m_free for each mbuf. */
static void mbuf_trace_freem_chain(struct kunit *test)
{
	struct mbuf *m, *n;

	MBUF_TRACE_ON(test, m_free, probe_free, NULL);
	MBUF_TRACE_ON(test, m_freem, probe_freem, NULL);
	m = m_gethdr(M_NOWAIT, MT_DATA);
	n = m_get(M_NOWAIT, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, n);
	m->m_next = n;
	m_freem(m);
	KUNIT_EXPECT_EQ(test, seen.freem, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.freem_m, (const void *)m);
	KUNIT_EXPECT_EQ(test, seen.free, 2);
	KUNIT_EXPECT_PTR_EQ(test, seen.free_m, (const void *)n);
	KUNIT_EXPECT_EQ(test, seen.free_flags, 0);
}

static void mbuf_trace_getjcl(struct kunit *test)
{
	struct mbuf *m;

	MBUF_TRACE_ON(test, m_getjcl, probe_getjcl, NULL);
	MBUF_TRACE_ON(test, m_getcl, probe_getcl, NULL);
	m = m_getjcl(M_NOWAIT, MT_DATA, 0, MJUM9BYTES);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, seen.getjcl, 1);
	KUNIT_EXPECT_EQ(test, seen.size, MJUM9BYTES);
	KUNIT_EXPECT_EQ(test, seen.flags, 0);
	KUNIT_EXPECT_PTR_EQ(test, seen.m, (const void *)m);
	m_freem(m);
	/* MCLBYTES is m_getcl()'s, as on FreeBSD: its event, not m_getjcl. */
	m = m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MCLBYTES);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, seen.getjcl, 1);
	KUNIT_EXPECT_EQ(test, seen.getcl, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.m, (const void *)m);
	m_freem(m);
}

/* A failed allocation fires its event with the mbuf NULL. */
static void mbuf_trace_failure(struct kunit *test)
{
	struct mbuf *m;

	MBUF_TRACE_ON(test, m_getcl, probe_getcl, NULL);
	MBUF_TRACE_ON(test, m_get, probe_get, NULL);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_PACK), 0, 1);
	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, seen.getcl, 1);
	KUNIT_EXPECT_NULL(test, seen.m);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 0, 1);
	m = m_get(M_NOWAIT, MT_HEADER);
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, seen.get, 1);
	KUNIT_EXPECT_EQ(test, seen.type, (short)MT_HEADER);
	KUNIT_EXPECT_NULL(test, seen.m);
}

static void mbuf_trace_clusters(struct kunit *test)
{
	struct mbuf *m, *n;
	void *cl;

	MBUF_TRACE_ON(test, m_cljget, probe_cljget, NULL);
	MBUF_TRACE_ON(test, m_cljset, probe_cljset, NULL);
	MBUF_TRACE_ON(test, m_clget, probe_clget, NULL);
	cl = m_cljget(NULL, M_NOWAIT, MJUMPAGESIZE);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	KUNIT_EXPECT_EQ(test, seen.cljget, 1);
	KUNIT_EXPECT_NULL(test, seen.m);
	KUNIT_EXPECT_EQ(test, seen.size, MJUMPAGESIZE);
	KUNIT_EXPECT_PTR_EQ(test, seen.cl, (const void *)cl);
	m = m_get(M_NOWAIT, MT_DATA);
	if (!m)
		uma_zfree(zone_jumbop, cl);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m_cljset(m, cl, EXT_JUMBOP);
	KUNIT_EXPECT_EQ(test, seen.cljset, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.m, (const void *)m);
	KUNIT_EXPECT_PTR_EQ(test, seen.cl, (const void *)cl);
	KUNIT_EXPECT_EQ(test, seen.ext_type, EXT_JUMBOP);
	m_freem(m);
	n = m_get(M_NOWAIT, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, m_clget(n, M_NOWAIT), M_EXT);
	KUNIT_EXPECT_EQ(test, seen.clget, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.m, (const void *)n);
	KUNIT_EXPECT_EQ(test, seen.how, M_NOWAIT);
	m_freem(n);
}

/* A private zone at a limit of one item; a flush; a shrinker scan. */
static void mbuf_trace_zone_events(struct kunit *test)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nr_to_scan = 7 };
	struct mbuf *m;
	uma_zone_t z;
	void *a, *b;

	/* First the probes: without tracepoints the test stops here. */
	MBUF_TRACE_ON(test, zone_limit_reached, probe_limit, NULL);
	MBUF_TRACE_ON(test, zone_drain, probe_drain, zone_mbuf);
	MBUF_TRACE_ON(test, reclaim_scan, probe_scan, NULL);
	z = uma_zcreate("kunit_trace", 64, NULL, NULL, NULL, NULL,
			UMA_ALIGN_PTR, UMA_ZONE_NOBUCKET);
	KUNIT_ASSERT_NOT_NULL(test, z);
	uma_zone_set_max(z, 1);
	a = uma_zalloc(z, M_NOWAIT);
	b = uma_zalloc(z, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, seen.limit, 1);
	KUNIT_EXPECT_PTR_EQ(test, seen.zone, (const void *)z);
	KUNIT_EXPECT_EQ(test, seen.limit_max, 1L);
	uma_zfree(z, a);
	uma_zdestroy(z);
	/* The limit queued a reclaim, which drains every zone: not counted. */
	mbuf_reclaim_wait();
	seen.drain = 0;

	/* A freed mbuf waits in this CPU's magazine: the flush gives it. */
	m = m_get(M_NOWAIT, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m_free(m);
	mbuf_zone_flush_all(zone_mbuf);
	KUNIT_EXPECT_EQ(test, seen.drain, 1);
	KUNIT_EXPECT_GE(test, seen.drain_count, 1UL);

	mbuf_reclaim_scan(NULL, &sc);
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, seen.scan, 1);
	KUNIT_EXPECT_EQ(test, seen.nr_to_scan, 7UL);
}

static struct kunit_case mbuf_trace_cases[] = {
	KUNIT_CASE(mbuf_trace_getcl_fields),
	KUNIT_CASE(mbuf_trace_freem_chain),
	KUNIT_CASE(mbuf_trace_getjcl),
	KUNIT_CASE(mbuf_trace_failure),
	KUNIT_CASE(mbuf_trace_clusters),
	KUNIT_CASE(mbuf_trace_zone_events),
	{}
};

static struct kunit_suite mbuf_trace_suite = {
	.name = "mbuf_trace",
	.init = mbuf_trace_init,
	.exit = mbuf_trace_exit,
	.test_cases = mbuf_trace_cases,
};

kunit_test_suite(mbuf_trace_suite);
