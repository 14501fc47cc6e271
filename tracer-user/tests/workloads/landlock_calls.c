/* landlock_create_ruleset, landlock_add_rule and landlock_restrict_self with valid, invalid,
 * NULL and unreadable arguments, as strace 6.1 decodes them (it knows the 6.1 structs: no
 * network rules), sizes below, at and past its struct; restricts itself at the end. */
#define _GNU_SOURCE
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdint.h>
int main(void) {
    struct landlock_ruleset_attr attr = {.handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_SOCK};
    syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    syscall(SYS_landlock_create_ruleset, NULL, 0, 0xff);
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    syscall(SYS_landlock_create_ruleset, &attr, 8, 0);
    syscall(SYS_landlock_create_ruleset, &attr, 4, 0);
    syscall(SYS_landlock_create_ruleset, NULL, sizeof attr, 0);
    syscall(SYS_landlock_create_ruleset, (void*)1, sizeof attr, 0);
    struct { uint64_t fs, net, x; } big = { ~0ULL, ~0ULL, 0 };
    syscall(SYS_landlock_create_ruleset, &big, sizeof big, 0);
    big.x = 1;
    syscall(SYS_landlock_create_ruleset, &big, sizeof big, 0);
    big.fs = 1;
    big.net = 0;
    big.x = 0;
    syscall(SYS_landlock_create_ruleset, &big, 16, 0);
    syscall(SYS_landlock_create_ruleset, &big, 9, 0);
    syscall(SYS_landlock_create_ruleset, &big, 5000, 0);
    big.fs = 0;
    syscall(SYS_landlock_create_ruleset, &big, 8, 0);
    struct landlock_path_beneath_attr pb = {.allowed_access = LANDLOCK_ACCESS_FS_EXECUTE, .parent_fd = open("/", O_PATH)};
    syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
    syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &pb, 1);
    syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, NULL, 0);
    pb.allowed_access = ~0ULL;
    syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
    struct { uint64_t allowed_access, port; } np = { 0x3, 443 };
    syscall(SYS_landlock_add_rule, fd, 2, &np, 0);
    syscall(SYS_landlock_add_rule, fd, 3, &np, 0);
    syscall(SYS_landlock_add_rule, -1, 0, NULL, 0);
    syscall(SYS_landlock_restrict_self, -1, 0);
    syscall(SYS_landlock_restrict_self, fd, 0x10);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    syscall(SYS_landlock_restrict_self, fd, 0);
    return 0;
}
