//! `-k` with eBPF: where the traced processes map code, as the kernel reports it when it
//! happens, so that a stack read after its process is gone (a launched `ls`, the commands of a
//! `sh -c`) is still named. As `perf record` learns it: a software dummy perf event on the
//! process with `mmap2` (executable mappings, with file, offset, device and inode) and
//! `comm_exec` (an exec drops the old image), `inherit` (`-f`: children and threads follow),
//! stamped with CLOCK_MONOTONIC so the records order against the stacks' `bpf_ktime_get_ns`.
//! The kernel refuses a ring buffer on an inherited per-task event (`cpu == -1`), so there is
//! one event per online CPU, each CPU's events writing into one ring (`SET_OUTPUT`). The rings
//! are read at the start of each drain, before the ring buffer's records of that drain, and
//! handed over beside the stream (`Downstream::mapped`): they are ordered by time, not by
//! position, and are no event of their own (nothing is shown or recorded for them).

use std::{
    io,
    os::fd::{AsRawFd, FromRawFd, OwnedFd},
    sync::atomic::{AtomicU64, Ordering},
};

use aya_obj::generated::{
    PERF_FLAG_FD_CLOEXEC, perf_event_attr, perf_event_mmap_page, perf_event_sample_format,
    perf_event_type, perf_sw_ids, perf_type_id,
};

use crate::event::{MapChange, MapEvent};

/// Data pages of each CPU's ring (a power of two): 64 KiB, some 500 mapping records between
/// two reads (every 25 ms at most).
const RING_PAGES: usize = 16;

/// `PERF_RECORD_COMM`'s misc bit for a name set by exec (uapi `perf_event.h`).
const MISC_COMM_EXEC: u16 = 1 << 13;
/// `PERF_RECORD_MMAP2`'s misc bit for a build id in place of device and inode.
const MISC_MMAP_BUILD_ID: u16 = 1 << 14;
/// `PERF_EVENT_IOC_SET_OUTPUT`: `_IO('$', 5)`.
const IOC_SET_OUTPUT: libc::c_ulong = 0x2405;

/// One CPU's ring: the first event opened on that CPU, mapped.
struct Ring {
    cpu: u32,
    fd: OwnedFd,
    base: *mut libc::c_void,
    len: usize,
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: `base..base+len` is the mapping made in `Ring::map`, not used after this.
        unsafe { libc::munmap(self.base, self.len) };
    }
}

/// The perf events that report the traced processes' mappings, and their rings.
pub struct KernelMaps {
    inherit: bool,
    rings: Vec<Ring>,
    /// Events writing into another event's ring, kept open.
    outputs: Vec<OwnedFd>,
    /// A record that wraps around the ring's end, made whole.
    scratch: Vec<u8>,
}

impl KernelMaps {
    /// `inherit`: the children (and threads) a followed process makes later are followed too.
    pub fn new(inherit: bool) -> Self {
        Self {
            inherit,
            rings: Vec::new(),
            outputs: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Follows process `pid` (its thread `pid`, and with `inherit` what it makes from now
    /// on). Call before it runs what is to be followed (a launched command: before its exec).
    pub fn follow(&mut self, pid: u32) -> io::Result<()> {
        let cpus = aya::util::online_cpus().map_err(|(_, err)| err)?;
        for cpu in cpus {
            let fd = open(pid, cpu, self.inherit)?;
            match self.rings.iter().find(|r| r.cpu == cpu) {
                Some(ring) => {
                    // SAFETY: both fds are perf events we own, on the same CPU.
                    let rc =
                        unsafe { libc::ioctl(fd.as_raw_fd(), IOC_SET_OUTPUT, ring.fd.as_raw_fd()) };
                    if rc != 0 {
                        return Err(io::Error::last_os_error());
                    }
                    self.outputs.push(fd);
                }
                None => self.rings.push(Ring::map(cpu, fd)?),
            }
        }
        Ok(())
    }

    /// Hands every record written so far to `out`.
    pub fn read(&mut self, out: &mut dyn FnMut(MapEvent)) {
        for ring in &self.rings {
            ring.read(&mut self.scratch, out);
        }
    }
}

impl Ring {
    fn map(cpu: u32, fd: OwnedFd) -> io::Result<Self> {
        let len = (1 + RING_PAGES) * page_size();
        // SAFETY: a fresh shared mapping of the event's ring; checked below.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Self { cpu, fd, base, len })
    }

    /// Reads the records between the kernel's head and our tail, then frees them.
    fn read(&self, scratch: &mut Vec<u8>, out: &mut dyn FnMut(MapEvent)) {
        let page = self.base.cast::<perf_event_mmap_page>();
        // SAFETY: the first page of the mapping is the kernel's control page; its head and
        // tail are u64s the kernel and we share, read and written atomically (the kernel's
        // protocol: acquire the head, release the tail).
        let (head, tail, data, size) = unsafe {
            let head = AtomicU64::from_ptr(&raw mut (*page).data_head);
            let tail = AtomicU64::from_ptr(&raw mut (*page).data_tail);
            let offset = (*page).data_offset as usize;
            let size = (*page).data_size as usize;
            (
                head.load(Ordering::Acquire),
                tail,
                self.base.cast::<u8>().add(offset),
                size,
            )
        };
        if size == 0 {
            return;
        }
        let data_len = size as u64;
        let mut at = tail.load(Ordering::Relaxed);
        while at < head {
            let start = (at % data_len) as usize;
            // SAFETY: `data..data+size` is the ring's data area; a header is 8 bytes at an
            // 8-byte-aligned place, so it never wraps.
            let hdr = unsafe { std::slice::from_raw_parts(data.add(start), 8) };
            let rec_size = usize::from(u16::from_ne_bytes([hdr[6], hdr[7]]));
            if rec_size < 8 || rec_size as u64 > head - at {
                log::debug!("perf ring of cpu {}: bad record size {rec_size}", self.cpu);
                break;
            }
            scratch.clear();
            let first = rec_size.min(size - start);
            // SAFETY: both pieces lie inside the data area (`first <= size - start`,
            // `rec_size - first <= size`).
            unsafe {
                scratch.extend_from_slice(std::slice::from_raw_parts(data.add(start), first));
                scratch.extend_from_slice(std::slice::from_raw_parts(data, rec_size - first));
            }
            if let Some(e) = parse(scratch) {
                out(e);
            }
            at += rec_size as u64;
        }
        tail.store(at, Ordering::Release);
    }
}

/// A dummy software event on task `pid` on `cpu` that reports mappings and execs.
fn open(pid: u32, cpu: u32, inherit: bool) -> io::Result<OwnedFd> {
    // SAFETY: a plain C struct of integers and bitfields: all zeroes is its empty value.
    let mut attr: perf_event_attr = unsafe { std::mem::zeroed() };
    attr.type_ = perf_type_id::PERF_TYPE_SOFTWARE as u32;
    attr.size = size_of::<perf_event_attr>() as u32;
    attr.config = perf_sw_ids::PERF_COUNT_SW_DUMMY as u64;
    attr.sample_type = perf_event_sample_format::PERF_SAMPLE_TID as u64
        | perf_event_sample_format::PERF_SAMPLE_TIME as u64;
    attr.set_mmap(1);
    attr.set_mmap2(1);
    attr.set_comm(1);
    attr.set_comm_exec(1);
    attr.set_sample_id_all(1);
    attr.set_inherit(u64::from(inherit));
    attr.set_exclude_kernel(1);
    attr.set_exclude_hv(1);
    attr.set_use_clockid(1);
    attr.clockid = libc::CLOCK_MONOTONIC;
    // SAFETY: the attr outlives the call; the kernel copies it.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_perf_event_open,
            &raw const attr,
            pid as libc::pid_t,
            cpu as libc::c_int,
            -1 as libc::c_int,
            libc::c_ulong::from(PERF_FLAG_FD_CLOEXEC),
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096)
}

/// One perf record (header, body, then `sample_id`: pid, tid, time) as a mapping change; None
/// for the others.
fn parse(rec: &[u8]) -> Option<MapEvent> {
    let u16_at = |at: usize| Some(u16::from_ne_bytes(rec.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_ne_bytes(rec.get(at..at + 4)?.try_into().ok()?));
    let u64_at = |at: usize| Some(u64::from_ne_bytes(rec.get(at..at + 8)?.try_into().ok()?));
    let kind = u32_at(0)?;
    let misc = u16_at(4)?;
    // sample_id_all with TID | TIME: the record ends with pid, tid, time.
    let ts = u64_at(rec.len().checked_sub(8)?)?;
    let tgid = u32_at(8)?;
    let change = if kind == perf_event_type::PERF_RECORD_MMAP2 as u32 {
        let name = rec.get(72..rec.len().checked_sub(16)?)?;
        let name = &name[..name.iter().position(|&b| b == 0)?];
        let (dev, inode) = if misc & MISC_MMAP_BUILD_ID == 0 {
            (
                format!("{:02x}:{:02x}", u32_at(40)?, u32_at(44)?),
                u64_at(48)?,
            )
        } else {
            (String::new(), 0)
        };
        MapChange::Mapped {
            start: u64_at(16)?,
            len: u64_at(24)?,
            offset: u64_at(32)?,
            dev,
            inode,
            // `//anon`: anonymous executable memory (a JIT's), which has no name.
            path: (name != b"//anon").then(|| String::from_utf8_lossy(name).into_owned()),
        }
    } else if kind == perf_event_type::PERF_RECORD_COMM as u32 && misc & MISC_COMM_EXEC != 0 {
        MapChange::Exec
    } else {
        if kind == perf_event_type::PERF_RECORD_LOST as u32 {
            log::warn!(
                "-k: {} mapping records lost: stacks may be misnamed",
                u64_at(16)?
            );
        }
        return None;
    };
    Some(MapEvent { ts, tgid, change })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as the kernel writes it: header, body, sample_id (pid, tid, time).
    fn record(kind: perf_event_type, misc: u16, body: &[u8], ts: u64) -> Vec<u8> {
        let size = 8 + body.len() + 16;
        let mut r = Vec::new();
        r.extend((kind as u32).to_ne_bytes());
        r.extend(misc.to_ne_bytes());
        r.extend((size as u16).to_ne_bytes());
        r.extend(body);
        r.extend(7u32.to_ne_bytes());
        r.extend(7u32.to_ne_bytes());
        r.extend(ts.to_ne_bytes());
        r
    }

    fn mmap2(path: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        for v in [41u32, 42] {
            b.extend(v.to_ne_bytes());
        }
        for v in [0x7f00_0000_1000u64, 0x2000, 0x1000] {
            b.extend(v.to_ne_bytes());
        }
        for v in [0xfeu32, 1] {
            b.extend(v.to_ne_bytes());
        }
        for v in [99u64, 0] {
            b.extend(v.to_ne_bytes());
        }
        for v in [5u32, 2] {
            b.extend(v.to_ne_bytes());
        }
        b.extend(path);
        b.resize(b.len().next_multiple_of(8) + 8, 0);
        b
    }

    #[test]
    fn parses_mappings_and_execs() {
        let r = record(
            perf_event_type::PERF_RECORD_MMAP2,
            2,
            &mmap2(b"/usr/lib/x86_64-linux-gnu/libc.so.6"),
            1234,
        );
        let e = parse(&r).expect("a mapping");
        assert_eq!((e.ts, e.tgid), (1234, 41));
        assert_eq!(
            e.change,
            MapChange::Mapped {
                start: 0x7f00_0000_1000,
                len: 0x2000,
                offset: 0x1000,
                dev: "fe:01".into(),
                inode: 99,
                path: Some("/usr/lib/x86_64-linux-gnu/libc.so.6".into()),
            }
        );
        let anon = parse(&record(
            perf_event_type::PERF_RECORD_MMAP2,
            2,
            &mmap2(b"//anon"),
            5,
        ));
        assert!(matches!(
            anon.map(|e| e.change),
            Some(MapChange::Mapped { path: None, .. })
        ));
        let mut comm = Vec::new();
        comm.extend(41u32.to_ne_bytes());
        comm.extend(41u32.to_ne_bytes());
        comm.extend(b"ls\0\0\0\0\0\0");
        let exec = parse(&record(
            perf_event_type::PERF_RECORD_COMM,
            MISC_COMM_EXEC,
            &comm,
            9,
        ));
        assert_eq!(
            exec,
            Some(MapEvent {
                ts: 9,
                tgid: 41,
                change: MapChange::Exec
            })
        );
        // A rename (prctl PR_SET_NAME) is no exec.
        assert_eq!(
            parse(&record(perf_event_type::PERF_RECORD_COMM, 0, &comm, 9)),
            None
        );
        // Cut short: refused, not read beyond.
        assert_eq!(parse(&r[..20]), None);
    }

    /// Per-CPU events on a task report the exec and mappings of a child it forks later
    /// (root: perf events on another process may need it).
    #[test]
    fn reports_a_childs_exec_and_mappings() {
        if !nix::unistd::geteuid().is_root() {
            return;
        }
        // This test's own thread: the child is forked from it.
        let me = nix::unistd::gettid().as_raw() as u32;
        let mut k = KernelMaps::new(true);
        k.follow(me).expect("perf events");
        let status = std::process::Command::new("/bin/true")
            .status()
            .expect("run /bin/true");
        assert!(status.success());
        let mut seen = Vec::new();
        k.read(&mut |e| seen.push(e));
        let exec = seen
            .iter()
            .find(|e| e.change == MapChange::Exec)
            .unwrap_or_else(|| panic!("the child's exec: {seen:#?}"));
        assert!(
            seen.iter().any(|e| e.tgid == exec.tgid
                && e.ts >= exec.ts
                && matches!(&e.change, MapChange::Mapped { path: Some(p), .. } if p.ends_with("/true"))),
            "{seen:#?}"
        );
    }
}
