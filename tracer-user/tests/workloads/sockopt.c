/* Socket options as strace prints them: setsockopt/getsockopt by level and name, with their
 * values (ints, SO_LINGER, timevals, strings), invalid lengths, NULL and invalid pointers, an
 * fd that is not a socket and unknown levels and names. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define BAD ((void *)0xbadc0de)

int main(void) {
    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    int udp6 = socket(AF_INET6, SOCK_DGRAM, 0);
    int one = 1, v = 212992, big = -1;
    socklen_t len;
    char buf[64];

    /* SOL_SOCKET ints, set and read back. */
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(tcp, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
    setsockopt(tcp, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    setsockopt(tcp, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    len = sizeof v;
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, &v, &len);
    len = sizeof v;
    getsockopt(tcp, SOL_SOCKET, SO_TYPE, &v, &len);
    len = sizeof v;
    getsockopt(tcp, SOL_SOCKET, SO_ERROR, &v, &len);
    len = sizeof v;
    getsockopt(tcp, SOL_SOCKET, SO_DOMAIN, &v, &len);
    len = sizeof v;
    getsockopt(tcp, SOL_SOCKET, SO_PROTOCOL, &v, &len);
    len = sizeof v;
    getsockopt(tcp, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);

    /* SO_LINGER: the struct, a short length, a long one. */
    struct linger lg = {.l_onoff = 1, .l_linger = 5};
    setsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    setsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, 4);
    len = sizeof lg;
    getsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, &len);
    len = 4;
    getsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, &len);

    /* Timeouts: struct timeval. */
    struct timeval tv = {.tv_sec = 3, .tv_usec = 500};
    setsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(tcp, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    len = sizeof tv;
    getsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &tv, &len);

    /* TCP_*. */
    setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    v = 60;
    setsockopt(tcp, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v);
    setsockopt(tcp, IPPROTO_TCP, TCP_KEEPINTVL, &v, sizeof v);
    v = 5;
    setsockopt(tcp, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof v);
    len = sizeof v;
    getsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &v, &len);
    len = sizeof v;
    getsockopt(tcp, IPPROTO_TCP, TCP_MAXSEG, &v, &len);
    setsockopt(tcp, IPPROTO_TCP, TCP_CONGESTION, "reno", 4);
    len = sizeof buf;
    memset(buf, 0, sizeof buf);
    getsockopt(tcp, IPPROTO_TCP, TCP_CONGESTION, buf, &len);

    /* IP_*. */
    v = IPTOS_LOWDELAY;
    setsockopt(tcp, IPPROTO_IP, IP_TOS, &v, sizeof v);
    v = 64;
    setsockopt(tcp, IPPROTO_IP, IP_TTL, &v, sizeof v);
    len = sizeof v;
    getsockopt(tcp, IPPROTO_IP, IP_TTL, &v, &len);
    setsockopt(tcp, IPPROTO_IP, IP_RECVERR, &one, sizeof one);

    /* IPV6_*. */
    setsockopt(udp6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    v = 10;
    setsockopt(udp6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof v);
    len = sizeof v;
    getsockopt(udp6, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len);
    setsockopt(udp6, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);

    /* Invalid lengths, NULL and invalid pointers. */
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, 2);
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, 0);
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, 8);
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, NULL, 4);
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, BAD, 4);
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, -1);
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, &v, NULL);
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, NULL, NULL);
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, &v, BAD);
    len = sizeof v;
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, NULL, &len);
    len = 0;
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, &v, &len);
    len = 2;
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, &v, &len);
    len = -1;
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, &v, &len);

    /* Not a socket, no such fd, unknown level and name. */
    setsockopt(0x7fffffff, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(-1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(tcp, 0xdead, 7, &one, sizeof one);
    setsockopt(tcp, SOL_SOCKET, 0xbeef, &one, sizeof one);
    setsockopt(tcp, IPPROTO_TCP, 0xbeef, &one, sizeof one);
    len = sizeof v;
    getsockopt(tcp, 0xdead, 7, &v, &len);

    /* Lengths other than the value's: longer, shorter, partial structs. */
    long long q[4] = {1, 2, 3, 4};
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, q, 16);
    setsockopt(tcp, SOL_SOCKET, SO_RCVBUF, q, 5);
    setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, q, 8);
    setsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, q, 4);
    setsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, q, 3);
    setsockopt(tcp, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
    setsockopt(tcp, SOL_SOCKET, SO_LINGER, q, 16);
    setsockopt(tcp, 0xdead, 1, q, 2);
    setsockopt(tcp, 0xdead, 1, q, -1);
    setsockopt(tcp, 0xdead, 1, "a string longer than thirty-two bytes", 38);
    len = 16;
    getsockopt(tcp, SOL_SOCKET, SO_RCVBUF, q, &len);
    len = 3;
    getsockopt(tcp, SOL_SOCKET, SO_LINGER, q, &len);
    len = 16;
    getsockopt(tcp, SOL_SOCKET, SO_PEERCRED, q, &len);
    len = 5;
    getsockopt(tcp, SOL_SOCKET, SO_PEERCRED, q, &len);
    len = 2;
    getsockopt(tcp, SOL_SOCKET, SO_ERROR, q, &len);
    len = 1;
    getsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, q, &len);
    len = 16;
    getsockopt(tcp, SOL_SOCKET, SO_PEERCRED, BAD, &len);

    /* Multicast memberships. */
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    struct ip_mreq mr = {.imr_multiaddr.s_addr = htonl(0xe0000001), .imr_interface.s_addr = 0};
    setsockopt(udp, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr);
    setsockopt(udp, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mr, 4);
    struct ipv6_mreq mr6 = {.ipv6mr_interface = 1};
    mr6.ipv6mr_multiaddr.s6_addr[0] = 0xff;
    mr6.ipv6mr_multiaddr.s6_addr[1] = 0x02;
    mr6.ipv6mr_multiaddr.s6_addr[15] = 1;
    setsockopt(udp6, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr6, sizeof mr6);
    mr6.ipv6mr_interface = 0x7fff;
    setsockopt(udp6, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, &mr6, sizeof mr6);
    setsockopt(udp6, IPPROTO_IPV6, IPV6_JOIN_ANYCAST, &mr6, 8);
    setsockopt(udp, IPPROTO_UDP, 1 /* UDP_CORK */, &one, sizeof one);
    setsockopt(udp, IPPROTO_UDP, 0xbeef, &one, sizeof one);
    close(udp);

    /* Netlink and packet levels (the sockets need not be of that kind). */
    int nl = socket(AF_NETLINK, SOCK_RAW, 0);
    setsockopt(nl, 270 /* SOL_NETLINK */, 3 /* NETLINK_PKTINFO */, &one, sizeof one);
    setsockopt(nl, 270, 11 /* NETLINK_EXT_ACK */, &one, 2);
    setsockopt(nl, 270, 0xbeef, &one, sizeof one);
    len = sizeof v;
    getsockopt(nl, 270, 3, &v, &len);
    setsockopt(tcp, 263 /* SOL_PACKET */, 10 /* PACKET_VERSION */, &one, sizeof one);
    close(nl);

    close(udp6);
    close(tcp);
    return 0;
}
