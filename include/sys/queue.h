/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The singly-linked list (SLIST) and tail queue (STAILQ) macros of BSD's
 * <sys/queue.h>, which struct mbuf, struct m_tag and struct mbufq are built
 * from. Written for mbufcompat; the guard is FreeBSD's so that a porter's
 * own copy of queue.h and this one never both expand.
 */
#ifndef _SYS_QUEUE_H_
#define _SYS_QUEUE_H_

#include <linux/container_of.h>
#include <linux/stddef.h>

/* Singly-linked list: a head pointer, each entry points at the next. */
#define SLIST_HEAD(name, type)						\
	struct name { struct type *slh_first; }
#define SLIST_HEAD_INITIALIZER(head)	{ NULL }
#define SLIST_ENTRY(type)						\
	struct { struct type *sle_next; }

#define SLIST_FIRST(head)	((head)->slh_first)
#define SLIST_EMPTY(head)	(!(head)->slh_first)
#define SLIST_NEXT(elm, field)	((elm)->field.sle_next)
#define SLIST_INIT(head)	((head)->slh_first = NULL)

#define SLIST_FOREACH(var, head, field)					\
	for ((var) = SLIST_FIRST(head); (var);				\
	     (var) = SLIST_NEXT(var, field))

#define SLIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = SLIST_FIRST(head);					\
	     (var) && ((tvar) = SLIST_NEXT(var, field), 1);		\
	     (var) = (tvar))

#define SLIST_INSERT_HEAD(head, elm, field) do {			\
	(elm)->field.sle_next = (head)->slh_first;			\
	(head)->slh_first = (elm);					\
} while (0)

#define SLIST_INSERT_AFTER(slistelm, elm, field) do {			\
	(elm)->field.sle_next = (slistelm)->field.sle_next;		\
	(slistelm)->field.sle_next = (elm);				\
} while (0)

#define SLIST_REMOVE_HEAD(head, field)					\
	((head)->slh_first = (head)->slh_first->field.sle_next)

#define SLIST_REMOVE_AFTER(elm, field)					\
	((elm)->field.sle_next = (elm)->field.sle_next->field.sle_next)

#define SLIST_REMOVE(head, elm, type, field) do {			\
	if ((head)->slh_first == (elm)) {				\
		SLIST_REMOVE_HEAD(head, field);				\
	} else {							\
		struct type *__prev = (head)->slh_first;		\
		while (__prev->field.sle_next != (elm))			\
			__prev = __prev->field.sle_next;		\
		__prev->field.sle_next = (elm)->field.sle_next;		\
	}								\
} while (0)

/* Singly-linked tail queue: O(1) insertion at both ends. */
#define STAILQ_HEAD(name, type)						\
	struct name {							\
		struct type *stqh_first;				\
		struct type **stqh_last;				\
	}
#define STAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).stqh_first }
#define STAILQ_ENTRY(type)						\
	struct { struct type *stqe_next; }

#define STAILQ_FIRST(head)	((head)->stqh_first)
#define STAILQ_EMPTY(head)	(!(head)->stqh_first)
#define STAILQ_NEXT(elm, field)	((elm)->field.stqe_next)

#define STAILQ_INIT(head) do {						\
	(head)->stqh_first = NULL;					\
	(head)->stqh_last = &(head)->stqh_first;			\
} while (0)

#define STAILQ_FOREACH(var, head, field)				\
	for ((var) = STAILQ_FIRST(head); (var);				\
	     (var) = STAILQ_NEXT(var, field))

#define STAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = STAILQ_FIRST(head);				\
	     (var) && ((tvar) = STAILQ_NEXT(var, field), 1);		\
	     (var) = (tvar))

#define STAILQ_INSERT_HEAD(head, elm, field) do {			\
	(elm)->field.stqe_next = (head)->stqh_first;			\
	if (!(head)->stqh_first)					\
		(head)->stqh_last = &(elm)->field.stqe_next;		\
	(head)->stqh_first = (elm);					\
} while (0)

#define STAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.stqe_next = NULL;					\
	*(head)->stqh_last = (elm);					\
	(head)->stqh_last = &(elm)->field.stqe_next;			\
} while (0)

#define STAILQ_REMOVE_HEAD(head, field) do {				\
	(head)->stqh_first = (head)->stqh_first->field.stqe_next;	\
	if (!(head)->stqh_first)					\
		(head)->stqh_last = &(head)->stqh_first;		\
} while (0)

#define STAILQ_INSERT_AFTER(head, tqelm, elm, field) do {		\
	(elm)->field.stqe_next = (tqelm)->field.stqe_next;		\
	if (!(elm)->field.stqe_next)					\
		(head)->stqh_last = &(elm)->field.stqe_next;		\
	(tqelm)->field.stqe_next = (elm);				\
} while (0)

/* Unlink the entry that follows @elm (which must have one). */
#define STAILQ_REMOVE_AFTER(head, elm, field) do {			\
	(elm)->field.stqe_next =					\
		(elm)->field.stqe_next->field.stqe_next;		\
	if (!(elm)->field.stqe_next)					\
		(head)->stqh_last = &(elm)->field.stqe_next;		\
} while (0)

/* Unlink @elm, which must be on the queue: O(n) unless it is first. */
#define STAILQ_REMOVE(head, elm, type, field) do {			\
	if ((head)->stqh_first == (elm)) {				\
		STAILQ_REMOVE_HEAD(head, field);			\
	} else {							\
		struct type *__prev = (head)->stqh_first;		\
		while (__prev->field.stqe_next != (elm))		\
			__prev = __prev->field.stqe_next;		\
		STAILQ_REMOVE_AFTER(head, __prev, field);		\
	}								\
} while (0)

/*
 * The last entry, found from the address of its link field, which is what
 * stqh_last points at (NULL when the queue is empty).
 */
#define STAILQ_LAST(head, type, field)					\
	(STAILQ_EMPTY(head) ? NULL :					\
	 container_of((head)->stqh_last, struct type, field.stqe_next))

#define STAILQ_CONCAT(head1, head2) do {				\
	if (!STAILQ_EMPTY(head2)) {					\
		*(head1)->stqh_last = (head2)->stqh_first;		\
		(head1)->stqh_last = (head2)->stqh_last;		\
		STAILQ_INIT(head2);					\
	}								\
} while (0)

#endif /* !_SYS_QUEUE_H_ */
