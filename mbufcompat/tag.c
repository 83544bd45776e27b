// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Packet tags (mbuf_tags(9), FreeBSD's uipc_mbuf2.c): metadata attached to
 * a packet header as a singly linked list of struct m_tag, each followed by
 * m_tag_len bytes of data and identified by a <cookie, type> pair.
 *
 * A tag is one kmalloc() block; its m_tag_free method releases it, so a
 * module may embed struct m_tag in a larger object and free that instead.
 * The list belongs to the mbuf: the zone destructors delete it when the
 * mbuf is freed, and m_copym() copies it with m_tag_copy_chain().
 */
#include <linux/limits.h>
#include <linux/slab.h>
#include "internal.h"

/**
 * m_tag_free_default() - the default m_tag_free method
 * @t: a tag allocated by m_tag_alloc()
 */
void m_tag_free_default(struct m_tag *t)
{
	kfree(t);
}
MBUF_EXPORT(m_tag_free_default);

/**
 * m_tag_alloc() - allocate a packet tag
 * @cookie: module or ABI the tag type belongs to (MTAG_ABI_COMPAT for the
 *	    shared PACKET_TAG_* types)
 * @type: tag type within @cookie
 * @len: bytes of data to follow the tag
 * @wait: M_NOWAIT or M_WAITOK, optionally with M_ZERO for zeroed data
 *
 * The tag is not attached to anything: see m_tag_prepend().
 *
 * Return: the tag, or NULL if @len is out of range or (only with M_NOWAIT)
 * memory is short.
 */
struct m_tag *m_tag_alloc(u32 cookie, int type, int len, int wait)
{
	struct m_tag *t;

	if (len < 0 || len > U16_MAX)
		return NULL;
	/* Tests may make M_NOWAIT requests fail (fault.c). */
	if (mbuf_fault_armed() && (wait & (M_WAITOK | M_NOWAIT)) != M_WAITOK &&
	    mbuf_should_fail(NULL))
		return NULL;
	t = kmalloc(sizeof(*t) + len, mbuf_how_to_gfp(wait));
	if (!t)
		return NULL;
	m_tag_setup(t, cookie, type, len);
	t->m_tag_free = m_tag_free_default;
	return t;
}
MBUF_EXPORT(m_tag_alloc);

/**
 * m_tag_delete() - unlink a tag from a packet and free it
 * @m: the packet header mbuf
 * @t: one of its tags
 */
void m_tag_delete(struct mbuf *m, struct m_tag *t)
{
	m_tag_unlink(m, t);
	m_tag_free(t);
}
MBUF_EXPORT(m_tag_delete);

/**
 * m_tag_delete_chain() - delete a packet's tags
 * @m: the packet header mbuf
 * @t: the first tag to delete (it and all that follow), or NULL for all
 */
void m_tag_delete_chain(struct mbuf *m, struct m_tag *t)
{
	struct m_tag *p = t ? t : SLIST_FIRST(&m->m_pkthdr.tags);
	struct m_tag *q;

	if (!p)
		return;
	while ((q = SLIST_NEXT(p, m_tag_link)) != NULL)
		m_tag_delete(m, q);
	m_tag_delete(m, p);
}
MBUF_EXPORT(m_tag_delete_chain);

/**
 * m_tag_delete_nonpersistent() - delete the tags that do not survive a
 * trip through an interface
 * @m: the packet header mbuf
 *
 * Tags whose type has MTAG_PERSISTENT set are kept.
 */
void m_tag_delete_nonpersistent(struct mbuf *m)
{
	struct m_tag *p, *q;

	SLIST_FOREACH_SAFE(p, &m->m_pkthdr.tags, m_tag_link, q)
		if (!(p->m_tag_id & MTAG_PERSISTENT))
			m_tag_delete(m, p);
}
MBUF_EXPORT(m_tag_delete_nonpersistent);

/**
 * m_tag_locate() - find a packet's tag by cookie and type
 * @m: the packet header mbuf
 * @cookie: module or ABI of the tag
 * @type: type of the tag (FreeBSD's uint16_t: m_tag_id's width)
 * @t: search after this tag, or NULL to search from the first
 *
 * Return: the first matching tag, or NULL.
 */
struct m_tag *m_tag_locate(struct mbuf *m, u32 cookie, uint16_t type,
			   struct m_tag *t)
{
	struct m_tag *p = t ? SLIST_NEXT(t, m_tag_link) :
			      SLIST_FIRST(&m->m_pkthdr.tags);

	for (; p; p = SLIST_NEXT(p, m_tag_link))
		if (p->m_tag_cookie == cookie && p->m_tag_id == type)
			return p;
	return NULL;
}
MBUF_EXPORT(m_tag_locate);

/**
 * m_tag_copy() - copy a tag
 * @t: the tag
 * @how: M_NOWAIT or M_WAITOK
 *
 * The copy is a plain m_tag_alloc() tag with the same cookie, type and
 * data, freed by m_tag_free_default().
 *
 * Return: the unattached copy, or NULL (only with M_NOWAIT).
 */
struct m_tag *m_tag_copy(struct m_tag *t, int how)
{
	struct m_tag *p;

	p = m_tag_alloc(t->m_tag_cookie, t->m_tag_id, t->m_tag_len, how);
	if (p)
		memcpy(p + 1, t + 1, t->m_tag_len);
	return p;
}
MBUF_EXPORT(m_tag_copy);

/**
 * m_tag_copy_chain() - replace a packet's tags with copies of another's
 * @to: the packet header mbuf that receives the copies; its own tags are
 *	deleted first
 * @from: the packet header mbuf whose tags are copied, in order
 * @how: M_NOWAIT or M_WAITOK
 *
 * Return: 1 on success; 0 if a copy failed, in which case @to is left
 * without tags (FreeBSD's convention: a truth value, not an errno).
 */
int m_tag_copy_chain(struct mbuf *to, const struct mbuf *from, int how)
{
	struct m_tag *p, *t, *prev = NULL;

	m_tag_delete_chain(to, NULL);
	SLIST_FOREACH(p, &from->m_pkthdr.tags, m_tag_link) {
		t = m_tag_copy(p, how);
		if (!t) {
			m_tag_delete_chain(to, NULL);
			return 0;
		}
		if (prev)
			SLIST_INSERT_AFTER(prev, t, m_tag_link);
		else
			SLIST_INSERT_HEAD(&to->m_pkthdr.tags, t, m_tag_link);
		prev = t;
	}
	return 1;
}
MBUF_EXPORT(m_tag_copy_chain);
