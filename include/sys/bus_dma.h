/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * FreeBSD 14's bus_dma(9) (<sys/bus_dma.h>) for network drivers, over
 * Linux's DMA API.
 *
 * Tags. A device_t is the Linux struct device of the hardware (a PCI
 * driver passes &pdev->dev). bus_get_dma_tag(dev) returns a handle that
 * stands for that device (nothing to destroy, like FreeBSD's bus tags);
 * bus_dma_tag_create() with it, or with a tag made from it, as parent
 * records the constraints (alignment, boundary, lowaddr, maxsize,
 * nsegments, maxsegsz), inheriting the parent's as FreeBSD does.
 * Addressing limits are Linux's: the device's DMA mask (dma_set_mask())
 * decides what Linux bounces or remaps through the IOMMU; lowaddr and
 * highaddr are recorded, and a segment above lowaddr warns once.
 *
 * Loads never defer (no bounce-page shortage to wait for), so the lock
 * function and its argument are accepted and never called, and every
 * load completes, callback included, before it returns.
 *
 * Mbufs. bus_dmamap_load_mbuf_sg() maps each mbuf's data with one
 * dma_map_single() (or one dma_map_page() per page of unmapped M_EXTPG
 * storage) and cuts the result into segments no longer than maxsegsz
 * and not crossing a boundary, merging a segment into the previous one
 * when they are contiguous in bus space, as FreeBSD does. Past nsegments
 * segments (or nsegments mappings) it unloads and returns EFBIG, and the
 * driver m_defrag()s or m_collapse()s and retries. Storage that is not
 * writable (read-only, shared, M_EXTPG: transmit data the stack lent) is
 * mapped DMA_TO_DEVICE, the rest DMA_BIDIRECTIONAL, since FreeBSD says
 * the direction only when syncing.
 *
 * Syncs. BUS_DMASYNC_PREREAD / PREWRITE become dma_sync_single_for_device
 * and POSTREAD / POSTWRITE dma_sync_single_for_cpu, in the direction
 * they name; on memory from bus_dmamem_alloc() (dma_alloc_coherent) they
 * are the memory barriers the device's view needs and nothing else.
 */
#ifndef _SYS_BUS_DMA_H_
#define _SYS_BUS_DMA_H_

#include <linux/types.h>
#include <machine/bus.h>

struct mbuf;

#ifndef MBUF_DEVICE_T_DEFINED
#define MBUF_DEVICE_T_DEFINED
struct device;
/* A FreeBSD device_t is the Linux struct device of the hardware. */
typedef struct device *device_t;
#endif

/* Flags of tag creation, map creation, loads and bus_dmamem_alloc(). */
#define BUS_DMA_WAITOK		0x00	/* may sleep */
#define BUS_DMA_NOWAIT		0x01	/* must not sleep */
#define BUS_DMA_ALLOCNOW	0x02	/* allocate resources now */
#define BUS_DMA_COHERENT	0x04	/* hint: coherent memory */
#define BUS_DMA_ZERO		0x08	/* zeroed memory */
#define BUS_DMA_BUS1		0x10
#define BUS_DMA_BUS2		0x20
#define BUS_DMA_BUS3		0x40
#define BUS_DMA_BUS4		0x80
#define BUS_DMA_NOWRITE		0x100	/* the device only reads */
#define BUS_DMA_NOCACHE		0x200
#define BUS_DMA_KEEP_PG_OFFSET	0x400
#define BUS_DMA_LOAD_MBUF	0x800

/* bus_dmamap_sync() operations. */
#define BUS_DMASYNC_PREREAD	1	/* before the device writes memory */
#define BUS_DMASYNC_POSTREAD	2	/* after it did */
#define BUS_DMASYNC_PREWRITE	4	/* before the device reads memory */
#define BUS_DMASYNC_POSTWRITE	8	/* after it did */

typedef int bus_dmasync_op_t;

typedef struct bus_dma_tag *bus_dma_tag_t;
typedef struct bus_dmamap *bus_dmamap_t;

#define BUS_DMA_TAG_VALID(t)	((t) != (bus_dma_tag_t)0)

/* One contiguous piece of a transfer, in bus (DMA) address space. */
typedef struct bus_dma_segment {
	bus_addr_t	ds_addr;
	bus_size_t	ds_len;
} bus_dma_segment_t;

typedef int bus_dma_filter_t(void *arg, bus_addr_t paddr);

typedef enum {
	BUS_DMA_LOCK	= 0x01,
	BUS_DMA_UNLOCK	= 0x02,
} bus_dma_lock_op_t;

typedef void bus_dma_lock_t(void *arg, bus_dma_lock_op_t op);

/*
 * FreeBSD's mutex lock function for deferred loads. No load defers here,
 * so no lock function is ever called; this one is NULL.
 */
#define busdma_lock_mutex	((bus_dma_lock_t *)NULL)

typedef void bus_dmamap_callback_t(void *arg, bus_dma_segment_t *segs,
				   int nseg, int error);
typedef void bus_dmamap_callback2_t(void *arg, bus_dma_segment_t *segs,
				    int nseg, bus_size_t mapsize, int error);

bus_dma_tag_t bus_get_dma_tag(device_t dev);
int bus_dma_tag_create(bus_dma_tag_t parent, bus_size_t alignment,
		       bus_addr_t boundary, bus_addr_t lowaddr,
		       bus_addr_t highaddr, bus_dma_filter_t *filtfunc,
		       void *filtfuncarg, bus_size_t maxsize, int nsegments,
		       bus_size_t maxsegsz, int flags, bus_dma_lock_t *lockfunc,
		       void *lockfuncarg, bus_dma_tag_t *dmat);
int bus_dma_tag_destroy(bus_dma_tag_t dmat);

int bus_dmamap_create(bus_dma_tag_t dmat, int flags, bus_dmamap_t *mapp);
int bus_dmamap_destroy(bus_dma_tag_t dmat, bus_dmamap_t map);

int bus_dmamap_load(bus_dma_tag_t dmat, bus_dmamap_t map, void *buf,
		    bus_size_t buflen, bus_dmamap_callback_t *callback,
		    void *callback_arg, int flags);
int bus_dmamap_load_mbuf(bus_dma_tag_t dmat, bus_dmamap_t map,
			 struct mbuf *mbuf, bus_dmamap_callback2_t *callback,
			 void *callback_arg, int flags);
int bus_dmamap_load_mbuf_sg(bus_dma_tag_t dmat, bus_dmamap_t map,
			    struct mbuf *mbuf, bus_dma_segment_t *segs,
			    int *nsegs, int flags);
void bus_dmamap_sync(bus_dma_tag_t dmat, bus_dmamap_t map,
		     bus_dmasync_op_t op);
void bus_dmamap_unload(bus_dma_tag_t dmat, bus_dmamap_t map);

int bus_dmamem_alloc(bus_dma_tag_t dmat, void **vaddr, int flags,
		     bus_dmamap_t *mapp);
void bus_dmamem_free(bus_dma_tag_t dmat, void *vaddr, bus_dmamap_t map);

#endif /* !_SYS_BUS_DMA_H_ */
