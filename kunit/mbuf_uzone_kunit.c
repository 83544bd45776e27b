// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_uzone: zones a driver makes for itself with uma_zcreate(9).
 *
 * Strategy. A zone is created with counting callbacks and driven the way
 * a driver drives one; the tests assert UMA's contract for each: ctor and
 * dtor run on every uma_zalloc() / uma_zfree(), uminit and fini only when
 * an item enters or leaves the zone's memory (so what uminit set up
 * survives a free and a new allocation of the cached item), a failing
 * ctor or uminit fails the allocation without a dtor or a leak,
 * UMA_ZONE_ZINIT zeroes items before uminit, the alignment mask is
 * honoured. uma_zone_set_max() bounds the items out (M_NOWAIT fails past
 * it) and uma_zone_get_cur() counts them. The reserve: after
 * uma_zone_reserve() and uma_prealloc(), with the backend made to fail
 * (fault injection on MBUF_FAULT_OTHER, which covers private zones), an
 * ordinary M_NOWAIT allocation fails while M_USE_RESERVE is served from
 * the reserve, and frees refill it. Fault injection at the zone's entry
 * fails M_NOWAIT requests and is counted. The zone is listed in
 * /proc/net/mbuf/zones, and uma_zdestroy() runs fini on every item it
 * still caches; each test checks that all carved items were finied.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include "mbuf_kpi_kunit.h"
#include "mbuf_procfs.h"

#define UZ_SIZE		100
#define UZ_MAGIC	0x7ab1e5

struct uz_item {
	u32 magic;		/* set by uminit, cleared by fini */
	u32 ctor_gen;		/* set by ctor */
	u8 rest[UZ_SIZE - 8];
};

static struct uz_counts {
	int ctor, dtor, init, fini;
	bool ctor_fail, init_fail;
	void *ctor_arg;
	int size_seen;
} uzc;

static int uz_ctor(void *mem, int size, void *arg, int flags)
{
	struct uz_item *it = mem;

	uzc.size_seen = size;
	uzc.ctor_arg = arg;
	if (uzc.ctor_fail)
		return ENOMEM;
	uzc.ctor++;
	it->ctor_gen = uzc.ctor;
	return 0;
}

static void uz_dtor(void *mem, int size, void *arg)
{
	uzc.dtor++;
}

static int uz_init(void *mem, int size, int flags)
{
	struct uz_item *it = mem;

	if (uzc.init_fail)
		return ENOMEM;
	uzc.init++;
	it->magic = UZ_MAGIC;
	return 0;
}

static void uz_fini(void *mem, int size)
{
	struct uz_item *it = mem;

	uzc.fini++;
	it->magic = 0;
}

static int uz_suite_init(struct kunit *test)
{
	memset(&uzc, 0, sizeof(uzc));
	return mbuf_kunit_init(test);
}

static uma_zone_t uz_create(struct kunit *test, u32 flags)
{
	uma_zone_t z = uma_zcreate("kunit_uzone", UZ_SIZE, uz_ctor, uz_dtor,
				   uz_init, uz_fini, UMA_ALIGN_CACHE, flags);

	KUNIT_ASSERT_NOT_NULL(test, z);
	return z;
}

static void uz_destroy(struct kunit *test, uma_zone_t z)
{
	uma_zdestroy(z);
	KUNIT_EXPECT_EQ_MSG(test, uzc.fini, uzc.init,
			    "every item that was uminit'ed must be finied");
}

static void mbuf_uzone_callbacks(struct kunit *test)
{
	uma_zone_t z = uz_create(test, 0);
	struct uz_item *a, *b;
	int arg;

	a = uma_zalloc_arg(z, &arg, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, uzc.ctor, 1);
	KUNIT_EXPECT_EQ(test, uzc.size_seen, UZ_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, uzc.ctor_arg, (void *)&arg);
	KUNIT_EXPECT_EQ(test, a->magic, UZ_MAGIC);
	KUNIT_EXPECT_EQ(test, (uintptr_t)a & UMA_ALIGN_CACHE, 0UL);
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), 1);
	uma_zfree(z, a);
	KUNIT_EXPECT_EQ(test, uzc.dtor, 1);
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), 0);
	/* The cached item comes back: ctor again, uminit not. */
	b = uma_zalloc(z, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	KUNIT_EXPECT_EQ(test, uzc.ctor, 2);
	KUNIT_EXPECT_EQ(test, b->ctor_gen, 2U);
	KUNIT_EXPECT_EQ(test, b->magic, UZ_MAGIC);
	uma_zfree(z, b);
	uma_zfree(z, NULL);
	KUNIT_EXPECT_GE(test, uzc.init, 1);
	uz_destroy(test, z);
	KUNIT_EXPECT_EQ(test, uzc.dtor, 2);
}

static void mbuf_uzone_failures(struct kunit *test)
{
	uma_zone_t z = uz_create(test, UMA_ZONE_NOBUCKET | UMA_ZONE_ZINIT);
	struct mbuf_zone_stats st;
	struct uz_item *a;

	/* A failing ctor: NULL, no dtor, nothing out. */
	uzc.ctor_fail = true;
	KUNIT_EXPECT_NULL(test, uma_zalloc(z, M_NOWAIT));
	KUNIT_EXPECT_NULL(test, uma_zalloc(z, M_WAITOK));
	uzc.ctor_fail = false;
	KUNIT_EXPECT_EQ(test, uzc.dtor, 0);
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), 0);
	/* A failing uminit: NULL, nothing carved. */
	uzc.init_fail = true;
	KUNIT_EXPECT_NULL(test, uma_zalloc(z, M_NOWAIT));
	uzc.init_fail = false;
	/* Fault injection at entry: M_NOWAIT fails and is counted. */
	mbuf_fault_set(MBUF_FAULT_OTHER, 0, 1);
	KUNIT_EXPECT_NULL(test, uma_zalloc(z, M_NOWAIT));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	mbuf_zone_get_stats(z, &st);
	KUNIT_EXPECT_GE(test, st.fails, 2UL);
	/* Zeroed before uminit (ZINIT), and served afterwards. */
	a = uma_zalloc(z, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->magic, UZ_MAGIC);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(a->rest, 0, sizeof(a->rest)));
	uma_zfree(z, a);
	uz_destroy(test, z);
}

static void mbuf_uzone_limit(struct kunit *test)
{
	uma_zone_t z = uz_create(test, UMA_ZONE_NOBUCKET);
	void *items[5];
	int i;

	KUNIT_EXPECT_EQ(test, uma_zone_set_max(z, 4), 4);
	KUNIT_EXPECT_EQ(test, uma_zone_get_max(z), 4);
	for (i = 0; i < 4; i++) {
		items[i] = uma_zalloc(z, M_NOWAIT);
		KUNIT_EXPECT_NOT_NULL(test, items[i]);
	}
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), 4);
	KUNIT_EXPECT_TRUE(test, uma_zone_exhausted(z));
	items[4] = uma_zalloc(z, M_NOWAIT);
	KUNIT_EXPECT_NULL(test, items[4]);
	uma_zfree(z, items[0]);
	items[0] = uma_zalloc(z, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, items[0]);
	for (i = 0; i < 4; i++)
		uma_zfree(z, items[i]);
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), 0);
	uz_destroy(test, z);
}

/* One allocation with the backend failing (the entry check passes). */
static void *uz_alloc_no_backend(uma_zone_t z, int how)
{
	void *item;

	mbuf_fault_set(MBUF_FAULT_OTHER, 1, 1);
	item = uma_zalloc(z, how);
	mbuf_fault_clear();
	return item;
}

static void mbuf_uzone_reserve(struct kunit *test)
{
	uma_zone_t z = uz_create(test, UMA_ZONE_NOBUCKET);
	void *a, *b, *c;

	uma_zone_reserve(z, 2);
	uma_prealloc(z, 2);
	KUNIT_EXPECT_EQ(test, mbuf_uzone_free_items(z), 2);
	KUNIT_EXPECT_EQ(test, uzc.init, 2);
	KUNIT_EXPECT_EQ(test, uma_zone_get_cur(z), 0);
	/* Without M_USE_RESERVE the reserve is out of bounds. */
	KUNIT_EXPECT_NULL(test, uz_alloc_no_backend(z, M_NOWAIT));
	/* With it, the reserve serves. */
	a = uz_alloc_no_backend(z, M_NOWAIT | M_USE_RESERVE);
	b = uz_alloc_no_backend(z, M_NOWAIT | M_USE_RESERVE);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, mbuf_uzone_free_items(z), 0);
	KUNIT_EXPECT_NULL(test, uz_alloc_no_backend(z, M_NOWAIT | M_USE_RESERVE));
	/* A working backend serves everyone. */
	c = uma_zalloc(z, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, c);
	/* Frees refill the reserve first. */
	uma_zfree(z, a);
	uma_zfree(z, b);
	uma_zfree(z, c);
	KUNIT_EXPECT_EQ(test, mbuf_uzone_free_items(z), 2);
	KUNIT_EXPECT_EQ(test, uzc.fini, 1);
	/* Preallocating beyond the reserve: usable by anyone. */
	uma_prealloc(z, 3);
	KUNIT_EXPECT_EQ(test, mbuf_uzone_free_items(z), 5);
	a = uz_alloc_no_backend(z, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, a);
	uma_zfree(z, a);
	uz_destroy(test, z);
}

static void mbuf_uzone_listed(struct kunit *test)
{
	uma_zone_t z = uz_create(test, 0);
	struct vfsmount *mnt = mbuf_procfs_mount(test);
	char *buf = kunit_kzalloc(test, 16384, GFP_KERNEL);
	void *a;

	KUNIT_ASSERT_NOT_NULL(test, mnt);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	a = uma_zalloc(z, M_WAITOK);
	KUNIT_ASSERT_GT(test, mbuf_procfs_read(mnt, "net/mbuf/zones", buf,
					       16384), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "kunit_uzone:"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "    100,      0,        1,"));
	uma_zfree(z, a);
	uz_destroy(test, z);
	KUNIT_ASSERT_GT(test, mbuf_procfs_read(mnt, "net/mbuf/zones", buf,
					       16384), 0);
	KUNIT_EXPECT_NULL(test, strstr(buf, "kunit_uzone:"));
	mntput(mnt);
}

static void mbuf_uzone_bad_args(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, uma_zcreate("bad", 0, NULL, NULL, NULL, NULL,
					    UMA_ALIGN_PTR, 0));
	KUNIT_EXPECT_NULL(test, uma_zcreate("bad", 64, NULL, NULL, NULL, NULL,
					    5, 0));
	KUNIT_EXPECT_NULL(test, uma_zcreate("bad", 64, NULL, NULL, NULL, NULL,
					    UMA_ALIGN_PTR, UMA_ZONE_PCPU));
	uma_zdestroy(NULL);
}

static struct kunit_case mbuf_uzone_cases[] = {
	KUNIT_CASE(mbuf_uzone_callbacks),
	KUNIT_CASE(mbuf_uzone_failures),
	KUNIT_CASE(mbuf_uzone_limit),
	KUNIT_CASE(mbuf_uzone_reserve),
	KUNIT_CASE(mbuf_uzone_listed),
	KUNIT_CASE(mbuf_uzone_bad_args),
	{}
};

static struct kunit_suite mbuf_uzone_suite = {
	.name = "mbuf_uzone",
	.init = uz_suite_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_uzone_cases,
};

kunit_test_suite(mbuf_uzone_suite);
