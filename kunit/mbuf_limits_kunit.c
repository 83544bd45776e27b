// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_limits: the loader tunables, their derivation, and the limits at
 * work in the zones.
 *
 * Strategy.
 *  - Derivation: mbuf_tunables_compute() is a pure function of the
 *    parameters and the RAM size, so it is fed RAM sizes from 64 MiB to
 *    16 TiB and compared with FreeBSD 14's tunable_mbinit() results worked
 *    out by hand (the literals below), including both clamps FreeBSD
 *    makes (maxmbufmem over 3/4 of RAM, nmbufs under the cluster sum) and
 *    the INT_MAX cap beyond 4 TiB.
 *  - Refusal: each parameter, given a negative value, a value whose items
 *    alone exceed RAM, or (maxmbufmem) a value too small to derive from,
 *    must be refused with that parameter and that reason; the boundary
 *    value just below each must pass. Byte counts with K/M/G/T suffixes
 *    are parsed as FreeBSD's loader parses them.
 *  - Enforcement: for every zone with a limit, the limit is lowered (with
 *    mbuf_zone_set_limit(), directly) to leave room for a few items, the
 *    test allocates them with M_NOWAIT, then one more must fail, counted
 *    as a failure and a limit hit; an M_WAITOK allocation at the limit
 *    must sleep and be woken by a free. Limits and per-zone in-use counts
 *    are restored and checked after every case.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include "mbuf_kpi_kunit.h"

#define GIB(n)	((s64)(n) << 30)
#define MIB(n)	((s64)(n) << 20)

struct mbuf_limits_case {
	const char *desc;
	s64 realmem;
	struct mbuf_tunables in;
	/* expected */
	s64 maxmbufmem;
	int limit[MBT_NLIMITS];
	unsigned int clamped;
};

/* FreeBSD 14 tunable_mbinit() results, worked out by hand. */
static const struct mbuf_limits_case mbuf_limits_derive_cases[] = {
	{
		.desc = "4 GiB, all derived",
		.realmem = GIB(4),
		.maxmbufmem = GIB(2),
		.limit = { 1677721, 262144, GIB(2) / PAGE_SIZE / 4, 38836,
			   21845 },
	}, {
		.desc = "64 MiB, all derived",
		.realmem = MIB(64),
		.maxmbufmem = MIB(32),
		.limit = { 26214, 4096, MIB(32) / PAGE_SIZE / 4, 606, 341 },
	}, {
		.desc = "maxmbufmem above 3/4 of RAM is cut to 3/4",
		.realmem = GIB(4),
		.in = { .maxmbufmem = GIB(4) },
		.maxmbufmem = GIB(3),
		.limit = { 2516582, 393216, GIB(3) / PAGE_SIZE / 4, 58254,
			   32768 },
		.clamped = MBUF_CLAMPED_MAXMBUFMEM,
	}, {
		.desc = "maxmbufmem of exactly 3/4 of RAM is kept",
		.realmem = GIB(4),
		.in = { .maxmbufmem = GIB(3) },
		.maxmbufmem = GIB(3),
		.limit = { 2516582, 393216, GIB(3) / PAGE_SIZE / 4, 58254,
			   32768 },
	}, {
		.desc = "nmbufs below the cluster sum is raised",
		.realmem = GIB(4),
		.in = { .limit = { 1000 } },
		.maxmbufmem = GIB(2),
		.limit = { 1677721, 262144, GIB(2) / PAGE_SIZE / 4, 38836,
			   21845 },
		.clamped = MBUF_CLAMPED_NMBUFS,
	}, {
		.desc = "nmbufs covering the cluster sum is kept",
		.realmem = GIB(4),
		.in = { .limit = { 500000 } },
		.maxmbufmem = GIB(2),
		.limit = { 500000, 262144, GIB(2) / PAGE_SIZE / 4, 38836,
			   21845 },
	}, {
		.desc = "a large nmbclusters makes nmbufs the cluster sum",
		.realmem = GIB(4),
		.in = { .limit = { 0, 2000000 } },
		.maxmbufmem = GIB(2),
		.limit = { 2000000 + GIB(2) / PAGE_SIZE / 4 + 38836 + 21845,
			   2000000, GIB(2) / PAGE_SIZE / 4, 38836, 21845 },
	}, {
		.desc = "explicit limits and a tiny maxmbufmem",
		.realmem = GIB(4),
		.in = { .maxmbufmem = 4096, .limit = { 50, 10, 5, 3, 2 } },
		.maxmbufmem = 4096,
		.limit = { 50, 10, 5, 3, 2 },
	}, {
		.desc = "16 TiB: nmbufs capped at INT_MAX",
		.realmem = GIB(16384),
		.maxmbufmem = GIB(8192),
		.limit = { INT_MAX, 1073741824, GIB(8192) / PAGE_SIZE / 4,
			   159072862, 89478485 },
	},
};

static void mbuf_limits_case_desc(const struct mbuf_limits_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_limits_derive, mbuf_limits_derive_cases,
		  mbuf_limits_case_desc);

static void mbuf_limits_derive(struct kunit *test)
{
	const struct mbuf_limits_case *c = test->param_value;
	struct mbuf_tunables tun = c->in;
	int t;

	KUNIT_ASSERT_EQ(test, mbuf_tunables_compute(&tun, c->realmem), 0);
	KUNIT_EXPECT_EQ(test, tun.maxmbufmem, c->maxmbufmem);
	for (t = 0; t < MBT_NLIMITS; t++)
		KUNIT_EXPECT_EQ_MSG(test, tun.limit[t], c->limit[t], "%s",
				    mbuf_tunable_name(t));
	KUNIT_EXPECT_EQ(test, tun.clamped, c->clamped);
}

struct mbuf_limits_bad {
	const char *desc;
	struct mbuf_tunables in;
	enum mbuf_tunable bad;
	enum mbuf_tunable_error why;
};

/* All against 4 GiB of RAM. */
static const struct mbuf_limits_bad mbuf_limits_bad_cases[] = {
	{ "maxmbufmem negative", { .maxmbufmem = -1 },
	  MBT_MAXMBUFMEM, MBUF_TUNABLE_NEGATIVE },
	{ "nmbufs negative", { .limit = { -1 } },
	  MBT_NMBUFS, MBUF_TUNABLE_NEGATIVE },
	{ "nmbclusters negative", { .limit = { 0, -1 } },
	  MBT_NMBCLUSTERS, MBUF_TUNABLE_NEGATIVE },
	{ "nmbjumbop negative", { .limit = { 0, 0, INT_MIN } },
	  MBT_NMBJUMBOP, MBUF_TUNABLE_NEGATIVE },
	{ "nmbjumbo9 negative", { .limit = { 0, 0, 0, -5 } },
	  MBT_NMBJUMBO9, MBUF_TUNABLE_NEGATIVE },
	{ "nmbjumbo16 negative", { .limit = { 0, 0, 0, 0, -1 } },
	  MBT_NMBJUMBO16, MBUF_TUNABLE_NEGATIVE },
	{ "nmbufs beyond RAM", { .limit = { GIB(4) / MSIZE + 1 } },
	  MBT_NMBUFS, MBUF_TUNABLE_EXCEEDS_RAM },
	{ "nmbclusters beyond RAM", { .limit = { 0, GIB(4) / MCLBYTES + 1 } },
	  MBT_NMBCLUSTERS, MBUF_TUNABLE_EXCEEDS_RAM },
	{ "nmbjumbop beyond RAM",
	  { .limit = { 0, 0, GIB(4) / MJUMPAGESIZE + 1 } },
	  MBT_NMBJUMBOP, MBUF_TUNABLE_EXCEEDS_RAM },
	{ "nmbjumbo9 beyond RAM",
	  { .limit = { 0, 0, 0, GIB(4) / MJUM9BYTES + 1 } },
	  MBT_NMBJUMBO9, MBUF_TUNABLE_EXCEEDS_RAM },
	{ "nmbjumbo16 beyond RAM",
	  { .limit = { 0, 0, 0, 0, GIB(4) / MJUM16BYTES + 1 } },
	  MBT_NMBJUMBO16, MBUF_TUNABLE_EXCEEDS_RAM },
	{ "maxmbufmem too small for nmbjumbop", { .maxmbufmem = 10000 },
	  MBT_NMBJUMBOP, MBUF_TUNABLE_DERIVES_ZERO },
	{ "maxmbufmem too small for nmbclusters", { .maxmbufmem = 8191 },
	  MBT_NMBCLUSTERS, MBUF_TUNABLE_DERIVES_ZERO },
	{ "maxmbufmem too small for nmbjumbo16",
	  { .maxmbufmem = 6 * MJUM16BYTES - 1, .limit = { 0, 0, 1, 1 } },
	  MBT_NMBJUMBO16, MBUF_TUNABLE_DERIVES_ZERO },
};

static void mbuf_limits_bad_desc(const struct mbuf_limits_bad *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_limits_refused, mbuf_limits_bad_cases,
		  mbuf_limits_bad_desc);

static void mbuf_limits_refused(struct kunit *test)
{
	const struct mbuf_limits_bad *c = test->param_value;
	struct mbuf_tunables tun = c->in;

	KUNIT_EXPECT_EQ(test, mbuf_tunables_compute(&tun, GIB(4)), -EINVAL);
	KUNIT_EXPECT_EQ(test, tun.bad, c->bad);
	KUNIT_EXPECT_EQ(test, tun.why, c->why);
	KUNIT_EXPECT_STRNEQ(test, mbuf_tunable_reason(tun.why),
			    mbuf_tunable_reason(MBUF_TUNABLE_OK));
}

/* The largest values that still fit are accepted. */
static void mbuf_limits_boundaries(struct kunit *test)
{
	static const unsigned long size[MBT_NLIMITS] = {
		MSIZE, MCLBYTES, MJUMPAGESIZE, MJUM9BYTES, MJUM16BYTES,
	};
	struct mbuf_tunables tun;
	int t;

	for (t = 0; t < MBT_NLIMITS; t++) {
		memset(&tun, 0, sizeof(tun));
		tun.limit[t] = GIB(4) / size[t];
		KUNIT_EXPECT_EQ_MSG(test, mbuf_tunables_compute(&tun, GIB(4)),
				    0, "%s", mbuf_tunable_name(t));
		KUNIT_EXPECT_EQ(test, tun.limit[t], GIB(4) / size[t]);
	}

	/* the smallest maxmbufmem that derives every limit */
	memset(&tun, 0, sizeof(tun));
	tun.maxmbufmem = 6 * MJUM16BYTES;
	KUNIT_EXPECT_EQ(test, mbuf_tunables_compute(&tun, GIB(4)), 0);
	KUNIT_EXPECT_EQ(test, tun.limit[MBT_NMBJUMBO16], 1);
}

struct mbuf_limits_bytes {
	const char *in;
	int err;
	s64 val;
};

static const struct mbuf_limits_bytes mbuf_limits_bytes_cases[] = {
	{ "0", 0, 0 },
	{ "1073741824", 0, GIB(1) },
	{ "1073741824\n", 0, GIB(1) },
	{ "512k", 0, 512 << 10 },
	{ "512K", 0, 512 << 10 },
	{ "300M", 0, MIB(300) },
	{ "2g", 0, GIB(2) },
	{ "3T", 0, GIB(3072) },
	{ "0x100000", 0, MIB(1) },
	{ "-1", 0, -1 },
	{ "-2G", 0, -GIB(2) },
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "G", -EINVAL },
	{ "abc", -EINVAL },
	{ "12abc", -EINVAL },
	{ "1.5G", -EINVAL },
	{ "1 G", -EINVAL },
	{ "4P", -EINVAL },
	{ "9223372036854775808", -EINVAL },
	{ "8388608T", -EINVAL },
	{ "1234567890123456789012345678901234567890", -EINVAL },
};

static void mbuf_limits_bytes_desc(const struct mbuf_limits_bytes *c,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in);
}

KUNIT_ARRAY_PARAM(mbuf_limits_parse, mbuf_limits_bytes_cases,
		  mbuf_limits_bytes_desc);

static void mbuf_limits_parse(struct kunit *test)
{
	const struct mbuf_limits_bytes *c = test->param_value;
	s64 val = 12345;

	KUNIT_EXPECT_EQ(test, mbuf_parse_bytes(c->in, &val), c->err);
	KUNIT_EXPECT_EQ(test, val, c->err ? 12345 : c->val);
}

static const enum mbuf_zone_id mbuf_limits_zone[MBT_NLIMITS] = {
	MBZ_MBUF, MBZ_CLUST, MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
};

/* At load, every zone got the limit its global shows, and its warning. */
static void mbuf_limits_applied(struct kunit *test)
{
	struct mbuf_zone_stats st;
	char warning[48];
	int t;

	for (t = 0; t < MBT_NLIMITS; t++) {
		uma_zone_t zone = &mbuf_zones[mbuf_limits_zone[t]];

		mbuf_zone_get_stats(zone, &st);
		KUNIT_EXPECT_GT_MSG(test, *mbuf_limit_var(t), 0, "%s",
				    mbuf_tunable_name(t));
		KUNIT_EXPECT_EQ_MSG(test, st.max, (long)*mbuf_limit_var(t),
				    "%s", mbuf_tunable_name(t));
		snprintf(warning, sizeof(warning), "kern.ipc.%s limit reached",
			 mbuf_tunable_name(t));
		KUNIT_ASSERT_NOT_NULL(test, zone->warning);
		KUNIT_EXPECT_STREQ(test, zone->warning, warning);
	}
	KUNIT_EXPECT_GT(test, maxmbufmem, 0);
	KUNIT_EXPECT_LE(test, maxmbufmem,
			((s64)totalram_pages() << PAGE_SHIFT) / 4 * 3);
	KUNIT_EXPECT_GE(test, (s64)nmbufs, mbuf_cluster_limits_sum());
}

/*
 * Allocation with the zones' limits: each case starts from flushed caches
 * (mbuf_kunit_init()), and ends with every zone's limit back at its
 * global's value and its in-use count at the baseline.
 */
static int mbuf_limits_case_init(struct kunit *test)
{
	mbuf_reclaim_wait();
	return mbuf_kunit_init(test);
}

static void mbuf_limits_case_exit(struct kunit *test)
{
	int t;

	mbuf_reclaim_wait();
	for (t = 0; t < MBT_NLIMITS; t++)
		mbuf_zone_set_limit(&mbuf_zones[mbuf_limits_zone[t]],
				    *mbuf_limit_var(t));
	mbuf_kunit_exit(test);
}

static void *mbuf_limits_alloc(enum mbuf_zone_id id, int how)
{
	if (id == MBZ_MBUF)
		return m_get(how, MT_DATA);
	return uma_zalloc(&mbuf_zones[id], how);
}

static void mbuf_limits_free(enum mbuf_zone_id id, void *item)
{
	if (id == MBZ_MBUF)
		m_free(item);
	else
		uma_zfree(&mbuf_zones[id], item);
}

/*
 * Hold one item (so the zone's charge is not 0, which as a limit means
 * none), empty the caches, and set the limit @room items above the charge.
 */
static void *mbuf_limits_squeeze(struct kunit *test, enum mbuf_zone_id id,
				 long room, struct mbuf_zone_stats *base)
{
	uma_zone_t zone = &mbuf_zones[id];
	void *keep = mbuf_limits_alloc(id, M_WAITOK);

	KUNIT_ASSERT_NOT_NULL(test, keep);
	mbuf_kunit_flush();
	mbuf_zone_get_stats(zone, base);
	KUNIT_EXPECT_EQ(test, mbuf_zone_set_limit(zone, base->charged + room),
			base->charged + room);
	return keep;
}

#define MBUF_LIMITS_ROOM	5

static void mbuf_limits_zone_desc(const enum mbuf_zone_id *id, char *desc)
{
	strscpy(desc, mbuf_zones[*id].name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_limits_exhaust, mbuf_limits_zone, mbuf_limits_zone_desc);

/* Up to the limit every M_NOWAIT allocation succeeds; past it, NULL. */
static void mbuf_limits_exhaust(struct kunit *test)
{
	enum mbuf_zone_id id = *(const enum mbuf_zone_id *)test->param_value;
	uma_zone_t zone = &mbuf_zones[id];
	void *items[MBUF_LIMITS_ROOM], *keep;
	struct mbuf_zone_stats base, st;
	int i, got = 0;

	keep = mbuf_limits_squeeze(test, id, MBUF_LIMITS_ROOM, &base);
	for (i = 0; i < MBUF_LIMITS_ROOM; i++) {
		items[i] = mbuf_limits_alloc(id, M_NOWAIT);
		if (items[i])
			got++;
	}
	KUNIT_EXPECT_EQ_MSG(test, got, MBUF_LIMITS_ROOM, "zone %s", zone->name);
	KUNIT_EXPECT_NULL_MSG(test, mbuf_limits_alloc(id, M_NOWAIT), "zone %s",
			      zone->name);
	KUNIT_EXPECT_NULL(test, mbuf_limits_alloc(id, M_NOWAIT));

	mbuf_zone_get_stats(zone, &st);
	KUNIT_EXPECT_EQ(test, st.charged, st.max);
	KUNIT_EXPECT_EQ(test, st.fails, base.fails + 2);
	KUNIT_EXPECT_EQ(test, st.limit_hits, base.limit_hits + 2);
	KUNIT_EXPECT_EQ(test, st.in_use, base.in_use + got);

	/* one back, one more fits */
	if (got) {
		mbuf_limits_free(id, items[--got]);
		items[got] = mbuf_limits_alloc(id, M_NOWAIT);
		KUNIT_EXPECT_NOT_NULL(test, items[got]);
		if (items[got])
			got++;
	}
	for (i = 0; i < got; i++)
		mbuf_limits_free(id, items[i]);
	mbuf_limits_free(id, keep);
}

/* At the cluster limit, clusters cached in packets are given back first. */
static void mbuf_limits_packet_drain(struct kunit *test)
{
	uma_zone_t clust = &mbuf_zones[MBZ_CLUST];
	struct mbuf *pk[MBUF_LIMITS_ROOM];
	struct mbuf_zone_stats st, pack;
	void *cl;
	int i;

	/* the packet cache that matters is this CPU's: stay on it */
	migrate_disable();
	for (i = 0; i < MBUF_LIMITS_ROOM; i++) {
		pk[i] = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
		KUNIT_ASSERT_NOT_NULL(test, pk[i]);
	}
	for (i = 0; i < MBUF_LIMITS_ROOM; i++)
		m_freem(pk[i]);
	mbuf_zone_flush_all(clust);
	mbuf_zone_get_stats(&mbuf_zones[MBZ_PACK], &pack);
	KUNIT_EXPECT_GE(test, pack.cached, (unsigned long)MBUF_LIMITS_ROOM);

	/* every cluster the limit allows sits in a cached packet */
	mbuf_zone_get_stats(clust, &st);
	mbuf_zone_set_limit(clust, st.charged);
	cl = uma_zalloc(zone_clust, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, cl);
	uma_zfree(zone_clust, cl);
	mbuf_zone_get_stats(clust, &st);
	KUNIT_EXPECT_GE(test, st.limit_hits, 1L);
	mbuf_zone_set_limit(clust, nmbclusters);
	migrate_enable();
}

struct mbuf_limits_sleeper {
	struct completion done;
	void *item;
};

static int mbuf_limits_sleeper_fn(void *arg)
{
	struct mbuf_limits_sleeper *s = arg;

	s->item = uma_zalloc(zone_jumbo9, M_WAITOK);
	complete(&s->done);
	return 0;
}

/* M_WAITOK at the limit sleeps until an item of the zone is freed. */
static void mbuf_limits_waitok_woken(struct kunit *test)
{
	uma_zone_t zone = &mbuf_zones[MBZ_JUMBO9];
	struct mbuf_limits_sleeper *s;
	struct mbuf_zone_stats base, st;
	struct task_struct *task;
	void *keep;
	int i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->done);
	keep = mbuf_limits_squeeze(test, MBZ_JUMBO9, 0, &base);

	task = kthread_run(mbuf_limits_sleeper_fn, s, "mbuf_limits_sleeper");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (i = 0; i < 250 && !atomic_read(&zone->sleepers); i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&zone->sleepers), 1);
	KUNIT_EXPECT_FALSE(test, completion_done(&s->done));

	/* well within the sleeper's own 10 s re-check */
	uma_zfree(zone_jumbo9, keep);
	if (!wait_for_completion_timeout(&s->done, 5 * HZ)) {
		KUNIT_FAIL(test, "the free did not wake the M_WAITOK sleeper");
		mbuf_zone_set_limit(zone, 0);
		wait_for_completion(&s->done);
	}
	KUNIT_EXPECT_NOT_NULL(test, s->item);
	mbuf_zone_get_stats(zone, &st);
	KUNIT_EXPECT_EQ(test, st.sleeps, base.sleeps + 1);
	KUNIT_EXPECT_EQ(test, st.fails, base.fails);
	uma_zfree(zone_jumbo9, s->item);
}

static void mbuf_limits_warn_reset(uma_zone_t zone, int interval)
{
	ratelimit_state_init(&zone->warn_rs, interval, 1);
	ratelimit_set_flags(&zone->warn_rs, RATELIMIT_MSG_ON_RELEASE);
}

/* The "limit reached" line: once, then at most once per interval. */
static void mbuf_limits_warning_rate(struct kunit *test)
{
	uma_zone_t zone = &mbuf_zones[MBZ_JUMBO16];
	struct mbuf_zone_stats base, st;
	long warned;
	void *keep;
	int i;

	keep = mbuf_limits_squeeze(test, MBZ_JUMBO16, 0, &base);
	mbuf_limits_warn_reset(zone, MBUF_ZONE_WARN_INTERVAL);
	warned = atomic_long_read(&zone->warnings);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_NULL(test, uma_zalloc(zone_jumbo16, M_NOWAIT));
	mbuf_zone_get_stats(zone, &st);
	KUNIT_EXPECT_EQ(test, st.limit_hits, base.limit_hits + 5);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zone->warnings), warned + 1);

	/* a one-jiffy interval: a hit after it is logged again */
	mbuf_limits_warn_reset(zone, 1);
	KUNIT_EXPECT_NULL(test, uma_zalloc(zone_jumbo16, M_NOWAIT));
	msleep(jiffies_to_msecs(2) + 10);
	KUNIT_EXPECT_NULL(test, uma_zalloc(zone_jumbo16, M_NOWAIT));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&zone->warnings), warned + 3);

	mbuf_limits_warn_reset(zone, MBUF_ZONE_WARN_INTERVAL);
	mbuf_limits_free(MBZ_JUMBO16, keep);
}

static struct kunit_case mbuf_limits_cases[] = {
	KUNIT_CASE_PARAM(mbuf_limits_derive, mbuf_limits_derive_gen_params),
	KUNIT_CASE_PARAM(mbuf_limits_refused, mbuf_limits_refused_gen_params),
	KUNIT_CASE(mbuf_limits_boundaries),
	KUNIT_CASE_PARAM(mbuf_limits_parse, mbuf_limits_parse_gen_params),
	KUNIT_CASE(mbuf_limits_applied),
	KUNIT_CASE_PARAM(mbuf_limits_exhaust, mbuf_limits_exhaust_gen_params),
	KUNIT_CASE(mbuf_limits_packet_drain),
	KUNIT_CASE(mbuf_limits_waitok_woken),
	KUNIT_CASE(mbuf_limits_warning_rate),
	{}
};

static struct kunit_suite mbuf_limits_suite = {
	.name = "mbuf_limits",
	.init = mbuf_limits_case_init,
	.exit = mbuf_limits_case_exit,
	.test_cases = mbuf_limits_cases,
};

kunit_test_suites(&mbuf_limits_suite);
