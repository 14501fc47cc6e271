/* Fidelity workload c-broad-fcntl (issue 19's broad corpus, cargo xtask fidelity): fcntl,
 * flock, dup3, lseek, read/write, open, pipe2, getdents, with valid, invalid and NULL
 * arguments. */
#include "common.h"
#include <sys/file.h>
int main(){
 int f=open("/etc/passwd",O_RDONLY);
 S(SYS_fcntl,f,F_GETFD); S(SYS_fcntl,f,F_SETFD,FD_CLOEXEC); S(SYS_fcntl,f,F_GETFL); S(SYS_fcntl,f,F_SETFL,O_NONBLOCK|O_APPEND); S(SYS_fcntl,f,F_DUPFD,10); S(SYS_fcntl,f,F_DUPFD_CLOEXEC,0);
 struct flock l={F_RDLCK,SEEK_SET,0,0,0}; S(SYS_fcntl,f,F_GETLK,&l); S(SYS_fcntl,f,F_SETLK,&l); S(SYS_fcntl,f,F_OFD_GETLK,&l); S(SYS_fcntl,f,F_SETLKW,NULL);
 struct f_owner_ex o; S(SYS_fcntl,f,F_GETOWN_EX,&o); S(SYS_fcntl,f,F_GETOWN); S(SYS_fcntl,f,F_SETSIG,10); S(SYS_fcntl,f,F_GETSIG); S(SYS_fcntl,f,F_GETLEASE); S(SYS_fcntl,f,F_NOTIFY,DN_CREATE);
 S(SYS_fcntl,f,F_GETPIPE_SZ); S(SYS_fcntl,f,F_ADD_SEALS,F_SEAL_SEAL); S(SYS_fcntl,f,F_GET_SEALS); S(SYS_fcntl,-1,0xffff,0xffffffff); S(SYS_fcntl,f,F_SET_RW_HINT,NULL);
 S(SYS_flock,f,LOCK_SH|LOCK_NB); S(SYS_flock,f,LOCK_UN); S(SYS_flock,-1,0xff);
 S(SYS_dup,-1); S(SYS_dup2,f,f); S(SYS_dup3,f,f,O_CLOEXEC); S(SYS_dup3,f,100,0xffffffff); S(SYS_dup3,f,100,O_CLOEXEC);
 S(SYS_lseek,f,0,SEEK_END); S(SYS_lseek,f,-1,SEEK_SET); S(SYS_lseek,f,0,SEEK_DATA); S(SYS_lseek,f,0,0xff);
 char b[8]; S(SYS_read,f,b,0); S(SYS_read,-1,NULL,0xffffffffffffffffUL); S(SYS_read,f,BAD,8); S(SYS_write,-1,"abc\n\t\"\\\x01\xff",10); S(SYS_write,1,NULL,0);
 S(SYS_open,"/nonexistent",O_WRONLY|O_CREAT|O_TRUNC|O_EXCL|O_NOCTTY|O_SYNC|O_DIRECT|O_NOATIME|O_PATH|O_TMPFILE,0644); S(SYS_open,NULL,0xffffffff,0xffffffff); S(SYS_openat,-1,"rel",O_RDONLY); S(SYS_creat,"/proc/nope",0);
 S(SYS_close,-1); S(SYS_close,0x7fffffff); int p[2]; S(SYS_pipe2,p,O_CLOEXEC|O_DIRECT|O_NONBLOCK); S(SYS_pipe2,NULL,0xff); S(SYS_pipe,BAD);
 char d[512]; int dd=open("/etc/ssl",O_RDONLY|O_DIRECTORY); S(SYS_getdents64,dd,d,sizeof d); S(SYS_getdents64,-1,NULL,0); S(SYS_getdents,dd,d,16);
 return 0;}
