/* Children that kill themselves: raise(SIGKILL) (the call never ends for a ptrace tracer:
 * strace prints `tgkill(...) = ?`) and kill(getpid(), SIGTERM) with its default action (the
 * call ends, then the signal kills). The parent only forks and waits: under -f its fork's
 * child side (a 0 the child "returns" without having entered the call) is never a line,
 * with -z too. Exit status 0. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(int sig)
{
    pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        if (sig == SIGKILL)
            raise(SIGKILL);
        else
            kill(getpid(), sig);
        _exit(9);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status) || WTERMSIG(status) != sig)
        return -1;
    return 0;
}

int main(void)
{
    if (run(SIGKILL) || run(SIGTERM))
        return 1;
    return 0;
}
