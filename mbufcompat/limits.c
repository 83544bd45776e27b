// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The allocator's limits (FreeBSD's kern.ipc.nmb* and kern.ipc.maxmbufmem)
 * and how they are derived at load.
 *
 * FreeBSD reads its loader tunables before the zones exist and derives
 * every limit it was not given from the size of memory. Here module
 * parameters of the same names are the tunables, and mbuf_tunables_init()
 * derives what was left at 0, with FreeBSD 14's formulas:
 *
 *   realmem     = RAM (totalram_pages() << PAGE_SHIFT)
 *   maxmbufmem  = realmem / 2; a larger request is cut to realmem / 4 * 3
 *   nmbclusters = maxmbufmem / MCLBYTES     / 4
 *   nmbjumbop   = maxmbufmem / MJUMPAGESIZE / 4
 *   nmbjumbo9   = maxmbufmem / MJUM9BYTES   / 6
 *   nmbjumbo16  = maxmbufmem / MJUM16BYTES  / 6
 *   nmbufs      = max(maxmbufmem / MSIZE / 5, the sum of the four above)
 *                 whenever it is below that sum
 *
 * The derivation is a pure function, mbuf_tunables_compute(), so that the
 * tests can feed it any memory size and any parameter set. What it refuses
 * (a negative value, a limit whose items alone would not fit in RAM, a
 * maxmbufmem too small to derive a limit from) refuses the module load
 * with one log line naming the parameter and the reason.
 *
 * After the zones exist, mbuf_tunables_apply() sets their limits. From
 * then on the five int globals are the live limits: /proc/sys/net/mbuf
 * (sysctl.c) raises them, and /sys/module/mbufcompat/parameters shows the
 * same variables. maxmbufmem only feeds the derivation: as on FreeBSD,
 * nothing enforces it as a total.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include "internal.h"

/*
 * nmbufs: the limit on mbufs (FreeBSD's kern.ipc.nmbufs)
 *
 * The limit in effect; set at load and by /proc/sys/net/mbuf/nmbufs.
 */
int nmbufs;
MBUF_EXPORT(nmbufs);
/*
 * nmbclusters: the limit on 2 KiB clusters (FreeBSD's kern.ipc.nmbclusters)
 *
 * The limit in effect; set at load and by /proc/sys/net/mbuf/nmbclusters.
 */
int nmbclusters;
MBUF_EXPORT(nmbclusters);
/*
 * nmbjumbop: the limit on page-size jumbo clusters (FreeBSD's kern.ipc.nmbjumbop)
 *
 * The limit in effect; set at load and by /proc/sys/net/mbuf/nmbjumbop.
 */
int nmbjumbop;
MBUF_EXPORT(nmbjumbop);
/*
 * nmbjumbo9: the limit on 9 KiB jumbo clusters (FreeBSD's kern.ipc.nmbjumbo9)
 *
 * The limit in effect; set at load and by /proc/sys/net/mbuf/nmbjumbo9.
 */
int nmbjumbo9;
MBUF_EXPORT(nmbjumbo9);
/*
 * nmbjumbo16: the limit on 16 KiB jumbo clusters (FreeBSD's kern.ipc.nmbjumbo16)
 *
 * The limit in effect; set at load and by /proc/sys/net/mbuf/nmbjumbo16.
 */
int nmbjumbo16;
MBUF_EXPORT(nmbjumbo16);
s64 maxmbufmem;

/* What each limit counts and how it is derived from maxmbufmem. */
static const struct mbuf_limit_desc {
	const char *name;
	int *value;
	enum mbuf_zone_id zone;
	unsigned long size;		/* bytes per item */
	unsigned int share;		/* default: maxmbufmem / size / share */
} mbuf_limit_descs[MBT_NLIMITS] = {
	[MBT_NMBUFS] = { "nmbufs", &nmbufs, MBZ_MBUF, MSIZE, 5 },
	[MBT_NMBCLUSTERS] = {
		"nmbclusters", &nmbclusters, MBZ_CLUST, MCLBYTES, 4 },
	[MBT_NMBJUMBOP] = {
		"nmbjumbop", &nmbjumbop, MBZ_JUMBOP, MJUMPAGESIZE, 4 },
	[MBT_NMBJUMBO9] = {
		"nmbjumbo9", &nmbjumbo9, MBZ_JUMBO9, MJUM9BYTES, 6 },
	[MBT_NMBJUMBO16] = {
		"nmbjumbo16", &nmbjumbo16, MBZ_JUMBO16, MJUM16BYTES, 6 },
};

static const char *const mbuf_tunable_reasons[] = {
	[MBUF_TUNABLE_OK] = "accepted",
	[MBUF_TUNABLE_NEGATIVE] = "negative",
	[MBUF_TUNABLE_EXCEEDS_RAM] = "its items alone would not fit in RAM",
	[MBUF_TUNABLE_DERIVES_ZERO] =
		"maxmbufmem is too small to derive this limit from",
};

/**
 * mbuf_tunable_name() - the name of a limit or of maxmbufmem
 * @t: which
 *
 * Return: the parameter and sysctl name, e.g. "nmbclusters".
 */
const char *mbuf_tunable_name(enum mbuf_tunable t)
{
	if (t == MBT_MAXMBUFMEM)
		return "maxmbufmem";
	return mbuf_limit_descs[t].name;
}

/**
 * mbuf_tunable_reason() - a refusal reason as words for the log
 * @why: the reason mbuf_tunables_compute() gave
 *
 * Return: a constant string.
 */
const char *mbuf_tunable_reason(enum mbuf_tunable_error why)
{
	return mbuf_tunable_reasons[why];
}

/**
 * mbuf_limit_var() - the live value of a limit
 * @t: which limit (not MBT_MAXMBUFMEM)
 *
 * Return: the address of the global (nmbufs, nmbclusters, ...).
 */
int *mbuf_limit_var(enum mbuf_tunable t)
{
	return mbuf_limit_descs[t].value;
}

/**
 * mbuf_cluster_limits_sum() - what nmbufs has to cover
 *
 * Return: nmbclusters + nmbjumbop + nmbjumbo9 + nmbjumbo16, without
 * overflow.
 */
s64 mbuf_cluster_limits_sum(void)
{
	return (s64)READ_ONCE(nmbclusters) + READ_ONCE(nmbjumbop) +
		READ_ONCE(nmbjumbo9) + READ_ONCE(nmbjumbo16);
}

/**
 * mbuf_limit_set() - set a zone's limit and store the one in effect
 * @t: which limit (not MBT_MAXMBUFMEM)
 * @n: the new limit, > 0
 *
 * Like FreeBSD's "nmbclusters = uma_zone_set_max(zone_clust, n)": the
 * global keeps what the zone actually enforces. Callers serialise.
 *
 * Return: the limit now in effect.
 */
int mbuf_limit_set(enum mbuf_tunable t, int n)
{
	const struct mbuf_limit_desc *d = &mbuf_limit_descs[t];
	long eff = mbuf_zone_set_limit(&mbuf_zones[d->zone], n);

	WRITE_ONCE(*d->value, (int)clamp_t(long, eff, 0, INT_MAX));
	return *d->value;
}

static int mbuf_tunable_refuse(struct mbuf_tunables *tun,
			       enum mbuf_tunable t,
			       enum mbuf_tunable_error why)
{
	tun->bad = t;
	tun->why = why;
	return -EINVAL;
}

/**
 * mbuf_tunables_compute() - validate the loader tunables and derive the
 * limits that were left at 0
 * @tun: in: the parameters as given (0: derive); out: the limits to use,
 *	 with @tun->clamped saying what was adjusted, or on error @tun->bad
 *	 and @tun->why saying what was refused
 * @realmem: bytes of RAM the defaults are derived from
 *
 * A pure function: no globals, no logging (mbuf_tunables_init() logs).
 * The formulas are FreeBSD 14's tunable_mbinit(); results are capped at
 * INT_MAX, which only matters beyond 4 TiB of RAM.
 *
 * Return: 0, or -EINVAL with @tun->bad and @tun->why set.
 */
int mbuf_tunables_compute(struct mbuf_tunables *tun, s64 realmem)
{
	s64 max, sum = 0, n;
	int t;

	tun->clamped = 0;
	tun->why = MBUF_TUNABLE_OK;
	tun->bad = MBT_MAXMBUFMEM;

	if (tun->maxmbufmem < 0)
		return mbuf_tunable_refuse(tun, MBT_MAXMBUFMEM,
					   MBUF_TUNABLE_NEGATIVE);
	for (t = 0; t < MBT_NLIMITS; t++) {
		if (tun->limit[t] < 0)
			return mbuf_tunable_refuse(tun, t,
						   MBUF_TUNABLE_NEGATIVE);
		if ((s64)tun->limit[t] * mbuf_limit_descs[t].size > realmem)
			return mbuf_tunable_refuse(tun, t,
						   MBUF_TUNABLE_EXCEEDS_RAM);
	}

	max = realmem / 4 * 3;
	if (!tun->maxmbufmem) {
		tun->maxmbufmem = realmem / 2;
	} else if (tun->maxmbufmem > max) {
		tun->maxmbufmem = max;
		tun->clamped |= MBUF_CLAMPED_MAXMBUFMEM;
	}

	for (t = MBT_NMBCLUSTERS; t < MBT_NLIMITS; t++) {
		const struct mbuf_limit_desc *d = &mbuf_limit_descs[t];

		if (!tun->limit[t]) {
			n = tun->maxmbufmem / d->size / d->share;
			if (!n)
				return mbuf_tunable_refuse(tun, t,
						MBUF_TUNABLE_DERIVES_ZERO);
			tun->limit[t] = min_t(s64, n, INT_MAX);
		}
		sum += tun->limit[t];
	}

	if (tun->limit[MBT_NMBUFS] < sum) {
		if (tun->limit[MBT_NMBUFS])
			tun->clamped |= MBUF_CLAMPED_NMBUFS;
		n = max_t(s64, tun->maxmbufmem / MSIZE /
			  mbuf_limit_descs[MBT_NMBUFS].share, sum);
		tun->limit[MBT_NMBUFS] = min_t(s64, n, INT_MAX);
	}
	return 0;
}

/**
 * mbuf_parse_bytes() - parse a byte count the way FreeBSD's loader does
 * @s: decimal (or 0x hex) number, optionally followed by K, M, G or T
 *     (binary multiples, either case) and a newline
 * @res: where to store the value; untouched on error
 *
 * Return: 0, or -EINVAL for anything else, including overflow.
 */
int mbuf_parse_bytes(const char *s, s64 *res)
{
	static const char units[] = "kmgt";
	char buf[32];
	const char *u;
	size_t len = strcspn(s, "\n");
	int shift = 0;
	s64 n;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	u = strchr(units, tolower(buf[len - 1]));
	if (u) {
		shift = 10 * (u - units + 1);
		buf[--len] = '\0';
	}
	if (kstrtos64(buf, 0, &n))
		return -EINVAL;
	if (n > (S64_MAX >> shift) || n < (S64_MIN >> shift))
		return -EINVAL;
	*res = n * ((s64)1 << shift);
	return 0;
}

static int mbuf_param_set_bytes(const char *val, const struct kernel_param *kp)
{
	return mbuf_parse_bytes(val, kp->arg);
}

static int mbuf_param_get_bytes(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%lld\n", *(s64 *)kp->arg);
}

static const struct kernel_param_ops mbuf_param_ops_bytes = {
	.set = mbuf_param_set_bytes,
	.get = mbuf_param_get_bytes,
};

module_param_cb(maxmbufmem, &mbuf_param_ops_bytes, &maxmbufmem, 0444);
MODULE_PARM_DESC(maxmbufmem,
		 "Memory the limits are derived from, bytes (K/M/G/T suffixes allowed); 0 (default): half of RAM; at most 3/4 of RAM (kern.ipc.maxmbufmem)");
module_param(nmbufs, int, 0444);
MODULE_PARM_DESC(nmbufs,
		 "Maximum number of mbufs; 0 (default): max(maxmbufmem/MSIZE/5, sum of the cluster limits); raised to that if below the sum of the cluster limits (kern.ipc.nmbufs; raise at runtime in /proc/sys/net/mbuf/nmbufs)");
module_param(nmbclusters, int, 0444);
MODULE_PARM_DESC(nmbclusters,
		 "Maximum number of 2 KiB mbuf clusters; 0 (default): maxmbufmem/2048/4 (kern.ipc.nmbclusters; raise at runtime in /proc/sys/net/mbuf/nmbclusters)");
module_param(nmbjumbop, int, 0444);
MODULE_PARM_DESC(nmbjumbop,
		 "Maximum number of page-sized jumbo clusters; 0 (default): maxmbufmem/PAGE_SIZE/4 (kern.ipc.nmbjumbop)");
module_param(nmbjumbo9, int, 0444);
MODULE_PARM_DESC(nmbjumbo9,
		 "Maximum number of 9 KiB jumbo clusters; 0 (default): maxmbufmem/9216/6 (kern.ipc.nmbjumbo9)");
module_param(nmbjumbo16, int, 0444);
MODULE_PARM_DESC(nmbjumbo16,
		 "Maximum number of 16 KiB jumbo clusters; 0 (default): maxmbufmem/16384/6 (kern.ipc.nmbjumbo16)");

/**
 * mbuf_tunables_init() - validate the module parameters and derive the
 * limits, before the zones exist
 *
 * Return: 0, or -EINVAL (the load is refused; the log says why).
 */
int mbuf_tunables_init(void)
{
	s64 realmem = (s64)totalram_pages() << PAGE_SHIFT;
	struct mbuf_tunables tun = { .maxmbufmem = maxmbufmem };
	int t, given_nmbufs = nmbufs;

	for (t = 0; t < MBT_NLIMITS; t++)
		tun.limit[t] = *mbuf_limit_descs[t].value;

	if (mbuf_tunables_compute(&tun, realmem)) {
		s64 val = tun.bad == MBT_MAXMBUFMEM ? maxmbufmem :
			  *mbuf_limit_descs[tun.bad].value;

		pr_err(MBUF_LOG_PREFIX "%s=%lld refused: %s (RAM %lld bytes, maxmbufmem %lld bytes)\n",
		       mbuf_tunable_name(tun.bad), val,
		       mbuf_tunable_reason(tun.why), realmem, tun.maxmbufmem);
		return -EINVAL;
	}
	if (tun.clamped & MBUF_CLAMPED_MAXMBUFMEM)
		pr_warn(MBUF_LOG_PREFIX "maxmbufmem=%lld exceeds 3/4 of RAM; using %lld\n",
			maxmbufmem, tun.maxmbufmem);
	if (tun.clamped & MBUF_CLAMPED_NMBUFS)
		pr_warn(MBUF_LOG_PREFIX "nmbufs=%d is below the sum of the cluster limits; using %d\n",
			given_nmbufs, tun.limit[MBT_NMBUFS]);

	maxmbufmem = tun.maxmbufmem;
	for (t = 0; t < MBT_NLIMITS; t++)
		*mbuf_limit_descs[t].value = tun.limit[t];
	pr_info(MBUF_LOG_PREFIX "limits: nmbufs=%d nmbclusters=%d nmbjumbop=%d nmbjumbo9=%d nmbjumbo16=%d (maxmbufmem %lld of %lld bytes RAM)\n",
		nmbufs, nmbclusters, nmbjumbop, nmbjumbo9, nmbjumbo16,
		maxmbufmem, realmem);
	return 0;
}

/**
 * mbuf_tunables_apply() - give the zones their limits
 *
 * Called once the zones exist; each global then holds the limit the zone
 * enforces.
 */
void mbuf_tunables_apply(void)
{
	int t;

	for (t = 0; t < MBT_NLIMITS; t++)
		mbuf_limit_set(t, *mbuf_limit_descs[t].value);
}
