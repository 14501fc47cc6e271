/* Numbers as strace prints them: int arguments given 0xffffffff print -1, unsigned ones
 * (lengths strace prints unsigned, flags without a table, modes as unsigned shorts) as strace
 * types them, NULL only for a null pointer. Calls through syscall(2) with exact registers. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    long m1 = 0xffffffffL, big = 0x7fffffffffffffffL;
    syscall(SYS_close, m1);
    syscall(SYS_close, 0xffffffff00000005L);
    /* Not open here; under -y, not to be described as the fds tracer had when it launched. */
    for (int fd = 5; fd < 16; fd++)
        syscall(SYS_close, fd);
    syscall(SYS_dup, m1);
    syscall(SYS_dup2, m1, m1);
    syscall(SYS_lseek, m1, big, m1);
    syscall(SYS_read, m1, 0, m1);
    syscall(SYS_read, m1, 1, 0);
    syscall(SYS_write, m1, 0x10, big);
    syscall(SYS_pread64, m1, 0, 5, -1L);
    syscall(SYS_fchmod, m1, m1);
    syscall(SYS_chmod, "/nonexistent/numbers", 0x1ffffL);
    syscall(SYS_mkdir, "/nonexistent/numbers", m1);
    syscall(SYS_openat, AT_FDCWD, "/nonexistent/numbers", O_CREAT, m1);
    syscall(SYS_fchown, m1, m1, m1);
    syscall(SYS_umask, m1);
    syscall(SYS_umask, 022);
    syscall(SYS_kill, 0x7fffffff, m1);
    syscall(SYS_kill, 0x7fffffff, 100);
    syscall(SYS_kill, m1, 0);
    syscall(SYS_tkill, m1, 0);
    syscall(SYS_getpgid, m1);
    syscall(SYS_getsid, m1);
    syscall(SYS_fsync, m1);
    syscall(SYS_ftruncate, m1, -1L);
    syscall(SYS_truncate, "/nonexistent/numbers", -1L);
    syscall(SYS_fadvise64, m1, -1L, -1L, m1);
    syscall(SYS_fadvise64, m1, -5L, 5L, 0);
    syscall(SYS_listen, m1, m1);
    syscall(SYS_sched_get_priority_max, m1);
    syscall(SYS_sched_get_priority_min, 5);
    syscall(SYS_sched_get_priority_max, 1);
    syscall(SYS_unshare, 0);
    syscall(SYS_unshare, CLONE_NEWUTS | CLONE_NEWNS);
    syscall(SYS_pidfd_send_signal, m1, m1, 0, m1);
    syscall(SYS_pidfd_getfd, m1, m1, m1);
    syscall(SYS_pidfd_getfd, m1, m1, 0);
    syscall(SYS_epoll_create1, m1);
    syscall(SYS_wait4, m1, 0, m1, 0);
    syscall(SYS_wait4, m1, 0, 1, 0);
    syscall(SYS_getrlimit, m1, 0);
    /* Valid calls of the long tail's rows: a timer's id out, its itimerspecs in and out,
     * a clock id with its timespec, mlock2's flag, sync_file_range's flags. */
    int timer = -1;
    /* Disarmed, then armed for a time far ahead: the old value printed is all zeros. */
    struct itimerspec off = {{0, 0}, {0, 0}}, far = {{0, 0}, {1000000000, 0}}, old;
    struct timespec ts = {1, 2};
    char *page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    syscall(SYS_timer_create, CLOCK_MONOTONIC, 0, &timer);
    syscall(SYS_timer_settime, timer, 0, &off, 0);
    syscall(SYS_timer_settime, timer, TIMER_ABSTIME, &far, &old);
    syscall(SYS_timer_delete, timer);
    syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts);
    syscall(SYS_mlock2, page, 4096, 1 /* MLOCK_ONFAULT */);
    syscall(SYS_munlock, page, 4096);
    int fd = open("/proc/self/exe", O_RDONLY);
    syscall(SYS_sync_file_range, fd, 0L, 4096L, 2 /* SYNC_FILE_RANGE_WRITE */);
    syscall(SYS_tee, m1, m1, 1L, 1 /* SPLICE_F_MOVE */);
    /* mknod's device only for a device; the policy sched_getscheduler returns. */
    syscall(SYS_mknod, "numbers.fifo", S_IFIFO | 0600, 0x103);
    syscall(SYS_mknodat, AT_FDCWD, "numbers.null", S_IFCHR | 0666, makedev(1, 3));
    unlink("numbers.fifo");
    unlink("numbers.null");
    syscall(SYS_sched_getscheduler, 0);
    /* copy_file_range from the files' positions, its length and flags unsigned. */
    int copy = open("numbers.copy", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    syscall(SYS_copy_file_range, fd, 0, copy, 0, 16L, 0);
    unlink("numbers.copy");
    return 0;
}
