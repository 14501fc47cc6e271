/* poll and ppoll: results longer than -s entries, ready entries past what is captured, and
 * entries with a negative fd (root_decoders_fds.rs). */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static struct pollfd many[3000];

int main(void) {
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    struct pollfd f[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    struct timespec ts = {0, 0};
    for (int i = 0; i < 3000; i++) {
        many[i].fd = i % 5;
        many[i].events = POLLIN;
    }
    for (int round = 0; round < 4; round++) {
        poll(f, 3, 0);
        ppoll(f, 3, &ts, 0);
        poll(many, 40, 0);
        poll(many, 3000, 0);
    }
    return 0;
}
