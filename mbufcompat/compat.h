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
 * so keeps its own name in /proc/slabinfo) only by having a constructor,
 * which every mbuf cache has anyway.
 */
#ifdef SLAB_NO_MERGE
#define MBUF_SLAB_NO_MERGE SLAB_NO_MERGE
#else
#define MBUF_SLAB_NO_MERGE 0
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

#endif /* MBUFCOMPAT_COMPAT_H */
