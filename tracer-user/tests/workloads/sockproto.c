#include <sys/socket.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <unistd.h>
/* socket()'s protocol as strace's net.c names it per family (tests/root_decoders_sockets.rs): inet,
 * netlink, packet (`htons(ETH_P_ALL)`), AX.25 (in a comment), IrDA (strace's CAN table),
 * CAN, Bluetooth, RxRPC (a family), ISDN, phonet, NFC, KCM, SMC, unknown ones and a family
 * without a table; socketpair's protocol as a number; `-yy` names of packet and raw sockets
 * (`socket:[N]`, `RAW:[N]`). Most families fail (not built in): the line is the same. */
#define S(...) syscall(__VA_ARGS__)
int main(void){
  static const long calls[][3] = {
    {AF_INET, SOCK_RAW, 200}, {AF_INET6, SOCK_DGRAM, IPPROTO_UDP}, {AF_NETLINK, SOCK_RAW, 99},
    {AF_PACKET, SOCK_DGRAM, 0x1234}, {AF_AX25, SOCK_SEQPACKET, 0xcc}, {AF_AX25, SOCK_SEQPACKET, 2},
    {AF_IRDA, SOCK_DGRAM, 0}, {AF_CAN, SOCK_RAW, 1}, {AF_CAN, SOCK_DGRAM, 77},
    {AF_BLUETOOTH, SOCK_STREAM, 3}, {AF_BLUETOOTH, SOCK_STREAM, 99}, {AF_RXRPC, SOCK_DGRAM, AF_INET},
    {AF_ISDN, SOCK_RAW, 0x21}, {AF_PHONET, SOCK_DGRAM, 1}, {AF_NFC, SOCK_SEQPACKET, 1},
    {AF_KCM, SOCK_DGRAM, 0}, {AF_SMC, SOCK_STREAM, 1}, {AF_SMC, SOCK_STREAM, 5},
    {AF_X25, SOCK_SEQPACKET, 7}, {0xffff, 0xffffffff, 0xffffffff},
  };
  for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    long fd = S(SYS_socket, calls[i][0], calls[i][1], calls[i][2]);
    if (fd >= 0) close(fd);
  }
  int p = S(SYS_socket, AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
  int r = S(SYS_socket, AF_INET, SOCK_RAW, IPPROTO_ICMP);
  int r6 = S(SYS_socket, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
  S(SYS_getsockopt, p, SOL_SOCKET, SO_TYPE, 0, 0);
  S(SYS_getsockopt, r, SOL_SOCKET, SO_TYPE, 0, 0);
  S(SYS_getsockopt, r6, SOL_SOCKET, SO_TYPE, 0, 0);
  close(p); close(r); close(r6);
  int sv[2];
  S(SYS_socketpair, AF_INET, SOCK_STREAM, 0, (void *)0xdeadbeef000);
  S(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sv);
  S(SYS_socketpair, AF_NETLINK, SOCK_RAW, 9, (void *)0);
  return 0;
}
