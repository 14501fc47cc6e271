//! The pipeline's questions about the running system (`pipeline::Host`), answered from /proc
//! by the tracing session.

use std::fs;

use crate::pipeline::{FdLimits, Host, SystemFiles};

/// The running system, read from /proc at the moment the pipeline asks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Procfs;

impl Host for Procfs {
    fn threads(&self, tgid: u32) -> Vec<u32> {
        let Ok(dir) = fs::read_dir(format!("/proc/{tgid}/task")) else {
            return Vec::new();
        };
        dir.filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .collect()
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
