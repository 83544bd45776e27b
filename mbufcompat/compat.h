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

#endif /* MBUFCOMPAT_COMPAT_H */
