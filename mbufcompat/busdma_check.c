// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Debug builds only: bus_dma of mbuf chains against a real device.
 *
 * Reading /sys/kernel/debug/mbufcompat/busdma_pci maps mbuf chains for the
 * first PCI device that has a DMA mask, through whatever DMA operations
 * Linux uses for it (direct, swiotlb or an IOMMU), and reports each check
 * on a line of its own, then "result: pass" or "result: fail". Nothing is
 * sent to the device: mappings are made, synced and released. The distro
 * kernel stages of make check read it (scripts/guest/check.sh).
 */
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <machine/bus.h>
#include <sys/bus_dma.h>
#include "internal.h"

struct mbuf_busdma_check {
	struct seq_file	*sf;
	int		failed;
};

static void mbuf_busdma_check(struct mbuf_busdma_check *c, bool ok,
			      const char *what)
{
	seq_printf(c->sf, "%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		c->failed++;
}

/* A packet of @n clusters of @size, @len bytes each. */
static struct mbuf *mbuf_busdma_check_chain(int n, int size, int len)
{
	struct mbuf *m0 = NULL, **tail = &m0;
	int i;

	for (i = 0; i < n; i++) {
		struct mbuf *m = m_getjcl(M_WAITOK, MT_DATA, i ? 0 : M_PKTHDR,
					  size);

		memset(mtod(m, void *), 0x5a, len);
		m->m_len = len;
		*tail = m;
		tail = &m->m_next;
	}
	m0->m_pkthdr.len = n * len;
	return m0;
}

static bool mbuf_busdma_check_segs(bus_dma_segment_t *segs, int nsegs,
				   u64 total, u64 mask, u64 boundary)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < nsegs; i++) {
		u64 end = segs[i].ds_addr + segs[i].ds_len - 1;

		if (end > mask)
			return false;
		if (boundary && (segs[i].ds_addr & ~(boundary - 1)) !=
		    (end & ~(boundary - 1)))
			return false;
		sum += segs[i].ds_len;
	}
	return sum == total;
}

static void mbuf_busdma_check_run(struct mbuf_busdma_check *c,
				  struct device *dev)
{
	u64 mask = dma_get_mask(dev);
	bus_dma_segment_t segs[8];
	bus_dma_tag_t tag, jtag;
	bus_dmamap_t map, jmap;
	struct mbuf *m, *d;
	int nsegs, error;

	seq_printf(c->sf, "dma mask: %#llx\n", (unsigned long long)mask);
	error = bus_dma_tag_create(bus_get_dma_tag(dev), 1, 0,
				   BUS_SPACE_MAXADDR, BUS_SPACE_MAXADDR, NULL,
				   NULL, 65536, 4, MCLBYTES, 0, NULL, NULL, &tag);
	mbuf_busdma_check(c, !error, "bus_dma_tag_create");
	if (error)
		return;
	error = bus_dmamap_create(tag, 0, &map);
	mbuf_busdma_check(c, !error, "bus_dmamap_create");
	if (error)
		goto out_tag;

	m = mbuf_busdma_check_chain(3, MCLBYTES, 1000);
	error = bus_dmamap_load_mbuf_sg(tag, map, m, segs, &nsegs, 0);
	mbuf_busdma_check(c, !error && nsegs == 3 &&
			  mbuf_busdma_check_segs(segs, nsegs, 3000, mask, 0),
			  "3 clusters: 3 segments within the mask");
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREWRITE);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_POSTWRITE);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREREAD);
	bus_dmamap_sync(tag, map, BUS_DMASYNC_POSTREAD);
	bus_dmamap_unload(tag, map);
	m_freem(m);

	m = mbuf_busdma_check_chain(6, MCLBYTES, 500);
	error = bus_dmamap_load_mbuf_sg(tag, map, m, segs, &nsegs, 0);
	mbuf_busdma_check(c, error == EFBIG && nsegs == 0,
			  "6 mbufs, 4 segments: EFBIG");
	d = m_defrag(m, M_NOWAIT);
	error = d ? bus_dmamap_load_mbuf_sg(tag, map, d, segs, &nsegs, 0) : ENOMEM;
	mbuf_busdma_check(c, !error &&
			  mbuf_busdma_check_segs(segs, nsegs, 3000, mask, 0),
			  "after m_defrag: loaded");
	bus_dmamap_sync(tag, map, BUS_DMASYNC_PREWRITE);
	bus_dmamap_unload(tag, map);
	m_freem(d ? d : m);

	error = bus_dma_tag_create(tag, 1, 4096, BUS_SPACE_MAXADDR,
				   BUS_SPACE_MAXADDR, NULL, NULL, MJUM9BYTES, 8,
				   MJUM9BYTES, 0, NULL, NULL, &jtag);
	if (!error)
		error = bus_dmamap_create(jtag, 0, &jmap);
	mbuf_busdma_check(c, !error, "child tag with a 4 KiB boundary");
	if (!error) {
		m = mbuf_busdma_check_chain(1, MJUM9BYTES, 9000);
		error = bus_dmamap_load_mbuf_sg(jtag, jmap, m, segs, &nsegs, 0);
		mbuf_busdma_check(c, !error && nsegs >= 3 &&
				  mbuf_busdma_check_segs(segs, nsegs, 9000, mask,
							 4096),
				  "9 KiB cluster: no segment crosses 4 KiB");
		bus_dmamap_sync(jtag, jmap, BUS_DMASYNC_PREREAD);
		bus_dmamap_sync(jtag, jmap, BUS_DMASYNC_POSTREAD);
		bus_dmamap_unload(jtag, jmap);
		m_freem(m);
		bus_dmamap_destroy(jtag, jmap);
		mbuf_busdma_check(c, bus_dma_tag_destroy(jtag) == 0,
				  "child tag destroyed");
	}
	mbuf_busdma_check(c, bus_dmamap_destroy(tag, map) == 0,
			  "bus_dmamap_destroy");
out_tag:
	mbuf_busdma_check(c, bus_dma_tag_destroy(tag) == 0,
			  "bus_dma_tag_destroy");
}

static int mbuf_busdma_pci_show(struct seq_file *sf, void *unused)
{
	struct mbuf_busdma_check c = { .sf = sf };
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, pdev)))
		if (pdev->dev.dma_mask && *pdev->dev.dma_mask)
			break;
	if (!pdev) {
		seq_puts(sf, "result: fail (no PCI device with a DMA mask)\n");
		return 0;
	}
	seq_printf(sf, "device: %s %04x:%04x\n", pci_name(pdev), pdev->vendor,
		   pdev->device);
	mbuf_busdma_check_run(&c, &pdev->dev);
	pci_dev_put(pdev);
	seq_printf(sf, "result: %s\n", c.failed ? "fail" : "pass");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mbuf_busdma_pci);

/**
 * mbuf_busdma_debugfs_init() - create the busdma_pci debugfs file
 *
 * Removed with the module's debugfs directory.
 */
void mbuf_busdma_debugfs_init(void)
{
	if (!IS_ERR_OR_NULL(mbuf_debugfs_dir))
		debugfs_create_file("busdma_pci", 0400, mbuf_debugfs_dir, NULL,
				    &mbuf_busdma_pci_fops);
}
