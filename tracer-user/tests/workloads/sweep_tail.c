/* The sweep's odd syscalls with valid, invalid and NULL arguments, beyond the sweep's 0 and -1
 * (tests/root_decoders.rs root_sweep_tail_as_strace): syslog, personality, modify_ldt, futex,
 * ioprio_set/get, pkey_alloc, mmap, remap_file_pages, statx, mount, open_tree. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	/* syslog: named actions, console levels (each refused: the level is the machine's), an
	 * unknown action. */
	syscall(SYS_syslog, 10, 0, 0);
	syscall(SYS_syslog, 8, 0, 0);
	syscall(SYS_syslog, 8, 0, 99);
	syscall(SYS_syslog, 8, 0, -1);
	syscall(SYS_syslog, 3, 0, 16);
	syscall(SYS_syslog, 42, 0x1000, 7);

	/* personality: the query, a type with flags, an unknown type, unknown flag bits. */
	long pers = syscall(SYS_personality, 0xffffffffUL);
	syscall(SYS_personality, 0x0040000UL);
	syscall(SYS_personality, 0xffffffffUL);
	syscall(SYS_personality, 0x0008UL | 0x0400000UL);
	syscall(SYS_personality, 0x0043UL);
	syscall(SYS_personality, 0x10000000UL);
	syscall(SYS_personality, (unsigned long)pers);

	/* modify_ldt: read nothing, an unknown func (the clipped ENOSYS), a bad size. */
	syscall(SYS_modify_ldt, 0, 0, 0);
	syscall(SYS_modify_ldt, 5, 0, 0);
	syscall(SYS_modify_ldt, 1, 0x1000, 5);

	/* futex: unknown commands, a private flag on an unknown one, extra bits. */
	int word = 0;
	syscall(SYS_futex, &word, 1, 1, 0, 0, 0);
	syscall(SYS_futex, &word, 129, 1, 0, 0, 0);
	syscall(SYS_futex, &word, 14, 1, 0, 0, 0);
	syscall(SYS_futex, &word, 14 | 128, 1, 0, 0, 0);
	syscall(SYS_futex, &word, 1 | 256, 1, 0, 0, 0);
	syscall(SYS_futex, &word, 9 | 256, 1, 0, 0, 0);
	syscall(SYS_futex, &word, 1 | 1024, 1, 0, 0, 0);

	/* ioprio: each who, a value per class, unknown class and who. Only this process's
	 * priority changes (a group's or a user's would outlive it): the others name no one. */
	syscall(SYS_ioprio_get, 1, 0);
	syscall(SYS_ioprio_get, 2, 99999);
	syscall(SYS_ioprio_get, 3, 99999);
	syscall(SYS_ioprio_get, 7, 0);
	syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 4);
	syscall(SYS_ioprio_get, 1, 0);
	syscall(SYS_ioprio_set, 1, 0, (3 << 13));
	syscall(SYS_ioprio_set, 2, 99999, (1 << 13) | 7);
	syscall(SYS_ioprio_set, 3, 99999, (9 << 13) | 1);
	syscall(SYS_ioprio_set, 9, 1, 0);

	/* pkey_alloc: valid rights, every named right, unknown bits, flags. */
	syscall(SYS_pkey_alloc, 0, 1);
	syscall(SYS_pkey_alloc, 0, 7);
	syscall(SYS_pkey_alloc, 0, 8);
	syscall(SYS_pkey_alloc, 1, 2);

	/* mmap: no flags (MAP_FILE), unknown type, huge page sizes, high bits. */
	syscall(SYS_mmap, 0, 4096, 0, 0, -1, 0);
	syscall(SYS_mmap, 0, 4096, 3, 0x20, -1, 0);
	syscall(SYS_mmap, 0, 4096, 3, 0x7 | 0x20, -1, 0);
	syscall(SYS_mmap, 0, 4096, 3, 0x22 | 0x40000 | (21UL << 26), -1, 0);
	syscall(SYS_mmap, 0, 4096, 3, 0x22 | 0x80 | 0x200, -1, 0);
	syscall(SYS_mmap, 0, 4096, 0x10000000UL, 0x100000022UL, -1, 0);
	syscall(SYS_mmap, 0, 4096, 0x100000001UL, 0xf0000000000022UL | (1UL << 26), -1, 0);

	/* remap_file_pages: valid-looking, with flags. */
	syscall(SYS_remap_file_pages, 0x1000, 4096, 0, 1, 0);
	syscall(SYS_remap_file_pages, 0, 8192, 3, 2, 0x10000);
	syscall(SYS_remap_file_pages, 0, 8192, 0x100000004UL, 2, 0x2 | (30UL << 26));

	/* statx: each sync type, with other flags. */
	syscall(SYS_statx, AT_FDCWD, "", 0x2000, 0, 0);
	syscall(SYS_statx, AT_FDCWD, "", 0x4000 | 0x100, 0, 0);
	syscall(SYS_statx, AT_FDCWD, "", 0x6000, 0, 0);
	syscall(SYS_statx, AT_FDCWD, "", 0x6000 | 0x1000 | 0x80000000, 0x80000000, 0);
	syscall(SYS_statx, AT_FDCWD, "", 0x8000, 0xfff, 0);

	char fstype[] = "tmpfs", data[] = "x";
	/* mount: the old magic alone and with flags, bind (no type, no data), remount. */
	syscall(SYS_mount, "none", "/nonexistent/d19b", "tmpfs", 0xc0ed0000UL, "size=1m");
	syscall(SYS_mount, "none", "/nonexistent/d19b", "tmpfs", 0xc0ed0000UL | 1, "size=1m");
	syscall(SYS_mount, "/tmp", "/nonexistent/d19b", fstype, 0x1000UL | 0x4000, data);
	syscall(SYS_mount, "none", "/nonexistent/d19b", fstype, 0x20UL | 0x1, "mode=0755");
	syscall(SYS_mount, "none", "/nonexistent/d19b", NULL, 0UL, NULL);
	syscall(SYS_mount, "none", "/nonexistent/d19b", "ext4", 0xc0ed0000UL | 0x40000, 0);
	syscall(SYS_mount, "none", "/nonexistent/d19b", "ext4", 0x100000200UL, 0);

	/* open_tree: named flags in strace's order, unknown bits. */
	syscall(SYS_open_tree, AT_FDCWD, "/nonexistent/d19b", 1 | 0x80000);
	syscall(SYS_open_tree, AT_FDCWD, "/nonexistent/d19b", 0x100 | 0x8000 | 0x200 | 0x400);
	syscall(SYS_open_tree, -1, "", 0x1000 | 0x800 | 0x10000);
	return 0;
}
