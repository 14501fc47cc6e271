//! The one checked function that turns ring-buffer bytes into a `RawSyscall`.

use thiserror::Error;
use tracer_common::{
    AdoptRecord, BLOB_AT_ENTER, BLOB_FAULTED, BLOB_TRUNCATED, BlobHeader, FLAG_ARGS_AT_EXIT,
    FLAG_HAS_ENTER_RECORD, FLAG_NO_ENTER, FLAG_NO_RETURN, KIND_ADOPT, KIND_EXIT, KIND_FORK,
    KIND_SIGNAL, KIND_SYSCALL, KIND_SYSCALL_ENTER, MAX_ARGS, PROC_GROUP_DEAD, PROC_SUPERSEDED,
    ProcRecord, RecordHeader, SIGNAL_GROUP_STOP, SIGNAL_IN_SYSCALL, SIGNAL_NO_INFO, SignalRecord,
    SyscallRecord, blob_padded,
};
use tracer_common::{
    FLAG_DETACHED, FLAG_IP, IP_SIZE, KIND_TLS, TLS_FAULTED, TLS_FD_SEEN, TLS_TRUNCATED, TlsRecord,
    Wire, wire::push,
};
use tracer_common::{KIND_STACK, STACK_COPY, StackRecord, StackSample};

use crate::event::{Blob, Exit, Fork, Part, RawEvent, RawSyscall, Signal};

#[derive(Debug, Error, PartialEq, Eq)]
pub enum WireError {
    #[error("record of {0} bytes is shorter than its header")]
    Short(usize),
    #[error("record says it has {claimed} bytes but the ring gave {actual}")]
    SizeMismatch { claimed: usize, actual: usize },
    #[error("unknown record kind {0}")]
    UnknownKind(u16),
    #[error("blob {index} overruns the record")]
    BlobOverrun { index: u16 },
    #[error("blob {index} names argument {arg}")]
    BadArg { index: u16, arg: u8 },
}

/// A parsed record and the number of records lost just before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub lost_before: u32,
    pub event: RawEvent,
}

/// Reads a `T` from the start of `bytes`, which the caller has checked is long enough.
fn read<T: Wire>(bytes: &[u8]) -> T {
    tracer_common::wire::read(bytes).expect("the caller checked the length")
}

/// Parses one ring-buffer record. Checks every length against the bytes actually given, so a
/// corrupt or foreign record is an error, never a panic or an out-of-bounds read.
pub fn parse_record(bytes: &[u8]) -> Result<Parsed, WireError> {
    if bytes.len() < size_of::<RecordHeader>() {
        return Err(WireError::Short(bytes.len()));
    }
    let hdr: RecordHeader = read(bytes);
    let (part, body_size) = match hdr.kind {
        KIND_SYSCALL => (Some(Part::Complete), size_of::<SyscallRecord>()),
        KIND_SYSCALL_ENTER => (Some(Part::Enter), size_of::<SyscallRecord>()),
        KIND_FORK | KIND_EXIT => (None, size_of::<ProcRecord>()),
        KIND_ADOPT => (None, size_of::<AdoptRecord>()),
        KIND_SIGNAL => (None, size_of::<SignalRecord>()),
        KIND_TLS => (None, size_of::<TlsRecord>()),
        KIND_STACK => (None, size_of::<StackSample>()),
        other => return Err(WireError::UnknownKind(other)),
    };
    let claimed = hdr.size as usize;
    if claimed > bytes.len() || claimed < body_size {
        return Err(WireError::SizeMismatch {
            claimed,
            actual: bytes.len(),
        });
    }
    let bytes = &bytes[..claimed];
    let Some(part) = part else {
        let event = if hdr.kind == KIND_STACK {
            stack_event(read(bytes), &bytes[size_of::<StackRecord>()..])?
        } else if hdr.kind == KIND_TLS {
            tls_event(read(bytes), &bytes[size_of::<TlsRecord>()..])?
        } else if hdr.kind == KIND_SIGNAL {
            signal_event(
                read(bytes),
                trailing_ip(hdr.flags, bytes, size_of::<SignalRecord>()).1,
            )
        } else if hdr.kind == KIND_ADOPT {
            adopt_event(read(bytes))
        } else {
            proc_event(hdr.kind, read(bytes))
        };
        return Ok(Parsed {
            lost_before: hdr.lost_before,
            event,
        });
    };
    let rec: SyscallRecord = read(bytes);
    let (blobs_at, ip) = trailing_ip(hdr.flags, bytes, size_of::<SyscallRecord>());
    let blobs = parse_blobs(bytes.get(blobs_at..).unwrap_or_default(), rec.nblobs)?;
    let mut sc = RawSyscall {
        part,
        no_enter: hdr.flags & FLAG_NO_ENTER != 0,
        no_return: hdr.flags & FLAG_NO_RETURN != 0,
        has_enter_record: hdr.flags & FLAG_HAS_ENTER_RECORD != 0,
        restarted: false,
        ts_enter: rec.ts_enter,
        ts_exit: rec.ts_exit,
        tgid: rec.tgid,
        tid: rec.tid,
        nr: rec.nr,
        ret: rec.ret,
        args: rec.args,
        off_cpu: rec.off_cpu,
        ip,
        blobs,
        tampered: Default::default(),
    };
    // Not a call that began before tracing: a new task's 0 from the fork that made it (the
    // pipeline leaves it out, as strace does), and an exec from another thread, which returns
    // in the leader (`<... execve resumed>) = 0`, as strace prints it).
    let not_begun =
        sc.ret == 0 && crate::tables::by_nr(sc.nr).is_some_and(|d| d.is_fork() || d.is_exec());
    if sc.no_enter && hdr.flags & FLAG_ARGS_AT_EXIT != 0 && !not_begun {
        as_restarted(&mut sc);
    }
    let event = if hdr.flags & FLAG_DETACHED != 0 {
        RawEvent::Detached(sc)
    } else {
        RawEvent::Syscall(sc)
    };
    Ok(Parsed {
        lost_before: hdr.lost_before,
        event,
    })
}

/// A call that was in progress when tracing began, with its arguments read at its exit: it
/// is printed as strace prints it after attaching. strace's attach interrupts the call and the
/// kernel restarts it, so strace shows the restarted call whole (`read(0, "x\n", 1024) = 2`),
/// or `restart_syscall(<... resuming interrupted read ...>)` for the calls the kernel resumes
/// through its restart block (a relative sleep, a poll with a timeout). Its start is unknown:
/// the pipeline takes the time tracing of its process began (`restarted`), as strace's
/// restarted call begins at its attach.
fn as_restarted(sc: &mut RawSyscall) {
    sc.no_enter = false;
    sc.restarted = true;
    sc.ts_enter = sc.ts_exit;
    if resumes_by_restart_block(sc.nr, &sc.args) {
        sc.nr = libc::SYS_restart_syscall as u32;
        sc.args = [0; MAX_ARGS];
        sc.blobs.clear();
    }
}

/// Whether the kernel resumes call `nr` interrupted by a stop through `restart_syscall`
/// (`-ERESTART_RESTARTBLOCK`) rather than by running it again.
fn resumes_by_restart_block(nr: u32, args: &[u64; MAX_ARGS]) -> bool {
    match i64::from(nr) {
        libc::SYS_nanosleep => true,
        // An absolute sleep is run again as itself.
        libc::SYS_clock_nanosleep => args[1] & libc::TIMER_ABSTIME as u64 == 0,
        // Without a timeout poll is run again as itself.
        libc::SYS_poll => (args[2] as i32) >= 0,
        _ => false,
    }
}

/// A copy of the `KIND_TLS` record `item` with its plaintext replaced by `data` (as long: the
/// redactor masks in place), for a redacted recording.
pub fn with_tls_data(item: &[u8], data: &[u8]) -> Vec<u8> {
    let mut bytes = item.to_vec();
    let at = size_of::<TlsRecord>();
    if let Some(dst) = bytes.get_mut(at..at + data.len()) {
        dst.copy_from_slice(data);
    }
    bytes
}

/// A `KIND_TLS` record and the plaintext after it.
fn tls_event(rec: TlsRecord, rest: &[u8]) -> Result<RawEvent, WireError> {
    let data = rest
        .get(..rec.len as usize)
        .ok_or(WireError::BlobOverrun { index: 0 })?;
    Ok(RawEvent::Tls(crate::event::TlsCall {
        ts_enter: rec.ts_enter,
        ts_exit: rec.ts_exit,
        tgid: rec.tgid,
        tid: rec.tid,
        func: rec.func,
        fd: (rec.flags & TLS_FD_SEEN != 0).then_some(rec.fd),
        ssl: rec.ssl,
        buf: rec.buf,
        num: rec.num,
        ret: rec.ret,
        done: rec.done,
        data: data.to_vec(),
        truncated: rec.flags & TLS_TRUNCATED != 0,
        faulted: rec.flags & TLS_FAULTED != 0,
    }))
}

/// A `KIND_STACK` record and the stack bytes after it.
fn stack_event(rec: StackRecord, rest: &[u8]) -> Result<RawEvent, WireError> {
    let len = rec.len as usize;
    let data = rest
        .get(..len)
        .filter(|_| len <= STACK_COPY)
        .ok_or(WireError::BlobOverrun { index: 0 })?;
    Ok(RawEvent::Stack(crate::event::Stack {
        tgid: rec.tgid,
        tid: rec.tid,
        ip: rec.ip,
        sp: rec.sp,
        bp: rec.bp,
        ts: rec.ts,
        data: data.to_vec(),
    }))
}

fn adopt_event(rec: AdoptRecord) -> RawEvent {
    let len = rec
        .comm
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(rec.comm.len());
    RawEvent::Adopt {
        ts: rec.proc.ts,
        tgid: rec.proc.tgid,
        name: String::from_utf8_lossy(&rec.comm[..len]).into_owned(),
    }
}

fn proc_event(kind: u16, rec: ProcRecord) -> RawEvent {
    if kind == KIND_FORK {
        let (shares_files, shares_fs) = Fork::sharing_from(rec.flags, rec.child_tgid == rec.tgid);
        RawEvent::Fork(Fork {
            ts: rec.ts,
            tgid: rec.tgid,
            tid: rec.tid,
            child_tgid: rec.child_tgid,
            child_tid: rec.child_tid,
            shares_files,
            shares_fs,
        })
    } else {
        RawEvent::Exit(Exit {
            ts: rec.ts,
            tgid: rec.tgid,
            tid: rec.tid,
            group_dead: rec.flags & PROC_GROUP_DEAD != 0,
            code: rec.exit_code,
            superseded_by: (rec.flags & PROC_SUPERSEDED != 0).then_some(rec.child_tid),
        })
    }
}

/// Where the instruction pointer a `FLAG_IP` record carries after its `body` bytes ends (the
/// blobs start there), and its value unless it is 0, the kernel's "unknown".
fn trailing_ip(flags: u16, bytes: &[u8], body: usize) -> (usize, Option<u64>) {
    if flags & FLAG_IP == 0 {
        return (body, None);
    }
    let ip = tracer_common::wire::read_at::<u64>(bytes, body);
    (body + IP_SIZE, ip.filter(|&ip| ip != 0))
}

fn signal_event(rec: SignalRecord, ip: Option<u64>) -> RawEvent {
    RawEvent::Signal(Signal {
        ts: rec.ts,
        tgid: rec.tgid,
        tid: rec.tid,
        sig: rec.sig,
        after_call: rec.flags & SIGNAL_IN_SYSCALL != 0,
        info: (rec.flags & SIGNAL_NO_INFO == 0).then_some(rec.info),
        group_stop: rec.flags & SIGNAL_GROUP_STOP != 0,
        ip,
    })
}

fn parse_blobs(mut rest: &[u8], count: u16) -> Result<Vec<Blob>, WireError> {
    let mut blobs = Vec::with_capacity(usize::from(count));
    for index in 0..count {
        if rest.len() < size_of::<BlobHeader>() {
            return Err(WireError::BlobOverrun { index });
        }
        let hdr: BlobHeader = read(rest);
        if usize::from(hdr.arg) >= MAX_ARGS {
            return Err(WireError::BadArg {
                index,
                arg: hdr.arg,
            });
        }
        let body = &rest[size_of::<BlobHeader>()..];
        let len = hdr.len as usize;
        if len > body.len() {
            return Err(WireError::BlobOverrun { index });
        }
        blobs.push(Blob {
            arg: hdr.arg,
            kind: hdr.kind,
            truncated: hdr.flags & BLOB_TRUNCATED != 0,
            faulted: hdr.flags & BLOB_FAULTED != 0,
            at_enter: hdr.flags & BLOB_AT_ENTER != 0,
            data: body[..len].to_vec(),
        });
        rest = body.get(blob_padded(len)..).unwrap_or_default();
    }
    Ok(blobs)
}

/// Serialises a record exactly as the kernel lays it out; the inverse of `parse_record`, for
/// tests and recorded fixtures.
pub fn encode_record(lost_before: u32, sc: &RawSyscall) -> Vec<u8> {
    let mut flags = 0;
    for (set, bit) in [
        (sc.no_enter, FLAG_NO_ENTER),
        (sc.no_return, FLAG_NO_RETURN),
        (sc.has_enter_record, FLAG_HAS_ENTER_RECORD),
    ] {
        if set {
            flags |= bit;
        }
    }
    let mut body = Vec::new();
    if let Some(ip) = sc.ip {
        flags |= FLAG_IP;
        body.extend_from_slice(&ip.to_le_bytes());
    }
    for blob in &sc.blobs {
        let mut bflags = 0;
        if blob.truncated {
            bflags |= BLOB_TRUNCATED;
        }
        if blob.faulted {
            bflags |= BLOB_FAULTED;
        }
        if blob.at_enter {
            bflags |= BLOB_AT_ENTER;
        }
        let hdr = BlobHeader {
            arg: blob.arg,
            kind: blob.kind,
            flags: bflags,
            len: blob.data.len() as u32,
        };
        push(&mut body, &hdr);
        body.extend_from_slice(&blob.data);
        body.resize(
            body.len() + blob_padded(blob.data.len()) - blob.data.len(),
            0,
        );
    }
    let size = size_of::<SyscallRecord>() + body.len();
    let rec = SyscallRecord {
        hdr: RecordHeader {
            kind: match sc.part {
                Part::Complete => KIND_SYSCALL,
                Part::Enter => KIND_SYSCALL_ENTER,
            },
            flags,
            size: size as u32,
            lost_before,
            cpu: 0,
        },
        ts_enter: sc.ts_enter,
        ts_exit: sc.ts_exit,
        tgid: sc.tgid,
        tid: sc.tid,
        nr: sc.nr,
        nblobs: sc.blobs.len() as u16,
        _pad0: 0,
        ret: sc.ret,
        args: sc.args,
        off_cpu: sc.off_cpu,
    };
    let mut out = Vec::with_capacity(size);
    push(&mut out, &rec);
    out.extend_from_slice(&body);
    out
}

/// A `-b execve` detach as the kernel writes it: the exec's exit record with `FLAG_DETACHED`.
pub fn encode_detached(lost_before: u32, sc: &RawSyscall) -> Vec<u8> {
    let mut out = encode_record(lost_before, sc);
    let flags = u16::from_le_bytes([out[2], out[3]]) | FLAG_DETACHED;
    out[2..4].copy_from_slice(&flags.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RawSyscall {
        RawSyscall {
            part: Part::Complete,
            no_enter: false,
            no_return: false,
            has_enter_record: false,
            restarted: false,
            ts_enter: 10,
            ts_exit: 20,
            tgid: 42,
            tid: 43,
            nr: 257,
            ret: -2,
            args: [(-100i64) as u64, 0x7fff_0000, 0, 0, 0, 0],
            off_cpu: 7,
            ip: None,
            blobs: vec![Blob {
                arg: 1,
                kind: tracer_common::CAP_CSTR,
                truncated: false,
                faulted: false,
                at_enter: false,
                data: b"/nonexistent/file".to_vec(),
            }],
            tampered: Default::default(),
        }
    }

    #[test]
    fn tls_records() {
        let rec = TlsRecord {
            hdr: RecordHeader {
                kind: KIND_TLS,
                size: (size_of::<TlsRecord>() + 8) as u32,
                ..RecordHeader::default()
            },
            tgid: 5,
            tid: 6,
            func: tracer_common::TLS_SSL_READ,
            fd: 9,
            ret: 5,
            done: 5,
            len: 5,
            flags: TLS_FD_SEEN | TLS_TRUNCATED,
            ..TlsRecord::default()
        };
        let mut bytes = vec![0u8; size_of::<TlsRecord>() + 8];
        let head = size_of::<TlsRecord>();
        bytes[..head].copy_from_slice(tracer_common::wire::as_bytes(&rec));
        bytes[size_of::<TlsRecord>()..][..5].copy_from_slice(b"hello");
        let Ok(Parsed {
            event: RawEvent::Tls(t),
            ..
        }) = parse_record(&bytes)
        else {
            panic!("not a TLS event");
        };
        assert_eq!((t.tgid, t.tid, t.fd, t.ret), (5, 6, Some(9), 5));
        assert_eq!(t.data, b"hello");
        assert!(t.truncated && !t.faulted);
        // A redacted recording keeps the record, with the masked plaintext.
        let masked = with_tls_data(&bytes, b"he**o");
        assert_eq!(masked.len(), bytes.len());
        assert!(matches!(
            parse_record(&masked),
            Ok(Parsed { event: RawEvent::Tls(crate::event::TlsCall { ref data, .. }), .. }) if data == b"he**o"
        ));
        // Without TLS_FD_SEEN the fd is unknown; a length past the record is refused.
        let mut unseen = rec;
        unseen.flags = 0;
        bytes[..head].copy_from_slice(tracer_common::wire::as_bytes(&unseen));
        assert!(matches!(
            parse_record(&bytes),
            Ok(Parsed {
                event: RawEvent::Tls(crate::event::TlsCall { fd: None, .. }),
                ..
            })
        ));
        let mut long = rec;
        long.len = 9;
        bytes[..head].copy_from_slice(tracer_common::wire::as_bytes(&long));
        assert!(parse_record(&bytes).is_err());
    }

    #[test]
    fn stack_records() {
        let mut bytes = vec![0u8; size_of::<StackSample>()];
        let rec = StackRecord {
            hdr: RecordHeader {
                kind: KIND_STACK,
                size: size_of::<StackSample>() as u32,
                ..RecordHeader::default()
            },
            tgid: 5,
            tid: 6,
            ip: 0x7f00_0000_1234,
            sp: 0x7ffd_0000_0000,
            bp: 1,
            len: 16,
            flags: 0,
            ts: 77,
        };
        bytes[..size_of::<StackRecord>()].copy_from_slice(tracer_common::wire::as_bytes(&rec));
        bytes[size_of::<StackRecord>()..][..16].copy_from_slice(&[7; 16]);
        let Ok(Parsed {
            event: RawEvent::Stack(s),
            ..
        }) = parse_record(&bytes)
        else {
            panic!("not a stack event");
        };
        assert_eq!((s.tgid, s.tid, s.ip, s.sp, s.bp), (5, 6, rec.ip, rec.sp, 1));
        assert_eq!(s.ts, 77);
        assert_eq!(s.data, [7; 16]);
        // A length past the copy is refused, not read beyond it.
        let long = StackRecord {
            len: STACK_COPY as u32 + 1,
            ..rec
        };
        bytes[..size_of::<StackRecord>()].copy_from_slice(tracer_common::wire::as_bytes(&long));
        assert!(parse_record(&bytes).is_err());
        // A record shorter than the whole sample is refused.
        assert!(parse_record(&bytes[..size_of::<StackRecord>() + 16]).is_err());
    }

    #[test]
    fn round_trips() {
        let sc = sample();
        let bytes = encode_record(3, &sc);
        assert_eq!(bytes.len() % 8, 0);
        let parsed = parse_record(&bytes).expect("parses");
        assert_eq!(parsed.lost_before, 3);
        assert_eq!(parsed.event, RawEvent::Syscall(sc));
    }

    /// `-i`: the instruction pointer sits between the body and the blobs, which still parse.
    #[test]
    fn instruction_pointer_comes_before_the_blobs() {
        let sc = RawSyscall {
            ip: Some(0x7f3a_1b2c_3d4e),
            ..sample()
        };
        let bytes = encode_record(0, &sc);
        assert_eq!(bytes.len(), encode_record(0, &sample()).len() + IP_SIZE);
        let at = size_of::<SyscallRecord>();
        assert_eq!(bytes[at..at + IP_SIZE], 0x7f3a_1b2c_3d4e_u64.to_le_bytes());
        assert_eq!(
            parse_record(&bytes).expect("parses").event,
            RawEvent::Syscall(sc)
        );
    }

    #[test]
    fn signal_records() {
        let mut rec = SignalRecord {
            hdr: RecordHeader {
                kind: KIND_SIGNAL,
                size: size_of::<SignalRecord>() as u32,
                ..RecordHeader::default()
            },
            ts: 5,
            tgid: 7,
            tid: 8,
            sig: 17,
            ..SignalRecord::default()
        };
        rec.info[0] = 17;
        let bytes = tracer_common::wire::as_bytes(&rec);
        let RawEvent::Signal(sig) = parse_record(bytes).expect("parses").event else {
            panic!("not a signal");
        };
        assert_eq!((sig.tid, sig.sig), (8, 17));
        assert_eq!(sig.info.map(|i| i[0]), Some(17));
    }

    #[test]
    fn rejects_truncated_and_corrupt_records() {
        let bytes = encode_record(0, &sample());
        assert_eq!(parse_record(&bytes[..8]), Err(WireError::Short(8)));
        assert!(matches!(
            parse_record(&bytes[..bytes.len() - 8]),
            Err(WireError::SizeMismatch { .. })
        ));
        let mut bad_kind = bytes.clone();
        bad_kind[0] = 99;
        assert_eq!(parse_record(&bad_kind), Err(WireError::UnknownKind(99)));
        // A blob claiming more data than the record holds.
        let mut overrun = bytes.clone();
        let blob_len_at = size_of::<SyscallRecord>() + 4;
        overrun[blob_len_at..blob_len_at + 4].copy_from_slice(&4096u32.to_ne_bytes());
        assert_eq!(
            parse_record(&overrun),
            Err(WireError::BlobOverrun { index: 0 })
        );
        let mut bad_arg = bytes;
        bad_arg[size_of::<SyscallRecord>()] = 9;
        assert_eq!(
            parse_record(&bad_arg),
            Err(WireError::BadArg { index: 0, arg: 9 })
        );
    }
}
