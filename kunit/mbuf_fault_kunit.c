// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_fault: the module's private fault injection (fault.c), which the
 * failure-path tests of the other suites rely on.
 *
 * Strategy. Arm injection for every check and make many allocations of
 * each kind: those with M_WAITOK must all succeed and none may count as
 * injected (FreeBSD promises M_WAITOK callers an item, debug build or
 * not), while the first M_NOWAIT one fails. Then the arming semantics the
 * other suites use: only checks in the zone mask count, the first @skip of
 * them pass, the next @times fail, then none; mbuf_fault_injected() counts
 * exactly the failures, and mbuf_fault_clear() disarms. Zones back at
 * their baseline after every case.
 */
#include <kunit/test.h>
#include "mbuf_kpi_kunit.h"

#define MBUF_FAULT_ROUNDS	8

/* Every allocation kind of the KPI, with @how; NULL if one failed. */
static int mbuf_fault_alloc_all(struct mbuf **m, int how)
{
	int n = 0;

	m[n++] = m_get(how, MT_DATA);
	m[n++] = m_gethdr(how, MT_DATA);
	m[n++] = m_getcl(how, MT_DATA, M_PKTHDR);
	m[n++] = m_getjcl(how, MT_DATA, M_PKTHDR, MJUMPAGESIZE);
	m[n++] = m_getjcl(how, MT_DATA, M_PKTHDR, MJUM9BYTES);
	m[n++] = m_getjcl(how, MT_DATA, M_PKTHDR, MJUM16BYTES);
	m[n++] = m_get2(3000, how, MT_DATA, M_PKTHDR);
	m[n++] = m_getm2(NULL, 40000, how, MT_DATA, M_PKTHDR);
	m[n++] = uma_zalloc(zone_mbuf, how | M_ZERO);
	return n;
}

static void mbuf_fault_free_all(struct mbuf **m, int n)
{
	/* the last one is a raw (zeroed) item of zone_mbuf: free it raw */
	if (m[n - 1])
		uma_zfree(zone_mbuf, m[n - 1]);
	while (--n > 0)
		m_freem(m[n - 1]);
}

/* Armed for everything, M_WAITOK still never fails; M_NOWAIT does. */
static void mbuf_fault_waitok_never_fails(struct kunit *test)
{
	struct mbuf *m[16];
	struct m_tag *t;
	int i, k, n;

	mbuf_fault_set(MBUF_FAULT_ALL, 0, 100000);
	for (i = 0; i < MBUF_FAULT_ROUNDS; i++) {
		n = mbuf_fault_alloc_all(m, M_WAITOK);
		for (k = 0; k < n; k++)
			KUNIT_EXPECT_NOT_NULL_MSG(test, m[k], "kind %d", k);
		t = m_tag_get(3, 8, M_WAITOK);
		KUNIT_EXPECT_NOT_NULL(test, t);
		if (t)
			m_tag_free(t);
		mbuf_fault_free_all(m, n);
	}
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 0UL);

	/* armed all along: the first M_NOWAIT request fails */
	KUNIT_EXPECT_NULL(test, m_get(M_NOWAIT, MT_DATA));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
}

/* Zone mask, skip and times, the count, and disarming. */
static void mbuf_fault_skip_times(struct kunit *test)
{
	void *c[3], *c2;
	struct mbuf *m;
	int i;

	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_CLUST), 1, 2);
	/* outside the mask: neither fails nor counts towards skip */
	m = m_get(M_NOWAIT, MT_DATA);
	KUNIT_EXPECT_NOT_NULL(test, m);
	m_free(m);
	for (i = 0; i < 3; i++)
		c[i] = uma_zalloc(zone_clust, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, c[0]);	/* skipped */
	KUNIT_EXPECT_NULL(test, c[1]);
	KUNIT_EXPECT_NULL(test, c[2]);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 2UL);
	c2 = uma_zalloc(zone_clust, M_NOWAIT);	/* times used up */
	KUNIT_EXPECT_NOT_NULL(test, c2);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 2UL);
	for (i = 0; i < 3; i++)
		if (c[i])
			uma_zfree(zone_clust, c[i]);
	if (c2)
		uma_zfree(zone_clust, c2);

	/* re-armed, then cleared before any check: nothing fails */
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_CLUST), 0, 5);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 0UL);
	mbuf_fault_clear();
	c2 = uma_zalloc(zone_clust, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, c2);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 0UL);
	if (c2)
		uma_zfree(zone_clust, c2);
}

static struct kunit_case mbuf_fault_cases[] = {
	KUNIT_CASE(mbuf_fault_waitok_never_fails),
	KUNIT_CASE(mbuf_fault_skip_times),
	{}
};

static struct kunit_suite mbuf_fault_suite = {
	.name = "mbuf_fault",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_fault_cases,
};

kunit_test_suite(mbuf_fault_suite);
