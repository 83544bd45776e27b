/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD's mbuf(9) KPI for Linux kernel code.
 *
 * A driver or protocol ported from FreeBSD 14 keeps "#include <sys/mbuf.h>"
 * and its calls unchanged: the structure layout, field names, flag and
 * type values, sizes and function signatures are FreeBSD 14's (amd64/LP64
 * sizes on 64-bit Linux). The implementation lives in the mbufcompat
 * module; every function is exported in the MBUFCOMPAT symbol namespace,
 * which this header imports for the including module.
 *
 * Linux mapping, where FreeBSD names a type Linux does not have:
 *   struct ifnet    -> struct net_device (the interface a packet came in on)
 *   physical pages  -> struct page * (unmapped M_EXTPG mbufs, m_epg_pg[])
 *   M_NOWAIT        -> GFP_ATOMIC: never sleeps, any context
 *   M_WAITOK        -> GFP_KERNEL: may sleep, never returns NULL
 */
#ifndef _SYS_MBUF_H_
#define _SYS_MBUF_H_

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/stddef.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <asm/page.h>
#include <sys/queue.h>
#include <vm/uma.h>

/* FreeBSD's network interface is Linux's net_device. */
#ifndef ifnet
#define ifnet net_device
#endif
struct mbuf;
struct net_device;
struct page;
struct socket;
struct ktls_session;

#ifndef MBUFCOMPAT_INTERNAL
MODULE_IMPORT_NS(MBUFCOMPAT);
#endif

/* FreeBSD's pointer to constant bytes (sys/types.h). */
typedef const char *c_caddr_t;

/* malloc(9) wait flags, as the mbuf KPI takes them ("how"). */
#ifndef M_NOWAIT
#define M_NOWAIT	0x0001		/* do not block; may return NULL */
#define M_WAITOK	0x0002		/* may sleep; never returns NULL */
#define M_ZERO		0x0100		/* zero the allocation */
#endif

/* Sizes (sys/param.h). */
#define MSIZE		256		/* an mbuf, header included */
#define MCLSHIFT	11
#define MCLBYTES	(1 << MCLSHIFT)	/* a cluster: 2 KiB */
#if PAGE_SHIFT <= 13
#define MJUMPAGESIZE	PAGE_SIZE	/* a page-sized jumbo cluster */
#else
#define MJUMPAGESIZE	(8 * 1024)	/* pages above 8 KiB: capped */
#endif
#define MJUM9BYTES	(9 * 1024)	/* a 9 KiB jumbo cluster */
#define MJUM16BYTES	(16 * 1024)	/* a 16 KiB jumbo cluster */

/* Argument that the mbuf and packet zone constructors take. */
struct mb_args {
	int	flags;		/* M_PKTHDR, M_EOR, ... for the new mbuf */
	short	type;		/* MT_* of the new mbuf, or MT_NOINIT */
};

/* A packet tag: metadata chained off the packet header. */
struct m_tag {
	SLIST_ENTRY(m_tag)	m_tag_link;
	u_int16_t		m_tag_id;
	u_int16_t		m_tag_len;	/* bytes of data after the tag */
	u_int32_t		m_tag_cookie;	/* module/ABI that owns the id */
	void			(*m_tag_free)(struct m_tag *t);
};

/* A send tag: per-connection interface state (see m_snd_tag_init()). */
struct if_snd_tag_sw;
struct m_snd_tag {
	struct ifnet			*ifp;
	const struct if_snd_tag_sw	*sw;
	volatile u_int			refcount;
};

/* The packet header: valid in the first mbuf of a packet (M_PKTHDR). */
struct pkthdr {
	union {
		struct m_snd_tag *snd_tag;	/* with CSUM_SND_TAG */
		struct ifnet	*rcvif;		/* receiving interface */
		struct {
			u_int16_t rcvidx;
			u_int16_t rcvgen;
		};
	};
	union {
		struct ifnet	*leaf_rcvif;
		struct {
			u_int16_t leaf_rcvidx;
			u_int16_t leaf_rcvgen;
		};
	};
	SLIST_HEAD(packet_tags, m_tag) tags;
	int32_t		len;		/* bytes in the whole packet */
	u_int32_t	flowid;		/* flow hash from the NIC */
	u_int32_t	csum_flags;	/* CSUM_* offload requests/results */
	u_int16_t	fibnum;
	u_int8_t	numa_domain;
	u_int8_t	rsstype;	/* M_HASHTYPE_* of flowid */
	union {
		u_int64_t	rcv_tstmp;	/* receive time, ns (M_TSTMP) */
		struct {
			u_int8_t	l2hlen;
			u_int8_t	l3hlen;
			u_int8_t	l4hlen;
			u_int8_t	l5hlen;
			u_int8_t	inner_l2hlen;
			u_int8_t	inner_l3hlen;
			u_int8_t	inner_l4hlen;
			u_int8_t	inner_l5hlen;
		};
	};
	union {
		u_int8_t	eight[8];
		u_int16_t	sixteen[4];
		u_int32_t	thirtytwo[2];
		u_int64_t	sixtyfour[1];
		uintptr_t	unintptr[1];
		void		*ptr;
	} PH_per;			/* persistent across layers */
	union {
		union {
			u_int8_t	eight[8];
			u_int16_t	sixteen[4];
			u_int32_t	thirtytwo[2];
			u_int64_t	sixtyfour[1];
			uintptr_t	unintptr[1];
			void		*ptr;
		} PH_loc;		/* scratch for one layer */
		u_int	memlen;
	};
};

#define ether_vtag	PH_per.sixteen[0]
#define tcp_tun_port	PH_per.sixteen[0]
#define vt_nrecs	PH_per.sixteen[0]
#define tso_segsz	PH_per.sixteen[1]
#define lro_nsegs	tso_segsz
#define csum_data	PH_per.thirtytwo[1]
#define lro_tcp_d_len	PH_loc.sixteen[0]
#define lro_tcp_d_csum	PH_loc.sixteen[1]
#define lro_tcp_h_off	PH_loc.sixteen[2]
#define lro_etype	PH_loc.sixteen[3]

/* Unmapped (M_EXTPG) mbufs: pages, TLS header and trailer. */
#define MBUF_PEXT_HDR_LEN	23
#define MBUF_PEXT_TRAIL_LEN	64
#define MBUF_PEXT_MAX_PGS	(40 / sizeof(struct page *))
#define MBUF_PEXT_MAX_BYTES						\
	(MBUF_PEXT_MAX_PGS * PAGE_SIZE + MBUF_PEXT_HDR_LEN + MBUF_PEXT_TRAIL_LEN)

/* Releases external storage; called with the mbuf that carries it. */
typedef void m_ext_free_t(struct mbuf *);

/* External storage: valid when M_EXT is set. */
struct m_ext {
	union {
		volatile u_int	ext_count;	/* EXT_FLAG_EMBREF: the count */
		volatile u_int	*ext_cnt;	/* otherwise: where it lives */
	};
	u_int32_t	ext_size;		/* bytes of the buffer */
	u_int32_t	ext_type:8,		/* EXT_* */
			ext_flags:24;		/* EXT_FLAG_* */
	union {
		struct {
			char	*ext_buf;	/* start of the buffer */
#define m_ext_copylen	offsetof(struct m_ext, ext_arg2)
			void	*ext_arg2;
		};
		struct {
			struct page	*extpg_pg[MBUF_PEXT_MAX_PGS];
			char		extpg_trail[MBUF_PEXT_TRAIL_LEN];
			char		extpg_hdr[MBUF_PEXT_HDR_LEN];
#define m_epg_pg	m_ext.extpg_pg
#define m_epg_trail	m_ext.extpg_trail
#define m_epg_hdr	m_ext.extpg_hdr
#define m_epg_ext_copylen offsetof(struct m_ext, ext_free)
		};
	};
	m_ext_free_t	*ext_free;		/* how to release the storage */
	void		*ext_arg1;
};

/* The mbuf. */
struct mbuf {
	union {
		struct mbuf		*m_next;	/* next buffer of the packet */

		SLIST_ENTRY(mbuf)	m_slist;
		STAILQ_ENTRY(mbuf)	m_stailq;
	};
	union {
		struct mbuf		*m_nextpkt;	/* next packet in a queue */

		SLIST_ENTRY(mbuf)	m_slistpkt;
		STAILQ_ENTRY(mbuf)	m_stailqpkt;
	};
	caddr_t		m_data;		/* start of the data */
	int32_t		m_len;		/* bytes of data in this mbuf */
	u_int32_t	m_type:8,	/* MT_* */
			m_flags:24;	/* M_* */
#if BITS_PER_LONG == 32
	u_int32_t	m_pad;
#endif
	union {
		struct {
			union {
				struct pkthdr	m_pkthdr;	/* M_PKTHDR */
/* The M_EXTPG fields a shared copy (mb_dupcl) takes, first to last. */
#define m_epg_startcopy	m_epg_npgs
#define m_epg_endcopy	m_epg_stailq
				struct {			/* M_EXTPG */
					u_int8_t	m_epg_npgs;
					u_int8_t	m_epg_nrdy;
					u_int8_t	m_epg_hdrlen;
					u_int8_t	m_epg_trllen;
					u_int16_t	m_epg_1st_off;
					u_int16_t	m_epg_last_len;
					u_int8_t	m_epg_flags;
#define EPG_FLAG_ANON	0x1	/* pages are anonymous: may encrypt in place */
#define EPG_FLAG_2FREE	0x2	/* scheduled for free */
					u_int8_t	m_epg_record_type;
					u_int8_t	__spare[2];
					int		m_epg_enc_cnt;
					struct ktls_session *m_epg_tls;
					struct socket	*m_epg_so;
					u_int64_t	m_epg_seqno;

					STAILQ_ENTRY(mbuf) m_epg_stailq;
				};
			};
			union {
				struct m_ext	m_ext;		/* M_EXT */
				DECLARE_FLEX_ARRAY(char, m_pktdat);
			};
		};
		/* neither M_PKTHDR nor M_EXT */
		DECLARE_FLEX_ARRAY(char, m_dat);
	};
};

#define MHSIZE		offsetof(struct mbuf, m_dat)
#define MPKTHSIZE	offsetof(struct mbuf, m_pktdat)
#define MLEN		((int)(MSIZE - MHSIZE))		/* data in a plain mbuf */
#define MHLEN		((int)(MSIZE - MPKTHSIZE))	/* ... with a pkthdr */
#define MINCLSIZE	(MHLEN + 1)	/* smallest length worth a cluster */
#define M_NODOM		255

static_assert(sizeof(struct mbuf) <= MSIZE, "struct mbuf exceeds MSIZE");
static_assert((MSIZE & (MSIZE - 1)) == 0, "MSIZE is not a power of 2");
/* FreeBSD 14 amd64 (LP64) sizes, which ported code may have baked in. */
static_assert(BITS_PER_LONG != 64 ||
	      (MHSIZE == 32 && MPKTHSIZE == 96 && MLEN == 224 && MHLEN == 160),
	      "mbuf header sizes differ from FreeBSD 14 LP64");
static_assert(BITS_PER_LONG != 64 || sizeof(struct pkthdr) == 64,
	      "struct pkthdr differs from FreeBSD 14 LP64");

/* mbuf flags (m_flags, 24 bits). */
#define M_EXT		0x00000001	/* has external storage */
#define M_PKTHDR	0x00000002	/* first mbuf of a packet */
#define M_EOR		0x00000004	/* end of record */
#define M_RDONLY	0x00000008	/* data is read-only */
#define M_BCAST		0x00000010	/* link-level broadcast */
#define M_MCAST		0x00000020	/* link-level multicast */
#define M_PROMISC	0x00000040	/* not addressed to us */
#define M_VLANTAG	0x00000080	/* ether_vtag is valid */
#define M_EXTPG		0x00000100	/* unmapped pages (m_epg_*) */
#define M_NOFREE	0x00000200	/* mbuf is embedded: never freed */
#define M_TSTMP		0x00000400	/* rcv_tstmp is valid */
#define M_TSTMP_HPREC	0x00000800	/* rcv_tstmp is high-precision */
#define M_TSTMP_LRO	0x00001000	/* LRO time is valid */
#define M_PROTO1	0x00002000	/* protocol-specific */
#define M_PROTO2	0x00004000
#define M_PROTO3	0x00008000
#define M_PROTO4	0x00010000
#define M_PROTO5	0x00020000
#define M_PROTO6	0x00040000
#define M_PROTO7	0x00080000
#define M_PROTO8	0x00100000
#define M_PROTO9	0x00200000
#define M_PROTO10	0x00400000
#define M_PROTO11	0x00800000
#define M_PROTOFLAGS							\
	(M_PROTO1 | M_PROTO2 | M_PROTO3 | M_PROTO4 | M_PROTO5 | M_PROTO6 | \
	 M_PROTO7 | M_PROTO8 | M_PROTO9 | M_PROTO10 | M_PROTO11)
#define M_COPYFLAGS							\
	(M_PKTHDR | M_EOR | M_RDONLY | M_BCAST | M_MCAST | M_PROMISC |	\
	 M_VLANTAG | M_TSTMP | M_TSTMP_HPREC | M_TSTMP_LRO | M_PROTOFLAGS)
/* Flags an mbuf keeps when its packet header is demoted. */
#define M_DEMOTEFLAGS	(M_EXT | M_RDONLY | M_NOFREE | M_EXTPG)

#define MB_DTOR_SKIP	0x1	/* uma_zfree_arg: do not touch the tags */

/* Flow hash types (m_pkthdr.rsstype). */
#define M_HASHTYPE_HASHPROP		0x80
#define M_HASHTYPE_HASH(t)		(M_HASHTYPE_HASHPROP | (t))
#define M_HASHTYPE_NONE			0
#define M_HASHTYPE_RSS_IPV4		M_HASHTYPE_HASH(1)
#define M_HASHTYPE_RSS_TCP_IPV4		M_HASHTYPE_HASH(2)
#define M_HASHTYPE_RSS_IPV6		M_HASHTYPE_HASH(3)
#define M_HASHTYPE_RSS_TCP_IPV6		M_HASHTYPE_HASH(4)
#define M_HASHTYPE_RSS_IPV6_EX		M_HASHTYPE_HASH(5)
#define M_HASHTYPE_RSS_TCP_IPV6_EX	M_HASHTYPE_HASH(6)
#define M_HASHTYPE_RSS_UDP_IPV4		M_HASHTYPE_HASH(7)
#define M_HASHTYPE_RSS_UDP_IPV6		M_HASHTYPE_HASH(9)
#define M_HASHTYPE_RSS_UDP_IPV6_EX	M_HASHTYPE_HASH(10)
#define M_HASHTYPE_OPAQUE		0x3f
#define M_HASHTYPE_OPAQUE_HASH		M_HASHTYPE_HASH(M_HASHTYPE_OPAQUE)
/* The hash covers the inner (encapsulated) headers; GET hides the bit. */
#define M_HASHTYPE_INNER		0x40
#define M_HASHTYPE_CLEAR(m)	((m)->m_pkthdr.rsstype = 0)
#define M_HASHTYPE_GET(m)	((m)->m_pkthdr.rsstype & ~M_HASHTYPE_INNER)
#define M_HASHTYPE_SET(m, v)	((m)->m_pkthdr.rsstype = (v))
#define M_HASHTYPE_TEST(m, v)	(M_HASHTYPE_GET(m) == (v))
#define M_HASHTYPE_ISHASH(m)	\
	(((m)->m_pkthdr.rsstype & M_HASHTYPE_HASHPROP) != 0)
#define M_HASHTYPE_SETINNER(m)	\
	((m)->m_pkthdr.rsstype |= M_HASHTYPE_INNER)

/* External storage types (m_ext.ext_type). */
#define EXT_CLUSTER	1	/* 2 KiB cluster */
#define EXT_SFBUF	2	/* a mapped page (sendfile) */
#define EXT_JUMBOP	3	/* page-sized jumbo cluster */
#define EXT_JUMBO9	4	/* 9 KiB jumbo cluster */
#define EXT_JUMBO16	5	/* 16 KiB jumbo cluster */
#define EXT_PACKET	6	/* mbuf + cluster from the packet zone */
#define EXT_MBUF	7	/* external mbuf reference */
#define EXT_RXRING	8	/* data in a NIC receive ring */
#define EXT_CTL		9	/* buffer from a ctl(4) backend */
#define EXT_VENDOR1	224
#define EXT_VENDOR2	225
#define EXT_VENDOR3	226
#define EXT_VENDOR4	227
#define EXT_EXP1	244
#define EXT_EXP2	245
#define EXT_EXP3	246
#define EXT_EXP4	247
#define EXT_NET_DRV	252	/* a driver's own buffer */
#define EXT_MOD_TYPE	253	/* a module's own buffer */
#define EXT_DISPOSABLE	254	/* may be thrown away */
#define EXT_EXTREF	255	/* reference count kept by the owner */

/* External storage flags (m_ext.ext_flags, 24 bits). */
#define EXT_FLAG_EMBREF		0x000001	/* count is ext_count */
#define EXT_FLAG_EXTREF		0x000002
#define EXT_FLAG_NOFREE		0x000010
#define EXT_FLAG_VENDOR1	0x010000
#define EXT_FLAG_VENDOR2	0x020000
#define EXT_FLAG_VENDOR3	0x040000
#define EXT_FLAG_VENDOR4	0x080000
#define EXT_FLAG_EXP1		0x100000
#define EXT_FLAG_EXP2		0x200000
#define EXT_FLAG_EXP3		0x400000
#define EXT_FLAG_EXP4		0x800000

/* Checksum and offload flags (m_pkthdr.csum_flags). */
#define CSUM_IP			0x00000001
#define CSUM_IP_UDP		0x00000002
#define CSUM_IP_TCP		0x00000004
#define CSUM_IP_SCTP		0x00000008
#define CSUM_IP_TSO		0x00000010
#define CSUM_IP_ISCSI		0x00000020
#define CSUM_INNER_IP6_UDP	0x00000040
#define CSUM_INNER_IP6_TCP	0x00000080
#define CSUM_INNER_IP6_TSO	0x00000100
#define CSUM_IP6_UDP		0x00000200
#define CSUM_IP6_TCP		0x00000400
#define CSUM_IP6_SCTP		0x00000800
#define CSUM_IP6_TSO		0x00001000
#define CSUM_IP6_ISCSI		0x00002000
#define CSUM_INNER_IP		0x00004000
#define CSUM_INNER_IP_UDP	0x00008000
#define CSUM_INNER_IP_TCP	0x00010000
#define CSUM_INNER_IP_TSO	0x00020000
#define CSUM_ENCAP_VXLAN	0x00040000
#define CSUM_ENCAP_RSVD1	0x00080000
#define CSUM_INNER_L3_CALC	0x00100000
#define CSUM_INNER_L3_VALID	0x00200000
#define CSUM_INNER_L4_CALC	0x00400000
#define CSUM_INNER_L4_VALID	0x00800000
#define CSUM_L3_CALC		0x01000000
#define CSUM_L3_VALID		0x02000000
#define CSUM_L4_CALC		0x04000000
#define CSUM_L4_VALID		0x08000000
#define CSUM_L5_CALC		0x10000000
#define CSUM_L5_VALID		0x20000000
#define CSUM_COALESCED		0x40000000
#define CSUM_SND_TAG		0x80000000
#define CSUM_IP_CHECKED		CSUM_L3_CALC
#define CSUM_IP_VALID		CSUM_L3_VALID
#define CSUM_DATA_VALID		CSUM_L4_VALID
#define CSUM_PSEUDO_HDR		CSUM_L4_CALC
#define CSUM_SCTP_VALID		CSUM_L4_VALID
#define CSUM_TCP		CSUM_IP_TCP
#define CSUM_UDP		CSUM_IP_UDP
#define CSUM_SCTP		CSUM_IP_SCTP
#define CSUM_TSO		(CSUM_IP_TSO | CSUM_IP6_TSO)
#define CSUM_UDP_IPV6		CSUM_IP6_UDP
#define CSUM_TCP_IPV6		CSUM_IP6_TCP
#define CSUM_SCTP_IPV6		CSUM_IP6_SCTP
#define CSUM_DELAY_DATA		(CSUM_TCP | CSUM_UDP)
#define CSUM_DELAY_IP		CSUM_IP
#define CSUM_DELAY_DATA_IPV6	(CSUM_TCP_IPV6 | CSUM_UDP_IPV6)
#define CSUM_DATA_VALID_IPV6	CSUM_DATA_VALID
#define CSUM_INNER_TSO		(CSUM_INNER_IP_TSO | CSUM_INNER_IP6_TSO)
/* Requests a driver acts on (transmit) and results it reports (receive). */
#define CSUM_FLAGS_TX							\
	(CSUM_IP | CSUM_IP_UDP | CSUM_IP_TCP | CSUM_IP_SCTP | CSUM_IP_TSO |	\
	 CSUM_IP_ISCSI | CSUM_INNER_IP6_UDP | CSUM_INNER_IP6_TCP |	\
	 CSUM_INNER_IP6_TSO | CSUM_IP6_UDP | CSUM_IP6_TCP | CSUM_IP6_SCTP |	\
	 CSUM_IP6_TSO | CSUM_IP6_ISCSI | CSUM_INNER_IP | CSUM_INNER_IP_UDP |	\
	 CSUM_INNER_IP_TCP | CSUM_INNER_IP_TSO | CSUM_ENCAP_VXLAN |	\
	 CSUM_ENCAP_RSVD1 | CSUM_SND_TAG)
#define CSUM_FLAGS_RX							\
	(CSUM_INNER_L3_CALC | CSUM_INNER_L3_VALID | CSUM_INNER_L4_CALC |	\
	 CSUM_INNER_L4_VALID | CSUM_L3_CALC | CSUM_L3_VALID | CSUM_L4_CALC |	\
	 CSUM_L4_VALID | CSUM_L5_CALC | CSUM_L5_VALID | CSUM_COALESCED)
/* Inline TLS receive offload reuses the L5 bits. */
#define CSUM_TLS_MASK		(CSUM_L5_CALC | CSUM_L5_VALID)
#define CSUM_TLS_DECRYPTED	CSUM_L5_CALC

/* mbuf types (m_type). */
#define MT_NOTMBUF	0	/* not an mbuf: free, or internal use */
#define MT_DATA		1	/* data */
#define MT_HEADER	MT_DATA
#define MT_VENDOR1	4
#define MT_VENDOR2	5
#define MT_VENDOR3	6
#define MT_VENDOR4	7
#define MT_SONAME	8	/* socket name */
#define MT_EXP1		9
#define MT_EXP2		10
#define MT_EXP3		11
#define MT_EXP4		12
#define MT_CONTROL	14	/* protocol control message */
#define MT_EXTCONTROL	15	/* control message, externalized */
#define MT_OOBDATA	16	/* expedited data */
#define MT_NTYPES	17	/* number of types, for statistics */
#define MT_NOINIT	255	/* allocate without initialising (m_init later) */

/* Zone names, as FreeBSD's vmstat -z shows them. */
#define MBUF_MEM_NAME		"mbuf"
#define MBUF_CLUSTER_MEM_NAME	"mbuf_cluster"
#define MBUF_PACKET_MEM_NAME	"mbuf_packet"
#define MBUF_JUMBOP_MEM_NAME	"mbuf_jumbo_page"
#define MBUF_JUMBO9_MEM_NAME	"mbuf_jumbo_9k"
#define MBUF_JUMBO16_MEM_NAME	"mbuf_jumbo_16k"
#define MBUF_TAG_MEM_NAME	"mbuf_tag"
#define MBUF_EXTREFCNT_MEM_NAME	"mbuf_ext_refcnt"

/* FreeBSD 7's allocator statistics (read-only; see /proc/net/mbuf). */
struct mbstat {
	u_long	m_mbufs;
	u_long	m_mclusts;
	u_long	m_drain;	/* times protocols were drained */
	u_long	m_mcfail;
	u_long	m_mpfail;
	u_long	m_msize;
	u_long	m_mclbytes;
	u_long	m_minclsize;
	u_long	m_mlen;
	u_long	m_mhlen;
	short	m_numtypes;
	u_long	sf_iocnt;
	u_long	sf_allocfail;
	u_long	sf_allocwait;
};

/* The zones (kern_mbuf.c). debugnet may point them at its own pools. */
extern uma_zone_t zone_mbuf;
extern uma_zone_t zone_clust;
extern uma_zone_t zone_pack;
extern uma_zone_t zone_jumbop;
extern uma_zone_t zone_jumbo9;
extern uma_zone_t zone_jumbo16;

/* Limits (kern.ipc.*), live values. */
extern int nmbufs;
extern int nmbclusters;
extern int nmbjumbop;
extern int nmbjumbo9;
extern int nmbjumbo16;
extern bool mb_use_ext_pgs;

/* Allocation and free (kern_mbuf.c). */
int		m_init(struct mbuf *m, int how, short type, int flags);
int		m_pkthdr_init(struct mbuf *m, int how);
struct mbuf	*m_get(int how, short type);
struct mbuf	*m_gethdr(int how, short type);
struct mbuf	*m_get_raw(int how, short type);
struct mbuf	*m_gethdr_raw(int how, short type);
struct mbuf	*m_getcl(int how, short type, int flags);
struct mbuf	*m_getjcl(int how, short type, int flags, int size);
struct mbuf	*m_get2(int size, int how, short type, int flags);
struct mbuf	*m_get3(int size, int how, short type, int flags);
struct mbuf	*m_getm2(struct mbuf *m, int len, int how, short type,
			 int flags);
int		m_clget(struct mbuf *m, int how);
void		*m_cljget(struct mbuf *m, int how, int size);
void		m_cljset(struct mbuf *m, void *cl, int type);
void		m_extadd(struct mbuf *mb, char *buf, u_int size,
			 m_ext_free_t freef, void *arg1, void *arg2,
			 int flags, int type);
void		m_extaddref(struct mbuf *m, char *buf, u_int size,
			    u_int *ref_cnt, m_ext_free_t freef, void *arg1,
			    void *arg2);
struct mbuf	*m_free(struct mbuf *m);
void		m_free_raw(struct mbuf *m);
void		m_freem(struct mbuf *m);
void		mb_free_ext(struct mbuf *m);
void		mb_dupcl(struct mbuf *n, struct mbuf *m);
uma_zone_t	m_getzone(int size);
int		m_gettype(int size);
u_int		m_extrefcnt(struct mbuf *m);
void		m_copydata(const struct mbuf *m, int off, int len, caddr_t cp);
struct mbuf	*m_copym(struct mbuf *m, int off, int len, int how);

#define m_getm(m, len, how, type)	m_getm2((m), (len), (how), (type), M_PKTHDR)
#define MGET(m, how, type)	((m) = m_get((how), (type)))
#define MGETHDR(m, how, type)	((m) = m_gethdr((how), (type)))
#define MCLGET(m, how)		m_clget((m), (how))
#define MEXTADD(m, buf, size, free, arg1, arg2, flags, type)		\
	m_extadd((m), (char *)(buf), (size), (free), (arg1), (arg2),	\
		 (flags), (type))

/* Packet tags (uipc_mbuf2.c). */
#define MTAG_PERSISTENT		0x800
#define MTAG_ABI_COMPAT		0
struct m_tag	*m_tag_alloc(u_int32_t cookie, int type, int len, int wait);
void		m_tag_free_default(struct m_tag *t);
void		m_tag_delete(struct mbuf *m, struct m_tag *t);
void		m_tag_delete_chain(struct mbuf *m, struct m_tag *t);
struct m_tag	*m_tag_locate(struct mbuf *m, u_int32_t cookie,
			      uint16_t type, struct m_tag *t);
struct m_tag	*m_tag_copy(struct m_tag *t, int how);
int		m_tag_copy_chain(struct mbuf *to, const struct mbuf *from,
				 int how);
void		m_tag_delete_nonpersistent(struct mbuf *m);

/* Unmapped mbufs (M_EXTPG). */
struct mbuf	*mb_alloc_ext_pgs(int how, m_ext_free_t ext_free);
struct mbuf	*mb_alloc_ext_plus_pages(int len, int how);
void		mb_free_extpg(struct mbuf *m);
void		mb_free_mext_pgs(struct mbuf *m);
struct mbuf	*mb_mapped_to_unmapped(struct mbuf *mp, int len, int mlen,
				       int how, struct mbuf **mlast);
struct mbuf	*mb_unmapped_to_ext(struct mbuf *m);
int		mb_unmapped_compress(struct mbuf *m);
void		mb_free_notready(struct mbuf *m, int count);

/* Send tags (types and mbuf_snd_tag_register() in <net/if_var.h>). */
union if_snd_tag_alloc_params;
int		m_snd_tag_alloc(struct ifnet *ifp,
				union if_snd_tag_alloc_params *params,
				struct m_snd_tag **mstp);
void		m_snd_tag_init(struct m_snd_tag *mst, struct ifnet *ifp,
			       const struct if_snd_tag_sw *sw);
void		m_snd_tag_destroy(struct m_snd_tag *mst);

/* debugnet / netpoll preallocated pools. */
void		debugnet_mbuf_drain(void);
void		debugnet_mbuf_start(void);
void		debugnet_mbuf_finish(void);
void		debugnet_mbuf_reinit(int nmbuf, int nclust, int clsize);

/* Protocol drain hooks, run on limit and on memory pressure. */
struct mbuf_drain_hook;
struct mbuf_drain_hook *mbuf_drain_register(void (*fn)(void *arg), void *arg);
void		mbuf_drain_unregister(struct mbuf_drain_hook *hook);

/* Data access and space. */
#define mtod(m, t)	((t)((m)->m_data))
#define mtodo(m, o)	((void *)(((m)->m_data) + (o)))

/*
 * The storage and space accessors below are inline functions, so that each
 * evaluates its argument once; the FreeBSD macro names map onto them.
 */

/**
 * mbuf_start() - the start of an mbuf's storage
 * @m: any mbuf
 *
 * Return: the external buffer, the internal data area after the packet
 * header, or the whole internal data area; NULL for an unmapped (M_EXTPG)
 * mbuf, which has no storage mapped.
 */
static inline char *mbuf_start(struct mbuf *m)
{
	if (m->m_flags & M_EXTPG)
		return NULL;
	if (m->m_flags & M_EXT)
		return m->m_ext.ext_buf;
	if (m->m_flags & M_PKTHDR)
		return m->m_pktdat;
	return m->m_dat;
}

/**
 * mbuf_size() - the size of an mbuf's storage
 * @m: any mbuf
 *
 * Return: ext_size with M_EXT, else MHLEN with M_PKTHDR, else MLEN.
 */
static inline int mbuf_size(const struct mbuf *m)
{
	if (m->m_flags & M_EXT)
		return (int)m->m_ext.ext_size;
	if (m->m_flags & M_PKTHDR)
		return MHLEN;
	return MLEN;
}

/**
 * mbuf_writable() - whether an mbuf's data may be written
 * @m: any mbuf
 *
 * Return: nonzero if @m is not read-only, not unmapped, and its external
 * storage (if any) is not shared.
 */
static inline int mbuf_writable(struct mbuf *m)
{
	return !(m->m_flags & (M_RDONLY | M_EXTPG)) &&
	       (!(m->m_flags & M_EXT) || m_extrefcnt(m) == 1);
}

/**
 * mbuf_leadingspace() - writable room before an mbuf's data
 * @m: any mbuf
 *
 * Return: the bytes between the start of the storage and m_data, or 0 if
 * @m is not writable.
 */
static inline ptrdiff_t mbuf_leadingspace(struct mbuf *m)
{
	return mbuf_writable(m) ? m->m_data - mbuf_start(m) : 0;
}

/**
 * mbuf_trailingroom() - room after an mbuf's data, writable or not
 * @m: any mbuf
 *
 * Return: the bytes between the end of the data and the end of the storage.
 */
static inline ptrdiff_t mbuf_trailingroom(struct mbuf *m)
{
	return (mbuf_start(m) + mbuf_size(m)) - (m->m_data + m->m_len);
}

/**
 * mbuf_trailingspace() - writable room after an mbuf's data
 * @m: any mbuf
 *
 * Return: mbuf_trailingroom(), or 0 if @m is not writable.
 */
static inline ptrdiff_t mbuf_trailingspace(struct mbuf *m)
{
	return mbuf_writable(m) ? mbuf_trailingroom(m) : 0;
}

#define M_START(m)		mbuf_start(m)
#define M_SIZE(m)		mbuf_size(m)
#define M_WRITABLE(m)		mbuf_writable(m)
#define M_LEADINGSPACE(m)	mbuf_leadingspace(m)
#define M_TRAILINGROOM(m)	mbuf_trailingroom(m)
#define M_TRAILINGSPACE(m)	mbuf_trailingspace(m)

/*
 * The assertions stay macros, so that each call site warns once on its
 * own; a local copy evaluates the argument once.
 */
#define M_ASSERTPKTHDR(m) ({						\
	const struct mbuf *__m_ap = (m);				\
									\
	WARN_ON_ONCE(!(__m_ap && (__m_ap->m_flags & M_PKTHDR)));	\
})
#define M_ASSERT_NO_SND_TAG(m) ({					\
	const struct mbuf *__m_ant = (m);				\
									\
	WARN_ON_ONCE(!(__m_ant && (__m_ant->m_flags & M_PKTHDR) &&	\
		       !(__m_ant->m_pkthdr.csum_flags & CSUM_SND_TAG)));	\
})
#define M_ASSERTEXTPG(m)						\
	WARN_ON_ONCE(((m)->m_flags & (M_EXTPG | M_PKTHDR)) != M_EXTPG)
/*
 * A freed mbuf is not recognisable from its flags (FreeBSD's check is a
 * mask of 0, always true); the argument is still evaluated, once.
 */
#define M_ASSERTVALID(m)	((void)(m))
/* Every mbuf of the chain is mapped (no M_EXTPG): mtod() is valid. */
#define M_ASSERTMAPPED(m) ({						\
	const struct mbuf *__m_am;					\
									\
	for (__m_am = (m); __m_am; __m_am = __m_am->m_next)		\
		WARN_ON_ONCE(__m_am->m_flags & M_EXTPG);		\
})

/**
 * m_epg_pagelen() - bytes of data in one page of an unmapped mbuf
 * @m: an M_EXTPG mbuf
 * @pidx: index of the page in m_epg_pg[]
 * @pgoff: offset of the data in that page (nonzero only for the first)
 *
 * Return: m_epg_last_len for the last page, else the rest of the page.
 */
static inline int m_epg_pagelen(const struct mbuf *m, int pidx, int pgoff)
{
	if (pidx == m->m_epg_npgs - 1)
		return m->m_epg_last_len;
	return PAGE_SIZE - pgoff;
}

/**
 * m_rcvif() - the interface a received packet came in on
 * @m: a packet header mbuf
 *
 * Return: m_pkthdr.rcvif, or NULL if the header holds a send tag instead.
 */
static inline struct ifnet *m_rcvif(struct mbuf *m)
{
	M_ASSERTPKTHDR(m);
	if (m->m_pkthdr.csum_flags & CSUM_SND_TAG)
		return NULL;
	return m->m_pkthdr.rcvif;
}

/**
 * m_align() - place an object of @len bytes at the end of a new mbuf's
 * storage, long-aligned
 * @m: an mbuf whose m_data is still at the start of its storage
 * @len: the size of the object
 */
static inline void m_align(struct mbuf *m, int len)
{
	int adjust = M_SIZE(m) - len;

	m->m_data += adjust & ~(int)(sizeof(long) - 1);
}

#define M_ALIGN(m, len)		m_align(m, len)
#define MH_ALIGN(m, len)	m_align(m, len)
#define MEXT_ALIGN(m, len)	m_align(m, len)

/**
 * m_last() - the last mbuf of a chain
 * @m: any mbuf of the chain
 *
 * Return: the mbuf whose m_next is NULL.
 */
static inline struct mbuf *m_last(struct mbuf *m)
{
	while (m->m_next)
		m = m->m_next;
	return m;
}

static inline void m_chtype(struct mbuf *m, short new_type)
{
	m->m_type = new_type;
}

#define MCHTYPE(m, t)	m_chtype((m), (t))

static inline void m_clrprotoflags(struct mbuf *m)
{
	for (; m; m = m->m_next)
		m->m_flags &= ~M_PROTOFLAGS;
}

#define M_COPYALL	1000000000

/* Packet tag helpers. */
static inline void m_tag_init(struct mbuf *m)
{
	SLIST_INIT(&m->m_pkthdr.tags);
}

static inline void m_tag_setup(struct m_tag *t, u_int32_t cookie, int type,
			       int len)
{
	t->m_tag_id = type;
	t->m_tag_len = len;
	t->m_tag_cookie = cookie;
}

static inline void m_tag_free(struct m_tag *t)
{
	t->m_tag_free(t);
}

static inline struct m_tag *m_tag_first(struct mbuf *m)
{
	return SLIST_FIRST(&m->m_pkthdr.tags);
}

static inline struct m_tag *m_tag_next(struct mbuf *m, struct m_tag *t)
{
	return SLIST_NEXT(t, m_tag_link);
}

static inline void m_tag_prepend(struct mbuf *m, struct m_tag *t)
{
	SLIST_INSERT_HEAD(&m->m_pkthdr.tags, t, m_tag_link);
}

static inline void m_tag_unlink(struct mbuf *m, struct m_tag *t)
{
	SLIST_REMOVE(&m->m_pkthdr.tags, t, m_tag, m_tag_link);
}

static inline struct m_tag *m_tag_get(int type, int length, int wait)
{
	return m_tag_alloc(MTAG_ABI_COMPAT, type, length, wait);
}

static inline struct m_tag *m_tag_find(struct mbuf *m, uint16_t type,
				       struct m_tag *start)
{
	return SLIST_EMPTY(&m->m_pkthdr.tags) ? NULL :
		m_tag_locate(m, MTAG_ABI_COMPAT, type, start);
}

/*
 * Send tag references, FreeBSD's refcount(9) on the u_int of the tag:
 * taking one needs no ordering (the caller already holds one), dropping
 * one orders the holder's accesses before the destruction, as Linux's
 * refcount_dec_and_test() does. A count that goes wrong saturates as a
 * refcount_t does: taking a reference on a dead tag (count 0), taking one
 * past INT_MAX, or dropping one too many sets the count to
 * M_SND_TAG_REFCOUNT_SATURATED and warns (once for each of the three). A
 * saturated count stays there, silently, and the tag is never destroyed,
 * so a driver's reference counting bug leaks the tag instead of freeing
 * it while it is still in use.
 */
#define M_SND_TAG_REFCOUNT_SATURATED	0xc0000000U

enum m_snd_tag_refcount_bug {
	M_SND_TAG_REF_DEAD,		/* m_snd_tag_ref() on a count of 0 */
	M_SND_TAG_REF_OVERFLOW,		/* m_snd_tag_ref() past INT_MAX */
	M_SND_TAG_RELE_UNDERFLOW,	/* m_snd_tag_rele() on a count of 0 */
	M_SND_TAG_SATURATED,		/* already saturated: reported before */
};

void m_snd_tag_refcount_saturate(struct m_snd_tag *mst,
				 enum m_snd_tag_refcount_bug bug);

/**
 * m_snd_tag_ref() - take another reference on a send tag
 * @mst: a tag the caller holds a reference on
 *
 * Return: @mst.
 */
static inline struct m_snd_tag *m_snd_tag_ref(struct m_snd_tag *mst)
{
	int old = (int)__atomic_fetch_add(&mst->refcount, 1, __ATOMIC_RELAXED);

	if (unlikely(old <= 0 || old == INT_MAX))
		m_snd_tag_refcount_saturate(mst, old < 0 ? M_SND_TAG_SATURATED :
					    old ? M_SND_TAG_REF_OVERFLOW :
					    M_SND_TAG_REF_DEAD);
	return mst;
}

/**
 * m_snd_tag_rele() - drop a reference on a send tag
 * @mst: the tag; destroyed (m_snd_tag_destroy()) with its last reference
 */
static inline void m_snd_tag_rele(struct m_snd_tag *mst)
{
	int old = (int)__atomic_fetch_sub(&mst->refcount, 1, __ATOMIC_RELEASE);

	if (old == 1) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		m_snd_tag_destroy(mst);
	} else if (unlikely(old <= 0)) {
		m_snd_tag_refcount_saturate(mst, old ? M_SND_TAG_SATURATED :
					    M_SND_TAG_RELE_UNDERFLOW);
	}
}

/* Packet queues. */
struct mbufq {
	STAILQ_HEAD(, mbuf)	mq_head;
	int			mq_len;
	int			mq_maxlen;
};

static inline void mbufq_init(struct mbufq *mq, int maxlen)
{
	STAILQ_INIT(&mq->mq_head);
	mq->mq_maxlen = maxlen;
	mq->mq_len = 0;
}

static inline struct mbuf *mbufq_flush(struct mbufq *mq)
{
	struct mbuf *m = STAILQ_FIRST(&mq->mq_head);

	STAILQ_INIT(&mq->mq_head);
	mq->mq_len = 0;
	return m;
}

static inline void mbufq_drain(struct mbufq *mq)
{
	struct mbuf *m, *n = mbufq_flush(mq);

	while ((m = n) != NULL) {
		n = STAILQ_NEXT(m, m_stailqpkt);
		m_freem(m);
	}
}

static inline struct mbuf *mbufq_first(const struct mbufq *mq)
{
	return STAILQ_FIRST(&mq->mq_head);
}

static inline struct mbuf *mbufq_last(const struct mbufq *mq)
{
	return STAILQ_LAST(&mq->mq_head, mbuf, m_stailqpkt);
}

static inline bool mbufq_empty(const struct mbufq *mq)
{
	return mq->mq_len == 0;
}

static inline int mbufq_full(const struct mbufq *mq)
{
	return mq->mq_len >= mq->mq_maxlen;
}

static inline int mbufq_len(const struct mbufq *mq)
{
	return mq->mq_len;
}

static inline int mbufq_enqueue(struct mbufq *mq, struct mbuf *m)
{
	if (mbufq_full(mq))
		return ENOBUFS;	/* FreeBSD errno: positive */
	STAILQ_INSERT_TAIL(&mq->mq_head, m, m_stailqpkt);
	mq->mq_len++;
	return 0;
}

static inline struct mbuf *mbufq_dequeue(struct mbufq *mq)
{
	struct mbuf *m = STAILQ_FIRST(&mq->mq_head);

	if (m) {
		STAILQ_REMOVE_HEAD(&mq->mq_head, m_stailqpkt);
		m->m_nextpkt = NULL;
		mq->mq_len--;
	}
	return m;
}

static inline void mbufq_prepend(struct mbufq *mq, struct mbuf *m)
{
	STAILQ_INSERT_HEAD(&mq->mq_head, m, m_stailqpkt);
	mq->mq_len++;
}

/* Move every packet of @mq_src to the tail of @mq_dst (no limit check). */
static inline void mbufq_concat(struct mbufq *mq_dst, struct mbufq *mq_src)
{
	mq_dst->mq_len += mq_src->mq_len;
	STAILQ_CONCAT(&mq_dst->mq_head, &mq_src->mq_head);
	mq_src->mq_len = 0;
}

/*
 * Chain surgery (uipc_mbuf.c, uipc_mbuf2.c), the protocol header sizes it
 * works with, and the flow hash (uipc_mbufhash.c). The failure semantics
 * of each function are FreeBSD's and are spelled out in its kernel-doc
 * (mbufcompat/chain.c) and in Documentation/kpi.rst.
 */
extern int max_linkhdr;		/* largest link-level header: 16 */
extern int max_protohdr;	/* largest protocol header: 60 */
extern int max_hdr;		/* max_linkhdr + max_protohdr */
extern int max_datalen;		/* MHLEN - max_hdr */

void		m_adj(struct mbuf *mp, int req_len);
struct mbuf	*m_pullup(struct mbuf *n, int len);
struct mbuf	*m_pulldown(struct mbuf *m, int off, int len, int *offp);
struct mbuf	*m_copyup(struct mbuf *n, int len, int dstoff);
struct mbuf	*m_prepend(struct mbuf *m, int len, int how);
int		m_append(struct mbuf *m0, int len, c_caddr_t cp);
void		m_copyback(struct mbuf *m0, int off, int len, c_caddr_t cp);
struct mbuf	*m_split(struct mbuf *m0, int len0, int wait);
void		m_cat(struct mbuf *m, struct mbuf *n);
void		m_catpkt(struct mbuf *m, struct mbuf *n);
u_int		m_length(struct mbuf *m0, struct mbuf **last);
u_int		m_fixhdr(struct mbuf *m0);
struct mbuf	*m_getptr(struct mbuf *m, int loc, int *off);
int		m_apply(struct mbuf *m, int off, int len,
			int (*f)(void *arg, void *data, u_int len), void *arg);
struct mbuf	*m_devget(char *buf, int totlen, int off, struct ifnet *ifp,
			  void (*copy)(char *from, caddr_t to, u_int len));
struct mbuf	*m_copypacket(struct mbuf *m, int how);
struct mbuf	*m_dup(const struct mbuf *m, int how);
int		m_dup_pkthdr(struct mbuf *to, const struct mbuf *from,
			     int how);
void		m_move_pkthdr(struct mbuf *to, struct mbuf *from);
void		m_demote(struct mbuf *m0, int all, int flags);
void		m_demote_pkthdr(struct mbuf *m);
struct mbuf	*m_unshare(struct mbuf *m0, int how);
struct mbuf	*m_defrag(struct mbuf *m0, int how);
struct mbuf	*m_collapse(struct mbuf *m0, int how, int maxfrags);
int		m_sanity(struct mbuf *m0, int sanitize);
void		m_print(const struct mbuf *m, int maxlen);

#define M_MOVE_PKTHDR(to, from)	m_move_pkthdr((to), (from))

/*
 * Prepend @plen bytes to the chain @m (an lvalue): into the first mbuf's
 * leading space if it is writable and large enough, else into a new mbuf
 * (m_prepend()). m_pkthdr.len grows by @plen. On failure the chain is
 * freed and @m is set to NULL.
 */
#define M_PREPEND(m, plen, how) do {					\
	struct mbuf **_mmp = &(m);					\
	struct mbuf *_mm = *_mmp;					\
	int _mplen = (plen);						\
	int __mhow = (how);						\
									\
	if (M_LEADINGSPACE(_mm) >= _mplen) {				\
		_mm->m_data -= _mplen;					\
		_mm->m_len += _mplen;					\
	} else {							\
		_mm = m_prepend(_mm, _mplen, __mhow);			\
	}								\
	if (_mm && (_mm->m_flags & M_PKTHDR))				\
		_mm->m_pkthdr.len += _mplen;				\
	*_mmp = _mm;							\
} while (0)

/* Layers m_ether_tcpip_hash() feeds into the hash. */
#define MBUF_HASHFLAG_L2	(1 << 2)	/* MAC addresses, VLAN tag */
#define MBUF_HASHFLAG_L3	(1 << 3)	/* IP addresses */
#define MBUF_HASHFLAG_L4	(1 << 4)	/* ports, IPv6 flow label */

uint32_t	m_ether_tcpip_hash_init(void);
uint32_t	m_ether_tcpip_hash(const uint32_t flags, const struct mbuf *m,
				   uint32_t p);

/**
 * rt_m_getfib() - the routing table (FIB) a packet belongs to
 * @m: a packet header mbuf
 *
 * Return: m_pkthdr.fibnum.
 */
static inline u_int rt_m_getfib(const struct mbuf *m)
{
	WARN_ON_ONCE(!(m->m_flags & M_PKTHDR));
	return m->m_pkthdr.fibnum;
}

#define M_GETFIB(m)		rt_m_getfib(m)
#define M_SETFIB(m, fib) do {						\
	struct mbuf *__m_sf = (m);					\
									\
	WARN_ON_ONCE(!(__m_sf->m_flags & M_PKTHDR));			\
	__m_sf->m_pkthdr.fibnum = (fib);				\
} while (0)

/**
 * mbuf_tstmp2timespec() - a packet's receive time stamp as a timespec
 * @m: a packet header mbuf with M_TSTMP or M_TSTMP_LRO
 * @ts: where to store it; Linux code has no struct timespec, so this is
 *	the kernel's struct timespec64 (same fields, tv_sec 64 bits)
 *
 * m_pkthdr.rcv_tstmp holds nanoseconds; they are split into seconds and
 * nanoseconds.
 */
static inline void mbuf_tstmp2timespec(struct mbuf *m, struct timespec64 *ts)
{
	u32 nsec;

	WARN_ON_ONCE(!(m->m_flags & M_PKTHDR));
	WARN_ON_ONCE(!(m->m_flags & (M_TSTMP | M_TSTMP_LRO)));
	ts->tv_sec = div_u64_rem(m->m_pkthdr.rcv_tstmp, NSEC_PER_SEC, &nsec);
	ts->tv_nsec = nsec;
}

/* Packet tag types of the MTAG_ABI_COMPAT cookie (FreeBSD's numbers). */
#define PACKET_TAG_NONE				0
#define PACKET_TAG_IPSEC_IN_DONE		1
#define PACKET_TAG_IPSEC_OUT_DONE		2
#define PACKET_TAG_IPSEC_IN_CRYPTO_DONE		3
#define PACKET_TAG_IPSEC_OUT_CRYPTO_NEEDED	4
#define PACKET_TAG_IPSEC_IN_COULD_DO_CRYPTO	5
#define PACKET_TAG_IPSEC_PENDING_TDB		6
#define PACKET_TAG_BRIDGE			7
#define PACKET_TAG_GIF				8
#define PACKET_TAG_GRE				9
#define PACKET_TAG_IN_PACKET_CHECKSUM		10
#define PACKET_TAG_ENCAP			11
#define PACKET_TAG_IPSEC_SOCKET			12
#define PACKET_TAG_IPSEC_HISTORY		13
#define PACKET_TAG_IPV6_INPUT			14
#define PACKET_TAG_DUMMYNET			15
#define PACKET_TAG_DIVERT			17
#define PACKET_TAG_IPFORWARD			18
#define PACKET_TAG_MACLABEL			(19 | MTAG_PERSISTENT)
#define PACKET_TAG_PF				21
#define PACKET_TAG_IPOPTIONS			27
#define PACKET_TAG_CARP				28
#define PACKET_TAG_IPSEC_NAT_T_PORTS		29
#define PACKET_TAG_ND_OUTGOING			30
#define PACKET_TAG_PF_REASSEMBLED		31

#endif /* !_SYS_MBUF_H_ */
