//! `--tls`: finds the libssl each traced process maps and attaches the `ssl_enter` /
//! `ssl_exit` probes to its `SSL_read`/`SSL_write` family for that process only, so other
//! processes using the same library never hit them.

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

/// Probes attached per process.
#[derive(Default)]
pub struct TlsProbes {
    /// Link ids by process: the entry program's, then the return program's.
    links: HashMap<u32, Vec<(usize, UProbeLinkId)>>,
}

impl TlsProbes {
    /// Whether process `tgid` has its probes.
    pub fn attached(&self, tgid: u32) -> bool {
        self.links.contains_key(&tgid)
    }

    /// Processes with probes.
    pub fn processes(&self) -> Vec<u32> {
        self.links.keys().copied().collect()
    }

    /// Attaches the probes to process `tgid`'s libssl. Ok(None): it maps no libssl (yet).
    /// A function the library lacks (`SSL_read_ex` before OpenSSL 1.1.1) is skipped.
    pub fn attach(&mut self, ebpf: &mut Ebpf, tgid: u32) -> Result<Option<PathBuf>> {
        if self.attached(tgid) {
            return Ok(None);
        }
        let maps = std::fs::read_to_string(format!("/proc/{tgid}/maps"))
            .with_context(|| format!("failed to read /proc/{tgid}/maps"))?;
        let Some(lib) = libssl_of(&maps) else {
            return Ok(None);
        };
        // Through the process's root: the library as the process sees it (containers).
        let target = PathBuf::from(format!("/proc/{tgid}/root{lib}"));
        let pid = NonZeroU32::new(tgid).ok_or_else(|| anyhow!("pid 0 cannot be probed"))?;
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
                match prog.attach([point], &target, UProbeScope::OneProcess(pid)) {
                    Ok(id) => links.push((which, id)),
                    Err(err) => log::debug!("{lib}: no probe on {function}: {err}"),
                }
            }
        }
        if !links.iter().any(|(which, _)| *which == 1) {
            self.detach_links(ebpf, links);
            return Err(anyhow!(
                "{lib} of pid {tgid} has none of {}",
                TLS_FUNCTIONS.join(", ")
            ));
        }
        self.links.insert(tgid, links);
        Ok(Some(PathBuf::from(lib)))
    }

    /// Removes process `tgid`'s probes (it is gone or no longer traced).
    pub fn detach(&mut self, ebpf: &mut Ebpf, tgid: u32) {
        if let Some(links) = self.links.remove(&tgid) {
            self.detach_links(ebpf, links);
        }
    }

    fn detach_links(&self, ebpf: &mut Ebpf, links: Vec<(usize, UProbeLinkId)>) {
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
