//! The aio calls as strace 6.1's aio.c prints them: io_submit's `struct iocb` pointers and
//! the iocbs they point to, io_cancel's iocb header and io_event, io_getevents' and
//! io_pgetevents' io_event arrays.

use crate::{
    decode::{
        Arg, Ctx,
        bytes::{self, i64_at, u16_at, u32_at, u64_at},
        flags::flags,
    },
    tables::{
        aio_gen::{IOCB_CMDS, IOCB_FLAGS},
        longtail_gen::RWF_FLAGS,
        xlat::POLL_EVENTS,
    },
};

use tracer_common::IOCB_SIZE;

/// Bytes of a `struct io_event`.
pub const IO_EVENT_SIZE: usize = 32;

const IOCB_CMD_PWRITE: u16 = 1;
const IOCB_CMD_POLL: u16 = 5;
const IOCB_CMD_PREADV: u16 = 7;
const IOCB_CMD_PWRITEV: u16 = 8;
const IOCB_FLAG_RESFD: u32 = 1;
const IOCB_FLAG_IOPRIO: u32 = 2;

/// An opcode by name, standing for its number in decimal (strace's `XLAT_STYLE_FMT_U`):
/// `IOCB_CMD_PREAD`, `77 /* IOCB_CMD_??? */`. 4 is strace's `IOCB_CMD_PREADX` (its
/// aio_cmds.in; the header keeps only a comment for it).
fn opcode(op: u16) -> Arg {
    let number = Arg::UInt(u64::from(op));
    let name = match op {
        4 => Some("IOCB_CMD_PREADX"),
        _ => IOCB_CMDS.name(u64::from(op)),
    };
    match name {
        Some(name) => super::flags::constant(number, name),
        None => Arg::constant(
            number.clone(),
            Arg::Commented(Box::new(number), "IOCB_CMD_???".into()),
        ),
    }
}

/// A `struct iocb`: strace's print_iocb_header (data, key and rw_flags when set, the
/// opcode, the priority when set, the fd), then with `body` what the opcode uses: the
/// buffer, its length and the offset for reads and writes (a write's bytes, `buffer`,
/// when they were read; else, and for the vectored calls, whose iovecs are not captured,
/// the address), poll's events, and the flags and eventfd when set.
pub fn iocb(d: &[u8], body: Option<(&Ctx<'_>, &[u8])>) -> Option<Arg> {
    let data = u64_at(d, 0)?;
    let key = u32_at(d, 8)?;
    let rw_flags = u32_at(d, 12)?;
    let op = u16_at(d, 16)?;
    let reqprio = u16_at(d, 18)? as i16;
    let fildes = u32_at(d, 20)?;
    let buf = u64_at(d, 24)?;
    let nbytes = u64_at(d, 32)?;
    let offset = i64_at(d, 40)?;
    let aio_flags = u32_at(d, 56)?;
    let resfd = u32_at(d, 60)?;
    let mut fields = vec![("aio_data", Arg::Hex(data))];
    if key != 0 {
        fields.push(("aio_key", Arg::UInt(u64::from(key))));
    }
    if rw_flags != 0 {
        fields.push(("aio_rw_flags", flags(RWF_FLAGS, u64::from(rw_flags))));
    }
    fields.push(("aio_lio_opcode", opcode(op)));
    if aio_flags & IOCB_FLAG_IOPRIO != 0 {
        fields.push((
            "aio_reqprio",
            super::misc::ioprio_value(u32::from(reqprio as u16)),
        ));
    } else if reqprio != 0 {
        fields.push(("aio_reqprio", Arg::Int(i64::from(reqprio))));
    }
    fields.push(("aio_fildes", Arg::Fd(fildes as i32)));
    let Some((ctx, buffer)) = body else {
        return Some(Arg::Struct {
            fields,
            more: false,
        });
    };
    let common = match op {
        0 | IOCB_CMD_PWRITE => {
            // strace's printstrn of a length it takes as valid; nothing captured: the bytes
            // could not be read.
            let shown = op == IOCB_CMD_PWRITE
                && (nbytes as i64) >= 0
                && (!buffer.is_empty() || nbytes == 0);
            let value = match shown {
                true => ctx.data_arg(buffer, nbytes > buffer.len() as u64),
                false => Arg::Hex(buf),
            };
            fields.push(("aio_buf", value));
            fields.push(("aio_nbytes", Arg::UInt(nbytes)));
            true
        }
        IOCB_CMD_PREADV | IOCB_CMD_PWRITEV => {
            fields.push(("aio_buf", Arg::Hex(buf)));
            fields.push(("aio_nbytes", Arg::UInt(nbytes)));
            true
        }
        IOCB_CMD_POLL => {
            fields.push(("aio_buf", flags(POLL_EVENTS, buf)));
            false
        }
        _ => {
            return Some(Arg::Struct {
                fields,
                more: false,
            });
        }
    };
    if common {
        fields.push(("aio_offset", Arg::Int(offset)));
    }
    if aio_flags != 0 {
        fields.push(("aio_flags", flags(IOCB_FLAGS, u64::from(aio_flags))));
    }
    if aio_flags & IOCB_FLAG_RESFD != 0 {
        fields.push(("aio_resfd", Arg::Fd(resfd as i32)));
    } else if resfd != 0 {
        fields.push(("aio_resfd", Arg::Hex(u64::from(resfd))));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// io_submit's iocb pointer array (argument `i`, `count` of them): each iocb, `NULL`, or
/// the address of one that cannot be read; the array's address when it cannot be read or
/// the count is negative, `[]` for none.
pub fn iocbs(ctx: &Ctx<'_>, i: usize, count: u64) -> Arg {
    let ptr = ctx.arg(i);
    if (count as i64) < 0 {
        return Arg::Ptr(ptr);
    }
    if count == 0 {
        return Arg::Array {
            items: Vec::new(),
            more: false,
        };
    }
    let Some(b) = ctx
        .blob_kind(i, tracer_common::CAP_IOVEC)
        .filter(|b| bytes::iovec_readable(&b.data))
    else {
        return Arg::Ptr(ptr);
    };
    let all = bytes::iovec_items(&b.data);
    let limit = ctx.array_limit();
    let faulted = u32::from(tracer_common::BLOB_FAULTED);
    let items: Vec<Arg> =
        all.iter()
            .take(limit)
            .map(|item| {
                let d = &b.data[item.data.clone()];
                match item.base {
                    0 => Arg::Ptr(0),
                    base if item.flags & faulted != 0 || d.len() < IOCB_SIZE => Arg::Ptr(base),
                    base => iocb(&d[..IOCB_SIZE], Some((ctx, &d[IOCB_SIZE..])))
                        .unwrap_or(Arg::Ptr(base)),
                }
            })
            .collect();
    Arg::Array {
        more: b.truncated || count > all.len() as u64 || all.len() > items.len(),
        items,
    }
}

/// A `struct io_event`: `{data=0x..., obj=0x..., res=16, res2=0}`.
pub fn io_event(d: &[u8], at: usize) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("data", Arg::Hex(u64_at(d, at)?)),
            ("obj", Arg::Hex(u64_at(d, at + 8)?)),
            ("res", Arg::Int(i64_at(d, at + 16)?)),
            ("res2", Arg::Int(i64_at(d, at + 24)?)),
        ],
        more: false,
    })
}

/// io_getevents/io_pgetevents' events: the `count` the call returned, at most `limit`.
pub fn io_events(d: &[u8], limit: usize, count: u64) -> Arg {
    let n = d.len() / IO_EVENT_SIZE;
    Arg::Array {
        items: (0..n.min(limit))
            .filter_map(|k| io_event(d, k * IO_EVENT_SIZE))
            .collect(),
        more: n > limit || count > n as u64,
    }
}

#[cfg(test)]
mod tests {
    use tracer_common::{ArrayHeader, CAP_FIXED, CAP_IOVEC, IovecEntry, wire::push};

    use super::*;
    use crate::{decode::tests::line, event::Blob};

    const P: u64 = 0x7ffd_0000;

    /// An iocb: data, opcode, priority, fd, buffer, length, offset.
    fn iocb_bytes(data: u64, op: u16, prio: i16, fd: i32, buf: u64, n: u64, off: i64) -> Vec<u8> {
        let mut d = vec![0u8; IOCB_SIZE];
        d[0..8].copy_from_slice(&data.to_le_bytes());
        d[16..18].copy_from_slice(&op.to_le_bytes());
        d[18..20].copy_from_slice(&prio.to_le_bytes());
        d[20..24].copy_from_slice(&fd.to_le_bytes());
        d[24..32].copy_from_slice(&buf.to_le_bytes());
        d[32..40].copy_from_slice(&n.to_le_bytes());
        d[40..48].copy_from_slice(&off.to_le_bytes());
        d
    }

    /// The capture of an iocb pointer array: (pointer, slot bytes or None when unreadable).
    fn iocbs_blob(items: &[(u64, Option<Vec<u8>>)]) -> Blob {
        let slot = 80;
        let mut data = Vec::new();
        let head = ArrayHeader {
            count: items.len() as u32,
            flags: 0,
            slot,
            _pad0: 0,
        };
        push(&mut data, &head);
        let mut slots = Vec::new();
        for (base, bytes) in items {
            let mut s = bytes.clone().unwrap_or_default();
            let entry = IovecEntry {
                base: *base,
                len: IOCB_SIZE as u64,
                captured: s.len() as u32,
                flags: if bytes.is_none() { 1 } else { 0 },
            };
            push(&mut data, &entry);
            s.resize(slot as usize, 0);
            slots.extend_from_slice(&s);
        }
        data.extend_from_slice(&slots);
        Blob::at_exit(2, CAP_IOVEC, data)
    }

    #[test]
    fn io_submit_prints_each_iocb_as_strace() {
        let read = iocb_bytes(0xfeed, 0, 0, 3, P, 16, 0);
        let mut write = iocb_bytes(1, 1, -3, -1, P + 64, 5, -1);
        write.extend_from_slice(b"hello");
        let unknown = iocb_bytes(0, 77, 0, 7, 0, 0, 0);
        let blob = iocbs_blob(&[
            (P, Some(read)),
            (P + 8, Some(write)),
            (P + 16, Some(unknown)),
            (0, None),
            (P + 24, None),
        ]);
        assert_eq!(
            line(209, [P, 5, P, 0, 0, 0], 5, vec![blob]),
            "io_submit(0x7ffd0000, 5, [{aio_data=0xfeed, aio_lio_opcode=IOCB_CMD_PREAD, \
             aio_fildes=3, aio_buf=0x7ffd0000, aio_nbytes=16, aio_offset=0}, {aio_data=0x1, \
             aio_lio_opcode=IOCB_CMD_PWRITE, aio_reqprio=-3, aio_fildes=-1, aio_buf=\"hello\", \
             aio_nbytes=5, aio_offset=-1}, {aio_data=0, aio_lio_opcode=77 /* IOCB_CMD_??? */, \
             aio_fildes=7}, NULL, 0x7ffd0018]) = 5"
        );
        // A negative count, none, an array that cannot be read.
        assert_eq!(
            line(209, [P, u64::MAX, P, 0, 0, 0], -22, vec![]),
            "io_submit(0x7ffd0000, -1, 0x7ffd0000) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(209, [P, 0, P, 0, 0, 0], 0, vec![]),
            "io_submit(0x7ffd0000, 0, []) = 0"
        );
        assert_eq!(
            line(209, [P, 2, P, 0, 0, 0], -14, vec![]),
            "io_submit(0x7ffd0000, 2, 0x7ffd0000) = -1 EFAULT (Bad address)"
        );
    }

    #[test]
    fn events_contexts_and_cancels_as_strace() {
        let fixed = |arg, data: Vec<u8>| Blob::at_exit(arg, CAP_FIXED, data);
        let mut ev = Vec::new();
        for v in [0xfeed_u64, P, 16, 0] {
            ev.extend_from_slice(&v.to_le_bytes());
        }
        let ts: Vec<u8> = [0u64, 5].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(
            line(
                208,
                [P, 1, 4, P, P + 64, 0],
                1,
                vec![fixed(3, ev.clone()), fixed(4, ts.clone())]
            ),
            "io_getevents(0x7ffd0000, 1, 4, [{data=0xfeed, obj=0x7ffd0000, res=16, res2=0}], \
             {tv_sec=0, tv_nsec=5}) = 1"
        );
        assert_eq!(
            line(208, [P, 0, 4, P, P + 64, 0], 0, vec![fixed(4, ts)]),
            "io_getevents(0x7ffd0000, 0, 4, [], {tv_sec=0, tv_nsec=5}) = 0"
        );
        assert_eq!(
            line(
                206,
                [4, P, 0, 0, 0, 0],
                0,
                vec![fixed(1, P.to_le_bytes().to_vec())]
            ),
            "io_setup(4, [0x7ffd0000]) = 0"
        );
        let cb = iocb_bytes(0xdead, 0, 99, -42, 0, 0, 0);
        assert_eq!(
            line(
                210,
                [P, P, P + 64, 0, 0, 0],
                0,
                vec![fixed(1, cb), fixed(2, ev)]
            ),
            "io_cancel(0x7ffd0000, {aio_data=0xdead, aio_lio_opcode=IOCB_CMD_PREAD, \
             aio_reqprio=99, aio_fildes=-42}, {data=0xfeed, obj=0x7ffd0000, res=16, res2=0}) = 0"
        );
    }
}
