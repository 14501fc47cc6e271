//! The capture table interpreted in userspace, for the ptrace backend: the same `SyscallSpec`
//! rows the kernel programs follow, producing blobs with the same layouts (so decoding is
//! shared), read from the stopped tracee's memory. Sizes are bounded by the spec only (`-s`),
//! not by the kernel's record size.

use tracer_common::{
    ArgCapture, ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, CAP_AT_OFFSET, CAP_BUF_ARG, CAP_BUF_RET,
    CAP_CSTR, CAP_DEREF, CAP_FD_INODE, CAP_FIXED, CAP_IOVEC, CAP_MMSGHDR, CAP_MSGHDR,
    CAP_PTR_FIELD, CAP_PTRV_COUNT, CAP_SIZED, CAP_SOCK, CAP_SOCK_PROTO, CAP_SOCKADDR_PLEN,
    CAP_STRV, CAP_SUB_CONTROL, CAP_SUB_NAME, CAP_U32_INOUT, CAPF_BITS, CAPF_FIELD_BYTES,
    CAPF_IOCBS, CAPF_NETLINK_WHOLE, CAPF_PREFIX, CONTROL_CAP, FdInode, MMSG_MAX_ITEMS,
    MMSGHDR_SIZE, MSGHDR_SIZE, Msghdr, NETLINK_CAP, PHASE_ENTER, PTRV_MAX_COUNT, SOCKADDR_CAP,
    STRV_MAX_ITEMS, SockInfo, SockProto, SyscallSpec, U32InOut, Wire, fd_pair, readable_prefix,
    wire::{StrvWriter, push, read},
};

use crate::event::Blob;

#[path = "fetch_iovec.rs"]
mod iovec;
pub(super) use iovec::{capped, iovec_blob};

/// A tracee's memory.
pub trait Memory {
    /// Reads into `buf` from `addr`; returns how many bytes were read before a fault.
    fn read(&self, addr: u64, buf: &mut [u8]) -> usize;
    /// The inode number behind fd `fd`, 0 if unknown.
    fn fd_inode(&self, fd: i32) -> u64;
    /// `-yy`: the socket behind fd `fd` (`CAP_SOCK`).
    fn sock_info(&self, fd: i32) -> SockInfo;
    /// Whether fd `fd` is a netlink socket (`CAPF_NETLINK_WHOLE`); by default, no.
    fn is_netlink(&self, _fd: i32) -> bool {
        false
    }
    /// What kind of socket fd `fd` is (`CAP_SOCK_PROTO`); by default, not a socket.
    fn sock_proto(&self, fd: i32) -> SockProto {
        SockProto {
            fd,
            ..SockProto::default()
        }
    }
}

/// Reads into `buf` from `addr` in process `pid`'s memory (process_vm_readv, which faults
/// pages in); returns how many bytes were read.
pub fn read_process(pid: u32, addr: u64, buf: &mut [u8]) -> usize {
    if buf.is_empty() {
        return 0;
    }
    let local = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let remote = libc::iovec {
        iov_base: addr as *mut libc::c_void,
        iov_len: buf.len(),
    };
    // SAFETY: the local iovec covers `buf`; the kernel checks the remote one.
    let n = unsafe { libc::process_vm_readv(pid as i32, &local, 1, &remote, 1, 0) };
    n.max(0) as usize
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
/// (`spec::UNBOUNDED`) captures up to `strsize` bytes.
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

/// The kernel's rule (tracer-common `capture_wanted`). CAP_EXEC_AREA is the kernel's remedy
/// for pages it cannot fault in: ptrace reads them, and ignores the kind.
fn wanted(cap: &ArgCapture, call: &Call, i: usize, phase: u8) -> bool {
    tracer_common::capture_wanted(cap, phase, &call.args, i, call.ret)
}

/// The `T` at `addr` in the tracee, if all of it could be read.
fn read_pod<T: Wire>(mem: &dyn Memory, addr: u64) -> Option<T> {
    let mut b = vec![0u8; size_of::<T>()];
    (mem.read(addr, &mut b) == b.len())
        .then(|| read(&b))
        .flatten()
}

fn read_u32(mem: &dyn Memory, addr: u64) -> Option<u32> {
    if addr == 0 {
        return None;
    }
    read_pod(mem, addr)
}

fn read_u64(mem: &dyn Memory, addr: u64) -> Option<u64> {
    read_pod(mem, addr)
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
        // No NUL before an unreadable byte: strace's umovestr fails and the string prints
        // as its address (a path ending at the end of its page without its NUL).
        if got < want {
            return (out, BLOB_FAULTED);
        }
    }
    (out, BLOB_TRUNCATED)
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

    /// `max`, or for a netlink socket's messages (`CAPF_NETLINK_WHOLE`) `NETLINK_CAP`: the
    /// kernel programs' rule.
    fn buffer_max(&self, cap: &ArgCapture, max: usize) -> usize {
        let whole = usize::from(NETLINK_CAP);
        if cap.flags & CAPF_NETLINK_WHOLE != 0
            && max < whole
            && self.mem.is_netlink(self.call.args[0] as i32)
        {
            return whole;
        }
        max
    }

    fn arg_value(&self, i: u8) -> u64 {
        self.call.args.get(usize::from(i)).copied().unwrap_or(0)
    }

    fn arg(&mut self, cap: &ArgCapture) {
        let ptr = self.arg_value(self.idx);
        let max = match cap.max {
            u16::MAX => self.strsize.max(usize::from(u16::MAX)),
            m => self.buffer_max(cap, usize::from(m)),
        };
        let scale = cap.unit();
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
                self.bytes_or_prefix(CAP_BUF_ARG, ptr, want, max, cap.flags & CAPF_PREFIX != 0);
            }
            CAP_BUF_RET if self.call.ret > 0 => {
                let want = (self.call.ret as usize).saturating_mul(scale);
                self.bytes(CAP_BUF_RET, ptr, want, max);
            }
            CAP_FIXED => {
                let want = cap.fixed_size(&self.call.args);
                self.bytes(CAP_FIXED, ptr, want, max);
            }
            CAP_SIZED => {
                let stated = read_u32(self.mem, ptr.wrapping_add(u64::from(cap.size_arg)));
                self.bytes(CAP_SIZED, ptr, cap.stated_size(stated), max);
            }
            CAP_PTR_FIELD if cap.is_uring() => {
                // io_uring_register's data or tags array (the kernel programs' rule).
                let Some((at, count_at, unit)) = cap.uring_field_at(&self.call.args) else {
                    return;
                };
                let field = read_u64(self.mem, at).unwrap_or(0);
                let count = count_at.and_then(|c| read_u32(self.mem, c));
                let nargs = self.call.args[3];
                let want = ArgCapture::uring_field_bytes(count_at.is_some(), count, nargs, unit);
                self.bytes(CAP_PTR_FIELD, field, want, max);
            }
            CAP_PTR_FIELD => {
                let field = read_u64(self.mem, cap.field_at(&self.call.args)).unwrap_or(0);
                if cap.flags & CAPF_FIELD_BYTES != 0 {
                    let head = read_u32(self.mem, self.arg_value(cap.size_arg));
                    self.bytes(CAP_PTR_FIELD, field, cap.counted_bytes(head), max);
                } else {
                    let (data, flags) = read_str(self.mem, field, max);
                    self.push(CAP_PTR_FIELD, flags, data);
                }
            }
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
                    (Some(before), Some(after)) => {
                        let mut data = Vec::new();
                        push(&mut data, &U32InOut { before, after });
                        self.push(CAP_U32_INOUT, 0, data);
                    }
                    _ => self.push(CAP_U32_INOUT, BLOB_FAULTED, Vec::new()),
                }
            }
            CAP_FD_INODE => self.fd_inodes(cap, ptr),
            CAP_DEREF => {
                let mut data = vec![0u8; usize::from(cap.scale) * 8];
                if self.mem.read(ptr, &mut data) != data.len() {
                    self.push(CAP_DEREF, BLOB_FAULTED, Vec::new());
                    return;
                }
                let inner = read_u64(self.mem, ptr).unwrap_or(0);
                let mut pointed = vec![0u8; usize::from(cap.max)];
                if inner != 0 && self.mem.read(inner, &mut pointed) == pointed.len() {
                    data.extend_from_slice(&pointed);
                }
                self.push(CAP_DEREF, 0, data);
            }
            CAP_SOCK => {
                let fd = cap.sock_fd(&self.call.args, self.call.ret);
                let mut data = Vec::new();
                push(&mut data, &self.mem.sock_info(fd));
                self.push(CAP_SOCK, 0, data);
            }
            CAP_SOCK_PROTO => {
                let mut data = Vec::new();
                push(&mut data, &self.mem.sock_proto(self.call.args[0] as i32));
                self.push(CAP_SOCK_PROTO, 0, data);
            }
            CAP_IOVEC => {
                let count = self.arg_value(cap.size_arg);
                let limit = cap.by_ret_limit(self.call.ret, usize::MAX);
                if cap.flags & CAPF_IOCBS != 0 {
                    let data = super::fetch_iocbs::iocbs(self.mem, ptr, count, max);
                    self.push(CAP_IOVEC, 0, data);
                } else {
                    self.iovec(ptr, count, max, limit);
                }
            }
            CAP_MSGHDR => self.msghdr(cap, ptr),
            CAP_MMSGHDR => self.mmsghdr(cap, ptr),
            CAP_STRV => self.strv(ptr, max),
            CAP_PTRV_COUNT => self.ptrv_count(ptr),
            _ => {}
        }
    }

    /// `want` bytes, at most `max`, from `ptr`.
    fn bytes(&mut self, kind: u8, ptr: u64, want: usize, max: usize) {
        self.bytes_or_prefix(kind, ptr, want, max, false);
    }

    /// As `bytes`; with `prefix` (`CAPF_PREFIX`), a read that faults keeps the bytes before
    /// the fault in the faulted blob, as many as the kernel programs keep (`readable_prefix`).
    fn bytes_or_prefix(&mut self, kind: u8, ptr: u64, want: usize, max: usize, prefix: bool) {
        let n = want.min(max);
        let mut flags = if want > max { BLOB_TRUNCATED } else { 0 };
        let mut data = vec![0u8; n];
        let got = if n == 0 {
            0
        } else {
            self.mem.read(ptr, &mut data)
        };
        if got != n {
            let head = if prefix { readable_prefix(ptr, n) } else { 0 };
            data.truncate(if got >= head { head } else { 0 });
            flags |= BLOB_FAULTED;
        }
        self.push(kind, flags, data);
    }

    fn fd_inodes(&mut self, cap: &ArgCapture, ptr: u64) {
        let fds: Vec<i32> = if cap.scale == 0 {
            vec![self.call.ret as i32]
        } else {
            let (first, second) = fd_pair(read_u64(self.mem, ptr).unwrap_or(u64::MAX));
            vec![first, second]
        };
        let mut data = Vec::new();
        for fd in fds {
            let entry = FdInode {
                fd,
                _pad0: 0,
                ino: self.mem.fd_inode(fd),
            };
            push(&mut data, &entry);
        }
        self.push(CAP_FD_INODE, 0, data);
    }

    /// A msghdr, then what it points to as sub-blobs of the same argument.
    fn msghdr(&mut self, cap: &ArgCapture, ptr: u64) {
        self.msghdr_at(cap, ptr, None);
    }

    /// sendmmsg/recvmmsg's entries (`CAP_MMSGHDR`: as many as argument `size_arg`, or with
    /// 0 the return value, says), at most `MMSG_MAX_ITEMS`, each a whole mmsghdr and its
    /// msghdr's sub-blobs.
    fn mmsghdr(&mut self, cap: &ArgCapture, ptr: u64) {
        let count = if cap.size_arg != 0 {
            self.arg_value(cap.size_arg)
        } else {
            u64::try_from(self.call.ret).unwrap_or(0)
        };
        let count = count.min(MMSG_MAX_ITEMS);
        for k in 0..count {
            let at = ptr.wrapping_add(k * u64::from(MMSGHDR_SIZE));
            let Some(msg_len) = read_u32(self.mem, at.wrapping_add(u64::from(MSGHDR_SIZE))) else {
                return;
            };
            if !self.msghdr_at(cap, at, Some(msg_len)) {
                return;
            }
        }
    }

    /// The msghdr at `ptr` and its sub-blobs; with `msg_len` (an mmsghdr entry), the blob
    /// holds the whole entry and its data stops at `msg_len`. False when it could not be read.
    fn msghdr_at(&mut self, cap: &ArgCapture, ptr: u64, msg_len: Option<u32>) -> bool {
        let Some(m) = read_pod::<Msghdr>(self.mem, ptr) else {
            self.push(CAP_MSGHDR, BLOB_FAULTED, Vec::new());
            return false;
        };
        let mut data = Vec::new();
        push(&mut data, &m);
        if let Some(len) = msg_len {
            data.extend_from_slice(&u64::from(len).to_ne_bytes());
        }
        self.push(CAP_MSGHDR, 0, data);
        let (name, namelen) = (m.msg_name, m.msg_namelen);
        let (iov, iovlen) = (m.msg_iov, m.msg_iovlen);
        let (control, controllen) = (m.msg_control, m.msg_controllen);
        if name != 0 && namelen != 0 {
            self.bytes(
                CAP_SUB_NAME,
                name,
                namelen as usize,
                usize::from(SOCKADDR_CAP),
            );
        }
        if iov != 0 {
            let limit = match msg_len {
                Some(len) => len as usize,
                None => cap.by_ret_limit(self.call.ret, usize::MAX),
            };
            let max = self.buffer_max(cap, usize::from(cap.max));
            self.iovec(iov, iovlen, max, limit);
        }
        if control != 0 && controllen != 0 {
            let max = usize::from(CONTROL_CAP);
            self.bytes(CAP_SUB_CONTROL, control, controllen as usize, max);
            self.received_fd_inodes(controllen);
        }
        true
    }

    /// The inodes of the fds a received message brought (`SCM_RIGHTS`), read now, with the
    /// process stopped, from the control data just captured: `-y` names them only while
    /// /proc shows these inodes.
    fn received_fd_inodes(&mut self, controllen: u64) {
        if self.at_enter || crate::decode::is_error(self.call.ret) {
            return;
        }
        let Some(control) = self
            .out
            .last()
            .filter(|b| b.kind == CAP_SUB_CONTROL && !b.faulted)
        else {
            return;
        };
        let mut fds = Vec::new();
        let cmsgs = crate::decode::cmsg::control(Some(&control.data), 0, controllen);
        crate::fdtable::collect_fds(&cmsgs, &mut fds);
        if fds.is_empty() {
            return;
        }
        let mut data = Vec::new();
        for fd in fds {
            let ino = self.mem.fd_inode(fd);
            push(&mut data, &FdInode { fd, _pad0: 0, ino });
        }
        self.push(CAP_FD_INODE, 0, data);
    }

    /// A NULL-terminated array of strings: `ArrayHeader`, then per string a `StrvItem` and a
    /// slot. Up to `PTRV_MAX_COUNT` strings (the kernel keeps `STRV_MAX_ITEMS`).
    fn strv(&mut self, array: u64, max: usize) {
        let mut blob = StrvWriter::new(max.min(1024));
        let mut flags = 0u32;
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
            let (s, sflags) = read_str(self.mem, p, max.min(1024));
            blob.push(&s, u32::from(sflags), p);
        }
        self.push(CAP_STRV, 0, blob.finish(flags));
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
        push(
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
#[path = "fetch_tests.rs"]
mod tests;
