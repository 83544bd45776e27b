// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Private fault injection: make the module's own allocations fail on
 * demand, to test failure paths. Test code: built only with
 * CONFIG_MBUFCOMPAT_DEBUG (out of tree: make MBUFCOMPAT_DEBUG=1); without
 * it zone.h turns every check into a constant false.
 *
 * Where it applies. uma_zalloc_arg() (and mbuf_zone_get_batch(), which the
 * packet zone builds its pairs with) asks mbuf_should_fail(zone) at entry,
 * for M_NOWAIT requests only: an M_WAITOK request must not fail. Other
 * allocations of the module (tags and the like) ask mbuf_should_fail(NULL)
 * before their own M_NOWAIT allocation. A static key keeps all of this out
 * of the fast path until something is armed.
 *
 * No function of the module is open to the kernel's function error
 * injection (ALLOW_ERROR_INJECTION, fail_function): that overrides a
 * function at its entry, before it could look at @how, so it would hand
 * NULL to M_WAITOK callers, which FreeBSD promises never see one.
 *
 * Test API (process context; declared in zone.h):
 *
 *   mbuf_fault_set(zone_mask, skip, times)
 *	Arm. Among the checks whose zone is in @zone_mask (a mask of
 *	MBUF_FAULT_ZONE(MBZ_MBUF) ... MBUF_FAULT_ZONE(MBZ_JUMBO16) and
 *	MBUF_FAULT_OTHER for mbuf_should_fail(NULL) and drivers' private
 *	zones; MBUF_FAULT_JPACK for the jumbo pair zones' own entry check;
 *	MBUF_FAULT_ALL for all),
 *	let the first @skip pass, then fail the next @times, then none.
 *	Checks outside the mask neither fail nor count.
 *   mbuf_fault_clear()
 *	Disarm.
 *   mbuf_fault_injected()
 *	Failures injected since the last mbuf_fault_set().
 *
 * A typical test: record the zone statistics, mbuf_fault_set(
 * MBUF_FAULT_ZONE(MBZ_CLUST), 0, 1), call the function under test with
 * M_NOWAIT, expect its failure result and mbuf_fault_injected() == 1,
 * mbuf_fault_clear(), and check that every zone's in_use is back where it
 * was. Tests must not run concurrently with each other (KUnit runs them
 * one at a time).
 *
 * Kernel support. With CONFIG_FAULT_INJECTION a private struct fault_attr
 * decides (so fail_nth and the usual knobs work too), and with
 * CONFIG_FAULT_INJECTION_DEBUG_FS its knobs appear under
 * /sys/kernel/debug/mbufcompat/fail_alloc/ together with "zone_mask" (the
 * mask above; writing it arms or disarms). Without it (Debian's 6.1
 * configuration) a built-in countdown gives the test API the same
 * behaviour.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/mutex.h>
#include "internal.h"

DEFINE_STATIC_KEY_FALSE(mbuf_fault_key);

static unsigned int mbuf_fault_mask;
static atomic_t mbuf_fault_skip = ATOMIC_INIT(0);
static atomic_long_t mbuf_fault_count = ATOMIC_LONG_INIT(0);
static DEFINE_MUTEX(mbuf_fault_lock);

#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(mbuf_fault_attr);

static bool mbuf_fault_decide(void)
{
	return should_fail(&mbuf_fault_attr, 1);
}

static void mbuf_fault_arm(unsigned int times)
{
	mbuf_fault_attr.probability = 100;
	mbuf_fault_attr.interval = 1;
	mbuf_fault_attr.verbose = 0;
	mbuf_fault_attr.task_filter = false;
	atomic_set(&mbuf_fault_attr.space, 0);
	atomic_set(&mbuf_fault_attr.times, times);
}

static void mbuf_fault_disarm(void)
{
	atomic_set(&mbuf_fault_attr.times, 0);
}
#else
static atomic_t mbuf_fault_times = ATOMIC_INIT(0);

static bool mbuf_fault_decide(void)
{
	return atomic_dec_if_positive(&mbuf_fault_times) >= 0;
}

static void mbuf_fault_arm(unsigned int times)
{
	atomic_set(&mbuf_fault_times, min_t(unsigned int, times, INT_MAX));
}

static void mbuf_fault_disarm(void)
{
	atomic_set(&mbuf_fault_times, 0);
}
#endif

/**
 * mbuf_should_fail() - should this allocation fail, for a test?
 * @zone: the zone being allocated from, or NULL for another allocation
 *
 * Call only for requests that may fail (M_NOWAIT). Cheap when nothing is
 * armed; any context.
 *
 * Return: true to make the allocation fail.
 */
bool mbuf_should_fail(uma_zone_t zone)
{
	unsigned int bit = MBUF_FAULT_OTHER;

	if (zone && zone->id < MBZ_NZONES)
		bit = MBUF_FAULT_ZONE(zone->id);
	else if (zone && mbuf_zone_id_is_jpack(zone->id))
		bit = MBUF_FAULT_JPACK;

	if (!mbuf_fault_armed() || !(READ_ONCE(mbuf_fault_mask) & bit))
		return false;
	if (atomic_dec_if_positive(&mbuf_fault_skip) >= 0)
		return false;
	if (!mbuf_fault_decide())
		return false;
	atomic_long_inc(&mbuf_fault_count);
	return true;
}

/* Caller holds mbuf_fault_lock. */
static void mbuf_fault_set_mask(unsigned int mask)
{
	WRITE_ONCE(mbuf_fault_mask, mask & MBUF_FAULT_ALL);
	if (mask && !static_key_enabled(&mbuf_fault_key))
		static_branch_enable(&mbuf_fault_key);
	else if (!mask && static_key_enabled(&mbuf_fault_key))
		static_branch_disable(&mbuf_fault_key);
}

/**
 * mbuf_fault_set() - arm fault injection
 * @zone_mask: which checks it applies to (MBUF_FAULT_* bits)
 * @skip: matching checks to let pass first
 * @times: matching checks to fail after those
 *
 * Process context.
 */
void mbuf_fault_set(unsigned int zone_mask, unsigned int skip,
		    unsigned int times)
{
	mutex_lock(&mbuf_fault_lock);
	atomic_set(&mbuf_fault_skip, min_t(unsigned int, skip, INT_MAX));
	atomic_long_set(&mbuf_fault_count, 0);
	mbuf_fault_arm(times);
	mbuf_fault_set_mask(zone_mask);
	mutex_unlock(&mbuf_fault_lock);
}

/**
 * mbuf_fault_clear() - disarm fault injection
 *
 * Process context.
 */
void mbuf_fault_clear(void)
{
	mutex_lock(&mbuf_fault_lock);
	mbuf_fault_set_mask(0);
	mbuf_fault_disarm();
	atomic_set(&mbuf_fault_skip, 0);
	mutex_unlock(&mbuf_fault_lock);
}

/**
 * mbuf_fault_injected() - failures injected since mbuf_fault_set()
 *
 * Return: the count.
 */
unsigned long mbuf_fault_injected(void)
{
	return atomic_long_read(&mbuf_fault_count);
}

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static int mbuf_fault_mask_get(void *data, u64 *val)
{
	*val = READ_ONCE(mbuf_fault_mask);
	return 0;
}

static int mbuf_fault_mask_set(void *data, u64 val)
{
	if (val & ~(u64)MBUF_FAULT_ALL)
		return -EINVAL;
	mutex_lock(&mbuf_fault_lock);
	mbuf_fault_set_mask(val);
	mutex_unlock(&mbuf_fault_lock);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(mbuf_fault_mask_fops, mbuf_fault_mask_get,
			 mbuf_fault_mask_set, "0x%llx\n");

static void mbuf_fault_debugfs_init(void)
{
	struct dentry *dir;

	if (IS_ERR_OR_NULL(mbuf_debugfs_dir))
		return;
	dir = fault_create_debugfs_attr("fail_alloc", mbuf_debugfs_dir,
					&mbuf_fault_attr);
	if (IS_ERR(dir))
		return;
	debugfs_create_file_unsafe("zone_mask", 0600, dir, NULL,
				   &mbuf_fault_mask_fops);
}
#else
static void mbuf_fault_debugfs_init(void)
{
}
#endif

/**
 * mbuf_fault_init() - expose the fault injection knobs in debugfs
 *
 * Return: 0 (debugfs is optional).
 */
int mbuf_fault_init(void)
{
	mbuf_fault_debugfs_init();
	return 0;
}

/**
 * mbuf_fault_exit() - disarm; the debugfs files go with the module's
 * directory
 */
void mbuf_fault_exit(void)
{
	mbuf_fault_clear();
}
