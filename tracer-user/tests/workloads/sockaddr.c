/* Socket addresses as strace prints them in connect, bind, sendto, getsockname and accept:
 * AF_INET, AF_INET6 with flowinfo and scope id, AF_UNIX (path, abstract, unnamed, too long),
 * AF_NETLINK, AF_PACKET, AF_UNSPEC and unknown families, short and long lengths, NULL and
 * invalid pointers. Every address is one nothing listens on: the calls fail quickly. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/vm_sockets.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define BAD ((void *)0xbadc0de)

int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_storage ss;

    /* AF_INET: full, short, long. */
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(9)};
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(s, (struct sockaddr *)&in, sizeof in);
    connect(s, (struct sockaddr *)&in, 8);
    connect(s, (struct sockaddr *)&in, 4);
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, &in, sizeof in);
    connect(s, (struct sockaddr *)&ss, 32);
    connect(s, (struct sockaddr *)&in, 0);
    connect(s, (struct sockaddr *)&in, -1);
    connect(s, NULL, 16);
    connect(s, NULL, 0);
    connect(s, BAD, 16);
    sendto(s, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&in, sizeof in);
    sendto(s, "x", 1, 0, NULL, 0);
    sendto(s, "x", 1, 0, (struct sockaddr *)&in, 2);
    sendto(s, "x", 1, 0, (struct sockaddr *)&in, -1);
    sendto(s, "x", 1, 0, (struct sockaddr *)&in, 0);
    sendto(s, "x", 1, 0, BAD, 16);

    /* AF_INET6 with flowinfo and scope id, and a short one. */
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(9)};
    in6.sin6_flowinfo = htonl(0x12345);
    in6.sin6_scope_id = 1;
    inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
    connect(s6, (struct sockaddr *)&in6, sizeof in6);
    in6.sin6_scope_id = 0x7fff;
    connect(s6, (struct sockaddr *)&in6, sizeof in6);
    in6.sin6_scope_id = 0;
    inet_pton(AF_INET6, "::1", &in6.sin6_addr);
    connect(s6, (struct sockaddr *)&in6, sizeof in6);
    connect(s6, (struct sockaddr *)&in6, 24);
    connect(s6, (struct sockaddr *)&in6, 20);
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
    connect(s6, (struct sockaddr *)&in6, sizeof in6);
    close(s6);

    /* AF_UNIX: a path, abstract, unnamed, too long, without a terminating NUL. */
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    strcpy(un.sun_path, "/nonexistent/sockaddr.sock");
    connect(u, (struct sockaddr *)&un, sizeof un);
    connect(u, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 5);
    memset(un.sun_path, 0, sizeof un.sun_path);
    memcpy(un.sun_path, "\0abstract-name", 14);
    connect(u, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 14);
    connect(u, (struct sockaddr *)&un, sizeof(sa_family_t));
    memset(un.sun_path, 'x', sizeof un.sun_path);
    connect(u, (struct sockaddr *)&un, sizeof un);
    memset(&ss, 'y', sizeof ss);
    ss.ss_family = AF_UNIX;
    connect(u, (struct sockaddr *)&ss, sizeof un + 4);
    close(u);

    /* AF_NETLINK, AF_PACKET, AF_UNSPEC, an unknown family. */
    struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = 1234, .nl_groups = 0x5};
    connect(s, (struct sockaddr *)&nl, sizeof nl);
    connect(s, (struct sockaddr *)&nl, 8);
    struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
                             .sll_ifindex = 1, .sll_hatype = 1, .sll_pkttype = PACKET_HOST,
                             .sll_halen = 6, .sll_addr = {1, 2, 3, 4, 5, 6}};
    connect(s, (struct sockaddr *)&ll, sizeof ll);
    ll.sll_ifindex = 0x7fff;
    ll.sll_pkttype = 9;
    ll.sll_halen = 0;
    connect(s, (struct sockaddr *)&ll, sizeof ll);
    struct sockaddr_vm vm = {.svm_family = AF_VSOCK, .svm_port = 1234, .svm_cid = 2};
    connect(s, (struct sockaddr *)&vm, sizeof vm);
    vm.svm_cid = VMADDR_CID_ANY;
    vm.svm_port = VMADDR_PORT_ANY;
    vm.svm_flags = VMADDR_FLAG_TO_HOST | 0x80;
    vm.svm_zero[1] = 7;
    connect(s, (struct sockaddr *)&vm, sizeof vm);
    connect(s, (struct sockaddr *)&vm, 12);
    struct sockaddr sa = {.sa_family = AF_UNSPEC};
    connect(s, &sa, sizeof sa);
    memset(&ss, 0, sizeof ss);
    ss.ss_family = 0x4242;
    memcpy((char *)&ss + 2, "data", 4);
    connect(s, (struct sockaddr *)&ss, 16);
    bind(s, (struct sockaddr *)&ss, 16);

    /* getsockname / getpeername / accept: lengths the kernel rewrites. An unbound socket
     * (0.0.0.0, port 0) and an abstract unix listener: nothing that changes run to run. */
    int t = socket(AF_INET, SOCK_STREAM, 0);
    socklen_t len = sizeof ss;
    getsockname(t, (struct sockaddr *)&ss, &len);
    len = 4;
    getsockname(t, (struct sockaddr *)&ss, &len);
    len = 0;
    getsockname(t, (struct sockaddr *)&ss, &len);
    getsockname(t, (struct sockaddr *)&ss, NULL);
    getsockname(t, NULL, &len);
    getsockname(t, (struct sockaddr *)&ss, BAD);
    len = sizeof ss;
    getpeername(t, (struct sockaddr *)&ss, &len);
    close(t);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un an = {.sun_family = AF_UNIX};
    memcpy(an.sun_path, "\0tracer-sockaddr-test", 21);
    socklen_t an_len = offsetof(struct sockaddr_un, sun_path) + 21;
    bind(l, (struct sockaddr *)&an, an_len);
    listen(l, 1);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&an, an_len);
    len = sizeof ss;
    int a = accept4(l, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK);
    len = sizeof ss;
    getsockname(a, (struct sockaddr *)&ss, &len);
    len = 5;
    getsockname(a, (struct sockaddr *)&ss, &len);
    len = sizeof ss;
    getpeername(c, (struct sockaddr *)&ss, &len);
    close(a);
    close(c);
    close(l);

    /* recvfrom: an unnamed sender, NULL address or length, nothing to read. */
    int p[2];
    char buf[8];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, p);
    send(p[0], "abc", 3, 0);
    len = sizeof ss;
    recvfrom(p[1], buf, sizeof buf, 0, (struct sockaddr *)&ss, &len);
    send(p[0], "abc", 3, 0);
    recvfrom(p[1], buf, sizeof buf, 0, NULL, &len);
    len = sizeof ss;
    recvfrom(p[1], buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
    recvfrom(p[1], buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
    close(p[0]);
    close(p[1]);
    close(s);
    return 0;
}
