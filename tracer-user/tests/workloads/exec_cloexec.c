/* -y across an exec: the close-on-exec fds are closed by it, so the new program's calls on
 * those numbers print them bare, as strace does; the others keep their names. Runs in a
 * scratch directory; execs itself once with an argument. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

static void probe(void) {
    for (int fd = 3; fd < 7; fd++)
        fcntl(fd, F_GETFD);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        probe();
        close(4);
        close(6);
        return 0;
    }
    int a = open("kept", O_CREAT | O_WRONLY, 0600);
    int b = open("closed", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    int c = dup3(a, 5, O_CLOEXEC);
    int d = fcntl(a, F_DUPFD, 6);
    (void)b, (void)c, (void)d;
    probe();
    char *args[] = {argv[0], "again", 0};
    execv("/proc/self/exe", args);
    return 1;
}
