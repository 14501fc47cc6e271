//! The process and system long tail's tables (clone and clone3's flags, ptrace's options,
//! PEEKSIGINFO flags and regset types, reboot's
//! magic numbers and commands, the module calls' flags, kexec's architectures and flags,
//! keyctl's capability bits,
//! futex_waitv's waiter flags): the names strace 6.1 prints, in its order, valued by
//! compiling the UAPI headers.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};

use super::headers::{Table, render, values};

const SCHED: &str = "linux/sched.h";
const REBOOT: &str = "linux/reboot.h";
const KEYCTL: &str = "linux/keyctl.h";
const KEXEC: &str = "linux/kexec.h";

const TABLES: &[Table] = &[
    // strace's clone_flags: clone's and clone3's (CLONE_DETACHED, which the kernel ignores,
    // left out).
    Table {
        constant: "CLONE_FLAGS",
        prefix: "CLONE_",
        header: SCHED,
        names: &[
            "CLONE_VM",
            "CLONE_FS",
            "CLONE_FILES",
            "CLONE_SIGHAND",
            "CLONE_PIDFD",
            "CLONE_PTRACE",
            "CLONE_VFORK",
            "CLONE_PARENT",
            "CLONE_THREAD",
            "CLONE_NEWNS",
            "CLONE_SYSVSEM",
            "CLONE_SETTLS",
            "CLONE_PARENT_SETTID",
            "CLONE_CHILD_CLEARTID",
            "CLONE_UNTRACED",
            "CLONE_CHILD_SETTID",
            "CLONE_NEWCGROUP",
            "CLONE_NEWUTS",
            "CLONE_NEWIPC",
            "CLONE_NEWUSER",
            "CLONE_NEWPID",
            "CLONE_NEWNET",
            "CLONE_IO",
        ],
    },
    Table {
        constant: "PTRACE_SETOPTIONS_FLAGS",
        prefix: "PTRACE_O_",
        header: "linux/ptrace.h",
        names: &[
            "PTRACE_O_TRACESYSGOOD",
            "PTRACE_O_TRACEFORK",
            "PTRACE_O_TRACEVFORK",
            "PTRACE_O_TRACECLONE",
            "PTRACE_O_TRACEEXEC",
            "PTRACE_O_TRACEVFORKDONE",
            "PTRACE_O_TRACEEXIT",
            "PTRACE_O_TRACESECCOMP",
            "PTRACE_O_EXITKILL",
            "PTRACE_O_SUSPEND_SECCOMP",
        ],
    },
    Table {
        constant: "PTRACE_PEEKSIGINFO_FLAGS",
        prefix: "PTRACE_PEEKSIGINFO_",
        header: "linux/ptrace.h",
        names: &["PTRACE_PEEKSIGINFO_SHARED"],
    },
    // strace's nt_descriptor_types (PTRACE_GETREGSET's address): the names the kernel's
    // header gives (strace 6.1 knows none newer than NT_ARM_ZA and NT_LOONGARCH_LBT) ...
    Table {
        constant: "NT_TYPES",
        prefix: "NT_",
        header: "linux/elf.h",
        names: &[
            "NT_PRSTATUS",
            "NT_PRPSINFO",
            "NT_AUXV",
            "NT_PPC_VMX",
            "NT_PPC_SPE",
            "NT_PPC_VSX",
            "NT_PPC_TAR",
            "NT_PPC_PPR",
            "NT_PPC_DSCR",
            "NT_PPC_EBB",
            "NT_PPC_PMU",
            "NT_PPC_TM_CGPR",
            "NT_PPC_TM_CFPR",
            "NT_PPC_TM_CVMX",
            "NT_PPC_TM_CVSX",
            "NT_PPC_TM_SPR",
            "NT_PPC_TM_CTAR",
            "NT_PPC_TM_CPPR",
            "NT_PPC_TM_CDSCR",
            "NT_PPC_PKEY",
            "NT_386_TLS",
            "NT_386_IOPERM",
            "NT_X86_XSTATE",
            "NT_S390_HIGH_GPRS",
            "NT_S390_TIMER",
            "NT_S390_TODCMP",
            "NT_S390_TODPREG",
            "NT_S390_CTRS",
            "NT_S390_PREFIX",
            "NT_S390_LAST_BREAK",
            "NT_S390_SYSTEM_CALL",
            "NT_S390_TDB",
            "NT_S390_VXRS_LOW",
            "NT_S390_VXRS_HIGH",
            "NT_S390_GS_CB",
            "NT_S390_GS_BC",
            "NT_S390_RI_CB",
            "NT_S390_PV_CPU_DATA",
            "NT_ARM_VFP",
            "NT_ARM_TLS",
            "NT_ARM_HW_BREAK",
            "NT_ARM_HW_WATCH",
            "NT_ARM_SYSTEM_CALL",
            "NT_ARM_SVE",
            "NT_ARM_PAC_MASK",
            "NT_ARM_PACA_KEYS",
            "NT_ARM_PACG_KEYS",
            "NT_ARM_TAGGED_ADDR_CTRL",
            "NT_ARM_PAC_ENABLED_KEYS",
            "NT_ARM_SSVE",
            "NT_ARM_ZA",
            "NT_ARC_V2",
            "NT_VMCOREDD",
            "NT_MIPS_DSP",
            "NT_MIPS_FP_MODE",
            "NT_MIPS_MSA",
            "NT_LOONGARCH_CPUCFG",
            "NT_LOONGARCH_CSR",
            "NT_LOONGARCH_LSX",
            "NT_LOONGARCH_LASX",
            "NT_LOONGARCH_LBT",
            "NT_FILE",
            "NT_PRXFPREG",
            "NT_SIGINFO",
        ],
    },
    // ... and those only glibc's elf.h gives (NT_FPREGSET is the kernel's NT_PRFPREG).
    Table {
        constant: "NT_TYPES_GLIBC",
        prefix: "NT_",
        header: "elf.h",
        names: &[
            "NT_FPREGSET",
            "NT_PRXREG",
            "NT_PLATFORM",
            "NT_GWINDOWS",
            "NT_ASRS",
            "NT_PSTATUS",
            "NT_PSINFO",
            "NT_PRCRED",
            "NT_UTSNAME",
            "NT_LWPSTATUS",
            "NT_LWPSINFO",
            "NT_PRFPXREG",
        ],
    },
    // strace's bootflags1/2/3: every unknown value is `LINUX_REBOOT_MAGIC_???` for both
    // magic numbers.
    Table {
        constant: "REBOOT_MAGIC1",
        prefix: "LINUX_REBOOT_MAGIC_",
        header: REBOOT,
        names: &["LINUX_REBOOT_MAGIC1"],
    },
    Table {
        constant: "REBOOT_MAGIC2",
        prefix: "LINUX_REBOOT_MAGIC_",
        header: REBOOT,
        names: &[
            "LINUX_REBOOT_MAGIC2",
            "LINUX_REBOOT_MAGIC2A",
            "LINUX_REBOOT_MAGIC2B",
            "LINUX_REBOOT_MAGIC2C",
        ],
    },
    Table {
        constant: "REBOOT_CMDS",
        prefix: "LINUX_REBOOT_CMD_",
        header: REBOOT,
        names: &[
            "LINUX_REBOOT_CMD_RESTART",
            "LINUX_REBOOT_CMD_HALT",
            "LINUX_REBOOT_CMD_CAD_ON",
            "LINUX_REBOOT_CMD_CAD_OFF",
            "LINUX_REBOOT_CMD_POWER_OFF",
            "LINUX_REBOOT_CMD_RESTART2",
            "LINUX_REBOOT_CMD_SW_SUSPEND",
            "LINUX_REBOOT_CMD_KEXEC",
        ],
    },
    Table::defines("MODULE_INIT_FLAGS", "MODULE_INIT_", "linux/module.h"),
    // strace's delete_module_flags.
    Table {
        constant: "DELETE_MODULE_FLAGS",
        prefix: "O_",
        header: "linux/fcntl.h",
        names: &["O_NONBLOCK", "O_TRUNC"],
    },
    Table::defines("KEYCTL_CAPS0", "KEYCTL_CAPS0_", KEYCTL),
    // strace 6.1 knows no KEYCTL_CAPS1_NOTIFICATIONS.
    Table {
        constant: "KEYCTL_CAPS1",
        prefix: "KEYCTL_CAPS1_",
        header: KEYCTL,
        names: &["KEYCTL_CAPS1_NS_KEYRING_NAME", "KEYCTL_CAPS1_NS_KEY_TAG"],
    },
    // strace's kexec_arch_values (kexec_load's flags above KEXEC_ARCH_MASK).
    Table {
        constant: "KEXEC_ARCHES",
        prefix: "KEXEC_ARCH_",
        header: KEXEC,
        names: &[
            "KEXEC_ARCH_DEFAULT",
            "KEXEC_ARCH_386",
            "KEXEC_ARCH_68K",
            "KEXEC_ARCH_PARISC",
            "KEXEC_ARCH_X86_64",
            "KEXEC_ARCH_PPC",
            "KEXEC_ARCH_PPC64",
            "KEXEC_ARCH_IA_64",
            "KEXEC_ARCH_ARM",
            "KEXEC_ARCH_S390",
            "KEXEC_ARCH_SH",
            "KEXEC_ARCH_MIPS_LE",
            "KEXEC_ARCH_MIPS",
            "KEXEC_ARCH_AARCH64",
            "KEXEC_ARCH_RISCV",
            "KEXEC_ARCH_LOONGARCH",
        ],
    },
    // strace 6.1's kexec_load_flags (no KEXEC_UPDATE_ELFCOREHDR, newer).
    Table {
        constant: "KEXEC_LOAD_FLAGS",
        prefix: "KEXEC_",
        header: KEXEC,
        names: &["KEXEC_ON_CRASH", "KEXEC_PRESERVE_CONTEXT"],
    },
    // strace 6.1's kexec_file_load_flags (no KEXEC_FILE_DEBUG, newer).
    Table {
        constant: "KEXEC_FILE_FLAGS",
        prefix: "KEXEC_FILE_",
        header: KEXEC,
        names: &[
            "KEXEC_FILE_UNLOAD",
            "KEXEC_FILE_ON_CRASH",
            "KEXEC_FILE_NO_INITRAMFS",
        ],
    },
    Table {
        constant: "FUTEX_WAITER_FLAGS",
        prefix: "FUTEX_",
        header: "linux/futex.h",
        names: &["FUTEX_32", "FUTEX_PRIVATE_FLAG"],
    },
];

/// clone3's own flags (strace's clone3_flags, printed after clone_flags'): the 64-bit names
/// (`CLONE_CLEAR_SIGHAND` is bit 32) are valued in two halves.
const CLONE3_FLAGS: &[&str] = &["CLONE_NEWTIME", "CLONE_CLEAR_SIGHAND", "CLONE_INTO_CGROUP"];

/// The generated `proc_tail_gen.rs`.
pub fn tables() -> Result<String> {
    let mut out = render("The process and system long tail's tables", TABLES)?;
    let work = std::env::temp_dir().join(format!("tracer-proc-codegen-{}", std::process::id()));
    std::fs::create_dir_all(&work)
        .with_context(|| format!("failed to create {}", work.display()))?;
    // Each name twice: its high and its low 32 bits (the probe prints unsigned ints).
    let halves: Vec<String> = CLONE3_FLAGS
        .iter()
        .flat_map(|n| [format!("(({n})>>32)"), format!("(({n})&0xffffffff)")])
        .collect();
    let found = values(&work, SCHED, &halves)?.context("linux/sched.h does not compile alone")?;
    let _ = std::fs::remove_dir_all(&work);
    if found.len() != halves.len() {
        bail!(
            "CLONE3_FLAGS: {} of {} halves valued",
            found.len(),
            halves.len()
        );
    }
    out.push_str(
        "\n/// From linux/sched.h, in strace's order (clone3_flags: printed after CLONE_FLAGS').\n\
         pub const CLONE3_FLAGS: Xlat = Xlat::new(\n    \"CLONE_\",\n    &[\n",
    );
    for (name, pair) in CLONE3_FLAGS.iter().zip(found.chunks(2)) {
        let value = (u64::from(pair[0].0) << 32) | u64::from(pair[1].0);
        let _ = writeln!(out, "        ({name:?}, {value:#x}),");
    }
    out.push_str("    ],\n);\n");
    Ok(out)
}
