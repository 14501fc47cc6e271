//! tracer's pid namespace. Run in a container (`unshare --pid --fork --mount-proc`, docker,
//! ...), tracer sees the namespace's pids in /proc, and so does the user: the kernel programs
//! are told the namespace, so that they key and report processes by the same numbers, and
//! never trace a process outside it.

use std::os::unix::fs::MetadataExt;

/// The initial (host) pid namespace's inode number (`PROC_PID_INIT_INO`).
const INIT_PIDNS_INO: u64 = 0xEFFF_FFFC;

/// (device, inode) of tracer's pid namespace when it is not the host's; None on the host.
pub fn own() -> Option<(u64, u64)> {
    let meta = std::fs::metadata("/proc/self/ns/pid").ok()?;
    (meta.ino() != INIT_PIDNS_INO).then_some((meta.dev(), meta.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_namespace_is_no_namespace() {
        // The tests run on the host unless run inside a container: then the inode differs.
        let ino = std::fs::metadata("/proc/self/ns/pid").map(|m| m.ino());
        assert_eq!(own().is_none(), ino.ok() == Some(INIT_PIDNS_INO));
    }
}
