/* Decoders checked against strace 6.1 with odd arguments (tests/root_decoders_t14.rs), in
 * the style of strace's own tests: timespec/timeval fields out of range (tv_nsec and tv_usec
 * zero-extended: 18446744073709551615) in every call that takes one, FUTEX_WAKE_OP's
 * operation (known, unknown, OPARG_SHIFT) in the three -X styles, memfd_create's unknown
 * bits (-X verbose doubles the comment) and memfd_secret's (no comment), mknod's and ustat's
 * device in hex with -X raw, quotactl_fd's arguments by command, SIOCGIFHWADDR's sa_data
 * (a string with -X raw), pidfd_getfd's target fd (bare unless the first fd is a pidfd). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <net/if.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/quota.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec bad = {-1, -1};
    struct timeval tv = {-1, -1};
    syscall(SYS_nanosleep, &bad, NULL);
    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL);
    syscall(SYS_clock_settime, CLOCK_MONOTONIC, &bad);
    struct itimerspec its = {{-1, -1}, {-1, -1}};
    syscall(SYS_timerfd_settime, -1, 0, &its, NULL);
    struct itimerval itv = {{-1, -1}, {-1, -1}};
    syscall(SYS_setitimer, 77, &itv, NULL);
    syscall(SYS_settimeofday, &tv, NULL);
    syscall(SYS_select, 0, NULL, NULL, NULL, &tv);
    syscall(SYS_ppoll, NULL, 0, &bad, NULL, 8);
    int word = 0;
    syscall(SYS_futex, &word, FUTEX_WAIT, 1, &bad, NULL, 0);
    sigset_t set;
    sigemptyset(&set);
    syscall(SYS_rt_sigtimedwait, &set, NULL, &bad, 8);
    struct timespec times[2] = {{-1, -1}, {1, 5}};
    syscall(SYS_utimensat, -1, "/nonexistent", times, 0);
    struct timeval tvs[2] = {{-1, -1}, {-1, -1}};
    syscall(SYS_utimes, "/nonexistent", tvs);
    syscall(SYS_pselect6, 0, NULL, NULL, NULL, &bad, NULL);
    syscall(SYS_semtimedop, -1, NULL, 0, &bad);
    syscall(SYS_mq_timedsend, -1, "", 0, 0, &bad);
    syscall(SYS_recvmmsg, -1, NULL, 0, 0, &bad);

    unsigned ops[] = {0, 1u << 28 | 4 << 24, 0x8u << 28 | 1 << 24 | 0x123 << 12 | 0x456,
                      0x7u << 28 | 0xf << 24, 0xfu << 28 | 5 << 24 | 0xfff};
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        syscall(SYS_futex, &word, FUTEX_WAKE_OP, 1, 1, &word, ops[i]);

    unsigned memfd[] = {1, 0x18, 0x19, 4 | 21u << 26, 0x18 | 21u << 26, 21u << 26};
    for (unsigned i = 0; i < sizeof memfd / sizeof memfd[0]; i++) {
        int fd = syscall(SYS_memfd_create, "t14", memfd[i]);
        if (fd >= 0)
            close(fd);
    }
    syscall(SYS_memfd_secret, 0xff);
    syscall(SYS_memfd_secret, 0x80001);

    char buf[64];
    syscall(SYS_ustat, makedev(1, 3), buf);
    syscall(SYS_mknodat, AT_FDCWD, "/tmp/t14-nx-dev", S_IFCHR | 0600, makedev(1, 3));
    unlink("/tmp/t14-nx-dev");
    syscall(SYS_mknod, "/tmp/t14-nx-dev", S_IFBLK | 0600, makedev(300, 70000));
    unlink("/tmp/t14-nx-dev");

    syscall(SYS_quotactl_fd, -1, QCMD(Q_GETINFO, USRQUOTA), 0, buf);
    syscall(SYS_quotactl_fd, -1, QCMD(Q_GETQUOTA, GRPQUOTA), 1000, buf);
    syscall(SYS_quotactl_fd, -1, QCMD(Q_SYNC, USRQUOTA), 0, NULL);
    syscall(SYS_quotactl_fd, -1, QCMD(0x77, 5), 7, NULL);

    int so = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    syscall(SYS_ioctl, so, SIOCGIFHWADDR, &ifr);

    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    int full = open("/dev/full", O_RDONLY);
    syscall(SYS_pidfd_getfd, full, full, 0xbad);
    syscall(SYS_pidfd_getfd, -1, full, 0);
    int got = syscall(SYS_pidfd_getfd, pidfd, full, 0);
    if (got >= 0)
        close(got);
    return 0;
}
