/* Threads that die inside a blocked read (root_process3.rs). argv[1]:
 * "kill":   two threads block in read of their own pipe; once both are inside read, the
 *           process sends itself SIGKILL.
 * "exit":   one thread blocks in read; once it is inside, main returns (exit_group).
 * "attach": as "exit", but main first says "ready" on stdout and waits for a byte on stdin
 *           (the test attaches a tracer in between; or detaches it while both threads wait:
 *           the leader in read(0), the thread in read(3)).
 * "Inside read" is read from /proc/self/task/TID/syscall (with pread, not read, so that
 * `-e trace=read` shows only the threads' reads): no sleep decides the order. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t tids[2];

static void *blocked(void *arg) {
    int i = (int)(long)arg, p[2];
    char c;
    if (pipe(p) != 0)
        return NULL;
    tids[i] = (pid_t)syscall(SYS_gettid);
    syscall(SYS_read, p[0], &c, 1);
    return NULL;
}

static int in_read(pid_t tid) {
    char path[64], buf[32] = "";
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    return n > 2 && strncmp(buf, "0 ", 2) == 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "exit";
    int threads = strcmp(mode, "kill") == 0 ? 2 : 1;
    pthread_t t[2];
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, blocked, (void *)(long)i);
    for (int i = 0; i < threads; i++)
        while (tids[i] == 0 || !in_read(tids[i]))
            usleep(1000);
    if (threads == 2)
        syscall(SYS_kill, getpid(), SIGKILL);
    if (strcmp(mode, "attach") == 0) {
        char c;
        printf("ready\n");
        fflush(stdout);
        if (read(0, &c, 1) < 0)
            return 1;
    }
    return 0;
}
