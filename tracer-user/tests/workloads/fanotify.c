/* fanotify_init and fanotify_mark with valid, invalid, NULL and unreadable arguments, as
 * strace 6.1 decodes them (tests/root_decoders_fds.rs). */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/fanotify.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
    int fd = syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_LARGEFILE);
    syscall(SYS_fanotify_init, FAN_CLASS_CONTENT, O_RDWR);
    syscall(SYS_fanotify_init, FAN_CLASS_PRE_CONTENT | FAN_UNLIMITED_QUEUE | FAN_UNLIMITED_MARKS, O_WRONLY | O_CLOEXEC | O_NOATIME);
    syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME, O_RDONLY);
    syscall(SYS_fanotify_init, FAN_REPORT_TID | FAN_ENABLE_AUDIT | FAN_REPORT_PIDFD | FAN_REPORT_TARGET_FID, 0);
    syscall(SYS_fanotify_init, 0xc, 0);
    syscall(SYS_fanotify_init, 0xffffffff, 0xffffffff);
    syscall(SYS_fanotify_init, 0x80000000, 3);
    syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, "/tmp");
    syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD | FAN_MARK_ONLYDIR | FAN_MARK_DONT_FOLLOW, FAN_MODIFY | FAN_EVENT_ON_CHILD | FAN_ONDIR, AT_FDCWD, "/tmp");
    syscall(SYS_fanotify_mark, fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD, "/tmp");
    syscall(SYS_fanotify_mark, fd, FAN_MARK_FLUSH | FAN_MARK_MOUNT, 0, -1, NULL);
    syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_ACCESS | FAN_CLOSE_NOWRITE | FAN_Q_OVERFLOW, fd, NULL);
    syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY, FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_OPEN_EXEC | FAN_OPEN_EXEC_PERM, AT_FDCWD, "/tmp");
    syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD, FAN_ATTRIB | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_CREATE | FAN_DELETE | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_FS_ERROR | FAN_RENAME, AT_FDCWD, "/tmp");
    syscall(SYS_fanotify_mark, fd, 0xffffffff, 0xffffffffffffffffULL, -100, "/nonexistent");
    syscall(SYS_fanotify_mark, fd, 0x80000000, 0x1000000000ULL, 5, (void *)1);
    syscall(SYS_fanotify_mark, -1, 0, 0, 0, NULL);
    syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD | FAN_MARK_EVICTABLE | FAN_MARK_IGNORE, FAN_OPEN, AT_FDCWD, "/tmp");
    syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD, 0x80000000ULL, AT_FDCWD, "");
    return 0;
}
