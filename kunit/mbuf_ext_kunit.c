// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_ext: external storage and its reference counting.
 *
 * Strategy. Storage is attached the ways FreeBSD drivers attach it
 * (m_extadd() for every external type of kern_mbuf.c's mb_free_ext(),
 * m_extaddref() for a count the driver keeps, clusters from the zones) and
 * then shared: mb_dupcl() directly, m_copym() as the stack does, and
 * copies of copies, whose shadow m_ext must point at the count of the one
 * mbuf that carries it. The free routine of each type records every call
 * (which mbuf it got, and its arguments); the tests free the sharers in
 * every order and assert that the routine runs exactly once, after the
 * last free, with the carrier and the arguments given to m_extadd(), and
 * that the reference count and M_WRITABLE() follow each step. Zone
 * in-use counts, checked mid-test and at exit against the baseline
 * (mbuf_kpi_kunit.h), show that the carrier mbuf outlives its sharers and
 * that clusters go back to their zone on the last free. Special cases:
 * EXT_RXRING (nothing to free), M_NOFREE mbufs embedded in the caller's
 * memory (never returned to the zone), the count left at one by the last
 * free (the FreeBSD "no atomic at one" rule, visible with EXT_EXTREF), and
 * freeing shared storage with interrupts or bottom halves disabled.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include "mbuf_kpi_kunit.h"

#define MBUF_EXT_BUFSZ	512

/* What the free routine saw; passed to it as ext_arg1. */
struct mbuf_ext_rec {
	int calls;
	struct mbuf *m;
	void *arg2;
	char *buf;
	u32 size;
};

static void mbuf_ext_free_cb(struct mbuf *m)
{
	struct mbuf_ext_rec *r = m->m_ext.ext_arg1;

	r->calls++;
	r->m = m;
	r->arg2 = m->m_ext.ext_arg2;
	r->buf = m->m_ext.ext_buf;
	r->size = m->m_ext.ext_size;
}

/* A zeroed record and buffer that the test frees for us. */
static struct mbuf_ext_rec *mbuf_ext_setup(struct kunit *test, char **buf)
{
	struct mbuf_ext_rec *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	*buf = kunit_kzalloc(test, MBUF_EXT_BUFSZ, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, *buf);
	return r;
}

/* The types mb_free_ext() releases by calling ext_free on the carrier. */
static const int mbuf_ext_types[] = {
	EXT_SFBUF, EXT_NET_DRV, EXT_MOD_TYPE, EXT_DISPOSABLE,
};

static const char *mbuf_ext_type_name(int type)
{
	switch (type) {
	case EXT_SFBUF:
		return "EXT_SFBUF";
	case EXT_NET_DRV:
		return "EXT_NET_DRV";
	case EXT_MOD_TYPE:
		return "EXT_MOD_TYPE";
	default:
		return "EXT_DISPOSABLE";
	}
}

static void mbuf_ext_type_desc(const int *type, char *desc)
{
	strscpy(desc, mbuf_ext_type_name(*type), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_ext_type, mbuf_ext_types, mbuf_ext_type_desc);

static void mbuf_ext_extadd(struct kunit *test)
{
	const int type = *(const int *)test->param_value;
	struct mbuf_ext_rec *r;
	struct mbuf *m;
	char *buf;
	int arg2;

	r = mbuf_ext_setup(test, &buf);
	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m_extadd(m, buf, MBUF_EXT_BUFSZ, mbuf_ext_free_cb, r, &arg2, M_RDONLY,
		 type);
	KUNIT_EXPECT_EQ(test, (int)m->m_flags, M_PKTHDR | M_EXT | M_RDONLY);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, type);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_flags, EXT_FLAG_EMBREF);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, buf);
	KUNIT_EXPECT_EQ(test, M_SIZE(m), MBUF_EXT_BUFSZ);
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(m));	/* M_RDONLY */
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 1L);

	KUNIT_EXPECT_NULL(test, m_free(m));
	KUNIT_EXPECT_EQ(test, r->calls, 1);
	KUNIT_EXPECT_PTR_EQ(test, r->m, m);
	KUNIT_EXPECT_PTR_EQ(test, r->arg2, (void *)&arg2);
	KUNIT_EXPECT_PTR_EQ(test, r->buf, buf);
	KUNIT_EXPECT_EQ(test, r->size, (u32)MBUF_EXT_BUFSZ);
	/* ext_free released the buffer; mb_free_ext() the mbuf. */
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
}

/* Three sharers of one buffer, freed in each order. */
enum mbuf_ext_order {
	MBUF_FREE_CARRIER_FIRST,
	MBUF_FREE_CARRIER_MIDDLE,
	MBUF_FREE_CARRIER_LAST,
	MBUF_FREE_ORDERS,
};

static const char *const mbuf_ext_order_names[] = {
	"carrier first", "carrier second", "carrier last",
};

struct mbuf_ext_share_param {
	int type;
	enum mbuf_ext_order order;
};

static const struct mbuf_ext_share_param mbuf_ext_share_params[] = {
	{ EXT_SFBUF, MBUF_FREE_CARRIER_FIRST },
	{ EXT_SFBUF, MBUF_FREE_CARRIER_MIDDLE },
	{ EXT_SFBUF, MBUF_FREE_CARRIER_LAST },
	{ EXT_NET_DRV, MBUF_FREE_CARRIER_FIRST },
	{ EXT_NET_DRV, MBUF_FREE_CARRIER_MIDDLE },
	{ EXT_NET_DRV, MBUF_FREE_CARRIER_LAST },
	{ EXT_MOD_TYPE, MBUF_FREE_CARRIER_FIRST },
	{ EXT_MOD_TYPE, MBUF_FREE_CARRIER_MIDDLE },
	{ EXT_MOD_TYPE, MBUF_FREE_CARRIER_LAST },
	{ EXT_DISPOSABLE, MBUF_FREE_CARRIER_FIRST },
	{ EXT_DISPOSABLE, MBUF_FREE_CARRIER_MIDDLE },
	{ EXT_DISPOSABLE, MBUF_FREE_CARRIER_LAST },
};

static void mbuf_ext_share_desc(const struct mbuf_ext_share_param *p,
				char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %s",
		 mbuf_ext_type_name(p->type), mbuf_ext_order_names[p->order]);
}

KUNIT_ARRAY_PARAM(mbuf_ext_share, mbuf_ext_share_params, mbuf_ext_share_desc);

static void mbuf_ext_shared(struct kunit *test)
{
	const struct mbuf_ext_share_param *p = test->param_value;
	struct mbuf *mv[3], *m, *s1, *s2, *order[3];
	struct mbuf_ext_rec *r;
	long live;
	char *buf;
	int i;

	r = mbuf_ext_setup(test, &buf);
	if (!mbuf_kunit_get_n(test, mv, 3, 0))
		return;
	m = mv[0];
	s1 = mv[1];
	s2 = mv[2];
	m_extadd(m, buf, MBUF_EXT_BUFSZ, mbuf_ext_free_cb, r, buf, 0, p->type);
	mb_dupcl(s1, m);
	mb_dupcl(s2, s1);	/* a sharer of a sharer */

	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 3U);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(s2), 3U);
	KUNIT_EXPECT_FALSE(test, s1->m_ext.ext_flags & EXT_FLAG_EMBREF);
	KUNIT_EXPECT_TRUE(test, s1->m_ext.ext_cnt == &m->m_ext.ext_count);
	KUNIT_EXPECT_TRUE(test, s2->m_ext.ext_cnt == &m->m_ext.ext_count);
	KUNIT_EXPECT_PTR_EQ(test, s2->m_ext.ext_buf, buf);
	KUNIT_EXPECT_EQ(test, (int)s2->m_ext.ext_type, p->type);
	KUNIT_EXPECT_TRUE(test, s2->m_flags & M_EXT);
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(m));

	switch (p->order) {
	case MBUF_FREE_CARRIER_FIRST:
		order[0] = m, order[1] = s1, order[2] = s2;
		break;
	case MBUF_FREE_CARRIER_MIDDLE:
		order[0] = s2, order[1] = m, order[2] = s1;
		break;
	default:
		order[0] = s1, order[1] = s2, order[2] = m;
	}
	for (i = 0, live = 3; i < 3; i++) {
		m_free(order[i]);
		if (i == 2)
			break;
		/* The carrier stays allocated until the last sharer goes. */
		if (order[i] != m)
			live--;
		KUNIT_EXPECT_EQ(test, r->calls, 0);
		KUNIT_EXPECT_EQ(test, m_extrefcnt(order[2]), (u_int)(2 - i));
		KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), live);
	}
	KUNIT_EXPECT_EQ(test, r->calls, 1);
	KUNIT_EXPECT_PTR_EQ(test, r->m, m);	/* always the carrier */
	KUNIT_EXPECT_PTR_EQ(test, r->arg2, (void *)buf);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
}

/* EXT_EXTREF: the driver keeps the count; each sharer has the full m_ext. */
static void mbuf_ext_extref(struct kunit *test)
{
	struct mbuf *mv[3], *a, *b, *c;
	struct mbuf_ext_rec *r;
	u_int cnt = 0;
	char *buf;

	r = mbuf_ext_setup(test, &buf);
	if (!mbuf_kunit_get_n(test, mv, 3, 0))
		return;
	a = mv[0];
	b = mv[1];
	c = mv[2];
	m_extaddref(a, buf, MBUF_EXT_BUFSZ, &cnt, mbuf_ext_free_cb, r, &cnt);
	KUNIT_EXPECT_EQ(test, cnt, 1U);
	KUNIT_EXPECT_EQ(test, (int)a->m_ext.ext_type, EXT_EXTREF);
	KUNIT_EXPECT_EQ(test, (int)a->m_ext.ext_flags, 0);
	KUNIT_EXPECT_PTR_EQ(test, (u_int *)a->m_ext.ext_cnt, &cnt);
	KUNIT_EXPECT_PTR_EQ(test, a->m_data, buf);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(a), 1U);

	mb_dupcl(b, a);
	KUNIT_EXPECT_EQ(test, cnt, 2U);
	KUNIT_EXPECT_PTR_EQ(test, (u_int *)b->m_ext.ext_cnt, &cnt);
	KUNIT_EXPECT_TRUE(test, b->m_ext.ext_free == mbuf_ext_free_cb);
	KUNIT_EXPECT_PTR_EQ(test, b->m_ext.ext_arg1, (void *)r);
	m_extaddref(c, buf, MBUF_EXT_BUFSZ, &cnt, mbuf_ext_free_cb, r, &cnt);
	KUNIT_EXPECT_EQ(test, cnt, 3U);

	m_free(a);
	m_free(c);
	KUNIT_EXPECT_EQ(test, cnt, 1U);
	KUNIT_EXPECT_EQ(test, r->calls, 0);
	/* The last free finds the count at one: no decrement, a callback. */
	m_free(b);
	KUNIT_EXPECT_EQ(test, r->calls, 1);
	KUNIT_EXPECT_PTR_EQ(test, r->m, b);
	KUNIT_EXPECT_PTR_EQ(test, r->arg2, (void *)&cnt);
	KUNIT_EXPECT_EQ(test, cnt, 1U);
}

/* An mbuf embedded in the buffer it describes (M_NOFREE) is never freed. */
struct mbuf_ext_embedded {
	struct mbuf m;
	char data[MBUF_EXT_BUFSZ];
};

/*
 * EXT_RXRING: the ring owns the buffer; freeing releases only mbufs. Ring
 * mbufs are normally M_NOFREE (embedded in the ring's memory); a carrier
 * from zone_mbuf must go back to it once the last sharer is gone.
 */
static void mbuf_ext_rxring(struct kunit *test)
{
	struct mbuf_ext_embedded *e;
	struct mbuf *mv[2], *m, *n;
	char *buf;

	buf = kunit_kzalloc(test, MBUF_EXT_BUFSZ, GFP_KERNEL);
	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, e);
	if (!mbuf_kunit_get_n(test, mv, 2, 0))
		return;
	m = mv[0];
	n = mv[1];
	m_extadd(m, buf, MBUF_EXT_BUFSZ, NULL, NULL, NULL, 0, EXT_RXRING);
	mb_dupcl(n, m);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(n), 2U);
	m_free(m);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 2L);
	m_free(n);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);

	/* The usual case: the carrier lives in the ring and stays there. */
	KUNIT_ASSERT_EQ(test, m_init(&e->m, M_WAITOK, MT_DATA, M_NOFREE), 0);
	m_extadd(&e->m, e->data, MBUF_EXT_BUFSZ, NULL, NULL, NULL, 0,
		 EXT_RXRING);
	n = m_copym(&e->m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_EQ(test, n->m_data, (caddr_t)e->data);
	m_free(&e->m);
	m_free(n);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
}

static int mbuf_ext_tag_frees;

static void mbuf_ext_tag_free(struct m_tag *t)
{
	mbuf_ext_tag_frees++;
	m_tag_free_default(t);
}

static void mbuf_ext_nofree(struct kunit *test)
{
	struct mbuf_ext_embedded *e;
	struct mbuf_ext_rec *r;
	struct m_tag *t;
	u_int cnt = 0;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, m_init(&e->m, M_WAITOK, MT_DATA,
				     M_PKTHDR | M_NOFREE), 0);
	m_extaddref(&e->m, e->data, MBUF_EXT_BUFSZ, &cnt, mbuf_ext_free_cb, r,
		    NULL);
	t = m_tag_alloc(MTAG_ABI_COMPAT, 1, 8, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->m_tag_free = mbuf_ext_tag_free;
	m_tag_prepend(&e->m, t);
	mbuf_ext_tag_frees = 0;

	KUNIT_EXPECT_NULL(test, m_free(&e->m));
	KUNIT_EXPECT_EQ(test, r->calls, 1);
	KUNIT_EXPECT_PTR_EQ(test, r->m, &e->m);
	/* No destructor runs for it, so m_free() dropped its tags itself. */
	KUNIT_EXPECT_EQ(test, mbuf_ext_tag_frees, 1);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
}

/* ---- clusters shared by m_copym() ---------------------------------------- */

struct mbuf_ext_cl_param {
	int size;
	bool carrier_first;
};

static const struct mbuf_ext_cl_param mbuf_ext_cl_params[] = {
	{ MCLBYTES, true }, { MCLBYTES, false },
	{ MJUMPAGESIZE, true }, { MJUMPAGESIZE, false },
	{ MJUM9BYTES, true }, { MJUM9BYTES, false },
	{ MJUM16BYTES, true }, { MJUM16BYTES, false },
};

static void mbuf_ext_cl_desc(const struct mbuf_ext_cl_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%d bytes, %s freed first",
		 p->size, p->carrier_first ? "original" : "copies");
}

KUNIT_ARRAY_PARAM(mbuf_ext_cl, mbuf_ext_cl_params, mbuf_ext_cl_desc);

static void mbuf_ext_cluster_copym(struct kunit *test)
{
	const struct mbuf_ext_cl_param *p = test->param_value;
	/* A 2 KiB cluster comes as a packet zone pair, a jumbo one too. */
	enum mbuf_zone_id zid = p->size == MCLBYTES ? MBZ_PACK :
				mbuf_jumbo_pair_id(m_getzone(p->size)->id);
	struct mbuf *m, *n, *n2;

	m = m_getjcl(M_WAITOK, MT_DATA, M_PKTHDR, p->size);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_len = 100;
	m->m_pkthdr.len = 100;
	memset(m->m_data, 0x3c, m->m_len);

	n = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	n2 = m_copym(n, 10, 20, M_WAITOK);	/* a copy of a copy */
	if (!n2)
		m_freem(n);
	KUNIT_ASSERT_NOT_NULL(test, n2);

	KUNIT_EXPECT_PTR_EQ(test, n->m_data, m->m_data);
	KUNIT_EXPECT_PTR_EQ(test, n->m_ext.ext_buf, m->m_ext.ext_buf);
	KUNIT_EXPECT_EQ(test, n->m_len, 100);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.len, 100);
	KUNIT_EXPECT_PTR_EQ(test, n2->m_data, m->m_data + 10);
	KUNIT_EXPECT_EQ(test, n2->m_len, 20);
	KUNIT_EXPECT_FALSE(test, n2->m_flags & M_PKTHDR);
	KUNIT_EXPECT_TRUE(test, n->m_ext.ext_cnt == &m->m_ext.ext_count);
	KUNIT_EXPECT_TRUE(test, n2->m_ext.ext_cnt == &m->m_ext.ext_count);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 3U);
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(m));
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(n2));
	KUNIT_EXPECT_EQ(test, M_TRAILINGSPACE(n), 0L);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 1L);

	if (p->carrier_first) {
		m_freem(m);
		/* The carrier and the buffer stay for the copies. */
		KUNIT_EXPECT_EQ(test, m_extrefcnt(n), 2U);
		KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 1L);
		KUNIT_EXPECT_EQ(test, ((u8 *)n2->m_data)[19], 0x3c);
		m_freem(n);
		KUNIT_EXPECT_EQ(test, m_extrefcnt(n2), 1U);
		KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 1L);
		m_freem(n2);
	} else {
		m_freem(n2);
		m_freem(n);
		KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
		KUNIT_EXPECT_TRUE(test, M_WRITABLE(m));
		KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 1L);
		m_freem(m);
	}
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 0L);
}

/* ---- freeing shared storage with interrupts or bottom halves off ------------ */

static const enum mbuf_kunit_ctx mbuf_ext_ctxs[] = {
	MBUF_CTX_PROCESS, MBUF_CTX_SOFTIRQ, MBUF_CTX_HARDIRQ,
};

static void mbuf_ext_ctx_desc(const enum mbuf_kunit_ctx *ctx, char *desc)
{
	strscpy(desc, mbuf_kunit_ctx_name(*ctx), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_ext_ctx, mbuf_ext_ctxs, mbuf_ext_ctx_desc);

struct mbuf_ext_ctx_work {
	struct mbuf *pkt;	/* 16 KiB cluster, driver buffer, 2 KiB pair */
	struct mbuf *sharer;	/* another reference to the driver buffer */
	struct mbuf *copy;	/* made in the context */
};

static void mbuf_ext_ctx_fn(void *arg)
{
	struct mbuf_ext_ctx_work *w = arg;

	w->copy = m_copym(w->pkt, 0, M_COPYALL, M_NOWAIT);
	m_freem(w->pkt);
	m_freem(w->sharer);
	m_freem(w->copy);
}

static void mbuf_ext_free_in_ctx(struct kunit *test)
{
	const enum mbuf_kunit_ctx ctx = *(const enum mbuf_kunit_ctx *)
					test->param_value;
	struct mbuf_ext_ctx_work w = {};
	struct mbuf *a, *b, *c;
	struct mbuf_ext_rec *r;
	char *buf;

	r = mbuf_ext_setup(test, &buf);
	a = m_getjcl(M_WAITOK, MT_DATA, M_PKTHDR, MJUM16BYTES);
	b = m_get(M_WAITOK, MT_DATA);
	c = m_getcl(M_WAITOK, MT_DATA, 0);
	w.sharer = m_get(M_WAITOK, MT_DATA);
	if (!a || !b || !c || !w.sharer) {
		m_freem(a);
		m_freem(b);
		m_freem(c);
		m_freem(w.sharer);
		KUNIT_FAIL(test, "M_WAITOK allocation returned NULL");
		return;
	}
	m_extadd(b, buf, MBUF_EXT_BUFSZ, mbuf_ext_free_cb, r, NULL, 0,
		 EXT_NET_DRV);
	a->m_len = 64;
	b->m_len = 64;
	c->m_len = 64;
	a->m_pkthdr.len = 3 * 64;
	a->m_next = b;
	b->m_next = c;
	mb_dupcl(w.sharer, b);
	w.pkt = a;

	mbuf_kunit_run_in(ctx, mbuf_ext_ctx_fn, &w);
	KUNIT_EXPECT_NOT_NULL(test, w.copy);
	KUNIT_EXPECT_EQ(test, r->calls, 1);
	KUNIT_EXPECT_PTR_EQ(test, r->m, b);
}

static struct kunit_case mbuf_ext_cases[] = {
	KUNIT_CASE_PARAM(mbuf_ext_extadd, mbuf_ext_type_gen_params),
	KUNIT_CASE_PARAM(mbuf_ext_shared, mbuf_ext_share_gen_params),
	KUNIT_CASE(mbuf_ext_extref),
	KUNIT_CASE(mbuf_ext_rxring),
	KUNIT_CASE(mbuf_ext_nofree),
	KUNIT_CASE_PARAM(mbuf_ext_cluster_copym, mbuf_ext_cl_gen_params),
	KUNIT_CASE_PARAM(mbuf_ext_free_in_ctx, mbuf_ext_ctx_gen_params),
	{}
};

static struct kunit_suite mbuf_ext_suite = {
	.name = "mbuf_ext",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_ext_cases,
};

kunit_test_suite(mbuf_ext_suite);
