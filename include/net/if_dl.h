/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD's link-level socket address (<net/if_dl.h>), as the callbacks
 * of if_foreach_lladdr() / if_foreach_llmaddr() receive it: LLADDR(sdl)
 * is the hardware address, sdl_alen its length.
 */
#ifndef _NET_IF_DL_H_
#define _NET_IF_DL_H_

#include <linux/types.h>

struct sockaddr_dl {
	u_char	sdl_len;	/* total length of the sockaddr */
	u_char	sdl_family;	/* AF_LINK (18 on FreeBSD) */
	u_short	sdl_index;	/* interface index, 0 if none */
	u_char	sdl_type;	/* IFT_* */
	u_char	sdl_nlen;	/* interface name length, no NUL */
	u_char	sdl_alen;	/* link-level address length */
	u_char	sdl_slen;	/* link-layer selector length */
	char	sdl_data[46];	/* name, then address */
};

#define AF_LINK_FREEBSD	18

/* The address in @s: an inline function behind FreeBSD's LLADDR(). */
static inline caddr_t sockaddr_dl_lladdr(struct sockaddr_dl *s)
{
	return (caddr_t)(s->sdl_data + s->sdl_nlen);
}

static inline const char *sockaddr_dl_clladdr(const struct sockaddr_dl *s)
{
	return s->sdl_data + s->sdl_nlen;
}

#define LLADDR(s)	sockaddr_dl_lladdr(s)
#define CLLADDR(s)	sockaddr_dl_clladdr(s)
#define LLINDEX(s)	((s)->sdl_index)

#endif /* !_NET_IF_DL_H_ */
