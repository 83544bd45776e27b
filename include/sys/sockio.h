/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD's <sys/sockio.h>: the interface ioctl commands a driver's
 * if_ioctl handler switches on.
 *
 * The commands Linux also has (SIOCSIFFLAGS, SIOCSIFMTU, SIOCADDMULTI,
 * SIOCDELMULTI, SIOCSIFADDR, SIOCGIFADDR) keep Linux's numbers from
 * <linux/sockios.h>. The others are built with FreeBSD's group and
 * number on Linux's _IOW/_IOWR encoding, so they never collide with
 * Linux's 0x89xx commands in one switch. Only mbufcompat issues them, to
 * the driver's if_ioctl (see <net/if_var.h>); userspace never does, so
 * their numbers are private.
 */
#ifndef _SYS_SOCKIO_H_
#define _SYS_SOCKIO_H_

#include <linux/ioctl.h>
#include <linux/sockios.h>
#include <linux/if.h>

#define SIOCSIFCAP	_IOW('i', 30, struct ifreq)	/* set capabilities */
#define SIOCGIFCAP	_IOWR('i', 31, struct ifreq)	/* get capabilities */
#define SIOCSIFMEDIA	_IOWR('i', 55, struct ifreq)	/* set media */
#define SIOCGIFMEDIA	_IOWR('i', 56, struct ifreq)	/* get media */
#define SIOCGIFXMEDIA	_IOWR('i', 139, struct ifreq)	/* get extended media */
#define SIOCGI2C	_IOWR('i', 61, struct ifreq)	/* read SFP EEPROM */

#endif /* !_SYS_SOCKIO_H_ */
