/* A TCP server that accepts with NULL address arguments (as most servers do: the peer
 * comes from getpeername, or not at all): a forked client connects, writes "hey" and
 * exits; the server reads it and the end of the stream. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    char b[8];
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(l, (void *)&a, sizeof a) || listen(l, 8) || getsockname(l, (void *)&a, &al))
        return 1;
    pid_t p = fork();
    if (p == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (void *)&a, sizeof a) || write(c, "hey", 3) != 3)
            _exit(1);
        _exit(0);
    }
    waitpid(p, NULL, 0);
    int x = accept(l, NULL, NULL);
    syscall(SYS_read, x, b, 8);
    syscall(SYS_read, x, b, 8);
    syscall(SYS_close, x);
    syscall(SYS_close, l);
    return 0;
}
