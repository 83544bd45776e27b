// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Send tags (FreeBSD 14's m_snd_tag_alloc / _init / _destroy).
 *
 * FreeBSD 14 gives each tag a method table, struct if_snd_tag_sw, and
 * frees a tag through sw->snd_tag_free; that is what we implement. The
 * seed (an earlier kern_mbuf.c) shows the older form, a u_int type in
 * m_snd_tag_init() and ifp->if_snd_tag_free(); drivers written for it
 * move the free method into an if_snd_tag_sw, as FreeBSD's own did.
 *
 * Interface references. A tag keeps its interface alive as FreeBSD's
 * if_ref() does: m_snd_tag_init() takes a net_device reference
 * (dev_hold) and m_snd_tag_destroy() drops it after the driver freed the
 * tag. Linux differs in one respect a porter must know: unregistering a
 * net_device waits for all its references, so tags must be released
 * (their last m_snd_tag_rele()) when the device goes down, not merely
 * before it is freed.
 *
 * Allocation. FreeBSD calls ifp->if_snd_tag_alloc; a net_device has no
 * such method, so a driver registers one for its device:
 *
 *   mbuf_snd_tag_register(dev, my_snd_tag_alloc);    after alloc_netdev
 *   ...
 *   mbuf_snd_tag_unregister(dev);                    before free_netdev
 *
 * The registrations are a small hash table keyed by the device. Lookups
 * (m_snd_tag_alloc) run under SRCU, so they work in any context and the
 * driver's allocator may sleep for M_WAITOK requests; unregistering
 * waits until no m_snd_tag_alloc() is still inside the driver's
 * allocator, after which the driver may go away.
 */
#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <net/if_var.h>
#include "internal.h"

#define MBUF_SNDTAG_HASH_BITS	4

struct mbuf_snd_tag_dev {
	struct hlist_node	node;
	struct net_device	*dev;
	if_snd_tag_alloc_t	*alloc;
};

static DEFINE_HASHTABLE(mbuf_snd_tag_devs, MBUF_SNDTAG_HASH_BITS);
static DEFINE_MUTEX(mbuf_snd_tag_lock);		/* serialises writers */
static struct srcu_struct mbuf_snd_tag_srcu;	/* protects readers */

/* Tags initialised and not yet destroyed: FreeBSD's kern.ipc.num_snd_tags. */
static atomic_long_t mbuf_snd_tags_live = ATOMIC_LONG_INIT(0);

/* Caller holds mbuf_snd_tag_lock or an SRCU read lock. */
static struct mbuf_snd_tag_dev *mbuf_snd_tag_find(struct net_device *dev)
{
	struct mbuf_snd_tag_dev *e;

	hash_for_each_possible_rcu(mbuf_snd_tag_devs, e, node, (unsigned long)dev,
				   srcu_read_lock_held(&mbuf_snd_tag_srcu) ||
				   lockdep_is_held(&mbuf_snd_tag_lock))
		if (e->dev == dev)
			return e;
	return NULL;
}

/**
 * mbuf_snd_tag_register() - offer send tags on a network device
 * @ifp: the device
 * @alloc: its allocator, FreeBSD's if_snd_tag_alloc method: allocates the
 *	driver's tag, calls m_snd_tag_init() on the embedded m_snd_tag and
 *	stores it in *mstp; returns 0 or a positive errno
 *
 * Linux stands in for the if_snd_tag_alloc field of FreeBSD's ifnet.
 * Process context.
 *
 * Return: 0; EEXIST if @ifp already has an allocator; ENOMEM.
 */
int mbuf_snd_tag_register(struct ifnet *ifp, if_snd_tag_alloc_t *alloc)
{
	struct mbuf_snd_tag_dev *e = NULL;
	int err = EINVAL;

	if (!WARN_ON_ONCE(!ifp || !alloc)) {
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		err = e ? 0 : ENOMEM;
	}
	if (err)
		return err;
	e->dev = ifp;
	e->alloc = alloc;
	mutex_lock(&mbuf_snd_tag_lock);
	if (mbuf_snd_tag_find(ifp))
		err = EEXIST;
	else
		hash_add_rcu(mbuf_snd_tag_devs, &e->node, (unsigned long)ifp);
	mutex_unlock(&mbuf_snd_tag_lock);
	if (err)
		kfree(e);
	return err;
}
MBUF_EXPORT(mbuf_snd_tag_register);

/**
 * mbuf_snd_tag_unregister() - stop offering send tags on a device
 * @ifp: a device passed to mbuf_snd_tag_register(), or one never
 *	registered (nothing happens)
 *
 * Returns once no m_snd_tag_alloc() call is still running the device's
 * allocator. Tags already made are not affected: each still holds the
 * device until it is destroyed. Process context; may sleep.
 */
void mbuf_snd_tag_unregister(struct ifnet *ifp)
{
	struct mbuf_snd_tag_dev *e;

	mutex_lock(&mbuf_snd_tag_lock);
	e = mbuf_snd_tag_find(ifp);
	if (e)
		hash_del_rcu(&e->node);
	mutex_unlock(&mbuf_snd_tag_lock);
	if (!e)
		return;
	synchronize_srcu(&mbuf_snd_tag_srcu);
	kfree(e);
}
MBUF_EXPORT(mbuf_snd_tag_unregister);

/**
 * m_snd_tag_alloc() - ask an interface for a send tag
 * @ifp: the interface
 * @params: what kind of tag (params->hdr.type, IF_SND_TAG_TYPE_*) and its
 *	parameters
 * @mstp: where the new tag is stored
 *
 * Calls the allocator the device registered. Any context the allocator
 * supports (a rate-limit request says M_NOWAIT or M_WAITOK in its flags).
 *
 * Return: 0, EOPNOTSUPP if the device offers no send tags, or the
 * allocator's error.
 */
int m_snd_tag_alloc(struct ifnet *ifp, union if_snd_tag_alloc_params *params,
		    struct m_snd_tag **mstp)
{
	struct mbuf_snd_tag_dev *e;
	int idx, err;

	idx = srcu_read_lock(&mbuf_snd_tag_srcu);
	e = mbuf_snd_tag_find(ifp);
	err = e ? e->alloc(ifp, params, mstp) : EOPNOTSUPP;
	srcu_read_unlock(&mbuf_snd_tag_srcu, idx);
	return err;
}
MBUF_EXPORT(m_snd_tag_alloc);

/**
 * m_snd_tag_init() - set up the generic part of a new send tag
 * @mst: the m_snd_tag embedded in the driver's tag
 * @ifp: the interface the tag belongs to; a reference is taken on it
 * @sw: the tag type's methods; sw->snd_tag_free is required
 *
 * The tag starts with one reference, the caller's. Any context.
 */
void m_snd_tag_init(struct m_snd_tag *mst, struct ifnet *ifp,
		    const struct if_snd_tag_sw *sw)
{
	WARN_ON_ONCE(!sw || !sw->snd_tag_free);
	dev_hold(ifp);
	mst->ifp = ifp;
	mst->sw = sw;
	WRITE_ONCE(mst->refcount, 1);
	atomic_long_inc(&mbuf_snd_tags_live);
}
MBUF_EXPORT(m_snd_tag_init);

/**
 * m_snd_tag_destroy() - free a send tag whose last reference went
 * @mst: the tag
 *
 * Called by m_snd_tag_rele(): the driver's sw->snd_tag_free releases the
 * tag's memory, then the interface reference is dropped. Any context the
 * driver's snd_tag_free allows.
 */
void m_snd_tag_destroy(struct m_snd_tag *mst)
{
	struct net_device *ifp = mst->ifp;

	mst->sw->snd_tag_free(mst);
	dev_put(ifp);
	atomic_long_dec(&mbuf_snd_tags_live);
}
MBUF_EXPORT(m_snd_tag_destroy);

/**
 * m_snd_tag_refcount_saturate() - pin a send tag's broken count and report it
 * @mst: the tag whose count m_snd_tag_ref() or m_snd_tag_rele() found wrong
 * @bug: what was wrong
 *
 * The slow path of the two inlines, as refcount_warn_saturate() is for a
 * refcount_t: the count is set to M_SND_TAG_REFCOUNT_SATURATED, where
 * later references and releases leave it, so the tag is never destroyed
 * (it leaks) and whoever still uses it keeps valid memory. Each kind of
 * bug warns once, with the caller's stack; a count found already
 * saturated is pinned again without a word. Any context.
 */
void m_snd_tag_refcount_saturate(struct m_snd_tag *mst,
				 enum m_snd_tag_refcount_bug bug)
{
	WRITE_ONCE(mst->refcount, M_SND_TAG_REFCOUNT_SATURATED);
	switch (bug) {
	case M_SND_TAG_REF_DEAD:
		WARN_ONCE(1, MBUF_LOG_PREFIX "send tag %p: reference taken on a released tag; saturated, leaking it\n",
			  mst);
		break;
	case M_SND_TAG_REF_OVERFLOW:
		WARN_ONCE(1, MBUF_LOG_PREFIX "send tag %p: reference count overflow; saturated, leaking it\n",
			  mst);
		break;
	case M_SND_TAG_RELE_UNDERFLOW:
		WARN_ONCE(1, MBUF_LOG_PREFIX "send tag %p: released once too often; saturated, leaking it\n",
			  mst);
		break;
	case M_SND_TAG_SATURATED:
		break;
	}
}
MBUF_EXPORT(m_snd_tag_refcount_saturate);

/* Send tags initialised and not yet destroyed. */
long mbuf_snd_tag_count(void)
{
	return atomic_long_read(&mbuf_snd_tags_live);
}

int mbuf_sndtag_init(void)
{
	return init_srcu_struct(&mbuf_snd_tag_srcu);
}

void mbuf_sndtag_exit(void)
{
	struct mbuf_snd_tag_dev *e;
	struct hlist_node *tmp;
	int bkt;

	/*
	 * Modules that use us are gone, so their devices' registrations and
	 * tags should be too; a leftover is their bug, reported and cleaned.
	 */
	WARN(mbuf_snd_tag_count(), MBUF_LOG_PREFIX "%ld send tags still alive at unload\n",
	     mbuf_snd_tag_count());
	hash_for_each_safe(mbuf_snd_tag_devs, bkt, tmp, e, node) {
		pr_warn(MBUF_LOG_PREFIX "send tag allocator of device %p still registered at unload\n",
			e->dev);
		hash_del_rcu(&e->node);
		kfree(e);
	}
	cleanup_srcu_struct(&mbuf_snd_tag_srcu);
}
