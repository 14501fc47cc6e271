/* iovec arrays strace prints in a special way: ones that cannot be read (their address, no
 * dump), failed reads (the buffers' addresses), garbage lengths the kernel rejects (no bytes
 * dumped), and, with argument "many", 40 of them (32 printed, all dumped).
 * fds: 3 /dev/null (write only), pipe 4 and 5, sockets 6 and 7. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fd = open("/dev/null", O_WRONLY);
    int p[2], sv[2];
    pipe(p);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    static char text[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
    struct iovec v[40];
    for (int i = 0; i < 40; i++) {
        v[i].iov_base = text + i;
        v[i].iov_len = 1;
    }
    if (argc > 1 && strcmp(argv[1], "many") == 0) {
        writev(fd, v, 40);
        readv(fd, v, 40);
        return 0;
    }
    void *unreadable = (void *)0x1000;
    writev(fd, unreadable, 2);
    pwritev(fd, unreadable, 2, 0);
    vmsplice(p[1], unreadable, 2, 0);
    struct msghdr m = {0};
    m.msg_iov = unreadable;
    m.msg_iovlen = 2;
    sendmsg(sv[0], &m, 0);
    /* Failed reads: EBADF (write-only fd, closed fd). */
    readv(fd, v, 2);
    preadv(99, v, 1, 0);
    /* Lengths the kernel rejects (EINVAL): nothing of the bytes after the 16 is dumped. */
    static char small[16] = "0123456789abcdef";
    struct iovec huge[2] = {{small, (size_t)1 << 40}, {small, ~(size_t)0}};
    pwritev(fd, huge, 2, 0);
    m.msg_iov = huge;
    sendmsg(sv[0], &m, 0);
    /* And the ordinary case still dumps. */
    writev(fd, v, 2);
    return 0;
}
