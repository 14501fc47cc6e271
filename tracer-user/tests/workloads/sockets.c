#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/un.h>
#include <unistd.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
/* Short-lived sockets of every kind -yy names (tests/root_sockets.rs): TCP and TCPv6 with a
 * bound listener, UDP bound and connected, UNIX stream with a path and an abstract name (a
 * client writing before and after the accept; the path bound with its NUL counted, as
 * PostgreSQL binds), and socketpairs. argv[1]: a scratch directory. */
int main(int argc, char **argv){
  if (argc < 2) return 2;
  char path[108]; snprintf(path, sizeof path, "%s/s.sock", argv[1]);
  int l=socket(AF_INET,SOCK_STREAM,0);
  struct sockaddr_in a={.sin_family=AF_INET,.sin_addr.s_addr=htonl(0x7f000001)};
  bind(l,(void*)&a,sizeof a); listen(l,5);
  socklen_t al=sizeof a; getsockname(l,(void*)&a,&al);
  int c=socket(AF_INET,SOCK_STREAM,0); connect(c,(void*)&a,sizeof a);
  int s=accept(l,NULL,NULL);
  write(c,"x",1); char b[4]; read(s,b,1); close(s); close(c); close(l);
  int u=socket(AF_INET,SOCK_DGRAM,0);
  struct sockaddr_in ua={.sin_family=AF_INET,.sin_addr.s_addr=htonl(0x7f000001)};
  bind(u,(void*)&ua,sizeof ua); al=sizeof ua; getsockname(u,(void*)&ua,&al);
  int u2=socket(AF_INET,SOCK_DGRAM,0); connect(u2,(void*)&ua,sizeof ua); send(u2,"y",1,0); recv(u,b,1,0); close(u2);
  int u3=socket(AF_INET,SOCK_DGRAM,0); sendto(u3,"z",1,0,(void*)&ua,sizeof ua); recv(u,b,1,0);
  close(u3); close(u);
  int t6=socket(AF_INET6,SOCK_STREAM,0); struct sockaddr_in6 a6={.sin6_family=AF_INET6,.sin6_addr=IN6ADDR_LOOPBACK_INIT};
  bind(t6,(void*)&a6,sizeof a6); listen(t6,1); al=sizeof a6; getsockname(t6,(void*)&a6,&al);
  int c6=socket(AF_INET6,SOCK_STREAM,0); connect(c6,(void*)&a6,sizeof a6); write(c6,"z",1); close(c6); close(t6);
  struct sockaddr_un ux={.sun_family=AF_UNIX}; strcpy(ux.sun_path,path);
  socklen_t ulen=sizeof(sa_family_t)+strlen(path)+1;
  int ul=socket(AF_UNIX,SOCK_STREAM,0); bind(ul,(void*)&ux,ulen); listen(ul,1);
  int uc=socket(AF_UNIX,SOCK_STREAM,0); connect(uc,(void*)&ux,ulen);
  write(uc,"a",1);
  int us=accept(ul,NULL,NULL); write(uc,"a",1); read(us,b,2); close(us); close(uc); close(ul);
  unlink(path);
  struct sockaddr_un ab={.sun_family=AF_UNIX}; memcpy(ab.sun_path,"\0tracer-test",7);
  int al2=socket(AF_UNIX,SOCK_STREAM,0); bind(al2,(void*)&ab,2+12); listen(al2,1);
  int ac=socket(AF_UNIX,SOCK_STREAM,0); connect(ac,(void*)&ab,2+12);
  int as=accept(al2,NULL,NULL); write(ac,"a",1); read(as,b,1); close(as); close(ac); close(al2);
  int ud=socket(AF_UNIX,SOCK_DGRAM,0); bind(ud,(void*)&ux,ulen);
  int ud2=socket(AF_UNIX,SOCK_DGRAM,0); connect(ud2,(void*)&ux,ulen); write(ud2,"d",1); read(ud,b,1);
  close(ud2); close(ud); unlink(path);
  int sp[2]; socketpair(AF_UNIX,SOCK_DGRAM,0,sp); write(sp[0],"q",1); read(sp[1],b,1); close(sp[0]); close(sp[1]);
  socketpair(AF_UNIX,SOCK_STREAM,0,sp); write(sp[0],"q",1); read(sp[1],b,1); close(sp[0]); close(sp[1]);
  return 0;
}
