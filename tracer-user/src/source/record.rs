//! Recording raw ring-buffer records to a file (`--record FILE`) and reading them back, so a
//! trace can be decoded again later or elsewhere without root: how the golden tests get real
//! kernel records. Format: for each record, its length as a little-endian u32, then its bytes.
//! A record is never longer than the kernel builds one (`MAX_RECORD`), so a recording is read
//! as a stream, one bounded record at a time, whatever its size.

use std::{
    fs::File,
    io::{self, BufWriter, Read, Write},
    path::{Path, PathBuf},
};

use anyhow::{Result, bail};
use tracer_common::MAX_RECORD;

use tracer_common::{
    AdoptRecord, FLAG_IP, IP_SIZE, KIND_ADOPT, KIND_EXIT, KIND_FORK, KIND_SIGNAL, KIND_TLS,
    PROC_GROUP_DEAD, PROC_SUPERSEDED, ProcRecord, RecordHeader, SIGNAL_GROUP_STOP, SIGNAL_IGNORED,
    SIGNAL_IN_SYSCALL, SIGNAL_NO_INFO, SignalRecord, TLS_FAULTED, TLS_FD_SEEN, TLS_TRUNCATED,
    TlsRecord, blob_padded, wire::push,
};

use crate::{event::RawEvent, source::wire};

pub struct Recorder {
    out: BufWriter<File>,
    /// Where it goes, for errors.
    path: PathBuf,
    /// Masks secrets as the output does (unless `--no-redact`); its own redactor, seeing the
    /// same events as the pipeline's.
    redactor: Option<crate::redact::Redactor>,
    /// Losses reported since the last record written: the next one's `lost_before`.
    lost: u64,
}

impl Recorder {
    /// Creates the recording file as trace files are created (`outfile::create`); `redact`:
    /// masked as the output is.
    pub fn create(path: &Path, mode: u32, redact: bool) -> Result<Self> {
        let file = crate::outfile::create(path, mode, crate::outfile::Existing::Truncate)?;
        Ok(Self {
            out: BufWriter::new(file),
            path: path.to_path_buf(),
            redactor: redact.then(Default::default),
            lost: 0,
        })
    }

    /// Records one event: as the record it was read from (`wire`) when there is one and
    /// redaction left it alone, otherwise encoded as the kernel would have written it. A loss
    /// marker becomes the next record's `lost_before`.
    pub fn event(&mut self, event: &RawEvent, wire: Option<&[u8]>) -> io::Result<()> {
        if let RawEvent::Lost { count } = event {
            self.lost += count;
            // Its redactor must fail closed after a loss as the output's does.
            if let Some(redactor) = self.redactor.as_mut() {
                redactor.event(&mut event.clone());
            }
            return Ok(());
        }
        if matches!(event, RawEvent::Stack(_)) {
            // Not kept (see `encode_event`).
            return Ok(());
        }
        let lost = std::mem::take(&mut self.lost);
        let mut masked = None;
        if let Some(redactor) = self.redactor.as_mut() {
            let mut copy = event.clone();
            redactor.event(&mut copy);
            masked = (copy != *event).then_some(copy);
        }
        match (wire, masked) {
            (Some(wire), None) => self.write(wire),
            (wire, masked) => {
                // A record read from the ring keeps its own loss count.
                let lost_before = match wire.map(wire::parse_record) {
                    Some(Ok(parsed)) => parsed.lost_before,
                    _ => lost.min(u64::from(u32::MAX)) as u32,
                };
                match encode_event(lost_before, masked.as_ref().unwrap_or(event)) {
                    Some(record) => self.write(&record),
                    None => Ok(()),
                }
            }
        }
    }

    pub fn write(&mut self, record: &[u8]) -> io::Result<()> {
        self.out.write_all(&(record.len() as u32).to_le_bytes())?;
        self.out.write_all(record)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// `err`, met writing the recording, as tracer reports it (naming the file).
    pub fn failed(&self, err: &io::Error) -> anyhow::Error {
        anyhow::anyhow!(
            "failed to write the recording {}: {err}",
            self.path.display()
        )
    }
}

/// Reads a recording's events one record at a time; memory stays bounded by `MAX_RECORD`.
pub struct Events<R> {
    input: R,
    /// The record being read (reused).
    buf: Vec<u8>,
    /// Byte offset of the next record, for errors.
    at: u64,
    /// An event that follows a loss marker already handed out.
    pending: Option<RawEvent>,
}

impl<R: Read> Events<R> {
    pub fn new(input: R) -> Self {
        Self {
            input,
            buf: Vec::new(),
            at: 0,
            pending: None,
        }
    }

    /// The next record's events, None at the end of the recording.
    fn record(&mut self) -> Result<Option<RawEvent>> {
        let mut len = [0u8; 4];
        match read_full(&mut self.input, &mut len)? {
            0 => return Ok(None),
            4 => {}
            _ => bail!("byte {}: the recording ends inside a length", self.at),
        }
        let len = u32::from_le_bytes(len) as usize;
        if len > MAX_RECORD {
            bail!(
                "byte {}: a record of {len} bytes, longer than any record tracer writes ({MAX_RECORD} bytes)",
                self.at
            );
        }
        self.buf.resize(len, 0);
        if read_full(&mut self.input, &mut self.buf)? != len {
            bail!("byte {}: the recording ends inside a record", self.at);
        }
        let parsed =
            wire::parse_record(&self.buf).map_err(|e| anyhow::anyhow!("byte {}: {e}", self.at))?;
        self.at += 4 + len as u64;
        if parsed.lost_before != 0 {
            self.pending = Some(parsed.event);
            return Ok(Some(RawEvent::Lost {
                count: u64::from(parsed.lost_before),
            }));
        }
        Ok(Some(parsed.event))
    }
}

impl<R: Read> Iterator for Events<R> {
    type Item = Result<RawEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(event) = self.pending.take() {
            return Some(Ok(event));
        }
        self.record().transpose()
    }
}

/// Fills `buf` as far as the input goes; how many bytes were read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// The events of a recording held in memory, in order, loss markers included.
pub fn events(data: &[u8]) -> Result<Vec<RawEvent>> {
    Events::new(data).collect()
}

/// Serialises any event a source reports as the kernel would lay out its record (the inverse
/// of `parse_record`): how a `--record`ing is written from events that never were ring-buffer
/// records (the ptrace backend's, and redacted ones). None for a loss marker, which is no
/// record of its own but the next record's `lost_before`.
pub fn encode_event(lost_before: u32, event: &RawEvent) -> Option<Vec<u8>> {
    fn header<T>(kind: u16, lost_before: u32) -> RecordHeader {
        RecordHeader {
            kind,
            flags: 0,
            size: size_of::<T>() as u32,
            lost_before,
            cpu: 0,
        }
    }
    let mut out = Vec::new();
    match event {
        RawEvent::Syscall(sc) => return Some(wire::encode_record(lost_before, sc)),
        // `-k`'s copy of user stack memory may hold anything (keys, passwords): it is not
        // kept in recordings.
        RawEvent::Stack(_) => return None,
        RawEvent::Detached(sc) => return Some(wire::encode_detached(lost_before, sc)),
        RawEvent::Fork(f) => push(
            &mut out,
            &ProcRecord {
                hdr: header::<ProcRecord>(KIND_FORK, lost_before),
                ts: f.ts,
                tgid: f.tgid,
                tid: f.tid,
                child_tgid: f.child_tgid,
                child_tid: f.child_tid,
                flags: f.sharing_flags(),
                exit_code: 0,
            },
        ),
        RawEvent::Exit(e) => {
            let mut flags = 0;
            if e.group_dead {
                flags |= PROC_GROUP_DEAD;
            }
            if e.superseded_by.is_some() {
                flags |= PROC_SUPERSEDED;
            }
            push(
                &mut out,
                &ProcRecord {
                    hdr: header::<ProcRecord>(KIND_EXIT, lost_before),
                    ts: e.ts,
                    tgid: e.tgid,
                    tid: e.tid,
                    child_tgid: 0,
                    child_tid: e.superseded_by.unwrap_or(0),
                    flags,
                    exit_code: e.code,
                },
            );
        }
        RawEvent::Signal(s) => {
            let mut flags = 0;
            if s.after_call {
                flags |= SIGNAL_IGNORED | SIGNAL_IN_SYSCALL;
            }
            if s.info.is_none() {
                flags |= SIGNAL_NO_INFO;
            }
            if s.group_stop {
                flags |= SIGNAL_GROUP_STOP;
            }
            let mut hdr = header::<SignalRecord>(KIND_SIGNAL, lost_before);
            if s.ip.is_some() {
                hdr.flags |= FLAG_IP;
                hdr.size += IP_SIZE as u32;
            }
            push(
                &mut out,
                &SignalRecord {
                    hdr,
                    ts: s.ts,
                    tgid: s.tgid,
                    tid: s.tid,
                    sig: s.sig,
                    flags,
                    info: s.info.unwrap_or([0; tracer_common::SIGINFO_SIZE]),
                },
            );
            if let Some(ip) = s.ip {
                out.extend_from_slice(&ip.to_le_bytes());
            }
        }
        RawEvent::Adopt { ts, tgid, name } => {
            let mut comm = [0u8; tracer_common::COMM_LEN];
            let len = name.len().min(tracer_common::COMM_LEN - 1);
            comm[..len].copy_from_slice(&name.as_bytes()[..len]);
            push(
                &mut out,
                &AdoptRecord {
                    proc: ProcRecord {
                        hdr: header::<AdoptRecord>(KIND_ADOPT, lost_before),
                        ts: *ts,
                        tgid: *tgid,
                        tid: *tgid,
                        ..ProcRecord::default()
                    },
                    comm,
                },
            );
        }
        RawEvent::Tls(t) => {
            let mut flags = 0;
            if t.fd.is_some() {
                flags |= TLS_FD_SEEN;
            }
            if t.truncated {
                flags |= TLS_TRUNCATED;
            }
            if t.faulted {
                flags |= TLS_FAULTED;
            }
            let size = size_of::<TlsRecord>() + blob_padded(t.data.len());
            push(
                &mut out,
                &TlsRecord {
                    hdr: RecordHeader {
                        size: size as u32,
                        ..header::<TlsRecord>(KIND_TLS, lost_before)
                    },
                    ts_enter: t.ts_enter,
                    ts_exit: t.ts_exit,
                    tgid: t.tgid,
                    tid: t.tid,
                    func: t.func,
                    fd: t.fd.unwrap_or(-1),
                    ssl: t.ssl,
                    buf: t.buf,
                    num: t.num,
                    ret: t.ret,
                    done: t.done,
                    len: t.data.len() as u32,
                    flags,
                },
            );
            out.extend_from_slice(&t.data);
            out.resize(size, 0);
        }
        RawEvent::Lost { .. } => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_cut_recordings() {
        assert!(events(&[1, 0]).is_err());
        assert!(events(&[8, 0, 0, 0, 1, 2]).is_err());
        assert_eq!(events(&[]).expect("empty is fine"), Vec::new());
    }

    #[test]
    fn refuses_a_record_longer_than_the_kernel_writes() {
        let too_long = (MAX_RECORD as u32 + 1).to_le_bytes();
        let err = events(&too_long).expect_err("refused").to_string();
        assert_eq!(
            err,
            format!(
                "byte 0: a record of {} bytes, longer than any record tracer writes ({MAX_RECORD} \
                 bytes)",
                MAX_RECORD + 1
            )
        );
    }

    #[test]
    fn every_kind_round_trips() {
        let events = [
            RawEvent::Syscall(crate::event::RawSyscall {
                part: crate::event::Part::Complete,
                no_enter: false,
                no_return: false,
                has_enter_record: true,
                restarted: false,
                ts_enter: 10,
                ts_exit: 20,
                tgid: 42,
                tid: 43,
                nr: 257,
                ret: -2,
                args: [1, 2, 3, 4, 5, 6],
                off_cpu: 7,
                ip: Some(0x7f3a_1b2c_3d4e),
                blobs: Vec::new(),
                tampered: Default::default(),
            }),
            RawEvent::Fork(crate::event::Fork {
                ts: 1,
                tgid: 2,
                tid: 3,
                child_tgid: 4,
                child_tid: 5,
                shares_files: true,
                shares_fs: false,
            }),
            RawEvent::Exit(crate::event::Exit {
                ts: 6,
                tgid: 7,
                tid: 7,
                group_dead: true,
                code: 9 << 8,
                superseded_by: Some(8),
            }),
            RawEvent::Signal(crate::event::Signal {
                ts: 10,
                tgid: 11,
                tid: 12,
                sig: 19,
                after_call: true,
                info: None,
                group_stop: true,
                ip: None,
            }),
            RawEvent::Signal(crate::event::Signal {
                ts: 10,
                tgid: 11,
                tid: 12,
                sig: 17,
                after_call: false,
                info: Some([7; tracer_common::SIGINFO_SIZE]),
                group_stop: false,
                ip: Some(0x7f00_0000_5678),
            }),
            RawEvent::Adopt {
                ts: 13,
                tgid: 14,
                name: "pgbouncer".into(),
            },
            RawEvent::Detached(crate::event::RawSyscall {
                has_enter_record: true,
                ..crate::event::RawSyscall::whole(16, 59, [0; 6], 0, Vec::new())
            }),
            RawEvent::Tls(crate::event::TlsCall {
                ts_enter: 15,
                ts_exit: 16,
                tgid: 17,
                tid: 18,
                func: tracer_common::TLS_SSL_WRITE,
                fd: Some(4),
                ssl: 0x10,
                buf: 0x20,
                num: 5,
                ret: 5,
                done: 5,
                data: b"hello".to_vec(),
                truncated: false,
                faulted: true,
            }),
        ];
        for event in events {
            let bytes = encode_event(2, &event).expect("a record");
            assert_eq!(bytes.len() % 8, 0, "{event:?}");
            let parsed = wire::parse_record(&bytes).expect("parses");
            assert_eq!((parsed.lost_before, parsed.event), (2, event));
        }
        assert_eq!(encode_event(0, &RawEvent::Lost { count: 1 }), None);
    }
}
