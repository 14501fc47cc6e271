/* Decoders checked against strace 6.1 (tests/root_decoders_t15.rs), the misses of issue 19's
 * broad corpus and the leftovers of session 14: getdents's `struct linux_dirent` records
 * (`N entries` in a comment, `0 entries` at the end, each record with -v), a failed or
 * bad-length getdents/getdents64; shmget's huge page size in the three -X styles
 * (`0x3fffe00|63<<26|0777` with -X raw), only the size set, no flags; a SIGSYS siginfo's
 * si_arch by its AUDIT_ARCH_* name (generated from linux/audit.h), an unknown one;
 * mount_setattr's 0 returned as an fd (strace 6.1's RVAL_FD). */

#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/mount.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DIR_PATH "/tmp/t15-d15-dents"

int main(void)
{
    /* The directory and its files stay between runs: their inodes and d_off hashes are the
     * same for strace and tracer. */
    mkdir(DIR_PATH, 0755);
    close(open(DIR_PATH "/a", O_CREAT | O_WRONLY, 0600));
    close(open(DIR_PATH "/bb", O_CREAT | O_WRONLY, 0600));
    char buf[4096];
    int dir = open(DIR_PATH, O_RDONLY | O_DIRECTORY);
    syscall(SYS_getdents, dir, buf, sizeof buf);
    syscall(SYS_getdents, dir, buf, sizeof buf);
    lseek(dir, 0, SEEK_SET);
    syscall(SYS_getdents64, dir, buf, sizeof buf);
    syscall(SYS_getdents64, dir, buf, sizeof buf);
    lseek(dir, 0, SEEK_SET);
    syscall(SYS_getdents, dir, buf, 16);
    syscall(SYS_getdents, -1, buf, sizeof buf);
    syscall(SYS_getdents, dir, NULL, sizeof buf);
    syscall(SYS_getdents64, -1, NULL, 0);
    close(dir);

    syscall(SYS_shmget, -1, -1, -1);
    syscall(SYS_shmget, IPC_PRIVATE, 0, (21 << 26) | 0600);
    syscall(SYS_shmget, 0x1234, 0, IPC_CREAT | SHM_HUGETLB | (30 << 26) | 0640);
    syscall(SYS_shmget, 0x1234, 0, 0);

    unsigned arches[] = {AUDIT_ARCH_AARCH64, AUDIT_ARCH_ARM, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64,
                         AUDIT_ARCH_RISCV64, AUDIT_ARCH_S390X, 0x12345};
    for (unsigned a = 0; a < sizeof arches / sizeof arches[0]; a++) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        si.si_signo = SIGSYS;
        si.si_code = 1; /* SYS_SECCOMP */
        /* si_call_addr, si_syscall, si_arch */
        unsigned *words = (unsigned *)&si;
        words[6] = 1;
        words[7] = arches[a];
        syscall(SYS_rt_sigqueueinfo, -1, SIGSYS, &si);
    }

    /* Nothing to set: the kernel returns 0 before it looks at the path (no mount changes). */
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    syscall(SYS_mount_setattr, AT_FDCWD, DIR_PATH, 0, &attr, sizeof attr);
    syscall(SYS_mount_setattr, -1, NULL, 0, NULL, 0);
    return 0;
}
