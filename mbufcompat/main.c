// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Module entry and exit: bring the subsystems up in dependency order and
 * take them down in reverse.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include "internal.h"

struct dentry *mbuf_debugfs_dir;

#ifdef CONFIG_MBUFCOMPAT_DEBUG
/*
 * Init failure injection, for the test that every failure half way
 * through init is undone: with init_fail_at=N the N-th step that asks
 * mbuf_init_fault() fails with -ENOMEM. Steps are counted from 1 in init
 * order; a value past the last step fails nothing, so a test raises N
 * until the load succeeds.
 */
static int init_fail_at;
module_param(init_fail_at, int, 0444);
MODULE_PARM_DESC(init_fail_at, "debug: fail the N-th init step (0: none)");
static int mbuf_init_steps;

int mbuf_init_fault(const char *step)
{
	if (++mbuf_init_steps != init_fail_at)
		return 0;
	pr_info(MBUF_LOG_PREFIX "init: failing step %d (%s) as asked\n",
		mbuf_init_steps, step);
	return -ENOMEM;
}

/*
 * For the unload-with-leaks test: with leak_at_load=1 the load takes one
 * packet (m_getcl) and one mbuf (m_get) and never frees them, as a
 * buggy driver would, so that the unload finds a cluster and two mbufs
 * in use.
 */
static bool leak_at_load;
module_param(leak_at_load, bool, 0444);
MODULE_PARM_DESC(leak_at_load, "debug: leak a packet and an mbuf at load");
static struct mbuf *mbuf_leaked_packet, *mbuf_leaked_mbuf;

static void mbuf_leak_at_load(void)
{
	if (!leak_at_load)
		return;
	mbuf_leaked_packet = m_getcl(M_WAITOK, MT_DATA, M_PKTHDR);
	mbuf_leaked_mbuf = m_get(M_WAITOK, MT_DATA);
	pr_warn(MBUF_LOG_PREFIX "leaking a packet and an mbuf on purpose (leak_at_load)\n");
}
#else
static inline void mbuf_leak_at_load(void)
{
}
#endif

static int __init mbufcompat_init(void)
{
	int err;

	err = mbuf_init_fault("tunables") ?: mbuf_tunables_init();
	if (err)
		return err;
	mbuf_debugfs_dir = debugfs_create_dir("mbufcompat", NULL);
	err = mbuf_zones_init();
	if (err)
		goto out_debugfs;
	mbuf_tunables_apply();
	err = mbuf_init_fault("fault injection") ?: mbuf_fault_init();
	if (err)
		goto out_zones;
	err = mbuf_init_fault("reclaim") ?: mbuf_reclaim_init();
	if (err)
		goto out_fault;
	err = mbuf_init_fault("send tags") ?: mbuf_sndtag_init();
	if (err)
		goto out_reclaim;
	err = mbuf_init_fault("sysctl") ?: mbuf_sysctl_init();
	if (err)
		goto out_sndtag;
	err = mbuf_init_fault("statistics") ?: mbuf_stats_init();
	if (err)
		goto out_sysctl;
	err = mbuf_init_fault("selftest") ?: mbuf_selftest_init();
	if (err)
		goto out_stats;
	mbuf_busdma_debugfs_init();
	mbuf_leak_at_load();
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
#ifdef MBUFCOMPAT_VERSION
MODULE_VERSION(MBUFCOMPAT_VERSION);
#endif
