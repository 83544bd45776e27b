// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mbuf_bufring: FreeBSD's buf_ring (<sys/buf_ring.h>), the drbr_* queue
 * on it (<net/ifq.h>) and the mbufq packet queue (<sys/mbuf.h>).
 *
 * Strategy. Rings hold tagged pointer values (never dereferenced) for the
 * ring semantics and real mbufs for drbr, whose enqueue frees what a full
 * ring refuses. The cases check FreeBSD's contract:
 *  - FIFO order, also across the wrap of the indices;
 *  - a ring of count slots holds count - 1; the next enqueue fails with
 *    ENOBUFS (positive) and counts br_drops; full / empty / count agree;
 *  - peek leaves the head, putback replaces it, advance drops it,
 *    dequeue_cond dequeues only when the predicate says so;
 *  - drbr_enqueue frees a refused packet, drbr_flush and drbr_free free
 *    the queued ones (the zones end at their baseline);
 *  - several producer threads against one consumer (dequeue_sc) and
 *    against two consumers (dequeue_mc): nothing lost or duplicated and
 *    each producer's values in its order;
 *  - buf_ring_alloc refuses a count that is not a power of 2 and bad
 *    flags, and fails cleanly under injected allocation failure;
 *  - mbufq: limit, FIFO, prepend, concat, drain.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/ifq.h>
#include <sys/buf_ring.h>
#include "mbuf_kpi_kunit.h"

#define TAG(v)	((void *)(uintptr_t)(0x1000 + (v)))
#define UNTAG(p) ((unsigned long)(uintptr_t)(p) - 0x1000)

static void mbuf_bufring_fifo_full(struct kunit *test)
{
	struct buf_ring *br = buf_ring_alloc(8, NULL, M_WAITOK, NULL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, br);
	KUNIT_EXPECT_TRUE(test, buf_ring_empty(br));
	KUNIT_EXPECT_NULL(test, buf_ring_dequeue_sc(br));
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_EQ(test, buf_ring_enqueue(br, TAG(i)), 0);
	KUNIT_EXPECT_TRUE(test, buf_ring_full(br));
	KUNIT_EXPECT_EQ(test, buf_ring_count(br), 7);
	KUNIT_EXPECT_EQ(test, buf_ring_enqueue(br, TAG(99)), ENOBUFS);
	KUNIT_EXPECT_EQ(test, buf_ring_enqueue(br, TAG(99)), ENOBUFS);
	KUNIT_EXPECT_EQ(test, br->br_drops, 2ULL);
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_PTR_EQ(test, buf_ring_dequeue_sc(br), TAG(i));
	KUNIT_EXPECT_TRUE(test, buf_ring_empty(br));
	KUNIT_EXPECT_FALSE(test, buf_ring_full(br));
	KUNIT_EXPECT_EQ(test, buf_ring_count(br), 0);
	KUNIT_EXPECT_NULL(test, buf_ring_dequeue_mc(br));
	buf_ring_free(br, NULL);
}

static void mbuf_bufring_wrap(struct kunit *test)
{
	struct buf_ring *br = buf_ring_alloc(4, NULL, M_WAITOK, NULL);
	int round, i, next = 0, want = 0;

	KUNIT_ASSERT_NOT_NULL(test, br);
	for (round = 0; round < 100; round++) {
		for (i = 0; i < 3; i++)
			KUNIT_EXPECT_EQ(test, buf_ring_enqueue(br, TAG(next++)), 0);
		KUNIT_EXPECT_EQ(test, buf_ring_count(br), 3);
		/* Alternate the two consumer forms. */
		for (i = 0; i < 3; i++)
			KUNIT_EXPECT_PTR_EQ(test, (round & 1) ?
					    buf_ring_dequeue_mc(br) :
					    buf_ring_dequeue_sc(br),
					    TAG(want++));
	}
	KUNIT_EXPECT_TRUE(test, buf_ring_empty(br));
	KUNIT_EXPECT_EQ(test, br->br_drops, 0ULL);
	buf_ring_free(br, NULL);
}

static int mbuf_bufring_is_b(struct mbuf *m, void *arg)
{
	return (void *)m == arg;
}

static void mbuf_bufring_peek_putback(struct kunit *test)
{
	struct buf_ring *br = buf_ring_alloc(4, NULL, M_WAITOK, NULL);

	KUNIT_ASSERT_NOT_NULL(test, br);
	KUNIT_EXPECT_NULL(test, buf_ring_peek(br));
	KUNIT_EXPECT_EQ(test, buf_ring_enqueue(br, TAG(1)), 0);
	KUNIT_EXPECT_EQ(test, buf_ring_enqueue(br, TAG(2)), 0);
	KUNIT_EXPECT_PTR_EQ(test, buf_ring_peek(br), TAG(1));
	KUNIT_EXPECT_PTR_EQ(test, buf_ring_peek_clear_sc(br), TAG(1));
	KUNIT_EXPECT_EQ(test, buf_ring_count(br), 2);
	buf_ring_putback_sc(br, TAG(3));
	KUNIT_EXPECT_PTR_EQ(test, buf_ring_peek(br), TAG(3));
	KUNIT_EXPECT_EQ(test, buf_ring_count(br), 2);
	buf_ring_advance_sc(br);
	KUNIT_EXPECT_EQ(test, buf_ring_count(br), 1);
	KUNIT_EXPECT_PTR_EQ(test, buf_ring_peek(br), TAG(2));
	/* drbr_dequeue_cond: only when the predicate accepts the head. */
	KUNIT_EXPECT_NULL(test, drbr_dequeue_cond(NULL, br, mbuf_bufring_is_b,
						  TAG(7)));
	KUNIT_EXPECT_EQ(test, buf_ring_count(br), 1);
	KUNIT_EXPECT_PTR_EQ(test, drbr_dequeue_cond(NULL, br, mbuf_bufring_is_b,
						    TAG(2)), TAG(2));
	KUNIT_EXPECT_TRUE(test, buf_ring_empty(br));
	buf_ring_advance_sc(br);	/* empty: nothing happens */
	KUNIT_EXPECT_EQ(test, buf_ring_count(br), 0);
	buf_ring_free(br, NULL);
}

static void mbuf_bufring_drbr(struct kunit *test)
{
	struct buf_ring *br = buf_ring_alloc(4, NULL, M_WAITOK, NULL);
	struct mbuf *m[5];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, br);
	if (!mbuf_kunit_get_n(test, m, 5, M_PKTHDR)) {
		buf_ring_free(br, NULL);
		return;
	}
	KUNIT_EXPECT_TRUE(test, drbr_empty(NULL, br));
	KUNIT_EXPECT_FALSE(test, drbr_needs_enqueue(NULL, br));
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, drbr_enqueue(NULL, br, m[i]), 0);
	/* Full: the packet is freed. */
	KUNIT_EXPECT_EQ(test, drbr_enqueue(NULL, br, m[3]), ENOBUFS);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 4L);
	KUNIT_EXPECT_EQ(test, drbr_inuse(NULL, br), 3);
	KUNIT_EXPECT_TRUE(test, drbr_needs_enqueue(NULL, br));
	KUNIT_EXPECT_PTR_EQ(test, drbr_peek(NULL, br), m[0]);
	drbr_putback(NULL, br, m[0]);
	KUNIT_EXPECT_PTR_EQ(test, drbr_dequeue(NULL, br), m[0]);
	m_freem(m[0]);
	KUNIT_EXPECT_PTR_EQ(test, drbr_peek(NULL, br), m[1]);
	drbr_advance(NULL, br);		/* "sent": the driver owns m[1] */
	m_freem(m[1]);
	drbr_flush(NULL, br);		/* frees m[2] */
	KUNIT_EXPECT_TRUE(test, drbr_empty(NULL, br));
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 1L);
	KUNIT_EXPECT_EQ(test, drbr_enqueue(NULL, br, m[4]), 0);
	drbr_free(br, NULL);		/* frees m[4] and the ring */
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
}

/* Concurrent producers and consumers. */
#define MP_PRODUCERS	4
#define MP_PER_PRODUCER	4000
#define MP_VAL(p, s)	(((unsigned long)(p) << 20) | (s))

struct mbuf_bufring_mp {
	struct buf_ring		*br;
	atomic_t		running;
	struct completion	done;
	atomic_long_t		retries;
	/* consumers */
	unsigned long		*seen;		/* bitmap of MP_VAL indexes */
	atomic_t		consumed;
	int			last[MP_PRODUCERS];
	bool			order_ok;
	bool			dup;
	spinlock_t		lock;		/* seen / last of mc consumers */
};

struct mbuf_bufring_prod {
	struct mbuf_bufring_mp	*mp;
	int			id;
};

static int mbuf_bufring_producer(void *arg)
{
	struct mbuf_bufring_prod *p = arg;
	int s;

	for (s = 1; s <= MP_PER_PRODUCER; s++) {
		while (buf_ring_enqueue(p->mp->br, TAG(MP_VAL(p->id, s)))) {
			atomic_long_inc(&p->mp->retries);
			cond_resched();
		}
		if (!(s & 63))
			cond_resched();
	}
	if (atomic_dec_and_test(&p->mp->running))
		complete(&p->mp->done);
	return 0;
}

static void mbuf_bufring_note(struct mbuf_bufring_mp *mp, void *v)
{
	unsigned long val = UNTAG(v);
	int id = val >> 20, s = val & 0xfffff;
	unsigned long idx = id * (MP_PER_PRODUCER + 1) + s;

	if (id >= MP_PRODUCERS || s > MP_PER_PRODUCER ||
	    __test_and_set_bit(idx, mp->seen))
		mp->dup = true;
	else if (s <= mp->last[id])
		mp->order_ok = false;
	else
		mp->last[id] = s;
	atomic_inc(&mp->consumed);
}

/* One consumer (dequeue_sc) or, with @mc, the test thread plus a helper. */
struct mbuf_bufring_cons {
	struct mbuf_bufring_mp	*mp;
	struct completion	done;
};

static int mbuf_bufring_consumer_mc(void *arg)
{
	struct mbuf_bufring_cons *c = arg;
	struct mbuf_bufring_mp *mp = c->mp;
	void *v;

	while (atomic_read(&mp->consumed) < MP_PRODUCERS * MP_PER_PRODUCER) {
		v = buf_ring_dequeue_mc(mp->br);
		if (!v) {
			cond_resched();
			continue;
		}
		spin_lock(&mp->lock);
		mbuf_bufring_note(mp, v);
		spin_unlock(&mp->lock);
	}
	complete(&c->done);
	return 0;
}

static void mbuf_bufring_run_mp(struct kunit *test, bool mc)
{
	struct mbuf_bufring_prod prod[MP_PRODUCERS];
	struct mbuf_bufring_mp *mp;
	struct mbuf_bufring_cons cons;
	unsigned long deadline = jiffies + 60 * HZ;
	struct task_struct *t;
	unsigned long retries;
	int i;

	mp = kunit_kzalloc(test, sizeof(*mp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mp);
	mp->seen = kunit_kzalloc(test, BITS_TO_LONGS(MP_PRODUCERS *
				 (MP_PER_PRODUCER + 1)) * sizeof(long),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mp->seen);
	mp->br = buf_ring_alloc(64, NULL, M_WAITOK, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mp->br);
	mp->order_ok = true;
	spin_lock_init(&mp->lock);
	init_completion(&mp->done);
	atomic_set(&mp->running, MP_PRODUCERS);
	cons.mp = mp;
	init_completion(&cons.done);
	if (mc) {
		t = kthread_run(mbuf_bufring_consumer_mc, &cons, "mbuf_br_mc");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	for (i = 0; i < MP_PRODUCERS; i++) {
		prod[i].mp = mp;
		prod[i].id = i;
		t = kthread_run(mbuf_bufring_producer, &prod[i], "mbuf_br_p%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	while (atomic_read(&mp->consumed) < MP_PRODUCERS * MP_PER_PRODUCER &&
	       time_before(jiffies, deadline)) {
		void *v = mc ? buf_ring_dequeue_mc(mp->br) :
			       buf_ring_dequeue_sc(mp->br);

		if (!v) {
			cond_resched();
			continue;
		}
		spin_lock(&mp->lock);
		mbuf_bufring_note(mp, v);
		spin_unlock(&mp->lock);
	}
	wait_for_completion(&mp->done);
	if (mc)
		wait_for_completion(&cons.done);
	KUNIT_EXPECT_EQ(test, atomic_read(&mp->consumed),
			MP_PRODUCERS * MP_PER_PRODUCER);
	KUNIT_EXPECT_FALSE(test, mp->dup);
	/*
	 * Each producer's items leave in the order they went in. With two
	 * consumers one may note its item after the other noted a later
	 * one, so only a single consumer can check that.
	 */
	if (!mc)
		KUNIT_EXPECT_TRUE(test, mp->order_ok);
	KUNIT_EXPECT_TRUE(test, buf_ring_empty(mp->br));
	for (i = 0; i < MP_PRODUCERS; i++)
		KUNIT_EXPECT_EQ(test, mp->last[i], MP_PER_PRODUCER);
	/*
	 * Refused enqueues were retried. br_drops is a plain increment, as
	 * FreeBSD's is (a statistic, not worth an atomic): concurrent
	 * producers may lose counts, never add any.
	 */
	retries = atomic_long_read(&mp->retries);
	KUNIT_EXPECT_LE(test, mp->br->br_drops, (u64)retries);
	if (retries)
		KUNIT_EXPECT_GT(test, mp->br->br_drops, 0ULL);
	if (num_online_cpus() == 1)
		KUNIT_EXPECT_EQ(test, mp->br->br_drops, (u64)retries);
	kunit_info(test, "%s: %lu enqueues refused (ring full) and retried, %llu counted\n",
		   mc ? "mc" : "sc", retries, (unsigned long long)mp->br->br_drops);
	buf_ring_free(mp->br, NULL);
}

static void mbuf_bufring_mp_sc(struct kunit *test)
{
	mbuf_bufring_run_mp(test, false);
}

static void mbuf_bufring_mp_mc(struct kunit *test)
{
	mbuf_bufring_run_mp(test, true);
}

static void mbuf_bufring_alloc_bad(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, buf_ring_alloc(3, NULL, M_WAITOK, NULL));
	KUNIT_EXPECT_NULL(test, buf_ring_alloc(0, NULL, M_WAITOK, NULL));
	KUNIT_EXPECT_NULL(test, buf_ring_alloc(1, NULL, M_WAITOK, NULL));
	KUNIT_EXPECT_NULL(test, buf_ring_alloc(16, NULL, 0, NULL));
	mbuf_fault_set(MBUF_FAULT_OTHER, 0, 1);
	KUNIT_EXPECT_NULL(test, buf_ring_alloc(16, NULL, M_NOWAIT, NULL));
	KUNIT_EXPECT_EQ(test, mbuf_fault_injected(), 1UL);
	mbuf_fault_clear();
}

static void mbuf_bufring_mbufq(struct kunit *test)
{
	struct mbufq q, q2;
	struct mbuf *m[4];

	if (!mbuf_kunit_get_n(test, m, 4, M_PKTHDR))
		return;
	mbufq_init(&q, 2);
	mbufq_init(&q2, 8);
	KUNIT_EXPECT_TRUE(test, mbufq_empty(&q));
	KUNIT_EXPECT_EQ(test, mbufq_enqueue(&q, m[0]), 0);
	KUNIT_EXPECT_EQ(test, mbufq_enqueue(&q, m[1]), 0);
	KUNIT_EXPECT_TRUE(test, mbufq_full(&q));
	/* Full: refused, not freed (the caller keeps it). */
	KUNIT_EXPECT_EQ(test, mbufq_enqueue(&q, m[2]), ENOBUFS);
	KUNIT_EXPECT_PTR_EQ(test, mbufq_first(&q), m[0]);
	KUNIT_EXPECT_PTR_EQ(test, mbufq_last(&q), m[1]);
	KUNIT_EXPECT_PTR_EQ(test, mbufq_dequeue(&q), m[0]);
	KUNIT_EXPECT_NULL(test, m[0]->m_nextpkt);
	mbufq_prepend(&q, m[0]);
	KUNIT_EXPECT_PTR_EQ(test, mbufq_first(&q), m[0]);
	KUNIT_EXPECT_EQ(test, mbufq_enqueue(&q2, m[2]), 0);
	KUNIT_EXPECT_EQ(test, mbufq_enqueue(&q2, m[3]), 0);
	mbufq_concat(&q2, &q);
	KUNIT_EXPECT_EQ(test, mbufq_len(&q2), 4);
	KUNIT_EXPECT_TRUE(test, mbufq_empty(&q));
	KUNIT_EXPECT_PTR_EQ(test, mbufq_first(&q2), m[2]);
	KUNIT_EXPECT_PTR_EQ(test, mbufq_last(&q2), m[1]);
	mbufq_drain(&q2);
	KUNIT_EXPECT_EQ(test, mbufq_len(&q2), 0);
	KUNIT_EXPECT_EQ(test, mbuf_kunit_delta(test, MBZ_MBUF), 0L);
}

static struct kunit_case mbuf_bufring_cases[] = {
	KUNIT_CASE(mbuf_bufring_fifo_full),
	KUNIT_CASE(mbuf_bufring_wrap),
	KUNIT_CASE(mbuf_bufring_peek_putback),
	KUNIT_CASE(mbuf_bufring_drbr),
	KUNIT_CASE(mbuf_bufring_mp_sc),
	KUNIT_CASE(mbuf_bufring_mp_mc),
	KUNIT_CASE(mbuf_bufring_alloc_bad),
	KUNIT_CASE(mbuf_bufring_mbufq),
	{}
};

static struct kunit_suite mbuf_bufring_suite = {
	.name		= "mbuf_bufring",
	.init		= mbuf_kunit_init,
	.exit		= mbuf_kunit_exit,
	.test_cases	= mbuf_bufring_cases,
};

kunit_test_suite(mbuf_bufring_suite);
