/* Fidelity workload c-broad-misc (issue 19's broad corpus, cargo xtask fidelity): fork, vfork,
 * exec, uname, getrandom, modules, ioperm (sysinfo, getpgrp left out), with valid, invalid and
 * NULL arguments. */
#include "common.h"
#include <sys/utsname.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <signal.h>
#include <sys/random.h>
int main(){
 struct utsname u; S(SYS_uname,&u); S(SYS_uname,NULL); S(SYS_sysinfo,BAD);
 char b[16]; S(SYS_getrandom,b,16,GRND_NONBLOCK); S(SYS_getrandom,NULL,0,0xff); S(SYS_getrandom,BAD,1<<30,GRND_RANDOM|GRND_INSECURE);
 S(SYS_syslog,10,NULL,0); S(SYS_syslog,0xff,BAD,-1); S(SYS_sethostname,"x",0xffffffff);
 char *av[]={"/nonexistent","a\nb","\x1b[31m",NULL}; char *ev[]={"A=1","PGPASSWORD=hunter2",NULL};
 S(SYS_execve,"/nonexistent",av,ev); S(SYS_execve,NULL,NULL,NULL); S(SYS_execve,"/nonexistent",BAD,BAD); S(SYS_execveat,AT_FDCWD,"",av,NULL,AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW);
 pid_t c=fork(); if(c==0){ S(SYS_getppid); _exit(7);} int st; S(SYS_wait4,c,&st,0,NULL);
 c=vfork(); if(c==0){ execve("/nonexistent",av,ev); _exit(127);} S(SYS_wait4,c,&st,__WCLONE|__WALL,NULL);
 c=fork(); if(c==0){ raise(SIGSEGV); _exit(0);} S(SYS_wait4,c,&st,0,NULL);
 c=fork(); if(c==0){ _exit(9);} siginfo_t i={0}; S(SYS_waitid,P_PID,c,&i,WEXITED,NULL);
 S(SYS_getuid); S(SYS_geteuid); S(SYS_getgid); S(SYS_getegid); S(SYS_gettid);
 S(SYS_arch_prctl,0x1001,BAD); unsigned long fsb; S(SYS_arch_prctl,0x1003,&fsb); S(SYS_arch_prctl,0xffff,0);
 S(SYS_modify_ldt,0,NULL,0); S(SYS_iopl,4); S(SYS_ioperm,0,1024,0); S(SYS_swapoff,"/nonexistent"); S(SYS_lookup_dcookie,0,NULL,0); S(SYS_nfsservctl,0,0,0); S(SYS_sysfs,1,"ext4"); S(SYS_sysfs,2,0,b);
 S(SYS_finit_module,-1,"",0); S(SYS_delete_module,"t9nomod",O_NONBLOCK|O_TRUNC); S(SYS_init_module,NULL,0,"");
 return 0;}
