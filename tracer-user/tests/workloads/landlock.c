/* Runs COMMAND in a new Landlock domain (which forbids ptrace of any process outside it).
 * Usage: landlock COMMAND [ARG...] */
#include <linux/landlock.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    (void)argc;
    struct landlock_ruleset_attr attr = {.handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_SOCK};
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) {
        perror("landlock_create_ruleset");
        return 125;
    }
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (syscall(SYS_landlock_restrict_self, fd, 0)) {
        perror("landlock_restrict_self");
        return 125;
    }
    execvp(argv[1], argv + 1);
    perror("exec");
    return 127;
}
