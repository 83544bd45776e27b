// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The mbuf(9) allocation KPI: FreeBSD 14's kern_mbuf.c entry points (and
 * the few uipc_mbuf.c routines that sharing storage needs) on top of the
 * zone layer.
 *
 * Every mbuf, cluster and packet comes from uma_zalloc_arg() on one of the
 * six zones, and the zones' per-allocation constructors (below) do what
 * UMA's do on FreeBSD:
 *
 *   zone_mbuf     mb_ctor_mbuf   m_init() from struct mb_args, unless the
 *                                type is MT_NOINIT (the caller inits later)
 *   zone_clust,   mb_ctor_clust  attach the new buffer to the mbuf passed
 *   zone_jumbo*                  as argument, if any
 *   zone_pack     mb_ctor_pack   m_init() the mbuf of a pre-paired
 *   (and the                     mbuf + cluster; m_ext is already set
 *   jumbo pair zones)
 *
 * External storage is reference counted. The first mbuf to reference a
 * buffer carries the count in m_ext.ext_count (EXT_FLAG_EMBREF) together
 * with the free routine and its arguments; mbufs that share the buffer
 * (mb_dupcl(), m_copym()) hold a shadow of m_ext whose ext_cnt points at
 * that count. Whichever mbuf drops the last reference releases the buffer
 * and the carrier; the carrier is found from the count's address. A count
 * of one is owned by the caller alone, so it is neither decremented nor
 * incremented atomically (the FreeBSD rule). EXT_EXTREF storage keeps its
 * count outside any mbuf, so every sharer carries a full m_ext.
 */
#include <linux/bug.h>
#include <linux/container_of.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include "internal.h"
#include "trace.h"

/**
 * mbuf_how_to_gfp() - gfp flags for a FreeBSD allocation "how"
 * @how: M_NOWAIT or M_WAITOK, optionally with M_ZERO and M_USE_RESERVE
 *
 * M_WAITOK may sleep; anything else must not, and may be called in any
 * context, so it is atomic and quiet (the caller handles NULL).
 *
 * Return: GFP_KERNEL or GFP_ATOMIC | __GFP_NOWARN, plus __GFP_ZERO, plus
 * __GFP_MEMALLOC for M_USE_RESERVE.
 */
gfp_t mbuf_how_to_gfp(int how)
{
	gfp_t gfp;

	if ((how & (M_WAITOK | M_NOWAIT)) == M_WAITOK)
		gfp = GFP_KERNEL;
	else
		gfp = GFP_ATOMIC | __GFP_NOWARN;
	if (how & M_ZERO)
		gfp |= __GFP_ZERO;
	/* Both may dip into memory kept for those who must not fail. */
	if (how & M_USE_RESERVE)
		gfp |= __GFP_MEMALLOC;
	return gfp;
}

/*
 * Point @m at external storage @buf: m_data at its start, the free context,
 * and M_EXT. The reference count is the caller's to set up.
 */
static void mb_ext_attach(struct mbuf *m, char *buf, u_int size, int type,
			  m_ext_free_t *freef, void *arg1, void *arg2)
{
	m->m_ext.ext_buf = buf;
	m->m_data = buf;
	m->m_ext.ext_size = size;
	m->m_ext.ext_type = type;
	m->m_ext.ext_free = freef;
	m->m_ext.ext_arg1 = arg1;
	m->m_ext.ext_arg2 = arg2;
	m->m_flags |= M_EXT;
}

/* @m is the first and only reference: it carries the count itself. */
static void mb_ext_embref(struct mbuf *m)
{
	m->m_ext.ext_flags = EXT_FLAG_EMBREF;
	m->m_ext.ext_count = 1;
}

/* ---- zone constructors and destructors ---------------------------- */

/**
 * mb_ctor_mbuf() - per-allocation constructor of the mbuf zone
 * @zone: the zone
 * @mem: the new mbuf
 * @arg: a struct mb_args (flags and type of the new mbuf)
 * @how: the caller's M_NOWAIT / M_WAITOK
 *
 * Return: 0, or a positive errno that fails the allocation.
 */
int mb_ctor_mbuf(uma_zone_t zone, void *mem, void *arg, int how)
{
	const struct mb_args *args = arg;

	/* Direct uma_zalloc(zone_mbuf): nothing to initialise from. */
	if (!args || args->type == MT_NOINIT)
		return 0;
	WARN_ON_ONCE(args->flags & M_NOFREE);
	return m_init(mem, how, args->type, args->flags);
}

/**
 * mb_dtor_mbuf() - per-free destructor of the mbuf zone
 * @zone: the zone
 * @mem: the mbuf being freed
 * @arg: MB_DTOR_SKIP to leave the packet tags alone (the caller knows
 *	 there are none), else NULL
 */
void mb_dtor_mbuf(uma_zone_t zone, void *mem, void *arg)
{
	struct mbuf *m = mem;

	/* The caller vouches that there is nothing to look at. */
	if ((unsigned long)arg & MB_DTOR_SKIP)
		return;
	WARN_ON_ONCE(m->m_flags & M_NOFREE);
	if ((m->m_flags & M_PKTHDR) && !SLIST_EMPTY(&m->m_pkthdr.tags))
		m_tag_delete_chain(m, NULL);
}

/**
 * mb_ctor_clust() - per-allocation constructor of the cluster zones
 * @zone: zone_clust or one of the jumbo zones
 * @mem: the new buffer
 * @arg: the mbuf to attach it to, or NULL for a bare buffer
 * @how: the caller's M_NOWAIT / M_WAITOK
 *
 * Return: 0.
 */
int mb_ctor_clust(uma_zone_t zone, void *mem, void *arg, int how)
{
	struct mbuf *m = arg;

	if (!m)
		return 0;
	mb_ext_attach(m, mem, zone->size, m_gettype(zone->size), NULL, NULL,
		      NULL);
	mb_ext_embref(m);
	return 0;
}

/**
 * mb_ctor_pack() - per-allocation constructor of the pair zones
 * @zone: zone_pack or a jumbo pair zone
 * @mem: an mbuf whose m_ext already describes its paired cluster
 * @arg: a struct mb_args (flags and type of the new mbuf)
 * @how: the caller's M_NOWAIT / M_WAITOK
 *
 * Return: 0, or a positive errno that fails the allocation.
 */
int mb_ctor_pack(uma_zone_t zone, void *mem, void *arg, int how)
{
	const struct mb_args *args = arg;
	struct mbuf *m = mem;
	short type = args ? args->type : MT_DATA;
	int flags = args ? args->flags : 0;
	int error;

	WARN_ON_ONCE(flags & M_NOFREE);
	/* m_init() leaves m_ext alone: it lies past the packet header. */
	error = m_init(m, how, type, flags);
	m->m_data = m->m_ext.ext_buf;
	m->m_flags = flags | M_EXT;
	return error;
}

/**
 * mb_dtor_pack() - per-free destructor of the pair zones
 * @zone: zone_pack or a jumbo pair zone
 * @mem: the mbuf being freed, its cluster still attached
 * @arg: unused
 */
void mb_dtor_pack(uma_zone_t zone, void *mem, void *arg)
{
	struct mbuf *m = mem;
	bool jumbo = mbuf_zone_id_is_jpack(zone->id);
	u_int size = MCLBYTES;

	if (jumbo)
		size = MBZ(mbuf_pair_clust_id(zone->id))->size;
	if (m->m_flags & M_PKTHDR)
		m_tag_delete_chain(m, NULL);
	/* It goes back to the cache as a clean pair, or not at all. */
	WARN_ON_ONCE(!(m->m_flags & M_EXT));
	WARN_ON_ONCE(!m->m_ext.ext_buf);
	WARN_ON_ONCE(m->m_ext.ext_free || m->m_ext.ext_arg1 ||
		     m->m_ext.ext_arg2);
	WARN_ON_ONCE(m->m_ext.ext_size != size);
	WARN_ON_ONCE(m->m_ext.ext_type != (jumbo ? m_gettype(size) :
					   EXT_PACKET));
	WARN_ON_ONCE(jumbo && !(m->m_ext.ext_flags & MBUF_EXT_FLAG_PAIRED));
}

/* ---- initialisation ----------------------------------------------- */

/**
 * m_pkthdr_init() - make an mbuf a packet header with an empty header
 * @m: the mbuf
 * @how: M_NOWAIT or M_WAITOK (for FreeBSD's MAC labels; unused)
 *
 * Points m_data at the packet header mbuf's storage and clears the header:
 * no interface, no tags, no offload flags, no NUMA domain (M_NODOM).
 *
 * Return: 0.
 */
int m_pkthdr_init(struct mbuf *m, int how)
{
	m->m_data = m->m_pktdat;
	m->m_pkthdr.rcvif = NULL;
	m->m_pkthdr.leaf_rcvif = NULL;
	SLIST_INIT(&m->m_pkthdr.tags);
	m->m_pkthdr.len = 0;
	m->m_pkthdr.flowid = 0;
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.fibnum = 0;
	m->m_pkthdr.numa_domain = M_NODOM;
	m->m_pkthdr.rsstype = 0;
	m->m_pkthdr.rcv_tstmp = 0;
	m->m_pkthdr.PH_per.sixtyfour[0] = 0;
	m->m_pkthdr.PH_loc.sixtyfour[0] = 0;
	return 0;
}
MBUF_EXPORT(m_pkthdr_init);

/**
 * m_init() - initialise an mbuf with internal storage
 * @m: the mbuf, e.g. allocated with type MT_NOINIT
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type
 * @flags: M_PKTHDR to make it a packet header, plus any other M_* flags
 *
 * Return: 0, or a positive errno from m_pkthdr_init().
 */
int m_init(struct mbuf *m, int how, short type, int flags)
{
	int error = 0;

	m->m_next = NULL;
	m->m_nextpkt = NULL;
	m->m_data = m->m_dat;
	m->m_len = 0;
	m->m_flags = flags;
	m->m_type = type;
	if (flags & M_PKTHDR)
		error = m_pkthdr_init(m, how);
	trace_m_init(m, how, type, flags, error);
	return error;
}
MBUF_EXPORT(m_init);

/* ---- cluster sizes, zones and types -------------------------------- */

/* The zone of a cluster size, NULL for any other size. */
static __always_inline uma_zone_t mb_zone_lookup(int size)
{
	switch (size) {
	case MCLBYTES:
		return zone_clust;
	case MJUMPAGESIZE:
		return zone_jumbop;
	case MJUM9BYTES:
		return zone_jumbo9;
	case MJUM16BYTES:
		return zone_jumbo16;
	}
	return NULL;
}

/**
 * m_getzone() - the zone of a cluster size
 * @size: MCLBYTES, MJUMPAGESIZE, MJUM9BYTES or MJUM16BYTES
 *
 * Return: zone_clust, zone_jumbop, zone_jumbo9 or zone_jumbo16; NULL (and
 * a warning, once) for any other size, where FreeBSD would panic.
 */
uma_zone_t m_getzone(int size)
{
	uma_zone_t zone = mb_zone_lookup(size);

	WARN_ONCE(!zone, MBUF_LOG_PREFIX "%s: invalid cluster size %d\n",
		  __func__, size);
	return zone;
}
MBUF_EXPORT(m_getzone);

/* m_getzone(), with the lookup inline for the hot paths. */
static __always_inline uma_zone_t mb_zone_of_size(int size)
{
	uma_zone_t zone = mb_zone_lookup(size);

	return likely(zone) ? zone : m_getzone(size);	/* warns, once */
}

/**
 * m_gettype() - the external storage type of a buffer size
 * @size: MSIZE, MCLBYTES, MJUMPAGESIZE, MJUM9BYTES or MJUM16BYTES
 *
 * Return: EXT_MBUF, EXT_CLUSTER, EXT_JUMBOP, EXT_JUMBO9 or EXT_JUMBO16; 0
 * (no type, and a warning, once) for any other size, where FreeBSD would
 * panic.
 */
int m_gettype(int size)
{
	switch (size) {
	case MSIZE:
		return EXT_MBUF;
	case MCLBYTES:
		return EXT_CLUSTER;
	case MJUMPAGESIZE:
		return EXT_JUMBOP;
	case MJUM9BYTES:
		return EXT_JUMBO9;
	case MJUM16BYTES:
		return EXT_JUMBO16;
	}
	WARN_ONCE(1, MBUF_LOG_PREFIX "%s: invalid cluster size %d\n",
		  __func__, size);
	return 0;
}
MBUF_EXPORT(m_gettype);

/* The size of a cluster type, or 0 if it is not one. */
static int mb_cluster_size(int type)
{
	switch (type) {
	case EXT_CLUSTER:
		return MCLBYTES;
	case EXT_JUMBOP:
		return MJUMPAGESIZE;
	case EXT_JUMBO9:
		return MJUM9BYTES;
	case EXT_JUMBO16:
		return MJUM16BYTES;
	}
	return 0;
}

/**
 * m_cljset() - attach a cluster allocated on its own to an mbuf
 * @m: an mbuf without external storage
 * @cl: a new cluster, e.g. from uma_zalloc(zone_clust) or m_cljget(NULL)
 * @type: EXT_CLUSTER, EXT_JUMBOP, EXT_JUMBO9 or EXT_JUMBO16, matching the
 *	  zone @cl came from
 *
 * The cluster must not be referenced by anything else: the mbuf becomes its
 * only owner and m_free() returns it to its zone. An unknown @type attaches
 * nothing and warns, once.
 */
void m_cljset(struct mbuf *m, void *cl, int type)
{
	int size = mb_cluster_size(type);

	if (WARN_ONCE(!size, MBUF_LOG_PREFIX "%s: unknown cluster type %d\n",
		      __func__, type))
		return;
	mb_ext_attach(m, cl, size, type, NULL, NULL, NULL);
	mb_ext_embref(m);
	trace_m_cljset(m, cl, type);
}
MBUF_EXPORT(m_cljset);

/* ---- allocation ----------------------------------------------------- */

/*
 * m_init()'s work on an mbuf from a magazine of the mbuf zone (@pair
 * false) or of a pair zone (@pair true: its cluster is attached already).
 */
static __always_inline void mb_init_fast(struct mbuf *m, int how, short type,
					 int flags, bool pair)
{
	m->m_next = NULL;
	m->m_nextpkt = NULL;
	m->m_len = 0;
	if (flags & M_PKTHDR)
		m_pkthdr_init(m, how);
	if (pair) {
		m->m_data = m->m_ext.ext_buf;
		flags |= M_EXT;
	} else if (!(flags & M_PKTHDR)) {
		m->m_data = m->m_dat;
	}
	/* Side by side, so that the two bit-fields are one store. */
	m->m_type = type;
	m->m_flags = flags;
}

/*
 * An mbuf of @zone (zone_mbuf or a pair zone), initialised. @trace: fire
 * m_init for one that the inline path initialised (the KPI's fast paths
 * pass false while no KPI event has a probe; see trace.h).
 */
static __always_inline struct mbuf *__mb_alloc(uma_zone_t zone, int how,
					       short type, int flags,
					       bool trace)
{
	struct mb_args args = { .flags = flags, .type = type };
	struct mbuf *m;

	/*
	 * M_NOWAIT with a real type is the hot path (a driver's receive
	 * refill): take the item from the magazine and do m_init()'s work
	 * here rather than through the zone's indirect constructor. Any
	 * other "how" (M_WAITOK, M_ZERO, or a bad one, which is logged and
	 * never sleeps) takes the general path.
	 */
	if (unlikely(type == MT_NOINIT || how != M_NOWAIT ||
		     (flags & M_NOFREE)))
		return uma_zalloc_arg(zone, &args, how);
	m = mbuf_zone_get_fast(zone, how);
	if (unlikely(!m))
		return NULL;
	/*
	 * The zone's kind, not a comparison with zone_pack: debugnet may
	 * repoint that between the caller's read and this one.
	 */
	mb_init_fast(m, how, type, flags, mbuf_zone_id_is_pair(zone->id));
	if (trace)
		trace_m_init(m, how, type, flags, 0);
	return m;
}

static __always_inline struct mbuf *mb_alloc(uma_zone_t zone, int how,
					     short type, int flags)
{
	return __mb_alloc(zone, how, type, flags, true);
}

#if IS_ENABLED(CONFIG_MBUFCOMPAT_KUNIT_TEST)
/* For the tests: the m_get()/m_getcl() path on a zone the caller read. */
struct mbuf *mbuf_test_mb_alloc(uma_zone_t zone, int how, short type,
				int flags)
{
	return mb_alloc(zone, how, type, flags);
}
#endif

/* An mbuf from zone_mbuf with a buffer from @zone attached, or NULL. */
static struct mbuf *mb_alloc_with(uma_zone_t zone, int how, short type,
				  int flags)
{
	struct mbuf *m;

	if (!zone)
		return NULL;
	m = mb_alloc(zone_mbuf, how, type, flags);
	if (!m)
		return NULL;
	if (likely(type != MT_NOINIT && how == M_NOWAIT)) {
		void *cl = mbuf_zone_get_fast(zone, how);

		if (unlikely(!cl)) {
			mbuf_zone_put_fast(zone_mbuf, m);
			return NULL;
		}
		mb_ext_attach(m, cl, zone->size, m_gettype(zone->size), NULL,
			      NULL, NULL);
		mb_ext_embref(m);
		return m;
	}
	if (!uma_zalloc_arg(zone, m, how)) {
		m_free_raw(m);
		return NULL;
	}
	return m;
}

/*
 * m_get(), m_gethdr() and m_getcl() while a KPI event has a probe: the
 * same allocation, with its events.
 */
static noinline struct mbuf *mb_get_traced(int how, short type, int flags)
{
	struct mbuf *m = mb_alloc(zone_mbuf, how, type, flags);

	if (flags & M_PKTHDR)
		trace_m_gethdr(how, type, m);
	else
		trace_m_get(how, type, m);
	return m;
}

static noinline struct mbuf *mb_getcl_traced(int how, short type, int flags)
{
	struct mbuf *m = mb_alloc(zone_pack, how, type, flags);

	trace_m_getcl(how, type, flags, m);
	return m;
}

/**
 * m_get() - allocate an mbuf
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type (MT_NOINIT: leave it for m_init())
 *
 * Return: an mbuf with MLEN bytes of internal storage, or NULL (only with
 * M_NOWAIT).
 */
MBUF_FAST_ENTRY struct mbuf *m_get(int how, short type)
{
	if (unlikely(mbuf_kpi_traced()))
		return mb_get_traced(how, type, 0);
	return __mb_alloc(zone_mbuf, how, type, 0, false);
}
MBUF_EXPORT(m_get);

/**
 * m_gethdr() - allocate a packet header mbuf
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type (MT_NOINIT: leave it for m_init())
 *
 * Return: an M_PKTHDR mbuf with MHLEN bytes of internal storage and an
 * empty packet header, or NULL (only with M_NOWAIT).
 */
MBUF_FAST_ENTRY struct mbuf *m_gethdr(int how, short type)
{
	if (unlikely(mbuf_kpi_traced()))
		return mb_get_traced(how, type, M_PKTHDR);
	return __mb_alloc(zone_mbuf, how, type, M_PKTHDR, false);
}
MBUF_EXPORT(m_gethdr);

/**
 * m_get_raw() - allocate an mbuf and leave it uninitialised
 * @how: M_NOWAIT or M_WAITOK
 * @type: not stored: the caller sets everything, usually with m_init()
 *
 * Return: the mbuf, or NULL (only with M_NOWAIT).
 */
struct mbuf *m_get_raw(int how, short type)
{
	struct mb_args args = { .flags = 0, .type = type | MT_NOINIT };
	struct mbuf *m = uma_zalloc_arg(zone_mbuf, &args, how);

	trace_m_get_raw(how, type, m);
	return m;
}
MBUF_EXPORT(m_get_raw);

/**
 * m_gethdr_raw() - allocate a packet header mbuf, uninitialised
 * @how: M_NOWAIT or M_WAITOK
 * @type: not stored, as for m_get_raw()
 *
 * Return: the mbuf, or NULL (only with M_NOWAIT).
 */
struct mbuf *m_gethdr_raw(int how, short type)
{
	struct mb_args args = { .flags = M_PKTHDR, .type = type | MT_NOINIT };
	struct mbuf *m = uma_zalloc_arg(zone_mbuf, &args, how);

	trace_m_gethdr_raw(how, type, m);
	return m;
}
MBUF_EXPORT(m_gethdr_raw);

/**
 * m_getcl() - allocate an mbuf with a 2 KiB cluster attached
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type
 * @flags: M_PKTHDR for a packet header mbuf, plus any other M_* flags
 *
 * The pair comes pre-assembled from the packet zone (ext_type EXT_PACKET).
 *
 * Return: the mbuf, or NULL (only with M_NOWAIT).
 */
MBUF_FAST_ENTRY struct mbuf *m_getcl(int how, short type, int flags)
{
	if (unlikely(mbuf_kpi_traced()))
		return mb_getcl_traced(how, type, flags);
	return __mb_alloc(zone_pack, how, type, flags, false);
}
MBUF_EXPORT(m_getcl);

/*
 * The jumbo pair zone for @zone (a jumbo cluster zone), or NULL to take
 * the mbuf and the cluster from their zones: when debugnet has repointed
 * the zone handle, so that a session's buffers come from its pools, and
 * while test fault injection is armed, so that a fault in the mbuf or
 * cluster zone fails m_getjcl() as it does without pair zones.
 */
static __always_inline uma_zone_t mb_jumbo_pair_zone(uma_zone_t zone)
{
	if (unlikely(!zone || zone != MBZ(zone->id) || mbuf_fault_armed()))
		return NULL;
	return MBZ(mbuf_jumbo_pair_id(zone->id));
}

/* m_getjcl() of everything its inline case leaves. */
static noinline struct mbuf *mb_getjcl_slow(int how, short type, int flags,
					    int size)
{
	uma_zone_t zone, pz;
	struct mbuf *m;

	if (size == MCLBYTES)
		return m_getcl(how, type, flags);
	zone = mb_zone_of_size(size);
	pz = mb_jumbo_pair_zone(zone);
	if (likely(pz))
		m = mb_alloc(pz, how, type, flags);
	else
		m = mb_alloc_with(zone, how, type, flags);
	trace_m_getjcl(how, type, flags, size, m);
	return m;
}

/**
 * m_getjcl() - allocate an mbuf with a cluster of a given size attached
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type
 * @flags: M_PKTHDR for a packet header mbuf, plus any other M_* flags
 * @size: MCLBYTES, MJUMPAGESIZE, MJUM9BYTES or MJUM16BYTES
 *
 * Jumbo clusters are physically contiguous. A 2 KiB pair comes from the
 * packet zone, as with m_getcl(); a jumbo one pre-assembled from the
 * jumbo pair zone of its size (the cluster's ext_type is that of its
 * size). If the cluster cannot be had the mbuf is freed again.
 *
 * Return: the mbuf, or NULL (with M_NOWAIT, or for an invalid @size).
 */
MBUF_FAST_ENTRY struct mbuf *m_getjcl(int how, short type, int flags, int size)
{
	uma_zone_t zone, cz, pz;
	struct mbuf *m;

	/*
	 * A jumbo pair with M_NOWAIT from a non-empty magazine (only where
	 * the pop is inline, and while no KPI event has a probe) is all done
	 * here, which keeps the common case free of the slow paths' register
	 * saves; everything else is mb_getjcl_slow(), which fires the events.
	 */
	if (MBUF_ZONE_BARE_CACHE && likely(!mbuf_kpi_traced()) &&
	    likely(how == M_NOWAIT && type != MT_NOINIT &&
		   !(flags & M_NOFREE))) {
		switch (size) {
		case MJUMPAGESIZE:
			zone = zone_jumbop;
			cz = MBZ(MBZ_JUMBOP);
			pz = MBZ(MBZ_PACKP);
			break;
		case MJUM9BYTES:
			zone = zone_jumbo9;
			cz = MBZ(MBZ_JUMBO9);
			pz = MBZ(MBZ_PACK9);
			break;
		case MJUM16BYTES:
			zone = zone_jumbo16;
			cz = MBZ(MBZ_JUMBO16);
			pz = MBZ(MBZ_PACK16);
			break;
		default:
			goto slow;
		}
		/* Not while debugnet has repointed the handle (see above). */
		if (unlikely(zone != cz))
			goto slow;
		m = mbuf_zone_pop(pz);
		if (likely(m)) {
			mb_init_fast(m, how, type, flags, true);
			return m;
		}
	}
slow:
	return mb_getjcl_slow(how, type, flags, size);
}
MBUF_EXPORT(m_getjcl);

/**
 * m_get2() - allocate the smallest mbuf that holds @size bytes, up to a
 * page-sized jumbo cluster
 * @size: bytes of data wanted
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type
 * @flags: M_PKTHDR for a packet header mbuf, plus any other M_* flags
 *
 * Internal storage if it fits (MHLEN with a packet header, else MLEN), else
 * a 2 KiB cluster from the packet zone, else a MJUMPAGESIZE cluster.
 *
 * Return: the mbuf, or NULL (with M_NOWAIT, or if @size > MJUMPAGESIZE).
 */
struct mbuf *m_get2(int size, int how, short type, int flags)
{
	if (size <= MHLEN || (size <= MLEN && !(flags & M_PKTHDR)))
		return mb_alloc(zone_mbuf, how, type, flags);
	if (size <= MCLBYTES)
		return mb_alloc(zone_pack, how, type, flags);
	if (size > MJUMPAGESIZE)
		return NULL;
	return m_getjcl(how, type, flags, MJUMPAGESIZE);
}
MBUF_EXPORT(m_get2);

/**
 * m_get3() - allocate the smallest mbuf that holds @size bytes, up to a
 * 16 KiB jumbo cluster
 * @size: bytes of data wanted
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type
 * @flags: M_PKTHDR for a packet header mbuf, plus any other M_* flags
 *
 * As m_get2(), continuing with 9 KiB and 16 KiB clusters.
 *
 * Return: the mbuf, or NULL (with M_NOWAIT, or if @size > MJUM16BYTES).
 */
struct mbuf *m_get3(int size, int how, short type, int flags)
{
	if (size <= MJUMPAGESIZE)
		return m_get2(size, how, type, flags);
	if (size > MJUM16BYTES)
		return NULL;
	return m_getjcl(how, type, flags,
			size <= MJUM9BYTES ? MJUM9BYTES : MJUM16BYTES);
}
MBUF_EXPORT(m_get3);

/**
 * m_getm2() - allocate a chain of mbufs and clusters holding @len bytes
 * @m: a chain to append the new one to, or NULL
 * @len: bytes of storage wanted (>= 0)
 * @how: M_NOWAIT or M_WAITOK
 * @type: MT_* type of the new mbufs
 * @flags: M_PKTHDR and/or M_EOR (others are ignored)
 *
 * Uses page-sized jumbo clusters while more than MCLBYTES remain (if they
 * can be had without waiting), then 2 KiB clusters down to MINCLSIZE, then
 * plain mbufs. M_PKTHDR applies to the first new mbuf, and only when @m is
 * NULL; M_EOR to the last one, and an appended chain's old tail loses its
 * M_EOR. The storage is empty: every m_len is 0.
 *
 * Return: @m (or the new chain when @m is NULL); NULL if any allocation
 * failed, in which case nothing new is left allocated and @m is untouched.
 */
struct mbuf *m_getm2(struct mbuf *m, int len, int how, short type, int flags)
{
	struct mbuf *mb, *top = NULL, *tail = NULL;

	WARN_ON_ONCE(len < 0);
	flags &= M_PKTHDR | M_EOR;
	if (m)
		flags &= ~M_PKTHDR;

	while (len > 0) {
		mb = NULL;
		if (len > MCLBYTES)
			mb = m_getjcl(M_NOWAIT, type, flags & M_PKTHDR,
				      MJUMPAGESIZE);
		if (!mb) {
			if (len >= MINCLSIZE)
				mb = m_getcl(how, type, flags & M_PKTHDR);
			else
				mb = mb_alloc(zone_mbuf, how, type,
					      flags & M_PKTHDR);
		}
		if (!mb) {
			m_freem(top);
			return NULL;
		}
		len -= M_SIZE(mb);
		if (tail)
			tail->m_next = mb;
		else
			top = mb;
		tail = mb;
		flags &= ~M_PKTHDR;
	}
	if (tail && (flags & M_EOR))
		tail->m_flags |= M_EOR;

	if (!m)
		return top;
	tail = m_last(m);
	tail->m_next = top;
	tail->m_flags &= ~M_EOR;
	return m;
}
MBUF_EXPORT(m_getm2);

/**
 * m_clget() - attach a 2 KiB cluster to an mbuf
 * @m: an mbuf without external storage
 * @how: M_NOWAIT or M_WAITOK
 *
 * If an M_NOWAIT attempt fails, the packet zone's cached pairs are given
 * back (which may free clusters) and the attempt is made once more.
 *
 * Return: M_EXT if the cluster is attached, 0 if not.
 */
int m_clget(struct mbuf *m, int how)
{
	WARN_ON_ONCE(m->m_flags & M_EXT);
	m->m_ext.ext_buf = NULL;
	uma_zalloc_arg(zone_clust, m, how);
	if ((how & M_NOWAIT) && !m->m_ext.ext_buf) {
		mbuf_zone_drain(zone_pack);
		uma_zalloc_arg(zone_clust, m, how);
	}
	trace_m_clget(m, how);
	return m->m_flags & M_EXT;
}
MBUF_EXPORT(m_clget);

/* m_cljget() of everything its inline case leaves. */
static noinline void *mb_cljget_slow(struct mbuf *m, int how, int size)
{
	uma_zone_t zone = mb_zone_of_size(size);
	void *cl = NULL;

	if (m) {
		WARN_ON_ONCE(m->m_flags & M_EXT);
		m->m_ext.ext_buf = NULL;
	}
	if (!zone)
		goto out;
	/*
	 * A bare cluster without M_WAITOK or M_ZERO: the constructor would
	 * have nothing to attach it to, so take it from the magazine alone.
	 */
	if (!m && likely(how == M_NOWAIT))
		cl = mbuf_zone_get_fast(zone, how);
	else
		cl = uma_zalloc_arg(zone, m, how);
out:
	trace_m_cljget(m, how, size, cl);
	return cl;
}

/**
 * m_cljget() - allocate a cluster, attached to an mbuf or on its own
 * @m: an mbuf without external storage to attach it to, or NULL
 * @how: M_NOWAIT or M_WAITOK
 * @size: MCLBYTES, MJUMPAGESIZE, MJUM9BYTES or MJUM16BYTES
 *
 * A bare cluster (@m NULL) is later attached with m_cljset() or returned
 * with uma_zfree(m_getzone(size), cl).
 *
 * Return: the cluster, or NULL (with M_NOWAIT, or for an invalid @size).
 */
MBUF_FAST_ENTRY void *m_cljget(struct mbuf *m, int how, int size)
{
	uma_zone_t zone;
	void *cl;

	/*
	 * A bare cluster with M_NOWAIT from a non-empty magazine (only where
	 * the pop is inline, and while no KPI event has a probe) is all done
	 * here; everything else is mb_cljget_slow(), which fires m_cljget.
	 */
	if (MBUF_ZONE_BARE_CACHE && !m && likely(how == M_NOWAIT) &&
	    likely(!mbuf_kpi_traced())) {
		zone = mb_zone_lookup(size);
		if (likely(zone)) {
			cl = mbuf_zone_pop(zone);
			if (likely(cl))
				return cl;
		}
	}
	return mb_cljget_slow(m, how, size);
}
MBUF_EXPORT(m_cljget);

/**
 * m_extadd() - attach caller-owned external storage to an mbuf
 * @mb: an mbuf without external storage
 * @buf: the buffer
 * @size: its size in bytes
 * @freef: called once, with the mbuf that carries the reference count,
 *	   when the last mbuf referencing @buf is freed (NULL for EXT_RXRING)
 * @arg1: stored in m_ext.ext_arg1 for @freef
 * @arg2: stored in m_ext.ext_arg2 for @freef
 * @flags: M_* flags to add to the mbuf, e.g. M_RDONLY
 * @type: EXT_SFBUF, EXT_NET_DRV, EXT_MOD_TYPE, EXT_DISPOSABLE, EXT_RXRING,
 *	  ... (not EXT_CLUSTER: clusters are attached with m_cljset()); with
 *	  EXT_EXTREF the count is the caller's (see m_extaddref())
 */
void m_extadd(struct mbuf *mb, char *buf, u_int size, m_ext_free_t freef,
	      void *arg1, void *arg2, int flags, int type)
{
	WARN_ON_ONCE(type == EXT_CLUSTER);
	mb->m_flags |= flags;
	mb_ext_attach(mb, buf, size, type, freef, arg1, arg2);
	if (type != EXT_EXTREF)
		mb_ext_embref(mb);
	else
		mb->m_ext.ext_flags = 0;
	trace_m_extadd(mb, buf, size, flags, type);
}
MBUF_EXPORT(m_extadd);

/**
 * m_extaddref() - attach external storage whose reference count the
 * caller keeps
 * @m: an mbuf without external storage
 * @buf: the buffer
 * @size: its size in bytes
 * @ref_cnt: the caller's count, incremented (atomically) here
 * @freef: called with the mbuf being freed when it holds the last reference
 * @arg1: stored in m_ext.ext_arg1 for @freef
 * @arg2: stored in m_ext.ext_arg2 for @freef
 *
 * The storage type is EXT_EXTREF. As on FreeBSD, a free that finds the
 * count at one calls @freef without decrementing it.
 */
void m_extaddref(struct mbuf *m, char *buf, u_int size, u_int *ref_cnt,
		 m_ext_free_t freef, void *arg1, void *arg2)
{
	WARN_ON_ONCE(!ref_cnt);
	__atomic_add_fetch(ref_cnt, 1, __ATOMIC_RELAXED);
	mb_ext_attach(m, buf, size, EXT_EXTREF, freef, arg1, arg2);
	m->m_ext.ext_cnt = ref_cnt;
	m->m_ext.ext_flags = 0;
}
MBUF_EXPORT(m_extaddref);

/* ---- reference counts ----------------------------------------------- */

#define MB_EPG_COPYOFF	offsetof(struct mbuf, m_epg_startcopy)
#define MB_EPG_COPYLEN	(offsetofend(struct mbuf, m_epg_endcopy) - MB_EPG_COPYOFF)

/**
 * m_extrefcnt() - the number of mbufs sharing an mbuf's external storage
 * @m: an mbuf with M_EXT
 *
 * Return: the reference count (1: @m is the only user).
 */
u_int m_extrefcnt(struct mbuf *m)
{
	WARN_ON_ONCE(!(m->m_flags & M_EXT));
	return mb_refs(m);
}
MBUF_EXPORT(m_extrefcnt);

/**
 * mb_dupcl() - make an mbuf share another's external storage
 * @n: an mbuf without external storage (typically new)
 * @m: an mbuf with external storage (M_EXT or M_EXTPG)
 *
 * @n gets a shadow of @m's m_ext whose reference points at the count @m
 * (or the mbuf @m itself shares from) carries; EXT_EXTREF storage and
 * M_EXTPG page vectors are copied whole. The count is incremented and both
 * become read-only in effect (M_WRITABLE() is false while it exceeds one).
 * m_data is left to the caller.
 */
void mb_dupcl(struct mbuf *n, struct mbuf *m)
{
	u_int *refcnt;

	WARN_ON_ONCE(!(m->m_flags & (M_EXT | M_EXTPG)));
	WARN_ON_ONCE(n->m_flags & (M_EXT | M_EXTPG));

	if (m->m_flags & M_EXTPG) {
		/* The page vector's metadata spans several fields. */
		memcpy((char *)n + MB_EPG_COPYOFF, (char *)m + MB_EPG_COPYOFF,
		       MB_EPG_COPYLEN);
		memcpy(&n->m_ext, &m->m_ext, m_epg_ext_copylen);
	} else if (m->m_ext.ext_type == EXT_EXTREF) {
		n->m_ext = m->m_ext;
	} else {
		/* The free context stays with the carrier of the count. */
		memcpy(&n->m_ext, &m->m_ext, m_ext_copylen);
	}
	n->m_flags |= m->m_flags & (M_RDONLY | M_EXT | M_EXTPG);

	if (m->m_ext.ext_flags & EXT_FLAG_EMBREF) {
		refcnt = (u_int *)&m->m_ext.ext_count;
		n->m_ext.ext_cnt = refcnt;
		n->m_ext.ext_flags &= ~EXT_FLAG_EMBREF;
	} else {
		refcnt = (u_int *)m->m_ext.ext_cnt;
	}
	mb_refcnt_acquire(refcnt);
}
MBUF_EXPORT(mb_dupcl);

/* ---- free ------------------------------------------------------------ */

/* The zone of a cluster ext_type, or NULL for any other storage. */
static uma_zone_t mb_cluster_zone(int type)
{
	switch (type) {
	case EXT_CLUSTER:
		return zone_clust;
	case EXT_JUMBOP:
		return zone_jumbop;
	case EXT_JUMBO9:
		return zone_jumbo9;
	case EXT_JUMBO16:
		return zone_jumbo16;
	}
	return NULL;
}

static_assert(EXT_JUMBO9 == EXT_JUMBOP + 1 && EXT_JUMBO16 == EXT_JUMBOP + 2);
static_assert(MBZ_PACK9 == MBZ_PACKP + 1 && MBZ_PACK16 == MBZ_PACKP + 2);

/* Is @m (the carrier of its count) a jumbo pair zone's pair? */
static __always_inline bool mb_is_jumbo_pair(const struct mbuf *m)
{
	return (m->m_ext.ext_flags & MBUF_EXT_FLAG_PAIRED) &&
	       m->m_ext.ext_type >= EXT_JUMBOP &&
	       m->m_ext.ext_type <= EXT_JUMBO16;
}

/* The jumbo pair zone a pair (mb_is_jumbo_pair()) came from. */
static __always_inline uma_zone_t mb_jumbo_pair_of(const struct mbuf *m)
{
	return MBZ(m->m_ext.ext_type - EXT_JUMBOP + MBZ_PACKP);
}

/* Return a cluster buffer to @zone and the carrier mbuf to zone_mbuf. */
static void mb_free_cluster(uma_zone_t zone, struct mbuf *m, struct mbuf *mref)
{
	uma_zfree(zone, m->m_ext.ext_buf);
	uma_zfree(zone_mbuf, mref);
}

/**
 * mb_free_ext() - free an mbuf with external storage
 * @m: an mbuf with M_EXT (not M_EXTPG: see mb_free_extpg())
 *
 * Drops @m's reference to its storage. The last reference releases the
 * storage according to its type and frees the mbuf carrying the count: a
 * packet zone pair goes back to zone_pack, clusters to their zone and the
 * carrier to zone_mbuf; EXT_SFBUF, EXT_NET_DRV, EXT_MOD_TYPE and
 * EXT_DISPOSABLE call ext_free on the carrier first; EXT_EXTREF calls
 * ext_free(@m); EXT_RXRING storage belongs to the ring and is left alone
 * (its carrier is freed unless it is M_NOFREE).
 * @m itself is freed unless it is M_NOFREE (embedded in its buffer).
 */
void mb_free_ext(struct mbuf *m)
{
	u_int *refcnt;
	struct mbuf *mref;
	bool freembuf;

	WARN_ON_ONCE(!(m->m_flags & M_EXT));
	refcnt = mb_refcnt(m);
	if (WARN_ON_ONCE(!refcnt))
		return;
	mref = mb_refcnt_carrier(refcnt);

	/*
	 * An M_NOFREE mbuf may live inside the storage it describes: decide
	 * about it now, since the storage may be gone below.
	 */
	freembuf = !(m->m_flags & M_NOFREE);
	WARN_ON_ONCE(!freembuf && m->m_ext.ext_type != EXT_EXTREF &&
		     m->m_ext.ext_type != EXT_RXRING);

	if (mb_refcnt_release(refcnt)) {
		switch (m->m_ext.ext_type) {
		case EXT_PACKET:
			/* The pair goes back whole, ready for reuse. */
			if (*refcnt == 0)
				*refcnt = 1;
			uma_zfree(zone_pack, mref);
			break;
		case EXT_JUMBOP:
		case EXT_JUMBO9:
		case EXT_JUMBO16:
			/* A jumbo pair goes back whole, as a packet does. */
			if (mb_is_jumbo_pair(mref)) {
				if (*refcnt == 0)
					*refcnt = 1;
				uma_zfree(mb_jumbo_pair_of(mref), mref);
				break;
			}
			fallthrough;
		case EXT_CLUSTER:
			mb_free_cluster(mb_cluster_zone(m->m_ext.ext_type), m,
					mref);
			break;
		case EXT_SFBUF:
		case EXT_NET_DRV:
		case EXT_MOD_TYPE:
		case EXT_DISPOSABLE:
			if (!WARN_ON_ONCE(!mref->m_ext.ext_free))
				mref->m_ext.ext_free(mref);
			uma_zfree(zone_mbuf, mref);
			break;
		case EXT_EXTREF:
			if (!WARN_ON_ONCE(!m->m_ext.ext_free))
				m->m_ext.ext_free(m);
			break;
		case EXT_RXRING:
			/*
			 * The ring keeps its buffer. Its mbufs are normally
			 * M_NOFREE; one from zone_mbuf goes back there rather
			 * than leak (FreeBSD would leak it). The free context
			 * lives on the carrier only: @m may be a shadow whose
			 * ext_free was never copied (mb_dupcl).
			 */
			WARN_ON_ONCE(mref->m_ext.ext_free);
			if (!(mref->m_flags & M_NOFREE))
				uma_zfree(zone_mbuf, mref);
			break;
		default:
			WARN_ONCE(m->m_ext.ext_type,
				  MBUF_LOG_PREFIX "%s: unknown ext_type %u\n",
				  __func__, m->m_ext.ext_type);
		}
	}

	if (freembuf && m != mref)
		uma_zfree(zone_mbuf, m);
}
MBUF_EXPORT(mb_free_ext);

/*
 * The push of mb_free_fast(): where the magazine push is inline
 * (MBUF_ZONE_BARE_CACHE) that alone, false when the magazine is full or
 * bypassed, so that the caller's loop makes no call; elsewhere the whole
 * of mbuf_zone_put_fast(), which does not fail.
 */
static __always_inline bool mb_free_push(uma_zone_t zone, void *item)
{
	if (MBUF_ZONE_BARE_CACHE)
		return mbuf_zone_mag_push(zone, item);
	mbuf_zone_put_fast(zone, item);
	return true;
}

/*
 * m_free() of the common case: no tags, no send tag, and storage (if any)
 * that this mbuf alone references. Nothing is left for a destructor to
 * do, so the items go straight back to their magazines. Returns false,
 * having done nothing, for anything else, and where the push is inline
 * when the magazine takes nothing (mb_free_slow() then gives the items
 * back the long way, with the same result).
 */
static __always_inline bool mb_free_fast(struct mbuf *m)
{
	if (unlikely((m->m_flags & (M_EXTPG | M_NOFREE)) ||
		     ((m->m_flags & M_PKTHDR) &&
		      (!SLIST_EMPTY(&m->m_pkthdr.tags) ||
		       (m->m_pkthdr.csum_flags & CSUM_SND_TAG)))))
		return false;
	if (!(m->m_flags & M_EXT))
		return mb_free_push(zone_mbuf, m);
	if (!(m->m_ext.ext_flags & EXT_FLAG_EMBREF) ||
	    READ_ONCE(m->m_ext.ext_count) != 1)
		return false;
	if (m->m_ext.ext_type == EXT_PACKET)
		return mb_free_push(zone_pack, m);
	/* A plain jumbo pair: whole, to its pair zone. */
	if (mb_is_jumbo_pair(m))
		return mb_free_push(mb_jumbo_pair_of(m), m);
	return false;
}

/* m_free() of everything mb_free_fast() leaves alone. */
static noinline void mb_free_slow(struct mbuf *m)
{
	uma_zone_t z;

	if (!(m->m_flags & (M_EXTPG | M_NOFREE)) &&
	    (!(m->m_flags & M_PKTHDR) ||
	     (SLIST_EMPTY(&m->m_pkthdr.tags) &&
	      !(m->m_pkthdr.csum_flags & CSUM_SND_TAG))) &&
	    (m->m_flags & M_EXT) && (m->m_ext.ext_flags & EXT_FLAG_EMBREF) &&
	    READ_ONCE(m->m_ext.ext_count) == 1) {
		/*
		 * The count read again: another holder of shared storage may
		 * have dropped it to one since mb_free_fast() looked. A jumbo
		 * pair then goes back whole, as there; its mbuf and cluster
		 * were charged as a pair and must not reach their own zones.
		 */
		if (mb_is_jumbo_pair(m)) {
			mbuf_zone_put_fast(mb_jumbo_pair_of(m), m);
			return;
		}
		/* A cluster attached on its own: both back, no destructor. */
		z = mb_cluster_zone(m->m_ext.ext_type);
		if (z) {
			mbuf_zone_put_fast(z, m->m_ext.ext_buf);
			mbuf_zone_put_fast(zone_mbuf, m);
			return;
		}
	}
	/* No destructor will run for an M_NOFREE mbuf: drop its tags here. */
	if ((m->m_flags & (M_PKTHDR | M_NOFREE)) == (M_PKTHDR | M_NOFREE))
		m_tag_delete_chain(m, NULL);
	if ((m->m_flags & M_PKTHDR) &&
	    (m->m_pkthdr.csum_flags & CSUM_SND_TAG))
		m_snd_tag_rele(m->m_pkthdr.snd_tag);
	if (m->m_flags & M_EXTPG)
		mb_free_extpg(m);
	else if (m->m_flags & M_EXT)
		mb_free_ext(m);
	else if (!(m->m_flags & M_NOFREE))
		uma_zfree(zone_mbuf, m);
}

/* One mbuf of m_free() or m_freem(); returns its m_next. */
static __always_inline struct mbuf *mb_free_one(struct mbuf *m)
{
	struct mbuf *n = m->m_next;

	if (!mb_free_fast(m))
		mb_free_slow(m);
	return n;
}

/**
 * m_free() - free one mbuf
 * @m: the mbuf; its packet tags, send tag reference and its reference to
 *     external storage are released with it
 *
 * Return: the next mbuf of the chain (@m's m_next).
 */
MBUF_FAST_ENTRY struct mbuf *m_free(struct mbuf *m)
{
	if (!m)
		return NULL;
	trace_m_free(m);
	return mb_free_one(m);
}
MBUF_EXPORT(m_free);

/**
 * m_free_raw() - free an mbuf that has no storage, tags or send tag
 * @m: the mbuf, e.g. one that was never initialised
 *
 * Nothing of @m is looked at: it goes straight back to zone_mbuf.
 */
void m_free_raw(struct mbuf *m)
{
	uma_zfree_arg(zone_mbuf, m, (void *)MB_DTOR_SKIP);
}
MBUF_EXPORT(m_free_raw);

/* m_freem() while a KPI event has a probe: m_freem, then m_free for each. */
static void mb_freem_traced(struct mbuf *m, bool first)
{
	if (first)
		trace_m_freem(m);
	while (m) {
		trace_m_free(m);
		m = mb_free_one(m);
	}
}

/*
 * m_freem() of a chain from @m on (@first: the chain's first mbuf), which
 * mb_free_fast() declined or which found a KPI event with a probe: that
 * one the long way, the rest as m_free() does.
 */
static noinline void mb_freem_slow(struct mbuf *m, bool first)
{
	struct mbuf *n = m->m_next;

	if (unlikely(mbuf_kpi_traced())) {
		mb_freem_traced(m, first);
		return;
	}
	mb_free_slow(m);
	while (n)
		n = mb_free_one(n);
}

/**
 * m_freem() - free a chain of mbufs
 * @m: the first mbuf, or NULL
 */
MBUF_FAST_ENTRY void m_freem(struct mbuf *m)
{
	struct mbuf *head = m, *n;

	/*
	 * The common mbufs inline, with no call (so the loop saves no
	 * registers); from the first other one on, mb_freem_slow(). The
	 * probe test is in the loop, not ahead of it, so that the compiler
	 * keeps m_freem() whole instead of splitting it into a test and a
	 * jump to the rest (one more branch on every free).
	 */
	for (; m; m = n) {
		n = m->m_next;
		if (unlikely(mbuf_kpi_traced()) || unlikely(!mb_free_fast(m))) {
			mb_freem_slow(m, m == head);
			return;
		}
	}
}
MBUF_EXPORT(m_freem);

/* ---- copies ---------------------------------------------------------- */

/**
 * m_copym() - copy part of an mbuf chain
 * @m: the chain
 * @off: offset of the first byte to copy
 * @len: bytes to copy, or M_COPYALL for everything from @off on
 * @how: M_NOWAIT or M_WAITOK
 *
 * External storage (clusters, jumbo clusters, external buffers, unmapped
 * pages) is shared by reference, not copied (mb_dupcl()): neither chain may
 * then write to it (M_WRITABLE() is false). Data in internal storage is
 * copied. When @off is 0 and @m has a packet header, the copy gets one too,
 * with copies of the tags and m_pkthdr.len set to the length copied.
 *
 * Return: the new chain, or NULL if an allocation failed (nothing is left
 * allocated) or the chain is shorter than @off + @len.
 */
struct mbuf *m_copym(struct mbuf *m, int off, int len, int how)
{
	struct mbuf *top = NULL, **np = &top, *n;
	bool copyhdr = off == 0 && (m->m_flags & M_PKTHDR);
	int off0 = off;

	if (WARN_ON_ONCE(off < 0 || len < 0))
		return NULL;
	while (off > 0) {
		if (WARN_ON_ONCE(!m))
			return NULL;
		if (off < m->m_len)
			break;
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		if (!m) {
			if (WARN_ON_ONCE(len != M_COPYALL))
				goto fail;
			break;
		}
		n = mb_alloc(zone_mbuf, how, m->m_type,
			     copyhdr ? M_PKTHDR : 0);
		*np = n;
		if (!n)
			goto fail;
		if (copyhdr) {
			if (!m_dup_pkthdr(n, m, how))
				goto fail;
			if (len == M_COPYALL)
				n->m_pkthdr.len -= off0;
			else
				n->m_pkthdr.len = len;
			copyhdr = false;
		}
		n->m_len = min(len, m->m_len - off);
		if (m->m_flags & (M_EXT | M_EXTPG)) {
			n->m_data = m->m_data + off;
			mb_dupcl(n, m);
		} else {
			memcpy(mtod(n, char *), mtod(m, char *) + off, n->m_len);
		}
		if (len != M_COPYALL)
			len -= n->m_len;
		off = 0;
		m = m->m_next;
		np = &n->m_next;
	}
	return top;

fail:
	m_freem(top);
	atomic_long_inc(&mbuf_stat_mcfail);
	return NULL;
}
MBUF_EXPORT(m_copym);

/**
 * m_copydata() - copy bytes out of an mbuf chain into a buffer
 * @m: the chain
 * @off: offset of the first byte
 * @len: bytes to copy
 * @cp: destination, at least @len bytes
 *
 * Unmapped (M_EXTPG) mbufs are read through their pages. A chain shorter
 * than @off + @len is a caller bug: it warns and copies what there is.
 */
void m_copydata(const struct mbuf *m, int off, int len, caddr_t cp)
{
	int count;

	if (WARN_ON_ONCE(off < 0 || len < 0))
		return;
	while (off > 0) {
		if (WARN_ON_ONCE(!m))
			return;
		if (off < m->m_len)
			break;
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		if (WARN_ON_ONCE(!m))
			return;
		count = min(m->m_len - off, len);
		if (m->m_flags & M_EXTPG)
			WARN_ON_ONCE(mb_extpg_copydata(m, off, count, cp));
		else
			memcpy(cp, mtod(m, char *) + off, count);
		len -= count;
		cp += count;
		off = 0;
		m = m->m_next;
	}
}
MBUF_EXPORT(m_copydata);
