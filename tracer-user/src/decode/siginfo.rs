//! A delivered signal's siginfo, as strace prints it in `--- SIGCHLD {...} ---`.

use crate::{
    decode::{
        Arg,
        bytes::{i32_at, i64_at, u32_at, u64_at},
    },
    tables::{errno, signal_gen::AUDIT_ARCHES, signals, syscalls_i386_gen::I386_BY_NR},
};

const SIGILL: u32 = 4;
const SIGTRAP: u32 = 5;
const SIGBUS: u32 = 7;
const SIGFPE: u32 = 8;
const SIGSEGV: u32 = 11;
const SIGCHLD: u32 = 17;
const SIGIO: u32 = 29;
const SIGSYS: u32 = 31;

const SI_TKILL: i32 = -6;
const SI_USER: i32 = 0;
const SI_TIMER: i32 = -2;
const SI_SIGIO: i32 = -5;
const CLD_EXITED: i32 = 1;
/// POLL_IN, POLL_OUT, POLL_MSG: the codes that carry a band and an fd.
const POLL_WITH_FD: [i32; 3] = [1, 2, 3];
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
/// linux/audit.h's AUDIT_ARCH_I386 (EM_386|__AUDIT_ARCH_LE).
const AUDIT_ARCH_I386: u32 = 0x4000_0003;

/// A SIGSYS siginfo's `si_syscall`, as strace 6.1 prints it by the arch it came from: an
/// x86_64 call by name (`__NR_write`; the number with `-X raw`), an i386 one with its name in
/// a comment (`1 /* exit */`; bare with `-X raw`), any other (or an unknown number) bare.
fn sigsys_syscall(nr: u32, arch: u32) -> Arg {
    let number = Arg::UInt(u64::from(nr));
    match arch {
        AUDIT_ARCH_X86_64 => match crate::tables::by_nr(nr) {
            Some(def) => Arg::constant(number, Arg::sym(format!("__NR_{}", def.name))),
            None => number,
        },
        AUDIT_ARCH_I386 => match I386_BY_NR.binary_search_by_key(&nr, |&(n, _)| n) {
            Ok(at) => Arg::constant(
                number.clone(),
                Arg::Commented(Box::new(number), I386_BY_NR[at].1.into()),
            ),
            Err(_) => number,
        },
        _ => number,
    }
}

/// `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...}` for signal `sig` with the
/// kernel's siginfo bytes (x86_64 `struct kernel_siginfo`), or just the signal and
/// `SI_KERNEL` when it came without one.
pub fn siginfo(sig: u32, info: Option<&[u8]>) -> Arg {
    let Some(d) = info.filter(|d| u32_at(d, 0).is_some_and(|s| s != 0)) else {
        return Arg::Struct {
            fields: vec![
                ("si_signo", super::signal(u64::from(sig))),
                (
                    "si_code",
                    super::flags::constant(Arg::Hex(0x80), "SI_KERNEL"),
                ),
            ],
            more: false,
        };
    };
    decode(u32_at(d, 0).unwrap_or(sig), d)
}

/// A siginfo_t a syscall passes or receives (rt_sigqueueinfo, rt_sigtimedwait), by its own
/// `si_signo`; `{}` when that is 0.
pub fn siginfo_arg(d: &[u8]) -> Option<Arg> {
    // strace's printsiginfo: no signal, no fields.
    match u32_at(d, 0)? {
        0 => Some(Arg::Struct {
            fields: Vec::new(),
            more: false,
        }),
        signo => Some(decode(signo, d)),
    }
}

/// The fields of siginfo bytes `d` for signal `signo`.
fn decode(signo: u32, d: &[u8]) -> Arg {
    let code = i32_at(d, 8).unwrap_or(0);
    let mut fields = vec![
        ("si_signo", super::signal(u64::from(signo))),
        (
            "si_code",
            match signals::si_code_name(signo, code) {
                // strace's printxval of an unsigned int: `0xfffffffa` with -X raw; a code
                // it has no name for in hex too (`si_code=0xffffff9c`, `0x64`).
                Some(n) => super::flags::constant(Arg::Hex(u64::from(code as u32)), n),
                None => Arg::Hex(u64::from(code as u32)),
            },
        ),
    ];
    let err = i32_at(d, 4).unwrap_or(0);
    if err != 0 {
        let name =
            errno::lookup(err.unsigned_abs()).map_or_else(|| err.to_string(), |e| e.0.into());
        fields.push(("si_errno", Arg::sym(name)));
    }
    if code <= 0 {
        from_user(d, code, &mut fields);
    } else {
        from_kernel(d, signo, code, &mut fields);
    }
    Arg::Struct {
        fields,
        more: false,
    }
}

/// `si_pid=..., si_uid=...`.
fn source(d: &[u8], fields: &mut Vec<(&'static str, Arg)>) {
    fields.push(("si_pid", Arg::Pid(i64::from(i32_at(d, 16).unwrap_or(0)))));
    fields.push(("si_uid", uid(u32_at(d, 20).unwrap_or(0))));
}

use super::id as uid;

/// `si_int=..., si_ptr=...`.
fn value(d: &[u8], fields: &mut Vec<(&'static str, Arg)>) {
    fields.push(("si_int", Arg::Int(i64::from(i32_at(d, 24).unwrap_or(0)))));
    fields.push(("si_ptr", Arg::Ptr(u64_at(d, 24).unwrap_or(0))));
}

/// Signals sent by a process (kill, sigqueue, timers).
fn from_user(d: &[u8], code: i32, fields: &mut Vec<(&'static str, Arg)>) {
    match code {
        SI_USER | SI_TKILL => source(d, fields),
        SI_TIMER => {
            fields.push((
                "si_timerid",
                Arg::Hex(u64::from(u32_at(d, 16).unwrap_or(0))),
            ));
            fields.push((
                "si_overrun",
                Arg::Int(i64::from(i32_at(d, 20).unwrap_or(0))),
            ));
            value(d, fields);
        }
        SI_SIGIO => {
            fields.push(("si_band", Arg::Int(i64_at(d, 16).unwrap_or(0))));
            fields.push(("si_fd", Arg::Int(i64::from(i32_at(d, 24).unwrap_or(0)))));
        }
        _ => {
            source(d, fields);
            if u64_at(d, 24).is_some_and(|p| p != 0) {
                value(d, fields);
            }
        }
    }
}

/// Signals the kernel raised (faults, child status changes, I/O readiness, seccomp).
fn from_kernel(d: &[u8], signo: u32, code: i32, fields: &mut Vec<(&'static str, Arg)>) {
    match signo {
        SIGCHLD => {
            source(d, fields);
            let status = i32_at(d, 24).unwrap_or(0);
            // An exit code or a signal name: a string either way, so the JSON value has one type.
            fields.push((
                "si_status",
                if code == CLD_EXITED {
                    Arg::sym(status.to_string())
                } else {
                    super::signal(u64::from(status as u32))
                },
            ));
            fields.push(("si_utime", super::clock_t(i64_at(d, 32).unwrap_or(0))));
            fields.push(("si_stime", super::clock_t(i64_at(d, 40).unwrap_or(0))));
        }
        SIGILL | SIGFPE | SIGBUS | SIGSEGV | SIGTRAP => {
            fields.push(("si_addr", Arg::Ptr(u64_at(d, 16).unwrap_or(0))));
        }
        SIGIO => {
            if POLL_WITH_FD.contains(&code) {
                fields.push(("si_band", Arg::Int(i64_at(d, 16).unwrap_or(0))));
                fields.push(("si_fd", Arg::Int(i64::from(i32_at(d, 24).unwrap_or(0)))));
            }
        }
        SIGSYS => {
            fields.push(("si_call_addr", Arg::Ptr(u64_at(d, 16).unwrap_or(0))));
            let nr = u32_at(d, 24).unwrap_or(0);
            let arch = u32_at(d, 28).unwrap_or(0);
            fields.push(("si_syscall", sigsys_syscall(nr, arch)));
            // Named from linux/audit.h (generated); an unknown one keeps its marker in every
            // -X style, as strace 6.1 prints it.
            let arch_arg = match AUDIT_ARCHES.name(u64::from(arch)) {
                Some(name) => super::flags::constant(Arg::Hex(u64::from(arch)), name),
                None => {
                    Arg::Commented(Box::new(Arg::Hex(u64::from(arch))), "AUDIT_ARCH_???".into())
                }
            };
            fields.push(("si_arch", arch_arg));
        }
        _ => {
            let (pid, uid_v) = (i32_at(d, 16).unwrap_or(0), u32_at(d, 20).unwrap_or(0));
            if pid != 0 || uid_v != 0 {
                source(d, fields);
            }
            if u64_at(d, 24).is_some_and(|p| p != 0) {
                value(d, fields);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{strace::signal_line, text_options::TextOptions};

    fn info(words: &[(usize, i64, usize)]) -> [u8; 48] {
        let mut d = [0u8; 48];
        for &(at, v, size) in words {
            d[at..at + size].copy_from_slice(&v.to_le_bytes()[..size]);
        }
        d
    }

    fn line(sig: u32, d: Option<&[u8]>) -> String {
        let mut out = String::new();
        signal_line(
            (&siginfo(sig, d), sig, 0),
            &TextOptions::default(),
            None,
            &mut out,
        );
        out
    }

    #[test]
    fn child_exit_as_strace_prints_it() {
        // Recorded from strace 6.1: `sh -c /bin/true`.
        let d = info(&[(0, 17, 4), (8, 1, 4), (16, 2599, 4), (24, 0, 4)]);
        assert_eq!(
            line(17, Some(&d)),
            "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2599, si_uid=0, \
             si_status=0, si_utime=0, si_stime=0} ---\n"
        );
        let killed = info(&[(0, 17, 4), (8, 2, 4), (16, 7, 4), (24, 9, 4)]);
        // si_status is one JSON type (a string) for an exit code and for a signal.
        for (d, want) in [(&d, "0"), (&killed, "SIGKILL")] {
            let Arg::Struct { fields, .. } = siginfo(17, Some(d)) else {
                panic!("a struct");
            };
            let status = fields
                .iter()
                .find(|(n, _)| *n == "si_status")
                .expect("si_status");
            assert_eq!(status.1.abbrev(), &Arg::sym(want));
        }
        assert!(
            line(17, Some(&killed))
                .contains("si_code=CLD_KILLED, si_pid=7, si_uid=0, si_status=SIGKILL,")
        );
        // clock_t with its seconds, as strace 6.1's print_clock_t (100 ticks a second here).
        let busy = info(&[(0, 17, 4), (8, 1, 4), (16, 7, 4), (32, 64, 8), (40, 156, 8)]);
        assert!(
            line(17, Some(&busy)).contains("si_utime=64 /* 0.64 s */, si_stime=156 /* 1.56 s */}"),
            "{}",
            line(17, Some(&busy))
        );
    }

    #[test]
    fn kill_fault_and_no_info() {
        let kill = info(&[(0, 15, 4), (8, 0, 4), (16, 42, 4), (20, 1000, 4)]);
        assert_eq!(
            line(15, Some(&kill)),
            "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=42, si_uid=1000} ---\n"
        );
        let segv = info(&[(0, 11, 4), (8, 1, 4), (16, 0, 8)]);
        assert_eq!(
            line(11, Some(&segv)),
            "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---\n"
        );
        let tkill = info(&[(0, 5, 4), (8, -6, 4), (16, 9, 4)]);
        assert!(
            line(5, Some(&tkill))
                .contains("{si_signo=SIGTRAP, si_code=SI_TKILL, si_pid=9, si_uid=0}")
        );
        assert_eq!(
            line(1, None),
            "--- SIGHUP {si_signo=SIGHUP, si_code=SI_KERNEL} ---\n"
        );
    }
}
