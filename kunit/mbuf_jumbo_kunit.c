// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_jumbo: page-sized, 9 KiB and 16 KiB clusters from the page
 * allocator.
 *
 * Strategy. Each case runs once per jumbo zone. Enough buffers are taken
 * to span several blocks; every one must be physically contiguous (the
 * page frame numbers run on without a gap across the whole buffer, so it
 * is one DMA segment), not vmalloc memory, inside one naturally aligned
 * compound block at a multiple of the buffer size (so 16 KiB clusters are
 * 16 KiB aligned, page clusters page aligned). The memory report must show
 * the layout (on 4 KiB pages: 9 KiB buffers 7 per order-4 block, 3 per
 * order-3 fallback) and an efficiency of at least 84 % for 9 KiB (98 % for
 * the others, descriptors included); once everything is freed and the
 * caches flushed, no block may remain. With an mbuf as argument the
 * cluster is attached to it with the zone's EXT_* type. Injected failures
 * return NULL for M_NOWAIT and count a failure; M_WAITOK never fails. In-use
 * counts are checked after each case (mbuf_zk_exit()).
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "mbuf_zone_kunit.h"

static const enum mbuf_zone_id mbuf_jk_zones[] = {
	MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
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
	else
		KUNIT_EXPECT_GE(test, mem.usable_bytes * 100, mem.backing_bytes * 98);
	if (PAGE_SIZE == 4096 && z == zone_jumbo9) {
		KUNIT_EXPECT_EQ(test, mem.pref_order, 4U);
		KUNIT_EXPECT_EQ(test, mem.pref_items, 7U);
		KUNIT_EXPECT_EQ(test, mem.min_order, 3U);
		KUNIT_EXPECT_EQ(test, mem.min_items, 3U);
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

static struct kunit_case mbuf_jumbo_cases[] = {
	KUNIT_CASE_PARAM(mbuf_jumbo_contiguous, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_efficiency, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_attach, mbuf_jk_gen_params),
	KUNIT_CASE_PARAM(mbuf_jumbo_fault, mbuf_jk_gen_params),
	{}
};

static struct kunit_suite mbuf_jumbo_suite = {
	.name = "mbuf_jumbo",
	.init = mbuf_zk_init,
	.exit = mbuf_zk_exit,
	.test_cases = mbuf_jumbo_cases,
};

kunit_test_suite(mbuf_jumbo_suite);
