/* The process, memory and filesystem long tail as strace 6.1 prints it
 * (tests/root_decoders_misc.rs): arch_prctl's XCOMP masks and the codes 6.1 does not know,
 * get_robust_list, ptrace's SETREGS registers, clone's parent_tid, swapon's flags and
 * priority, memfd_create's unknown flags, fcntl's unsigned arguments, renameat2's and
 * access's unknown bits, mremap's fifth argument, xattr values' trailing NUL, statfs magic
 * numbers, mknod's set-id bits, times without a valid date, empty iovec arrays,
 * getrandom's empty buffer, migrate_pages' node masks, move_pages' arrays,
 * gettimeofday/settimeofday's timezone, kexec_load/kexec_file_load, XFS quotactl
 * commands, select's sets for nfds <= 0 and past nfds, pselect6's sigmask of another
 * size, open_by_handle_at's handle. Valid, invalid and NULL arguments; nothing here
 * changes the machine (every call that could is refused by an argument the kernel checks
 * first). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

/* An address nothing is mapped at, as strace's tests use. */
#define BAD 0xdeadbeef000UL

#define QCMD(cmd, type) (((cmd) << 8) | ((type) & 0xff))

struct fs_disk_quota_buf {
	int8_t d_version, d_flags;
	uint16_t d_fieldmask;
	uint32_t d_id;
	uint64_t limits[6];
	char rest[56];
};

struct handle_buf {
	unsigned int bytes;
	int type;
	unsigned char h[136];
};

struct kexec_segment_buf {
	uint64_t buf, bufsz, mem, memsz;
};

static void processes(void)
{
	unsigned long v = 0;
	/* Known to 6.1: the XCOMP getters print the mask; 0x4001.. are newer codes. */
	syscall(SYS_arch_prctl, 0x1021, &v);
	syscall(SYS_arch_prctl, 0x1022, &v);
	syscall(SYS_arch_prctl, 0x1021, BAD);
	syscall(SYS_arch_prctl, 0x4001, &v);
	syscall(SYS_arch_prctl, 0x4003, 0x10);
	syscall(SYS_arch_prctl, 0x5002, 0);

	void *head = NULL;
	size_t len = 0;
	syscall(SYS_get_robust_list, 0, &head, &len);
	syscall(SYS_get_robust_list, -1, &head, &len);
	syscall(SYS_get_robust_list, 0, NULL, &len);
	syscall(SYS_get_robust_list, 0, BAD, BAD);

	/* Not tracing pid 1: refused, the registers printed as given. */
	unsigned long regs[27];
	for (int i = 0; i < 27; i++)
		regs[i] = i * 0x10;
	syscall(SYS_ptrace, PTRACE_SETREGS, 1, NULL, regs);
	syscall(SYS_ptrace, PTRACE_GETREGS, 1, NULL, regs);
	syscall(SYS_ptrace, PTRACE_SETREGS, 1, NULL, BAD);

	/* CLONE_PIDFD with CLONE_DETACHED: refused before anything forks. */
	if (syscall(SYS_clone, CLONE_PIDFD | 0x400000, NULL, NULL, NULL, 0) == 0)
		_exit(0);
}

static void machine(void)
{
	char noswap[] = "misc-noswap";
	/* No such file: refused before anything is swapped on. */
	syscall(SYS_swapon, noswap, 0);
	syscall(SYS_swapon, noswap, 0x8000 | 5);
	syscall(SYS_swapon, noswap, 0x10000);
	syscall(SYS_swapon, noswap, 0x8000 | 0x10000 | 0x20000 | 0x7fff);
	syscall(SYS_swapon, noswap, 0xf0000000);

	/* Unknown flag bits and an architecture no kernel has: refused before any image is
	 * loaded or unloaded. */
	struct kexec_segment_buf seg = { .buf = 0, .bufsz = 4096, .mem = 0x100000, .memsz = 4096 };
	syscall(SYS_kexec_load, 0, 0, NULL, 0x100);
	syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000);
	syscall(SYS_kexec_load, 0, 1, &seg, 0x3e0100);
	syscall(SYS_kexec_load, 0, 17, &seg, 0x100);
	char cmdline[] = "quiet";
	syscall(SYS_kexec_file_load, -1, -1, 0, cmdline, 0x1f);
	syscall(SYS_kexec_file_load, -1, -1, 5, cmdline, 0x18);

	struct { int minuteswest, dsttime; } tz = { 0, 0 };
	syscall(SYS_gettimeofday, NULL, &tz);
	syscall(SYS_gettimeofday, NULL, BAD);
	/* An invalid time: refused before the timezone is read. */
	struct timeval bad_tv = { 0, 2000000 };
	syscall(SYS_settimeofday, &bad_tv, &tz);
	syscall(SYS_settimeofday, NULL, BAD);

	char dev[] = "/dev/misc-nodev";
	struct fs_disk_quota_buf dq;
	memset(&dq, 0, sizeof(dq));
	dq.d_version = 1;
	dq.d_flags = 1;
	dq.d_fieldmask = 0xc;
	dq.d_id = 7;
	dq.limits[0] = 99;
	unsigned int qflags = 3;
	syscall(SYS_quotactl, QCMD(0x5804, 0), dev, 7, &dq);
	syscall(SYS_quotactl, QCMD(0x5803, 0), dev, 7, &dq);
	syscall(SYS_quotactl, QCMD(0x5801, 0), dev, 0, &qflags);
	syscall(SYS_quotactl, QCMD(0x5802, 1), dev, 0, &qflags);
	syscall(SYS_quotactl, QCMD(0x5806, 0), dev, 0, &qflags);
	syscall(SYS_quotactl, QCMD(0x5801, 0), dev, 0, BAD);
	syscall(SYS_quotactl, QCMD(0x5805, 0), dev, 0, &dq);
	syscall(SYS_quotactl, QCMD(0x5808, 0), dev, 0, &dq);
}

static void memory(void)
{
	char *pages = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pages[0] = 1;
	syscall(SYS_mremap, pages + 2 * 4096, 4096, 4096, 2, pages);
	syscall(SYS_mremap, BAD, 4096, 4096, 2);

	/* Names on the stack: with eBPF a literal in a page the program never touched
	 * prints as its address. */
	char memfd[] = "misc";
	syscall(SYS_memfd_create, memfd, 0x18);
	syscall(SYS_memfd_create, memfd, 0xf0 | (63 << 26));

	unsigned long nodes = 1;
	syscall(SYS_migrate_pages, 0, 64, &nodes, &nodes);
	syscall(SYS_migrate_pages, -1, 64, &nodes, &nodes);
	syscall(SYS_migrate_pages, 0, 0, NULL, NULL);

	void *addrs[2] = { pages, pages + 4096 };
	int node[2] = { 0, 0 };
	int status[2] = { 7, 7 };
	syscall(SYS_move_pages, 0, 2, addrs, NULL, status, 0);
	syscall(SYS_move_pages, 0, 2, addrs, node, status, 2);
	syscall(SYS_move_pages, -1, 1, addrs, NULL, status, 0);
	syscall(SYS_move_pages, 0, 1, BAD, NULL, status, 0);
	syscall(SYS_move_pages, 0, 0, NULL, NULL, NULL, 0xff);

	char buf[8];
	syscall(SYS_getrandom, buf, 0, 0);
	syscall(SYS_getrandom, NULL, 0, 1);
}

static void files(void)
{
	char file[] = "misc-file", other[] = "misc-other", fifo[] = "misc-fifo";
	int fd = open(file, O_CREAT | O_RDWR, 0600);
	syscall(SYS_fcntl, fd, F_DUPFD, -1);
	int pipes[2];
	pipe(pipes);
	syscall(SYS_fcntl, pipes[0], F_SETPIPE_SZ, -1);
	syscall(SYS_renameat2, AT_FDCWD, file, AT_FDCWD, other, 0xf8);
	syscall(SYS_access, file, 0x10);
	syscall(SYS_faccessat, AT_FDCWD, file, 0x18);

	char name[] = "user.misc", value[] = "val\0ue\377\n";
	syscall(SYS_setxattr, file, name, value, sizeof(value), 0);
	char val[] = "val";
	syscall(SYS_fsetxattr, fd, name, val, sizeof(val), 0x5);

	struct statfs_buf { char b[120]; } st;
	syscall(SYS_fstatfs, pipes[0], &st);
	int efd = eventfd(0, 0);
	syscall(SYS_fstatfs, efd, &st);

	syscall(SYS_mknodat, AT_FDCWD, fifo, S_IFIFO | 06777, 0);
	syscall(SYS_unlinkat, AT_FDCWD, fifo, 0);

	struct timeval tv[2] = { { -1, 1000000 }, { 0x7fffffff, 999999 } };
	syscall(SYS_utimes, file, tv);
	struct timespec ts[2] = { { 1, UTIME_OMIT }, { 2, -1 } };
	syscall(SYS_utimensat, AT_FDCWD, file, ts, AT_SYMLINK_NOFOLLOW);

	struct iovec iov = { file, 4 };
	syscall(SYS_readv, fd, &iov, 0);
	syscall(SYS_writev, fd, &iov, 0);
	syscall(SYS_vmsplice, pipes[1], &iov, 0, 0);

	struct handle_buf fh;
	memset(&fh, 0xab, sizeof(fh));
	fh.bytes = 8;
	fh.type = 1;
	syscall(SYS_open_by_handle_at, -1, &fh, O_RDONLY);
	syscall(SYS_open_by_handle_at, AT_FDCWD, BAD, O_PATH);
	fh.bytes = 129;
	syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDWR | O_CLOEXEC);
	syscall(SYS_unlinkat, AT_FDCWD, file, 0);
}

static void selects(void)
{
	fd_set set;
	FD_ZERO(&set);
	FD_SET(0, &set);
	struct timeval zero = { 0, 0 };
	syscall(SYS_select, 0, &set, NULL, NULL, &zero);
	syscall(SYS_select, -1, &set, NULL, NULL, &zero);

	/* Every bit of 1152 set, 1100 of them asked about: the set ends at nfds. */
	unsigned long big[18];
	memset(big, 0xff, sizeof(big));
	struct timespec ts0 = { 0, 0 };
	syscall(SYS_pselect6, 1100, big, NULL, NULL, &ts0, NULL);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	int p[2];
	pipe(p);
	write(p[1], "x", 1);
	FD_ZERO(&set);
	FD_SET(p[0], &set);
	struct { void *ss; size_t len; } sig = { &mask, 4 };
	syscall(SYS_pselect6, p[0] + 1, &set, NULL, NULL, &ts0, &sig);
	sig.len = 8;
	syscall(SYS_pselect6, p[0] + 1, &set, NULL, NULL, &ts0, &sig);
}

int main(void)
{
	processes();
	machine();
	memory();
	files();
	selects();
	return 0;
}
