// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_chain_model: the chain surgery KPI against a model.
 *
 * Strategy. A packet is kept twice: as an mbuf chain and as a plain byte
 * array (the model). Random operations are applied to both, each the way
 * its FreeBSD documentation says it changes the packet's bytes (m_adj
 * trims, M_PREPEND and m_append add, m_copyback overwrites and extends,
 * m_split + m_catpkt and m_pullup, m_pulldown, m_defrag, m_collapse,
 * m_unshare, m_dup, m_copypacket change nothing), and after every step
 * the chain must equal the model byte for byte and keep its invariants:
 * m_pkthdr.len is the sum of m_len, every m_data lies inside its storage,
 * only the first mbuf has a packet header. Segments of every storage kind
 * are added as the run goes: internal, 2 KiB clusters (packet zone and
 * m_clget), page, 9 KiB and 16 KiB clusters, read-only external buffers
 * (m_extadd with M_RDONLY) and clusters shared with a copy made by
 * m_copym() or m_copypacket(). Those shared buffers are watched: a
 * snapshot of all of their storage is compared after every step, so a
 * write into read-only or shared storage (into its data or its unused
 * space) fails the step.
 *
 * One step in eight arms fault injection on every zone (one failure after
 * 0..2 successful allocations) and then checks the documented failure
 * semantics of the operation: m_pullup, m_pulldown, M_PREPEND and
 * m_unshare free the chain (the model restarts empty), m_split, m_defrag,
 * m_dup and m_copypacket leave it unchanged, m_collapse leaves it valid
 * with the same bytes, m_append keeps what it appended and says so.
 *
 * Each run is seeded (mbufcompat.chain_model_seed=N replays one seed; 0
 * picks one at random) and the seed is printed with any failure, together
 * with the step and the operation. At the end everything is freed and the
 * zones must be back at their baseline (mbuf_kpi_kunit.h), and every
 * external buffer must have been released exactly once.
 */
#include <kunit/test.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include "mbuf_chain_kunit.h"

static unsigned long long chain_model_seed;
module_param(chain_model_seed, ullong, 0444);
MODULE_PARM_DESC(chain_model_seed,
		 "Seed of the mbuf_chain_model KUnit runs (0: random)");

#define MODEL_STEPS	2000
#define MODEL_MAX	(24 * 1024)	/* the packet is trimmed back past this */
#define MODEL_CAP	(MODEL_MAX + MJUM16BYTES + 8192)
#define MODEL_NWITNESS	3
#define MODEL_NEXT	12
#define MODEL_EXTSZ	1024

/* A chain whose external storage the packet may share, and its snapshot. */
struct model_witness {
	struct mbuf *m;
	int nstore;
	struct {
		const u8 *start;
		int size;
		u8 *snap;
	} store[8];
};

/* A read-only external buffer and the bytes it must keep. */
struct model_ext {
	u8 *buf;
	u8 *snap;
	int attached;		/* times attached */
	int freed;		/* times its free routine ran */
};

struct model {
	struct kunit *test;
	u64 seed, rng;
	int step;
	const char *op;
	struct mbuf *m;
	u8 *buf, *tmp, *bytes;
	int len;
	bool fault;
	struct model_witness w[MODEL_NWITNESS];
	int nw;
	struct model_ext ext[MODEL_NEXT];
	bool failed;
};

static u64 model_rand(struct model *md)
{
	/* xorshift64* */
	md->rng ^= md->rng >> 12;
	md->rng ^= md->rng << 25;
	md->rng ^= md->rng >> 27;
	return md->rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [lo, hi]; lo if hi < lo. */
static int model_rnd(struct model *md, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)(model_rand(md) % (u64)(hi - lo + 1));
}

#define MODEL_FAIL(md, fmt, ...) do {					\
	struct model *__md = (md);					\
									\
	KUNIT_FAIL(__md->test, "seed %llu step %d op %s: " fmt,		\
		   __md->seed, __md->step, __md->op, ##__VA_ARGS__);	\
	__md->failed = true;						\
} while (0)

static void model_fill(struct model *md, u8 *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (u8)model_rand(md);
}

/* ---- watched storage ---------------------------------------------------- */

static void model_witness_free(struct model_witness *w)
{
	int i;

	for (i = 0; i < w->nstore; i++)
		kvfree(w->store[i].snap);
	m_freem(w->m);
	memset(w, 0, sizeof(*w));
}

/* Watch chain @m (the model takes it over): snapshot its ext storage. */
static void model_watch(struct model *md, struct mbuf *m)
{
	struct model_witness *w;
	struct mbuf *n;
	int i;

	if (md->nw == MODEL_NWITNESS) {
		model_witness_free(&md->w[0]);
		memmove(&md->w[0], &md->w[1], sizeof(md->w[0]) * (md->nw - 1));
		memset(&md->w[md->nw - 1], 0, sizeof(md->w[0]));
		md->nw--;
	}
	w = &md->w[md->nw++];
	w->m = m;
	for (n = m; n; n = n->m_next) {
		if (!(n->m_flags & M_EXT) || (n->m_flags & M_EXTPG))
			continue;
		if (w->nstore == ARRAY_SIZE(w->store))
			break;
		i = w->nstore;
		w->store[i].start = M_START(n);
		w->store[i].size = M_SIZE(n);
		w->store[i].snap = kvmalloc(M_SIZE(n), GFP_KERNEL);
		if (!w->store[i].snap)
			break;
		memcpy(w->store[i].snap, M_START(n), M_SIZE(n));
		w->nstore++;
	}
}

static void model_check_storage(struct model *md)
{
	int i, j;

	for (i = 0; i < md->nw; i++)
		for (j = 0; j < md->w[i].nstore; j++)
			if (memcmp(md->w[i].store[j].start, md->w[i].store[j].snap,
				   md->w[i].store[j].size))
				MODEL_FAIL(md, "shared storage %p (%d bytes) was written",
					   md->w[i].store[j].start,
					   md->w[i].store[j].size);
	for (i = 0; i < MODEL_NEXT; i++)
		if (memcmp(md->ext[i].buf, md->ext[i].snap, MODEL_EXTSZ))
			MODEL_FAIL(md, "read-only external buffer %d was written", i);
}

static void model_ext_free(struct mbuf *m)
{
	struct model_ext *e = m->m_ext.ext_arg1;

	e->freed++;
}

/* ---- the packet ---------------------------------------------------------- */

static void model_restart(struct model *md)
{
	md->m = m_gethdr(M_WAITOK, MT_DATA);
	md->len = 0;
}

/* A new mbuf (no header) of a random storage kind with random bytes. */
static struct mbuf *model_segment(struct model *md, u8 *data, int *lenp)
{
	struct model_ext *e = NULL;
	struct mbuf *m, *src;
	int kind = model_rnd(md, 0, MCK_NKINDS + 1), off, len, i;

	if (kind < MCK_NKINDS) {
		m = mbuf_chain_alloc(kind, false);
		if (!m)
			return NULL;
		off = model_rnd(md, 0, M_SIZE(m) / 4);
		len = model_rnd(md, 0, M_SIZE(m) - off);
		m->m_data += off;
		model_fill(md, data, len);
		memcpy(mtod(m, u8 *), data, len);
		m->m_len = len;
		*lenp = len;
		return m;
	}
	if (kind == MCK_NKINDS) {
		/* read-only external storage */
		for (i = 0; i < MODEL_NEXT; i++)
			if (md->ext[i].attached == md->ext[i].freed) {
				e = &md->ext[i];
				break;
			}
		if (!e)
			return NULL;
		m = m_get(M_WAITOK, MT_DATA);
		m_extadd(m, (char *)e->buf, MODEL_EXTSZ, model_ext_free, e, NULL,
			 M_RDONLY, EXT_NET_DRV);
		e->attached++;
		off = model_rnd(md, 0, MODEL_EXTSZ);
		len = model_rnd(md, 0, MODEL_EXTSZ - off);
		m->m_data += off;
		m->m_len = len;
		memcpy(data, e->buf + off, len);
		*lenp = len;
		return m;
	}
	/* a cluster shared with a copy that the model keeps and watches */
	src = mbuf_chain_alloc(model_rnd(md, MCK_PACKET, MCK_JUMBO16), true);
	if (!src)
		return NULL;
	len = model_rnd(md, 1, M_SIZE(src));
	model_fill(md, mtod(src, u8 *), len);
	src->m_len = len;
	src->m_pkthdr.len = len;
	off = model_rnd(md, 0, len - 1);
	len = model_rnd(md, 0, len - off);
	m = m_copym(src, off, len, M_WAITOK);
	if (!m) {
		m_freem(src);
		return NULL;
	}
	m_demote(m, 1, 0);	/* a copy from offset 0 has a header */
	memcpy(data, mtod(src, u8 *) + off, len);
	model_watch(md, src);
	*lenp = m_length(m, NULL);
	return m;
}

static void model_add_segment(struct model *md)
{
	struct mbuf *s;
	int n = 0;

	s = model_segment(md, md->tmp, &n);
	if (!s)
		return;
	if (md->len + n > MODEL_CAP) {
		m_freem(s);
		return;
	}
	/* m_cat() leaves m_pkthdr.len to the caller. */
	if (model_rnd(md, 0, 1))
		m_cat(md->m, s);
	else
		m_last(md->m)->m_next = s;
	md->m->m_pkthdr.len += n;
	memcpy(md->buf + md->len, md->tmp, n);
	md->len += n;
}

/* The chain is gone (a freeing failure path): start a new one. */
static void model_lost(struct model *md)
{
	if (!md->fault || !mbuf_fault_injected())
		MODEL_FAIL(md, "returned NULL without an injected failure");
	model_restart(md);
}

static int model_how(struct model *md)
{
	return md->fault || model_rnd(md, 0, 1) ? M_NOWAIT : M_WAITOK;
}

/* ---- operations -------------------------------------------------------- */

static void op_adj_head(struct model *md)
{
	int k = model_rnd(md, 0, md->len);

	m_adj(md->m, k);
	memmove(md->buf, md->buf + k, md->len - k);
	md->len -= k;
}

static void op_adj_tail(struct model *md)
{
	int k = model_rnd(md, 0, md->len + 8);

	m_adj(md->m, -k);
	md->len = max(md->len - k, 0);
}

static void op_prepend(struct model *md)
{
	int plen = model_rnd(md, 1, MHLEN);

	M_PREPEND(md->m, plen, model_how(md));
	if (!md->m) {
		model_lost(md);
		return;
	}
	if (md->m->m_len < plen) {
		MODEL_FAIL(md, "first mbuf holds %d < %d bytes", md->m->m_len,
			   plen);
		return;
	}
	model_fill(md, md->tmp, plen);
	memcpy(mtod(md->m, u8 *), md->tmp, plen);
	memmove(md->buf + plen, md->buf, md->len);
	memcpy(md->buf, md->tmp, plen);
	md->len += plen;
}

static void op_append(struct model *md)
{
	int n = model_rnd(md, 1, 3000), got, r;

	model_fill(md, md->tmp, n);
	r = m_append(md->m, n, (c_caddr_t)md->tmp);
	got = (int)m_length(md->m, NULL) - md->len;
	if (r != (int)(got == n))
		MODEL_FAIL(md, "m_append returned %d having appended %d of %d",
			   r, got, n);
	if (!r && !md->fault)
		MODEL_FAIL(md, "m_append failed without an injected failure");
	memcpy(md->buf + md->len, md->tmp, got);
	md->len += got;
}

static void op_copyback(struct model *md)
{
	int off = model_rnd(md, 0, md->len + 64);
	int n = model_rnd(md, 1, 2000), end = off + n;

	/* In-place writes are the caller's business: make it writable. */
	md->m = m_unshare(md->m, M_WAITOK);
	if (!md->m) {
		model_lost(md);
		return;
	}
	model_fill(md, md->tmp, n);
	m_copyback(md->m, off, n, (c_caddr_t)md->tmp);
	if (off > md->len)
		memset(md->buf + md->len, 0, off - md->len);
	memcpy(md->buf + off, md->tmp, n);
	md->len = max(md->len, end);
}

static void op_pullup(struct model *md)
{
	unsigned long before = atomic_long_read(&mbuf_stat_mpfail);
	int k;

	if (!md->len)
		return;
	if (md->len > MHLEN && !model_rnd(md, 0, 15)) {
		/* Beyond MHLEN: FreeBSD fails and frees the chain. */
		md->m = m_pullup(md->m, MHLEN + 1);
		if (md->m)
			MODEL_FAIL(md, "m_pullup(MHLEN + 1) succeeded");
		if (atomic_long_read(&mbuf_stat_mpfail) != before + 1)
			MODEL_FAIL(md, "m_mpfail not counted");
		model_restart(md);
		return;
	}
	k = model_rnd(md, 1, min(md->len, MHLEN));
	if (md->m->m_len >= k)
		return;
	md->m = m_pullup(md->m, k);
	if (!md->m) {
		if (atomic_long_read(&mbuf_stat_mpfail) != before + 1)
			MODEL_FAIL(md, "m_mpfail not counted");
		model_lost(md);
		return;
	}
	if (md->m->m_len < k)
		MODEL_FAIL(md, "m_pullup(%d) left %d bytes", k, md->m->m_len);
}

static void op_pulldown(struct model *md)
{
	int off, k, o = 0;
	bool useoff = model_rnd(md, 0, 1);
	struct mbuf *n;

	if (!md->len)
		return;
	off = model_rnd(md, 0, md->len - 1);
	k = model_rnd(md, 1, min(md->len - off, MCLBYTES));
	n = m_pulldown(md->m, off, k, useoff ? &o : NULL);
	if (!n) {
		md->m = NULL;
		model_lost(md);
		return;
	}
	if (n->m_len - o < k || (n->m_flags & M_EXTPG) ||
	    memcmp(mtod(n, u8 *) + o, md->buf + off, k))
		MODEL_FAIL(md, "m_pulldown(%d, %d): bytes not contiguous", off, k);
}

static void op_split(struct model *md)
{
	int k = model_rnd(md, 0, md->len);
	bool keep = model_rnd(md, 0, 3);
	struct mbuf *t;

	t = m_split(md->m, k, model_how(md));
	if (!t) {
		if (!md->fault || !mbuf_fault_injected())
			MODEL_FAIL(md, "m_split(%d) of %d failed", k, md->len);
		return;		/* the chain must be as it was: verify() */
	}
	if (md->m->m_pkthdr.len != k || m_length(md->m, NULL) != k ||
	    !(t->m_flags & M_PKTHDR) || t->m_pkthdr.len != md->len - k ||
	    m_length(t, NULL) != md->len - k ||
	    !mbuf_chain_equals(t, md->buf + k, md->len - k))
		MODEL_FAIL(md, "m_split(%d) of %d: wrong halves", k, md->len);
	if (keep) {
		m_catpkt(md->m, t);
	} else {
		m_freem(t);
		md->len = k;
	}
}

static void op_defrag(struct model *md)
{
	struct mbuf *d = m_defrag(md->m, model_how(md));
	int want;

	if (!d) {
		if (!md->fault || !mbuf_fault_injected())
			MODEL_FAIL(md, "m_defrag failed");
		return;		/* unchanged: verify() */
	}
	md->m = d;
	want = md->len <= MHLEN ? 1 : DIV_ROUND_UP(md->len, MCLBYTES);
	if (mbuf_chain_count(d) != want)
		MODEL_FAIL(md, "m_defrag of %d bytes: %d mbufs, not %d", md->len,
			   mbuf_chain_count(d), want);
}

static void op_collapse(struct model *md)
{
	int f = model_rnd(md, 1, 8);
	struct mbuf *r = m_collapse(md->m, model_how(md), f);

	if (r && (r != md->m || mbuf_chain_count(r) > f))
		MODEL_FAIL(md, "m_collapse(%d): %d mbufs", f,
			   mbuf_chain_count(r));
	/* Either way the chain is still the packet: verify(). */
}

static bool model_writable(struct mbuf *m)
{
	for (; m; m = m->m_next)
		if ((m->m_flags & M_EXT) && !M_WRITABLE(m))
			return false;
	return true;
}

static void op_unshare(struct model *md)
{
	md->m = m_unshare(md->m, model_how(md));
	if (!md->m) {
		model_lost(md);
		return;
	}
	if (!model_writable(md->m))
		MODEL_FAIL(md, "m_unshare left read-only storage");
}

static void op_dup(struct model *md)
{
	struct mbuf *d = m_dup(md->m, model_how(md));

	if (!d) {
		if (!md->fault || !mbuf_fault_injected())
			MODEL_FAIL(md, "m_dup failed");
		return;
	}
	if (!model_writable(d))
		MODEL_FAIL(md, "m_dup shares storage");
	m_freem(md->m);
	md->m = d;
}

static void op_copypacket(struct model *md)
{
	struct mbuf *c = m_copypacket(md->m, model_how(md));

	if (!c) {
		if (!md->fault || !mbuf_fault_injected())
			MODEL_FAIL(md, "m_copypacket failed");
		return;
	}
	/* The copy goes on; the original is watched, sharing with it. */
	if (!mbuf_chain_equals(md->m, md->buf, md->len))
		MODEL_FAIL(md, "m_copypacket changed the original");
	model_watch(md, md->m);
	md->m = c;
}

struct model_op {
	const char *name;
	void (*fn)(struct model *md);
	int weight;
	bool faultable;		/* may run with fault injection armed */
};

static const struct model_op model_ops[] = {
	{ "add_segment", model_add_segment, 6, false },
	{ "m_adj(head)", op_adj_head, 2, false },
	{ "m_adj(tail)", op_adj_tail, 2, false },
	{ "M_PREPEND", op_prepend, 3, true },
	{ "m_append", op_append, 3, true },
	{ "m_copyback", op_copyback, 2, false },
	{ "m_pullup", op_pullup, 3, true },
	{ "m_pulldown", op_pulldown, 3, true },
	{ "m_split", op_split, 3, true },
	{ "m_defrag", op_defrag, 2, true },
	{ "m_collapse", op_collapse, 2, true },
	{ "m_unshare", op_unshare, 2, true },
	{ "m_dup", op_dup, 1, true },
	{ "m_copypacket", op_copypacket, 1, true },
};

static const struct model_op *model_pick(struct model *md)
{
	int i, total = 0, r;

	for (i = 0; i < ARRAY_SIZE(model_ops); i++)
		total += model_ops[i].weight;
	r = model_rnd(md, 0, total - 1);
	for (i = 0; r >= model_ops[i].weight; i++)
		r -= model_ops[i].weight;
	return &model_ops[i];
}

/* The chain equals the model and keeps its invariants. */
static void model_verify(struct model *md)
{
	const char *why = mbuf_chain_invariants(md->m);
	int len = m_length(md->m, NULL);

	if (why)
		MODEL_FAIL(md, "%s", why);
	if (len != md->len || md->m->m_pkthdr.len != md->len) {
		MODEL_FAIL(md, "chain %d bytes, pkthdr.len %d, model %d", len,
			   md->m->m_pkthdr.len, md->len);
		return;
	}
	m_copydata(md->m, 0, len, (caddr_t)md->bytes);
	if (memcmp(md->bytes, md->buf, len))
		MODEL_FAIL(md, "chain bytes differ from the model");
	model_check_storage(md);
}

static void model_run(struct kunit *test, u64 seed)
{
	struct model *md = kunit_kzalloc(test, sizeof(*md), GFP_KERNEL);
	const struct model_op *op;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, md);
	md->test = test;
	md->seed = seed;
	md->rng = seed | 1;
	md->buf = kvmalloc(MODEL_CAP, GFP_KERNEL);
	md->tmp = kvmalloc(MODEL_CAP, GFP_KERNEL);
	md->bytes = kvmalloc(MODEL_CAP, GFP_KERNEL);
	for (i = 0; i < MODEL_NEXT; i++) {
		md->ext[i].buf = kunit_kmalloc(test, MODEL_EXTSZ, GFP_KERNEL);
		md->ext[i].snap = kunit_kmalloc(test, MODEL_EXTSZ, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, md->ext[i].buf);
		KUNIT_ASSERT_NOT_NULL(test, md->ext[i].snap);
		model_fill(md, md->ext[i].buf, MODEL_EXTSZ);
		memcpy(md->ext[i].snap, md->ext[i].buf, MODEL_EXTSZ);
	}
	if (!md->buf || !md->tmp || !md->bytes)
		goto out;
	model_restart(md);
	for (i = 0; i < 4; i++)
		model_add_segment(md);

	for (md->step = 0; md->step < MODEL_STEPS && !md->failed; md->step++) {
		op = model_pick(md);
		md->op = op->name;
		md->fault = op->faultable && !model_rnd(md, 0, 7);
		if (md->fault)
			mbuf_fault_set(MBUF_FAULT_ALL, model_rnd(md, 0, 2), 1);
		op->fn(md);
		if (md->fault)
			mbuf_fault_clear();
		model_verify(md);
		if (md->len > MODEL_MAX) {
			md->op = "trim";
			m_adj(md->m, -(md->len - MODEL_MAX / 2));
			md->len = MODEL_MAX / 2;
			model_verify(md);
		}
	}

	m_freem(md->m);
	for (i = 0; i < md->nw; i++)
		model_witness_free(&md->w[i]);
	for (i = 0; i < MODEL_NEXT; i++)
		KUNIT_EXPECT_EQ_MSG(test, md->ext[i].freed, md->ext[i].attached,
				    "seed %llu: external buffer %d", seed, i);
out:
	kvfree(md->buf);
	kvfree(md->tmp);
	kvfree(md->bytes);
}

static const int model_runs[] = { 0, 1, 2 };

static void model_run_desc(const int *run, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "run %d", *run);
}

KUNIT_ARRAY_PARAM(model_runs, model_runs, model_run_desc);

static void mbuf_chain_model_random(struct kunit *test)
{
	const int *run = test->param_value;
	u64 seed = chain_model_seed ? chain_model_seed + *run :
				      get_random_u64();

	kunit_info(test, "seed %llu, %d steps\n", seed, MODEL_STEPS);
	model_run(test, seed);
}

static struct kunit_case mbuf_chain_model_cases[] = {
	KUNIT_CASE_PARAM(mbuf_chain_model_random, model_runs_gen_params),
	{}
};

static struct kunit_suite mbuf_chain_model_suite = {
	.name = "mbuf_chain_model",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_chain_model_cases,
};

kunit_test_suite(mbuf_chain_model_suite);
