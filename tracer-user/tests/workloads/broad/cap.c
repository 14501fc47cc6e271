/* Fidelity workload c-broad-cap (issue 19's broad corpus, cargo xtask fidelity):
 * capget/capset, rlimits, getrusage, ids, sched_* (getcpu left out), with valid, invalid and
 * NULL arguments. */
#include "common.h"
#include <linux/capability.h>
#include <sys/resource.h>
#include <sched.h>
int main(){
 struct __user_cap_header_struct h={_LINUX_CAPABILITY_VERSION_3,0}; struct __user_cap_data_struct d[2];
 S(SYS_capget,&h,d); S(SYS_capset,&h,d); S(SYS_capget,&h,NULL); S(SYS_capget,NULL,NULL); S(SYS_capget,BAD,d);
 struct __user_cap_header_struct h1={_LINUX_CAPABILITY_VERSION_1,0}; S(SYS_capget,&h1,d);
 struct __user_cap_header_struct hb={0x12345678,-1}; S(SYS_capget,&hb,d);
 struct rlimit r; S(SYS_getrlimit,RLIMIT_NOFILE,&r); S(SYS_getrlimit,0xff,&r); S(SYS_getrlimit,RLIMIT_STACK,NULL);
 S(SYS_setrlimit,RLIMIT_CORE,&r); struct rlimit64{uint64_t c,m;} r64={RLIM_INFINITY,RLIM_INFINITY},o64;
 S(SYS_prlimit64,0,RLIMIT_AS,NULL,&o64); S(SYS_prlimit64,0,RLIMIT_CORE,&r64,&o64); S(SYS_prlimit64,-1,0xffffffff,BAD,BAD);
 S(SYS_prlimit64,getpid(),RLIMIT_RTTIME,NULL,&o64); S(SYS_prlimit64,0,RLIMIT_NOFILE,NULL,&o64);
 struct rusage ru; S(SYS_getrusage,RUSAGE_SELF,&ru); S(SYS_getrusage,RUSAGE_CHILDREN,NULL); S(SYS_getrusage,0xff,&ru); S(SYS_getrusage,RUSAGE_THREAD,&ru);
 S(SYS_setuid,-1); S(SYS_setgid,0xfffffffe); S(SYS_setreuid,-1,-1); S(SYS_setresuid,-1,-1,-1); uid_t a,b,c; S(SYS_getresuid,&a,&b,&c); S(SYS_getresgid,NULL,NULL,NULL);
 gid_t g[4]={0,1,2,0xffffffff}; S(SYS_getgroups,0,NULL); S(SYS_getgroups,4,g); S(SYS_setgroups,4,g); S(SYS_setgroups,-1,NULL); S(SYS_setfsuid,-1); S(SYS_setfsgid,0);
 cpu_set_t cs; CPU_ZERO(&cs); CPU_SET(0,&cs);
 S(SYS_sched_getaffinity,0,sizeof cs,&cs); S(SYS_sched_setaffinity,0,sizeof cs,&cs); S(SYS_sched_getaffinity,-1,0,NULL); S(SYS_sched_getaffinity,0,1,&cs);
 struct sched_param sp={0}; S(SYS_sched_getscheduler,0); S(SYS_sched_setscheduler,0,SCHED_OTHER,&sp); S(SYS_sched_setscheduler,0,0xff,NULL); S(SYS_sched_getparam,0,&sp); S(SYS_sched_setparam,-1,NULL);
 S(SYS_sched_get_priority_max,SCHED_FIFO); S(SYS_sched_get_priority_min,0xff); struct timespec ts; S(SYS_sched_rr_get_interval,0,&ts); S(SYS_sched_rr_get_interval,-1,NULL);
 struct {uint32_t size,policy; uint64_t flags; int32_t nice; uint32_t prio; uint64_t rt,dl,per; uint32_t umin,umax;} at={0};
 S(SYS_sched_getattr,0,&at,sizeof at,0); S(SYS_sched_setattr,0,&at,0); S(SYS_sched_getattr,0,NULL,0,0xff); at.size=48; at.policy=6; at.rt=10000000; at.dl=30000000; at.per=30000000; S(SYS_sched_setattr,0,&at,0xffffffff);
 S(SYS_sched_yield);
 return 0;}
