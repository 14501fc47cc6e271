/* Netlink messages as strace prints them: NETLINK_ROUTE requests (ifinfomsg, ifaddrmsg,
 * rtmsg, an unknown type) with get/new/delete flags, an address dump and its NLMSG_DONE,
 * errors echoing the request; NETLINK_SOCK_DIAG requests (inet_diag_req_v2, the old
 * inet_diag_req, unix_diag_req, a short one); NETLINK_AUDIT and NETLINK_GENERIC types; a
 * uevent string; two messages in one buffer, sendmsg/recvmsg with two iovecs; a buffer
 * shorter than a header, a header whose length is too short or too long, NULL and
 * unreadable buffers. Every socket is bound to a port id of its own (strace names a
 * protocol's types only for bound sockets; fixed ids keep the replies the same run to run).
 * Changes nothing on the host: every request that could is refused (no such interface). */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/genetlink.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define BAD ((void *)0xbadc0de)

static int nl(int proto, unsigned port) {
    int s = socket(AF_NETLINK, SOCK_RAW, proto);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = port};
    bind(s, (void *)&sa, sizeof sa);
    return s;
}

/* One message of `type` and `flags` with `plen` bytes of payload, into `buf`; its length. */
static int msg(char *buf, int type, int flags, const void *payload, int plen) {
    struct nlmsghdr *h = (void *)buf;
    memset(buf, 0, NLMSG_SPACE(plen));
    h->nlmsg_len = NLMSG_LENGTH(plen);
    h->nlmsg_type = type;
    h->nlmsg_flags = flags;
    h->nlmsg_seq = 7;
    memcpy(NLMSG_DATA(h), payload, plen);
    return h->nlmsg_len;
}

static void req(int s, int type, int flags, const void *payload, int plen) {
    char buf[512];
    send(s, buf, msg(buf, type, flags, payload, plen), 0);
}

static void drain(int s) {
    char buf[8192];
    while (recv(s, buf, sizeof buf, MSG_DONTWAIT) > 0) {
    }
}

static void route(void) {
    int s = nl(NETLINK_ROUTE, 0x7001);
    /* A link that does not exist: an error echoing the request. */
    struct ifinfomsg ii = {.ifi_family = AF_UNSPEC, .ifi_index = 9999};
    req(s, RTM_GETLINK, NLM_F_REQUEST, &ii, sizeof ii);
    drain(s);
    req(s, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_NONREC, &ii, sizeof ii);
    drain(s);
    /* The IPv4 addresses: a dump, then NLMSG_DONE. */
    struct ifaddrmsg ia = {.ifa_family = AF_INET};
    req(s, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ia, sizeof ia);
    drain(s);
    /* An address without one: refused. */
    ia.ifa_index = 9999;
    ia.ifa_prefixlen = 8;
    ia.ifa_scope = RT_SCOPE_HOST;
    req(s, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &ia, sizeof ia);
    drain(s);
    struct rtmsg rt = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_dst_len = 33};
    req(s, RTM_GETROUTE, NLM_F_REQUEST, &rt, sizeof rt);
    drain(s);
    /* A payload shorter than its struct; an unknown type with unknown flags. */
    req(s, RTM_GETADDR, NLM_F_REQUEST | NLM_F_ROOT, "\x02", 1);
    drain(s);
    req(s, 0x1234, 0x8000, "abcd", 4);
    req(s, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK | 0x40, "", 0);
    drain(s);

    /* Two messages in one buffer, then two iovecs of sendmsg. */
    char buf[512];
    int n = msg(buf, RTM_GETLINK, NLM_F_REQUEST, &ii, sizeof ii);
    n += msg(buf + n, NLMSG_NOOP, NLM_F_REQUEST, "", 0);
    send(s, buf, n, 0);
    drain(s);
    char second[64];
    int m = msg(second, RTM_GETROUTE, NLM_F_REQUEST, &rt, sizeof rt);
    struct iovec iov[2] = {{buf, n}, {second, m}};
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
    sendmsg(s, &mh, 0);
    char in[8192];
    struct iovec riov = {in, sizeof in};
    struct msghdr rmh = {.msg_iov = &riov, .msg_iovlen = 1};
    recvmsg(s, &rmh, MSG_DONTWAIT);
    drain(s);

    /* Shorter than a header; a length below the header's; one past the buffer. */
    send(s, buf, 10, MSG_DONTWAIT);
    ((struct nlmsghdr *)buf)->nlmsg_len = 8;
    send(s, buf, 32, MSG_DONTWAIT);
    ((struct nlmsghdr *)buf)->nlmsg_len = 400;
    send(s, buf, 32, MSG_DONTWAIT);
    drain(s);
    send(s, NULL, 16, MSG_DONTWAIT);
    send(s, BAD, 16, MSG_DONTWAIT);
    recv(s, NULL, 16, MSG_DONTWAIT);
    close(s);
}

static void sock_diag(void) {
    int s = nl(NETLINK_SOCK_DIAG, 0x7002);
    struct inet_diag_req_v2 r = {.sdiag_family = AF_INET,
                                 .sdiag_protocol = IPPROTO_TCP,
                                 .idiag_states = 1 << 10,
                                 .idiag_ext = 1 << (INET_DIAG_INFO - 1)};
    r.id.idiag_sport = htons(1);
    req(s, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, &r, sizeof r);
    drain(s);
    r.sdiag_family = AF_INET6;
    r.idiag_states = 0xfff;
    r.idiag_ext = 0xff;
    req(s, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, &r, sizeof r);
    drain(s);
    struct unix_diag_req u = {.sdiag_family = AF_UNIX,
                              .udiag_states = 1 << 10,
                              .udiag_ino = 1,
                              .udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER};
    req(s, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &u, sizeof u);
    drain(s);
    req(s, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, "\x0a\x11", 2);
    drain(s);
    req(s, TCPDIAG_GETSOCK, NLM_F_REQUEST, &r, sizeof r);
    drain(s);
    req(s, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, "\x2a\x01\x02", 3);
    drain(s);
    close(s);
}

int main(void) {
    route();
    sock_diag();
    int s = nl(NETLINK_AUDIT, 0x7003);
    req(s, AUDIT_GET, NLM_F_REQUEST, "", 0);
    req(s, 999, NLM_F_REQUEST, "x", 1);
    close(s);
    s = nl(NETLINK_GENERIC, 0x7004);
    struct genlmsghdr g = {.cmd = CTRL_CMD_GETFAMILY, .version = 1};
    req(s, GENL_ID_CTRL, NLM_F_REQUEST, &g, sizeof g);
    drain(s);
    req(s, 0x7fff, NLM_F_REQUEST, &g, sizeof g);
    drain(s);
    close(s);
    s = nl(NETLINK_KOBJECT_UEVENT, 0x7005);
    send(s, "add@/x\0ACTION=add", 17, MSG_DONTWAIT);
    close(s);
    return 0;
}
