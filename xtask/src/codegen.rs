//! Generates the committed tables under tracer-user/src/tables/ from authoritative sources:
//! x86_64 syscall numbers and names from the `syscalls` crate, argument names and C types from
//! this kernel's own syscall tracepoint formats, errno names from the `syscalls` crate and errno
//! texts from glibc's strerror (what strace prints); ioctl requests and inode flags from the
//! kernel UAPI headers (`ioctls`, `termios`).

mod aio;
mod bpf;
mod evdev;
mod fcntl;
mod headers;
mod io_uring;
mod ioctl_dev;
mod ioctl_more;
mod ioctls;
mod ipc;
mod keyctl;
mod landlock;
mod longtail;
mod misc;
mod mount;
mod mq;
mod net;
mod netlink;
mod netlink_link;
mod notify;
mod perf;
mod prctl;
mod proc_tail;
mod quota;
mod seccomp;
mod signal;
mod sockopt;
mod termios;
mod timex;

use std::{
    ffi::CStr,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};
use std::str::FromStr as _;

use syscalls::{Errno, x86_64::Sysno};

use crate::pins;

const TRACEFS: &str = "/sys/kernel/tracing";

/// Tracepoint names that differ from the x86_64 syscall name.
const TRACEPOINT_ALIASES: &[(&str, &str)] = &[("umount2", "umount"), ("sendfile", "sendfile64")];

/// Debian packages whose headers the tables are valued from: the kernel's UAPI headers, and
/// keyutils' `keyutils.h` (key permissions the kernel does not install).
const HEADER_PACKAGES: &[&str] = &["linux-libc-dev", "libkeyutils-dev"];

pub fn run() -> Result<()> {
    ensure_packages(HEADER_PACKAGES)?;
    let events = ensure_tracefs()?.join("events/syscalls");
    let release = kernel_release();
    let out_dir = pins::workspace_root().join("tracer-user/src/tables");
    let syscalls = syscall_table(&events, &release)?;
    write(&out_dir.join("syscalls_gen.rs"), &syscalls)?;
    write(&out_dir.join("errno_gen.rs"), &errno_table())?;
    write(&out_dir.join("syscalls_i386_gen.rs"), &i386_names()?)?;
    write(&out_dir.join("ioctls_gen.rs"), &ioctls::table()?)?;
    write(&out_dir.join("ioctl_args_gen.rs"), &ioctls::value_tables()?)?;
    write(&out_dir.join("ioctl_dev_gen.rs"), &ioctl_dev::tables()?)?;
    write(&out_dir.join("net_gen.rs"), &net::tables()?)?;
    write(&out_dir.join("netlink_gen.rs"), &netlink::tables()?)?;
    write(
        &out_dir.join("netlink_link_gen.rs"),
        &netlink_link::tables()?,
    )?;
    write(&out_dir.join("termios_gen.rs"), &termios::tables()?)?;
    write(&out_dir.join("mount_gen.rs"), &mount::tables()?)?;
    write(&out_dir.join("quota_gen.rs"), &quota::tables()?)?;
    write(&out_dir.join("bpf_gen.rs"), &bpf::tables()?)?;
    write(&out_dir.join("perf_gen.rs"), &perf::tables()?)?;
    write(&out_dir.join("seccomp_gen.rs"), &seccomp::tables()?)?;
    write(&out_dir.join("landlock_gen.rs"), &landlock::tables()?)?;
    write(&out_dir.join("keyctl_gen.rs"), &keyctl::tables()?)?;
    write(&out_dir.join("ipc_gen.rs"), &ipc::tables()?)?;
    write(&out_dir.join("longtail_gen.rs"), &longtail::tables()?)?;
    write(&out_dir.join("mq_gen.rs"), &mq::tables()?)?;
    write(&out_dir.join("notify_gen.rs"), &notify::tables()?)?;
    write(&out_dir.join("io_uring_gen.rs"), &io_uring::tables()?)?;
    write(&out_dir.join("misc_gen.rs"), &misc::tables()?)?;
    write(&out_dir.join("prctl_gen.rs"), &prctl::tables()?)?;
    write(&out_dir.join("fcntl_gen.rs"), &fcntl::tables()?)?;
    write(&out_dir.join("signal_gen.rs"), &signal::tables()?)?;
    write(&out_dir.join("timex_gen.rs"), &timex::tables()?)?;
    write(&out_dir.join("aio_gen.rs"), &aio::tables()?)?;
    write(&out_dir.join("proc_tail_gen.rs"), &proc_tail::tables()?)?;
    write(&out_dir.join("evdev_gen.rs"), &evdev::tables()?)?;
    write(&out_dir.join("ioctl_more_gen.rs"), &ioctl_more::tables()?)?;
    write(&out_dir.join("sockopt_gen.rs"), &sockopt::tables()?)?;
    // The tables are written unformatted; rustfmt gives the committed text, so a rerun on an
    // unchanged source leaves the tree clean.
    crate::test::fmt()
}

/// Installs those of `packages` that dpkg does not list as installed (a fresh machine lacks
/// libkeyutils-dev), with apt-get.
fn ensure_packages(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            !Command::new("dpkg")
                .args(["-s", p])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!(
        "xtask: installing {} (headers the tables come from)",
        missing.join(" ")
    );
    let status = Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("failed to run apt-get")?;
    if !status.success() {
        bail!("apt-get install {} failed", missing.join(" "));
    }
    Ok(())
}

fn ensure_tracefs() -> Result<PathBuf> {
    let root = PathBuf::from(TRACEFS);
    if !root.join("events").exists() {
        let status = Command::new("mount")
            .args(["-t", "tracefs", "tracefs", TRACEFS])
            .status()
            .context("failed to run mount")?;
        if !status.success() {
            bail!("tracefs is not mounted at {TRACEFS} and mounting it failed (need root)");
        }
    }
    Ok(root)
}

fn kernel_release() -> String {
    fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

fn write(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).with_context(|| format!("failed to write {}", path.display()))?;
    eprintln!("xtask: wrote {}", path.display());
    Ok(())
}

/// One parameter from a tracepoint format: (C type, name).
type Param = (String, String);

/// Reads `sys_enter_<name>/format` and returns its parameters, or None when the kernel has no
/// tracepoint for that syscall.
fn tracepoint_params(events: &Path, name: &str) -> Result<Option<Vec<Param>>> {
    let alias = TRACEPOINT_ALIASES
        .iter()
        .find(|(sys, _)| *sys == name)
        .map(|(_, tp)| (*tp).to_string());
    let candidates = [alias, Some(name.to_string()), Some(format!("new{name}"))];
    for tp in candidates.into_iter().flatten() {
        let path = events.join(format!("sys_enter_{tp}/format"));
        if let Ok(text) = fs::read_to_string(&path) {
            return parse_format(&text)
                .with_context(|| format!("failed to parse {}", path.display()))
                .map(Some);
        }
    }
    Ok(None)
}

/// Parameters are the `field:` lines after `__syscall_nr`.
fn parse_format(text: &str) -> Result<Vec<Param>> {
    let mut params = Vec::new();
    let mut seen_nr = false;
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("field:") else {
            continue;
        };
        let decl = rest.split(';').next().unwrap_or_default().trim();
        if decl.ends_with("__syscall_nr") {
            seen_nr = true;
            continue;
        }
        if !seen_nr {
            continue;
        }
        let split = decl
            .rfind([' ', '*'])
            .with_context(|| format!("no name in {decl:?}"))?;
        let (ty, name) = decl.split_at(split + 1);
        params.push((ty.trim().to_string(), name.trim().to_string()));
    }
    if !seen_nr {
        bail!("no __syscall_nr field");
    }
    Ok(params)
}

fn syscall_table(events: &Path, release: &str) -> Result<String> {
    let mut out = String::new();
    writeln!(
        out,
        "//! @generated by `cargo xtask codegen`; do not edit.\n\
         //! x86_64 syscall numbers and names: the `syscalls` crate. Argument names and C types:\n\
         //! the kernel's syscall tracepoint formats (Linux {release}). `params: None` means the\n\
         //! kernel has no tracepoint for the syscall.\n\n\
         use super::{{Declared, Param}};\n\n\
         const fn p(ty: &'static str, name: &'static str) -> Param {{\n    Param {{ ty, name }}\n}}\n\n\
         pub static SYSCALLS: &[Declared] = &["
    )?;
    for sys in Sysno::iter() {
        let name = sys.name();
        let params = match tracepoint_params(events, name)? {
            Some(params) => {
                let list: Vec<String> = params
                    .iter()
                    .map(|(ty, n)| format!("p({ty:?}, {n:?})"))
                    .collect();
                format!("Some(&[{}])", list.join(", "))
            }
            None => "None".to_string(),
        };
        writeln!(
            out,
            "    Declared {{ nr: {}, name: {name:?}, params: {params} }},",
            sys.id()
        )?;
    }
    writeln!(out, "];")?;
    Ok(out)
}

/// The names strace also accepts in `-e trace=` on x86_64: its i386 personality's syscalls
/// (`chown32`, `_newselect`, `socketcall`) that x86_64 lacks. They match nothing here.
fn i386_names() -> Result<String> {
    let mut names: Vec<&str> = syscalls::x86::Sysno::iter()
        .map(|s| s.name())
        .filter(|n| Sysno::from_str(n).is_err())
        .collect();
    names.sort_unstable();
    if !names.contains(&"chown32") {
        bail!("the syscalls crate's i386 table lacks chown32");
    }
    let mut out = String::from(
        "//! @generated by `cargo xtask codegen`; do not edit.\n\
         //! i386 syscall names that x86_64 lacks (the `syscalls` crate's x86 table): strace on\n\
         //! x86_64 accepts them in `-e trace=` (its i386 personality) and they match nothing.\n\n\
         /// Sorted.\n\
         pub static I386_ONLY: &[&str] = &[\n",
    );
    for name in names {
        writeln!(out, "    {name:?},")?;
    }
    out.push_str("];\n");
    // A SIGSYS siginfo of an i386 call names it in a comment (strace 6.1: `si_syscall=1 /*
    // exit */`).
    let mut numbered: Vec<(u32, &str)> = syscalls::x86::Sysno::iter()
        .map(|s| (s.id() as u32, s.name()))
        .collect();
    numbered.sort_unstable();
    out.push_str(
        "\n/// Every i386 syscall by number, sorted.\npub static I386_BY_NR: &[(u32, &str)] = &[\n",
    );
    for (nr, name) in numbered {
        writeln!(out, "    ({nr}, {name:?}),")?;
    }
    out.push_str("];\n");
    Ok(out)
}

fn strerror(code: i32) -> String {
    // SAFETY: strerror returns a pointer to a NUL-terminated string that stays valid until the
    // next strerror call on this thread; we copy it out at once.
    unsafe { CStr::from_ptr(libc::strerror(code)) }
        .to_string_lossy()
        .into_owned()
}

/// Texts strace prints for the kernel-internal restart codes instead of strerror's.
const RESTART_TEXTS: &[(i32, &str)] = &[
    (512, "To be restarted if SA_RESTART is set"),
    (513, "To be restarted"),
    (514, "To be restarted if no handler"),
    (516, "Interrupted by signal"),
];

fn errno_table() -> String {
    let mut out = String::from(
        "//! @generated by `cargo xtask codegen`; do not edit.\n\
         //! Errno names: the `syscalls` crate. Texts: glibc's strerror (what strace prints), except\n\
         //! strace's own texts for the kernel-internal restart codes.\n\n\
         /// (errno, name, text), ascending.\n\
         pub static ERRNOS: &[(u16, &str, &str)] = &[\n",
    );
    for code in 1..4096 {
        let Some((name, _)) = Errno::new(code).name_and_description() else {
            continue;
        };
        let text = RESTART_TEXTS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, t)| (*t).to_string())
            .unwrap_or_else(|| strerror(code));
        let _ = writeln!(out, "    ({code}, {name:?}, {text:?}),");
    }
    out.push_str("];\n");
    out
}
