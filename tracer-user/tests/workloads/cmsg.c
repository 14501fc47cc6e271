/* Control messages and message vectors as strace prints them: sendmsg/recvmsg with
 * SCM_RIGHTS, SCM_CREDENTIALS, IP_PKTINFO, IP_TTL, unknown and malformed cmsgs, a control
 * buffer too short or unreadable; sendmmsg/recvmmsg with two messages, fewer received than
 * asked for, NULL and invalid vectors. Addresses are fixed (a loopback port of its own, connected sockets). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define BAD ((void *)0xbadc0de)

static void send_control(int s, void *control, size_t len) {
    struct iovec iov = {.iov_base = "msg", .iov_len = 3};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                        .msg_controllen = len};
    sendmsg(s, &mh, MSG_DONTWAIT);
}

static void receive(int s, size_t controllen) {
    char data[16], control[256];
    memset(control, 0, sizeof control);
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                        .msg_controllen = controllen};
    int n = recvmsg(s, &mh, MSG_DONTWAIT);
    /* Close what SCM_RIGHTS brought, so the fd numbers stay the same. */
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); n >= 0 && c; c = CMSG_NXTHDR(&mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            for (int *fd = (int *)CMSG_DATA(c); (char *)fd < (char *)c + c->cmsg_len; fd++)
                close(*fd);
}

int main(void) {
    int sv[2], one = 1;
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    union {
        char buf[256];
        struct cmsghdr align;
    } u;

    /* SCM_RIGHTS with two fds. */
    memset(&u, 0, sizeof u);
    struct cmsghdr *c = (struct cmsghdr *)u.buf;
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int fds[2] = {0, 1};
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    send_control(sv[0], u.buf, CMSG_SPACE(2 * sizeof(int)));
    receive(sv[1], 256);

    /* SCM_CREDENTIALS: as root, those of pid 1 (our own pid would change run to run). */
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    memset(&u, 0, sizeof u);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred cred = {.pid = 1, .uid = 0, .gid = 0};
    memcpy(CMSG_DATA(c), &cred, sizeof cred);
    send_control(sv[0], u.buf, CMSG_SPACE(sizeof cred));
    receive(sv[1], 256);
    /* A control buffer too short for what arrives (our credentials): MSG_CTRUNC. */
    send_control(sv[0], NULL, 0);
    receive(sv[1], 20);

    /* Unknown level and type, a cmsg_len past the buffer, one shorter than a header. */
    memset(&u, 0, sizeof u);
    c->cmsg_level = 0x1234;
    c->cmsg_type = 0x56;
    c->cmsg_len = CMSG_LEN(4);
    memcpy(CMSG_DATA(c), "abcd", 4);
    send_control(sv[0], u.buf, CMSG_SPACE(4));
    c->cmsg_len = 200;
    send_control(sv[0], u.buf, CMSG_SPACE(4));
    c->cmsg_len = 8;
    send_control(sv[0], u.buf, CMSG_SPACE(4));
    send_control(sv[0], u.buf, 8);
    send_control(sv[0], BAD, 32);
    for (int k = 0; k < 4; k++)
        receive(sv[1], 0);

    /* IP_PKTINFO and IP_TTL on a loopback UDP socket connected to itself. */
    int u4 = socket(AF_INET, SOCK_DGRAM, 0);
    setsockopt(u4, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(47219)};
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(u4, (struct sockaddr *)&in, sizeof in);
    connect(u4, (struct sockaddr *)&in, sizeof in);
    setsockopt(u4, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
    setsockopt(u4, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
    send_control(u4, NULL, 0);
    receive(u4, 256);

    /* sendmmsg / recvmmsg: two messages, then NULL and invalid vectors. */
    struct iovec iov[2] = {{.iov_base = "one", .iov_len = 3}, {.iov_base = "two", .iov_len = 3}};
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = &iov[0];
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = &iov[1];
    mm[1].msg_hdr.msg_iovlen = 1;
    sendmmsg(sv[0], mm, 2, 0);
    char b0[8], b1[8];
    struct iovec riov[2] = {{.iov_base = b0, .iov_len = sizeof b0},
                            {.iov_base = b1, .iov_len = sizeof b1}};
    struct mmsghdr rm[2];
    memset(rm, 0, sizeof rm);
    rm[0].msg_hdr.msg_iov = &riov[0];
    rm[0].msg_hdr.msg_iovlen = 1;
    rm[1].msg_hdr.msg_iov = &riov[1];
    rm[1].msg_hdr.msg_iovlen = 1;
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);
    /* Fewer messages waiting than the vector holds: only those received are shown. */
    sendmmsg(sv[0], mm, 1, 0);
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);
    /* An empty vector; a vector whose second message cannot be read (one is sent). */
    sendmmsg(sv[0], mm, 0, 0);
    mm[1].msg_hdr.msg_iov = BAD;
    sendmmsg(sv[0], mm, 2, 0);
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);
    sendmmsg(sv[0], NULL, 2, 0);
    sendmmsg(sv[0], BAD, 1, 0);
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);
    recvmmsg(sv[1], NULL, 1, MSG_DONTWAIT, NULL);

    close(u4);
    close(sv[0]);
    close(sv[1]);
    return 0;
}
