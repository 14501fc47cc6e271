/* A program that makes its parent its ptracer (as anti-debug code and strace's own tests do),
 * then takes a signal, forks a child that does the same, and execs: traced by tracer it must
 * run to its end as it does under strace (where PTRACE_TRACEME fails with EPERM). */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled = 1;
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
	/* Under a ptracer that never continues it, the process would stop here for good. */
	raise(SIGUSR1);
	printf("handled %d\n", handled);
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		/* Its parent is this program, not tracer: nothing stops. */
		syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
		_exit(3);
	}
	int status = 0;
	waitpid(child, &status, 0);
	printf("child %d\n", WEXITSTATUS(status));
	fflush(stdout);
	/* A traced process sends itself SIGTRAP after execve: it must not be killed by it. */
	execl("/bin/sh", "sh", "-c", "exit 5", (char *)NULL);
	return 1;
}
