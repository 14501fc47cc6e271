//! Errno names and texts as strace prints them.

use super::errno_gen::ERRNOS;

/// Kernel-internal restart codes, printed by strace as `= ? NAME (text)`.
pub fn is_restart(errno: u32) -> bool {
    matches!(errno, 512 | 513 | 514 | 516)
}

/// (name, text) for an errno value.
pub fn lookup(errno: u32) -> Option<(&'static str, &'static str)> {
    let errno = u16::try_from(errno).ok()?;
    ERRNOS
        .binary_search_by_key(&errno, |(code, _, _)| *code)
        .ok()
        .map(|i| (ERRNOS[i].1, ERRNOS[i].2))
}

/// The errno named `name` (any case), as strace's `error=` takes it.
pub fn by_name(name: &str) -> Option<u32> {
    ERRNOS
        .iter()
        .find(|(_, n, _)| n.eq_ignore_ascii_case(name))
        .map(|(code, _, _)| u32::from(*code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_glibc_texts() {
        assert_eq!(lookup(2), Some(("ENOENT", "No such file or directory")));
        assert_eq!(lookup(12), Some(("ENOMEM", "Cannot allocate memory")));
        assert_eq!(lookup(24), Some(("EMFILE", "Too many open files")));
        assert_eq!(
            lookup(11),
            Some(("EAGAIN", "Resource temporarily unavailable"))
        );
        assert_eq!(
            lookup(512),
            Some(("ERESTARTSYS", "To be restarted if SA_RESTART is set"))
        );
        assert_eq!(lookup(9999), None);
        assert!(is_restart(512) && !is_restart(2));
    }
}
