/* Process, scheduler, memory and file calls with valid, invalid and NULL arguments
 * (tests/root_decoders.rs root_proc_sched_mem_as_strace): utimes, futimesat, utime,
 * name_to_handle_at, getcpu,
 * sched_setattr/getattr, sched_setparam/getparam/setscheduler, sched_rr_get_interval,
 * arch_prctl, set_tid_address, mincore, get_mempolicy/set_mempolicy/mbind and
 * process_vm_readv/writev; wait4 in a ptracer (syscall stops, ptrace events). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

/* struct sched_attr (linux/sched/types.h) and 8 bytes more, for the too-long cases. */
struct attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
	uint64_t extra;
};

static void files(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/proc_sched.%d", getpid());
	close(open(path, O_CREAT | O_WRONLY, 0600));
	struct timeval tv[2] = {{1, 2}, {3, 0}};
	syscall(SYS_utimes, path, tv);
	syscall(SYS_utimes, path, NULL);
	syscall(SYS_utimes, NULL, (void *)1);
	syscall(SYS_futimesat, AT_FDCWD, path, tv);
	syscall(SYS_futimesat, -1, path, NULL);
	struct utimbuf ub = {1000000000, 1000000001};
	syscall(SYS_utime, path, &ub);
	syscall(SYS_utime, path, NULL);
	syscall(SYS_utime, "/nonexistent", (void *)1);
	/* A handle of /tmp (the same each run): as given, too small (EOVERFLOW, the size
	 * written back), a failed lookup, NULL pointers. */
	struct {
		unsigned int bytes;
		int type;
		unsigned char handle[128];
	} fh = {128, 0};
	int mount_id;
	syscall(SYS_name_to_handle_at, AT_FDCWD, "/tmp", &fh, &mount_id, 0);
	fh.bytes = 0;
	syscall(SYS_name_to_handle_at, AT_FDCWD, "/tmp", &fh, &mount_id, 0);
	fh.bytes = 128;
	unlink(path);
	syscall(SYS_name_to_handle_at, AT_FDCWD, path, &fh, &mount_id, 0);
	syscall(SYS_name_to_handle_at, -1, NULL, NULL, NULL, 0x1400);
	syscall(SYS_name_to_handle_at, AT_FDCWD, "/tmp", &fh, NULL, 0);
	/* Pinned to cpu 0 (not traced), so the answer is the same each run. */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof one, &one);
	unsigned cpu, node;
	syscall(SYS_getcpu, &cpu, &node, NULL);
	syscall(SYS_getcpu, NULL, NULL, NULL);
	syscall(SYS_getcpu, (void *)1, NULL, NULL);
}

static void scheduler(void)
{
	struct attr a;
	memset(&a, 0, sizeof a);
	syscall(SYS_sched_getattr, 0, &a, 56, 0);
	syscall(SYS_sched_getattr, 0, &a, 48, 0);
	syscall(SYS_sched_getattr, 0, &a, 64, 0);
	syscall(SYS_sched_getattr, 0, NULL, 48, 0);
	syscall(SYS_sched_getattr, 0, &a, 0, 0);
	syscall(SYS_sched_getattr, -1, &a, 1, 1);
	memset(&a, 0, sizeof a);
	a.size = 56;
	syscall(SYS_sched_setattr, 0, &a, 0);
	/* Unknown policy and flag; flags that keep the policy and the parameters; size 0 (the
	 * first version's 48 bytes); too short; too long with a byte set (E2BIG, the kernel's
	 * size written back) and with zeros. */
	a.size = 48, a.policy = 7, a.flags = 0x80, a.nice = -3;
	syscall(SYS_sched_setattr, 0, &a, 0);
	a.policy = 0, a.flags = 0x18, a.nice = 1;
	syscall(SYS_sched_setattr, 0, &a, 0);
	a.flags = 0x08;
	syscall(SYS_sched_setattr, 0, &a, 0);
	a.size = 0, a.flags = 0x1;
	syscall(SYS_sched_setattr, 0, &a, 0);
	a.size = 20;
	syscall(SYS_sched_setattr, 0, &a, 0);
	a.size = 64, a.extra = 1, a.flags = 0x7f;
	syscall(SYS_sched_setattr, 0, &a, 0);
	a.size = 64, a.extra = 0, a.flags = 0;
	syscall(SYS_sched_setattr, 0, &a, 0);
	syscall(SYS_sched_setattr, -1, NULL, 1);
	int prio = 0;
	syscall(SYS_sched_getparam, 0, &prio);
	syscall(SYS_sched_setparam, 0, &prio);
	prio = 5;
	syscall(SYS_sched_setparam, 0, &prio);
	syscall(SYS_sched_getparam, -1, NULL);
	syscall(SYS_sched_getparam, 0, (void *)1);
	syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &prio);
	prio = 0;
	syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &prio);
	syscall(SYS_sched_setscheduler, 0, 7, NULL);
	struct timespec ts;
	syscall(SYS_sched_rr_get_interval, 0, &ts);
	syscall(SYS_sched_rr_get_interval, -1, NULL);
	syscall(SYS_sched_rr_get_interval, 0, (void *)1);
}

static void process(void)
{
	unsigned long base;
	syscall(SYS_arch_prctl, 0x1004, &base);
	syscall(SYS_arch_prctl, 0x1003, NULL);
	syscall(SYS_arch_prctl, 0x1003, (void *)1);
	syscall(SYS_arch_prctl, 0x1001, 0);
	syscall(SYS_arch_prctl, 0x3001, 0);
	syscall(SYS_arch_prctl, 0x1011, &base);
	syscall(SYS_arch_prctl, 0x9999, 0x1234);
	syscall(SYS_set_tid_address, NULL);
	syscall(SYS_set_tid_address, &base);
}

/* A child this process traces: the statuses of a syscall stop (SIGTRAP | 0x80) and of the
 * exec and exit events (`|PTRACE_EVENT_EXEC<<16`), then its exit. */
static void ptracer(void)
{
	pid_t child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execl("/bin/true", "true", (char *)NULL);
		_exit(1);
	}
	int status;
	syscall(SYS_wait4, child, &status, 0, NULL);
	ptrace(PTRACE_SETOPTIONS, child, 0,
	       PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT);
	ptrace(PTRACE_SYSCALL, child, 0, 0);
	syscall(SYS_wait4, child, &status, 0, NULL);
	for (int i = 0; i < 3; i++) {
		ptrace(PTRACE_CONT, child, 0, 0);
		syscall(SYS_wait4, child, &status, 0, NULL);
	}
}

static void memory(void)
{
	char *p = mmap(NULL, 40 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	p[2 * 4096] = 1;
	unsigned char vec[40];
	syscall(SYS_mincore, p, 3 * 4096, vec);
	syscall(SYS_mincore, p, 3 * 4096 - 100, vec);
	syscall(SYS_mincore, p, 40 * 4096, vec);
	syscall(SYS_mincore, p, 3 * 4096, NULL);
	syscall(SYS_mincore, p + 1, 4096, vec);
	int mode;
	unsigned long nodes[4] = {0};
	syscall(SYS_get_mempolicy, &mode, nodes, 64, NULL, 0);
	syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0);
	syscall(SYS_get_mempolicy, &mode, nodes, 64, p, 3);
	syscall(SYS_get_mempolicy, &mode, nodes, 1, NULL, 0);
	syscall(SYS_get_mempolicy, (void *)1, nodes, 200, NULL, 0);
	nodes[0] = 1;
	syscall(SYS_set_mempolicy, 1, nodes, 64);
	syscall(SYS_set_mempolicy, 0, NULL, 0);
	syscall(SYS_set_mempolicy, 0x8002, nodes, 64);
	syscall(SYS_set_mempolicy, 2, nodes, 0);
	syscall(SYS_set_mempolicy, 2, nodes, 129);
	syscall(SYS_set_mempolicy, 2, nodes, 65);
	syscall(SYS_set_mempolicy, 2, nodes, -1L);
	syscall(SYS_mbind, p, 4096, 2, nodes, 64, 2);
	syscall(SYS_mbind, p, 4096, 0, NULL, 0, 0);
	syscall(SYS_set_mempolicy, 0, NULL, 0);
	char src[8] = "abcdefg", dst[8];
	struct iovec local[2] = {{dst, 4}, {dst + 4, 4}}, remote = {src, 8};
	pid_t me = getpid();
	syscall(SYS_process_vm_readv, me, local, 2, &remote, 1, 0);
	syscall(SYS_process_vm_writev, me, &remote, 1, local, 2, 0);
	syscall(SYS_process_vm_readv, me, local, 2, &remote, 1, 1);
	syscall(SYS_process_vm_readv, -1, NULL, 0, NULL, 0, 1);
}

int main(void)
{
	files();
	scheduler();
	process();
	ptracer();
	memory();
	return 0;
}
