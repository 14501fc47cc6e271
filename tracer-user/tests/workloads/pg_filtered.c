/* PostgreSQL password messages whose header and body go in separate calls, on a connection
 * (a socketpair) traced with --match or --min-duration: the kernel's filters must not take
 * the header from the redactor. Every password body holds "tpw" (what --match looks for) and
 * "3cr3" (what the test looks for). Sends, in order:
 *   the startup packet;
 *   a password header, then its body;
 *   a query holding "tpw-ok" (shown, unmasked, with --match tpw);
 *   a query and a password header in one call, then the body;
 * and on a second connection its startup packet, CopyData until the socket is full, then a
 * header (fast) and a body that waits for the reader (slow). A second thread reads the first
 * connection to its end, then 100 bytes of the second, then, after a pause, the rest. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static int sp[2], sq[2];
static volatile int go, freed;

static void *reader(void *unused) {
    char b[65536];
    (void)unused;
    while (!go)
        usleep(1000);
    while (syscall(SYS_read, sp[1], b, sizeof b) > 0)
        ;
    syscall(SYS_read, sq[1], b, 100);
    freed = 1;
    /* The body waits this long for room: --min-duration selects it, not its header. */
    usleep(150000);
    while (syscall(SYS_read, sq[1], b, sizeof b) > 0)
        ;
    return NULL;
}

static void send_bytes(int fd, const void *p, size_t n) {
    syscall(SYS_sendto, fd, p, n, 0, NULL, 0);
}

int main(void) {
    socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sq);
    int sz = 4096;
    setsockopt(sq[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    static const unsigned char startup[8] = {0, 0, 0, 8, 0, 3, 0, 0};
    send_bytes(sp[0], startup, 8);
    send_bytes(sp[0], "p\0\0\0\x0d", 5);
    send_bytes(sp[0], "tpw3cr3t\0", 9);
    send_bytes(sp[0], "Q\0\0\0\x14SELECT 'tpw-ok'\0", 21);
    send_bytes(sp[0], "Q\0\0\0\x0dSELECT 1\0p\0\0\0\x0d", 19);
    send_bytes(sp[0], "tpw3cr3u\0", 9);
    shutdown(sp[0], SHUT_WR);
    send_bytes(sq[0], startup, 8);
    /* CopyData messages until the socket is full. */
    char d[100];
    memset(d, 'z', sizeof d);
    memcpy(d, "d\0\0\0\x63", 5);
    while (syscall(SYS_sendto, sq[0], d, sizeof d, MSG_DONTWAIT, NULL, 0) > 0)
        ;
    go = 1;
    while (!freed)
        usleep(1000);
    send_bytes(sq[0], "p\0\0\0\x0d", 5);
    send_bytes(sq[0], "tpw3cr3v\0", 9);
    shutdown(sq[0], SHUT_WR);
    pthread_join(t, NULL);
    return 0;
}
