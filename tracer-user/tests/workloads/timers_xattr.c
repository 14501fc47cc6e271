/* POSIX timers (timer_create's struct sigevent by notify kind, timer_settime/gettime's
 * itimerspec, bad ids and pointers) and xattr name lists (listxattr's NUL-separated names,
 * NULL and too short buffers), for root_decoders_kernel.rs against strace 6.1. Nothing fires: the
 * timers are a minute out and deleted. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static long timer_new(clockid_t clock, struct sigevent *sev)
{
	timer_t id = 0;
	long ret = syscall(SYS_timer_create, clock, sev, &id);
	return ret < 0 ? ret : (long)(intptr_t)id;
}

int main(int argc, char **argv)
{
	struct sigevent sev = { 0 };
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 42;
	long t = timer_new(CLOCK_MONOTONIC, &sev);
	sev.sigev_notify = SIGEV_NONE;
	sev.sigev_signo = 0;
	long none = timer_new(CLOCK_REALTIME, &sev);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 1;
	/* Not a thread of this process (EINVAL): a fixed number in the line. */
	sev._sigev_un._tid = 1;
	long tid = timer_new(CLOCK_BOOTTIME, &sev);
	sev.sigev_notify = 77;
	timer_new(CLOCK_MONOTONIC, &sev);
	timer_new(CLOCK_PROCESS_CPUTIME_ID, NULL);
	syscall(SYS_timer_create, 99, (void *)1, NULL);

	struct itimerspec its = { { 1, 2 }, { 60, 4 } }, old;
	syscall(SYS_timer_settime, t, 0, &its, &old);
	syscall(SYS_timer_settime, t, TIMER_ABSTIME | 2, NULL, NULL);
	syscall(SYS_timer_gettime, none, &old);
	syscall(SYS_timer_gettime, -1, NULL);
	syscall(SYS_timer_gettime, t, (void *)8);
	syscall(SYS_timer_getoverrun, t);
	syscall(SYS_timer_delete, t);
	syscall(SYS_timer_delete, none);
	syscall(SYS_timer_delete, tid);

	const char *path = "/tmp/timers_xattr.file";
	unlink(path);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return 1;
	char names[64];
	listxattr(path, names, sizeof names);
	setxattr(path, "user.a", "vv", 2, XATTR_CREATE);
	fsetxattr(fd, "user.bb", "\1\2", 2, 0);
	listxattr(path, names, sizeof names);
	llistxattr(path, NULL, 0);
	flistxattr(fd, names, 3);
	flistxattr(fd, names, sizeof names);
	listxattr("/nonexistent", names, sizeof names);
	llistxattr(path, (char *)8, 64);
	unlink(path);
	return argc > 1 && argv[1][0] == 'x';
}
