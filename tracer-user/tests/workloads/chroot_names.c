/* -y after chroot: strace names fds and AT_FDCWD from its own root (the links under /proc),
 * so a path the jailed process gives is taken from the jail: "/sub/f" is JAIL/sub/f. The
 * current directory stays where it was across the chroot; `..` above the new root stays at
 * it; a child inherits the root. Runs in a scratch directory (the jail is made there). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void probe(const char *name) { syscall(SYS_faccessat, AT_FDCWD, name, F_OK); }

int main(void) {
    mkdir("jail", 0755);
    mkdir("jail/sub", 0755);
    chdir("jail");
    probe("before");
    if (chroot("."))
        return 1;
    probe("kept");
    chdir("/sub");
    probe("in-sub");
    int fd = open("/../sub/f", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    write(fd, "x", 1);
    close(fd);
    pid_t child = fork();
    if (child == 0) {
        int f = open("/sub/f", O_RDONLY);
        close(f);
        chdir("/");
        probe("child-root");
        _exit(0);
    }
    waitpid(child, NULL, 0);
    chdir("..");
    probe("parent-above");
    chdir("..");
    probe("still-root");
    fd = openat(AT_FDCWD, "sub/f", O_RDONLY);
    close(fd);
    unlink("/sub/f");
    return 0;
}
