/* Fd names where tasks share or leave each other's tables, for root_fdnames3.rs against
 * strace 6.1 (-f -y): a thread that unshare(CLONE_FILES)s and reuses fd 3 (its process's fd 3
 * keeps its name, and the thread's its own), a thread that unshare(CLONE_FS)s and fchdirs
 * (the threads it makes share its directory; its process's chdir leaves it where it is), a
 * process cloned with CLONE_FS whose chdir moves its parent too, one cloned with CLONE_FILES
 * whose open names the parent's fd, and close_range over every fd (AT_FDCWD, -100 as an
 * unsigned fd, stays named) and with CLOSE_RANGE_UNSHARE. Calls alternate through barriers
 * and waits: the lines come in one order. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t step;
static int shared;

static int raw_open(const char *path, int flags)
{
	return syscall(SYS_openat, AT_FDCWD, path, flags);
}

static void *own_files(void *arg)
{
	(void)arg;
	unshare(CLONE_FILES);
	close(shared);
	int fd = raw_open("/etc/passwd", O_RDONLY);
	fcntl(fd, F_GETFD);
	pthread_barrier_wait(&step);
	pthread_barrier_wait(&step);
	fcntl(fd, F_GETFD);
	close(fd);
	return NULL;
}

static void *inner(void *arg)
{
	(void)arg;
	syscall(SYS_faccessat, AT_FDCWD, "inner", F_OK);
	return NULL;
}

static void *own_fs(void *arg)
{
	(void)arg;
	unshare(CLONE_FS);
	int dir = raw_open("/usr", O_RDONLY | O_DIRECTORY);
	fchdir(dir);
	close(dir);
	syscall(SYS_faccessat, AT_FDCWD, "t1", F_OK);
	pthread_t t;
	pthread_create(&t, NULL, inner, NULL);
	pthread_join(t, NULL);
	pthread_barrier_wait(&step);
	pthread_barrier_wait(&step);
	syscall(SYS_faccessat, AT_FDCWD, "t2", F_OK);
	return NULL;
}

static char stack[65536];

static int moves(void *arg)
{
	(void)arg;
	chdir("/dev");
	return 0;
}

/* Its exit status is the fd it opened. */
static int opens(void *arg)
{
	(void)arg;
	return raw_open("/etc/group", O_RDONLY);
}

static int clone_sharing(int (*fn)(void *), int flags)
{
	int status = 0;
	pid_t pid = clone(fn, stack + sizeof stack, flags | SIGCHLD, NULL);
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&step, NULL, 2);

	/* unshare(CLONE_FILES): fd 3 is /etc/hostname here, /etc/passwd in the thread. */
	int fd = raw_open("/etc/hostname", O_RDONLY);
	shared = fd;
	pthread_create(&t, NULL, own_files, NULL);
	pthread_barrier_wait(&step);
	fcntl(fd, F_GETFD);
	close(fd);
	pthread_barrier_wait(&step);
	pthread_join(t, NULL);

	/* unshare(CLONE_FS): the thread stays in /usr when its process moves to /var. */
	chdir("/tmp");
	pthread_create(&t, NULL, own_fs, NULL);
	pthread_barrier_wait(&step);
	chdir("/var");
	syscall(SYS_faccessat, AT_FDCWD, "main", F_OK);
	pthread_barrier_wait(&step);
	pthread_join(t, NULL);

	/* A process sharing the directory, then one sharing the fd table. */
	clone_sharing(moves, CLONE_FS);
	syscall(SYS_faccessat, AT_FDCWD, "b", F_OK);
	fcntl(clone_sharing(opens, CLONE_FILES), F_GETFD);

	/* closefrom(3): the current directory is no fd. */
	syscall(SYS_close_range, 3, ~0U, 0);
	syscall(SYS_faccessat, AT_FDCWD, "c", F_OK);
	fd = raw_open("/etc/hosts", O_RDONLY);
	syscall(SYS_close_range, fd, fd, 2 /* CLOSE_RANGE_UNSHARE */);
	fd = raw_open("/etc/hostname", O_RDONLY);
	syscall(SYS_faccessat, AT_FDCWD, "d", F_OK);
	fcntl(fd, F_GETFD);
	return 0;
}
