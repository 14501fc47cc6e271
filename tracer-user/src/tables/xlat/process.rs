//! Processes and signals: clone, wait, sigaction, futex, rlimits, prctl, scheduling.
//! Transcribed from the kernel's uapi headers; the print order follows strace's xlat files.

use crate::tables::flags::Xlat;

/// Wait4/waitid options.
pub const WAIT_OPTIONS: Xlat = Xlat::new(
    "",
    &[
        ("WNOHANG", 1),
        ("WEXITED", 4),
        ("WSTOPPED", 2),
        ("WCONTINUED", 8),
        ("WNOWAIT", 0x1000000),
        ("__WCLONE", 0x80000000),
        ("__WALL", 0x40000000),
        ("__WNOTHREAD", 0x20000000),
    ],
);

/// Waitid idtype.
pub const IDTYPES: Xlat = Xlat::new(
    "P_",
    &[("P_ALL", 0), ("P_PID", 1), ("P_PGID", 2), ("P_PIDFD", 3)],
);

/// Sigaction flags.
pub const SA_FLAGS: Xlat = Xlat::new(
    "SA_",
    &[
        ("SA_RESTORER", 0x4000000),
        ("SA_ONSTACK", 0x8000000),
        ("SA_RESTART", 0x10000000),
        ("SA_INTERRUPT", 0x20000000),
        ("SA_NODEFER", 0x40000000),
        ("SA_RESETHAND", 0x80000000),
        ("SA_SIGINFO", 4),
        ("SA_NOCLDSTOP", 1),
        ("SA_NOCLDWAIT", 2),
    ],
);

/// Rt_sigprocmask how.
pub const SIGPROCMASK_HOW: Xlat = Xlat::new(
    "SIG_",
    &[("SIG_BLOCK", 0), ("SIG_UNBLOCK", 1), ("SIG_SETMASK", 2)],
);

/// Futex commands (op & 127).
pub const FUTEX_OPS: Xlat = Xlat::new(
    "FUTEX_",
    &[
        ("FUTEX_WAIT", 0),
        ("FUTEX_WAKE", 1),
        ("FUTEX_FD", 2),
        ("FUTEX_REQUEUE", 3),
        ("FUTEX_CMP_REQUEUE", 4),
        ("FUTEX_WAKE_OP", 5),
        ("FUTEX_LOCK_PI", 6),
        ("FUTEX_UNLOCK_PI", 7),
        ("FUTEX_TRYLOCK_PI", 8),
        ("FUTEX_WAIT_BITSET", 9),
        ("FUTEX_WAKE_BITSET", 10),
        ("FUTEX_WAIT_REQUEUE_PI", 11),
        ("FUTEX_CMP_REQUEUE_PI", 12),
        ("FUTEX_LOCK_PI2", 13),
    ],
);

/// Rlimit resources.
pub const RLIMIT_RESOURCES: Xlat = Xlat::new(
    "RLIMIT_",
    &[
        ("RLIMIT_CPU", 0),
        ("RLIMIT_FSIZE", 1),
        ("RLIMIT_DATA", 2),
        ("RLIMIT_STACK", 3),
        ("RLIMIT_CORE", 4),
        ("RLIMIT_RSS", 5),
        ("RLIMIT_NPROC", 6),
        ("RLIMIT_NOFILE", 7),
        ("RLIMIT_MEMLOCK", 8),
        ("RLIMIT_AS", 9),
        ("RLIMIT_LOCKS", 10),
        ("RLIMIT_SIGPENDING", 11),
        ("RLIMIT_MSGQUEUE", 12),
        ("RLIMIT_NICE", 13),
        ("RLIMIT_RTPRIO", 14),
        ("RLIMIT_RTTIME", 15),
    ],
);

/// Getrandom flags.
pub const GRND_FLAGS: Xlat = Xlat::new(
    "GRND_",
    &[
        ("GRND_NONBLOCK", 1),
        ("GRND_RANDOM", 2),
        ("GRND_INSECURE", 4),
    ],
);

/// Arch_prctl codes, as strace 6.1's archvals (the kernel's newer LAM and shadow stack codes,
/// 0x4001 and up, print `0x4001 /* ARCH_??? */` there).
pub const ARCH_PRCTL_CODES: Xlat = Xlat::new(
    "ARCH_",
    &[
        ("ARCH_SET_GS", 0x1001),
        ("ARCH_SET_FS", 0x1002),
        ("ARCH_GET_FS", 0x1003),
        ("ARCH_GET_GS", 0x1004),
        ("ARCH_GET_CPUID", 0x1011),
        ("ARCH_SET_CPUID", 0x1012),
        ("ARCH_GET_XCOMP_SUPP", 0x1021),
        ("ARCH_GET_XCOMP_PERM", 0x1022),
        ("ARCH_REQ_XCOMP_PERM", 0x1023),
        ("ARCH_GET_XCOMP_GUEST_PERM", 0x1024),
        ("ARCH_REQ_XCOMP_GUEST_PERM", 0x1025),
        ("ARCH_MAP_VDSO_X32", 0x2001),
        ("ARCH_MAP_VDSO_32", 0x2002),
        ("ARCH_MAP_VDSO_64", 0x2003),
    ],
);

/// x86 extended state component masks (`XFEATURE_MASK_*`, arch_prctl's XCOMP getters): the
/// kernel keeps them in its private asm/fpu/types.h, so these are strace's
/// xlat/x86_xfeatures.in, in its order (the combined masks first).
pub const XFEATURE_MASKS: Xlat = Xlat::new(
    "XFEATURE_MASK_",
    &[
        ("XFEATURE_MASK_FPSSE", 0x3),
        ("XFEATURE_MASK_FP", 0x1),
        ("XFEATURE_MASK_SSE", 0x2),
        ("XFEATURE_MASK_YMM", 0x4),
        ("XFEATURE_MASK_BNDREGS", 0x8),
        ("XFEATURE_MASK_BNDCSR", 0x10),
        ("XFEATURE_MASK_AVX512", 0xe0),
        ("XFEATURE_MASK_OPMASK", 0x20),
        ("XFEATURE_MASK_ZMM_Hi256", 0x40),
        ("XFEATURE_MASK_Hi16_ZMM", 0x80),
        ("XFEATURE_MASK_PT", 0x100),
        ("XFEATURE_MASK_PKRU", 0x200),
        ("XFEATURE_MASK_PASID", 0x400),
        ("XFEATURE_MASK_LBR", 0x8000),
        ("XFEATURE_MASK_XTILE", 0x60000),
        ("XFEATURE_MASK_XTILE_CFG", 0x20000),
        ("XFEATURE_MASK_XTILE_DATA", 0x40000),
    ],
);

/// Sched policies.
pub const SCHED_POLICIES: Xlat = Xlat::new(
    "SCHED_",
    &[
        ("SCHED_OTHER", 0),
        ("SCHED_FIFO", 1),
        ("SCHED_RR", 2),
        ("SCHED_BATCH", 3),
        ("SCHED_ISO", 4),
        ("SCHED_IDLE", 5),
        ("SCHED_DEADLINE", 6),
        // SCHED_EXT (7) is newer than strace 6.1, which prints it `0x7 /* SCHED_??? */`.
    ],
);

/// Rseq flags.
pub const RSEQ_FLAGS: Xlat = Xlat::new("RSEQ_FLAG_", &[("RSEQ_FLAG_UNREGISTER", 1)]);

/// Getpriority which.
pub const PRIO_WHICH: Xlat = Xlat::new(
    "PRIO_",
    &[("PRIO_PROCESS", 0), ("PRIO_PGRP", 1), ("PRIO_USER", 2)],
);
