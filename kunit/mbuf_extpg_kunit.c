// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_extpg: unmapped (M_EXTPG) mbufs.
 *
 * Strategy. The data of an unmapped mbuf is header bytes, then each page's
 * share (m_epg_pagelen(): page 0 from m_epg_1st_off, the last page
 * m_epg_last_len bytes, a single page both), then trailer bytes, minus
 * what m_data says was trimmed off the front. The tests build such mbufs
 * by hand from a table of layouts chosen at the edges -- first-page offset
 * 0, PAGE_SIZE - 1 and PAGE_SIZE, one page, several, the maximum, empty
 * last page, header and trailer absent, short or full size -- with every
 * byte of header, pages and trailer holding a value derived from where it
 * is. The expected byte sequence is computed independently from FreeBSD's
 * definition, and for each layout and each trim at a boundary:
 *  - mb_extpg_copydata() (the M_EXTPG part of m_copydata) returns exactly
 *    that sequence, whole and in sub-ranges that start and end on the
 *    boundaries;
 *  - mb_unmapped_to_ext() yields mapped mbufs holding the same bytes, one
 *    per non-empty piece (header, page, trailer), pages as read-only
 *    EXT_SFBUF mbufs on the page's direct mapping at the right offset;
 *    the original storage is released only when the last of them is
 *    freed (the test's ext_free counts calls; an extra reference the test
 *    holds on each page must be the only one left at the end);
 *  - mb_unmapped_compress() turns small ones into plain mbufs with the
 *    same bytes, and refuses (EBUSY) while the storage is shared; a
 *    shadow left holding the last reference compresses too, the pages
 *    released through the carrier and the carrier freed.
 * mb_mapped_to_unmapped() is checked against the FreeBSD layout of its
 * output (pages filled in order, each mbuf starting at offset 0, full
 * pages but the last) and round-tripped through mb_unmapped_to_ext().
 * Failure paths: every allocation of mb_alloc_ext_pgs,
 * mb_alloc_ext_plus_pages (mbuf and each page), mb_mapped_to_unmapped and
 * mb_unmapped_to_ext (each piece of each mbuf of a chain) is made to fail
 * in turn with the module's fault injection; the result must be NULL with
 * nothing leaked: zones back at their baseline (checked after every
 * case), every original storage released exactly once, page references
 * back to the test's own.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "mbuf_kpi_kunit.h"

/* ---- hand-built unmapped mbufs ------------------------------------- */

struct mbuf_extpg_layout {
	const char *desc;
	int npgs, first_off, last_len, hdrlen, trllen;
};

static const struct mbuf_extpg_layout mbuf_extpg_layouts[] = {
	{ "one whole page", 1, 0, PAGE_SIZE, 0, 0 },
	{ "one page, its last byte", 1, PAGE_SIZE - 1, 1, 0, 0 },
	{ "one page, middle, full header and trailer",
	  1, 100, 200, MBUF_PEXT_HDR_LEN, MBUF_PEXT_TRAIL_LEN },
	{ "two pages, one byte in the first", 2, PAGE_SIZE - 1, 1, 13, 16 },
	{ "two pages, first offset PAGE_SIZE", 2, PAGE_SIZE, 5, 0, 0 },
	{ "two pages, last empty", 2, 0, 0, 0, 4 },
	{ "three whole pages, header", 3, 0, PAGE_SIZE, 5, 0 },
	{ "all pages, trailer", MBUF_PEXT_MAX_PGS, 17, 1, 0,
	  MBUF_PEXT_TRAIL_LEN },
	{ "header and trailer, no page", 0, 0, 0, 10, 10 },
};

static void mbuf_extpg_layout_desc(const struct mbuf_extpg_layout *l,
				   char *desc)
{
	strscpy(desc, l->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_extpg_layout, mbuf_extpg_layouts,
		  mbuf_extpg_layout_desc);

/* The value every byte holds, by where it is. */
static u8 mbuf_extpg_hdr_byte(int i)
{
	return 0xa0 + i;
}

static u8 mbuf_extpg_trl_byte(int i)
{
	return 0x30 + i;
}

static u8 mbuf_extpg_page_byte(int pg, int off)
{
	return (u8)(pg * 37 + off * 7 + 1);
}

/* The storage's ext_free calls, and each page of the current case. */
static int mbuf_extpg_frees;

static void mbuf_extpg_test_free(struct mbuf *m)
{
	mbuf_extpg_frees++;
	mb_free_mext_pgs(m);
}

struct mbuf_extpg_pages {
	struct page *pg[MBUF_PEXT_MAX_PGS];
	int n;
};

/*
 * An unmapped mbuf with layout @l, @trim bytes trimmed off the front and
 * @cut off the back. The test keeps an extra reference on each page in
 * @pages (mbuf_extpg_pages_put() checks and drops them).
 */
static struct mbuf *mbuf_extpg_build(struct kunit *test,
				     const struct mbuf_extpg_layout *l,
				     int trim, int cut,
				     struct mbuf_extpg_pages *pages)
{
	struct mbuf *m;
	int i, j, total = l->hdrlen + l->trllen;
	u8 *p;

	m = mb_alloc_ext_pgs(M_WAITOK, mbuf_extpg_test_free);
	KUNIT_ASSERT_NOT_NULL(test, m);
	for (i = 0; i < l->hdrlen; i++)
		m->m_epg_hdr[i] = mbuf_extpg_hdr_byte(i);
	for (i = 0; i < l->trllen; i++)
		m->m_epg_trail[i] = mbuf_extpg_trl_byte(i);
	pages->n = l->npgs;
	for (i = 0; i < l->npgs; i++) {
		m->m_epg_pg[i] = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
		get_page(m->m_epg_pg[i]);
		pages->pg[i] = m->m_epg_pg[i];
		p = page_address(m->m_epg_pg[i]);
		for (j = 0; j < PAGE_SIZE; j++)
			p[j] = mbuf_extpg_page_byte(i, j);
	}
	m->m_epg_npgs = l->npgs;
	m->m_epg_hdrlen = l->hdrlen;
	m->m_epg_trllen = l->trllen;
	m->m_epg_1st_off = l->first_off;
	m->m_epg_last_len = l->last_len;
	for (i = 0; i < l->npgs; i++) {
		int start = i == 0 ? l->first_off : 0;

		total += i == l->npgs - 1 ? l->last_len : PAGE_SIZE - start;
	}
	m->m_data = (caddr_t)(uintptr_t)trim;
	m->m_len = total - trim - cut;
	return m;
}

/* Only the test's reference on each page may be left. */
static void mbuf_extpg_pages_put(struct kunit *test,
				 struct mbuf_extpg_pages *pages)
{
	int i;

	for (i = 0; i < pages->n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, page_ref_count(pages->pg[i]), 1,
				    "page %d still referenced", i);
		put_page(pages->pg[i]);
	}
	pages->n = 0;
}

/*
 * The byte sequence of layout @l by FreeBSD's definition, into @buf;
 * returns its length. Also the pieces: their count, not counting empty
 * ones, is what mb_unmapped_to_ext() turns a whole mbuf into.
 */
struct mbuf_extpg_piece {
	int start, len;		/* in the sequence */
	int page;		/* page index, or -1 for header and trailer */
	int pgoff;		/* offset of the piece in its page */
};

static int mbuf_extpg_expect(const struct mbuf_extpg_layout *l, u8 *buf,
			     struct mbuf_extpg_piece *pc, int *npieces)
{
	int i, j, pos = 0, n = 0;

	pc[n++] = (struct mbuf_extpg_piece){ 0, l->hdrlen, -1, 0 };
	for (i = 0; i < l->hdrlen; i++)
		buf[pos++] = mbuf_extpg_hdr_byte(i);
	for (i = 0; i < l->npgs; i++) {
		int start = i == 0 ? l->first_off : 0;
		int len = i == l->npgs - 1 ? l->last_len : PAGE_SIZE - start;

		pc[n++] = (struct mbuf_extpg_piece){ pos, len, i, start };
		for (j = 0; j < len; j++)
			buf[pos++] = mbuf_extpg_page_byte(i, start + j);
	}
	pc[n++] = (struct mbuf_extpg_piece){ pos, l->trllen, -1, 0 };
	for (i = 0; i < l->trllen; i++)
		buf[pos++] = mbuf_extpg_trl_byte(i);
	*npieces = n;
	return pos;
}

/* Boundaries of a sequence: three per piece, PAGE_SIZE and the end. */
#define MBUF_EXTPG_NTRIMS	(3 * (MBUF_PEXT_MAX_PGS + 2) + 2)

#define MBUF_EXTPG_SEQ_MAX \
	(MBUF_PEXT_MAX_PGS * PAGE_SIZE + MBUF_PEXT_HDR_LEN + MBUF_PEXT_TRAIL_LEN)

struct mbuf_extpg_case {
	u8 *expect;		/* the whole sequence */
	u8 *got;
	struct mbuf_extpg_piece pc[MBUF_PEXT_MAX_PGS + 2];
	int npieces, total;
};

static struct mbuf_extpg_case *mbuf_extpg_case_new(struct kunit *test,
						   const struct mbuf_extpg_layout *l)
{
	struct mbuf_extpg_case *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->expect = kunit_kzalloc(test, MBUF_EXTPG_SEQ_MAX, GFP_KERNEL);
	c->got = kunit_kzalloc(test, MBUF_EXTPG_SEQ_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->expect);
	KUNIT_ASSERT_NOT_NULL(test, c->got);
	c->total = mbuf_extpg_expect(l, c->expect, c->pc, &c->npieces);
	return c;
}

/* Trims worth trying for a sequence: every boundary and its neighbours. */
static int mbuf_extpg_trims(const struct mbuf_extpg_case *c, int *trims)
{
	int i, j, n = 0, t, k = 0;
	int cand[MBUF_EXTPG_NTRIMS];

	for (i = 0; i < c->npieces; i++) {
		cand[k++] = c->pc[i].start;
		cand[k++] = c->pc[i].start + 1;
		cand[k++] = c->pc[i].start + c->pc[i].len - 1;
	}
	cand[k++] = PAGE_SIZE;
	cand[k++] = c->total;
	for (i = 0; i < k; i++) {
		t = cand[i];
		if (t < 0 || t > c->total)
			continue;
		for (j = 0; j < n && trims[j] != t; j++)
			;
		if (j == n)
			trims[n++] = t;
	}
	return n;
}

static bool mbuf_extpg_same(struct kunit *test, const u8 *got, const u8 *want,
			    int len, const char *what, int a, int b)
{
	int i;

	for (i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			KUNIT_FAIL(test, "%s (%d, %d): byte %d is %#x, want %#x",
				   what, a, b, i, got[i], want[i]);
			return false;
		}
	}
	return true;
}

/* mb_extpg_copydata(): the whole data and sub-ranges at the boundaries. */
static void mbuf_extpg_copydata(struct kunit *test)
{
	const struct mbuf_extpg_layout *l = test->param_value;
	struct mbuf_extpg_case *c = mbuf_extpg_case_new(test, l);
	int trims[MBUF_EXTPG_NTRIMS];
	int offs[MBUF_EXTPG_NTRIMS];
	struct mbuf_extpg_pages pages;
	int nt, no, t, o, r, off, len;
	struct mbuf *m;

	nt = mbuf_extpg_trims(c, trims);
	no = mbuf_extpg_trims(c, offs);
	for (t = 0; t < nt; t++) {
		m = mbuf_extpg_build(test, l, trims[t], 0, &pages);
		KUNIT_EXPECT_EQ(test, m->m_len, c->total - trims[t]);
		/* from each boundary: one byte, to the end; and up to it */
		for (o = 0; o < no; o++) {
			for (r = 0; r < 3; r++) {
				off = r == 2 ? 0 : offs[o];
				len = r == 0 ? 1 : r == 1 ? m->m_len - off : offs[o];
				if (off > m->m_len || len < 0 ||
				    off + len > m->m_len)
					continue;
				memset(c->got, 0, len);
				KUNIT_EXPECT_EQ(test,
						mb_extpg_copydata(m, off, len,
								  (char *)c->got),
						0);
				mbuf_extpg_same(test, c->got,
						c->expect + trims[t] + off, len,
						"trim, off", trims[t], off);
			}
		}
		m_free(m);
		KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, t + 1);
		mbuf_extpg_pages_put(test, &pages);
	}
}

/* Bytes of a mapped chain, concatenated. */
static int mbuf_extpg_chain_bytes(struct mbuf *m, u8 *buf, int max)
{
	int len = 0;

	for (; m; m = m->m_next) {
		if (len + m->m_len > max)
			return -1;
		memcpy(buf + len, mtod(m, u8 *), m->m_len);
		len += m->m_len;
	}
	return len;
}

/*
 * Check the pieces mb_unmapped_to_ext() made of one mbuf of layout @l
 * trimmed by @trim and @cut. Returns the number of EXT_SFBUF mbufs.
 */
static int mbuf_extpg_check_pieces(struct kunit *test,
				   const struct mbuf_extpg_case *c,
				   const struct mbuf_extpg_pages *pages,
				   struct mbuf *n, int trim, int cut)
{
	int i, from, to, lo, hi, sfbufs = 0, pieces = 0;
	const struct mbuf_extpg_piece *p;

	from = trim;
	to = c->total - cut;
	for (i = 0; i < c->npieces; i++) {
		p = &c->pc[i];
		lo = max(p->start, from);
		hi = min(p->start + p->len, to);
		if (hi <= lo)
			continue;
		pieces++;
		if (!n) {
			KUNIT_FAIL(test, "trim %d: piece %d missing", trim, i);
			return sfbufs;
		}
		KUNIT_EXPECT_EQ(test, n->m_len, hi - lo);
		KUNIT_EXPECT_FALSE(test, n->m_flags & M_EXTPG);
		if (p->page >= 0) {
			sfbufs++;
			KUNIT_EXPECT_TRUE(test, n->m_flags & M_EXT);
			KUNIT_EXPECT_TRUE(test, n->m_flags & M_RDONLY);
			KUNIT_EXPECT_EQ(test, (int)n->m_ext.ext_type, EXT_SFBUF);
			KUNIT_EXPECT_EQ(test, n->m_ext.ext_size, (u32)PAGE_SIZE);
			KUNIT_EXPECT_PTR_EQ(test, n->m_ext.ext_buf,
					    (char *)page_address(pages->pg[p->page]));
			KUNIT_EXPECT_EQ(test, (int)(n->m_data - n->m_ext.ext_buf),
					p->pgoff + lo - p->start);
		} else {
			KUNIT_EXPECT_FALSE(test, n->m_flags & M_EXT);
		}
		n = n->m_next;
	}
	if (!pieces) {
		/* no data at all: one empty mbuf stands for it */
		KUNIT_EXPECT_NOT_NULL(test, n);
		if (n) {
			KUNIT_EXPECT_EQ(test, n->m_len, 0);
			n = n->m_next;
		}
	}
	KUNIT_EXPECT_NULL_MSG(test, n, "trim %d: extra mbufs", trim);
	return sfbufs;
}

/* mb_unmapped_to_ext() of one mbuf, at every trim, with a cut tail. */
static void mbuf_extpg_to_ext(struct kunit *test)
{
	const struct mbuf_extpg_layout *l = test->param_value;
	struct mbuf_extpg_case *c = mbuf_extpg_case_new(test, l);
	int trims[MBUF_EXTPG_NTRIMS];
	struct mbuf_extpg_pages pages;
	int nt, t, cut, sfbufs, len;
	struct mbuf *m, *n;

	nt = mbuf_extpg_trims(c, trims);
	for (t = 0; t < nt; t++) {
		for (cut = 0; cut <= min(3, c->total - trims[t]); cut += 3) {
			m = mbuf_extpg_build(test, l, trims[t], cut, &pages);
			mbuf_extpg_frees = 0;
			n = mb_unmapped_to_ext(m);
			KUNIT_ASSERT_NOT_NULL(test, n);
			len = mbuf_extpg_chain_bytes(n, c->got, MBUF_EXTPG_SEQ_MAX);
			KUNIT_EXPECT_EQ(test, len, c->total - trims[t] - cut);
			mbuf_extpg_same(test, c->got, c->expect + trims[t], len,
					"to_ext, trim", trims[t], cut);
			sfbufs = mbuf_extpg_check_pieces(test, c, &pages, n,
							 trims[t], cut);
			/*
			 * The storage stays until the last EXT_SFBUF mbuf
			 * goes; without any it went with the original.
			 */
			while (n) {
				KUNIT_EXPECT_EQ(test, mbuf_extpg_frees,
						sfbufs ? 0 : 1);
				if (n->m_flags & M_EXT)
					sfbufs--;
				n = m_free(n);
			}
			KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 1);
			mbuf_extpg_pages_put(test, &pages);
		}
	}
}

/* Small mbufs compress into plain ones holding the same bytes. */
static void mbuf_extpg_compress(struct kunit *test)
{
	const struct mbuf_extpg_layout *l = test->param_value;
	struct mbuf_extpg_case *c = mbuf_extpg_case_new(test, l);
	int trims[MBUF_EXTPG_NTRIMS];
	struct mbuf_extpg_pages pages;
	int nt, t, tested = 0;
	struct mbuf *m, *dup;

	nt = mbuf_extpg_trims(c, trims);
	for (t = 0; t < nt; t++) {
		if (c->total - trims[t] > MLEN)
			continue;
		tested++;
		m = mbuf_extpg_build(test, l, trims[t], 0, &pages);
		mbuf_extpg_frees = 0;

		/* shared: refused, nothing changes */
		dup = m_get(M_WAITOK, MT_DATA);
		mb_dupcl(dup, m);
		KUNIT_EXPECT_EQ(test, mb_unmapped_compress(m), EBUSY);
		KUNIT_EXPECT_TRUE(test, m->m_flags & M_EXTPG);
		m_free(dup);
		KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 0);

		KUNIT_EXPECT_EQ(test, mb_unmapped_compress(m), 0);
		KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 1);
		KUNIT_EXPECT_FALSE(test, m->m_flags & (M_EXT | M_EXTPG | M_RDONLY));
		KUNIT_EXPECT_PTR_EQ(test, m->m_data, (caddr_t)m->m_dat);
		KUNIT_EXPECT_EQ(test, m->m_len, c->total - trims[t]);
		mbuf_extpg_same(test, mtod(m, u8 *), c->expect + trims[t],
				m->m_len, "compress, trim", trims[t], 0);
		m_free(m);
		mbuf_extpg_pages_put(test, &pages);

		/*
		 * The last reference held by a shadow (mb_dupcl() copies no
		 * ext_free) whose carrier was freed: the pages are released
		 * through the carrier, once, and the carrier goes back to
		 * zone_mbuf (the zone baseline at the end of the case).
		 */
		m = mbuf_extpg_build(test, l, trims[t], 0, &pages);
		mbuf_extpg_frees = 0;
		dup = m_get(M_WAITOK, MT_DATA);
		mb_dupcl(dup, m);
		dup->m_data = m->m_data;
		dup->m_len = m->m_len;
		m_free(m);
		KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 0);
		KUNIT_EXPECT_EQ(test, mb_unmapped_compress(dup), 0);
		KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 1);
		KUNIT_EXPECT_FALSE(test,
				   dup->m_flags & (M_EXT | M_EXTPG | M_RDONLY));
		KUNIT_EXPECT_EQ(test, dup->m_len, c->total - trims[t]);
		mbuf_extpg_same(test, mtod(dup, u8 *), c->expect + trims[t],
				dup->m_len, "compress a shadow, trim", trims[t],
				0);
		m_free(dup);
		mbuf_extpg_pages_put(test, &pages);
	}
	if (!tested)
		kunit_skip(test, "no trim leaves at most MLEN bytes");
}

/* ---- allocation ----------------------------------------------------- */

static void mbuf_extpg_alloc_ext_pgs(struct kunit *test)
{
	struct mbuf *m;

	KUNIT_EXPECT_TRUE(test, mb_use_ext_pgs);	/* FreeBSD's default */
	m = mb_alloc_ext_pgs(M_NOWAIT, mbuf_extpg_test_free);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, (int)(m->m_flags &
				    (M_EXT | M_RDONLY | M_EXTPG | M_PKTHDR)),
			M_EXT | M_RDONLY | M_EXTPG);
	KUNIT_EXPECT_EQ(test, (int)m->m_type, MT_DATA);
	KUNIT_EXPECT_EQ(test, m->m_len, 0);
	KUNIT_EXPECT_NULL(test, m->m_data);
	KUNIT_EXPECT_EQ(test, m->m_epg_npgs + m->m_epg_nrdy + m->m_epg_hdrlen +
			m->m_epg_trllen + m->m_epg_1st_off + m->m_epg_last_len +
			m->m_epg_flags, 0);
	KUNIT_EXPECT_NULL(test, m->m_epg_tls);
	KUNIT_EXPECT_NULL(test, m->m_epg_so);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_flags, EXT_FLAG_EMBREF);
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_count, 1U);
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, 0U);
	KUNIT_EXPECT_PTR_EQ(test, m->m_ext.ext_free, &mbuf_extpg_test_free);
	mbuf_extpg_frees = 0;
	m_free(m);
	KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 1);
	mbuf_extpg_frees = 0;

	/* the mbuf allocation fails: NULL */
	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 0, 1);
	KUNIT_EXPECT_NULL(test, mb_alloc_ext_pgs(M_NOWAIT, mbuf_extpg_test_free));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
}

static const int mbuf_extpg_plus_lens[] = {
	0, 1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
	MBUF_PEXT_MAX_PGS * PAGE_SIZE,
};

static void mbuf_extpg_plus_pages(struct kunit *test)
{
	struct mbuf_extpg_pages pages;
	struct mbuf *m;
	int i, j, len;

	for (i = 0; i < ARRAY_SIZE(mbuf_extpg_plus_lens); i++) {
		len = mbuf_extpg_plus_lens[i];
		m = mb_alloc_ext_plus_pages(len, i & 1 ? M_NOWAIT : M_WAITOK);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_EQ(test, (int)m->m_epg_npgs,
				(int)DIV_ROUND_UP(len, PAGE_SIZE));
		KUNIT_EXPECT_TRUE(test, m->m_epg_flags & EPG_FLAG_ANON);
		KUNIT_EXPECT_TRUE(test, m->m_flags & M_EXTPG);
		KUNIT_EXPECT_PTR_EQ(test, m->m_ext.ext_free, &mb_free_mext_pgs);
		KUNIT_EXPECT_EQ(test, m->m_len, 0);
		pages.n = m->m_epg_npgs;
		for (j = 0; j < m->m_epg_npgs; j++) {
			pages.pg[j] = m->m_epg_pg[j];
			KUNIT_EXPECT_EQ(test, page_ref_count(pages.pg[j]), 1);
			KUNIT_EXPECT_FALSE(test, PageHighMem(pages.pg[j]));
			get_page(pages.pg[j]);
		}
		m_free(m);
		mbuf_extpg_pages_put(test, &pages);
	}
}

/* Each allocation failing in turn: NULL, nothing kept. */
static void mbuf_extpg_plus_pages_fail(struct kunit *test)
{
	int npgs = 3, k;

	mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), 0, 1);
	KUNIT_EXPECT_NULL(test, mb_alloc_ext_plus_pages(PAGE_SIZE, M_NOWAIT));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	for (k = 0; k < npgs; k++) {
		mbuf_fault_set(MBUF_FAULT_OTHER, k, 1);
		KUNIT_EXPECT_NULL(test, mb_alloc_ext_plus_pages(npgs * PAGE_SIZE,
								M_NOWAIT));
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	}
	mbuf_fault_clear();
}

/* ---- mb_mapped_to_unmapped() ---------------------------------------- */

static u8 mbuf_extpg_src_byte(int i)
{
	return (u8)(i * 13 + 5);
}

/* A mapped chain of @len bytes: plain mbufs, clusters and jumbo pages. */
static struct mbuf *mbuf_extpg_src_chain(struct kunit *test, int len)
{
	static const int sizes[] = { 0, MCLBYTES, MJUMPAGESIZE };
	struct mbuf *top = NULL, **tail = &top, *m;
	int pos = 0, k = 0, i, n;

	while (pos < len) {
		int sz = sizes[k++ % ARRAY_SIZE(sizes)];

		m = sz ? m_getjcl(M_WAITOK, MT_DATA, 0, sz) :
			 m_get(M_WAITOK, MT_DATA);
		KUNIT_ASSERT_NOT_NULL(test, m);
		n = min(M_SIZE(m) - 3, len - pos);	/* odd sizes */
		for (i = 0; i < n; i++)
			mtod(m, u8 *)[i] = mbuf_extpg_src_byte(pos + i);
		m->m_len = n;
		pos += n;
		*tail = m;
		tail = &m->m_next;
	}
	return top;
}

struct mbuf_extpg_m2u {
	const char *desc;
	int len, mlen;
};

static const struct mbuf_extpg_m2u mbuf_extpg_m2u_cases[] = {
	{ "1 byte", 1, MBUF_PEXT_MAX_PGS * PAGE_SIZE },
	{ "PAGE_SIZE - 1", PAGE_SIZE - 1, MBUF_PEXT_MAX_PGS * PAGE_SIZE },
	{ "PAGE_SIZE", PAGE_SIZE, MBUF_PEXT_MAX_PGS * PAGE_SIZE },
	{ "PAGE_SIZE + 1", PAGE_SIZE + 1, MBUF_PEXT_MAX_PGS * PAGE_SIZE },
	{ "3 pages + 5, one page per mbuf", 3 * PAGE_SIZE + 5, PAGE_SIZE },
	{ "two full mbufs and some", 2 * MBUF_PEXT_MAX_PGS * PAGE_SIZE + 7,
	  MBUF_PEXT_MAX_PGS * PAGE_SIZE },
	{ "mlen not a page multiple", 3 * PAGE_SIZE, PAGE_SIZE + 100 },
};

static void mbuf_extpg_m2u_desc(const struct mbuf_extpg_m2u *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_extpg_m2u, mbuf_extpg_m2u_cases, mbuf_extpg_m2u_desc);

static void mbuf_extpg_mapped_to_unmapped(struct kunit *test)
{
	const struct mbuf_extpg_m2u *p = test->param_value;
	struct mbuf *src, *out, *m, *last = NULL, *mapped;
	int remaining = p->len, npgs, take, i, len;
	u8 *buf;

	buf = kvmalloc(p->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	src = mbuf_extpg_src_chain(test, p->len);
	out = mb_mapped_to_unmapped(src, p->len, p->mlen, M_WAITOK, &last);
	KUNIT_ASSERT_NOT_NULL(test, out);

	/* FreeBSD's layout: pages filled in order, all full but the last */
	for (m = out; m; m = m->m_next) {
		KUNIT_EXPECT_TRUE(test, m->m_flags & M_EXTPG);
		KUNIT_EXPECT_TRUE(test, m->m_epg_flags & EPG_FLAG_ANON);
		KUNIT_EXPECT_EQ(test, (int)m->m_epg_1st_off, 0);
		KUNIT_EXPECT_EQ(test, m->m_epg_hdrlen + m->m_epg_trllen, 0);
		npgs = DIV_ROUND_UP(min(p->mlen, remaining), PAGE_SIZE);
		take = min(npgs * (int)PAGE_SIZE, remaining);
		KUNIT_EXPECT_EQ(test, (int)m->m_epg_npgs, npgs);
		KUNIT_EXPECT_EQ(test, m->m_len, take);
		KUNIT_EXPECT_EQ(test, (int)m->m_epg_last_len,
				take - (npgs - 1) * (int)PAGE_SIZE);
		remaining -= take;
		if (!m->m_next)
			KUNIT_EXPECT_PTR_EQ(test, last, m);
	}
	KUNIT_EXPECT_EQ(test, remaining, 0);

	/* the data, through m_copydata() */
	memset(buf, 0, p->len);
	m_copydata(out, 0, p->len, (caddr_t)buf);
	for (i = 0; i < p->len; i++)
		if (buf[i] != mbuf_extpg_src_byte(i)) {
			KUNIT_FAIL(test, "byte %d is %#x, want %#x", i, buf[i],
				   mbuf_extpg_src_byte(i));
			break;
		}

	/* and back to mapped mbufs */
	mapped = mb_unmapped_to_ext(out);
	KUNIT_ASSERT_NOT_NULL(test, mapped);
	memset(buf, 0, p->len);
	len = mbuf_extpg_chain_bytes(mapped, buf, p->len);
	KUNIT_EXPECT_EQ(test, len, p->len);
	for (i = 0; i < p->len; i++)
		if (buf[i] != mbuf_extpg_src_byte(i)) {
			KUNIT_FAIL(test, "round trip: byte %d is %#x, want %#x",
				   i, buf[i], mbuf_extpg_src_byte(i));
			break;
		}
	m_freem(mapped);
	m_freem(src);
	kvfree(buf);
}

/* Every allocation failing in turn, and a source too short. */
static void mbuf_extpg_mapped_to_unmapped_fail(struct kunit *test)
{
	int len = 2 * PAGE_SIZE + 1, mlen = PAGE_SIZE, k;
	struct mbuf *src = mbuf_extpg_src_chain(test, len);

	/* three mbufs of one page each */
	for (k = 0; k < 3; k++) {
		mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), k, 1);
		KUNIT_EXPECT_NULL(test, mb_mapped_to_unmapped(src, len, mlen,
							      M_NOWAIT, NULL));
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
		mbuf_fault_set(MBUF_FAULT_OTHER, k, 1);
		KUNIT_EXPECT_NULL(test, mb_mapped_to_unmapped(src, len, mlen,
							      M_NOWAIT, NULL));
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	}
	mbuf_fault_clear();
	KUNIT_EXPECT_NULL(test, mb_mapped_to_unmapped(src, len + 1, mlen,
						      M_WAITOK, NULL));
	KUNIT_EXPECT_NULL(test, mb_mapped_to_unmapped(src, 0, mlen, M_WAITOK,
						      NULL));
	m_freem(src);
}

/* ---- chains --------------------------------------------------------- */

/*
 * A chain mixing mapped and unmapped mbufs:
 *   [extpg L1] [plain] [extpg L2] [cluster] [extpg L3]
 * starting with an unmapped one (FreeBSD frees it twice when its
 * conversion fails).
 */
static const struct mbuf_extpg_layout mbuf_extpg_chain_layouts[] = {
	{ "", 2, 100, 50, 5, 7 },
	{ "", 1, 0, PAGE_SIZE, 0, 0 },
	{ "", 3, PAGE_SIZE - 1, 9, MBUF_PEXT_HDR_LEN, MBUF_PEXT_TRAIL_LEN },
};

struct mbuf_extpg_chain {
	struct mbuf *top;
	struct mbuf_extpg_pages pages[ARRAY_SIZE(mbuf_extpg_chain_layouts)];
	struct mbuf *plain[2];
	u8 *expect;
	int len, pieces;
};

static void mbuf_extpg_chain_build(struct kunit *test,
				   struct mbuf_extpg_chain *ch)
{
	struct mbuf_extpg_case *c;
	struct mbuf *m, **tail = &ch->top;
	int i, j;

	ch->expect = kunit_kzalloc(test, 4 * MBUF_EXTPG_SEQ_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ch->expect);
	ch->len = 0;
	ch->pieces = 0;
	for (i = 0; i < ARRAY_SIZE(mbuf_extpg_chain_layouts); i++) {
		const struct mbuf_extpg_layout *l = &mbuf_extpg_chain_layouts[i];

		c = mbuf_extpg_case_new(test, l);
		m = mbuf_extpg_build(test, l, 0, 0, &ch->pages[i]);
		memcpy(ch->expect + ch->len, c->expect, c->total);
		ch->len += c->total;
		for (j = 0; j < c->npieces; j++)
			ch->pieces += c->pc[j].len > 0;
		*tail = m;
		tail = &m->m_next;
		if (i < ARRAY_SIZE(ch->plain)) {
			m = i ? m_getcl(M_WAITOK, MT_DATA, 0) :
				m_get(M_WAITOK, MT_DATA);
			m->m_len = i ? 1000 : 50;
			for (j = 0; j < m->m_len; j++)
				mtod(m, u8 *)[j] = ch->expect[ch->len++] =
					(u8)(0x77 + j + i);
			ch->plain[i] = m;
			*tail = m;
			tail = &m->m_next;
		}
	}
}

static void mbuf_extpg_chain_pages_put(struct kunit *test,
				       struct mbuf_extpg_chain *ch)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ch->pages); i++)
		mbuf_extpg_pages_put(test, &ch->pages[i]);
}

struct mbuf_extpg_conv {
	struct mbuf *in, *out;
};

static void mbuf_extpg_conv_fn(void *arg)
{
	struct mbuf_extpg_conv *cv = arg;

	cv->out = mb_unmapped_to_ext(cv->in);
}

/* Mapped mbufs stay in place; unmapped ones become mapped pieces. */
static void mbuf_extpg_chain_to_ext(struct kunit *test)
{
	struct mbuf_extpg_chain ch;
	struct mbuf_extpg_conv cv;
	struct mbuf *m;
	int len, i;
	u8 *got;

	got = kunit_kzalloc(test, 4 * MBUF_EXTPG_SEQ_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	mbuf_extpg_chain_build(test, &ch);
	mbuf_extpg_frees = 0;
	cv.in = ch.top;
	/* never sleeps: run it with interrupts off */
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_extpg_conv_fn, &cv);
	KUNIT_ASSERT_NOT_NULL(test, cv.out);
	len = mbuf_extpg_chain_bytes(cv.out, got, 4 * MBUF_EXTPG_SEQ_MAX);
	KUNIT_EXPECT_EQ(test, len, ch.len);
	mbuf_extpg_same(test, got, ch.expect, ch.len, "chain", 0, 0);
	KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 0);
	/* the mapped mbufs are the same ones, in order */
	for (m = cv.out, i = 0; m; m = m->m_next) {
		KUNIT_EXPECT_FALSE(test, m->m_flags & M_EXTPG);
		if (i < ARRAY_SIZE(ch.plain) && m == ch.plain[i])
			i++;
	}
	KUNIT_EXPECT_EQ(test, i, (int)ARRAY_SIZE(ch.plain));
	m_freem(cv.out);
	KUNIT_EXPECT_EQ(test, mbuf_extpg_frees,
			(int)ARRAY_SIZE(mbuf_extpg_chain_layouts));
	mbuf_extpg_chain_pages_put(test, &ch);
}

/* Each piece's allocation failing in turn: NULL, the whole chain freed. */
static void mbuf_extpg_chain_to_ext_fail(struct kunit *test)
{
	struct mbuf_extpg_chain ch;
	int k, pieces = 0;

	for (k = 0; k == 0 || k < pieces; k++) {
		mbuf_extpg_chain_build(test, &ch);
		pieces = ch.pieces;
		mbuf_extpg_frees = 0;
		mbuf_fault_set(MBUF_FAULT_ZONE(MBZ_MBUF), k, 1);
		KUNIT_EXPECT_NULL(test, mb_unmapped_to_ext(ch.top));
		KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
		mbuf_fault_clear();
		/* each original storage released once, pages unreferenced */
		KUNIT_EXPECT_EQ(test, mbuf_extpg_frees,
				(int)ARRAY_SIZE(mbuf_extpg_chain_layouts));
		mbuf_extpg_chain_pages_put(test, &ch);
		mbuf_kunit_flush();	/* the cluster's packet is cached */
		KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
	}
	KUNIT_EXPECT_GT(test, pieces, 3);
}

/* A shared unmapped mbuf: the pieces hold the carrier of the count. */
static void mbuf_extpg_shared_to_ext(struct kunit *test)
{
	const struct mbuf_extpg_layout *l = &mbuf_extpg_chain_layouts[2];
	struct mbuf_extpg_pages pages;
	struct mbuf *m, *dup, *n;

	m = mbuf_extpg_build(test, l, 0, 0, &pages);
	dup = m_get(M_WAITOK, MT_DATA);
	mb_dupcl(dup, m);
	dup->m_data = m->m_data;
	dup->m_len = m->m_len;
	mbuf_extpg_frees = 0;
	n = mb_unmapped_to_ext(dup);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, m->m_ext.ext_count, 1U + l->npgs);
	m_free(m);		/* the carrier's own reference */
	KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 0);
	m_freem(n);
	KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 1);
	mbuf_extpg_pages_put(test, &pages);
}

/* ---- mb_free_notready() --------------------------------------------- */

static void mbuf_extpg_free_notready(struct kunit *test)
{
	const struct mbuf_extpg_layout *l = &mbuf_extpg_chain_layouts[0];
	struct mbuf_extpg_pages pa, pc;
	struct mbuf *a, *b, *c;

	a = mbuf_extpg_build(test, l, 0, 0, &pa);
	b = m_get(M_WAITOK, MT_DATA);
	c = mbuf_extpg_build(test, l, 0, 0, &pc);
	a->m_epg_nrdy = 2;
	c->m_epg_nrdy = 1;
	a->m_next = b;
	b->m_next = c;
	mbuf_extpg_frees = 0;

	/* one unit of a: a stays, with one page not ready */
	mb_free_notready(a, 1);
	KUNIT_EXPECT_EQ(test, a->m_epg_nrdy, 1);
	KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 0);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 3L);
	/* a's last unit, b and c's only one: all gone */
	mb_free_notready(a, 3);
	KUNIT_EXPECT_EQ(test, mbuf_extpg_frees, 2);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
	mbuf_extpg_pages_put(test, &pa);
	mbuf_extpg_pages_put(test, &pc);
}

/* m_copydata() across mapped and unmapped mbufs. */
static void mbuf_extpg_chain_copydata(struct kunit *test)
{
	struct mbuf_extpg_chain ch;
	u8 *got;
	int off;

	got = kunit_kzalloc(test, 4 * MBUF_EXTPG_SEQ_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	mbuf_extpg_chain_build(test, &ch);
	for (off = 0; off < ch.len; off += 997) {
		memset(got, 0, ch.len);
		m_copydata(ch.top, off, ch.len - off, (caddr_t)got);
		if (!mbuf_extpg_same(test, got, ch.expect + off, ch.len - off,
				     "m_copydata", off, ch.len - off))
			break;
	}
	m_freem(ch.top);
	mbuf_extpg_chain_pages_put(test, &ch);
}

static struct kunit_case mbuf_extpg_cases[] = {
	KUNIT_CASE(mbuf_extpg_alloc_ext_pgs),
	KUNIT_CASE(mbuf_extpg_plus_pages),
	KUNIT_CASE(mbuf_extpg_plus_pages_fail),
	KUNIT_CASE_PARAM(mbuf_extpg_copydata, mbuf_extpg_layout_gen_params),
	KUNIT_CASE_PARAM(mbuf_extpg_to_ext, mbuf_extpg_layout_gen_params),
	KUNIT_CASE_PARAM(mbuf_extpg_compress, mbuf_extpg_layout_gen_params),
	KUNIT_CASE_PARAM(mbuf_extpg_mapped_to_unmapped,
			 mbuf_extpg_m2u_gen_params),
	KUNIT_CASE(mbuf_extpg_mapped_to_unmapped_fail),
	KUNIT_CASE(mbuf_extpg_chain_to_ext),
	KUNIT_CASE(mbuf_extpg_chain_to_ext_fail),
	KUNIT_CASE(mbuf_extpg_shared_to_ext),
	KUNIT_CASE(mbuf_extpg_free_notready),
	KUNIT_CASE(mbuf_extpg_chain_copydata),
	{}
};

static int mbuf_extpg_init(struct kunit *test)
{
	mbuf_extpg_frees = 0;
	return mbuf_kunit_init(test);
}

static struct kunit_suite mbuf_extpg_suite = {
	.name = "mbuf_extpg",
	.init = mbuf_extpg_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_extpg_cases,
};

kunit_test_suite(mbuf_extpg_suite);
