//! The ioctl request table and the inode flag table, from the kernel UAPI headers Debian's
//! `linux-libc-dev` installs (the package strace's own tables come from).
//!
//! Requests are the `#define`s whose value is an `_IO`/`_IOR`/`_IOW`/`_IOWR`/`_IOC` expression
//! (or soundcard.h's `_SIO*` spellings of them), plus the
//! plain-number requests of `asm-generic/ioctls.h` (TCGETS, FIONREAD, ...), `linux/sockios.h`
//! and `asm-generic/sockios.h` (SIOC*, FIOSETOWN), and the old device headers that number their
//! requests by hand (loop, cdrom, hdreg, vt, kd), as strace's ioctlent names them. Their values depend on struct sizes, so they are not parsed: one C program per
//! header includes it and prints every value, compiled with `cc` and run. A define whose value
//! is another name (`#define TIOCINQ FIONREAD`) is an alias and left out, as strace leaves it.

use std::{collections::BTreeSet, fmt::Write as _, fs, path::PathBuf, process::Command};

use anyhow::{Context, Result, bail};
use regex::Regex;

use super::headers::{ValueTable, joined_lines, render_value_tables, values};

/// The package whose headers are read.
const PACKAGE: &str = "linux-libc-dev";

/// Headers whose requests are plain numbers rather than `_IOC` expressions, and a regex the
/// requests' names start with: the device headers also define plain-number flags, sizes and
/// commands of other kinds (`CDC_DVD 0x8000`, `UNI_DIRECT_BASE 0xF000`, `TASKFILE_48 0x8000`)
/// that strace 6.1 does not name as requests.
const PLAIN_NUMBER_HEADERS: &[(&str, &str)] = &[
    ("asm-generic/ioctls.h", ""),
    ("asm-generic/sockios.h", ""),
    ("linux/sockios.h", ""),
    ("linux/loop.h", "LOOP_"),
    ("linux/cdrom.h", "CDROM|DVD_"),
    ("linux/hdreg.h", "HDIO_"),
    ("linux/vt.h", "VT_"),
    ("linux/kd.h", "KD|KIOC|GIO_|PIO_"),
    // The SCSI generic requests (0x22xx); the header's other SG_ numbers are flags and sizes.
    (
        "scsi/sg.h",
        "SG_(?:[GS]ET_|EMULATED_HOST|SCSI_RESET$|IO$|NEXT_CMD_LEN)",
    ),
];

/// Headers strace's ioctl table reads that glibc's libc6-dev installs rather than
/// linux-libc-dev (the SCSI generic driver's, which the kernel does not export).
const LIBC_HEADERS: &[&str] = &["scsi/sg.h"];

/// The generated `ioctls_gen.rs`.
pub fn table() -> Result<String> {
    let headers = package_headers()?;
    let define = Regex::new(r"(?m)^\s*#\s*define\s+([A-Z][A-Z0-9_]*)\s+(.+)$")?;
    // `_IOWR(...)`, and a header's own spelling of it (seccomp.h's `SECCOMP_IOWR(0, ...)`).
    let ioc = Regex::new(r"\b_S?IO(C|R|W|WR)?\s*\(|\b[A-Z][A-Z0-9]*_IO(C|R|W|WR)?\s*\(")?;
    let work = std::env::temp_dir().join(format!("tracer-ioctl-codegen-{}", std::process::id()));
    fs::create_dir_all(&work).with_context(|| format!("failed to create {}", work.display()))?;
    let mut entries = BTreeSet::new();
    let mut skipped = Vec::new();
    for (include, path) in &headers {
        let text = joined_lines(path)?;
        let plain = match PLAIN_NUMBER_HEADERS.iter().find(|(h, _)| h == include) {
            Some((_, prefix)) => Some(Regex::new(&format!("^(?:{prefix})"))?),
            None => None,
        };
        let names: Vec<String> = define
            .captures_iter(&text)
            .filter(|c| {
                let body = c[2].trim();
                ioc.is_match(body)
                    || plain
                        .as_ref()
                        .is_some_and(|p| p.is_match(&c[1]) && is_request_number(body))
            })
            .map(|c| c[1].to_string())
            .collect();
        if names.is_empty() {
            continue;
        }
        match values(&work, include, &names)? {
            Some(found) => entries.extend(found),
            None => skipped.push(include.clone()),
        }
    }
    let _ = fs::remove_dir_all(&work);
    if entries.len() < 1000 {
        bail!(
            "only {} ioctl requests found in {PACKAGE}'s headers",
            entries.len()
        );
    }
    eprintln!(
        "xtask: {} ioctl requests; headers that do not compile alone, left out: {}",
        entries.len(),
        if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped.join(" ")
        }
    );
    Ok(render(&entries))
}

/// A plain number that can be a request: the small numbers of those headers are packet-mode
/// and status bits (TIOCPKT_*, TIOCSER_TEMT) and the type byte (SOCK_IOC_TYPE).
fn is_request_number(body: &str) -> bool {
    let token = body.split_whitespace().next().unwrap_or_default();
    let value = match token
        .strip_prefix("0x")
        .or_else(|| token.strip_prefix("0X"))
    {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => token.parse().ok(),
    };
    value.is_some_and(|v| v >= 0x100)
}

/// `(include name, path)` of every C header the package installs (installing it when
/// missing), sorted.
fn package_headers() -> Result<Vec<(String, PathBuf)>> {
    let list = || Command::new("dpkg").args(["-L", PACKAGE]).output();
    let mut out = list().context("failed to run dpkg -L")?;
    if !out.status.success() {
        eprintln!("xtask: installing {PACKAGE} (the kernel UAPI headers)");
        let status = Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", PACKAGE])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("failed to run apt-get")?;
        if !status.success() {
            bail!("{PACKAGE} is not installed and apt-get install {PACKAGE} failed");
        }
        out = list().context("failed to run dpkg -L")?;
    }
    let mut headers: Vec<(String, PathBuf)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.ends_with(".h"))
        .filter_map(|l| {
            let include = l
                .strip_prefix("/usr/include/x86_64-linux-gnu/")
                .or_else(|| l.strip_prefix("/usr/include/"))?;
            Some((include.to_string(), PathBuf::from(l)))
        })
        .collect();
    headers.extend(
        LIBC_HEADERS
            .iter()
            .map(|h| (h.to_string(), PathBuf::from("/usr/include").join(h)))
            .filter(|(_, path)| path.exists()),
    );
    headers.sort();
    Ok(headers)
}

fn render(entries: &BTreeSet<(u32, String)>) -> String {
    let mut out = String::from(
        "//! @generated by `cargo xtask codegen`; do not edit.\n\
         //! ioctl requests from the kernel UAPI headers of Debian's linux-libc-dev: every define\n\
         //! whose value is an `_IOC` expression, and the plain-number requests of\n\
         //! asm-generic/ioctls.h, the sockios headers and the loop, cdrom, hdreg, vt and kd\n\
         //! headers, valued by compiling them.\n\n\
         /// (request, name), ascending by request, then name (strace's order for `A or B`).\n\
         pub static IOCTLS: &[(u32, &str)] = &[\n",
    );
    for (code, name) in entries {
        let _ = writeln!(out, "    ({code:#x}, {name:?}),");
    }
    out.push_str("];\n");
    out
}

/// The tables ioctl arguments use.
const VALUE_TABLES: &[ValueTable] = &[
    ValueTable {
        constant: "FS_FLAGS",
        prefix: "FS_",
        header: "linux/fs.h",
        names: "FS_[A-Z0-9_]+_FL",
        bits: true,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "FS_XFLAGS",
        prefix: "FS_XFLAG_",
        header: "linux/fs.h",
        names: "FS_XFLAG_[A-Z0-9_]+",
        bits: true,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "KD_MODES",
        prefix: "KD_",
        header: "linux/kd.h",
        names: "KD_(TEXT|GRAPHICS|TEXT0|TEXT1)",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "KBD_MODES",
        prefix: "K_",
        header: "linux/kd.h",
        names: "K_(RAW|XLATE|MEDIUMRAW|UNICODE|OFF)",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "KBD_META",
        prefix: "K_",
        header: "linux/kd.h",
        names: "K_(METABIT|ESCPREFIX)",
        bits: false,
        exclude: "^$",
        // Two names: a probed table may be that short.
        probe: true,
    },
    ValueTable {
        constant: "KD_LEDS",
        prefix: "LED_",
        header: "linux/kd.h",
        names: "LED_(SCR|NUM|CAP)",
        bits: true,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "HDIO_BUSSTATES",
        prefix: "BUSSTATE_",
        header: "linux/hdreg.h",
        names: "BUSSTATE_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IDE_NICE_BITS",
        prefix: "IDE_NICE_",
        header: "linux/hdreg.h",
        // Bit numbers, in header order (strace's `1 << IDE_NICE_1|1 << IDE_NICE_0`).
        names: "IDE_NICE_[A-Z0-9_]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "LO_FLAGS",
        prefix: "LO_FLAGS_",
        header: "linux/loop.h",
        names: "LO_FLAGS_[A-Z_]+",
        bits: true,
        exclude: "^$",
        // An enum.
        probe: true,
    },
    ValueTable {
        constant: "LO_CRYPT_TYPES",
        prefix: "LO_CRYPT_",
        header: "linux/loop.h",
        names: "LO_CRYPT_[A-Z0-9]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "FIEMAP_FLAGS",
        prefix: "FIEMAP_FLAG_",
        header: "linux/fiemap.h",
        names: "FIEMAP_FLAG_[A-Z]+",
        bits: true,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "TCXONC_ACTIONS",
        prefix: "TC",
        header: "asm-generic/termbits-common.h",
        names: "TCO(OFF|ON)|TCI(OFF|ON)",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "TCFLSH_QUEUES",
        prefix: "TC",
        header: "asm-generic/termbits-common.h",
        names: "TC(I|O|IO)FLUSH",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "RTC_VL_FLAGS",
        prefix: "RTC_VL_",
        header: "linux/rtc.h",
        names: "RTC_VL_(DATA_INVALID|BACKUP_LOW|BACKUP_EMPTY|ACCURACY_LOW|BACKUP_SWITCH)",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "PTRACE_REQUESTS",
        prefix: "PTRACE_",
        header: "linux/ptrace.h",
        names: "PTRACE_[A-Z_]+",
        bits: false,
        exclude: "^PTRACE_(O|EVENT|EVENTMSG|SYSCALL_INFO|PEEKSIGINFO_SHARED)_?",
        probe: false,
    },
    ValueTable {
        constant: "PTRACE_REQUESTS_X86_64",
        prefix: "PTRACE_",
        header: "x86_64-linux-gnu/asm/ptrace-abi.h",
        names: "PTRACE_[A-Z_]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "CAPABILITIES",
        prefix: "CAP_",
        header: "linux/capability.h",
        names: "CAP_[A-Z_]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "CAP_VERSIONS",
        prefix: "_LINUX_CAPABILITY_VERSION_",
        header: "linux/capability.h",
        names: "_LINUX_CAPABILITY_VERSION_[0-9]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
    ValueTable {
        constant: "PIDFD_FLAGS",
        prefix: "PIDFD_",
        header: "linux/pidfd.h",
        names: "PIDFD_[A-Z_]+",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "RESOLVE_FLAGS",
        prefix: "RESOLVE_",
        header: "linux/openat2.h",
        names: "RESOLVE_[A-Z_]+",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IPC_FLAGS",
        prefix: "IPC_",
        header: "linux/ipc.h",
        names: "IPC_(CREAT|EXCL)",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IPC_CMDS",
        prefix: "IPC_",
        header: "linux/ipc.h",
        names: "IPC_(RMID|SET|STAT|INFO)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IPC_NOWAIT_FLAG",
        prefix: "IPC_",
        header: "linux/ipc.h",
        names: "IPC_NOWAIT",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "MSG_CMDS",
        prefix: "MSG_",
        header: "linux/msg.h",
        names: "MSG_(STAT|INFO|STAT_ANY)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "SEM_CMDS",
        prefix: "SEM_",
        header: "linux/sem.h",
        names: "GET(PID|VAL|ALL|NCNT|ZCNT)|SET(VAL|ALL)|SEM_(STAT|INFO|STAT_ANY)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "SHM_CMDS",
        prefix: "SHM_",
        header: "linux/shm.h",
        names: "SHM_(LOCK|UNLOCK|STAT|INFO|STAT_ANY)",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "SHMGET_FLAGS",
        prefix: "SHM_",
        header: "linux/shm.h",
        names: "SHM_(HUGETLB|NORESERVE)",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "SHMAT_FLAGS",
        prefix: "SHM_",
        header: "linux/shm.h",
        names: "SHM_(RDONLY|RND|REMAP|EXEC)",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "RUSAGE_WHO",
        prefix: "RUSAGE_",
        header: "linux/resource.h",
        names: "RUSAGE_[A-Z]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "PERF_IOC_FLAGS",
        prefix: "PERF_IOC_FLAG_",
        header: "linux/perf_event.h",
        names: "PERF_IOC_FLAG_[A-Z_]+",
        bits: true,
        exclude: "^$",
        // An enum of one name.
        probe: true,
    },
    ValueTable {
        constant: "KVM_CAPS",
        prefix: "KVM_CAP_",
        header: "linux/kvm.h",
        names: "KVM_CAP_[A-Z0-9_]+",
        bits: false,
        exclude: "^$",
        probe: false,
    },
];

/// The generated `ioctl_args_gen.rs`: inode flags (FS_IOC_GETFLAGS/SETFLAGS; of two names for
/// one bit the later, current one; the masks and the reserved bit left out), struct fsxattr's
/// `FS_XFLAG_*` (FS_IOC_FSGETXATTR/FSSETXATTR), kd's modes and LEDs, HDIO_SET_BUSSTATE's
/// states, the TCXONC and
/// TCFLSH arguments, and ptrace's requests (generic and x86_64).
pub fn value_tables() -> Result<String> {
    render_value_tables("Values of ioctl and ptrace arguments", VALUE_TABLES)
}
