// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bus_dma(9) for network drivers over Linux's DMA API (<sys/bus_dma.h>
 * has the mapping in prose).
 *
 * A tag is the device and the constraints; a map holds what one load
 * mapped: the Linux mappings (each needs its own unmap) and the segments
 * the driver gets. Segments come from mappings by FreeBSD's rule: cut at
 * maxsegsz and at every boundary multiple, merged with the previous
 * segment when contiguous in bus space and the merge still obeys both.
 *
 * The root tag bus_get_dma_tag() returns is the device pointer with its
 * low bit set: it needs no memory and nothing to destroy, as FreeBSD's
 * bus tags, and bus_dma_tag_create() recognises it as a parent.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <sys/bus_dma.h>
#include "internal.h"

#define MBUF_DMA_ROOT_BIT	1UL

struct bus_dma_tag {
	struct device		*dev;
	struct bus_dma_tag	*parent;	/* NULL under a root tag */
	refcount_t		refs;		/* own + one per child */
	atomic_t		maps;		/* maps not yet destroyed */
	bus_size_t		alignment;
	bus_addr_t		boundary;	/* 0: none */
	bus_addr_t		lowaddr;
	bus_addr_t		highaddr;
	bus_size_t		maxsize;
	bus_size_t		maxsegsz;
	int			nsegments;
	int			flags;
};

/* One Linux mapping a load made. */
struct mbuf_dma_piece {
	dma_addr_t		addr;
	u32			len;
	u8			dir;		/* enum dma_data_direction */
	u8			page;		/* dma_map_page, else _single */
};

struct bus_dmamap {
	int			npieces;	/* mappings held (loaded) */
	int			nsegs;		/* segments of the load */
	bool			coherent;	/* from bus_dmamem_alloc() */
	void			*cvaddr;	/* coherent memory ... */
	dma_addr_t		caddr;		/* ... and its bus address */
	size_t			csize;
	bus_dma_segment_t	*segs;		/* nsegments of them */
	struct mbuf_dma_piece	pieces[];	/* nsegments of them */
};

static bool mbuf_dma_is_root(bus_dma_tag_t t)
{
	return (unsigned long)t & MBUF_DMA_ROOT_BIT;
}

static struct device *mbuf_dma_root_dev(bus_dma_tag_t t)
{
	return (struct device *)((unsigned long)t & ~MBUF_DMA_ROOT_BIT);
}

static gfp_t mbuf_dma_gfp(int flags)
{
	return (flags & BUS_DMA_NOWAIT) ? GFP_ATOMIC | __GFP_NOWARN : GFP_KERNEL;
}

/**
 * bus_get_dma_tag() - the root DMA tag of a device
 * @dev: the Linux device of the hardware (e.g. &pdev->dev)
 *
 * Return: a tag to pass as the parent of bus_dma_tag_create(); it stands
 * for @dev itself and is never destroyed.
 */
bus_dma_tag_t bus_get_dma_tag(device_t dev)
{
	if (mbuf_bad_arg(!dev, "%s: no device\n", __func__))
		return NULL;
	return (bus_dma_tag_t)((unsigned long)dev | MBUF_DMA_ROOT_BIT);
}
MBUF_EXPORT(bus_get_dma_tag);

/**
 * bus_dma_tag_create() - create a DMA tag
 * @parent: bus_get_dma_tag(dev) or a tag created from it
 * @alignment: alignment of segments, a power of 2 (1: none)
 * @boundary: segments do not cross a multiple of it; a power of 2 or 0
 * @lowaddr: highest bus address the device reaches (recorded; Linux
 *	enforces the device's DMA mask)
 * @highaddr: recorded
 * @filtfunc: must be NULL (FreeBSD 14 removed filters)
 * @filtfuncarg: unused
 * @maxsize: largest load, in bytes
 * @nsegments: most segments (and mappings) of a load
 * @maxsegsz: longest segment
 * @flags: BUS_DMA_* (BUS_DMA_ALLOCNOW is accepted and has no effect)
 * @lockfunc: never called (loads never defer)
 * @lockfuncarg: unused
 * @dmat: the new tag
 *
 * A child inherits the stricter of its and its parent's alignment,
 * boundary, lowaddr and highaddr. The tag holds a reference on the device.
 *
 * Context: process context.
 * Return: 0; EINVAL (bad argument or no device); ENOMEM.
 */
int bus_dma_tag_create(bus_dma_tag_t parent, bus_size_t alignment,
		       bus_addr_t boundary, bus_addr_t lowaddr,
		       bus_addr_t highaddr, bus_dma_filter_t *filtfunc,
		       void *filtfuncarg, bus_size_t maxsize, int nsegments,
		       bus_size_t maxsegsz, int flags, bus_dma_lock_t *lockfunc,
		       void *lockfuncarg, bus_dma_tag_t *dmat)
{
	struct bus_dma_tag *t;

	*dmat = NULL;
	if (mbuf_bad_arg(!parent || filtfunc || nsegments <= 0 || !maxsegsz ||
			 !maxsize || (alignment && !is_power_of_2(alignment)) ||
			 (boundary && !is_power_of_2(boundary)),
			 "%s: bad arguments\n", __func__))
		return EINVAL;
	if (mbuf_fault_armed() && mbuf_should_fail(NULL))
		return ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ENOMEM;
	t->alignment = alignment ? alignment : 1;
	t->boundary = boundary;
	t->lowaddr = lowaddr;
	t->highaddr = highaddr;
	t->maxsize = maxsize;
	t->nsegments = nsegments;
	t->maxsegsz = maxsegsz;
	t->flags = flags;
	refcount_set(&t->refs, 1);
	atomic_set(&t->maps, 0);
	if (mbuf_dma_is_root(parent)) {
		t->dev = mbuf_dma_root_dev(parent);
	} else {
		t->dev = parent->dev;
		t->parent = parent;
		refcount_inc(&parent->refs);
		t->lowaddr = min(t->lowaddr, parent->lowaddr);
		t->highaddr = max(t->highaddr, parent->highaddr);
		t->alignment = max(t->alignment, parent->alignment);
		if (!t->boundary)
			t->boundary = parent->boundary;
		else if (parent->boundary)
			t->boundary = min(t->boundary, parent->boundary);
	}
	if (t->boundary && t->maxsegsz > t->boundary)
		t->maxsegsz = t->boundary;
	get_device(t->dev);
	*dmat = t;
	return 0;
}
MBUF_EXPORT(bus_dma_tag_create);

static void mbuf_dma_tag_put(struct bus_dma_tag *t)
{
	while (t && refcount_dec_and_test(&t->refs)) {
		struct bus_dma_tag *parent = t->parent;

		put_device(t->dev);
		kfree(t);
		t = parent;
	}
}

/**
 * bus_dma_tag_destroy() - destroy a DMA tag
 * @dmat: the tag (NULL or a root tag: nothing to do)
 *
 * The memory goes when the last child tag is destroyed too, as in FreeBSD.
 *
 * Context: process context.
 * Return: 0, or EBUSY if maps of @dmat still exist (nothing is done).
 */
int bus_dma_tag_destroy(bus_dma_tag_t dmat)
{
	if (!dmat || mbuf_dma_is_root(dmat))
		return 0;
	if (atomic_read(&dmat->maps))
		return EBUSY;
	mbuf_dma_tag_put(dmat);
	return 0;
}
MBUF_EXPORT(bus_dma_tag_destroy);

static struct bus_dmamap *mbuf_dmamap_alloc(bus_dma_tag_t dmat, gfp_t gfp)
{
	struct bus_dmamap *map;
	size_t size = struct_size(map, pieces, dmat->nsegments);

	if (mbuf_fault_armed() && mbuf_should_fail(NULL))
		return NULL;
	map = kzalloc(size + dmat->nsegments * sizeof(bus_dma_segment_t), gfp);
	if (!map)
		return NULL;
	map->segs = (bus_dma_segment_t *)((char *)map + size);
	atomic_inc(&dmat->maps);
	return map;
}

/**
 * bus_dmamap_create() - create a map for loads with a tag
 * @dmat: the tag
 * @flags: BUS_DMA_NOWAIT or BUS_DMA_WAITOK
 * @mapp: the new map
 *
 * Context: process context, or any with BUS_DMA_NOWAIT.
 * Return: 0, EINVAL (root tag), or ENOMEM.
 */
int bus_dmamap_create(bus_dma_tag_t dmat, int flags, bus_dmamap_t *mapp)
{
	*mapp = NULL;
	if (mbuf_bad_arg(!dmat || mbuf_dma_is_root(dmat),
			 "%s: not a created tag\n", __func__))
		return EINVAL;
	*mapp = mbuf_dmamap_alloc(dmat, mbuf_dma_gfp(flags));
	return *mapp ? 0 : ENOMEM;
}
MBUF_EXPORT(bus_dmamap_create);

/**
 * bus_dmamap_destroy() - destroy a map
 * @dmat: its tag
 * @map: the map, unloaded
 *
 * Context: any.
 * Return: 0, or EBUSY if @map is still loaded (nothing is done).
 */
int bus_dmamap_destroy(bus_dma_tag_t dmat, bus_dmamap_t map)
{
	if (!map)
		return 0;
	if (map->npieces || map->coherent)
		return EBUSY;
	atomic_dec(&dmat->maps);
	kfree(map);
	return 0;
}
MBUF_EXPORT(bus_dmamap_destroy);

/*
 * Append the bus range [addr, addr + len) to the map's segments by
 * FreeBSD's rule. Return false if it needs more than nsegments.
 */
static bool mbuf_dma_addsegs(bus_dma_tag_t dmat, bus_dmamap_t map,
			     dma_addr_t addr, u64 len)
{
	u64 bmask = dmat->boundary ? ~(dmat->boundary - 1) : 0;

	(void)mbuf_bad_arg(addr + len - 1 > dmat->lowaddr,
			   "%s: %pad above lowaddr %#llx (DMA mask?)\n",
			   __func__, &addr, (unsigned long long)dmat->lowaddr);
	while (len) {
		u64 sg = min_t(u64, len, dmat->maxsegsz);
		bus_dma_segment_t *last;

		if (dmat->boundary) {
			u64 to_bound = dmat->boundary - (addr & (dmat->boundary - 1));

			sg = min(sg, to_bound);
		}
		last = map->nsegs ? &map->segs[map->nsegs - 1] : NULL;
		if (last && last->ds_addr + last->ds_len == addr &&
		    last->ds_len + sg <= dmat->maxsegsz &&
		    (!dmat->boundary ||
		     (last->ds_addr & bmask) == (addr & bmask))) {
			last->ds_len += sg;
		} else {
			if (map->nsegs == dmat->nsegments)
				return false;
			map->segs[map->nsegs].ds_addr = addr;
			map->segs[map->nsegs].ds_len = sg;
			map->nsegs++;
		}
		addr += sg;
		len -= sg;
	}
	return true;
}

/*
 * Map one physically contiguous range (a page and offset, or kernel
 * linear-map memory) and add its segments. Returns 0, EFBIG or ENOMEM.
 */
static int mbuf_dma_map_piece(bus_dma_tag_t dmat, bus_dmamap_t map,
			      struct page *pg, void *va, u32 off, u32 len,
			      enum dma_data_direction dir)
{
	struct mbuf_dma_piece *p;
	dma_addr_t addr;

	if (map->npieces == dmat->nsegments)
		return EFBIG;
	if (pg)
		addr = dma_map_page(dmat->dev, pg, off, len, dir);
	else
		addr = dma_map_single(dmat->dev, va, len, dir);
	if (dma_mapping_error(dmat->dev, addr))
		return ENOMEM;
	p = &map->pieces[map->npieces++];
	p->addr = addr;
	p->len = len;
	p->dir = dir;
	p->page = !!pg;
	return mbuf_dma_addsegs(dmat, map, addr, len) ? 0 : EFBIG;
}

/* Kernel memory [va, va + len): linear map in one piece, vmalloc by page. */
static int mbuf_dma_load_kva(bus_dma_tag_t dmat, bus_dmamap_t map, char *va,
			     u32 len, enum dma_data_direction dir)
{
	int error = 0;

	if (!is_vmalloc_addr(va))
		return mbuf_dma_map_piece(dmat, map, NULL, va, 0, len, dir);
	while (len && !error) {
		u32 off = offset_in_page(va);
		u32 n = min_t(u32, len, PAGE_SIZE - off);

		error = mbuf_dma_map_piece(dmat, map, vmalloc_to_page(va), NULL,
					   off, n, dir);
		va += n;
		len -= n;
	}
	return error;
}

/*
 * An unmapped mbuf: the TLS header in the mbuf, the pages, the trailer,
 * from byte m_data (an offset for M_EXTPG) for m_len bytes.
 */
static int mbuf_dma_load_epg(bus_dma_tag_t dmat, bus_dmamap_t map,
			     struct mbuf *m)
{
	u32 off = (u32)(uintptr_t)m->m_data, len = m->m_len, n, pgoff;
	int i, error = 0;

	if (off < m->m_epg_hdrlen) {
		n = min_t(u32, len, m->m_epg_hdrlen - off);
		error = mbuf_dma_map_piece(dmat, map, NULL, m->m_epg_hdr + off,
					   0, n, DMA_TO_DEVICE);
		len -= n;
		off = 0;
	} else {
		off -= m->m_epg_hdrlen;
	}
	pgoff = m->m_epg_1st_off;
	for (i = 0; i < m->m_epg_npgs && len && !error; i++) {
		u32 plen = m_epg_pagelen(m, i, pgoff);

		if (off >= plen) {
			off -= plen;
		} else {
			n = min(len, plen - off);
			error = mbuf_dma_map_piece(dmat, map, m->m_epg_pg[i], NULL,
						   pgoff + off, n, DMA_TO_DEVICE);
			len -= n;
			off = 0;
		}
		pgoff = 0;
	}
	if (len && !error) {
		if (mbuf_bad_arg(off + len > m->m_epg_trllen,
				 "%s: M_EXTPG mbuf shorter than m_len\n", __func__))
			return EINVAL;
		error = mbuf_dma_map_piece(dmat, map, NULL, m->m_epg_trail + off,
					   0, len, DMA_TO_DEVICE);
	}
	return error;
}

static void mbuf_dma_unmap_all(bus_dma_tag_t dmat, bus_dmamap_t map)
{
	int i;

	for (i = 0; i < map->npieces; i++) {
		struct mbuf_dma_piece *p = &map->pieces[i];

		if (p->page)
			dma_unmap_page(dmat->dev, p->addr, p->len, p->dir);
		else
			dma_unmap_single(dmat->dev, p->addr, p->len, p->dir);
	}
	map->npieces = 0;
	map->nsegs = 0;
}

static int mbuf_dma_load_chain(bus_dma_tag_t dmat, bus_dmamap_t map,
			       struct mbuf *m0, int flags)
{
	struct mbuf *m;
	int error = 0;

	if (mbuf_bad_arg(!dmat || mbuf_dma_is_root(dmat) || !map ||
			 map->npieces || map->coherent || !m0 ||
			 !(m0->m_flags & M_PKTHDR),
			 "%s: bad tag, map or chain\n", __func__))
		return EINVAL;
	for (m = m0; m && !error; m = m->m_next) {
		enum dma_data_direction dir;

		if (m->m_len <= 0)
			continue;
		if (m->m_flags & M_EXTPG) {
			error = mbuf_dma_load_epg(dmat, map, m);
			continue;
		}
		dir = (!M_WRITABLE(m) || (flags & BUS_DMA_NOWRITE)) ?
		      DMA_TO_DEVICE : DMA_BIDIRECTIONAL;
		error = mbuf_dma_load_kva(dmat, map, m->m_data, m->m_len, dir);
	}
	if (error)
		mbuf_dma_unmap_all(dmat, map);
	return error;
}

/**
 * bus_dmamap_load_mbuf_sg() - map a packet for DMA, segments to an array
 * @dmat: the tag
 * @map: an unloaded map of @dmat
 * @mbuf: an M_PKTHDR chain
 * @segs: at least nsegments segments, filled in
 * @nsegs: the number of segments filled in
 * @flags: BUS_DMA_NOWAIT implied; BUS_DMA_NOWRITE maps for reading only
 *
 * Context: any but hard interrupt.
 * Return: 0; EFBIG if the chain needs more than nsegments segments or
 * mappings (the map is left unloaded: m_defrag() or m_collapse() and
 * retry); ENOMEM if Linux could not map (IOMMU or swiotlb space);
 * EINVAL for a bad tag, map or chain.
 */
int bus_dmamap_load_mbuf_sg(bus_dma_tag_t dmat, bus_dmamap_t map,
			    struct mbuf *mbuf, bus_dma_segment_t *segs,
			    int *nsegs, int flags)
{
	int error = mbuf_dma_load_chain(dmat, map, mbuf, flags);

	*nsegs = 0;
	if (error)
		return error;
	memcpy(segs, map->segs, map->nsegs * sizeof(*segs));
	*nsegs = map->nsegs;
	return 0;
}
MBUF_EXPORT(bus_dmamap_load_mbuf_sg);

/**
 * bus_dmamap_load_mbuf() - map a packet for DMA, segments to a callback
 * @dmat: the tag
 * @map: an unloaded map of @dmat
 * @mbuf: an M_PKTHDR chain
 * @callback: called before return with the segments, their number, the
 *	packet length and 0, or with no segments and the error
 * @callback_arg: its first argument
 * @flags: as bus_dmamap_load_mbuf_sg()
 *
 * Context: any but hard interrupt.
 * Return: 0 (also when the callback got an error, as in FreeBSD), or ENOMEM.
 */
int bus_dmamap_load_mbuf(bus_dma_tag_t dmat, bus_dmamap_t map,
			 struct mbuf *mbuf, bus_dmamap_callback2_t *callback,
			 void *callback_arg, int flags)
{
	int error = mbuf_dma_load_chain(dmat, map, mbuf, flags);

	if (error)
		callback(callback_arg, map ? map->segs : NULL, 0, 0, error);
	else
		callback(callback_arg, map->segs, map->nsegs,
			 mbuf->m_pkthdr.len, 0);
	return error == ENOMEM ? ENOMEM : 0;
}
MBUF_EXPORT(bus_dmamap_load_mbuf);

/**
 * bus_dmamap_load() - map a kernel buffer for DMA
 * @dmat: the tag
 * @map: an unloaded map of @dmat, or the map bus_dmamem_alloc() returned
 *	with its memory
 * @buf: the buffer (within that memory for a bus_dmamem_alloc() map)
 * @buflen: its length, at most maxsize
 * @callback: called before return with the segments and 0, or with no
 *	segments and the error
 * @callback_arg: its first argument
 * @flags: BUS_DMA_NOWAIT or BUS_DMA_WAITOK (the same: loads never defer)
 *
 * A bus_dmamem_alloc() map needs no mapping: its segments are the
 * coherent memory's bus address.
 *
 * Context: any but hard interrupt.
 * Return: 0 (also when the callback got an error, as in FreeBSD), or ENOMEM.
 */
int bus_dmamap_load(bus_dma_tag_t dmat, bus_dmamap_t map, void *buf,
		    bus_size_t buflen, bus_dmamap_callback_t *callback,
		    void *callback_arg, int flags)
{
	int error = 0;

	if (mbuf_bad_arg(!dmat || mbuf_dma_is_root(dmat) || !map ||
			 map->npieces || map->nsegs || !buflen ||
			 buflen > dmat->maxsize,
			 "%s: bad tag, map or length\n", __func__)) {
		error = EINVAL;
	} else if (map->coherent) {
		size_t off = (char *)buf - (char *)map->cvaddr;

		if (mbuf_bad_arg((char *)buf < (char *)map->cvaddr ||
				 off + buflen > map->csize,
				 "%s: buffer outside its memory\n",
				 __func__))
			error = EINVAL;
		else if (!mbuf_dma_addsegs(dmat, map, map->caddr + off, buflen))
			error = EFBIG;
	} else {
		error = mbuf_dma_load_kva(dmat, map, buf, buflen,
					  (flags & BUS_DMA_NOWRITE) ?
					  DMA_TO_DEVICE : DMA_BIDIRECTIONAL);
	}
	if (error) {
		if (map) {
			mbuf_dma_unmap_all(dmat, map);
			callback(callback_arg, map->segs, 0, error);
		} else {
			callback(callback_arg, NULL, 0, error);
		}
	} else {
		callback(callback_arg, map->segs, map->nsegs, 0);
	}
	return error == ENOMEM ? ENOMEM : 0;
}
MBUF_EXPORT(bus_dmamap_load);

/* The direction of the PRE or the POST half of a sync operation. */
static enum dma_data_direction mbuf_dma_sync_dir(int op)
{
	bool rd = op & (BUS_DMASYNC_PREREAD | BUS_DMASYNC_POSTREAD);
	bool wr = op & (BUS_DMASYNC_PREWRITE | BUS_DMASYNC_POSTWRITE);

	if (rd && wr)
		return DMA_BIDIRECTIONAL;
	return rd ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
}

/**
 * bus_dmamap_sync() - make a loaded map's memory consistent
 * @dmat: the tag
 * @map: the map
 * @op: BUS_DMASYNC_* bits: PREREAD / PREWRITE before the device accesses
 *	the memory, POSTREAD / POSTWRITE after it did
 *
 * Mappings made for the device's reading only (read-only storage) skip
 * the READ operations.
 *
 * Context: any.
 */
void bus_dmamap_sync(bus_dma_tag_t dmat, bus_dmamap_t map, bus_dmasync_op_t op)
{
	int i;

	if (!map)
		return;
	if (map->coherent) {
		if (op & (BUS_DMASYNC_PREREAD | BUS_DMASYNC_PREWRITE)) {
			/* Our stores reach memory before the device looks. */
			wmb();
		}
		if (op & (BUS_DMASYNC_POSTREAD | BUS_DMASYNC_POSTWRITE)) {
			/* Our loads after this see what the device wrote. */
			rmb();
		}
		return;
	}
	for (i = 0; i < map->npieces; i++) {
		struct mbuf_dma_piece *p = &map->pieces[i];
		bool rd = p->dir == DMA_BIDIRECTIONAL;
		int pre = op & (rd ? BUS_DMASYNC_PREREAD | BUS_DMASYNC_PREWRITE :
				BUS_DMASYNC_PREWRITE);
		int post = op & (rd ? BUS_DMASYNC_POSTREAD | BUS_DMASYNC_POSTWRITE :
				 BUS_DMASYNC_POSTWRITE);

		if (pre)
			dma_sync_single_for_device(dmat->dev, p->addr, p->len,
						   mbuf_dma_sync_dir(pre));
		if (post)
			dma_sync_single_for_cpu(dmat->dev, p->addr, p->len,
						mbuf_dma_sync_dir(post));
	}
}
MBUF_EXPORT(bus_dmamap_sync);

/**
 * bus_dmamap_unload() - release what a load mapped
 * @dmat: the tag
 * @map: the map (loaded or not)
 *
 * Context: any but hard interrupt.
 */
void bus_dmamap_unload(bus_dma_tag_t dmat, bus_dmamap_t map)
{
	if (!map)
		return;
	if (map->coherent) {
		map->nsegs = 0;
		return;
	}
	mbuf_dma_unmap_all(dmat, map);
}
MBUF_EXPORT(bus_dmamap_unload);

/**
 * bus_dmamem_alloc() - allocate DMA-coherent memory of the tag's maxsize
 * @dmat: the tag
 * @vaddr: the memory's kernel address
 * @flags: BUS_DMA_NOWAIT or BUS_DMA_WAITOK, BUS_DMA_ZERO (always zeroed),
 *	BUS_DMA_COHERENT (always coherent)
 * @mapp: a map for bus_dmamap_load() of the memory
 *
 * Uses dma_alloc_coherent(): page-aligned, physically contiguous.
 *
 * Context: process context, or any but hard interrupt with BUS_DMA_NOWAIT.
 * Return: 0, EINVAL (root tag, or an alignment beyond what the
 * allocation gives), or ENOMEM.
 */
int bus_dmamem_alloc(bus_dma_tag_t dmat, void **vaddr, int flags,
		     bus_dmamap_t *mapp)
{
	struct bus_dmamap *map;

	*vaddr = NULL;
	*mapp = NULL;
	if (mbuf_bad_arg(!dmat || mbuf_dma_is_root(dmat) ||
			 dmat->alignment > (PAGE_SIZE << get_order(dmat->maxsize)),
			 "%s: bad tag or alignment\n", __func__))
		return EINVAL;
	map = mbuf_dmamap_alloc(dmat, mbuf_dma_gfp(flags));
	if (!map)
		return ENOMEM;
	map->cvaddr = dma_alloc_coherent(dmat->dev, dmat->maxsize, &map->caddr,
					 mbuf_dma_gfp(flags));
	if (!map->cvaddr) {
		atomic_dec(&dmat->maps);
		kfree(map);
		return ENOMEM;
	}
	map->coherent = true;
	map->csize = dmat->maxsize;
	*vaddr = map->cvaddr;
	*mapp = map;
	return 0;
}
MBUF_EXPORT(bus_dmamem_alloc);

/**
 * bus_dmamem_free() - free bus_dmamem_alloc() memory and its map
 * @dmat: the tag
 * @vaddr: the memory
 * @map: its map
 *
 * Context: process context.
 */
void bus_dmamem_free(bus_dma_tag_t dmat, void *vaddr, bus_dmamap_t map)
{
	if (!map)
		return;
	if (mbuf_bad_arg(!map->coherent || vaddr != map->cvaddr,
			 "%s: not bus_dmamem_alloc() memory\n", __func__))
		return;
	dma_free_coherent(dmat->dev, map->csize, map->cvaddr, map->caddr);
	atomic_dec(&dmat->maps);
	kfree(map);
}
MBUF_EXPORT(bus_dmamem_free);
