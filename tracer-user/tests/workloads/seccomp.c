/* seccomp(2) and prctl(PR_SET_SECCOMP) with valid, invalid, NULL and unreadable arguments, as
 * strace 6.1 decodes them: operations, flags, the actions asked about, the notification sizes,
 * filter programs (every instruction class, unknown code bits, return actions with data). */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/audit.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
static long sc(unsigned op, unsigned flags, void *args) { return syscall(SYS_seccomp, op, flags, args); }
int main(void) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 9999, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
        BPF_STMT(BPF_MISC | BPF_TAX, 0),
        BPF_STMT(BPF_LDX | BPF_W | BPF_MEM, 3),
        BPF_STMT(BPF_ST, 2),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 2, 3),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 5),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 7),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
        BPF_STMT(BPF_RET | BPF_K, 0x12345678),
        BPF_STMT(0xffff, 0x42),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { .len = sizeof f / sizeof *f, .filter = f };
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    unsigned act = SECCOMP_RET_KILL_PROCESS;
    sc(SECCOMP_GET_ACTION_AVAIL, 0, &act);
    act = 0x12345;
    sc(SECCOMP_GET_ACTION_AVAIL, 0, &act);
    sc(SECCOMP_GET_ACTION_AVAIL, 0, NULL);
    sc(SECCOMP_GET_ACTION_AVAIL, 1, &act);
    struct seccomp_notif_sizes sz;
    sc(SECCOMP_GET_NOTIF_SIZES, 0, &sz);
    sc(SECCOMP_GET_NOTIF_SIZES, 0, NULL);
    sc(SECCOMP_SET_MODE_FILTER, 0xff, &prog);
    sc(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW, NULL);
    sc(SECCOMP_SET_MODE_FILTER, 0, (void*)1);
    sc(SECCOMP_SET_MODE_STRICT, 1, &prog);
    sc(7, 3, &prog);
    struct sock_fprog empty = { .len = 0, .filter = f };
    sc(SECCOMP_SET_MODE_FILTER, 0, &empty);
    struct sock_fprog nul = { .len = 3, .filter = NULL };
    sc(SECCOMP_SET_MODE_FILTER, 0, &nul);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &empty, 0, 0);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL);
    prctl(PR_SET_SECCOMP, 5, &prog);
    prctl(PR_GET_SECCOMP);
    struct sock_filter odd[] = {
        BPF_STMT(BPF_JMP | BPF_JA, 1),
        BPF_STMT(BPF_JMP | BPF_JA | BPF_X, 1),
        BPF_STMT(BPF_LD | BPF_IMM, 1),
        BPF_STMT(BPF_LD | BPF_B | BPF_IND, 1),
        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 1),
        BPF_STMT(BPF_ALU | BPF_NEG, 0),
        BPF_STMT(BPF_ALU | 0xf0, 0),
        BPF_STMT(BPF_STX | 0x8, 0),
        BPF_STMT(BPF_RET | BPF_A, 0),
        BPF_STMT(BPF_RET | BPF_X | 0x20, 0),
        BPF_STMT(BPF_MISC | BPF_TXA, 0),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 4, 255, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 0, 0),
        BPF_JUMP(BPF_LD | BPF_H | BPF_ABS, 4, 1, 2),
        BPF_STMT(BPF_LD | 0x18 | BPF_LEN, 0),
        BPF_STMT(BPF_LD | BPF_W | 0xc0, 0),
        BPF_STMT(BPF_LD | BPF_W | 0xe0, 0),
    };
    struct sock_fprog oddp = { .len = sizeof odd / sizeof *odd, .filter = odd };
    sc(SECCOMP_SET_MODE_FILTER, 0, &oddp);
    unsigned actions[] = {SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
                          SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE, SECCOMP_RET_LOG,
                          SECCOMP_RET_ALLOW};
    for (unsigned i = 0; i < sizeof actions / sizeof *actions; i++)
        sc(SECCOMP_GET_ACTION_AVAIL, 0, &actions[i]);
    sc(SECCOMP_GET_NOTIF_SIZES, 0, (void *)1);
    sc(SECCOMP_GET_NOTIF_SIZES, 5, &sz);
    sc(-1, -1, NULL);
    struct sock_fprog bad = { .len = 2, .filter = (void *)1 };
    sc(SECCOMP_SET_MODE_FILTER, 0, &bad);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
    sc(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
    struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
    struct sock_fprog ap = { .len = 1, .filter = allow };
    long fd = sc(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &ap);
    if (fd >= 0)
        close(fd);
    return 0;
}
