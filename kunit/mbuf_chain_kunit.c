// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_chain: chain surgery as FreeBSD 14 documents it, case by case.
 *
 * Strategy. Each function is called on chains built for the case (shape
 * and storage chosen so that each branch of the FreeBSD algorithm is
 * taken) and the result is checked for its bytes, its shape (mbufs,
 * which one holds the packet header, where m_data points), m_pkthdr.len,
 * and the zone in-use counts: what was freed, what was allocated. The
 * failure semantics drivers depend on are checked one by one with the
 * module's fault injection: which functions free the chain (m_pullup,
 * m_pulldown, m_copyup, M_PREPEND, m_unshare), which leave it intact
 * (m_split, m_defrag, m_copypacket, m_dup) or valid (m_collapse), with
 * every zone back at its baseline after each test (mbuf_kpi_kunit.h).
 * Storage rules: nothing grows into read-only or shared storage
 * (M_PREPEND, m_append, m_cat on a cluster shared by m_copym()), and
 * m_copyback overwrites in place. m_defrag and m_collapse are driven the
 * way a driver's encap does for DMA engines of 1, 2, 8 and 32 segments.
 */
#include <kunit/test.h>
#include <sys/mbuf.h>
#include "mbuf_chain_kunit.h"

#define CHAIN_DATA	(64 * 1024)

/* Shared pattern bytes for the chains of a test. */
static u8 *chain_data(struct kunit *test)
{
	u8 *d = kunit_kmalloc(test, CHAIN_DATA, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	mbuf_chain_pattern(d, CHAIN_DATA, 0x5a);
	return d;
}

static struct mbuf *chain_build(struct kunit *test, enum mbuf_chain_kind k,
				const int *len, int nseg, const u8 *d)
{
	struct mbuf *m = mbuf_chain_build(k, len, nseg, d);

	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

#define CHAIN_EXPECT_BYTES(test, m, d, len)				\
	KUNIT_EXPECT_TRUE_MSG(test, mbuf_chain_equals(m, d, len),	\
			      "chain bytes differ")
#define CHAIN_EXPECT_SANE(test, m) do {				\
	const char *__why = mbuf_chain_invariants(m);			\
									\
	KUNIT_EXPECT_NULL_MSG(test, __why, "%s", __why);		\
} while (0)

/* ---- m_adj, m_length, m_fixhdr, m_getptr, m_apply --------------------- */

static void mbuf_chain_adj(struct kunit *test)
{
	static const int lens[] = { 100, 100, 100 };
	u8 *d = chain_data(test);
	struct mbuf *m;

	/* From the head: emptied mbufs stay, with m_len 0. */
	m = chain_build(test, MCK_INTERNAL, lens, 3, d);
	m_adj(m, 150);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 3);
	KUNIT_EXPECT_EQ(test, m->m_len, 0);
	KUNIT_EXPECT_EQ(test, m->m_next->m_len, 50);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 150);
	CHAIN_EXPECT_BYTES(test, m, d + 150, 150);
	/* From the tail, within the last mbuf. */
	m_adj(m, -30);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 120);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 3);
	CHAIN_EXPECT_BYTES(test, m, d + 150, 120);
	/* Across mbufs: the ones past the new end are freed. */
	m_adj(m, -100);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 20);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 2);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 2);
	CHAIN_EXPECT_BYTES(test, m, d + 150, 20);
	/* More than there is empties it. */
	m_adj(m, 1000);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 0);
	KUNIT_EXPECT_EQ(test, m_length(m, NULL), 0U);
	m_adj(m, -1000);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 0);
	m_adj(NULL, 10);
	m_freem(m);
}

static int chain_apply_sum(void *arg, void *data, u_int len)
{
	u32 *sum = arg;
	u_int i;

	for (i = 0; i < len; i++)
		*sum = *sum * 31 + ((u8 *)data)[i];
	return 0;
}

static int chain_apply_stop(void *arg, void *data, u_int len)
{
	int *calls = arg;

	return ++*calls == 2 ? -42 : 0;
}

static void mbuf_chain_lengths(struct kunit *test)
{
	static const int lens[] = { 10, 0, 200, 30 };
	u8 *d = chain_data(test);
	struct mbuf *m, *last, *p;
	u32 sum = 0, want = 0;
	int off, calls = 0, i;

	m = chain_build(test, MCK_PACKET, lens, 4, d);
	KUNIT_EXPECT_EQ(test, m_length(m, &last), 240U);
	KUNIT_EXPECT_PTR_EQ(test, last, m_last(m));
	m->m_pkthdr.len = 7;
	KUNIT_EXPECT_EQ(test, m_fixhdr(m), 240U);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 240);

	p = m_getptr(m, 5, &off);
	KUNIT_EXPECT_PTR_EQ(test, p, m);
	KUNIT_EXPECT_EQ(test, off, 5);
	p = m_getptr(m, 10, &off);	/* skips the empty mbuf */
	KUNIT_EXPECT_PTR_EQ(test, p, m->m_next->m_next);
	KUNIT_EXPECT_EQ(test, off, 0);
	p = m_getptr(m, 240, &off);	/* one past the end */
	KUNIT_EXPECT_PTR_EQ(test, p, last);
	KUNIT_EXPECT_EQ(test, off, 30);
	KUNIT_EXPECT_NULL(test, m_getptr(m, 241, &off));
	KUNIT_EXPECT_NULL(test, m_getptr(m, -1, &off));

	KUNIT_EXPECT_EQ(test, m_apply(m, 3, 230, chain_apply_sum, &sum), 0);
	for (i = 3; i < 233; i++)
		want = want * 31 + d[i];
	KUNIT_EXPECT_EQ(test, sum, want);
	KUNIT_EXPECT_EQ(test, m_apply(m, 0, 240, chain_apply_stop, &calls),
			-42);
	KUNIT_EXPECT_EQ(test, calls, 2);
	m_freem(m);
}

/* ---- m_pullup, m_copyup, m_pulldown ---------------------------------- */

static void mbuf_chain_pullup(struct kunit *test)
{
	static const int small[] = { 10, 100, 100 };
	static const int cl[] = { 20, 1000 };
	unsigned long fails = atomic_long_read(&mbuf_stat_mpfail);
	u8 *d = chain_data(test);
	struct mbuf *m, *n;

	/* Room in the first (internal) mbuf: pulled into it. */
	m = chain_build(test, MCK_INTERNAL, small, 3, d);
	n = m_pullup(m, 54);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_EQ(test, n, m);
	KUNIT_EXPECT_GE(test, n->m_len, 54);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.len, 210);
	CHAIN_EXPECT_BYTES(test, n, d, 210);
	CHAIN_EXPECT_SANE(test, n);
	/* Already there: the chain as it is. */
	KUNIT_EXPECT_PTR_EQ(test, m_pullup(n, 20), n);
	m_freem(n);

	/* First mbuf a cluster: a new first mbuf takes the header. */
	m = chain_build(test, MCK_PACKET, cl, 2, d);
	n = m_pullup(m, 54);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_NE(test, n, m);
	KUNIT_EXPECT_TRUE(test, n->m_flags & M_PKTHDR);
	KUNIT_EXPECT_FALSE(test, n->m_flags & M_EXT);
	KUNIT_EXPECT_GE(test, n->m_len, 54);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.len, 1020);
	CHAIN_EXPECT_BYTES(test, n, d, 1020);
	CHAIN_EXPECT_SANE(test, n);
	m_freem(n);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&mbuf_stat_mpfail), fails);

	/* Beyond MHLEN: fails, frees the chain, counts m_mpfail. */
	m = chain_build(test, MCK_PACKET, cl, 2, d);
	KUNIT_EXPECT_NULL(test, m_pullup(m, MHLEN + 1));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&mbuf_stat_mpfail), fails + 1);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_PACK), 0);
	/* Shorter than asked: the same. */
	m = chain_build(test, MCK_INTERNAL, small, 3, d);
	m->m_next->m_next->m_len = 0;
	m->m_pkthdr.len = 110;
	KUNIT_EXPECT_NULL(test, m_pullup(m, 150));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&mbuf_stat_mpfail), fails + 2);
	/* No mbuf for the new head. */
	m = chain_build(test, MCK_PACKET, cl, 2, d);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 0, 1);
	KUNIT_EXPECT_NULL(test, m_pullup(m, 54));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, atomic_long_read(&mbuf_stat_mpfail), fails + 3);
}

static void mbuf_chain_copyup(struct kunit *test)
{
	static const int lens[] = { 30, 100 };
	u8 *d = chain_data(test);
	struct mbuf *m, *n;

	m = chain_build(test, MCK_INTERNAL, lens, 2, d);
	n = m_copyup(m, 60, 32);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_NE(test, n, m);
	KUNIT_EXPECT_EQ(test, (int)M_LEADINGSPACE(n), 32);
	KUNIT_EXPECT_GE(test, n->m_len, 60);
	CHAIN_EXPECT_BYTES(test, n, d, 130);
	CHAIN_EXPECT_SANE(test, n);
	m_freem(n);
	m = chain_build(test, MCK_INTERNAL, lens, 2, d);
	KUNIT_EXPECT_NULL(test, m_copyup(m, MHLEN - 31, 32));
}

static void mbuf_chain_pulldown(struct kunit *test)
{
	static const int lens[] = { 100, 1000, 1000 };
	u8 *d = chain_data(test);
	struct mbuf *m, *n, *c;
	int off;

	/* Inside one writable cluster: in place. */
	m = chain_build(test, MCK_CLUSTER, lens, 3, d);
	n = m_pulldown(m, 150, 40, &off);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_EQ(test, n, m->m_next);
	KUNIT_EXPECT_EQ(test, off, 50);
	/* Without offp the bytes must start the mbuf: it is split. */
	n = m_pulldown(m, 150, 40, NULL);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, memcmp(mtod(n, u8 *), d + 150, 40), 0);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 4);
	/* Across an mbuf boundary. */
	n = m_pulldown(m, 1050, 200, &off);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, memcmp(mtod(n, u8 *) + off, d + 1050, 200), 0);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 2100);
	CHAIN_EXPECT_BYTES(test, m, d, 2100);
	CHAIN_EXPECT_SANE(test, m);
	/* In shared storage: copied out into a writable mbuf, not in place. */
	c = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, c);
	n = m_pulldown(c, 150, 40, &off);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, off, 0);
	KUNIT_EXPECT_TRUE(test, M_WRITABLE(n));
	KUNIT_EXPECT_EQ(test, memcmp(mtod(n, u8 *), d + 150, 40), 0);
	CHAIN_EXPECT_BYTES(test, c, d, 2100);
	CHAIN_EXPECT_SANE(test, c);
	m_freem(c);
	/* Too short, or too long a request: the chain is freed. */
	KUNIT_EXPECT_NULL(test, m_pulldown(m, 2000, 200, NULL));
	m = chain_build(test, MCK_CLUSTER, lens, 3, d);
	KUNIT_EXPECT_NULL(test, m_pulldown(m, 0, MCLBYTES + 1, NULL));
	/* No memory for the copy: the same. */
	m = chain_build(test, MCK_CLUSTER, lens, 3, d);
	mbuf_fault_set(MBUF_FAULT_ALL, 0, 1);
	KUNIT_EXPECT_NULL(test, m_pulldown(m, 150, 40, NULL));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
}

/* ---- M_PREPEND, m_append, m_copyback ---------------------------------- */

static void mbuf_chain_prepend(struct kunit *test)
{
	static const int lens[] = { 100 };
	u8 *d = chain_data(test);
	struct mbuf *m, *c, *first;

	/* Leading space: no new mbuf. */
	m = chain_build(test, MCK_PACKET, lens, 1, d);
	m->m_data += 64;
	memcpy(mtod(m, u8 *), d, 100);
	first = m;
	M_PREPEND(m, 14, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_PTR_EQ(test, m, first);
	KUNIT_EXPECT_EQ(test, m->m_len, 114);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 114);
	/* No leading space: a new first mbuf with the header. */
	M_PREPEND(m, 60, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_PTR_NE(test, m, first);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_PKTHDR);
	KUNIT_EXPECT_FALSE(test, first->m_flags & M_PKTHDR);
	KUNIT_EXPECT_EQ(test, m->m_len, 60);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 174);
	KUNIT_EXPECT_GE(test, (int)M_LEADINGSPACE(m), MHLEN - 60 - 8);
	CHAIN_EXPECT_SANE(test, m);
	m_freem(m);

	/* Shared storage has no leading space, even with room in front. */
	m = chain_build(test, MCK_PACKET, lens, 1, d);
	m->m_data += 64;
	c = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, c);
	memcpy(d + 1000, M_START(m), MCLBYTES);
	M_PREPEND(c, 14, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_FALSE(test, c->m_flags & M_EXT);
	KUNIT_EXPECT_EQ(test, memcmp(d + 1000, M_START(m), MCLBYTES), 0);
	m_freem(c);
	/* No mbuf: the chain is freed and the pointer set to NULL. */
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 0, 1);
	M_PREPEND(m, 100, M_NOWAIT);
	KUNIT_EXPECT_NULL(test, m);
	mbuf_fault_clear();
}

static void mbuf_chain_append(struct kunit *test)
{
	static const int lens[] = { 100 };
	u8 *d = chain_data(test);
	struct mbuf *m, *c;
	u8 *snap;

	m = chain_build(test, MCK_INTERNAL, lens, 1, d);
	KUNIT_EXPECT_EQ(test, m_append(m, 500, (c_caddr_t)d + 100), 1);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 600);
	KUNIT_EXPECT_EQ(test, m->m_len, MHLEN);	/* filled first */
	CHAIN_EXPECT_BYTES(test, m, d, 600);
	CHAIN_EXPECT_SANE(test, m);
	m_freem(m);

	/* Onto a shared cluster: a new mbuf, the cluster untouched. */
	m = chain_build(test, MCK_PACKET, lens, 1, d);
	c = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, c);
	snap = kunit_kmalloc(test, MCLBYTES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	memcpy(snap, M_START(m), MCLBYTES);
	KUNIT_EXPECT_EQ(test, m_append(c, 50, (c_caddr_t)d + 100), 1);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(c), 2);
	KUNIT_EXPECT_EQ(test, memcmp(snap, M_START(m), MCLBYTES), 0);
	CHAIN_EXPECT_BYTES(test, c, d, 150);
	m_freem(c);
	m_freem(m);

	/* No mbuf: 0, and m_pkthdr.len counts what was appended. */
	m = chain_build(test, MCK_INTERNAL, lens, 1, d);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 0, 1);
	KUNIT_EXPECT_EQ(test, m_append(m, 500, (c_caddr_t)d + 100), 0);
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, MHLEN);
	CHAIN_EXPECT_BYTES(test, m, d, MHLEN);
	m_freem(m);
}

static void mbuf_chain_copyback(struct kunit *test)
{
	static const int lens[] = { 100, 100 };
	u8 *d = chain_data(test), *want;
	struct mbuf *m;

	want = kunit_kzalloc(test, 2000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	m = chain_build(test, MCK_INTERNAL, lens, 2, d);
	memcpy(want, d, 200);
	/* In place, across the two mbufs. */
	m_copyback(m, 90, 20, (c_caddr_t)d + 5000);
	memcpy(want + 90, d + 5000, 20);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 200);
	CHAIN_EXPECT_BYTES(test, m, want, 200);
	/* Past the end, with a gap: zero-filled, chain and header grow. */
	m_copyback(m, 500, 600, (c_caddr_t)d + 6000);
	memcpy(want + 500, d + 6000, 600);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 1100);
	CHAIN_EXPECT_BYTES(test, m, want, 1100);
	CHAIN_EXPECT_SANE(test, m);
	m_copyback(NULL, 0, 1, (c_caddr_t)d);
	m_freem(m);
}

/* ---- m_split, m_cat, m_catpkt ----------------------------------------- */

static void mbuf_chain_split(struct kunit *test)
{
	static const int lens[] = { 100, 1500, 200 };
	static const int inner[] = { 100, 220 };
	u8 *d = chain_data(test);
	struct mbuf *m, *t;

	/* Inside a cluster: both halves share it, read-only in effect. */
	m = chain_build(test, MCK_PACKET, lens, 3, d);
	m->m_pkthdr.rcvif = (struct ifnet *)0x1;
	t = m_split(m, 600, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 600);
	KUNIT_EXPECT_EQ(test, t->m_pkthdr.len, 1200);
	KUNIT_EXPECT_PTR_EQ(test, t->m_pkthdr.rcvif, m->m_pkthdr.rcvif);
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(m->m_next));
	KUNIT_EXPECT_FALSE(test, M_WRITABLE(t));
	CHAIN_EXPECT_BYTES(test, m, d, 600);
	CHAIN_EXPECT_BYTES(test, t, d + 600, 1200);
	CHAIN_EXPECT_SANE(test, m);
	CHAIN_EXPECT_SANE(test, t);
	/* m_catpkt puts them back; m_cat alone leaves the length. */
	m_catpkt(m, t);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 1800);
	CHAIN_EXPECT_BYTES(test, m, d, 1800);
	CHAIN_EXPECT_SANE(test, m);
	/* At an mbuf boundary. */
	t = m_split(m, 100, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->m_len, 0);
	KUNIT_EXPECT_EQ(test, t->m_pkthdr.len, 1700);
	m_freem(t);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 1);
	/* Beyond the end: NULL, nothing changed. */
	KUNIT_EXPECT_NULL(test, m_split(m, 101, M_NOWAIT));
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 100);
	m_freem(m);

	/* Failure: the chain is left as it was, m_pkthdr.len included. */
	m = chain_build(test, MCK_INTERNAL, inner, 2, d);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 0, 1);
	KUNIT_EXPECT_NULL(test, m_split(m, 150, M_NOWAIT));
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 320);
	CHAIN_EXPECT_BYTES(test, m, d, 320);
	/* The inner internal mbuf's 170-byte tail needs a split of its own. */
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 1, 1);
	KUNIT_EXPECT_NULL(test, m_split(m, 150, M_NOWAIT));
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 320);
	CHAIN_EXPECT_BYTES(test, m, d, 320);
	CHAIN_EXPECT_SANE(test, m);
	t = m_split(m, 150, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, t);
	CHAIN_EXPECT_BYTES(test, t, d + 150, 170);
	CHAIN_EXPECT_SANE(test, t);
	m_freem(t);
	m_freem(m);
}

static void mbuf_chain_cat(struct kunit *test)
{
	static const int a[] = { 100 }, b[] = { 50, 60 };
	u8 *d = chain_data(test);
	struct mbuf *m, *n;

	m = chain_build(test, MCK_PACKET, a, 1, d);
	n = chain_build(test, MCK_INTERNAL, b, 2, d + 100);
	m_demote(n, 1, 0);
	m_cat(m, n);
	/* Both fitted the cluster's trailing space: copied and freed. */
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 1);
	KUNIT_EXPECT_EQ(test, m->m_len, 210);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 100);	/* not updated */
	m->m_pkthdr.len = 210;
	CHAIN_EXPECT_BYTES(test, m, d, 210);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0);
	m_freem(m);
}

/* ---- packet headers ---------------------------------------------------- */

static void mbuf_chain_pkthdr(struct kunit *test)
{
	static const int lens[] = { 40, 40 };
	u8 *d = chain_data(test);
	struct mbuf *m, *n;
	struct m_tag *t;

	m = chain_build(test, MCK_INTERNAL, lens, 2, d);
	m->m_flags |= M_BCAST | M_PROTO1;
	m->m_pkthdr.flowid = 77;
	t = m_tag_alloc(1, 2, 8, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, t);
	m_tag_prepend(m, t);

	/* dup: tags copied, the source keeps its own. */
	n = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, m_dup_pkthdr(n, m, M_WAITOK), 1);
	KUNIT_EXPECT_TRUE(test, n->m_flags & M_PKTHDR);
	KUNIT_EXPECT_TRUE(test, n->m_flags & M_BCAST);
	KUNIT_EXPECT_EQ(test, n->m_pkthdr.flowid, 77U);
	KUNIT_EXPECT_PTR_EQ(test, n->m_data, (caddr_t)n->m_pktdat);
	KUNIT_EXPECT_NOT_NULL(test, m_tag_locate(n, 1, 2, NULL));
	KUNIT_EXPECT_PTR_NE(test, m_tag_first(n), t);
	KUNIT_EXPECT_PTR_EQ(test, m_tag_first(m), t);
	m_free(n);
	/* dup with the tag copy failing: 0, no tags, freeable. */
	n = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, n);
	mbuf_fault_set(MBUF_FAULT_OTHER, 0, 1);
	KUNIT_EXPECT_EQ(test, m_dup_pkthdr(n, m, M_NOWAIT), 0);
	mbuf_fault_clear();
	KUNIT_EXPECT_TRUE(test, SLIST_EMPTY(&n->m_pkthdr.tags));
	m_free(n);

	/* move: the tags go with the header. */
	n = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, n);
	M_MOVE_PKTHDR(n, m);
	KUNIT_EXPECT_FALSE(test, m->m_flags & M_PKTHDR);
	KUNIT_EXPECT_TRUE(test, n->m_flags & M_PKTHDR);
	KUNIT_EXPECT_PTR_EQ(test, m_tag_first(n), t);
	n->m_next = m;
	n->m_pkthdr.len = 80;

	/* demote: headers and tags of the chain go; M_EXT etc. stay. */
	m_demote(n, 1, M_BCAST);
	KUNIT_EXPECT_FALSE(test, n->m_flags & M_PKTHDR);
	KUNIT_EXPECT_TRUE(test, n->m_flags & M_BCAST);
	KUNIT_EXPECT_FALSE(test, n->m_flags & M_PROTO1);
	m_freem(n);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0);

	/* m_clrprotoflags clears M_PROTO* on every mbuf. */
	m = chain_build(test, MCK_INTERNAL, lens, 2, d);
	m->m_flags |= M_PROTO3;
	m->m_next->m_flags |= M_PROTO11 | M_EOR;
	m_clrprotoflags(m);
	KUNIT_EXPECT_EQ(test, m->m_flags & M_PROTOFLAGS, 0);
	KUNIT_EXPECT_EQ(test, (int)m->m_next->m_flags, M_EOR);
	m_freem(m);
}

/* ---- m_devget ----------------------------------------------------------- */

static unsigned int chain_devget_calls;

static void chain_devget_copy(char *from, caddr_t to, u_int len)
{
	chain_devget_calls++;
	memcpy(to, from, len);
}

static void mbuf_chain_devget(struct kunit *test)
{
	u8 *d = chain_data(test);
	struct mbuf *m;

	/* A short frame: one mbuf, max_linkhdr bytes left in front. */
	m = m_devget((char *)d, 60, 0, (struct ifnet *)0x2, NULL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 1);
	KUNIT_EXPECT_EQ(test, (int)M_LEADINGSPACE(m), max_linkhdr);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 60);
	KUNIT_EXPECT_PTR_EQ(test, m->m_pkthdr.rcvif, (struct ifnet *)0x2);
	CHAIN_EXPECT_BYTES(test, m, d, 60);
	m_freem(m);
	/* A jumbo frame in clusters, through the driver's copy routine. */
	chain_devget_calls = 0;
	m = m_devget((char *)d, 9000, 2, NULL, chain_devget_copy);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 5);
	KUNIT_EXPECT_EQ(test, chain_devget_calls, 5U);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 9000);
	CHAIN_EXPECT_BYTES(test, m, d, 9000);
	CHAIN_EXPECT_SANE(test, m);
	m_freem(m);
	/* Bad offset, and no memory half way: NULL, nothing left. */
	KUNIT_EXPECT_NULL(test, m_devget((char *)d, 60, MHLEN + 1, NULL, NULL));
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_PACK), 2, 1);
	KUNIT_EXPECT_NULL(test, m_devget((char *)d, 9000, 0, NULL, NULL));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
}

/* ---- copies: m_copypacket, m_dup, m_unshare ---------------------------- */

static void mbuf_chain_copypacket(struct kunit *test)
{
	static const int lens[] = { 60, 1400 };
	unsigned long fails;
	u8 *d = chain_data(test);
	struct mbuf *m, *c;

	m = chain_build(test, MCK_INTERNAL, lens, 1, d);
	m->m_data += 16;
	memcpy(mtod(m, u8 *), d, 60);
	m->m_next = mbuf_chain_alloc(MCK_PACKET, false);
	KUNIT_ASSERT_NOT_NULL(test, m->m_next);
	memcpy(mtod(m->m_next, u8 *), d + 60, 1400);
	m->m_next->m_len = 1400;
	m->m_pkthdr.len = 1460;

	c = m_copypacket(m, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	/* Internal data copied at the same offset, the cluster shared. */
	KUNIT_EXPECT_EQ(test, (int)M_LEADINGSPACE(c), 16);
	KUNIT_EXPECT_PTR_EQ(test, c->m_next->m_data, m->m_next->m_data);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m->m_next), 2U);
	CHAIN_EXPECT_BYTES(test, c, d, 1460);
	m_freem(c);

	/* m_dup: nothing shared, all writable. */
	c = m_dup(m, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m->m_next), 1U);
	KUNIT_EXPECT_TRUE(test, M_WRITABLE(c));
	KUNIT_EXPECT_EQ(test, c->m_pkthdr.len, 1460);
	CHAIN_EXPECT_BYTES(test, c, d, 1460);
	CHAIN_EXPECT_SANE(test, c);
	m_freem(c);

	/* Failures: NULL, the original untouched, m_mcfail counted. */
	fails = atomic_long_read(&mbuf_stat_mcfail);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 1, 1);
	KUNIT_EXPECT_NULL(test, m_copypacket(m, M_NOWAIT));
	mbuf_fault_clear();
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_PACK), 0, 1);
	KUNIT_EXPECT_NULL(test, m_dup(m, M_NOWAIT));
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, atomic_long_read(&mbuf_stat_mcfail), fails + 2);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m->m_next), 1U);
	CHAIN_EXPECT_BYTES(test, m, d, 1460);
	KUNIT_EXPECT_NULL(test, m_dup(NULL, M_NOWAIT));
	m_freem(m);
}

static void chain_ext_free(struct mbuf *m)
{
	(*(int *)m->m_ext.ext_arg1)++;
}

static void mbuf_chain_unshare(struct kunit *test)
{
	static const int lens[] = { 100, 1500, 40 };
	u8 *d = chain_data(test), *ext;
	struct mbuf *m, *c, *x;
	int freed = 0;

	m = chain_build(test, MCK_PACKET, lens, 3, d);
	c = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, c);
	/* A read-only external buffer at the end. */
	ext = kunit_kmalloc(test, 300, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ext);
	memcpy(ext, d + 1640, 300);
	x = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, x);
	m_extadd(x, (char *)ext, 300, chain_ext_free, &freed, NULL, M_RDONLY,
		 EXT_NET_DRV);
	x->m_len = 300;
	m_last(c)->m_next = x;
	c->m_pkthdr.len += 300;

	c = m_unshare(c, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (x = c; x; x = x->m_next)
		KUNIT_EXPECT_TRUE(test, !(x->m_flags & M_EXT) || M_WRITABLE(x));
	KUNIT_EXPECT_EQ(test, freed, 1);
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
	CHAIN_EXPECT_BYTES(test, c, d, 1940);
	CHAIN_EXPECT_SANE(test, c);
	m_freem(c);

	/* No cluster: NULL and the chain is freed. */
	c = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, c);
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_PACK), 0, 1);
	KUNIT_EXPECT_NULL(test, m_unshare(c, M_NOWAIT));
	mbuf_fault_clear();
	KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
	CHAIN_EXPECT_BYTES(test, m, d, 1640);
	m_freem(m);
}

/* ---- m_defrag and m_collapse for DMA engines --------------------------- */

struct chain_shape {
	const char *name;
	enum mbuf_chain_kind kind;
	int nseg, seglen;
};

static const struct chain_shape chain_shapes[] = {
	{ "40 x 37-byte mbufs", MCK_INTERNAL, 40, 37 },
	{ "16 x 90-byte mbufs", MCK_INTERNAL, 16, 90 },
	{ "20 x 500-byte clusters", MCK_PACKET, 20, 500 },
	{ "6 x 1500-byte clusters", MCK_CLUSTER, 6, 1500 },
	{ "3 x 4000-byte page clusters", MCK_JUMBOP, 3, 4000 },
};

static const int chain_engines[] = { 1, 2, 8, 32 };

struct chain_engine_param {
	const struct chain_shape *shape;
	int segs;
};

static struct chain_engine_param chain_engine_params[ARRAY_SIZE(chain_shapes) *
						      ARRAY_SIZE(chain_engines)];

static const void *chain_engine_gen(const void *prev, char *desc)
{
	const struct chain_engine_param *p = prev;
	int i = p ? p - chain_engine_params + 1 : 0;

	if (i >= ARRAY_SIZE(chain_engine_params))
		return NULL;
	chain_engine_params[i].shape = &chain_shapes[i / ARRAY_SIZE(chain_engines)];
	chain_engine_params[i].segs = chain_engines[i % ARRAY_SIZE(chain_engines)];
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %d-segment engine",
		 chain_engine_params[i].shape->name, chain_engine_params[i].segs);
	return &chain_engine_params[i];
}

static struct mbuf *chain_shape_build(struct kunit *test,
				      const struct chain_shape *s, const u8 *d)
{
	int lens[40], i;

	for (i = 0; i < s->nseg; i++)
		lens[i] = s->seglen;
	return chain_build(test, s->kind, lens, s->nseg, d);
}

/*
 * A driver's encap: too many segments, so m_collapse() to the engine's
 * limit; if that fails, m_defrag(); the engine takes the result if it has
 * no more segments than it can map.
 */
static void mbuf_chain_dma_engine(struct kunit *test)
{
	const struct chain_engine_param *p = test->param_value;
	const struct chain_shape *s = p->shape;
	int total = s->nseg * s->seglen, segs, need;
	u8 *d = chain_data(test);
	struct mbuf *m, *r;

	m = chain_shape_build(test, s, d);
	r = m_collapse(m, M_NOWAIT, p->segs);
	if (r) {
		KUNIT_EXPECT_PTR_EQ(test, r, m);
		KUNIT_EXPECT_LE(test, mbuf_chain_count(r), p->segs);
	} else {
		/* Left valid, with the same bytes. */
		KUNIT_EXPECT_GT(test, mbuf_chain_count(m), p->segs);
	}
	CHAIN_EXPECT_BYTES(test, m, d, total);
	CHAIN_EXPECT_SANE(test, m);
	/* Engines of 8 and more always get a chain from m_collapse. */
	if (p->segs >= 8)
		KUNIT_EXPECT_NOT_NULL(test, r);

	r = m_defrag(m, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, r);
	segs = mbuf_chain_count(r);
	need = total <= MHLEN ? 1 : DIV_ROUND_UP(total, MCLBYTES);
	KUNIT_EXPECT_EQ(test, segs, need);
	KUNIT_EXPECT_EQ(test, r->m_pkthdr.len, total);
	CHAIN_EXPECT_BYTES(test, r, d, total);
	CHAIN_EXPECT_SANE(test, r);
	/* Only a packet longer than the engine can map stays too long. */
	if (segs > p->segs)
		KUNIT_EXPECT_GT(test, total, p->segs * MCLBYTES);
	m_freem(r);
}

static void mbuf_chain_defrag_fail(struct kunit *test)
{
	static const int lens[] = { 150, 150, 150, 150, 150, 150, 150, 150,
				    150, 150, 150, 150, 150, 150, 150, 150 };
	u8 *d = chain_data(test);
	struct mbuf *m, *n;
	int i;

	/* Each of m_defrag's two clusters in turn: NULL, chain unchanged. */
	m = chain_build(test, MCK_INTERNAL, lens, 16, d);
	for (i = 0; i < 2; i++) {
		mbuf_fault_set(MBUF_FAULT_ALL, i, 1);
		KUNIT_EXPECT_NULL(test, m_defrag(m, M_NOWAIT));
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
		mbuf_fault_clear();
		KUNIT_EXPECT_EQ(test, mbuf_chain_count(m), 16);
		CHAIN_EXPECT_BYTES(test, m, d, 2400);
	}
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 16);
	/* m_collapse's cluster fails: NULL, chain valid, same bytes. */
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_PACK), 0, 1);
	KUNIT_EXPECT_NULL(test, m_collapse(m, M_NOWAIT, 2));
	mbuf_fault_clear();
	CHAIN_EXPECT_BYTES(test, m, d, 2400);
	CHAIN_EXPECT_SANE(test, m);
	/* Not a packet header: m_defrag gives it back as it is. */
	n = m->m_next;
	KUNIT_EXPECT_PTR_EQ(test, m_defrag(n, M_NOWAIT), n);
	m_freem(m);
}

/* ---- m_sanity, m_print -------------------------------------------------- */

static void mbuf_chain_sanity(struct kunit *test)
{
	static const int lens[] = { 40 };
	u8 *d = chain_data(test);
	struct mbuf *m, *h;
	struct m_tag *t;

	m = chain_build(test, MCK_INTERNAL, lens, 1, d);
	m->m_next = m_get(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, m->m_next);
	memcpy(mtod(m->m_next, u8 *), d + 40, 40);
	m->m_next->m_len = 40;
	m->m_pkthdr.len = 80;
	KUNIT_EXPECT_EQ(test, m_sanity(m, 0), 1);
	m_print(m, 16);
	/* A wrong length is reported, or zeroed when sanitizing. */
	m->m_pkthdr.len = 81;
	KUNIT_EXPECT_EQ(test, m_sanity(m, 0), 0);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 81);
	KUNIT_EXPECT_EQ(test, m_sanity(m, 1), 1);
	KUNIT_EXPECT_EQ(test, m->m_pkthdr.len, 0);
	m->m_pkthdr.len = 80;
	/* An inner packet header with a tag: dropped when sanitizing. */
	h = m_gethdr(M_WAITOK, MT_DATA);
	KUNIT_ASSERT_NOT_NULL(test, h);
	memcpy(mtod(h, u8 *), d + 80, 40);
	h->m_len = 40;
	m->m_next->m_next = h;
	m->m_pkthdr.len = 120;
	t = m_tag_alloc(1, 1, 4, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, t);
	m_tag_prepend(h, t);
	KUNIT_EXPECT_EQ(test, m_sanity(m, 0), 0);
	KUNIT_EXPECT_EQ(test, m_sanity(m, 1), 1);
	KUNIT_EXPECT_FALSE(test, h->m_flags & M_PKTHDR);
	KUNIT_EXPECT_TRUE(test, SLIST_EMPTY(&h->m_pkthdr.tags));
	KUNIT_EXPECT_EQ(test, m_sanity(m, 0), 1);
	CHAIN_EXPECT_BYTES(test, m, d, 120);
	/* m_data past the storage cannot be repaired. */
	m->m_next->m_data += MLEN;
	KUNIT_EXPECT_EQ(test, m_sanity(m, 1), 0);
	m->m_next->m_data -= MLEN;
	m_print(NULL, -1);
	m_freem(m);
}

static struct kunit_case mbuf_chain_cases[] = {
	KUNIT_CASE(mbuf_chain_adj),
	KUNIT_CASE(mbuf_chain_lengths),
	KUNIT_CASE(mbuf_chain_pullup),
	KUNIT_CASE(mbuf_chain_copyup),
	KUNIT_CASE(mbuf_chain_pulldown),
	KUNIT_CASE(mbuf_chain_prepend),
	KUNIT_CASE(mbuf_chain_append),
	KUNIT_CASE(mbuf_chain_copyback),
	KUNIT_CASE(mbuf_chain_split),
	KUNIT_CASE(mbuf_chain_cat),
	KUNIT_CASE(mbuf_chain_pkthdr),
	KUNIT_CASE(mbuf_chain_devget),
	KUNIT_CASE(mbuf_chain_copypacket),
	KUNIT_CASE(mbuf_chain_unshare),
	KUNIT_CASE_PARAM(mbuf_chain_dma_engine, chain_engine_gen),
	KUNIT_CASE(mbuf_chain_defrag_fail),
	KUNIT_CASE(mbuf_chain_sanity),
	{}
};

static struct kunit_suite mbuf_chain_suite = {
	.name = "mbuf_chain",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_chain_cases,
};

kunit_test_suite(mbuf_chain_suite);
