/* Execs whose strings the caller never touched (tests/root_exec.rs): glibc system() (a
 * vfork child execs "/bin/sh" with the command, a string literal on a page not yet read),
 * posix_spawn, and failed execs whose path or an argv string is unreadable (strace prints
 * those as addresses). */
#include <spawn.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void) {
    if (system("exit 3") == -1)
        return 1;
    pid_t p;
    char *argv[] = {"/bin/true", "spawned by posix_spawn", NULL};
    if (posix_spawn(&p, "/bin/true", NULL, NULL, argv, environ) != 0)
        return 1;
    waitpid(p, NULL, 0);
    /* An unreadable page: its address stands for a string nobody can read. */
    char *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *bad_argv[] = {"/nonexistent/prog", none, NULL};
    execve("/nonexistent/prog", bad_argv, environ);
    execve(none, argv, environ);
    return 0;
}
