// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Debug trashing of cached mbufs and clusters (CONFIG_MBUFCOMPAT_TRASH),
 * FreeBSD's INVARIANTS trash_ctor/trash_dtor for the mbuf zones.
 *
 * When an item is freed into a per-CPU magazine the zone layer calls
 * mbuf_trash_fill(), which overwrites it with a pattern; when the item
 * leaves the magazine again (handed to a caller, or given back to the
 * backend) it calls mbuf_trash_verify(), which checks the pattern is
 * intact. A difference means something wrote to the item after it was
 * freed: the zone, the item, the offset and the bytes found are reported
 * (rate-limited; the first report also dumps the stack of the allocation
 * that found it) and counted. The item is handed out regardless, as it
 * would have been without the check.
 *
 * What is trashed:
 *   mbuf, cluster and jumbo zones   the whole item (zone->size bytes)
 *   packet zone                     the mbuf up to its m_ext, and the
 *                                   whole cluster; m_ext, which pairs
 *                                   the two, must survive in the cache
 *
 * KASAN. Items in a magazine are live slab objects (or live pages) as far
 * as KASAN knows, so writing the pattern is legitimate, and an item is
 * only ever trashed between the zone layer taking it from a caller and
 * giving it to the backend. Memory already returned to the slab is never
 * touched, so a KASAN report still means what it says. The two catch
 * different things: KASAN a use after the item left the cache, trashing
 * a write while it sat in one.
 *
 * The backends (kmem_cache, jumbo blocks) may therefore receive items
 * whose trashed bytes hold the pattern, not what a constructor left.
 */
#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include "internal.h"

/* FreeBSD's uma_junk, in every 32-bit word of a trashed range. */
#define MBUF_TRASH_PATTERN	0xdeadc0deU
/* Bytes shown from the first corrupted one. */
#define MBUF_TRASH_SHOW		16

static atomic_long_t mbuf_trash_hits = ATOMIC_LONG_INIT(0);
static DEFINE_RATELIMIT_STATE(mbuf_trash_rs, 5 * HZ, 10);
/* Set by tests that plant a use after free: report, but dump no stack. */
static bool mbuf_trash_planted;

/* The mbuf part of a packet-zone item: everything before its m_ext. */
#define MBUF_TRASH_PACK_MBUF	offsetof(struct mbuf, m_ext)

static_assert(MBUF_TRASH_PACK_MBUF % sizeof(u32) == 0);
static_assert(MSIZE % sizeof(u32) == 0 && MCLBYTES % sizeof(u32) == 0);

static void mbuf_trash_range(void *p, size_t len)
{
	memset32(p, MBUF_TRASH_PATTERN, len / sizeof(u32));
}

/*
 * Report a modified item. @p/@len is the trashed range in which the byte
 * at @off differs; @what names the range within a packet-zone item.
 */
static void mbuf_trash_report(uma_zone_t zone, void *item, const char *what,
			      const u8 *p, size_t len, size_t off)
{
	static atomic_t stack_dumped = ATOMIC_INIT(0);
	size_t show = min_t(size_t, len - off, MBUF_TRASH_SHOW);

	atomic_long_inc(&mbuf_trash_hits);
	if (!__ratelimit(&mbuf_trash_rs))
		return;
	pr_err(MBUF_LOG_PREFIX "%suse after free in zone %s: item %p%s%s modified at offset %zu: %*ph\n",
	       READ_ONCE(mbuf_trash_planted) ? "(expected) " : "",
	       zone->name, item, what ? ", " : "", what ?: "", off,
	       (int)show, p + off);
	if (!READ_ONCE(mbuf_trash_planted) && !atomic_xchg(&stack_dumped, 1))
		dump_stack();
}

/* Check one trashed range; report the first byte that changed. */
static bool mbuf_trash_check(uma_zone_t zone, void *item, const char *what,
			     const void *p, size_t len)
{
	const u32 pattern = MBUF_TRASH_PATTERN;
	const u32 *w = p;
	size_t i, b;

	for (i = 0; i < len / sizeof(u32); i++) {
		if (likely(w[i] == pattern))
			continue;
		for (b = 0; b < sizeof(u32) - 1; b++)
			if (((const u8 *)&w[i])[b] != ((const u8 *)&pattern)[b])
				break;
		mbuf_trash_report(zone, item, what, p, len,
				  i * sizeof(u32) + b);
		return false;
	}
	return true;
}

/**
 * mbuf_trash_fill() - fill an item entering a per-CPU cache with the pattern
 * @zone: its zone
 * @item: the item, freed by its user
 */
void mbuf_trash_fill(uma_zone_t zone, void *item)
{
	struct mbuf *m = item;

	/* A private zone's cached items keep what its uminit set up. */
	if (zone->id == MBZ_PRIVATE)
		return;
	if (mbuf_zone_id_is_pair(zone->id)) {
		mbuf_trash_range(m->m_ext.ext_buf, m->m_ext.ext_size);
		mbuf_trash_range(m, MBUF_TRASH_PACK_MBUF);
	} else {
		mbuf_trash_range(item, zone->size);
	}
}

/**
 * mbuf_trash_verify() - check an item leaving a per-CPU cache
 * @zone: its zone
 * @item: the item, filled by mbuf_trash_fill() when it entered the cache
 *
 * Reports and counts a modified item; the item itself is left as found.
 */
void mbuf_trash_verify(uma_zone_t zone, void *item)
{
	struct mbuf *m = item;

	if (zone->id == MBZ_PRIVATE)
		return;
	if (mbuf_zone_id_is_pair(zone->id)) {
		if (mbuf_trash_check(zone, item, "mbuf header", m,
				     MBUF_TRASH_PACK_MBUF))
			mbuf_trash_check(zone, item, "cluster", m->m_ext.ext_buf,
					 m->m_ext.ext_size);
	} else {
		mbuf_trash_check(zone, item, NULL, item, zone->size);
	}
}

/* Modified items found since boot. */
unsigned long mbuf_trash_errors(void)
{
	return atomic_long_read(&mbuf_trash_hits);
}

/* Tests: reports from now on are of use-after-frees planted on purpose. */
void mbuf_trash_expect(bool planted)
{
	WRITE_ONCE(mbuf_trash_planted, planted);
}
