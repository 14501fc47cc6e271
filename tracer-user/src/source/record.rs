//! Recording raw ring-buffer records to a file (`--record FILE`) and reading them back, so a
//! trace can be decoded again later or elsewhere without root: how the golden tests get real
//! kernel records. Format: for each record, its length as a little-endian u32, then its bytes.
//! A record is never longer than the kernel builds one (`MAX_RECORD`), so a recording is read
//! as a stream, one bounded record at a time, whatever its size.

use std::{
    fs::File,
    io::{self, BufWriter, Read, Write},
    path::Path,
};

use anyhow::{Result, bail};
use tracer_common::MAX_RECORD;

use crate::{event::RawEvent, source::wire};

pub struct Recorder {
    out: BufWriter<File>,
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
                match wire::encode_event(lost_before, masked.as_ref().unwrap_or(event)) {
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
                "byte {}: a record of {len} bytes, longer than any record tracer writes                  ({MAX_RECORD} bytes)",
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
        assert!(err.contains("longer than any record"), "{err}");
    }
}
