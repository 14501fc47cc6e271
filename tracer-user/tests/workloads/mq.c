/* POSIX message queues as strace prints them: mq_open (with and without O_CREAT, an attr,
 * NULL and unreadable ones), mq_timedsend/mq_timedreceive (messages cut at -s, priorities,
 * timeouts), mq_notify (the sigevent kinds), mq_getsetattr and mq_unlink, valid, invalid
 * and NULL. Called through syscall() so the arguments are exactly these. The queues are
 * unlinked at the end. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BAD 0xbadc0deUL
#define NAME "tracer-mq-test"

int main(void) {
    char buf[256];
    unsigned int prio = 0;
    struct mq_attr attr = {.mq_flags = 0, .mq_maxmsg = 4, .mq_msgsize = 64, .mq_curmsgs = 0};
    struct mq_attr got, set = {.mq_flags = O_NONBLOCK};
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 1000};
    struct timespec bad_ts = {.tv_sec = -1, .tv_nsec = 2000000000};

    /* A queue a killed run left behind goes, with the same lines either way. */
    int old = syscall(SYS_mq_open, NAME, O_RDWR | O_CREAT, 0600, NULL);
    close(old);
    syscall(SYS_mq_unlink, NAME);
    int q = syscall(SYS_mq_open, NAME, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
    attr.mq_flags = O_NONBLOCK;
    syscall(SYS_mq_open, NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    attr.mq_flags = 0;
    syscall(SYS_mq_open, NAME, O_RDONLY, 0600, &attr);
    syscall(SYS_mq_open, NAME, O_WRONLY | O_NONBLOCK, 0, NULL);
    syscall(SYS_mq_open, "tracer-mq-other", O_RDWR | O_CREAT, 0644, NULL);
    syscall(SYS_mq_unlink, "tracer-mq-other");
    syscall(SYS_mq_open, "tracer-mq-bad", O_RDWR | O_CREAT, 0644, (void *)BAD);
    attr.mq_maxmsg = -1;
    syscall(SYS_mq_open, "tracer-mq-bad", O_RDWR | O_CREAT | 0x40000000, 01777, &attr);
    syscall(SYS_mq_open, NULL, O_RDWR, 0, NULL);
    syscall(SYS_mq_open, (void *)BAD, O_RDWR | O_CREAT, 0, NULL);

    /* Messages: short, long (past -s), binary, NULL, unreadable; bad fd, bad timeout. */
    syscall(SYS_mq_timedsend, q, "hello", 5, 1, NULL);
    syscall(SYS_mq_timedsend, q, "a message longer than thirty-two bytes, cut by -s", 49, 7, &ts);
    syscall(SYS_mq_timedsend, q, "bin\0\1\2\377", 7, 0, NULL);
    syscall(SYS_mq_timedsend, q, NULL, 0, 2, NULL);
    syscall(SYS_mq_timedsend, q, (void *)BAD, 8, 3, NULL);
    syscall(SYS_mq_timedsend, q, "x", 1, 0xffffffffU, NULL);
    syscall(SYS_mq_timedsend, -1, "x", 1, 0, &ts);
    syscall(SYS_mq_timedsend, q, "x", 1, 0, (void *)BAD);
    syscall(SYS_mq_timedsend, q, "toolong", 100, 0, NULL);

    syscall(SYS_mq_getsetattr, q, NULL, &got);
    syscall(SYS_mq_getsetattr, q, &set, &got);
    syscall(SYS_mq_getsetattr, q, NULL, NULL);
    syscall(SYS_mq_getsetattr, q, (void *)BAD, &got);
    syscall(SYS_mq_getsetattr, q, NULL, (void *)BAD);
    syscall(SYS_mq_getsetattr, -1, &set, &got);
    syscall(SYS_mq_timedreceive, q, buf, sizeof buf, &prio, NULL);
    syscall(SYS_mq_timedreceive, q, buf, sizeof buf, &prio, &ts);
    syscall(SYS_mq_timedreceive, q, buf, sizeof buf, NULL, NULL);
    syscall(SYS_mq_timedreceive, q, buf, 8, &prio, NULL);
    syscall(SYS_mq_timedreceive, q, (void *)BAD, sizeof buf, &prio, NULL);
    syscall(SYS_mq_timedreceive, q, buf, sizeof buf, (void *)BAD, NULL);
    syscall(SYS_mq_timedreceive, -1, buf, sizeof buf, &prio, &ts);
    /* Blocking again: an empty queue times out, or fails on the timeout. */
    set.mq_flags = 0;
    syscall(SYS_mq_getsetattr, q, &set, NULL);
    syscall(SYS_mq_timedreceive, q, buf, sizeof buf, &prio, &ts);
    syscall(SYS_mq_timedreceive, q, buf, sizeof buf, &prio, &bad_ts);
    syscall(SYS_mq_timedreceive, q, buf, sizeof buf, &prio, (void *)BAD);

    /* Notifications: each sigevent kind, removal, unreadable, a bad kind. */
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 42;
    syscall(SYS_mq_notify, q, &sev);
    syscall(SYS_mq_notify, q, NULL);
    sev.sigev_notify = SIGEV_NONE;
    syscall(SYS_mq_notify, q, &sev);
    syscall(SYS_mq_notify, q, NULL);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_value.sival_ptr = NULL;
    sev.sigev_signo = 40;
    syscall(SYS_mq_notify, q, &sev);
    syscall(SYS_mq_notify, q, NULL);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_value.sival_ptr = (void *)BAD;
    syscall(SYS_mq_notify, q, &sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev._sigev_un._tid = 1;
    syscall(SYS_mq_notify, q, &sev);
    sev.sigev_notify = 77;
    sev.sigev_signo = 99;
    syscall(SYS_mq_notify, q, &sev);
    syscall(SYS_mq_notify, q, (void *)BAD);
    syscall(SYS_mq_notify, -1, NULL);

    close(q);
    syscall(SYS_mq_unlink, NAME);
    syscall(SYS_mq_unlink, NAME);
    syscall(SYS_mq_unlink, NULL);
    syscall(SYS_mq_unlink, (void *)BAD);
    return 0;
}
