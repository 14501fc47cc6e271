//! The key management calls as strace 6.1's keyctl.c prints them: keyring serials by name
//! (`KEY_SPEC_SESSION_KEYRING`, else the number as an int), `add_key`'s payload as a buffer of
//! its length, `request_key`'s strings, and keyctl's command followed by exactly the arguments
//! that command takes (`keyctl(KEYCTL_SETPERM, 123, KEY_POS_ALL|KEY_USR_VIEW)`); unknown
//! commands with four hex arguments. Tables generated from `linux/keyctl.h` and keyutils.h.

use super::{Arg, Ctx, Syscall, buffer, enum_value, flags, quota::uid, string};
use crate::tables::{
    errno,
    keyctl_gen::{KEY_PERMS, KEY_REQKEYS, KEY_SPEC, KEYCTL_CMDS, KEYCTL_MOVE_FLAGS},
    proc_tail_gen::{KEYCTL_CAPS0, KEYCTL_CAPS1},
};

const GET_KEYRING_ID: u32 = 0;
const JOIN_SESSION_KEYRING: u32 = 1;
const UPDATE: u32 = 2;
const REVOKE: u32 = 3;
const CHOWN: u32 = 4;
const SETPERM: u32 = 5;
const DESCRIBE: u32 = 6;
const CLEAR: u32 = 7;
const LINK: u32 = 8;
const UNLINK: u32 = 9;
const SEARCH: u32 = 10;
const READ: u32 = 11;
const INSTANTIATE: u32 = 12;
const NEGATE: u32 = 13;
const SET_REQKEY_KEYRING: u32 = 14;
const SET_TIMEOUT: u32 = 15;
const ASSUME_AUTHORITY: u32 = 16;
const GET_SECURITY: u32 = 17;
const SESSION_TO_PARENT: u32 = 18;
const REJECT: u32 = 19;
const INSTANTIATE_IOV: u32 = 20;
const INVALIDATE: u32 = 21;
const GET_PERSISTENT: u32 = 22;
const DH_COMPUTE: u32 = 23;
const PKEY_QUERY: u32 = 24;
const PKEY_ENCRYPT: u32 = 25;
const PKEY_VERIFY: u32 = 28;
const RESTRICT_KEYRING: u32 = 29;
const MOVE: u32 = 30;
const CAPABILITIES: u32 = 31;

/// A key serial: `KEY_SPEC_*` by name, else the number as a C int (strace's
/// `printxval_d`: `-X raw` prints the number in decimal).
pub fn serial(v: u64) -> Arg {
    let id = v as u32;
    match KEY_SPEC.name(u64::from(id)) {
        Some(name) => flags::constant(Arg::Int(i64::from(id as i32)), name),
        None => Arg::Int(i64::from(id as i32)),
    }
}

/// add_key(type, description, payload, plen, keyring): the payload is `plen` bytes.
pub fn add_key(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if let Some(keyring) = sc.args.get_mut(4) {
        *keyring = serial(ctx.arg(4));
    }
}

/// request_key(type, description, callout_info, keyring).
pub fn request_key(ctx: &Ctx<'_>, sc: &mut Syscall) {
    if let Some(keyring) = sc.args.get_mut(3) {
        *keyring = serial(ctx.arg(3));
    }
}

/// Rewrites keyctl's arguments by command.
pub fn keyctl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let cmd = ctx.arg(0) as u32;
    let a = |i: usize| ctx.arg(i);
    let key = |i: usize| serial(ctx.arg(i));
    let uint = |i: usize| Arg::UInt(u64::from(ctx.arg(i) as u32));
    let ulong = |i: usize| Arg::UInt(ctx.arg(i));
    // arg3 (index 2) as `len` bytes (the capture holds at most `-s` of them).
    let bytes = || buffer(ctx, 2, a(2));
    let mut args = vec![enum_value(KEYCTL_CMDS, u64::from(cmd))];
    args.extend(match cmd {
        GET_KEYRING_ID => vec![key(1), Arg::Int(ctx.int(2))],
        JOIN_SESSION_KEYRING => vec![string(ctx, 1)],
        UPDATE => vec![key(1), bytes(), ulong(3)],
        REVOKE | CLEAR | INVALIDATE | ASSUME_AUTHORITY => vec![key(1)],
        LINK | UNLINK => vec![key(1), key(2)],
        DESCRIBE | READ | GET_SECURITY => vec![key(1), written(ctx, cmd != READ), ulong(3)],
        SEARCH => vec![key(1), c_string(ctx, 2), string(ctx, 3), key(4)],
        CHOWN => vec![key(1), uid(a(2) as u32), uid(a(3) as u32)],
        SETPERM => vec![key(1), flags::flags(KEY_PERMS, u64::from(a(2) as u32))],
        INSTANTIATE => vec![key(1), bytes(), ulong(3), key(4)],
        NEGATE => vec![key(1), uint(2), key(3)],
        SET_REQKEY_KEYRING => vec![reqkey(a(1))],
        SET_TIMEOUT => vec![key(1), uint(2)],
        SESSION_TO_PARENT => vec![],
        REJECT => vec![key(1), uint(2), error(a(3) as u32), key(4)],
        INSTANTIATE_IOV => vec![key(1), Arg::Ptr(a(2)), ulong(3), key(4)],
        GET_PERSISTENT => vec![uid(a(1) as u32), key(2)],
        // The structs are not fetched: their addresses, as strace prints them when it cannot
        // read them.
        DH_COMPUTE => vec![Arg::Ptr(a(1)), Arg::Ptr(a(2)), ulong(3), Arg::Ptr(a(4))],
        PKEY_QUERY => vec![key(1), Arg::Hex(a(2)), string(ctx, 3), Arg::Ptr(a(4))],
        PKEY_ENCRYPT..=PKEY_VERIFY => {
            vec![
                Arg::Ptr(a(1)),
                c_string(ctx, 2),
                Arg::Ptr(a(3)),
                Arg::Ptr(a(4)),
            ]
        }
        RESTRICT_KEYRING => vec![key(1), c_string(ctx, 2), string(ctx, 3)],
        MOVE => vec![
            key(1),
            key(2),
            key(3),
            flags::flags(KEYCTL_MOVE_FLAGS, u64::from(a(4) as u32)),
        ],
        CAPABILITIES => vec![capabilities(ctx), ulong(2)],
        _ => (1..5).map(|i| Arg::Hex(a(i))).collect(),
    });
    sc.args = args;
}

/// A buffer the kernel filled (DESCRIBE, READ, GET_SECURITY): the smaller of what it returned
/// and the buffer's length, without a trailing NUL for the text ones; the address when the
/// call failed.
fn written(ctx: &Ctx<'_>, has_nul: bool) -> Arg {
    let addr = ctx.arg(2);
    let Some(b) = ctx
        .blob(2)
        .filter(|b| !b.faulted && !ctx.failed() && addr != 0)
    else {
        return Arg::Ptr(addr);
    };
    let n = (ctx.raw.ret as u64).min(ctx.arg(3));
    let mut data = &b.data[..b.data.len().min(usize::try_from(n).unwrap_or(usize::MAX))];
    let cut = (data.len() as u64) < n;
    if has_nul && !cut && data.last() == Some(&0) {
        data = &data[..data.len() - 1];
    }
    // A key's payload is data; a description or security label is a name (JSON keeps its
    // `string`).
    match has_nul {
        true => ctx.bytes_arg(data, cut),
        false => ctx.data_arg(data, cut),
    }
}

/// A C string in arg3, whose capture is the buffer kind (UPDATE's payload shares its slot,
/// read as long as arg4 says): the bytes to the first NUL; `"..."...` when `-s` bytes held
/// none; the address when arg4 (a pointer or a small number for these commands) cut the
/// capture before its end.
fn c_string(ctx: &Ctx<'_>, i: usize) -> Arg {
    match ctx.data(i) {
        Some(d) => match d.iter().position(|&b| b == 0) {
            Some(end) => ctx.bytes_arg(&d[..end], false),
            None if d.len() > ctx.opts.strsize => ctx.bytes_arg(d, true),
            None => Arg::Ptr(ctx.arg(i)),
        },
        None => Arg::Ptr(ctx.arg(i)),
    }
}

/// KEYCTL_SET_REQKEY_KEYRING's keyring: `KEY_REQKEY_DEFL_*`, else the int with a marker.
fn reqkey(v: u64) -> Arg {
    let v = v as u32;
    let number = Arg::Int(i64::from(v as i32));
    match KEY_REQKEYS.name(u64::from(v)) {
        Some(name) => flags::constant(number, name),
        None => {
            let marked = Arg::Commented(Box::new(number.clone()), "KEY_REQKEY_DEFL_???".into());
            Arg::constant(number, marked)
        }
    }
}

/// KEYCTL_REJECT's error: its `E*` name, else the number as an int.
fn error(v: u32) -> Arg {
    match errno::lookup(v) {
        Some((name, _)) => flags::constant(Arg::Int(i64::from(v as i32)), name),
        None => Arg::Int(i64::from(v as i32)),
    }
}

/// KEYCTL_CAPABILITIES' bytes once the call succeeded, as strace prints them:
/// `[KEYCTL_CAPS0_CAPABILITIES|..., KEYCTL_CAPS1_NS_KEYRING_NAME|...]`, as many as it wrote
/// and the buffer holds. The buffer is captured as a C string (the row's `CustomStr`): the
/// byte after the string is its NUL, the bytes past that are not known (the address then).
fn capabilities(ctx: &Ctx<'_>) -> Arg {
    let addr = ctx.arg(1);
    let count = (ctx.raw.ret.max(0) as u64).min(ctx.arg(2)) as usize;
    let bytes = ctx
        .blob(1)
        .filter(|b| !b.faulted && !ctx.failed() && addr != 0);
    let Some(known) = bytes.map(|b| [&b.data[..], &[0]].concat()) else {
        return Arg::Ptr(addr);
    };
    if known.len() < count {
        return Arg::Ptr(addr);
    }
    let items = known[..count]
        .iter()
        .enumerate()
        .map(|(i, &b)| match i {
            0 => flags::flags(KEYCTL_CAPS0, u64::from(b)),
            1 => flags::flags(KEYCTL_CAPS1, u64::from(b)),
            _ => Arg::Hex(u64::from(b)),
        })
        .collect();
    Arg::Array { items, more: false }
}

#[cfg(test)]
mod tests {
    use tracer_common::{CAP_BUF_ARG, CAP_CSTR};

    use crate::{decode::tests::line, event::Blob};

    const KEYCTL: u32 = 250;
    const P: u64 = 0x7ffd_0000;

    fn keyctl(args: [u64; 5], ret: i64, blobs: Vec<Blob>) -> String {
        let [a, b, c, d, e] = args;
        line(KEYCTL, [a, b, c, d, e, 0], ret, blobs)
    }

    #[test]
    fn each_command_takes_its_own_arguments() {
        assert_eq!(
            keyctl([0, -2i64 as u64, 1, 7, 7], 12, vec![]),
            "keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1) = 12"
        );
        assert_eq!(
            keyctl([5, 42, 0x3f01_0000, 7, 7], 0, vec![]),
            "keyctl(KEYCTL_SETPERM, 42, KEY_POS_VIEW|KEY_POS_READ|KEY_POS_WRITE|\
             KEY_POS_SEARCH|KEY_POS_LINK|KEY_POS_SETATTR|KEY_USR_VIEW) = 0"
        );
        assert_eq!(
            keyctl([18, 1, 2, 3, 4], 0, vec![]),
            "keyctl(KEYCTL_SESSION_TO_PARENT) = 0"
        );
        assert_eq!(
            keyctl([14, 99, 1, 2, 3], -22, vec![]),
            "keyctl(KEYCTL_SET_REQKEY_KEYRING, 99 /* KEY_REQKEY_DEFL_??? */) = -1 EINVAL \
             (Invalid argument)"
        );
        assert_eq!(
            keyctl([100, 1, 2, 3, u64::MAX], -95, vec![]),
            "keyctl(0x64 /* KEYCTL_??? */, 0x1, 0x2, 0x3, 0xffffffffffffffff) = -1 EOPNOTSUPP \
             (Operation not supported)"
        );
    }

    #[test]
    fn buffers_are_cut_at_what_the_kernel_wrote() {
        let text = b"user;0;0;3f010000;k\0".to_vec();
        let blob = Blob::at_exit(2, CAP_BUF_ARG, text);
        // DESCRIBE: its trailing NUL left out; READ of 3 bytes of a longer key.
        assert_eq!(
            keyctl([6, 9, P, 256, 0], 20, vec![blob.clone()]),
            "keyctl(KEYCTL_DESCRIBE, 9, \"user;0;0;3f010000;k\", 256) = 20"
        );
        assert_eq!(
            keyctl([11, 9, P, 3, 0], 9, vec![blob]),
            "keyctl(KEYCTL_READ, 9, \"use\", 3) = 9"
        );
        // SEARCH: a C string in the buffer's slot, a string after it.
        let search = vec![
            Blob::at_exit(2, CAP_BUF_ARG, b"user\0junk".to_vec()),
            Blob::at_exit(3, CAP_CSTR, b"k".to_vec()),
        ];
        assert_eq!(
            keyctl([10, -2i64 as u64, P, P, 0], 9, search),
            "keyctl(KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING, \"user\", \"k\", 0) = 9"
        );
    }
}
