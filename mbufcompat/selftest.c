// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * debugfs workloads for checking a loaded module on a real kernel (the
 * KUnit suites cover the same ground in UML, one CPU at a time):
 *
 *   stress  write "<threads> <iterations>": kernel threads, bound to the
 *           online CPUs in turn, allocate every kind of mbuf, share their
 *           storage (m_copym(), mb_dupcl()), hand one of each pair to the
 *           next thread through a locked queue so that it is freed on
 *           another CPU, and free the other. Afterwards the caches are
 *           flushed and every zone's in-use count must be back where it
 *           was. The write returns the byte count on success and -EIO if
 *           anything did not balance; reading the file shows the last
 *           result, zone by zone.
 *   leak    write N: allocate N mbufs and keep them forever, to exercise
 *           unloading with mbufs outstanding; reading shows how many. At
 *           most MBUF_LEAK_MAX held in all.
 *   fill    write N: allocate N mbuf+cluster pairs and free them all, which
 *           leaves the allocator's caches holding items (for the shrinker
 *           test under memory pressure). N may not exceed nmbclusters:
 *           the N pairs are all held at once.
 *
 * Test code: built only with CONFIG_MBUFCOMPAT_DEBUG.
 *
 * All run in the writer's process context and are serialised by one
 * mutex, so concurrent writers wait their turn (interruptibly). The in-use
 * check assumes nothing else allocates mbufs meanwhile.
 *
 * "leak" and "fill" never sleep at a limit the way M_WAITOK does: they
 * allocate with M_NOWAIT and, when that fails, retry every
 * MBUF_KNOB_RETRY_MS until MBUF_KNOB_PATIENCE_MS pass without one success
 * or a signal arrives. Then they free what this write allocated and fail
 * (-ENOBUFS, -EINTR), so a count the system cannot satisfy returns an
 * error promptly instead of hanging the writer (and the mutex) forever.
 * A count out of range is refused with -EINVAL before anything happens.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "internal.h"

#define MBUF_STRESS_MAX_THREADS	64
#define MBUF_STRESS_MAX_ITERS	10000000UL
#define MBUF_STRESS_INBOX	32	/* packets queued per thread, at most */
#define MBUF_STRESS_CHAIN_MAX	20000	/* longest m_getm2() chain, bytes */
#define MBUF_STRESS_KINDS	9
#define MBUF_STRESS_REPORT	2048
#define MBUF_LEAK_MAX		65536UL	/* mbufs "leak" may hold in all */
#define MBUF_FILL_MAX		1048576UL	/* pairs per "fill", at most */
#define MBUF_KNOB_RETRY_MS	10
#define MBUF_KNOB_PATIENCE_MS	2000

struct mbuf_stress_thread {
	struct task_struct *task;
	struct mbuf_stress_thread *next;	/* where handed mbufs go */
	unsigned int idx;
	unsigned long iterations;
	struct completion done;			/* the workload has run */
	spinlock_t lock;			/* protects inbox */
	struct mbufq inbox;
	/* written by the thread only, read after it stopped */
	unsigned long allocs, nowait_fails, handed, remote_frees, errors;
};

static DEFINE_MUTEX(mbuf_selftest_lock);
/* The last stress result; under mbuf_selftest_lock. */
static char mbuf_stress_report[MBUF_STRESS_REPORT] = "no run yet\n";
/* Mbufs kept by "leak"; under mbuf_selftest_lock, never freed. */
static struct mbufq mbuf_leaked;
static struct dentry *mbuf_stress_file, *mbuf_leak_file, *mbuf_fill_file;

static struct mbuf *mbuf_stress_alloc(unsigned long i, unsigned int kind,
				      int how)
{
	switch (kind) {
	case 0:
		return m_get(how, MT_DATA);
	case 1:
		return m_gethdr(how, MT_DATA);
	case 2:
		return m_getcl(how, MT_DATA, M_PKTHDR);
	case 3:
		return m_getjcl(how, MT_DATA, M_PKTHDR, MJUMPAGESIZE);
	case 4:
		return m_getjcl(how, MT_DATA, M_PKTHDR, MJUM9BYTES);
	case 5:
		return m_getjcl(how, MT_DATA, M_PKTHDR, MJUM16BYTES);
	case 6:
		return m_get2(i % (MJUMPAGESIZE + 1), how, MT_DATA, M_PKTHDR);
	case 7:
		return m_get3(i % (MJUM16BYTES + 1), how, MT_DATA, M_PKTHDR);
	default:
		return m_getm2(NULL, 1 + i % MBUF_STRESS_CHAIN_MAX, how,
			       MT_DATA, M_PKTHDR | M_EOR);
	}
}

/* Fill every mbuf of a fresh chain with @pat; returns the total length. */
static int mbuf_stress_fill(struct mbuf *m, u8 pat)
{
	struct mbuf *top = m;
	int total = 0;

	for (; m; m = m->m_next) {
		m->m_len = min_t(int, M_TRAILINGSPACE(m), 512);
		memset(mtod(m, void *), pat, m->m_len);
		total += m->m_len;
	}
	if (top->m_flags & M_PKTHDR)
		top->m_pkthdr.len = total;
	return total;
}

/* True if the chain holds @len bytes, all @pat. */
static bool mbuf_stress_check(const struct mbuf *m, u8 pat, int len)
{
	char buf[64];
	int off, n;

	for (off = 0; off < len; off += n) {
		n = min_t(int, len - off, sizeof(buf));
		m_copydata(m, off, n, buf);
		if (memchr_inv(buf, pat, n))
			return false;
	}
	return true;
}

/* Give @m to the next thread to free, or free it here if its queue is full. */
static void mbuf_stress_handoff(struct mbuf_stress_thread *t, struct mbuf *m)
{
	struct mbuf_stress_thread *to = t->next;
	int full;

	spin_lock(&to->lock);
	full = mbufq_enqueue(&to->inbox, m);
	spin_unlock(&to->lock);
	if (full)
		m_freem(m);
	else
		t->handed++;
}

static unsigned long mbuf_stress_free_queue(struct mbuf *m)
{
	unsigned long n = 0;
	struct mbuf *next;

	for (; m; m = next, n++) {
		next = STAILQ_NEXT(m, m_stailqpkt);
		m->m_nextpkt = NULL;
		m_freem(m);
	}
	return n;
}

static void mbuf_stress_drain_inbox(struct mbuf_stress_thread *t)
{
	struct mbuf *m;

	spin_lock(&t->lock);
	m = mbufq_flush(&t->inbox);
	spin_unlock(&t->lock);
	t->remote_frees += mbuf_stress_free_queue(m);
}

/*
 * One round: allocate, fill, share the storage with a second mbuf (a copy
 * by reference, or mb_dupcl() directly), check the sharer sees the data,
 * hand one of the two to the next thread and free the other.
 */
static void mbuf_stress_round(struct mbuf_stress_thread *t, unsigned long i)
{
	int how = (i & 1) ? M_NOWAIT : M_WAITOK;
	u8 pat = (u8)(t->idx * 31 + i);
	struct mbuf *m, *n;
	int len;

	m = mbuf_stress_alloc(i, (i + t->idx) % MBUF_STRESS_KINDS, how);
	if (!m) {
		if (how == M_NOWAIT)
			t->nowait_fails++;
		else
			t->errors++;	/* M_WAITOK must not fail */
		return;
	}
	t->allocs++;
	len = mbuf_stress_fill(m, pat);

	if ((i & 2) && (m->m_flags & M_EXT)) {
		n = m_get(M_NOWAIT, MT_DATA);
		if (n) {
			mb_dupcl(n, m);
			n->m_data = m->m_data;
			n->m_len = m->m_len;
			if (m_extrefcnt(m) < 2)
				t->errors++;
			len = m->m_len;
		}
	} else {
		n = m_copym(m, 0, M_COPYALL, M_NOWAIT);
	}
	if (!n) {
		t->nowait_fails++;
		m_freem(m);
		return;
	}
	if (!mbuf_stress_check(n, pat, len))
		t->errors++;

	if (i & 4) {
		mbuf_stress_handoff(t, n);
		m_freem(m);
	} else {
		mbuf_stress_handoff(t, m);
		m_freem(n);
	}
}

static int mbuf_stress_thread_fn(void *arg)
{
	struct mbuf_stress_thread *t = arg;
	unsigned long i;

	for (i = 0; i < t->iterations; i++) {
		mbuf_stress_round(t, i);
		mbuf_stress_drain_inbox(t);
		if ((i & 15) == 15)
			cond_resched();
	}
	complete(&t->done);
	/*
	 * Wait to be stopped: a thread stopped before it first ran would
	 * skip its workload, so the runner waits for "done" instead.
	 */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void mbuf_stress_snapshot(long *in_use)
{
	struct mbuf_zone_stats st;
	int z;

	/* Cached pairs hold mbufs and clusters: give them back first. */
	mbuf_zones_flush_all();
	for (z = 0; z < MBZ_NZONES; z++) {
		mbuf_zone_get_stats(&mbuf_zones[z], &st);
		in_use[z] = st.in_use;
	}
}

/* Start the threads on successive online CPUs; returns how many started. */
static unsigned int mbuf_stress_start(struct mbuf_stress_thread *t,
				      unsigned int nthreads)
{
	unsigned int i, cpu = cpumask_first(cpu_online_mask);

	for (i = 0; i < nthreads; i++) {
		t[i].task = kthread_create(mbuf_stress_thread_fn, &t[i],
					   "mbuf_stress/%u", i);
		if (IS_ERR(t[i].task))
			break;
		get_task_struct(t[i].task);
		kthread_bind(t[i].task, cpu);
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	}
	return i;
}

static int mbuf_stress_run(unsigned int nthreads, unsigned long iterations)
{
	long before[MBZ_NZONES], after[MBZ_NZONES];
	unsigned long allocs = 0, fails = 0, handed = 0, remote = 0, errors = 0;
	struct mbuf_stress_thread *t;
	unsigned int i, started;
	size_t len = 0;
	bool balanced = true;
	int z;

	t = kcalloc(nthreads, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < nthreads; i++) {
		t[i].idx = i;
		t[i].iterations = iterations;
		t[i].next = &t[(i + 1) % nthreads];
		init_completion(&t[i].done);
		spin_lock_init(&t[i].lock);
		mbufq_init(&t[i].inbox, MBUF_STRESS_INBOX);
	}

	mbuf_stress_snapshot(before);
	started = mbuf_stress_start(t, nthreads);
	for (i = 0; i < started; i++)
		wake_up_process(t[i].task);
	for (i = 0; i < started; i++)
		wait_for_completion(&t[i].done);
	for (i = 0; i < started; i++) {
		kthread_stop(t[i].task);
		put_task_struct(t[i].task);
	}
	/* What was handed over after its receiver finished. */
	for (i = 0; i < nthreads; i++) {
		mbuf_stress_drain_inbox(&t[i]);
		allocs += t[i].allocs;
		fails += t[i].nowait_fails;
		handed += t[i].handed;
		remote += t[i].remote_frees;
		errors += t[i].errors;
	}
	mbuf_stress_snapshot(after);
	kfree(t);

	len += scnprintf(mbuf_stress_report + len, MBUF_STRESS_REPORT - len,
			 "threads %u/%u iterations %lu allocs %lu nowait_fails %lu handed %lu remote_frees %lu errors %lu\n",
			 started, nthreads, iterations, allocs, fails, handed,
			 remote, errors);
	len += scnprintf(mbuf_stress_report + len, MBUF_STRESS_REPORT - len,
			 "%-16s %12s %12s\n", "zone", "in_use_before",
			 "in_use_after");
	for (z = 0; z < MBZ_NZONES; z++) {
		if (after[z] != before[z])
			balanced = false;
		len += scnprintf(mbuf_stress_report + len,
				 MBUF_STRESS_REPORT - len, "%-16s %12ld %12ld%s\n",
				 mbuf_zones[z].name, before[z], after[z],
				 after[z] != before[z] ? "  UNBALANCED" : "");
	}
	balanced = balanced && !errors && started == nthreads;
	scnprintf(mbuf_stress_report + len, MBUF_STRESS_REPORT - len,
		  "result: %s\n", balanced ? "PASS" : "FAIL");
	if (started != nthreads)
		return -ENOMEM;
	return balanced ? 0 : -EIO;
}

/**
 * mbuf_selftest_stress() - run the SMP stress workload
 * @nthreads: kernel threads, 1 to 64, bound to the online CPUs in turn
 * @iterations: rounds per thread, 1 to 10^7
 *
 * What a write to debugfs "stress" does; also called by the KUnit suite.
 * Process context; waits for a workload already running.
 *
 * Return: 0 if every zone's in-use count came back to its value before the
 * run and no check failed, -EIO if not, -EINVAL for out-of-range
 * arguments, -ENOMEM if the threads could not be started, -EINTR if
 * interrupted while waiting.
 */
int mbuf_selftest_stress(unsigned int nthreads, unsigned long iterations)
{
	int err;

	if (!nthreads || nthreads > MBUF_STRESS_MAX_THREADS || !iterations ||
	    iterations > MBUF_STRESS_MAX_ITERS)
		return -EINVAL;
	if (mutex_lock_interruptible(&mbuf_selftest_lock))
		return -EINTR;
	err = mbuf_stress_run(nthreads, iterations);
	pr_info(MBUF_LOG_PREFIX "stress:\n%s", mbuf_stress_report);
	mutex_unlock(&mbuf_selftest_lock);
	return err;
}

/* Copy a short decimal command from user space, NUL-terminated. */
static int mbuf_selftest_get_cmd(const char __user *ubuf, size_t count,
				 char *buf, size_t size)
{
	if (count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	return 0;
}

static ssize_t mbuf_stress_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	unsigned long iterations;
	unsigned int nthreads;
	char buf[64];
	int err;

	err = mbuf_selftest_get_cmd(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (sscanf(buf, "%u %lu", &nthreads, &iterations) != 2)
		return -EINVAL;
	err = mbuf_selftest_stress(nthreads, iterations);
	return err ? err : count;
}

static ssize_t mbuf_stress_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	ssize_t ret;

	if (mutex_lock_interruptible(&mbuf_selftest_lock))
		return -EINTR;
	ret = simple_read_from_buffer(ubuf, count, ppos, mbuf_stress_report,
				      strlen(mbuf_stress_report));
	mutex_unlock(&mbuf_selftest_lock);
	return ret;
}

/* Parse a write of one count, 0 to @max. */
static int mbuf_selftest_get_count(const char __user *ubuf, size_t count,
				   unsigned long max, unsigned long *n)
{
	char buf[32];
	int err;

	err = mbuf_selftest_get_cmd(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	err = kstrtoul(strim(buf), 0, n);
	if (err)
		return err;
	return *n <= max ? 0 : -EINVAL;
}

/*
 * Allocate one item for a knob: @alloc with M_NOWAIT, retried while it
 * fails, until MBUF_KNOB_PATIENCE_MS without success or a signal. Returns
 * the item or an ERR_PTR (-ENOBUFS, -EINTR).
 */
static struct mbuf *mbuf_knob_alloc(struct mbuf *(*alloc)(void))
{
	unsigned long deadline = jiffies +
		msecs_to_jiffies(MBUF_KNOB_PATIENCE_MS);
	long pause = msecs_to_jiffies(MBUF_KNOB_RETRY_MS);
	struct mbuf *m;

	for (;;) {
		m = alloc();
		if (m)
			return m;
		if (signal_pending(current))
			return ERR_PTR(-EINTR);
		if (time_after(jiffies, deadline))
			return ERR_PTR(-ENOBUFS);
		schedule_timeout_interruptible(pause);
	}
}

static struct mbuf *mbuf_knob_mbuf(void)
{
	return m_get(M_NOWAIT, MT_DATA);
}

static struct mbuf *mbuf_knob_pair(void)
{
	return m_getcl(M_NOWAIT, MT_DATA, M_PKTHDR);
}

/*
 * Allocate @n items with @alloc onto @q, yielding now and then. On failure
 * frees what it put on @q and returns the error.
 */
static int mbuf_knob_fill_queue(struct mbufq *q, unsigned long n,
				struct mbuf *(*alloc)(void))
{
	unsigned long i;
	struct mbuf *m;

	for (i = 0; i < n; i++) {
		m = mbuf_knob_alloc(alloc);
		if (IS_ERR(m)) {
			mbufq_drain(q);
			return PTR_ERR(m);
		}
		mbufq_enqueue(q, m);
		if ((i & 255) == 255)
			cond_resched();
	}
	return 0;
}

static ssize_t mbuf_leak_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct mbufq q;
	unsigned long n;
	int err;

	err = mbuf_selftest_get_count(ubuf, count, MBUF_LEAK_MAX, &n);
	if (err)
		return err;
	if (mutex_lock_interruptible(&mbuf_selftest_lock))
		return -EINTR;
	if (n > MBUF_LEAK_MAX - mbufq_len(&mbuf_leaked)) {
		err = -EINVAL;
		goto out;
	}
	mbufq_init(&q, INT_MAX);
	err = mbuf_knob_fill_queue(&q, n, mbuf_knob_mbuf);
	if (err)
		goto out;
	mbufq_concat(&mbuf_leaked, &q);
	pr_warn(MBUF_LOG_PREFIX "selftest: now deliberately holding %d mbufs\n",
		mbufq_len(&mbuf_leaked));
out:
	mutex_unlock(&mbuf_selftest_lock);
	return err ? err : count;
}

/*
 * "fill": allocate N mbuf+cluster pairs, then free them all, so that the
 * allocator's per-CPU and depot caches hold items afterwards. Used to test
 * that the shrinker gives cached memory back under real memory pressure.
 */
static ssize_t mbuf_fill_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct mbufq q;
	unsigned long n;
	int err;

	err = mbuf_selftest_get_count(ubuf, count, MBUF_FILL_MAX, &n);
	if (err)
		return err;
	if (n > (unsigned long)max(READ_ONCE(nmbclusters), 0))
		return -EINVAL;
	mbufq_init(&q, INT_MAX);
	if (mutex_lock_interruptible(&mbuf_selftest_lock))
		return -EINTR;
	err = mbuf_knob_fill_queue(&q, n, mbuf_knob_pair);
	if (!err)
		mbufq_drain(&q);
	mutex_unlock(&mbuf_selftest_lock);
	return err ? err : count;
}

static ssize_t mbuf_leak_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	char buf[32];
	int len;

	if (mutex_lock_interruptible(&mbuf_selftest_lock))
		return -EINTR;
	len = scnprintf(buf, sizeof(buf), "%d\n", mbufq_len(&mbuf_leaked));
	mutex_unlock(&mbuf_selftest_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations mbuf_stress_fops = {
	.owner = THIS_MODULE,
	.write = mbuf_stress_write,
	.read = mbuf_stress_read,
	.llseek = default_llseek,
};

static const struct file_operations mbuf_fill_fops = {
	.owner = THIS_MODULE,
	.write = mbuf_fill_write,
	.llseek = default_llseek,
};

static const struct file_operations mbuf_leak_fops = {
	.owner = THIS_MODULE,
	.write = mbuf_leak_write,
	.read = mbuf_leak_read,
	.llseek = default_llseek,
};

/**
 * mbuf_selftest_init() - create the debugfs workload files
 *
 * Without debugfs there is nothing to create, which is not an error.
 *
 * Return: 0.
 */
int mbuf_selftest_init(void)
{
	mbufq_init(&mbuf_leaked, INT_MAX);
	if (IS_ERR_OR_NULL(mbuf_debugfs_dir))
		return 0;
	mbuf_stress_file = debugfs_create_file("stress", 0600, mbuf_debugfs_dir,
					       NULL, &mbuf_stress_fops);
	mbuf_leak_file = debugfs_create_file("leak", 0600, mbuf_debugfs_dir,
					     NULL, &mbuf_leak_fops);
	mbuf_fill_file = debugfs_create_file("fill", 0200, mbuf_debugfs_dir,
					     NULL, &mbuf_fill_fops);
	mbuf_trace_workload_init();
	return 0;
}

/**
 * mbuf_selftest_exit() - remove the debugfs workload files
 *
 * Waits for a running workload (debugfs removal drains active writers).
 * Mbufs held by "leak" stay allocated: that is the point of it.
 */
void mbuf_selftest_exit(void)
{
	mbuf_trace_workload_exit();
	debugfs_remove(mbuf_fill_file);
	debugfs_remove(mbuf_leak_file);
	debugfs_remove(mbuf_stress_file);
	if (mbufq_len(&mbuf_leaked))
		pr_warn(MBUF_LOG_PREFIX "selftest: leaving %d mbufs allocated on purpose\n",
			mbufq_len(&mbuf_leaked));
}
