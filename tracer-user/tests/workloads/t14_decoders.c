/* Decoders checked against strace 6.1 with odd arguments (tests/root_decoders_t14.rs), in
 * the style of strace's own tests: timespec/timeval fields out of range (tv_nsec and tv_usec
 * zero-extended: 18446744073709551615) in every call that takes one, FUTEX_WAKE_OP's
 * operation (known, unknown, OPARG_SHIFT) in the three -X styles, memfd_create's unknown
 * bits (-X verbose doubles the comment) and memfd_secret's (no comment), mknod's and ustat's
 * device in hex with -X raw, quotactl_fd's arguments by command, SIOCGIFHWADDR's sa_data
 * (a string with -X raw), SIOCGIFCONF without a buffer or failed, pidfd_getfd's target fd
 * (bare unless the first fd is a pidfd), siginfo's unknown si_code (hex) and SIGSYS fields of
 * an unknown arch, a failed sendmmsg's empty vector (`[]`), recvmmsg's `= 0 (Timeout)`,
 * sock_diag's netlink and packet requests, ifaddrmsg's IFA_F_SECONDARY. */

#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
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

/* One netlink message: a header and `len` bytes of `payload`, sent without waiting. */
static void send_nl(int fd, int type, int flags, const void *payload, unsigned len) {
    struct {
        struct nlmsghdr h;
        char payload[64];
    } m;
    memset(&m, 0, sizeof m);
    m.h.nlmsg_len = NLMSG_LENGTH(len);
    m.h.nlmsg_type = type;
    m.h.nlmsg_flags = flags;
    m.h.nlmsg_seq = 1;
    memcpy(m.payload, payload, len);
    sendto(fd, &m, m.h.nlmsg_len, MSG_DONTWAIT, NULL, 0);
}

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
    struct ifconf ifc;
    memset(&ifc, 0, sizeof ifc);
    int lens[] = {7, 0, 80};
    for (unsigned i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        ifc.ifc_len = lens[i];
        syscall(SYS_ioctl, -1, SIOCGIFCONF, &ifc);
    }
    ifc.ifc_len = -5;
    syscall(SYS_ioctl, so, SIOCGIFCONF, &ifc);
    syscall(SYS_ioctl, so, SIOCGIFCONF, (void *)8);
    ifc.ifc_len = 7;
    ifc.ifc_buf = buf;
    syscall(SYS_ioctl, -1, SIOCGIFCONF, &ifc);

    siginfo_t si;
    int sigs[] = {SIGUSR1, SIGCHLD, SIGILL, SIGSYS, SIGIO};
    int codes[] = {-100, 100, 0x12345};
    for (unsigned s = 0; s < sizeof sigs / sizeof sigs[0]; s++)
        for (unsigned c = 0; c < sizeof codes / sizeof codes[0]; c++) {
            memset(&si, 0, sizeof si);
            si.si_signo = sigs[s];
            si.si_code = codes[c];
            syscall(SYS_rt_sigqueueinfo, -1, sigs[s], &si);
        }

    struct mmsghdr mm[2];
    struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = iov;
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = iov + 1;
    mm[1].msg_hdr.msg_iovlen = 1;
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    syscall(SYS_sendmmsg, sv[0], mm, 0, 0);
    syscall(SYS_sendmmsg, -1, mm, 0, 0);
    syscall(SYS_sendmmsg, sv[0], (void *)8, 1, 0);
    syscall(SYS_recvmmsg, sv[1], mm, 0, 0, NULL);
    syscall(SYS_recvmmsg, sv[1], mm, 0, 0, &bad);
    syscall(SYS_recvmmsg, -1, mm, 2, 0, NULL);

    /* Requests the kernel refuses or answers without changing anything. */
    /* Bound first: strace learns a netlink socket's protocol once it has an address. */
    struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
    int diag = socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
    bind(diag, (struct sockaddr *)&nl, sizeof nl);
    struct netlink_diag_req nreq = {.sdiag_family = AF_NETLINK,
                                    .sdiag_protocol = NDIAG_PROTO_ALL,
                                    .ndiag_show = NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | 0x40,
                                    .ndiag_cookie = {-1, -1}};
    send_nl(diag, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, &nreq, sizeof nreq);
    nreq.sdiag_protocol = NETLINK_AUDIT;
    nreq.ndiag_ino = 123;
    send_nl(diag, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &nreq, sizeof nreq);
    send_nl(diag, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &nreq, 8);
    struct packet_diag_req preq = {.sdiag_family = AF_PACKET,
                                   .sdiag_protocol = 3,
                                   .pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_FILTER,
                                   .pdiag_cookie = {1, 2}};
    send_nl(diag, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &preq, sizeof preq);
    int route = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    bind(route, (struct sockaddr *)&nl, sizeof nl);
    struct ifaddrmsg ifa = {.ifa_family = AF_INET,
                            .ifa_prefixlen = 24,
                            .ifa_flags = IFA_F_SECONDARY | IFA_F_PERMANENT,
                            .ifa_index = 0x7fffffff};
    /* No NLM_F_REQUEST: the kernel ignores it. */
    send_nl(route, RTM_NEWADDR, 0, &ifa, sizeof ifa);

    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    int full = open("/dev/full", O_RDONLY);
    syscall(SYS_pidfd_getfd, full, full, 0xbad);
    syscall(SYS_pidfd_getfd, -1, full, 0);
    int got = syscall(SYS_pidfd_getfd, pidfd, full, 0);
    if (got >= 0)
        close(got);
    return 0;
}
