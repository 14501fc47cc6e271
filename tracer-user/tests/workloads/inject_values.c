/* Calls whose injected results strace prints its own way (tests/root_arrays.rs): a
 * success in -errno's range (`retval=-1`: unsigned, but fds, pids, modes and addresses as
 * theirs) and arguments poked before and after the call (`(INJECTED: args)`). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int out = open("/dev/null", O_WRONLY);
	int in = open("/dev/zero", O_RDONLY);
	chdir("/");
	lseek(in, 0, SEEK_SET);
	syscall(SYS_getppid);
	umask(022);
	syscall(SYS_dup, in);
	off_t off = 0;
	sendfile(out, in, &off, 10);
	char b[4] = { 'a', 'b', 'c', 'd' };
	write(out, b, 4);
	write(out, b, 4);
	return 0;
}
