/* io_uring_register's arguments by opcode (t11's item 4), as strace 6.1's io_uring.c prints
 * them, with valid, invalid, NULL and unreadable arguments (tests/root_decoders_t11.rs):
 * buffers' iovecs, fd arrays, files updates (IORING_REGISTER_FILES_SKIP), the probe (zeroed:
 * what the kernel wrote; not zeroed: what was given), restrictions of every kind, the rsrc
 * register and update structs with their data and tags arrays and a non-zero tail, the io-wq
 * affinity mask, the max-workers counts before and after, ring fds. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define BAD ((void *)0xdeadbeef000)
#define REG(fd, op, arg, n) syscall(SYS_io_uring_register, fd, op, arg, n)

int main(void) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    int fd = syscall(SYS_io_uring_setup, 4, &p);
    int full = open("/dev/full", O_WRONLY);
    char buf[64];
    struct iovec iov[2] = {{buf, 16}, {buf + 16, 4}};
    REG(fd, IORING_REGISTER_BUFFERS, iov, 2);
    REG(fd, IORING_UNREGISTER_BUFFERS, NULL, 0);
    REG(fd, IORING_REGISTER_BUFFERS, BAD, 2);
    REG(fd, IORING_REGISTER_BUFFERS, iov, 0);
    int fds[3] = {full, -1, -2};
    REG(fd, IORING_REGISTER_FILES, fds, 2);
    struct io_uring_files_update fu = {.offset = 1, .fds = (uintptr_t)fds};
    REG(fd, IORING_REGISTER_FILES_UPDATE, &fu, 1);
    fu.resv = 5;
    REG(fd, IORING_REGISTER_FILES_UPDATE, &fu, 3);
    fu.resv = 0;
    fu.fds = (uintptr_t)BAD;
    REG(fd, IORING_REGISTER_FILES_UPDATE, &fu, 3);
    fu.fds = 0;
    REG(fd, IORING_REGISTER_FILES_UPDATE, &fu, 3);
    REG(fd, IORING_REGISTER_FILES_UPDATE, NULL, 3);
    REG(fd, IORING_UNREGISTER_FILES, NULL, 0);
    char pb[sizeof(struct io_uring_probe) + 8 * sizeof(struct io_uring_probe_op)];
    memset(pb, 0, sizeof pb);
    REG(fd, IORING_REGISTER_PROBE, pb, 4);
    memset(pb, 0, sizeof pb);
    REG(fd, IORING_REGISTER_PROBE, pb, 300);
    struct io_uring_probe *pr = (void *)pb;
    memset(pb, 0, sizeof pb);
    pr->last_op = 3;
    pr->ops_len = 1;
    pr->resv = 2;
    pr->resv2[1] = 3;
    pr->ops[0].resv = 1;
    pr->ops[0].flags = 3;
    pr->ops[0].resv2 = 4;
    pr->ops[1].op = 70;
    REG(fd, IORING_REGISTER_PROBE, pb, 3);
    memset(pb, 0, sizeof pb);
    REG(-1, IORING_REGISTER_PROBE, pb, 2);
    REG(fd, IORING_REGISTER_PROBE, pb, 0);
    REG(fd, IORING_REGISTER_PROBE, BAD, 4);
    struct io_uring_restriction r[40];
    memset(r, 0, sizeof r);
    for (int i = 0; i < 34; i++) {
        r[i].opcode = IORING_RESTRICTION_SQE_OP;
        r[i].sqe_op = 30 + i;
    }
    r[34].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
    r[34].sqe_flags = 0xff;
    r[35].opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED;
    r[35].sqe_flags = 1;
    r[36].opcode = 7;
    r[36].register_op = 5;
    r[36].resv = 3;
    r[36].resv2[1] = 9;
    r[37].opcode = IORING_RESTRICTION_REGISTER_OP;
    r[37].register_op = 40;
    r[38].opcode = IORING_RESTRICTION_REGISTER_OP;
    r[38].register_op = IORING_REGISTER_FILES2;
    REG(fd, IORING_REGISTER_RESTRICTIONS, r, 34);
    REG(fd, IORING_REGISTER_RESTRICTIONS, r + 30, 9);
    REG(fd, IORING_REGISTER_RESTRICTIONS, NULL, 2);
    unsigned int w[3] = {1, 2, 3};
    REG(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, w, 3);
    REG(-1, IORING_REGISTER_IOWQ_MAX_WORKERS, w, 2);
    REG(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, w, 2);
    w[0] = w[1] = 0;
    REG(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, w, 2);
    REG(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, BAD, 2);
    REG(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, NULL, 2);
    REG(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, w, 0);
    unsigned long mask[2] = {1, 0};
    REG(fd, IORING_REGISTER_IOWQ_AFF, mask, 16);
    REG(fd, IORING_UNREGISTER_IOWQ_AFF, NULL, 0);
    REG(fd, IORING_REGISTER_IOWQ_AFF, NULL, 8);
    REG(fd, IORING_REGISTER_IOWQ_AFF, BAD, 8);
    uint64_t tags[3] = {1, 0, 0x20};
    struct io_uring_rsrc_register rr = {
        .nr = 3, .flags = IORING_RSRC_REGISTER_SPARSE | 2, .resv2 = 7,
        .data = (uintptr_t)fds, .tags = (uintptr_t)tags};
    REG(fd, IORING_REGISTER_FILES2, &rr, sizeof rr);
    REG(fd, IORING_REGISTER_FILES2, &rr, 16);
    char big[48];
    memset(big, 0, sizeof big);
    memcpy(big, &rr, sizeof rr);
    big[40] = 1;
    REG(fd, IORING_REGISTER_FILES2, big, sizeof big);
    struct io_uring_rsrc_register one = {.nr = 1, .data = (uintptr_t)fds};
    REG(fd, IORING_REGISTER_FILES2, &one, sizeof one);
    struct io_uring_rsrc_register rb = {.nr = 2, .data = (uintptr_t)iov};
    REG(fd, IORING_REGISTER_BUFFERS2, &rb, sizeof rb);
    struct io_uring_rsrc_update2 u2 = {
        .offset = 0, .data = (uintptr_t)fds, .nr = 1};
    REG(fd, IORING_REGISTER_FILES_UPDATE2, &u2, sizeof u2);
    u2.offset = 1;
    u2.resv = 2;
    u2.tags = (uintptr_t)tags;
    u2.nr = 2;
    u2.resv2 = 4;
    REG(fd, IORING_REGISTER_FILES_UPDATE2, &u2, sizeof u2);
    u2.data = (uintptr_t)iov;
    REG(fd, IORING_REGISTER_BUFFERS_UPDATE, &u2, sizeof u2);
    u2.data = (uintptr_t)BAD;
    REG(fd, IORING_REGISTER_FILES_UPDATE2, &u2, sizeof u2);
    REG(fd, IORING_REGISTER_FILES_UPDATE2, BAD, sizeof u2);
    struct io_uring_rsrc_update ring[2] = {{.offset = -1U, .data = fd}, {.offset = 3, .resv = 1, .data = 0}};
    REG(fd, IORING_REGISTER_RING_FDS, ring, 1);
    REG(fd, IORING_UNREGISTER_RING_FDS, ring + 1, 1);
    REG(fd, IORING_REGISTER_RING_FDS, NULL, 0);
    return 0;
}
