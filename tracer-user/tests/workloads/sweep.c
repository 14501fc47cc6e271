/* Every syscall number of the x86_64 table, called with the odd arguments strace's own tests
 * use: all zeros, then all ones (-1). The comparison with strace tells, per syscall, whether
 * tracer prints what strace prints (tests/root_sweep.rs, `cargo xtask fidelity --only
 * c-sweep`).
 *
 * Safety first: the calls that end, fork or stop the process, or change the machine for
 * everybody (the host name, a reboot, modules, kexec, swap, the controlling terminal) are left
 * out, as are the zero-argument calls that would block forever or act on System V objects of
 * other programs (id 0 may be PostgreSQL's segment). Descriptor 0 is a scratch file of our own,
 * so that calls on fd 0 (fchmod, ftruncate, ...) touch nothing else.
 *
 * Usage: sweep [FIRST [LAST]]: the numbers to call (default: 0 to 470). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Never called: they end, fork or stop the caller, or act on the machine. */
static int never(long nr)
{
    switch (nr) {
    case SYS_rt_sigreturn: case SYS_pause: case SYS_clone: case SYS_fork: case SYS_vfork:
    case SYS_execve: case SYS_exit: case SYS_exit_group: case SYS_ptrace: case SYS_vhangup:
    case SYS_reboot: case SYS_sethostname: case SYS_setdomainname: case SYS_init_module:
    case SYS_finit_module: case SYS_delete_module: case SYS_kexec_load:
    case SYS_kexec_file_load: case SYS_swapon: case SYS_swapoff: case SYS_seccomp:
    case SYS_clone3: case SYS_execveat: case SYS_acct: case SYS_iopl: case SYS_ioperm:
    case SYS_msgget: /* a key of -1 with IPC_CREAT|IPC_EXCL: a queue left behind, EEXIST next */
    case 335: /* uretprobe: SIGILL outside a uretprobe trampoline */
        return 1;
    }
    return 0;
}

/* Not called with zeros: they would block forever (no timeout), or act on System V object 0,
 * or close the scratch fd the other calls use. */
static int never_zero(long nr)
{
    switch (nr) {
    case SYS_select: case SYS_pselect6: case SYS_ppoll: case SYS_msgrcv: case SYS_msgsnd:
    case SYS_semop: case SYS_semtimedop: case SYS_shmctl: case SYS_msgctl: case SYS_semctl:
    case SYS_shmat: case SYS_close: case SYS_close_range: case SYS_dup2: case SYS_dup3:
    case SYS_setsid: case SYS_setpgid: case SYS_munlockall: case SYS_mlockall:
    case SYS_sched_yield: case SYS_sync: case SYS_syncfs: case SYS_restart_syscall:
    case SYS_unshare: case SYS_umask: case SYS_alarm: case SYS_personality:
    case SYS_set_tid_address: case SYS_setuid: case SYS_setgid: case SYS_setreuid:
    case SYS_setregid: case SYS_setresuid: case SYS_setresgid: case SYS_setfsuid:
    case SYS_setfsgid: case SYS_setgroups: case SYS_setpriority: case SYS_set_mempolicy:
    case 462 /* mseal */: case SYS_fchown: case SYS_fchmod: case SYS_timer_create:
    case SYS_memfd_secret: case SYS_userfaultfd: case SYS_fanotify_init: case SYS_settimeofday:
    case SYS_rt_sigprocmask: case SYS_sigaltstack: case SYS_syslog:
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long first = argc > 1 ? atol(argv[1]) : 0, last = argc > 2 ? atol(argv[2]) : 470;
    int scratch = open("sweep.scratch", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (scratch < 0 || dup2(scratch, 0) < 0)
        return 1;
    close(scratch);
    for (long nr = first; nr <= last; nr++) {
        if (never(nr))
            continue;
        if (!never_zero(nr))
            syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
        syscall(nr, -1L, -1L, -1L, -1L, -1L, -1L);
    }
    return 0;
}
