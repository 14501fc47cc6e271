/* timerfd_*, inotify_*, signalfd4 and eventfd2 with valid, invalid, NULL and unreadable
 * arguments, as strace 6.1 decodes them (tests/root_decoders_fds.rs). The watches are on a
 * directory of its own: an event in it (a file another process makes in /tmp) would end the
 * IN_ONESHOT watch and fail inotify_rm_watch. */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>
#include <time.h>
int main(void) {
    /* timerfd */
    int tfd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    syscall(SYS_timerfd_create, CLOCK_REALTIME, 0);
    syscall(SYS_timerfd_create, CLOCK_BOOTTIME_ALARM, TFD_NONBLOCK);
    syscall(SYS_timerfd_create, 99, 0xffffffff);
    syscall(SYS_timerfd_create, -1, 1);
    syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 3);
    struct itimerspec its = {{1, 500}, {2, 999999999}}, old;
    syscall(SYS_timerfd_settime, tfd, 0, &its, &old);
    syscall(SYS_timerfd_settime, tfd, TFD_TIMER_ABSTIME, &its, NULL);
    syscall(SYS_timerfd_settime, tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
    syscall(SYS_timerfd_settime, tfd, 0xfc, &its, &old);
    syscall(SYS_timerfd_settime, tfd, TFD_CLOEXEC, &its, &old);
    syscall(SYS_timerfd_settime, tfd, 0, NULL, &old);
    syscall(SYS_timerfd_settime, tfd, 0, (void *)1, (void *)2);
    syscall(SYS_timerfd_settime, -1, -1, NULL, NULL);
    struct itimerspec bad = {{0, 1000000000}, {-1, 0}};
    syscall(SYS_timerfd_settime, tfd, 0, &bad, &old);
    struct itimerspec off = {{0, 0}, {0, 0}};
    syscall(SYS_timerfd_settime, tfd, 0, &off, NULL);
    syscall(SYS_timerfd_gettime, tfd, &old);
    syscall(SYS_timerfd_gettime, tfd, NULL);
    syscall(SYS_timerfd_gettime, -1, &old);
    syscall(SYS_timerfd_gettime, tfd, (void *)1);
    /* inotify */
    mkdir("fdnotify.dir", 0700);
    int ifd = syscall(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC);
    syscall(SYS_inotify_init1, 0);
    syscall(SYS_inotify_init1, IN_CLOEXEC);
    syscall(SYS_inotify_init1, IN_NONBLOCK);
    syscall(SYS_inotify_init1, 0xffffffff);
    syscall(SYS_inotify_init1, 1);
    int wd = syscall(SYS_inotify_add_watch, ifd, "fdnotify.dir", IN_MODIFY | IN_CREATE | IN_DELETE | IN_ONLYDIR);
    syscall(SYS_inotify_add_watch, ifd, "fdnotify.dir", IN_ALL_EVENTS | IN_MASK_ADD | IN_ONESHOT | IN_DONT_FOLLOW | IN_EXCL_UNLINK);
    syscall(SYS_inotify_add_watch, ifd, "fdnotify.dir", 0);
    syscall(SYS_inotify_add_watch, ifd, "fdnotify.dir", 0xffffffff);
    syscall(SYS_inotify_add_watch, ifd, "fdnotify.dir", 0x1000 | 0x8000000);
    syscall(SYS_inotify_add_watch, ifd, "/nonexistent", IN_ACCESS);
    syscall(SYS_inotify_add_watch, ifd, NULL, IN_ACCESS);
    syscall(SYS_inotify_add_watch, -1, (void *)1, IN_MASK_CREATE | IN_ISDIR | IN_IGNORED | IN_Q_OVERFLOW | IN_UNMOUNT);
    syscall(SYS_inotify_rm_watch, ifd, wd);
    syscall(SYS_inotify_rm_watch, ifd, 12345);
    syscall(SYS_inotify_rm_watch, -1, -1);
    /* signalfd4 */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGCHLD);
    syscall(SYS_signalfd4, -1, &set, 8, SFD_CLOEXEC | SFD_NONBLOCK);
    syscall(SYS_signalfd4, -1, &set, 8, 0);
    sigfillset(&set);
    syscall(SYS_signalfd4, -1, &set, 8, SFD_NONBLOCK);
    sigemptyset(&set);
    syscall(SYS_signalfd4, -1, &set, 8, 0xffffffff);
    syscall(SYS_signalfd4, -1, &set, 4, 1);
    syscall(SYS_signalfd4, -1, &set, 128, 0);
    syscall(SYS_signalfd4, -1, NULL, 8, 0);
    syscall(SYS_signalfd4, -1, (void *)1, 8, 0);
    syscall(SYS_signalfd4, 12345, &set, 8, 0);
    /* eventfd2 */
    syscall(SYS_eventfd2, 0, 0);
    syscall(SYS_eventfd2, 5, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
    syscall(SYS_eventfd2, 0xffffffff, EFD_SEMAPHORE);
    syscall(SYS_eventfd2, 1, 0xffffffff);
    syscall(SYS_eventfd2, 1, 2);
    syscall(SYS_eventfd2, 1, EFD_NONBLOCK);
    rmdir("fdnotify.dir");
    return 0;
}
