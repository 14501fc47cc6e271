/* Decoders a tester (t11) found missing, as strace 6.1 prints them, with valid, invalid,
 * NULL and unreadable arguments (tests/root_decoders_t11.rs): process_madvise's iovecs,
 * mount_setattr's MOUNT_ATTR_IDMAP/NOSYMFOLLOW, userns_fd (an fd only with IDMAP) and the
 * bytes past the struct, openat2's bytes past its struct, statx of a device (abbreviated:
 * its size), a failed epoll_pwait2/epoll_pwait's timeout and sigmask (addresses),
 * kcmp(KCMP_EPOLL_TFD)'s slot, sendfile's offset after success (`[0] => [0]`), fsconfig's
 * FSCONFIG_SET_PATH value (a path: never cut by -s), madvise advice newer than strace 6.1,
 * quotactl's dqblk in full with -v. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/quota.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)0xdeadbeef000)

int main(void) {
    int full = open("/dev/full", O_WRONLY);
    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    struct iovec iov[2] = {{BAD, 4096}, {0, 0}};
    syscall(SYS_process_madvise, pidfd, iov, 1, MADV_COLD, 0);
    syscall(SYS_process_madvise, pidfd, iov, 2, MADV_PAGEOUT, 1);
    syscall(SYS_process_madvise, pidfd, NULL, 0, 0x99, 0);
    syscall(SYS_process_madvise, pidfd, iov, 0, MADV_COLD, 0);
    syscall(SYS_process_madvise, pidfd, BAD, 2, MADV_COLD, 0);

    char b[80];
    memset(b, 0, sizeof b);
    struct mount_attr *a = (void *)b;
    a->attr_set = 0xffffffffffffffffULL;
    a->attr_clr = MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSYMFOLLOW;
    a->userns_fd = full;
    syscall(SYS_mount_setattr, -1, "", 0, a, 32);
    a->attr_set = MOUNT_ATTR_IDMAP;
    a->attr_clr = MOUNT_ATTR_NOSUID;
    syscall(SYS_mount_setattr, full, "x", 0, a, 32);
    a->attr_set = MOUNT_ATTR_RDONLY;
    syscall(SYS_mount_setattr, full, "", AT_EMPTY_PATH, a, 32);
    a->attr_set = 0x8200000;
    a->attr_clr = 0;
    a->propagation = MS_SHARED;
    syscall(SYS_mount_setattr, -1, "", AT_EMPTY_PATH | AT_RECURSIVE, a, 32);
    a->attr_set = MOUNT_ATTR_IDMAP;
    a->userns_fd = -1;
    syscall(SYS_mount_setattr, -1, "", 0, a, 32);
    a->userns_fd = 0x100000005ULL;
    syscall(SYS_mount_setattr, -1, "", 0, a, 32);
    a->attr_set = 0x8000000;
    a->userns_fd = 0;
    a->propagation = 0;
    b[41] = 7;
    syscall(SYS_mount_setattr, -1, "", 0, a, 48);
    syscall(SYS_mount_setattr, -1, "", 0, a, 40);
    syscall(SYS_mount_setattr, -1, "", 0, a, 80);
    syscall(SYS_mount_setattr, -1, "", 0, a, 16);
    syscall(SYS_mount_setattr, -1, "", 0, BAD, 32);

    char c[80];
    memset(c, 0, sizeof c);
    struct open_how *h = (void *)c;
    h->resolve = RESOLVE_NO_XDEV | RESOLVE_CACHED;
    c[30] = 1;
    c[60] = 0x41;
    syscall(SYS_openat2, AT_FDCWD, "/t11-none", h, 40);
    syscall(SYS_openat2, AT_FDCWD, "/t11-none", h, 80);
    syscall(SYS_openat2, AT_FDCWD, "/t11-none", h, 24);
    c[30] = 0;
    c[60] = 0;
    syscall(SYS_openat2, AT_FDCWD, "/t11-none", h, 64);
    syscall(SYS_openat2, AT_FDCWD, "/t11-none", h, 16);

    struct statx sx;
    syscall(SYS_statx, AT_FDCWD, "/dev/full", AT_STATX_DONT_SYNC, STATX_TYPE | STATX_MODE, &sx);
    syscall(SYS_statx, AT_FDCWD, "/dev/null", 0, STATX_TYPE, &sx);

    int ep = epoll_create1(0);
    struct epoll_event ev[2];
    struct timespec ts = {0, 1};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    syscall(SYS_epoll_pwait2, ep, ev, 2, &ts, &set, 8);
    syscall(SYS_epoll_pwait2, ep, ev, 2, &ts, &set, 4);
    syscall(SYS_epoll_pwait2, full, ev, 2, &ts, &set, 8);
    syscall(SYS_epoll_pwait2, ep, ev, 0, &ts, NULL, 8);
    syscall(SYS_epoll_pwait, ep, ev, 0, 0, &set, 8);
    syscall(SYS_epoll_pwait, ep, ev, 2, 0, &set, 8);

    int pfd[2];
    pipe(pfd);
    struct epoll_event one = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &one);
    struct kcmp_epoll_slot slot = {.efd = ep, .tfd = pfd[0], .toff = 0};
    syscall(SYS_kcmp, 0, 0, KCMP_EPOLL_TFD, full, &slot);
    slot.tfd = full;
    slot.toff = 3;
    syscall(SYS_kcmp, 0, 0, KCMP_EPOLL_TFD, full, &slot);
    syscall(SYS_kcmp, 0, 0, KCMP_EPOLL_TFD, full, BAD);
    syscall(SYS_kcmp, 0, 0, KCMP_EPOLL_TFD, full, NULL);
    syscall(SYS_kcmp, 0, 0, 0xbad, 0xdeadbeef, 0);

    int null = open("/dev/null", O_WRONLY);
    int zero = open("/dev/zero", O_RDONLY);
    off_t off = 0;
    sendfile(null, zero, &off, 10);
    sendfile(null, zero, &off, 0);
    sendfile(-1, zero, &off, 10);
    sendfile(null, zero, BAD, 10);

    int fs = syscall(SYS_fsopen, "tmpfs", 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_PATH, "source", "/tmp/t11-a-long-path", AT_FDCWD);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_PATH_EMPTY, "", "/tmp", full);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0755-and-more", 0);

    madvise(NULL, 0, 0x65);
    madvise(NULL, 0, 0x66);
    madvise(NULL, 0, 0x67);

    struct if_dqblk dq;
    memset(&dq, 0, sizeof dq);
    dq.dqb_btime = 5;
    dq.dqb_itime = 6;
    dq.dqb_curinodes = 7;
    dq.dqb_valid = 0x3f;
    syscall(SYS_quotactl, QCMD(Q_SETQUOTA, USRQUOTA), "/dev/null", 0, &dq);
    dq.dqb_valid = 0x140;
    syscall(SYS_quotactl, QCMD(Q_SETQUOTA, USRQUOTA), "/dev/null", 0, &dq);
    dq.dqb_valid = 0;
    syscall(SYS_quotactl, QCMD(Q_SETQUOTA, USRQUOTA), "/dev/null", 0, &dq);
    return 0;
}
