/* One fd of each class `-e decode-fds=SET` tells apart: a file, a character device, a pidfd,
 * a unix socket pair, a UDP socket and a netlink socket, each used once and closed, for
 * root_sockets.rs's decode-fds sets against strace 6.1. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/netlink.h>

int main(void)
{
	char byte;
	int file = open("/proc/self/comm", O_RDONLY);
	int null = open("/dev/null", O_RDONLY);
	int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	int pair[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
	int udp = socket(AF_INET, SOCK_DGRAM, 0);
	int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	read(file, &byte, 1);
	read(null, &byte, 1);
	write(pair[0], "x", 1);
	read(pair[1], &byte, 1);
	int fds[] = { file, null, pidfd, pair[0], pair[1], udp, nl };
	for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
		close(fds[i]);
	return 0;
}
