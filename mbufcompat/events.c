// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * FreeBSD's nmbclusters_change and nmbufs_change events (eventhandler(9),
 * <sys/eventhandler.h>): code that sizes its own caches from the mbuf
 * limits registers a handler and is told when an administrator raises
 * one through /proc/sys/net/mbuf (sysctl.c fires the event after the new
 * limit is in effect, as kern_mbuf.c does).
 *
 * Each event is a list of entries sorted by priority (lower first; equal
 * priorities in registration order) under a rwsem: invocation reads it and
 * calls each handler in process context, registration and removal write
 * it, so EVENTHANDLER_DEREGISTER() returns only when no invocation is
 * inside the handler, and the handler's module may then go away.
 */
#include <linux/list.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <sys/eventhandler.h>
#include "internal.h"

struct eventhandler_list {
	const char *name;
	struct rw_semaphore lock;
	struct list_head entries;
};

struct eventhandler_entry {
	struct list_head link;
	uma_zone_chfn func;
	void *arg;
	int priority;
};

#define MBUF_EVH_LIST(ev) {						\
	.name = #ev,							\
	.lock = __RWSEM_INITIALIZER(mbuf_evh_##ev.lock),		\
	.entries = LIST_HEAD_INIT(mbuf_evh_##ev.entries),		\
}

struct eventhandler_list mbuf_evh_nmbclusters_change =
	MBUF_EVH_LIST(nmbclusters_change);
MBUF_EXPORT(mbuf_evh_nmbclusters_change);
struct eventhandler_list mbuf_evh_nmbufs_change =
	MBUF_EVH_LIST(nmbufs_change);
MBUF_EXPORT(mbuf_evh_nmbufs_change);

/**
 * mbuf_eventhandler_register() - add a handler to an event
 * @list: the event (EVENTHANDLER_REGISTER() names it)
 * @func: called with @arg each time the event fires, in process context
 * @arg: its argument
 * @priority: EVENTHANDLER_PRI_FIRST (0) .. EVENTHANDLER_PRI_LAST; lower
 *	      runs first
 *
 * Process context (FreeBSD's allocates with M_WAITOK).
 *
 * Return: the tag for EVENTHANDLER_DEREGISTER(), or NULL if @func is NULL
 * or memory is short (FreeBSD's would wait).
 */
eventhandler_tag mbuf_eventhandler_register(struct eventhandler_list *list,
					    uma_zone_chfn func, void *arg,
					    int priority)
{
	struct eventhandler_entry *e, *pos;

	might_sleep();
	if (WARN_ON_ONCE(!func))
		return NULL;
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	e->func = func;
	e->arg = arg;
	e->priority = priority;
	down_write(&list->lock);
	list_for_each_entry(pos, &list->entries, link)
		if (pos->priority > priority)
			break;
	list_add_tail(&e->link, &pos->link);
	up_write(&list->lock);
	return e;
}
MBUF_EXPORT(mbuf_eventhandler_register);

/**
 * mbuf_eventhandler_deregister() - remove a handler from an event
 * @list: the event
 * @tag: what registration returned; NULL is ignored
 *
 * Waits for a running invocation of the event to finish, so the handler
 * is not running and will not run once this returns. Process context; not
 * from inside a handler of the same event.
 */
void mbuf_eventhandler_deregister(struct eventhandler_list *list,
				  eventhandler_tag tag)
{
	if (!tag)
		return;
	might_sleep();
	down_write(&list->lock);
	list_del(&tag->link);
	up_write(&list->lock);
	kfree(tag);
}
MBUF_EXPORT(mbuf_eventhandler_deregister);

/**
 * mbuf_eventhandler_invoke() - fire an event
 * @list: the event (EVENTHANDLER_INVOKE() names it)
 *
 * Calls every handler in priority order. Process context.
 */
void mbuf_eventhandler_invoke(struct eventhandler_list *list)
{
	struct eventhandler_entry *e;

	might_sleep();
	down_read(&list->lock);
	list_for_each_entry(e, &list->entries, link)
		e->func(e->arg);
	up_read(&list->lock);
}
MBUF_EXPORT(mbuf_eventhandler_invoke);

/**
 * mbuf_event_limit_raised() - fire the event of a raised limit, if any
 * @t: the limit that was raised
 *
 * nmbclusters fires nmbclusters_change and nmbufs fires nmbufs_change;
 * FreeBSD has no event for the jumbo limits.
 */
void mbuf_event_limit_raised(enum mbuf_tunable t)
{
	if (t == MBT_NMBCLUSTERS)
		mbuf_eventhandler_invoke(&mbuf_evh_nmbclusters_change);
	else if (t == MBT_NMBUFS)
		mbuf_eventhandler_invoke(&mbuf_evh_nmbufs_change);
}
