// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_jumbo: 2 KiB, page-sized, 9 KiB and 16 KiB clusters from the page
 * allocator (the suite keeps its name; it covers every cluster zone).
 *
 * Strategy. Each case runs once per cluster zone. Enough buffers are taken
 * to span several blocks; every one must be physically contiguous (the
 * page frame numbers run on without a gap across the whole buffer, so it
 * is one DMA segment), not vmalloc memory, inside one naturally aligned
 * compound block at a multiple of the buffer size (so 16 KiB clusters are
 * 16 KiB aligned, page clusters page aligned). The memory report must show
 * the layout (on 4 KiB pages: 9 KiB buffers 7 per order-4 block, 3 per
 * order-3 fallback; 2 KiB clusters 16 per order-3 block of single pages,
 * two MCLBYTES-aligned clusters a page) and an efficiency of at least 84 %
 * for 9 KiB, 99 % for 2 KiB (98 % for the others, descriptors included);
 * a 2 KiB cluster is never slab memory, lies in one page, and its page
 * has a reference count of its own; once everything is freed and the
 * caches flushed, no block may remain. With an mbuf as argument the
 * cluster is attached to it with the zone's EXT_* type. Injected failures
 * return NULL for M_NOWAIT and count a failure; M_WAITOK never fails. In-use
 * counts are checked after each case (mbuf_zk_exit()). A free of anything
 * that is not an allocated buffer of the zone (a slab object, vmalloc
 * memory, a page of someone else's, another zone's buffer, a buffer's
 * inside, a second free) is refused and counted, without an oops, and
 * the zone still works.
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "mbuf_zone_kunit.h"

static const enum mbuf_zone_id mbuf_jk_zones[] = {
	MBZ_CLUST, MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
};

static void mbuf_jk_desc(const enum mbuf_zone_id *id, char *desc)
{
	strscpy(desc, MBZ(*id)->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mbuf_jk, mbuf_jk_zones, mbuf_jk_desc);

static uma_zone_t mbuf_jk_zone(struct kunit *test)
{
	return MBZ(*(const enum mbuf_zone_id *)test->param_value);
}

/* Buffers for three preferred blocks and one more. */
static int mbuf_jk_count(uma_zone_t z)
{
	struct mbuf_zone_mem mem;

	mbuf_zone_mem_info(z, &mem);
	return 3 * mem.pref_items + 1;
}

static void mbuf_jk_check_buffer(struct kunit *test, uma_zone_t z, char *buf)
{
	struct page *head = virt_to_head_page(buf);
	unsigned long pfn0 = page_to_pfn(virt_to_page(buf));
	char *base = page_address(head);
	unsigned long off;

	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(buf));
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(buf));
	/* One run of page frames from the first byte to the last. */
	for (off = PAGE_SIZE - offset_in_page(buf); off < z->size;
	     off += PAGE_SIZE)
		KUNIT_EXPECT_EQ(test, page_to_pfn(virt_to_page(buf + off)),
				pfn0 + (offset_in_page(buf) + off) / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, page_to_pfn(virt_to_page(buf + z->size - 1)),
			pfn0 + (offset_in_page(buf) + z->size - 1) / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, virt_to_phys(buf + z->size - 1) - virt_to_phys(buf),
			(phys_addr_t)z->size - 1);
	/* Inside one aligned block, at a multiple of the buffer size. */
	KUNIT_EXPECT_PTR_EQ(test, virt_to_head_page(buf + z->size - 1), head);
	KUNIT_EXPECT_FALSE(test, PageSlab(head));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(page_to_phys(head),
					   PAGE_SIZE << compound_order(head)));
	KUNIT_EXPECT_EQ(test, (unsigned long)(buf - base) % z->size, 0UL);
	if (is_power_of_2(z->size))
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(virt_to_phys(buf), z->size));
}

static void mbuf_jumbo_contiguous(struct kunit *test)
{
	uma_zone_t z = mbuf_jk_zone(test);
	int i, n = mbuf_jk_count(z);
	char **bufs;

	bufs = kunit_kcalloc(test, n, sizeof(*bufs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bufs);
	for (i = 0; i < n; i++) {
		bufs[i] = uma_zalloc(z, i & 1 ? M_NOWAIT : M_WAITOK);
		KUNIT_ASSERT_NOT_NULL(test, bufs[i]);
		memset(bufs[i], i, z->size);	/* KASAN: all of it is ours */
		mbuf_jk_check_buffer(test, z, bufs[i]);
	}
	for (i = 0; i < n; i++)
		uma_zfree(z, bufs[i]);
}

static void mbuf_jumbo_efficiency(struct kunit *test)
{
	uma_zone_t z = mbuf_jk_zone(test);
	int i, n = mbuf_jk_count(z);
	struct mbuf_zone_mem mem;
	void **bufs;

	bufs = kunit_kcalloc(test, n, sizeof(*bufs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bufs);
	mbuf_zk_quiesce();
	for (i = 0; i < n; i++) {
		bufs[i] = uma_zalloc(z, M_WAITOK);
		KUNIT_ASSERT_NOT_NULL(test, bufs[i]);
	}
	mbuf_zone_mem_info(z, &mem);
	KUNIT_EXPECT_GE(test, mem.items, (unsigned long)n);
	KUNIT_EXPECT_GT(test, mem.blocks, 0UL);
	KUNIT_EXPECT_EQ(test, mem.usable_bytes, mem.items * z->size);
	kunit_info(test, "%s: %lu blocks, %lu items, %lu of %lu bytes usable (%lu.%lu %%)\n",
		   z->name, mem.blocks, mem.items, mem.usable_bytes,
		   mem.backing_bytes, mem.usable_bytes * 100 / mem.backing_bytes,
		   mem.usable_bytes * 1000 / mem.backing_bytes % 10);
	if (z == zone_jumbo9)
		KUNIT_EXPECT_GE(test, mem.usable_bytes * 100, mem.backing_bytes * 84);
	else if (z == zone_clust)
		KUNIT_EXPECT_GE(test, mem.usable_bytes * 100, mem.backing_bytes * 99);
	else
		KUNIT_EXPECT_GE(test, mem.usable_bytes * 100, mem.backing_bytes * 98);
	if (PAGE_SIZE == 4096 && z == zone_jumbo9) {
		KUNIT_EXPECT_EQ(test, mem.pref_order, 4U);
		KUNIT_EXPECT_EQ(test, mem.pref_items, 7U);
		KUNIT_EXPECT_EQ(test, mem.min_order, 3U);
		KUNIT_EXPECT_EQ(test, mem.min_items, 3U);
	}
	if (PAGE_SIZE == 4096 && z == zone_clust) {
		KUNIT_EXPECT_EQ(test, mem.pref_order, 3U);
		KUNIT_EXPECT_EQ(test, mem.pref_items, 16U);
		KUNIT_EXPECT_EQ(test, mem.min_order, 0U);
		KUNIT_EXPECT_EQ(test, mem.min_items, 2U);
	}
	for (i = 0; i < n; i++)
		uma_zfree(z, bufs[i]);

	/* All back: every block went back to the page allocator. */
	mbuf_zone_flush_all(z);
	mbuf_zone_mem_info(z, &mem);
	KUNIT_EXPECT_EQ(test, mem.blocks, 0UL);
	KUNIT_EXPECT_EQ(test, mem.items, 0UL);
	KUNIT_EXPECT_EQ(test, mem.backing_bytes, 0UL);
}

/* With an mbuf as argument, the cluster is attached to it. */
static void mbuf_jumbo_attach(struct kunit *test)
{
	static const int type[] = {
		[MBZ_CLUST] = EXT_CLUSTER,
		[MBZ_JUMBOP] = EXT_JUMBOP,
		[MBZ_JUMBO9] = EXT_JUMBO9,
		[MBZ_JUMBO16] = EXT_JUMBO16,
	};
	uma_zone_t z = mbuf_jk_zone(test);
	struct mbuf *m;
	void *cl;

	m = mbuf_zk_alloc(zone_mbuf, M_WAITOK);
	cl = uma_zalloc_arg(z, m, M_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, cl);
	KUNIT_EXPECT_TRUE(test, m->m_flags & M_EXT);
	KUNIT_EXPECT_PTR_EQ(test, (void *)m->m_ext.ext_buf, cl);
	KUNIT_EXPECT_PTR_EQ(test, (void *)m->m_data, cl);
	KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_size, z->size);
	KUNIT_EXPECT_EQ(test, (int)m->m_ext.ext_type, type[z->id]);
	KUNIT_EXPECT_EQ(test, (u32)m->m_ext.ext_count, 1U);
	uma_zfree(z, cl);
	m->m_flags &= ~M_EXT;
	uma_zfree(zone_mbuf, m);
}

/* Injected failures: M_NOWAIT gets NULL and a failure is counted. */
static void mbuf_jumbo_fault(struct kunit *test)
{
	uma_zone_t z = mbuf_jk_zone(test);
	unsigned long fails = mbuf_zk_stats(z).fails;
	void *a, *b;

	mbuf_fault_set(MBUF_FAULT_ZONE(z->id), 0, 1);
	KUNIT_EXPECT_NULL(test, uma_zalloc(z, M_NOWAIT));
	KUNIT_EXPECT_EQ(test, mbuf_zk_stats(z).fails, fails + 1);
	mbuf_fault_set(MBUF_FAULT_ZONE(z->id), 0, 1);
	a = uma_zalloc(z, M_WAITOK);
	KUNIT_EXPECT_NOT_NULL(test, a);
	mbuf_fault_clear();
	b = uma_zalloc(z, M_NOWAIT);
	KUNIT_EXPECT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 0UL);
	uma_zfree(z, a);
	uma_zfree(z, b);
}

/*
 * 2 KiB clusters: two a page, each MCLBYTES-aligned in one page; the page
 * is an ordinary one (not slab, not compound) with a reference count of
 * its own, which the sk_buff bridge relies on; a fresh block is zeroed.
 */
static void mbuf_jumbo_cluster_pages(struct kunit *test)
{
	int i, n = 2 * 16 + 2, same = 0;
	char **c;

	if (mbuf_jk_zone(test) != zone_clust)
		kunit_skip(test, "2 KiB clusters only");
	c = kunit_kcalloc(test, n, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	mbuf_zk_quiesce();
	for (i = 0; i < n; i++) {
		c[i] = uma_zalloc(zone_clust, M_WAITOK);
		KUNIT_ASSERT_NOT_NULL(test, c[i]);
	}
	for (i = 0; i < n; i++) {
		struct page *pg = virt_to_page(c[i]);

		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)c[i], MCLBYTES));
		KUNIT_EXPECT_PTR_EQ(test, virt_to_page(c[i] + MCLBYTES - 1), pg);
		KUNIT_EXPECT_FALSE(test, PageSlab(pg));
		KUNIT_EXPECT_FALSE(test, PageCompound(pg));
		KUNIT_EXPECT_EQ(test, page_count(pg), 1);
		if (i && virt_to_page(c[i - 1]) == pg)
			same++;
	}
	/* Fresh blocks hand out both halves of a page one after the other. */
	KUNIT_EXPECT_GE(test, same, n / 2 - 2);
	for (i = 0; i < n; i++)
		uma_zfree(zone_clust, c[i]);
}

/* Frees of what is not an allocated buffer are refused, not followed. */
static void mbuf_jumbo_bad_free(struct kunit *test)
{
	uma_zone_t z = mbuf_jk_zone(test);
	uma_zone_t other = z == zone_clust ? zone_jumbo9 : zone_clust;
	unsigned long bad = mbuf_pageblock_bad_frees();
	void *slab, *vm, *own, *foreign, *inner, *junk;
	struct page *pg;

	slab = kmalloc(z->size, GFP_KERNEL);
	vm = vmalloc(z->size);
	pg = alloc_page(GFP_KERNEL);
	foreign = uma_zalloc(other, M_WAITOK);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_EQ(test, mbuf_zone_get_batch(z, &own, 1, M_WAITOK), 1);
	inner = (char *)own + 64;
	junk = page_address(pg);
	set_page_private(pg, (unsigned long)slab);	/* not a descriptor */

	z->ops->release(z, &slab, 1);
	z->ops->release(z, &vm, 1);
	z->ops->release(z, &foreign, 1);
	z->ops->release(z, &inner, 1);
	z->ops->release(z, &junk, 1);
	set_page_private(pg, 0);
	KUNIT_EXPECT_EQ(test, mbuf_pageblock_bad_frees(), bad + 5);
	KUNIT_EXPECT_TRUE(test, mbuf_pageblock_owns(z, own));
	KUNIT_EXPECT_FALSE(test, mbuf_pageblock_owns(z, inner));
	KUNIT_EXPECT_FALSE(test, mbuf_pageblock_owns(z, slab));
	KUNIT_EXPECT_FALSE(test, mbuf_pageblock_owns(z, foreign));

	/* A double free: the second is refused (its block may be gone). */
	mbuf_zone_put_batch(z, &own, 1);
	z->ops->release(z, &own, 1);
	KUNIT_EXPECT_EQ(test, mbuf_pageblock_bad_frees(), bad + 6);

	/* The zone is not the worse for it. */
	own = uma_zalloc(z, M_WAITOK);
	KUNIT_EXPECT_NOT_NULL(test, own);
	uma_zfree(z, own);
	uma_zfree(other, foreign);
	__free_page(pg);
	vfree(vm);
	kfree(slab);
}

static struct kunit_case mbuf_jumbo_cases[] = {
	KUNIT_CASE_PARAM(mbuf_jumbo_contiguous, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_efficiency, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_attach, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_fault, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_cluster_pages, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_bad_free, mbuf_jk_gen_params),
	{}
};

static struct kunit_suite mbuf_jumbo_suite = {
	.name = "mbuf_jumbo",
	.init = mbuf_zk_init,
	.exit = mbuf_zk_exit,
	.test_cases = mbuf_jumbo_cases,
};

kunit_test_suite(mbuf_jumbo_suite);
