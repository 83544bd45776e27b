// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_kpi: the allocation half of mbuf(9), as FreeBSD 14 defines it.
 *
 * Strategy. Each allocator is called the way a driver calls it and the
 * mbuf it returns is checked field by field against mbuf(9) and FreeBSD's
 * kern_mbuf.c: flags, type, where m_data points, M_SIZE, the leading and
 * trailing space, the packet header's initial values and, with a cluster,
 * every m_ext field. Allocators run in process context with M_WAITOK and
 * in softirq and hard-irq-off context with M_NOWAIT (a parameterised
 * test), the cluster sizes are parameters too, and m_get2()/m_get3() are
 * driven through every size boundary of their decision. m_getm2() chains
 * are checked for shape, M_PKTHDR on the first and M_EOR on the last mbuf
 * only, including when appended to an existing chain. Failure paths use
 * the module's private fault injection on one zone at a time: the caller
 * must get NULL (or 0) and nothing half-built may stay allocated. The
 * suite's init/exit (mbuf_kpi_kunit.h) check that every zone's in-use
 * count is back at its baseline after each test, which catches a leaked
 * mbuf or cluster on any of these paths. Copies (m_copym, m_copydata) are
 * checked byte for byte.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "mbuf_kpi_kunit.h"

/* ---- allocators in every context ---------------------------------------- */

struct mbuf_kpi_alloc_case {
	const char *name;
	struct mbuf *(*alloc)(int how);
	int flags;		/* expected m_flags */
	int size;		/* expected M_SIZE() */
	int ext_type;		/* 0: internal storage */
};

static struct mbuf *mbuf_kpi_get(int how)
{
	return m_get(how, MT_DATA);
}

static struct mbuf *mbuf_kpi_gethdr(int how)
{
	return m_gethdr(how, MT_DATA);
}

static struct mbuf *mbuf_kpi_getcl(int how)
{
	return m_getcl(how, MT_DATA, 0);
}

static struct mbuf *mbuf_kpi_getcl_hdr(int how)
{
	return m_getcl(how, MT_DATA, M_PKTHDR);
}

static struct mbuf *mbuf_kpi_getjcl_2k(int how)
{
	return m_getjcl(how, MT_DATA, M_PKTHDR, MCLBYTES);
}

static struct mbuf *mbuf_kpi_getjcl_page(int how)
{
	return m_getjcl(how, MT_DATA, M_PKTHDR, MJUMPAGESIZE);
}

static struct mbuf *mbuf_kpi_getjcl_9k(int how)
{
	return m_getjcl(how, MT_DATA, M_PKTHDR, MJUM9BYTES);
}

static struct mbuf *mbuf_kpi_getjcl_16k(int how)
{
	return m_getjcl(how, MT_DATA, 0, MJUM16BYTES);
}

static const struct mbuf_kpi_alloc_case mbuf_kpi_alloc_cases[] = {
	{ "m_get", mbuf_kpi_get, 0, MLEN, 0 },
	{ "m_gethdr", mbuf_kpi_gethdr, M_PKTHDR, MHLEN, 0 },
	{ "m_getcl", mbuf_kpi_getcl, M_EXT, MCLBYTES, EXT_PACKET },
	{ "m_getcl(M_PKTHDR)", mbuf_kpi_getcl_hdr, M_EXT | M_PKTHDR, MCLBYTES,
	  EXT_PACKET },
	{ "m_getjcl(MCLBYTES)", mbuf_kpi_getjcl_2k, M_EXT | M_PKTHDR, MCLBYTES,
	  EXT_PACKET },
	{ "m_getjcl(MJUMPAGESIZE)", mbuf_kpi_getjcl_page, M_EXT | M_PKTHDR,
	  MJUMPAGESIZE, EXT_JUMBOP },
	{ "m_getjcl(MJUM9BYTES)", mbuf_kpi_getjcl_9k, M_EXT | M_PKTHDR,
	  MJUM9BYTES, EXT_JUMBO9 },
	{ "m_getjcl(MJUM16BYTES)", mbuf_kpi_getjcl_16k, M_EXT, MJUM16BYTES,
	  EXT_JUMBO16 },
};

struct mbuf_kpi_alloc_param {
	const struct mbuf_kpi_alloc_case *c;
	enum mbuf_kunit_ctx ctx;
};

/* Every allocator in every context. */
static const struct mbuf_kpi_alloc_param mbuf_kpi_alloc_params[] = {
	{ &mbuf_kpi_alloc_cases[0], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[0], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[0], MBUF_CTX_HARDIRQ },
	{ &mbuf_kpi_alloc_cases[1], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[1], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[1], MBUF_CTX_HARDIRQ },
	{ &mbuf_kpi_alloc_cases[2], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[2], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[2], MBUF_CTX_HARDIRQ },
	{ &mbuf_kpi_alloc_cases[3], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[3], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[3], MBUF_CTX_HARDIRQ },
	{ &mbuf_kpi_alloc_cases[4], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[4], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[4], MBUF_CTX_HARDIRQ },
	{ &mbuf_kpi_alloc_cases[5], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[5], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[5], MBUF_CTX_HARDIRQ },
	{ &mbuf_kpi_alloc_cases[6], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[6], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[6], MBUF_CTX_HARDIRQ },
	{ &mbuf_kpi_alloc_cases[7], MBUF_CTX_PROCESS },
	{ &mbuf_kpi_alloc_cases[7], MBUF_CTX_SOFTIRQ },
	{ &mbuf_kpi_alloc_cases[7], MBUF_CTX_HARDIRQ },
};

static void mbuf_kpi_alloc_desc(const struct mbuf_kpi_alloc_param *p,
				char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s in %s", p->c->name,
		 mbuf_kunit_ctx_name(p->ctx));
}

KUNIT_ARRAY_PARAM(mbuf_kpi_alloc, mbuf_kpi_alloc_params, mbuf_kpi_alloc_desc);

/* What an allocation looked like, recorded where it happened. */
struct mbuf_kpi_rec {
	const struct mbuf_kpi_alloc_param *p;
	bool got;
	struct mbuf snap;	/* the mbuf as allocated */
	long data_off;		/* m_data - start of the mbuf */
	bool data_at_ext;	/* m_data == m_ext.ext_buf */
	bool ext_vmalloc;
	long lead, trail;
	bool writable;
	u_int refcnt;
};

static void mbuf_kpi_alloc_in_ctx(void *arg)
{
	struct mbuf_kpi_rec *r = arg;
	struct mbuf *m;

	m = r->p->c->alloc(mbuf_kunit_ctx_how(r->p->ctx));
	r->got = m;
	if (!m)
		return;
	r->snap = *m;
	r->data_off = m->m_data - (char *)m;
	r->lead = M_LEADINGSPACE(m);
	r->trail = M_TRAILINGSPACE(m);
	r->writable = M_WRITABLE(m);
	if (m->m_flags & M_EXT) {
		r->data_at_ext = m->m_data == m->m_ext.ext_buf;
		r->ext_vmalloc = is_vmalloc_addr(m->m_ext.ext_buf);
		r->refcnt = m_extrefcnt(m);
		/* The storage is ours: all of it must be writable. */
		memset(m->m_ext.ext_buf, 0xa5, m->m_ext.ext_size);
	}
	m_freem(m);
}

static void mbuf_kpi_check_pkthdr(struct kunit *test, const struct mbuf *m)
{
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 0);
	KUNIT_EXPECT_NULL(test, m->m_pkthdr.rcvif);
	KUNIT_EXPECT_NULL(test, m->m_pkthdr.leaf_rcvif);
	KUNIT_EXPECT_TRUE(test, SLIST_EMPTY(&m->m_pkthdr.tags));
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.csum_flags, 0U);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.flowid, 0U);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.rsstype, 0);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.fibnum, 0);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.numa_domain, M_NODOM);
}

static void mbuf_kpi_alloc_fields(struct kunit *test)
{
	const struct mbuf_kpi_alloc_param *p = test->param_value;
	const struct mbuf_kpi_alloc_case *c = p->c;
	struct mbuf_kpi_rec r = { .p = p };
	const struct mbuf *m = &r.snap;

	mbuf_kunit_run_in(p->ctx, mbuf_kpi_alloc_in_ctx, &r);
	KUNIT_ASSERT_TRUE_MSG(test, r.got, "%s returned NULL", c->name);

	KUNIT_EXPECT_NULL(test, m->m_next);
	KUNIT_EXPECT_NULL(test, m->m_nextpkt);
	KUNIT_EXPECT_EQ(test, m->m_len, 0);
	KUNIT_EXPECT_EQ(test, (int)m->m_type, MT_DATA);
	KUNIT_EXPECT_EQ(test, (int)m->m_flags, c->flags);
	KUNIT_EXPECT_EQ(test, M_SIZE(m), c->size);
	KUNIT_EXPECT_EQ(test, r.lead, 0L);
	KUNIT_EXPECT_EQ(test, r.trail, (long)c->size);
	KUNIT_EXPECT_TRUE(test, r.writable);
	if (c->flags & M_PKTHDR)
		mbuf_kpi_check_pkthdr(test, m);
	if (!c->ext_type) {
		KUNIT_EXPECT_EQ(test, r.data_off,
				(long)((c->flags & M_PKTHDR) ? MPKTHSIZE : MHSIZE));
		return;
	}
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, c->ext_type);
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, (u32)c->size);
	/* FreeBSD's flags; a jumbo pair also has the pair zone's own bit */
	KUNIT_EXPECT_EQ(test, (int)(m->m_ext.ext_flags & ~MBUF_EXT_FLAG_PAIRED),
			EXT_FLAG_EMBREF);
	KUNIT_EXPECT_EQ(test, !!(m->m_ext.ext_flags & MBUF_EXT_FLAG_PAIRED),
			c->ext_type >= EXT_JUMBOP && c->ext_type <= EXT_JUMBO16);
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_count, 1U);
	KUNIT_EXPECT_EQ(test, r.refcnt, 1U);
	KUNIT_EXPECT_NULL(test, m->m_ext.ext_free);
	KUNIT_EXPECT_NULL(test, m->m_ext.ext_arg1);
	KUNIT_EXPECT_NULL(test, m->m_ext.ext_arg2);
	KUNIT_EXPECT_TRUE(test, r.data_at_ext);
	/* Clusters are one DMA segment: never vmalloc memory. */
	KUNIT_EXPECT_FALSE(test, r.ext_vmalloc);
}

/* ---- m_get2() / m_get3() at every size boundary ---------------------------- */

struct mbuf_kpi_size_case {
	const char *name;
	bool get3;
	int size;
	int flags;
	int expect_size;	/* M_SIZE(), or 0 for NULL */
	int ext_type;		/* 0: internal storage */
};

static const struct mbuf_kpi_size_case mbuf_kpi_size_cases[] = {
	{ "m_get2(0, M_PKTHDR)", false, 0, M_PKTHDR, MHLEN, 0 },
	{ "m_get2(MHLEN, M_PKTHDR)", false, MHLEN, M_PKTHDR, MHLEN, 0 },
	{ "m_get2(MHLEN + 1, M_PKTHDR)", false, MHLEN + 1, M_PKTHDR, MCLBYTES,
	  EXT_PACKET },
	{ "m_get2(MHLEN + 1)", false, MHLEN + 1, 0, MLEN, 0 },
	{ "m_get2(MLEN)", false, MLEN, 0, MLEN, 0 },
	{ "m_get2(MLEN, M_PKTHDR)", false, MLEN, M_PKTHDR, MCLBYTES,
	  EXT_PACKET },
	{ "m_get2(MLEN + 1)", false, MLEN + 1, 0, MCLBYTES, EXT_PACKET },
	{ "m_get2(MCLBYTES, M_PKTHDR)", false, MCLBYTES, M_PKTHDR, MCLBYTES,
	  EXT_PACKET },
	{ "m_get2(MCLBYTES + 1, M_PKTHDR)", false, MCLBYTES + 1, M_PKTHDR,
	  MJUMPAGESIZE, EXT_JUMBOP },
	{ "m_get2(MJUMPAGESIZE)", false, MJUMPAGESIZE, 0, MJUMPAGESIZE,
	  EXT_JUMBOP },
	{ "m_get2(MJUMPAGESIZE + 1)", false, MJUMPAGESIZE + 1, 0, 0, 0 },
	{ "m_get2(MJUM9BYTES)", false, MJUM9BYTES, M_PKTHDR, 0, 0 },
	{ "m_get3(MHLEN, M_PKTHDR)", true, MHLEN, M_PKTHDR, MHLEN, 0 },
	{ "m_get3(MLEN)", true, MLEN, 0, MLEN, 0 },
	{ "m_get3(MCLBYTES)", true, MCLBYTES, 0, MCLBYTES, EXT_PACKET },
	{ "m_get3(MJUMPAGESIZE, M_PKTHDR)", true, MJUMPAGESIZE, M_PKTHDR,
	  MJUMPAGESIZE, EXT_JUMBOP },
	{ "m_get3(MJUMPAGESIZE + 1, M_PKTHDR)", true, MJUMPAGESIZE + 1,
	  M_PKTHDR, MJUM9BYTES, EXT_JUMBO9 },
	{ "m_get3(MJUM9BYTES)", true, MJUM9BYTES, 0, MJUM9BYTES, EXT_JUMBO9 },
	{ "m_get3(MJUM9BYTES + 1)", true, MJUM9BYTES + 1, 0, MJUM16BYTES,
	  EXT_JUMBO16 },
	{ "m_get3(MJUM16BYTES, M_PKTHDR)", true, MJUM16BYTES, M_PKTHDR,
	  MJUM16BYTES, EXT_JUMBO16 },
	{ "m_get3(MJUM16BYTES + 1)", true, MJUM16BYTES + 1, 0, 0, 0 },
};

static void mbuf_kpi_size_desc(const struct mbuf_kpi_size_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_kpi_size, mbuf_kpi_size_cases, mbuf_kpi_size_desc);

static void mbuf_kpi_get2_get3(struct kunit *test)
{
	const struct mbuf_kpi_size_case *c = test->param_value;
	struct mbuf *m;

	if (c->get3)
		m = m_get3(c->size, M_WAITOK, MT_DATA, c->flags);
	else
		m = m_get2(c->size, M_WAITOK, MT_DATA, c->flags);
	if (!c->expect_size) {
		KUNIT_EXPECT_NULL(test, m);
		m_freem(m);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, M_SIZE(m), c->expect_size);
	KUNIT_EXPECT_GE(test, M_TRAILINGSPACE(m), (long)c->size);
	KUNIT_EXPECT_EQ(test, (int)(m->m_flags & M_PKTHDR), c->flags);
	KUNIT_EXPECT_EQ(test, !!(m->m_flags & M_EXT), !!c->ext_type);
	if (c->ext_type) {
		KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, c->ext_type);
		KUNIT_EXPECT_PTR_EQ(test, m->m_data, m->m_ext.ext_buf);
		KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
	}
	m_freem(m);
}

/* ---- m_getm2() chains -------------------------------------------------------- */

#define MBUF_KPI_CHAIN_MAX	4

struct mbuf_kpi_chain_case {
	const char *name;
	int len;
	int flags;
	int shape[MBUF_KPI_CHAIN_MAX];	/* ext_type per mbuf, -1 ends */
};

#define MBUF_INTERNAL	0
static const struct mbuf_kpi_chain_case mbuf_kpi_chain_cases[] = {
	{ "1 byte", 1, M_PKTHDR | M_EOR, { MBUF_INTERNAL, -1 } },
	{ "MINCLSIZE - 1", MINCLSIZE - 1, M_PKTHDR, { MBUF_INTERNAL, -1 } },
	{ "MINCLSIZE", MINCLSIZE, M_PKTHDR | M_EOR, { EXT_PACKET, -1 } },
	{ "MCLBYTES", MCLBYTES, 0, { EXT_PACKET, -1 } },
	{ "MCLBYTES + 1", MCLBYTES + 1, M_EOR, { EXT_JUMBOP, -1 } },
	{ "MJUMPAGESIZE + 100", MJUMPAGESIZE + 100, M_PKTHDR | M_EOR,
	  { EXT_JUMBOP, MBUF_INTERNAL, -1 } },
	{ "MJUMPAGESIZE + 1000", MJUMPAGESIZE + 1000, M_PKTHDR,
	  { EXT_JUMBOP, EXT_PACKET, -1 } },
	{ "2 * MJUMPAGESIZE + 1", 2 * MJUMPAGESIZE + 1, M_PKTHDR | M_EOR,
	  { EXT_JUMBOP, EXT_JUMBOP, MBUF_INTERNAL, -1 } },
};

static void mbuf_kpi_chain_desc(const struct mbuf_kpi_chain_case *c,
				char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s%s", c->name,
		 (c->flags & M_PKTHDR) ? " M_PKTHDR" : "",
		 (c->flags & M_EOR) ? " M_EOR" : "");
}

KUNIT_ARRAY_PARAM(mbuf_kpi_chain, mbuf_kpi_chain_cases, mbuf_kpi_chain_desc);

/* Check a fresh chain against @shape; *@total gets the storage it holds. */
static void mbuf_kpi_check_chain(struct kunit *test, struct mbuf *top,
				 const int *shape, int flags)
{
	struct mbuf *m;
	int i = 0;

	for (m = top; m; m = m->m_next, i++) {
		bool first = m == top, last = !m->m_next;

		KUNIT_ASSERT_LT(test, i, MBUF_KPI_CHAIN_MAX);
		KUNIT_ASSERT_NE_MSG(test, shape[i], -1, "chain too long");
		if (shape[i] == MBUF_INTERNAL)
			KUNIT_EXPECT_FALSE(test, m->m_flags & M_EXT);
		else
			KUNIT_EXPECT_EQ_MSG(test, (int)m->m_ext.ext_type,
					    shape[i], "mbuf %d", i);
		KUNIT_EXPECT_EQ(test, m->m_len, 0);
		KUNIT_EXPECT_EQ_MSG(test, !!(m->m_flags & M_PKTHDR),
				    first && (flags & M_PKTHDR), "mbuf %d", i);
		KUNIT_EXPECT_EQ_MSG(test, !!(m->m_flags & M_EOR),
				    last && (flags & M_EOR), "mbuf %d", i);
	}
	KUNIT_EXPECT_EQ_MSG(test, shape[i], -1, "chain too short");
}

static void mbuf_kpi_getm2_shape(struct kunit *test)
{
	const struct mbuf_kpi_chain_case *c = test->param_value;
	struct mbuf *top, *m;
	int storage = 0, last = 0;

	top = m_getm2(NULL, c->len, M_WAITOK, MT_DATA, c->flags);
	KUNIT_ASSERT_NOT_NULL(test, top);
	mbuf_kpi_check_chain(test, top, c->shape, c->flags);
	for (m = top; m; m = m->m_next) {
		last = M_SIZE(m);
		storage += last;
	}
	/* Enough storage, and not a whole mbuf more than needed. */
	KUNIT_EXPECT_GE(test, storage, c->len);
	KUNIT_EXPECT_LT(test, storage - last, c->len);
	m_freem(top);
}

static void mbuf_kpi_getm2_append(struct kunit *test)
{
	static const int shape[] = { MBUF_INTERNAL, EXT_PACKET, -1 };
	struct mbuf *m, *ret;

	m = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_flags |= M_EOR;
	/* M_PKTHDR is dropped when appending; M_EOR moves to the new tail. */
	ret = m_getm2(m, 300, M_WAITOK, MT_DATA, M_PKTHDR | M_EOR);
	KUNIT_EXPECT_PTR_EQ(test, ret, m);
	KUNIT_ASSERT_NOT_NULL(test, m->m_next);
	mbuf_kpi_check_chain(test, m, shape, M_EOR);
	m_freem(m);

	/* len 0 appends nothing and leaves the chain alone. */
	m = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_PTR_EQ(test, m_getm2(m, 0, M_WAITOK, MT_DATA, 0), m);
	KUNIT_EXPECT_NULL(test, m->m_next);
	m_freem(m);
}

/* Page-sized jumbo clusters are only tried without waiting; then 2 KiB. */
static void mbuf_kpi_getm2_jumbo_fallback(struct kunit *test)
{
	static const int shape[] = { EXT_PACKET, EXT_PACKET, MBUF_INTERNAL, -1 };
	struct mbuf *top;

	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_JUMBOP), 0, 100);
	top = m_getm2(NULL, 2 * MCLBYTES + 100, M_WAITOK, MT_DATA,
		      M_PKTHDR | M_EOR);
	mbuf_fault_clear();
	KUNIT_ASSERT_NOT_NULL(test, top);
	mbuf_kpi_check_chain(test, top, shape, M_PKTHDR | M_EOR);
	m_freem(top);
}

static void mbuf_kpi_getm2_fail(struct kunit *test)
{
	struct mbuf *m, *top;

	/* The second mbuf fails: the first is freed again. */
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 1, 1);
	top = m_getm2(NULL, MJUMPAGESIZE + 100, M_NOWAIT, MT_DATA, M_PKTHDR);
	KUNIT_EXPECT_NULL(test, top);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	m_freem(top);

	/* Appending fails: the existing chain is untouched, M_EOR kept. */
	m = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_flags |= M_EOR;
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 1, 1);
	KUNIT_EXPECT_NULL(test, m_getm2(m, MJUMPAGESIZE + 100, M_NOWAIT,
					MT_DATA, M_EOR));
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, m->m_next);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_EOR);
	m_freem(m);
}

/* ---- MT_NOINIT, m_init() and iflib's refill ----------------------------------- */

static void mbuf_kpi_noinit(struct kunit *test)
{
	struct mbuf *m;

	m = m_gethdr(M_NOWAIT, MT_NOINIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	/* Scribble over what m_init() must set, as a recycled mbuf might. */
	m->m_next = (struct mbuf *)m;
	m->m_len = 1234;
	m->m_data = NULL;
	KUNIT_EXPECT_EQ(test, m_init(m, M_NOWAIT, MT_CONTROL, M_PKTHDR | M_BCAST),
			0);
	KUNIT_EXPECT_NULL(test, m->m_next);
	KUNIT_EXPECT_NULL(test, m->m_nextpkt);
	KUNIT_EXPECT_EQ(test, m->m_len, 0);
	KUNIT_EXPECT_EQ(test, (int)m->m_type, MT_CONTROL);
	KUNIT_EXPECT_EQ(test, (int)m->m_flags, M_PKTHDR | M_BCAST);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, (caddr_t)m->m_pktdat);
	mbuf_kpi_check_pkthdr(test, m);
	m_freem(m);

	m = m_get_raw(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_len = 99;
	KUNIT_EXPECT_EQ(test, m_init(m, M_WAITOK, MT_DATA, 0), 0);
	KUNIT_EXPECT_EQ(test, m->m_len, 0);
	KUNIT_EXPECT_EQ(test, (int)m->m_flags, 0);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, (caddr_t)m->m_dat);
	KUNIT_EXPECT_EQ(test, M_TRAILINGSPACE(m), (long)MLEN);
	m_freem(m);

	/* An mbuf that was never initialised goes back with m_free_raw(). */
	m = m_gethdr_raw(M_NOWAIT, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m_free_raw(m);
}

static const int mbuf_kpi_clsizes[] = {
	MCLBYTES, MJUMPAGESIZE, MJUM9BYTES, MJUM16BYTES,
};

static void mbuf_kpi_clsize_desc(const int *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%d bytes", *size);
}

KUNIT_ARRAY_PARAM(mbuf_kpi_clsize, mbuf_kpi_clsizes, mbuf_kpi_clsize_desc);

static enum mbuf_zone_id mbuf_kpi_zone_id(int size)
{
	return m_getzone(size)->id;
}

/*
 * iflib's receive refill: clusters straight from the zone, then a header
 * mbuf allocated uninitialised, initialised with m_init() and given the
 * cluster with m_cljset().
 */
static void mbuf_kpi_iflib_refill(struct kunit *test)
{
	const int size = *(const int *)test->param_value;
	enum mbuf_zone_id zid = mbuf_kpi_zone_id(size);
	struct mbuf *m;
	void *cl;

	cl = uma_zalloc(m_getzone(size), M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 1L);
	m = m_gethdr(M_NOWAIT, MT_NOINIT);
	if (!m)
		uma_zfree(m_getzone(size), cl);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m_init(m, M_NOWAIT, MT_DATA, M_PKTHDR), 0);
	m_cljset(m, cl, m_gettype(size));

	KUNIT_EXPECT_EQ(test, (int)m->m_flags, M_PKTHDR | M_EXT);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, (caddr_t)cl);
	KUNIT_EXPECT_PTR_EQ(test, m->m_ext.ext_buf, (char *)cl);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, m_gettype(size));
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, (u32)size);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_flags, EXT_FLAG_EMBREF);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
	KUNIT_EXPECT_NULL(test, m->m_ext.ext_free);
	KUNIT_EXPECT_EQ(test, M_TRAILINGSPACE(m), (long)size);
	mbuf_kpi_check_pkthdr(test, m);
	/* m_free() returns the cluster to its zone and the mbuf to its own. */
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 0L);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
}

/* ---- attaching clusters ------------------------------------------------------- */

static void mbuf_kpi_clget(struct kunit *test)
{
	struct mbuf *m;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_pkthdr.len = 42;
	KUNIT_EXPECT_EQ(test, m_clget(m, M_WAITOK), M_EXT);
	KUNIT_EXPECT_EQ(test, (int)m->m_flags, M_PKTHDR | M_EXT);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, EXT_CLUSTER);
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, (u32)MCLBYTES);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, m->m_ext.ext_buf);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
	/* The packet header survives: m_ext lies past it. */
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 42);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_CLUST), 1L);
	m_freem(m);
}

/* Both the attempt and the retry after draining the packet zone fail. */
static void mbuf_kpi_clget_fail(struct kunit *test)
{
	struct mbuf *m;

	m = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_CLUST), 0, 2);
	KUNIT_EXPECT_EQ(test, m_clget(m, M_NOWAIT), 0);
	mbuf_fault_clear();
	KUNIT_EXPECT_FALSE(test, m->m_flags & M_EXT);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, (caddr_t)m->m_dat);
	m_freem(m);
}

/* The first M_NOWAIT attempt fails, the retry after the drain succeeds. */
static void mbuf_kpi_clget_retry(struct kunit *test)
{
	struct mbuf *m;

	m = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_CLUST), 0, 1);
	KUNIT_EXPECT_EQ(test, m_clget(m, M_NOWAIT), M_EXT);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, EXT_CLUSTER);
	m_freem(m);
}

static void mbuf_kpi_cljget(struct kunit *test)
{
	const int size = *(const int *)test->param_value;
	enum mbuf_zone_id zid = mbuf_kpi_zone_id(size);
	struct mbuf *m;
	void *cl;

	/* With an mbuf: attached, and returned for convenience. */
	m = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	cl = m_cljget(m, M_WAITOK, size);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	KUNIT_EXPECT_PTR_EQ(test, m->m_ext.ext_buf, (char *)cl);
	KUNIT_EXPECT_PTR_EQ(test, m->m_data, (caddr_t)cl);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, m_gettype(size));
	KUNIT_EXPECT_EQ(test, M_SIZE(m), size);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 1L);
	m_freem(m);

	/* Without one: a bare cluster, given back to its zone. */
	cl = m_cljget(NULL, M_NOWAIT, size);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 1L);
	memset(cl, 0x5a, size);
	uma_zfree(m_getzone(size), cl);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, zid), 0L);
}

static void mbuf_kpi_getzone_gettype(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, m_getzone(MCLBYTES), zone_clust);
	KUNIT_EXPECT_PTR_EQ(test, m_getzone(MJUMPAGESIZE), zone_jumbop);
	KUNIT_EXPECT_PTR_EQ(test, m_getzone(MJUM9BYTES), zone_jumbo9);
	KUNIT_EXPECT_PTR_EQ(test, m_getzone(MJUM16BYTES), zone_jumbo16);
	KUNIT_EXPECT_EQ(test, m_gettype(MSIZE), EXT_MBUF);
	KUNIT_EXPECT_EQ(test, m_gettype(MCLBYTES), EXT_CLUSTER);
	KUNIT_EXPECT_EQ(test, m_gettype(MJUMPAGESIZE), EXT_JUMBOP);
	KUNIT_EXPECT_EQ(test, m_gettype(MJUM9BYTES), EXT_JUMBO9);
	KUNIT_EXPECT_EQ(test, m_gettype(MJUM16BYTES), EXT_JUMBO16);
	KUNIT_EXPECT_EQ(test, (int)zone_jumbop->size, MJUMPAGESIZE);
	KUNIT_EXPECT_EQ(test, (int)zone_jumbo9->size, MJUM9BYTES);
	KUNIT_EXPECT_EQ(test, (int)zone_jumbo16->size, MJUM16BYTES);
}

/* ---- data space --------------------------------------------------------------- */

static void mbuf_kpi_space(struct kunit *test)
{
	struct mbuf *m, *n;

	m = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_PTR_EQ(test, M_START(m), (caddr_t)m->m_dat);
	m->m_data += 16;
	m->m_len = 100;
	KUNIT_EXPECT_TRUE(test, M_WRITABLE(m));
	KUNIT_EXPECT_EQ(test, M_LEADINGSPACE(m), 16L);
	KUNIT_EXPECT_EQ(test, M_TRAILINGSPACE(m), (long)(MLEN - 116));
	/* Read-only data has no usable space, though the room is there. */
	m->m_flags |= M_RDONLY;
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(m));
	KUNIT_EXPECT_EQ(test, M_LEADINGSPACE(m), 0L);
	KUNIT_EXPECT_EQ(test, M_TRAILINGSPACE(m), 0L);
	KUNIT_EXPECT_EQ(test, M_TRAILINGROOM(m), (long)(MLEN - 116));
	m_freem(m);

	/* m_align() puts an object at the end, long-aligned. */
	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	M_ALIGN(m, 61);
	KUNIT_EXPECT_EQ(test, (long)(m->m_data - m->m_pktdat),
			(long)((MHLEN - 61) & ~(sizeof(long) - 1)));
	m_freem(m);

	/* Shared storage is not writable by anyone until it is not shared. */
	m = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_PTR_EQ(test, M_START(m), m->m_ext.ext_buf);
	m->m_data += 8;
	m->m_len = 10;
	n = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(m));
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(n));
	KUNIT_EXPECT_EQ(test, M_LEADINGSPACE(n), 0L);
	KUNIT_EXPECT_EQ(test, M_TRAILINGSPACE(m), 0L);
	m_freem(n);
	KUNIT_EXPECT_TRUE(test, M_WRITABLE(m));
	KUNIT_EXPECT_EQ(test, M_LEADINGSPACE(m), 8L);
	KUNIT_EXPECT_EQ(test, M_TRAILINGSPACE(m), (long)(MCLBYTES - 18));
	m_freem(m);
}

/* ---- failure: NULL and nothing left behind ------------------------------------ */

struct mbuf_kpi_fail_case {
	const char *name;
	unsigned int zones;	/* MBUF_FAULT_ZONE() mask to fail */
	void *(*alloc)(void);
	uma_zone_t *bare_zone;	/* zone of a bare cluster result, if any */
};

static void *mbuf_kpi_fail_get(void)
{
	return m_get(M_NOWAIT, MT_DATA);
}

static void *mbuf_kpi_fail_gethdr(void)
{
	return m_gethdr(M_NOWAIT, MT_DATA);
}

static void *mbuf_kpi_fail_getcl(void)
{
	return m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
}

static void *mbuf_kpi_fail_getjcl_page(void)
{
	return m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MJUMPAGESIZE);
}

static void *mbuf_kpi_fail_getjcl_9k(void)
{
	return m_getjcl(M_NOWAIT, MT_DATA, M_PKTHDR, MJUM9BYTES);
}

static void *mbuf_kpi_fail_getjcl_16k(void)
{
	return m_getjcl(M_NOWAIT, MT_DATA, 0, MJUM16BYTES);
}

static void *mbuf_kpi_fail_get2_small(void)
{
	return m_get2(MHLEN + 1, M_NOWAIT, MT_DATA, M_PKTHDR);
}

static void *mbuf_kpi_fail_get2_page(void)
{
	return m_get2(MCLBYTES + 1, M_NOWAIT, MT_DATA, M_PKTHDR);
}

static void *mbuf_kpi_fail_get3_9k(void)
{
	return m_get3(MJUM9BYTES, M_NOWAIT, MT_DATA, M_PKTHDR);
}

static void *mbuf_kpi_fail_get3_16k(void)
{
	return m_get3(MJUM16BYTES, M_NOWAIT, MT_DATA, 0);
}

static void *mbuf_kpi_fail_cljget(void)
{
	return m_cljget(NULL, M_NOWAIT, MJUMPAGESIZE);
}

#define MBUF_FZ(z)	MBUF_FAULT_ZONE(MBZ_##z)
static const struct mbuf_kpi_fail_case mbuf_kpi_fail_cases[] = {
	{ "m_get", MBUF_FZ(MBUF), mbuf_kpi_fail_get },
	{ "m_gethdr", MBUF_FZ(MBUF), mbuf_kpi_fail_gethdr },
	{ "m_getcl", MBUF_FZ(PACK), mbuf_kpi_fail_getcl },
	{ "m_getjcl(MJUMPAGESIZE) cluster", MBUF_FZ(JUMBOP),
	  mbuf_kpi_fail_getjcl_page },
	{ "m_getjcl(MJUMPAGESIZE) mbuf", MBUF_FZ(MBUF),
	  mbuf_kpi_fail_getjcl_page },
	{ "m_getjcl(MJUM9BYTES) cluster", MBUF_FZ(JUMBO9),
	  mbuf_kpi_fail_getjcl_9k },
	{ "m_getjcl(MJUM16BYTES) cluster", MBUF_FZ(JUMBO16),
	  mbuf_kpi_fail_getjcl_16k },
	{ "m_get2(MHLEN + 1)", MBUF_FZ(PACK), mbuf_kpi_fail_get2_small },
	{ "m_get2(MCLBYTES + 1) cluster", MBUF_FZ(JUMBOP),
	  mbuf_kpi_fail_get2_page },
	{ "m_get3(MJUM9BYTES) cluster", MBUF_FZ(JUMBO9),
	  mbuf_kpi_fail_get3_9k },
	{ "m_get3(MJUM16BYTES) cluster", MBUF_FZ(JUMBO16),
	  mbuf_kpi_fail_get3_16k },
	{ "m_get3(MJUM16BYTES) mbuf", MBUF_FZ(MBUF), mbuf_kpi_fail_get3_16k },
	{ "m_cljget(NULL, MJUMPAGESIZE)", MBUF_FZ(JUMBOP),
	  mbuf_kpi_fail_cljget, &zone_jumbop },
};

static void mbuf_kpi_fail_desc(const struct mbuf_kpi_fail_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_kpi_fail, mbuf_kpi_fail_cases, mbuf_kpi_fail_desc);

static void mbuf_kpi_alloc_fail(struct kunit *test)
{
	const struct mbuf_kpi_fail_case *c = test->param_value;
	void *p;

	mbuf_fault_set(c->zones, 0, 1);
	p = c->alloc();
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, p);
	if (p && c->bare_zone)
		uma_zfree(*c->bare_zone, p);
	else
		m_freem(p);
	/* The exit check finds anything the failed call left allocated. */
}

/* ---- freeing ------------------------------------------------------------------- */

static void mbuf_kpi_free(struct kunit *test)
{
	struct mbuf *a, *b;

	a = m_get(M_WAITOK, MT_DATA);
	b = m_getcl(M_WAITOK, MT_DATA, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	a->m_next = b;
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_PACK), 1L);
	KUNIT_EXPECT_PTR_EQ(test, m_free(a), b);
	KUNIT_EXPECT_NULL(test, m_free(b));
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_PACK), 0L);
	m_freem(NULL);
}

static void mbuf_kpi_snd_tag(struct kunit *test)
{
	struct m_snd_tag mst = { .refcount = 2 };
	struct mbuf *m, *n;

	m = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_pkthdr.snd_tag = &mst;
	m->m_pkthdr.csum_flags |= CSUM_SND_TAG;
	KUNIT_EXPECT_NULL(test, m_rcvif(m));
	/* A copy of the header holds a reference of its own... */
	n = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_EQ(test, n->m_pkthdr.snd_tag, &mst);
	KUNIT_EXPECT_EQ(test, mst.refcount, 3U);
	/* ...and m_free() drops each. */
	m_freem(n);
	KUNIT_EXPECT_EQ(test, mst.refcount, 2U);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mst.refcount, 1U);
}

/* ---- copies --------------------------------------------------------------------- */

#define MBUF_KPI_PKT_A	100	/* bytes in the internal storage mbuf */
#define MBUF_KPI_PKT_B	1000	/* bytes in the cluster */
#define MBUF_KPI_PKT_C	50	/* bytes in the last mbuf */
#define MBUF_KPI_PKT_LEN (MBUF_KPI_PKT_A + MBUF_KPI_PKT_B + MBUF_KPI_PKT_C)

/* A three-mbuf packet whose byte i is (u8)i, or NULL on failure. */
static struct mbuf *mbuf_kpi_packet(struct kunit *test)
{
	static const int lens[] = { MBUF_KPI_PKT_A, MBUF_KPI_PKT_B,
				    MBUF_KPI_PKT_C };
	struct mbuf *top, *m;
	int i, j, off = 0;

	top = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, top);
	top->m_next = m_getcl(M_WAITOK, MT_DATA, 0);
	if (top->m_next)
		top->m_next->m_next = m_get(M_WAITOK, MT_DATA);
	if (!top->m_next || !top->m_next->m_next) {
		m_freem(top);
		KUNIT_FAIL(test, "cannot build the test packet");
		return NULL;
	}
	for (m = top, i = 0; m; m = m->m_next, i++) {
		m->m_len = lens[i];
		for (j = 0; j < m->m_len; j++)
			mtod(m, u8 *)[j] = (u8)(off + j);
		off += m->m_len;
	}
	top->m_pkthdr.len = off;
	top->m_pkthdr.flowid = 0xfeed;
	top->m_pkthdr.csum_flags = CSUM_IP_VALID;
	top->m_flags |= M_BCAST;
	return top;
}

static int mbuf_kpi_chain_len(const struct mbuf *m)
{
	int len = 0;

	for (; m; m = m->m_next)
		len += m->m_len;
	return len;
}

/* True if @m holds exactly bytes @off .. @off + @len - 1 of the packet. */
static bool mbuf_kpi_holds(const struct mbuf *m, int off, int len)
{
	u8 *buf;
	bool ok = mbuf_kpi_chain_len(m) == len;
	int i;

	buf = kmalloc(len ? len : 1, GFP_KERNEL);
	if (!buf)
		return false;
	if (ok)
		m_copydata(m, 0, len, (caddr_t)buf);
	for (i = 0; ok && i < len; i++)
		ok = buf[i] == (u8)(off + i);
	kfree(buf);
	return ok;
}

static void mbuf_kpi_copydata(struct kunit *test)
{
	struct mbuf *m = mbuf_kpi_packet(test);
	u8 buf[MBUF_KPI_PKT_LEN];
	int i;

	if (!m)
		return;
	m_copydata(m, 0, MBUF_KPI_PKT_LEN, (caddr_t)buf);
	for (i = 0; i < MBUF_KPI_PKT_LEN; i++)
		if (buf[i] != (u8)i)
			break;
	KUNIT_EXPECT_EQ(test, i, MBUF_KPI_PKT_LEN);
	/* Across both mbuf boundaries, from inside the first. */
	memset(buf, 0, sizeof(buf));
	m_copydata(m, 90, MBUF_KPI_PKT_B + 20, (caddr_t)buf);
	for (i = 0; i < MBUF_KPI_PKT_B + 20; i++)
		if (buf[i] != (u8)(90 + i))
			break;
	KUNIT_EXPECT_EQ(test, i, MBUF_KPI_PKT_B + 20);
	/* Starting exactly at a boundary. */
	m_copydata(m, MBUF_KPI_PKT_A, 4, (caddr_t)buf);
	KUNIT_EXPECT_EQ(test, buf[0], (u8)MBUF_KPI_PKT_A);
	KUNIT_EXPECT_EQ(test, buf[3], (u8)(MBUF_KPI_PKT_A + 3));
	m_freem(m);
}

static void mbuf_kpi_copym(struct kunit *test)
{
	struct mbuf *m = mbuf_kpi_packet(test), *n;

	if (!m)
		return;
	/* The whole packet: header copied, cluster shared, the rest copied. */
	n = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_TRUE(test, mbuf_kpi_holds(n, 0, MBUF_KPI_PKT_LEN));
	KUNIT_EXPECT_TRUE(test, n->m_flags & M_PKTHDR);
	KUNIT_EXPECT_TRUE(test, n->m_flags & M_BCAST);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.len, MBUF_KPI_PKT_LEN);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.flowid, 0xfeedU);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.csum_flags, (u32)CSUM_IP_VALID);
	KUNIT_EXPECT_PTR_NE(test, n->m_data, m->m_data);
	KUNIT_ASSERT_NOT_NULL(test, n->m_next);
	KUNIT_EXPECT_PTR_EQ(test, n->m_next->m_data, m->m_next->m_data);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m->m_next), 2U);
	KUNIT_ASSERT_NOT_NULL(test, n->m_next->m_next);
	KUNIT_EXPECT_PTR_NE(test, n->m_next->m_next->m_data,
			    m->m_next->m_next->m_data);
	m_freem(n);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m->m_next), 1U);

	/* From inside the first mbuf into the last: no packet header. */
	n = m_copym(m, 90, MBUF_KPI_PKT_B + 20, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_FALSE(test, n->m_flags & M_PKTHDR);
	KUNIT_EXPECT_TRUE(test, mbuf_kpi_holds(n, 90, MBUF_KPI_PKT_B + 20));
	m_freem(n);

	/* A prefix: the header's length is what was copied. */
	n = m_copym(m, 0, 50, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.len, 50);
	KUNIT_EXPECT_NULL(test, n->m_next);
	KUNIT_EXPECT_TRUE(test, mbuf_kpi_holds(n, 0, 50));
	m_freem(n);

	/* Inside the cluster only: shared, m_data offset into it. */
	n = m_copym(m, MBUF_KPI_PKT_A + 10, 20, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_EQ(test, n->m_data, m->m_next->m_data + 10);
	KUNIT_EXPECT_TRUE(test, mbuf_kpi_holds(n, MBUF_KPI_PKT_A + 10, 20));
	m_freem(n);
	m_freem(m);
}

static void mbuf_kpi_copym_fail(struct kunit *test)
{
	struct mbuf *m = mbuf_kpi_packet(test);

	if (!m)
		return;
	/* The third mbuf fails, after the cluster has been shared. */
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 2, 1);
	KUNIT_EXPECT_NULL(test, m_copym(m, 0, M_COPYALL, M_NOWAIT));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m->m_next), 1U);
	KUNIT_EXPECT_TRUE(test, M_WRITABLE(m->m_next));
	m_freem(m);
}

/*
 * The debugfs "stress" workload: threads allocating every kind, sharing,
 * and freeing each other's mbufs; it checks the zones balance itself.
 */
static void mbuf_kpi_stress(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mbuf_selftest_stress(4, 3000), 0);
	KUNIT_EXPECT_EQ(test, mbuf_selftest_stress(0, 1), -EINVAL);
}

static struct kunit_case mbuf_kpi_cases[] = {
	KUNIT_CASE_PARAM(mbuf_kpi_alloc_fields, mbuf_kpi_alloc_gen_params),
	KUNIT_CASE_PARAM(mbuf_kpi_get2_get3, mbuf_kpi_size_gen_params),
	KUNIT_CASE_PARAM(mbuf_kpi_getm2_shape, mbuf_kpi_chain_gen_params),
	KUNIT_CASE(mbuf_kpi_getm2_append),
	KUNIT_CASE(mbuf_kpi_getm2_jumbo_fallback),
	KUNIT_CASE(mbuf_kpi_getm2_fail),
	KUNIT_CASE(mbuf_kpi_noinit),
	KUNIT_CASE_PARAM(mbuf_kpi_iflib_refill, mbuf_kpi_clsize_gen_params),
	KUNIT_CASE(mbuf_kpi_clget),
	KUNIT_CASE(mbuf_kpi_clget_fail),
	KUNIT_CASE(mbuf_kpi_clget_retry),
	KUNIT_CASE_PARAM(mbuf_kpi_cljget, mbuf_kpi_clsize_gen_params),
	KUNIT_CASE(mbuf_kpi_getzone_gettype),
	KUNIT_CASE(mbuf_kpi_space),
	KUNIT_CASE_PARAM(mbuf_kpi_alloc_fail, mbuf_kpi_fail_gen_params),
	KUNIT_CASE(mbuf_kpi_free),
	KUNIT_CASE(mbuf_kpi_snd_tag),
	KUNIT_CASE(mbuf_kpi_copydata),
	KUNIT_CASE(mbuf_kpi_copym),
	KUNIT_CASE(mbuf_kpi_copym_fail),
	KUNIT_CASE(mbuf_kpi_stress),
	{}
};

static struct kunit_suite mbuf_kpi_suite = {
	.name = "mbuf_kpi",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_kpi_cases,
};

kunit_test_suite(mbuf_kpi_suite);
