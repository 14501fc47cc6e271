/* The key management calls as strace prints them: add_key, request_key and every keyctl
 * command with the arguments it takes, valid, invalid and NULL. Keys go to the process
 * keyring (gone when the program ends); their serials change from run to run (the test
 * masks them). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/keyctl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BAD 0xbadc0deUL

static long kc(long cmd, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5) {
    return syscall(SYS_keyctl, cmd, a2, a3, a4, a5);
}

static long add_key(const char *type, const char *desc, const void *payload, size_t len,
                    int32_t ring) {
    return syscall(SYS_add_key, type, desc, payload, len, ring);
}

int main(void) {
    char buf[256];
    /* A keyring for the process, a user key in it. */
    long ring = kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1, 0, 0);
    kc(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0);
    kc(KEYCTL_GET_KEYRING_ID, -100, 0, 0, 0);
    long key = add_key("user", "tracer:test", "secret\0data", 11, KEY_SPEC_PROCESS_KEYRING);
    add_key("user", "tracer:long-description-past-thirty-two-bytes", "a payload longer than thirty-two bytes", 38, KEY_SPEC_PROCESS_KEYRING);
    add_key("user", NULL, NULL, 0, KEY_SPEC_PROCESS_KEYRING);
    add_key(NULL, "x", (void *)BAD, 4, 12345);
    add_key("nosuchtype", "x", "", 0, -7);
    syscall(SYS_request_key, "user", "tracer:test", NULL, KEY_SPEC_PROCESS_KEYRING);
    syscall(SYS_request_key, "user", "tracer:missing", "callout", 0);
    syscall(SYS_request_key, NULL, NULL, NULL, -8);

    /* The commands, on the key, on no key, with NULL buffers. */
    kc(KEYCTL_UPDATE, key, (unsigned long)"new\0value", 9, 0);
    kc(KEYCTL_UPDATE, 1, 0, 0, 0);
    kc(KEYCTL_DESCRIBE, key, (unsigned long)buf, sizeof buf, 0);
    kc(KEYCTL_DESCRIBE, key, (unsigned long)buf, 4, 0);
    kc(KEYCTL_DESCRIBE, key, 0, 0, 0);
    kc(KEYCTL_DESCRIBE, 1, (unsigned long)buf, sizeof buf, 0);
    kc(KEYCTL_READ, key, (unsigned long)buf, sizeof buf, 0);
    kc(KEYCTL_READ, key, (unsigned long)buf, 3, 0);
    kc(KEYCTL_READ, key, 0, 0, 0);
    kc(KEYCTL_READ, key, BAD, 16, 0);
    kc(KEYCTL_GET_SECURITY, key, (unsigned long)buf, sizeof buf, 0);
    kc(KEYCTL_SETPERM, key, 0x3f010000, 0, 0);
    kc(KEYCTL_SETPERM, key, 0x3f3f3f3f, 0, 0);
    kc(KEYCTL_SETPERM, 1, 0xc0c0c0c0, 0, 0);
    kc(KEYCTL_SETPERM, 1, 0, 0, 0);
    kc(KEYCTL_CHOWN, key, -1, -1, 0);
    kc(KEYCTL_CHOWN, 1, 0, 1000, 0);
    kc(KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING, (unsigned long)"user", (unsigned long)"tracer:test", 0);
    kc(KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING, (unsigned long)"user", (unsigned long)"tracer:none", KEY_SPEC_SESSION_KEYRING);
    kc(KEYCTL_SEARCH, 1, 0, 0, 0);
    kc(KEYCTL_LINK, key, KEY_SPEC_PROCESS_KEYRING, 0, 0);
    kc(KEYCTL_UNLINK, 1, 2, 0, 0);
    kc(KEYCTL_SET_TIMEOUT, key, 3600, 0, 0);
    kc(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_NO_CHANGE, 0, 0, 0);
    kc(KEYCTL_SET_REQKEY_KEYRING, 99, 0, 0, 0);
    kc(KEYCTL_INSTANTIATE, 1, (unsigned long)"data", 4, KEY_SPEC_USER_KEYRING);
    kc(KEYCTL_INSTANTIATE, 1, 0, 0, 0);
    kc(KEYCTL_NEGATE, 1, 60, KEY_SPEC_SESSION_KEYRING, 0);
    kc(KEYCTL_REJECT, 1, 60, EKEYREJECTED, 0);
    kc(KEYCTL_REJECT, 1, 0, 4095, -3);
    kc(KEYCTL_INSTANTIATE_IOV, 1, 0, 0, 0);
    kc(KEYCTL_ASSUME_AUTHORITY, 0, 0, 0, 0);
    kc(KEYCTL_GET_PERSISTENT, -1, KEY_SPEC_PROCESS_KEYRING, 0, 0);
    kc(KEYCTL_DH_COMPUTE, 0, 0, 0, 0);
    kc(KEYCTL_PKEY_QUERY, 1, 0, (unsigned long)"enc=raw", 0);
    kc(KEYCTL_PKEY_ENCRYPT, 0, (unsigned long)"enc=raw", BAD, 0);
    kc(KEYCTL_PKEY_VERIFY, BAD, 0, BAD, BAD);
    kc(KEYCTL_RESTRICT_KEYRING, 1, (unsigned long)"asymmetric", (unsigned long)"builtin_trusted", 0);
    kc(KEYCTL_MOVE, key, KEY_SPEC_PROCESS_KEYRING, KEY_SPEC_PROCESS_KEYRING, KEYCTL_MOVE_EXCL);
    kc(KEYCTL_MOVE, 1, 2, 3, 0xfe);
    kc(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
    kc(KEYCTL_JOIN_SESSION_KEYRING, BAD, 0, 0, 0);
    kc(KEYCTL_SESSION_TO_PARENT, 0, 0, 0, 0);
    kc(KEYCTL_REVOKE, key, 0, 0, 0);
    kc(KEYCTL_INVALIDATE, 1, 0, 0, 0);
    kc(KEYCTL_CLEAR, ring, 0, 0, 0);
    kc(KEYCTL_CAPABILITIES, 0, 0, 0, 0);
    kc(KEYCTL_CAPABILITIES, BAD, 2, 0, 0);
    kc(100, 1, 2, BAD, -1);
    return 0;
}
