/* NULL buffers and NULL iov_base in calls that read and write data: strace prints NULL,
 * never the empty string a zero length leaves (root_decoders_fds.rs). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
    int r = open("/dev/null", O_RDONLY), w = open("/dev/null", O_WRONLY);
    struct iovec iov[2] = {{NULL, 0}, {NULL, 5}};
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    read(r, NULL, 0);
    read(r, NULL, 10);
    write(w, NULL, 0);
    readv(r, iov, 2);
    writev(w, iov, 2);
    preadv(r, iov, 2, 0);
    pwritev(w, iov, 2, 0);
    shutdown(sv[1], SHUT_WR);
    recvfrom(sv[0], NULL, 0, 0, NULL, NULL);
    recvfrom(sv[0], NULL, 8, MSG_DONTWAIT, NULL, NULL);
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = iov;
    m.msg_iovlen = 2;
    recvmsg(sv[0], &m, MSG_DONTWAIT);
    sendmsg(sv[0], &m, MSG_DONTWAIT);
    sendto(sv[0], NULL, 0, MSG_DONTWAIT, NULL, 0);
    close(sv[0]);
    close(sv[1]);
    return 0;
}
