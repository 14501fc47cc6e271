/* More socket and netlink decoders as strace 6.1 prints them: option names of every level
 * strace names (SOL_IP / SOL_IPV6 in full, SOL_TLS, SOL_ALG, SOL_XDP, SO_TXREHASH, names
 * strace does not know left as numbers), PACKET_STATISTICS and NETLINK_LIST_MEMBERSHIPS
 * values; calls on fd -1 or on sockets of this process, valid, invalid and NULL. */
#define _GNU_SOURCE
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
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

int main(void)
{
    option_names();
    ip_cmsg_types();
    option_values();
    return 0;
}
