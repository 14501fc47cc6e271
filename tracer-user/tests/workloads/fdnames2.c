/* Fds named from where they come, for root_fdnames2.rs against strace 6.1 (-y, -yy,
 * --decode-fds=socket): the pidfd clone3 and clone store with CLONE_PIDFD (named in the call
 * itself, then by the process while it lives and by path once reaped), the old signalfd
 * syscall's mask, and an AF_PACKET socket (its protocol undecoded: `socket:[INO]`). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
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
	return 0;
}
