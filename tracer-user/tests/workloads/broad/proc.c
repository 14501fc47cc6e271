/* Fidelity workload c-broad-proc (issue 19's broad corpus, cargo xtask fidelity): clone3,
 * wait4/waitid, prctl, pidfd_*, setns/unshare, personality, ptrace (kcmp ordering left out),
 * with valid, invalid and NULL arguments. */
#include "common.h"
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/personality.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/resource.h>
int main(){
 struct clone_args ca={0}; ca.exit_signal=SIGCHLD;
 long pid=S(SYS_clone3,&ca,sizeof ca);
 if(pid==0) S(SYS_exit_group,3);
 int st; struct rusage ru;
 S(SYS_wait4,pid,&st,0,NULL);
 S(SYS_wait4,-1,&st,WNOHANG|__WALL,&ru);
 S(SYS_wait4,0xffffffff,NULL,0xffffffff,NULL);
 siginfo_t si; S(SYS_waitid,P_ALL,0,&si,WEXITED|WNOHANG,NULL);
 S(SYS_waitid,0xff,-1,NULL,0xffffffff,NULL);
 struct clone_args cb={.flags=CLONE_NEWUSER|CLONE_PIDFD|CLONE_CLEAR_SIGHAND,.exit_signal=0xffffffff};
 S(SYS_clone3,&cb,sizeof cb);
 S(SYS_clone3,NULL,sizeof cb); S(SYS_clone3,&ca,8); S(SYS_clone3,BAD,0xffffffff);
 char nm[16];
 S(SYS_prctl,PR_SET_NAME,"t9proc",0,0,0); S(SYS_prctl,PR_GET_NAME,nm,0,0,0);
 S(SYS_prctl,PR_SET_PDEATHSIG,SIGTERM,0,0,0); int sig; S(SYS_prctl,PR_GET_PDEATHSIG,&sig,0,0,0);
 S(SYS_prctl,PR_GET_DUMPABLE,0,0,0,0); S(SYS_prctl,PR_SET_DUMPABLE,1,0,0,0);
 S(SYS_prctl,PR_SET_NO_NEW_PRIVS,1,0,0,0); S(SYS_prctl,PR_GET_NO_NEW_PRIVS,0,0,0,0);
 S(SYS_prctl,PR_CAPBSET_READ,21,0,0,0);
 S(SYS_prctl,PR_CAP_AMBIENT,PR_CAP_AMBIENT_IS_SET,12,0,0);
 S(SYS_prctl,PR_SET_CHILD_SUBREAPER,1,0,0,0); S(SYS_prctl,PR_GET_CHILD_SUBREAPER,&sig,0,0,0);
 S(SYS_prctl,PR_GET_SECUREBITS,0,0,0,0); S(SYS_prctl,PR_SET_TIMERSLACK,50000,0,0,0); S(SYS_prctl,PR_GET_TIMERSLACK,0,0,0,0);
 S(SYS_prctl,PR_SET_MM,PR_SET_MM_START_CODE,0,0,0); S(SYS_prctl,PR_GET_SPECULATION_CTRL,PR_SPEC_STORE_BYPASS,0,0,0);
 S(SYS_prctl,PR_SET_VMA,PR_SET_VMA_ANON_NAME,0,0,0); S(SYS_prctl,PR_GET_TID_ADDRESS,&nm,0,0,0);
 S(SYS_prctl,PR_SET_SECCOMP,0xff,0,0,0); S(SYS_prctl,PR_GET_THP_DISABLE,0,0,0,0);
 S(SYS_prctl,0xffffffff,1,2,3,4); S(SYS_prctl,PR_SET_NAME,NULL,0,0,0); S(SYS_prctl,PR_SET_NAME,BAD,0,0,0);
 S(SYS_personality,0xffffffff); S(SYS_personality,PER_LINUX|ADDR_NO_RANDOMIZE); S(SYS_personality,PER_LINUX);
 S(SYS_unshare,CLONE_NEWNS|CLONE_NEWUTS); S(SYS_unshare,0xffffffff); S(SYS_unshare,0);
 S(SYS_setns,-1,CLONE_NEWNET); S(SYS_setns,-1,0); S(SYS_setns,0xffffffff,0xffffffff);
 int pfd=S(SYS_pidfd_open,getpid(),0);
 S(SYS_pidfd_open,-1,0xffffffff); S(SYS_pidfd_open,getpid(),O_NONBLOCK);
 S(SYS_pidfd_send_signal,pfd,0,NULL,0); S(SYS_pidfd_send_signal,-1,SIGKILL,BAD,0xff);
 S(SYS_pidfd_getfd,pfd,0,0); S(SYS_pidfd_getfd,-1,-1,0xff);
 S(SYS_kill,-1,0xff); S(SYS_kill,999999,0); S(SYS_tgkill,-1,-1,SIGUSR1); S(SYS_tkill,0,SIGRTMIN+2);
 S(SYS_getpriority,PRIO_PROCESS,0); S(SYS_setpriority,PRIO_USER,0xffffffff,-30); S(SYS_setpriority,0xff,0,0);
 S(SYS_setpgid,0,0); S(SYS_getpgid,-1); S(SYS_getsid,0xffffffff); S(SYS_setsid);
 S(SYS_set_tid_address,NULL); S(SYS_get_robust_list,0,NULL,NULL); S(SYS_set_robust_list,NULL,0);
 S(SYS_ptrace,0x4206,0,0,0); S(SYS_ptrace,0xffffffff,-1,BAD,BAD);
 S(SYS_kcmp,-1,-1,0xff,0,0);
 S(SYS_acct,NULL); S(SYS_reboot,0,0,0,NULL);
 S(SYS_process_vm_readv,-1,NULL,0,NULL,0,0);
 return 0;}
