/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The DMA part of FreeBSD 14's amd64 <machine/bus.h>: bus address and
 * size types, the address limits drivers give bus_dma_tag_create(), and
 * the bus_dma(9) interface (<sys/bus_dma.h>), which FreeBSD's
 * <machine/bus.h> brings in too. Register access (bus_space_*) is not
 * provided: a ported driver maps its registers with Linux's pci_iomap().
 */
#ifndef _MACHINE_BUS_H_
#define _MACHINE_BUS_H_

#include <linux/types.h>

typedef uint64_t bus_addr_t;
typedef uint64_t bus_size_t;

#define BUS_SPACE_MAXADDR_24BIT	0xFFFFFFUL
#define BUS_SPACE_MAXADDR_32BIT	0xFFFFFFFFUL
#define BUS_SPACE_MAXADDR_40BIT	0xFFFFFFFFFFUL
#define BUS_SPACE_MAXADDR_48BIT	0xFFFFFFFFFFFFUL
#define BUS_SPACE_MAXADDR	0xFFFFFFFFFFFFFFFFUL
#define BUS_SPACE_MAXSIZE_24BIT	0xFFFFFFUL
#define BUS_SPACE_MAXSIZE_32BIT	0xFFFFFFFFUL
#define BUS_SPACE_MAXSIZE	0xFFFFFFFFFFFFFFFFUL
#define BUS_SPACE_UNRESTRICTED	(~0)

#include <sys/bus_dma.h>

#endif /* !_MACHINE_BUS_H_ */
