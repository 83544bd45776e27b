// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The sk_buff bridge: mbuf chains to sk_buffs and back, payload not copied.
 *
 * Receive (mbuf_to_skb). Clusters of every size are page-backed (blocks
 * from the page allocator, cluster.c and jumbo.c), so the stack can hold
 * them the way it holds any page: through the page reference count. A
 * cluster given to an skb is "lent":
 *
 *   - the skb gets a page reference of its own (get_page) for each piece
 *     it takes: the cluster as its head (build_skb, when the frame leaves
 *     room for struct skb_shared_info at the end of a cluster nobody else
 *     references) or as a page fragment;
 *   - the mbuf that carried the cluster is kept, unchanged, on the lent
 *     list: it keeps the cluster allocated, so its zone cannot hand the
 *     memory to anyone else while the stack reads it;
 *   - the stack frees the skb whenever and wherever it likes; its
 *     put_page() is the only thing that happens then. Nothing of ours is
 *     called, so an skb may outlive the driver and this module;
 *   - the lent buffers are looked at (those lent lately every 64
 *     conversions on a CPU, all of them every 100 ms from a work item
 *     and whenever the lent count is read): a buffer whose page holds only
 *     its block's own reference again is back, and the mbuf that kept it
 *     is freed the usual way (m_free), its cluster going back to its zone.
 *
 * Lent buffers stay in use in their zones and count against their limits
 * (nmbclusters, nmbjumbo*), as a cluster in a socket buffer does on
 * FreeBSD. Blocks are reclaimed by reference count per page, so a page of
 * two 2 KiB clusters comes back when both are back, a jumbo block when all
 * of its buffers lent at the time are. On unload the lent mbufs are freed
 * at once: their clusters go back to the zones, the zones give the blocks
 * back with __free_pages(), which only drops our reference, and the last
 * put_page() of the stack frees the memory.
 *
 * Storage the stack cannot take is copied: an mbuf's own data area and
 * the header and trailer bytes of an M_EXTPG mbuf (slab memory), and
 * external buffers of other types. M_EXTPG pages are lent with a page
 * reference and the mbuf freed at once: the pages' own ext_free drops the
 * mbuf's reference, the skb keeps its own.
 *
 * Transmit (skb_to_mbuf): the headers are copied into the packet header
 * mbuf (a driver may rewrite them); every other piece of the skb becomes
 * an EXT_NET_DRV, M_RDONLY mbuf sharing one reference count, and the skb
 * is consumed when its last mbuf is freed.
 *
 * The metadata mapping both ways is tabled in Documentation/bridge.rst.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/workqueue.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/mbuf_skb.h>
#include "internal.h"

/* Header bytes copied into the linear part ahead of lent storage. */
#define MBUF_SKB_HDRCOPY	128
/* Lent buffers a CPU keeps track of itself before it passes them on. */
#define MBUF_SKB_RING		64
#define MBUF_SKB_REAP_INTERVAL	(HZ / 10)

/*
 * The lent buffers: the mbufs keeping lent clusters allocated.
 *
 * Each CPU keeps the ones it lent lately in a ring of its own, oldest
 * first, under a lock only it takes on the fast path (so the lock costs
 * one uncontended atomic operation and shares no cache line). Most
 * buffers come back within a NAPI poll, in the order they went out, so
 * every conversion looks at the oldest few entries and frees those whose
 * page holds only its block's reference again: the ring stays short and
 * an mbuf and its cluster go back to their zone's per-CPU cache while
 * they are still hot. When the ring is full (a socket is holding buffers)
 * what it holds moves, in one go, to the shared "old" list, which only the
 * periodic work (every 100 ms while anything is lent), mbuf_skb_lent()
 * and unload walk; they look at every CPU's ring too, under its lock, so
 * a buffer returned on a CPU that converts nothing more is found as well.
 * Counts are per CPU and summed when read.
 */
struct mbuf_skb_ring_ent {
	struct mbuf *m;
	struct page *pg;		/* the page whose count says "back" */
};

struct mbuf_skb_pcpu {
	spinlock_t lock;		/* the rest; its CPU, or a reaper */
	unsigned int first;		/* index of the oldest entry */
	unsigned int n;			/* entries */
	unsigned long ever;		/* lent by this CPU since load */
	struct mbuf_skb_ring_ent ring[MBUF_SKB_RING];
};

static DEFINE_PER_CPU(struct mbuf_skb_pcpu, mbuf_skb_pcpu) = {
	.lock = __SPIN_LOCK_UNLOCKED(mbuf_skb_pcpu.lock),
};

static DEFINE_SPINLOCK(mbuf_skb_old_lock);
static struct mbuf *mbuf_skb_old;		/* through m_nextpkt */
static unsigned long mbuf_skb_old_n;		/* on it, under its lock */
static bool mbuf_skb_stopping;

static void mbuf_skb_reap_workfn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mbuf_skb_reap_work, mbuf_skb_reap_workfn);

/* The zone whose page-backed blocks hold a cluster of @type, or NULL. */
static uma_zone_t mbuf_skb_cluster_zone(int type)
{
	switch (type) {
	case EXT_CLUSTER:
	case EXT_PACKET:
		return MBZ(MBZ_CLUST);
	case EXT_JUMBOP:
		return MBZ(MBZ_JUMBOP);
	case EXT_JUMBO9:
		return MBZ(MBZ_JUMBO9);
	case EXT_JUMBO16:
		return MBZ(MBZ_JUMBO16);
	}
	return NULL;
}

/*
 * Can @m's storage be lent (a cluster in one of our page-backed blocks)?
 * The cluster types say so: every cluster zone is made of page blocks
 * (jumbo.c), and so are the debugnet pools, filled from those zones. Only
 * a caller that attached a buffer of some other origin with m_cljset()
 * under a cluster type breaks this, a bug that freeing the mbuf would hit
 * as well; debug builds check each buffer against its zone's blocks
 * (mbuf_pageblock_owns()) to catch it, production builds trust the type
 * and look at no page on this path.
 */
static bool mbuf_skb_lendable(const struct mbuf *m)
{
	uma_zone_t zone;

	if ((m->m_flags & (M_EXT | M_EXTPG | M_NOFREE)) != M_EXT)
		return false;
	zone = mbuf_skb_cluster_zone(m->m_ext.ext_type);
	if (!zone)
		return false;
	if (IS_ENABLED(CONFIG_MBUFCOMPAT_DEBUG))
		return mbuf_pageblock_owns(zone, m->m_ext.ext_buf);
	return true;
}

/* The page (a block's first for a compound one) whose count a cluster uses. */
static struct page *mbuf_skb_page(const struct mbuf *m)
{
	return compound_head(virt_to_page(m->m_ext.ext_buf));
}

/*
 * Is the cluster on @pg (mbuf_skb_page() of a lent mbuf) back, i.e. only
 * its block refers to the page? @own is a page the caller's skb holds one
 * reference to (or NULL): another cluster on the same page (the other half
 * of a 2 KiB page, a jumbo block's neighbour) is back when that is the
 * only other. @pg is a head page, so its own count is the folio's.
 */
static bool mbuf_skb_page_back(struct page *pg, struct page *own)
{
	int refs = pg == own ? 2 : 1;

	if (page_ref_count(pg) != refs)
		return false;
	/* The stack's last accesses happen before its put_page(). */
	smp_acquire__after_ctrl_dep();
	return true;
}

static bool mbuf_skb_returned(const struct mbuf *m, struct page *own)
{
	return mbuf_skb_page_back(mbuf_skb_page(m), own);
}

/* Free a list of mbufs linked through m_nextpkt. */
static void mbuf_skb_free_list(struct mbuf *m)
{
	struct mbuf *next;

	for (; m; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_free(m);
	}
}

/* Put a list (@first .. *@lastp, @n mbufs) on the old list. */
static void mbuf_skb_to_old(struct mbuf *first, struct mbuf **lastp,
			    unsigned long n)
{
	unsigned long flags;

	if (!first)
		return;
	spin_lock_irqsave(&mbuf_skb_old_lock, flags);
	*lastp = mbuf_skb_old;
	mbuf_skb_old = first;
	mbuf_skb_old_n += n;
	spin_unlock_irqrestore(&mbuf_skb_old_lock, flags);
}

/*
 * Look at every entry of @pc's ring (caller holds its lock): the returned
 * ones (all with @all) go on *@done, the others stay (@keep) or go on
 * *@spill / *@spill_last.
 */
static unsigned long mbuf_skb_scan_ring(struct mbuf_skb_pcpu *pc, bool all,
					bool keep, struct page *own,
					struct mbuf **done,
					struct mbuf ***spill_tail)
{
	unsigned int i, n = pc->n, kept = 0;
	struct mbuf_skb_ring_ent *e;
	unsigned long spilled = 0;
	struct mbuf *m;

	for (i = 0; i < n; i++) {
		e = &pc->ring[(pc->first + i) % MBUF_SKB_RING];
		m = e->m;
		if (all || mbuf_skb_page_back(e->pg, own)) {
			m->m_nextpkt = *done;
			*done = m;
		} else if (keep) {
			pc->ring[(pc->first + kept++) % MBUF_SKB_RING] = *e;
		} else {
			**spill_tail = m;
			*spill_tail = &m->m_nextpkt;
			spilled++;
		}
	}
	pc->n = kept;
	return spilled;
}

/*
 * This CPU's ring, locked. The lock is never taken in hard interrupt
 * context, so keeping softirqs off is enough: a receive path (NAPI poll,
 * softirq) has them off already, and so does a caller with interrupts
 * masked; only process context pays for local_bh_disable(). The reapers
 * take other CPUs' locks with interrupts masked (rarely, off the fast
 * path).
 */
static __always_inline struct mbuf_skb_pcpu *mbuf_skb_ring_lock(bool *bh)
	__acquires(pc->lock)
{
	struct mbuf_skb_pcpu *pc;

	*bh = !softirq_count() && !irqs_disabled();
	if (*bh)
		local_bh_disable();
	pc = this_cpu_ptr(&mbuf_skb_pcpu);
	spin_lock(&pc->lock);
	return pc;
}

static __always_inline void mbuf_skb_ring_unlock(struct mbuf_skb_pcpu *pc,
						 bool bh)
	__releases(pc->lock)
{
	spin_unlock(&pc->lock);
	if (bh)
		local_bh_enable();
}

/*
 * Take the oldest of @pc's entries (caller holds its lock) off its ring
 * while they are back, @look of them at most; returns them linked through
 * m_nextpkt. @own as for mbuf_skb_page_back().
 */
static __always_inline struct mbuf *mbuf_skb_ring_take(struct mbuf_skb_pcpu *pc,
						       unsigned int look,
						       struct page *own)
{
	struct mbuf_skb_ring_ent *e;
	struct mbuf *done = NULL;

	for (; look && pc->n; look--) {
		e = &pc->ring[pc->first];
		if (!mbuf_skb_page_back(e->pg, own))
			break;
		e->m->m_nextpkt = done;
		done = e->m;
		pc->first = (pc->first + 1) % MBUF_SKB_RING;
		pc->n--;
	}
	return done;
}

/* After a lending: the periodic look, unless it is pending or stopped. */
static __always_inline void mbuf_skb_reap_later(void)
{
	if (!READ_ONCE(mbuf_skb_stopping) &&
	    !delayed_work_pending(&mbuf_skb_reap_work))
		schedule_delayed_work(&mbuf_skb_reap_work,
				      MBUF_SKB_REAP_INTERVAL);
}

/*
 * A conversion on this CPU lends the @n mbufs linked from @lent through
 * m_nextpkt: free what came back of the earlier ones, make room, add.
 * The new skb holds one page reference of a single lent cluster; with
 * several, their references make a neighbour look held, which only delays
 * it to a later look.
 */
static void mbuf_skb_lend(struct mbuf *lent, unsigned int n)
{
	struct page *own = n == 1 ? mbuf_skb_page(lent) : NULL;
	struct mbuf *done, *spill = NULL, **spill_tail = &spill;
	struct mbuf_skb_ring_ent *e;
	struct mbuf_skb_pcpu *pc;
	unsigned long spilled = 0;
	struct mbuf *m;
	bool bh;

	pc = mbuf_skb_ring_lock(&bh);
	/* The oldest first: one more than this frame adds. */
	done = mbuf_skb_ring_take(pc, n + 1, own);
	if (pc->n + n > MBUF_SKB_RING)
		spilled = mbuf_skb_scan_ring(pc, false, false, own, &done,
					     &spill_tail);
	pc->ever += n;
	for (; lent; lent = m) {
		m = lent->m_nextpkt;
		lent->m_nextpkt = NULL;
		if (pc->n < MBUF_SKB_RING) {
			e = &pc->ring[(pc->first + pc->n) % MBUF_SKB_RING];
			e->m = lent;
			e->pg = own ?: mbuf_skb_page(lent);
			pc->n++;
		} else {
			*spill_tail = lent;	/* a chain of many clusters */
			spill_tail = &lent->m_nextpkt;
			spilled++;
		}
	}
	mbuf_skb_ring_unlock(pc, bh);

	*spill_tail = NULL;
	mbuf_skb_to_old(spill, spill_tail, spilled);
	mbuf_skb_free_list(done);
	mbuf_skb_reap_later();
}

/*
 * mbuf_skb_lend() of one mbuf, whose cluster is on @pg, the page the new
 * skb holds a reference to: a frame that lends one cluster. A full
 * ring leaves it to mbuf_skb_lend().
 */
static void mbuf_skb_lend_one(struct mbuf *lent, struct page *pg)
{
	struct mbuf_skb_ring_ent *e;
	struct mbuf_skb_pcpu *pc;
	struct mbuf *done;
	bool bh;

	pc = mbuf_skb_ring_lock(&bh);
	done = mbuf_skb_ring_take(pc, 2, pg);
	if (unlikely(pc->n == MBUF_SKB_RING)) {
		mbuf_skb_ring_unlock(pc, bh);
		mbuf_skb_free_list(done);
		/* A list of one: whatever the driver left in m_nextpkt goes. */
		lent->m_nextpkt = NULL;
		mbuf_skb_lend(lent, 1);
		return;
	}
	e = &pc->ring[(pc->first + pc->n) % MBUF_SKB_RING];
	e->m = lent;
	e->pg = pg;
	pc->n++;
	pc->ever++;
	mbuf_skb_ring_unlock(pc, bh);

	mbuf_skb_free_list(done);
	mbuf_skb_reap_later();
}

/*
 * Look at every lent buffer, on every CPU's ring and on the old list:
 * free the mbufs whose cluster is back (or all of them with @all).
 * Returns how many are still lent. Any context but hard interrupt.
 */
static unsigned long mbuf_skb_reap(bool all)
{
	struct mbuf *done = NULL, *old, *m, *next, *keep = NULL, **kt = &keep;
	unsigned long flags, held = 0, kept = 0;
	struct mbuf_skb_pcpu *pc;
	int cpu;

	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(&mbuf_skb_pcpu, cpu);
		spin_lock_irqsave(&pc->lock, flags);
		mbuf_skb_scan_ring(pc, all, true, NULL, &done, NULL);
		held += pc->n;
		spin_unlock_irqrestore(&pc->lock, flags);
	}

	spin_lock_irqsave(&mbuf_skb_old_lock, flags);
	old = mbuf_skb_old;
	mbuf_skb_old = NULL;
	mbuf_skb_old_n = 0;
	spin_unlock_irqrestore(&mbuf_skb_old_lock, flags);
	for (m = old; m; m = next) {
		next = m->m_nextpkt;
		if (all || mbuf_skb_returned(m, NULL)) {
			m->m_nextpkt = done;
			done = m;
		} else {
			*kt = m;
			kt = &m->m_nextpkt;
			kept++;
		}
	}
	*kt = NULL;
	mbuf_skb_to_old(keep, kt, kept);
	mbuf_skb_free_list(done);

	spin_lock_irqsave(&mbuf_skb_old_lock, flags);
	held += mbuf_skb_old_n;
	spin_unlock_irqrestore(&mbuf_skb_old_lock, flags);
	return held;
}

static void mbuf_skb_reap_workfn(struct work_struct *work)
{
	if (mbuf_skb_reap(false) && !READ_ONCE(mbuf_skb_stopping))
		schedule_delayed_work(&mbuf_skb_reap_work,
				      MBUF_SKB_REAP_INTERVAL);
}

/**
 * mbuf_skb_lent() - cluster buffers lent to the stack and not yet returned
 *
 * Reaps the lent buffers first, so that a buffer the stack has freed is no
 * longer counted.
 *
 * Context: process context (any but hard interrupt, in fact).
 * Return: the number of lent buffers.
 */
unsigned long mbuf_skb_lent(void)
{
	return mbuf_skb_reap(false);
}
MBUF_EXPORT(mbuf_skb_lent);

/**
 * mbuf_skb_lent_ever() - buffers lent to the stack since the module loaded
 *
 * Return: the count.
 */
unsigned long mbuf_skb_lent_ever(void)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_ptr(&mbuf_skb_pcpu, cpu)->ever);
	return n;
}

/**
 * mbuf_skb_exit() - give every lent buffer's memory to the stack (unload)
 *
 * Frees the mbufs keeping lent clusters: the clusters go back to their
 * zones, which drop their block references; pages the stack still holds
 * are freed by its last put_page().
 */
void mbuf_skb_exit(void)
{
	WRITE_ONCE(mbuf_skb_stopping, true);
	cancel_delayed_work_sync(&mbuf_skb_reap_work);
	mbuf_skb_reap(true);
}

/* ---- receive: mbuf chain -> skb ------------------------------------- */

struct mbuf_skb_rx {
	struct sk_buff *skb;		/* the skb handed out */
	struct sk_buff *cur;		/* where fragments go: skb or frag_list */
	struct sk_buff **next;		/* where the next frag_list skb links */
	struct napi_struct *napi;
	struct mbuf *lent;		/* mbufs to lend, through m_nextpkt */
	unsigned int nlent;
};

/* Allocation failure for tests (fault.c, MBUF_FAULT_OTHER). */
static bool mbuf_skb_fail(void)
{
	return mbuf_fault_armed() && mbuf_should_fail(NULL);
}

/*
 * Add a fragment for which the caller holds a page reference (passed to
 * the skb, or dropped on failure).
 */
static int mbuf_skb_add_frag(struct mbuf_skb_rx *rx, struct page *page,
			     unsigned int off, unsigned int len,
			     unsigned int truesize)
{
	struct sk_buff *n;

	if (skb_shinfo(rx->cur)->nr_frags >= MAX_SKB_FRAGS) {
		n = mbuf_skb_fail() ? NULL : alloc_skb(0, GFP_ATOMIC);
		if (!n) {
			put_page(page);
			return -ENOMEM;
		}
		*rx->next = n;
		rx->next = &n->next;
		rx->cur = n;
	}
	skb_add_rx_frag(rx->cur, skb_shinfo(rx->cur)->nr_frags, page, off,
			len, truesize);
	return 0;
}

/* Copy @len bytes into new page fragments. */
static int mbuf_skb_add_copy(struct mbuf_skb_rx *rx, const void *src,
			     unsigned int len)
{
	unsigned int n;
	struct page *page;
	void *va;

	while (len) {
		n = min_t(unsigned int, len, PAGE_SIZE);
		if (mbuf_skb_fail())
			va = NULL;
		else if (rx->napi)
			va = napi_alloc_frag(n);
		else
			va = netdev_alloc_frag(n);
		if (!va)
			return -ENOMEM;
		memcpy(va, src, n);
		page = virt_to_head_page(va);
		if (mbuf_skb_add_frag(rx, page,
				      (char *)va - (char *)page_address(page),
				      n, n))
			return -ENOMEM;
		src += n;
		len -= n;
	}
	return 0;
}

/* Bytes [@off, @off + @len) of an M_EXTPG mbuf's data: pages lent. */
static int mbuf_skb_add_extpg(struct mbuf_skb_rx *rx, struct mbuf *m,
			      unsigned int off, unsigned int len)
{
	unsigned int seg, pgoff, n;
	int i, err;

	off += mtod(m, uintptr_t);
	seg = m->m_epg_hdrlen;
	if (off < seg) {
		n = min(seg - off, len);
		err = mbuf_skb_add_copy(rx, m->m_epg_hdr + off, n);
		if (err)
			return err;
		len -= n;
		off = seg;
	}
	off -= seg;
	for (i = 0; i < m->m_epg_npgs && len; i++) {
		pgoff = i == 0 ? m->m_epg_1st_off : 0;
		seg = m_epg_pagelen(m, i, pgoff);
		if (off >= seg) {
			off -= seg;
			continue;
		}
		n = min(seg - off, len);
		get_page(m->m_epg_pg[i]);
		err = mbuf_skb_add_frag(rx, m->m_epg_pg[i], pgoff + off, n,
					PAGE_SIZE);
		if (err)
			return err;
		len -= n;
		off = 0;
	}
	if (len) {
		if (WARN_ON_ONCE(off + len > m->m_epg_trllen))
			return -EINVAL;
		return mbuf_skb_add_copy(rx, m->m_epg_trail + off, len);
	}
	return 0;
}

/*
 * Bytes [@off, m_len) of @m into fragments. Returns 1 if @m now keeps a
 * lent cluster (the caller puts it on the lent list), 0 if @m may be
 * freed, or a negative errno.
 */
static int mbuf_skb_add_mbuf(struct mbuf_skb_rx *rx, struct mbuf *m,
			     unsigned int off, bool lendable)
{
	unsigned int len = m->m_len - off;
	char *data = mtod(m, char *) + off;
	struct page *page;
	int err;

	if (m->m_flags & M_EXTPG)
		return mbuf_skb_add_extpg(rx, m, off, len);
	if (!lendable)
		return mbuf_skb_add_copy(rx, data, len);
	page = virt_to_page(data);
	get_page(page);
	err = mbuf_skb_add_frag(rx, page, offset_in_page(data), len,
				m->m_ext.ext_size);
	if (err)
		return err;
	/* Others may read the cluster too: no writing in place. */
	if (mb_refs(m) > 1)
		skb_shinfo(rx->skb)->flags |= SKBFL_SHARED_FRAG;
	return 1;
}

/*
 * A lent mbuf keeps its cluster, nothing else: its tags and send tag
 * need not wait for the stack.
 */
static void mbuf_skb_keep_hdr(struct mbuf *m)
{
	if (m->m_flags & M_PKTHDR) {
		if (!SLIST_EMPTY(&m->m_pkthdr.tags))
			m_tag_delete_chain(m, NULL);
		if (m->m_pkthdr.csum_flags & CSUM_SND_TAG)
			m_snd_tag_rele(m->m_pkthdr.snd_tag);
		m->m_pkthdr.csum_flags = 0;
		m->m_flags &= ~M_PKTHDR;
	}
}

/* Keep @m (a lent cluster's mbuf) for the lent list. */
static void mbuf_skb_keep(struct mbuf_skb_rx *rx, struct mbuf *m)
{
	mbuf_skb_keep_hdr(m);
	m->m_next = NULL;
	m->m_nextpkt = rx->lent;
	rx->lent = m;
	rx->nlent++;
}

/*
 * Can the first mbuf's cluster be the skb's head? Only a cluster nobody
 * else references, since the shared info is written at its end.
 */
static bool mbuf_skb_head_fits(const struct mbuf *m, bool lendable)
{
	unsigned int used;

	if (!lendable || mb_refs(m) != 1)
		return false;
	used = mtod(m, char *) - m->m_ext.ext_buf + m->m_len;
	return used + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) <=
	       m->m_ext.ext_size;
}

/*
 * @m's cluster, on @pg (mbuf_skb_page()), as the head of a new skb that
 * holds a page reference of its own; mbuf_skb_head_fits() said it fits.
 * NULL on failure, @m untouched.
 */
static __always_inline struct sk_buff *
mbuf_skb_build_head(struct napi_struct *napi, struct mbuf *m, struct page *pg)
{
	char *buf = m->m_ext.ext_buf;
	struct sk_buff *skb;

	if (mbuf_skb_fail())
		return NULL;
	/* @pg is the head page, so its own count is the folio's. */
	page_ref_inc(pg);
	skb = napi ? napi_build_skb(buf, m->m_ext.ext_size) :
		     build_skb(buf, m->m_ext.ext_size);
	if (unlikely(!skb)) {
		put_page(pg);
		return NULL;
	}
	skb_reserve(skb, mtod(m, char *) - buf);
	__skb_put(skb, m->m_len);
	return skb;
}

static struct sk_buff *mbuf_skb_alloc_head(struct mbuf_skb_rx *rx,
					   struct net_device *dev,
					   unsigned int len)
{
	if (mbuf_skb_fail())
		return NULL;
	if (rx->napi)
		return napi_alloc_skb(rx->napi, len);
	return netdev_alloc_skb(dev, len);
}

/* Ethernet, optional in-band 802.1Q/802.1ad tag, IPv4 or IPv6, TCP/UDP. */
struct mbuf_skb_hdrs {
	unsigned int l3off, l4off;
	u8 proto;
	bool v6;
};

static int mbuf_skb_parse(struct sk_buff *skb, struct mbuf_skb_hdrs *h)
{
	const struct ethhdr *eth;
	__be16 type;

	if (!pskb_may_pull(skb, ETH_HLEN))
		return -EINVAL;
	eth = (const struct ethhdr *)skb->data;
	type = eth->h_proto;
	h->l3off = ETH_HLEN;
	if (eth_type_vlan(type)) {
		if (!pskb_may_pull(skb, VLAN_ETH_HLEN))
			return -EINVAL;
		type = ((const struct vlan_ethhdr *)skb->data)->h_vlan_encapsulated_proto;
		h->l3off = VLAN_ETH_HLEN;
	}
	if (type == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, h->l3off + sizeof(*iph)))
			return -EINVAL;
		iph = (const struct iphdr *)(skb->data + h->l3off);
		h->v6 = false;
		h->proto = iph->protocol;
		h->l4off = h->l3off + iph->ihl * 4;
	} else if (type == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6;

		if (!pskb_may_pull(skb, h->l3off + sizeof(*ip6)))
			return -EINVAL;
		ip6 = (const struct ipv6hdr *)(skb->data + h->l3off);
		h->v6 = true;
		h->proto = ip6->nexthdr;
		h->l4off = h->l3off + sizeof(*ip6);
	} else {
		return -EPROTONOSUPPORT;
	}
	if (h->proto != IPPROTO_TCP && h->proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (!pskb_may_pull(skb, h->l4off + (h->proto == IPPROTO_TCP ?
					    sizeof(struct tcphdr) :
					    sizeof(struct udphdr))))
		return -EINVAL;
	skb_set_network_header(skb, h->l3off);
	skb_set_transport_header(skb, h->l4off);
	return 0;
}

/* Checksum offload requests and results, TSO: see Documentation/bridge.rst */
static void mbuf_skb_rx_csum(struct sk_buff *skb, const struct pkthdr *ph)
{
	u32 f = ph->csum_flags;
	struct mbuf_skb_hdrs h;
	struct tcphdr *th;
	unsigned int l4len;

	if (f & (CSUM_IP_TSO | CSUM_IP6_TSO |
		 CSUM_IP_TCP | CSUM_IP_UDP | CSUM_IP6_TCP | CSUM_IP6_UDP)) {
		if (mbuf_skb_parse(skb, &h))
			return;
		if (!skb_partial_csum_set(skb, h.l4off, h.proto == IPPROTO_TCP ?
					  offsetof(struct tcphdr, check) :
					  offsetof(struct udphdr, check)))
			return;
		if (!(f & (CSUM_IP_TSO | CSUM_IP6_TSO)) ||
		    h.proto != IPPROTO_TCP || !ph->tso_segsz)
			return;
		/*
		 * FreeBSD's TSO checksum field holds the pseudo-header sum
		 * without the length, Linux's GSO one with the L4 length.
		 */
		th = tcp_hdr(skb);
		l4len = skb->len - h.l4off;
		if (h.v6)
			th->check = ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
						     &ipv6_hdr(skb)->daddr,
						     l4len, IPPROTO_TCP, 0);
		else
			th->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr,
						       ip_hdr(skb)->daddr,
						       l4len, IPPROTO_TCP, 0);
		skb_shinfo(skb)->gso_size = ph->tso_segsz;
		skb_shinfo(skb)->gso_type = h.v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_segs = 0;
		return;
	}
	if ((f & (CSUM_DATA_VALID | CSUM_PSEUDO_HDR)) ==
	    (CSUM_DATA_VALID | CSUM_PSEUDO_HDR) && ph->csum_data == 0xffff) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum_level = (f & CSUM_INNER_L4_VALID) ? 1 : 0;
	}
}

/* VLAN tag, hash, timestamp and checksum results of mbuf_skb_rx_meta(). */
static noinline void mbuf_skb_rx_meta_more(struct sk_buff *skb,
					   const struct pkthdr *ph, u32 mflags)
{
	enum pkt_hash_types ht;

	if (mflags & M_VLANTAG)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), ph->ether_vtag);
	if (ph->rsstype & M_HASHTYPE_HASHPROP) {
		switch (ph->rsstype) {
		case M_HASHTYPE_RSS_TCP_IPV4:
		case M_HASHTYPE_RSS_TCP_IPV6:
		case M_HASHTYPE_RSS_TCP_IPV6_EX:
		case M_HASHTYPE_RSS_UDP_IPV4:
		case M_HASHTYPE_RSS_UDP_IPV6:
		case M_HASHTYPE_RSS_UDP_IPV6_EX:
			ht = PKT_HASH_TYPE_L4;
			break;
		case M_HASHTYPE_RSS_IPV4:
		case M_HASHTYPE_RSS_IPV6:
		case M_HASHTYPE_RSS_IPV6_EX:
			ht = PKT_HASH_TYPE_L3;
			break;
		default:
			ht = PKT_HASH_TYPE_L2;
			break;
		}
		skb_set_hash(skb, ph->flowid, ht);
	}
	if (mflags & M_TSTMP)
		skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(ph->rcv_tstmp);
	mbuf_skb_rx_csum(skb, ph);
}

/* From the packet header @ph of an mbuf with flags @mflags. */
static __always_inline void mbuf_skb_rx_meta(struct sk_buff *skb,
					     const struct pkthdr *ph,
					     u32 mflags)
{
	skb_reset_mac_header(skb);
	if (!(ph->csum_flags & CSUM_SND_TAG))
		skb->dev = ph->rcvif;
	if ((mflags & (M_VLANTAG | M_TSTMP)) || ph->csum_flags ||
	    (ph->rsstype & M_HASHTYPE_HASHPROP))
		mbuf_skb_rx_meta_more(skb, ph, mflags);
}

/* frag_list skbs count in their parent's lengths. */
static void mbuf_skb_rx_finish(struct sk_buff *skb)
{
	struct sk_buff *n;

	skb_walk_frags(skb, n) {
		skb->len += n->len;
		skb->data_len += n->len;
		skb->truesize += n->truesize;
	}
}

/*
 * The common receive, all of mbuf_to_skb() for it: a frame in one
 * cluster that nobody else references, with room behind the frame for
 * the shared info. The cluster becomes the head, the mbuf is lent.
 */
static struct sk_buff *mbuf_skb_rx_head(struct mbuf *m,
					struct napi_struct *napi)
{
	struct page *pg = mbuf_skb_page(m);
	struct sk_buff *skb = mbuf_skb_build_head(napi, m, pg);

	if (unlikely(!skb)) {
		m_freem(m);
		return NULL;
	}
	mbuf_skb_rx_meta(skb, &m->m_pkthdr, m->m_flags);
	mbuf_skb_keep_hdr(m);
	mbuf_skb_lend_one(m, pg);
	return skb;
}

/*
 * Every other frame: a chain, a small frame (copied), a head that is
 * copied because the first cluster cannot be it. @lendable: can the first
 * mbuf's storage be lent?
 */
static noinline struct sk_buff *mbuf_skb_rx_chain(struct mbuf *m,
						  struct napi_struct *napi,
						  bool lendable)
{
	struct mbuf_skb_rx rx __uninitialized;
	unsigned int total, hlen, off;
	struct net_device *dev;
	struct mbuf *n, *next;
	bool head_lent = false, keep_first = false;
	int ret = 0;

	/*
	 * Field by field, and exempt from the kernel's automatic stack
	 * initialisation (INIT_STACK_ALL_ZERO, as in Debian's kernels):
	 * clearing the whole struct takes a string store, slow to start for
	 * so few bytes. skb, cur and next are set below, before any use.
	 */
	rx.napi = napi;
	rx.lent = NULL;
	rx.nlent = 0;
	total = m->m_pkthdr.len;
	dev = (m->m_pkthdr.csum_flags & CSUM_SND_TAG) ? NULL :
	      m->m_pkthdr.rcvif;

	if (total > MBUF_SKB_COPYBREAK && m->m_len >= ETH_HLEN &&
	    mbuf_skb_head_fits(m, lendable)) {
		/* The first cluster is the head; the rest follows it. */
		rx.skb = mbuf_skb_build_head(rx.napi, m, mbuf_skb_page(m));
		hlen = m->m_len;
		head_lent = true;
	} else {
		/*
		 * A copied head: the whole of a small frame, else the
		 * headers, and all of an mbuf's own data area up front.
		 */
		hlen = min_t(unsigned int, total, MBUF_SKB_HDRCOPY);
		if (total <= MBUF_SKB_COPYBREAK)
			hlen = total;
		else if (!lendable && !(m->m_flags & M_EXTPG))
			hlen = max_t(unsigned int, hlen,
				     min_t(unsigned int, m->m_len,
					   MBUF_SKB_COPYBREAK));
		rx.skb = mbuf_skb_alloc_head(&rx, dev, hlen);
		if (rx.skb && m->m_len >= hlen)
			skb_put_data(rx.skb, mtod(m, void *), hlen);
		else if (rx.skb)
			m_copydata(m, 0, hlen, skb_put(rx.skb, hlen));
	}
	if (!rx.skb) {
		m_freem(m);
		return NULL;
	}
	rx.cur = rx.skb;
	rx.next = &skb_shinfo(rx.skb)->frag_list;

	/*
	 * The first @hlen bytes are in the head: the rest as fragments. The
	 * first mbuf, whose packet header has the metadata, is dealt with
	 * once the skb is whole.
	 */
	off = hlen;
	for (n = m; n; n = next) {
		next = n->m_next;
		ret = 0;
		if (n == m && head_lent)
			ret = 1;	/* its cluster is the head */
		else if (off < n->m_len)
			ret = mbuf_skb_add_mbuf(&rx, n, off, n == m ? lendable :
						mbuf_skb_lendable(n));
		off -= min_t(unsigned int, off, n->m_len);
		if (n == m) {
			keep_first = ret > 0;
		} else if (ret > 0) {
			mbuf_skb_keep(&rx, n);
			continue;
		} else {
			n->m_next = NULL;
			m_free(n);
		}
		if (ret < 0)
			break;
	}
	if (ret >= 0) {
		mbuf_skb_rx_finish(rx.skb);
		mbuf_skb_rx_meta(rx.skb, &m->m_pkthdr, m->m_flags);
	}
	m->m_next = NULL;
	if (keep_first)
		mbuf_skb_keep(&rx, m);
	else
		m_free(m);
	if (rx.nlent == 1)
		mbuf_skb_lend_one(rx.lent, mbuf_skb_page(rx.lent));
	else if (rx.nlent)
		mbuf_skb_lend(rx.lent, rx.nlent);
	if (ret < 0) {
		m_freem(next);
		kfree_skb(rx.skb);
		return NULL;
	}
	return rx.skb;
}

/**
 * mbuf_to_skb() - turn a received mbuf chain into an sk_buff
 * @m: an M_PKTHDR chain holding one frame from its MAC header on
 * @napi: the NAPI context the frame was received in, or NULL
 *
 * See include/net/mbuf_skb.h and Documentation/bridge.rst.
 *
 * Return: the skb, or NULL (@m has then been freed).
 */
struct sk_buff *mbuf_to_skb(struct mbuf *m, struct napi_struct *napi)
{
	bool lendable;

	if (!m)
		return NULL;
	if (unlikely(!(m->m_flags & M_PKTHDR) || m->m_pkthdr.len <= 0)) {
		pr_warn_ratelimited(MBUF_LOG_PREFIX "%s: not a packet header mbuf\n",
				    __func__);
		m_freem(m);
		return NULL;
	}
	lendable = mbuf_skb_lendable(m);
	if (!m->m_next && m->m_pkthdr.len == m->m_len &&
	    m->m_len > MBUF_SKB_COPYBREAK && mbuf_skb_head_fits(m, lendable))
		return mbuf_skb_rx_head(m, napi);
	return mbuf_skb_rx_chain(m, napi, lendable);
}
MBUF_EXPORT(mbuf_to_skb);

/* ---- transmit: skb -> mbuf chain ------------------------------------ */

/* The last mbuf referencing the skb is gone. Any context. */
static void mbuf_skb_tx_free(struct mbuf *m)
{
	dev_consume_skb_any(m->m_ext.ext_arg1);
}

struct mbuf_skb_tx {
	struct sk_buff *skb;
	struct mbuf *carrier;		/* holds the shared count */
	struct mbuf **tail;
	int how;
};

/* One read-only piece of the skb's memory. */
static int mbuf_skb_tx_piece(struct mbuf_skb_tx *tx, char *addr,
			     unsigned int len)
{
	struct mbuf *n;

	if (!len)
		return 0;
	n = m_get(tx->how, MT_DATA);
	if (!n)
		return -ENOMEM;
	if (!tx->carrier) {
		m_extadd(n, addr, len, mbuf_skb_tx_free, tx->skb, NULL,
			 M_RDONLY, EXT_NET_DRV);
		tx->carrier = n;
	} else {
		mb_dupcl(n, tx->carrier);
		n->m_ext.ext_buf = addr;
		n->m_ext.ext_size = len;
	}
	n->m_data = addr;
	n->m_len = len;
	*tx->tail = n;
	tx->tail = &n->m_next;
	return 0;
}

/*
 * One skb's linear part and fragments (not its frag_list), from *@off on;
 * *@off is left at what remains to skip after this skb.
 */
static int mbuf_skb_tx_pieces(struct mbuf_skb_tx *tx, struct sk_buff *skb,
			      unsigned int *off)
{
	unsigned int hl = skb_headlen(skb), fl;
	const skb_frag_t *f;
	int i, err;

	if (*off < hl) {
		err = mbuf_skb_tx_piece(tx, (char *)skb->data + *off,
					hl - *off);
		if (err)
			return err;
		*off = hl;
	}
	*off -= hl;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		f = &skb_shinfo(skb)->frags[i];
		fl = skb_frag_size(f);
		if (*off >= fl) {
			*off -= fl;
			continue;
		}
		/* Pages only (not device memory), all in the direct map. */
		if (!skb_frag_page(f) || PageHighMem(skb_frag_page(f)))
			return -EINVAL;
		err = mbuf_skb_tx_piece(tx, (char *)skb_frag_address(f) + *off,
					fl - *off);
		if (err)
			return err;
		*off = 0;
	}
	return 0;
}

/* Header room of the first mbuf past its leading space. */
#define MBUF_SKB_TX_HROOM	(MHLEN - MBUF_SKB_LEADINGSPACE)

/*
 * Headers to copy: through the L4 header of an offloaded packet (up to
 * MHLEN), else the linear part up to MBUF_SKB_TX_HROOM bytes; all of a
 * packet that small.
 */
static unsigned int mbuf_skb_tx_hlen(const struct sk_buff *skb)
{
	unsigned int hlen;

	if (skb->len <= MBUF_SKB_TX_HROOM)
		return skb->len;	/* all of it */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_is_gso(skb) &&
	    skb->csum_offset == offsetof(struct tcphdr, check))
		hlen = skb_transport_offset(skb) + tcp_hdrlen(skb);
	else if (skb->ip_summed == CHECKSUM_PARTIAL)
		hlen = skb_checksum_start_offset(skb) +
		       (skb->csum_offset == offsetof(struct tcphdr, check) ?
			tcp_hdrlen(skb) : sizeof(struct udphdr));
	else
		hlen = min_t(unsigned int, skb_headlen(skb), MBUF_SKB_TX_HROOM);
	return min_t(unsigned int, hlen, min_t(unsigned int, skb->len, MHLEN));
}

/* The IP version at the network header: 4, 6, or 0. */
static int mbuf_skb_ipver(const struct sk_buff *skb)
{
	int room = skb_headlen(skb) - skb_network_offset(skb);

	if (skb_network_offset(skb) < 0 || room < (int)sizeof(struct iphdr))
		return 0;
	if (ip_hdr(skb)->version == 4)
		return 4;
	if (ip_hdr(skb)->version == 6 && room >= (int)sizeof(struct ipv6hdr))
		return 6;
	return 0;
}

/* Offload requests, with FreeBSD's TSO pseudo-header sum in @m's copy. */
static int mbuf_skb_tx_csum(struct mbuf *m, const struct sk_buff *skb)
{
	struct pkthdr *ph = &m->m_pkthdr;
	unsigned int l4 = skb_checksum_start_offset(skb);
	int ver = mbuf_skb_ipver(skb);
	bool tcp = skb->csum_offset == offsetof(struct tcphdr, check);
	struct tcphdr *th;

	if (skb->ip_summed == CHECKSUM_UNNECESSARY) {
		ph->csum_flags |= CSUM_IP_CHECKED | CSUM_IP_VALID |
				  CSUM_DATA_VALID | CSUM_PSEUDO_HDR;
		if (skb->csum_level)
			ph->csum_flags |= CSUM_INNER_L3_CALC |
					  CSUM_INNER_L3_VALID |
					  CSUM_INNER_L4_CALC |
					  CSUM_INNER_L4_VALID;
		ph->csum_data = 0xffff;
		return 0;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return skb_is_gso(skb) ? -EPROTONOSUPPORT : 0;
	if (!ver || (!tcp && skb->csum_offset != offsetof(struct udphdr, check)))
		return -EPROTONOSUPPORT;
	ph->csum_data = skb->csum_offset;
	ph->l2hlen = skb_network_offset(skb);
	ph->l3hlen = l4 - skb_network_offset(skb);
	ph->l4hlen = tcp ? tcp_hdrlen(skb) : sizeof(struct udphdr);
	if (ver == 4)
		ph->csum_flags |= tcp ? CSUM_IP_TCP : CSUM_IP_UDP;
	else
		ph->csum_flags |= tcp ? CSUM_IP6_TCP : CSUM_IP6_UDP;
	if (!skb_is_gso(skb))
		return 0;
	if (!tcp || !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) ||
	    (skb_shinfo(skb)->gso_type & ~(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 |
					    SKB_GSO_DODGY | SKB_GSO_TCP_ECN |
					    SKB_GSO_TCP_FIXEDID)) ||
	    l4 + sizeof(*th) > (unsigned int)m->m_len)
		return -EPROTONOSUPPORT;
	ph->tso_segsz = skb_shinfo(skb)->gso_size;
	th = (struct tcphdr *)(mtod(m, char *) + l4);
	if (ver == 4) {
		const struct iphdr *iph = (const struct iphdr *)
			(mtod(m, char *) + skb_network_offset(skb));

		ph->csum_flags |= CSUM_IP | CSUM_IP_TSO;
		th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, 0,
					       IPPROTO_TCP, 0);
	} else {
		const struct ipv6hdr *ip6 = (const struct ipv6hdr *)
			(mtod(m, char *) + skb_network_offset(skb));

		ph->csum_flags |= CSUM_IP6_TSO;
		th->check = ~csum_ipv6_magic(&ip6->saddr, &ip6->daddr, 0,
					     IPPROTO_TCP, 0);
	}
	return 0;
}

static int mbuf_skb_tx_meta(struct mbuf *m, const struct sk_buff *skb)
{
	struct pkthdr *ph = &m->m_pkthdr;
	int ver;

	ph->rcvif = skb->dev;
	if (skb_vlan_tag_present(skb)) {
		m->m_flags |= M_VLANTAG;
		ph->ether_vtag = skb_vlan_tag_get(skb);
	}
	if (skb->hash) {
		ph->flowid = skb->hash;
		ver = mbuf_skb_ipver(skb);
		if (skb->sw_hash || !ver)
			M_HASHTYPE_SET(m, M_HASHTYPE_OPAQUE_HASH);
		else if (!skb->l4_hash)
			M_HASHTYPE_SET(m, ver == 4 ? M_HASHTYPE_RSS_IPV4 :
						     M_HASHTYPE_RSS_IPV6);
		else if ((ver == 4 ? ip_hdr(skb)->protocol :
				     ipv6_hdr(skb)->nexthdr) == IPPROTO_UDP)
			M_HASHTYPE_SET(m, ver == 4 ? M_HASHTYPE_RSS_UDP_IPV4 :
						     M_HASHTYPE_RSS_UDP_IPV6);
		else
			M_HASHTYPE_SET(m, ver == 4 ? M_HASHTYPE_RSS_TCP_IPV4 :
						     M_HASHTYPE_RSS_TCP_IPV6);
	}
	/* rcv_tstmp shares its room with the header lengths of offloads. */
	if (skb->ip_summed != CHECKSUM_PARTIAL &&
	    skb_hwtstamps((struct sk_buff *)skb)->hwtstamp) {
		m->m_flags |= M_TSTMP;
		ph->rcv_tstmp = ktime_to_ns(skb_hwtstamps((struct sk_buff *)skb)->hwtstamp);
	}
	return mbuf_skb_tx_csum(m, skb);
}

/**
 * skb_to_mbuf() - turn an sk_buff to transmit into an mbuf chain
 * @skb: the skb, as ndo_start_xmit gets it
 * @how: M_NOWAIT or M_WAITOK
 *
 * See include/net/mbuf_skb.h and Documentation/bridge.rst.
 *
 * Return: the chain, or NULL (@skb has then been freed).
 */
struct mbuf *skb_to_mbuf(struct sk_buff *skb, int how)
{
	struct mbuf_skb_tx tx = { .how = how };
	unsigned int hlen, off;
	struct sk_buff *fl;
	struct mbuf *m;
	int err;

	if (!skb)
		return NULL;
	if ((how & (M_NOWAIT | M_WAITOK)) != M_NOWAIT &&
	    (how & (M_NOWAIT | M_WAITOK)) != M_WAITOK) {
		pr_warn_once(MBUF_LOG_PREFIX "%s: bad how %#x\n", __func__, how);
		kfree_skb(skb);
		return NULL;
	}
	might_sleep_if(how & M_WAITOK);
	/* FreeBSD's M_VLANTAG is 802.1Q: other tags go into the frame. */
	if (skb_vlan_tag_present(skb) && skb->vlan_proto != htons(ETH_P_8021Q)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb)
			return NULL;
	}
	m = m_gethdr(how, MT_DATA);
	if (!m) {
		kfree_skb(skb);
		return NULL;
	}
	hlen = mbuf_skb_tx_hlen(skb);
	/* Room for the driver's M_PREPEND in front of the headers. */
	m->m_data += min_t(unsigned int, MBUF_SKB_LEADINGSPACE, MHLEN - hlen);
	if (skb_copy_bits(skb, 0, mtod(m, void *), hlen))
		goto drop;
	m->m_len = hlen;
	m->m_pkthdr.len = skb->len;
	if (mbuf_skb_tx_meta(m, skb))
		goto drop;

	tx.skb = skb;
	tx.tail = &m->m_next;
	off = hlen;
	err = mbuf_skb_tx_pieces(&tx, skb, &off);
	skb_walk_frags(skb, fl) {
		if (err)
			break;
		err = mbuf_skb_tx_pieces(&tx, fl, &off);
	}
	if (err) {
		/* Freeing the chain frees the skb once it references it. */
		if (tx.carrier)
			skb = NULL;
		goto drop;
	}
	if (!tx.carrier)
		dev_consume_skb_any(skb);	/* all of it was copied */
	return m;

drop:
	m_freem(m);
	kfree_skb(skb);
	return NULL;
}
MBUF_EXPORT(skb_to_mbuf);
