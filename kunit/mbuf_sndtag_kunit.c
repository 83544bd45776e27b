// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_sndtag: FreeBSD 14 send tags on Linux network devices.
 *
 * Strategy. Each case makes a dummy Ethernet net_device (alloc_netdev with
 * ether_setup, never registered: its reference count works the same) and
 * plays the driver: a test allocator, registered for the device with
 * mbuf_snd_tag_register(), allocates a tag embedding struct m_snd_tag and
 * calls m_snd_tag_init() with a method table whose snd_tag_free records
 * the call. Against FreeBSD's m_snd_tag_alloc/_init/_destroy and the
 * refcount(9) semantics of m_snd_tag_ref/_rele the cases check:
 *  - the tag holds exactly one device reference (netdev_refcnt_read) from
 *    m_snd_tag_init() until its last m_snd_tag_rele(), and the live count
 *    (num_snd_tags) moves with it;
 *  - snd_tag_free runs exactly once, on the last release, not before;
 *  - m_snd_tag_alloc() reaches the registered allocator with the caller's
 *    parameters, says EOPNOTSUPP without one (never registered, or after
 *    mbuf_snd_tag_unregister()), and refuses a second registration;
 *  - it works with bottom halves and interrupts off (M_NOWAIT drivers);
 *  - freeing a packet that carries a tag (CSUM_SND_TAG) drops the
 *    packet's reference, as m_free() does in FreeBSD;
 *  - a count gone wrong (past INT_MAX, a release on 0, a reference on 0)
 *    saturates and warns as a refcount_t does, and a saturated tag is
 *    never destroyed, however often it is released.
 * Every case ends with the device's count and the live count back where
 * they started and the zones at their baseline.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/if_var.h>
#include "mbuf_kpi_kunit.h"
#include "mbuf_logexpect.h"

struct mbuf_sndtag_test_tag {
	struct m_snd_tag	mst;		/* first, as drivers embed it */
	union if_snd_tag_alloc_params params;	/* what the allocator got */
	int			*freed;		/* snd_tag_free calls */
};

struct mbuf_sndtag_ctx {
	struct net_device	*dev;
	int			refcnt0;	/* device references at start */
	long			live0;		/* live tags at start */
	int			freed;
	int			allocs;
};

static struct mbuf_sndtag_ctx *mbuf_sndtag_cur;

static void mbuf_sndtag_test_free(struct m_snd_tag *mst)
{
	struct mbuf_sndtag_test_tag *t =
		container_of(mst, struct mbuf_sndtag_test_tag, mst);

	(*t->freed)++;
	kfree(t);
}

static const struct if_snd_tag_sw mbuf_sndtag_test_sw = {
	.snd_tag_free	= mbuf_sndtag_test_free,
	.type		= IF_SND_TAG_TYPE_RATE_LIMIT,
};

/* The "driver": any context (M_NOWAIT requests come from atomic ones). */
static int mbuf_sndtag_test_alloc(struct ifnet *ifp,
				  union if_snd_tag_alloc_params *params,
				  struct m_snd_tag **mstp)
{
	struct mbuf_sndtag_test_tag *t;

	t = kzalloc(sizeof(*t), params->rate_limit.flags & M_WAITOK ?
		    GFP_KERNEL : GFP_ATOMIC);
	if (t) {
		t->params = *params;
		t->freed = &mbuf_sndtag_cur->freed;
		mbuf_sndtag_cur->allocs++;
		m_snd_tag_init(&t->mst, ifp, &mbuf_sndtag_test_sw);
		*mstp = &t->mst;
	}
	return t ? 0 : ENOMEM;
}

static int mbuf_sndtag_test_init(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx;
	int err;

	err = mbuf_kunit_init(test);
	if (err)
		return err;
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->dev = alloc_netdev(0, "mbst%d", NET_NAME_UNKNOWN, ether_setup);
	if (!ctx->dev)
		return -ENOMEM;
	ctx->refcnt0 = netdev_refcnt_read(ctx->dev);
	ctx->live0 = mbuf_snd_tag_count();
	mbuf_sndtag_cur = ctx;
	return 0;
}

static void mbuf_sndtag_test_exit(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;

	if (ctx) {
		mbuf_snd_tag_unregister(ctx->dev);
		KUNIT_EXPECT_EQ(test, netdev_refcnt_read(ctx->dev),
				ctx->refcnt0);
		KUNIT_EXPECT_EQ(test, mbuf_snd_tag_count(), ctx->live0);
		KUNIT_EXPECT_EQ(test, ctx->freed, ctx->allocs);
		free_netdev(ctx->dev);
		mbuf_sndtag_cur = NULL;
	}
	mbuf_kunit_exit(test);
}

static union if_snd_tag_alloc_params mbuf_sndtag_params(u64 rate, int how)
{
	union if_snd_tag_alloc_params p = {
		.rate_limit = {
			.hdr = {
				.type = IF_SND_TAG_TYPE_RATE_LIMIT,
				.flowid = 0x1234,
				.flowtype = M_HASHTYPE_RSS_TCP_IPV4,
				.numa_domain = M_NODOM,
			},
			.max_rate = rate,
			.flags = how,
		},
	};

	return p;
}

/* Without a registered allocator there are no send tags. */
static void mbuf_sndtag_unsupported(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;
	union if_snd_tag_alloc_params p = mbuf_sndtag_params(1000, M_WAITOK);
	struct m_snd_tag *mst = NULL;

	KUNIT_EXPECT_EQ(test, m_snd_tag_alloc(ctx->dev, &p, &mst), EOPNOTSUPP);
	KUNIT_EXPECT_NULL(test, mst);
	/* unregistering a device never registered does nothing */
	mbuf_snd_tag_unregister(ctx->dev);
	KUNIT_EXPECT_EQ(test, ctx->allocs, 0);
}

/* A tag holds one device reference and counts as live until destroyed. */
static void mbuf_sndtag_lifecycle(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;
	union if_snd_tag_alloc_params p = mbuf_sndtag_params(125000, M_WAITOK);
	struct mbuf_sndtag_test_tag *t;
	struct m_snd_tag *mst = NULL;

	KUNIT_ASSERT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc), 0);
	KUNIT_ASSERT_EQ(test, m_snd_tag_alloc(ctx->dev, &p, &mst), 0);
	KUNIT_ASSERT_NOT_NULL(test, mst);
	t = container_of(mst, struct mbuf_sndtag_test_tag, mst);

	/* m_snd_tag_init(): interface, methods, one reference */
	KUNIT_EXPECT_PTR_EQ(test, mst->ifp, ctx->dev);
	KUNIT_EXPECT_PTR_EQ(test, mst->sw, &mbuf_sndtag_test_sw);
	KUNIT_EXPECT_EQ(test, mst->refcount, 1U);
	KUNIT_EXPECT_EQ(test, netdev_refcnt_read(ctx->dev), ctx->refcnt0 + 1);
	KUNIT_EXPECT_EQ(test, mbuf_snd_tag_count(), ctx->live0 + 1);
	/* the allocator saw the caller's request */
	KUNIT_EXPECT_EQ(test, t->params.hdr.type, IF_SND_TAG_TYPE_RATE_LIMIT);
	KUNIT_EXPECT_EQ(test, t->params.hdr.flowid, 0x1234U);
	KUNIT_EXPECT_EQ(test, t->params.rate_limit.max_rate, 125000ULL);

	/* more references: still one device reference, not freed */
	KUNIT_EXPECT_PTR_EQ(test, m_snd_tag_ref(mst), mst);
	m_snd_tag_ref(mst);
	KUNIT_EXPECT_EQ(test, mst->refcount, 3U);
	m_snd_tag_rele(mst);
	m_snd_tag_rele(mst);
	KUNIT_EXPECT_EQ(test, mst->refcount, 1U);
	KUNIT_EXPECT_EQ(test, ctx->freed, 0);
	KUNIT_EXPECT_EQ(test, netdev_refcnt_read(ctx->dev), ctx->refcnt0 + 1);

	/* the last release destroys: snd_tag_free once, device released */
	m_snd_tag_rele(mst);
	KUNIT_EXPECT_EQ(test, ctx->freed, 1);
	KUNIT_EXPECT_EQ(test, netdev_refcnt_read(ctx->dev), ctx->refcnt0);
	KUNIT_EXPECT_EQ(test, mbuf_snd_tag_count(), ctx->live0);
}

/* Several tags on one device: one device reference each. */
static void mbuf_sndtag_many(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;
	union if_snd_tag_alloc_params p = mbuf_sndtag_params(1, M_WAITOK);
	struct m_snd_tag *mst[8];
	int i;

	KUNIT_ASSERT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc), 0);
	for (i = 0; i < ARRAY_SIZE(mst); i++)
		KUNIT_ASSERT_EQ(test, m_snd_tag_alloc(ctx->dev, &p, &mst[i]), 0);
	KUNIT_EXPECT_EQ(test, netdev_refcnt_read(ctx->dev),
			ctx->refcnt0 + (int)ARRAY_SIZE(mst));
	KUNIT_EXPECT_EQ(test, mbuf_snd_tag_count(),
			ctx->live0 + (long)ARRAY_SIZE(mst));
	/* unregistering stops new tags, existing ones live on */
	mbuf_snd_tag_unregister(ctx->dev);
	KUNIT_EXPECT_EQ(test, m_snd_tag_alloc(ctx->dev, &p, &mst[0]),
			EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, ctx->freed, 0);
	for (i = 0; i < ARRAY_SIZE(mst); i++)
		m_snd_tag_rele(mst[i]);
	KUNIT_EXPECT_EQ(test, ctx->freed, (int)ARRAY_SIZE(mst));
}

static void mbuf_sndtag_register_twice(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;

	KUNIT_EXPECT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc), 0);
	KUNIT_EXPECT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc),
			EEXIST);
	mbuf_snd_tag_unregister(ctx->dev);
	KUNIT_EXPECT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc), 0);
}

struct mbuf_sndtag_atomic {
	struct net_device *dev;
	struct m_snd_tag *mst;
	int err;
};

static void mbuf_sndtag_atomic_fn(void *arg)
{
	struct mbuf_sndtag_atomic *a = arg;
	union if_snd_tag_alloc_params p = mbuf_sndtag_params(7, M_NOWAIT);

	a->err = m_snd_tag_alloc(a->dev, &p, &a->mst);
	if (!a->err) {
		m_snd_tag_ref(a->mst);
		m_snd_tag_rele(a->mst);
		m_snd_tag_rele(a->mst);
	}
}

/* M_NOWAIT tags come and go with bottom halves or interrupts off. */
static void mbuf_sndtag_atomic(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;
	struct mbuf_sndtag_atomic a = { .dev = ctx->dev };

	KUNIT_ASSERT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc), 0);
	mbuf_kunit_run_in(MBUF_CTX_SOFTIRQ, mbuf_sndtag_atomic_fn, &a);
	KUNIT_EXPECT_EQ(test, a.err, 0);
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_sndtag_atomic_fn, &a);
	KUNIT_EXPECT_EQ(test, a.err, 0);
	KUNIT_EXPECT_EQ(test, ctx->freed, 2);
}

/* m_freem() of a packet carrying a tag drops the packet's reference. */
static void mbuf_sndtag_packet(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;
	union if_snd_tag_alloc_params p = mbuf_sndtag_params(9, M_WAITOK);
	struct m_snd_tag *mst;
	struct mbuf *m;

	KUNIT_ASSERT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc), 0);
	KUNIT_ASSERT_EQ(test, m_snd_tag_alloc(ctx->dev, &p, &mst), 0);
	m = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->m_pkthdr.snd_tag = m_snd_tag_ref(mst);
	m->m_pkthdr.csum_flags |= CSUM_SND_TAG;
	KUNIT_EXPECT_EQ(test, mst->refcount, 2U);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, mst->refcount, 1U);
	KUNIT_EXPECT_EQ(test, ctx->freed, 0);
	m_snd_tag_rele(mst);
	KUNIT_EXPECT_EQ(test, ctx->freed, 1);
}

/* A tag of @ctx's device with one reference, or the case fails. */
static struct m_snd_tag *mbuf_sndtag_new(struct kunit *test,
					 struct mbuf_sndtag_ctx *ctx)
{
	union if_snd_tag_alloc_params p = mbuf_sndtag_params(11, M_WAITOK);
	struct m_snd_tag *mst = NULL;

	KUNIT_ASSERT_EQ(test, mbuf_snd_tag_register(ctx->dev,
						    mbuf_sndtag_test_alloc), 0);
	KUNIT_ASSERT_EQ(test, m_snd_tag_alloc(ctx->dev, &p, &mst), 0);
	KUNIT_ASSERT_NOT_NULL(test, mst);
	return mst;
}

/* Releases far beyond any count leave a saturated tag alive. */
static void mbuf_sndtag_expect_pinned(struct kunit *test,
				      struct mbuf_sndtag_ctx *ctx,
				      struct m_snd_tag *mst)
{
	int i;

	for (i = 0; i < 4; i++)
		m_snd_tag_rele(mst);
	m_snd_tag_ref(mst);
	KUNIT_EXPECT_EQ(test, mst->refcount, M_SND_TAG_REFCOUNT_SATURATED);
	KUNIT_EXPECT_EQ(test, ctx->freed, 0);
	KUNIT_EXPECT_EQ(test, mbuf_snd_tag_count(), ctx->live0 + 1);
}

/* Let the test's tag go after all: one reference, one release. */
static void mbuf_sndtag_unpin(struct kunit *test, struct mbuf_sndtag_ctx *ctx,
			      struct m_snd_tag *mst)
{
	WRITE_ONCE(mst->refcount, 1);
	m_snd_tag_rele(mst);
	KUNIT_EXPECT_EQ(test, ctx->freed, 1);
}

/*
 * A reference past INT_MAX saturates instead of counting on towards a wrap
 * to 0, from which a release would free a tag still referenced.
 */
static void mbuf_sndtag_overflow(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;
	struct m_snd_tag *mst = mbuf_sndtag_new(test, ctx);

	WRITE_ONCE(mst->refcount, INT_MAX - 1);
	m_snd_tag_ref(mst);
	KUNIT_EXPECT_EQ(test, mst->refcount, (u_int)INT_MAX);
	mbuf_log_expect_begin("reference count overflow");
	m_snd_tag_ref(mst);
	mbuf_log_expect_end();
	KUNIT_ASSERT_EQ(test, mst->refcount, M_SND_TAG_REFCOUNT_SATURATED);
	mbuf_sndtag_expect_pinned(test, ctx, mst);

	/* the old wrap: from UINT_MAX to 0 and 1, then a freeing release */
	WRITE_ONCE(mst->refcount, UINT_MAX);
	m_snd_tag_ref(mst);
	m_snd_tag_ref(mst);
	m_snd_tag_rele(mst);
	KUNIT_ASSERT_EQ(test, mst->refcount, M_SND_TAG_REFCOUNT_SATURATED);
	KUNIT_EXPECT_EQ(test, ctx->freed, 0);
	mbuf_sndtag_unpin(test, ctx, mst);
}

/*
 * A release or a reference on a count of 0 (a tag one release short of
 * freed twice) saturates: the tag is leaked, not destroyed again.
 */
static void mbuf_sndtag_underflow(struct kunit *test)
{
	struct mbuf_sndtag_ctx *ctx = mbuf_sndtag_cur;
	struct m_snd_tag *mst = mbuf_sndtag_new(test, ctx);

	WRITE_ONCE(mst->refcount, 0);
	mbuf_log_expect_begin("released once too often");
	m_snd_tag_rele(mst);
	mbuf_log_expect_end();
	KUNIT_ASSERT_EQ(test, mst->refcount, M_SND_TAG_REFCOUNT_SATURATED);
	mbuf_sndtag_expect_pinned(test, ctx, mst);

	WRITE_ONCE(mst->refcount, 0);
	mbuf_log_expect_begin("reference taken on a released tag");
	m_snd_tag_ref(mst);
	mbuf_log_expect_end();
	KUNIT_ASSERT_EQ(test, mst->refcount, M_SND_TAG_REFCOUNT_SATURATED);
	mbuf_sndtag_expect_pinned(test, ctx, mst);
	mbuf_sndtag_unpin(test, ctx, mst);
}

static struct kunit_case mbuf_sndtag_cases[] = {
	KUNIT_CASE(mbuf_sndtag_unsupported),
	KUNIT_CASE(mbuf_sndtag_lifecycle),
	KUNIT_CASE(mbuf_sndtag_many),
	KUNIT_CASE(mbuf_sndtag_register_twice),
	KUNIT_CASE(mbuf_sndtag_atomic),
	KUNIT_CASE(mbuf_sndtag_packet),
	KUNIT_CASE(mbuf_sndtag_overflow),
	KUNIT_CASE(mbuf_sndtag_underflow),
	{}
};

static struct kunit_suite mbuf_sndtag_suite = {
	.name = "mbuf_sndtag",
	.init = mbuf_sndtag_test_init,
	.exit = mbuf_sndtag_test_exit,
	.test_cases = mbuf_sndtag_cases,
};

kunit_test_suite(mbuf_sndtag_suite);
