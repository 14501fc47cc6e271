/* Fidelity workload c-broad-poll (issue 19's broad corpus, cargo xtask fidelity): poll, ppoll,
 * select, pselect6, epoll_*, with valid, invalid and NULL arguments. */
#include "common.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <signal.h>
int main(){
 int p[2]; pipe(p); write(p[1],"x",1);
 struct pollfd f[3]={{p[0],POLLIN|POLLPRI,0},{p[1],POLLOUT|POLLRDHUP,0},{-1,POLLIN,0}};
 S(SYS_poll,f,3,0); S(SYS_poll,NULL,0,0); S(SYS_poll,BAD,1,0); S(SYS_poll,BAD,0xffffffff,0);
 struct timespec ts={0,0}; sigset_t s; sigemptyset(&s); sigaddset(&s,SIGINT);
 S(SYS_ppoll,f,3,&ts,&s,8); S(SYS_ppoll,f,1,NULL,NULL,0); S(SYS_ppoll,f,1,BAD,BAD,8);
 fd_set r,w; FD_ZERO(&r); FD_ZERO(&w); FD_SET(p[0],&r); FD_SET(p[1],&w); struct timeval tv={0,0};
 S(SYS_select,p[1]+1,&r,&w,NULL,&tv); S(SYS_select,-1,NULL,NULL,NULL,NULL); S(SYS_select,1025,NULL,NULL,NULL,&tv);
 FD_ZERO(&r); FD_SET(p[0],&r); S(SYS_pselect6,p[0]+1,&r,NULL,NULL,&ts,NULL); S(SYS_pselect6,0,NULL,NULL,NULL,BAD,BAD);
 int e=epoll_create1(EPOLL_CLOEXEC); S(SYS_epoll_create,0); S(SYS_epoll_create1,0xffffffff);
 struct epoll_event ev={.events=EPOLLIN|EPOLLET|EPOLLONESHOT|EPOLLEXCLUSIVE,.data.u64=0x1234};
 S(SYS_epoll_ctl,e,EPOLL_CTL_ADD,p[0],&ev); ev.events=EPOLLOUT|EPOLLWAKEUP; ev.data.fd=p[1];
 S(SYS_epoll_ctl,e,EPOLL_CTL_ADD,p[1],&ev); S(SYS_epoll_ctl,e,EPOLL_CTL_DEL,p[1],NULL); S(SYS_epoll_ctl,e,0xff,-1,BAD);
 S(SYS_epoll_ctl,-1,EPOLL_CTL_MOD,-1,&ev);
 struct epoll_event out[4]; S(SYS_epoll_wait,e,out,4,0); S(SYS_epoll_wait,e,NULL,0,0); S(SYS_epoll_wait,e,BAD,0xffffffff,0);
 S(SYS_epoll_pwait,e,out,4,0,&s,8); S(SYS_epoll_pwait,e,out,4,0,NULL,0);
 S(SYS_epoll_pwait2,e,out,4,&ts,NULL,0); S(SYS_epoll_pwait2,e,out,4,BAD,&s,8);
 return 0;}
