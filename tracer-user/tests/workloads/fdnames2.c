/* Fds named from where they come, for root_fdnames2.rs against strace 6.1 (-y, -yy,
 * --decode-fds=socket): the pidfd clone3 and clone store with CLONE_PIDFD (named in the call
 * itself, then by the process while it lives and by path once reaped), the old signalfd
 * syscall's mask, an AF_PACKET socket (its protocol undecoded: `socket:[INO]`), a file and a
 * directory removed while open and a removed current directory (`(deleted)`), and fds opened
 * through /proc/self/fd and /dev/stdin (named by what they open); with -Y, a child stopped and
 * continued (wait4 returns its pid named: it is still there) then killed and reaped (bare);
 * under `-e inject=landlock_create_ruleset:retval=7`, an injected fd named as what fd 7 is. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void pidfd_of_clone3(void)
{
	int pidfd = -1;
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = CLONE_PIDFD;
	args.pidfd = (unsigned long)&pidfd;
	args.exit_signal = SIGCHLD;
	if (syscall(SYS_clone3, &args, sizeof args) == 0)
		_exit(0);
	siginfo_t si;
	fcntl(pidfd, F_GETFD);
	syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED, NULL);
	close(pidfd);
}

static void pidfd_of_clone(void)
{
	int pidfd = -1;
	if (syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, 0) == 0)
		_exit(0);
	fcntl(pidfd, F_GETFD);
	wait4(-1, NULL, 0, NULL);
	close(pidfd);
}

static void deleted_names(void)
{
	int file = open("fdnames2-del", O_CREAT | O_RDWR, 0600);
	unlink("fdnames2-del");
	fcntl(file, F_GETFD);
	close(file);

	mkdir("fdnames2-dir", 0700);
	int dir = open("fdnames2-dir", O_RDONLY | O_DIRECTORY);
	unlinkat(AT_FDCWD, "fdnames2-dir", AT_REMOVEDIR);
	close(dir);

	mkdir("fdnames2-gone", 0700);
	chdir("fdnames2-gone");
	rmdir("../fdnames2-gone");
	openat(AT_FDCWD, "y", O_RDONLY);
	chdir("..");
	openat(AT_FDCWD, "y", O_RDONLY);
}

static void proc_fd_links(void)
{
	int null = open("/dev/null", O_RDONLY);
	dup2(null, 0);
	close(null);
	int again = open("/proc/self/fd/0", O_RDONLY);
	fcntl(again, F_GETFD);
	close(again);
	int in = open("/dev/stdin", O_RDONLY);
	fcntl(in, F_GETFD);
	close(in);
	chdir("/proc/self/cwd/..");
	openat(AT_FDCWD, "y", O_RDONLY);
}

static void stopped_child(void)
{
	int tid = 0, status;
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = CLONE_PARENT_SETTID;
	args.parent_tid = (unsigned long)&tid;
	args.exit_signal = SIGCHLD;
	pid_t child = syscall(SYS_clone3, &args, sizeof args);
	if (child == 0) {
		raise(SIGSTOP);
		for (;;)
			pause();
	}
	wait4(child, &status, WUNTRACED, NULL);
	kill(child, SIGCONT);
	wait4(child, &status, WCONTINUED, NULL);
	kill(child, SIGKILL);
	wait4(child, &status, 0, NULL);
}

int main(void)
{
	pidfd_of_clone3();
	pidfd_of_clone();

	sigset_t mask;
	sigemptyset(&mask);
	int sfd = syscall(SYS_signalfd, -1, &mask, 8);
	close(sfd);

	int packet = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	fcntl(packet, F_GETFD);
	close(packet);

	deleted_names();
	proc_fd_links();
	stopped_child();

	int null = open("/dev/null", O_RDONLY);
	dup2(null, 7);
	close(null);
	syscall(SYS_landlock_create_ruleset, NULL, 0, 0);
	close(7);
	return 0;
}
