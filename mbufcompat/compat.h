/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kernel version differences, all in one place.
 *
 * This header is force-included into every object of the module (see
 * Kbuild), so the rest of the tree is written against the newest kernel
 * API we support (6.12) and reads like upstream code. Each difference is a
 * named macro or a small inline with a dated comment saying which kernel
 * changed what, so dropping an old kernel means deleting a branch here.
 *
 * Supported: 6.1 and 6.12 (Debian 12 and its backports).
 */
#ifndef MBUFCOMPAT_COMPAT_H
#define MBUFCOMPAT_COMPAT_H

#include <linux/version.h>
#include <linux/export.h>
#include <linux/slab.h>

/*
 * True when building against Linux a.b.c or later: each branch below opens
 * with "#if MBUF_LINUX_AT_LEAST(x, y, z)". The version is on the left only
 * because checkpatch takes LINUX_VERSION_CODE for a constant.
 */
#define MBUF_LINUX_AT_LEAST(a, b, c)					\
	(KERNEL_VERSION(a, b, c) <= LINUX_VERSION_CODE)

/*
 * Every exported symbol lives in the MBUFCOMPAT namespace. Until 6.13 the
 * namespace argument is a bare identifier (6.13 made it a string literal).
 */
#define MBUF_EXPORT(sym) EXPORT_SYMBOL_NS_GPL(sym, MBUFCOMPAT)

/*
 * 6.5: SLAB_NO_MERGE. Before it, a cache is kept out of slab merging (and
 * so keeps its own name in /proc/slabinfo) only by a constructor or a
 * flag in SLAB_NEVER_MERGE. Our caches have no constructor (a cache kept
 * at a leaky unload must not point into the freed module), so 6.1 gets
 * SLAB_TYPESAFE_BY_RCU: slab pages go back to the page allocator after an
 * RCU grace period, which changes nothing for mbufs, whose users never
 * look at an object after freeing it.
 */
#ifdef SLAB_NO_MERGE
#define MBUF_SLAB_NO_MERGE SLAB_NO_MERGE
#else
#define MBUF_SLAB_NO_MERGE SLAB_TYPESAFE_BY_RCU
#endif

/*
 * 6.8: kasan_mempool_poison_object() and kasan_mempool_unpoison_object(),
 * for caches of slab objects kept outside the slab allocator (renamed
 * from kasan_slab_free_mempool(), which had no counterpart). They are
 * not exported, so only a built-in mbufcompat (the KUnit kernels, where
 * KASAN runs) poisons what it caches; before 6.8, or as a module, the
 * helpers do nothing and a poison always succeeds. MBUF_KASAN_POISONS
 * says which.
 */
#if MBUF_LINUX_AT_LEAST(6, 8, 0) && IS_ENABLED(CONFIG_KASAN) && !defined(MODULE)
#include <linux/kasan.h>
#define MBUF_KASAN_POISONS 1
static inline bool mbuf_kasan_poison_object(void *obj)
{
	return kasan_mempool_poison_object(obj);
}

static inline void mbuf_kasan_unpoison_object(void *obj, size_t size)
{
	kasan_mempool_unpoison_object(obj, size);
}
#else
#define MBUF_KASAN_POISONS 0
static inline bool mbuf_kasan_poison_object(void *obj)
{
	return true;
}

static inline void mbuf_kasan_unpoison_object(void *obj, size_t size)
{
}
#endif

/* -- limits, sysctl and reclaim -- */
#include <linux/shrinker.h>
#include <linux/sysctl.h>

/*
 * 6.11: proc handlers take a const struct ctl_table. Handlers are declared
 * with MBUF_CTL_TABLE so one definition fits both.
 */
#if MBUF_LINUX_AT_LEAST(6, 11, 0)
#define MBUF_CTL_TABLE const struct ctl_table
#else
#define MBUF_CTL_TABLE struct ctl_table
#endif

/*
 * 6.6: register_sysctl() became a macro that passes ARRAY_SIZE(table) to
 * register_sysctl_sz(), and once tables are walked by that count (6.11
 * and later) an empty sentinel entry is checked like any other and
 * rejected for having no procname. 6.1 walks a table up to its sentinel.
 * Tables end with MBUF_SYSCTL_SENTINEL and are registered with
 * register_sysctl() on an array.
 */
#if MBUF_LINUX_AT_LEAST(6, 6, 0)
#define MBUF_SYSCTL_SENTINEL
#else
#define MBUF_SYSCTL_SENTINEL {}
#endif

/*
 * 6.7: the kernel allocates shrinkers (shrinker_alloc(), shrinker_register(),
 * shrinker_free()); before, the caller owns the structure and calls
 * register_shrinker(s, name) / unregister_shrinker(s). Both forms meet in
 * mbuf_shrinker_alloc() / mbuf_shrinker_register() / mbuf_shrinker_free();
 * the free undoes either step, registered or not.
 */
#if MBUF_LINUX_AT_LEAST(6, 7, 0)
static inline struct shrinker *mbuf_shrinker_alloc(const char *name)
{
	return shrinker_alloc(0, "%s", name);
}

static inline int mbuf_shrinker_register(struct shrinker *s, const char *name)
{
	shrinker_register(s);
	return 0;
}

static inline void mbuf_shrinker_free(struct shrinker *s)
{
	shrinker_free(s);
}
#else
static inline struct shrinker *mbuf_shrinker_alloc(const char *name)
{
	return kzalloc(sizeof(struct shrinker), GFP_KERNEL);
}

static inline int mbuf_shrinker_register(struct shrinker *s, const char *name)
{
	return register_shrinker(s, "%s", name);
}

static inline void mbuf_shrinker_free(struct shrinker *s)
{
	unregister_shrinker(s);		/* a no-op if it was not registered */
	kfree(s);
}
#endif
/* -- end of limits, sysctl and reclaim -- */

/* -- benchmarks -- */
/*
 * 6.6: <net/page_pool.h> was split into <net/page_pool/types.h> and
 * <net/page_pool/helpers.h> ("page_pool: split types and declarations
 * from page_pool.h"); the functions kept their names and arguments.
 * Included as "#include MBUF_PAGE_POOL_H"; the name is a string so that the
 * macro is a plain constant (the quoted form falls back to the same include
 * path as the angle-bracket one).
 */
#if MBUF_LINUX_AT_LEAST(6, 6, 0)
#define MBUF_PAGE_POOL_H "net/page_pool/helpers.h"
#else
#define MBUF_PAGE_POOL_H "net/page_pool.h"
#endif
/* -- end of benchmarks -- */

/* -- tracepoints -- */
/*
 * 6.10: __assign_str() takes only the field ("tracing/treewide: Remove
 * second parameter of __assign_str()"); the source comes from the
 * __string() declaration. Before, it is passed again. Only the zone events
 * (slow paths) carry a string.
 */
#if MBUF_LINUX_AT_LEAST(6, 10, 0)
#define mbuf_trace_assign_str(dst, src)	__assign_str(dst)
#else
#define mbuf_trace_assign_str(dst, src)	__assign_str(dst, src)
#endif
/* -- end of tracepoints -- */

/*
 * KASAN for buffers a zone caches (jumbo.c). Page memory has no exported
 * sub-page poison call in any supported kernel; generic KASAN's shadow
 * setters, which the compiler emits for stack variables, are exported
 * (since 4.x, so 6.1 and 6.12 alike) and mark any 8-byte-aligned range bad
 * (0xf8, an invalid-access marker) or good. Other KASAN modes, or none
 * (Debian's kernels, the lean 6.1 UML): nothing.
 */
#ifdef CONFIG_KASAN_GENERIC
#include <linux/kasan.h>
#include <linux/kasan-checks.h>

void __asan_set_shadow_00(const void *addr, ssize_t size);
void __asan_set_shadow_f8(const void *addr, ssize_t size);

/*
 * Poison @n bytes at @p; false if they were poisoned already (the buffer
 * was freed twice): then the access check reports the bad free, with the
 * caller's stack, and nothing changes.
 */
static inline bool mbuf_kasan_poison_range(const void *p, size_t n)
{
	if (*(const s8 *)kasan_mem_to_shadow(p) == (s8)0xf8) {
		kasan_check_read(p, 1);
		return false;
	}
	__asan_set_shadow_f8(kasan_mem_to_shadow(p),
			     n >> KASAN_SHADOW_SCALE_SHIFT);
	return true;
}

static inline void mbuf_kasan_unpoison_range(const void *p, size_t n)
{
	__asan_set_shadow_00(kasan_mem_to_shadow(p),
			     n >> KASAN_SHADOW_SCALE_SHIFT);
}
#else
static inline bool mbuf_kasan_poison_range(const void *p, size_t n)
{
	return true;
}

static inline void mbuf_kasan_unpoison_range(const void *p, size_t n)
{
}
#endif

#endif /* MBUFCOMPAT_COMPAT_H */
