/* Fidelity workload c-broad-strings (issue 19's broad corpus, cargo xtask fidelity): string
 * escaping, -s cuts, long paths, with valid, invalid and NULL arguments. */
#include "common.h"
int main(){
 int f=open("/dev/null",O_WRONLY); unsigned char b[256]; for(int i=0;i<256;i++) b[i]=i;
 for(int i=0;i<256;i+=16) S(SYS_write,f,b+i,16);
 S(SYS_write,f,b,256); S(SYS_write,f,"",0); S(SYS_write,f,"\"quoted\" and \\back\\ \a\b\f\n\r\t\v",30); S(SYS_write,f,"\xe2\x82\xac utf8 \xc3\xa9",12);
 S(SYS_write,f,"0123456789abcdefghijklmnopqrstuvwxyzABCDEF",42); S(SYS_write,f,"1234567890123456789012345678901\0",32); S(SYS_write,f,"12345678901234567890123456789012",32);
 S(SYS_write,f,"123456789012345678901234567890123",33); S(SYS_write,f,"\0\0001\00012",6); S(SYS_write,f,"?\?=x",4);
 S(SYS_openat,AT_FDCWD,"/tmp/tracer-broad-\x01\x7f\x80\xff\"\\\n",O_RDONLY); S(SYS_openat,AT_FDCWD,"/tmp/tracer-broad-ünïcödé/€",O_RDONLY);
 char lp[4200]; memset(lp,'a',sizeof lp); lp[0]='/'; lp[4199]=0; S(SYS_openat,AT_FDCWD,lp,O_RDONLY);
 S(SYS_pwrite64,f,"abc",3,1L<<40); S(SYS_sethostname,"host\n",0xffffffff);
 return 0;}
