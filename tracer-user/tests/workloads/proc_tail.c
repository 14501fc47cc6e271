/* The process and system long tail as strace prints it (tests/root_decoders_proc.rs):
 * clone3, ptrace, pidfd_send_signal, reboot, init_module/finit_module/delete_module,
 * ioperm/iopl, the uid/gid calls, sethostname/setdomainname, sched_[gs]etaffinity, the
 * System V *_INFO commands, keyctl's capabilities and futex_waitv, with valid, invalid and
 * NULL arguments. Nothing here can change the machine: reboot gets wrong magic numbers,
 * the module calls get no module, the host and domain names are set in a UTS namespace of
 * the program's own, every clone3 is refused before it forks. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <elf.h>
#include <linux/futex.h>
#include <linux/keyctl.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/ptrace.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_32
#define FUTEX_32 2
#endif

/* An address nothing is mapped at, as strace's tests use. */
#define BAD 0xdeadbeef000UL

struct waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static void clones(void)
{
	struct clone_args a;
	syscall(SYS_clone3, NULL, 0);
	syscall(SYS_clone3, BAD, 88);
	memset(&a, 0, sizeof a);
	syscall(SYS_clone3, &a, 8);
	/* exit_signal out of range: EINVAL before anything is created. */
	a.flags = CLONE_PIDFD | CLONE_NEWUSER | CLONE_CLEAR_SIGHAND;
	a.exit_signal = 0xffffffff;
	syscall(SYS_clone3, &a, 88);
	/* CLONE_CLEAR_SIGHAND with CLONE_SIGHAND: EINVAL. */
	a.flags = CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_INTO_CGROUP | CLONE_PARENT_SETTID;
	a.exit_signal = SIGCHLD;
	a.cgroup = 3;
	a.parent_tid = BAD;
	syscall(SYS_clone3, &a, 88);
	a.flags = CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | 0x400000000ULL;
	a.exit_signal = 0xdeadbeef;
	a.cgroup = 0;
	syscall(SYS_clone3, &a, 88);
}

static void ptraces(void)
{
	long word;
	siginfo_t si;
	syscall(SYS_ptrace, PTRACE_SEIZE, 0, NULL, 0);
	syscall(SYS_ptrace, 0xffffffffUL, -1, BAD, BAD);
	syscall(SYS_ptrace, PTRACE_PEEKDATA, -1, BAD, &word);
	syscall(SYS_ptrace, PTRACE_POKEDATA, -1, BAD, 0x1234);
	syscall(SYS_ptrace, PTRACE_CONT, -1, 0, SIGUSR1);
	syscall(SYS_ptrace, PTRACE_DETACH, -1, 0, 0);
	syscall(SYS_ptrace, PTRACE_SYSCALL, -1, 0, 0xff);
	syscall(SYS_ptrace, PTRACE_SETOPTIONS, -1, 0,
		PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
	syscall(SYS_ptrace, PTRACE_SEIZE, -1, 0, PTRACE_O_TRACECLONE | 0x800000);
	syscall(SYS_ptrace, PTRACE_ATTACH, -1, BAD, BAD);
	syscall(SYS_ptrace, PTRACE_INTERRUPT, -1, 0, 0);
	syscall(SYS_ptrace, PTRACE_KILL, -1, 0, 0);
	syscall(SYS_ptrace, PTRACE_LISTEN, -1, 0, 0);
	syscall(SYS_ptrace, PTRACE_GETSIGINFO, -1, 0, &si);
	syscall(SYS_ptrace, PTRACE_GETEVENTMSG, -1, 0, &word);
	syscall(SYS_ptrace, PTRACE_GETSIGMASK, -1, 8, &word);
	syscall(SYS_ptrace, PTRACE_GET_SYSCALL_INFO, -1, 88, BAD);
	syscall(SYS_ptrace, PTRACE_GETREGS, -1, 0, BAD);
	/* The forms of the address: a register offset, a regset type, a struct. */
	syscall(SYS_ptrace, PTRACE_PEEKUSER, -1, 8, &word);
	syscall(SYS_ptrace, PTRACE_POKEUSER, -1, 8 * 16 + 3, 7);
	syscall(SYS_ptrace, PTRACE_PEEKUSER, -1, 0x2000, NULL);
	struct iovec io = {.iov_base = (void *)BAD, .iov_len = 8};
	syscall(SYS_ptrace, PTRACE_GETREGSET, -1, NT_PRSTATUS, &io);
	syscall(SYS_ptrace, PTRACE_GETREGSET, -1, 0x202, &io);
	syscall(SYS_ptrace, PTRACE_SETREGSET, -1, 0x999, &io);
	syscall(SYS_ptrace, PTRACE_GETREGSET, -1, 2, BAD);
	struct { uint64_t off; uint32_t flags; int32_t nr; } peek = {0, 1, 1};
	syscall(SYS_ptrace, PTRACE_PEEKSIGINFO, -1, &peek, BAD);
	syscall(SYS_ptrace, PTRACE_PEEKSIGINFO, -1, BAD, BAD);
	memset(&si, 0, sizeof si);
	syscall(SYS_ptrace, PTRACE_SETSIGINFO, -1, 0, &si);
	uint64_t mask = 1 << (SIGUSR1 - 1) | 1 << (SIGTERM - 1);
	syscall(SYS_ptrace, PTRACE_SETSIGMASK, -1, 8, &mask);
	syscall(SYS_ptrace, PTRACE_SETSIGMASK, -1, 4, &mask);
	uint64_t meta[2] = {3, 0};
	syscall(SYS_ptrace, PTRACE_SECCOMP_GET_METADATA, -1, 16, meta);
	syscall(SYS_ptrace, PTRACE_SECCOMP_GET_METADATA, -1, 4, meta);
}

static void signals(void)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = 1234;
	si.si_uid = 5678;
	si.si_value.sival_int = 42;
	syscall(SYS_pidfd_send_signal, -1, SIGKILL, BAD, 0xff);
	syscall(SYS_pidfd_send_signal, -1, SIGUSR1, &si, 0);
	syscall(SYS_pidfd_send_signal, -1, 0, NULL, 0);
	syscall(SYS_pidfd_send_signal, -1, 100, NULL, 0);
}

/* The strings the calls take are on the stack: with eBPF a string in a page the program
 * never touched (a literal the kernel refuses unread) prints as its address. */
static void reboots(void)
{
	char why[] = "t9 reboot";
	/* Never both magic numbers right: each call is refused (EINVAL). */
	syscall(SYS_reboot, 0, 0, LINUX_REBOOT_CMD_CAD_OFF, NULL);
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0xdeadbeef, LINUX_REBOOT_CMD_RESTART2, why);
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0, LINUX_REBOOT_CMD_RESTART2, BAD);
	syscall(SYS_reboot, 0xfee1deadU + 1, LINUX_REBOOT_MAGIC2C, 0xdeadbeef, NULL);
	syscall(SYS_reboot, 0, LINUX_REBOOT_MAGIC2A, LINUX_REBOOT_CMD_POWER_OFF, NULL);
}

static void modules(void)
{
	char image[64], none[] = "", params[] = "t9=1", name[] = "t9nomod";
	memset(image, 0, sizeof image);
	/* No ELF image: ENOEXEC or EFAULT, nothing is loaded. */
	syscall(SYS_init_module, NULL, 0, none);
	syscall(SYS_init_module, image, sizeof image, params);
	syscall(SYS_init_module, BAD, 4096, BAD);
	syscall(SYS_finit_module, -1, none, 0);
	syscall(SYS_finit_module, -1, params, 3);
	syscall(SYS_finit_module, -1, BAD, 0xfc);
	syscall(SYS_delete_module, name, O_NONBLOCK | O_TRUNC);
	syscall(SYS_delete_module, name, 0);
	syscall(SYS_delete_module, BAD, 0xffffffff);
}

static void io_ports(void)
{
	syscall(SYS_ioperm, 0, 0x400, 0);
	syscall(SYS_ioperm, 0x3f8, 8, 0);
	syscall(SYS_ioperm, -1UL, -1UL, -1);
	syscall(SYS_iopl, 0);
	syscall(SYS_iopl, 4);
	syscall(SYS_iopl, -1);
}

static void ids(void)
{
	gid_t groups[4] = {0, 1, 2, (gid_t)-1};
	gid_t got[8];
	syscall(SYS_getgroups, 8, got);
	syscall(SYS_getgroups, -1, got);
	syscall(SYS_setgroups, 4, groups);
	syscall(SYS_setgroups, 1, NULL);
	syscall(SYS_setgroups, 0, NULL);
	syscall(SYS_setuid, -1);
	syscall(SYS_setuid, 0xfffffffe);
	syscall(SYS_setreuid, -1, 0xfffffffe);
	syscall(SYS_setreuid, 0, -1L);
	syscall(SYS_setresuid, -1, 0, 0xfffffffe);
	syscall(SYS_setfsuid, 0xfffffffe);
	syscall(SYS_setfsuid, 0);
	syscall(SYS_setgid, -1);
	syscall(SYS_setgid, 0xfffffffe);
	syscall(SYS_setgid, 0);
	syscall(SYS_setregid, 0xfffffffe, -1);
	syscall(SYS_setregid, 0, 0);
	syscall(SYS_setresgid, -1, -1, 0xfffffffe);
	syscall(SYS_setresgid, 0, 0, 0);
	syscall(SYS_setfsgid, -1);
	syscall(SYS_setfsgid, 0);
}

static void names(void)
{
	/* In a UTS namespace of its own: the machine's names are untouched. */
	char host[] = "t9host", domain[] = "t9domain";
	if (unshare(CLONE_NEWUTS) != 0)
		return;
	syscall(SYS_sethostname, host, 6);
	syscall(SYS_sethostname, host, -1);
	syscall(SYS_sethostname, NULL, 65);
	syscall(SYS_sethostname, BAD, 8);
	syscall(SYS_setdomainname, domain, 8);
	syscall(SYS_setdomainname, domain, -1);
	syscall(SYS_setdomainname, BAD, 8);
}

static void affinity(void)
{
	unsigned long set[16];
	memset(set, 0, sizeof set);
	set[0] = 3;
	syscall(SYS_sched_setaffinity, 0, 128, set);
	syscall(SYS_sched_getaffinity, 0, 128, set);
	syscall(SYS_sched_setaffinity, 0, 8, set);
	syscall(SYS_sched_setaffinity, 0, 0, NULL);
	syscall(SYS_sched_setaffinity, -1, 128, BAD);
	syscall(SYS_sched_getaffinity, 0, 3, set);
	syscall(SYS_sched_getaffinity, 0, 128, NULL);
}

static void ipc_info(void)
{
	char buf[256];
	syscall(SYS_shmctl, 0, IPC_INFO, buf);
	syscall(SYS_shmctl, 0, IPC_INFO, NULL);
	syscall(SYS_msgctl, 0, IPC_INFO, buf);
	syscall(SYS_msgctl, 0, MSG_INFO, NULL);
	syscall(SYS_semctl, 0, 0, IPC_INFO, buf);
	syscall(SYS_semctl, 0, 0, IPC_INFO, NULL);
}

static void caps(void)
{
	unsigned char buf[128];
	syscall(SYS_keyctl, KEYCTL_CAPABILITIES, buf, sizeof buf);
	syscall(SYS_keyctl, KEYCTL_CAPABILITIES, buf, 1);
	syscall(SYS_keyctl, KEYCTL_CAPABILITIES, NULL, 0);
	syscall(SYS_keyctl, KEYCTL_CAPABILITIES, BAD, 128);
}

static void futexes(void)
{
	uint32_t *words = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct waitv *w = (struct waitv *)(words + 16);
	words[0] = 1;
	words[1] = 0;
	w[0] = (struct waitv){.val = 1, .uaddr = (uintptr_t)&words[0], .flags = FUTEX_32};
	w[1] = (struct waitv){.val = 7, .uaddr = (uintptr_t)&words[1],
			      .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG};
	/* The second word is not 7: EAGAIN at once. */
	syscall(SYS_futex_waitv, w, 2, 0, NULL, CLOCK_REALTIME);
	syscall(SYS_futex_waitv, NULL, 0, 0, NULL, CLOCK_MONOTONIC);
	syscall(SYS_futex_waitv, BAD, 1, 0, NULL, CLOCK_MONOTONIC);
	w[2] = (struct waitv){.val = 0xdeadbeef, .uaddr = BAD, .flags = 0x7f, .reserved = 1};
	syscall(SYS_futex_waitv, w + 2, 1, 1, NULL, 0xff);
	munmap(words, 4096);
}

int main(void)
{
	clones();
	ptraces();
	signals();
	reboots();
	modules();
	io_ports();
	names();
	affinity();
	ipc_info();
	caps();
	futexes();
	ids();
	return 0;
}
