/* Fd names where tasks share or leave each other's tables, and where the path an fd was
 * opened by is not (or no longer) its name, for root_fdnames3.rs against strace 6.1 (-f -y,
 * -yy): a file, a directory above one and the current directory renamed (the new name), a
 * file replaced by a rename (deleted), two swapped by RENAME_EXCHANGE, an O_TMPFILE file
 * (`#INODE (deleted)` in its directory), an O_PATH|O_NOFOLLOW symlink (the link), files
 * opened through /proc/self/root, a pidfd of a reaped child (-yy: by path), a UDP socket
 * received with SCM_RIGHTS (`UDP:[INO]`); a thread that unshare(CLONE_FILES)s and reuses fd 3 (its process's fd 3
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
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

/* Renames by the process itself: later calls use the new names, as /proc shows them. */
static void renames(void)
{
	int log = syscall(SYS_openat, AT_FDCWD, "fdnames3-log", O_WRONLY | O_CREAT, 0600);
	rename("fdnames3-log", "fdnames3-log.1");
	write(log, "x", 1);
	mkdir("fdnames3-d", 0700);
	int below = syscall(SYS_openat, AT_FDCWD, "fdnames3-d/f", O_WRONLY | O_CREAT, 0600);
	syscall(SYS_renameat, AT_FDCWD, "fdnames3-d", AT_FDCWD, "fdnames3-d2");
	write(below, "x", 1);
	int replaced = syscall(SYS_openat, AT_FDCWD, "fdnames3-y", O_WRONLY | O_CREAT, 0600);
	int other = syscall(SYS_openat, AT_FDCWD, "fdnames3-x", O_WRONLY | O_CREAT, 0600);
	rename("fdnames3-x", "fdnames3-y");
	write(replaced, "x", 1);
	write(other, "x", 1);
	syscall(SYS_renameat2, AT_FDCWD, "fdnames3-log.1", AT_FDCWD, "fdnames3-y", 2 /* RENAME_EXCHANGE */);
	write(log, "x", 1);
	write(other, "x", 1);
	mkdir("fdnames3-c", 0700);
	chdir("fdnames3-c");
	rename("../fdnames3-c", "../fdnames3-c2");
	syscall(SYS_faccessat, AT_FDCWD, "x", F_OK);
	chdir("..");
	close(log);
	close(below);
	close(replaced);
	close(other);
	unlink("fdnames3-log.1");
	unlink("fdnames3-y");
	unlink("fdnames3-d2/f");
	rmdir("fdnames3-d2");
	rmdir("fdnames3-c2");
}

/* Opens whose path is not the fd's name. */
static void not_the_path(void)
{
	int fd = syscall(SYS_openat, AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0600);
	write(fd, "x", 1);
	close(fd);
	symlink("/etc/hostname", "fdnames3-lnk");
	fd = syscall(SYS_openat, AT_FDCWD, "fdnames3-lnk", O_PATH | O_NOFOLLOW);
	fcntl(fd, F_GETFD);
	close(fd);
	unlink("fdnames3-lnk");
	fd = raw_open("/proc/self/root/etc/hostname", O_RDONLY);
	fcntl(fd, F_GETFD);
	close(fd);
	fd = raw_open("/proc/thread-self/root", O_RDONLY | O_DIRECTORY);
	int below = syscall(SYS_openat, fd, "etc/hostname", O_RDONLY);
	fcntl(below, F_GETFD);
	close(below);
	close(fd);
}

/* -yy: a pidfd whose process was reaped is named by its path. */
static void reaped(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	waitpid(pid, NULL, 0);
	fcntl(pidfd, F_GETFD);
	close(pidfd);
}

/* A UDP socket handed over with SCM_RIGHTS. */
static void handed(void)
{
	int pair[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
	int udp = socket(AF_INET, SOCK_DGRAM, 0);
	char byte = 'x', space[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = space, .msg_controllen = sizeof space};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &udp, sizeof(int));
	sendmsg(pair[0], &msg, 0);
	close(udp);
	recvmsg(pair[1], &msg, 0);
	int got;
	memcpy(&got, CMSG_DATA(c), sizeof(int));
	/* Not fcntl nor close, which the -y run shows: with eBPF a received fd is bare. */
	shutdown(got, SHUT_RDWR);
	close(pair[0]);
	close(pair[1]);
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&step, NULL, 2);

	renames();
	not_the_path();
	reaped();
	handed();

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
