// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Module entry and exit: bring the subsystems up in dependency order and
 * take them down in reverse.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include "internal.h"

struct dentry *mbuf_debugfs_dir;

static int __init mbufcompat_init(void)
{
	int err;

	err = mbuf_tunables_init();
	if (err)
		return err;
	mbuf_debugfs_dir = debugfs_create_dir("mbufcompat", NULL);
	err = mbuf_zones_init();
	if (err)
		goto out_debugfs;
	mbuf_tunables_apply();
	err = mbuf_fault_init();
	if (err)
		goto out_zones;
	err = mbuf_reclaim_init();
	if (err)
		goto out_fault;
	err = mbuf_sndtag_init();
	if (err)
		goto out_reclaim;
	err = mbuf_sysctl_init();
	if (err)
		goto out_sndtag;
	err = mbuf_stats_init();
	if (err)
		goto out_sysctl;
	err = mbuf_selftest_init();
	if (err)
		goto out_stats;
	return 0;

out_stats:
	mbuf_stats_exit();
out_sysctl:
	mbuf_sysctl_exit();
out_sndtag:
	mbuf_sndtag_exit();
out_reclaim:
	mbuf_reclaim_exit();
out_fault:
	mbuf_fault_exit();
out_zones:
	mbuf_zones_exit();
out_debugfs:
	debugfs_remove_recursive(mbuf_debugfs_dir);
	return err;
}

static void __exit mbufcompat_exit(void)
{
	mbuf_skb_exit();
	mbuf_selftest_exit();
	mbuf_stats_exit();
	mbuf_sysctl_exit();
	mbuf_debugnet_exit();
	mbuf_sndtag_exit();
	mbuf_reclaim_exit();
	mbuf_fault_exit();
	mbuf_zones_exit();
	debugfs_remove_recursive(mbuf_debugfs_dir);
}

module_init(mbufcompat_init);
module_exit(mbufcompat_exit);

MODULE_DESCRIPTION("FreeBSD mbuf(9) network buffer allocator and KPI");
MODULE_LICENSE("Dual BSD/GPL");
