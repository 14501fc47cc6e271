/* prctl's options as strace 6.1's prctl.c prints them: each option with the arguments it
 * takes, the values and flags it names, what the results mean. Only the calling process's
 * own settings change (or the call fails); nothing of the host. */
#define _GNU_SOURCE
#include <linux/prctl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#define P(...) syscall(SYS_prctl, __VA_ARGS__)

int main(void)
{
    int v = 0;
    unsigned long x = 0;
    char anon[] = "t9";

    P(PR_GET_KEEPCAPS, 0, 0, 0, 0);
    P(PR_SET_KEEPCAPS, 2, 0, 0, 0);
    P(PR_GET_FPEMU, &v, 0, 0, 0);
    P(PR_GET_UNALIGN, &v, 0, 0, 0);
    P(PR_SET_UNALIGN, 3, 0, 0, 0);
    P(PR_GET_TSC, &v, 0, 0, 0);
    P(PR_GET_TSC, NULL, 0, 0, 0);
    P(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
    P(PR_SET_TSC, 7, 0, 0, 0);
    P(PR_GET_TIMING, 0, 0, 0, 0);
    P(PR_SET_TIMING, PR_TIMING_STATISTICAL, 0, 0, 0);
    P(PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0);
    P(PR_MCE_KILL_GET, 0, 0, 0, 0);
    P(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
    P(PR_MCE_KILL, PR_MCE_KILL_SET, 9, 0, 0);
    P(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0);
    P(PR_MCE_KILL, 5, 6, 0, 0);
    P(PR_MCE_KILL_GET, 0, 0, 0, 0);
    P(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
    P(PR_SET_THP_DISABLE, 1, 0, 0, 0);
    P(PR_GET_THP_DISABLE, 0, 0, 0, 0);
    P(PR_MPX_ENABLE_MANAGEMENT, 0, 0, 0, 0);
    P(PR_MPX_DISABLE_MANAGEMENT, 1, 2, 3, 4);
    P(PR_SET_FP_MODE, 0, 0, 0, 0);
    P(PR_SET_FP_MODE, 3, 0, 0, 0);
    P(PR_GET_FP_MODE, 0, 0, 0, 0);
    P(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 12, 0, 0);
    P(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    P(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 0xff, 0, 0);
    P(PR_CAP_AMBIENT, 9, 1, 2, 3);
    P(PR_CAPBSET_DROP, 0xff, 0, 0, 0);
    P(PR_GET_SECUREBITS, 0, 0, 0, 0);
    P(PR_SET_SECUREBITS, 0, 0, 0, 0);
    P(PR_SET_SECUREBITS, 0x3c, 0, 0, 0);
    P(PR_SET_SECUREBITS, 0x1001, 0, 0, 0);
    P(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
    P(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
    P(PR_GET_SPECULATION_CTRL, 0xff, 0, 0, 0);
    P(PR_SET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, PR_SPEC_ENABLE, 0, 0);
    P(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0x20, 0, 0);
    P(PR_SET_SPECULATION_CTRL, 0xff, 0x20, 0, 0);
    P(PR_SET_IO_FLUSHER, 0, 0, 0, 0);
    P(PR_GET_IO_FLUSHER, 0, 0, 0, 0);
    P(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
    P(PR_SET_SYSCALL_USER_DISPATCH, 7, 1, 2, &v);
    P(PR_SCHED_CORE, PR_SCHED_CORE_GET, 0, 0, &x);
    P(PR_SCHED_CORE, PR_SCHED_CORE_CREATE, 0, 1, 0);
    P(PR_SCHED_CORE, 9, -1, 7, &x);
    P(PR_SET_TAGGED_ADDR_CTRL, 0, 0, 0, 0);
    P(PR_SET_TAGGED_ADDR_CTRL, 0x7fff7, 1, 0, 0);
    P(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0);
    P(PR_SVE_SET_VL, 0x60020, 0, 0, 0);
    P(PR_SVE_GET_VL, 0, 0, 0, 0);
    P(PR_SME_SET_VL, 0x10, 0, 0, 0);
    P(PR_PAC_RESET_KEYS, 0x13, 0, 0, 0);
    P(PR_PAC_SET_ENABLED_KEYS, 3, 0x21, 0, 0);
    P(PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0);
    P(PR_SET_PDEATHSIG, 0xff, 0, 0, 0);
    P(PR_SET_DUMPABLE, 0xff, 0, 0, 0);
    P(PR_SET_MM, PR_SET_MM_EXE_FILE, -1, 0, 0);
    P(PR_SET_MM, PR_SET_MM_MAP_SIZE, &v, 0, 0);
    P(PR_SET_MM, 0x100000063UL, 1, 2, 3);
    P(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x1000, 4096, anon);
    P(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x1000, 4096, NULL);
    P(PR_SET_VMA, 5, 0x1000, 4096, 0);
    P(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    P(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0);
    P(0x41, 1, 2, 3, 4);
    P(0x53564d42, 1, 2, 3, 4);
    return 0;
}
