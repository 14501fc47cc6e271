/* The process/fs/IPC long tail, as strace 6.1 prints it: numbers no syscall has, fds returned
 * by calls decoded from their declared types (pidfd_open, openat2, eventfd2), pidfd_open's
 * flags, openat2's struct open_how, pipe2's flags, prctl, getrusage, waitid, SysV shared
 * memory, message queues and semaphores, capget/capset; each called with valid, invalid and
 * NULL arguments through syscall(2). SysV IPC ids differ from run to run (tests mask them). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    long m1 = 0xffffffffL;
    /* Numbers no syscall has: strace prints them raw, whatever -e trace= says. */
    syscall(500, 0, 0, 0, 0, 0, 0);
    syscall(511, 1, 2, 3, m1, 5, 6);
    /* Past the kernel's table (the x32 range, 512 and up) and negative: shown too. */
    syscall(1231, 1, 2, 3, 4, 5, 6);
    syscall(-1L, 1, 2, 3, 4, 5, 6);
    syscall(-2L, 1, 2, 3, 4, 5, 6); /* -n: [???] for -1, the unsigned long for -2 */
    /* pidfd_open: a pidfd (of init: a pid every run shares), an invalid pid, unknown flags. */
    long pidfd = syscall(SYS_pidfd_open, 1, 0);
    long pidfd2 = syscall(SYS_pidfd_open, 1, O_NONBLOCK);
    syscall(SYS_pidfd_open, m1, 0);
    syscall(SYS_pidfd_open, 1, 0x1);
    syscall(SYS_pidfd_send_signal, pidfd, 0, 0, 0);
    syscall(SYS_close, pidfd);
    syscall(SYS_close, pidfd2);
    /* openat2: with and without a mode, a NULL struct, everything invalid. */
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
    long fd = syscall(SYS_openat2, AT_FDCWD, "/dev/null", &how, sizeof how);
    syscall(SYS_close, fd);
    struct open_how creat = {
        .flags = O_CREAT | O_WRONLY, .mode = 0600, .resolve = RESOLVE_BENEATH | RESOLVE_IN_ROOT};
    syscall(SYS_openat2, AT_FDCWD, "/nonexistent/longtail", &creat, sizeof creat);
    syscall(SYS_openat2, AT_FDCWD, "/dev/null", NULL, sizeof how);
    syscall(SYS_openat2, m1, NULL, NULL, 0);
    /* eventfd2 */
    fd = syscall(SYS_eventfd2, 3, O_CLOEXEC);
    syscall(SYS_close, fd);
    /* SysV shared memory. */
    long id = syscall(SYS_shmget, IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    long addr = syscall(SYS_shmat, id, 0, 0);
    syscall(SYS_shmdt, addr);
    syscall(SYS_shmctl, id, IPC_RMID, 0);
    id = syscall(SYS_shmget, 0x7ace0019, 4096, IPC_CREAT | IPC_EXCL | 0640);
    syscall(SYS_shmget, 0x7ace0019, 4096, 0);
    syscall(SYS_shmctl, id, IPC_RMID, 0);
    syscall(SYS_shmat, m1, 0, SHM_RDONLY | SHM_RND);
    syscall(SYS_shmctl, m1, IPC_STAT, 0);
    /* SysV message queues and semaphores (all-ones flags without IPC_CREAT: nothing made). */
    long q = syscall(SYS_msgget, IPC_PRIVATE, IPC_CREAT | 0600);
    syscall(SYS_msgctl, q, IPC_RMID, 0);
    syscall(SYS_msgget, 0x7ace0019, 0);
    syscall(SYS_msgget, m1, m1 & ~IPC_CREAT);
    syscall(SYS_msgctl, m1, IPC_STAT, 0);
    syscall(SYS_msgctl, m1, MSG_INFO, 0);
    syscall(SYS_msgctl, m1, 99, 0);
    long sem = syscall(SYS_semget, IPC_PRIVATE, 2, IPC_CREAT | IPC_EXCL | 0640);
    syscall(SYS_semctl, sem, 0, GETVAL, 0);
    syscall(SYS_semctl, sem, 1, SETVAL, 5);
    syscall(SYS_semctl, sem, 0, GETPID, 0);
    syscall(SYS_semctl, sem, 0, IPC_RMID, 0);
    syscall(SYS_semget, m1, m1, m1 & ~IPC_CREAT);
    syscall(SYS_semctl, m1, m1, m1, m1);
    syscall(SYS_semctl, m1, 0, SEM_INFO | 0x100, 0);
    /* pipe2 */
    int p[2];
    syscall(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK);
    syscall(SYS_close, p[0]);
    syscall(SYS_close, p[1]);
    syscall(SYS_pipe2, NULL, m1);
    /* prctl: each option's arguments, typed as strace types them. */
    int out = 0;
    syscall(SYS_prctl, PR_GET_ENDIAN, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    syscall(SYS_prctl, PR_CAPBSET_READ, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_CAPBSET_READ, 40, 0, 0, 0);
    syscall(SYS_prctl, PR_CAPBSET_READ, 99, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_TIMERSLACK, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_TIMERSLACK, 50000, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_CHILD_SUBREAPER, &out, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_CHILD_SUBREAPER, NULL, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_PDEATHSIG, &out, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_PDEATHSIG, 200, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_DUMPABLE, 7, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_KEEPCAPS, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_KEEPCAPS, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_PTRACER, -1L, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_PTRACER, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_THP_DISABLE, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_TASK_PERF_EVENTS_ENABLE, 0, 0, 0, 0);
    char name[16];
    syscall(SYS_prctl, PR_SET_NAME, "a-name-longer-than-15", 0, 0, 0);
    syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_NAME, "longtail", 0, 0, 0);
    syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_NAME, NULL, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_NAME, NULL, 0, 0, 0);
    syscall(SYS_prctl, 0x7fff, 1, 2, 3, 4);
    syscall(SYS_prctl, m1, m1, m1, m1, m1);
    /* getrusage */
    syscall(SYS_getrusage, RUSAGE_SELF, NULL);
    syscall(SYS_getrusage, m1, NULL);
    syscall(SYS_getrusage, RUSAGE_THREAD, NULL);
    syscall(SYS_getrusage, 5, NULL);
    /* waitid */
    syscall(SYS_waitid, P_ALL, 0, NULL, WEXITED | WNOHANG, NULL);
    syscall(SYS_waitid, m1, m1, NULL, m1, NULL);
    syscall(SYS_waitid, P_PID, 1, NULL, WEXITED, NULL);
    /* capget/capset: each version, an unknown one, NULL; last, as it drops capabilities. */
    struct __user_cap_header_struct h3 = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct caps[2];
    syscall(SYS_capget, &h3, caps);
    syscall(SYS_capset, &h3, caps);
    syscall(SYS_capget, &h3, NULL);
    struct __user_cap_header_struct h1 = {_LINUX_CAPABILITY_VERSION_1, 0};
    syscall(SYS_capget, &h1, caps);
    struct __user_cap_header_struct bad = {0x12345678, 0};
    syscall(SYS_capget, &bad, caps);
    syscall(SYS_capget, NULL, NULL);
    struct __user_cap_header_struct init = {_LINUX_CAPABILITY_VERSION_3, 1};
    syscall(SYS_capget, &init, caps);
    struct __user_cap_data_struct few[2] = {
        {1 << CAP_CHOWN | 1 << CAP_KILL, 1 << CAP_CHOWN | 1 << CAP_KILL, 0}, {1, 1, 0}};
    syscall(SYS_capset, &h3, few);
    return 0;
}
