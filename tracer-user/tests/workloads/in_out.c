/* Arguments the kernel rewrites (tests/root_in_out.rs): select/pselect6/ppoll timeouts (the
 * value passed in, then "left"), pselect6's sigmask pair, socklen and optlen in/out, recvmsg's
 * msghdr lengths, a wait status, and nanosleep's rem (written only when interrupted). */
#define _GNU_SOURCE
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <string.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <sys/syscall.h>
static void on_alarm(int s){(void)s;}
int main(void){
  int p[2]; pipe(p); write(p[1],"x",1);
  fd_set r; FD_ZERO(&r); FD_SET(0,&r); FD_SET(p[0],&r);
  struct timeval tv={5,0}; select(p[0]+1,&r,NULL,NULL,&tv);
  FD_ZERO(&r); FD_SET(p[0],&r);
  struct timespec ts={5,0}; sigset_t m; sigemptyset(&m); sigaddset(&m,SIGUSR1);
  pselect(p[0]+1,&r,NULL,NULL,&ts,&m);
  char b[2]; read(p[0],b,1);
  FD_ZERO(&r); FD_SET(p[0],&r); struct timespec t2={0,20000000};
  pselect(p[0]+1,&r,NULL,NULL,&t2,&m);
  struct pollfd pf={.fd=p[0],.events=POLLIN}; struct timespec t3={0,20000000};
  ppoll(&pf,1,&t3,&m);
  write(p[1],"y",1); struct timespec t4={5,0}; ppoll(&pf,1,&t4,NULL);
  int s=socket(AF_INET,SOCK_DGRAM,0); int v; socklen_t vl=16; getsockopt(s,SOL_SOCKET,SO_TYPE,&v,&vl);
  struct sockaddr_in a; socklen_t al=sizeof a+4; getsockname(s,(void*)&a,&al);
  struct sockaddr_in to={.sin_family=AF_INET,.sin_addr.s_addr=htonl(0x7f000001)};
  bind(s,(void*)&to,sizeof to); al=sizeof to; getsockname(s,(void*)&to,&al);
  sendto(s,"m1",2,0,(void*)&to,sizeof to); sendto(s,"m2",2,0,(void*)&to,sizeof to);
  char fromb[128]; socklen_t fl=sizeof fromb; recvfrom(s,b,2,0,(void*)fromb,&fl);
  struct iovec iov={b,2}; char ctl[64];
  struct msghdr mh={.msg_name=fromb,.msg_namelen=sizeof fromb,.msg_iov=&iov,.msg_iovlen=1,.msg_control=ctl,.msg_controllen=sizeof ctl};
  recvmsg(s,&mh,0);
  pid_t c=fork(); if(!c) _exit(7); int st; wait4(c,&st,0,NULL);
  struct timespec rq={0,1000}, rm; nanosleep(&rq,&rm);
  signal(SIGALRM, on_alarm); alarm(1);
  struct timespec long_rq={5,0}; nanosleep(&long_rq,&rm);
  return 0;
}
