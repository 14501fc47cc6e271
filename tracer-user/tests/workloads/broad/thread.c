/* Fidelity workload c-broad-thread (issue 19's broad corpus, cargo xtask fidelity): threads,
 * clone, SIGSTOP/SIGCONT, abort, with valid, invalid and NULL arguments. */
#include "common.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <sched.h>
static void*th(void*a){ S(SYS_gettid); S(SYS_getpid); usleep(1000); S(SYS_tgkill,getpid(),S(SYS_gettid),0); return (void*)1;}
int main(){
 pthread_t t[2]; for(int i=0;i<2;i++) pthread_create(&t[i],NULL,th,NULL); for(int i=0;i<2;i++) pthread_join(t[i],NULL);
 pid_t c=S(SYS_clone,CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD,0,NULL,NULL,0); if(c==0){ S(SYS_exit,5);} int st; S(SYS_wait4,c,&st,0,NULL);
 c=S(SYS_clone,0x7fffffff,BAD,BAD,BAD,BAD);
 c=fork(); if(c==0){ signal(SIGTERM,SIG_DFL); S(SYS_kill,getpid(),SIGSTOP); _exit(0);} S(SYS_wait4,c,&st,WUNTRACED,NULL); S(SYS_kill,c,SIGCONT); S(SYS_wait4,c,&st,WCONTINUED,NULL); S(SYS_wait4,c,&st,0,NULL);
 c=fork(); if(c==0){ S(SYS_exit_group,0x1ff);} S(SYS_wait4,c,&st,0,NULL);
 c=fork(); if(c==0){ abort();} S(SYS_wait4,c,&st,0,NULL);
 return 0;}
