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

use std::{
    collections::BTreeSet,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};
use regex::Regex;

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
];

/// Headers that use what another header defines, and that header: asm-generic/ioctls.h
/// sizes TCGETS2 and the other termios2 requests with `struct termios2` (asm/termbits.h);
/// open_tree's flags are linux/mount.h's and linux/fcntl.h's `AT_*`; quotactl's XFS
/// commands are in linux/dqblk_xfs.h; linux/fs.h sizes FS_IOC_FIEMAP with `struct fiemap`
/// (linux/fiemap.h, which it does not include) and BLKTRACESETUP with
/// `struct blk_user_trace_setup` (linux/blktrace_api.h).
const PRELUDES: &[(&str, &str)] = &[
    ("asm-generic/ioctls.h", "asm/termbits.h"),
    ("linux/fs.h", "linux/fiemap.h"),
    ("linux/fs.h", "linux/blktrace_api.h"),
    ("linux/mount.h", "linux/fcntl.h"),
    ("linux/quota.h", "linux/dqblk_xfs.h"),
    ("linux/userfaultfd.h", "linux/fcntl.h"),
];

/// The generated `ioctls_gen.rs`.
pub fn table() -> Result<String> {
    let headers = package_headers()?;
    let define = Regex::new(r"(?m)^\s*#\s*define\s+([A-Z][A-Z0-9_]*)\s+(.+)$")?;
    let ioc = Regex::new(r"\b_S?IO(C|R|W|WR)?\s*\(")?;
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
    headers.sort();
    Ok(headers)
}

/// The header's text with backslash-continued lines joined.
fn joined_lines(path: &Path) -> Result<String> {
    let text =
        fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))?;
    Ok(text.replace("\\\n", " "))
}

/// Compiles and runs a program printing each name's value; names whose line does not compile
/// (a struct the header does not define) are dropped and the rest tried again. None when the
/// header itself does not compile.
pub(super) fn values(
    work: &Path,
    include: &str,
    names: &[String],
) -> Result<Option<Vec<(u32, String)>>> {
    let mut names = names.to_vec();
    let src = work.join("probe.c");
    let bin = work.join("probe");
    for _ in 0..4 {
        if names.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let mut c = String::from("#include <linux/types.h>\n#include <linux/ioctl.h>\n");
        for (_, needed) in PRELUDES.iter().filter(|(h, _)| *h == include) {
            let _ = writeln!(c, "#include <{needed}>");
        }
        let _ = writeln!(
            c,
            "#include <{include}>\n#include <stdio.h>\nint main(void) {{"
        );
        let first_line = c.lines().count() + 1;
        for n in &names {
            let _ = writeln!(c, "printf(\"%u {n}\\n\", (unsigned int)({n}));");
        }
        c.push_str("return 0;\n}\n");
        fs::write(&src, &c).with_context(|| format!("failed to write {}", src.display()))?;
        let out = Command::new("cc")
            .arg("-w")
            .arg("-o")
            .arg(&bin)
            .arg(&src)
            .output()
            .context("failed to run cc")?;
        if out.status.success() {
            let run = Command::new(&bin)
                .output()
                .with_context(|| format!("failed to run the probe for {include}"))?;
            return Ok(Some(parse_values(&String::from_utf8_lossy(&run.stdout))));
        }
        let bad = failing_lines(
            &String::from_utf8_lossy(&out.stderr),
            first_line,
            names.len(),
        );
        if bad.is_empty() {
            return Ok(None);
        }
        if std::env::var_os("TRACER_CODEGEN_DROPPED").is_some() {
            for &i in &bad {
                eprintln!("xtask: {include}: {} does not compile, left out", names[i]);
            }
        }
        names = names
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !bad.contains(i))
            .map(|(_, n)| n)
            .collect();
    }
    Ok(None)
}

/// Indexes (into the names) of the probe lines cc reported errors on.
fn failing_lines(stderr: &str, first_line: usize, count: usize) -> BTreeSet<usize> {
    stderr
        .lines()
        .filter(|l| l.contains("error"))
        .filter_map(|l| l.split("probe.c:").nth(1))
        .filter_map(|rest| rest.split(':').next()?.parse::<usize>().ok())
        .filter(|&line| line >= first_line && line < first_line + count)
        .map(|line| line - first_line)
        .collect()
}

fn parse_values(stdout: &str) -> Vec<(u32, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let (v, n) = l.split_once(' ')?;
            Some((v.parse().ok()?, n.to_string()))
        })
        .collect()
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

/// One generated value table: its constant, its prefix, the header, and which defines.
pub struct ValueTable {
    pub constant: &'static str,
    pub prefix: &'static str,
    pub header: &'static str,
    /// Regex for the names; its values are read as hex or decimal numbers.
    pub names: &'static str,
    /// Flag bits (one name per bit, ascending) rather than values in header order.
    pub bits: bool,
    /// Names matching this are left out (`^$`: none).
    pub exclude: &'static str,
    /// Valued by compiling the header (values that are other names, octal or negative, as
    /// `PIDFD_NONBLOCK O_NONBLOCK`, `IPC_CREAT 00001000`, `RUSAGE_CHILDREN (-1)`) rather than
    /// by reading a number after the name; negative values are kept as 32-bit unsigned.
    pub probe: bool,
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
];

/// The generated `ioctl_args_gen.rs`: inode flags (FS_IOC_GETFLAGS/SETFLAGS; of two names for
/// one bit the later, current one; the masks and the reserved bit left out), struct fsxattr's
/// `FS_XFLAG_*` (FS_IOC_FSGETXATTR/FSSETXATTR), kd's modes and LEDs, HDIO_SET_BUSSTATE's
/// states, the TCXONC and
/// TCFLSH arguments, and ptrace's requests (generic and x86_64).
pub fn value_tables() -> Result<String> {
    render_value_tables("Values of ioctl and ptrace arguments", VALUE_TABLES)
}

/// A generated file of `Xlat` tables (`what`: its doc line) read from the UAPI headers.
pub fn render_value_tables(what: &str, tables: &[ValueTable]) -> Result<String> {
    let mut out = format!(
        "//! @generated by `cargo xtask codegen`; do not edit.\n\
         //! {what} from the UAPI headers of Debian's linux-libc-dev.\n\n\
         use super::flags::Xlat;\n",
    );
    for table in tables {
        let path = Path::new("/usr/include").join(table.header);
        let text = joined_lines(&path)?;
        let define = Regex::new(&format!(
            r"(?m)^\s*#\s*define\s+(?P<name>{})\s+(?P<value>0x[0-9A-Fa-f]+|[0-9]+)\s*(/\*.*)?$",
            table.names
        ))?;
        let exclude = Regex::new(table.exclude)?;
        let mut entries: Vec<(String, u64)> = Vec::new();
        for (name, value) in defined_values(table, &text, &define)? {
            if exclude.is_match(&name) {
                continue;
            }
            if table.bits {
                if !value.is_power_of_two() || name.contains("RESERVED") {
                    continue;
                }
                entries.retain(|(_, v)| *v != value);
            }
            entries.push((name, value));
        }
        if table.bits {
            entries.sort_by_key(|(_, v)| *v);
        }
        // A probed table may hold one name (linux/pidfd.h: PIDFD_NONBLOCK).
        if entries.len() < if table.probe { 1 } else { 3 } {
            bail!(
                "only {} {} values found in {}",
                entries.len(),
                table.constant,
                table.header
            );
        }
        let _ = writeln!(
            out,
            "\n/// From {}{}.\npub const {}: Xlat = Xlat::new(\n    {:?},\n    &[",
            table.header,
            if table.bits { ", ascending by bit" } else { "" },
            table.constant,
            table.prefix
        );
        for (name, value) in entries {
            let _ = writeln!(out, "        ({name:?}, {value:#x}),");
        }
        out.push_str("    ],\n);\n");
    }
    Ok(out)
}

/// `(name, value)` of the table's defines in header order: the number after the name, or
/// (`probe`) every define of those names valued by compiling the header.
fn defined_values(table: &ValueTable, text: &str, numeric: &Regex) -> Result<Vec<(String, u64)>> {
    if !table.probe {
        let mut out = Vec::new();
        for c in numeric.captures_iter(text) {
            let token = &c["value"];
            let value = match token.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16)?,
                None => token.parse()?,
            };
            out.push((c["name"].to_string(), value));
        }
        return Ok(out);
    }
    // A define of the name, or an enum member (`IFA_ADDRESS,`, `RT_SCOPE_HOST=254,`), in
    // header order.
    let any = Regex::new(&format!(
        r"(?m)^\s*(?:#\s*define\s+(?P<define>{0})\s+\S|(?P<member>{0})\s*(?:=[^,\n]*)?,?\s*(?:/\*.*)?$)",
        table.names
    ))?;
    let mut names: Vec<String> = Vec::new();
    for c in any.captures_iter(text) {
        let name = c
            .name("define")
            .or_else(|| c.name("member"))
            .map_or("", |m| m.as_str());
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    let work = std::env::temp_dir().join(format!(
        "tracer-values-codegen-{}-{}",
        std::process::id(),
        table.constant
    ));
    fs::create_dir_all(&work).with_context(|| format!("failed to create {}", work.display()))?;
    let found = values(&work, table.header, &names)?;
    let _ = fs::remove_dir_all(&work);
    let found = found.with_context(|| format!("{} does not compile alone", table.header))?;
    Ok(found.into_iter().map(|(v, n)| (n, u64::from(v))).collect())
}
