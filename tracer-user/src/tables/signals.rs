//! Signal names as strace prints them (x86_64 numbering).

/// Names of signals 1..=31, without the SIG prefix.
const NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// Highest signal number.
pub const NSIG: u32 = 64;

/// `INT`, `RTMIN`, `RT_3`: a signal's name without the SIG prefix (as in sigsets).
pub fn short_name(sig: u32) -> Option<String> {
    match sig {
        1..=31 => Some(NAMES[sig as usize - 1].to_string()),
        32 => Some("RTMIN".to_string()),
        33..=64 => Some(format!("RT_{}", sig - 32)),
        _ => None,
    }
}

/// `SIGINT`, `SIGRTMIN`, `SIGRT_3`, or the number: a signal as an argument.
pub fn name(sig: u64) -> String {
    match u32::try_from(sig).ok().and_then(short_name) {
        Some(n) => format!("SIG{n}"),
        // An int: 0xffffffff prints -1, as strace prints it.
        None => (sig as u32 as i32).to_string(),
    }
}

/// A sigset as strace prints it: `[INT TERM]`, or `~[...]` listing what is missing when more
/// than half the signals are in the set.
pub fn sigset(bits: u64, nbits: u32) -> String {
    let (complement, members) = sigset_members(bits, nbits);
    let names: Vec<String> = members.into_iter().map(|(_, name)| name).collect();
    format!("{}[{}]", if complement { "~" } else { "" }, names.join(" "))
}

/// The signals `sigset` lists, as (number, short name), and whether the list is the
/// complement (`~[...]`, when more than half the signals are in the set).
pub fn sigset_members(bits: u64, nbits: u32) -> (bool, Vec<(u32, String)>) {
    let nbits = nbits.min(NSIG);
    let count = (0..nbits).filter(|b| bits & (1 << b) != 0).count() as u32;
    let (complement, shown) = if count * 2 > nbits {
        (true, !bits)
    } else {
        (false, bits)
    };
    let members = (0..nbits)
        .filter(|b| shown & (1 << b) != 0)
        .filter_map(|b| short_name(b + 1).map(|name| (b + 1, name)))
        .collect();
    (complement, members)
}

/// `si_code` values any signal can carry (`siginfo_codes` in strace).
const SI_CODES: &[(i32, &str)] = &[
    (0, "SI_USER"),
    (0x80, "SI_KERNEL"),
    (-1, "SI_QUEUE"),
    (-2, "SI_TIMER"),
    (-3, "SI_MESGQ"),
    (-4, "SI_ASYNCIO"),
    (-5, "SI_SIGIO"),
    (-6, "SI_TKILL"),
    (-7, "SI_DETHREAD"),
    (-60, "SI_ASYNCNL"),
];

/// Signal-specific `si_code` names, from 1 up.
const ILL: &[&str] = &[
    "ILL_ILLOPC",
    "ILL_ILLOPN",
    "ILL_ILLADR",
    "ILL_ILLTRP",
    "ILL_PRVOPC",
    "ILL_PRVREG",
    "ILL_COPROC",
    "ILL_BADSTK",
    "ILL_BADIADDR",
];
const FPE: &[&str] = &[
    "FPE_INTDIV",
    "FPE_INTOVF",
    "FPE_FLTDIV",
    "FPE_FLTOVF",
    "FPE_FLTUND",
    "FPE_FLTRES",
    "FPE_FLTINV",
    "FPE_FLTSUB",
    "",
    "",
    "",
    "",
    "",
    "FPE_FLTUNK",
    "FPE_CONDTRAP",
];
const SEGV: &[&str] = &[
    "SEGV_MAPERR",
    "SEGV_ACCERR",
    "SEGV_BNDERR",
    "SEGV_PKUERR",
    "SEGV_ACCADI",
    "SEGV_ADIDERR",
    "SEGV_ADIPERR",
    "SEGV_MTEAERR",
    "SEGV_MTESERR",
    "SEGV_CPERR",
];
const BUS: &[&str] = &[
    "BUS_ADRALN",
    "BUS_ADRERR",
    "BUS_OBJERR",
    "BUS_MCEERR_AR",
    "BUS_MCEERR_AO",
];
const TRAP: &[&str] = &[
    "TRAP_BRKPT",
    "TRAP_TRACE",
    "TRAP_BRANCH",
    "TRAP_HWBKPT",
    "TRAP_UNK",
    "TRAP_PERF",
];
const CHLD: &[&str] = &[
    "CLD_EXITED",
    "CLD_KILLED",
    "CLD_DUMPED",
    "CLD_TRAPPED",
    "CLD_STOPPED",
    "CLD_CONTINUED",
];
const POLL: &[&str] = &[
    "POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP",
];
const SYS: &[&str] = &["SYS_SECCOMP", "SYS_USER_DISPATCH"];
const PROF: &[&str] = &["PROF_SIG"];

/// The name of `si_code` for signal `sig`: the generic codes first, then the signal's own.
pub fn si_code_name(sig: u32, code: i32) -> Option<&'static str> {
    if let Some((_, name)) = SI_CODES.iter().find(|(c, _)| *c == code) {
        return Some(name);
    }
    let table: &[&str] = match sig {
        4 => ILL,
        5 => TRAP,
        7 => BUS,
        8 => FPE,
        11 => SEGV,
        17 => CHLD,
        27 => PROF,
        29 => POLL,
        31 => SYS,
        _ => return None,
    };
    let i = usize::try_from(code).ok()?.checked_sub(1)?;
    table.get(i).copied().filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(name(2), "SIGINT");
        assert_eq!(name(17), "SIGCHLD");
        assert_eq!(name(32), "SIGRTMIN");
        assert_eq!(name(34), "SIGRT_2");
        assert_eq!(name(99), "99");
    }

    #[test]
    fn sets_as_strace_prints_them() {
        assert_eq!(sigset(0, 64), "[]");
        assert_eq!(sigset((1 << 16) | (1 << 1), 64), "[INT CHLD]");
        // Everything but RTMIN and RT_1: what glibc blocks around fork.
        let all_but = !((1u64 << 31) | (1u64 << 32));
        assert_eq!(sigset(all_but, 64), "~[RTMIN RT_1]");
        assert_eq!(sigset(!0, 64), "~[]");
        let but_kill_stop = !((1u64 << 8) | (1u64 << 18) | (1u64 << 31) | (1u64 << 32));
        assert_eq!(sigset(but_kill_stop, 64), "~[KILL STOP RTMIN RT_1]");
    }
}
