/* bpf(2) by command with valid, invalid and NULL attrs: each command's union bpf_attr member
 * as strace 6.1 prints it, sizes below a member's end (fields left out) and past it (`...`
 * for bytes that are not zero), strings its pointer fields point to, values the kernel
 * writes back (info_len), an unknown command, sizes of 0 and above a page. Object ids
 * differ between runs: the calls that would print them ask for ids that do not exist. */
#include <fcntl.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys_bpf(long cmd, void *attr, unsigned long size) {
    return syscall(SYS_bpf, cmd, attr, size);
}

int main(void) {
    union bpf_attr a;
    char big[256];
    unsigned key = 0;
    unsigned long long val = 7;
    struct bpf_insn insns[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
        {.code = BPF_JMP | BPF_EXIT},
    };
    char log[64] = "";
    /* A log buffer the process has written (a string literal's page may not be mapped yet
     * when the call starts, where the eBPF backend reads it). */
    char hello[] = "hello";
    unsigned char btf[40] = {0x9f, 0xeb, 1, 0, 0x18, 0, 0, 0, 'b', 't', 'f', '\n'};

    memset(&a, 0, sizeof(a));
    a.map_type = BPF_MAP_TYPE_ARRAY;
    a.key_size = 4;
    a.value_size = 8;
    a.max_entries = 2;
    a.map_flags = BPF_F_RDONLY_PROG;
    strcpy(a.map_name, "tmap");
    int map = sys_bpf(BPF_MAP_CREATE, &a, sizeof(a));
    sys_bpf(BPF_MAP_CREATE, &a, 20);
    sys_bpf(BPF_MAP_CREATE, &a, 50);
    sys_bpf(BPF_MAP_CREATE, NULL, 256);
    a.map_type = 99;
    a.map_flags = BPF_F_NUMA_NODE | 0x10000;
    a.numa_node = -1;
    a.inner_map_fd = -1;
    a.map_ifindex = 1;
    a.map_extra = 0x1234;
    memcpy(a.map_name, "abcdefghijklmnop", 16);
    sys_bpf(BPF_MAP_CREATE, &a, sizeof(a));

    memset(&a, 0, sizeof(a));
    a.map_fd = map;
    a.key = (unsigned long)&key;
    a.value = (unsigned long)&val;
    a.flags = BPF_ANY;
    sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
    sys_bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a));
    sys_bpf(BPF_MAP_LOOKUP_ELEM, &a, 24);
    sys_bpf(BPF_MAP_DELETE_ELEM, &a, sizeof(a));
    sys_bpf(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a));
    sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a, sizeof(a));
    a.flags = 5;
    sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
    sys_bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a));
    a.flags = BPF_F_LOCK;
    sys_bpf(BPF_MAP_LOOKUP_ELEM, &a, 32);
    sys_bpf(BPF_MAP_FREEZE, &a, 32);
    sys_bpf(BPF_MAP_UPDATE_ELEM, (void *)1, 32);

    memset(&a, 0, sizeof(a));
    a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
    a.insn_cnt = 2;
    a.insns = (unsigned long)insns;
    a.license = (unsigned long)"GPL";
    strcpy(a.prog_name, "tprog");
    int prog = sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
    a.log_level = 1;
    a.log_size = 3;
    a.log_buf = (unsigned long)hello;
    a.kern_version = 0x050a0b;
    a.prog_flags = 0x100;
    a.expected_attach_type = 999;
    a.prog_btf_fd = -1;
    a.core_relos = 1;
    a.license = (unsigned long)big;
    memset(big, 'x', sizeof(big));
    memcpy(a.prog_name, "0123456789abcdefgh", 16);
    sys_bpf(BPF_PROG_LOAD, &a, sizeof(a));
    a.log_size = 0;
    a.license = 1;
    sys_bpf(BPF_PROG_LOAD, &a, 72);
    a.prog_type = 0x77;
    a.log_size = sizeof(log);
    a.log_buf = (unsigned long)log;
    a.license = 0;
    sys_bpf(BPF_PROG_LOAD, &a, 48);
    sys_bpf(BPF_PROG_LOAD, &a, 24);

    memset(&a, 0, sizeof(a));
    a.pathname = (unsigned long)"/sys/fs/bpf/nonexistent/x";
    a.bpf_fd = prog;
    sys_bpf(BPF_OBJ_PIN, &a, sizeof(a));
    a.file_flags = BPF_F_RDONLY;
    sys_bpf(BPF_OBJ_GET, &a, sizeof(a));
    a.file_flags = 0x20;
    a.pathname = 0;
    sys_bpf(BPF_OBJ_GET, &a, sizeof(a));
    sys_bpf(BPF_OBJ_PIN, &a, 12);

    memset(&a, 0, sizeof(a));
    a.target_fd = -1;
    a.attach_bpf_fd = prog;
    a.attach_type = BPF_CGROUP_INET_INGRESS;
    a.attach_flags = BPF_F_ALLOW_MULTI;
    sys_bpf(BPF_PROG_ATTACH, &a, sizeof(a));
    sys_bpf(BPF_PROG_DETACH, &a, sizeof(a));
    a.attach_type = 200;
    a.attach_flags = 8;
    a.replace_bpf_fd = 3;
    sys_bpf(BPF_PROG_ATTACH, &a, 16);
    sys_bpf(BPF_PROG_DETACH, &a, 12);

    memset(&a, 0, sizeof(a));
    a.start_id = 0xfffffff0;
    sys_bpf(BPF_PROG_GET_NEXT_ID, &a, sizeof(a));
    sys_bpf(BPF_MAP_GET_NEXT_ID, &a, sizeof(a));
    sys_bpf(BPF_BTF_GET_NEXT_ID, &a, 8);
    sys_bpf(BPF_LINK_GET_NEXT_ID, &a, sizeof(a));
    memset(&a, 0, sizeof(a));
    a.prog_id = 0xfffffff0;
    sys_bpf(BPF_PROG_GET_FD_BY_ID, &a, sizeof(a));
    a.map_id = 0xfffffff0;
    a.open_flags = BPF_F_RDONLY;
    sys_bpf(BPF_MAP_GET_FD_BY_ID, &a, sizeof(a));
    a.open_flags = 0;
    sys_bpf(BPF_BTF_GET_FD_BY_ID, &a, sizeof(a));
    sys_bpf(BPF_LINK_GET_FD_BY_ID, &a, 4);

    memset(&a, 0, sizeof(a));
    memset(big, 0, sizeof(big));
    a.info.bpf_fd = map;
    a.info.info_len = sizeof(big);
    a.info.info = (unsigned long)big;
    sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a));
    a.info.bpf_fd = -1;
    a.info.info_len = 16;
    sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a));

    memset(&a, 0, sizeof(a));
    a.query.target_fd = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
    a.query.attach_type = BPF_CGROUP_INET_EGRESS;
    a.query.prog_ids = (unsigned long)big;
    a.query.prog_cnt = 4;
    sys_bpf(BPF_PROG_QUERY, &a, sizeof(a));
    a.query.target_fd = -1;
    a.query.query_flags = 3;
    a.query.prog_ids = 0;
    sys_bpf(BPF_PROG_QUERY, &a, sizeof(a));

    memset(&a, 0, sizeof(a));
    a.raw_tracepoint.name = (unsigned long)"sys_enter_nonexistent";
    a.raw_tracepoint.prog_fd = prog;
    sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a, sizeof(a));
    a.raw_tracepoint.name = 0;
    sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a, sizeof(a));

    memset(&a, 0, sizeof(a));
    a.btf = (unsigned long)btf;
    a.btf_size = sizeof(btf);
    a.btf_log_buf = (unsigned long)log;
    a.btf_log_size = sizeof(log);
    sys_bpf(BPF_BTF_LOAD, &a, sizeof(a));
    a.btf_size = 8;
    sys_bpf(BPF_BTF_LOAD, &a, sizeof(a));
    a.btf = 0;
    sys_bpf(BPF_BTF_LOAD, &a, sizeof(a));

    memset(&a, 0, sizeof(a));
    a.link_create.prog_fd = prog;
    a.link_create.target_fd = -1;
    a.link_create.attach_type = BPF_CGROUP_INET_EGRESS;
    sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
    a.link_create.attach_type = BPF_PERF_EVENT;
    a.link_create.perf_event.bpf_cookie = 9;
    a.link_create.flags = 0x40;
    sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
    a.link_create.tracing.cookie = 3;
    sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
    a.link_create.attach_type = BPF_CGROUP_DEVICE;
    sys_bpf(BPF_LINK_CREATE, &a, sizeof(a));
    sys_bpf(BPF_LINK_CREATE, &a, 16);

    memset(&a, 0, sizeof(a));
    a.link_update.link_fd = -1;
    a.link_update.new_prog_fd = prog;
    a.link_update.flags = BPF_F_REPLACE;
    a.link_update.old_prog_fd = 7;
    sys_bpf(BPF_LINK_UPDATE, &a, sizeof(a));
    a.link_update.flags = 0x10;
    sys_bpf(BPF_LINK_UPDATE, &a, sizeof(a));
    /* Commands strace 6.1 prints as an address. */
    sys_bpf(BPF_LINK_DETACH, &a, sizeof(a));
    sys_bpf(BPF_ITER_CREATE, &a, sizeof(a));
    sys_bpf(BPF_PROG_BIND_MAP, &a, sizeof(a));

    memset(&a, 0, sizeof(a));
    a.test.prog_fd = -1;
    a.test.data_size_in = 4;
    a.test.data_in = (unsigned long)log;
    a.test.repeat = 2;
    a.test.flags = BPF_F_TEST_RUN_ON_CPU;
    a.test.cpu = 3;
    a.test.batch_size = 9;
    sys_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a));
    sys_bpf(BPF_PROG_TEST_RUN, &a, 40);

    /* Batches: the array map has two entries, so a lookup asking for eight gets two
     * (count => 2). */
    unsigned keys[8];
    unsigned long long values[8];
    unsigned out = 0;
    memset(&a, 0, sizeof(a));
    a.batch.map_fd = map;
    a.batch.keys = (unsigned long)keys;
    a.batch.values = (unsigned long)values;
    a.batch.out_batch = (unsigned long)&out;
    a.batch.count = 8;
    sys_bpf(BPF_MAP_LOOKUP_BATCH, &a, sizeof(a));
    a.batch.count = 1;
    a.batch.elem_flags = BPF_F_LOCK;
    a.batch.flags = 2;
    sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_BATCH, &a, sizeof(a));
    sys_bpf(BPF_MAP_UPDATE_BATCH, &a, sizeof(a));
    sys_bpf(BPF_MAP_DELETE_BATCH, &a, sizeof(a));

    sys_bpf(100, &a, sizeof(a));
    sys_bpf(-1, NULL, -1);
    sys_bpf(BPF_PROG_LOAD, (void *)1, sizeof(a));
    sys_bpf(BPF_MAP_CREATE, &a, 0);
    sys_bpf(BPF_MAP_CREATE, &a, 4097);
    return 0;
}
