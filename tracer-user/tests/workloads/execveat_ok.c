/* Successful execveat calls, each in a child: from the cwd (AT_FDCWD, the path a string
 * literal), of an fd (AT_EMPTY_PATH), relative to a directory fd. x86_64 rewrites orig_ax to
 * execve's during every exec, so the call's number at its exit is execve's. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void in_child(int dirfd, const char *path, int flags)
{
	char arg0[] = "true";
	char env0[] = "A=1";
	char *argv[] = {arg0, NULL};
	char *envp[] = {env0, NULL};
	pid_t child = fork();
	if (child == 0) {
		syscall(SYS_execveat, dirfd, path, argv, envp, flags);
		_exit(9);
	}
	int status;
	waitpid(child, &status, 0);
}

int main(void)
{
	char empty[] = "";
	char name[] = "true";
	in_child(AT_FDCWD, "/bin/true", 0);
	int fd = open("/bin/true", O_RDONLY | O_CLOEXEC);
	in_child(fd, empty, AT_EMPTY_PATH);
	int dir = open("/bin", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	in_child(dir, name, 0);
	return 0;
}
