/* times and the mount API (fsopen, fsconfig by command, fsmount, move_mount, open_tree,
 * fspick, mount_setattr with its struct mount_attr) with valid, invalid and NULL arguments.
 * Nothing is mounted: the one filesystem context created is never attached. */
#define _GNU_SOURCE
#include <linux/mount.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
    struct tms t;
    syscall(SYS_times, &t);
    syscall(SYS_times, NULL);
    syscall(SYS_times, 1);
    int fs = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    syscall(SYS_fsopen, "nosuchfs", 0);
    syscall(SYS_fsopen, NULL, 0x11);
    syscall(SYS_fsopen, (void *)1, 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", NULL, 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "1M", 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_BINARY, "x", "abc", 3);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_PATH, "source", "/tmp", AT_FDCWD);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_PATH_EMPTY, "source", "", 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_FD, "fd", NULL, 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
    syscall(SYS_fsconfig, -1, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0);
    char key[] = "k", value[] = "v";
    syscall(SYS_fsconfig, -1, 99, key, value, 5);
    syscall(SYS_fsmount, -1, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME);
    syscall(SYS_fsmount, -1, 0, 0);
    syscall(SYS_fsmount, -1, 2, MOUNT_ATTR_STRICTATIME | MOUNT_ATTR_NODEV | 0x1000000);
    syscall(SYS_fsmount, -1, 0, MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSYMFOLLOW | MOUNT_ATTR__ATIME);
    syscall(SYS_move_mount, -1, "", AT_FDCWD, "/nonexistent", MOVE_MOUNT_F_EMPTY_PATH);
    syscall(SYS_move_mount, AT_FDCWD, "/a", -1, "/b", MOVE_MOUNT_SET_GROUP | MOVE_MOUNT_T_SYMLINKS | 0x1000);
    syscall(SYS_move_mount, AT_FDCWD, NULL, -1, NULL, 0);
    syscall(SYS_open_tree, AT_FDCWD, "/nonexistent", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    syscall(SYS_open_tree, -1, "", AT_EMPTY_PATH | AT_RECURSIVE | AT_NO_AUTOMOUNT | AT_SYMLINK_NOFOLLOW);
    syscall(SYS_open_tree, -1, NULL, 0);
    syscall(SYS_open_tree, -1, "x", 0x4);
    syscall(SYS_fspick, AT_FDCWD, "/nonexistent", FSPICK_CLOEXEC);
    syscall(SYS_fspick, -1, "", FSPICK_EMPTY_PATH | FSPICK_NO_AUTOMOUNT | FSPICK_SYMLINK_NOFOLLOW | 0x10);
    syscall(SYS_fspick, -1, NULL, 0);
    struct mount_attr ma = { .attr_set = MOUNT_ATTR_RDONLY, .attr_clr = MOUNT_ATTR__ATIME, .propagation = MS_SHARED, .userns_fd = 3 };
    syscall(SYS_mount_setattr, -1, "", AT_EMPTY_PATH, &ma, sizeof ma);
    syscall(SYS_mount_setattr, -1, "/x", AT_RECURSIVE | AT_SYMLINK_NOFOLLOW | 1, &ma, 16);
    syscall(SYS_mount_setattr, -1, "/x", 0, NULL, 32);
    syscall(SYS_mount_setattr, -1, "/x", 0, &ma, 40);
    ma.propagation = 0x1234; ma.attr_set = 0;
    syscall(SYS_mount_setattr, -1, "/x", 0, &ma, 32);
    return 0;
}
