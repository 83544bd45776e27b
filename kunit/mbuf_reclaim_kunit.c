// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_reclaim: the shrinker, the reclaim work queued at a zone's limit,
 * and the drain hooks.
 *
 * Strategy.
 *  - Shrinker: fill the per-CPU caches by allocating and freeing mbufs and
 *    clusters, then call the shrinker's count and scan directly (as the
 *    kernel's reclaim does, and as /sys/kernel/debug/shrinker/mbufcompat-*
 *    lets an administrator do): count must see the cached items, scan must
 *    return how many it gave back, and count must then be back to the
 *    number of registered hooks (0 items cached).
 *  - Drain hooks: a counting hook must run exactly once per event, from
 *    the reclaim work: once per scan, once per limit hit (a zone's limit is
 *    lowered so that an M_NOWAIT allocation fails), and once for any
 *    number of requests made while the work cannot run (irqs off), which
 *    also shows that scheduling is safe in atomic context. After
 *    mbuf_drain_unregister() it must not run again, and unregistering
 *    must wait for a drain that is inside the hook.
 *  - mbstat.m_drain (mbuf_reclaim_drains()) counts every drain run.
 * Every case flushes the queued work before it ends, and checks that the
 * zones' in-use counts are back where they started.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/shrinker.h>
#include "mbuf_kpi_kunit.h"

#define MBUF_RECLAIM_FILL	32

struct mbuf_reclaim_counter {
	atomic_t calls;
	void *seen_arg;
};

static void mbuf_reclaim_count_hook(void *arg)
{
	struct mbuf_reclaim_counter *c = arg;

	c->seen_arg = arg;
	atomic_inc(&c->calls);
}

/* Baselines as the KPI suites take them, once earlier work has run. */
static int mbuf_reclaim_case_init(struct kunit *test)
{
	mbuf_reclaim_wait();
	return mbuf_kunit_init(test);
}

static void mbuf_reclaim_case_exit(struct kunit *test)
{
	mbuf_reclaim_wait();
	mbuf_kunit_exit(test);
}

/* Allocate and free mbufs and clusters so that the caches hold some. */
static void mbuf_reclaim_fill(struct kunit *test)
{
	struct mbuf *m[MBUF_RECLAIM_FILL];
	void *cl[MBUF_RECLAIM_FILL];
	int i;

	for (i = 0; i < MBUF_RECLAIM_FILL; i++) {
		m[i] = m_get(M_WAITOK, MT_DATA);
		cl[i] = uma_zalloc(zone_clust, M_WAITOK);
		KUNIT_ASSERT_NOT_NULL(test, m[i]);
		KUNIT_ASSERT_NOT_NULL(test, cl[i]);
	}
	for (i = 0; i < MBUF_RECLAIM_FILL; i++) {
		m_free(m[i]);
		uma_zfree(zone_clust, cl[i]);
	}
}

static unsigned long mbuf_reclaim_call_scan(unsigned long nr)
{
	struct shrink_control sc = {
		.gfp_mask = GFP_KERNEL,
		.nr_to_scan = nr,
	};

	return mbuf_reclaim_scan(NULL, &sc);
}

static unsigned long mbuf_reclaim_call_count(void)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };

	return mbuf_reclaim_count(NULL, &sc);
}

static void mbuf_reclaim_shrinker(struct kunit *test)
{
	unsigned long count, cached, freed;

	mbuf_reclaim_fill(test);
	cached = mbuf_reclaim_cached();
	count = mbuf_reclaim_call_count();
	KUNIT_EXPECT_GT(test, cached, 0UL);
	KUNIT_EXPECT_EQ(test, count, cached);

	/* one item asked for, everything given back, like vm_lowmem */
	freed = mbuf_reclaim_call_scan(1);
	KUNIT_EXPECT_EQ(test, freed, cached);
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_cached(), 0UL);
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_call_count(), 0UL);

	/* nothing cached: nothing to give */
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_call_scan(128), 0UL);
}

static void mbuf_reclaim_hook_on_shrink(struct kunit *test)
{
	struct mbuf_reclaim_counter c = { .calls = ATOMIC_INIT(0) };
	struct mbuf_drain_hook *h;
	unsigned long drains, base;

	h = mbuf_drain_register(mbuf_reclaim_count_hook, &c);
	KUNIT_ASSERT_NOT_NULL(test, h);

	/* a hook counts as one object, so pressure reaches it */
	base = mbuf_reclaim_cached();
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_call_count(), base + 1);

	drains = mbuf_reclaim_drains();
	mbuf_reclaim_fill(test);
	mbuf_reclaim_call_scan(128);
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, atomic_read(&c.calls), 1);
	KUNIT_EXPECT_PTR_EQ(test, c.seen_arg, (void *)&c);
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_drains(), drains + 1);

	mbuf_reclaim_call_scan(128);
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, atomic_read(&c.calls), 2);

	mbuf_drain_unregister(h);
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_call_count(),
			mbuf_reclaim_cached());
	mbuf_reclaim_call_scan(128);
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, atomic_read(&c.calls), 2);
	KUNIT_EXPECT_EQ(test, mbuf_reclaim_drains(), drains + 3);
}

/* Lower the cluster zone's limit to what it holds: the next one fails. */
static void mbuf_reclaim_hit_limit(struct kunit *test)
{
	uma_zone_t zone = &mbuf_zones[MBZ_CLUST];
	struct mbuf_zone_stats st;
	void *cl;

	/* hold one, so that the charge (the new limit) is not 0: no limit */
	cl = uma_zalloc(zone_clust, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	mbuf_kunit_flush();
	mbuf_zone_get_stats(zone, &st);
	mbuf_zone_set_limit(zone, st.charged);
	KUNIT_EXPECT_NULL(test, uma_zalloc(zone_clust, M_NOWAIT));
	mbuf_zone_set_limit(zone, nmbclusters);
	uma_zfree(zone_clust, cl);
}

static void mbuf_reclaim_hook_on_limit(struct kunit *test)
{
	struct mbuf_reclaim_counter c = { .calls = ATOMIC_INIT(0) };
	struct mbuf_drain_hook *h;
	struct mbuf_zone_stats before, after;

	h = mbuf_drain_register(mbuf_reclaim_count_hook, &c);
	KUNIT_ASSERT_NOT_NULL(test, h);

	mbuf_zone_get_stats(&mbuf_zones[MBZ_CLUST], &before);
	mbuf_reclaim_hit_limit(test);
	mbuf_reclaim_wait();
	mbuf_zone_get_stats(&mbuf_zones[MBZ_CLUST], &after);
	KUNIT_EXPECT_EQ(test, after.limit_hits, before.limit_hits + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c.calls), 1);

	mbuf_reclaim_hit_limit(test);
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, atomic_read(&c.calls), 2);

	mbuf_drain_unregister(h);
	mbuf_reclaim_hit_limit(test);
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, atomic_read(&c.calls), 2);
}

/* Requests made while the work cannot run fold into one run. */
static void mbuf_reclaim_coalesce_atomic(struct kunit *test)
{
	struct mbuf_reclaim_counter c = { .calls = ATOMIC_INIT(0) };
	struct mbuf_drain_hook *h;
	unsigned long flags;
	int i;

	h = mbuf_drain_register(mbuf_reclaim_count_hook, &c);
	KUNIT_ASSERT_NOT_NULL(test, h);

	if (num_online_cpus() > 1) {
		/* the work may start on another CPU at once: at most 2 runs */
		local_irq_save(flags);
		for (i = 0; i < 10; i++)
			mbuf_reclaim_schedule(&mbuf_zones[MBZ_MBUF]);
		local_irq_restore(flags);
		mbuf_reclaim_wait();
		KUNIT_EXPECT_GE(test, atomic_read(&c.calls), 1);
		KUNIT_EXPECT_LE(test, atomic_read(&c.calls), 2);
	} else {
		local_irq_save(flags);
		for (i = 0; i < 10; i++)
			mbuf_reclaim_schedule(&mbuf_zones[i % MBZ_NZONES]);
		local_irq_restore(flags);
		mbuf_reclaim_wait();
		KUNIT_EXPECT_EQ(test, atomic_read(&c.calls), 1);
	}
	mbuf_drain_unregister(h);
}

struct mbuf_reclaim_slow {
	struct completion entered;
	atomic_t done;
};

static void mbuf_reclaim_slow_hook(void *arg)
{
	struct mbuf_reclaim_slow *s = arg;

	complete(&s->entered);
	msleep(200);
	atomic_set(&s->done, 1);
}

/* Unregistering waits for the drain that is inside the hook. */
static void mbuf_reclaim_unregister_waits(struct kunit *test)
{
	struct mbuf_reclaim_slow s = { .done = ATOMIC_INIT(0) };
	struct mbuf_drain_hook *h;

	init_completion(&s.entered);
	h = mbuf_drain_register(mbuf_reclaim_slow_hook, &s);
	KUNIT_ASSERT_NOT_NULL(test, h);
	mbuf_reclaim_schedule(&mbuf_zones[MBZ_CLUST]);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&s.entered, 10 * HZ),
			0UL);
	mbuf_drain_unregister(h);
	KUNIT_EXPECT_EQ(test, atomic_read(&s.done), 1);
	mbuf_drain_unregister(NULL);
}

/* Hooks run in the order they were registered, each with its own arg. */
static void mbuf_reclaim_several_hooks(struct kunit *test)
{
	struct mbuf_reclaim_counter c[3] = {};
	struct mbuf_drain_hook *h[3];
	int i;

	for (i = 0; i < 3; i++) {
		h[i] = mbuf_drain_register(mbuf_reclaim_count_hook, &c[i]);
		KUNIT_ASSERT_NOT_NULL(test, h[i]);
	}
	mbuf_drain_unregister(h[1]);
	mbuf_reclaim_schedule(&mbuf_zones[MBZ_MBUF]);
	mbuf_reclaim_wait();
	KUNIT_EXPECT_EQ(test, atomic_read(&c[0].calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[1].calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c[2].calls), 1);
	KUNIT_EXPECT_PTR_EQ(test, c[0].seen_arg, (void *)&c[0]);
	KUNIT_EXPECT_PTR_EQ(test, c[2].seen_arg, (void *)&c[2]);
	mbuf_drain_unregister(h[0]);
	mbuf_drain_unregister(h[2]);
}

static struct kunit_case mbuf_reclaim_cases[] = {
	KUNIT_CASE(mbuf_reclaim_shrinker),
	KUNIT_CASE(mbuf_reclaim_hook_on_shrink),
	KUNIT_CASE(mbuf_reclaim_hook_on_limit),
	KUNIT_CASE(mbuf_reclaim_coalesce_atomic),
	KUNIT_CASE(mbuf_reclaim_unregister_waits),
	KUNIT_CASE(mbuf_reclaim_several_hooks),
	{}
};

static struct kunit_suite mbuf_reclaim_suite = {
	.name = "mbuf_reclaim",
	.init = mbuf_reclaim_case_init,
	.exit = mbuf_reclaim_case_exit,
	.test_cases = mbuf_reclaim_cases,
};

kunit_test_suites(&mbuf_reclaim_suite);
