/* Fidelity workload c-broad-sockopt (issue 19's broad corpus, cargo xtask fidelity):
 * setsockopt/getsockopt at SOL_SOCKET, IP, IPV6, TCP, UDP, NETLINK, PACKET, with valid,
 * invalid and NULL arguments (TCP_INFO left out: its times move). */
#include "common.h"
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <linux/netlink.h>
#include <linux/if_packet.h>
#include <linux/filter.h>
int main(){
 int t=socket(AF_INET6,SOCK_STREAM,0),u=socket(AF_INET,SOCK_DGRAM,0),n=socket(AF_NETLINK,SOCK_RAW,0),p=socket(AF_PACKET,SOCK_RAW,0);
 int v=1; socklen_t l; char b[256];
 S(SYS_setsockopt,t,SOL_IPV6,IPV6_V6ONLY,&v,4); S(SYS_setsockopt,t,SOL_IPV6,IPV6_TCLASS,&v,4); S(SYS_setsockopt,t,SOL_IPV6,IPV6_UNICAST_HOPS,&v,4);
 l=4; S(SYS_getsockopt,t,SOL_IPV6,IPV6_V6ONLY,&v,&l); l=4; S(SYS_getsockopt,t,SOL_TCP,TCP_KEEPCNT,&v,&l);
 S(SYS_setsockopt,t,SOL_TCP,TCP_USER_TIMEOUT,&v,4); S(SYS_setsockopt,t,SOL_TCP,TCP_FASTOPEN,&v,4); S(SYS_setsockopt,t,SOL_TCP,TCP_QUICKACK,&v,4); S(SYS_setsockopt,t,SOL_TCP,TCP_CORK,&v,4);
 S(SYS_setsockopt,u,SOL_UDP,UDP_CORK,&v,4); S(SYS_setsockopt,u,SOL_IP,IP_PKTINFO,&v,4); S(SYS_setsockopt,u,SOL_IP,IP_RECVERR,&v,4); S(SYS_setsockopt,u,SOL_IP,IP_MTU_DISCOVER,&(int){IP_PMTUDISC_DO},4);
 l=4; S(SYS_getsockopt,u,SOL_IP,IP_TTL,&v,&l); l=4; S(SYS_getsockopt,u,SOL_IP,IP_MTU_DISCOVER,&v,&l);
 S(SYS_setsockopt,n,SOL_NETLINK,NETLINK_ADD_MEMBERSHIP,&v,4); S(SYS_setsockopt,n,SOL_NETLINK,NETLINK_EXT_ACK,&v,4); S(SYS_setsockopt,n,SOL_NETLINK,NETLINK_NO_ENOBUFS,&v,4);
 l=4; S(SYS_getsockopt,n,SOL_NETLINK,NETLINK_LIST_MEMBERSHIPS,&v,&l);
 struct packet_mreq mr={.mr_ifindex=1,.mr_type=PACKET_MR_PROMISC}; S(SYS_setsockopt,p,SOL_PACKET,PACKET_ADD_MEMBERSHIP,&mr,sizeof mr); S(SYS_setsockopt,p,SOL_PACKET,PACKET_VERSION,&(int){TPACKET_V3},4);
 l=4; S(SYS_getsockopt,p,SOL_PACKET,PACKET_VERSION,&v,&l);
 struct sock_filter f[1]={BPF_STMT(BPF_RET|BPF_K,0xffff)}; struct sock_fprog fp={1,f}; S(SYS_setsockopt,u,SOL_SOCKET,SO_ATTACH_FILTER,&fp,sizeof fp); S(SYS_setsockopt,u,SOL_SOCKET,SO_DETACH_FILTER,&v,4);
 S(SYS_setsockopt,u,SOL_SOCKET,SO_PRIORITY,&v,4); S(SYS_setsockopt,u,SOL_SOCKET,SO_MARK,&v,4); S(SYS_setsockopt,u,SOL_SOCKET,SO_TIMESTAMPING_OLD,&v,4); S(SYS_setsockopt,u,SOL_SOCKET,SO_BUSY_POLL,&v,4);
 l=sizeof b; S(SYS_getsockopt,u,SOL_SOCKET,SO_PEERSEC,b,&l); l=4; S(SYS_getsockopt,u,SOL_SOCKET,SO_ACCEPTCONN,&v,&l); l=4; S(SYS_getsockopt,u,SOL_SOCKET,SO_PROTOCOL,&v,&l);
 l=sizeof b; S(SYS_getsockopt,u,SOL_SOCKET,SO_BINDTODEVICE,b,&l); l=4; S(SYS_getsockopt,u,0xffff,0xffff,&v,&l); l=4; S(SYS_getsockopt,-1,SOL_SOCKET,SO_TYPE,BAD,&l);
 return 0;}
