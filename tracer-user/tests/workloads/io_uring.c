/* io_uring_setup, io_uring_enter and io_uring_register with valid, invalid, NULL and
 * unreadable arguments, as strace 6.1 decodes them (tests/root_decoders_fds.rs). */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <linux/io_uring.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    int fd = syscall(SYS_io_uring_setup, 4, &p);
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
    p.cq_entries = 16;
    syscall(SYS_io_uring_setup, 2, &p);
    memset(&p, 0, sizeof p);
    p.flags = 0xffffffff;
    p.sq_thread_cpu = 3;
    p.sq_thread_idle = 1000;
    syscall(SYS_io_uring_setup, 1, &p);
    memset(&p, 0, sizeof p);
    p.resv[1] = 7;
    syscall(SYS_io_uring_setup, 1, &p);
    memset(&p, 0, sizeof p);
    p.wq_fd = 99;
    p.flags = IORING_SETUP_ATTACH_WQ;
    syscall(SYS_io_uring_setup, 1, &p);
    syscall(SYS_io_uring_setup, 1, NULL);
    syscall(SYS_io_uring_setup, 0, (void *)1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    syscall(SYS_io_uring_enter, fd, 0, 0, 0, NULL, 0);
    syscall(SYS_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 8);
    syscall(SYS_io_uring_enter, fd, 0, 0, IORING_ENTER_GETEVENTS, &set, 8);
    syscall(SYS_io_uring_enter, fd, 0, 0, IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT, &set, 4);
    syscall(SYS_io_uring_enter, fd, 0, 0, 0xffffffff, (void *)1, 8);
    syscall(SYS_io_uring_enter, -1, 0xffffffff, 0xffffffff, IORING_ENTER_EXT_ARG | IORING_ENTER_REGISTERED_RING, NULL, 0);
    int fds[2] = {0, 1};
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_FILES, fds, 2);
    syscall(SYS_io_uring_register, fd, IORING_UNREGISTER_FILES, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_EVENTFD, fds, 1);
    syscall(SYS_io_uring_register, fd, IORING_UNREGISTER_EVENTFD, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_BUFFERS, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_PROBE, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_PERSONALITY, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_RESTRICTIONS, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_IOWQ_MAX_WORKERS, NULL, 2);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_RING_FDS, NULL, 0);
    syscall(SYS_io_uring_register, fd, IORING_REGISTER_PBUF_RING, NULL, 1);
    syscall(SYS_io_uring_register, fd, 22, NULL, 0);
    syscall(SYS_io_uring_register, fd, 40, NULL, 0);
    syscall(SYS_io_uring_register, fd, 0xffffffff, (void *)1, 0xffffffff);
    syscall(SYS_io_uring_register, -1, IORING_REGISTER_FILES, (void *)1, 1);
    int many[40];
    for (int i = 0; i < 40; i++)
        many[i] = i;
    syscall(SYS_io_uring_register, -1, IORING_REGISTER_FILES, many, 40);
    syscall(SYS_io_uring_register, -1, IORING_REGISTER_FILES, many, 0);
    syscall(SYS_io_uring_register, -1, IORING_REGISTER_FILES, NULL, 3);
    syscall(SYS_io_uring_register, -1, IORING_REGISTER_EVENTFD_ASYNC, many, 1);
    syscall(SYS_io_uring_register, -1, IORING_UNREGISTER_BUFFERS, many, 1);
    return 0;
}
