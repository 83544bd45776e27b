// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_smp: the zones with several CPUs at once.
 *
 * Strategy. The per-CPU magazines are correct only if every context level
 * of every CPU keeps to its own magazine, if an item freed on another CPU
 * (or at another level) than the one that allocated it is charged and
 * counted exactly once, and if the limit holds while CPUs race for its
 * last items. None of that can go wrong on one CPU without preemption, so
 * every case skips when fewer than two CPUs are online (UML).
 *
 *  - contexts: items of every kind (mbuf, packet, bare cluster, mbuf with
 *    a page-sized jumbo cluster) are allocated on one CPU in one context
 *    and freed on another CPU in each context in turn: task, task with
 *    bottom halves off, task with interrupts off, softirq (a timer added
 *    on that CPU) and hardirq (an irq_work queued on it). Each call checks
 *    that it really ran on the CPU and in the context asked for. More
 *    items move than a magazine holds, so both calls go through the slow
 *    paths (depot, backend) as well. After each pair every zone's in-use
 *    count is back at its baseline, and at the end the charge accounting
 *    balances (below).
 *  - limit: the cluster zone's limit is set a little above what is
 *    charged already, and on every CPU one thread grabs clusters with
 *    M_NOWAIT until it fails while another allocates one at a time with
 *    M_WAITOK. Every successful allocation checks that the clusters the
 *    threads hold and the zone's charge stay within the limit; M_NOWAIT
 *    must fail at the limit and M_WAITOK must sleep there; every thread
 *    must finish within a bound (a sleeper not woken fails the case, and
 *    the limit is then lifted so that it cannot hang the suite), and
 *    nothing may be left in use or asleep afterwards.
 *  - accounting: every CPU, in task and in softirq context, allocates and
 *    frees so that magazines and the depot are left partly full while
 *    some items stay in use. At quiescence each charging zone's charge
 *    must equal its items in use plus cached (plus, for mbufs and
 *    clusters, the packet zone's pairs); after a full flush nothing is
 *    cached and the charge equals the items in use; after the held items
 *    are freed on yet another CPU and flushed, the charge is back at its
 *    baseline.
 *
 * Each case ends with every zone's in-use count at its baseline and every
 * limit restored (mbuf_zk_exit()). CPU offline and online under load are
 * exercised from userspace by the QEMU debug stage (scripts/guest/smp.sh),
 * since a test running at insmod must not take CPUs away.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bottom_half.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include "mbuf_zone_kunit.h"

/* Items of each kind one call allocates: more than a magazine holds. */
#define MBUF_SMP_ITEMS		(MBZ_MAG_MAX + 2 * MBZ_BATCH_MAX)
/* Clusters of room the limit case leaves above the current charge. */
#define MBUF_SMP_ROOM		48
#define MBUF_SMP_LIMIT_ROUNDS	150
#define MBUF_SMP_LIMIT_TIMEOUT	(120 * HZ)

enum mbuf_smp_ctx {
	MBUF_SMP_TASK,
	MBUF_SMP_BH_OFF,
	MBUF_SMP_IRQS_OFF,
	MBUF_SMP_SOFTIRQ,
	MBUF_SMP_HARDIRQ,
	MBUF_SMP_NCTX,
};

static const char *const mbuf_smp_ctx_names[MBUF_SMP_NCTX] = {
	[MBUF_SMP_TASK] = "task",
	[MBUF_SMP_BH_OFF] = "task-bh-off",
	[MBUF_SMP_IRQS_OFF] = "task-irqs-off",
	[MBUF_SMP_SOFTIRQ] = "softirq",
	[MBUF_SMP_HARDIRQ] = "hardirq",
};

/* Is the caller in context @ctx? */
static bool mbuf_smp_in_ctx(enum mbuf_smp_ctx ctx)
{
	switch (ctx) {
	case MBUF_SMP_TASK:
		return !in_interrupt() && !irqs_disabled();
	case MBUF_SMP_BH_OFF:
		return !in_hardirq() && !in_serving_softirq() && in_softirq() &&
		       !irqs_disabled();
	case MBUF_SMP_IRQS_OFF:
		return !in_interrupt() && irqs_disabled();
	case MBUF_SMP_SOFTIRQ:
		return in_serving_softirq() && !in_hardirq();
	case MBUF_SMP_HARDIRQ:
		return in_hardirq();
	default:
		return false;
	}
}

/* Only task context may sleep. */
static int mbuf_smp_how(enum mbuf_smp_ctx ctx)
{
	return ctx == MBUF_SMP_TASK ? M_WAITOK : M_NOWAIT;
}

/*
 * One call of @fn on a given CPU in a given context. A work item on that
 * CPU runs @fn directly (task contexts) or arms a timer or an irq_work
 * there and waits for it.
 */
struct mbuf_smp_call {
	void (*fn)(struct mbuf_smp_call *call);
	void *arg;
	int cpu;
	enum mbuf_smp_ctx ctx;
	struct work_struct work;
	struct timer_list timer;
	struct irq_work irq_work;
	struct completion ctx_done;
	/* what the call found: where it ran, and in which context */
	int ran_cpu;
	bool ran_in_ctx;
	unsigned int ran_pc;		/* preempt_count() there */
};

static void mbuf_smp_call_fn(struct mbuf_smp_call *call)
{
	call->ran_cpu = smp_processor_id();
	call->ran_in_ctx = mbuf_smp_in_ctx(call->ctx);
	call->ran_pc = preempt_count();
	call->fn(call);
}

static void mbuf_smp_timer_fn(struct timer_list *t)
{
	struct mbuf_smp_call *call = from_timer(call, t, timer);

	mbuf_smp_call_fn(call);
	complete(&call->ctx_done);
}

static void mbuf_smp_irq_work_fn(struct irq_work *w)
{
	struct mbuf_smp_call *call = container_of(w, struct mbuf_smp_call,
						  irq_work);

	mbuf_smp_call_fn(call);
	complete(&call->ctx_done);
}

static void mbuf_smp_work_fn(struct work_struct *work)
{
	struct mbuf_smp_call *call = container_of(work, struct mbuf_smp_call,
						  work);

	switch (call->ctx) {
	case MBUF_SMP_TASK:
		mbuf_smp_call_fn(call);
		break;
	case MBUF_SMP_BH_OFF:
		local_bh_disable();
		mbuf_smp_call_fn(call);
		local_bh_enable();
		break;
	case MBUF_SMP_IRQS_OFF:
		local_irq_disable();
		mbuf_smp_call_fn(call);
		local_irq_enable();
		break;
	case MBUF_SMP_SOFTIRQ:
		timer_setup(&call->timer, mbuf_smp_timer_fn, 0);
		call->timer.expires = jiffies;
		add_timer_on(&call->timer, call->cpu);
		wait_for_completion(&call->ctx_done);
		del_timer_sync(&call->timer);
		break;
	case MBUF_SMP_HARDIRQ:
		/* On this CPU (irq_work_queue_on() is not exported). */
		init_irq_work(&call->irq_work, mbuf_smp_irq_work_fn);
		irq_work_queue(&call->irq_work);
		wait_for_completion(&call->ctx_done);
		irq_work_sync(&call->irq_work);
		break;
	default:
		break;
	}
}

/* Run @fn(@call) on @cpu in @ctx and wait; check where and how it ran. */
static void mbuf_smp_run(struct kunit *test, struct mbuf_smp_call *call,
			 int cpu, enum mbuf_smp_ctx ctx,
			 void (*fn)(struct mbuf_smp_call *call))
{
	call->fn = fn;
	call->cpu = cpu;
	call->ctx = ctx;
	call->ran_cpu = -1;
	call->ran_in_ctx = false;
	init_completion(&call->ctx_done);
	INIT_WORK(&call->work, mbuf_smp_work_fn);
	queue_work_on(cpu, system_highpri_wq, &call->work);
	flush_work(&call->work);
	KUNIT_EXPECT_EQ_MSG(test, call->ran_cpu, cpu, "%s call ran elsewhere",
			    mbuf_smp_ctx_names[ctx]);
	KUNIT_EXPECT_TRUE_MSG(test, call->ran_in_ctx,
			      "call was not in %s context (preempt_count %#x)",
			      mbuf_smp_ctx_names[ctx], call->ran_pc);
}

/* Skip on one CPU; otherwise the baseline of mbuf_zk_init(). */
static int mbuf_smp_init(struct kunit *test)
{
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two or more CPUs (%u online)",
			   num_online_cpus());
	mbuf_zk_quiesce();
	return mbuf_zk_init(test);
}

static void mbuf_smp_exit(struct kunit *test)
{
	if (test->priv)
		mbuf_zk_exit(test);
}

/* The @n-th online CPU after @cpu, wrapping around. */
static int mbuf_smp_cpu_after(int cpu, unsigned int n)
{
	while (n--) {
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	}
	return cpu;
}

/*
 * Items of every kind, moved between calls: an mbuf, a packet, a bare
 * cluster and an mbuf with a page-sized jumbo cluster.
 */
enum mbuf_smp_kind {
	MBUF_SMP_MBUF,
	MBUF_SMP_PACKET,
	MBUF_SMP_CLUSTER,
	MBUF_SMP_JUMBOP,
	MBUF_SMP_NKINDS,
};

struct mbuf_smp_items {
	void *item[MBUF_SMP_NKINDS][MBUF_SMP_ITEMS];
	unsigned int n;			/* of each kind, to allocate or held */
	unsigned int fails;		/* allocations that returned NULL */
	int how;			/* M_WAITOK or M_NOWAIT */
};

static void *mbuf_smp_alloc_one(enum mbuf_smp_kind kind, int how)
{
	switch (kind) {
	case MBUF_SMP_MBUF:
		return m_get(how, MT_DATA);
	case MBUF_SMP_PACKET:
		return m_getcl(how, MT_DATA, M_PKTHDR);
	case MBUF_SMP_CLUSTER:
		return uma_zalloc(zone_clust, how);
	case MBUF_SMP_JUMBOP:
		return m_getjcl(how, MT_DATA, M_PKTHDR, MJUMPAGESIZE);
	default:
		return NULL;
	}
}

static void mbuf_smp_free_one(enum mbuf_smp_kind kind, void *item)
{
	if (kind == MBUF_SMP_CLUSTER)
		uma_zfree(zone_clust, item);
	else
		m_freem(item);
}

static void mbuf_smp_alloc_fn(struct mbuf_smp_call *call)
{
	struct mbuf_smp_items *it = call->arg;
	unsigned int k, i;

	for (k = 0; k < MBUF_SMP_NKINDS; k++) {
		for (i = 0; i < it->n; i++) {
			it->item[k][i] = mbuf_smp_alloc_one(k, it->how);
			if (!it->item[k][i])
				it->fails++;
		}
	}
}

static void mbuf_smp_free_fn(struct mbuf_smp_call *call)
{
	struct mbuf_smp_items *it = call->arg;
	unsigned int k, i;

	for (k = 0; k < MBUF_SMP_NKINDS; k++) {
		for (i = 0; i < it->n; i++) {
			if (it->item[k][i])
				mbuf_smp_free_one(k, it->item[k][i]);
			it->item[k][i] = NULL;
		}
	}
}

/*
 * Wait for the flushes that a limit hit queued (the max-action, the packet
 * cache drain): while one runs, items are between a magazine and the
 * backend, and the charge is briefly above what is in use and cached.
 */
static void mbuf_smp_quiet(void)
{
	int z;

	for (z = 0; z < MBZ_NALL; z++)
		flush_work(&MBZ(z)->drain_work);
	mbuf_reclaim_wait();
}

/* Every zone's in-use count is at the case's baseline. */
static void mbuf_smp_expect_in_use(struct kunit *test, const char *when)
{
	struct mbuf_zk_base *b = test->priv;
	struct mbuf_zone_stats st;
	int z;

	for (z = 0; z < MBZ_NZONES; z++) {
		mbuf_zone_get_stats(MBZ(z), &st);
		KUNIT_EXPECT_EQ_MSG(test, st.in_use, b->st[z].in_use,
				    "zone %s: in use %s", MBZ(z)->name, when);
	}
}

/* Pairs in use of pair zone @p (its mbufs and clusters are charged elsewhere). */
static long mbuf_smp_pairs_in_use(int p)
{
	struct mbuf_zone_stats st;

	mbuf_zone_get_stats(MBZ(p), &st);
	return st.in_use;
}

/*
 * Items of zone @z in use as halves of pairs: the packet zone's for mbufs
 * and 2 KiB clusters, a jumbo pair zone's for mbufs and its jumbo size.
 */
static long mbuf_smp_paired(int z)
{
	static const int jumbo[] = { MBZ_JUMBOP, MBZ_JUMBO9, MBZ_JUMBO16 };
	unsigned int i;
	long n = 0;

	if (z == MBZ_MBUF || z == MBZ_CLUST)
		n += mbuf_smp_pairs_in_use(MBZ_PACK);
	for (i = 0; i < ARRAY_SIZE(jumbo); i++)
		if (z == MBZ_MBUF || z == jumbo[i])
			n += mbuf_smp_pairs_in_use(mbuf_jumbo_pair_id(jumbo[i]));
	return n;
}

/*
 * The accounting invariant, nobody allocating: each charging zone is
 * charged for exactly its items in use and cached (and the pair zones'
 * pairs, for their halves). With @flushed, nothing is cached.
 */
static void mbuf_smp_expect_balanced(struct kunit *test, bool flushed,
				     const char *when)
{
	struct mbuf_zone_stats st;
	int z;

	for (z = MBZ_NZONES; flushed && z < MBZ_NALL; z++) {
		mbuf_zone_get_stats(MBZ(z), &st);
		KUNIT_EXPECT_EQ_MSG(test, st.cached, 0UL,
				    "zone %s: cached after a flush (%s)",
				    MBZ(z)->name, when);
	}
	mbuf_zone_get_stats(MBZ(MBZ_PACK), &st);
	if (flushed)
		KUNIT_EXPECT_EQ_MSG(test, st.cached, 0UL,
				    "zone %s: cached after a flush (%s)",
				    MBZ(MBZ_PACK)->name, when);
	for (z = 0; z < MBZ_NZONES; z++) {
		if (z == MBZ_PACK)
			continue;
		mbuf_zone_get_stats(MBZ(z), &st);
		KUNIT_EXPECT_EQ_MSG(test, st.charged, mbuf_zone_outstanding(MBZ(z)),
				    "zone %s: charged != in use + cached (%s)",
				    MBZ(z)->name, when);
		if (!flushed)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, st.cached, 0UL,
				    "zone %s: cached after a flush (%s)",
				    MBZ(z)->name, when);
		KUNIT_EXPECT_EQ_MSG(test, st.charged,
				    st.in_use + mbuf_smp_paired(z),
				    "zone %s: charged != in use after a flush (%s)",
				    MBZ(z)->name, when);
	}
}

/* Allocation and free contexts: the parameter is the allocating one. */
static const enum mbuf_smp_ctx mbuf_smp_ctxs[] = {
	MBUF_SMP_TASK, MBUF_SMP_BH_OFF, MBUF_SMP_IRQS_OFF, MBUF_SMP_SOFTIRQ,
	MBUF_SMP_HARDIRQ,
};

static void mbuf_smp_ctx_desc(const enum mbuf_smp_ctx *ctx, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "alloc in %s",
		 mbuf_smp_ctx_names[*ctx]);
}

KUNIT_ARRAY_PARAM(mbuf_smp_ctx, mbuf_smp_ctxs, mbuf_smp_ctx_desc);

/* Allocate on one CPU in one context, free on another in every context. */
static void mbuf_smp_contexts(struct kunit *test)
{
	const enum mbuf_smp_ctx actx = *(const enum mbuf_smp_ctx *)
					test->param_value;
	struct mbuf_smp_items *it;
	struct mbuf_smp_call *call;
	enum mbuf_smp_ctx fctx;
	int acpu, fcpu;

	it = kunit_kzalloc(test, sizeof(*it), GFP_KERNEL);
	call = kunit_kzalloc(test, sizeof(*call), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, it);
	KUNIT_ASSERT_NOT_NULL(test, call);
	call->arg = it;
	acpu = cpumask_first(cpu_online_mask);
	for (fctx = 0; fctx < MBUF_SMP_NCTX; fctx++) {
		/* A different pair of CPUs each time. */
		acpu = mbuf_smp_cpu_after(acpu, 1);
		fcpu = mbuf_smp_cpu_after(acpu, 1 + fctx % 2);
		if (fcpu == acpu)
			fcpu = mbuf_smp_cpu_after(acpu, 1);
		KUNIT_ASSERT_NE(test, acpu, fcpu);

		it->n = MBUF_SMP_ITEMS;
		it->fails = 0;
		it->how = mbuf_smp_how(actx);
		mbuf_smp_run(test, call, acpu, actx, mbuf_smp_alloc_fn);
		KUNIT_EXPECT_EQ_MSG(test, it->fails, 0U,
				    "allocations failed in %s on CPU %d",
				    mbuf_smp_ctx_names[actx], acpu);
		mbuf_smp_run(test, call, fcpu, fctx, mbuf_smp_free_fn);
		mbuf_smp_expect_in_use(test, "after the free on another CPU");
		mbuf_smp_expect_balanced(test, false, mbuf_smp_ctx_names[fctx]);
	}
	mbuf_zk_quiesce();
	mbuf_smp_expect_balanced(test, true, "after the case");
}

/* The limit case: one of the threads. */
struct mbuf_smp_racer {
	struct task_struct *task;
	struct completion done;
	struct mbuf_smp_race *race;
	bool nowait;			/* grab with M_NOWAIT until it fails */
	/* written by the thread, read after it finished */
	unsigned long got, fails, waitok_null, over_limit;
	void *held[MBUF_SMP_ROOM + 1];
	bool held_pkt[MBUF_SMP_ROOM + 1];
};

struct mbuf_smp_race {
	long max;			/* the cluster zone's limit */
	long room;			/* clusters the racers may hold together */
	atomic_long_t held;		/* clusters the racers hold now */
	struct completion go;		/* all racers are bound and woken */
};

/* Allocate a cluster (bare, or in a packet) and check the limit. */
static void *mbuf_smp_race_get(struct mbuf_smp_racer *r, int how, bool pkt)
{
	struct mbuf_smp_race *race = r->race;
	void *item;

	item = pkt ? (void *)m_getcl(how, MT_DATA, 0) :
		     uma_zalloc(zone_clust, how);
	if (!item) {
		if (how & M_WAITOK)
			r->waitok_null++;
		else
			r->fails++;
		return NULL;
	}
	r->got++;
	if (atomic_long_inc_return(&race->held) > race->room ||
	    atomic_long_read(&MBZ(MBZ_CLUST)->charged) > race->max)
		r->over_limit++;
	return item;
}

static void mbuf_smp_race_put(struct mbuf_smp_racer *r, void *item, bool pkt)
{
	atomic_long_dec(&r->race->held);
	if (pkt)
		m_freem(item);
	else
		uma_zfree(zone_clust, item);
}

static int mbuf_smp_racer_fn(void *arg)
{
	struct mbuf_smp_racer *r = arg;
	unsigned int round, n, i;
	void *item;

	/* Start together, so that the zone is contended from the start. */
	wait_for_completion(&r->race->go);
	for (round = 0; round < MBUF_SMP_LIMIT_ROUNDS; round++) {
		if (!r->nowait) {
			/* One at a time, sleeping at the limit. */
			item = mbuf_smp_race_get(r, M_WAITOK, round & 1);
			if (item) {
				usleep_range(20, 40);
				mbuf_smp_race_put(r, item, round & 1);
			}
			cond_resched();
			continue;
		}
		/* Grab until the zone says no (or more than the room). */
		for (n = 0; n <= MBUF_SMP_ROOM; n++) {
			r->held_pkt[n] = (round + n) & 1;
			r->held[n] = mbuf_smp_race_get(r, M_NOWAIT,
						       r->held_pkt[n]);
			if (!r->held[n])
				break;
		}
		usleep_range(50, 100);
		for (i = 0; i < n; i++)
			mbuf_smp_race_put(r, r->held[i], r->held_pkt[i]);
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/* Several CPUs at the cluster limit at once, M_NOWAIT and M_WAITOK. */
static void mbuf_smp_limit(struct kunit *test)
{
	unsigned long got = 0, fails = 0, null = 0, over = 0, hung = 0;
	struct mbuf_zone_stats before, after;
	unsigned int nr = 2 * num_online_cpus(), i;
	struct mbuf_smp_racer *r;
	struct mbuf_smp_race *race;
	int cpu;

	r = kunit_kcalloc(test, nr, sizeof(*r), GFP_KERNEL);
	race = kunit_kzalloc(test, sizeof(*race), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, race);

	mbuf_zone_get_stats(MBZ(MBZ_CLUST), &before);
	race->room = MBUF_SMP_ROOM;
	race->max = before.charged + race->room;
	init_completion(&race->go);
	mbuf_zone_set_limit(MBZ(MBZ_CLUST), race->max);

	cpu = cpumask_first(cpu_online_mask);
	for (i = 0; i < nr; i++) {
		r[i].race = race;
		r[i].nowait = !(i & 1);
		init_completion(&r[i].done);
		r[i].task = kthread_create(mbuf_smp_racer_fn, &r[i],
					   "mbuf_smp/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r[i].task));
		kthread_bind(r[i].task, cpu);
		if (i & 1)
			cpu = mbuf_smp_cpu_after(cpu, 1);
	}
	for (i = 0; i < nr; i++)
		wake_up_process(r[i].task);
	complete_all(&race->go);
	for (i = 0; i < nr; i++) {
		if (wait_for_completion_timeout(&r[i].done,
						MBUF_SMP_LIMIT_TIMEOUT))
			continue;
		/* A sleeper nobody woke: fail, and let it go. */
		hung++;
		mbuf_zone_set_limit(MBZ(MBZ_CLUST), 0);
		wait_for_completion(&r[i].done);
	}
	for (i = 0; i < nr; i++) {
		got += r[i].got;
		fails += r[i].fails;
		null += r[i].waitok_null;
		over += r[i].over_limit;
	}
	mbuf_zone_get_stats(MBZ(MBZ_CLUST), &after);
	kunit_info(test, "%u threads: %lu clusters, %lu M_NOWAIT failures, %lu sleeps, %ld limit hits\n",
		   nr, got, fails, after.sleeps - before.sleeps,
		   after.limit_hits - before.limit_hits);

	KUNIT_EXPECT_EQ_MSG(test, hung, 0UL, "threads not woken at the limit");
	KUNIT_EXPECT_EQ_MSG(test, null, 0UL, "M_WAITOK returned NULL");
	KUNIT_EXPECT_EQ_MSG(test, over, 0UL,
			    "allocations took the zone over its limit");
	KUNIT_EXPECT_EQ(test, atomic_long_read(&race->held), 0L);
	KUNIT_EXPECT_GT_MSG(test, fails, 0UL, "M_NOWAIT never hit the limit");
	KUNIT_EXPECT_GT_MSG(test, after.sleeps, before.sleeps,
			    "M_WAITOK never slept at the limit");
	KUNIT_EXPECT_GT(test, after.limit_hits, before.limit_hits);
	KUNIT_EXPECT_EQ(test, atomic_read(&MBZ(MBZ_CLUST)->sleepers), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&MBZ(MBZ_CLUST)->bypass), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&MBZ(MBZ_PACK)->bypass), 0);
	KUNIT_EXPECT_LE(test, atomic_long_read(&MBZ(MBZ_CLUST)->charged),
			race->max);
	mbuf_smp_expect_in_use(test, "after the race");
	mbuf_smp_quiet();
	mbuf_smp_expect_balanced(test, false, "after the race");
	mbuf_zk_quiesce();
	mbuf_smp_expect_balanced(test, true, "after the race, flushed");
}

/* Allocate it->n of each kind, then free the first half of them. */
static void mbuf_smp_leave_cached_fn(struct mbuf_smp_call *call)
{
	struct mbuf_smp_items *it = call->arg;
	unsigned int k, i;

	mbuf_smp_alloc_fn(call);
	for (k = 0; k < MBUF_SMP_NKINDS; k++) {
		for (i = 0; i < it->n / 2; i++) {
			if (it->item[k][i])
				mbuf_smp_free_one(k, it->item[k][i]);
			it->item[k][i] = NULL;
		}
	}
}

/* charged == in use + cached at quiescence; == in use after a flush. */
static void mbuf_smp_accounting(struct kunit *test)
{
	static const enum mbuf_smp_ctx ctxs[] = {
		MBUF_SMP_TASK, MBUF_SMP_SOFTIRQ,
	};
	unsigned int ncpu = num_online_cpus(), nsets, s = 0, c;
	struct mbuf_smp_items *sets;
	struct mbuf_smp_call *call;
	struct mbuf_zone_stats st;
	unsigned long cached = 0;
	int cpu, z;

	nsets = ncpu * ARRAY_SIZE(ctxs);
	sets = kunit_kcalloc(test, nsets, sizeof(*sets), GFP_KERNEL);
	call = kunit_kzalloc(test, sizeof(*call), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sets);
	KUNIT_ASSERT_NOT_NULL(test, call);

	/* Different amounts on each CPU and level: partial magazines. */
	for_each_online_cpu(cpu) {
		for (c = 0; c < ARRAY_SIZE(ctxs); c++, s++) {
			sets[s].n = MBUF_SMP_ITEMS - 37 * s % MBZ_MAG_MAX;
			sets[s].how = mbuf_smp_how(ctxs[c]);
			call->arg = &sets[s];
			mbuf_smp_run(test, call, cpu, ctxs[c],
				     mbuf_smp_leave_cached_fn);
			KUNIT_EXPECT_EQ(test, sets[s].fails, 0U);
		}
	}
	for (z = 0; z < MBZ_NZONES; z++) {
		mbuf_zone_get_stats(MBZ(z), &st);
		cached += st.cached;
	}
	KUNIT_EXPECT_GT_MSG(test, cached, 0UL, "nothing was left cached");
	mbuf_smp_expect_balanced(test, false, "items in use and cached");

	mbuf_zk_quiesce();
	mbuf_smp_expect_balanced(test, true, "items in use, flushed");

	/* The held halves go back from the next CPU, in task context. */
	for (s = 0, cpu = cpumask_first(cpu_online_mask); s < nsets; s++) {
		cpu = mbuf_smp_cpu_after(cpu, 1);
		call->arg = &sets[s];
		mbuf_smp_run(test, call, cpu, MBUF_SMP_TASK, mbuf_smp_free_fn);
	}
	mbuf_smp_expect_in_use(test, "after the held items were freed");
	mbuf_smp_expect_balanced(test, false, "all freed");
	mbuf_zk_quiesce();
	mbuf_smp_expect_balanced(test, true, "all freed, flushed");
	for (z = 0; z < MBZ_NZONES; z++) {
		struct mbuf_zk_base *b = test->priv;

		mbuf_zone_get_stats(MBZ(z), &st);
		KUNIT_EXPECT_EQ_MSG(test, st.charged, b->st[z].charged,
				    "zone %s: charge not back at its baseline",
				    MBZ(z)->name);
	}
}

static struct kunit_case mbuf_smp_cases[] = {
	KUNIT_CASE_PARAM(mbuf_smp_contexts, mbuf_smp_ctx_gen_params),
	KUNIT_CASE(mbuf_smp_limit),
	KUNIT_CASE(mbuf_smp_accounting),
	{}
};

static struct kunit_suite mbuf_smp_suite = {
	.name = "mbuf_smp",
	.init = mbuf_smp_init,
	.exit = mbuf_smp_exit,
	.test_cases = mbuf_smp_cases,
};

kunit_test_suite(mbuf_smp_suite);
