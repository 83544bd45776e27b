/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers shared by the mbuf_chain and mbuf_chain_model suites: building
 * chains of a given shape and storage from bytes, reading a chain back,
 * counting its mbufs, and checking the invariants every chain keeps.
 */
#ifndef MBUF_CHAIN_KUNIT_H
#define MBUF_CHAIN_KUNIT_H

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "mbuf_kpi_kunit.h"

/* Storage kinds a segment of a test chain can have. */
enum mbuf_chain_kind {
	MCK_INTERNAL,		/* m_get / m_gethdr */
	MCK_PACKET,		/* m_getcl: 2 KiB, EXT_PACKET */
	MCK_CLUSTER,		/* m_get + m_clget: 2 KiB, EXT_CLUSTER */
	MCK_JUMBOP,		/* m_getjcl(MJUMPAGESIZE) */
	MCK_JUMBO9,		/* m_getjcl(MJUM9BYTES) */
	MCK_JUMBO16,		/* m_getjcl(MJUM16BYTES) */
	MCK_NKINDS,
};

static inline int mbuf_chain_kind_size(enum mbuf_chain_kind k, bool hdr)
{
	switch (k) {
	case MCK_INTERNAL:
		return hdr ? MHLEN : MLEN;
	case MCK_JUMBOP:
		return MJUMPAGESIZE;
	case MCK_JUMBO9:
		return MJUM9BYTES;
	case MCK_JUMBO16:
		return MJUM16BYTES;
	default:
		return MCLBYTES;
	}
}

/* One mbuf of kind @k (M_WAITOK), M_PKTHDR if @hdr; NULL on failure. */
static inline struct mbuf *mbuf_chain_alloc(enum mbuf_chain_kind k, bool hdr)
{
	int flags = hdr ? M_PKTHDR : 0;
	struct mbuf *m;

	switch (k) {
	case MCK_INTERNAL:
		return hdr ? m_gethdr(M_WAITOK, MT_DATA) : m_get(M_WAITOK, MT_DATA);
	case MCK_PACKET:
		return m_getcl(M_WAITOK, MT_DATA, flags);
	case MCK_CLUSTER:
		m = hdr ? m_gethdr(M_WAITOK, MT_DATA) : m_get(M_WAITOK, MT_DATA);
		if (m && !m_clget(m, M_WAITOK)) {
			m_free(m);
			return NULL;
		}
		return m;
	case MCK_JUMBOP:
		return m_getjcl(M_WAITOK, MT_DATA, flags, MJUMPAGESIZE);
	case MCK_JUMBO9:
		return m_getjcl(M_WAITOK, MT_DATA, flags, MJUM9BYTES);
	default:
		return m_getjcl(M_WAITOK, MT_DATA, flags, MJUM16BYTES);
	}
}

/*
 * A packet of @nseg mbufs of kind @k holding @len[i] bytes each, filled
 * from @data; the first has the packet header. NULL if an allocation
 * failed (nothing is left allocated).
 */
static inline struct mbuf *mbuf_chain_build(enum mbuf_chain_kind k,
					    const int *len, int nseg,
					    const u8 *data)
{
	struct mbuf *top = NULL, **mp = &top, *m;
	int i, total = 0;

	for (i = 0; i < nseg; i++) {
		m = mbuf_chain_alloc(k, i == 0);
		if (!m || len[i] > M_SIZE(m)) {
			m_free(m);
			m_freem(top);
			return NULL;
		}
		memcpy(mtod(m, u8 *), data + total, len[i]);
		m->m_len = len[i];
		total += len[i];
		*mp = m;
		mp = &m->m_next;
	}
	if (top)
		top->m_pkthdr.len = total;
	return top;
}

static inline int mbuf_chain_count(const struct mbuf *m)
{
	int n = 0;

	for (; m; m = m->m_next)
		n++;
	return n;
}

/* The chain's bytes in a new buffer (kvmalloc); NULL on no memory. */
static inline u8 *mbuf_chain_bytes(struct mbuf *m, int *lenp)
{
	int len = m_length(m, NULL);
	u8 *buf = kvmalloc(max(len, 1), GFP_KERNEL);

	if (buf)
		m_copydata(m, 0, len, (caddr_t)buf);
	*lenp = len;
	return buf;
}

/* Does chain @m hold exactly @len bytes equal to @want? */
static inline bool mbuf_chain_equals(struct mbuf *m, const u8 *want, int len)
{
	int have;
	u8 *buf = mbuf_chain_bytes(m, &have);
	bool eq = buf && have == len && !memcmp(buf, want, len);

	kvfree(buf);
	return eq;
}

/*
 * The invariants of a chain: m_pkthdr.len is the sum of m_len (with a
 * packet header), each mapped mbuf's data lies inside its storage, only
 * the first mbuf has a packet header. Returns NULL or what is wrong.
 */
static inline const char *mbuf_chain_invariants(struct mbuf *m0)
{
	struct mbuf *m;
	long sum = 0;

	for (m = m0; m; m = m->m_next) {
		if (m->m_len < 0)
			return "negative m_len";
		if (m != m0 && (m->m_flags & M_PKTHDR))
			return "M_PKTHDR on an inner mbuf";
		if (!(m->m_flags & M_EXTPG) &&
		    (m->m_data < M_START(m) ||
		     m->m_data + m->m_len > M_START(m) + M_SIZE(m)))
			return "m_data outside its storage";
		sum += m->m_len;
	}
	if ((m0->m_flags & M_PKTHDR) && sum != m0->m_pkthdr.len)
		return "m_pkthdr.len differs from the sum of m_len";
	return NULL;
}

/* Fill @buf with a byte pattern that depends on @seed and the offset. */
static inline void mbuf_chain_pattern(u8 *buf, int len, u32 seed)
{
	int i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(seed + i * 7 + (i >> 8));
}

#endif /* MBUF_CHAIN_KUNIT_H */
