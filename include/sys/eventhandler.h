/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD's eventhandler(9) for the events mbufcompat raises:
 *
 *   nmbclusters_change   an administrator raised kern.ipc.nmbclusters
 *                        (/proc/sys/net/mbuf/nmbclusters)
 *   nmbufs_change        ... kern.ipc.nmbufs (/proc/sys/net/mbuf/nmbufs)
 *
 * Handlers are FreeBSD's uma_zone_chfn, void (*)(void *arg), and run in
 * process context (the writer's), one after another in priority order,
 * after the new limit is in effect; a handler may sleep. A ported driver
 * or protocol keeps its calls:
 *
 *   tag = EVENTHANDLER_REGISTER(nmbclusters_change, fn, arg,
 *                               EVENTHANDLER_PRI_ANY);
 *   EVENTHANDLER_DEREGISTER(nmbclusters_change, tag);
 *
 * An event name other than these two does not compile: Linux has its own
 * notifiers for the rest (see Documentation/kpi.rst).
 */
#ifndef _SYS_EVENTHANDLER_H_
#define _SYS_EVENTHANDLER_H_

#include <linux/types.h>

struct eventhandler_entry;
typedef struct eventhandler_entry *eventhandler_tag;
struct eventhandler_list;

#define EVENTHANDLER_PRI_FIRST	0
#define EVENTHANDLER_PRI_ANY	10000
#define EVENTHANDLER_PRI_LAST	20000

typedef void (*uma_zone_chfn)(void *arg);

/* The two lists, by FreeBSD event name (see EVENTHANDLER_REGISTER). */
extern struct eventhandler_list mbuf_evh_nmbclusters_change;
extern struct eventhandler_list mbuf_evh_nmbufs_change;

eventhandler_tag mbuf_eventhandler_register(struct eventhandler_list *list,
					    uma_zone_chfn func, void *arg,
					    int priority);
void mbuf_eventhandler_deregister(struct eventhandler_list *list,
				  eventhandler_tag tag);
void mbuf_eventhandler_invoke(struct eventhandler_list *list);

/* FreeBSD's macros; the handler's type is checked at compile time. */
#define EVENTHANDLER_REGISTER(name, func, arg, priority)		\
	mbuf_eventhandler_register(&mbuf_evh_##name, (func), (arg),	\
				   (priority))
#define EVENTHANDLER_DEREGISTER(name, tag)				\
	mbuf_eventhandler_deregister(&mbuf_evh_##name, (tag))
#define EVENTHANDLER_INVOKE(name)					\
	mbuf_eventhandler_invoke(&mbuf_evh_##name)

#endif /* !_SYS_EVENTHANDLER_H_ */
