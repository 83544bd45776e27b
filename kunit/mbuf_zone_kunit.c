// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_zone: the zone core (per-CPU magazines, limits, uma(9) calls).
 *
 * Strategy. Every case starts from empty magazines where the numbers
 * depend on it (mbuf_zk_quiesce()), so that the counts it predicts are
 * exact: a first allocation refills one batch, a free pushes one item, a
 * flush empties everything; and the invariant of the limit accounting,
 * charge == items in use + cached (+ the packet zone's pairs for mbufs and
 * clusters), is checked after each movement. The limit is tested at
 * FreeBSD's semantics: with room for N items, exactly N M_NOWAIT
 * allocations succeed (N below and above one batch, so that a partial
 * batch is granted), the next fails and is counted as a failure and a
 * limit hit, and the "limit reached" line is logged the first time only
 * within the interval. M_WAITOK at the limit must sleep, be counted, and
 * be woken by a free from another thread, or by raising the limit; the
 * race between going to sleep and the free is run many times with the
 * free before, during and after the sleep, each bounded so that a lost
 * wake-up fails the case instead of hanging it. Cases that allocate in a
 * row pin themselves to one CPU so that a migration cannot strand charged
 * items in another CPU's magazine. A zone object with a private backend
 * and no magazine (what debugnet builds) checks that the generic code
 * needs nothing else. Every case ends with all limits restored and every
 * zone's in-use count back at its baseline (mbuf_zk_exit()).
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "mbuf_procfs.h"
#include "mbuf_zone_kunit.h"

/* The zones that have a limit. */
static const enum mbuf_zone_id mbuf_zk_limited[] = {
	MBZ_MBUF, MBZ_CLUST, MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
};

static void mbuf_zk_zone_desc(const enum mbuf_zone_id *id, char *desc)
{
	strscpy(desc, MBZ(*id)->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_zk_limited, mbuf_zk_limited, mbuf_zk_zone_desc);

/* FreeBSD's names and sizes, and the handles drivers use. */
static void mbuf_zone_names(struct kunit *test)
{
	static const struct {
		uma_zone_t *handle;
		const char *name;
		unsigned int size;
	} z[] = {
		{ &zone_mbuf, "mbuf", 256 },
		{ &zone_clust, "mbuf_cluster", 2048 },
		{ &zone_pack, "mbuf_packet", 256 },
		{ &zone_jumbop, "mbuf_jumbo_page", PAGE_SIZE },
		{ &zone_jumbo9, "mbuf_jumbo_9k", 9216 },
		{ &zone_jumbo16, "mbuf_jumbo_16k", 16384 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(z); i++) {
		KUNIT_EXPECT_PTR_EQ(test, *z[i].handle, MBZ(i));
		KUNIT_EXPECT_STREQ(test, MBZ(i)->name, z[i].name);
		KUNIT_EXPECT_EQ(test, MBZ(i)->size, z[i].size);
		KUNIT_EXPECT_EQ(test, (int)MBZ(i)->id, i);
	}
	KUNIT_EXPECT_STREQ(test, MBZ(MBZ_CLUST)->warning,
			   "kern.ipc.nmbclusters limit reached");
	KUNIT_EXPECT_STREQ(test, MBZ(MBZ_MBUF)->warning,
			   "kern.ipc.nmbufs limit reached");
}

/* A number from a sysfs file under @mnt, or -errno. */
static long mbuf_zk_sysfs_long(struct vfsmount *mnt, const char *path)
{
	char buf[32];
	ssize_t n;
	long v;

	n = mbuf_procfs_read(mnt, path, buf, sizeof(buf));
	if (n < 0)
		return n;
	return kstrtol(strim(buf), 10, &v) ? -EINVAL : v;
}

/*
 * Each zone's own cache is registered under its name, unmerged, so it
 * shows in /proc/slabinfo. procfs's slabinfo cannot be read from the
 * kernel (no read_iter), so the same caches are looked up in sysfs
 * (/sys/kernel/slab/<name>), where a cache merged into another would show
 * as an alias: its aliases count must be 0.
 */
static void mbuf_zone_slab_caches(struct kunit *test)
{
	static const struct {
		const char *name;
		long size;	/* 0: a block descriptor, any size */
	} c[] = {
		{ "mbuf", MSIZE },
		{ "mbuf_cluster", 0 },	/* block descriptors: clusters are pages */
		{ "mbuf_jumbo_page", 0 },
		{ "mbuf_jumbo_9k", 0 },
		{ "mbuf_jumbo_16k", 0 },
	};
	struct file_system_type *fs = get_fs_type("sysfs");
	struct vfsmount *mnt;
	char path[64];
	long v;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, fs);
	mnt = vfs_kern_mount(fs, 0, "sysfs", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	if (mbuf_zk_sysfs_long(mnt, "kernel/slab/mbuf/aliases") == -ENOENT) {
		mntput(mnt);
		kunit_skip(test, "no /sys/kernel/slab");
	}
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		snprintf(path, sizeof(path), "kernel/slab/%s/object_size",
			 c[i].name);
		v = mbuf_zk_sysfs_long(mnt, path);
		if (c[i].size)
			KUNIT_EXPECT_EQ_MSG(test, v, c[i].size, "%s", path);
		else
			KUNIT_EXPECT_GT_MSG(test, v, 0L, "%s", path);
		snprintf(path, sizeof(path), "kernel/slab/%s/aliases",
			 c[i].name);
		KUNIT_EXPECT_EQ_MSG(test, mbuf_zk_sysfs_long(mnt, path), 0L,
				    "%s", path);
		snprintf(path, sizeof(path), "kernel/slab/%s/slab_size",
			 c[i].name);
		kunit_info(test, "%s: object_size %ld slab_size %ld\n",
			   c[i].name, v, mbuf_zk_sysfs_long(mnt, path));
	}
	mntput(mnt);
}

/* Refill one batch, push on free, spill a batch when full, flush all. */
static void mbuf_zone_magazine(struct kunit *test)
{
	uma_zone_t z = zone_mbuf;
	void **items;
	int i, n = 2 * MBZ_MAG_MAX + 3;
	struct mbuf_zone_stats st0, st;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	mbuf_zk_quiesce();
	st0 = mbuf_zk_stats(z);
	KUNIT_EXPECT_EQ(test, st0.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st0.charged, mbuf_zone_outstanding(z));

	items[0] = mbuf_zk_alloc(z, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, items[0]);
	st = mbuf_zk_stats(z);
	KUNIT_EXPECT_EQ(test, st.cached, (unsigned long)z->batch - 1);
	KUNIT_EXPECT_EQ(test, st.in_use, st0.in_use + 1);
	KUNIT_EXPECT_EQ(test, st.allocs, st0.allocs + 1);
	KUNIT_EXPECT_EQ(test, st.charged, st0.charged + z->batch);

	uma_zfree(z, items[0]);
	st = mbuf_zk_stats(z);
	KUNIT_EXPECT_EQ(test, st.cached, (unsigned long)z->batch);
	KUNIT_EXPECT_EQ(test, st.in_use, st0.in_use);
	KUNIT_EXPECT_EQ(test, st.frees, st0.frees + 1);
	KUNIT_EXPECT_EQ(test, st.charged, mbuf_zone_outstanding(z));

	for (i = 0; i < n; i++) {
		items[i] = mbuf_zk_alloc(z, M_NOWAIT);
		KUNIT_ASSERT_NOT_NULL(test, items[i]);
	}
	for (i = 0; i < n; i++)
		uma_zfree(z, items[i]);
	/* The magazine kept what fits, full batches went to the depot. */
	st = mbuf_zk_stats(z);
	KUNIT_EXPECT_LE(test, st.cached - z->depot_items,
			(unsigned long)z->mag_size);
	KUNIT_EXPECT_GT(test, st.cached - z->depot_items,
			(unsigned long)(z->mag_size - z->batch));
	KUNIT_EXPECT_GT(test, z->depot_items, 0U);
	KUNIT_EXPECT_EQ(test, z->depot_items % z->batch, 0U);
	KUNIT_EXPECT_EQ(test, st.in_use, st0.in_use);
	KUNIT_EXPECT_EQ(test, st.charged, mbuf_zone_outstanding(z));

	mbuf_zone_flush_all(z);
	st = mbuf_zk_stats(z);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.charged, st0.charged);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(z), 0UL);
}

/*
 * A receive ring's worth, allocated then freed, twice: the second round
 * comes entirely from the magazine and the depot, without the backend
 * (the charge does not move), and a flush gives it all back.
 */
static void mbuf_zone_depot(struct kunit *test)
{
	uma_zone_t z = zone_clust;
	int i, round, n = 256;
	long charged0, charged;
	void **items;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	mbuf_zk_quiesce();
	charged0 = mbuf_zk_stats(z).charged;
	migrate_disable();
	for (round = 0; round < 2; round++) {
		charged = mbuf_zk_stats(z).charged;
		for (i = 0; i < n; i++) {
			items[i] = mbuf_zk_alloc(z, M_NOWAIT);
			KUNIT_ASSERT_NOT_NULL(test, items[i]);
		}
		if (round)
			KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).charged, charged);
		for (i = 0; i < n; i++)
			uma_zfree(z, items[i]);
		KUNIT_EXPECT_GE(test, z->depot_items,
				(unsigned int)(n - z->mag_size));
	}
	migrate_enable();
	mbuf_zone_flush_all(z);
	KUNIT_EXPECT_EQ(test, z->depot_items, 0U);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(z), 0UL);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).charged, charged0);
}

/*
 * Room for exactly @room items: @room succeed, the next fails, counted,
 * and the warning is logged once for two hits.
 */
static void mbuf_zk_limit_run(struct kunit *test, uma_zone_t z, int room)
{
	struct mbuf_zone_stats st0, st;
	long warned, hits;
	void **items;
	int i, got;

	items = kunit_kcalloc(test, room + 1, sizeof(*items), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	mbuf_zk_quiesce();
	migrate_disable();
	st0 = mbuf_zk_stats(z);
	mbuf_zone_set_limit(z, st0.charged + room);
	ratelimit_state_init(&z->warn_rs, MBUF_ZONE_WARN_INTERVAL, 1);
	ratelimit_set_flags(&z->warn_rs, RATELIMIT_MSG_ON_RELEASE);
	warned = atomic_long_read(&z->warnings);
	hits = atomic_long_read(&z->limit_hits);

	for (got = 0; got <= room; got++) {
		items[got] = mbuf_zk_alloc(z, M_NOWAIT);
		if (!items[got])
			break;
	}
	KUNIT_EXPECT_EQ(test, got, room);
	st = mbuf_zk_stats(z);
	KUNIT_EXPECT_EQ(test, st.charged, st0.charged + room);
	KUNIT_EXPECT_EQ(test, st.fails, st0.fails + 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&z->limit_hits), hits + 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&z->warnings), warned + 1);
	KUNIT_EXPECT_TRUE(test, uma_zone_exhausted(z));

	/* Again: denied and counted, but not logged within the interval. */
	KUNIT_EXPECT_NULL(test, mbuf_zk_alloc(z, M_NOWAIT));
	st = mbuf_zk_stats(z);
	KUNIT_EXPECT_EQ(test, st.fails, st0.fails + 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&z->limit_hits), hits + 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&z->warnings), warned + 1);
	migrate_enable();

	for (i = 0; i < got; i++)
		uma_zfree(z, items[i]);
	mbuf_zone_flush_all(z);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).charged, st0.charged);
}

static void mbuf_zone_limit_exact(struct kunit *test)
{
	const enum mbuf_zone_id *id = test->param_value;

	/* Less than a batch, then more than one (a partial second batch). */
	mbuf_zk_limit_run(test, MBZ(*id), 3);
	mbuf_zk_limit_run(test, MBZ(*id), MBZ_BATCH_MAX + 5);
}

/* Fill @z to a limit of charged + @room; the items go in @items. */
static void mbuf_zk_fill_to_limit(struct kunit *test, uma_zone_t z,
				  void **items, int room)
{
	int i;

	mbuf_zk_quiesce();
	mbuf_zone_set_limit(z, mbuf_zk_stats(z).charged + room);
	migrate_disable();
	for (i = 0; i < room; i++) {
		items[i] = mbuf_zk_alloc(z, M_NOWAIT);
		KUNIT_EXPECT_NOT_NULL(test, items[i]);
	}
	migrate_enable();
}

/* M_WAITOK at the limit sleeps, is counted, and a free wakes it. */
static void mbuf_zone_waitok_sleeps(struct kunit *test)
{
	uma_zone_t z = zone_mbuf;
	struct mbuf_zk_waiter *w;
	unsigned long sleeps;
	void *items[2];

	mbuf_zk_fill_to_limit(test, z, items, 2);
	sleeps = mbuf_zk_stats(z).sleeps;
	w = mbuf_zk_waiter_start(test, z);
	if (!mbuf_zk_sleepers(z, 1)) {
		KUNIT_FAIL(test, "M_WAITOK did not sleep at the limit");
		mbuf_zk_waiter_done(w, 0);
	} else {
		KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
		KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).sleeps, sleeps + 1);
		uma_zfree(z, items[0]);
		items[0] = NULL;
		KUNIT_EXPECT_TRUE_MSG(test, mbuf_zk_waiter_done(w, 2 * HZ),
				      "the free did not wake the sleeper");
	}
	KUNIT_EXPECT_NOT_NULL(test, w->item);
	KUNIT_EXPECT_EQ(test, atomic_read(&z->sleepers), 0);
	uma_zfree(z, w->item);
	uma_zfree(z, items[0]);
	uma_zfree(z, items[1]);
}

/*
 * The free races the sleeper going to sleep: before it starts, while it
 * registers, after it sleeps. None may be lost.
 */
static void mbuf_zone_waitok_no_lost_wakeup(struct kunit *test)
{
	uma_zone_t z = zone_clust;
	struct mbuf_zk_waiter *w;
	void *item;
	int i;

	for (i = 0; i < 24; i++) {
		mbuf_zk_fill_to_limit(test, z, &item, 1);
		w = mbuf_zk_waiter_start(test, z);
		switch (i % 4) {
		case 0:
			break;
		case 1:
			cond_resched();
			break;
		case 2:
			udelay(50 * (i % 7));
			break;
		default:
			mbuf_zk_sleepers(z, 1);
			break;
		}
		uma_zfree(z, item);
		KUNIT_EXPECT_TRUE_MSG(test, mbuf_zk_waiter_done(w, 2 * HZ),
				      "lost wake-up in round %d", i);
		KUNIT_EXPECT_NOT_NULL(test, w->item);
		uma_zfree(z, w->item);
	}
}

/* Raising the limit wakes the sleepers. */
static void mbuf_zone_raise_wakes(struct kunit *test)
{
	uma_zone_t z = zone_jumbop;
	struct mbuf_zk_waiter *w;
	void *item;

	mbuf_zk_fill_to_limit(test, z, &item, 1);
	w = mbuf_zk_waiter_start(test, z);
	KUNIT_EXPECT_TRUE(test, mbuf_zk_sleepers(z, 1));
	mbuf_zone_set_limit(z, READ_ONCE(z->max) + 1);
	KUNIT_EXPECT_TRUE_MSG(test, mbuf_zk_waiter_done(w, 2 * HZ),
			      "raising the limit did not wake the sleeper");
	KUNIT_EXPECT_NOT_NULL(test, w->item);
	uma_zfree(z, w->item);
	uma_zfree(z, item);
}

/* flush_all (process context) and drain (local now, others by work). */
static void mbuf_zone_flush_drain(struct kunit *test)
{
	void *items[MBZ_BATCH_MAX];
	int id, i;

	for (id = 0; id < MBZ_NZONES; id++) {
		for (i = 0; i < ARRAY_SIZE(items); i++)
			items[i] = mbuf_zk_alloc(MBZ(id), M_WAITOK);
		for (i = 0; i < ARRAY_SIZE(items); i++)
			uma_zfree(MBZ(id), items[i]);
		KUNIT_EXPECT_GT(test, mbuf_zone_cached(MBZ(id)), 0UL);
	}
	for (id = 0; id < MBZ_NZONES; id++) {
		if (id == MBZ_JUMBO9) {
			mbuf_zone_drain(MBZ(id));
			flush_work(&MBZ(id)->drain_work);
		} else {
			mbuf_zone_flush_all(MBZ(id));
		}
		KUNIT_EXPECT_EQ_MSG(test, mbuf_zone_cached(MBZ(id)), 0UL,
				    "zone %s", MBZ(id)->name);
	}
	for (id = 0; id < MBZ_NZONES; id++)
		if (id != MBZ_PACK)
			KUNIT_EXPECT_EQ_MSG(test, mbuf_zk_stats(MBZ(id)).charged,
					    mbuf_zone_outstanding(MBZ(id)),
					    "zone %s", MBZ(id)->name);
}

/* Injected failures hit M_NOWAIT only, are counted, and leak nothing. */
static void mbuf_zone_fault(struct kunit *test)
{
	uma_zone_t z = zone_mbuf;
	struct mbuf_zone_stats st0 = mbuf_zk_stats(z);
	void *a, *b, *c, *d;

	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 1, 2);
	a = mbuf_zk_alloc(z, M_NOWAIT);
	b = mbuf_zk_alloc(z, M_NOWAIT);
	c = mbuf_zk_alloc(zone_clust, M_NOWAIT);	/* not in the mask */
	d = mbuf_zk_alloc(z, M_WAITOK);			/* never fails */
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, b);
	KUNIT_EXPECT_NOT_NULL(test, c);
	KUNIT_EXPECT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	uma_zfree(z, d);
	d = mbuf_zk_alloc(z, M_NOWAIT);
	KUNIT_EXPECT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 2UL);
	d = mbuf_zk_alloc(z, M_NOWAIT);			/* times used up */
	KUNIT_EXPECT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).fails, st0.fails + 2);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).in_use, st0.in_use + 2);
	mbuf_fault_clear();
	uma_zfree(z, a);
	uma_zfree(z, d);
	uma_zfree(zone_clust, c);
}

/* The uma(9) calls on a zone. */
static void mbuf_zone_uma_calls(struct kunit *test)
{
	uma_zone_t z = zone_jumbo16;
	int cur = uma_zone_get_cur(z);
	long charged;
	void *item;
	char *cl;

	KUNIT_EXPECT_EQ(test, uma_zone_set_max(z, 12345), 12345);
	KUNIT_EXPECT_EQ(test, uma_zone_get_max(z), 12345);
	KUNIT_EXPECT_FALSE(test, uma_zone_exhausted(z));
	item = uma_zalloc(z, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, item);
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), cur + 1);
	charged = mbuf_zk_stats(z).charged;
	uma_zone_set_max(z, charged);
	KUNIT_EXPECT_TRUE(test, uma_zone_exhausted(z));
	uma_zone_set_max(z, 0);
	KUNIT_EXPECT_FALSE(test, uma_zone_exhausted(z));
	uma_zfree(z, item);
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), cur);
	uma_zfree(z, NULL);

	/* M_ZERO: the item handed out is zeroed, whatever it held before. */
	cl = uma_zalloc(zone_clust, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	memset(cl, 0xa5, MCLBYTES);
	uma_zfree(zone_clust, cl);
	cl = uma_zalloc(zone_clust, M_NOWAIT | M_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(cl, 0, MCLBYTES));
	uma_zfree(zone_clust, cl);
}

/* Accounting off charges nothing and enforces nothing. */
static void mbuf_zone_accounting_off(struct kunit *test)
{
	uma_zone_t z = zone_clust;
	void *items[3];
	long charged;
	int i;

	mbuf_zk_quiesce();
	charged = mbuf_zk_stats(z).charged;
	mbuf_zone_set_limit(z, charged + 1);
	mbuf_zone_set_accounting(false);
	for (i = 0; i < ARRAY_SIZE(items); i++) {
		items[i] = mbuf_zk_alloc(z, M_NOWAIT);
		KUNIT_EXPECT_NOT_NULL(test, items[i]);
	}
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).charged, charged);
	for (i = 0; i < ARRAY_SIZE(items); i++)
		uma_zfree(z, items[i]);
	mbuf_zone_set_accounting(true);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).charged, mbuf_zone_outstanding(z));
	/* ... and with it back on, the limit holds again. */
	mbuf_zone_flush_all(z);
	mbuf_zone_set_limit(z, mbuf_zk_stats(z).charged + 1);
	items[0] = mbuf_zk_alloc(z, M_NOWAIT);
	items[1] = mbuf_zk_alloc(z, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, items[0]);
	KUNIT_EXPECT_NULL(test, items[1]);
	uma_zfree(z, items[0]);
}

/*
 * A zone object of its own, with a private backend and no magazine, as
 * debugnet builds them: every allocation imports one item, every free
 * releases it, and the limit and statistics still work.
 */
struct mbuf_zk_backend {
	int imports, releases;
};

static int mbuf_zk_import(uma_zone_t zone, void **items, int n, gfp_t gfp)
{
	struct mbuf_zk_backend *be = zone->backend;
	int i;

	for (i = 0; i < n; i++) {
		items[i] = kmalloc(zone->size, gfp);
		if (!items[i])
			break;
	}
	be->imports += i;
	return i;
}

static void mbuf_zk_release(uma_zone_t zone, void **items, int n)
{
	struct mbuf_zk_backend *be = zone->backend;
	int i;

	for (i = 0; i < n; i++)
		kfree(items[i]);
	be->releases += n;
}

static const struct mbuf_zone_ops mbuf_zk_ops = {
	.import = mbuf_zk_import,
	.release = mbuf_zk_release,
};

static void mbuf_zone_private(struct kunit *test)
{
	struct mbuf_zk_backend be = { 0 };
	struct uma_zone *z;
	struct mbuf *m;
	void *a, *b;

	z = kunit_kzalloc(test, sizeof(*z), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_ASSERT_EQ(test, mbuf_zone_setup(z, "mbuf_zk_private", MCLBYTES,
					      MBZ_CLUST, 0, &mbuf_zk_ops), 0);
	z->backend = &be;
	KUNIT_EXPECT_TRUE(test, z->ctor == mb_ctor_clust);

	m = mbuf_zk_alloc(zone_mbuf, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	a = uma_zalloc_arg(z, m, M_NOWAIT);	/* attached, as a cluster */
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_EXT);
	KUNIT_EXPECT_PTR_EQ(test, (void *)m->m_ext.ext_buf, a);
	m->m_flags &= ~M_EXT;
	uma_zfree(zone_mbuf, m);

	mbuf_zone_set_limit(z, 1);
	b = uma_zalloc(z, M_NOWAIT);
	KUNIT_EXPECT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, be.imports, 1);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).in_use, 1L);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).fails, 1UL);
	uma_zfree(z, a);
	KUNIT_EXPECT_EQ(test, be.releases, 1);
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).charged, 0L);
	KUNIT_EXPECT_EQ(test, mbuf_zone_cached(z), 0UL);
	mbuf_zone_teardown(z);
}

static struct kunit_case mbuf_zone_cases[] = {
	KUNIT_CASE(mbuf_zone_names),
	KUNIT_CASE(mbuf_zone_slab_caches),
	KUNIT_CASE(mbuf_zone_magazine),
	KUNIT_CASE(mbuf_zone_depot),
	KUNIT_CASE_PARAM(mbuf_zone_limit_exact, mbuf_zk_limited_gen_params),
	KUNIT_CASE(mbuf_zone_waitok_sleeps),
	KUNIT_CASE(mbuf_zone_waitok_no_lost_wakeup),
	KUNIT_CASE(mbuf_zone_raise_wakes),
	KUNIT_CASE(mbuf_zone_flush_drain),
	KUNIT_CASE(mbuf_zone_fault),
	KUNIT_CASE(mbuf_zone_uma_calls),
	KUNIT_CASE(mbuf_zone_accounting_off),
	KUNIT_CASE(mbuf_zone_private),
	{}
};

static struct kunit_suite mbuf_zone_suite = {
	.name = "mbuf_zone",
	.init = mbuf_zk_init,
	.exit = mbuf_zk_exit,
	.test_cases = mbuf_zone_cases,
};

kunit_test_suite(mbuf_zone_suite);
