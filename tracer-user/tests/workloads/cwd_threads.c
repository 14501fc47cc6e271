/* AT_FDCWD as each thread sees it: a thread that unshares its fs_struct and changes
 * directory moves only itself (the main thread stays in /usr/lib), and a process it forks
 * starts there; then `chdir("..")` out of a directory removed at once (with eBPF, read after
 * it is gone: the parent must not read as `gone/..`). Runs in a scratch directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t moved, checked;

static void probe(void) { syscall(SYS_faccessat, AT_FDCWD, "cwd-probe", F_OK); }

static void *run(void *arg) {
    (void)arg;
    unshare(CLONE_FS);
    chdir("/dev");
    probe();
    pid_t child = fork();
    if (child == 0) {
        probe();
        _exit(0);
    }
    waitpid(child, NULL, 0);
    pthread_barrier_wait(&moved);
    pthread_barrier_wait(&checked);
    return NULL;
}

int main(void) {
    char here[4096];
    if (!getcwd(here, sizeof here)) return 1;
    chdir("/usr/lib");
    pthread_barrier_init(&moved, NULL, 2);
    pthread_barrier_init(&checked, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, run, NULL);
    pthread_barrier_wait(&moved);
    probe();
    pthread_barrier_wait(&checked);
    pthread_join(t, NULL);
    chdir(here);
    mkdir("cwd-gone", 0700);
    chdir("cwd-gone");
    chdir("..");
    rmdir("cwd-gone");
    probe();
    return 0;
}
