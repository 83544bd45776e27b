// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_trash: debug trashing of cached items (CONFIG_MBUFCOMPAT_TRASH),
 * FreeBSD's INVARIANTS trash_ctor/trash_dtor.
 *
 * Strategy. A use after free is planted on purpose: with interrupts off
 * (so the item cannot leave this CPU's magazine meanwhile, and KASAN sees
 * a live object), an item is freed into an emptied magazine, one byte of
 * it is changed, and the next allocation from the zone -- which hands the
 * same item back (the magazine is LIFO) -- must report exactly one
 * modified item. This is done for every zone, at the first and last byte
 * and in between; for the packet zone both in the mbuf's header and in
 * its cluster, and the pairing (m_ext) must come back intact. The same
 * cycle without the write must report nothing (no false alarm), so a
 * trashing that checked nothing, or everything, fails. Without the option
 * the cases are skipped: enable CONFIG_MBUFCOMPAT_TRASH in one test
 * kernel to run them.
 */
#include <kunit/test.h>
#include "mbuf_kpi_kunit.h"

struct mbuf_trash_case {
	const char *desc;
	enum mbuf_zone_id zone;
	bool in_cluster;	/* packets: write the cluster, not the mbuf */
	int off;		/* byte written; -1: none */
};

static const struct mbuf_trash_case mbuf_trash_cases[] = {
	{ "mbuf, first byte", MBZ_MBUF, false, 0 },
	{ "mbuf, last byte", MBZ_MBUF, false, MSIZE - 1 },
	{ "cluster", MBZ_CLUST, false, 1000 },
	{ "packet, mbuf header", MBZ_PACK, false, 40 },
	{ "packet, cluster first byte", MBZ_PACK, true, 0 },
	{ "packet, cluster last byte", MBZ_PACK, true, MCLBYTES - 1 },
	{ "page jumbo, last byte", MBZ_JUMBOP, false, MJUMPAGESIZE - 1 },
	{ "9k jumbo", MBZ_JUMBO9, false, 5000 },
	{ "16k jumbo, last byte", MBZ_JUMBO16, false, MJUM16BYTES - 1 },
};

static void mbuf_trash_desc(const struct mbuf_trash_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_trash, mbuf_trash_cases, mbuf_trash_desc);

#if IS_ENABLED(CONFIG_MBUFCOMPAT_TRASH)

static void *mbuf_trash_get(enum mbuf_zone_id z, int how)
{
	switch (z) {
	case MBZ_MBUF:
		return m_get(how, MT_DATA);
	case MBZ_PACK:
		return m_getcl(how, MT_DATA, M_PKTHDR);
	default:
		return uma_zalloc(MBZ(z), how);
	}
}

static void mbuf_trash_put(enum mbuf_zone_id z, void *item)
{
	if (z == MBZ_MBUF || z == MBZ_PACK)
		m_free(item);
	else
		uma_zfree(MBZ(z), item);
}

struct mbuf_trash_plant {
	const struct mbuf_trash_case *c;
	bool write;
	void *item, *again;
	unsigned long reports;
};

/* Interrupts off: free into an empty magazine, write, allocate again. */
static void mbuf_trash_plant_fn(void *arg)
{
	struct mbuf_trash_plant *p = arg;
	const struct mbuf_trash_case *c = p->c;
	u8 *target = p->item;
	unsigned long before;

	if (c->in_cluster)
		target = (u8 *)((struct mbuf *)p->item)->m_ext.ext_buf;
	mbuf_zone_flush_local(MBZ(c->zone));
	mbuf_trash_put(c->zone, p->item);
	if (p->write)
		target[c->off] ^= 0x5a;		/* the use after free */
	before = mbuf_trash_errors();
	p->again = mbuf_trash_get(c->zone, M_NOWAIT);
	p->reports = mbuf_trash_errors() - before;
}

static void mbuf_trash_run(struct kunit *test, bool write)
{
	struct mbuf_trash_plant p = { .c = test->param_value, .write = write };
	struct mbuf *m;
	char *cl = NULL;

	p.item = mbuf_trash_get(p.c->zone, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, p.item);
	if (p.c->zone == MBZ_PACK)
		cl = ((struct mbuf *)p.item)->m_ext.ext_buf;
	mbuf_trash_expect(true);
	mbuf_kunit_run_in(MBUF_CTX_HARDIRQ, mbuf_trash_plant_fn, &p);
	mbuf_trash_expect(false);

	KUNIT_ASSERT_NOT_NULL(test, p.again);
	KUNIT_EXPECT_PTR_EQ(test, p.again, p.item);
	KUNIT_EXPECT_EQ(test, p.reports, write ? 1UL : 0UL);
	if (p.c->zone == MBZ_PACK) {
		/* the pairing survived the cache */
		m = p.again;
		KUNIT_EXPECT_PTR_EQ(test, m->m_ext.ext_buf, cl);
		KUNIT_EXPECT_PTR_EQ(test, m->m_data, cl);
		KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, EXT_PACKET);
		KUNIT_EXPECT_EQ(test, m->m_ext.ext_size, (u32)MCLBYTES);
		KUNIT_EXPECT_EQ(test, m_extrefcnt(m), 1U);
		KUNIT_EXPECT_TRUE(test, m->m_flags & M_PKTHDR);
	}
	mbuf_trash_put(p.c->zone, p.again);
}

static void mbuf_trash_detects(struct kunit *test)
{
	mbuf_trash_run(test, true);
}

static void mbuf_trash_quiet(struct kunit *test)
{
	mbuf_trash_run(test, false);
}

#else /* !CONFIG_MBUFCOMPAT_TRASH */

static void mbuf_trash_detects(struct kunit *test)
{
	kunit_skip(test, "CONFIG_MBUFCOMPAT_TRASH is off");
}

static void mbuf_trash_quiet(struct kunit *test)
{
	kunit_skip(test, "CONFIG_MBUFCOMPAT_TRASH is off");
}

#endif /* CONFIG_MBUFCOMPAT_TRASH */

static struct kunit_case mbuf_trash_test_cases[] = {
	KUNIT_CASE_PARAM(mbuf_trash_quiet, mbuf_trash_gen_params),
	KUNIT_CASE_PARAM(mbuf_trash_detects, mbuf_trash_gen_params),
	{}
};

static struct kunit_suite mbuf_trash_suite = {
	.name = "mbuf_trash",
	.init = mbuf_kunit_init,
	.exit = mbuf_kunit_exit,
	.test_cases = mbuf_trash_test_cases,
};

kunit_test_suite(mbuf_trash_suite);
