/* Children that make themselves traced (PTRACE_TRACEME, as a debugger's or a sandbox's do):
 * a fork, a clone whose exit signal is not SIGCHLD (the kernel reports it as it reports a
 * thread), and a vfork. Exits with the number of children whose PTRACE_TRACEME failed. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
static int child(void *arg) {
    (void)arg;
    _exit(ptrace(PTRACE_TRACEME, 0, 0, 0) == 0 ? 0 : 1);
}
static char stack[65536];
int main(void) {
    int status, failures = 0;
    pid_t pid = fork();
    if (pid == 0)
        child(NULL);
    waitpid(pid, &status, 0);
    failures += WEXITSTATUS(status);
    pid = clone(child, stack + sizeof stack, 0, NULL);
    waitpid(pid, &status, __WALL);
    failures += WEXITSTATUS(status);
    pid = clone(child, stack + sizeof stack, CLONE_VFORK | SIGCHLD, NULL);
    waitpid(pid, &status, __WALL);
    failures += WEXITSTATUS(status);
    printf("%d\n", failures);
    return failures;
}
