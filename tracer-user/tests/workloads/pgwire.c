/* PostgreSQL protocol messages carrying secrets, sent over a socketpair the ways the
 * redaction must follow: split over two sendto calls, in writev and sendmsg iovecs, SQL
 * password literals in Q and P messages; the other end reads them in pieces. */
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void header(char *h, char kind, unsigned len) {
    h[0] = kind;
    h[1] = len >> 24; h[2] = len >> 16; h[3] = len >> 8; h[4] = len;
}

static void drain(int fd, size_t n) {
    char buf[512];
    while (n > 0) {
        ssize_t got = read(fd, buf, n < 5 ? n : (n > sizeof buf ? sizeof buf : n));
        if (got <= 0) return;
        n -= got;
    }
}

int main(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char h[5];

    /* A password message split: its header in one call, its body in the next. */
    const char split[] = "secret-split";
    header(h, 'p', 4 + sizeof split);
    sendto(sv[0], h, 5, 0, NULL, 0);
    sendto(sv[0], split, sizeof split, 0, NULL, 0);
    read(sv[1], h, 5);
    char body[64];
    read(sv[1], body, sizeof split);

    /* In iovecs. */
    const char iov_pw[] = "secret-iov";
    header(h, 'p', 4 + sizeof iov_pw);
    struct iovec v[2] = {{h, 5}, {(void *)iov_pw, sizeof iov_pw}};
    writev(sv[0], v, 2);
    drain(sv[1], 5 + sizeof iov_pw);

    const char msg_pw[] = "secret-msg";
    char h2[5];
    header(h2, 'p', 4 + sizeof msg_pw);
    struct iovec w[2] = {{h2, 5}, {(void *)msg_pw, sizeof msg_pw}};
    struct msghdr m = {.msg_iov = w, .msg_iovlen = 2};
    sendmsg(sv[0], &m, 0);
    drain(sv[1], 5 + sizeof msg_pw);

    /* SQL: simple query, then an extended Parse, then psql's \password. */
    const char *queries[] = {
        "ALTER ROLE x PASSWORD 'secret1'",
        "ALTER USER u PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$c2VjcmV0c2VjcmV0:a2V5a2V5'",
        "ALTER ROLE postgres PASSWORD/**/'secret3'",
        "ALTER ROLE zz1 PASSWORD /* a */ -- b\n U&'secret4'",
    };
    for (int i = 0; i < 4; i++) {
        char q[256];
        size_t n = strlen(queries[i]) + 1;
        header(q, 'Q', 4 + n);
        memcpy(q + 5, queries[i], n);
        write(sv[0], q, 5 + n);
        drain(sv[1], 5 + n);
    }
    const char parse_sql[] = "CREATE ROLE y LOGIN PASSWORD 'secret2'";
    char p[256];
    size_t n = 1 + sizeof parse_sql + 2;
    header(p, 'P', 4 + n);
    p[5] = 0;
    memcpy(p + 6, parse_sql, sizeof parse_sql);
    p[6 + sizeof parse_sql] = 0;
    p[7 + sizeof parse_sql] = 0;
    send(sv[0], p, 5 + n, 0);
    drain(sv[1], 5 + n);
    return 0;
}
