//! Which processes tracer picks up by itself: `--comm NAME` and `--comm PREFIX*`, `--uid
//! UID|USER`, `--cgroup PATH`, `--all`. Every condition given must hold. The running processes
//! are found here; the kernel picks up the ones that appear later (tracer-ebpf's comm.rs),
//! with the same conditions (`tracer_common::WATCH_*`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tracer_common::{COMM_LEN, WATCH_ANY, WATCH_CGROUP, WATCH_NAMES, WATCH_UID};

use crate::target::comm::kernel_name;

/// A cgroup v2 directory: its id (the directory's inode number) and depth below the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cgroup {
    /// As /proc/PID/cgroup names it: `/system.slice/postgresql.service`.
    pub path: String,
    pub id: u64,
    pub level: u32,
}

/// The conditions for picking up processes.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    /// `--comm NAME`: whole names, as the kernel keeps them.
    pub names: Vec<[u8; COMM_LEN]>,
    /// `--comm PREFIX*`: prefixes (1 to 15 bytes).
    pub prefixes: Vec<Vec<u8>>,
    /// `--comm '*'` or `--all`: any name.
    pub any: bool,
    pub uid: Option<u32>,
    pub cgroup: Option<Cgroup>,
}

impl Watch {
    /// From the `--comm` names and patterns, `--uid`, `--cgroup` and `--all`.
    pub fn new(
        comms: &[String],
        uid: Option<&str>,
        cgroup: Option<&Path>,
        all: bool,
    ) -> Result<Self> {
        let mut w = Self {
            uid: uid.map(resolve_uid).transpose()?,
            cgroup: cgroup.map(resolve_cgroup).transpose()?,
            ..Self::default()
        };
        for pattern in comms {
            match pattern.split_once('*') {
                None => w.names.extend(kernel_name(pattern)),
                Some((prefix, "")) if !prefix.contains('*') => match prefix.len() {
                    0 => w.any = true,
                    1..COMM_LEN => w.prefixes.push(prefix.as_bytes().to_vec()),
                    // Longer than a name can be: only the name cut to 15 bytes can match.
                    _ => w.names.extend(kernel_name(prefix)),
                },
                Some(_) => bail!(
                    "--comm {pattern}: only a trailing * is supported (a name prefix: postgres*)"
                ),
            }
        }
        // `--all` is every process, narrowed by the names too: it never widens `--comm`.
        w.any |= all && w.names.is_empty() && w.prefixes.is_empty();
        Ok(w)
    }

    /// Only processes with one of these whole names (the ptrace backend's `--comm`).
    pub fn names(names: &[[u8; COMM_LEN]]) -> Self {
        Self {
            names: names.to_vec(),
            ..Self::default()
        }
    }

    /// The kernel's `WATCH` bits; 0 when nothing is picked up by itself.
    pub fn bits(&self) -> u8 {
        let mut bits = 0;
        if self.any {
            bits |= WATCH_ANY;
        } else if !self.names.is_empty() || !self.prefixes.is_empty() {
            bits |= WATCH_NAMES;
        }
        if self.uid.is_some() {
            bits |= WATCH_UID;
        }
        if self.cgroup.is_some() {
            bits |= WATCH_CGROUP;
        }
        // --uid or --cgroup alone: every process that passes them.
        if bits & (WATCH_NAMES | WATCH_ANY) == 0 && bits != 0 {
            bits |= WATCH_ANY;
        }
        bits
    }

    /// Whether processes are picked up (daemon mode: runs until interrupted).
    pub fn active(&self) -> bool {
        self.bits() != 0
    }

    /// Only whole names: what the ptrace backend's name watch can follow too.
    pub fn names_only(&self) -> bool {
        !self.any && self.prefixes.is_empty() && self.uid.is_none() && self.cgroup.is_none()
    }

    /// The kernel's `COMM_PREFIX_LENS`: bit N for each N-byte prefix.
    pub fn prefix_lens(&self) -> u16 {
        self.prefixes.iter().fold(0, |b, p| b | 1 << p.len())
    }

    /// The prefixes NUL-padded, as the kernel keys them.
    pub fn prefix_keys(&self) -> impl Iterator<Item = [u8; COMM_LEN]> + '_ {
        self.prefixes.iter().map(|p| {
            let mut key = [0u8; COMM_LEN];
            key[..p.len()].copy_from_slice(p);
            key
        })
    }

    /// Whether a process with this name (a /proc comm file's text), real uid and cgroup path
    /// is wanted.
    fn wants(&self, comm: &str, uid: Option<u32>, cgroup: Option<&str>) -> bool {
        let name = comm.strip_suffix('\n').unwrap_or(comm).as_bytes();
        let named = self.any
            || self.prefixes.iter().any(|p| name.starts_with(p))
            || crate::target::comm::is_wanted(comm, &self.names)
            || (self.names.is_empty() && self.prefixes.is_empty());
        let uid_ok = self.uid.is_none() || uid == self.uid;
        let cgroup_ok = self
            .cgroup
            .as_ref()
            .is_none_or(|c| cgroup.is_some_and(|p| under(p, &c.path)));
        named && uid_ok && cgroup_ok
    }

    /// Running processes that are wanted, other than tracer itself and kernel threads.
    pub fn running(&self) -> Vec<u32> {
        if !self.active() {
            return Vec::new();
        }
        let me = std::process::id();
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        let mut pids: Vec<u32> = dir
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| pid != me)
            .filter(|&pid| {
                let read = |f: &str| std::fs::read_to_string(format!("/proc/{pid}/{f}")).ok();
                let Some(status) = read("status") else {
                    return false;
                };
                // Kernel threads make no syscalls of their own. (Not an empty cmdline: a
                // process in the middle of an exec has one for a moment, after its new name.)
                if read("stat").is_none_or(|stat| is_kernel_thread(&stat)) {
                    return false;
                }
                let comm = read("comm").unwrap_or_default();
                let cgroup = read("cgroup");
                self.wants(
                    &comm,
                    real_uid(&status),
                    cgroup.as_deref().and_then(v2_path),
                )
            })
            .collect();
        pids.sort_unstable();
        pids
    }
}

/// Whether /proc/PID/stat's flags (the 9th field, after the name in parentheses) say
/// PF_KTHREAD.
fn is_kernel_thread(stat: &str) -> bool {
    const PF_KTHREAD: u64 = 0x0020_0000;
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(6)?.parse::<u64>().ok())
        .is_some_and(|flags| flags & PF_KTHREAD != 0)
}

/// The real uid on the `Uid:` line of /proc/PID/status.
fn real_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The cgroup v2 path in a /proc/PID/cgroup file (its `0::` line).
fn v2_path(text: &str) -> Option<&str> {
    text.lines().find_map(|l| l.strip_prefix("0::"))
}

/// Whether cgroup `path` is `top` or below it.
fn under(path: &str, top: &str) -> bool {
    let top = top.trim_end_matches('/');
    top.is_empty()
        || path == top
        || path
            .strip_prefix(top)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `--uid`: a number, or a user name.
fn resolve_uid(text: &str) -> Result<u32> {
    if let Ok(uid) = text.parse() {
        return Ok(uid);
    }
    match nix::unistd::User::from_name(text) {
        Ok(Some(user)) => Ok(user.uid.as_raw()),
        _ => bail!("--uid {text}: no such user"),
    }
}

/// Where the cgroup v2 hierarchy is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on
/// hybrid systems).
fn v2_root() -> Result<PathBuf> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").context("failed to read mounts")?;
    mounts
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.get(2) == Some(&"cgroup2"))
        .and_then(|f| f.get(1).map(PathBuf::from))
        .context("--cgroup: no cgroup v2 hierarchy is mounted")
}

/// `--cgroup PATH`: a directory of the cgroup v2 hierarchy, as a path in it
/// (`/system.slice/postgresql.service`) or in the file system.
fn resolve_cgroup(path: &Path) -> Result<Cgroup> {
    use std::os::unix::fs::MetadataExt;
    let root = v2_root()?;
    let relative = path.strip_prefix(&root).unwrap_or(path);
    let relative = relative.strip_prefix("/").unwrap_or(relative);
    let dir = root.join(relative);
    let meta = std::fs::metadata(&dir)
        .ok()
        .filter(|m| m.is_dir())
        .with_context(|| format!("--cgroup {}: no such cgroup", path.display()))?;
    let level = relative.components().count() as u32;
    Ok(Cgroup {
        path: format!("/{}", relative.display()),
        id: meta.ino(),
        level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(comms: &[&str]) -> Watch {
        let comms: Vec<String> = comms.iter().map(|s| s.to_string()).collect();
        Watch::new(&comms, None, None, false).expect("valid")
    }

    #[test]
    fn patterns_are_names_prefixes_or_anything() {
        let w = watch(&["pgbouncer", "postgres*"]);
        assert_eq!(w.bits(), WATCH_NAMES);
        assert_eq!(w.prefix_lens(), 1 << 8);
        assert!(w.wants("postgres\n", None, None) && w.wants("postgres: walwriter", None, None));
        assert!(w.wants("pgbouncer\n", None, None) && !w.wants("pgbouncer2\n", None, None));
        assert!(!w.wants("postmaster\n", None, None));
        assert_eq!(watch(&["*"]).bits(), WATCH_ANY);
        let comms = ["*worker".to_string()];
        let err = Watch::new(&comms, None, None, false).expect_err("refused");
        assert!(err.to_string().contains("only a trailing *"), "{err}");
        assert!(!watch(&[]).active());
    }

    /// `--all --comm NAME` once traced every process on the host: `--all` made any name match.
    #[test]
    fn all_is_narrowed_by_comm_never_widens_it() {
        let comms = ["secretproc".to_string(), "python*".to_string()];
        let w = Watch::new(&comms, None, None, true).expect("valid");
        assert_eq!(w.bits(), WATCH_NAMES);
        assert!(w.wants("secretproc\n", None, None) && w.wants("python3\n", None, None));
        assert!(!w.wants("pgbouncer\n", None, None));
        let w = Watch::new(&comms, Some("0"), None, true).expect("valid");
        assert_eq!(w.bits(), WATCH_UID | WATCH_NAMES);
        assert!(!w.wants("bash\n", Some(0), None));
        let w = Watch::new(&[], None, None, true).expect("valid");
        assert_eq!(w.bits(), WATCH_ANY);
        assert!(w.wants("bash\n", Some(1000), None));
    }

    #[test]
    fn uid_and_cgroup_narrow_and_alone_mean_every_process() {
        let w = Watch::new(&[], Some("0"), None, false).expect("valid");
        assert_eq!(w.bits(), WATCH_UID | WATCH_ANY);
        assert!(w.wants("anything\n", Some(0), None) && !w.wants("x\n", Some(1000), None));
        let w = Watch::new(&["sleep".into()], Some("root"), None, false).expect("valid");
        assert_eq!(w.bits(), WATCH_UID | WATCH_NAMES);
        assert!(!w.wants("cat\n", Some(0), None));
        assert!(Watch::new(&[], Some("no-such-user-xyz"), None, false).is_err());
        let cg = Watch {
            cgroup: Some(Cgroup {
                path: "/system.slice".into(),
                id: 1,
                level: 1,
            }),
            ..Watch::default()
        };
        assert!(cg.wants("x\n", None, Some("/system.slice/pg.service")));
        assert!(cg.wants("x\n", None, Some("/system.slice")));
        assert!(!cg.wants("x\n", None, Some("/system.slicex")));
        assert!(!cg.wants("x\n", None, None));
    }

    #[test]
    fn proc_files_give_the_real_uid_and_v2_path() {
        assert_eq!(real_uid("Name:\tx\nUid:\t1000\t0\t0\t0\n"), Some(1000));
        assert_eq!(
            v2_path("12:cpu:/a\n0::/user.slice/x\n"),
            Some("/user.slice/x")
        );
    }

    #[test]
    fn kernel_threads_by_their_flags() {
        let kthreadd = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 10 0 0";
        assert!(is_kernel_thread(kthreadd));
        // A name with spaces and parentheses, flags without PF_KTHREAD.
        let user = "77 (a) b) S 1 77 77 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 10 0 0";
        assert!(!is_kernel_thread(user));
        let me = std::fs::read_to_string("/proc/self/stat").unwrap();
        assert!(!is_kernel_thread(&me) && !is_kernel_thread("garbage"));
    }

    #[test]
    fn the_running_test_binary_is_found_by_its_name_but_not_itself() {
        // This test process is tracer's own process here: it is left out.
        let comm = std::fs::read_to_string("/proc/self/comm").unwrap();
        let names = [kernel_name(comm.trim_end()).unwrap()];
        assert!(!Watch::names(&names).running().contains(&std::process::id()));
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
        let found = Watch::names(&[kernel_name("sleep").unwrap()]).running();
        let _ = child.kill();
        let _ = child.wait();
        assert!(found.contains(&child.id()), "{found:?}");
    }
}
