/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Tracepoints of the "mbuf" event group (/sys/kernel/tracing/events/mbuf/).
 *
 * The KPI events are FreeBSD's MBUF_PROBE*() SDT probes under the same
 * names with one underscore (m__getcl is mbuf:m_getcl) and the probes'
 * arguments as fields; the zone events (a limit reached, a sleep at a
 * limit, a drain, a reclaim pass) have no FreeBSD probe. Field types are
 * plain integers and pointers, so that perf, trace-cmd and bpftrace read
 * them without help; "how", "type" and "flags" print symbolically.
 *
 * Fired only from the module's own out-of-line functions (mbuf.c, zone.c,
 * reclaim.c), so no tracepoint is exported: a disabled one costs a
 * static-branch nop where the kernel has jump labels. A build without
 * CONFIG_MBUFCOMPAT_TRACEPOINTS defines NOTRACE (Kbuild), which turns every
 * trace_*() call into an empty inline.
 *
 * The KPI events fired on the allocation and free fast paths (m_get,
 * m_gethdr, m_getcl, m_getjcl, m_init, m_cljget, m_free, m_freem) share
 * one more static key, on while any of them has a probe (their reg and
 * unreg hooks count it): those fast paths test it once, on entry, and
 * while it is on take out-of-line variants that fire the events, so
 * that with tracing off they carry no tracepoint at all (no arguments
 * kept alive for one, and, on architectures without jump labels such as
 * User-Mode Linux, no test of each tracepoint's key).
 */
#ifndef MBUFCOMPAT_TRACE_KPI_H
#define MBUFCOMPAT_TRACE_KPI_H

#include <linux/jump_label.h>

#if IS_ENABLED(CONFIG_MBUFCOMPAT_TRACEPOINTS)
DECLARE_STATIC_KEY_FALSE(mbuf_trace_kpi_key);
int mbuf_trace_kpi_reg(void);
void mbuf_trace_kpi_unreg(void);

/* Does any fast-path KPI event have a probe? */
static __always_inline bool mbuf_kpi_traced(void)
{
	return static_branch_unlikely(&mbuf_trace_kpi_key);
}
#else
static __always_inline bool mbuf_kpi_traced(void)
{
	return false;
}
#endif
#endif /* MBUFCOMPAT_TRACE_KPI_H */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM mbuf

#if !defined(MBUFCOMPAT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define MBUFCOMPAT_TRACE_H

#include <linux/tracepoint.h>
#include <sys/mbuf.h>
#include "zone.h"

/* "how": the malloc(9) wait flags. */
#define MBUF_TRACE_HOW(how)						\
	__print_flags(how, "|",						\
		      { M_NOWAIT, "M_NOWAIT" }, { M_WAITOK, "M_WAITOK" },	\
		      { M_ZERO, "M_ZERO" },				\
		      { M_USE_RESERVE, "M_USE_RESERVE" })

/* "type": the MT_* of an mbuf. */
#define MBUF_TRACE_TYPE(type)						\
	__print_symbolic(type,						\
			 { MT_NOTMBUF, "MT_NOTMBUF" }, { MT_DATA, "MT_DATA" }, \
			 { MT_SONAME, "MT_SONAME" },			\
			 { MT_CONTROL, "MT_CONTROL" },			\
			 { MT_EXTCONTROL, "MT_EXTCONTROL" },		\
			 { MT_OOBDATA, "MT_OOBDATA" },			\
			 { MT_NOINIT, "MT_NOINIT" })

/* "flags": the M_* flags below the protocol flags. */
#define MBUF_TRACE_FLAGS(flags)						\
	__print_flags(flags, "|",					\
		      { M_EXT, "M_EXT" }, { M_PKTHDR, "M_PKTHDR" },	\
		      { M_EOR, "M_EOR" }, { M_RDONLY, "M_RDONLY" },	\
		      { M_BCAST, "M_BCAST" }, { M_MCAST, "M_MCAST" },	\
		      { M_PROMISC, "M_PROMISC" }, { M_VLANTAG, "M_VLANTAG" }, \
		      { M_EXTPG, "M_EXTPG" }, { M_NOFREE, "M_NOFREE" },	\
		      { M_TSTMP, "M_TSTMP" })

/* "ext_type": the EXT_* of external storage. */
#define MBUF_TRACE_EXT_TYPE(t)						\
	__print_symbolic(t,						\
			 { EXT_CLUSTER, "EXT_CLUSTER" },		\
			 { EXT_SFBUF, "EXT_SFBUF" },			\
			 { EXT_JUMBOP, "EXT_JUMBOP" },			\
			 { EXT_JUMBO9, "EXT_JUMBO9" },			\
			 { EXT_JUMBO16, "EXT_JUMBO16" },		\
			 { EXT_PACKET, "EXT_PACKET" },			\
			 { EXT_MBUF, "EXT_MBUF" },			\
			 { EXT_RXRING, "EXT_RXRING" },			\
			 { EXT_NET_DRV, "EXT_NET_DRV" },		\
			 { EXT_MOD_TYPE, "EXT_MOD_TYPE" },		\
			 { EXT_DISPOSABLE, "EXT_DISPOSABLE" },		\
			 { EXT_EXTREF, "EXT_EXTREF" })

/* m__get, m__gethdr, m__get_raw, m__gethdr_raw: (how, type, m) */
DECLARE_EVENT_CLASS(mbuf_get_class,
	TP_PROTO(int how, short type, const struct mbuf *m),
	TP_ARGS(how, type, m),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(int, how)
		__field(short, type)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->how = how;
		__entry->type = type;
	),
	TP_printk("how=%s type=%s m=%p", MBUF_TRACE_HOW(__entry->how),
		  MBUF_TRACE_TYPE(__entry->type), __entry->m)
);

DEFINE_EVENT_FN(mbuf_get_class, m_get,
	TP_PROTO(int how, short type, const struct mbuf *m),
	TP_ARGS(how, type, m),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg);
DEFINE_EVENT_FN(mbuf_get_class, m_gethdr,
	TP_PROTO(int how, short type, const struct mbuf *m),
	TP_ARGS(how, type, m),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg);
DEFINE_EVENT(mbuf_get_class, m_get_raw,
	TP_PROTO(int how, short type, const struct mbuf *m),
	TP_ARGS(how, type, m));
DEFINE_EVENT(mbuf_get_class, m_gethdr_raw,
	TP_PROTO(int how, short type, const struct mbuf *m),
	TP_ARGS(how, type, m));

/* m__getcl: (how, type, flags, m) */
TRACE_EVENT_FN(m_getcl,
	TP_PROTO(int how, short type, int flags, const struct mbuf *m),
	TP_ARGS(how, type, flags, m),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(int, how)
		__field(int, flags)
		__field(short, type)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->how = how;
		__entry->flags = flags;
		__entry->type = type;
	),
	TP_printk("how=%s type=%s flags=%s m=%p", MBUF_TRACE_HOW(__entry->how),
		  MBUF_TRACE_TYPE(__entry->type),
		  MBUF_TRACE_FLAGS(__entry->flags), __entry->m),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg
);

/* m__getjcl: (how, type, flags, size, m) */
TRACE_EVENT_FN(m_getjcl,
	TP_PROTO(int how, short type, int flags, int size,
		 const struct mbuf *m),
	TP_ARGS(how, type, flags, size, m),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(int, how)
		__field(int, flags)
		__field(int, size)
		__field(short, type)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->how = how;
		__entry->flags = flags;
		__entry->size = size;
		__entry->type = type;
	),
	TP_printk("how=%s type=%s flags=%s size=%d m=%p",
		  MBUF_TRACE_HOW(__entry->how), MBUF_TRACE_TYPE(__entry->type),
		  MBUF_TRACE_FLAGS(__entry->flags), __entry->size, __entry->m),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg
);

/* m__init: (m, how, type, flags, error) */
TRACE_EVENT_FN(m_init,
	TP_PROTO(const struct mbuf *m, int how, short type, int flags,
		 int error),
	TP_ARGS(m, how, type, flags, error),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(int, how)
		__field(int, flags)
		__field(int, error)
		__field(short, type)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->how = how;
		__entry->flags = flags;
		__entry->error = error;
		__entry->type = type;
	),
	TP_printk("m=%p how=%s type=%s flags=%s error=%d", __entry->m,
		  MBUF_TRACE_HOW(__entry->how), MBUF_TRACE_TYPE(__entry->type),
		  MBUF_TRACE_FLAGS(__entry->flags), __entry->error),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg
);

/* m__clget: (m, how); cl is the cluster attached, 0 if none could be */
TRACE_EVENT(m_clget,
	TP_PROTO(const struct mbuf *m, int how),
	TP_ARGS(m, how),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(const void *, cl)
		__field(int, how)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->cl = (m->m_flags & M_EXT) ? m->m_ext.ext_buf : NULL;
		__entry->how = how;
	),
	TP_printk("m=%p how=%s cl=%p", __entry->m,
		  MBUF_TRACE_HOW(__entry->how), __entry->cl)
);

/* m__cljget: (m, how, size, cl); cl is the return value */
TRACE_EVENT_FN(m_cljget,
	TP_PROTO(const struct mbuf *m, int how, int size, const void *cl),
	TP_ARGS(m, how, size, cl),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(const void *, cl)
		__field(int, how)
		__field(int, size)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->cl = cl;
		__entry->how = how;
		__entry->size = size;
	),
	TP_printk("m=%p how=%s size=%d cl=%p", __entry->m,
		  MBUF_TRACE_HOW(__entry->how), __entry->size, __entry->cl),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg
);

/* m__cljset: (m, cl, type) */
TRACE_EVENT(m_cljset,
	TP_PROTO(const struct mbuf *m, const void *cl, int type),
	TP_ARGS(m, cl, type),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(const void *, cl)
		__field(int, type)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->cl = cl;
		__entry->type = type;
	),
	TP_printk("m=%p cl=%p type=%s", __entry->m, __entry->cl,
		  MBUF_TRACE_EXT_TYPE(__entry->type))
);

/* m_extadd(): not a FreeBSD probe; the storage a driver attached */
TRACE_EVENT(m_extadd,
	TP_PROTO(const struct mbuf *m, const void *buf, unsigned int size,
		 int flags, int type),
	TP_ARGS(m, buf, size, flags, type),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(const void *, buf)
		__field(unsigned int, size)
		__field(int, flags)
		__field(int, type)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->buf = buf;
		__entry->size = size;
		__entry->flags = flags;
		__entry->type = type;
	),
	TP_printk("m=%p buf=%p size=%u flags=%s type=%s", __entry->m,
		  __entry->buf, __entry->size,
		  MBUF_TRACE_FLAGS(__entry->flags),
		  MBUF_TRACE_EXT_TYPE(__entry->type))
);

/* m__free: (m), with the mbuf's type and flags as it is freed */
TRACE_EVENT_FN(m_free,
	TP_PROTO(const struct mbuf *m),
	TP_ARGS(m),
	TP_STRUCT__entry(
		__field(const void *, m)
		__field(int, flags)
		__field(short, type)
	),
	TP_fast_assign(
		__entry->m = m;
		__entry->flags = m->m_flags;
		__entry->type = m->m_type;
	),
	TP_printk("m=%p type=%s flags=%s", __entry->m,
		  MBUF_TRACE_TYPE(__entry->type),
		  MBUF_TRACE_FLAGS(__entry->flags)),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg
);

/* m__freem: (m), the first mbuf of the chain (may be 0) */
TRACE_EVENT_FN(m_freem,
	TP_PROTO(const struct mbuf *m),
	TP_ARGS(m),
	TP_STRUCT__entry(
		__field(const void *, m)
	),
	TP_fast_assign(
		__entry->m = m;
	),
	TP_printk("m=%p", __entry->m),
	mbuf_trace_kpi_reg, mbuf_trace_kpi_unreg
);

/* A zone found its limit reached (counted once per request). */
TRACE_EVENT(zone_limit_reached,
	TP_PROTO(const struct uma_zone *zone),
	TP_ARGS(zone),
	TP_STRUCT__entry(
		__string(zone, zone->name)
		__field(long, limit)
		__field(long, charged)
	),
	TP_fast_assign(
		mbuf_trace_assign_str(zone, zone->name);
		__entry->limit = READ_ONCE(zone->max);
		__entry->charged = atomic_long_read(&zone->charged);
	),
	TP_printk("zone=%s limit=%ld charged=%ld", __get_str(zone),
		  __entry->limit, __entry->charged)
);

/* An M_WAITOK request sleeps for room in a zone at its limit. */
TRACE_EVENT(zone_limit_sleep,
	TP_PROTO(const struct uma_zone *zone),
	TP_ARGS(zone),
	TP_STRUCT__entry(
		__string(zone, zone->name)
		__field(long, limit)
	),
	TP_fast_assign(
		mbuf_trace_assign_str(zone, zone->name);
		__entry->limit = READ_ONCE(zone->max);
	),
	TP_printk("zone=%s limit=%ld", __get_str(zone), __entry->limit)
);

/* A zone's caches were given back to its backend: how many items. */
TRACE_EVENT(zone_drain,
	TP_PROTO(const struct uma_zone *zone, unsigned long count),
	TP_ARGS(zone, count),
	TP_STRUCT__entry(
		__string(zone, zone->name)
		__field(unsigned long, count)
	),
	TP_fast_assign(
		mbuf_trace_assign_str(zone, zone->name);
		__entry->count = count;
	),
	TP_printk("zone=%s count=%lu", __get_str(zone), __entry->count)
);

/* A shrinker scan: what reclaim asked for, what the caches gave back. */
TRACE_EVENT(reclaim_scan,
	TP_PROTO(unsigned long nr_to_scan, unsigned long freed),
	TP_ARGS(nr_to_scan, freed),
	TP_STRUCT__entry(
		__field(unsigned long, nr_to_scan)
		__field(unsigned long, freed)
	),
	TP_fast_assign(
		__entry->nr_to_scan = nr_to_scan;
		__entry->freed = freed;
	),
	TP_printk("nr_to_scan=%lu freed=%lu", __entry->nr_to_scan,
		  __entry->freed)
);

#endif /* MBUFCOMPAT_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I (Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
