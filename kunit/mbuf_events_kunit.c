// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_events: FreeBSD's nmbclusters_change and nmbufs_change events.
 *
 * Strategy. Handlers are registered with EVENTHANDLER_REGISTER() as a
 * FreeBSD driver registers them, and the limits are then written through
 * the /proc/sys/net/mbuf handlers exactly as procfs calls them. Each
 * handler records when it ran, in which order, and the limit it saw. The
 * cases: raising nmbclusters fires nmbclusters_change once, after the new
 * limit is in effect, handlers in priority order (equal priorities in
 * registration order); raising nmbufs fires nmbufs_change only; writing
 * the current value, a lower value, a bad value or raising a jumbo limit
 * fires nothing; EVENTHANDLER_DEREGISTER() stops a handler and
 * EVENTHANDLER_INVOKE() fires an event directly. The limits are restored
 * at exit with mbuf_limit_set(), since a sysctl can only raise them.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <sys/eventhandler.h>
#include "mbuf_kpi_kunit.h"

#define EV_MAX	8

static struct ev_log {
	int n;
	int who[EV_MAX];
	int saw[EV_MAX];	/* nmbclusters or nmbufs when called */
} evl;

struct ev_handler {
	int id;
	bool clusters;		/* which limit to record */
};

static void ev_record(void *arg)
{
	struct ev_handler *h = arg;

	if (evl.n < EV_MAX) {
		evl.who[evl.n] = h->id;
		evl.saw[evl.n] = READ_ONCE(*(h->clusters ? &nmbclusters : &nmbufs));
	}
	evl.n++;
}

struct ev_saved {
	int limit[MBT_NLIMITS];
};

static int ev_init(struct kunit *test)
{
	struct ev_saved *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int t;

	if (!s)
		return -ENOMEM;
	for (t = 0; t < MBT_NLIMITS; t++)
		s->limit[t] = *mbuf_limit_var(t);
	test->priv = s;
	memset(&evl, 0, sizeof(evl));
	/* Room for the cluster limits to be raised (FreeBSD's rule). */
	mbuf_limit_set(MBT_NMBUFS, mbuf_cluster_limits_sum() + 1000);
	return 0;
}

static void ev_exit(struct kunit *test)
{
	struct ev_saved *s = test->priv;
	int t;

	for (t = 0; t < MBT_NLIMITS; t++)
		mbuf_limit_set(t, s->limit[t]);
}

static int ev_write(struct kunit *test, const char *name, const char *val)
{
	MBUF_CTL_TABLE *t = mbuf_sysctl_find(name);
	char buf[32];
	size_t len = strscpy(buf, val, sizeof(buf));
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, t);
	return t->proc_handler(t, 1, buf, &len, &pos);
}

static int ev_write_int(struct kunit *test, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld\n", v);
	return ev_write(test, name, buf);
}

static void mbuf_events_clusters(struct kunit *test)
{
	struct ev_handler a = { 1, true }, b = { 2, true }, c = { 3, true };
	struct ev_handler u = { 9, false };
	eventhandler_tag ta, tb, tc, tu;
	int cur = nmbclusters;

	ta = EVENTHANDLER_REGISTER(nmbclusters_change, ev_record, &a,
				   EVENTHANDLER_PRI_ANY);
	tb = EVENTHANDLER_REGISTER(nmbclusters_change, ev_record, &b,
				   EVENTHANDLER_PRI_FIRST);
	tc = EVENTHANDLER_REGISTER(nmbclusters_change, ev_record, &c,
				   EVENTHANDLER_PRI_ANY);
	tu = EVENTHANDLER_REGISTER(nmbufs_change, ev_record, &u,
				   EVENTHANDLER_PRI_ANY);
	KUNIT_ASSERT_NOT_NULL(test, ta);
	KUNIT_ASSERT_NOT_NULL(test, tb);
	KUNIT_ASSERT_NOT_NULL(test, tc);
	KUNIT_ASSERT_NOT_NULL(test, tu);

	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbclusters", cur + 10), 0);
	KUNIT_EXPECT_EQ(test, evl.n, 3);
	/* Priority order, then registration order; the new limit seen. */
	KUNIT_EXPECT_EQ(test, evl.who[0], 2);
	KUNIT_EXPECT_EQ(test, evl.who[1], 1);
	KUNIT_EXPECT_EQ(test, evl.who[2], 3);
	KUNIT_EXPECT_EQ(test, evl.saw[0], cur + 10);

	/* Nothing raised: no event. */
	evl.n = 0;
	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbclusters", cur + 10), 0);
	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbclusters", cur), -EINVAL);
	KUNIT_EXPECT_EQ(test, ev_write(test, "nmbclusters", "lots\n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbjumbop", nmbjumbop + 1), 0);
	KUNIT_EXPECT_EQ(test, evl.n, 0);

	/* nmbufs fires its own event only. */
	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbufs", nmbufs + 5), 0);
	KUNIT_EXPECT_EQ(test, evl.n, 1);
	KUNIT_EXPECT_EQ(test, evl.who[0], 9);
	KUNIT_EXPECT_EQ(test, evl.saw[0], nmbufs);

	/* Deregistered handlers are not called again. */
	EVENTHANDLER_DEREGISTER(nmbclusters_change, tb);
	EVENTHANDLER_DEREGISTER(nmbufs_change, tu);
	evl.n = 0;
	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbclusters", cur + 20), 0);
	KUNIT_EXPECT_EQ(test, evl.n, 2);
	KUNIT_EXPECT_EQ(test, evl.who[0], 1);
	KUNIT_EXPECT_EQ(test, evl.who[1], 3);
	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbufs", nmbufs + 5), 0);
	KUNIT_EXPECT_EQ(test, evl.n, 2);

	/* EVENTHANDLER_INVOKE fires directly. */
	EVENTHANDLER_INVOKE(nmbclusters_change);
	KUNIT_EXPECT_EQ(test, evl.n, 4);
	EVENTHANDLER_DEREGISTER(nmbclusters_change, ta);
	EVENTHANDLER_DEREGISTER(nmbclusters_change, tc);
	EVENTHANDLER_INVOKE(nmbclusters_change);
	EVENTHANDLER_INVOKE(nmbufs_change);
	KUNIT_EXPECT_EQ(test, evl.n, 4);
	EVENTHANDLER_DEREGISTER(nmbufs_change, NULL);
}

/* A cluster raise refused by FreeBSD's coverage rule fires nothing. */
static void mbuf_events_refused(struct kunit *test)
{
	struct ev_handler a = { 1, true };
	eventhandler_tag ta;

	ta = EVENTHANDLER_REGISTER(nmbclusters_change, ev_record, &a,
				   EVENTHANDLER_PRI_LAST);
	KUNIT_ASSERT_NOT_NULL(test, ta);
	mbuf_limit_set(MBT_NMBUFS, mbuf_cluster_limits_sum() - 1);
	KUNIT_EXPECT_EQ(test, ev_write_int(test, "nmbclusters", nmbclusters + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, evl.n, 0);
	EVENTHANDLER_DEREGISTER(nmbclusters_change, ta);
}

static struct kunit_case mbuf_events_cases[] = {
	KUNIT_CASE(mbuf_events_clusters),
	KUNIT_CASE(mbuf_events_refused),
	{}
};

static struct kunit_suite mbuf_events_suite = {
	.name = "mbuf_events",
	.init = ev_init,
	.exit = ev_exit,
	.test_cases = mbuf_events_cases,
};

kunit_test_suite(mbuf_events_suite);
