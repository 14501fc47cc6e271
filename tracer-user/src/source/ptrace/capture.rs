//! The capture table interpreted in userspace, for the ptrace backend: the same `SyscallSpec`
//! rows the kernel programs follow, producing blobs with the same layouts (so decoding is
//! shared), read from the stopped tracee's memory. Sizes are bounded by the spec only (`-s`),
//! not by the kernel's record size.

use tracer_common::{
    ArgCapture, ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, CAP_AT_OFFSET, CAP_BUF_ARG, CAP_BUF_RET,
    CAP_CSTR, CAP_FD_INODE, CAP_FIXED, CAP_IOVEC, CAP_MSGHDR, CAP_PTRV_COUNT, CAP_SOCK,
    CAP_SOCKADDR_PLEN, CAP_STRV, CAP_SUB_CONTROL, CAP_SUB_NAME, CAP_U32_INOUT, CAPF_BITS,
    CAPF_BY_RET, FdInode, IOV_MAX_ITEMS, IovecEntry, MSGHDR_SIZE, PHASE_ENTER, PTRV_MAX_COUNT,
    SOCKADDR_CAP, STRV_MAX_ITEMS, SockInfo, StrvItem, SyscallSpec,
};

use crate::event::Blob;

/// Control data captured per msghdr, as the kernel side.
const CONTROL_CAP: usize = 256;

/// A tracee's memory.
pub trait Memory {
    /// Reads into `buf` from `addr`; returns how many bytes were read before a fault.
    fn read(&self, addr: u64, buf: &mut [u8]) -> usize;
    /// The inode number behind fd `fd`, 0 if unknown.
    fn fd_inode(&self, fd: i32) -> u64;
    /// `-yy`: the socket behind fd `fd` (`CAP_SOCK`).
    fn sock_info(&self, fd: i32) -> SockInfo;
}

/// What the interpreter needs of the call.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    pub args: [u64; 6],
    pub ret: i64,
    /// The `CAP_U32_INOUT` value read at enter.
    pub saved: Option<u32>,
}

/// The blobs argument captures of `spec` want in `phase`. A row whose `max` is `u16::MAX`
/// (`capture::UNBOUNDED`) captures up to `strsize` bytes.
pub fn capture(
    spec: &SyscallSpec,
    call: &Call,
    phase: u8,
    mem: &dyn Memory,
    strsize: usize,
) -> Vec<Blob> {
    let mut blobs = Vec::new();
    for (i, cap) in spec.args.iter().enumerate() {
        if wanted(cap, call, i, phase) {
            let mut c = Capturer {
                mem,
                call,
                strsize,
                idx: i as u8,
                at_enter: phase == PHASE_ENTER,
                out: &mut blobs,
            };
            c.arg(cap);
        }
    }
    blobs
}

/// The value of the `CAP_U32_INOUT` argument at enter, if the spec has one.
pub fn saved_u32(spec: &SyscallSpec, args: &[u64; 6], mem: &dyn Memory) -> Option<u32> {
    let i = spec.args.iter().position(|c| c.kind == CAP_U32_INOUT)?;
    read_u32(mem, args[i])
}

/// The kernel's rule (tracer-common `capture_skipped`). CAP_EXEC_AREA is the kernel's remedy
/// for pages it cannot fault in: ptrace reads them, and ignores the kind.
fn wanted(cap: &ArgCapture, call: &Call, i: usize, phase: u8) -> bool {
    let cond = call
        .args
        .get(usize::from(cap.size_arg))
        .copied()
        .unwrap_or(0);
    !tracer_common::capture_skipped(cap, phase, call.args[i], cond, call.ret)
}

fn read_u32(mem: &dyn Memory, addr: u64) -> Option<u32> {
    let mut b = [0u8; 4];
    (addr != 0 && mem.read(addr, &mut b) == 4).then(|| u32::from_ne_bytes(b))
}

fn read_u64(mem: &dyn Memory, addr: u64) -> Option<u64> {
    let mut b = [0u8; 8];
    (mem.read(addr, &mut b) == 8).then(|| u64::from_ne_bytes(b))
}

/// A NUL-terminated string of at most `max` bytes, NUL included: (bytes, BLOB_* flags), as
/// bpf_probe_read_user_str would give it.
fn read_str(mem: &dyn Memory, addr: u64, max: usize) -> (Vec<u8>, u16) {
    let mut out = Vec::new();
    let mut chunk = [0u8; 256];
    while out.len() + 1 < max {
        // Up to the next page boundary, so a string ending just before an unmapped page
        // still reads.
        let at = addr + out.len() as u64;
        let to_page = (4096 - (at % 4096)) as usize;
        let want = chunk.len().min(to_page).min(max - 1 - out.len());
        let got = mem.read(at, &mut chunk[..want]);
        if let Some(nul) = chunk[..got].iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..nul]);
            return (out, 0);
        }
        out.extend_from_slice(&chunk[..got]);
        if got < want {
            if out.is_empty() {
                return (out, BLOB_FAULTED);
            }
            return (out, 0);
        }
    }
    (out, BLOB_TRUNCATED)
}

fn push_pod<T: Copy>(out: &mut Vec<u8>, value: &T) {
    // SAFETY: the wire types are plain integers without implicit padding (tracer-common
    // asserts their sizes), so all their bytes are initialised.
    let bytes = unsafe {
        std::slice::from_raw_parts(std::ptr::from_ref(value).cast::<u8>(), size_of::<T>())
    };
    out.extend_from_slice(bytes);
}

struct Capturer<'a> {
    mem: &'a dyn Memory,
    call: &'a Call,
    strsize: usize,
    idx: u8,
    at_enter: bool,
    out: &'a mut Vec<Blob>,
}

impl Capturer<'_> {
    fn push(&mut self, kind: u8, flags: u16, data: Vec<u8>) {
        self.out.push(Blob {
            arg: self.idx,
            kind,
            truncated: flags & BLOB_TRUNCATED != 0,
            faulted: flags & BLOB_FAULTED != 0,
            at_enter: self.at_enter,
            data,
        });
    }

    fn arg_value(&self, i: u8) -> u64 {
        self.call.args.get(usize::from(i)).copied().unwrap_or(0)
    }

    fn arg(&mut self, cap: &ArgCapture) {
        let ptr = self.arg_value(self.idx);
        let max = match cap.max {
            u16::MAX => self.strsize.max(usize::from(u16::MAX)),
            m => usize::from(m),
        };
        let scale = usize::from(cap.scale.max(1));
        match cap.kind {
            CAP_CSTR => {
                let (data, flags) = read_str(self.mem, ptr, max);
                self.push(CAP_CSTR, flags, data);
            }
            CAP_BUF_ARG => {
                let count = self.arg_value(cap.size_arg) as usize;
                let want = if cap.flags & CAPF_BITS != 0 {
                    count.div_ceil(64) * 8
                } else {
                    count.saturating_mul(scale)
                };
                self.bytes(CAP_BUF_ARG, ptr, want, max);
            }
            CAP_BUF_RET if self.call.ret > 0 => {
                let want = (self.call.ret as usize).saturating_mul(scale);
                self.bytes(CAP_BUF_RET, ptr, want, max);
            }
            CAP_FIXED => self.bytes(CAP_FIXED, ptr, max, max),
            CAP_AT_OFFSET => {
                let at = ptr.wrapping_add(u64::from(cap.scale) * 8);
                self.bytes(CAP_AT_OFFSET, at, max, max);
            }
            CAP_SOCKADDR_PLEN => {
                let len_ptr = self.arg_value(cap.size_arg);
                let want = read_u32(self.mem, len_ptr).unwrap_or(0) as usize;
                self.bytes(CAP_SOCKADDR_PLEN, ptr, want, max);
            }
            CAP_U32_INOUT if !self.at_enter => {
                let now = read_u32(self.mem, ptr);
                match (self.call.saved.or(now), now) {
                    (Some(before), Some(now)) => {
                        let mut data = before.to_ne_bytes().to_vec();
                        data.extend_from_slice(&now.to_ne_bytes());
                        self.push(CAP_U32_INOUT, 0, data);
                    }
                    _ => self.push(CAP_U32_INOUT, BLOB_FAULTED, Vec::new()),
                }
            }
            CAP_FD_INODE => self.fd_inodes(cap, ptr),
            tracer_common::CAP_DEREF => {
                let mut data = vec![0u8; usize::from(cap.scale) * 8];
                if self.mem.read(ptr, &mut data) != data.len() {
                    self.push(tracer_common::CAP_DEREF, BLOB_FAULTED, Vec::new());
                    return;
                }
                let inner = read_u64(self.mem, ptr).unwrap_or(0);
                let mut pointed = vec![0u8; usize::from(cap.max)];
                if inner != 0 && self.mem.read(inner, &mut pointed) == pointed.len() {
                    data.extend_from_slice(&pointed);
                }
                self.push(tracer_common::CAP_DEREF, 0, data);
            }
            CAP_SOCK => {
                let fd = if cap.scale == 0 {
                    self.call.ret
                } else {
                    self.call.args[0] as i64
                };
                let mut data = Vec::new();
                push_pod(&mut data, &self.mem.sock_info(fd as i32));
                self.push(CAP_SOCK, 0, data);
            }
            CAP_IOVEC => {
                let count = self.arg_value(cap.size_arg);
                let limit = self.by_ret_limit(cap);
                self.iovec(ptr, count, max, limit);
            }
            CAP_MSGHDR => self.msghdr(cap, ptr),
            CAP_STRV => self.strv(ptr, max),
            CAP_PTRV_COUNT => self.ptrv_count(ptr),
            _ => {}
        }
    }

    /// For data the kernel wrote: how many bytes are valid (the return value).
    fn by_ret_limit(&self, cap: &ArgCapture) -> usize {
        if cap.flags & CAPF_BY_RET == 0 {
            usize::MAX
        } else {
            self.call.ret.max(0) as usize
        }
    }

    /// `want` bytes, at most `max`, from `ptr`.
    fn bytes(&mut self, kind: u8, ptr: u64, want: usize, max: usize) {
        let n = want.min(max);
        let mut flags = if want > max { BLOB_TRUNCATED } else { 0 };
        let mut data = vec![0u8; n];
        if n != 0 && self.mem.read(ptr, &mut data) != n {
            data.clear();
            flags |= BLOB_FAULTED;
        }
        self.push(kind, flags, data);
    }

    fn fd_inodes(&mut self, cap: &ArgCapture, ptr: u64) {
        let fds: Vec<i32> = if cap.scale == 0 {
            vec![self.call.ret as i32]
        } else {
            let pair = read_u64(self.mem, ptr).unwrap_or(u64::MAX);
            vec![pair as u32 as i32, (pair >> 32) as u32 as i32]
        };
        let mut data = Vec::new();
        for fd in fds {
            let entry = FdInode {
                fd,
                _pad0: 0,
                ino: self.mem.fd_inode(fd),
            };
            push_pod(&mut data, &entry);
        }
        self.push(CAP_FD_INODE, 0, data);
    }

    /// An iovec array: `ArrayHeader`, the entries, then a slot of `max` bytes per entry.
    fn iovec(&mut self, ptr: u64, count: u64, max: usize, mut left: usize) {
        let n = count.min(u64::from(IOV_MAX_ITEMS)) as usize;
        if n == 0 {
            return;
        }
        let mut flags = if count > u64::from(IOV_MAX_ITEMS) {
            u32::from(BLOB_TRUNCATED)
        } else {
            0
        };
        let mut raw = vec![0u8; n * 16];
        if self.mem.read(ptr, &mut raw) != raw.len() {
            flags |= u32::from(BLOB_FAULTED);
            let mut data = Vec::new();
            push_pod(
                &mut data,
                &ArrayHeader {
                    count: 0,
                    flags,
                    slot: 0,
                    _pad0: 0,
                },
            );
            self.push(CAP_IOVEC, 0, data);
            return;
        }
        let slot = max;
        let mut entries = Vec::new();
        let mut slots = vec![0u8; n * slot];
        for i in 0..n {
            let word = |k: usize| u64::from_ne_bytes(raw[k..k + 8].try_into().unwrap_or([0; 8]));
            let (base, len) = (word(i * 16), word(i * 16 + 8));
            let mut take = (len as usize).min(left);
            let mut eflags = 0u32;
            if take > slot {
                take = slot;
                eflags |= u32::from(BLOB_TRUNCATED);
            }
            let dst = &mut slots[i * slot..i * slot + take];
            if take != 0 && self.mem.read(base, dst) != take {
                take = 0;
                eflags |= u32::from(BLOB_FAULTED);
            }
            left -= take.min(left);
            let entry = IovecEntry {
                base,
                len,
                captured: take as u32,
                flags: eflags,
            };
            push_pod(&mut entries, &entry);
        }
        let mut data = Vec::new();
        let head = ArrayHeader {
            count: n as u32,
            flags,
            slot: slot as u32,
            _pad0: 0,
        };
        push_pod(&mut data, &head);
        data.extend_from_slice(&entries);
        data.extend_from_slice(&slots);
        self.push(CAP_IOVEC, 0, data);
    }

    /// A msghdr, then what it points to as sub-blobs of the same argument.
    fn msghdr(&mut self, cap: &ArgCapture, ptr: u64) {
        let size = usize::from(MSGHDR_SIZE);
        let mut m = vec![0u8; size];
        if self.mem.read(ptr, &mut m) != size {
            self.push(CAP_MSGHDR, BLOB_FAULTED, Vec::new());
            return;
        }
        let u64_at = |k: usize| u64::from_ne_bytes(m[k..k + 8].try_into().unwrap_or([0; 8]));
        let (name, namelen) = (u64_at(0), u64_at(8) as u32);
        let (iov, iovlen, control, controllen) = (u64_at(16), u64_at(24), u64_at(32), u64_at(40));
        self.push(CAP_MSGHDR, 0, m);
        if name != 0 && namelen != 0 {
            self.bytes(
                CAP_SUB_NAME,
                name,
                namelen as usize,
                usize::from(SOCKADDR_CAP),
            );
        }
        if iov != 0 {
            let limit = self.by_ret_limit(cap);
            self.iovec(iov, iovlen, usize::from(cap.max), limit);
        }
        if control != 0 && controllen != 0 {
            self.bytes(CAP_SUB_CONTROL, control, controllen as usize, CONTROL_CAP);
        }
    }

    /// A NULL-terminated array of strings: `ArrayHeader`, then per string a `StrvItem` and a
    /// slot. Up to `PTRV_MAX_COUNT` strings (the kernel keeps `STRV_MAX_ITEMS`).
    fn strv(&mut self, array: u64, max: usize) {
        let slot = max.min(1024);
        let (mut count, mut flags) = (0u32, 0u32);
        let mut items = Vec::new();
        let limit = PTRV_MAX_COUNT.max(STRV_MAX_ITEMS) as usize;
        for i in 0..=limit {
            let Some(p) = read_u64(self.mem, array + (i * 8) as u64) else {
                flags |= u32::from(BLOB_FAULTED);
                break;
            };
            if p == 0 {
                break;
            }
            if i == limit {
                flags |= u32::from(BLOB_TRUNCATED);
                break;
            }
            let (s, sflags) = read_str(self.mem, p, slot);
            push_pod(
                &mut items,
                &StrvItem {
                    len: s.len() as u32,
                    flags: u32::from(sflags),
                },
            );
            let mut padded = if sflags & BLOB_FAULTED != 0 {
                p.to_le_bytes().to_vec()
            } else {
                s
            };
            padded.resize(slot, 0);
            items.extend_from_slice(&padded);
            count += 1;
        }
        let mut data = Vec::new();
        let head = ArrayHeader {
            count,
            flags,
            slot: slot as u32,
            _pad0: 0,
        };
        push_pod(&mut data, &head);
        data.extend_from_slice(&items);
        self.push(CAP_STRV, 0, data);
    }

    /// Counts the pointers of a NULL-terminated array (envp).
    fn ptrv_count(&mut self, array: u64) {
        let (mut count, mut flags) = (0u32, u32::from(BLOB_TRUNCATED));
        for i in 0..u64::from(PTRV_MAX_COUNT) {
            match read_u64(self.mem, array + i * 8) {
                None => {
                    flags = u32::from(BLOB_FAULTED);
                    break;
                }
                Some(0) => {
                    flags = 0;
                    break;
                }
                Some(_) => count += 1,
            }
        }
        let mut data = Vec::new();
        push_pod(
            &mut data,
            &ArrayHeader {
                count,
                flags,
                slot: 0,
                _pad0: 0,
            },
        );
        self.push(CAP_PTRV_COUNT, 0, data);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tracer_common::PHASE_EXIT;

    use super::*;

    /// Memory made of mapped regions (start → bytes); anything else faults.
    struct Regions(BTreeMap<u64, Vec<u8>>);

    impl Memory for Regions {
        fn read(&self, addr: u64, buf: &mut [u8]) -> usize {
            let Some((start, bytes)) = self.0.range(..=addr).next_back() else {
                return 0;
            };
            let off = (addr - start) as usize;
            if off >= bytes.len() {
                return 0;
            }
            let n = (bytes.len() - off).min(buf.len());
            buf[..n].copy_from_slice(&bytes[off..off + n]);
            n
        }
        fn fd_inode(&self, fd: i32) -> u64 {
            1000 + fd as u64
        }
        fn sock_info(&self, fd: i32) -> SockInfo {
            SockInfo {
                fd,
                ino: self.fd_inode(fd),
                ..SockInfo::default()
            }
        }
    }

    fn spec(arg: usize, cap: ArgCapture) -> SyscallSpec {
        let mut s = SyscallSpec::default();
        s.args[arg] = cap;
        s
    }

    fn call(args: [u64; 6], ret: i64) -> Call {
        Call {
            args,
            ret,
            saved: None,
        }
    }

    /// The blobs `cap`, as argument `arg`'s capture, gives in `phase` for a call with `args`.
    fn run(
        cap: ArgCapture,
        arg: usize,
        args: [u64; 6],
        ret: i64,
        phase: u8,
        mem: &Regions,
    ) -> Vec<Blob> {
        capture(&spec(arg, cap), &call(args, ret), phase, mem, 32)
    }

    #[test]
    fn strings_stop_at_nul_and_are_cut_at_max() {
        let mem = Regions([(0x1000, b"/etc/passwd\0junk".to_vec())].into());
        let cap = ArgCapture {
            kind: CAP_CSTR,
            phase: PHASE_ENTER,
            max: 4096,
            ..Default::default()
        };
        let b = run(cap, 1, [0, 0x1000, 0, 0, 0, 0], 3, PHASE_ENTER, &mem);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].data, b"/etc/passwd");
        assert!(b[0].at_enter && !b[0].truncated && !b[0].faulted);
        let short = ArgCapture { max: 5, ..cap };
        let b = run(short, 1, [0, 0x1000, 0, 0, 0, 0], 3, PHASE_ENTER, &mem);
        assert_eq!((b[0].data.as_slice(), b[0].truncated), (&b"/etc"[..], true));
        // An unmapped pointer faults; a NULL one is not captured at all.
        let b = run(cap, 1, [0, 0x9000, 0, 0, 0, 0], 3, PHASE_ENTER, &mem);
        assert!(b[0].faulted && b[0].data.is_empty());
        assert!(run(cap, 1, [0; 6], 3, PHASE_ENTER, &mem).is_empty());
    }

    #[test]
    fn buffers_by_return_value_only_in_their_phase_and_on_success() {
        let mem = Regions([(0x2000, (0u8..=255).collect())].into());
        let cap = ArgCapture {
            kind: CAP_BUF_RET,
            phase: PHASE_EXIT,
            max: 64,
            ..Default::default()
        };
        let args = [3, 0x2000, 4096, 0, 0, 0];
        let b = run(cap, 1, args, 100, PHASE_EXIT, &mem);
        assert_eq!(b[0].data, (0u8..64).collect::<Vec<_>>());
        assert!(b[0].truncated && !b[0].at_enter);
        assert!(run(cap, 1, args, 100, PHASE_ENTER, &mem).is_empty());
        assert!(run(cap, 1, args, -11, PHASE_EXIT, &mem).is_empty());
    }

    #[test]
    fn iovecs_carry_entries_and_slots_limited_by_the_return_value() {
        let mut m = BTreeMap::new();
        m.insert(0x3000, b"hello".to_vec());
        m.insert(0x4000, b"world!".to_vec());
        let mut iov = Vec::new();
        for (base, len) in [(0x3000u64, 5u64), (0x4000, 6)] {
            iov.extend_from_slice(&base.to_ne_bytes());
            iov.extend_from_slice(&len.to_ne_bytes());
        }
        m.insert(0x5000, iov);
        let mem = Regions(m);
        let cap = ArgCapture {
            kind: CAP_IOVEC,
            phase: PHASE_EXIT,
            size_arg: 2,
            max: 32,
            flags: CAPF_BY_RET,
            ..Default::default()
        };
        let b = run(cap, 1, [3, 0x5000, 2, 0, 0, 0], 8, PHASE_EXIT, &mem);
        let d = &b[0].data;
        let head: [u32; 3] = [0, 4, 8].map(|k| u32::from_ne_bytes(d[k..k + 4].try_into().unwrap()));
        assert_eq!(head, [2, 0, 32]);
        // Second entry: 3 of its 6 bytes were written (8 returned, 5 went to the first).
        let e2 = 16 + 24;
        assert_eq!(
            u32::from_ne_bytes(d[e2 + 16..e2 + 20].try_into().unwrap()),
            3
        );
        let slots = 16 + 2 * 24;
        assert_eq!(&d[slots..slots + 5], b"hello");
        assert_eq!(&d[slots + 32..slots + 35], b"wor");
        assert_eq!(d.len(), slots + 64);
    }

    #[test]
    fn argv_and_envp_arrays() {
        let mut m = BTreeMap::new();
        m.insert(0x6000, b"ls\0-l\0".to_vec());
        let mut ptrs = Vec::new();
        for p in [0x6000u64, 0x6003, 0] {
            ptrs.extend_from_slice(&p.to_ne_bytes());
        }
        m.insert(0x7000, ptrs);
        let mem = Regions(m);
        let strv = ArgCapture {
            kind: CAP_STRV,
            phase: PHASE_ENTER,
            max: 32,
            ..Default::default()
        };
        let b = run(strv, 1, [0, 0x7000, 0, 0, 0, 0], 0, PHASE_ENTER, &mem);
        let d = &b[0].data;
        assert_eq!(u32::from_ne_bytes(d[0..4].try_into().unwrap()), 2);
        assert_eq!(&d[16 + 8..16 + 10], b"ls");
        assert_eq!(&d[16 + 40 + 8..16 + 40 + 10], b"-l");
        let ptrv = ArgCapture {
            kind: CAP_PTRV_COUNT,
            phase: PHASE_ENTER,
            ..Default::default()
        };
        let b = run(ptrv, 2, [0, 0, 0x7000, 0, 0, 0], 0, PHASE_ENTER, &mem);
        assert_eq!(u32::from_ne_bytes(b[0].data[0..4].try_into().unwrap()), 2);
    }

    #[test]
    fn new_fds_are_named_by_their_inodes() {
        let mem = Regions(BTreeMap::new());
        let cap = ArgCapture {
            kind: CAP_FD_INODE,
            phase: PHASE_EXIT,
            ..Default::default()
        };
        let b = run(cap, 0, [0; 6], 7, PHASE_EXIT, &mem);
        assert_eq!(i32::from_ne_bytes(b[0].data[0..4].try_into().unwrap()), 7);
        assert_eq!(
            u64::from_ne_bytes(b[0].data[8..16].try_into().unwrap()),
            1007
        );
    }
}
