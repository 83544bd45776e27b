/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD 14's <net/if_var.h> for ported network drivers: the if_t
 * driver API over Linux's struct net_device, and the send-tag part.
 *
 * The interface. if_t (struct ifnet *) is a struct net_device *. if_alloc()
 * creates it with Linux's Ethernet setup and a private area that holds
 * what FreeBSD keeps in struct ifnet and Linux has no field for: the
 * softc, FreeBSD's flags, driver flags, capabilities and hwassist, the
 * driver's methods (init, ioctl, transmit, qflush, start, get_counter)
 * and the IFCOUNTER_* counters. A FreeBSD attach routine maps one to one:
 *
 *   ifp = if_alloc(IFT_ETHER);            alloc_etherdev_mqs()
 *   if_setsoftc(ifp, sc);                 private area
 *   if_initname(ifp, "vtnet", unit);      dev->name = "vtnet0"
 *   if_setflags(ifp, IFF_BROADCAST | ...);
 *   if_setioctlfn(ifp, vtnet_ioctl);      called from the net_device ops
 *   if_setinitfn / if_settransmitfn / if_setqflushfn / if_setgetcounterfn
 *   if_setcapabilities / if_setcapenable  -> hw_features / features
 *   ether_ifattach(ifp, mac);             MAC address, register_netdev()
 *   ...
 *   ether_ifdetach(ifp);                  unregister_netdev()
 *   if_free(ifp);                         free_netdev()
 *
 * Linux drives the interface through net_device_ops that call the
 * driver's methods as FreeBSD's stack would: ndo_open / ndo_stop set or
 * clear IFF_UP and issue SIOCSIFFLAGS to if_ioctl (if_init without an
 * ioctl method); ndo_change_mtu issues SIOCSIFMTU; ndo_set_features
 * issues SIOCSIFCAP with ifr_reqcap; ndo_set_rx_mode (deferred to process
 * context) issues SIOCSIFFLAGS for promiscuous / allmulti changes and
 * SIOCADDMULTI for the multicast list; ndo_start_xmit turns the skb into
 * an mbuf chain (skb_to_mbuf()) and calls if_transmit(). The driver's
 * ioctl runs with the RTNL held, in process context.
 *
 * Received packets go up with if_input(): mbuf_to_skb() and Linux's GRO.
 * Inside a NAPI poll the driver brackets its receive work with
 * mbuf_napi_enter() / mbuf_napi_exit() and if_input() feeds that NAPI
 * context directly; anywhere else (a work item, a threaded interrupt,
 * hard interrupt) if_input() queues the mbufs to a per-CPU NAPI context
 * of the interface, which converts and delivers them.
 *
 * Documentation/ifnet.rst has the whole mapping and what has no
 * counterpart.
 *
 * Send tags. A send tag is per-flow state a network interface keeps for the stack
 * (a hardware rate limit, a TLS offload context). The driver allocates
 * the tag, embeds a struct m_snd_tag (<sys/mbuf.h>) at its start, calls
 * m_snd_tag_init() on it with its method table, and the stack attaches it
 * to outgoing packets (m_pkthdr.snd_tag with CSUM_SND_TAG). Each tag holds
 * a reference on its interface until m_snd_tag_destroy().
 *
 * Names, layouts and values are FreeBSD 14's. The one Linux addition:
 * struct net_device has no if_snd_tag_alloc method, so a driver that
 * offers send tags registers its allocator for its device with
 * mbuf_snd_tag_register(), and m_snd_tag_alloc() finds it there.
 */
#ifndef _NET_IF_VAR_H_
#define _NET_IF_VAR_H_

#include <linux/types.h>
#include <sys/mbuf.h>
#include <sys/buf_ring.h>
#include <sys/sockio.h>
#include <net/if.h>
#include <net/ifq.h>

/* -- the interface (if_t) -- */

struct napi_struct;
struct sockaddr;
struct sockaddr_dl;
struct route;

#ifndef MBUF_DEVICE_T_DEFINED
#define MBUF_DEVICE_T_DEFINED
struct device;
/* A FreeBSD device_t is the Linux struct device of the hardware. */
typedef struct device *device_t;
#endif

/* Counters of if_inc_counter() / if_get_counter. */
typedef enum {
	IFCOUNTER_IPACKETS = 0,
	IFCOUNTER_IERRORS,
	IFCOUNTER_OPACKETS,
	IFCOUNTER_OERRORS,
	IFCOUNTER_COLLISIONS,
	IFCOUNTER_IBYTES,
	IFCOUNTER_OBYTES,
	IFCOUNTER_IMCASTS,
	IFCOUNTER_OMCASTS,
	IFCOUNTER_IQDROPS,
	IFCOUNTER_OQDROPS,
	IFCOUNTER_NOPROTO,
	IFCOUNTERS		/* number of counters */
} ift_counter;

typedef void (*if_start_fn_t)(if_t);
typedef int (*if_ioctl_fn_t)(if_t, u_long, caddr_t);
typedef void (*if_init_fn_t)(void *);
typedef void (*if_input_fn_t)(if_t, struct mbuf *);
typedef int (*if_output_fn_t)(if_t, struct mbuf *, const struct sockaddr *,
			      struct route *);
typedef void (*if_qflush_fn_t)(if_t);
typedef int (*if_transmit_fn_t)(if_t, struct mbuf *);
typedef uint64_t (*if_get_counter_t)(if_t, ift_counter);

/* if_foreach_lladdr() / if_foreach_llmaddr() callback (<net/if_dl.h>). */
typedef u_int iflladdr_cb_t(void *arg, struct sockaddr_dl *sdl, u_int cnt);

#define IF_MINMTU	72
#define IF_MAXMTU	65535

/* Creation and naming. */
if_t	if_alloc(u_char type);
if_t	if_alloc_dev(u_char type, device_t dev);
void	if_free(if_t ifp);
void	if_initname(if_t ifp, const char *name, int unit);
const char *if_name(if_t ifp);
const char *if_getdname(const if_t ifp);
int	if_getdunit(const if_t ifp);
int	if_getindex(const if_t ifp);
int	if_gettype(const if_t ifp);
int	if_setdev(if_t ifp, void *dev);
int	if_printf(if_t ifp, const char *fmt, ...) __printf(2, 3);

/* The driver's state and methods. */
int	if_setsoftc(if_t ifp, void *softc);
void	*if_getsoftc(if_t ifp);
void	if_setinitfn(if_t ifp, if_init_fn_t fn);
void	if_setioctlfn(if_t ifp, if_ioctl_fn_t fn);
void	if_setstartfn(if_t ifp, if_start_fn_t fn);
if_start_fn_t if_getstartfn(if_t ifp);
void	if_settransmitfn(if_t ifp, if_transmit_fn_t fn);
if_transmit_fn_t if_gettransmitfn(if_t ifp);
void	if_setqflushfn(if_t ifp, if_qflush_fn_t fn);
void	if_setgetcounterfn(if_t ifp, if_get_counter_t fn);

/* Calling them. */
void	if_init(if_t ifp, void *ctx);
int	if_ioctl(if_t ifp, u_long cmd, void *data);
int	if_transmit(if_t ifp, struct mbuf *m);
void	if_qflush(if_t ifp);
void	if_input(if_t ifp, struct mbuf *m);

/* Flags. */
int	if_getflags(const if_t ifp);
int	if_setflags(if_t ifp, int flags);
int	if_setflagbits(if_t ifp, int set, int clear);
int	if_getdrvflags(const if_t ifp);
int	if_setdrvflags(if_t ifp, int flags);
int	if_setdrvflagbits(if_t ifp, int if_setflags, int clear_flags);

/* Capabilities and offload. */
int	if_getcapabilities(const if_t ifp);
int	if_setcapabilities(if_t ifp, int capabilities);
int	if_setcapabilitiesbit(if_t ifp, int setbit, int clearbit);
int	if_getcapenable(const if_t ifp);
int	if_setcapenable(if_t ifp, int capenable);
int	if_setcapenablebit(if_t ifp, int setcap, int clearcap);
int	if_togglecapenable(if_t ifp, int togglecap);
int	if_getcapabilities2(const if_t ifp);
int	if_setcapabilities2(if_t ifp, int capabilities);
int	if_setcapabilities2bit(if_t ifp, int setbit, int clearbit);
int	if_getcapenable2(const if_t ifp);
int	if_setcapenable2(if_t ifp, int capenable);
int	if_setcapenable2bit(if_t ifp, int setcap, int clearcap);
int	if_togglecapenable2(if_t ifp, int togglecap);
int	if_gethwassist(const if_t ifp);
int	if_sethwassist(if_t ifp, int hwassist_bit);
int	if_sethwassistbits(if_t ifp, int toset, int toclear);
int	if_clearhwassist(if_t ifp);
int	if_togglehwassist(if_t ifp, int toggle_bits);
int	if_sethwtsomax(if_t ifp, u_int if_hw_tsomax);
int	if_sethwtsomaxsegcount(if_t ifp, u_int if_hw_tsomaxsegcount);
int	if_sethwtsomaxsegsize(if_t ifp, u_int if_hw_tsomaxsegsize);
u_int	if_gethwtsomax(const if_t ifp);
u_int	if_gethwtsomaxsegcount(const if_t ifp);
u_int	if_gethwtsomaxsegsize(const if_t ifp);
int	if_setifheaderlen(if_t ifp, int len);

/* MTU, speed, link, addresses. */
int	if_getmtu(const if_t ifp);
int	if_setmtu(if_t ifp, int mtu);
uint64_t if_getbaudrate(const if_t ifp);
uint64_t if_setbaudrate(if_t ifp, uint64_t baudrate);
int	if_getlinkstate(if_t ifp);
void	if_link_state_change(if_t ifp, int link_state);
caddr_t	if_getlladdr(const if_t ifp);
uint8_t	if_getaddrlen(if_t ifp);
u_int	if_foreach_lladdr(if_t ifp, iflladdr_cb_t cb, void *arg);
u_int	if_foreach_llmaddr(if_t ifp, iflladdr_cb_t cb, void *arg);
u_int	if_lladdr_count(if_t ifp);
u_int	if_llmaddr_count(if_t ifp);

/* Counters. */
void	if_inc_counter(if_t ifp, ift_counter cnt, int64_t inc);
uint64_t if_get_counter_default(if_t ifp, ift_counter cnt);
uint64_t if_getcounter(if_t ifp, ift_counter cnt);

/* The legacy send queue of if_start drivers. */
int	if_setsendqlen(if_t ifp, int tx_desc_count);
int	if_setsendqready(if_t ifp);
int	if_sendq_empty(if_t ifp);
struct mbuf *if_dequeue(if_t ifp);
int	if_sendq_prepend(if_t ifp, struct mbuf *m);

/* Packet header helpers. */
void	if_setrcvif(struct mbuf *m, if_t ifp);
void	if_setvtag(struct mbuf *m, u_int16_t tag);
u_int16_t if_getvtag(struct mbuf *m);

/* BPF taps: Linux's taps (packet sockets) see every frame already. */
void	if_bpfmtap(if_t ifp, struct mbuf *m);
void	if_etherbpfmtap(if_t ifp, struct mbuf *m);

/*
 * Linux additions. mbuf_ether_ifattach() is ether_ifattach() with the
 * registration's result (FreeBSD's cannot fail). mbuf_napi_enter() /
 * mbuf_napi_exit() bracket a driver's receive work inside its NAPI poll
 * so that if_input() and tcp_lro_*() feed that NAPI context's GRO.
 */
int	mbuf_ether_ifattach(if_t ifp, const u_int8_t *lla);
void	mbuf_napi_enter(struct napi_struct *napi);
void	mbuf_napi_exit(struct napi_struct *napi);

/* -- send tags -- */

struct inpcb;
struct ktls_session;

/* if_snd_tag_alloc_header.type / if_snd_tag_sw.type */
#define IF_SND_TAG_TYPE_RATE_LIMIT	0
#define IF_SND_TAG_TYPE_UNLIMITED	1
#define IF_SND_TAG_TYPE_TLS		2
#define IF_SND_TAG_TYPE_TLS_RATE_LIMIT	3
#define IF_SND_TAG_TYPE_TLS_RX		4
#define IF_SND_TAG_TYPE_MAX		5

struct if_snd_tag_alloc_header {
	uint32_t type;		/* IF_SND_TAG_TYPE_* */
	uint32_t flowid;	/* flow hash of the connection's packets */
	uint32_t flowtype;	/* its M_HASHTYPE_* */
	uint8_t numa_domain;
};

struct if_snd_tag_alloc_rate_limit {
	struct if_snd_tag_alloc_header hdr;
	uint64_t max_rate;	/* bytes per second */
	uint32_t flags;		/* M_NOWAIT or M_WAITOK */
	uint32_t reserved;
};

struct if_snd_tag_alloc_tls {
	struct if_snd_tag_alloc_header hdr;
	struct inpcb *inp;
	const struct ktls_session *tls;
};

struct if_snd_tag_alloc_tls_rx {
	struct if_snd_tag_alloc_header hdr;
	struct inpcb *inp;
	const struct ktls_session *tls;
	uint16_t vlan_id;	/* 0: none */
};

struct if_snd_tag_alloc_tls_rate_limit {
	struct if_snd_tag_alloc_header hdr;
	struct inpcb *inp;
	const struct ktls_session *tls;
	uint64_t max_rate;	/* bytes per second */
};

struct if_snd_tag_rate_limit_params {
	uint64_t max_rate;	/* bytes per second */
	uint32_t queue_level;	/* IF_SND_QUEUE_LEVEL_MIN (empty) .. _MAX */
#define IF_SND_QUEUE_LEVEL_MIN	0
#define IF_SND_QUEUE_LEVEL_MAX	65535
	uint32_t flags;		/* M_NOWAIT or M_WAITOK */
};

struct if_snd_tag_modify_tls_rx {
	uint32_t tls_hdr_tcp_sn;	/* TCP sequence of the TLS header */
	uint32_t tls_rec_length;	/* whole record; 0: resume offload */
	uint64_t tls_seq_number;
};

union if_snd_tag_alloc_params {
	struct if_snd_tag_alloc_header hdr;
	struct if_snd_tag_alloc_rate_limit rate_limit;
	struct if_snd_tag_alloc_rate_limit unlimited;
	struct if_snd_tag_alloc_tls tls;
	struct if_snd_tag_alloc_tls_rx tls_rx;
	struct if_snd_tag_alloc_tls_rate_limit tls_rate_limit;
};

union if_snd_tag_modify_params {
	struct if_snd_tag_rate_limit_params rate_limit;
	struct if_snd_tag_rate_limit_params unlimited;
	struct if_snd_tag_rate_limit_params tls_rate_limit;
	struct if_snd_tag_modify_tls_rx tls_rx;
};

union if_snd_tag_query_params {
	struct if_snd_tag_rate_limit_params rate_limit;
	struct if_snd_tag_rate_limit_params unlimited;
	struct if_snd_tag_rate_limit_params tls_rate_limit;
};

typedef int (if_snd_tag_alloc_t)(struct ifnet *ifp,
				 union if_snd_tag_alloc_params *params,
				 struct m_snd_tag **mstp);
typedef int (if_snd_tag_modify_t)(struct m_snd_tag *mst,
				  union if_snd_tag_modify_params *params);
typedef int (if_snd_tag_query_t)(struct m_snd_tag *mst,
				 union if_snd_tag_query_params *params);
typedef void (if_snd_tag_free_t)(struct m_snd_tag *mst);
typedef struct m_snd_tag *(if_next_send_tag_t)(struct m_snd_tag *mst);

/* A tag type's methods, shared by all tags of that type (m_snd_tag_init). */
struct if_snd_tag_sw {
	if_snd_tag_modify_t	*snd_tag_modify;
	if_snd_tag_query_t	*snd_tag_query;
	if_snd_tag_free_t	*snd_tag_free;	/* required */
	if_next_send_tag_t	*next_snd_tag;
	u_int			type;		/* IF_SND_TAG_TYPE_* */
};

/* Linux: how a device offers send tags (see sndtag.c). */
int	mbuf_snd_tag_register(struct ifnet *ifp, if_snd_tag_alloc_t *alloc);
void	mbuf_snd_tag_unregister(struct ifnet *ifp);

#endif /* !_NET_IF_VAR_H_ */
