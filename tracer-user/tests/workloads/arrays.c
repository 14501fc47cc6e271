/* Arrays as strace's print_array prints them (tests/root_arrays.rs): arrays whose tail is
 * unreadable (the elements read, then `... /* 0xADDR *\/`; none readable: the address),
 * arrays longer than -s (cut at -s entries unless -v or -e abbrev=), iovecs of one
 * byte each under a small -s, and iovec buffers that run into an unreadable page. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* n bytes that end where a PROT_NONE page starts: reading past them faults. */
static void *tail(size_t n)
{
	char *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p + 4096, 4096, PROT_NONE);
	return p + 4096 - n;
}

int main(void)
{
	int fd = open("/dev/null", O_WRONLY);
	int sv[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);

	/* Unreadable tails. */
	struct iovec *v = tail(2 * sizeof(*v));
	v[0].iov_base = "abc";
	v[0].iov_len = 3;
	v[1].iov_base = "de";
	v[1].iov_len = 2;
	writev(fd, v, 3);
	writev(fd, v + 1, 2);
	writev(fd, v + 2, 1);
	syscall(SYS_pwritev, fd, v, 4, 0, 0);
	struct msghdr mh = { .msg_iov = v, .msg_iovlen = 3 };
	sendmsg(sv[0], &mh, 0);
	struct iovec *rv = tail(sizeof(*rv));
	char rb[4];
	rv[0].iov_base = rb;
	rv[0].iov_len = 4;
	readv(sv[1], rv, 2);
	syscall(SYS_process_vm_readv, getpid(), rv, 2, v, 3, 0);

	struct pollfd *pf = tail(2 * sizeof(*pf));
	pf[0].fd = fd;
	pf[0].events = POLLOUT;
	pf[1].fd = -1;
	pf[1].events = POLLIN;
	poll(pf, 3, 0);
	struct timespec ts = { 0, 0 };
	syscall(SYS_ppoll, pf, 3, &ts, NULL, 8);
	poll(pf + 2, 1, 0);

	gid_t *g = tail(3 * sizeof(*g));
	g[0] = 0;
	g[1] = 65534;
	g[2] = 7;
	syscall(SYS_setgroups, 5, g);
	syscall(SYS_setgroups, 4, g + 1);

	unsigned long *nodes = tail(8);
	*nodes = 1;
	syscall(SYS_set_mempolicy, 1 /* MPOL_PREFERRED */, nodes, 128);

	int sem = semget(IPC_PRIVATE, 3, 0600);
	struct sembuf *ops = tail(3 * sizeof(*ops));
	for (int i = 0; i < 3; i++) {
		ops[i].sem_num = i;
		ops[i].sem_op = 1;
		ops[i].sem_flg = SEM_UNDO;
	}
	syscall(SYS_semop, sem, ops, 5);
	semctl(sem, 0, IPC_RMID);

	/* Buffers that run into an unreadable page: strace reads min(len, -s + 1) bytes of
	 * each and prints the address when that read comes up short, the bytes otherwise. */
	char *edge = tail(10);
	memcpy(edge, "0123456789", 10);
	char word[6] = "TOPSE";
	struct iovec ev[2] = { { edge, 40 }, { word, 5 } };
	writev(fd, ev, 2);
	ev[0].iov_len = 200;
	writev(fd, ev, 2);
	ev[0].iov_len = 10;
	writev(fd, ev, 2);

	/* Longer than -s: 40 groups, 40 one-byte iovecs (pwritev2), fd pairs. */
	gid_t groups[40];
	for (int i = 0; i < 40; i++)
		groups[i] = 1000 + i;
	syscall(SYS_setgroups, 40, groups);
	char bytes[40][2];
	struct iovec ones[40];
	for (int i = 0; i < 40; i++) {
		bytes[i][0] = 'a' + i % 26;
		ones[i].iov_base = bytes[i];
		ones[i].iov_len = 1;
	}
	syscall(SYS_pwritev2, fd, ones, 40, 0, 0, 0);
	int p[2];
	pipe2(p, 0);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	return 0;
}
