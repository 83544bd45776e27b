// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_tag: packet tags (mbuf_tags(9)).
 *
 * Strategy. Tags are built on a packet header mbuf the way protocols build
 * them and the list is checked after each operation: allocation fields and
 * length limits, lookup by <cookie, type> with and without a starting tag,
 * the OpenBSD-style m_tag_find(), deletion of one tag, of a chain from a
 * given tag on, and of the non-persistent ones. Copies must carry cookie,
 * type and data, keep the list's order, replace the destination's tags,
 * and leave the destination empty when a copy fails (fault injection on
 * allocations outside the zones). Who frees tags is checked by counting
 * calls to a custom m_tag_free method: m_free() of a header mbuf from any
 * zone (mbuf, packet pair, jumbo carrier), of an M_NOFREE mbuf, and
 * m_copym()'s copies; MB_DTOR_SKIP must leave them alone. The per-zone
 * baseline (mbuf_kpi_kunit.h) and kmemleak catch what is left behind.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include "mbuf_kpi_kunit.h"

#define MBUF_TAG_COOKIE	0x6d627566	/* a private ABI cookie */

static int mbuf_tag_frees;

static void mbuf_tag_counted_free(struct m_tag *t)
{
	mbuf_tag_frees++;
	m_tag_free_default(t);
}

/* A tag of @len bytes, each (u8)(@type + i), freed through the counter. */
static struct m_tag *mbuf_tag_new(struct kunit *test, u32 cookie, int type,
				  int len, int how)
{
	struct m_tag *t = m_tag_alloc(cookie, type, len, how);
	int i;

	KUNIT_EXPECT_NOT_NULL(test, t);
	if (!t)
		return NULL;
	for (i = 0; i < len; i++)
		((u8 *)(t + 1))[i] = (u8)(type + i);
	t->m_tag_free = mbuf_tag_counted_free;
	return t;
}

static bool mbuf_tag_data_ok(const struct m_tag *t, int type)
{
	int i;

	for (i = 0; i < t->m_tag_len; i++)
		if (((const u8 *)(t + 1))[i] != (u8)(type + i))
			return false;
	return true;
}

/* Prepend tags of types @types[0..n-1] so that the list reads in order. */
static void mbuf_tag_add(struct kunit *test, struct mbuf *m, u32 cookie,
			 const int *types, int n)
{
	struct m_tag *t;

	while (n--) {
		t = mbuf_tag_new(test, cookie, types[n], 8, M_WAITOK);
		if (t)
			m_tag_prepend(m, t);
	}
}

static int mbuf_tag_count(struct mbuf *m)
{
	struct m_tag *t;
	int n = 0;

	SLIST_FOREACH(t, &m->m_pkthdr.tags, m_tag_link)
		n++;
	return n;
}

static void mbuf_tag_alloc(struct kunit *test)
{
	struct m_tag *t;

	t = m_tag_alloc(MBUF_TAG_COOKIE, 7, 40, M_WAITOK | M_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->m_tag_cookie, (u32)MBUF_TAG_COOKIE);
	KUNIT_EXPECT_EQ(test, (int)t->m_tag_id, 7);
	KUNIT_EXPECT_EQ(test, (int)t->m_tag_len, 40);
	KUNIT_EXPECT_TRUE(test, t->m_tag_free == m_tag_free_default);
	KUNIT_EXPECT_NULL(test, memchr_inv(t + 1, 0, 40));
	m_tag_free(t);

	t = m_tag_get(3, 0, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->m_tag_cookie, (u32)MTAG_ABI_COMPAT);
	KUNIT_EXPECT_EQ(test, (int)t->m_tag_len, 0);
	m_tag_free(t);

	KUNIT_EXPECT_NULL(test, m_tag_alloc(MBUF_TAG_COOKIE, 1, -1, M_NOWAIT));
	KUNIT_EXPECT_NULL(test, m_tag_alloc(MBUF_TAG_COOKIE, 1, 65536,
					    M_NOWAIT));
}

static void mbuf_tag_locate(struct kunit *test)
{
	static const int types[] = { 1, 2, 1, 3 };
	struct m_tag *t, *first;
	struct mbuf *m;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_NULL(test, m_tag_find(m, 1, NULL));
	mbuf_tag_add(test, m, MBUF_TAG_COOKIE, types, ARRAY_SIZE(types));
	t = mbuf_tag_new(test, MTAG_ABI_COMPAT, 2, 4, M_WAITOK);
	if (t)
		m_tag_prepend(m, t);
	KUNIT_ASSERT_EQ(test, mbuf_tag_count(m), 5);

	/* The cookie is part of the key. */
	KUNIT_EXPECT_PTR_EQ(test, m_tag_find(m, 2, NULL), t);
	KUNIT_EXPECT_NULL(test, m_tag_find(m, 1, NULL));
	first = m_tag_locate(m, MBUF_TAG_COOKIE, 1, NULL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_EXPECT_PTR_EQ(test, first, m_tag_next(m, m_tag_first(m)));
	/* The search starts after the given tag. */
	t = m_tag_locate(m, MBUF_TAG_COOKIE, 1, first);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_PTR_NE(test, t, first);
	KUNIT_EXPECT_TRUE(test, mbuf_tag_data_ok(t, 1));
	KUNIT_EXPECT_NULL(test, m_tag_locate(m, MBUF_TAG_COOKIE, 1, t));
	KUNIT_EXPECT_NULL(test, m_tag_locate(m, MBUF_TAG_COOKIE, 4, NULL));

	mbuf_tag_frees = 0;
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 5);
}

static void mbuf_tag_delete(struct kunit *test)
{
	static const int types[] = { 1, 2, 3, 4, 5 };
	struct m_tag *t;
	struct mbuf *m;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbuf_tag_add(test, m, MBUF_TAG_COOKIE, types, ARRAY_SIZE(types));
	mbuf_tag_frees = 0;

	t = m_tag_locate(m, MBUF_TAG_COOKIE, 2, NULL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	m_tag_delete(m, t);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 1);
	KUNIT_EXPECT_NULL(test, m_tag_locate(m, MBUF_TAG_COOKIE, 2, NULL));
	KUNIT_EXPECT_EQ(test, mbuf_tag_count(m), 4);

	/* From tag 4 on, 4 included: 1 and 3 remain. */
	t = m_tag_locate(m, MBUF_TAG_COOKIE, 4, NULL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	m_tag_delete_chain(m, t);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 3);
	KUNIT_EXPECT_EQ(test, mbuf_tag_count(m), 2);
	KUNIT_EXPECT_NOT_NULL(test, m_tag_locate(m, MBUF_TAG_COOKIE, 3, NULL));

	m_tag_delete_chain(m, NULL);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 5);
	KUNIT_EXPECT_NULL(test, m_tag_first(m));
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 5);
}

static void mbuf_tag_nonpersistent(struct kunit *test)
{
	static const int types[] = {
		1, 2 | MTAG_PERSISTENT, 3, 4 | MTAG_PERSISTENT, 5,
	};
	struct mbuf *m;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbuf_tag_add(test, m, MBUF_TAG_COOKIE, types, ARRAY_SIZE(types));
	mbuf_tag_frees = 0;
	m_tag_delete_nonpersistent(m);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 3);
	KUNIT_EXPECT_EQ(test, mbuf_tag_count(m), 2);
	KUNIT_EXPECT_NOT_NULL(test, m_tag_locate(m, MBUF_TAG_COOKIE,
						 2 | MTAG_PERSISTENT, NULL));
	KUNIT_EXPECT_NOT_NULL(test, m_tag_locate(m, MBUF_TAG_COOKIE,
						 4 | MTAG_PERSISTENT, NULL));
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 5);
}

static void mbuf_tag_copy(struct kunit *test)
{
	static const int types[] = { 10, 20, 30 };
	static const int old[] = { 99 };
	struct mbuf *mv[2], *from, *to;
	struct m_tag *t, *c;
	int i = 0;

	t = mbuf_tag_new(test, MBUF_TAG_COOKIE, 42, 100, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, t);
	c = m_tag_copy(t, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->m_tag_cookie, (u32)MBUF_TAG_COOKIE);
	KUNIT_EXPECT_EQ(test, (int)c->m_tag_id, 42);
	KUNIT_EXPECT_EQ(test, (int)c->m_tag_len, 100);
	KUNIT_EXPECT_TRUE(test, mbuf_tag_data_ok(c, 42));
	/* The copy is a plain tag, whatever the original's free method. */
	KUNIT_EXPECT_TRUE(test, c->m_tag_free == m_tag_free_default);
	m_tag_free(c);
	m_tag_free(t);

	if (!mbuf_kunit_get_n(test, mv, 2, M_PKTHDR))
		return;
	from = mv[0];
	to = mv[1];
	mbuf_tag_add(test, from, MBUF_TAG_COOKIE, types, ARRAY_SIZE(types));
	mbuf_tag_add(test, to, MBUF_TAG_COOKIE, old, ARRAY_SIZE(old));
	mbuf_tag_frees = 0;
	KUNIT_EXPECT_EQ(test, m_tag_copy_chain(to, from, M_WAITOK), 1);
	/* The destination's own tag went; the copies keep the order. */
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 1);
	SLIST_FOREACH(t, &to->m_pkthdr.tags, m_tag_link) {
		KUNIT_ASSERT_LT(test, i, (int)ARRAY_SIZE(types));
		KUNIT_EXPECT_EQ(test, (int)t->m_tag_id, types[i]);
		KUNIT_EXPECT_TRUE(test, mbuf_tag_data_ok(t, types[i]));
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, (int)ARRAY_SIZE(types));
	KUNIT_EXPECT_EQ(test, mbuf_tag_count(from), 3);
	m_freem(to);
	m_freem(from);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 4);
}

/* A failed copy leaves the destination without tags, and nothing leaks. */
static void mbuf_tag_copy_fail(struct kunit *test)
{
	static const int types[] = { 1, 2, 3 };
	struct mbuf *mv[2], *from, *to, *n;

	if (!mbuf_kunit_get_n(test, mv, 2, M_PKTHDR))
		return;
	from = mv[0];
	to = mv[1];
	mbuf_tag_add(test, from, MBUF_TAG_COOKIE, types, ARRAY_SIZE(types));
	mbuf_fault_set(MBUF_FAULT_OTHER, 1, 1);
	KUNIT_EXPECT_EQ(test, m_tag_copy_chain(to, from, M_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, m_tag_first(to));
	m_freem(to);

	/* m_copym() of a tagged header fails as a whole. */
	mbuf_fault_set(MBUF_FAULT_OTHER, 2, 1);
	n = m_copym(from, 0, M_COPYALL, M_NOWAIT);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, n);
	m_freem(n);
	m_freem(from);
}

/* m_copym() gives the copy's header copies of the tags. */
static void mbuf_tag_copym(struct kunit *test)
{
	static const int types[] = { 5, 6 };
	struct mbuf *m, *n;
	struct m_tag *t, *c;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbuf_tag_add(test, m, MBUF_TAG_COOKIE, types, ARRAY_SIZE(types));
	n = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	t = m_tag_locate(m, MBUF_TAG_COOKIE, 6, NULL);
	c = m_tag_locate(n, MBUF_TAG_COOKIE, 6, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_NE(test, c, t);
	KUNIT_EXPECT_TRUE(test, mbuf_tag_data_ok(c, 6));
	KUNIT_EXPECT_EQ(test, mbuf_tag_count(n), 2);
	mbuf_tag_frees = 0;
	m_freem(n);
	/* The copies are plain tags: the counter sees only the originals. */
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 0);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 2);
}

/* Every kind of header mbuf drops its tags when freed. */
static void mbuf_tag_free_with_mbuf(struct kunit *test)
{
	static const int types[] = { 1, 2 };
	struct mbuf *m[3];
	int i;

	m[0] = m_gethdr(M_WAITOK, MT_DATA);
	m[1] = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	m[2] = m_getjcl(M_WAITOK, MT_DATA, M_PKTHDR, MJUM9BYTES);
	for (i = 0; i < ARRAY_SIZE(m); i++) {
		if (!m[i])
			continue;
		mbuf_tag_add(test, m[i], MBUF_TAG_COOKIE, types,
			     ARRAY_SIZE(types));
	}
	mbuf_tag_frees = 0;
	for (i = 0; i < ARRAY_SIZE(m); i++) {
		KUNIT_EXPECT_NOT_NULL(test, m[i]);
		m_freem(m[i]);
		KUNIT_EXPECT_EQ_MSG(test, mbuf_tag_frees, 2 * (i + 1),
				    "mbuf %d", i);
	}
}

/* MB_DTOR_SKIP tells the destructor not to look at the tags. */
static void mbuf_tag_dtor_skip(struct kunit *test)
{
	struct m_tag *t;
	struct mbuf *m;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	t = mbuf_tag_new(test, MBUF_TAG_COOKIE, 1, 8, M_WAITOK);
	if (t)
		m_tag_prepend(m, t);
	mbuf_tag_frees = 0;
	uma_zfree_arg(zone_mbuf, m, (void *)MB_DTOR_SKIP);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 0);
	if (t)
		m_tag_free(t);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, t ? 1 : 0);
}

/* Tags come and go with M_NOWAIT where a driver's receive path runs. */
static void mbuf_tag_atomic_fn(void *arg)
{
	struct mbuf *m = arg;
	struct m_tag *t;

	t = m_tag_alloc(MBUF_TAG_COOKIE, 9, 32, M_NOWAIT);
	if (t) {
		t->m_tag_free = mbuf_tag_counted_free;
		m_tag_prepend(m, t);
	}
	m_tag_delete_chain(m, NULL);
}

static const enum mbuf_kunit_ctx mbuf_tag_ctxs[] = {
	MBUF_CTX_SOFTIRQ, MBUF_CTX_HARDIRQ,
};

static void mbuf_tag_ctx_desc(const enum mbuf_kunit_ctx *ctx, char *desc)
{
	strscpy(desc, mbuf_kunit_ctx_name(*ctx), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_tag_ctx, mbuf_tag_ctxs, mbuf_tag_ctx_desc);

static void mbuf_tag_atomic(struct kunit *test)
{
	const enum mbuf_kunit_ctx ctx = *(const enum mbuf_kunit_ctx *)
					test->param_value;
	struct mbuf *m;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbuf_tag_frees = 0;
	mbuf_kunit_run_in(ctx, mbuf_tag_atomic_fn, m);
	KUNIT_EXPECT_EQ(test, mbuf_tag_frees, 1);
	KUNIT_EXPECT_NULL(test, m_tag_first(m));
	m_freem(m);
}

static struct kunit_case mbuf_tag_cases[] = {
	KUNIT_CASE(mbuf_tag_alloc),
	KUNIT_CASE(mbuf_tag_locate),
	KUNIT_CASE(mbuf_tag_delete),
	KUNIT_CASE(mbuf_tag_nonpersistent),
	KUNIT_CASE(mbuf_tag_copy),
	KUNIT_CASE(mbuf_tag_copy_fail),
	KUNIT_CASE(mbuf_tag_copym),
	KUNIT_CASE(mbuf_tag_free_with_mbuf),
	KUNIT_CASE(mbuf_tag_dtor_skip),
	KUNIT_CASE_PARAM(mbuf_tag_atomic, mbuf_tag_ctx_gen_params),
	{}
};

static struct kunit_suite mbuf_tag_suite = {
	.name = "mbuf_tag",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_tag_cases,
};

kunit_test_suite(mbuf_tag_suite);
