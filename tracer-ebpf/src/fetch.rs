//! Fetching argument data from user memory into blobs, as the spec table says: the rule for
//! which argument is fetched when (tracer-common's), and the kinds that do not loop, which
//! `capture_step` fetches itself. The looping kinds each run in a program of their own
//! (`fetch_loops`), so the verifier walks each of them once.

use tracer_common::{
    ArgCapture, BLOB_AT_ENTER, BLOB_FAULTED, BlobHeader, CAP_AT_OFFSET, CAP_BUF_ARG, CAP_BUF_RET,
    CAP_CSTR, CAP_DEREF, CAP_EXEC_AREA, CAP_FD_INODE, CAP_FIXED, CAP_PTR_FIELD, CAP_SIZED,
    CAP_SOCK, CAP_SOCK_PROTO, CAP_SOCKADDR_PLEN, CAP_U32_INOUT, CAPF_BITS, CAPF_FIELD_BYTES,
    CAPF_NETLINK_WHOLE, CAPF_PREFIX, FLAG_NO_ENTER, NETLINK_CAP, PHASE_ENTER, PHASE_EXIT,
    SyscallSpec, U32InOut, blob_padded,
};

use crate::{
    blob::{
        HDR, bytes, bytes_or_prefix, close_blob, copy_user, get, put, read_str, room, write_header,
    },
    cursor::{Call, Cursor},
    exec::exec_area,
    fds::{fd_inodes, is_netlink, sock_capture, sock_proto},
    mem::{read_u32, read_u64},
};

/// Argument `i`'s capture, if it has one for this phase and this outcome.
#[inline(always)]
pub fn wanted<'a>(cur: &Cursor, spec: &'a SyscallSpec, i: usize) -> Option<&'a ArgCapture> {
    let cap = spec.args.get(i)?;
    let st = cur.state();
    if st.phase == PHASE_ENTER | PHASE_EXIT {
        // A call rebuilt at its exit (`FLAG_ARGS_AT_EXIT`): each blob says which half it
        // stands for.
        st.tag = if cap.phase & PHASE_EXIT == 0 {
            BLOB_AT_ENTER
        } else {
            0
        };
    }
    let call = &cur.state().call;
    tracer_common::capture_wanted(cap, cur.phase(), &call.args, i, call.ret).then_some(cap)
}

/// Captures argument `i`, of one of the kinds that do not loop.
#[inline(never)]
pub fn simple(cur: &Cursor, cap: &ArgCapture, i: usize) -> usize {
    let call = cur.state().call;
    let (base, off, tag, idx) = (cur.base, cur.off(), cur.tag(), i as u8);
    let ptr = call.args.get(i).copied().unwrap_or(0);
    let max = usize::from(cap.max);
    let next = match cap.kind {
        CAP_CSTR => cstr(base, off, idx, CAP_CSTR, tag, ptr, max),
        CAP_PTR_FIELD if cap.is_uring() => {
            // io_uring_register's data or tags array, where its opcode says (none for
            // opcodes without one).
            let Some((at, count_at, unit)) = cap.uring_field_at(&call.args) else {
                return 0;
            };
            let field = read_u64(at).unwrap_or(0);
            let count = match count_at {
                Some(c) => read_u32(c),
                None => None,
            };
            let nargs = call.args[3];
            let want = ArgCapture::uring_field_bytes(count_at.is_some(), count, nargs, unit);
            bytes(base, off, idx, CAP_PTR_FIELD, tag, field, want, max)
        }
        CAP_PTR_FIELD => {
            let field = read_u64(cap.field_at(&call.args)).unwrap_or(0);
            if cap.flags & CAPF_FIELD_BYTES != 0 {
                let head = read_u32(
                    call.args
                        .get(usize::from(cap.size_arg))
                        .copied()
                        .unwrap_or(0),
                );
                let want = cap.counted_bytes(head);
                bytes(base, off, idx, CAP_PTR_FIELD, tag, field, want, max)
            } else {
                cstr(base, off, idx, CAP_PTR_FIELD, tag, field, max)
            }
        }
        CAP_BUF_ARG => {
            let count = size_arg(&call, cap);
            let want = if cap.flags & CAPF_BITS != 0 {
                count.div_ceil(64) * 8
            } else {
                count * cap.unit()
            };
            bytes_or_prefix(
                base,
                off,
                idx,
                CAP_BUF_ARG,
                tag,
                ptr,
                want,
                buffer_max(cur, cap),
                cap.flags & CAPF_PREFIX != 0,
            )
        }
        CAP_BUF_RET => {
            if call.ret <= 0 {
                return 0;
            }
            let want = (call.ret as u64 as usize) * cap.unit();
            bytes(
                base,
                off,
                idx,
                CAP_BUF_RET,
                tag,
                ptr,
                want,
                buffer_max(cur, cap),
            )
        }
        CAP_FIXED => {
            let want = cap.fixed_size(&call.args);
            bytes(base, off, idx, CAP_FIXED, tag, ptr, want, max)
        }
        CAP_SIZED => {
            let stated = read_u32(ptr.wrapping_add(u64::from(cap.size_arg)));
            bytes(
                base,
                off,
                idx,
                CAP_SIZED,
                tag,
                ptr,
                cap.stated_size(stated),
                max,
            )
        }
        CAP_FD_INODE => fd_inodes(base, off, idx, tag, cap, &call, ptr),
        CAP_SOCK => sock_capture(base, off, idx, tag, cap, &call),
        CAP_SOCK_PROTO => sock_proto(cur, off, idx, tag),
        CAP_EXEC_AREA => exec_area(base, off, idx, tag),
        CAP_DEREF => deref(base, off, idx, tag, ptr, cap),
        CAP_AT_OFFSET => {
            let at = ptr.wrapping_add(u64::from(cap.scale) * 8);
            bytes(base, off, idx, CAP_AT_OFFSET, tag, at, max, max)
        }
        CAP_SOCKADDR_PLEN => {
            let len_ptr = call
                .args
                .get(usize::from(cap.size_arg))
                .copied()
                .unwrap_or(0);
            let want = read_u32(len_ptr).unwrap_or(0) as usize;
            bytes(base, off, idx, CAP_SOCKADDR_PLEN, tag, ptr, want, max)
        }
        CAP_U32_INOUT => {
            if cur.phase() == PHASE_ENTER {
                return 0;
            }
            let now = read_u32(ptr);
            let before = if call.flags & FLAG_NO_ENTER != 0 {
                now
            } else {
                Some(call.saved as u32)
            };
            pair_u32(base, off, idx, before, now)
        }
        _ => 0,
    };
    if next != 0 {
        cur.advance(next);
    }
    next
}

/// Most bytes of argument data to capture: `max`, or for a netlink socket's messages
/// (`CAPF_NETLINK_WHOLE`) `NETLINK_CAP`, whatever `-s` says.
#[inline(always)]
pub fn buffer_max(cur: &Cursor, cap: &ArgCapture) -> usize {
    let max = usize::from(cap.max);
    if cap.flags & CAPF_NETLINK_WHOLE != 0 && max < usize::from(NETLINK_CAP) && is_netlink(cur) {
        return usize::from(NETLINK_CAP);
    }
    max
}

/// The value of the argument that gives `cap`'s size or count.
#[inline(always)]
pub fn size_arg(call: &Call, cap: &ArgCapture) -> usize {
    call.args
        .get(usize::from(cap.size_arg))
        .copied()
        .unwrap_or(0) as usize
}

/// `scale` 8-byte words at `ptr` (at most 4), then `max` bytes (at most 64) where the first
/// word points. Returns the offset after the blob, or 0 when there was no room.
#[inline(always)]
fn deref(base: *mut u8, off: usize, idx: u8, tag: u16, ptr: u64, cap: &ArgCapture) -> usize {
    let words = (usize::from(cap.scale) & 3) * 8;
    let max = usize::from(cap.max) & 63;
    if room(off) < words + max {
        return 0;
    }
    let at = off + HDR;
    let mut len = 0;
    let mut flags = tag;
    if copy_user(base, at, ptr, words) {
        len = words;
        // The first word, just written.
        let inner: u64 = get(base, at);
        if inner != 0 && copy_user(base, at + words, inner, max) {
            len += max;
        }
    } else {
        flags |= BLOB_FAULTED;
    }
    let kind = CAP_DEREF;
    close_blob(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind,
            flags,
            len: len as u32,
        },
    )
}

/// A NUL-terminated string of at most `max` bytes (NUL included), as a blob of `kind`.
#[inline(always)]
#[allow(
    clippy::too_many_arguments,
    reason = "always inlined, so BPF's five-argument limit does not apply"
)]
fn cstr(base: *mut u8, off: usize, idx: u8, kind: u8, tag: u16, ptr: u64, max: usize) -> usize {
    let fit = room(off);
    if fit < 2 {
        return 0;
    }
    let max = if max < fit { max } else { fit };
    let (len, flags) = read_str(base, off + HDR, ptr, max);
    let hdr = BlobHeader {
        arg: idx,
        kind,
        flags: flags | tag,
        len,
    };
    write_header(base, off, hdr);
    off + HDR + blob_padded(len as usize)
}

/// Two u32s: the value before the call (if known) and after.
#[inline(always)]
fn pair_u32(base: *mut u8, off: usize, idx: u8, before: Option<u32>, now: Option<u32>) -> usize {
    if room(off) < 8 {
        return 0;
    }
    let (Some(before), Some(now)) = (before, now) else {
        let hdr = BlobHeader {
            arg: idx,
            kind: CAP_U32_INOUT,
            flags: BLOB_FAULTED,
            len: 0,
        };
        write_header(base, off, hdr);
        return off + HDR;
    };
    let inout = U32InOut { before, after: now };
    put(base, off + HDR, inout);
    write_header(
        base,
        off,
        BlobHeader {
            arg: idx,
            kind: CAP_U32_INOUT,
            flags: 0,
            len: 8,
        },
    );
    off + HDR + 8
}

/// CAP_U32_INOUT arguments' values at enter (only one per syscall is supported).
#[inline(always)]
pub fn saved_u32(spec: &SyscallSpec, args: &[u64; 6]) -> u64 {
    for i in 0..6usize {
        if let (Some(cap), Some(&ptr)) = (spec.args.get(i), args.get(i))
            && cap.kind == CAP_U32_INOUT
        {
            return u64::from(read_u32(ptr).unwrap_or(0));
        }
    }
    0
}
