// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_sysctl: /proc/sys/net/mbuf, with FreeBSD's kern.ipc.nmb* rules.
 *
 * Strategy. The handlers are called through their table entries exactly
 * as procfs calls them (a kernel buffer, a length, an offset), which lets
 * every case see the handler's own return value:
 *  - every kind of bad input (not a number, trailing garbage, two numbers,
 *    negative, beyond int, lower than the limit) is written to each of the
 *    five limits and must give EINVAL, with the global and the zone's
 *    limit unchanged;
 *  - writing the current value succeeds and changes nothing; raising
 *    succeeds and reaches the zone;
 *  - the coverage rule: with nmbufs below the sum of the cluster limits a
 *    cluster limit cannot be raised, nmbufs can, and once it covers the
 *    clusters one raise is allowed again (FreeBSD checks before raising);
 *  - read-only entries refuse writes; mb_use_ext_pgs takes only 0 or 1;
 *  - every write is refused with EPERM when the writer lacks CAP_NET_ADMIN
 *    (credentials overridden with the capability dropped), reads still work.
 * One case then goes through a private procfs mount, so that the
 * registration, the modes and the real write path are covered too.
 * Each case saves the limits first and puts them back afterwards with
 * mbuf_limit_set(), since a sysctl can only raise them.
 */
#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "../mbufcompat/internal.h"
#include "mbuf_procfs.h"

static const char *const mbuf_sysctl_limits[MBT_NLIMITS] = {
	"nmbufs", "nmbclusters", "nmbjumbop", "nmbjumbo9", "nmbjumbo16",
};

struct mbuf_sysctl_saved {
	int limit[MBT_NLIMITS];
	bool use_ext_pgs;
};

static int mbuf_sysctl_call(struct kunit *test, const char *name, int write,
			    char *buf, size_t *len)
{
	MBUF_CTL_TABLE *t = mbuf_sysctl_find(name);
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL_MSG(test, t, "no sysctl %s", name);
	return t->proc_handler(t, write, buf, len, &pos);
}

static int mbuf_sysctl_write(struct kunit *test, const char *name,
			     const char *val)
{
	char buf[64];
	size_t len = strscpy(buf, val, sizeof(buf));

	return mbuf_sysctl_call(test, name, 1, buf, &len);
}

static int mbuf_sysctl_write_int(struct kunit *test, const char *name,
				 long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld\n", val);
	return mbuf_sysctl_write(test, name, buf);
}

static long long mbuf_sysctl_read(struct kunit *test, const char *name)
{
	char buf[64] = "";
	size_t len = sizeof(buf) - 1;
	long long val;

	KUNIT_ASSERT_EQ(test, mbuf_sysctl_call(test, name, 0, buf, &len), 0);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_EQ_MSG(test, buf[len - 1], '\n', "%s: \"%s\"", name, buf);
	buf[len - 1] = '\0';
	KUNIT_ASSERT_EQ_MSG(test, kstrtoll(buf, 10, &val), 0, "%s: \"%s\"",
			    name, buf);
	return val;
}

static long mbuf_sysctl_zone_max(enum mbuf_tunable t)
{
	static const enum mbuf_zone_id zone[MBT_NLIMITS] = {
		MBZ_MBUF, MBZ_CLUST, MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
	};
	struct mbuf_zone_stats st;

	mbuf_zone_get_stats(&mbuf_zones[zone[t]], &st);
	return st.max;
}

static int mbuf_sysctl_case_init(struct kunit *test)
{
	struct mbuf_sysctl_saved *s = kunit_kzalloc(test, sizeof(*s),
						    GFP_KERNEL);
	int t;

	if (!s)
		return -ENOMEM;
	for (t = 0; t < MBT_NLIMITS; t++)
		s->limit[t] = *mbuf_limit_var(t);
	s->use_ext_pgs = READ_ONCE(mb_use_ext_pgs);
	test->priv = s;
	return 0;
}

/* Put the limits back as they were (a sysctl can only raise them). */
static void mbuf_sysctl_restore(struct kunit *test)
{
	struct mbuf_sysctl_saved *s = test->priv;
	int t;

	for (t = 0; t < MBT_NLIMITS; t++) {
		if (*mbuf_limit_var(t) != s->limit[t])
			mbuf_limit_set(t, s->limit[t]);
		KUNIT_EXPECT_EQ(test, *mbuf_limit_var(t), s->limit[t]);
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_zone_max(t),
				(long)s->limit[t]);
	}
	WRITE_ONCE(mb_use_ext_pgs, s->use_ext_pgs);
}

static void mbuf_sysctl_case_exit(struct kunit *test)
{
	mbuf_sysctl_restore(test);
}

static void mbuf_sysctl_reads(struct kunit *test)
{
	int t;

	for (t = 0; t < MBT_NLIMITS; t++)
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_read(test, mbuf_sysctl_limits[t]),
				(long long)*mbuf_limit_var(t));
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_read(test, "maxmbufmem"), maxmbufmem);
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_read(test, "num_snd_tags"),
			(long long)mbuf_snd_tag_count());
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_read(test, "mb_use_ext_pgs"),
			(long long)mb_use_ext_pgs);
	KUNIT_EXPECT_NULL(test, mbuf_sysctl_find("no_such_entry"));
}

struct mbuf_sysctl_bad {
	const char *text;	/* written as is, or after the number */
	bool relative;		/* write (current + delta) then text */
	int delta;
};

static const struct mbuf_sysctl_bad mbuf_sysctl_bad_inputs[] = {
	{ "abc" }, { "\n" }, { " " }, { "12abc" }, { "1.5" }, { "0x" },
	{ "+" }, { "-" }, { "-1" }, { "0" }, { "-2147483648" },
	{ "-2147483649" }, { "2147483648" }, { "4294967297" },
	{ "99999999999999999999" }, { "1e9" },
	{ "", true, -1 },		/* lowering by one */
	{ "\n", true, -1 },
	{ " junk", true, 1 },		/* a raise followed by garbage */
	{ " 7", true, 1 },		/* two numbers */
	{ "x", true, 1 },
};

static void mbuf_sysctl_bad_desc(const struct mbuf_sysctl_bad *c, char *desc)
{
	if (c->relative)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "current%+d then \"%s\"",
			 c->delta, c->text);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->text);
}

KUNIT_ARRAY_PARAM(mbuf_sysctl_bad_input, mbuf_sysctl_bad_inputs,
		  mbuf_sysctl_bad_desc);

static void mbuf_sysctl_bad_input(struct kunit *test)
{
	const struct mbuf_sysctl_bad *c = test->param_value;
	char buf[64];
	int t, cur;
	long max;

	for (t = 0; t < MBT_NLIMITS; t++) {
		cur = *mbuf_limit_var(t);
		max = mbuf_sysctl_zone_max(t);
		if (c->relative)
			snprintf(buf, sizeof(buf), "%d%s", cur + c->delta,
				 c->text);
		else
			strscpy(buf, c->text, sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test,
				    mbuf_sysctl_write(test, mbuf_sysctl_limits[t], buf),
				    -EINVAL, "%s <- \"%s\"",
				    mbuf_sysctl_limits[t], buf);
		KUNIT_EXPECT_EQ(test, *mbuf_limit_var(t), cur);
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_zone_max(t), max);
	}
}

static void mbuf_sysctl_same_value(struct kunit *test)
{
	char forms[3][32];
	int t, i, cur;

	for (t = 0; t < MBT_NLIMITS; t++) {
		cur = *mbuf_limit_var(t);
		snprintf(forms[0], sizeof(forms[0]), "%d", cur);
		snprintf(forms[1], sizeof(forms[1]), "%d\n", cur);
		snprintf(forms[2], sizeof(forms[2]), "  %d\t\n", cur);
		for (i = 0; i < ARRAY_SIZE(forms); i++) {
			KUNIT_EXPECT_EQ_MSG(test,
					    mbuf_sysctl_write(test, mbuf_sysctl_limits[t],
							      forms[i]),
					    0, "%s <- \"%s\"",
					    mbuf_sysctl_limits[t], forms[i]);
			KUNIT_EXPECT_EQ(test, *mbuf_limit_var(t), cur);
		}
		/* even when nmbufs no longer covers the clusters */
		mbuf_limit_set(MBT_NMBUFS, mbuf_cluster_limits_sum() - 1);
		cur = *mbuf_limit_var(t);
		KUNIT_EXPECT_EQ(test,
				mbuf_sysctl_write_int(test, mbuf_sysctl_limits[t], cur),
				0);
		KUNIT_EXPECT_EQ(test, *mbuf_limit_var(t), cur);
		mbuf_sysctl_restore(test);
	}
}

static void mbuf_sysctl_raise(struct kunit *test)
{
	int t, cur;

	for (t = 0; t < MBT_NLIMITS; t++) {
		cur = *mbuf_limit_var(t);
		KUNIT_EXPECT_EQ_MSG(test,
				    mbuf_sysctl_write_int(test, mbuf_sysctl_limits[t],
							  cur + 1000),
				    0, "%s", mbuf_sysctl_limits[t]);
		KUNIT_EXPECT_GE(test, *mbuf_limit_var(t), cur + 1000);
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_zone_max(t),
				(long)*mbuf_limit_var(t));
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_read(test, mbuf_sysctl_limits[t]),
				(long long)*mbuf_limit_var(t));
		/* put it back before raising the next */
		mbuf_sysctl_restore(test);
	}
	/* hex is a number too, as for any integer sysctl */
	cur = nmbufs;
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write(test, "nmbufs", "0x7fffffff"), 0);
	KUNIT_EXPECT_EQ(test, nmbufs, INT_MAX);
	KUNIT_EXPECT_GT(test, nmbufs, cur);
}

static void mbuf_sysctl_coverage(struct kunit *test)
{
	s64 sum = mbuf_cluster_limits_sum();
	int t, cur;

	mbuf_limit_set(MBT_NMBUFS, sum - 1);
	for (t = MBT_NMBCLUSTERS; t < MBT_NLIMITS; t++) {
		cur = *mbuf_limit_var(t);
		KUNIT_EXPECT_EQ_MSG(test,
				    mbuf_sysctl_write_int(test, mbuf_sysctl_limits[t],
							  cur + 1),
				    -EINVAL, "%s", mbuf_sysctl_limits[t]);
		KUNIT_EXPECT_EQ(test, *mbuf_limit_var(t), cur);
	}

	/* nmbufs may always be raised; then the clusters may be again */
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write_int(test, "nmbufs", sum), 0);
	KUNIT_EXPECT_EQ(test, (s64)nmbufs, sum);
	cur = nmbclusters;
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write_int(test, "nmbclusters", cur + 5),
			0);
	KUNIT_EXPECT_EQ(test, nmbclusters, cur + 5);

	/* FreeBSD checks coverage before the raise: now it is short again */
	cur = nmbjumbop;
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write_int(test, "nmbjumbop", cur + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nmbjumbop, cur);
}

static void mbuf_sysctl_read_only(struct kunit *test)
{
	static const char *const names[] = { "maxmbufmem", "num_snd_tags" };
	s64 mem = maxmbufmem;
	int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_find(names[i])->mode, 0444);
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_write(test, names[i], "1"),
				-EPERM);
	}
	KUNIT_EXPECT_EQ(test, maxmbufmem, mem);
	for (i = 0; i < MBT_NLIMITS; i++)
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_find(mbuf_sysctl_limits[i])->mode,
				0644);
}

static void mbuf_sysctl_use_ext_pgs(struct kunit *test)
{
	static const char *const bad[] = { "2", "-1", "abc", "1 1", "" };
	int i;

	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write(test, "mb_use_ext_pgs", "0"), 0);
	KUNIT_EXPECT_FALSE(test, mb_use_ext_pgs);
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_read(test, "mb_use_ext_pgs"), 0);
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write(test, "mb_use_ext_pgs", "1\n"),
			0);
	KUNIT_EXPECT_TRUE(test, mb_use_ext_pgs);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* an empty write is no write at all */
		int want = *bad[i] ? -EINVAL : 0;

		KUNIT_EXPECT_EQ_MSG(test,
				    mbuf_sysctl_write(test, "mb_use_ext_pgs", bad[i]),
				    want, "\"%s\"", bad[i]);
		KUNIT_EXPECT_TRUE(test, mb_use_ext_pgs);
	}
}

static void mbuf_sysctl_unprivileged(struct kunit *test)
{
	const struct cred *old;
	struct cred *cred;
	int t, cur;

	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, CAP_NET_ADMIN);
	old = override_creds(cred);

	for (t = 0; t < MBT_NLIMITS; t++) {
		cur = *mbuf_limit_var(t);
		KUNIT_EXPECT_EQ_MSG(test,
				    mbuf_sysctl_write_int(test, mbuf_sysctl_limits[t],
							  cur + 1000),
				    -EPERM, "%s", mbuf_sysctl_limits[t]);
		KUNIT_EXPECT_EQ(test, *mbuf_limit_var(t), cur);
		/* reading needs nothing */
		KUNIT_EXPECT_EQ(test, mbuf_sysctl_read(test, mbuf_sysctl_limits[t]),
				(long long)cur);
	}
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write(test, "mb_use_ext_pgs",
						mb_use_ext_pgs ? "0" : "1"),
			-EPERM);

	revert_creds(old);
	put_cred(cred);

	/* and with the capability back, the same write works */
	KUNIT_EXPECT_EQ(test, mbuf_sysctl_write_int(test, "nmbufs", nmbufs + 1),
			0);
}

/* The same rules through a real procfs, with its own permission checks. */
static void mbuf_sysctl_procfs(struct kunit *test)
{
	struct vfsmount *mnt = mbuf_procfs_mount(test);
	char buf[64], want[32];
	int cur = nmbclusters;

	if (!mnt)
		return;
	snprintf(want, sizeof(want), "%d\n", cur);
	KUNIT_EXPECT_EQ(test, mbuf_procfs_read(mnt, "sys/net/mbuf/nmbclusters",
					       buf, sizeof(buf)),
			(ssize_t)strlen(want));
	KUNIT_EXPECT_STREQ(test, buf, want);

	snprintf(buf, sizeof(buf), "%d\n", cur - 1);
	KUNIT_EXPECT_EQ(test, mbuf_procfs_write(mnt, "sys/net/mbuf/nmbclusters",
						buf),
			(ssize_t)-EINVAL);
	KUNIT_EXPECT_EQ(test, nmbclusters, cur);
	KUNIT_EXPECT_EQ(test, mbuf_procfs_write(mnt, "sys/net/mbuf/nmbclusters",
						want),
			(ssize_t)strlen(want));
	snprintf(buf, sizeof(buf), "%d\n", cur + 1);
	KUNIT_EXPECT_EQ(test, mbuf_procfs_write(mnt, "sys/net/mbuf/nmbclusters",
						buf),
			(ssize_t)strlen(buf));
	KUNIT_EXPECT_EQ(test, nmbclusters, cur + 1);

	/* read-only even for root: the open is refused */
	KUNIT_EXPECT_EQ(test, mbuf_procfs_write(mnt, "sys/net/mbuf/maxmbufmem",
						"1\n"),
			(ssize_t)-EACCES);
	KUNIT_EXPECT_GT(test, mbuf_procfs_read(mnt, "sys/net/mbuf/num_snd_tags",
					       buf, sizeof(buf)),
			(ssize_t)0);
	KUNIT_EXPECT_GT(test, mbuf_procfs_read(mnt, "sys/net/mbuf/mb_use_ext_pgs",
					       buf, sizeof(buf)),
			(ssize_t)0);
	mntput(mnt);
}

static struct kunit_case mbuf_sysctl_cases[] = {
	KUNIT_CASE(mbuf_sysctl_reads),
	KUNIT_CASE_PARAM(mbuf_sysctl_bad_input, mbuf_sysctl_bad_input_gen_params),
	KUNIT_CASE(mbuf_sysctl_same_value),
	KUNIT_CASE(mbuf_sysctl_raise),
	KUNIT_CASE(mbuf_sysctl_coverage),
	KUNIT_CASE(mbuf_sysctl_read_only),
	KUNIT_CASE(mbuf_sysctl_use_ext_pgs),
	KUNIT_CASE(mbuf_sysctl_unprivileged),
	KUNIT_CASE(mbuf_sysctl_procfs),
	{}
};

static struct kunit_suite mbuf_sysctl_suite = {
	.name = "mbuf_sysctl",
	.init = mbuf_sysctl_case_init,
	.exit = mbuf_sysctl_case_exit,
	.test_cases = mbuf_sysctl_cases,
};

kunit_test_suites(&mbuf_sysctl_suite);
