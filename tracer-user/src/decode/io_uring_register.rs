//! io_uring_register's argument by opcode, as strace 6.1's io_uring.c prints it: the
//! buffers' iovecs (addresses only), the fd arrays, the files-update struct and the fds it
//! points to, the probe (what the caller passed when not all zero, else what the kernel
//! wrote), the restrictions, the rsrc register and update structs (their data and tags arrays
//! and the bytes past the struct that are not zero), the io-wq affinity mask, the max-workers
//! counts before and after, the ring fds; any other opcode's argument as its address.
//!
//! The argument is captured whole or not at all (`tracer_common::uring_arg_size`): an array
//! not all readable prints as its address, where strace prints its readable head.

use super::{
    Arg, Ctx, Syscall,
    bytes::{i32_at, u16_at, u32_at, u64_at},
    flags::{constant, flags},
    structs::{cpu_set, nonzero_tail},
};
use crate::tables::flags::Xlat;
use crate::tables::io_uring_gen::{
    IO_WQ_ACCT, IORING_OP_FLAGS, IORING_OPS, IORING_REGISTER_OPCODES, IORING_RESTRICTION_OPCODES,
    IORING_RSRC_REGISTER_FLAGS, IOSQE_FLAGS,
};

/// The free slot the data array an rsrc or files-update struct points to is read into.
pub const DATA_SLOT: usize = 4;
/// The free slot the tags array of an rsrc struct is read into.
pub const TAGS_SLOT: usize = 5;

/// `IORING_REGISTER_FILES_SKIP`: an fd slot a files update leaves as it is.
const FILES_SKIP: i32 = -2;

/// io_uring_register(fd, opcode, arg, nr_args).
pub fn register(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let arg = argument(ctx, ctx.arg(1) as u32, ctx.arg(3) as u32);
    if let Some(slot) = sc.args.get_mut(2) {
        *slot = arg;
    }
}

/// The argument for `opcode`.
fn argument(ctx: &Ctx<'_>, opcode: u32, nargs: u32) -> Arg {
    let addr = ctx.arg(2);
    let count = u64::from(nargs);
    let input = input(ctx);
    let array =
        |unit: usize, item: &dyn Fn(&[u8]) -> Arg| array(ctx, addr, input, count, unit, item);
    match opcode {
        0 => array(16, &iovec),
        2 | 4 | 7 => array(4, &|e| Arg::Fd(i32_le(e))),
        6 => files_update(ctx, addr, input),
        8 => probe(ctx, addr, nargs),
        11 => array(16, &|e| restriction(e)),
        13 | 15 if nargs >= tracer_common::URING_RSRC_SIZE => rsrc(ctx, addr, input, opcode, nargs),
        14 | 16 if nargs >= tracer_common::URING_RSRC_SIZE => rsrc(ctx, addr, input, opcode, nargs),
        17 => match input {
            _ if addr == 0 => Arg::Ptr(0),
            Some(d) => cpu_set(d),
            None => Arg::Ptr(addr),
        },
        19 => max_workers(ctx, addr, input, count),
        20 => array(16, &ring_fd),
        21 => array(16, &ring_fd_unregister),
        _ => Arg::Ptr(addr),
    }
}

/// What the caller passed: the argument as the call started (else as it ended, for a call
/// seen from its end only); None when it could not be read.
fn input<'a>(ctx: &'a Ctx<'_>) -> Option<&'a [u8]> {
    match ctx.blob_at_enter(2) {
        Some(b) => (!b.faulted).then_some(b.data.as_slice()),
        None => ctx.data(2),
    }
}

/// strace's print_array over `count` entries of `unit` bytes: NULL, `[]` for none, the
/// address when they could not be read, at most `-s` of them.
fn array(
    ctx: &Ctx<'_>,
    addr: u64,
    data: Option<&[u8]>,
    count: u64,
    unit: usize,
    item: &dyn Fn(&[u8]) -> Arg,
) -> Arg {
    if addr == 0 {
        return Arg::Ptr(0);
    }
    if count == 0 {
        return Arg::Array {
            items: Vec::new(),
            more: false,
        };
    }
    let Some(d) = data.filter(|d| !d.is_empty()) else {
        return Arg::Ptr(addr);
    };
    let items: Vec<Arg> = d
        .chunks_exact(unit)
        .take(ctx.array_limit())
        .map(item)
        .collect();
    let more = (items.len() as u64) < count;
    Arg::Array { items, more }
}

/// The array an rsrc or files-update struct points to (`slot`), at `ptr`, of `count`
/// entries.
fn pointed(
    ctx: &Ctx<'_>,
    slot: usize,
    ptr: u64,
    count: u64,
    unit: usize,
    item: &dyn Fn(&[u8]) -> Arg,
) -> Arg {
    array(ctx, ptr, ctx.data(slot), count, unit, item)
}

fn i32_le(e: &[u8]) -> i32 {
    i32_at(e, 0).unwrap_or(0)
}

/// `{iov_base=0x7ffc..., iov_len=16}`: a registered buffer, its address only.
fn iovec(e: &[u8]) -> Arg {
    Arg::Struct {
        fields: vec![
            ("iov_base", Arg::Ptr(u64_at(e, 0).unwrap_or(0))),
            ("iov_len", Arg::UInt(u64_at(e, 8).unwrap_or(0))),
        ],
        more: false,
    }
}

/// A files update's fd: `IORING_REGISTER_FILES_SKIP` for -2, below that the number.
fn update_fd(e: &[u8]) -> Arg {
    match i32_le(e) {
        FILES_SKIP => constant(Arg::Int(FILES_SKIP.into()), "IORING_REGISTER_FILES_SKIP"),
        fd if fd < -1 => Arg::Int(fd.into()),
        fd => Arg::Fd(fd),
    }
}

/// A value of `table` printed in decimal (strace's PRINT_FIELD_XVAL_U): `62 /* IORING_OP_???
/// */` when unknown.
fn value_u(table: Xlat, v: u64) -> Arg {
    match table.name(v) {
        Some(name) => constant(Arg::UInt(v), name),
        None => Arg::constant(
            Arg::UInt(v),
            Arg::Commented(Box::new(Arg::UInt(v)), table.unknown_marker()),
        ),
    }
}

/// A value of `table` printed in hex (PRINT_FIELD_XVAL): `0x3c /* IORING_OP_??? */`.
fn value_x(table: Xlat, v: u64) -> Arg {
    super::enum_value(table, v)
}

/// `field=0x...` when the value is not zero (strace's reserved fields).
fn nonzero(fields: &mut Vec<(&'static str, Arg)>, name: &'static str, v: u64) {
    if v != 0 {
        fields.push((name, Arg::Hex(v)));
    }
}

/// `struct io_uring_files_update`: `{offset=1, fds=[7]}`.
fn files_update(ctx: &Ctx<'_>, addr: u64, input: Option<&[u8]>) -> Arg {
    let Some(d) = input.filter(|d| d.len() >= 16) else {
        return Arg::Ptr(addr);
    };
    let mut fields = vec![("offset", Arg::UInt(u32_at(d, 0).unwrap_or(0).into()))];
    nonzero(&mut fields, "resv", u32_at(d, 4).unwrap_or(0).into());
    let fds = u64_at(d, 8).unwrap_or(0);
    fields.push((
        "fds",
        pointed(
            ctx,
            DATA_SLOT,
            fds,
            u64::from(ctx.arg(3) as u32),
            4,
            &update_fd,
        ),
    ));
    Arg::Struct {
        fields,
        more: false,
    }
}

/// `struct io_uring_restriction`: its opcode and the operand it restricts.
fn restriction(e: &[u8]) -> Arg {
    let opcode = u64::from(u16_at(e, 0).unwrap_or(0));
    let operand = u64::from(e[2]);
    let mut fields = vec![("opcode", value_x(IORING_RESTRICTION_OPCODES, opcode))];
    match opcode {
        0 => fields.push(("register_op", value_x(IORING_REGISTER_OPCODES, operand))),
        1 => fields.push(("sqe_op", value_x(IORING_OPS, operand))),
        2 | 3 => fields.push(("sqe_flags", flags(IOSQE_FLAGS, operand))),
        // strace's comment after the unknown opcode: `/* op: 0x5 */`.
        _ => {
            let (name, value) = fields.pop().expect("the opcode");
            fields.push((
                name,
                Arg::Commented(Box::new(value), format!("op: {operand:#x}")),
            ));
        }
    }
    nonzero(&mut fields, "resv", u64::from(e[3]));
    let resv2: Vec<u64> = (0..3)
        .map(|k| u64::from(u32_at(e, 4 + 4 * k).unwrap_or(0)))
        .collect();
    if resv2.iter().any(|&v| v != 0) {
        let items = resv2.into_iter().map(xint).collect();
        fields.push(("resv2", Arg::Array { items, more: false }));
    }
    Arg::Struct {
        fields,
        more: false,
    }
}

/// strace's print_xint_array_member: `0`, else in hex.
fn xint(v: u64) -> Arg {
    match v {
        0 => Arg::UInt(0),
        v => Arg::Hex(v),
    }
}

/// `IORING_REGISTER_PROBE`'s `struct io_uring_probe`: printed when the call starts if the
/// caller did not zero it (the kernel then refuses it), else as the call ends, what the
/// kernel wrote; a failed call's zeroed probe, or one of more than 256 ops, as its address.
fn probe(ctx: &Ctx<'_>, addr: u64, nargs: u32) -> Arg {
    if nargs > tracer_common::URING_PROBE_MAX_OPS || addr == 0 {
        return Arg::Ptr(addr);
    }
    let Some(before) = input(ctx) else {
        return Arg::Ptr(addr);
    };
    let given = before.iter().any(|&b| b != 0);
    if given {
        let shown = probe_struct(ctx, before, nargs, false);
        return match ctx.failed() {
            true => shown,
            false => match ctx.data(2) {
                Some(after) => Arg::Changed(
                    Box::new(shown),
                    Box::new(probe_struct(ctx, after, nargs, true)),
                ),
                None => shown,
            },
        };
    }
    match ctx.data(2) {
        Some(after) if !ctx.failed() => probe_struct(ctx, after, nargs, true),
        _ => Arg::Ptr(addr),
    }
}

/// The probe struct: `done` as the kernel wrote it (its `ops_len` ops, at most `nargs`).
fn probe_struct(ctx: &Ctx<'_>, d: &[u8], nargs: u32, done: bool) -> Arg {
    let last_op = u64::from(d.first().copied().unwrap_or(0));
    let ops_len = u32::from(d.get(1).copied().unwrap_or(0));
    let mut fields = vec![
        ("last_op", value_u(IORING_OPS, last_op)),
        ("ops_len", Arg::UInt(ops_len.into())),
    ];
    nonzero(&mut fields, "resv", u64::from(u16_at(d, 2).unwrap_or(0)));
    let resv2: Vec<u64> = (0..3)
        .map(|k| u64::from(u32_at(d, 4 + 4 * k).unwrap_or(0)))
        .collect();
    if resv2.iter().any(|&v| v != 0) {
        let items = resv2.into_iter().map(xint).collect();
        fields.push(("resv2", Arg::Array { items, more: false }));
    }
    let shown = if done { ops_len.min(nargs) } else { nargs };
    let ops: Vec<Arg> = d
        .get(16..)
        .unwrap_or_default()
        .as_chunks::<8>()
        .0
        .iter()
        .take(shown as usize)
        .take(ctx.array_limit())
        .map(|e| probe_op(e))
        .collect();
    let more = (ops.len() as u32) < shown || (done && nargs < ops_len);
    fields.push(("ops", Arg::Array { items: ops, more }));
    Arg::Struct {
        fields,
        more: false,
    }
}

/// `struct io_uring_probe_op`: `{op=IORING_OP_NOP, flags=IO_URING_OP_SUPPORTED}`.
fn probe_op(e: &[u8]) -> Arg {
    let mut fields = vec![("op", value_u(IORING_OPS, u64::from(e[0])))];
    nonzero(&mut fields, "resv", u64::from(e[1]));
    fields.push((
        "flags",
        flags(IORING_OP_FLAGS, u64::from(u16_at(e, 2).unwrap_or(0))),
    ));
    nonzero(&mut fields, "resv2", u64::from(u32_at(e, 4).unwrap_or(0)));
    Arg::Struct {
        fields,
        more: false,
    }
}

/// `struct io_uring_rsrc_register` (FILES2, BUFFERS2) and `struct io_uring_rsrc_update2`
/// (FILES_UPDATE2, BUFFERS_UPDATE), `size` bytes of it.
fn rsrc(ctx: &Ctx<'_>, addr: u64, input: Option<&[u8]>, opcode: u32, size: u32) -> Arg {
    let Some(d) = input.filter(|d| d.len() >= 32) else {
        return Arg::Ptr(addr);
    };
    let register = matches!(opcode, 13 | 15);
    let (nr, data_ptr, tags_ptr) = match register {
        true => (u32_at(d, 0), u64_at(d, 16), u64_at(d, 24)),
        false => (u32_at(d, 24), u64_at(d, 8), u64_at(d, 16)),
    };
    let nr = u64::from(nr.unwrap_or(0));
    let mut fields = Vec::new();
    if register {
        fields.push(("nr", Arg::UInt(nr)));
        let f = u64::from(u32_at(d, 4).unwrap_or(0));
        fields.push(("flags", flags(IORING_RSRC_REGISTER_FLAGS, f)));
        nonzero(&mut fields, "resv2", u64_at(d, 8).unwrap_or(0));
    } else {
        fields.push(("offset", Arg::UInt(u32_at(d, 0).unwrap_or(0).into())));
        nonzero(&mut fields, "resv", u32_at(d, 4).unwrap_or(0).into());
    }
    let data_ptr = data_ptr.unwrap_or(0);
    let data = match opcode {
        13 => pointed(ctx, DATA_SLOT, data_ptr, nr, 4, &|e| Arg::Fd(i32_le(e))),
        14 => pointed(ctx, DATA_SLOT, data_ptr, nr, 4, &update_fd),
        _ => pointed(ctx, DATA_SLOT, data_ptr, nr, 16, &iovec),
    };
    fields.push(("data", data));
    let tags = pointed(ctx, TAGS_SLOT, tags_ptr.unwrap_or(0), nr, 8, &|e| {
        xint(u64_at(e, 0).unwrap_or(0))
    });
    fields.push(("tags", tags));
    if !register {
        fields.push(("nr", Arg::UInt(nr)));
        nonzero(&mut fields, "resv2", u32_at(d, 28).unwrap_or(0).into());
    }
    if let Some(tail) = nonzero_tail(ctx, d, 32, u64::from(size)) {
        fields.push(("", tail));
    }
    Arg::Struct {
        fields,
        more: false,
    }
}

/// `IORING_REGISTER_IOWQ_MAX_WORKERS`: the counts by worker kind as the call starts, and as
/// it ends (its address when it failed): `[[IO_WQ_BOUND]=0, [IO_WQ_UNBOUND]=0] => [...]`.
fn max_workers(ctx: &Ctx<'_>, addr: u64, input: Option<&[u8]>, count: u64) -> Arg {
    let indexed = |d: &[u8]| {
        let items: Vec<Arg> = d
            .as_chunks::<4>()
            .0
            .iter()
            .take(ctx.array_limit())
            .enumerate()
            .map(|(k, e)| {
                let index = value_u(IO_WQ_ACCT, k as u64);
                Arg::Indexed(
                    Box::new(index),
                    Box::new(Arg::UInt(u32_at(e, 0).unwrap_or(0).into())),
                )
            })
            .collect();
        let more = (items.len() as u64) < count;
        Arg::Array { items, more }
    };
    let before = array(ctx, addr, input, count, 4, &|_| Arg::UInt(0));
    // Printed as an array (not NULL, its address or `[]`): the counts the kernel wrote follow.
    if !matches!(&before, Arg::Array { items, .. } if !items.is_empty()) {
        return before;
    }
    let before = indexed(input.unwrap_or_default());
    let after = match ctx.data(2) {
        Some(d) if !ctx.failed() && !d.is_empty() => indexed(d),
        _ => Arg::Ptr(addr),
    };
    Arg::Changed(Box::new(before), Box::new(after))
}

/// `IORING_REGISTER_RING_FDS`' `struct io_uring_rsrc_update`: `{offset=-1, data=3}`.
fn ring_fd(e: &[u8]) -> Arg {
    let offset = u32_at(e, 0).unwrap_or(0);
    let offset = match offset {
        u32::MAX => Arg::Int(-1),
        v => Arg::UInt(v.into()),
    };
    let mut fields = vec![("offset", offset)];
    nonzero(&mut fields, "resv", u32_at(e, 4).unwrap_or(0).into());
    fields.push(("data", Arg::Fd(u64_at(e, 8).unwrap_or(0) as i32)));
    Arg::Struct {
        fields,
        more: false,
    }
}

/// `IORING_UNREGISTER_RING_FDS`' entries: the offset, `data` only when not zero.
fn ring_fd_unregister(e: &[u8]) -> Arg {
    let mut fields = vec![("offset", Arg::UInt(u32_at(e, 0).unwrap_or(0).into()))];
    nonzero(&mut fields, "resv", u32_at(e, 4).unwrap_or(0).into());
    nonzero(&mut fields, "data", u64_at(e, 8).unwrap_or(0));
    Arg::Struct {
        fields,
        more: false,
    }
}
