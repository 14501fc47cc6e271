/* Fidelity workload c-broad-bpfperf (issue 19's broad corpus, cargo xtask fidelity): bpf,
 * perf_event_open, landlock, seccomp (bpf ids and counter reads left out), with valid, invalid
 * and NULL arguments. */
#include "common.h"
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
int main(){
 union bpf_attr a; memset(&a,0,sizeof a); a.map_type=BPF_MAP_TYPE_ARRAY; a.key_size=4; a.value_size=8; a.max_entries=4; strcpy(a.map_name,"t9map");
 int m=S(SYS_bpf,BPF_MAP_CREATE,&a,sizeof a); S(SYS_bpf,BPF_MAP_CREATE,NULL,0); S(SYS_bpf,0xffff,BAD,0xffffffff);
 uint32_t k=0; uint64_t v=7; memset(&a,0,sizeof a); a.map_fd=m; a.key=(uintptr_t)&k; a.value=(uintptr_t)&v; a.flags=BPF_ANY;
 S(SYS_bpf,BPF_MAP_UPDATE_ELEM,&a,sizeof a); S(SYS_bpf,BPF_MAP_LOOKUP_ELEM,&a,sizeof a); a.flags=BPF_NOEXIST; S(SYS_bpf,BPF_MAP_UPDATE_ELEM,&a,sizeof a);
 struct bpf_insn ins[2]={{.code=BPF_ALU64|BPF_MOV|BPF_K,.dst_reg=0,.imm=0},{.code=BPF_JMP|BPF_EXIT}};
 memset(&a,0,sizeof a); a.prog_type=BPF_PROG_TYPE_SOCKET_FILTER; a.insn_cnt=2; a.insns=(uintptr_t)ins; a.license=(uintptr_t)"GPL"; strcpy(a.prog_name,"t9prog");
 int p=S(SYS_bpf,BPF_PROG_LOAD,&a,sizeof a); memset(&a,0,sizeof a); a.info.bpf_fd=p; struct bpf_prog_info pi; memset(&pi,0,sizeof pi); a.info.info=(uintptr_t)&pi; a.info.info_len=sizeof pi;
 S(SYS_bpf,BPF_OBJ_GET_INFO_BY_FD,&a,sizeof a); memset(&a,0,sizeof a); S(SYS_bpf,BPF_BTF_LOAD,&a,sizeof a);
 struct perf_event_attr pe; memset(&pe,0,sizeof pe); pe.type=PERF_TYPE_SOFTWARE; pe.size=sizeof pe; pe.config=PERF_COUNT_SW_TASK_CLOCK; pe.disabled=1; pe.exclude_kernel=1;
 int pf=S(SYS_perf_event_open,&pe,0,-1,-1,PERF_FLAG_FD_CLOEXEC); S(SYS_perf_event_open,NULL,-1,-1,-1,0); S(SYS_perf_event_open,BAD,0xffffffff,0xffffffff,-1,0xffffffff);
 pe.type=PERF_TYPE_HARDWARE; pe.config=PERF_COUNT_HW_INSTRUCTIONS; pe.sample_period=1000; pe.sample_type=PERF_SAMPLE_IP|PERF_SAMPLE_TID; S(SYS_perf_event_open,&pe,0,-1,-1,0);
 S(SYS_ioctl,pf,PERF_EVENT_IOC_ENABLE,0); S(SYS_ioctl,pf,PERF_EVENT_IOC_RESET,0); S(SYS_ioctl,pf,PERF_EVENT_IOC_DISABLE,0);
 struct landlock_ruleset_attr la={.handled_access_fs=LANDLOCK_ACCESS_FS_READ_FILE|LANDLOCK_ACCESS_FS_WRITE_FILE};
 S(SYS_landlock_create_ruleset,NULL,0,LANDLOCK_CREATE_RULESET_VERSION); int rs=S(SYS_landlock_create_ruleset,&la,sizeof la,0); S(SYS_landlock_create_ruleset,BAD,0xffffffff,0xff);
 int dfd=open("/tmp",O_PATH); struct landlock_path_beneath_attr pb={.allowed_access=LANDLOCK_ACCESS_FS_READ_FILE,.parent_fd=dfd};
 S(SYS_landlock_add_rule,rs,LANDLOCK_RULE_PATH_BENEATH,&pb,0); S(SYS_landlock_add_rule,-1,0xff,NULL,0xff); S(SYS_landlock_restrict_self,-1,0); S(SYS_landlock_restrict_self,rs,0xff);
 S(SYS_seccomp,SECCOMP_GET_ACTION_AVAIL,0,&(uint32_t){SECCOMP_RET_LOG}); S(SYS_seccomp,0xff,0xff,NULL); struct seccomp_notif_sizes ns; S(SYS_seccomp,SECCOMP_GET_NOTIF_SIZES,0,&ns);
 struct sock_filter flt[1]={BPF_STMT(BPF_RET|BPF_K,SECCOMP_RET_ALLOW)}; struct sock_fprog fp={1,flt}; prctl(PR_SET_NO_NEW_PRIVS,1,0,0,0);
 S(SYS_seccomp,SECCOMP_SET_MODE_FILTER,SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_TSYNC,&fp); S(SYS_seccomp,SECCOMP_SET_MODE_FILTER,0,NULL); S(SYS_prctl,PR_SET_SECCOMP,SECCOMP_MODE_FILTER,&fp,0,0);
 return 0;}
