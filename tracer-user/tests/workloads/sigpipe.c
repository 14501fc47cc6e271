/* Signals the kernel sends a task as if the task sent them itself (send_sig(sig, current, 0):
 * SI_USER, si_pid the task's own): SIGPIPE of a write to a pipe nobody reads, ignored, handled
 * and fatal (in a child), and SIGXFSZ of a write past RLIMIT_FSIZE, ignored. */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_signal(int sig)
{
	(void)sig;
}

/* A write to a pipe whose read end is closed. */
static void broken_write(void)
{
	char byte[1] = {'x'};
	int fds[2];
	if (pipe(fds) != 0)
		return;
	close(fds[0]);
	if (write(fds[1], byte, 1) != -1)
		_exit(2);
	close(fds[1]);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	broken_write();
	signal(SIGPIPE, on_signal);
	broken_write();
	pid_t child = fork();
	if (child == 0) {
		signal(SIGPIPE, SIG_DFL);
		broken_write();
		_exit(1);
	}
	int status = 0;
	waitpid(child, &status, 0);
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit none = {0, RLIM_INFINITY};
	setrlimit(RLIMIT_FSIZE, &none);
	FILE *f = tmpfile();
	char byte[1] = {'y'};
	if (f && write(fileno(f), byte, 1) != -1)
		return 3;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE ? 0 : 4;
}
