//! `--tls`: finds the libssl each traced process maps and attaches the `ssl_enter` /
//! `ssl_exit` probes to its `SSL_read`/`SSL_write` family. Without `-f` (or a `--comm`-like
//! watch) the probes are for that process only, so other processes using the same library
//! never hit them. When traced processes may appear at any moment (`-f` children, processes
//! picked up at exec) the probes are on the library file for every process, once per file, and
//! `ssl_enter` keeps only traced processes' calls: a per-process probe could only go on once
//! tracer has read the new process's fork record, and a child that forks, execs and makes its
//! TLS calls before that (a few milliseconds) lost them all, silently.

use std::{
    collections::HashMap,
    num::NonZeroU32,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, anyhow};
use aya::{
    Ebpf,
    programs::{
        UProbe,
        uprobe::{UProbeAttachLocation, UProbeAttachPoint, UProbeLinkId, UProbeScope},
    },
};
use tracer_common::TLS_FUNCTIONS;

/// The entry and return programs (tracer-ebpf's `tls.rs`).
pub const PROGRAMS: [&str; 2] = ["ssl_enter", "ssl_exit"];

/// The libssl a process maps, as `/proc/PID/maps` names it: the first mapping whose file
/// name starts with `libssl.so`. None when it maps none (yet), or the file was replaced on
/// disk since (`(deleted)`: its symbols cannot be read any more).
pub fn libssl_of(maps: &str) -> Option<&str> {
    maps.lines()
        .filter(|line| !line.ends_with(" (deleted)"))
        .filter_map(|line| line.split_whitespace().nth(5))
        .find(|path| {
            Path::new(path)
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libssl.so"))
        })
}

/// Where distributions put OpenSSL 3's libssl: the library probed, before a process maps one,
/// when no traced process has shown another yet.
const USUAL_LIBSSL: [&str; 4] = [
    "/usr/lib/x86_64-linux-gnu/libssl.so.3",
    "/lib/x86_64-linux-gnu/libssl.so.3",
    "/usr/lib64/libssl.so.3",
    "/usr/lib/libssl.so.3",
];

/// A file's identity (device, inode): the same library under two paths (`/lib` and `/usr/lib`
/// on merged-usr systems, `/proc/PID/root/...`) is one file.
fn file_id(path: &Path) -> Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m =
        std::fs::metadata(path).with_context(|| format!("failed to stat {}", path.display()))?;
    Ok((m.dev(), m.ino()))
}

/// Probe links: which program (an index into `PROGRAMS`) and the link.
type Links = Vec<(usize, UProbeLinkId)>;

/// One process's probes.
struct Probed {
    /// Link ids: the entry program's, then the return program's.
    links: Links,
    /// The library they are on.
    file: (u64, u64),
    /// The process was seen mapping it (until then the probes wait for its mmap).
    mapped: bool,
}

/// Probes attached per process, or per file (`shared`).
#[derive(Default)]
pub struct TlsProbes {
    probed: HashMap<u32, Probed>,
    /// libssl files traced processes mapped, for the probes that go in before a process maps
    /// one.
    seen: Vec<PathBuf>,
    /// Some: the probes are per file, for every process (see the module's docs); the links of
    /// each file probed so far, kept until tracer ends. A process's `Probed` then holds no
    /// links of its own.
    shared: Option<HashMap<(u64, u64), Links>>,
}

impl TlsProbes {
    /// Probes per process (`shared` false) or per library file for every process, the kernel
    /// program keeping traced processes' calls only (`shared` true: `-f`, `--comm` and the
    /// like, where a traced process may start at any moment).
    pub fn new(shared: bool) -> Self {
        Self {
            shared: shared.then(HashMap::new),
            ..Self::default()
        }
    }

    /// Processes with probes.
    pub fn processes(&self) -> Vec<u32> {
        self.probed.keys().copied().collect()
    }

    /// Attaches the probes to process `tgid`'s libssl; returns its path the first time the
    /// process is seen mapping it. A process that maps none yet (a launched command before its
    /// exec, a process picked up at its exec) gets probes on the libssl other traced processes
    /// use, or the usual one: the kernel inserts them when the process maps that file, so its
    /// first calls are not missed; if it maps another, the probes move there once seen.
    pub fn attach(&mut self, ebpf: &mut Ebpf, tgid: u32) -> Result<Option<PathBuf>> {
        if self.probed.get(&tgid).is_some_and(|p| p.mapped) {
            return Ok(None);
        }
        let maps = match std::fs::read_to_string(format!("/proc/{tgid}/maps")) {
            Ok(maps) => maps,
            // Gone before its exit was read: nothing to probe, nothing to say.
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    || e.raw_os_error() == Some(libc::ESRCH) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e).with_context(|| format!("failed to read /proc/{tgid}/maps")),
        };
        let Some(lib) = libssl_of(&maps) else {
            if !self.probed.contains_key(&tgid)
                && let Some(usual) = self.usual()
            {
                match self.links_for(ebpf, tgid, &usual) {
                    Ok(links) => {
                        let file = file_id(&usual)?;
                        let mapped = false;
                        self.probed.insert(
                            tgid,
                            Probed {
                                links,
                                file,
                                mapped,
                            },
                        );
                    }
                    Err(err) => log::debug!("no early TLS probes for pid {tgid}: {err:#}"),
                }
            }
            return Ok(None);
        };
        // Through the process's root: the library as the process sees it (containers).
        let target = PathBuf::from(format!("/proc/{tgid}/root{lib}"));
        let file = file_id(&target)?;
        if let Some(p) = self.probed.get_mut(&tgid)
            && p.file == file
        {
            p.mapped = true;
            return Ok(Some(PathBuf::from(lib)));
        }
        self.detach(ebpf, tgid);
        let links = self
            .links_for(ebpf, tgid, &target)
            .with_context(|| format!("{lib} of pid {tgid}"))?;
        let mapped = true;
        self.probed.insert(
            tgid,
            Probed {
                links,
                file,
                mapped,
            },
        );
        if !self.seen.iter().any(|p| p.as_os_str() == lib) {
            self.seen.push(PathBuf::from(lib));
        }
        Ok(Some(PathBuf::from(lib)))
    }

    /// Probes for process `tgid` on `target`: its own links, or with `shared` none (the file's
    /// probes, attached for every process the first time the file is asked for, serve it).
    fn links_for(&mut self, ebpf: &mut Ebpf, tgid: u32, target: &Path) -> Result<Links> {
        let Some(files) = self.shared.as_mut() else {
            let pid = NonZeroU32::new(tgid).ok_or_else(|| anyhow!("pid 0 cannot be probed"))?;
            return attach_links(ebpf, UProbeScope::OneProcess(pid), target);
        };
        let file = file_id(target)?;
        if let std::collections::hash_map::Entry::Vacant(entry) = files.entry(file) {
            entry.insert(attach_links(ebpf, UProbeScope::AllProcesses, target)?);
        }
        Ok(Vec::new())
    }

    /// The libssl to probe before a process maps one.
    fn usual(&self) -> Option<PathBuf> {
        self.seen
            .first()
            .cloned()
            .or_else(|| USUAL_LIBSSL.iter().map(PathBuf::from).find(|p| p.exists()))
    }

    /// Removes process `tgid`'s probes (it is gone or no longer traced).
    pub fn detach(&mut self, ebpf: &mut Ebpf, tgid: u32) {
        if let Some(p) = self.probed.remove(&tgid) {
            detach_links(ebpf, p.links);
        }
    }
}

/// Attaches both programs to the four functions in `target` for the processes of `scope`. A
/// function the library lacks (`SSL_read_ex` before OpenSSL 1.1.1) is skipped.
fn attach_links(ebpf: &mut Ebpf, scope: UProbeScope, target: &Path) -> Result<Links> {
    let mut links = Vec::new();
    for (which, name) in PROGRAMS.iter().enumerate() {
        let prog: &mut UProbe = ebpf
            .program_mut(name)
            .ok_or_else(|| anyhow!("eBPF program {name} is missing"))?
            .try_into()?;
        for (cookie, function) in TLS_FUNCTIONS.iter().enumerate() {
            let point = UProbeAttachPoint {
                location: UProbeAttachLocation::Symbol(function),
                cookie: Some(cookie as u64),
            };
            match prog.attach([point], target, scope) {
                Ok(id) => links.push((which, id)),
                Err(err) => log::debug!("{}: no probe on {function}: {err}", target.display()),
            }
        }
    }
    if !links.iter().any(|(which, _)| *which == 1) {
        detach_links(ebpf, links);
        return Err(anyhow!("it has none of {}", TLS_FUNCTIONS.join(", ")));
    }
    Ok(links)
}

fn detach_links(ebpf: &mut Ebpf, links: Links) {
    for (which, id) in links {
        let prog: Option<&mut UProbe> = ebpf
            .program_mut(PROGRAMS[which])
            .and_then(|p| p.try_into().ok());
        if let Some(prog) = prog
            && let Err(err) = prog.detach(id)
        {
            log::debug!("failed to detach a TLS probe: {err}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libssl_is_found_in_maps() {
        let maps = "\
55d0c0a00000-55d0c0a2f000 r--p 00000000 08:01 1234 /usr/sbin/pgbouncer
7f1c2c000000-7f1c2c021000 rw-p 00000000 00:00 0
7f1c2d000000-7f1c2d01f000 r--p 00000000 08:01 5678 /usr/lib/x86_64-linux-gnu/libssl.so.3
7f1c2e000000-7f1c2e01f000 r-xp 00000000 08:01 9999 /usr/lib/x86_64-linux-gnu/libcrypto.so.3
";
        assert_eq!(
            libssl_of(maps),
            Some("/usr/lib/x86_64-linux-gnu/libssl.so.3")
        );
        assert_eq!(
            libssl_of("7f-8f r--p 0 08:01 1 /usr/lib/libsslx.so\n"),
            None
        );
        assert_eq!(libssl_of("7f-8f r--p 0 08:01 1 [heap]\n"), None);
        assert_eq!(
            libssl_of("7f-8f r--p 0 08:01 1 /usr/lib/libssl.so.3 (deleted)\n"),
            None
        );
    }
}
