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

/*
 * Reference counts of external storage, for mbuf.c and extpg.c. The count
 * is FreeBSD's volatile u_int, in the m_ext of the mbuf that first took
 * the storage (its carrier: EXT_FLAG_EMBREF) or elsewhere (ext_cnt). Every
 * access is READ_ONCE, WRITE_ONCE or atomic, so the qualifier is dropped.
 * A count of 1 belongs to the caller alone (nobody else can take a
 * reference through it), so changing it needs no atomic.
 */

/* Where the reference count of @m's external storage lives. */
static inline u_int *mb_refcnt(const struct mbuf *m)
{
	if (m->m_ext.ext_flags & EXT_FLAG_EMBREF)
		return (u_int *)&m->m_ext.ext_count;
	return (u_int *)m->m_ext.ext_cnt;
}

/* The count of @m's external storage (m_extrefcnt() without its check). */
static inline u_int mb_refs(const struct mbuf *m)
{
	return READ_ONCE(*mb_refcnt(m));
}

/* The mbuf whose m_ext.ext_count is @refcnt (meaningless for EXT_EXTREF). */
static inline struct mbuf *mb_refcnt_carrier(u_int *refcnt)
{
	return container_of(refcnt, struct mbuf, m_ext.ext_count);
}

/* Drop one reference; true if it was the last one. */
static inline bool mb_refcnt_release(u_int *refcnt)
{
	/*
	 * At one, the caller holds the only reference and nobody else can
	 * take one: skip the atomic and leave the count alone (it is reset
	 * by whoever attaches storage next).
	 */
	if (READ_ONCE(*refcnt) == 1)
		return true;
	return __atomic_sub_fetch(refcnt, 1, __ATOMIC_ACQ_REL) == 0;
}

/* Add @n references. */
static inline void mb_refcnt_add(u_int *refcnt, u_int n)
{
	if (READ_ONCE(*refcnt) == 1)
		WRITE_ONCE(*refcnt, 1 + n);
	else
		__atomic_add_fetch(refcnt, n, __ATOMIC_RELAXED);
}

/* Add one reference. */
static inline void mb_refcnt_acquire(u_int *refcnt)
{
	mb_refcnt_add(refcnt, 1);
}

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
#ifdef CONFIG_MBUFCOMPAT_DEBUG
int mbuf_fault_init(void);		/* fault.c */
void mbuf_fault_exit(void);
#else
static inline int mbuf_fault_init(void) { return 0; }
static inline void mbuf_fault_exit(void) { }
#endif
int mbuf_reclaim_init(void);		/* reclaim.c: shrinker, drain work */
void mbuf_reclaim_exit(void);
int mbuf_sndtag_init(void);		/* sndtag.c */
void mbuf_sndtag_exit(void);
void mbuf_debugnet_exit(void);		/* debugnet.c: free the pools */
int mbuf_sysctl_init(void);		/* sysctl.c: /proc/sys/net/mbuf */
void mbuf_sysctl_exit(void);
int mbuf_stats_init(void);		/* stats.c: /proc/net/mbuf */
void mbuf_stats_exit(void);
#ifdef CONFIG_MBUFCOMPAT_DEBUG
int mbuf_selftest_init(void);		/* selftest.c: debugfs workloads */
void mbuf_selftest_exit(void);
/* selftest.c: the "stress" workload (0, or -EIO if zones did not balance) */
int mbuf_selftest_stress(unsigned int nthreads, unsigned long iterations);
#else
static inline int mbuf_selftest_init(void) { return 0; }
static inline void mbuf_selftest_exit(void) { }
#endif
#if defined(CONFIG_MBUFCOMPAT_DEBUG) && defined(CONFIG_MBUFCOMPAT_TRACEPOINTS)
/* trace_workload.c: debugfs trace_workload, fires every tracepoint */
void mbuf_trace_workload_init(void);
void mbuf_trace_workload_exit(void);
#else
static inline void mbuf_trace_workload_init(void) { }
static inline void mbuf_trace_workload_exit(void) { }
#endif

/*
 * extpg.c: copy @len bytes at offset @off of one unmapped (M_EXTPG) mbuf,
 * TLS header and trailer included, into @cp. m_copydata() calls it for
 * each M_EXTPG mbuf of a chain; @off + @len never exceed m_len. Returns 0,
 * or a positive errno if the mbuf is malformed.
 */
int mb_extpg_copydata(const struct mbuf *m, int off, int len, char *cp);

/*
 * skb.c: the sk_buff bridge. mbuf_skb_exit() (unload, before the zones go)
 * hands every lent buffer's memory to the stack; mbuf_skb_lent_ever()
 * counts the buffers lent since load.
 */
void mbuf_skb_exit(void);
unsigned long mbuf_skb_lent_ever(void);

/* debugfs directory of the module (NULL if debugfs is absent) */
extern struct dentry *mbuf_debugfs_dir;

/* -- limits, sysctl, reclaim and statistics -- */

/* limits.c: the limits, FreeBSD's kern.ipc.nmb* (ints in sys/mbuf.h) */
enum mbuf_tunable {
	MBT_NMBUFS,
	MBT_NMBCLUSTERS,
	MBT_NMBJUMBOP,
	MBT_NMBJUMBO9,
	MBT_NMBJUMBO16,
	MBT_NLIMITS,
	MBT_MAXMBUFMEM = MBT_NLIMITS,	/* not a limit: bytes */
};

enum mbuf_tunable_error {
	MBUF_TUNABLE_OK,
	MBUF_TUNABLE_NEGATIVE,
	MBUF_TUNABLE_EXCEEDS_RAM,
	MBUF_TUNABLE_DERIVES_ZERO,
};

#define MBUF_CLAMPED_MAXMBUFMEM	0x1	/* cut to 3/4 of RAM */
#define MBUF_CLAMPED_NMBUFS	0x2	/* raised to cover the clusters */

struct mbuf_tunables {
	s64 maxmbufmem;			/* bytes; 0: derive */
	int limit[MBT_NLIMITS];		/* items; 0: derive */
	unsigned int clamped;		/* out: MBUF_CLAMPED_* */
	enum mbuf_tunable bad;		/* out, on error: what was refused */
	enum mbuf_tunable_error why;	/* out, on error: why */
};

extern s64 maxmbufmem;
int mbuf_tunables_compute(struct mbuf_tunables *tun, s64 realmem);
int mbuf_parse_bytes(const char *s, s64 *res);
const char *mbuf_tunable_name(enum mbuf_tunable t);
const char *mbuf_tunable_reason(enum mbuf_tunable_error why);
int *mbuf_limit_var(enum mbuf_tunable t);
int mbuf_limit_set(enum mbuf_tunable t, int n);
s64 mbuf_cluster_limits_sum(void);

/* sysctl.c: an entry of /proc/sys/net/mbuf by name, for the tests */
struct ctl_table;
MBUF_CTL_TABLE *mbuf_sysctl_find(const char *procname);

/* sndtag.c: send tags alive (net.mbuf.num_snd_tags) */
long mbuf_snd_tag_count(void);

/* reclaim.c: cache flushing, drain hooks and the shrinker */
struct shrinker;
struct shrink_control;
unsigned long mbuf_reclaim_count(struct shrinker *s, struct shrink_control *sc);
unsigned long mbuf_reclaim_scan(struct shrinker *s, struct shrink_control *sc);
void mbuf_reclaim_wait(void);		/* until queued reclaim work is done */
unsigned long mbuf_reclaim_drains(void);	/* mbstat.m_drain */
unsigned long mbuf_reclaim_cached(void);	/* items the shrinker can free */

/* stats.c: FreeBSD 7's mbstat, and the failure counts only the KPI sees */
extern atomic_long_t mbuf_stat_mcfail;	/* m_copym() and kin failed */
extern atomic_long_t mbuf_stat_mpfail;	/* m_pullup() failed */
void mbuf_mbstat_get(struct mbstat *mbs);
/* -- end of limits, sysctl, reclaim and statistics -- */

/* -- unmapped mbufs, debugnet, send tags, trashing -- */
#ifdef CONFIG_MBUFCOMPAT_TRASH
/* trash.c: cached items found modified (use after free) since boot */
unsigned long mbuf_trash_errors(void);
/* trash.c, for tests: the next reports are planted (no stack dump) */
void mbuf_trash_expect(bool planted);
#endif
/* -- end of unmapped mbufs, debugnet, send tags, trashing -- */

/* -- ifnet, bus_dma, buf_ring -- */
/*
 * A caller's bad argument: evaluates to true if @cond holds, and logs it
 * once per call site (pr_warn_once, no stack dump, so tests can provoke
 * it); the caller then fails safe.
 */
#define mbuf_bad_arg(cond, fmt, ...) ({					\
	bool __mbuf_bad = !!(cond);					\
	if (unlikely(__mbuf_bad))					\
		pr_warn_once(MBUF_LOG_PREFIX fmt, ##__VA_ARGS__);	\
	unlikely(__mbuf_bad);						\
})
#ifdef CONFIG_MBUFCOMPAT_DEBUG
/* busdma_check.c: debugfs busdma_pci, bus_dma against a PCI device */
void mbuf_busdma_debugfs_init(void);
#else
static inline void mbuf_busdma_debugfs_init(void) { }
#endif
/* -- end of ifnet, bus_dma, buf_ring -- */
/* -- porting toolkit: chain surgery, private zones, events -- */
struct seq_file;
/* uzone.c: rows of /proc/net/mbuf/zones for the private zones */
void mbuf_uzone_seq_show(struct seq_file *m);
/* uzone.c: free (preallocated) items a private zone holds */
int mbuf_uzone_free_items(uma_zone_t zone);
/* chain.c: copy @len bytes at @off of one mbuf (M_EXTPG too) to @dst */
void mb_seg_copyout(const struct mbuf *m, int off, int len, char *dst);
/* events.c: a limit was raised through sysctl; process context */
void mbuf_event_limit_raised(enum mbuf_tunable t);
/* -- end of porting toolkit -- */

#endif /* MBUFCOMPAT_INTERNAL_H */
