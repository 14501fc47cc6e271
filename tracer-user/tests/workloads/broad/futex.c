/* Fidelity workload c-broad-futex (issue 19's broad corpus, cargo xtask fidelity): futex,
 * futex_waitv, rseq, with valid, invalid and NULL arguments. */
#include "common.h"
#include <linux/futex.h>
#include <sys/time.h>
#include <linux/rseq.h>
#include <time.h>
int main(){
 uint32_t f=0,f2=0; struct timespec ts={0,1000};
 S(SYS_futex,&f,FUTEX_WAKE_PRIVATE,1,NULL,NULL,0); S(SYS_futex,&f,FUTEX_WAIT,1,&ts,NULL,0); S(SYS_futex,&f,FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME,0,&ts,NULL,0xff);
 S(SYS_futex,&f,FUTEX_CMP_REQUEUE,1,2,&f2,0); S(SYS_futex,&f,FUTEX_WAKE_OP,1,1,&f2,FUTEX_OP(FUTEX_OP_ADD,1,FUTEX_OP_CMP_GT,0));
 S(SYS_futex,&f,FUTEX_LOCK_PI,0,NULL,NULL,0); S(SYS_futex,&f,FUTEX_UNLOCK_PI,0,NULL,NULL,0); S(SYS_futex,NULL,0xff,0,NULL,NULL,0); S(SYS_futex,BAD,FUTEX_WAIT,0,BAD,NULL,0);
 S(SYS_futex,&f,FUTEX_WAIT,0,&ts,NULL,0); S(SYS_futex,&f,FUTEX_WAKE_BITSET,1,NULL,NULL,FUTEX_BITSET_MATCH_ANY);
 struct futex_waitv wv[2]={{.val=1,.uaddr=(uintptr_t)&f,.flags=FUTEX_32},{.val=0,.uaddr=(uintptr_t)&f2,.flags=FUTEX_32|FUTEX_PRIVATE_FLAG}};
 S(SYS_futex_waitv,wv,2,0,NULL,0); S(SYS_futex_waitv,NULL,0,0xff,NULL,0); S(SYS_futex_waitv,BAD,1,0,BAD,CLOCK_REALTIME);
 struct rseq r __attribute__((aligned(32))); memset(&r,0,sizeof r);
 S(SYS_rseq,&r,sizeof r,0,0x53053053); S(SYS_rseq,NULL,0,0xff,0); S(SYS_rseq,BAD,32,RSEQ_FLAG_UNREGISTER,0x53053053);
 S(SYS_set_robust_list,BAD,24); S(SYS_get_robust_list,0,NULL,NULL);
 return 0;}
