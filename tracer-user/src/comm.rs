//! `--comm NAME`: processes by name, as the kernel names them (`/proc/PID/comm`: the program's
//! file name, or what the process set with prctl, at most 15 bytes). The running ones are
//! found here; the kernel picks up the ones that appear later (tracer-ebpf's comm.rs).

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

/// Running processes with one of `names`, other than tracer itself.
pub fn running(names: &[[u8; COMM_LEN]]) -> Vec<u32> {
    crate::watch::Watch {
        names: names.to_vec(),
        ..crate::watch::Watch::default()
    }
    .running()
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

    #[test]
    fn the_running_test_binary_is_found_by_its_name_but_not_itself() {
        // This test process is tracer's own process here: it is left out.
        let comm = std::fs::read_to_string("/proc/self/comm").unwrap();
        let names = [kernel_name(comm.trim_end()).unwrap()];
        assert!(!running(&names).contains(&std::process::id()));
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        // Its name is "sleep" once it has exec'd.
        let comm = format!("/proc/{}/comm", child.id());
        for _ in 0..200 {
            if std::fs::read_to_string(&comm).is_ok_and(|c| c == "sleep\n") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let found = running(&[kernel_name("sleep").unwrap()]);
        let _ = child.kill();
        let _ = child.wait();
        assert!(found.contains(&child.id()), "{found:?}");
    }
}
