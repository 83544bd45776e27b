// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Chain surgery: FreeBSD 14's uipc_mbuf.c and uipc_mbuf2.c routines that
 * trim, extend, split, join, look into and check mbuf chains in place.
 * The copying ones (m_dup, m_copypacket, m_unshare, m_defrag, m_collapse)
 * are in chain_copy.c.
 *
 * What a driver depends on, and what every function here keeps exactly as
 * FreeBSD has it:
 *
 *   frees the chain on failure   m_pullup, m_pulldown, m_copyup,
 *                                m_prepend / M_PREPEND (pointer -> NULL)
 *   leaves it alone on failure   m_split (restored), m_append (partial),
 *                                m_copyback (partial)
 *   m_pkthdr.len updated         m_adj, m_append, m_copyback (when the
 *                                chain grows), M_PREPEND, m_split
 *   m_pkthdr.len not updated     m_cat (m_catpkt does it)
 *
 * Storage is never assumed to be a slab object: where data may go is read
 * from the mbuf itself (M_START, M_SIZE, M_LEADINGSPACE, M_TRAILINGSPACE),
 * and growing into leading or trailing space never writes into read-only
 * or shared storage, because both macros are 0 there. Unmapped (M_EXTPG)
 * mbufs are read through m_copydata() and never written.
 */
#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/string.h>
#include "internal.h"

/*
 * FreeBSD's header sizes (kern.ipc.max_linkhdr etc.): an Ethernet header
 * rounded up to 16, and an IPv6 plus a TCP header, the largest a stack
 * with INET6 registers.
 */
int max_linkhdr = 16;
MBUF_EXPORT(max_linkhdr);
int max_protohdr = 60;
MBUF_EXPORT(max_protohdr);
int max_hdr = 16 + 60;
MBUF_EXPORT(max_hdr);
int max_datalen = MHLEN - (16 + 60);
MBUF_EXPORT(max_datalen);

/**
 * mb_seg_copyout() - copy bytes out of one mbuf, mapped or not
 * @m: the mbuf
 * @off: offset within its data
 * @len: bytes, with @off + @len <= m_len
 * @dst: destination
 */
void mb_seg_copyout(const struct mbuf *m, int off, int len, char *dst)
{
	if (len <= 0)
		return;
	if (m->m_flags & M_EXTPG)
		WARN_ON_ONCE(mb_extpg_copydata(m, off, len, dst));
	else
		memcpy(dst, mtod(m, const char *) + off, len);
}

/* ---- lengths and positions -------------------------------------------- */

/**
 * m_length() - the number of data bytes in a chain
 * @m0: the chain
 * @last: if not NULL, set to the chain's last mbuf
 *
 * Return: the sum of m_len over the chain.
 */
u_int m_length(struct mbuf *m0, struct mbuf **last)
{
	struct mbuf *m;
	u_int len = 0;

	for (m = m0; m; m = m->m_next) {
		len += m->m_len;
		if (!m->m_next)
			break;
	}
	if (last)
		*last = m;
	return len;
}
MBUF_EXPORT(m_length);

/**
 * m_fixhdr() - set a packet's m_pkthdr.len from its mbufs
 * @m0: a packet header mbuf
 *
 * Return: the length now in m_pkthdr.len.
 */
u_int m_fixhdr(struct mbuf *m0)
{
	u_int len = m_length(m0, NULL);

	m0->m_pkthdr.len = len;
	return len;
}
MBUF_EXPORT(m_fixhdr);

/**
 * m_getptr() - the mbuf and offset of a byte of a chain
 * @m: the chain
 * @loc: offset of the byte from the start of the chain
 * @off: set to the byte's offset within the returned mbuf
 *
 * An offset equal to the chain's length points just past the data of the
 * last mbuf (*@off = its m_len).
 *
 * Return: the mbuf, or NULL if @loc is negative or beyond the chain.
 */
struct mbuf *m_getptr(struct mbuf *m, int loc, int *off)
{
	while (loc >= 0 && m) {
		if (m->m_len > loc) {
			*off = loc;
			return m;
		}
		loc -= m->m_len;
		if (!m->m_next) {
			if (loc == 0) {
				*off = m->m_len;
				return m;
			}
			return NULL;
		}
		m = m->m_next;
	}
	return NULL;
}
MBUF_EXPORT(m_getptr);

/* Bytes m_apply() copies at a time out of an unmapped mbuf. */
#define MB_APPLY_BOUNCE	128

/**
 * m_apply() - call a function on consecutive pieces of a chain's data
 * @m: the chain
 * @off: offset of the first byte
 * @len: bytes to cover
 * @f: called as f(@arg, data, count) for each piece; a nonzero return
 *     stops the walk
 * @arg: its first argument
 *
 * Mapped mbufs are passed in place, one piece per mbuf; unmapped (M_EXTPG)
 * data is passed in pieces copied to the stack (FreeBSD maps each page
 * instead: either way @f sees each byte once, in order). A chain shorter
 * than @off + @len is a caller bug: it warns and stops.
 *
 * Return: the first nonzero value @f returned, else 0.
 */
int m_apply(struct mbuf *m, int off, int len,
	    int (*f)(void *arg, void *data, u_int len), void *arg)
{
	char bounce[MB_APPLY_BOUNCE];
	int count, piece, rval;

	if (WARN_ON_ONCE(off < 0 || len < 0))
		return 0;
	while (off > 0) {
		if (WARN_ON_ONCE(!m))
			return 0;
		if (off < m->m_len)
			break;
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		if (WARN_ON_ONCE(!m))
			return 0;
		count = min(m->m_len - off, len);
		if (!(m->m_flags & M_EXTPG)) {
			rval = f(arg, mtod(m, char *) + off, count);
			if (rval)
				return rval;
		} else {
			for (piece = 0; piece < count; piece += MB_APPLY_BOUNCE) {
				int n = min(count - piece, MB_APPLY_BOUNCE);

				mb_seg_copyout(m, off + piece, n, bounce);
				rval = f(arg, bounce, n);
				if (rval)
					return rval;
			}
		}
		len -= count;
		off = 0;
		m = m->m_next;
	}
	return 0;
}
MBUF_EXPORT(m_apply);

/* ---- trimming --------------------------------------------------------- */

/**
 * m_adj() - trim bytes from the head or the tail of a chain
 * @mp: the chain; NULL is ignored
 * @req_len: bytes to trim: > 0 from the head, < 0 from the tail
 *
 * From the head, emptied mbufs stay in the chain with m_len 0 and the
 * first partly trimmed one has its m_data advanced. From the tail, the
 * mbuf where the data now ends is cut and the mbufs after it are freed.
 * Trimming more than the chain holds empties it. m_pkthdr.len of a packet
 * header @mp is reduced by the bytes removed. Nothing is allocated, so
 * nothing fails.
 */
void m_adj(struct mbuf *mp, int req_len)
{
	struct mbuf *m = mp;
	int len = req_len;
	int count;

	if (!m)
		return;
	if (len >= 0) {
		while (m && len > 0) {
			if (m->m_len <= len) {
				len -= m->m_len;
				m->m_len = 0;
				m = m->m_next;
			} else {
				m->m_len -= len;
				m->m_data += len;
				len = 0;
			}
		}
		if (mp->m_flags & M_PKTHDR)
			mp->m_pkthdr.len -= req_len - len;
		return;
	}

	len = -len;
	count = 0;
	for (;;) {
		count += m->m_len;
		if (!m->m_next)
			break;
		m = m->m_next;
	}
	if (m->m_len >= len) {
		m->m_len -= len;
		if (mp->m_flags & M_PKTHDR)
			mp->m_pkthdr.len -= len;
		return;
	}
	count = max(count - len, 0);
	m = mp;
	if (m->m_flags & M_PKTHDR)
		m->m_pkthdr.len = count;
	for (; m; m = m->m_next) {
		if (m->m_len >= count) {
			m->m_len = count;
			if (m->m_next) {
				m_freem(m->m_next);
				m->m_next = NULL;
			}
			break;
		}
		count -= m->m_len;
	}
}
MBUF_EXPORT(m_adj);

/* ---- making headers contiguous --------------------------------------- */

/*
 * Move up to @len bytes (at least; up to max_protohdr when there is room)
 * from the front of chain @n into the end of @m's internal storage,
 * freeing mbufs of @n that empty. Returns the rest of @n; *@lenp is left
 * with the bytes still missing.
 */
static struct mbuf *mb_pull_into(struct mbuf *m, struct mbuf *n, int *lenp)
{
	int space = (m->m_dat + MLEN) - (m->m_data + m->m_len);
	int len = *lenp, count;

	do {
		count = min3(max(len, max_protohdr), space, n->m_len);
		mb_seg_copyout(n, 0, count, mtod(m, char *) + m->m_len);
		len -= count;
		m->m_len += count;
		n->m_len -= count;
		space -= count;
		if (n->m_len)
			n->m_data += count;
		else
			n = m_free(n);
	} while (len > 0 && n);
	*lenp = len;
	return n;
}

/* A failed m_pullup() or m_copyup(): the chain is freed and counted. */
static struct mbuf *mb_pull_fail(struct mbuf *n)
{
	m_freem(n);
	atomic_long_inc(&mbuf_stat_mpfail);
	return NULL;
}

/*
 * Gather @len bytes of chain @n into @m, which goes in front of what is
 * left; if @n holds fewer, @m and the chain are freed.
 */
static struct mbuf *mb_pull_finish(struct mbuf *m, struct mbuf *n, int len)
{
	n = mb_pull_into(m, n, &len);
	if (len > 0) {
		m_free(m);
		return mb_pull_fail(n);
	}
	m->m_next = n;
	return m;
}

/**
 * m_pullup() - make the first @len bytes of a chain contiguous
 * @n: the chain
 * @len: bytes wanted in the first mbuf, at most MHLEN
 *
 * Callers test first: "if (m->m_len < len && (m = m_pullup(m, len)) ==
 * NULL)". The bytes are gathered into the first mbuf if it has internal,
 * writable storage with room for them; otherwise into a new mbuf that
 * takes over the packet header and is put in front. Up to max_protohdr
 * bytes are moved when there is room, to spare the next call.
 *
 * Return: the chain, whose first mbuf holds at least @len bytes. NULL if
 * @len exceeds MHLEN, an mbuf cannot be had (M_NOWAIT) or the chain holds
 * fewer than @len bytes: the chain has then been freed, and
 * mbstat.m_mpfail counts the failure.
 */
struct mbuf *m_pullup(struct mbuf *n, int len)
{
	struct mbuf *m;

	if (!(n->m_flags & M_EXT) && M_WRITABLE(n) &&
	    n->m_data + len < n->m_dat + MLEN && n->m_next) {
		if (n->m_len >= len)
			return n;
		m = n;
		n = n->m_next;
		len -= m->m_len;
	} else {
		if (len > MHLEN)
			goto bad;
		m = m_get(M_NOWAIT, n->m_type);
		if (!m)
			goto bad;
		if (n->m_flags & M_PKTHDR)
			m_move_pkthdr(m, n);
	}
	return mb_pull_finish(m, n, len);

bad:
	return mb_pull_fail(n);
}
MBUF_EXPORT(m_pullup);

/**
 * m_copyup() - m_pullup() into a new mbuf, leaving room in front
 * @n: the chain
 * @len: bytes wanted contiguous, at most MHLEN - @dstoff
 * @dstoff: bytes to leave before them (for headers prepended later)
 *
 * Always allocates the new first mbuf, which takes over the packet header.
 *
 * Return: the chain; NULL on failure (bad sizes, no mbuf, chain too
 * short), with the chain freed and mbstat.m_mpfail counting it.
 */
struct mbuf *m_copyup(struct mbuf *n, int len, int dstoff)
{
	struct mbuf *m;

	if (dstoff < 0 || len > MHLEN - dstoff)
		goto bad;
	m = m_get(M_NOWAIT, n->m_type);
	if (!m)
		goto bad;
	if (n->m_flags & M_PKTHDR)
		m_move_pkthdr(m, n);
	m->m_data += dstoff;
	return mb_pull_finish(m, n, len);

bad:
	return mb_pull_fail(n);
}
MBUF_EXPORT(m_copyup);

/*
 * m_pulldown()'s copy of @len bytes at @off of one mbuf into a new one
 * (FreeBSD's m_dup1): the smallest mbuf or cluster that holds them, up to
 * a 16 KiB one (the rest of a jumbo cluster; FreeBSD's gives up beyond
 * MCLBYTES and m_pulldown() then frees the packet).
 */
static struct mbuf *mb_dup1(struct mbuf *m, int off, int len, int how)
{
	struct mbuf *n;

	n = m_get3(len, how, m->m_type, 0);
	if (!n)
		return NULL;
	mb_seg_copyout(m, off, len, mtod(n, char *));
	n->m_len = len;
	return n;
}

/**
 * m_pulldown() - make @len bytes at offset @off of a chain contiguous
 * @m: the chain
 * @off: offset of the first byte
 * @len: how many, at most MCLBYTES
 * @offp: if not NULL, the bytes may start anywhere in the returned mbuf
 *	  and *@offp is set to where; if NULL they start at its m_data
 *
 * The chain is rearranged in place where that is possible: the bytes are
 * already together, or they fit the trailing space of the mbuf holding the
 * first of them, or the leading space of the next; otherwise they are
 * copied into a new mbuf (or cluster) inserted into the chain. Only
 * writable storage is written to. m_pkthdr.len does not change.
 *
 * Return: the mbuf holding the bytes (not the head of the chain). NULL if
 * @len exceeds MCLBYTES, the chain is too short or memory is short (it is
 * M_NOWAIT): the whole chain has then been freed.
 */
struct mbuf *m_pulldown(struct mbuf *m, int off, int len, int *offp)
{
	struct mbuf *n, *o;
	int hlen, tlen, olen;
	bool writable;

	if (WARN_ON_ONCE(!m))
		return NULL;
	if (len > MCLBYTES || len < 0 || off < 0) {
		m_freem(m);
		return NULL;
	}
	n = m;
	while (n && off > 0) {
		if (n->m_len > off)
			break;
		off -= n->m_len;
		n = n->m_next;
	}
	/* Point at an mbuf with data. */
	while (n && n->m_len == 0)
		n = n->m_next;
	if (!n) {
		m_freem(m);
		return NULL;
	}

	/* Internal storage, or external storage only we reference. */
	writable = !(n->m_flags & M_EXT) || M_WRITABLE(n);

	/* All of it is in n already. */
	if ((off == 0 || offp) && len <= n->m_len - off && writable)
		goto ok;

	/*
	 * All of it is in n, but not where the caller wants it or not
	 * writable: the rest of n goes into a new mbuf.
	 */
	if (len <= n->m_len - off) {
		o = mb_dup1(n, off, n->m_len - off, M_NOWAIT);
		if (!o) {
			m_freem(m);
			return NULL;
		}
		n->m_len = off;
		o->m_next = n->m_next;
		n->m_next = o;
		n = o;
		off = 0;
		goto ok;
	}

	/* hlen bytes from n at off, tlen from the mbufs after it. */
	hlen = n->m_len - off;
	tlen = len - hlen;
	olen = 0;
	for (o = n->m_next; o; o = o->m_next)
		olen += o->m_len;
	if (hlen + olen < len) {
		m_freem(m);
		return NULL;
	}

	/* Pull the tail bytes into n's trailing space. */
	if ((off == 0 || offp) && writable && M_TRAILINGSPACE(n) >= tlen) {
		m_copydata(n->m_next, 0, tlen, mtod(n, char *) + n->m_len);
		n->m_len += tlen;
		m_adj(n->m_next, tlen);
		goto ok;
	}
	/* Push the head bytes into the next mbuf, which holds the tail. */
	if ((off == 0 || offp) && writable && n->m_next->m_len >= tlen &&
	    M_LEADINGSPACE(n->m_next) >= hlen) {
		n->m_next->m_data -= hlen;
		n->m_next->m_len += hlen;
		memcpy(mtod(n->m_next, char *), mtod(n, char *) + off, hlen);
		n->m_len -= hlen;
		n = n->m_next;
		off = 0;
		goto ok;
	}

	/* No room at either end: a new mbuf for all of it. */
	if (len > MLEN)
		o = m_getcl(M_NOWAIT, m->m_type, 0);
	else
		o = m_get(M_NOWAIT, m->m_type);
	if (!o) {
		m_freem(m);
		return NULL;
	}
	o->m_len = hlen;
	mb_seg_copyout(n, off, hlen, mtod(o, char *));
	n->m_len -= hlen;
	m_copydata(n->m_next, 0, tlen, mtod(o, char *) + o->m_len);
	o->m_len += tlen;
	m_adj(n->m_next, tlen);
	o->m_next = n->m_next;
	n->m_next = o;
	n = o;
	off = 0;
ok:
	if (offp)
		*offp = off;
	return n;
}
MBUF_EXPORT(m_pulldown);

/* ---- growing ---------------------------------------------------------- */

/**
 * m_prepend() - put a new mbuf with @len bytes in front of a chain
 * @m: the chain
 * @len: bytes of (uninitialised) data for the new first mbuf, at most
 *	 MHLEN with a packet header, else MLEN
 * @how: M_NOWAIT or M_WAITOK
 *
 * M_PREPEND()'s slow path: the new mbuf takes over the packet header, and
 * its @len bytes sit at the end of its storage so that more can be
 * prepended later. m_pkthdr.len is not changed here (M_PREPEND adds
 * @len).
 *
 * Return: the new chain; NULL if no mbuf could be had or @len does not fit
 * one (which warns once): the chain has then been freed.
 */
struct mbuf *m_prepend(struct mbuf *m, int len, int how)
{
	struct mbuf *mn;

	if (m->m_flags & M_PKTHDR)
		mn = m_gethdr(how, m->m_type);
	else
		mn = m_get(how, m->m_type);
	if (!mn) {
		m_freem(m);
		return NULL;
	}
	if (WARN_ONCE(len < 0 || len > M_SIZE(mn),
		      MBUF_LOG_PREFIX "%s: %d bytes do not fit an mbuf\n",
		      __func__, len)) {
		m_free(mn);
		m_freem(m);
		return NULL;
	}
	if (m->m_flags & M_PKTHDR)
		m_move_pkthdr(mn, m);
	mn->m_next = m;
	m = mn;
	if (len < M_SIZE(m))
		M_ALIGN(m, len);
	m->m_len = len;
	return m;
}
MBUF_EXPORT(m_prepend);

/**
 * m_append() - append bytes to the end of a chain
 * @m0: the chain
 * @len: bytes to append
 * @cp: the bytes
 *
 * Fills the last mbuf's trailing space (0 for read-only or shared
 * storage), then appends new mbufs (M_NOWAIT). m_pkthdr.len of a packet
 * header @m0 grows by the bytes appended.
 *
 * Return: 1 if all @len bytes were appended, 0 if an mbuf could not be had
 * (what was appended stays, and m_pkthdr.len counts it).
 */
int m_append(struct mbuf *m0, int len, c_caddr_t cp)
{
	struct mbuf *m, *n;
	int remainder = len, space;

	for (m = m0; m->m_next; m = m->m_next)
		;
	space = M_TRAILINGSPACE(m);
	if (space > 0) {
		space = min(space, remainder);
		memcpy(mtod(m, char *) + m->m_len, cp, space);
		m->m_len += space;
		cp += space;
		remainder -= space;
	}
	while (remainder > 0) {
		n = m_get(M_NOWAIT, m->m_type);
		if (!n)
			break;
		n->m_len = min(MLEN, remainder);
		memcpy(mtod(n, char *), cp, n->m_len);
		cp += n->m_len;
		remainder -= n->m_len;
		m->m_next = n;
		m = n;
	}
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len += len - remainder;
	return remainder == 0;
}
MBUF_EXPORT(m_append);

/**
 * m_copyback() - write bytes into a chain at an offset, growing it
 * @m0: the chain; NULL is ignored
 * @off: offset of the first byte to write
 * @len: bytes to write
 * @cp: the bytes
 *
 * Existing bytes are overwritten in place, whatever storage holds them, as
 * FreeBSD's does: a caller whose chain may share storage (m_copym(),
 * external buffers) makes it writable first with m_unshare(). Past the
 * end, the last mbuf grows into its trailing space (never into read-only
 * or shared storage) and then new mbufs are appended (M_NOWAIT); a gap
 * between the end and @off is zero-filled. If an mbuf cannot be had the
 * write stops there. m_pkthdr.len of a packet header @m0 is raised to
 * cover what was written when the chain grew.
 */
void m_copyback(struct mbuf *m0, int off, int len, c_caddr_t cp)
{
	struct mbuf *m = m0, *n;
	int mlen, totlen = 0;

	if (!m0)
		return;
	while (off > (mlen = m->m_len)) {
		off -= mlen;
		totlen += mlen;
		if (!m->m_next) {
			n = m_get(M_NOWAIT, m->m_type);
			if (!n)
				goto out;
			memset(mtod(n, char *), 0, MLEN);
			n->m_len = min(MLEN, len + off);
			m->m_next = n;
		}
		m = m->m_next;
	}
	while (len > 0) {
		if (WARN_ON_ONCE(m->m_flags & M_EXTPG))
			break;		/* unmapped: nothing to write to */
		if (!m->m_next && len > m->m_len - off)
			m->m_len += min_t(int, len - (m->m_len - off),
					  M_TRAILINGSPACE(m));
		mlen = min(m->m_len - off, len);
		memcpy(mtod(m, char *) + off, cp, mlen);
		cp += mlen;
		len -= mlen;
		mlen += off;
		off = 0;
		totlen += mlen;
		if (len == 0)
			break;
		if (!m->m_next) {
			n = m_get(M_NOWAIT, m->m_type);
			if (!n)
				break;
			n->m_len = min(MLEN, len);
			m->m_next = n;
		}
		m = m->m_next;
	}
out:
	if ((m0->m_flags & M_PKTHDR) && m0->m_pkthdr.len < totlen)
		m0->m_pkthdr.len = totlen;
}
MBUF_EXPORT(m_copyback);

/* ---- splitting and joining --------------------------------------------- */

/**
 * m_split() - split a chain in two at an offset
 * @m0: the chain
 * @len0: bytes that stay in @m0
 * @wait: M_NOWAIT or M_WAITOK
 *
 * Where the split falls inside external storage, the two halves share it
 * (both become read-only in effect: M_WRITABLE() is false); inside
 * internal storage the tail bytes are copied into a new mbuf. With a
 * packet header, the tail gets a new one (m_pkthdr.rcvif copied, len the
 * tail's) and @m0's len becomes @len0.
 *
 * Return: the tail chain (NULL if the split falls at the very end of a
 * chain without a packet header). NULL if @m0 is shorter than @len0 or an
 * mbuf could not be had: @m0 is then left as it was.
 */
struct mbuf *m_split(struct mbuf *m0, int len0, int wait)
{
	struct mbuf *m, *n;
	u_int len = len0, remain;
	int pktlen;

	for (m = m0; m && len > m->m_len; m = m->m_next)
		len -= m->m_len;
	if (!m)
		return NULL;
	remain = m->m_len - len;
	if ((m0->m_flags & M_PKTHDR) && remain == 0) {
		n = m_gethdr(wait, m0->m_type);
		if (!n)
			return NULL;
		n->m_next = m->m_next;
		m->m_next = NULL;
		n->m_pkthdr.rcvif = m0->m_pkthdr.rcvif;
		n->m_pkthdr.len = m0->m_pkthdr.len - len0;
		m0->m_pkthdr.len = len0;
		return n;
	}
	if (m0->m_flags & M_PKTHDR) {
		n = m_gethdr(wait, m0->m_type);
		if (!n)
			return NULL;
		n->m_pkthdr.rcvif = m0->m_pkthdr.rcvif;
		n->m_pkthdr.len = m0->m_pkthdr.len - len0;
		pktlen = m0->m_pkthdr.len;
		m0->m_pkthdr.len = len0;
		if (m->m_flags & M_EXT)
			goto extpacket;
		if (remain > MHLEN) {
			/* m cannot be the first mbuf: split it on its own. */
			M_ALIGN(n, 0);
			n->m_next = m_split(m, len, wait);
			if (!n->m_next) {
				m_free(n);
				m0->m_pkthdr.len = pktlen;
				return NULL;
			}
			n->m_len = 0;
			return n;
		}
		M_ALIGN(n, remain);
	} else {
		if (remain == 0) {
			n = m->m_next;
			m->m_next = NULL;
			return n;
		}
		n = m_get(wait, m->m_type);
		if (!n)
			return NULL;
		M_ALIGN(n, remain);
	}
extpacket:
	if (m->m_flags & M_EXT) {
		n->m_data = m->m_data + len;
		mb_dupcl(n, m);
	} else {
		memcpy(mtod(n, char *), mtod(m, char *) + len, remain);
	}
	n->m_len = remain;
	m->m_len = len;
	n->m_next = m->m_next;
	m->m_next = NULL;
	return n;
}
MBUF_EXPORT(m_split);

/**
 * m_cat() - append chain @n to chain @m
 * @m: the chain to extend
 * @n: the chain to append; @m takes it over
 *
 * Leading mbufs of @n whose data fits the trailing space of @m's last
 * mbuf are copied there and freed (never into read-only or shared
 * storage, nor out of unmapped mbufs); the rest is linked on. Neither
 * m_pkthdr.len is updated (see m_catpkt()). Nothing is allocated.
 */
void m_cat(struct mbuf *m, struct mbuf *n)
{
	m = m_last(m);
	while (n) {
		if (!M_WRITABLE(m) || (n->m_flags & M_EXTPG) ||
		    M_TRAILINGSPACE(m) < n->m_len) {
			m->m_next = n;
			return;
		}
		memcpy(mtod(m, char *) + m->m_len, mtod(n, char *), n->m_len);
		m->m_len += n->m_len;
		n = m_free(n);
	}
}
MBUF_EXPORT(m_cat);

/**
 * m_catpkt() - append packet @n to packet @m
 * @m: a packet header chain
 * @n: a packet header chain; its header (and tags) are dropped
 *
 * m_pkthdr.len of @m grows by that of @n; then as m_cat().
 */
void m_catpkt(struct mbuf *m, struct mbuf *n)
{
	M_ASSERTPKTHDR(m);
	M_ASSERTPKTHDR(n);
	m->m_pkthdr.len += n->m_pkthdr.len;
	m_demote(n, 1, 0);
	m_cat(m, n);
}
MBUF_EXPORT(m_catpkt);

/* ---- packet headers --------------------------------------------------- */

/**
 * m_move_pkthdr() - move a packet header, tags included, to another mbuf
 * @to: an mbuf without a packet header (its tags, if any, are lost)
 * @from: a packet header mbuf; it loses M_PKTHDR, its tags and its send
 *	  tag reference, which @to now holds
 *
 * @to gets @from's M_COPYFLAGS and keeps its own M_EXT / M_EXTPG; without
 * external storage its m_data is set to the start of its packet header
 * storage.
 */
void m_move_pkthdr(struct mbuf *to, struct mbuf *from)
{
	to->m_flags = (from->m_flags & M_COPYFLAGS) |
		      (to->m_flags & (M_EXT | M_EXTPG));
	if (!(to->m_flags & M_EXT))
		to->m_data = to->m_pktdat;
	to->m_pkthdr = from->m_pkthdr;
	SLIST_INIT(&from->m_pkthdr.tags);
	from->m_flags &= ~M_PKTHDR;
	if (from->m_pkthdr.csum_flags & CSUM_SND_TAG) {
		from->m_pkthdr.csum_flags &= ~CSUM_SND_TAG;
		from->m_pkthdr.snd_tag = NULL;
	}
}
MBUF_EXPORT(m_move_pkthdr);

/**
 * m_dup_pkthdr() - copy a packet header, tags included, to another mbuf
 * @to: an mbuf without a packet header
 * @from: a packet header mbuf (unchanged)
 * @how: M_NOWAIT or M_WAITOK, for the tag copies
 *
 * Flags and m_data as for m_move_pkthdr(); a send tag gains a reference;
 * each tag is copied.
 *
 * Return: 1, or 0 if a tag could not be copied (@to then has a packet
 * header without tags; freeing it is safe).
 */
int m_dup_pkthdr(struct mbuf *to, const struct mbuf *from, int how)
{
	to->m_flags = (from->m_flags & M_COPYFLAGS) |
		      (to->m_flags & (M_EXT | M_EXTPG));
	if (!(to->m_flags & M_EXT))
		to->m_data = to->m_pktdat;
	to->m_pkthdr = from->m_pkthdr;
	if (from->m_pkthdr.csum_flags & CSUM_SND_TAG)
		m_snd_tag_ref(from->m_pkthdr.snd_tag);
	SLIST_INIT(&to->m_pkthdr.tags);
	return m_tag_copy_chain(to, from, how);
}
MBUF_EXPORT(m_dup_pkthdr);

/**
 * m_demote_pkthdr() - make a packet header mbuf a plain one
 * @m: a packet header mbuf without a send tag
 *
 * Its tags are freed, M_PKTHDR is cleared and the header zeroed. Data in
 * internal storage stays where it is.
 */
void m_demote_pkthdr(struct mbuf *m)
{
	M_ASSERTPKTHDR(m);
	M_ASSERT_NO_SND_TAG(m);
	m_tag_delete_chain(m, NULL);
	m->m_flags &= ~M_PKTHDR;
	memset(&m->m_pkthdr, 0, sizeof(m->m_pkthdr));
}
MBUF_EXPORT(m_demote_pkthdr);

/**
 * m_demote() - strip packet headers and flags from a chain
 * @m0: the chain
 * @all: nonzero to include @m0 itself, else start at its second mbuf
 * @flags: M_* flags to keep besides M_EXT, M_RDONLY, M_NOFREE, M_EXTPG
 */
void m_demote(struct mbuf *m0, int all, int flags)
{
	struct mbuf *m;

	for (m = all ? m0 : m0->m_next; m; m = m->m_next) {
		WARN_ON_ONCE(m->m_nextpkt);
		if (m->m_flags & M_PKTHDR)
			m_demote_pkthdr(m);
		m->m_flags &= M_DEMOTEFLAGS | flags;
	}
}
MBUF_EXPORT(m_demote);

/* ---- receive copies --------------------------------------------------- */

/**
 * m_devget() - copy a received frame from device memory into a new chain
 * @buf: the frame
 * @totlen: its length
 * @off: bytes to leave free at the start of the first mbuf, 0 to MHLEN
 * @ifp: the receiving interface (m_pkthdr.rcvif)
 * @copy: how to copy from the device (from, to, len), or NULL for memcpy
 *
 * The first mbuf has a packet header (m_pkthdr.len @totlen); clusters are
 * used where the rest does not fit an mbuf. A short frame in an mbuf
 * starts max_linkhdr bytes in, leaving room for a link header. All
 * allocations are M_NOWAIT: this is for receive interrupts.
 *
 * Return: the chain, or NULL (bad @off, no memory; nothing is left
 * allocated).
 */
struct mbuf *m_devget(char *buf, int totlen, int off, struct ifnet *ifp,
		      void (*copy)(char *from, caddr_t to, u_int len))
{
	struct mbuf *m, *top = NULL, **mp = &top;
	int len;

	if (off < 0 || off > MHLEN)
		return NULL;
	while (totlen > 0) {
		if (!top) {
			if (totlen + off >= MINCLSIZE) {
				m = m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
				len = MCLBYTES;
			} else {
				m = m_gethdr(M_NOWAIT, MT_DATA);
				len = MHLEN;
				if (m && totlen + off + max_linkhdr <= MHLEN) {
					m->m_data += max_linkhdr;
					len -= max_linkhdr;
				}
			}
			if (!m)
				return NULL;
			m->m_pkthdr.rcvif = ifp;
			m->m_pkthdr.len = totlen;
		} else {
			if (totlen + off >= MINCLSIZE) {
				m = m_getcl(M_NOWAIT, MT_DATA, 0);
				len = MCLBYTES;
			} else {
				m = m_get(M_NOWAIT, MT_DATA);
				len = MLEN;
			}
			if (!m) {
				m_freem(top);
				return NULL;
			}
		}
		if (off) {
			m->m_data += off;
			len -= off;
			off = 0;
		}
		len = min(totlen, len);
		m->m_len = len;
		if (copy)
			copy(buf, mtod(m, caddr_t), len);
		else
			memcpy(mtod(m, char *), buf, len);
		buf += len;
		*mp = m;
		mp = &m->m_next;
		totlen -= len;
	}
	return top;
}
MBUF_EXPORT(m_devget);

/* ---- checks and printing ----------------------------------------------- */

/* What a sanitized inner m_nextpkt holds, so that a later use faults. */
#define MB_SANITY_POISON	((struct mbuf *)(POISON_POINTER_DELTA + 0xdec0de))

#define MB_SANITY(m, what) ({						\
	pr_err(MBUF_LOG_PREFIX "m_sanity: mbuf %p: %s\n", (m), (what));	\
	ok = 0;								\
})

/**
 * m_sanity() - check a chain's invariants, or repair what can be
 * @m0: the chain
 * @sanitize: 0 to report each problem to the kernel log; nonzero to
 *	      repair instead: free a packet queued on an inner mbuf (its
 *	      m_nextpkt is poisoned), drop inner tags and packet headers,
 *	      zero a wrong m_pkthdr.len
 *
 * Checks that each mapped mbuf's data lies in its storage, that only the
 * first mbuf has m_nextpkt, tags or M_PKTHDR, and that m_pkthdr.len is the
 * sum of m_len. FreeBSD panics with INVARIANTS and prints otherwise; this
 * prints. Data pointers out of range cannot be repaired and are always
 * reported.
 *
 * Return: 1 if the chain is (now) sane, 0 if a problem was reported.
 */
int m_sanity(struct mbuf *m0, int sanitize)
{
	struct mbuf *m;
	caddr_t a, b;
	int pktlen = 0, ok = 1;

	for (m = m0; m; m = m->m_next) {
		if (!(m->m_flags & M_EXTPG)) {
			a = M_START(m);
			b = a + M_SIZE(m);
			if (m->m_data < a)
				MB_SANITY(m, "m_data outside mbuf data range left");
			if (m->m_data > b)
				MB_SANITY(m, "m_data outside mbuf data range right");
			if (m->m_data + m->m_len > b)
				MB_SANITY(m, "m_data + m_len exceeds mbuf space");
		}
		if (m != m0 && m->m_nextpkt) {
			if (sanitize) {
				m_freem(m->m_nextpkt);
				m->m_nextpkt = MB_SANITY_POISON;
			} else {
				MB_SANITY(m, "m->m_nextpkt on in-chain mbuf");
			}
		}
		if (m0->m_flags & M_PKTHDR)
			pktlen += m->m_len;
		if (m != m0 && (m->m_flags & M_PKTHDR) &&
		    !SLIST_EMPTY(&m->m_pkthdr.tags)) {
			if (sanitize)
				m_tag_delete_chain(m, NULL);
			else
				MB_SANITY(m, "m_tags on in-chain mbuf");
		}
		if (m != m0 && (m->m_flags & M_PKTHDR)) {
			if (sanitize) {
				memset(&m->m_pkthdr, 0, sizeof(m->m_pkthdr));
				m->m_flags &= ~M_PKTHDR;
			} else {
				MB_SANITY(m, "M_PKTHDR on in-chain mbuf");
			}
		}
	}
	if ((m0->m_flags & M_PKTHDR) && pktlen != m0->m_pkthdr.len) {
		if (sanitize)
			m0->m_pkthdr.len = 0;
		else
			MB_SANITY(m0, "m_pkthdr.len != mbuf chain length");
	}
	return ok;
}
MBUF_EXPORT(m_sanity);

/**
 * m_print() - print a chain to the kernel log
 * @m: the chain, or NULL
 * @maxlen: data bytes to dump of each mbuf, -1 for all
 *
 * One line per mbuf (address, m_len, m_next, flags, storage), followed by
 * a hex dump of its data; with a packet header, only as many mbufs as
 * m_pkthdr.len covers, and a note if it covers more than the chain has.
 */
void m_print(const struct mbuf *m, int maxlen)
{
	const struct mbuf *m2;
	int len, pdata;

	if (!m) {
		pr_info("mbuf: %p\n", m);
		return;
	}
	len = (m->m_flags & M_PKTHDR) ? m->m_pkthdr.len : -1;
	for (m2 = m; m2 && (len == -1 || len); m2 = m2->m_next) {
		pdata = m2->m_len;
		if (maxlen != -1 && pdata > maxlen)
			pdata = maxlen;
		pr_info("mbuf: %p len: %d, next: %p, flags 0x%x, %s %u\n",
			m2, m2->m_len, m2->m_next, m2->m_flags,
			(m2->m_flags & M_EXTPG) ? "unmapped" :
			(m2->m_flags & M_EXT) ? "ext_type" : "internal",
			(m2->m_flags & M_EXT) ? m2->m_ext.ext_type : 0);
		if (pdata > 0 && !(m2->m_flags & M_EXTPG))
			print_hex_dump(KERN_INFO, "  ", DUMP_PREFIX_OFFSET, 16,
				       1, m2->m_data, pdata, false);
		if (len != -1)
			len -= m2->m_len;
	}
	if (len > 0)
		pr_info("%d bytes unaccounted for.\n", len);
}
MBUF_EXPORT(m_print);
