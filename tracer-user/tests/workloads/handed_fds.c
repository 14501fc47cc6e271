/* Fds a call hands over without its row returning one, as strace names them under -y/-yy:
 * the peer of a pseudo-terminal (ioctl TIOCGPTPEER, printed bare, named from then on), a
 * socket's network namespace (SIOCGSKNS), a namespace's owner and parent (NS_GET_USERNS,
 * NS_GET_PARENT: printed as fds), fds received in SCM_RIGHTS by recvmsg and recvmmsg (named
 * in the receiving call's own cmsg_data), pidfd_getfd and fcntl(F_DUPFD). Each with invalid
 * and NULL arguments too. The handed fds stay open to the end (closed in reverse), so their
 * numbers are not reused by a later call. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int handed[32];
static int nhanded;

static void keep(int fd) {
    if (fd >= 0 && nhanded < 32)
        handed[nhanded++] = fd;
}

static void send_fds(int s, const int *fds, int n) {
    char byte = 'x';
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(4 * sizeof(int))];
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                        .msg_controllen = CMSG_SPACE(n * sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, n * sizeof(int));
    sendmsg(s, &mh, 0);
}

/* Keeps what SCM_RIGHTS brought in `mh`. */
static void keep_received(struct msghdr *mh) {
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            for (int *fd = (int *)CMSG_DATA(c); (char *)fd < (char *)c + c->cmsg_len; fd++)
                keep(*fd);
}

static void receive(int s) {
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(4 * sizeof(int))];
    } u;
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                        .msg_controllen = sizeof u.buf};
    if (recvmsg(s, &mh, MSG_DONTWAIT) >= 0)
        keep_received(&mh);
}

static void receive_vector(int s) {
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(4 * sizeof(int))];
    } u;
    struct mmsghdr mm;
    memset(&mm, 0, sizeof mm);
    mm.msg_hdr.msg_iov = &iov;
    mm.msg_hdr.msg_iovlen = 1;
    mm.msg_hdr.msg_control = u.buf;
    mm.msg_hdr.msg_controllen = sizeof u.buf;
    if (recvmmsg(s, &mm, 1, MSG_DONTWAIT, NULL) == 1)
        keep_received(&mm.msg_hdr);
}

int main(void) {
    /* A pty's peer, from valid, invalid and non-terminal fds. */
    int ptmx = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    int unlock = 0;
    ioctl(ptmx, TIOCSPTLCK, &unlock);
    keep(ioctl(ptmx, TIOCGPTPEER, O_RDWR | O_NOCTTY));
    ioctl(-1, TIOCGPTPEER, O_RDWR);
    int null = open("/dev/null", O_RDONLY);
    ioctl(null, TIOCGPTPEER, O_RDWR);

    /* Namespaces: owner, parent (refused at the top), type, owner uid (NULL, wrong type). */
    int net = open("/proc/self/ns/net", O_RDONLY);
    int user = ioctl(net, NS_GET_USERNS);
    keep(user);
    ioctl(net, NS_GET_PARENT);
    ioctl(-1, NS_GET_USERNS);
    ioctl(net, NS_GET_NSTYPE);
    unsigned int uid = 12345;
    ioctl(user, NS_GET_OWNER_UID, &uid);
    ioctl(user, NS_GET_OWNER_UID, NULL);
    ioctl(net, NS_GET_OWNER_UID, &uid);
    int pidns = open("/proc/self/ns/pid", O_RDONLY);
    ioctl(pidns, NS_GET_PARENT);

    /* A socket's network namespace. */
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    keep(ioctl(udp, SIOCGSKNS, NULL));
    ioctl(null, SIOCGSKNS, (void *)0xbadc0de);

    /* Fds in SCM_RIGHTS: a file, a socket, the pty's peer; then by recvmmsg. */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int three[3] = {null, sv[0], ptmx};
    send_fds(sv[0], three, 3);
    receive(sv[1]);
    int one[1] = {net};
    send_fds(sv[0], one, 1);
    receive_vector(sv[1]);
    /* Nothing to receive: no fds. */
    receive(sv[1]);

    /* pidfd_getfd and F_DUPFD. */
    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    keep(syscall(SYS_pidfd_getfd, pidfd, null, 0));
    syscall(SYS_pidfd_getfd, pidfd, -1, 0);
    keep(fcntl(null, F_DUPFD, 20));

    while (nhanded > 0)
        close(handed[--nhanded]);
    return 0;
}
