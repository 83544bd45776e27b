// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Whole-chain copies and rebuilds (FreeBSD 14's uipc_mbuf.c): shared
 * copies (m_copypacket), deep copies (m_dup), making a chain writable
 * (m_unshare) and making it fit a DMA engine's segment limit (m_defrag,
 * m_collapse).
 *
 * Failure semantics, which drivers rely on:
 *
 *   m_copypacket, m_dup   the original is untouched; nothing is left
 *                         allocated (mbstat.m_mcfail counts it)
 *   m_defrag              NULL and the chain "unchanged": the caller
 *                         still owns it and usually frees it
 *   m_collapse            NULL and the chain "left in its present
 *                         (potentially modified) state": still valid,
 *                         same bytes, possibly fewer mbufs
 *   m_unshare             NULL and the chain freed
 *
 * Source data is read with m_copydata() or mb_seg_copyout(), so unmapped
 * (M_EXTPG) mbufs are copied like any other; data is only ever written
 * into new mbufs or into storage M_WRITABLE() allows.
 */
#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include "internal.h"

/* Give @n @m's data: share external storage, copy internal bytes. */
static void mb_copy_share(struct mbuf *n, struct mbuf *m)
{
	n->m_len = m->m_len;
	if (m->m_flags & M_EXT) {
		n->m_data = m->m_data;
		mb_dupcl(n, m);
	} else {
		n->m_data = mbuf_start(n) + (m->m_data - mbuf_start(m));
		memcpy(mtod(n, char *), mtod(m, char *), m->m_len);
	}
}

/**
 * m_copypacket() - copy a whole packet, sharing its external storage
 * @m: a packet header chain
 * @how: M_NOWAIT or M_WAITOK
 *
 * m_copym(m, 0, M_COPYALL, how), keeping each mbuf's data offset, so room
 * left in front for headers is still there in the copy. Clusters and
 * external buffers are shared (read-only in effect for both chains until
 * one is freed), internal data is copied, the header and its tags are
 * copied.
 *
 * Return: the copy, or NULL (M_NOWAIT: no memory) with @m untouched and
 * nothing left allocated.
 */
struct mbuf *m_copypacket(struct mbuf *m, int how)
{
	struct mbuf *top, *n, *o;

	n = m_get(how, m->m_type);
	top = n;
	if (!n)
		goto nospace;
	if (!m_dup_pkthdr(n, m, how))
		goto nospace;
	mb_copy_share(n, m);
	for (m = m->m_next; m; m = m->m_next) {
		o = m_get(how, m->m_type);
		if (!o)
			goto nospace;
		n->m_next = o;
		n = o;
		mb_copy_share(n, m);
	}
	return top;

nospace:
	m_freem(top);
	atomic_long_inc(&mbuf_stat_mcfail);
	return NULL;
}
MBUF_EXPORT(m_copypacket);

/**
 * m_dup() - copy a packet into new, writable storage
 * @m: a packet header chain (NULL: NULL)
 * @how: M_NOWAIT or M_WAITOK
 *
 * Everything is copied, nothing shared: clusters while at least MINCLSIZE
 * bytes remain, mbufs for the rest; the header and its tags are copied
 * and the copy is not M_RDONLY. Use it instead of m_copypacket() when the
 * copy will be written.
 *
 * Return: the copy, or NULL (M_NOWAIT: no memory) with @m untouched and
 * nothing left allocated.
 */
struct mbuf *m_dup(const struct mbuf *m, int how)
{
	struct mbuf **p, *top = NULL, *n;
	int remain, moff = 0, nsize, chunk;

	if (!m)
		return NULL;
	M_ASSERTPKTHDR(m);
	remain = m->m_pkthdr.len;
	p = &top;
	while (remain > 0 || !top) {
		if (remain >= MINCLSIZE) {
			n = m_getcl(how, m->m_type, 0);
			nsize = MCLBYTES;
		} else {
			n = m_get(how, m->m_type);
			nsize = MLEN;
		}
		if (!n)
			goto nospace;
		if (!top) {
			if (!m_dup_pkthdr(n, m, how)) {
				m_free(n);
				goto nospace;
			}
			if (!(n->m_flags & M_EXT))
				nsize = MHLEN;
			n->m_flags &= ~M_RDONLY;
		}
		n->m_len = 0;
		*p = n;
		p = &n->m_next;
		while (n->m_len < nsize && m) {
			chunk = min(nsize - n->m_len, m->m_len - moff);
			m_copydata(m, moff, chunk, n->m_data + n->m_len);
			moff += chunk;
			n->m_len += chunk;
			remain -= chunk;
			if (moff == m->m_len) {
				m = m->m_next;
				moff = 0;
			}
		}
		/* m_pkthdr.len longer than the chain: a caller bug. */
		if (WARN_ON_ONCE(remain > 0 && !m))
			break;
	}
	return top;

nospace:
	m_freem(top);
	atomic_long_inc(&mbuf_stat_mcfail);
	return NULL;
}
MBUF_EXPORT(m_dup);

/**
 * m_defrag() - copy a packet into the fewest mbufs and clusters
 * @m0: a packet header chain (without one, @m0 is returned as is)
 * @how: M_NOWAIT or M_WAITOK
 *
 * The driver's answer to EFBIG from bus_dmamap_load_mbuf_sg(): the data
 * goes into a packet header mbuf (if it fits MHLEN) or a 2 KiB cluster,
 * then 2 KiB clusters (or one mbuf for a last piece of up to MLEN bytes),
 * so the result has ceil(len / MCLBYTES) segments; the header and tags
 * are copied. m_pkthdr.len is first set from the chain (m_fixhdr()).
 *
 * Return: the new chain, with @m0 freed; NULL if memory is short, with
 * @m0 unchanged and still the caller's.
 */
struct mbuf *m_defrag(struct mbuf *m0, int how)
{
	struct mbuf *m_new = NULL, *m_final = NULL;
	int progress = 0, length;

	if (!(m0->m_flags & M_PKTHDR))
		return m0;
	m_fixhdr(m0);
	if (m0->m_pkthdr.len > MHLEN)
		m_final = m_getcl(how, MT_DATA, M_PKTHDR);
	else
		m_final = m_gethdr(how, MT_DATA);
	if (!m_final)
		goto nospace;
	if (!m_dup_pkthdr(m_final, m0, how))
		goto nospace;
	m_new = m_final;
	while (progress < m0->m_pkthdr.len) {
		length = min(m0->m_pkthdr.len - progress, MCLBYTES);
		if (!m_new) {
			if (length > MLEN)
				m_new = m_getcl(how, MT_DATA, 0);
			else
				m_new = m_get(how, MT_DATA);
			if (!m_new)
				goto nospace;
		}
		m_copydata(m0, progress, length, mtod(m_new, caddr_t));
		progress += length;
		m_new->m_len = length;
		if (m_new != m_final)
			m_cat(m_final, m_new);
		m_new = NULL;
	}
	m_freem(m0);
	return m_final;

nospace:
	m_freem(m_final);
	return NULL;
}
MBUF_EXPORT(m_defrag);

/**
 * m_collapse() - reduce a chain to at most @maxfrags mbufs, copying little
 * @m0: the chain
 * @how: M_NOWAIT or M_WAITOK
 * @maxfrags: the DMA engine's segment limit, at least 1
 *
 * Cheaper than m_defrag() when a chain is only slightly too long: first
 * each mbuf's data is copied into the trailing space of the one before it
 * where it fits (writable storage only), then pairs of mbufs after the
 * first are replaced by one 2 KiB cluster where their data fits, until the
 * chain is short enough. The first mbuf, which holds the packet header, is
 * never replaced.
 *
 * A chain already within @maxfrags is returned as it is (FreeBSD's would
 * still try to merge).
 *
 * Return: @m0 with at most @maxfrags mbufs; NULL if that could not be
 * reached (or a cluster could not be had), with the chain left valid in
 * its present state (same bytes, possibly fewer mbufs) and still the
 * caller's.
 */
struct mbuf *m_collapse(struct mbuf *m0, int how, int maxfrags)
{
	struct mbuf *m, *n, *n2, **prev;
	u_int curfrags = 0;

	if (WARN_ONCE(maxfrags < 1, MBUF_LOG_PREFIX "%s: maxfrags %d\n",
		      __func__, maxfrags))
		return NULL;
	for (m = m0; m; m = m->m_next)
		curfrags++;
	if (curfrags <= maxfrags)
		return m0;
	m = m0;
again:
	for (;;) {
		n = m->m_next;
		if (!n)
			break;
		if (M_WRITABLE(m) && n->m_len < M_TRAILINGSPACE(m)) {
			mb_seg_copyout(n, 0, n->m_len,
				       mtod(m, char *) + m->m_len);
			m->m_len += n->m_len;
			m->m_next = n->m_next;
			m_free(n);
			if (--curfrags <= maxfrags)
				return m0;
		} else {
			m = n;
		}
	}
	/* Replace consecutive mbufs (not the first) by a cluster. */
	prev = &m0->m_next;
	while ((n = *prev) != NULL) {
		n2 = n->m_next;
		if (n2 && n->m_len + n2->m_len < MCLBYTES) {
			m = m_getcl(how, MT_DATA, 0);
			if (!m)
				return NULL;
			mb_seg_copyout(n, 0, n->m_len, mtod(m, char *));
			mb_seg_copyout(n2, 0, n2->m_len,
				       mtod(m, char *) + n->m_len);
			m->m_len = n->m_len + n2->m_len;
			m->m_next = n2->m_next;
			*prev = m;
			m_free(n);
			m_free(n2);
			if (--curfrags <= maxfrags)
				return m0;
			/* Try the cheap collapse again before another. */
			m = m0;
			goto again;
		}
		prev = &n->m_next;
	}
	return NULL;
}
MBUF_EXPORT(m_collapse);

/**
 * m_unshare() - make every mbuf of a chain writable
 * @m0: the chain
 * @how: M_NOWAIT or M_WAITOK
 *
 * Read-only or shared storage (clusters shared by m_copym(), external
 * buffers, unmapped pages) is replaced by copies in 2 KiB clusters, a
 * long buffer by several; on the way, mbufs whose data fits the trailing
 * space of a writable cluster before them are merged into it. Writable
 * mbufs are left alone. The packet header moves with the first mbuf.
 *
 * Return: the writable chain (perhaps with a new first mbuf); NULL if a
 * cluster could not be had, and then the whole chain has been freed.
 */
struct mbuf *m_unshare(struct mbuf *m0, int how)
{
	struct mbuf *m, *mprev = NULL, *n, *mfirst, *mlast;
	int len, off, cc;

	for (m = m0; m; m = mprev->m_next) {
		/*
		 * Plain mbufs are left alone, unless a writable cluster before
		 * them can take their data: fewer mbufs, so that later
		 * clusters coalesce too.
		 */
		if (!(m->m_flags & M_EXT)) {
			if (mprev && (mprev->m_flags & M_EXT) &&
			    m->m_len <= M_TRAILINGSPACE(mprev)) {
				memcpy(mtod(mprev, char *) + mprev->m_len,
				       mtod(m, char *), m->m_len);
				mprev->m_len += m->m_len;
				mprev->m_next = m->m_next;
				m_free(m);
			} else {
				mprev = m;
			}
			continue;
		}
		if (M_WRITABLE(m)) {
			mprev = m;
			continue;
		}
		/* Not writable: merge into the previous cluster, or copy. */
		if (mprev && (mprev->m_flags & M_EXT) &&
		    m->m_len <= M_TRAILINGSPACE(mprev)) {
			mb_seg_copyout(m, 0, m->m_len,
				       mtod(mprev, char *) + mprev->m_len);
			mprev->m_len += m->m_len;
			mprev->m_next = m->m_next;
			m_free(m);
			continue;
		}
		n = m_getcl(how, m->m_type, m->m_flags & M_COPYFLAGS);
		if (!n) {
			m_freem(m0);
			return NULL;
		}
		if (m->m_flags & M_PKTHDR) {
			WARN_ON_ONCE(mprev);
			m_move_pkthdr(n, m);
		}
		len = m->m_len;
		off = 0;
		mfirst = n;
		mlast = NULL;
		for (;;) {
			cc = min(len, MCLBYTES);
			mb_seg_copyout(m, off, cc, mtod(n, char *));
			n->m_len = cc;
			if (mlast)
				mlast->m_next = n;
			mlast = n;
			len -= cc;
			if (len <= 0)
				break;
			off += cc;
			n = m_getcl(how, m->m_type, m->m_flags & M_COPYFLAGS);
			if (!n) {
				/* m is still linked where it was */
				m_freem(mfirst);
				m_freem(m0);
				return NULL;
			}
		}
		n->m_next = m->m_next;
		if (!mprev)
			m0 = mfirst;
		else
			mprev->m_next = mfirst;
		m_free(m);
		mprev = mfirst;
	}
	return m0;
}
MBUF_EXPORT(m_unshare);
