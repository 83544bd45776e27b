// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_kasan: corrupting an item the allocator caches is reported.
 *
 * Strategy, in the style of mm/slub_kunit.c and mm/kasan/kasan_test_c.c:
 * each case plants one corruption of an item that sits in a per-CPU
 * magazine (a write to an mbuf, to a packet's cluster or to a bare
 * cluster after it was freed; a second free of a cluster or an mbuf) and
 * checks that it was reported, and for a double free that the item is
 * not handed out twice.
 *
 * Counting reports. KASAN marks the KUnit test of the task that makes a
 * report as failed (current->kunit_test; mm/kasan/report.c). So the
 * corrupting access runs in a kthread of its own whose kunit_test points
 * at a probe struct kunit: the probe failing is the report, and the real
 * case is not failed by the report it expects. The kernel log brackets
 * each planted report with two marker lines that scripts/logscan.sh
 * skips over ("expecting a KASAN report" ... "end of expected KASAN
 * report").
 *
 * Poisoning needs KASAN and the kernel's mempool hooks (6.8+, built in:
 * MBUF_KASAN_POISONS); without them the use-after-free cases are skipped.
 * A double free is also caught without KASAN in debug builds
 * (CONFIG_MBUFCOMPAT_DEBUG): then the zone's double-free count shows it.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include "mbuf_zone_kunit.h"

#define MBUF_KASAN_DOUBLE_FREES	(MBUF_KASAN_POISONS || \
				 IS_ENABLED(CONFIG_MBUFCOMPAT_DEBUG))

struct mbuf_kasan_plant {
	void (*fn)(void *arg);
	void *arg;
	struct kunit probe;		/* what KASAN fails on a report */
	struct completion done;
};

static int mbuf_kasan_plant_fn(void *data)
{
	struct mbuf_kasan_plant *p = data;

	current->kunit_test = &p->probe;
	p->fn(p->arg);
	current->kunit_test = NULL;
	complete(&p->done);
	return 0;
}

/* Run @fn(@arg) in a kthread; true if it made a KASAN report. */
static bool mbuf_kasan_plant(struct kunit *test, void (*fn)(void *arg),
			     void *arg)
{
	struct mbuf_kasan_plant *p;
	struct task_struct *t;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->fn = fn;
	p->arg = arg;
	p->probe.status = KUNIT_SUCCESS;
	init_completion(&p->done);
	pr_info(MBUF_LOG_PREFIX "%s: expecting a KASAN report\n",
		test->name);
	t = kthread_run(mbuf_kasan_plant_fn, p, "mbuf_kasan_plant");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&p->done);
	pr_info(MBUF_LOG_PREFIX "%s: end of expected KASAN report\n",
		test->name);
	return READ_ONCE(p->probe.status) == KUNIT_FAILURE;
}

static void mbuf_kasan_write_mbuf(void *arg)
{
	struct mbuf *m = arg;

	WRITE_ONCE(m->m_len, 1);
}

static void mbuf_kasan_write_byte(void *arg)
{
	WRITE_ONCE(*((char *)arg + 100), 1);
}

static void mbuf_kasan_free_cluster(void *arg)
{
	uma_zfree(zone_clust, arg);
}

/*
 * A second m_free(). With trashing on (no KASAN) a cached mbuf's fields
 * are the pattern, which m_free() would follow as pointers before the
 * zone could object: there the second free is the zone's own.
 */
static void mbuf_kasan_free_mbuf(void *arg)
{
	if (IS_ENABLED(CONFIG_MBUFCOMPAT_TRASH) && !IS_ENABLED(CONFIG_KASAN))
		mbuf_zone_put_fast(zone_mbuf, arg);
	else
		m_free(arg);
}

static void mbuf_kasan_need_poison(struct kunit *test)
{
	if (!MBUF_KASAN_POISONS)
		kunit_skip(test, "no KASAN mempool poisoning in this build");
}

/* A write to an mbuf that sits in a magazine. */
static void mbuf_kasan_uaf_mbuf(struct kunit *test)
{
	struct mbuf *m;

	mbuf_kasan_need_poison(test);
	migrate_disable();
	m = m_get(M_NOWAIT, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m_free(m);
	KUNIT_EXPECT_TRUE(test, mbuf_kasan_plant(test, mbuf_kasan_write_mbuf,
						 m));
	migrate_enable();
}

/* A write to the cluster of a packet that sits in the packet cache. */
static void mbuf_kasan_uaf_packet_cluster(struct kunit *test)
{
	struct mbuf *m;
	char *cl;

	mbuf_kasan_need_poison(test);
	migrate_disable();
	m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	cl = m->m_ext.ext_buf;
	m_freem(m);
	KUNIT_EXPECT_TRUE(test, mbuf_kasan_plant(test, mbuf_kasan_write_byte,
						 cl));
	/* and to its mbuf */
	KUNIT_EXPECT_TRUE(test, mbuf_kasan_plant(test, mbuf_kasan_write_mbuf,
						 m));
	migrate_enable();
}

/* A write to a bare cluster that sits in zone_clust's magazine. */
static void mbuf_kasan_uaf_cluster(struct kunit *test)
{
	void *c;

	mbuf_kasan_need_poison(test);
	migrate_disable();
	c = uma_zalloc(zone_clust, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	uma_zfree(zone_clust, c);
	KUNIT_EXPECT_TRUE(test, mbuf_kasan_plant(test, mbuf_kasan_write_byte,
						 c));
	migrate_enable();
}

/* A live item is not poisoned: writing to it reports nothing. */
static void mbuf_kasan_live_item_quiet(struct kunit *test)
{
	void *c;

	mbuf_kasan_need_poison(test);
	migrate_disable();
	c = uma_zalloc(zone_clust, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	uma_zfree(zone_clust, c);
	c = uma_zalloc(zone_clust, M_NOWAIT);	/* the same one, LIFO */
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_FALSE(test, mbuf_kasan_plant(test, mbuf_kasan_write_byte,
						  c));
	uma_zfree(zone_clust, c);
	migrate_enable();
}

/* An item kind the double-free cases run on: its zone, get, free. */
struct mbuf_kasan_kind {
	uma_zone_t *zone;
	void *(*get)(void);
	void (*put)(void *item);
	void (*second_free)(void *item);	/* run in the planted kthread */
};

static void *mbuf_kasan_get_cluster(void)
{
	return uma_zalloc(zone_clust, M_NOWAIT);
}

static void *mbuf_kasan_get_mbuf(void)
{
	return m_get(M_NOWAIT, MT_DATA);
}

static void mbuf_kasan_put_mbuf(void *m)
{
	m_free(m);
}

/*
 * An item freed twice is reported (KASAN), or counted (debug builds), and
 * cached once: the next two allocations are different items.
 */
static void mbuf_kasan_double_free(struct kunit *test,
				   const struct mbuf_kasan_kind *k)
{
	uma_zone_t zone = *k->zone;
	long df0 = atomic_long_read(&zone->double_frees);
	void *item, *a, *b;
	bool reported;

	if (!MBUF_KASAN_DOUBLE_FREES)
		kunit_skip(test, "neither KASAN poisoning nor a debug build");
	mbuf_zk_quiesce();
	migrate_disable();
	item = k->get();
	KUNIT_ASSERT_NOT_NULL(test, item);
	k->put(item);
	reported = mbuf_kasan_plant(test, k->second_free, item);
	if (MBUF_KASAN_POISONS)
		KUNIT_EXPECT_TRUE(test, reported);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zone->double_frees), df0 + 1);
	a = k->get();
	b = k->get();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	k->put(a);
	k->put(b);
	migrate_enable();
}

/* A bare cluster freed twice with uma_zfree(). */
static void mbuf_kasan_double_free_cluster(struct kunit *test)
{
	static const struct mbuf_kasan_kind cluster = {
		.zone = &zone_clust,
		.get = mbuf_kasan_get_cluster,
		.put = mbuf_kasan_free_cluster,
		.second_free = mbuf_kasan_free_cluster,
	};

	mbuf_kasan_double_free(test, &cluster);
}

/* An mbuf freed twice with m_free(). */
static void mbuf_kasan_double_free_mbuf(struct kunit *test)
{
	static const struct mbuf_kasan_kind mbuf = {
		.zone = &zone_mbuf,
		.get = mbuf_kasan_get_mbuf,
		.put = mbuf_kasan_put_mbuf,
		.second_free = mbuf_kasan_free_mbuf,
	};

	mbuf_kasan_double_free(test, &mbuf);
}

static struct kunit_case mbuf_kasan_cases[] = {
	KUNIT_CASE(mbuf_kasan_uaf_mbuf),
	KUNIT_CASE(mbuf_kasan_uaf_packet_cluster),
	KUNIT_CASE(mbuf_kasan_uaf_cluster),
	KUNIT_CASE(mbuf_kasan_live_item_quiet),
	KUNIT_CASE(mbuf_kasan_double_free_cluster),
	KUNIT_CASE(mbuf_kasan_double_free_mbuf),
	{}
};

static struct kunit_suite mbuf_kasan_suite = {
	.name = "mbuf_kasan",
	.init = mbuf_zk_init,
	.exit = mbuf_zk_exit,
	.test_cases = mbuf_kasan_cases,
};

kunit_test_suite(mbuf_kasan_suite);
