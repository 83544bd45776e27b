// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * /proc/net/mbuf: what FreeBSD's netstat -m, vmstat -z and kern.ipc.mbstat
 * show, read-only.
 *
 *   netstat  the report of "netstat -m", line for line
 *   zones    one row per zone, like "vmstat -z", then the memory behind
 *            each zone: items carved out, blocks, usable and backing
 *            bytes, efficiency, and the jumbo zones' block layout
 *   mbstat   FreeBSD 7's struct mbstat, one "field value" per line
 *
 * The directory is made in the initial network namespace's /proc/net:
 * the zones are host-wide, and a process in another network namespace
 * does not see it (/proc/net follows the reader's namespace).
 *
 * Every read takes a snapshot of the zones' counters into a structure on
 * the stack (mbuf_zone_get_stats() never allocates) and prints it with
 * seq_printf() into the seq_file buffer, the only memory a read uses.
 * Counters are read without stopping allocation, so the numbers of one
 * report may be a few items apart, as on FreeBSD.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/mbuf_skb.h>
#include <net/net_namespace.h>
#include "internal.h"

atomic_long_t mbuf_stat_mcfail = ATOMIC_LONG_INIT(0);
atomic_long_t mbuf_stat_mpfail = ATOMIC_LONG_INIT(0);

static struct proc_dir_entry *mbuf_proc_dir;

/* One consistent-enough view of all zones. */
struct mbuf_stats_snap {
	struct mbuf_zone_stats z[MBZ_NALL];
	int sleeping[MBZ_NALL];
};

static void mbuf_stats_take(struct mbuf_stats_snap *s)
{
	int i;

	for (i = 0; i < MBZ_NALL; i++) {
		mbuf_zone_get_stats(&mbuf_zones[i], &s->z[i]);
		s->sleeping[i] = atomic_read(&mbuf_zones[i].sleepers);
	}
}

static unsigned long mbuf_stats_cur(const struct mbuf_zone_stats *z)
{
	return z->in_use > 0 ? z->in_use : 0;
}

/*
 * Mbufs and clusters out, as netstat -m counts them: a pair from the
 * packet zone or a jumbo pair zone is one mbuf and one cluster, whether
 * handed out or cached there; the mbuf and cluster zones count only what
 * they hand out themselves.
 */
static unsigned long mbuf_stats_mbufs_cur(const struct mbuf_stats_snap *s)
{
	unsigned long n = mbuf_stats_cur(&s->z[MBZ_MBUF]) +
			  mbuf_stats_cur(&s->z[MBZ_PACK]);
	int i;

	for (i = MBZ_PACKP; i <= MBZ_PACK16; i++)
		n += mbuf_stats_cur(&s->z[i]);
	return n;
}

static unsigned long mbuf_stats_mbufs_cache(const struct mbuf_stats_snap *s)
{
	unsigned long n = s->z[MBZ_MBUF].cached + s->z[MBZ_PACK].cached;
	int i;

	for (i = MBZ_PACKP; i <= MBZ_PACK16; i++)
		n += s->z[i].cached;
	return n;
}

static unsigned long mbuf_stats_clust_cur(const struct mbuf_stats_snap *s)
{
	return mbuf_stats_cur(&s->z[MBZ_CLUST]) + mbuf_stats_cur(&s->z[MBZ_PACK]);
}

static unsigned long mbuf_stats_clust_cache(const struct mbuf_stats_snap *s)
{
	return s->z[MBZ_CLUST].cached + s->z[MBZ_PACK].cached;
}

/*
 * A jumbo size's clusters: the cluster zone's own and those of its pair
 * zone's pairs (@pz). The counters of the two add up into @z.
 */
static void mbuf_stats_show_jumbo(struct seq_file *m,
				  struct mbuf_zone_stats *z,
				  const struct mbuf_zone_stats *pz,
				  const char *what)
{
	unsigned long cur = mbuf_stats_cur(z) + mbuf_stats_cur(pz);

	z->cached += pz->cached;
	z->fails += pz->fails;
	z->sleeps += pz->sleeps;
	seq_printf(m, "%lu/%lu/%lu/%ld %s jumbo clusters in use (current/cache/total/max)\n",
		   cur, z->cached, cur + z->cached, z->max, what);
	z->in_use = cur;
}

/* Beyond netstat -m: the jumbo pair zones, as the packet zone's line. */
static void mbuf_stats_show_jpack(struct seq_file *m,
				  const struct mbuf_zone_stats *pz,
				  const char *what)
{
	seq_printf(m, "%lu/%lu mbuf+%s jumbo clusters out of jumbo packet zone in use (current/cache)\n",
		   mbuf_stats_cur(pz), pz->cached, what);
}

static int mbuf_stats_netstat_show(struct seq_file *m, void *v)
{
	struct mbuf_zone_stats *zp, *z9, *z16;
	struct mbuf_stats_snap s;
	unsigned long cur, cache, bcur, bcache;
	char what[32];
	struct mbstat mbs;

	mbuf_stats_take(&s);
	mbuf_mbstat_get(&mbs);
	zp = &s.z[MBZ_JUMBOP];
	z9 = &s.z[MBZ_JUMBO9];
	z16 = &s.z[MBZ_JUMBO16];

	cur = mbuf_stats_mbufs_cur(&s);
	cache = mbuf_stats_mbufs_cache(&s);
	bcur = cur * MSIZE;
	bcache = cache * MSIZE;
	seq_printf(m, "%lu/%lu/%lu mbufs in use (current/cache/total)\n",
		   cur, cache, cur + cache);

	cur = mbuf_stats_clust_cur(&s);
	cache = mbuf_stats_clust_cache(&s);
	bcur += cur * MCLBYTES;
	bcache += cache * MCLBYTES;
	seq_printf(m, "%lu/%lu/%lu/%ld mbuf clusters in use (current/cache/total/max)\n",
		   cur, cache, cur + cache, s.z[MBZ_CLUST].max);

	seq_printf(m, "%lu/%lu mbuf+clusters out of packet secondary zone in use (current/cache)\n",
		   mbuf_stats_cur(&s.z[MBZ_PACK]), s.z[MBZ_PACK].cached);
	/* Counted in use above as well: the stack holds them. */
	seq_printf(m, "%lu/%lu clusters lent to the Linux stack (current/total)\n",
		   mbuf_skb_lent(), mbuf_skb_lent_ever());

	snprintf(what, sizeof(what), "%luk (page size)", MJUMPAGESIZE / 1024);
	mbuf_stats_show_jpack(m, &s.z[MBZ_PACKP], what);
	mbuf_stats_show_jpack(m, &s.z[MBZ_PACK9], "9k");
	mbuf_stats_show_jpack(m, &s.z[MBZ_PACK16], "16k");
	/* From here on zp, z9 and z16 include their pair zones' pairs. */
	mbuf_stats_show_jumbo(m, zp, &s.z[MBZ_PACKP], what);
	mbuf_stats_show_jumbo(m, z9, &s.z[MBZ_PACK9], "9k");
	mbuf_stats_show_jumbo(m, z16, &s.z[MBZ_PACK16], "16k");
	bcur += mbuf_stats_cur(zp) * MJUMPAGESIZE +
		mbuf_stats_cur(z9) * MJUM9BYTES +
		mbuf_stats_cur(z16) * MJUM16BYTES;
	bcache += zp->cached * MJUMPAGESIZE + z9->cached * MJUM9BYTES +
		  z16->cached * MJUM16BYTES;

	seq_printf(m, "%luK/%luK/%luK bytes allocated to network (current/cache/total)\n",
		   bcur / 1024, bcache / 1024, (bcur + bcache) / 1024);
	seq_printf(m, "%lu/%lu/%lu requests for mbufs denied (mbufs/clusters/mbuf+clusters)\n",
		   s.z[MBZ_MBUF].fails, s.z[MBZ_CLUST].fails, s.z[MBZ_PACK].fails);
	seq_printf(m, "%lu/%lu/%lu requests for mbufs delayed (mbufs/clusters/mbuf+clusters)\n",
		   s.z[MBZ_MBUF].sleeps, s.z[MBZ_CLUST].sleeps,
		   s.z[MBZ_PACK].sleeps);
	seq_printf(m, "%lu/%lu/%lu requests for jumbo clusters delayed (%luk/9k/16k)\n",
		   zp->sleeps, z9->sleeps, z16->sleeps, MJUMPAGESIZE / 1024);
	seq_printf(m, "%lu/%lu/%lu requests for jumbo clusters denied (%luk/9k/16k)\n",
		   zp->fails, z9->fails, z16->fails, MJUMPAGESIZE / 1024);
	seq_printf(m, "%d/%d/%d/%d/%d/%d requests sleeping now (mbufs/clusters/mbuf+clusters/%luk/9k/16k)\n",
		   s.sleeping[MBZ_MBUF], s.sleeping[MBZ_CLUST],
		   s.sleeping[MBZ_PACK], s.sleeping[MBZ_JUMBOP],
		   s.sleeping[MBZ_JUMBO9], s.sleeping[MBZ_JUMBO16],
		   MJUMPAGESIZE / 1024);
	seq_printf(m, "%lu requests for sfbufs denied\n", mbs.sf_allocfail);
	seq_printf(m, "%lu requests for sfbufs delayed\n", mbs.sf_allocwait);
	seq_printf(m, "%lu requests for I/O initiated by sendfile\n",
		   mbs.sf_iocnt);
	seq_printf(m, "%lu calls to protocol drain routines\n", mbs.m_drain);
	return 0;
}

/*
 * vmstat -z order: the packet zone first, as UMA lists it, then the
 * jumbo pair zones (which FreeBSD does not have).
 */
static const enum mbuf_zone_id mbuf_stats_zone_order[] = {
	MBZ_PACK, MBZ_PACKP, MBZ_PACK9, MBZ_PACK16,
	MBZ_MBUF, MBZ_CLUST, MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16,
};

static_assert(ARRAY_SIZE(mbuf_stats_zone_order) == MBZ_NALL);

/* Efficiency as "98.4%", or "-" for a zone holding no memory. */
static void mbuf_stats_show_mem(struct seq_file *m, uma_zone_t zone)
{
	struct mbuf_zone_mem mem;
	unsigned long permille;

	mbuf_zone_mem_info(zone, &mem);
	seq_printf(m, "%-20s %8lu %7lu %11lu %11lu ", zone->name, mem.items,
		   mem.blocks, mem.usable_bytes, mem.backing_bytes);
	if (mem.backing_bytes) {
		permille = mem.usable_bytes * 1000 / mem.backing_bytes;
		seq_printf(m, "%3lu.%lu%%", permille / 10, permille % 10);
	} else {
		seq_printf(m, "%6s", "-");
	}
	if (!mem.pref_items)
		seq_puts(m, "  slab");
	else
		seq_printf(m, "  order %u x %u", mem.pref_order, mem.pref_items);
	if (mem.pref_items && mem.min_order != mem.pref_order)
		seq_printf(m, ", fallback order %u x %u", mem.min_order,
			   mem.min_items);
	seq_putc(m, '\n');
}

static int mbuf_stats_zones_show(struct seq_file *m, void *v)
{
	struct mbuf_stats_snap s;
	int i;

	mbuf_stats_take(&s);
	seq_printf(m, "%-21s %6s  %6s  %8s  %8s  %8s  %4s  %5s\n",
		   "ITEM", "SIZE", "LIMIT", "USED", "FREE", "REQ", "FAIL",
		   "SLEEP");
	for (i = 0; i < ARRAY_SIZE(mbuf_stats_zone_order); i++) {
		enum mbuf_zone_id id = mbuf_stats_zone_order[i];
		const struct mbuf_zone_stats *z = &s.z[id];

		seq_printf(m, "%s:%*s %6u, %6ld, %8lu, %8lu, %8lu, %4lu, %5lu\n",
			   mbuf_zones[id].name,
			   (int)max_t(int, 0, 20 - strlen(mbuf_zones[id].name)),
			   "", mbuf_zones[id].size, z->max, mbuf_stats_cur(z),
			   z->cached, z->allocs, z->fails, z->sleeps);
	}
	/* Zones drivers made with uma_zcreate(), as vmstat -z lists them. */
	mbuf_uzone_seq_show(m);

	/* The pair zones' memory is the mbuf and cluster zones'. */
	seq_printf(m, "\n%-20s %8s %7s %11s %11s %6s  %s\n", "MEMORY", "ITEMS",
		   "BLOCKS", "USABLE", "BACKING", "EFF", "LAYOUT");
	for (i = 0; i < ARRAY_SIZE(mbuf_stats_zone_order); i++)
		if (!mbuf_zone_id_is_pair(mbuf_stats_zone_order[i]))
			mbuf_stats_show_mem(m, &mbuf_zones[mbuf_stats_zone_order[i]]);
	return 0;
}

/**
 * mbuf_mbstat_get() - FreeBSD 7's allocator statistics, now
 * @mbs: filled in
 *
 * m_mbufs and m_mclusts are the mbufs and clusters in use (netstat -m's
 * "current"); m_drain counts drain runs; m_mcfail and m_mpfail count
 * failed copies and pullups; the sf_* counters stay 0, as there are no
 * sendfile buffers on Linux; the rest are the build's constants.
 */
void mbuf_mbstat_get(struct mbstat *mbs)
{
	struct mbuf_stats_snap s;

	mbuf_stats_take(&s);
	memset(mbs, 0, sizeof(*mbs));
	mbs->m_mbufs = mbuf_stats_mbufs_cur(&s);
	mbs->m_mclusts = mbuf_stats_clust_cur(&s);
	mbs->m_drain = mbuf_reclaim_drains();
	mbs->m_mcfail = atomic_long_read(&mbuf_stat_mcfail);
	mbs->m_mpfail = atomic_long_read(&mbuf_stat_mpfail);
	mbs->m_msize = MSIZE;
	mbs->m_mclbytes = MCLBYTES;
	mbs->m_minclsize = MINCLSIZE;
	mbs->m_mlen = MLEN;
	mbs->m_mhlen = MHLEN;
	mbs->m_numtypes = MT_NTYPES;
}

static int mbuf_stats_mbstat_show(struct seq_file *m, void *v)
{
	struct mbstat mbs;

	mbuf_mbstat_get(&mbs);
	seq_printf(m, "m_mbufs %lu\n", mbs.m_mbufs);
	seq_printf(m, "m_mclusts %lu\n", mbs.m_mclusts);
	seq_printf(m, "m_drain %lu\n", mbs.m_drain);
	seq_printf(m, "m_mcfail %lu\n", mbs.m_mcfail);
	seq_printf(m, "m_mpfail %lu\n", mbs.m_mpfail);
	seq_printf(m, "m_msize %lu\n", mbs.m_msize);
	seq_printf(m, "m_mclbytes %lu\n", mbs.m_mclbytes);
	seq_printf(m, "m_minclsize %lu\n", mbs.m_minclsize);
	seq_printf(m, "m_mlen %lu\n", mbs.m_mlen);
	seq_printf(m, "m_mhlen %lu\n", mbs.m_mhlen);
	seq_printf(m, "m_numtypes %d\n", mbs.m_numtypes);
	seq_printf(m, "sf_iocnt %lu\n", mbs.sf_iocnt);
	seq_printf(m, "sf_allocfail %lu\n", mbs.sf_allocfail);
	seq_printf(m, "sf_allocwait %lu\n", mbs.sf_allocwait);
	return 0;
}

/**
 * mbuf_stats_init() - create /proc/net/mbuf and its files
 *
 * Return: 0, or -ENOMEM.
 */
int mbuf_stats_init(void)
{
	if (!IS_ENABLED(CONFIG_PROC_FS))
		return 0;
	mbuf_proc_dir = proc_mkdir("mbuf", init_net.proc_net);
	if (!mbuf_proc_dir)
		return -ENOMEM;
	if (!proc_create_single("netstat", 0444, mbuf_proc_dir,
				mbuf_stats_netstat_show) ||
	    !proc_create_single("zones", 0444, mbuf_proc_dir,
				mbuf_stats_zones_show) ||
	    !proc_create_single("mbstat", 0444, mbuf_proc_dir,
				mbuf_stats_mbstat_show)) {
		mbuf_stats_exit();
		return -ENOMEM;
	}
	return 0;
}

/**
 * mbuf_stats_exit() - remove /proc/net/mbuf
 *
 * Waits for readers of its files to finish.
 */
void mbuf_stats_exit(void)
{
	proc_remove(mbuf_proc_dir);
	mbuf_proc_dir = NULL;
}
