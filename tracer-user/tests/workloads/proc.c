/* Process calls as strace 6.1 prints them: waitid's siginfo (a child that exited, one
 * killed, none ready: `{}`, an unwritable one: its address). SIGCHLD is blocked, so no
 * signal lines interleave; three rounds. Nothing of the host changes. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    siginfo_t info;
    sigset_t chld;
    pid_t child;

    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);

    for (int round = 0; round < 3; round++) {
    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    syscall(SYS_waitid, P_PID, child, &info, WEXITED | WNOHANG, NULL);
    kill(child, SIGKILL);
    syscall(SYS_waitid, P_PID, child, &info, WEXITED, NULL);

    child = fork();
    if (child == 0)
        _exit(3);
    syscall(SYS_waitid, P_PID, child, &info, WEXITED, NULL);
    syscall(SYS_waitid, P_ALL, 0, &info, WEXITED | WNOHANG, NULL);
    syscall(SYS_waitid, P_ALL, 0, (void *)0xdeadbeef000, WEXITED, NULL);
    }
    return 0;
}
