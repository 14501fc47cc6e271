//! `-k`: stack traces as strace 6.1 prints them. Each call's stack is unwound with DWARF CFI
//! (framehop) from the registers and the stack copy its source took at the call, over the
//! process's mappings, and its frames named as strace's libunwind names them (`image`). The
//! mappings are `/proc/PID/maps`, read when the process is first seen, plus the changes the
//! kernel reported (`timeline`, eBPF) up to the moment the stack was taken; a process the
//! kernel does not follow is read again after it maps or unmaps code. Files are read once and
//! kept for every process that maps them.

mod image;
pub(crate) mod maps;
mod timeline;
mod unwind;

use std::{
    collections::{HashMap, VecDeque},
    rc::Rc,
};

use framehop::FrameAddress;

use crate::{
    event::{MapChange, MapEvent, Stack},
    pipeline::Host,
};
use image::Image;
use maps::Mapping;
use unwind::ProcUnwinder;

/// One line of a stack trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// An address in a mapped file: ` > PATH(FUNCTION+0x10) [0x1149e4]`, or without a
    /// function ` > PATH() [0x1149e4]`; `offset` is the address's offset in the file.
    File {
        path: String,
        function: Option<(String, u64)>,
        offset: u64,
    },
    /// strace's ` > unexpected_backtracing_error [0x7f...]` (an address in no executable
    /// file mapping: the trace ends there) or ` > too many stack frames`.
    Error { what: &'static str, addr: u64 },
}

impl Frame {
    /// The line as strace prints it, with its newline; traced names are escaped so that they
    /// cannot end the line.
    pub fn text_into(&self, out: &mut String) {
        use std::fmt::Write;
        let esc = |s: &str| octal_escaped(s.as_bytes());
        let _ = match self {
            Frame::File {
                path,
                function: Some((name, off)),
                offset,
            } => writeln!(
                out,
                " > {}({}+{off:#x}) [{offset:#x}]",
                esc(path),
                esc(name)
            ),
            Frame::File {
                path,
                function: None,
                offset,
            } => writeln!(out, " > {}() [{offset:#x}]", esc(path)),
            Frame::Error { what, addr: 0 } => writeln!(out, " > {what}"),
            Frame::Error { what, addr } => writeln!(out, " > {what} [{addr:#x}]"),
        };
    }
}

/// A name as strace prints it in a frame (as `/proc/PID/maps` gives it, which already writes a
/// newline in a path as `\012`), with every byte outside printable ASCII in octal too, so that
/// a traced name cannot end or forge the line. A backslash stays itself: doubling it would
/// print the kernel's `\012` as `\\012`.
fn octal_escaped(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b' '..=b'~' => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out
}

impl Frame {
    /// The frame as a JSON object: `binary`, `function` and `function_offset` when named,
    /// `offset` in the file; or `error` and `address`.
    pub fn json_into(&self, o: &mut crate::format::jsonw::Obj<'_>) {
        match self {
            Frame::File {
                path,
                function,
                offset,
            } => {
                o.str("binary", path);
                if let Some((name, off)) = function.as_ref().filter(|(name, _)| !name.is_empty()) {
                    o.str("function", name).hex("function_offset", *off);
                }
                o.hex("offset", *offset);
            }
            Frame::Error { what, addr } => {
                o.str("error", what);
                if *addr != 0 {
                    o.hex("address", *addr);
                }
            }
        }
    }
}

/// The frames of a call whose stack strace takes at its entry (an exec, an exit), as it
/// prints them: from a queue, where a frame no symbol names reads `PATH(+0x0)`, not `PATH()`.
pub fn taken_at_entry(def: &crate::tables::SyscallDef, frames: &mut [Frame]) {
    if !def.is_exec() && !def.never_returns() {
        return;
    }
    for frame in frames {
        if let Frame::File {
            function: function @ None,
            ..
        } = frame
        {
            *function = Some((String::new(), 0));
        }
    }
}

/// Whether call `raw` (finished) may have changed its process's code mappings: an exec, or a
/// call that maps, unmaps or changes the protection of memory.
pub fn changes_maps(raw: &crate::event::RawSyscall) -> bool {
    let nr = i64::from(raw.nr);
    raw.ret >= 0
        && (crate::tables::by_nr(raw.nr).is_some_and(crate::tables::SyscallDef::is_exec)
            || [
                libc::SYS_mmap,
                libc::SYS_munmap,
                libc::SYS_mremap,
                libc::SYS_mprotect,
            ]
            .contains(&nr))
}

/// A traced process's mappings and unwinder.
#[derive(Debug, Default)]
struct Proc {
    maps: Vec<Mapping>,
    unwinder: ProcUnwinder,
    /// The mappings may have changed since they were read (an mmap, munmap, exec).
    stale: bool,
    /// The kernel reports every change of its mappings (`MapChange::Followed`): they are
    /// never read again from `/proc`, which may already show a later state.
    followed: bool,
    /// `maps` changed since the unwinder was set up over them.
    dirty: bool,
}

impl Proc {
    /// A process known only from the kernel's reports: read from `/proc` when first needed,
    /// unless the kernel follows it.
    fn unread() -> Self {
        Self {
            stale: true,
            ..Self::default()
        }
    }
}

/// The stacks of the calls in progress, and what unwinding them needs.
#[derive(Debug, Default)]
pub struct Stacks {
    images: Images,
    procs: HashMap<u32, Proc>,
    /// Each thread's latest call's frames, until the call is shown.
    pending: HashMap<u32, Vec<Frame>>,
    /// The kernel's reports of mapping changes not applied yet.
    reported: timeline::Pending,
    /// Processes gone, oldest first: what is known of them is kept for `GONE_KEPT` more
    /// ends, as their last records may be read after their end is known (a drain cut short
    /// before a pidfd's exit is handled).
    gone: VecDeque<u32>,
}

/// How many gone processes' mappings are kept.
const GONE_KEPT: usize = 64;

impl Stacks {
    /// The stack of the call `s.tid` enters: unwound and named now, while the process still
    /// has the mappings it had then; kept until the call's end takes it.
    pub fn sample(&mut self, s: &Stack, host: &dyn Host) {
        self.catch_up(s.tgid, s.ts);
        let fresh = self
            .procs
            .get(&s.tgid)
            .is_none_or(|p| p.stale && !p.followed);
        if fresh {
            self.load(s.tgid, host);
        }
        let followed = self.procs.get(&s.tgid).is_some_and(|p| p.followed);
        self.rebuild(s.tgid, host);
        let mut frames = self.frames(s);
        // A frame in no known mapping: code mapped since the maps were read.
        if !fresh && !followed && frames.iter().any(|f| matches!(f, Frame::Error { .. })) {
            self.load(s.tgid, host);
            frames = self.frames(s);
        }
        log::debug!(
            "stack of task {}: {} bytes from {:#x}, ip {:#x}, {} frames",
            s.tid,
            s.data.len(),
            s.sp,
            s.ip,
            frames.len()
        );
        self.pending.insert(s.tid, frames);
    }

    /// The frames of `tid`'s call that ends now.
    pub fn take(&mut self, tid: u32) -> Option<Vec<Frame>> {
        self.pending.remove(&tid)
    }

    /// Process `tgid` mapped, unmapped or (`exec`) exec'd: its mappings are read again when
    /// next needed. The image an exec replaced is forgotten now, so that a process gone
    /// before they are read is not named with it.
    pub fn changed(&mut self, tgid: u32, exec: bool) {
        if let Some(p) = self.procs.get_mut(&tgid) {
            p.stale = true;
            if exec && !p.followed {
                p.maps.clear();
                p.dirty = true;
            }
        }
    }

    /// The kernel reported a change of a process's mappings: applied when a stack taken after
    /// it is named.
    pub fn mapped(&mut self, e: MapEvent) {
        if e.change == MapChange::Followed {
            let p = self.procs.entry(e.tgid).or_insert_with(Proc::unread);
            p.followed = true;
            return;
        }
        self.reported.push(e);
    }

    /// Applies the reported changes of `tgid` made up to `ts`.
    fn catch_up(&mut self, tgid: u32, ts: u64) {
        let changes = self.reported.take_until(tgid, ts);
        if changes.is_empty() {
            return;
        }
        let p = self.procs.entry(tgid).or_insert_with(Proc::unread);
        for change in changes {
            p.dirty |= timeline::apply(&mut p.maps, change);
        }
    }

    /// Tracing of process `tgid` starts (attached, or picked up by name): its mappings are read
    /// now, while it is surely there.
    pub fn seen(&mut self, tgid: u32, host: &dyn Host) {
        if self.revived(tgid) || !self.procs.contains_key(&tgid) {
            self.load(tgid, host);
        }
    }

    /// Process `parent` forked `child`: the child starts with the parent's mappings, so its
    /// stacks are named even when it is gone before tracer reads them (a PostgreSQL backend
    /// that ends with its connection).
    /// The child has the mappings its parent had at `ts`, the fork's time; what the kernel
    /// reported of the child itself follows on them.
    pub fn fork(&mut self, parent: u32, child: u32, ts: u64) {
        self.catch_up(parent, ts);
        self.revived(child);
        if let Some(p) = self.procs.get(&parent) {
            let copy = Proc {
                maps: p.maps.clone(),
                unwinder: p.unwinder.fork(),
                stale: p.stale,
                // The kernel follows the children of what it follows (`inherit`).
                followed: p.followed,
                dirty: p.dirty,
            };
            self.procs.insert(child, copy);
        }
    }

    /// Process `tgid` is gone: what is known of it goes after `GONE_KEPT` more ends.
    pub fn forget(&mut self, tgid: u32) {
        if self.gone.contains(&tgid) {
            return;
        }
        self.gone.push_back(tgid);
        if self.gone.len() > GONE_KEPT
            && let Some(old) = self.gone.pop_front()
        {
            self.procs.remove(&old);
            self.reported.forget(old);
        }
    }

    /// Whether `tgid` was gone: its number is another process's now.
    fn revived(&mut self, tgid: u32) -> bool {
        let Some(at) = self.gone.iter().position(|&g| g == tgid) else {
            return false;
        };
        self.gone.remove(at);
        self.procs.remove(&tgid);
        true
    }

    /// Reads the mappings of `tgid` and sets up its unwinder over them.
    fn load(&mut self, tgid: u32, host: &dyn Host) {
        let p = self.procs.entry(tgid).or_default();
        p.stale = false;
        // Gone: what was known of it (read earlier, inherited, reported) is the best there is.
        if let Some(text) = host.maps(tgid) {
            p.maps = maps::parse(&text);
            p.dirty = true;
        }
        self.rebuild(tgid, host);
    }

    /// Sets up the unwinder of `tgid` over its mappings, if they changed.
    fn rebuild(&mut self, tgid: u32, host: &dyn Host) {
        let Some(p) = self.procs.get_mut(&tgid).filter(|p| p.dirty) else {
            return;
        };
        let mut unwinder = ProcUnwinder::default();
        for m in p.maps.iter().filter(|m| m.exec) {
            if let Some(image) = image(&mut self.images, tgid, m, host) {
                unwinder.add(
                    &m.path,
                    m.start,
                    m.end,
                    image.bias(m.start, m.offset),
                    &image,
                );
            }
        }
        p.unwinder = unwinder;
        p.dirty = false;
    }

    /// Unwinds and names the frames of `s`, as strace does: a frame outside every executable
    /// file mapping ends the trace with an error line.
    fn frames(&mut self, s: &Stack) -> Vec<Frame> {
        let Some(proc) = self.procs.get_mut(&s.tgid) else {
            return Vec::new();
        };
        let addrs = proc.unwinder.frames(s.ip, s.sp, s.bp, &s.data);
        let maps = &proc.maps;
        let mut out = Vec::new();
        for frame in addrs.iter().take(unwind::MAX_FRAMES) {
            let (ip, lookup, adjust) = match *frame {
                FrameAddress::InstructionPointer(ip) => (ip, ip, 0),
                FrameAddress::ReturnAddress(ra) => (ra.get(), ra.get() - 1, 1),
            };
            let Some(m) = maps::find(maps, ip).filter(|m| m.exec) else {
                if ip != 0 {
                    out.push(Frame::Error {
                        what: "unexpected_backtracing_error",
                        addr: ip,
                    });
                }
                return out;
            };
            let image = image(&mut self.images, s.tgid, m, &crate::pipeline::Unknown);
            let function = image.as_ref().and_then(|i| {
                let (name, off) = i.function(lookup, i.bias(m.start, m.offset))?;
                Some((name.to_owned(), off + adjust))
            });
            out.push(Frame::File {
                path: m.path.clone(),
                function,
                offset: ip - m.start + m.offset,
            });
        }
        if addrs.len() > unwind::MAX_FRAMES {
            out.push(Frame::Error {
                what: "too many stack frames",
                addr: 0,
            });
        }
        out
    }
}

/// Files by path, device and inode (None: not an ELF file, or unreadable).
type Images = HashMap<(String, String, u64), Option<Rc<Image>>>;

/// The file mapped by `m` in process `tgid`, read once.
fn image(images: &mut Images, tgid: u32, m: &Mapping, host: &dyn Host) -> Option<Rc<Image>> {
    if m.path.starts_with('[') {
        return None;
    }
    images
        .entry((m.path.clone(), m.dev.clone(), m.inode))
        .or_insert_with(|| {
            host.mapped_file(tgid, m.start..m.end, &m.path)
                .and_then(Image::parse)
                .map(Rc::new)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This test's own registers and stack, as a source would copy them.
    #[inline(always)]
    fn own_stack() -> Stack {
        use std::os::unix::fs::FileExt;
        let (ip, sp, bp): (u64, u64, u64);
        // SAFETY: reads three registers, touches no memory.
        unsafe {
            std::arch::asm!(
                "lea {ip}, [rip]", "mov {sp}, rsp", "mov {bp}, rbp",
                ip = out(reg) ip, sp = out(reg) sp, bp = out(reg) bp,
            );
        }
        let mut data = vec![0u8; tracer_common::STACK_COPY];
        let mem = std::fs::File::open("/proc/self/mem").expect("own memory");
        let n = mem.read_at(&mut data, sp).expect("own stack");
        data.truncate(n);
        let me = std::process::id();
        Stack {
            tgid: me,
            tid: me,
            ip,
            sp,
            bp,
            ts: crate::event::monotonic_now(),
            data,
        }
    }

    #[test]
    fn unwinds_and_names_its_own_stack() {
        let s = own_stack();
        let mut stacks = Stacks::default();
        stacks.sample(&s, &crate::procfs::Procfs);
        let frames = stacks.take(s.tid).expect("frames kept for the thread");
        let exe = std::fs::read_link("/proc/self/exe").expect("own binary");
        let names: Vec<&str> = frames
            .iter()
            .filter_map(|f| match f {
                Frame::File {
                    path,
                    function: Some((name, _)),
                    ..
                } if std::path::Path::new(path) == exe => Some(name.as_str()),
                _ => None,
            })
            .collect();
        // This function, then the test harness that called it, through CFI.
        assert!(
            names[0].contains("unwinds_and_names_its_own_stack"),
            "{frames:?}"
        );
        assert!(names.len() > 3, "{frames:?}");
        assert!(stacks.take(s.tid).is_none(), "taken once");
    }

    #[test]
    fn frames_print_as_strace_prints_them() {
        let mut out = String::new();
        for f in [
            Frame::File {
                path: "/usr/lib/x86_64-linux-gnu/libc.so.6".into(),
                function: Some(("__write".into(), 0x14)),
                offset: 0x1149e4,
            },
            Frame::File {
                path: "/tmp/a\nb".into(),
                function: None,
                offset: 0x1156,
            },
            // As /proc/PID/maps writes a newline in a path: printed as it is, as strace does
            // (it was `\\012`, the backslash doubled).
            Frame::File {
                path: "/tmp/k\\012+++ exited with 0 +++".into(),
                function: Some(("main".into(), 0x64)),
                offset: 0x1169,
            },
            Frame::Error {
                what: "unexpected_backtracing_error",
                addr: 0x7f00,
            },
            Frame::Error {
                what: "too many stack frames",
                addr: 0,
            },
        ] {
            f.text_into(&mut out);
        }
        assert_eq!(
            out,
            " > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x14) [0x1149e4]\n \
             > /tmp/a\\012b() [0x1156]\n \
             > /tmp/k\\012+++ exited with 0 +++(main+0x64) [0x1169]\n \
             > unexpected_backtracing_error [0x7f00]\n \
             > too many stack frames\n"
        );
    }
}
