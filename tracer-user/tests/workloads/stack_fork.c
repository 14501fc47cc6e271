/* -k (tests/root_stack.rs): for each line on stdin, a child that calls getppid() two frames
 * deep and exits at once, before a tracer reading its records later could read its mappings
 * (they are the parent's, inherited at fork). */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void __attribute__((noinline)) child_work(void) { getppid(); }
void __attribute__((noinline)) child_main(void) { child_work(); _exit(0); }

int main(void)
{
	char c;

	while (read(0, &c, 1) > 0) {
		if (c != '\n')
			continue;
		if (fork() == 0)
			child_main();
		wait(NULL);
	}
	return 0;
}
