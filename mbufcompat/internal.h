/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Internal interfaces between the module's files. Nothing here is part of
 * the KPI a ported driver sees (that is include/sys/mbuf.h).
 */
#ifndef MBUFCOMPAT_INTERNAL_H
#define MBUFCOMPAT_INTERNAL_H

#include <linux/types.h>
#include <sys/mbuf.h>
#include "zone.h"

#define MBUF_LOG_PREFIX "mbufcompat: "

/* mbuf.c: the per-allocation constructors and destructors of the zones */
int mb_ctor_mbuf(uma_zone_t zone, void *mem, void *arg, int how);
void mb_dtor_mbuf(uma_zone_t zone, void *mem, void *arg);
int mb_ctor_clust(uma_zone_t zone, void *mem, void *arg, int how);
int mb_ctor_pack(uma_zone_t zone, void *mem, void *arg, int how);
void mb_dtor_pack(uma_zone_t zone, void *mem, void *arg);

/* gfp flags for a FreeBSD "how" (M_NOWAIT / M_WAITOK) */
gfp_t mbuf_how_to_gfp(int how);

/*
 * Subsystems, in module init order; exits run in reverse. An init that
 * fails has undone its own work and the module load is refused.
 */
int mbuf_tunables_init(void);		/* limits.c: validate parameters */
int mbuf_zones_init(void);		/* zone.c (+ jumbo.c, packet.c) */
void mbuf_zones_exit(void);
void mbuf_tunables_apply(void);		/* limits.c: set the zone limits */
int mbuf_fault_init(void);		/* fault.c */
void mbuf_fault_exit(void);
int mbuf_reclaim_init(void);		/* reclaim.c: shrinker, drain work */
void mbuf_reclaim_exit(void);
int mbuf_sndtag_init(void);		/* sndtag.c */
void mbuf_sndtag_exit(void);
void mbuf_debugnet_exit(void);		/* debugnet.c: free the pools */
int mbuf_sysctl_init(void);		/* sysctl.c: /proc/sys/net/mbuf */
void mbuf_sysctl_exit(void);
int mbuf_stats_init(void);		/* stats.c: /proc/net/mbuf */
void mbuf_stats_exit(void);
int mbuf_selftest_init(void);		/* selftest.c: debugfs workloads */
void mbuf_selftest_exit(void);

/* debugfs directory of the module (NULL if debugfs is absent) */
extern struct dentry *mbuf_debugfs_dir;

#endif /* MBUFCOMPAT_INTERNAL_H */
