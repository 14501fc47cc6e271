/* Fidelity workload c-broad-sock (issue 19's broad corpus, cargo xtask fidelity): socket,
 * bind, connect (inet, inet6, unix, netlink, packet, vsock), sendto, recvfrom, with valid,
 * invalid and NULL arguments. */
#include "common.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/if_packet.h>
#include <linux/vm_sockets.h>
#include <net/if.h>
int main(){
 int u=socket(AF_INET,SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK,0);
 struct sockaddr_in a={.sin_family=AF_INET,.sin_port=htons(4242)}; inet_pton(AF_INET,"127.0.0.1",&a.sin_addr);
 bind(u,(void*)&a,sizeof a); S(SYS_bind,u,&a,3); S(SYS_bind,u,NULL,0); S(SYS_bind,u,BAD,16); S(SYS_bind,-1,&a,0xffffffff);
 struct sockaddr_in6 a6={.sin6_family=AF_INET6,.sin6_port=htons(53),.sin6_flowinfo=htonl(7),.sin6_scope_id=1}; inet_pton(AF_INET6,"fe80::1",&a6.sin6_addr);
 S(SYS_connect,-1,&a6,sizeof a6); inet_pton(AF_INET6,"::ffff:1.2.3.4",&a6.sin6_addr); a6.sin6_scope_id=0; S(SYS_connect,-1,&a6,sizeof a6);
 struct sockaddr_un un={.sun_family=AF_UNIX}; strcpy(un.sun_path,"/tmp/tracer-broad-sock"); S(SYS_connect,-1,&un,sizeof un);
 un.sun_path[0]=0; S(SYS_connect,-1,&un,sizeof(sa_family_t)+8); S(SYS_connect,-1,&un,2);
 struct sockaddr_nl nl={.nl_family=AF_NETLINK,.nl_pid=0,.nl_groups=5}; S(SYS_connect,-1,&nl,sizeof nl);
 struct sockaddr_ll ll={.sll_family=AF_PACKET,.sll_protocol=htons(0x0800),.sll_ifindex=1,.sll_hatype=1,.sll_pkttype=PACKET_HOST,.sll_halen=6,.sll_addr={1,2,3,4,5,6}}; S(SYS_connect,-1,&ll,sizeof ll);
 struct sockaddr_vm vm={.svm_family=AF_VSOCK,.svm_port=1234,.svm_cid=VMADDR_CID_HOST}; S(SYS_connect,-1,&vm,sizeof vm);
 struct sockaddr sx={.sa_family=0xbeef}; S(SYS_connect,-1,&sx,sizeof sx); S(SYS_connect,-1,&a,0xffffffff);
 S(SYS_socket,AF_INET6,SOCK_STREAM,IPPROTO_TCP); S(SYS_socket,AF_NETLINK,SOCK_RAW,NETLINK_AUDIT); S(SYS_socket,0xffff,0xffffffff,0xffffffff); S(SYS_socket,AF_PACKET,SOCK_DGRAM,htons(3));
 S(SYS_socket,AF_UNIX,SOCK_SEQPACKET,0); S(SYS_socket,AF_INET,SOCK_RAW,IPPROTO_ICMP); S(SYS_socket,AF_BLUETOOTH,SOCK_STREAM,3);
 int sv[2]; S(SYS_socketpair,AF_UNIX,SOCK_STREAM,0,sv); S(SYS_socketpair,AF_INET,SOCK_STREAM,0,BAD);
 int v=1; socklen_t l=sizeof v;
 S(SYS_setsockopt,u,SOL_SOCKET,SO_REUSEADDR,&v,sizeof v); S(SYS_setsockopt,u,SOL_SOCKET,SO_RCVBUF,&v,2); S(SYS_setsockopt,u,SOL_SOCKET,0xffff,&v,4);
 struct linger lg={1,5}; S(SYS_setsockopt,u,SOL_SOCKET,SO_LINGER,&lg,sizeof lg); struct timeval tv={1,2}; S(SYS_setsockopt,u,SOL_SOCKET,SO_RCVTIMEO_OLD,&tv,sizeof tv);
 S(SYS_setsockopt,u,SOL_SOCKET,SO_BINDTODEVICE,"lo",3); S(SYS_setsockopt,u,IPPROTO_IP,IP_TOS,&v,4); S(SYS_setsockopt,u,IPPROTO_IP,IP_MULTICAST_TTL,&v,1);
 struct ip_mreqn mr={0}; S(SYS_setsockopt,u,IPPROTO_IP,IP_ADD_MEMBERSHIP,&mr,sizeof mr);
 int t=socket(AF_INET,SOCK_STREAM|SOCK_NONBLOCK,0); S(SYS_setsockopt,t,IPPROTO_TCP,TCP_NODELAY,&v,4); S(SYS_setsockopt,t,IPPROTO_TCP,TCP_CONGESTION,"reno",4); S(SYS_setsockopt,t,IPPROTO_TCP,TCP_KEEPIDLE,&v,4);
 S(SYS_setsockopt,t,IPPROTO_IPV6,IPV6_V6ONLY,&v,4); S(SYS_setsockopt,t,0xffff,1,NULL,0); S(SYS_setsockopt,-1,SOL_SOCKET,SO_KEEPALIVE,BAD,0xffffffff);
 S(SYS_getsockopt,u,SOL_SOCKET,SO_TYPE,&v,&l); l=4; S(SYS_getsockopt,u,SOL_SOCKET,SO_ERROR,&v,&l); l=4; S(SYS_getsockopt,u,SOL_SOCKET,SO_DOMAIN,&v,&l);
 l=sizeof lg; S(SYS_getsockopt,u,SOL_SOCKET,SO_LINGER,&lg,&l); struct ucred cr; l=sizeof cr; S(SYS_getsockopt,sv[0],SOL_SOCKET,SO_PEERCRED,&cr,&l);
 l=4; S(SYS_getsockopt,t,IPPROTO_TCP,TCP_MAXSEG,&v,&l); char cc[16]; l=16; S(SYS_getsockopt,t,IPPROTO_TCP,TCP_CONGESTION,cc,&l);
 l=4; S(SYS_getsockopt,u,SOL_SOCKET,SO_RCVBUF,&v,NULL); S(SYS_getsockopt,u,SOL_SOCKET,SO_RCVBUF,NULL,&l); l=0; S(SYS_getsockopt,u,SOL_SOCKET,SO_RCVBUF,&v,&l);
 l=sizeof a; S(SYS_getsockname,u,&a,&l); S(SYS_getpeername,u,&a,&l); S(SYS_getsockname,u,NULL,NULL);
 S(SYS_listen,t,0xffffffff); S(SYS_listen,-1,5); S(SYS_accept4,t,NULL,NULL,SOCK_NONBLOCK|SOCK_CLOEXEC); S(SYS_accept4,-1,BAD,BAD,0xffffffff);
 S(SYS_shutdown,sv[0],SHUT_WR); S(SYS_shutdown,-1,0xff);
 S(SYS_sendto,u,"hello",5,MSG_DONTWAIT|MSG_NOSIGNAL,&a,sizeof a); char b[64]; l=sizeof a; S(SYS_recvfrom,u,b,64,MSG_PEEK|MSG_TRUNC,&a,&l);
 S(SYS_recvfrom,u,b,64,0,&a,&l); S(SYS_recvfrom,u,b,64,0xffffffff,NULL,NULL); S(SYS_sendto,-1,NULL,0,0,NULL,0); S(SYS_sendto,u,BAD,100,MSG_CONFIRM,BAD,16);
 return 0;}
