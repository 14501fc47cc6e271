/* Fidelity workload c-broad-sig (issue 19's broad corpus, cargo xtask fidelity): sigaction,
 * sigprocmask, sigqueue, sigaltstack, signalfd, with valid, invalid and NULL arguments. */
#include "common.h"
#include <signal.h>
#include <sys/signalfd.h>
static void h(int s){}
int main(){
 struct sigaction sa={0}; sa.sa_handler=h; sa.sa_flags=SA_RESTART|SA_SIGINFO|SA_NODEFER; sigaddset(&sa.sa_mask,SIGTERM); sigaddset(&sa.sa_mask,SIGRTMIN+3);
 sigaction(SIGUSR1,&sa,NULL);
 struct sigaction old; sigaction(SIGUSR1,NULL,&old);
 S(SYS_rt_sigaction,SIGKILL,BAD,NULL,8); S(SYS_rt_sigaction,0xffffffff,NULL,NULL,0xffffffff); S(SYS_rt_sigaction,SIGRTMAX,NULL,BAD,8);
 sigset_t s; sigemptyset(&s); sigaddset(&s,SIGUSR2); sigaddset(&s,SIGCHLD);
 S(SYS_rt_sigprocmask,SIG_BLOCK,&s,NULL,8); S(SYS_rt_sigprocmask,SIG_SETMASK,NULL,&s,8);
 S(SYS_rt_sigprocmask,0xff,BAD,BAD,8); S(SYS_rt_sigprocmask,SIG_UNBLOCK,&s,NULL,0xffffffff);
 sigset_t all; sigfillset(&all); S(SYS_rt_sigprocmask,SIG_BLOCK,&all,&s,8);
 S(SYS_rt_sigprocmask,SIG_SETMASK,&s,NULL,8);
 S(SYS_rt_sigpending,&s,8); S(SYS_rt_sigpending,NULL,0xff);
 struct timespec ts={0,1000}; siginfo_t si;
 S(SYS_rt_sigtimedwait,&s,&si,&ts,8); S(SYS_rt_sigtimedwait,BAD,NULL,NULL,8);
 S(SYS_kill,getpid(),SIGUSR1);
 siginfo_t q={0}; q.si_signo=SIGUSR1; q.si_code=SI_QUEUE; q.si_pid=getpid(); q.si_uid=getuid(); q.si_value.sival_int=42;
 S(SYS_rt_sigqueueinfo,getpid(),SIGUSR1,&q);
 S(SYS_rt_sigqueueinfo,-1,0xff,NULL); S(SYS_rt_tgsigqueueinfo,getpid(),getpid(),SIGUSR1,&q);
 stack_t ss={.ss_sp=malloc(65536),.ss_size=65536,.ss_flags=0}; S(SYS_sigaltstack,&ss,NULL); stack_t os; S(SYS_sigaltstack,NULL,&os); S(SYS_sigaltstack,BAD,BAD);
 int fd=signalfd(-1,&s,SFD_NONBLOCK|SFD_CLOEXEC); S(SYS_signalfd4,-1,NULL,8,0xffffffff); S(SYS_signalfd4,fd,&s,8,0);
 struct signalfd_siginfo b; read(fd,&b,sizeof b);
 S(SYS_rt_sigsuspend,BAD,8);

 return 0;}
