/* A PostgreSQL password message whose 5-byte header goes out on the socket and whose body
 * is written through another fd of the same connection: mode 0 a dup, 2 F_DUPFD_CLOEXEC,
 * 3 dup2, 4 a forked child on the inherited fd. Mode 10: a connection dies mid-query (its
 * close untraced with -e trace=write) and a new one gets its fd number, then sends a
 * startup packet and a password message; mode 11 the same without the startup packet. A
 * child plays the server. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void put32(char *p, unsigned v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static int conn(struct sockaddr_in *a, const char *st, int n)
{
	char r[9];
	int s = socket(AF_INET, SOCK_STREAM, 0);
	connect(s, (void *)a, sizeof *a);
	write(s, st, n);
	read(s, r, 9);
	return s;
}

int main(int argc, char **argv)
{
	int mode = argc > 1 ? atoi(argv[1]) : 0;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(0x7f000001);
	bind(l, (void *)&a, sizeof a);
	socklen_t al = sizeof a;
	getsockname(l, (void *)&a, &al);
	listen(l, 4);
	if (fork() == 0) {
		for (int i = 0; i < (mode >= 10 ? 2 : 1); i++) {
			char buf[2048], R[9] = {'R', 0, 0, 0, 8, 0, 0, 0, 3};
			int c = accept(l, 0, 0);
			read(c, buf, sizeof buf);
			write(c, R, 9);
			while (read(c, buf, sizeof buf) > 0)
				;
			close(c);
		}
		_exit(0);
	}
	char st[64];
	int n = 8;
	put32(st + 4, 196608);
	memcpy(st + 8, "user\0postgres\0\0", 15);
	n += 15;
	put32(st, n);
	int s = conn(&a, st, n);
	const char *pw = "hunter2SECRETpw";
	char p[64];
	p[0] = 'p';
	put32(p + 1, 4 + strlen(pw) + 1);
	strcpy(p + 5, pw);
	int plen = 5 + strlen(pw) + 1;
	if (mode == 0) {
		write(s, p, 5);
		write(dup(s), p + 5, plen - 5);
	} else if (mode == 2) {
		write(s, p, 5);
		write(fcntl(s, F_DUPFD_CLOEXEC, 100), p + 5, plen - 5);
	} else if (mode == 3) {
		write(s, p, 5);
		dup2(s, 50);
		write(50, p + 5, plen - 5);
	} else if (mode == 4) {
		write(s, p, 5);
		if (fork() == 0) {
			write(s, p + 5, plen - 5);
			_exit(0);
		}
		wait(0);
	} else if (mode == 10) {
		char q[16];
		q[0] = 'Q';
		put32(q + 1, 1000);
		memcpy(q + 5, "SELECT 1  ", 10);
		write(s, q, 15); /* the other 985 bytes never go */
		close(s);
		s = conn(&a, st, n);
		write(s, p, plen);
	} else if (mode == 11) { /* the same, the new connection sends no startup packet */
		char q[16];
		q[0] = 'Q';
		put32(q + 1, 1000);
		memcpy(q + 5, "SELECT 1  ", 10);
		write(s, q, 15);
		close(s);
		s = socket(AF_INET, SOCK_STREAM, 0);
		connect(s, (void *)&a, sizeof a);
		write(s, p, plen);
	}
	shutdown(s, SHUT_WR);
	while (wait(0) > 0)
		;
	return 0;
}
