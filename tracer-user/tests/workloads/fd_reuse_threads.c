/* Two threads open, write and close a file each, 3000 times, so each often gets the number
 * the other's close is still freeing: the close frees it as it begins, so the other's open
 * can return before that close ends. Every write's fd must still be named (strace reads
 * /proc as it prints). Runs in a scratch directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *run(void *arg) {
    const char *name = arg;
    for (int i = 0; i < 3000; i++) {
        int fd = syscall(SYS_openat, AT_FDCWD, name, O_WRONLY | O_CREAT, 0600);
        syscall(SYS_write, fd, name, 1);
        syscall(SYS_close, fd);
    }
    return NULL;
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, run, "a");
    pthread_create(&b, NULL, run, "b");
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
