// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * /proc/sys/net/mbuf: FreeBSD's kern.ipc.nmb* sysctls, with their rules.
 *
 *   nmbufs nmbclusters nmbjumbop nmbjumbo9 nmbjumbo16   0644
 *   maxmbufmem num_snd_tags                             0444
 *   mb_use_ext_pgs                                      0644 (0 or 1)
 *
 * A limit may only be raised; raising nmbclusters or nmbufs fires FreeBSD's
 * nmbclusters_change or nmbufs_change event (events.c) once the new limit
 * is in effect. Lowering it, or writing anything that is
 * not a number in int range, fails with EINVAL and leaves the limit as it
 * was; writing the value it already has succeeds and changes nothing. A
 * cluster limit (nmbclusters, nmbjumbo*) may be raised only while nmbufs
 * is at least the sum of the four cluster limits, so that each cluster
 * can still get an mbuf; nmbufs itself may always be raised.
 *
 * The limits are host-wide, so writing needs CAP_NET_ADMIN in the initial
 * user namespace: root in a container gets EPERM. The check is made on
 * the writer's credentials in the handler (a proc handler is not given
 * the file, so the opener's are out of reach; procfs has already checked
 * the mode against the opener).
 *
 * Each handler parses into a copy of its table entry whose data points at
 * a local, under one mutex, so a failed write never touches the live
 * value and two writers cannot interleave check and update. A write must
 * be one number and nothing else but white space.
 */
#include <linux/capability.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include "internal.h"

static DEFINE_MUTEX(mbuf_sysctl_lock);
static struct ctl_table_header *mbuf_sysctl_header;

static bool mbuf_sysctl_may_write(void)
{
	return capable(CAP_NET_ADMIN);
}

static enum mbuf_tunable mbuf_sysctl_limit_of(MBUF_CTL_TABLE *table)
{
	int t;

	for (t = 0; t < MBT_NLIMITS; t++)
		if (table->data == mbuf_limit_var(t))
			break;
	return t;
}

/*
 * Read or write one int through a copy of the entry (@tmp) pointed at @val,
 * bounded by @tmp->extra1/extra2 if set. A write must hold exactly one
 * number: proc_dointvec() stops after it and reports the rest of the
 * buffer as not consumed, and such input is refused here, as FreeBSD's
 * sysctl refuses it.
 */
static int mbuf_sysctl_int(struct ctl_table *tmp, int *val, int write,
			   void *buffer, size_t *lenp, loff_t *ppos)
{
	size_t len = *lenp;
	int err;

	tmp->data = val;
	tmp->maxlen = sizeof(*val);
	err = proc_dointvec_minmax(tmp, write, buffer, lenp, ppos);
	if (!err && write && *lenp != len)
		err = -EINVAL;
	return err;
}

/* FreeBSD's rules for a new value of a limit other than its current one. */
static int mbuf_sysctl_raise(enum mbuf_tunable t, int val)
{
	if (val < READ_ONCE(*mbuf_limit_var(t)))
		return -EINVAL;
	if (t != MBT_NMBUFS &&
	    READ_ONCE(nmbufs) < mbuf_cluster_limits_sum())
		return -EINVAL;
	mbuf_limit_set(t, val);
	return 0;
}

static int mbuf_sysctl_limit(MBUF_CTL_TABLE *table, int write, void *buffer,
			     size_t *lenp, loff_t *ppos)
{
	enum mbuf_tunable t = mbuf_sysctl_limit_of(table);
	struct ctl_table tmp = *table;
	bool raised = false;
	int val, err;

	if (WARN_ON_ONCE(t == MBT_NLIMITS))
		return -EINVAL;
	if (write && !mbuf_sysctl_may_write())
		return -EPERM;

	mutex_lock(&mbuf_sysctl_lock);
	val = READ_ONCE(*mbuf_limit_var(t));
	err = mbuf_sysctl_int(&tmp, &val, write, buffer, lenp, ppos);
	if (!err && write && val != READ_ONCE(*mbuf_limit_var(t))) {
		err = mbuf_sysctl_raise(t, val);
		raised = !err;
	}
	mutex_unlock(&mbuf_sysctl_lock);
	/* Handlers may sleep and read the limits: not under our lock. */
	if (raised)
		mbuf_event_limit_raised(t);
	return err;
}

/* Show a value computed at read time; these entries are read-only. */
static int mbuf_sysctl_show(MBUF_CTL_TABLE *table, int write, void *buffer,
			    size_t *lenp, loff_t *ppos, s64 value)
{
	struct ctl_table tmp = *table;
	char text[24];

	if (write)
		return -EPERM;
	snprintf(text, sizeof(text), "%lld", value);
	tmp.data = text;
	tmp.maxlen = sizeof(text);
	return proc_dostring(&tmp, 0, buffer, lenp, ppos);
}

static int mbuf_sysctl_maxmbufmem(MBUF_CTL_TABLE *table, int write,
				  void *buffer, size_t *lenp, loff_t *ppos)
{
	return mbuf_sysctl_show(table, write, buffer, lenp, ppos,
				READ_ONCE(maxmbufmem));
}

static int mbuf_sysctl_snd_tags(MBUF_CTL_TABLE *table, int write,
				void *buffer, size_t *lenp, loff_t *ppos)
{
	return mbuf_sysctl_show(table, write, buffer, lenp, ppos,
				mbuf_snd_tag_count());
}

static int mbuf_sysctl_bool(MBUF_CTL_TABLE *table, int write, void *buffer,
			    size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;
	bool *live = table->data;
	int val, err;

	if (write && !mbuf_sysctl_may_write())
		return -EPERM;

	mutex_lock(&mbuf_sysctl_lock);
	val = READ_ONCE(*live);
	tmp.extra1 = SYSCTL_ZERO;
	tmp.extra2 = SYSCTL_ONE;
	err = mbuf_sysctl_int(&tmp, &val, write, buffer, lenp, ppos);
	if (!err && write)
		WRITE_ONCE(*live, val);
	mutex_unlock(&mbuf_sysctl_lock);
	return err;
}

#define MBUF_SYSCTL_LIMIT(var) {			\
	.procname	= #var,				\
	.data		= &(var),			\
	.maxlen		= sizeof(int),			\
	.mode		= 0644,				\
	.proc_handler	= mbuf_sysctl_limit,		\
}

static struct ctl_table mbuf_sysctl_table[] = {
	MBUF_SYSCTL_LIMIT(nmbufs),
	MBUF_SYSCTL_LIMIT(nmbclusters),
	MBUF_SYSCTL_LIMIT(nmbjumbop),
	MBUF_SYSCTL_LIMIT(nmbjumbo9),
	MBUF_SYSCTL_LIMIT(nmbjumbo16),
	{
		.procname	= "maxmbufmem",
		.mode		= 0444,
		.proc_handler	= mbuf_sysctl_maxmbufmem,
	},
	{
		.procname	= "num_snd_tags",
		.mode		= 0444,
		.proc_handler	= mbuf_sysctl_snd_tags,
	},
	{
		.procname	= "mb_use_ext_pgs",
		.data		= &mb_use_ext_pgs,
		.maxlen		= sizeof(bool),
		.mode		= 0644,
		.proc_handler	= mbuf_sysctl_bool,
	},
	MBUF_SYSCTL_SENTINEL
};

/**
 * mbuf_sysctl_find() - an entry of /proc/sys/net/mbuf
 * @procname: its name, e.g. "nmbclusters"
 *
 * Lets the tests drive the handlers exactly as procfs does.
 *
 * Return: the table entry, or NULL.
 */
MBUF_CTL_TABLE *mbuf_sysctl_find(const char *procname)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mbuf_sysctl_table); i++)
		if (mbuf_sysctl_table[i].procname &&
		    !strcmp(mbuf_sysctl_table[i].procname, procname))
			return &mbuf_sysctl_table[i];
	return NULL;
}

/**
 * mbuf_sysctl_init() - register /proc/sys/net/mbuf
 *
 * Return: 0 or -ENOMEM.
 */
int mbuf_sysctl_init(void)
{
	mbuf_sysctl_header = register_sysctl("net/mbuf", mbuf_sysctl_table);
	return mbuf_sysctl_header ? 0 : -ENOMEM;
}

/**
 * mbuf_sysctl_exit() - unregister /proc/sys/net/mbuf
 *
 * Waits for handlers still running.
 */
void mbuf_sysctl_exit(void)
{
	unregister_sysctl_table(mbuf_sysctl_header);
	mbuf_sysctl_header = NULL;
}
