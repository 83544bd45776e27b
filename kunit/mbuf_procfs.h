/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading and writing /proc files from a KUnit case, as userspace would.
 *
 * Built-in suites run before userspace has mounted anything, so the case
 * mounts its own instance of procfs (a new superblock each time, in the
 * caller's pid namespace) and opens paths relative to it: "sys/net/mbuf/
 * nmbufs" goes through procfs's sysctl permission checks and handlers,
 * "net/mbuf/netstat" through the /proc/self/net symlink to the caller's
 * network namespace (the initial one for a kthread).
 */
#ifndef MBUF_PROCFS_KUNIT_H
#define MBUF_PROCFS_KUNIT_H

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/mount.h>

static inline struct vfsmount *mbuf_procfs_mount(struct kunit *test)
{
	struct file_system_type *proc = get_fs_type("proc");
	struct vfsmount *mnt;

	if (!proc) {
		KUNIT_FAIL(test, "procfs is not available");
		return NULL;
	}
	/* procfs is built in: get_fs_type() took no module reference */
	mnt = vfs_kern_mount(proc, 0, "proc", NULL);
	if (IS_ERR(mnt)) {
		KUNIT_FAIL(test, "cannot mount procfs: %ld", PTR_ERR(mnt));
		return NULL;
	}
	return mnt;
}

/* Read a whole file into @buf (NUL-terminated); bytes read or -errno. */
static inline ssize_t mbuf_procfs_read(struct vfsmount *mnt, const char *path,
				       char *buf, size_t size)
{
	struct file *f = file_open_root_mnt(mnt, path, O_RDONLY, 0);
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while (len < size - 1) {
		n = kernel_read(f, buf + len, size - 1 - len, &pos);
		if (n < 0) {
			fput(f);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	fput(f);
	buf[len] = '\0';
	return len;
}

/* One write(2) of @s at offset 0; bytes written or -errno. */
static inline ssize_t mbuf_procfs_write(struct vfsmount *mnt, const char *path,
					const char *s)
{
	struct file *f = file_open_root_mnt(mnt, path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, s, strlen(s), &pos);
	fput(f);
	return n;
}

#endif /* MBUF_PROCFS_KUNIT_H */
