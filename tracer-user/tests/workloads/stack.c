/* -k (tests/root_stack.rs): calls made a few frames deep, from global and static functions,
 * through libc's wrappers and its syscall(); then getpid() marks the end and the program
 * waits for its stdin to close, so that its mappings are still there when tracer names the
 * frames (the kernel programs' records are read a moment after the calls). */
#define _GNU_SOURCE
#include <unistd.h>
#include <sys/syscall.h>

static void __attribute__((noinline)) local_write(void)
{
	char line[2] = {'k', '\n'};

	write(1, line, sizeof(line));
}

void __attribute__((noinline)) level3(void) { getppid(); }
void __attribute__((noinline)) level2(void) { level3(); local_write(); }
void __attribute__((noinline)) level1(void) { level2(); syscall(SYS_getppid); }

int main(void)
{
	char c;

	level1();
	getpid();
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
