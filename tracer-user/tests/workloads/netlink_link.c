/* NETLINK_ROUTE link messages as strace prints them: struct ifinfomsg and its IFLA_*
 * attributes (names, numbers, hardware addresses, statistics of every length strace tells
 * apart, the device map, filter flags, events, unknown and nested types, short values), and
 * nlmsg_pid values strace prints signed. Every message is sent without NLM_F_REQUEST, which
 * the kernel ignores, except a link dump request whose reply is never read: nothing on the
 * host changes. */
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct link_msg {
    struct nlmsghdr h;
    struct ifinfomsg i;
    char attrs[2048];
};

/* Appends attribute `type` with `len` bytes of `data` at `p`; its aligned length. */
static int put(char *p, int type, const void *data, int len) {
    struct nlattr *a = (struct nlattr *)p;
    a->nla_len = NLA_HDRLEN + len;
    a->nla_type = type;
    memcpy(p + NLA_HDRLEN, data, len);
    return NLA_ALIGN(a->nla_len);
}

int main(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = 0x4a11};
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        return 1;
    static struct link_msg m;
    char *p = m.attrs;
    unsigned u32 = 1500, one = 1, ext = RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS;
    unsigned bad_ext = 0x10000, ev = IFLA_EVENT_REBOOT, bad_ev = 99;
    unsigned char u8 = 2, mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    int s32 = -1;
    struct rtnl_link_stats64 st64;
    struct rtnl_link_stats st;
    struct rtnl_link_ifmap map = {.mem_start = 0x1000, .irq = 5, .dma = 1, .port = 2};
    memset(&st64, 0, sizeof st64);
    st64.rx_packets = 5;
    st64.tx_bytes = 1ULL << 40;
    memset(&st, 0, sizeof st);
    st.tx_bytes = 77;
    st.rx_nohandler = 3;

    /* A dump request, as getifaddrs and `ip link` send it. */
    m.h.nlmsg_len = NLMSG_LENGTH(sizeof m.i);
    m.h.nlmsg_type = RTM_GETLINK;
    m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    m.h.nlmsg_seq = 1;
    sendto(fd, &m, m.h.nlmsg_len, 0, NULL, 0);
    p += put(p, IFLA_EXT_MASK, &ext, 4);
    m.h.nlmsg_len = p - (char *)&m;
    m.h.nlmsg_flags = 0;
    sendto(fd, &m, m.h.nlmsg_len, 0, NULL, 0);

    /* A link as the kernel describes it. */
    p = m.attrs;
    m.h.nlmsg_type = RTM_NEWLINK;
    m.h.nlmsg_flags = NLM_F_MULTI;
    m.h.nlmsg_seq = 7;
    m.h.nlmsg_pid = 0xffffffff;
    m.i.ifi_type = ARPHRD_ETHER;
    m.i.ifi_index = 1;
    m.i.ifi_flags = 1;
    p += put(p, IFLA_IFNAME, "eth9", 5);
    p += put(p, IFLA_TXQLEN, &u32, 4);
    p += put(p, IFLA_OPERSTATE, &u8, 1);
    p += put(p, IFLA_LINKMODE, &u8, 1);
    p += put(p, IFLA_MTU, &u32, 4);
    p += put(p, IFLA_GROUP, &one, 4);
    p += put(p, IFLA_CARRIER, &u8, 1);
    p += put(p, IFLA_QDISC, "noqueue", 8);
    p += put(p, IFLA_ADDRESS, mac, 6);
    p += put(p, IFLA_BROADCAST, mac, 4);
    p += put(p, IFLA_PERM_ADDRESS, mac, 6);
    p += put(p, IFLA_LINK_NETNSID, &s32, 4);
    p += put(p, IFLA_NEW_IFINDEX, &one, 4);
    p += put(p, IFLA_NEW_IFINDEX, &u32, 4);
    p += put(p, IFLA_NET_NS_FD, &u32, 4);
    p += put(p, IFLA_STATS64, &st64, sizeof st64);
    p += put(p, IFLA_STATS, &st, sizeof st);
    p += put(p, IFLA_MAP, &map, sizeof map);
    p += put(p, IFLA_EXT_MASK, &ext, 4);
    p += put(p, IFLA_EXT_MASK, &bad_ext, 4);
    p += put(p, IFLA_EVENT, &ev, 4);
    p += put(p, IFLA_EVENT, &bad_ev, 4);
    m.h.nlmsg_len = p - (char *)&m;
    sendto(fd, &m, m.h.nlmsg_len, 0, NULL, 0);
    /* The same attributes in the other link messages, and in an AF_BRIDGE one. */
    m.h.nlmsg_flags = 0;
    m.h.nlmsg_pid = 0;
    m.h.nlmsg_type = RTM_DELLINK;
    sendto(fd, &m, m.h.nlmsg_len, 0, NULL, 0);
    m.h.nlmsg_type = RTM_GETLINK;
    m.i.ifi_family = AF_BRIDGE;
    sendto(fd, &m, m.h.nlmsg_len, 0, NULL, 0);

    /* Odd values: short, long, unterminated, unknown and nested types. */
    p = m.attrs;
    m.h.nlmsg_pid = 0x80000000;
    m.h.nlmsg_type = RTM_SETLINK;
    m.h.nlmsg_flags = 0;
    m.i.ifi_family = AF_INET6;
    p += put(p, IFLA_MTU, &u8, 1);
    p += put(p, IFLA_IFNAME, "unterminated", 12);
    p += put(p, IFLA_STATS64, &st64, 184);
    p += put(p, IFLA_STATS64, &st64, 192);
    p += put(p, IFLA_STATS64, &st64, 100);
    p += put(p, IFLA_STATS, &st, 92);
    p += put(p, IFLA_STATS, &st, 94);
    p += put(p, IFLA_MAP, &map, 20);
    p += put(p, 0x50, &u32, 4);
    p += put(p, NLA_F_NESTED | IFLA_XDP, &u32, 4);
    {
        /* IFLA_XDP as the kernel nests it, and its values. */
        char xdp[64];
        int n = 0;
        unsigned char attached = XDP_ATTACHED_NONE, bad_mode = 9;
        unsigned xflags = XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE, id = 42;
        n += put(xdp + n, IFLA_XDP_ATTACHED, &attached, 1);
        n += put(xdp + n, IFLA_XDP_ATTACHED, &bad_mode, 1);
        n += put(xdp + n, IFLA_XDP_FLAGS, &xflags, 4);
        n += put(xdp + n, IFLA_XDP_PROG_ID, &id, 4);
        n += put(xdp + n, IFLA_XDP_FD, &s32, 4);
        n += put(xdp + n, 0x77, &id, 4);
        p += put(p, IFLA_XDP, xdp, n);
    }
    p += put(p, IFLA_CARRIER, &u32, 4);
    p += put(p, IFLA_ADDRESS, mac, 0);
    m.h.nlmsg_len = p - (char *)&m;
    sendto(fd, &m, m.h.nlmsg_len, 0, NULL, 0);
    m.h.nlmsg_pid = 12345;
    m.h.nlmsg_type = RTM_DELLINK;
    sendto(fd, &m, m.h.nlmsg_len, 0, NULL, 0);
    /* A struct cut short: no attributes follow. */
    sendto(fd, &m, NLMSG_LENGTH(8), 0, NULL, 0);
    close(fd);
    return 0;
}
