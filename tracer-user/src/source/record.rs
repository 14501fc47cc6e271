//! Recording raw ring-buffer records to a file (`--record FILE`) and reading them back, so a
//! trace can be decoded again later or elsewhere without root: how the golden tests get real
//! kernel records. Format: for each record, its length as a little-endian u32, then its bytes.

use std::{
    fs::File,
    io::{self, BufWriter, Write},
    path::Path,
};

use anyhow::{Context, Result, bail};

use crate::{event::RawEvent, source::wire};

pub struct Recorder {
    out: BufWriter<File>,
}

impl Recorder {
    pub fn create(path: &Path) -> Result<Self> {
        let file =
            File::create(path).with_context(|| format!("failed to create {}", path.display()))?;
        Ok(Self {
            out: BufWriter::new(file),
        })
    }

    pub fn write(&mut self, record: &[u8]) -> io::Result<()> {
        self.out.write_all(&(record.len() as u32).to_le_bytes())?;
        self.out.write_all(record)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The events of a recording, in order, loss markers included.
pub fn events(data: &[u8]) -> Result<Vec<RawEvent>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let Some((len, tail)) = rest.split_first_chunk::<4>() else {
            bail!("recording ends inside a length");
        };
        let len = u32::from_le_bytes(*len) as usize;
        if tail.len() < len {
            bail!("recording ends inside a record");
        }
        let parsed = wire::parse_record(&tail[..len])?;
        if parsed.lost_before != 0 {
            out.push(RawEvent::Lost {
                count: u64::from(parsed.lost_before),
            });
        }
        out.push(parsed.event);
        rest = &tail[len..];
    }
    Ok(out)
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
}
