// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_busdma: FreeBSD's bus_dma(9) for mbufs over Linux's DMA API.
 *
 * Strategy. A root device of the test's own, given a 64-bit DMA mask,
 * stands for the hardware: Linux maps for it directly (no IOMMU), so the
 * cases see real DMA mappings, syncs and unmaps (checked by DMA-API
 * debugging where the kernel has it). Against FreeBSD's semantics:
 *  - tags: inheritance of the parent's boundary, bad arguments (EINVAL),
 *    EBUSY while maps exist, injected allocation failure (ENOMEM);
 *  - bus_dmamap_load_mbuf_sg: one segment per mbuf of a chain, segment
 *    lengths and total equal to the data, maxsegsz splits, no segment
 *    crossing the boundary (a 9 KiB cluster at 4 KiB boundaries), EFBIG
 *    past nsegments with the map left unloaded, then m_defrag() and a
 *    successful retry, the pages of an unmapped (M_EXTPG) mbuf, and no
 *    load of a map already loaded or of a chain without a packet header;
 *  - syncs of every BUS_DMASYNC_* combination on loaded maps;
 *  - bus_dmamem_alloc: zeroed coherent memory of maxsize, loaded with
 *    bus_dmamap_load (one segment, callback before return), freed.
 * Every mbuf and cluster is back at its zone's baseline at the end.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <machine/bus.h>
#include <sys/bus_dma.h>
#include "mbuf_kpi_kunit.h"

struct mbuf_busdma_ctx {
	struct device	*dev;
	u64		mask;
};

static struct mbuf_busdma_ctx *mbuf_busdma_dev(struct kunit *test)
{
	struct mbuf_busdma_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->dev = root_device_register("mbuf_busdma_test");
	if (IS_ERR(c->dev))
		return NULL;
	c->mask = DMA_BIT_MASK(64);
	c->dev->dma_mask = &c->mask;
	c->dev->coherent_dma_mask = DMA_BIT_MASK(64);
	return c;
}

static void mbuf_busdma_put(struct mbuf_busdma_ctx *c)
{
	root_device_unregister(c->dev);
}

static bus_dma_tag_t mbuf_busdma_tag(struct kunit *test, struct device *dev,
				     bus_addr_t boundary, int nsegs,
				     bus_size_t maxsegsz)
{
	bus_dma_tag_t tag;
	int error;

	error = bus_dma_tag_create(bus_get_dma_tag(dev), 1, boundary,
				   BUS_SPACE_MAXADDR, BUS_SPACE_MAXADDR,
				   NULL, NULL, 65536, nsegs, maxsegsz, 0,
				   NULL, NULL, &tag);
	KUNIT_EXPECT_EQ(test, error, 0);
	return error ? NULL : tag;
}

/* A packet of @n 2 KiB clusters with @len bytes each, filled. */
static struct mbuf *mbuf_busdma_chain(int n, int len)
{
	struct mbuf *m0 = NULL, **tail = &m0;
	int i;

	for (i = 0; i < n; i++) {
		struct mbuf *m = m_getcl(M_WAITOK, MT_DATA, i ? 0 : M_PKTHDR);

		if (!m) {
			m_freem(m0);
			return NULL;
		}
		memset(mtod(m, void *), i, len);
		m->m_len = len;
		*tail = m;
		tail = &m->m_next;
	}
	m0->m_pkthdr.len = n * len;
	return m0;
}

static bus_size_t mbuf_busdma_total(bus_dma_segment_t *segs, int n)
{
	bus_size_t t = 0;

	while (n--)
		t += segs[n].ds_len;
	return t;
}

static void mbuf_busdma_tags(struct kunit *test)
{
	struct mbuf_busdma_ctx *c = mbuf_busdma_dev(test);
	bus_dma_tag_t root, parent, child, bad;
	bus_dmamap_t map;

	KUNIT_ASSERT_NOT_NULL(test, c);
	root = bus_get_dma_tag(c->dev);
	KUNIT_EXPECT_NOT_NULL(test, root);
	KUNIT_EXPECT_NULL(test, bus_get_dma_tag(NULL));
	/* Bad arguments: no tag, EINVAL. */
	KUNIT_EXPECT_EQ(test, bus_dma_tag_create(NULL, 1, 0, BUS_SPACE_MAXADDR,
						 BUS_SPACE_MAXADDR, NULL, NULL,
						 4096, 1, 4096, 0, NULL, NULL,
						 &bad), EINVAL);
	KUNIT_EXPECT_NULL(test, bad);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_create(root, 3, 0, BUS_SPACE_MAXADDR,
						 BUS_SPACE_MAXADDR, NULL, NULL,
						 4096, 1, 4096, 0, NULL, NULL,
						 &bad), EINVAL);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_create(root, 1, 0, BUS_SPACE_MAXADDR,
						 BUS_SPACE_MAXADDR, NULL, NULL,
						 4096, 0, 4096, 0, NULL, NULL,
						 &bad), EINVAL);
	KUNIT_EXPECT_EQ(test, bus_dmamap_create(root, 0, &map), EINVAL);
	/* Injected allocation failure. */
	mbuf_fault_set(MBUF_FAULT_OTHER, 0, 1);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_create(root, 1, 0, BUS_SPACE_MAXADDR,
						 BUS_SPACE_MAXADDR, NULL, NULL,
						 4096, 1, 4096, 0, NULL, NULL,
						 &bad), ENOMEM);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
	/* The child inherits the parent's boundary. */
	parent = mbuf_busdma_tag(test, c->dev, 4096, 8, 65536);
	KUNIT_ASSERT_NOT_NULL(test, parent);
	KUNIT_ASSERT_EQ(test, bus_dma_tag_create(parent, 1, 0,
						 BUS_SPACE_MAXADDR,
						 BUS_SPACE_MAXADDR, NULL, NULL,
						 MJUM9BYTES, 8, MJUM9BYTES, 0,
						 NULL, NULL, &child), 0);
	KUNIT_ASSERT_EQ(test, bus_dmamap_create(child, BUS_DMA_NOWAIT, &map), 0);
	mbuf_fault_set(MBUF_FAULT_OTHER, 0, 1);
	{
		bus_dmamap_t map2;

		KUNIT_EXPECT_EQ(test, bus_dmamap_create(child, 0, &map2), ENOMEM);
		KUNIT_EXPECT_NULL(test, map2);
	}
	mbuf_fault_clear();
	{
		struct mbuf *m = m_getjcl(M_WAITOK, MT_DATA, M_PKTHDR, MJUM9BYTES);
		bus_dma_segment_t segs[8];
		int nsegs, i;

		KUNIT_ASSERT_NOT_NULL(test, m);
		m->m_len = 9000;
		m->m_pkthdr.len = 9000;
		KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(child, map, m, segs,
							      &nsegs, 0), 0);
		KUNIT_EXPECT_GE(test, nsegs, 3);	/* 9000 bytes, 4 KiB pieces */
		KUNIT_EXPECT_EQ(test, mbuf_busdma_total(segs, nsegs), 9000ULL);
		for (i = 0; i < nsegs; i++)
			KUNIT_EXPECT_EQ(test, segs[i].ds_addr >> 12,
					(segs[i].ds_addr + segs[i].ds_len - 1) >> 12);
		bus_dmamap_sync(child, map, BUS_DMASYNC_PREWRITE);
		bus_dmamap_sync(child, map, BUS_DMASYNC_POSTWRITE);
		/* Loaded: the tag and the map cannot go. */
		KUNIT_EXPECT_EQ(test, bus_dmamap_destroy(child, map), EBUSY);
		KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(child), EBUSY);
		bus_dmamap_unload(child, map);
		m_freem(m);
	}
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(child), EBUSY);
	KUNIT_EXPECT_EQ(test, bus_dmamap_destroy(child, map), 0);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(parent), 0);	/* child holds it */
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(child), 0);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(root), 0);	/* nothing to do */
	mbuf_busdma_put(c);
}

static void mbuf_busdma_chain_load(struct kunit *test)
{
	struct mbuf_busdma_ctx *c = mbuf_busdma_dev(test);
	bus_dma_segment_t segs[4];
	bus_dma_tag_t tag, tag2;
	bus_dmamap_t map;
	struct mbuf *m, *d;
	int nsegs, i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	tag = mbuf_busdma_tag(test, c->dev, 0, 4, MCLBYTES);
	KUNIT_ASSERT_NOT_NULL(test, tag);
	KUNIT_ASSERT_EQ(test, bus_dmamap_create(tag, 0, &map), 0);

	/* Three clusters, 1000 bytes each: three segments. */
	m = mbuf_busdma_chain(3, 1000);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(tag, map, m, segs, &nsegs,
						      BUS_DMA_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, nsegs, 3);
	for (i = 0; i < nsegs; i++)
		KUNIT_EXPECT_EQ(test, segs[i].ds_len, 1000ULL);
	/* Loading a loaded map is refused. */
	KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(tag, map, m, segs, &nsegs,
						      0), EINVAL);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREREAD | BUS_DMASYNC_PREWRITE);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_POSTREAD | BUS_DMASYNC_POSTWRITE);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREREAD);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_POSTREAD);
	bus_dmamap_unload(tag, map);
	m_freem(m);

	/* Six mbufs, four segments: EFBIG, unloaded; m_defrag, then fits. */
	m = mbuf_busdma_chain(6, 500);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(tag, map, m, segs, &nsegs,
						      BUS_DMA_NOWAIT), EFBIG);
	KUNIT_EXPECT_EQ(test, nsegs, 0);
	d = m_defrag(m, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(tag, map, d, segs, &nsegs,
						      BUS_DMA_NOWAIT), 0);
	KUNIT_EXPECT_LE(test, nsegs, 4);
	KUNIT_EXPECT_EQ(test, mbuf_busdma_total(segs, nsegs), 3000ULL);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREWRITE);
	bus_dmamap_unload(tag, map);
	m_freem(d);

	/* maxsegsz 512: a 2048-byte cluster is four segments. */
	KUNIT_ASSERT_EQ(test, bus_dma_tag_create(tag, 1, 0, BUS_SPACE_MAXADDR,
						 BUS_SPACE_MAXADDR, NULL, NULL,
						 MCLBYTES, 4, 512, 0, NULL, NULL,
						 &tag2), 0);
	bus_dmamap_destroy(tag, map);
	KUNIT_ASSERT_EQ(test, bus_dmamap_create(tag2, 0, &map), 0);
	m = mbuf_busdma_chain(1, MCLBYTES);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(tag2, map, m, segs, &nsegs,
						      0), 0);
	KUNIT_EXPECT_EQ(test, nsegs, 4);
	for (i = 0; i < nsegs; i++)
		KUNIT_EXPECT_EQ(test, segs[i].ds_len, 512ULL);
	bus_dmamap_unload(tag2, map);
	/* No packet header: refused. */
	m->m_flags &= ~M_PKTHDR;
	KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(tag2, map, m, segs, &nsegs,
						      0), EINVAL);
	m->m_flags |= M_PKTHDR;
	m_freem(m);
	KUNIT_EXPECT_EQ(test, bus_dmamap_destroy(tag2, map), 0);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(tag2), 0);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(tag), 0);
	mbuf_busdma_put(c);
}

static void mbuf_busdma_extpg(struct kunit *test)
{
	struct mbuf_busdma_ctx *c = mbuf_busdma_dev(test);
	bus_dma_segment_t segs[8];
	bus_dma_tag_t tag;
	bus_dmamap_t map;
	struct mbuf *m, *pg;
	int nsegs;

	KUNIT_ASSERT_NOT_NULL(test, c);
	tag = mbuf_busdma_tag(test, c->dev, 0, 8, PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, tag);
	KUNIT_ASSERT_EQ(test, bus_dmamap_create(tag, 0, &map), 0);
	/*
	 * An empty packet header mbuf (skipped), then three unmapped pages:
	 * 100 bytes into the first, 300 in the last.
	 */
	m = m_gethdr(M_WAITOK, MT_DATA);
	pg = mb_alloc_ext_plus_pages(3 * PAGE_SIZE, M_WAITOK);
	KUNIT_ASSERT_TRUE(test, m && pg);
	pg->m_epg_1st_off = 100;
	pg->m_epg_last_len = 300;
	pg->m_len = (PAGE_SIZE - 100) + PAGE_SIZE + 300;
	pg->m_ext.ext_size = 3 * PAGE_SIZE;
	m->m_next = pg;
	m->m_pkthdr.len = pg->m_len;
	KUNIT_EXPECT_EQ(test, bus_dmamap_load_mbuf_sg(tag, map, m, segs, &nsegs,
						      0), 0);
	/* maxsegsz is a page: adjacent pages cannot merge. */
	KUNIT_EXPECT_EQ(test, nsegs, 3);
	KUNIT_EXPECT_EQ(test, mbuf_busdma_total(segs, nsegs), (u64)pg->m_len);
	KUNIT_EXPECT_EQ(test, segs[0].ds_addr & (PAGE_SIZE - 1), 100ULL);
	/* Read-only for the device: the READ syncs are skipped. */
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREREAD | BUS_DMASYNC_PREWRITE);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_POSTWRITE);
	bus_dmamap_unload(tag, map);
	m_freem(m);
	KUNIT_EXPECT_EQ(test, bus_dmamap_destroy(tag, map), 0);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(tag), 0);
	mbuf_busdma_put(c);
}

struct mbuf_busdma_cb {
	int		calls;
	int		nseg;
	int		error;
	bus_addr_t	addr;
	bus_size_t	len;
};

static void mbuf_busdma_callback(void *arg, bus_dma_segment_t *segs, int nseg,
				 int error)
{
	struct mbuf_busdma_cb *cb = arg;

	cb->calls++;
	cb->nseg = nseg;
	cb->error = error;
	if (nseg) {
		cb->addr = segs[0].ds_addr;
		cb->len = segs[0].ds_len;
	}
}

static void mbuf_busdma_dmamem(struct kunit *test)
{
	struct mbuf_busdma_ctx *c = mbuf_busdma_dev(test);
	struct mbuf_busdma_cb cb = {};
	bus_dma_tag_t tag;
	bus_dmamap_t map;
	void *vaddr;
	u8 *p;
	int i, nonzero = 0;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, bus_dma_tag_create(bus_get_dma_tag(c->dev), 4096,
						 0, BUS_SPACE_MAXADDR,
						 BUS_SPACE_MAXADDR, NULL, NULL,
						 8192, 1, 8192, 0, NULL, NULL,
						 &tag), 0);
	KUNIT_ASSERT_EQ(test, bus_dmamem_alloc(tag, &vaddr, BUS_DMA_WAITOK |
					       BUS_DMA_ZERO | BUS_DMA_COHERENT,
					       &map), 0);
	KUNIT_ASSERT_NOT_NULL(test, vaddr);
	for (p = vaddr, i = 0; i < 8192; i++)
		nonzero += p[i] != 0;
	KUNIT_EXPECT_EQ(test, nonzero, 0);
	KUNIT_EXPECT_EQ(test, bus_dmamap_load(tag, map, vaddr, 8192,
					      mbuf_busdma_callback, &cb,
					      BUS_DMA_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, cb.calls, 1);
	KUNIT_EXPECT_EQ(test, cb.error, 0);
	KUNIT_EXPECT_EQ(test, cb.nseg, 1);
	KUNIT_EXPECT_EQ(test, cb.len, 8192ULL);
	KUNIT_EXPECT_EQ(test, cb.addr & 4095, 0ULL);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREWRITE);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_POSTREAD);
	bus_dmamap_unload(tag, map);
	/* Outside its memory: refused, the callback says so. */
	KUNIT_EXPECT_EQ(test, bus_dmamap_load(tag, map, (u8 *)vaddr + 4096, 8192,
					      mbuf_busdma_callback, &cb, 0), 0);
	KUNIT_EXPECT_EQ(test, cb.calls, 2);
	KUNIT_EXPECT_EQ(test, cb.error, EINVAL);
	KUNIT_EXPECT_EQ(test, cb.nseg, 0);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(tag), EBUSY);
	bus_dmamem_free(tag, vaddr, map);
	KUNIT_EXPECT_EQ(test, bus_dma_tag_destroy(tag), 0);
	mbuf_busdma_put(c);
}

static struct kunit_case mbuf_busdma_cases[] = {
	KUNIT_CASE(mbuf_busdma_tags),
	KUNIT_CASE(mbuf_busdma_chain_load),
	KUNIT_CASE(mbuf_busdma_extpg),
	KUNIT_CASE(mbuf_busdma_dmamem),
	{}
};

static struct kunit_suite mbuf_busdma_suite = {
	.name		= "mbuf_busdma",
	.init		= mbuf_kunit_init,
	.exit		= mbuf_kunit_exit,
	.test_cases	= mbuf_busdma_cases,
};

kunit_test_suite(mbuf_busdma_suite);
