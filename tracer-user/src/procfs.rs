//! The pipeline's questions about the running system (`pipeline::Host`), answered from /proc
//! by the tracing session.

use std::fs;

use crate::pipeline::{FdLimits, Host, Identity, SystemFiles, User};

/// The running system, read from /proc at the moment the pipeline asks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Procfs;

impl Host for Procfs {
    fn maps(&self, tgid: u32) -> Option<String> {
        fs::read_to_string(format!("/proc/{tgid}/maps")).ok()
    }

    fn mapped_file(&self, tgid: u32, range: std::ops::Range<u64>, path: &str) -> Option<Vec<u8>> {
        // The mapped file itself (also when it was deleted or lives in another mount
        // namespace), else the path as this namespace sees it.
        let (start, end) = (range.start, range.end);
        fs::read(format!("/proc/{tgid}/map_files/{start:x}-{end:x}"))
            .or_else(|_| fs::read(path))
            .ok()
    }

    fn cwd(&self, tgid: u32) -> Option<Vec<u8>> {
        use std::os::unix::ffi::OsStringExt;
        let link = fs::read_link(format!("/proc/{tgid}/cwd")).ok()?;
        Some(link.into_os_string().into_vec())
    }

    fn threads(&self, tgid: u32) -> Vec<u32> {
        let Ok(dir) = fs::read_dir(format!("/proc/{tgid}/task")) else {
            return Vec::new();
        };
        dir.filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .collect()
    }

    fn pid_ns(&self, tid: u32) -> Option<crate::pipeline::NsPid> {
        use std::os::unix::fs::MetadataExt;
        let nspid = |path: &str| -> Option<Vec<u32>> {
            let status = fs::read_to_string(path).ok()?;
            let line = status.lines().find_map(|l| l.strip_prefix("NSpid:"))?;
            line.split_whitespace().map(|p| p.parse().ok()).collect()
        };
        // Below tracer's namespace: more levels than tracer's own pid has.
        let own = nspid("/proc/self/status")?.len();
        let levels = nspid(&format!("/proc/{tid}/status"))?;
        if levels.len() <= own {
            return None;
        }
        let ns = fs::metadata(format!("/proc/{tid}/ns/pid")).ok()?.ino();
        Some(crate::pipeline::NsPid {
            ns,
            pid: *levels.last()?,
        })
    }

    fn comm(&self, pid: u32) -> Option<Vec<u8>> {
        if pid == 0 {
            return None;
        }
        let mut comm = fs::read(format!("/proc/{pid}/comm")).ok()?;
        if comm.last() == Some(&b'\n') {
            comm.pop();
        }
        Some(comm)
    }

    fn fd_limits(&self, tgid: u32) -> FdLimits {
        let open = fs::read_dir(format!("/proc/{tgid}/fd"))
            .ok()
            .map(|d| d.count());
        let nofile = fs::read_to_string(format!("/proc/{tgid}/limits"))
            .ok()
            .and_then(|text| {
                let line = text.lines().find(|l| l.starts_with("Max open files"))?;
                let cols: Vec<&str> = line["Max open files".len()..].split_whitespace().collect();
                Some((cols.first()?.to_string(), cols.get(1)?.to_string()))
            });
        FdLimits { open, nofile }
    }

    fn system_files(&self) -> SystemFiles {
        let text = fs::read_to_string("/proc/sys/fs/file-nr").unwrap_or_default();
        let cols: Vec<&str> = text.split_whitespace().collect();
        SystemFiles {
            open: cols.first().map(|c| c.to_string()),
            max: cols.get(2).map(|c| c.to_string()),
        }
    }

    fn identity(&self, tgid: u32) -> Option<Identity> {
        let status = fs::read_to_string(format!("/proc/{tgid}/status")).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|rest| rest.split_whitespace().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let ppid = field("PPid:").first().and_then(|p| p.parse().ok());
        let uids = field("Uid:");
        let uid = |i: usize| uids.get(i).and_then(|u| u.parse::<u32>().ok());
        let real = uid(0).map(user);
        let effective = uid(1).filter(|&e| Some(e) != uid(0)).map(user);
        let cgroup = fs::read_to_string(format!("/proc/{tgid}/cgroup")).unwrap_or_default();
        Some(Identity {
            ppid,
            user: real,
            effective,
            container: container_id(&cgroup),
        })
    }

    fn host_name(&self) -> Option<String> {
        let name = fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
        Some(name.trim_end().to_string()).filter(|n| !n.is_empty())
    }
}

/// A user id and its name from the system's user database.
fn user(id: u32) -> User {
    let name = nix::unistd::User::from_uid(id.into())
        .ok()
        .flatten()
        .map(|u| u.name);
    User { id, name }
}

/// The container id in a process's cgroup path (`/proc/PID/cgroup`): the 64 hex digits of a
/// Docker, containerd/CRI-O or Podman scope (`/docker/ID`, `docker-ID.scope`,
/// `cri-containerd-ID.scope`, `crio-ID.scope`, `libpod-ID.scope`). None outside a container.
pub fn container_id(cgroup: &str) -> Option<String> {
    cgroup
        .lines()
        .filter_map(|l| l.splitn(3, ':').nth(2))
        .flat_map(|path| path.split('/'))
        .map(|part| {
            let part = part.strip_suffix(".scope").unwrap_or(part);
            part.rsplit('-').next().unwrap_or(part)
        })
        .find(|id| id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_container_is_named_by_the_id_in_its_cgroup() {
        let id = "4f1c0a9e2b7d3c5e6f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e";
        for path in [
            format!("0::/system.slice/docker-{id}.scope"),
            format!("0::/docker/{id}"),
            format!("0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-{id}.scope"),
            format!("0::/machine.slice/libpod-{id}.scope/container"),
        ] {
            assert_eq!(container_id(&path).as_deref(), Some(id), "{path}");
        }
        assert_eq!(
            container_id("0::/user.slice/user-0.slice/session-1.scope"),
            None
        );
        assert_eq!(container_id(""), None);
    }

    #[test]
    fn this_process_has_a_parent_and_a_user() {
        let me = Procfs.identity(std::process::id()).expect("identity");
        assert_eq!(me.ppid, Some(std::os::unix::process::parent_id()));
        assert_eq!(me.user.map(|u| u.id), Some(nix::unistd::getuid().as_raw()));
        assert!(Procfs.host_name().is_some_and(|h| !h.is_empty()));
    }

    #[test]
    fn this_process_is_described_as_proc_shows_it() {
        let me = std::process::id();
        let threads = Procfs.threads(me);
        assert!(threads.contains(&me), "{threads:?}");
        let comm = fs::read_to_string("/proc/self/comm").expect("comm");
        assert_eq!(Procfs.comm(me), Some(comm.trim_end_matches('\n').into()));
        assert_eq!(Procfs.comm(0), None);
        let limits = Procfs.fd_limits(me);
        assert!(limits.open.is_some_and(|n| n >= 3), "{limits:?}");
        assert!(limits.nofile.is_some(), "{limits:?}");
        let files = Procfs.system_files();
        assert!(files.open.is_some() && files.max.is_some(), "{files:?}");
    }
}
