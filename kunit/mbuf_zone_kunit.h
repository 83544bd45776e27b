/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers shared by the zone-layer suites (mbuf_zone, mbuf_packet,
 * mbuf_jumbo): a per-case baseline of every zone's counters and limits,
 * checked and restored after the case, and small allocation wrappers.
 */
#ifndef MBUF_ZONE_KUNIT_H
#define MBUF_ZONE_KUNIT_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include "../mbufcompat/internal.h"

/* What a case must leave as it found it. */
struct mbuf_zk_base {
	struct mbuf_zone_stats st[MBZ_NALL];
	long max[MBZ_NALL];
};

/*
 * Empty every magazine, the pair caches first (they feed the others),
 * after any reclaim a limit hit queued (it flushes them too).
 */
static inline void mbuf_zk_quiesce(void)
{
	mbuf_reclaim_wait();
	mbuf_zones_flush_all();
}

static inline int mbuf_zk_init(struct kunit *test)
{
	struct mbuf_zk_base *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	int i;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < MBZ_NALL; i++) {
		mbuf_zone_get_stats(MBZ(i), &b->st[i]);
		b->max[i] = READ_ONCE(MBZ(i)->max);
	}
	test->priv = b;
	return 0;
}

/* Disarm, restore the limits, and check that nothing is left in use. */
static inline void mbuf_zk_exit(struct kunit *test)
{
	struct mbuf_zk_base *b = test->priv;
	struct mbuf_zone_stats st;
	int i;

	mbuf_fault_clear();
	for (i = 0; i < MBZ_NALL; i++) {
		if (READ_ONCE(MBZ(i)->max) != b->max[i])
			mbuf_zone_set_limit(MBZ(i), b->max[i]);
		mbuf_zone_get_stats(MBZ(i), &st);
		KUNIT_EXPECT_EQ_MSG(test, st.in_use, b->st[i].in_use,
				    "zone %s: items left in use", MBZ(i)->name);
	}
}

static inline struct mbuf_zone_stats mbuf_zk_stats(uma_zone_t zone)
{
	struct mbuf_zone_stats st;

	mbuf_zone_get_stats(zone, &st);
	return st;
}

/* A plain data mbuf / packet, or a bare cluster: what each zone takes. */
static inline void *mbuf_zk_alloc(uma_zone_t zone, int how)
{
	struct mb_args args = { .flags = 0, .type = MT_DATA };

	if (zone->id == MBZ_MBUF || zone->id == MBZ_PACK)
		return uma_zalloc_arg(zone, &args, how);
	return uma_zalloc_arg(zone, NULL, how);
}

/* An M_WAITOK allocation in a thread of its own. */
struct mbuf_zk_waiter {
	uma_zone_t zone;
	void *item;
	struct completion done;
};

static inline int mbuf_zk_waiter_fn(void *arg)
{
	struct mbuf_zk_waiter *w = arg;

	w->item = mbuf_zk_alloc(w->zone, M_WAITOK);
	complete(&w->done);
	return 0;
}

static inline struct mbuf_zk_waiter *mbuf_zk_waiter_start(struct kunit *test,
							  uma_zone_t zone)
{
	struct mbuf_zk_waiter *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->zone = zone;
	init_completion(&w->done);
	t = kthread_run(mbuf_zk_waiter_fn, w, "mbuf_zk_waiter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	return w;
}

/*
 * Wait (bounded) for the waiter to get its item. If it does not, lift
 * the zone's limit so that it cannot stay asleep past the case.
 */
static inline bool mbuf_zk_waiter_done(struct mbuf_zk_waiter *w,
				       unsigned long timeout)
{
	if (wait_for_completion_timeout(&w->done, timeout))
		return true;
	mbuf_zone_set_limit(w->zone, 0);
	wait_for_completion(&w->done);
	return false;
}

/* Wait (bounded) until @n allocations sleep on @zone. */
static inline bool mbuf_zk_sleepers(uma_zone_t zone, int n)
{
	unsigned long end = jiffies + 5 * HZ;

	while (atomic_read(&zone->sleepers) != n) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(1000, 2000);
	}
	return true;
}

#endif /* MBUF_ZONE_KUNIT_H */
