/* Fidelity workload c-broad-msg (issue 19's broad corpus, cargo xtask fidelity):
 * sendmsg/recvmsg control messages, sendmmsg/recvmmsg, iovecs, with valid, invalid and NULL
 * arguments. */
#include "common.h"
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
int main(){
 int sv[2]; socketpair(AF_UNIX,SOCK_DGRAM,0,sv); int one=1; setsockopt(sv[1],SOL_SOCKET,SO_PASSCRED,&one,4);
 setsockopt(sv[1],SOL_SOCKET,SO_TIMESTAMP_OLD,&one,4);
 char d1[]="abc",d2[]="defgh"; struct iovec iov[2]={{d1,3},{d2,5}};
 union{char b[CMSG_SPACE(8)+CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr a;} cm; memset(&cm,0,sizeof cm);
 struct msghdr m={0}; m.msg_iov=iov; m.msg_iovlen=2; m.msg_control=cm.b; m.msg_controllen=sizeof cm.b;
 struct cmsghdr*c=CMSG_FIRSTHDR(&m); c->cmsg_level=SOL_SOCKET; c->cmsg_type=SCM_RIGHTS; c->cmsg_len=CMSG_LEN(8); int fds[2]={0,1}; memcpy(CMSG_DATA(c),fds,8);
 c=CMSG_NXTHDR(&m,c); c->cmsg_level=SOL_SOCKET; c->cmsg_type=SCM_CREDENTIALS; c->cmsg_len=CMSG_LEN(sizeof(struct ucred)); struct ucred u={getpid(),0,0}; memcpy(CMSG_DATA(c),&u,sizeof u);
 S(SYS_sendmsg,sv[0],&m,MSG_DONTWAIT);
 char r1[2],r2[16]; struct iovec ri[2]={{r1,2},{r2,16}}; char rc[256]; struct msghdr rm={0}; rm.msg_iov=ri; rm.msg_iovlen=2; rm.msg_control=rc; rm.msg_controllen=sizeof rc;
 S(SYS_recvmsg,sv[1],&rm,MSG_CMSG_CLOEXEC);
 S(SYS_sendmsg,-1,NULL,0); S(SYS_sendmsg,sv[0],BAD,0xffffffff); S(SYS_recvmsg,sv[1],&rm,MSG_DONTWAIT);
 struct msghdr bm={0}; bm.msg_iov=BAD; bm.msg_iovlen=1; S(SYS_sendmsg,sv[0],&bm,0); bm.msg_iov=BAD; bm.msg_iovlen=0xffffffff; S(SYS_sendmsg,sv[0],&bm,0);
 struct mmsghdr mm[3]; memset(mm,0,sizeof mm); for(int i=0;i<3;i++){mm[i].msg_hdr.msg_iov=iov; mm[i].msg_hdr.msg_iovlen=2;}
 S(SYS_sendmmsg,sv[0],mm,3,MSG_DONTWAIT); struct mmsghdr rmm[3]; memset(rmm,0,sizeof rmm); struct iovec rr[3]; char bb[3][8]; for(int i=0;i<3;i++){rr[i].iov_base=bb[i]; rr[i].iov_len=8; rmm[i].msg_hdr.msg_iov=&rr[i]; rmm[i].msg_hdr.msg_iovlen=1;}
 struct timespec ts={0,0}; S(SYS_recvmmsg,sv[1],rmm,3,MSG_DONTWAIT,&ts); S(SYS_recvmmsg,sv[1],rmm,3,MSG_DONTWAIT,NULL);
 S(SYS_sendmmsg,-1,NULL,0,0); S(SYS_recvmmsg,-1,BAD,0xffffffff,0xffffffff,BAD);
 S(SYS_writev,sv[0],iov,2); S(SYS_readv,sv[1],ri,2); S(SYS_writev,-1,BAD,0xffffffff); S(SYS_pwritev,-1,iov,2,0,0); S(SYS_preadv2,-1,ri,2,-1,-1,0xff);
 S(SYS_pwrite64,-1,"xyz",3,-5); S(SYS_pread64,-1,NULL,0xffffffffffffffffULL,0);
 return 0;}
