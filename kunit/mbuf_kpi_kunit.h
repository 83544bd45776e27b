/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers shared by the mbuf_kpi, mbuf_ext and mbuf_tag suites.
 *
 * Every test of those suites starts from a snapshot of each zone's in-use
 * count and ends by comparing against it, with the caches flushed both
 * times (a cached packet pair holds an mbuf and a cluster in use), and
 * with any armed fault injection cleared. A leak of one mbuf or cluster,
 * on any path, fails the test that caused it.
 *
 * Tests that run an allocator in a given context (process, softirq, hard
 * irqs off) do the allocation and free inside the section and record what
 * they saw; expectations are checked after it, since KUnit's failure path
 * may sleep.
 */
#ifndef MBUF_KPI_KUNIT_H
#define MBUF_KPI_KUNIT_H

#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/irqflags.h>
#include "internal.h"

struct mbuf_kunit_baseline {
	long in_use[MBZ_NALL];
};

/* Give back everything the zones cache (pair zones first); process context. */
static inline void mbuf_kunit_flush(void)
{
	mbuf_zones_flush_all();
}

static inline long mbuf_kunit_in_use(enum mbuf_zone_id z)
{
	struct mbuf_zone_stats st;

	mbuf_zone_get_stats(&mbuf_zones[z], &st);
	return st.in_use;
}

/* Suite .init: record the baseline in test->priv. */
static inline int mbuf_kunit_init(struct kunit *test)
{
	struct mbuf_kunit_baseline *b;
	int z;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	mbuf_kunit_flush();
	for (z = 0; z < MBZ_NALL; z++)
		b->in_use[z] = mbuf_kunit_in_use(z);
	test->priv = b;
	return 0;
}

/* Suite .exit: every zone must be back at its baseline. */
static inline void mbuf_kunit_exit(struct kunit *test)
{
	struct mbuf_kunit_baseline *b = test->priv;
	int z;

	mbuf_fault_clear();
	if (!b)
		return;
	mbuf_kunit_flush();
	for (z = 0; z < MBZ_NALL; z++)
		KUNIT_EXPECT_EQ_MSG(test, mbuf_kunit_in_use(z), b->in_use[z],
				    "zone %s: in-use count off its baseline",
				    mbuf_zones[z].name);
}

/* In-use count of zone @z relative to the test's baseline. */
static inline long mbuf_kunit_delta(struct kunit *test, enum mbuf_zone_id z)
{
	struct mbuf_kunit_baseline *b = test->priv;

	return mbuf_kunit_in_use(z) - b->in_use[z];
}

/*
 * Fill @mv[0..@n-1] with m_get() (or m_gethdr() with M_PKTHDR in @flags)
 * mbufs. If one is missing, free the others and fail the test: the
 * caller returns when this returns false.
 */
static inline bool mbuf_kunit_get_n(struct kunit *test, struct mbuf **mv,
				    int n, int flags)
{
	int i;

	for (i = 0; i < n; i++)
		mv[i] = (flags & M_PKTHDR) ? m_gethdr(M_WAITOK, MT_DATA) :
					     m_get(M_WAITOK, MT_DATA);
	for (i = 0; i < n; i++)
		if (!mv[i])
			break;
	if (i == n)
		return true;
	for (i = 0; i < n; i++)
		m_free(mv[i]);
	KUNIT_FAIL(test, "M_WAITOK allocation returned NULL");
	return false;
}

/* The contexts an M_NOWAIT caller may be in. */
enum mbuf_kunit_ctx {
	MBUF_CTX_PROCESS,	/* may sleep: M_WAITOK */
	MBUF_CTX_SOFTIRQ,	/* bottom halves off: M_NOWAIT */
	MBUF_CTX_HARDIRQ,	/* interrupts off: M_NOWAIT */
};

static inline const char *mbuf_kunit_ctx_name(enum mbuf_kunit_ctx ctx)
{
	switch (ctx) {
	case MBUF_CTX_SOFTIRQ:
		return "softirq";
	case MBUF_CTX_HARDIRQ:
		return "hardirq-off";
	default:
		return "process";
	}
}

static inline int mbuf_kunit_ctx_how(enum mbuf_kunit_ctx ctx)
{
	return ctx == MBUF_CTX_PROCESS ? M_WAITOK : M_NOWAIT;
}

/* Run @fn(@arg) in context @ctx. @fn must not sleep unless @ctx allows. */
static inline void mbuf_kunit_run_in(enum mbuf_kunit_ctx ctx,
				     void (*fn)(void *arg), void *arg)
{
	unsigned long flags;

	switch (ctx) {
	case MBUF_CTX_SOFTIRQ:
		local_bh_disable();
		fn(arg);
		local_bh_enable();
		break;
	case MBUF_CTX_HARDIRQ:
		local_irq_save(flags);
		fn(arg);
		local_irq_restore(flags);
		break;
	default:
		fn(arg);
	}
}

#endif /* MBUF_KPI_KUNIT_H */
