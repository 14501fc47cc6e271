/* Shared by the broad corpus programs (fidelity workloads c-broad-*): raw syscalls (S), an
 * unmapped address (BAD). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#define BAD ((void*)0xdeadbeef000UL)
#define S(...) syscall(__VA_ARGS__)
