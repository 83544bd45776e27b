// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unmapped mbufs (M_EXTPG): data kept in pages rather than in a mapped
 * buffer, as FreeBSD's sendfile(2) and kernel TLS produce them.
 *
 * The data of an M_EXTPG mbuf is, in order:
 *
 *   m_epg_hdr[0 .. m_epg_hdrlen)          bytes kept in the mbuf itself
 *   page 0 [m_epg_1st_off .. end)         end = PAGE_SIZE, or for a single
 *                                         page 1st_off + m_epg_last_len
 *   pages 1 .. npgs-2, whole
 *   page npgs-1 [0 .. m_epg_last_len)     (npgs > 1)
 *   m_epg_trail[0 .. m_epg_trllen)        bytes kept in the mbuf itself
 *
 * m_epg_pagelen() gives each page's share. m_data is not a pointer but the
 * number of bytes trimmed off the front of that sequence (m_adj), and
 * m_len the bytes that follow it.
 *
 * Linux mapping. FreeBSD keeps physical addresses (m_epg_pa[]) and maps a
 * page through the direct map or an sf_buf when it needs a kernel address.
 * We keep struct page pointers (m_epg_pg[]). Copies out go through
 * kmap_local_page() (memcpy_from_page()), valid for any page within
 * one context. mb_unmapped_to_ext() is different: the EXT_SFBUF mbufs it
 * makes carry a kernel address for as long as they live, across contexts
 * and CPUs, which a local kmap cannot give. It uses the direct map
 * (page_address()), valid for every lowmem page -- all pages on 64-bit
 * kernels. A highmem page (32-bit only) cannot be converted; the
 * conversion then fails as FreeBSD's does when no sf_buf is available.
 *
 * Reference counting is FreeBSD's: the count lives in the first mbuf that
 * took the pages (EXT_FLAG_EMBREF), copies made by mb_dupcl() point at it,
 * and the storage is released when the last reference goes. Each EXT_SFBUF
 * mbuf made by mb_unmapped_to_ext() holds one such reference, so the pages
 * outlive the original M_EXTPG mbuf for as long as any of them is in use.
 *
 * Kernel TLS does not exist on the Linux side: m_epg_tls must stay NULL.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/string.h>
#include "internal.h"

/*
 * FreeBSD's kern.ipc.mb_use_ext_pgs: whether sendfile and TLS should use
 * unmapped mbufs. Shown as /proc/sys/net/mbuf/mb_use_ext_pgs (sysctl.c).
 */
bool mb_use_ext_pgs = true;
MBUF_EXPORT(mb_use_ext_pgs);

/*
 * A walk over the data of an unmapped mbuf, one contiguous piece at a
 * time: header bytes, part of a page, trailer bytes.
 */
struct mb_epg_seg {
	const char	*buf;	/* header or trailer, or NULL for a page */
	struct page	*pg;	/* the page, when buf is NULL */
	int		off;	/* where the piece starts in buf or pg */
	int		len;
};

typedef int mb_epg_seg_fn(void *arg, const struct mb_epg_seg *seg);

/*
 * Call @fn for each piece of [@off, @off + @len) of the data of @m, @off
 * counted from m_data (the trimmed front). Stops at the first nonzero
 * return of @fn and returns it. A range that runs past the trailer is a
 * caller bug: EINVAL. As in FreeBSD, a range that starts inside the header
 * yields a header piece even when @len is 0.
 */
static int mb_epg_walk(const struct mbuf *m, int off, int len,
		       mb_epg_seg_fn *fn, void *arg)
{
	struct mb_epg_seg seg;
	int i, pgoff, pglen, err;

	off += (int)(uintptr_t)m->m_data;
	if (off < m->m_epg_hdrlen) {
		seg = (struct mb_epg_seg){
			.buf = m->m_epg_hdr,
			.off = off,
			.len = min(m->m_epg_hdrlen - off, len),
		};
		off = 0;
		len -= seg.len;
		err = fn(arg, &seg);
		if (err)
			return err;
	} else {
		off -= m->m_epg_hdrlen;
	}

	pgoff = m->m_epg_1st_off;
	for (i = 0; i < m->m_epg_npgs && len > 0; i++, pgoff = 0) {
		pglen = m_epg_pagelen(m, i, pgoff);
		if (off >= pglen) {
			off -= pglen;
			continue;
		}
		seg = (struct mb_epg_seg){
			.pg = m->m_epg_pg[i],
			.off = pgoff + off,
			.len = min(pglen - off, len),
		};
		off = 0;
		len -= seg.len;
		err = fn(arg, &seg);
		if (err)
			return err;
	}

	if (len <= 0)
		return 0;
	err = off + len > m->m_epg_trllen ? EINVAL : 0;
	if (WARN_ONCE(err, MBUF_LOG_PREFIX "unmapped mbuf %p: %d + %d past a %d-byte trailer\n",
		      m, off, len, m->m_epg_trllen))
		return err;
	seg = (struct mb_epg_seg){ .buf = m->m_epg_trail, .off = off, .len = len };
	return fn(arg, &seg);
}

static int mb_epg_copyout_seg(void *arg, const struct mb_epg_seg *seg)
{
	char **cp = arg;

	if (seg->buf)
		memcpy(*cp, seg->buf + seg->off, seg->len);
	else
		memcpy_from_page(*cp, seg->pg, seg->off, seg->len);
	*cp += seg->len;
	return 0;
}

/**
 * mb_extpg_copydata() - copy bytes out of one unmapped mbuf
 * @m: an M_EXTPG mbuf
 * @off: offset of the first byte, within the mbuf's m_len bytes
 * @len: bytes to copy
 * @cp: destination
 *
 * The M_EXTPG part of m_copydata(): header, pages and trailer are copied
 * as one byte sequence. Pages are mapped only for the copy, so any page
 * (highmem too) works, in any context.
 *
 * Return: 0, or EINVAL if the range is not inside the mbuf's data.
 */
int mb_extpg_copydata(const struct mbuf *m, int off, int len, char *cp)
{
	int err = !(m->m_flags & M_EXTPG) || off < 0 || len < 0 ||
		  off + len > m->m_len ? EINVAL : 0;

	if (WARN_ON_ONCE(err))
		return err;
	return mb_epg_walk(m, off, len, mb_epg_copyout_seg, &cp);
}

/**
 * mb_free_mext_pgs() - release the anonymous pages of an unmapped mbuf
 * @m: the M_EXTPG mbuf holding the reference count
 *
 * The ext_free of mbufs from mb_alloc_ext_plus_pages(): drops the
 * reference taken on each of the m_epg_npgs pages. Any context.
 */
void mb_free_mext_pgs(struct mbuf *m)
{
	int i;

	M_ASSERTEXTPG(m);
	for (i = 0; i < m->m_epg_npgs; i++)
		put_page(m->m_epg_pg[i]);
}
MBUF_EXPORT(mb_free_mext_pgs);

/**
 * mb_free_extpg() - drop an unmapped mbuf's reference to its pages and
 * free the mbuf
 * @m: an M_EXTPG mbuf
 *
 * What m_free() does for M_EXTPG. When this was the last reference, the
 * storage's ext_free releases the pages and the mbuf that held the count
 * is freed; @m itself is freed in any case. As in mb_free_ext(), a count
 * of 1 is known to be ours and is not decremented atomically. Any context.
 */
void mb_free_extpg(struct mbuf *m)
{
	struct mbuf *mref;
	u_int *refcnt;

	M_ASSERTEXTPG(m);
	refcnt = mb_refcnt(m);
	mref = mb_refcnt_carrier(refcnt);
	if (mb_refcnt_release(refcnt)) {
		if (!WARN_ON_ONCE(!mref->m_ext.ext_free))
			mref->m_ext.ext_free(mref);
		WARN_ON_ONCE(mref->m_epg_tls);	/* no kernel TLS here */
		uma_zfree(zone_mbuf, mref);
	}
	if (m != mref)
		uma_zfree(zone_mbuf, m);
}
MBUF_EXPORT(mb_free_extpg);

/**
 * mb_alloc_ext_pgs() - allocate an empty unmapped mbuf
 * @how: M_NOWAIT or M_WAITOK
 * @ext_free: releases the pages the caller attaches (m_epg_pg[]) when the
 *	last reference goes
 *
 * The mbuf is M_EXT | M_RDONLY | M_EXTPG with no pages, header, trailer
 * or data, and a reference count of 1 of its own.
 *
 * Return: the mbuf, or NULL (M_NOWAIT only).
 */
struct mbuf *mb_alloc_ext_pgs(int how, m_ext_free_t ext_free)
{
	struct mbuf *m;

	m = m_get(how, MT_DATA);
	if (!m)
		return NULL;
	m->m_epg_npgs = 0;
	m->m_epg_nrdy = 0;
	m->m_epg_1st_off = 0;
	m->m_epg_last_len = 0;
	m->m_epg_flags = 0;
	m->m_epg_hdrlen = 0;
	m->m_epg_trllen = 0;
	m->m_epg_tls = NULL;
	m->m_epg_so = NULL;
	m->m_data = NULL;
	m->m_flags |= M_EXT | M_RDONLY | M_EXTPG;
	m->m_ext.ext_flags = EXT_FLAG_EMBREF;
	m->m_ext.ext_count = 1;
	m->m_ext.ext_size = 0;
	m->m_ext.ext_type = 0;
	m->m_ext.ext_free = ext_free;
	m->m_ext.ext_arg1 = NULL;
	return m;
}
MBUF_EXPORT(mb_alloc_ext_pgs);

/*
 * One anonymous page for an unmapped mbuf. Never highmem, so that the
 * direct map reaches it. M_NOWAIT fails at once (and is subject to fault
 * injection, as an allocation outside the zones: MBUF_FAULT_OTHER);
 * M_WAITOK retries until the page allocator has one, as FreeBSD waits for
 * free pages.
 */
static struct page *mb_epg_page_alloc(int how)
{
	gfp_t gfp = mbuf_how_to_gfp(how);
	bool can_wait = gfpflags_allow_blocking(gfp);
	struct page *pg;

	if (!can_wait && mbuf_fault_armed() && mbuf_should_fail(NULL))
		return NULL;
	for (;;) {
		pg = alloc_page(gfp);
		if (pg || !can_wait)
			return pg;
		memalloc_retry_wait(gfp);
	}
}

/**
 * mb_alloc_ext_plus_pages() - allocate an unmapped mbuf with anonymous
 * pages
 * @len: bytes of room wanted: howmany(@len, PAGE_SIZE) pages are attached,
 *	at most MBUF_PEXT_MAX_PGS
 * @how: M_NOWAIT or M_WAITOK
 *
 * The pages are fresh, not zeroed, EPG_FLAG_ANON is set and the ext_free
 * is mb_free_mext_pgs(). m_len, m_epg_1st_off and m_epg_last_len are 0:
 * the caller fills the pages and sets them.
 *
 * Return: the mbuf, or NULL: with M_NOWAIT when an mbuf or a page is not
 * available (all taken so far is given back), or when @len needs more
 * pages than an mbuf holds.
 */
struct mbuf *mb_alloc_ext_plus_pages(int len, int how)
{
	struct mbuf *m;
	int i, npgs;

	npgs = DIV_ROUND_UP(len, PAGE_SIZE);
	if (WARN_ON_ONCE(len < 0 || npgs > MBUF_PEXT_MAX_PGS))
		return NULL;
	m = mb_alloc_ext_pgs(how, mb_free_mext_pgs);
	if (!m)
		return NULL;
	m->m_epg_flags |= EPG_FLAG_ANON;
	for (i = 0; i < npgs; i++) {
		m->m_epg_pg[i] = mb_epg_page_alloc(how);
		if (!m->m_epg_pg[i]) {
			m->m_epg_npgs = i;	/* free what we have */
			m_free(m);
			return NULL;
		}
	}
	m->m_epg_npgs = npgs;
	return m;
}
MBUF_EXPORT(mb_alloc_ext_plus_pages);

/**
 * mb_mapped_to_unmapped() - copy a chain of mapped mbufs into new unmapped
 * mbufs with anonymous pages
 * @mp: the source chain (no M_EXTPG mbufs); not modified
 * @len: bytes to copy from the start of @mp
 * @mlen: room of each new mbuf: each gets howmany(min(@mlen, remaining),
 *	PAGE_SIZE) pages, which are filled completely before the next mbuf
 *	starts, so @mlen should be a multiple of PAGE_SIZE
 * @how: M_NOWAIT or M_WAITOK
 * @mlast: if not NULL, set to the last mbuf of the new chain
 *
 * Every new mbuf starts at offset 0 of its first page; all its pages but
 * the last are full and m_epg_last_len says how much of the last is used.
 *
 * Return: the new chain; NULL if @len is 0, if @mp holds fewer than @len
 * bytes or if an allocation failed (nothing is left allocated).
 */
struct mbuf *mb_mapped_to_unmapped(struct mbuf *mp, int len, int mlen,
				   int how, struct mbuf **mlast)
{
	struct mbuf *m, *mout;
	char *pgpos = NULL, *mbpos = NULL;
	int i, mblen, pglen, xfer;

	if (len <= 0 || WARN_ON_ONCE(mlen <= 0))
		return NULL;
	mout = mb_alloc_ext_plus_pages(min(mlen, len), how);
	if (!mout)
		return NULL;
	m = mout;
	/* Our own pages are lowmem: the direct map reaches them. */
	pgpos = page_address(m->m_epg_pg[0]);
	pglen = PAGE_SIZE;
	mblen = 0;
	i = 0;
	do {
		if (pglen == 0) {
			if (++i == m->m_epg_npgs) {
				m->m_epg_last_len = PAGE_SIZE;
				m->m_next = mb_alloc_ext_plus_pages(min(mlen, len),
								    how);
				m = m->m_next;
				if (!m)
					goto fail;
				i = 0;
			}
			pgpos = page_address(m->m_epg_pg[i]);
			pglen = PAGE_SIZE;
		}
		while (mblen == 0) {
			if (!mp || WARN_ON_ONCE(mp->m_flags & M_EXTPG))
				goto fail;
			mbpos = mtod(mp, char *);
			mblen = mp->m_len;
			mp = mp->m_next;
		}
		xfer = min(mblen, pglen);
		memcpy(pgpos, mbpos, xfer);
		pgpos += xfer;
		mbpos += xfer;
		pglen -= xfer;
		mblen -= xfer;
		len -= xfer;
		m->m_len += xfer;
	} while (len > 0);
	m->m_epg_last_len = PAGE_SIZE - pglen;
	if (mlast)
		*mlast = m;
	return mout;

fail:
	m_freem(mout);
	return NULL;
}
MBUF_EXPORT(mb_mapped_to_unmapped);

/*
 * ext_free of the EXT_SFBUF mbufs made by mb_unmapped_to_ext(): there is
 * no mapping to undo (direct map), only the reference on the M_EXTPG mbuf
 * that owns the page (ext_arg2) to drop.
 */
static void mb_unmapped_free_mext(struct mbuf *m)
{
	mb_free_extpg(m->m_ext.ext_arg2);
}

struct mb_to_ext {
	struct mbuf	*mref;		/* holds the pages' reference count */
	struct mbuf	*top, *prev;	/* the chain being built */
	u_int		refs;		/* EXT_SFBUF mbufs made so far */
};

static struct mbuf *mb_to_ext_append(struct mb_to_ext *cv)
{
	struct mbuf *n = m_get(M_NOWAIT, MT_DATA);

	if (!n)
		return NULL;
	if (cv->prev)
		cv->prev->m_next = n;
	else
		cv->top = n;
	cv->prev = n;
	return n;
}

/*
 * One piece: header or trailer bytes are copied into a plain mbuf, a page
 * is attached to an EXT_SFBUF mbuf through the direct map -- which a
 * highmem page is not in: that fails as a missing sf_buf does.
 */
static int mb_to_ext_seg(void *arg, const struct mb_epg_seg *seg)
{
	struct mb_to_ext *cv = arg;
	struct mbuf *n = mb_to_ext_append(cv);
	int err = !n || (!seg->buf && PageHighMem(seg->pg)) ? ENOMEM : 0;

	if (err)
		return err;
	if (seg->buf) {
		memcpy(mtod(n, char *), seg->buf + seg->off, seg->len);
	} else {
		m_extadd(n, page_address(seg->pg), PAGE_SIZE,
			 mb_unmapped_free_mext, seg->pg, cv->mref, M_RDONLY,
			 EXT_SFBUF);
		cv->refs++;
		n->m_data += seg->off;
	}
	n->m_len = seg->len;
	return 0;
}

/*
 * Replace one unmapped mbuf by a chain of mapped ones: a plain mbuf for
 * header bytes, an EXT_SFBUF mbuf per page, a plain mbuf for trailer
 * bytes. @m is freed either way; NULL on failure.
 */
static struct mbuf *mb_unmapped_to_ext_one(struct mbuf *m)
{
	struct mb_to_ext cv = { };
	u_int *refcnt;
	int err;

	M_ASSERTEXTPG(m);
	refcnt = mb_refcnt(m);
	cv.mref = mb_refcnt_carrier(refcnt);
	if (WARN_ON_ONCE(m->m_epg_tls))
		err = EINVAL;
	else
		err = mb_epg_walk(m, 0, m->m_len, mb_to_ext_seg, &cv);
	/* An mbuf with no data at all still leaves one (empty) mbuf. */
	if (!err && !cv.top && !mb_to_ext_append(&cv))
		err = ENOMEM;
	/*
	 * One reference on the pages for each EXT_SFBUF mbuf, taken before
	 * @m lets go of its own. On failure freeing the partial chain drops
	 * them again.
	 */
	if (cv.refs)
		mb_refcnt_add(refcnt, cv.refs);
	m_free(m);
	if (err) {
		m_freem(cv.top);
		return NULL;
	}
	return cv.top;
}

/**
 * mb_unmapped_to_ext() - convert the unmapped mbufs of a chain to mapped
 * ones
 * @top: the chain
 *
 * Each M_EXTPG mbuf is replaced in place by mapped mbufs holding the same
 * bytes: its header and trailer bytes are copied into plain mbufs, each of
 * its pages is attached to an EXT_SFBUF mbuf (read-only, through the
 * direct map) that keeps the pages referenced until it is freed. Used when
 * a device cannot take unmapped mbufs or data must be touched by the CPU.
 * Never sleeps.
 *
 * Return: the new chain, or NULL if an mbuf could not be allocated or a
 * page has no lasting kernel mapping (highmem); the whole chain @top is
 * then freed.
 */
struct mbuf *mb_unmapped_to_ext(struct mbuf *top)
{
	struct mbuf *m, *next, *prev = NULL;

	for (m = top; m; m = next) {
		next = m->m_next;	/* m may be freed */
		if (!(m->m_flags & M_EXTPG)) {
			if (prev)
				prev->m_next = m;
			prev = m;
			continue;
		}
		/* end the converted part before m, so it frees alone */
		if (prev)
			prev->m_next = NULL;
		m = mb_unmapped_to_ext_one(m);
		if (!m) {
			if (prev)
				m_freem(top);
			m_freem(next);
			return NULL;
		}
		if (prev)
			prev->m_next = m;
		else
			top = m;
		prev = m_last(m);
	}
	return top;
}
MBUF_EXPORT(mb_unmapped_to_ext);

/**
 * mb_unmapped_compress() - turn a small unmapped mbuf into a plain one
 * @m: an M_EXTPG mbuf without M_PKTHDR, holding at most MLEN bytes
 *
 * Copies the data into the mbuf itself and releases the pages, so that
 * small packets do not pin pages (FreeBSD's defence against many tiny
 * sends). Only possible when nobody else references the pages.
 *
 * Return: 0; EBUSY if the pages are shared; EINVAL if @m is not such an
 * mbuf.
 */
int mb_unmapped_compress(struct mbuf *m)
{
	struct mbuf *mref;
	char buf[MLEN];
	u_int *refcnt;
	int err;

	err = (m->m_flags & M_PKTHDR) || !(m->m_flags & M_EXTPG) ||
	      m->m_len > MLEN ? EINVAL : 0;
	if (WARN_ON_ONCE(err))
		return err;
	/* in place: only if nobody else sees the pages */
	refcnt = mb_refcnt(m);
	mref = mb_refcnt_carrier(refcnt);
	if (READ_ONCE(*refcnt) != 1)
		err = EBUSY;
	else
		err = mb_extpg_copydata(m, 0, m->m_len, buf);
	if (err)
		return err;
	/*
	 * Release the pages as mb_free_extpg() does for a last reference:
	 * through the carrier, which alone has the free context (@m may be a
	 * shadow, and mb_dupcl() copies no ext_free), then free the carrier
	 * if it is not @m (its owner freed it already; it stayed for the
	 * count).
	 */
	if (!WARN_ON_ONCE(!mref->m_ext.ext_free))
		mref->m_ext.ext_free(mref);
	WARN_ON_ONCE(mref->m_epg_tls);		/* no kernel TLS here */
	if (mref != m)
		uma_zfree(zone_mbuf, mref);
	m->m_flags &= ~(M_EXT | M_RDONLY | M_EXTPG);
	m->m_data = m->m_dat;
	memcpy(mtod(m, char *), buf, m->m_len);
	return 0;
}
MBUF_EXPORT(mb_unmapped_compress);

/**
 * mb_free_notready() - free @count units of not-yet-ready I/O from a chain
 * @m: the chain
 * @count: units to free
 *
 * A unit is an mbuf, except that an M_EXTPG mbuf stands for m_epg_nrdy
 * units (pages still being read in) and is freed with its last one. For
 * error paths of sendfile-like producers. Any context.
 */
void mb_free_notready(struct mbuf *m, int count)
{
	int i;

	for (i = 0; i < count && m; i++) {
		if ((m->m_flags & M_EXTPG) && --m->m_epg_nrdy != 0)
			continue;
		m = m_free(m);
	}
	WARN_ONCE(i != count, "mbufcompat: freed %d of %d not-ready units\n",
		  i, count);
}
MBUF_EXPORT(mb_free_notready);
