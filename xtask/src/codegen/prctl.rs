//! prctl's tables: the options and the values and flags their arguments and results take,
//! the names strace 6.1 prints, in its order (its xlat/pr_*.in, secbits.in; where that list is
//! every define of a prefix, the header's defines: `Table::defines`), valued by compiling
//! `linux/prctl.h` and `linux/securebits.h`. Debian's header is as old as strace
//! 6.1's own list: it still has `PR_MPX_*`, and none of the later options (`PR_SET_MDWE`,
//! `PR_GET_AUXV`, ...), which strace 6.1 prints as `0x41 /* PR_??? */`. The two tables of
//! names the kernel keeps to itself carry strace's values (`FIXED`).

use anyhow::Result;

use super::{
    headers::{Table, render},
    misc::{Fixed, render_fixed},
};

const PRCTL: &str = "linux/prctl.h";

const TABLES: &[Table] = &[
    Table {
        constant: "PRCTL_OPTIONS",
        prefix: "PR_",
        header: PRCTL,
        names: &[
            "PR_SET_PDEATHSIG",
            "PR_GET_PDEATHSIG",
            "PR_GET_DUMPABLE",
            "PR_SET_DUMPABLE",
            "PR_GET_UNALIGN",
            "PR_SET_UNALIGN",
            "PR_GET_KEEPCAPS",
            "PR_SET_KEEPCAPS",
            "PR_GET_FPEMU",
            "PR_SET_FPEMU",
            "PR_GET_FPEXC",
            "PR_SET_FPEXC",
            "PR_GET_TIMING",
            "PR_SET_TIMING",
            "PR_SET_NAME",
            "PR_GET_NAME",
            "PR_GET_ENDIAN",
            "PR_SET_ENDIAN",
            "PR_GET_SECCOMP",
            "PR_SET_SECCOMP",
            "PR_CAPBSET_READ",
            "PR_CAPBSET_DROP",
            "PR_GET_TSC",
            "PR_SET_TSC",
            "PR_GET_SECUREBITS",
            "PR_SET_SECUREBITS",
            "PR_SET_TIMERSLACK",
            "PR_GET_TIMERSLACK",
            "PR_TASK_PERF_EVENTS_DISABLE",
            "PR_TASK_PERF_EVENTS_ENABLE",
            "PR_MCE_KILL",
            "PR_MCE_KILL_GET",
            "PR_SET_MM",
            "PR_SET_CHILD_SUBREAPER",
            "PR_GET_CHILD_SUBREAPER",
            "PR_SET_NO_NEW_PRIVS",
            "PR_GET_NO_NEW_PRIVS",
            "PR_GET_TID_ADDRESS",
            "PR_SET_THP_DISABLE",
            "PR_GET_THP_DISABLE",
            "PR_MPX_ENABLE_MANAGEMENT",
            "PR_MPX_DISABLE_MANAGEMENT",
            "PR_SET_FP_MODE",
            "PR_GET_FP_MODE",
            "PR_CAP_AMBIENT",
            "PR_SVE_SET_VL",
            "PR_SVE_GET_VL",
            "PR_GET_SPECULATION_CTRL",
            "PR_SET_SPECULATION_CTRL",
            "PR_PAC_RESET_KEYS",
            "PR_SET_TAGGED_ADDR_CTRL",
            "PR_GET_TAGGED_ADDR_CTRL",
            "PR_SET_IO_FLUSHER",
            "PR_GET_IO_FLUSHER",
            "PR_SET_SYSCALL_USER_DISPATCH",
            "PR_PAC_SET_ENABLED_KEYS",
            "PR_PAC_GET_ENABLED_KEYS",
            "PR_SCHED_CORE",
            "PR_SME_SET_VL",
            "PR_SME_GET_VL",
            "PR_SET_VMA",
            "PR_SET_PTRACER",
        ],
    },
    Table::defines("PR_TSC", "PR_TSC_", PRCTL),
    Table::defines("PR_UNALIGN_FLAGS", "PR_UNALIGN_", PRCTL),
    Table {
        constant: "PR_MCE_KILL",
        prefix: "PR_MCE_KILL_",
        header: PRCTL,
        names: &["PR_MCE_KILL_CLEAR", "PR_MCE_KILL_SET"],
    },
    Table {
        constant: "PR_MCE_KILL_POLICY",
        prefix: "PR_MCE_KILL_",
        header: PRCTL,
        names: &[
            "PR_MCE_KILL_LATE",
            "PR_MCE_KILL_EARLY",
            "PR_MCE_KILL_DEFAULT",
        ],
    },
    Table::defines("PR_SET_MM", "PR_SET_MM_", PRCTL),
    Table::defines("PR_SET_VMA", "PR_SET_VMA_", PRCTL),
    Table::defines("PR_CAP_AMBIENT", "PR_CAP_AMBIENT_", PRCTL),
    Table::defines("PR_FP_MODE", "PR_FP_MODE_", PRCTL),
    Table {
        constant: "PR_SPEC_CMDS",
        prefix: "PR_SPEC_",
        header: PRCTL,
        names: &[
            "PR_SPEC_STORE_BYPASS",
            "PR_SPEC_INDIRECT_BRANCH",
            "PR_SPEC_L1D_FLUSH",
        ],
    },
    Table {
        constant: "PR_SPEC_GET_FLAGS",
        prefix: "PR_SPEC_",
        header: PRCTL,
        names: &[
            "PR_SPEC_NOT_AFFECTED",
            "PR_SPEC_PRCTL",
            "PR_SPEC_ENABLE",
            "PR_SPEC_DISABLE",
            "PR_SPEC_FORCE_DISABLE",
            "PR_SPEC_DISABLE_NOEXEC",
        ],
    },
    Table {
        constant: "PR_SPEC_SET_FLAGS",
        prefix: "PR_SPEC_",
        header: PRCTL,
        names: &[
            "PR_SPEC_ENABLE",
            "PR_SPEC_DISABLE",
            "PR_SPEC_FORCE_DISABLE",
            "PR_SPEC_DISABLE_NOEXEC",
        ],
    },
    Table::defines("PR_SUD_CMDS", "PR_SYS_DISPATCH_", PRCTL),
    Table {
        constant: "PR_SCHED_CORE_CMDS",
        prefix: "PR_SCHED_CORE_",
        header: PRCTL,
        names: &[
            "PR_SCHED_CORE_GET",
            "PR_SCHED_CORE_CREATE",
            "PR_SCHED_CORE_SHARE_TO",
            "PR_SCHED_CORE_SHARE_FROM",
        ],
    },
    Table::defines("PR_TAGGED_ADDR_ENABLE", "PR_TAGGED_ADDR_", PRCTL),
    Table {
        constant: "PR_MTE_TCF",
        prefix: "PR_MTE_TCF_",
        header: PRCTL,
        names: &[
            "PR_MTE_TCF_NONE",
            "PR_MTE_TCF_SYNC",
            "PR_MTE_TCF_ASYNC",
            "PR_MTE_TCF_MASK",
        ],
    },
    // The masks of the tagged-address word and of a vector length: not names strace prints.
    Table {
        constant: "PR_MASKS",
        prefix: "PR_",
        header: PRCTL,
        names: &[
            "PR_MTE_TCF_MASK",
            "PR_MTE_TAG_MASK",
            "PR_MTE_TAG_SHIFT",
            "PR_SVE_VL_LEN_MASK",
            "PR_SME_VL_LEN_MASK",
        ],
    },
    Table {
        constant: "PR_SVE_VL_FLAGS",
        prefix: "PR_SVE_",
        header: PRCTL,
        names: &["PR_SVE_SET_VL_ONEXEC", "PR_SVE_VL_INHERIT"],
    },
    Table {
        constant: "PR_SME_VL_FLAGS",
        prefix: "PR_SME_",
        header: PRCTL,
        names: &["PR_SME_SET_VL_ONEXEC", "PR_SME_VL_INHERIT"],
    },
    // pr_pac_enabled_keys.in, then what pr_pac_keys.in adds (RESET_KEYS takes both).
    Table {
        constant: "PR_PAC_KEYS",
        prefix: "PR_PAC_",
        header: PRCTL,
        names: &[
            "PR_PAC_APIAKEY",
            "PR_PAC_APIBKEY",
            "PR_PAC_APDAKEY",
            "PR_PAC_APDBKEY",
            "PR_PAC_APGAKEY",
        ],
    },
    Table::defines("SECBITS", "SECBIT_", "linux/securebits.h"),
];

const FIXED: &[Fixed] = &[
    // The kernel's include/linux/sched/coredump.h.
    Fixed {
        constant: "PR_DUMPABLE",
        prefix: "SUID_DUMP_",
        source: "xlat/pr_dumpable.in",
        entries: &[
            ("SUID_DUMP_DISABLE", 0),
            ("SUID_DUMP_USER", 1),
            ("SUID_DUMP_ROOT", 2),
        ],
    },
    // The kernel's enum pid_type (include/linux/pid.h), PR_SCHED_CORE's fourth argument.
    Fixed {
        constant: "PR_SCHED_CORE_PIDTYPES",
        prefix: "PIDTYPE_",
        source: "xlat/pr_sched_core_pidtypes.in",
        entries: &[
            ("PIDTYPE_PID", 0),
            ("PIDTYPE_TGID", 1),
            ("PIDTYPE_PGID", 2),
            ("PIDTYPE_SID", 3),
        ],
    },
];

/// The generated `prctl_gen.rs`.
pub fn tables() -> Result<String> {
    let mut out = render("prctl's options, values and flags", TABLES)?;
    render_fixed(&mut out, FIXED);
    Ok(out)
}
