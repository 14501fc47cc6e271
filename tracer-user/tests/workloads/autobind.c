/* Inet sockets the kernel binds to a port of its own choice (tests/root_fdnames2.rs): a send
 * on an unbound socket autobinds it even when it fails for want of an address (EDESTADDRREQ),
 * and listen binds an unbound TCP socket; strace's -yy shows the chosen port from the next
 * call on. The data is on the stack (a page already present: eBPF reads it as it is). */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void unbound_send(int family, long nr) {
    char data[2] = "h";
    int s = socket(family, SOCK_DGRAM, 0);
    if (nr == SYS_sendmsg) {
        struct iovec iov = {.iov_base = data, .iov_len = 1};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        syscall(SYS_sendmsg, s, &msg, 0);
    } else if (nr == SYS_sendto) {
        syscall(SYS_sendto, s, data, 1, 0, 0, 0);
    } else {
        syscall(SYS_write, s, data, 1);
    }
    syscall(SYS_getsockname, s, 0, 0);
    syscall(SYS_close, s);
}

int main(void) {
    unbound_send(AF_INET, SYS_write);
    unbound_send(AF_INET6, SYS_sendto);
    unbound_send(AF_INET, SYS_sendmsg);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    syscall(SYS_listen, s, 1);
    syscall(SYS_getsockname, s, 0, 0);
    syscall(SYS_close, s);
    s = socket(AF_INET, SOCK_DGRAM, 0);
    syscall(SYS_close, s);
    return 0;
}
