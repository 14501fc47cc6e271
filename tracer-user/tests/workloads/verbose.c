/* What -v / -e verbose= / -e abbrev= change: the stat family (a regular file with fixed
 * times, a character device, a symlink, a missing path, NULL), statx, uname, execve's argv
 * and envp (the program runs itself again with a small environment holding a password),
 * and two failed ones whose arrays cannot be read, a directory's entries, poll's arrays
 * longer than -s entries, and a terminal's termios (a pseudo-terminal's peer).
 * Files are made once in the current directory and kept, so their inodes and times (but the
 * change time) are the same in every run. */
#define _GNU_SOURCE
#include <asm/termbits.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <stdio.h>

static int child(void) {
    struct stat st;
    struct statx stx;
    struct utsname u;
    struct pollfd fds[40];
    struct termios t;
    struct termios2 t2;
    const struct timespec times[2] = {{1700000000, 123456789}, {1600000000, 0}};
    int fd = open("verbose.data", O_RDWR | O_CREAT, 0640);
    if (fd < 0 || write(fd, "0123456789", 10) != 10)
        return 1;
    futimens(fd, times);
    syscall(SYS_newfstatat, AT_FDCWD, "verbose.data", &st, 0);
    syscall(SYS_fstat, fd, &st);
    syscall(SYS_stat, "/dev/null", &st);
    symlink("verbose.data", "verbose.link"); /* the first run's: EEXIST later */
    syscall(SYS_lstat, "verbose.link", &st);
    syscall(SYS_stat, "verbose.missing", &st);
    syscall(SYS_newfstatat, AT_FDCWD, "verbose.data", NULL, 0);
    syscall(SYS_statx, AT_FDCWD, "verbose.data", 0, STATX_ALL, &stx);
    syscall(SYS_statx, AT_FDCWD, "/dev/null", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx);
    syscall(SYS_statx, AT_FDCWD, "verbose.missing", 0, STATX_ALL, &stx);
    uname(&u);
    char dents[1024];
    mkdir("verbose.dir", 0755); /* the first run's: EEXIST later */
    int dir = open("verbose.dir", O_RDONLY | O_DIRECTORY);
    syscall(SYS_getdents64, dir, dents, sizeof dents);
    syscall(SYS_getdents64, dir, dents, sizeof dents);
    close(dir);
    for (int i = 0; i < 40; i++) {
        fds[i].fd = fd;
        fds[i].events = POLLIN;
    }
    poll(fds, 40, 0);
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    int n = 0;
    if (m >= 0 && ioctl(m, TIOCSPTLCK, &n) == 0) {
        int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
        ioctl(s, TCGETS, &t);
        ioctl(s, TCSETS, &t);
        ioctl(s, TCGETS2, &t2);
        close(s);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1)
        return child();
    /* 20 arguments: more than -s 16 entries, fewer than what eBPF captures (32). */
    char *args[21] = {argv[0]};
    char words[19][8];
    for (int i = 1; i < 20; i++) {
        snprintf(words[i - 1], sizeof words[0], "a%d", i);
        args[i] = words[i - 1];
    }
    args[20] = NULL;
    char *env[] = {"HOME=/home/dba", "PGPASSWORD=s3cret-pw", "LANG=C", "EMPTY=", "NOEQUALS", NULL};
    /* Arrays that cannot be read print as their addresses (not as empty ones), with and
     * without -v; the path on the stack, where eBPF can read it. */
    char nonexist[] = "/nonexist";
    char **unreadable = (char **)0x1000;
    execve(nonexist, unreadable, unreadable);
    execve(nonexist, args, unreadable);
    execve("/proc/self/exe", args, env);
    return 1;
}
