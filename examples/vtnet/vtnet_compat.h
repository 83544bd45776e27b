/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kernel version differences of the virtio core that vtnet's bus
 * attachment meets, on top of the module's own (mbufcompat/compat.h):
 * the driver is written against 6.12 and reads like it.
 */
#ifndef _VTNET_COMPAT_H_
#define _VTNET_COMPAT_H_

#include "compat.h"

#include <linux/netdevice.h>
#include <linux/virtio_config.h>

/**
 * vtnet_find_vqs() - allocate a device's virtqueues
 * @vdev: the virtio device
 * @nvqs: how many
 * @vqs: the virtqueues, out
 * @cbs: each one's used-buffer callback
 * @names: each one's name
 *
 * 6.11 replaced virtio_find_vqs()'s parallel callback and name arrays
 * with one array of struct virtqueue_info; before, the arrays are passed
 * as they are.
 *
 * Return: 0 or a negative errno.
 */
static inline int vtnet_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
				 struct virtqueue *vqs[], vq_callback_t *cbs[],
				 const char * const names[])
{
#if MBUF_LINUX_AT_LEAST(6, 11, 0)
	struct virtqueue_info info[4] = {};
	unsigned int i;

	if (WARN_ON_ONCE(nvqs > ARRAY_SIZE(info)))
		return -EINVAL;
	for (i = 0; i < nvqs; i++) {
		info[i].name = names[i];
		info[i].callback = cbs[i];
	}
	return virtio_find_vqs(vdev, nvqs, vqs, info, NULL);
#else
	return virtio_find_vqs(vdev, nvqs, vqs, cbs, names, NULL);
#endif
}

#endif /* _VTNET_COMPAT_H_ */
