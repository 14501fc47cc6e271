/* The tail of the socket, message and ioctl decoders as strace's own tests call them
 * (ioctl_evdev.c, net-packet_mreq.c, sock_filter-v.c, recvmmsg-timeout.c, preadv2-pwritev2.c,
 * nlattr_inet_diag_msg.c): evdev requests on fd -1 (names, sizes, written
 * arguments), socket option structs, recvmmsg's timeout left, failed read-style vectors,
 * sock_diag attributes and states. */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/inet_diag.h>
#include <linux/input.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)0xbadc0de)

/* linux/icmp.h's (it cannot be included beside net/if.h). */
#define ICMP_FILTER 1
struct icmp_filter {
    unsigned int data;
};

static void evdev(void) {
    char buf[64];
    unsigned int pair[2] = {250, 33};
    struct input_absinfo abs = {.value = 1, .minimum = -2, .maximum = 3, .fuzz = 4, .flat = 5,
                                .resolution = 6};
    int clk = CLOCK_MONOTONIC;
    ioctl(-1, EVIOCGVERSION, buf);
    ioctl(-1, EVIOCGID, buf);
    ioctl(-1, EVIOCGREP, buf);
    ioctl(-1, EVIOCGKEYCODE, buf);
    ioctl(-1, EVIOCGEFFECTS, buf);
    ioctl(-1, EVIOCGNAME(64), buf);
    ioctl(-1, EVIOCGPHYS(0), buf);
    ioctl(-1, EVIOCGUNIQ(16), NULL);
    ioctl(-1, EVIOCGPROP(8), buf);
    ioctl(-1, EVIOCGMTSLOTS(12), buf);
    ioctl(-1, EVIOCGKEY(64), buf);
    ioctl(-1, EVIOCGLED(8), buf);
    ioctl(-1, EVIOCGSND(8), buf);
    ioctl(-1, EVIOCGSW(8), buf);
    ioctl(-1, EVIOCGBIT(0, 8), buf);
    ioctl(-1, EVIOCGBIT(EV_KEY, 64), buf);
    ioctl(-1, EVIOCGBIT(EV_ABS, 8), buf);
    ioctl(-1, EVIOCGBIT(EV_FF, 16), buf);
    ioctl(-1, EVIOCGBIT(0x1e, 4), buf);
    ioctl(-1, EVIOCGABS(ABS_X), buf);
    ioctl(-1, EVIOCGABS(ABS_MT_TOOL_Y), buf);
    ioctl(-1, EVIOCGABS(0x3f), buf);
    ioctl(-1, EVIOCSABS(ABS_Y), &abs);
    ioctl(-1, EVIOCSABS(0x3f), NULL);
    ioctl(-1, EVIOCSREP, pair);
    ioctl(-1, EVIOCSREP, NULL);
    ioctl(-1, EVIOCSKEYCODE, pair);
    ioctl(-1, EVIOCSKEYCODE, BAD);
    ioctl(-1, EVIOCGRAB, 1);
    ioctl(-1, EVIOCREVOKE, 0);
    ioctl(-1, EVIOCRMFF, -1);
    ioctl(-1, EVIOCSCLOCKID, &clk);
    ioctl(-1, EVIOCSCLOCKID, NULL);
    ioctl(-1, EVIOCSFF, NULL);
}

static void sockopts(void) {
    int pk = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    int icmp = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    struct packet_mreq mr = {.mr_ifindex = if_nametoindex("lo"), .mr_type = PACKET_MR_PROMISC};
    setsockopt(pk, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr);
    setsockopt(pk, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof mr);
    mr.mr_alen = 6;
    memcpy(mr.mr_address, "\1\2\3\4\5\6", 6);
    mr.mr_type = PACKET_MR_MULTICAST;
    setsockopt(pk, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr);
    setsockopt(pk, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr - 1);
    setsockopt(pk, SOL_PACKET, PACKET_ADD_MEMBERSHIP, NULL, sizeof mr);
    struct tpacket_req tp = {0};
    setsockopt(pk, SOL_PACKET, PACKET_RX_RING, &tp, sizeof tp);
    tp.tp_block_size = 4096;
    tp.tp_block_nr = 1;
    tp.tp_frame_size = 2048;
    tp.tp_frame_nr = 3;
    setsockopt(pk, SOL_PACKET, PACKET_TX_RING, &tp, sizeof tp);
    setsockopt(pk, SOL_PACKET, PACKET_RX_RING, &tp, sizeof tp - 1);

    struct sock_filter insn[] = {BPF_STMT(BPF_RET | BPF_K, 0x2a)};
    struct sock_fprog prog = {.len = 1, .filter = insn};
    setsockopt(udp, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
    setsockopt(udp, SOL_SOCKET, SO_ATTACH_FILTER, NULL, sizeof prog);
    setsockopt(udp, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog - 1);

    struct group_req gr = {.gr_interface = if_nametoindex("lo")};
    struct sockaddr_in *sin = (void *)&gr.gr_group;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = inet_addr("224.0.0.3");
    setsockopt(udp, SOL_IP, MCAST_JOIN_GROUP, &gr, sizeof gr);
    setsockopt(udp, SOL_IP, MCAST_LEAVE_GROUP, &gr, sizeof gr);
    setsockopt(udp, SOL_IP, MCAST_JOIN_GROUP, &gr, 8);

    struct icmp_filter f = {.data = ~(1u << 0)};
    setsockopt(icmp, SOL_RAW, ICMP_FILTER, &f, sizeof f);
    setsockopt(icmp, SOL_RAW, ICMP_FILTER, &f, 2);
    socklen_t len = sizeof f;
    getsockopt(icmp, SOL_RAW, ICMP_FILTER, &f, &len);
    close(pk);
    close(udp);
    close(icmp);
}

static void mmsg(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[1], "abc", 3, 0);
    char a[8], b[8], c[8];
    struct iovec iov[3] = {{a, sizeof a}, {b, sizeof b}, {c, sizeof c}};
    struct mmsghdr mh[3];
    memset(mh, 0, sizeof mh);
    for (int i = 0; i < 3; i++) {
        mh[i].msg_hdr.msg_iov = &iov[i];
        mh[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec ts = {0, 0};
    recvmmsg(sv[0], mh, 3, MSG_DONTWAIT, &ts);
    recvmmsg(sv[0], mh, 3, MSG_DONTWAIT, &ts);
    close(sv[0]);
    close(sv[1]);
}

static void vectors(void) {
    char a[2] = "ab", b[16] = "0123456789abcdef";
    struct iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    preadv2(-1, iov, 2, 0xffffffff, RWF_HIPRI | RWF_DSYNC | 0xe0);
    pwritev2(-1, iov, 2, 0xffffffff, RWF_SYNC);
    int null = open("/dev/null", O_WRONLY);
    pwritev2(null, iov, 2, -1, 0);
    pwritev2(null, BAD, 2, 0, 0);
    close(null);
    int zero = open("/dev/zero", O_RDONLY);
    preadv2(zero, iov, 2, 0, RWF_NOWAIT);
    preadv2(zero, iov, 1, -1, 0);
    close(zero);
    readv(-1, iov, 2);
    preadv(-1, iov, 2, 0);
    struct iovec remote = {BAD, 2};
    process_vm_readv(1, iov, 2, &remote, 1, 0);
    process_vm_readv(-1, iov, 2, &remote, 1, 0);
}

static void send_nl(int s, int type, int flags, const void *payload, int plen) {
    char buf[256];
    struct nlmsghdr *h = (void *)buf;
    memset(buf, 0, sizeof buf);
    h->nlmsg_len = NLMSG_LENGTH(plen);
    h->nlmsg_type = type;
    h->nlmsg_flags = flags;
    h->nlmsg_seq = 1;
    memcpy(NLMSG_DATA(h), payload, plen);
    sendto(s, buf, h->nlmsg_len, MSG_DONTWAIT, NULL, 0);
}

static void diag(void) {
    int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    bind(s, (void *)&sa, sizeof sa);
    struct unix_diag_req u = {.sdiag_family = AF_UNIX, .udiag_states = -1};
    send_nl(s, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &u, sizeof u);
    /* An inet_diag_msg (no NLM_F_REQUEST) with an INET_DIAG_SOCKOPT attribute. */
    char m[sizeof(struct inet_diag_msg) + 8];
    memset(m, 0, sizeof m);
    struct inet_diag_msg *d = (void *)m;
    d->idiag_family = AF_INET;
    struct nlattr *nla = (void *)(m + sizeof *d);
    nla->nla_len = 6;
    nla->nla_type = INET_DIAG_SOCKOPT;
    m[sizeof *d + 4] = 0x52;
    send_nl(s, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, m, sizeof m);
    /* The second byte's bits, the unused ones among them; then a short attribute. */
    m[sizeof *d + 4] = 0;
    m[sizeof *d + 5] = 0xff;
    send_nl(s, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, m, sizeof m);
    nla->nla_len = 5;
    send_nl(s, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, m, sizeof m);
    close(s);
    /* The first message on an unbound netlink socket: the send binds it, strace reads the
     * socket as the call begins and leaves the message undecoded; the second is decoded. */
    int r = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    send_nl(r, 0x12, NLM_F_REQUEST | NLM_F_DUMP, "\0\0\0", 4);
    send_nl(r, 0x12, NLM_F_REQUEST | NLM_F_DUMP, "\0\0\0", 4);
    close(r);
}

int main(void) {
    evdev();
    sockopts();
    mmsg();
    vectors();
    diag();
    return 0;
}
