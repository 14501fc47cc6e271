/* Fidelity workload c-broad-nl (issue 19's broad corpus, cargo xtask fidelity): netlink route
 * requests and replies, sock_diag and audit requests (dumps that list the whole system left
 * out), with valid, invalid and NULL arguments. */
#include "common.h"
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <linux/unix_diag.h>
#include <linux/audit.h>
#include <netinet/in.h>
int main(){
 int s=socket(AF_NETLINK,SOCK_RAW|SOCK_CLOEXEC,NETLINK_ROUTE); char buf[8192];
 struct {struct nlmsghdr h; struct ifinfomsg i;} r={{sizeof r,RTM_GETLINK,NLM_F_REQUEST,1,0},{.ifi_family=AF_UNSPEC,.ifi_index=0x7fff}};
 send(s,&r,sizeof r,0); recv(s,buf,sizeof buf,MSG_TRUNC|MSG_DONTWAIT);
 struct {struct nlmsghdr h; struct ifaddrmsg a;} ra={{sizeof ra,RTM_GETADDR,NLM_F_REQUEST|NLM_F_DUMP,2,0},{.ifa_family=AF_INET}};
 send(s,&ra,sizeof ra,0); recv(s,buf,sizeof buf,0);
 struct {struct nlmsghdr h; struct rtmsg m;} rr={{sizeof rr,RTM_GETROUTE,NLM_F_REQUEST|NLM_F_DUMP,3,0},{.rtm_family=AF_INET}};
 send(s,&rr,sizeof rr,0); recv(s,buf,sizeof buf,0);
 struct nlmsghdr bad={sizeof bad,0xffff,0xffff,4,0}; send(s,&bad,sizeof bad,0); recv(s,buf,sizeof buf,0);
 send(s,&bad,8,0); S(SYS_sendto,s,BAD,16,0,NULL,0);
 int d=socket(AF_NETLINK,SOCK_RAW,NETLINK_SOCK_DIAG);
 struct {struct nlmsghdr h; struct inet_diag_req_v2 q;} dq={{sizeof dq,SOCK_DIAG_BY_FAMILY,NLM_F_REQUEST|NLM_F_DUMP,5,0},{.sdiag_family=AF_INET,.sdiag_protocol=IPPROTO_TCP,.idiag_states=0}};
 send(d,&dq,sizeof dq,0); recv(d,buf,sizeof buf,0);
 struct {struct nlmsghdr h; struct unix_diag_req q;} uq={{sizeof uq,SOCK_DIAG_BY_FAMILY,NLM_F_REQUEST|NLM_F_DUMP,6,0},{.sdiag_family=AF_UNIX,.udiag_states=0,.udiag_show=UDIAG_SHOW_NAME|UDIAG_SHOW_PEER}};
 send(d,&uq,sizeof uq,0); recv(d,buf,sizeof buf,0);
 int a=socket(AF_NETLINK,SOCK_RAW,NETLINK_AUDIT);
 struct nlmsghdr ah={NLMSG_LENGTH(0),AUDIT_GET,NLM_F_REQUEST|NLM_F_ACK,7,0}; send(a,&ah,ah.nlmsg_len,0); recv(a,buf,sizeof buf,0);
 return 0;}
