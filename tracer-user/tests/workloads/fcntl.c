/* fcntl commands with valid, invalid and NULL arguments (tests/root_decoders_fds.rs
 * root_fcntl_as_strace): F_[GS]ETOWN_EX, F_NOTIFY, F_[GS]ETSIG, F_[GS]ETLEASE, struct flock
 * with unknown types, strace's names for commands (F_SETLKW64), commands newer than strace 6.1,
 * 64-bit arguments. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct owner { int type, pid; };

static void do_fcntl(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int tmp = open(".", O_RDWR | O_TMPFILE, 0600);
	struct owner own = { F_OWNER_TID, 0 };
	struct flock lk = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };

	/* F_SETOWN_EX / F_GETOWN_EX: a struct, NULL, an unknown type, an unreadable one. */
	syscall(SYS_fcntl, fd, F_SETOWN_EX, &own);
	memset(&own, 0, sizeof(own));
	syscall(SYS_fcntl, fd, F_GETOWN_EX, &own);
	own.type = F_OWNER_PGRP;
	own.pid = 0;
	syscall(SYS_fcntl, fd, F_SETOWN_EX, &own);
	syscall(SYS_fcntl, fd, F_GETOWN_EX, &own);
	own.type = 7;
	own.pid = 1;
	syscall(SYS_fcntl, fd, F_SETOWN_EX, &own);
	syscall(SYS_fcntl, fd, F_SETOWN_EX, NULL);
	syscall(SYS_fcntl, fd, F_GETOWN_EX, NULL);
	syscall(SYS_fcntl, fd, F_GETOWN_EX, 0x10UL);
	syscall(SYS_fcntl, fd, F_SETOWN, 0);
	syscall(SYS_fcntl, fd, F_GETOWN);

	/* F_NOTIFY: flags, multishot, unknown bits. */
	syscall(SYS_fcntl, fd, F_NOTIFY, DN_ACCESS | DN_MODIFY | DN_MULTISHOT);
	syscall(SYS_fcntl, dir, F_NOTIFY, 0);
	syscall(SYS_fcntl, -1, F_NOTIFY, 0xffffffffUL);
	syscall(SYS_fcntl, -1, F_NOTIFY, 0x40UL);

	/* F_SETSIG / F_GETSIG. */
	syscall(SYS_fcntl, fd, F_GETSIG);
	syscall(SYS_fcntl, fd, F_SETSIG, SIGUSR1);
	syscall(SYS_fcntl, fd, F_GETSIG);
	syscall(SYS_fcntl, fd, F_SETSIG, 0);
	syscall(SYS_fcntl, fd, F_SETSIG, 99);
	syscall(SYS_fcntl, fd, F_SETSIG, SIGRTMIN + 2);
	syscall(SYS_fcntl, fd, F_GETSIG);
	syscall(SYS_fcntl, -1, F_GETSIG);

	/* Leases: the lease a file has, setting one, unknown types. */
	syscall(SYS_fcntl, tmp, F_GETLEASE);
	syscall(SYS_fcntl, tmp, F_SETLEASE, F_WRLCK);
	syscall(SYS_fcntl, tmp, F_GETLEASE);
	syscall(SYS_fcntl, tmp, F_SETLEASE, F_UNLCK);
	syscall(SYS_fcntl, tmp, F_SETLEASE, 5);
	syscall(SYS_fcntl, -1, F_GETLEASE);

	/* struct flock: a lock, an unknown type and whence, NULL, unreadable. */
	syscall(SYS_fcntl, fd, F_SETLK, &lk);
	syscall(SYS_fcntl, fd, F_GETLK, &lk);
	lk.l_type = 255;
	lk.l_whence = 77;
	syscall(SYS_fcntl, fd, F_SETLK, &lk);
	syscall(SYS_fcntl, fd, F_GETLK, &lk);
	syscall(SYS_fcntl, fd, F_OFD_SETLK, &lk);
	syscall(SYS_fcntl, fd, F_SETLKW, NULL);
	syscall(SYS_fcntl, fd, F_OFD_GETLK, 0x10UL);

	/* Pipe sizes, seals, dups, unknown commands. */
	syscall(SYS_fcntl, fd, F_SETPIPE_SZ, 4096);
	syscall(SYS_fcntl, fd, F_GETPIPE_SZ);
	syscall(SYS_fcntl, tmp, F_ADD_SEALS, 0xffffUL);
	syscall(SYS_fcntl, tmp, F_GET_SEALS);
	syscall(SYS_fcntl, fd, F_SETFD, 0xffUL);
	syscall(SYS_fcntl, fd, F_GETFD);
	syscall(SYS_fcntl, fd, 0x12345, 0xdeadbeefUL);
	syscall(SYS_fcntl, fd, 14, 0x10UL);
	syscall(SYS_fcntl, fd, 12, 0x10UL);
	syscall(SYS_fcntl, fd, 17 /* F_GETOWNER_UIDS */, 0x10UL);
	syscall(SYS_fcntl, fd, 0x403, 0x10UL);
	syscall(SYS_fcntl, -1, F_ADD_SEALS, 0x100000001UL);
	syscall(SYS_fcntl, -1, F_SETFD, 0x100000001UL);
	syscall(SYS_fcntl, -1, F_SETSIG, 0x100000001UL);
	syscall(SYS_fcntl, -1, F_SETLEASE, 0x100000001UL);
	syscall(SYS_fcntl, -1, F_NOTIFY, 0x100000001UL);
	close(tmp);
	close(dir);
	close(fd);
}

int main(void)
{
	do_fcntl();
	return 0;
}
