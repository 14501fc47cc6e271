/* select and pselect6 on fds past FD_SETSIZE (1024), as database hosts with a high
 * RLIMIT_NOFILE make them (root_decoders_fds.rs). */
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static unsigned long rd[128], wr[128];

static void set(unsigned long *s, int fd) { s[fd / 64] |= 1UL << (fd % 64); }

int main(void) {
    struct rlimit rl = {8192, 8192};
    int p[2], fds[] = {1023, 1024, 1500, 4095, 8000};
    setrlimit(RLIMIT_NOFILE, &rl);
    pipe(p);
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        int r = fds[i], w = fds[i] - 1;
        dup2(p[0], r);
        dup2(p[1], w);
        write(w, "x", 1);
        for (unsigned k = 0; k < 128; k++)
            rd[k] = wr[k] = 0;
        set(rd, r);
        set(wr, w);
        struct timeval tv = {0, 0};
        syscall(SYS_select, r + 1, rd, wr, 0, &tv);
        struct timespec ts = {0, 0};
        syscall(SYS_pselect6, r + 1, rd, wr, 0, &ts, 0);
        read(r, &rl, 1);
    }
    return 0;
}
