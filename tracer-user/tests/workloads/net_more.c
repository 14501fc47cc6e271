/* More socket and netlink decoders as strace 6.1 prints them: addresses of the rarer
 * families (AF_AX25, AF_IPX, AF_X25, AF_XDP, AF_ALG, AF_QIPCRTR, AF_MCTP, AF_NFC, AF_RXRPC,
 * AF_IEEE802154) at their lengths and shorter; netlink messages (rtnetlink's neighbours,
 * rules, qdiscs, netns ids, netconf, nested IFLA_LINKINFO and RTA_METRICS; sock_diag replies;
 * XFRM, NETFILTER and SELINUX messages; a short NLMSG_ERROR); option names of every level
 * strace names (SOL_IP / SOL_IPV6 in full, SOL_TLS, SOL_ALG, SOL_XDP, SO_TXREHASH, names
 * strace does not know left as numbers), PACKET_STATISTICS and NETLINK_LIST_MEMBERSHIPS
 * values; calls on fd -1 or on sockets of this process, valid, invalid and NULL. */
#define _GNU_SOURCE
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/selinux_netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BAD ((void *)0xbadc0de)

static void option_names(void)
{
    int v = 1;
    /* Every SOL_IP and SOL_IPV6 number to past the last name (and the netfilter tables'
     * ranges, named apart for the getter and the setter), on fd -1. */
    for (int name = 0; name < 134; name = name == 81 ? 94 : name == 101 ? 126 : name + 1) {
        setsockopt(-1, SOL_IP, name, &v, sizeof v);
        getsockopt(-1, SOL_IP, name, BAD, NULL);
        setsockopt(-1, SOL_IPV6, name, &v, sizeof v);
        getsockopt(-1, SOL_IPV6, name, BAD, NULL);
    }
    int levels[] = {SOL_TLS, SOL_ALG, SOL_XDP};
    for (unsigned k = 0; k < sizeof levels / sizeof *levels; k++)
        for (int name = 0; name < 10; name++)
            setsockopt(-1, levels[k], name, NULL, 0);
    for (int name = 72; name < 82; name++)
        getsockopt(-1, SOL_SOCKET, name, NULL, NULL);

    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    socklen_t l = sizeof v;
    getsockopt(s6, SOL_IPV6, IPV6_UNICAST_IF, &v, &l);
    l = sizeof v;
    getsockopt(s6, SOL_IPV6, IPV6_MULTICAST_ALL, &v, &l);
    setsockopt(s6, SOL_IPV6, IPV6_AUTOFLOWLABEL, &v, sizeof v);
    setsockopt(s6, SOL_IPV6, MCAST_MSFILTER, NULL, 0);
    close(s6);
}

static void option_values(void)
{
    int p = socket(AF_PACKET, SOCK_DGRAM, 0);
    struct tpacket_stats st;
    socklen_t l = sizeof st;
    getsockopt(p, SOL_PACKET, PACKET_STATISTICS, &st, &l);
    unsigned stats3[3];
    l = sizeof stats3;
    getsockopt(p, SOL_PACKET, PACKET_STATISTICS, stats3, &l);
    int version = TPACKET_V3;
    setsockopt(p, SOL_PACKET, PACKET_VERSION, &version, sizeof version);
    l = sizeof stats3;
    getsockopt(p, SOL_PACKET, PACKET_STATISTICS, stats3, &l);
    l = 4;
    getsockopt(p, SOL_PACKET, PACKET_STATISTICS, stats3, &l);
    close(p);

    int n = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_groups = 1};
    bind(n, (struct sockaddr *)&nl, sizeof nl);
    unsigned groups[4];
    l = sizeof groups;
    getsockopt(n, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &l);
    l = 4;
    getsockopt(n, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &l);
    l = 0;
    getsockopt(n, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &l);
    int group = 33;
    setsockopt(n, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group);
    l = sizeof groups;
    getsockopt(n, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &l);
    close(n);
}

/* SOL_IP control messages: strace's own table of their types (not the option names). */
static void ip_cmsg_types(void)
{
    union {
        char buf[CMSG_SPACE(4)];
        struct cmsghdr align;
    } u;
    struct msghdr m = {.msg_control = u.buf, .msg_controllen = sizeof u.buf};
    for (int type = 0; type < 52; type++) {
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_len = CMSG_LEN(4);
        c->cmsg_level = SOL_IP;
        c->cmsg_type = type;
        memset(CMSG_DATA(c), 0, 4);
        sendmsg(-1, &m, 0);
    }
}

/* connect and bind an address of `len` bytes (its struct as bytes: the UAPI headers of
 * these families do not all build together). */
static void both(const void *addr, int len)
{
    connect(-1, addr, len);
    bind(-1, addr, len);
}

static void put16(unsigned char *b, int at, unsigned v)
{
    memcpy(b + at, &(unsigned short){v}, 2);
}

static void put32(unsigned char *b, int at, unsigned v)
{
    memcpy(b + at, &v, 4);
}

static void addresses(void)
{
    unsigned char b[128];

    /* AF_X25: sx25_addr to its NUL; all 16 bytes without one; one byte short. */
    memset(b, 0, sizeof b);
    put16(b, 0, 9);
    strcpy((char *)b + 2, "1234567");
    both(b, 18);
    memset(b + 2, '9', 16);
    both(b, 18);
    both(b, 17);

    /* AF_AX25: a sane call sign alone, odd ones, digipeaters cut by the length. */
    memset(b, 0, sizeof b);
    put16(b, 0, 3);
    memcpy(b + 2, "\x9c\x60\x86\x82\x98\x98\x0a", 7); /* N0CALL-5 */
    both(b, 16);
    memcpy(b + 2, "\x40\x40\x40\x40\x40\x40\x00", 7); /* all spaces: "*" */
    both(b, 16);
    memcpy(b + 2, "ABCDEF\x60", 7);
    put32(b, 12, 2);
    memcpy(b + 16, "\x9c\x60\x86\x82\x98\x98\x02", 7);
    memcpy(b + 23, "XYZ   \x61", 7);
    both(b, 30);
    both(b, 23);
    both(b, 40);
    put32(b, 12, 0);
    both(b, 20);
    both(b, 15);

    /* AF_IPX. */
    memset(b, 0, sizeof b);
    put16(b, 0, 4);
    put16(b, 2, htons(5));
    put32(b, 4, htonl(0xdeadbeef));
    memcpy(b + 8, "\x01\x02\x00\x04\x05\xff", 6);
    b[14] = 4;
    both(b, 16);
    put32(b, 4, 0);
    b[14] = 0;
    both(b, 16);
    both(b, 15);

    /* AF_XDP: the shared fd with XDP_SHARED_UMEM, in hex without it. */
    memset(b, 0, sizeof b);
    put16(b, 0, 44);
    put16(b, 2, 1 | 4);
    put32(b, 4, 1);
    put32(b, 8, 2);
    put32(b, 12, 3);
    both(b, 16);
    put16(b, 2, 2 | 8 | 0x40);
    both(b, 16);
    put16(b, 2, 0);
    put32(b, 12, 0);
    both(b, 16);
    both(b, 15);

    /* AF_ALG: the names to their NUL, the flags with their names in a comment. */
    memset(b, 0, sizeof b);
    put16(b, 0, 38);
    strcpy((char *)b + 2, "hash");
    put32(b, 16, 1);
    put32(b, 20, 2);
    strcpy((char *)b + 24, "sha256");
    both(b, 88);
    put32(b, 16, 0x1000);
    put32(b, 20, 0x1001);
    both(b, 30);
    put32(b, 16, 0);
    memset(b + 2, 'x', 14);
    memset(b + 24, 'y', 8);
    both(b, 32);
    both(b, 25);
    both(b, 24);

    /* AF_QIPCRTR and AF_MCTP: named values, pads. */
    memset(b, 0, sizeof b);
    put16(b, 0, 42);
    put32(b, 4, 1);
    put32(b, 8, 2);
    both(b, 12);
    put32(b, 4, 0xffffffff);
    put32(b, 8, 0xfffffffe);
    both(b, 12);
    both(b, 11);
    memset(b, 0, sizeof b);
    put16(b, 0, 45);
    put32(b, 4, 1);
    b[8] = 8;
    b[9] = 1;
    b[10] = 8;
    both(b, 12);
    put16(b, 2, 7);
    put32(b, 4, 0);
    b[8] = 0xff;
    b[11] = 9;
    both(b, 12);

    /* AF_NFC: `...` past sockaddr_nfc. */
    memset(b, 0, sizeof b);
    put16(b, 0, 39);
    put32(b, 4, 1);
    put32(b, 8, 2);
    put32(b, 12, 3);
    both(b, 16);
    put32(b, 12, 0);
    both(b, 20);
    put32(b, 12, 99);
    both(b, 16);
    both(b, 15);

    /* AF_RXRPC: inet and inet6 transports, a short one, another family's bytes. */
    memset(b, 0, sizeof b);
    put16(b, 0, 33);
    put16(b, 2, 1);
    put16(b, 4, SOCK_DGRAM);
    put16(b, 6, 16);
    both(b, 36);
    put16(b, 8, AF_INET);
    put16(b, 10, htons(7001));
    put32(b, 12, htonl(0x7f000001));
    both(b, 36);
    put16(b, 6, 8);
    put16(b, 2, 2501);
    both(b, 36);
    put16(b, 2, 52);
    put16(b, 6, 28);
    put16(b, 8, AF_INET6);
    put32(b, 12, 0);
    b[31] = 1;
    put32(b, 32, 0);
    both(b, 36);
    put16(b, 8, 99);
    put16(b, 4, 99);
    both(b, 36);
    both(b, 35);

    /* AF_IEEE802154: short, long and no address, unknown type. */
    memset(b, 0, sizeof b);
    put16(b, 0, 36);
    put32(b, 4, 2);
    put16(b, 8, 0x1234);
    put16(b, 10, 0x5678);
    both(b, 20);
    put16(b, 8, 0xffff);
    put16(b, 10, 0xfffe);
    both(b, 20);
    put32(b, 4, 3);
    memcpy(b + 10, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    both(b, 20);
    put32(b, 4, 0);
    both(b, 20);
    put32(b, 4, 7);
    both(b, 20);
    both(b, 19);
}

/* A netlink message under construction: header, struct, attributes. */
static unsigned char nl[512];
static int nl_off;

static void nl_start(int type, int flags, const void *hdr, int len)
{
    memset(nl, 0, sizeof nl);
    struct nlmsghdr *h = (struct nlmsghdr *)nl;
    h->nlmsg_type = type;
    h->nlmsg_flags = flags;
    h->nlmsg_seq = 9;
    memcpy(nl + NLMSG_HDRLEN, hdr, len);
    nl_off = NLMSG_HDRLEN + NLMSG_ALIGN(len);
}

static void nl_attr(int type, const void *data, int len)
{
    struct rtattr *a = (struct rtattr *)(nl + nl_off);
    a->rta_type = type;
    a->rta_len = RTA_LENGTH(len);
    memcpy(RTA_DATA(a), data, len);
    nl_off += RTA_SPACE(len);
}

static int nl_nest(int type)
{
    int at = nl_off;
    ((struct rtattr *)(nl + at))->rta_type = type | NLA_F_NESTED;
    nl_off += RTA_LENGTH(0);
    return at;
}

static void nl_nest_end(int at)
{
    ((struct rtattr *)(nl + at))->rta_len = nl_off - at;
}

/* Sends the message; a socket's first send is not decoded (strace reads the socket before
 * the send binds it), so each socket is bound first. */
static void nl_send(int s)
{
    ((struct nlmsghdr *)nl)->nlmsg_len = nl_off;
    sendto(s, nl, nl_off, MSG_DONTWAIT, NULL, 0);
}

static int nl_socket(int protocol)
{
    int s = socket(AF_NETLINK, SOCK_RAW, protocol);
    struct sockaddr_nl a = {.nl_family = AF_NETLINK};
    bind(s, (struct sockaddr *)&a, sizeof a);
    return s;
}

/* rtnetlink messages without NLM_F_REQUEST: the kernel ignores them, strace decodes them. */
static void route_messages(void)
{
    int s = nl_socket(NETLINK_ROUTE);
    int v;
    unsigned char mac[6] = {2, 0, 0, 0, 0, 1};
    struct in_addr ia = {htonl(0x0a090806)};

    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = 1};
    nl_start(RTM_NEWLINK, 0, &ifi, sizeof ifi);
    int n = nl_nest(IFLA_LINKINFO);
    nl_attr(IFLA_INFO_KIND, "dummy", 6);
    nl_attr(IFLA_INFO_DATA, "\1\2\3\4", 4);
    nl_nest_end(n);
    nl_send(s);

    struct rtmsg rt = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_type = RTN_UNICAST};
    nl_start(RTM_NEWROUTE, 0, &rt, sizeof rt);
    n = nl_nest(RTA_METRICS);
    v = 1300;
    nl_attr(RTAX_MTU, &v, 4);
    nl_attr(RTAX_CC_ALGO, "cubic", 6);
    nl_nest_end(n);
    nl_send(s);

    struct ndmsg nd = {.ndm_family = AF_INET, .ndm_ifindex = 1,
                       .ndm_state = NUD_PERMANENT | NUD_NOARP, .ndm_flags = NTF_PROXY,
                       .ndm_type = RTN_UNICAST};
    nl_start(RTM_NEWNEIGH, 0, &nd, sizeof nd);
    nl_attr(NDA_DST, &ia, 4);
    nl_attr(NDA_LLADDR, mac, 6);
    struct nda_cacheinfo nc = {1, 2, 3, 4};
    nl_attr(NDA_CACHEINFO, &nc, sizeof nc);
    v = 3;
    nl_attr(NDA_PROBES, &v, 4);
    nl_send(s);
    nd.ndm_state = 0;
    nd.ndm_flags = 0;
    nl_start(RTM_GETNEIGH, NLM_F_DUMP, &nd, sizeof nd);
    nl_send(s);
    nl_start(RTM_DELNEIGH, 0, &nd, 4);
    nl_send(s);

    struct fib_rule_hdr fr = {.family = AF_INET, .table = RT_TABLE_MAIN, .action = FR_ACT_TO_TBL,
                              .flags = FIB_RULE_INVERT};
    nl_start(RTM_NEWRULE, 0, &fr, sizeof fr);
    v = 1000;
    nl_attr(FRA_PRIORITY, &v, 4);
    nl_attr(FRA_IIFNAME, "lo", 3);
    v = 0x10;
    nl_attr(FRA_FWMARK, &v, 4);
    nl_attr(FRA_DST, &ia, 4);
    nl_send(s);

    struct tcmsg tc = {.tcm_family = AF_UNSPEC, .tcm_ifindex = 1, .tcm_handle = 0x10000,
                       .tcm_parent = 0xffffffff};
    nl_start(RTM_NEWQDISC, 0, &tc, sizeof tc);
    nl_attr(TCA_KIND, "fq_codel", 9);
    nl_send(s);
    nl_start(RTM_GETQDISC, 0, &tc, sizeof tc);
    nl_send(s);
    nl_start(RTM_NEWTFILTER, 0, &tc, sizeof tc);
    nl_attr(TCA_KIND, "u32", 4);
    v = 7;
    nl_attr(TCA_CHAIN, &v, 4);
    nl_send(s);

    struct rtgenmsg g = {AF_PACKET};
    nl_start(RTM_GETNSID, 0, &g, sizeof g);
    v = -1;
    nl_attr(NETNSA_NSID, &v, 4);
    v = 1;
    nl_attr(NETNSA_PID, &v, 4);
    nl_send(s);
    struct netconfmsg ncm = {AF_INET};
    nl_start(RTM_GETNETCONF, 0, &ncm, sizeof ncm);
    v = 1;
    nl_attr(NETCONFA_IFINDEX, &v, 4);
    v = -1;
    nl_attr(NETCONFA_IFINDEX, &v, 4);
    nl_attr(NETCONFA_FORWARDING, &v, 4);
    nl_send(s);

    /* NLMSG_ERROR shorter than struct nlmsgerr: in hex. */
    v = -2;
    nl_start(NLMSG_ERROR, NLM_F_REQUEST, &v, 4);
    nl_send(s);
    close(s);
}

/* SOCK_DIAG_BY_FAMILY without NLM_F_REQUEST: each family's reply struct. */
static void diag_replies(void)
{
    int s = nl_socket(NETLINK_SOCK_DIAG);
    struct unix_diag_msg um = {.udiag_family = AF_UNIX, .udiag_type = SOCK_STREAM,
                               .udiag_state = 10, .udiag_ino = 77, .udiag_cookie = {7, 127}};
    nl_start(SOCK_DIAG_BY_FAMILY, 0, &um, sizeof um);
    nl_attr(UNIX_DIAG_NAME, "", 0);
    nl_send(s);
    struct packet_diag_msg pm = {.pdiag_family = AF_PACKET, .pdiag_type = SOCK_RAW,
                                 .pdiag_num = 3, .pdiag_ino = 5, .pdiag_cookie = {63, 0}};
    nl_start(SOCK_DIAG_BY_FAMILY, 0, &pm, sizeof pm);
    nl_send(s);
    struct netlink_diag_msg nm = {.ndiag_family = AF_NETLINK, .ndiag_type = SOCK_RAW,
                                  .ndiag_protocol = NETLINK_ROUTE, .ndiag_state = 1,
                                  .ndiag_portid = 5, .ndiag_ino = 9};
    nl_start(SOCK_DIAG_BY_FAMILY, 0, &nm, sizeof nm);
    nl_send(s);
    nl_start(SOCK_DIAG_BY_FAMILY, 0, &nm, 20);
    nl_send(s);
    unsigned char smc[52] = {43};
    nl_start(SOCK_DIAG_BY_FAMILY, 0, smc, sizeof smc);
    nl_send(s);
    close(s);
}

/* XFRM, NETFILTER and SELINUX message types, their flags and payloads. */
static void family_messages(void)
{
    int x = nl_socket(NETLINK_XFRM);
    nl_start(XFRM_MSG_GETSA, NLM_F_REQUEST, "\x12\x34", 2);
    nl_send(x);
    nl_start(XFRM_MSG_GETPOLICY, NLM_F_REQUEST | NLM_F_DUMP, NULL, 0);
    nl_send(x);
    nl_start(XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_CREATE, NULL, 0);
    nl_send(x);
    nl_start(XFRM_MSG_DELPOLICY, NLM_F_REQUEST | 0x100, NULL, 0);
    nl_send(x);
    nl_start(XFRM_MSG_FLUSHSA, 0, NULL, 0);
    nl_send(x);
    nl_start(0x99, NLM_F_REQUEST, "abcd", 4);
    nl_send(x);
    close(x);

    int n = nl_socket(NETLINK_NETFILTER);
    struct nfgenmsg nf = {.nfgen_family = AF_INET, .version = NFNETLINK_V0};
    nl_start(NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_DUMP, &nf,
             sizeof nf);
    nl_send(n);
    nl_start(NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW, NLM_F_REQUEST | NLM_F_CREATE, &nf,
             sizeof nf);
    nl_send(n);
    nl_start(NFNL_SUBSYS_IPSET << 8 | 1, NLM_F_REQUEST, &nf, sizeof nf);
    nl_send(n);
    nl_start(0x55 << 8 | 3, NLM_F_REQUEST, &nf, sizeof nf);
    nl_send(n);
    nl_start(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, &nf, sizeof nf);
    nl_send(n);
    nf.version = 1;
    nf.res_id = htons(10);
    nl_start(NFNL_SUBSYS_NFTABLES << 8 | 0x77, NLM_F_REQUEST, &nf, sizeof nf);
    nl_send(n);
    close(n);

    int se = nl_socket(NETLINK_SELINUX);
    struct selnl_msg_setenforce sm = {1};
    nl_start(SELNL_MSG_SETENFORCE, NLM_F_REQUEST, &sm, sizeof sm);
    nl_send(se);
    struct selnl_msg_policyload pl = {5};
    nl_start(SELNL_MSG_POLICYLOAD, NLM_F_REQUEST, &pl, sizeof pl);
    nl_send(se);
    nl_start(0x12, NLM_F_REQUEST, &pl, sizeof pl);
    nl_send(se);
    close(se);
}

int main(void)
{
    addresses();
    route_messages();
    diag_replies();
    family_messages();
    option_names();
    ip_cmsg_types();
    option_values();
    return 0;
}
