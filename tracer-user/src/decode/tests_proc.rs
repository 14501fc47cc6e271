//! The process and system long tail's decoders fed hand-built calls; the expected lines are
//! strace 6.1's for the same calls (tests/workloads/proc_tail.c).

use tracer_common::CAP_CSTR;

use super::tests::line;
use crate::event::Blob;

const P: u64 = 0x7ffd_0000;
const BAD: u64 = 0xdea_dbee_f000;
const ESRCH: i64 = -3;
const EINVAL: i64 = -22;

/// What the kernel side read for argument `arg` as the call ended.
fn data(arg: u8, data: Vec<u8>) -> Blob {
    Blob {
        arg,
        kind: CAP_CSTR,
        truncated: false,
        faulted: false,
        at_enter: false,
        data,
    }
}

fn words(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn ptrace_arguments_by_request() {
    let ptrace = |args: [u64; 4], ret, blobs| {
        line(101, [args[0], args[1], args[2], args[3], 0, 0], ret, blobs)
    };
    assert_eq!(
        ptrace([0x4206, 0, 0, 0], ESRCH, vec![]),
        "ptrace(PTRACE_SEIZE, 0, NULL, 0) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([0xffff_ffff, u64::MAX, BAD, BAD], ESRCH, vec![]),
        "ptrace(0xffffffff /* PTRACE_??? */, -1, 0xdeadbeef000, 0xdeadbeef000) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([7, u64::MAX, 0, 10], ESRCH, vec![]),
        "ptrace(PTRACE_CONT, -1, NULL, SIGUSR1) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([0x4200, 1, 0, 0x10_0011], ESRCH, vec![]),
        "ptrace(PTRACE_SETOPTIONS, 1, NULL, PTRACE_O_TRACESYSGOOD|PTRACE_O_TRACEEXEC|PTRACE_O_EXITKILL) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([16, u64::MAX, BAD, BAD], ESRCH, vec![]),
        "ptrace(PTRACE_ATTACH, -1) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([12, u64::MAX, 0, BAD], ESRCH, vec![]),
        "ptrace(PTRACE_GETREGS, -1, 0xdeadbeef000) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([0x420e, u64::MAX, 88, BAD], ESRCH, vec![]),
        "ptrace(PTRACE_GET_SYSCALL_INFO, -1, 88, 0xdeadbeef000) = -1 ESRCH (No such process)"
    );
    // What the kernel wrote, once it succeeded.
    assert_eq!(
        ptrace([2, 7, BAD, P], 0, vec![data(3, words(&[0x1234]))]),
        "ptrace(PTRACE_PEEKDATA, 7, 0xdeadbeef000, [0x1234]) = 0"
    );
}

#[test]
fn ptrace_addresses_by_request() {
    let ptrace = |args: [u64; 4], blobs| {
        line(
            101,
            [args[0], args[1], args[2], args[3], 0, 0],
            ESRCH,
            blobs,
        )
    };
    assert_eq!(
        ptrace([3, 1, 8, P], vec![]),
        "ptrace(PTRACE_PEEKUSER, 1, 8*R14, 0x7ffd0000) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([6, 1, 131, 7], vec![]),
        "ptrace(PTRACE_POKEUSER, 1, 8*RIP+3, 0x7) = -1 ESRCH (No such process)"
    );
    let iov = data(3, words(&[BAD, 8]));
    assert_eq!(
        ptrace([0x4204, 1, 2, P], vec![iov.clone()]),
        "ptrace(PTRACE_GETREGSET, 1, NT_FPREGSET, {iov_base=0xdeadbeef000, iov_len=8}) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([0x4205, 1, 0x999, P], vec![iov]),
        "ptrace(PTRACE_SETREGSET, 1, 0x999 /* NT_??? */, {iov_base=0xdeadbeef000, iov_len=8}) = -1 ESRCH (No such process)"
    );
    let peek = data(2, [words(&[0]), vec![1, 0, 0, 0, 1, 0, 0, 0]].concat());
    assert_eq!(
        ptrace([0x4209, 1, P, BAD], vec![peek]),
        "ptrace(PTRACE_PEEKSIGINFO, 1, {off=0, flags=PTRACE_PEEKSIGINFO_SHARED, nr=1}, 0xdeadbeef000) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([0x4203, 1, 0, P], vec![data(3, vec![0; 128])]),
        "ptrace(PTRACE_SETSIGINFO, 1, NULL, {}) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([0x420b, 1, 8, P], vec![data(3, words(&[1 << 9 | 1 << 14]))]),
        "ptrace(PTRACE_SETSIGMASK, 1, 8, [USR1 TERM]) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        ptrace([0x420d, 1, 16, P], vec![data(3, words(&[3, 0]))]),
        "ptrace(PTRACE_SECCOMP_GET_METADATA, 1, 16, {filter_off=3}) = -1 ESRCH (No such process)"
    );
}

#[test]
fn clone3_flags_and_exit_signal_as_strace() {
    // flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
    // set_tid_size, cgroup.
    let args = |flags: u64, exit_signal: u64, cgroup: u64| {
        words(&[flags, 0, 0, BAD, exit_signal, 0, 0, 0, 0, 0, cgroup])
    };
    assert_eq!(
        line(
            435,
            [P, 88, 0, 0, 0, 0],
            EINVAL,
            vec![data(0, args(0x1_1000_1000, 0xffff_ffff, 0))]
        ),
        "clone3({flags=CLONE_PIDFD|CLONE_NEWUSER|CLONE_CLEAR_SIGHAND, pidfd=NULL, exit_signal=4294967295, stack=NULL, stack_size=0}, 88) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(
            435,
            [P, 88, 0, 0, 0, 0],
            EINVAL,
            vec![data(0, args(0x2_0000_0800, 17, 3))]
        ),
        "clone3({flags=CLONE_SIGHAND|CLONE_INTO_CGROUP, exit_signal=SIGCHLD, stack=NULL, stack_size=0, cgroup=3}, 88) = -1 EINVAL (Invalid argument)"
    );
}

#[test]
fn signals_reboot_and_ids_as_strace() {
    assert_eq!(
        line(424, [u64::MAX, 9, BAD, 0xff, 0, 0], EINVAL, vec![]),
        "pidfd_send_signal(-1, SIGKILL, 0xdeadbeef000, 0xff) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(169, [0, 0, 0, 0, 0, 0], EINVAL, vec![]),
        "reboot(0 /* LINUX_REBOOT_MAGIC_??? */, 0 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_CAD_OFF) = -1 EINVAL (Invalid argument)"
    );
    let why = data(3, b"t9".to_vec());
    assert_eq!(
        line(
            169,
            [0xfee1_dead, 1, 0xa1b2_c3d4, P, 0, 0],
            EINVAL,
            vec![why]
        ),
        "reboot(LINUX_REBOOT_MAGIC1, 0x1 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_RESTART2, \"t9\") = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(106, [0xffff_fffe, 0, 0, 0, 0, 0], 0, vec![]),
        "setgid(4294967294) = 0"
    );
    assert_eq!(
        line(105, [0xffff_ffff, 0, 0, 0, 0, 0], EINVAL, vec![]),
        "setuid(-1) = -1 EINVAL (Invalid argument)"
    );
    let gids = data(
        1,
        [0u32, 1, 2, u32::MAX]
            .iter()
            .flat_map(|g| g.to_le_bytes())
            .collect(),
    );
    assert_eq!(
        line(116, [4, P, 0, 0, 0, 0], EINVAL, vec![gids]),
        "setgroups(4, [0, 1, 2, -1]) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(170, [P, 0xffff_ffff, 0, 0, 0, 0], EINVAL, vec![]),
        "sethostname(0x7ffd0000, 4294967295) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(173, [0, 0x400, 0, 0, 0, 0], 0, vec![]),
        "ioperm(0, 0x400, 0) = 0"
    );
    assert_eq!(
        line(313, [u64::MAX, 0, 0, 0, 0, 0], -9, vec![]),
        "finit_module(-1, NULL, 0) = -1 EBADF (Bad file descriptor)"
    );
}

#[test]
fn sets_structs_and_waiters_as_strace() {
    assert_eq!(
        line(203, [0, 128, P, 0, 0, 0], 0, vec![data(2, words(&[3]))]),
        "sched_setaffinity(0, 128, [0 1]) = 0"
    );
    let limits = words(&[u64::MAX - 0x100_0000 + 1, 1, 4096, 4096, 8]);
    assert_eq!(
        line(31, [0, 3, P, 0, 0, 0], 0, vec![data(2, limits)]),
        "shmctl(0, IPC_INFO, {shmmax=18446744073692774400, shmmin=1, shmmni=4096, shmseg=4096, shmall=8}) = 0"
    );
    assert_eq!(
        line(
            250,
            [31, P, 128, 0, 0, 0],
            2,
            vec![data(1, vec![0x01, 0x03])]
        ),
        "keyctl(KEYCTL_CAPABILITIES, [KEYCTL_CAPS0_CAPABILITIES, KEYCTL_CAPS1_NS_KEYRING_NAME|KEYCTL_CAPS1_NS_KEY_TAG], 128) = 2"
    );
    let waiter = |val: u64, flags: u64| words(&[val, BAD, flags]);
    let both = [waiter(1, 2), waiter(7, 0x1_0000_0082)].concat();
    assert_eq!(
        line(449, [P, 2, 0, 0, 0, 0], -11, vec![data(0, both)]),
        "futex_waitv([{val=0x1, uaddr=0xdeadbeef000, flags=FUTEX_32}, {val=0x7, uaddr=0xdeadbeef000, flags=FUTEX_32|FUTEX_PRIVATE_FLAG, __reserved=0x1}], 2, 0, NULL, CLOCK_REALTIME) = -1 EAGAIN (Resource temporarily unavailable)"
    );
}

#[test]
fn ipc_usage_structs_as_strace() {
    let ints = |v: &[i32]| v.iter().flat_map(|i| i.to_le_bytes()).collect::<Vec<u8>>();
    let shm = [ints(&[1, 0]), words(&[1, 1, 0, 0, 0])].concat();
    assert_eq!(
        line(31, [0, 14, P, 0, 0, 0], 32, vec![data(2, shm)]),
        "shmctl(0, SHM_INFO, {used_ids=1, shm_tot=1, shm_rss=1, shm_swp=0, swap_attempts=0, swap_successes=0}) = 32"
    );
    // msgssz and msgseg are unsigned shorts.
    let msg = ints(&[0, 0, 8192, 16384, 32000, 16, 0, 65535]);
    assert_eq!(
        line(71, [0, 12, P, 0, 0, 0], 0, vec![data(2, msg)]),
        "msgctl(0, MSG_INFO, {msgpool=0, msgmap=0, msgmax=8192, msgmnb=16384, msgmni=32000, msgssz=16, msgtql=0, msgseg=65535}) = 0"
    );
    let sem = ints(&[
        1024000000, 32000, 1024000000, 1024000000, 32000, 500, 500, 0, 32767, 0,
    ]);
    assert_eq!(
        line(66, [0, 0, 19, P, 0, 0], 0, vec![data(3, sem)]),
        "semctl(0, 0, SEM_INFO, {semmap=1024000000, semmni=32000, semmns=1024000000, semmnu=1024000000, semmsl=32000, semopm=500, semume=500, semusz=0, semvmx=32767, semaem=0}) = 0"
    );
    // A failed call's buffer is its address.
    assert_eq!(
        line(71, [0, 3, P, 0, 0, 0], -14, vec![]),
        "msgctl(0, IPC_INFO, 0x7ffd0000) = -1 EFAULT (Bad address)"
    );
}
