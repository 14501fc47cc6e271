/* perf_event_open with valid, invalid, NULL and unreadable attrs, as strace 6.1's perf.c
 * decodes them: every event type's config, the bit fields, the sizes the kernel accepts,
 * refuses (E2BIG rewrites the size) and strace refuses, attrs cut by the end of a mapping. */
#define _GNU_SOURCE
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long peo(void *attr, long pid, long cpu, long group, unsigned long flags) {
    return syscall(SYS_perf_event_open, attr, pid, cpu, group, flags);
}

static int open_close(struct perf_event_attr *a, long pid, long cpu, long group, unsigned long flags) {
    long fd = peo(a, pid, cpu, group, flags);
    if (fd >= 0)
        close(fd);
    return fd;
}

int main(void) {
    struct perf_event_attr a;
    /* a counter the process may open: task clock, disabled, user only */
    memset(&a, 0, sizeof a);
    a.type = PERF_TYPE_SOFTWARE;
    a.size = sizeof a;
    a.config = PERF_COUNT_SW_TASK_CLOCK;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    open_close(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    /* sampling by frequency, sample and read formats, precise_ip, watermark */
    a.config = PERF_COUNT_SW_CPU_CLOCK;
    a.freq = 1;
    a.sample_freq = 4000;
    a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_BRANCH_STACK | PERF_SAMPLE_STACK_USER;
    a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_ID | PERF_FORMAT_GROUP;
    a.precise_ip = 2;
    a.watermark = 1;
    a.wakeup_watermark = 4096;
    a.inherit = 1;
    a.mmap = 1;
    a.comm = 1;
    a.branch_sample_type = PERF_SAMPLE_BRANCH_USER | PERF_SAMPLE_BRANCH_ANY;
    a.sample_stack_user = 8192;
    a.sample_regs_user = 0xff;
    a.use_clockid = 1;
    a.clockid = CLOCK_MONOTONIC;
    a.aux_watermark = 7;
    a.sample_max_stack = 3;
    a.aux_sample_size = 9;
    peo(&a, -1, 0, -1, PERF_FLAG_FD_NO_GROUP | PERF_FLAG_FD_OUTPUT);
    /* hardware, cache, tracepoint, raw, breakpoint and unknown types */
    memset(&a, 0, sizeof a);
    a.size = PERF_ATTR_SIZE_VER5;
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.sample_period = 100000;
    a.exclude_user = 1;
    peo(&a, 0, -1, -1, 0);
    a.config = 0x77;
    peo(&a, 0, -1, -1, 0);
    a.type = PERF_TYPE_SOFTWARE;
    a.config = 0x1234;
    peo(&a, 0, -1, -1, 0);
    a.type = PERF_TYPE_HW_CACHE;
    a.config = PERF_COUNT_HW_CACHE_L1D | PERF_COUNT_HW_CACHE_OP_READ << 8 |
               PERF_COUNT_HW_CACHE_RESULT_MISS << 16;
    peo(&a, 0, -1, -1, 0);
    a.config = 0x7f | 0x33 << 8 | 0x44 << 16 | 0x1ULL << 40;
    peo(&a, 0, -1, -1, 0);
    a.type = PERF_TYPE_TRACEPOINT;
    a.config = 123456;
    peo(&a, 0, -1, -1, 0);
    a.type = PERF_TYPE_RAW;
    a.config = 0xc0ffee;
    a.config1 = 0x11;
    a.config2 = 0x22;
    peo(&a, 0, -1, -1, 0);
    a.type = PERF_TYPE_BREAKPOINT;
    a.config = 0;
    a.bp_type = HW_BREAKPOINT_W;
    a.bp_addr = (uintptr_t)&a;
    a.bp_len = HW_BREAKPOINT_LEN_4;
    peo(&a, 0, -1, -1, 0);
    a.bp_type = HW_BREAKPOINT_X | HW_BREAKPOINT_W;
    peo(&a, 0, -1, -1, 0);
    a.bp_type = 0x40;
    peo(&a, 0, -1, -1, 0);
    a.type = 0x1234;
    a.config = 0xdeadbeef;
    peo(&a, 0, -1, -1, 0);
    /* reserved bits, pinned/exclusive and the later bits */
    memset(&a, 0, sizeof a);
    a.type = PERF_TYPE_SOFTWARE;
    a.size = PERF_ATTR_SIZE_VER6;
    a.config = PERF_COUNT_SW_DUMMY;
    a.pinned = 1;
    a.exclusive = 1;
    a.exclude_idle = 1;
    a.task = 1;
    a.enable_on_exec = 1;
    a.inherit_stat = 1;
    a.mmap_data = 1;
    a.sample_id_all = 1;
    a.exclude_host = 1;
    a.exclude_guest = 1;
    a.exclude_callchain_kernel = 1;
    a.exclude_callchain_user = 1;
    a.mmap2 = 1;
    a.comm_exec = 1;
    a.context_switch = 1;
    a.write_backward = 1;
    a.namespaces = 1;
    a.ksymbol = 1;
    a.bpf_event = 1;
    a.aux_output = 1;
    a.cgroup = 1;
    a.text_poke = 1;
    a.build_id = 1;
    a.inherit_thread = 1;
    a.remove_on_exec = 1;
    a.sigtrap = 1;
    a.precise_ip = 3;
    peo(&a, 0, -1, -1, 0);
    memset(&a, 0, sizeof a);
    a.type = PERF_TYPE_SOFTWARE;
    a.size = sizeof a;
    ((uint64_t *)&a)[5] = 0xffffffff00000000ULL;
    a.__reserved_2 = 0x55;
    a.sig_data = 0x99;
    peo(&a, 0, -1, -1, 0);
    /* sizes: 0 (VER0), too small, odd, bigger than the kernel's (E2BIG rewrites it) */
    char big[512];
    memset(big, 0, sizeof big);
    struct perf_event_attr *b = (struct perf_event_attr *)big;
    b->type = PERF_TYPE_SOFTWARE;
    b->config = PERF_COUNT_SW_PAGE_FAULTS;
    b->size = 0;
    open_close(b, 0, -1, -1, 0);
    b->size = 8;
    peo(b, 0, -1, -1, 0);
    b->size = 75;
    b->sample_period = 5;
    open_close(b, 0, -1, -1, 0);
    b->size = 400;
    big[300] = 1;
    peo(b, 0, -1, -1, 0);
    big[300] = 0;
    b->size = 160;
    open_close(b, 0, -1, -1, 0);
    /* NULL, unreadable, at the end of a readable page, bad pid, cpu, group and flags */
    peo(NULL, 0, -1, -1, 0);
    peo((void *)1, 0, -1, -1, 0);
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    struct perf_event_attr *end = (struct perf_event_attr *)(page + 4096 - PERF_ATTR_SIZE_VER0);
    memset(end, 0, PERF_ATTR_SIZE_VER0);
    end->type = PERF_TYPE_SOFTWARE;
    end->size = PERF_ATTR_SIZE_VER0;
    peo(end, 0, -1, -1, 0);
    end->size = PERF_ATTR_SIZE_VER1;
    peo(end, 0, -1, -1, 0);
    end = (struct perf_event_attr *)(page + 4096 - 16);
    end->type = PERF_TYPE_HARDWARE;
    end->size = PERF_ATTR_SIZE_VER0;
    end->config = PERF_COUNT_HW_CPU_CYCLES;
    peo(end, 0, -1, -1, 0);
    peo(page + 4096 - 6, 0, -1, -1, 0);
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    peo(&a, 0x7fffffff, 0xffff, 42, 0xff);
    peo(&a, -2, -2, 0x7fffffff, 0x10);
    /* cache configs with bits past the three ids, breakpoint types, every format bit */
    uint64_t configs[] = {0x5000000, 0x5000102, 0x10005000102ULL, 0x8000000000000000ULL,
                          0xff0000000000102ULL};
    memset(&a, 0, sizeof a);
    a.size = PERF_ATTR_SIZE_VER0;
    a.type = PERF_TYPE_HW_CACHE;
    for (unsigned i = 0; i < sizeof configs / sizeof *configs; i++) {
        a.config = configs[i];
        peo(&a, 0, -1, -1, 0);
    }
    a.type = PERF_TYPE_BREAKPOINT;
    a.config = 0;
    unsigned bp_types[] = {7, 8, 0, 3};
    for (unsigned i = 0; i < 4; i++) {
        a.bp_type = bp_types[i];
        peo(&a, 0, -1, -1, 0);
    }
    a.type = PERF_TYPE_SOFTWARE;
    a.size = sizeof a;
    a.config = 0xffffffffULL;
    a.sample_type = ~0ULL;
    a.read_format = 0xff;
    a.branch_sample_type = ~0ULL;
    a.use_clockid = 1;
    a.clockid = 77;
    peo(&a, 0, -1, -1, 0);
    a.clockid = -1;
    a.sample_type = 0;
    a.config = 10;
    peo(&a, 0, -1, -1, ~0UL);
    return 0;
}
