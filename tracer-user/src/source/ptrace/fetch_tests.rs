//! The capture table interpreted over a fake tracee memory: the blobs each kind gives.

use std::collections::BTreeMap;

use tracer_common::{CAPF_BY_RET, PHASE_EXIT, UserIovec};

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
    // No NUL before the mapping ends: unreadable as a whole (strace prints the address),
    // unless -s cuts it first.
    let mem = Regions([(0x1ff8, b"/tmp/t10".to_vec())].into());
    let b = run(cap, 1, [0, 0x1ff8, 0, 0, 0, 0], 3, PHASE_ENTER, &mem);
    assert!(b[0].faulted);
    let b = run(short, 1, [0, 0x1ff8, 0, 0, 0, 0], 3, PHASE_ENTER, &mem);
    assert_eq!((b[0].data.as_slice(), b[0].faulted), (&b"/tmp"[..], false));
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
    // The slots are as large as the most any buffer took, not `max`.
    assert_eq!(head, [2, 0, 5]);
    // Second entry: 3 of its 6 bytes were written (8 returned, 5 went to the first).
    let e2 = 16 + 24;
    assert_eq!(
        u32::from_ne_bytes(d[e2 + 16..e2 + 20].try_into().unwrap()),
        3
    );
    let slots = 16 + 2 * 24;
    assert_eq!(&d[slots..slots + 5], b"hello");
    assert_eq!(&d[slots + 5..slots + 8], b"wor");
    assert_eq!(d.len(), slots + 10);
    // A failed read: the entries (strace prints their addresses), no data, no slots.
    let b = run(cap, 1, [3, 0x5000, 2, 0, 0, 0], -9, PHASE_EXIT, &mem);
    let d = &b[0].data;
    assert_eq!(u32::from_ne_bytes(d[0..4].try_into().unwrap()), 2);
    assert_eq!(d.len(), 16 + 2 * 24);
}

#[test]
fn iovecs_past_eight_are_all_kept_as_strace_prints_and_dumps_them() {
    let mut m = BTreeMap::new();
    m.insert(0x3000, (0u8..40).collect::<Vec<_>>());
    let iov: Vec<u8> = (0..40u64)
        .flat_map(|k| [(0x3000 + k).to_ne_bytes(), 1u64.to_ne_bytes()])
        .flatten()
        .collect();
    m.insert(0x5000, iov);
    let mem = Regions(m);
    let cap = ArgCapture {
        kind: CAP_IOVEC,
        phase: PHASE_ENTER,
        size_arg: 2,
        max: 65535,
        ..Default::default()
    };
    let b = run(cap, 1, [3, 0x5000, 40, 0, 0, 0], 40, PHASE_ENTER, &mem);
    let items = tracer_common::wire::iovec_items(&b[0].data).collect::<Vec<_>>();
    assert_eq!(items.len(), 40);
    let last = &items[39];
    assert_eq!((last.base, last.len, last.flags), (0x3027, 1, 0));
    assert_eq!(&b[0].data[last.data.clone()], &[39]);
    // One byte a slot, not `max`.
    assert_eq!(b[0].data.len(), 16 + 40 * 24 + 40);
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

#[test]
fn a_msghdr_brings_its_name_iovecs_and_control_data() {
    let mut m = BTreeMap::new();
    m.insert(0x1000, b"/tmp/sock".to_vec());
    m.insert(0x2000, b"payload".to_vec());
    m.insert(0x3000, vec![7u8; 300]);
    let mut iov = Vec::new();
    tracer_common::wire::push(
        &mut iov,
        &UserIovec {
            iov_base: 0x2000,
            iov_len: 7,
        },
    );
    m.insert(0x4000, iov);
    let hdr = Msghdr {
        msg_name: 0x1000,
        msg_namelen: 9,
        msg_iov: 0x4000,
        msg_iovlen: 1,
        msg_control: 0x3000,
        msg_controllen: 300,
        ..Msghdr::default()
    };
    let mut bytes = Vec::new();
    tracer_common::wire::push(&mut bytes, &hdr);
    m.insert(0x5000, bytes);
    let mem = Regions(m);
    let cap = ArgCapture {
        kind: CAP_MSGHDR,
        phase: PHASE_ENTER,
        max: 32,
        ..Default::default()
    };
    let b = run(cap, 1, [3, 0x5000, 0, 0, 0, 0], 7, PHASE_ENTER, &mem);
    let kinds: Vec<u8> = b.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [CAP_MSGHDR, CAP_SUB_NAME, CAP_IOVEC, CAP_SUB_CONTROL]
    );
    assert_eq!(read::<Msghdr>(&b[0].data), Some(hdr));
    assert_eq!(b[1].data, b"/tmp/sock");
    let items: Vec<_> = tracer_common::wire::iovec_items(&b[2].data).collect();
    assert_eq!(&b[2].data[items[0].data.clone()], b"payload");
    // Control data is cut at CONTROL_CAP, as the kernel side cuts it.
    assert_eq!(b[3].data.len(), usize::from(CONTROL_CAP));
    assert!(b[3].truncated);
}

#[test]
fn an_array_keeps_the_elements_before_a_faulting_page() {
    // Two 8-byte pollfds at the end of a page, the third in an unmapped one.
    let mem = Regions([(0x1ff0, vec![7; 16])].into());
    let cap = ArgCapture {
        kind: CAP_BUF_ARG,
        phase: PHASE_ENTER,
        size_arg: 1,
        scale: 8,
        max: 2048,
        flags: CAPF_PREFIX,
    };
    let b = run(cap, 0, [0x1ff0, 3, 0, 0, 0, 0], -14, PHASE_ENTER, &mem);
    assert!(b[0].faulted);
    assert_eq!(b[0].data, vec![7; 16]);
    // Without the flag, or with nothing readable before the page, nothing is kept.
    let plain = ArgCapture { flags: 0, ..cap };
    let b = run(plain, 0, [0x1ff0, 3, 0, 0, 0, 0], -14, PHASE_ENTER, &mem);
    assert!(b[0].faulted && b[0].data.is_empty());
    let b = run(cap, 0, [0x3000, 3, 0, 0, 0, 0], -14, PHASE_ENTER, &mem);
    assert!(b[0].faulted && b[0].data.is_empty());
}
