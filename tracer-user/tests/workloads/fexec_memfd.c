/* runc's way to start a container's process (root_process3.rs): /bin/true copied into a
 * sealed memfd, run by fexecve (glibc: execveat(fd, "", ..., AT_EMPTY_PATH)) and by a direct
 * execveat, each in a forked child. The "" path is on a page the exec caller never read. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int src = open("/bin/true", O_RDONLY);
    struct stat st;
    if (src < 0 || fstat(src, &st) != 0)
        return 1;
    int m = memfd_create("runc_cloned:/bin/true", MFD_CLOEXEC);
    if (sendfile(m, src, NULL, st.st_size) != st.st_size)
        return 1;
    char *av[] = {"true", "x", NULL};
    char *ev[] = {"A=1", NULL};
    if (fork() == 0) {
        fexecve(m, av, ev);
        _exit(1);
    }
    wait(NULL);
    if (fork() == 0) {
        syscall(SYS_execveat, m, "", av, ev, AT_EMPTY_PATH);
        _exit(1);
    }
    wait(NULL);
    return 0;
}
