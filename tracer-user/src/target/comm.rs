//! `--comm NAME`: processes by name, as the kernel names them (`/proc/PID/comm`: the program's
//! file name, or what the process set with prctl, at most 15 bytes). The running ones are
//! found by `watch`; the kernel picks up the ones that appear later (tracer-ebpf's comm.rs).

use tracer_common::COMM_LEN;

/// `name` as the kernel keeps it: at most 15 bytes, NUL-padded. None for an empty name.
/// Longer names are cut as the kernel cuts them, so "postgres_exporter" still matches.
pub fn kernel_name(name: &str) -> Option<[u8; COMM_LEN]> {
    if name.is_empty() {
        return None;
    }
    let mut out = [0u8; COMM_LEN];
    let bytes = name.as_bytes();
    let len = bytes.len().min(COMM_LEN - 1);
    out[..len].copy_from_slice(&bytes[..len]);
    Some(out)
}

/// Whether `comm` (a /proc comm file's text) is one of `names`.
pub(crate) fn is_wanted(comm: &str, names: &[[u8; COMM_LEN]]) -> bool {
    let comm = comm.strip_suffix('\n').unwrap_or(comm).as_bytes();
    names.iter().any(|n| {
        let len = n.iter().position(|&b| b == 0).unwrap_or(COMM_LEN);
        &n[..len] == comm
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_and_padded_as_the_kernel_keeps_them() {
        let n = kernel_name("pgbouncer").unwrap();
        assert_eq!(&n[..10], b"pgbouncer\0");
        let long = kernel_name("postgres_exporter").unwrap();
        assert_eq!(&long[..15], b"postgres_export");
        assert_eq!(long[15], 0);
        assert!(kernel_name("").is_none());
    }

    #[test]
    fn comm_files_match_whole_names_only() {
        let names = [kernel_name("pgbouncer").unwrap()];
        assert!(is_wanted("pgbouncer\n", &names));
        assert!(!is_wanted("pgbounce\n", &names));
        assert!(!is_wanted("pgbouncer2\n", &names));
    }
}
