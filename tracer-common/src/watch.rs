//! Which new processes the kernel picks up by itself (`--comm`, `--uid`, `--cgroup`, `--all`):
//! bits of its `WATCH` global. Every condition whose bit is set must hold for a process that
//! execs or is forked by an untraced parent; with no bit set nothing is picked up.

/// The process's name is one of the `COMMS` names or starts with a `COMM_PREFIXES` prefix.
pub const WATCH_NAMES: u8 = 1 << 0;
/// The process's real uid is `WATCH_UID_VALUE`.
pub const WATCH_UID: u8 = 1 << 1;
/// The process is in cgroup `WATCH_CGROUP_ID` (cgroup v2), at `WATCH_CGROUP_LEVEL`, or below.
pub const WATCH_CGROUP: u8 = 1 << 2;
/// Any process (`--all`, or a `*` name pattern): only the other bits narrow it.
pub const WATCH_ANY: u8 = 1 << 3;
