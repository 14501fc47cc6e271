/* The splice family with valid, invalid and NULL arguments (tests/root_decoders_fds.rs
 * root_splice_family_as_strace): splice's and sendfile's offsets (in and out: `[0] => [4]`),
 * NULL offsets, tee, vmsplice, copy_file_range. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	int p[2], q[2];
	int f = open("data", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int g = open("copy", O_RDWR | O_CREAT | O_TRUNC, 0600);
	loff_t off = 0, off2 = 0;
	off_t soff = 0;
	struct iovec iov = { .iov_base = "hello", .iov_len = 5 };

	write(f, "0123456789", 10);
	pipe(p);
	pipe(q);

	/* splice: from a file at an offset into a pipe, from the pipe to a file at an offset,
	 * NULL offsets, a bad offset pointer, bad fds. */
	syscall(SYS_splice, f, &off, p[1], NULL, 5, 0);
	syscall(SYS_splice, p[0], NULL, g, &off2, 5, SPLICE_F_MOVE | SPLICE_F_MORE);
	syscall(SYS_splice, f, NULL, p[1], NULL, 3, SPLICE_F_NONBLOCK);
	syscall(SYS_splice, p[0], NULL, g, (loff_t *)0x10, 3, 0);
	syscall(SYS_splice, -1, &off, -1, &off2, 1, 0xff);

	/* tee between two pipes. */
	syscall(SYS_splice, f, &off, p[1], NULL, 2, 0);
	syscall(SYS_tee, p[0], q[1], 2, SPLICE_F_NONBLOCK);
	syscall(SYS_tee, -1, -1, 0, 0);

	/* vmsplice. */
	syscall(SYS_vmsplice, q[1], &iov, 1, 0);
	syscall(SYS_vmsplice, -1, NULL, 0, SPLICE_F_GIFT);

	/* sendfile: an offset read and updated, NULL, a bad pointer, bad fds. */
	syscall(SYS_sendfile, g, f, &soff, 4);
	syscall(SYS_sendfile, g, f, &soff, 0);
	syscall(SYS_sendfile, g, f, NULL, 2);
	syscall(SYS_sendfile, g, f, (off_t *)0x10, 2);
	syscall(SYS_sendfile, -1, -1, &soff, 1);
	soff = -1;
	syscall(SYS_sendfile, g, f, &soff, 1);
	off = -1;
	syscall(SYS_splice, f, &off, p[1], NULL, 1, 0);

	/* copy_file_range: both offsets, NULL ones. */
	off = 0;
	off2 = 2;
	syscall(SYS_copy_file_range, f, &off, g, &off2, 3, 0);
	syscall(SYS_copy_file_range, f, NULL, g, NULL, 1, 0);
	syscall(SYS_copy_file_range, -1, &off, -1, &off2, 1, 1);
	unlink("data");
	unlink("copy");
	return 0;
}
