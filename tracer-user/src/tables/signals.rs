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
        None => sig.to_string(),
    }
}

/// A sigset as strace prints it: `[INT TERM]`, or `~[...]` listing what is missing when more
/// than half the signals are in the set.
pub fn sigset(bits: u64, nbits: u32) -> String {
    let nbits = nbits.min(NSIG);
    let count = (0..nbits).filter(|b| bits & (1 << b) != 0).count() as u32;
    let (complement, shown) = if count * 2 > nbits {
        (true, !bits)
    } else {
        (false, bits)
    };
    let names: Vec<String> = (0..nbits)
        .filter(|b| shown & (1 << b) != 0)
        .filter_map(|b| short_name(b + 1))
        .collect();
    format!("{}[{}]", if complement { "~" } else { "" }, names.join(" "))
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
