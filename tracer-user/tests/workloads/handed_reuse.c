/* Fds handed over without being returned by an open, each closed at once and its number
 * taken by another file before the tracer can read /proc: a message's SCM_RIGHTS fd,
 * pidfd_getfd's, a pty peer (TIOCGPTPEER), F_DUPFD's, a bpf map and memfd_secret's file. -y must name each one as strace does
 * or, with eBPF (which reads /proc later), leave it bare: never after the file that took the
 * number later. The process then waits, so /proc shows the later files. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int reopen(const char *path) { return open(path, O_RDWR | O_CREAT, 0600); }

int main(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    /* SCM_RIGHTS: the received fd takes the number its original had. */
    int a = reopen("handed-a");
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = {"x", 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &a, sizeof a);
    sendmsg(sv[0], &m, 0);
    close(a);
    char b;
    iov.iov_base = &b;
    recvmsg(sv[1], &m, 0);
    int got;
    memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof got);
    write(got, "z", 1);
    close(got);
    reopen("handed-b");
    /* pidfd_getfd. */
    int c1 = reopen("handed-c");
    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    int d = syscall(SYS_pidfd_getfd, pidfd, c1, 0);
    close(d);
    reopen("handed-d");
    /* A pseudo-terminal's peer. */
    int ptm = posix_openpt(O_RDWR | O_NOCTTY);
    unlockpt(ptm);
    int peer = ioctl(ptm, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    close(peer);
    reopen("handed-e");
    /* F_DUPFD. */
    int e = fcntl(c1, F_DUPFD, 0);
    close(e);
    reopen("handed-f");
    /* What the call itself names: a bpf map, memfd_secret's file. */
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    int map = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
    close(map);
    reopen("handed-g");
    int secret = syscall(SYS_memfd_secret, 0);
    close(secret);
    reopen("handed-h");
    sleep(1);
    return 0;
}
