//! ioctl, as strace 6.1 prints it: the request by name (every name the UAPI headers give that
//! number, joined by ` or `), `_IOC(dir, type, nr, size)` only for numbers without one, and
//! the argument decoded for the common requests. The argument of any other request is a
//! number in hex, as strace prints what it does not decode.

pub(super) use super::ioctl_shape::{Dev, Shape};
use super::ioctl_shape::{Form, SHAPES};
use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::{i32_at, u16_at, u32_at, u64_at},
        enum_value,
        flags::{flags, named},
        ioctl_blk, ioctl_chardev, ioctl_dev, ioctl_dm, ioctl_evdev, ioctl_fdreq, ioctl_fsx,
        ioctl_kvm, ioctl_mtd, ioctl_number, ioctl_scsi, ioctl_sock, ioctl_uffd, ioctl_v4l2,
        termios::{modem_lines, termios},
    },
    tables::{ioctl_args_gen::FS_FLAGS, ioctl_names, proc_tail_gen::CLONE_FLAGS},
};

/// Socket requests (type 0x89) strace's sock_ioctl leaves to the driver, printing the argument
/// in hex; every other one's argument is an address (`NULL`).
const SOCK_PRIVATE: &[&str] = &["SIOCPROTOPRIVATE", "SIOCDEVPRIVATE"];

/// Requests whose successful return is a new fd that strace prints bare (`= 4`), though the
/// fd table learns it (`-y` names it in the calls that follow): term.c and sock.c do not
/// return `RVAL_FD` for them.
const HANDS_BARE_FD: &[&str] = &["TIOCGPTPEER", "SIOCGSKNS"];

/// Whether ioctl request `req` returns a new fd (shown as one or not).
pub fn returns_fd(req: u32) -> bool {
    ioctl_names(req).iter().any(|(_, n)| {
        HANDS_BARE_FD.contains(n)
            || ioctl_kvm::RETURNS_FD.contains(n)
            || matches!(shape_of(n), Some(Shape::NewFd))
    })
}

/// How request `name`'s argument is shown, when it is decoded.
fn shape_of(name: &str) -> Option<Shape> {
    SHAPES
        .iter()
        .chain(ioctl_scsi::SHAPES)
        .chain(ioctl_fdreq::SHAPES)
        .chain(ioctl_kvm::SHAPES)
        .chain(ioctl_uffd::SHAPES)
        .chain(ioctl_fsx::SHAPES)
        .chain(ioctl_dm::SHAPES)
        .chain(ioctl_v4l2::SHAPES)
        .chain(ioctl_mtd::SHAPES)
        .chain(ioctl_chardev::SHAPES)
        .find(|(s, _)| *s == name)
        .map(|(_, shape)| *shape)
}

/// Rewrites ioctl's request and argument.
pub fn finish(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let req = ctx.arg(1) as u32;
    let names = ioctl_names(req);
    sc.args.truncate(1);
    if ioctl_evdev::is_evdev(req) {
        let joined: Vec<&str> = names.iter().map(|(_, n)| *n).collect();
        let name = ioctl_evdev::request(req).or_else(|| {
            (!names.is_empty())
                .then(|| super::flags::constant(Arg::Hex(u64::from(req)), joined.join(" or ")))
        });
        if let Some(name) = name {
            sc.args.push(name);
            let arg = ioctl_evdev::argument(ctx, req, &joined);
            sc.args.push(arg.unwrap_or(Arg::Hex(ctx.arg(2))));
            return;
        }
    }
    // strace prints the macro it builds first, then the table's names.
    let built = ioctl_number::request_macro(req);
    if names.is_empty() {
        sc.args.push(match built {
            Some(name) => super::flags::constant(Arg::Hex(u64::from(req)), name),
            None => ioctl_number::ioc_code(req),
        });
        sc.args.push(Arg::Hex(ctx.arg(2)));
        return;
    }
    let joined: Vec<&str> = names.iter().map(|(_, n)| *n).collect();
    let shown: Vec<&str> = built
        .as_deref()
        .into_iter()
        .chain(joined.iter().copied())
        .collect();
    sc.args.push(super::flags::constant(
        Arg::Hex(u64::from(req)),
        shown.join(" or "),
    ));
    if let Some((name, set)) = names.iter().find_map(|(_, n)| {
        ioctl_sock::IFREQ_REQUESTS
            .iter()
            .find(|(r, _)| r == n)
            .copied()
    }) {
        let value = ctx.arg(2);
        let decoded = ctx
            .data(2)
            .filter(|_| value != 0)
            .and_then(|d| ioctl_sock::ifreq(name, set, ctx.failed(), d));
        sc.args.push(decoded.unwrap_or(Arg::Ptr(value)));
        return;
    }
    if joined.contains(&"SIOCGIFCONF") {
        let ifconf = ctx
            .data(2)
            .and_then(|d| ioctl_sock::ifconf(d, ctx.failed()));
        sc.args.push(ifconf.unwrap_or(Arg::Ptr(ctx.arg(2))));
        return;
    }
    let shape = names.iter().find_map(|(_, n)| shape_of(n));
    match shape {
        Some(Shape::None) => {}
        Some(Shape::NewFd) => {
            if let Ret::Value(fd) = sc.ret {
                sc.ret = Ret::Fd(fd as i32);
            }
        }
        Some(Shape::NsType) => {
            if let Ret::Value(v) = sc.ret
                && let Some(name) = CLONE_FLAGS.name(v as u64)
            {
                sc.ret_extra = Some(Arg::sym(name));
            }
        }
        Some(shape) => sc.args.push(argument(ctx, shape)),
        None if (req >> 8) & 0xff == 0x89 && !joined.iter().any(|n| SOCK_PRIVATE.contains(n)) => {
            sc.args.push(Arg::Ptr(ctx.arg(2)));
        }
        None => sc.args.push(Arg::Hex(ctx.arg(2))),
    }
    // kvm.c's RVAL_FD: `-y` names the new VM's and vCPU's fds.
    if names.iter().any(|(_, n)| ioctl_kvm::RETURNS_FD.contains(n))
        && let Ret::Value(fd) = sc.ret
    {
        sc.ret = Ret::Fd(fd as i32);
    }
}

/// The argument of a decoded request.
fn argument(ctx: &Ctx<'_>, shape: Shape) -> Arg {
    let value = ctx.arg(2);
    let read = |written: bool| {
        ctx.data(2)
            .filter(|_| !(written && ctx.failed()))
            .filter(|_| value != 0)
    };
    let decoded = match shape {
        Shape::None | Shape::NewFd | Shape::NsType | Shape::Addr => None,
        Shape::Hex => Some(Arg::Hex(value)),
        Shape::FlagsValue(table) => Some(flags(table, value)),
        Shape::FdValue => Some(Arg::Fd(value as i32)),
        Shape::Value => Some(Arg::UInt(u64::from(value as u32))),
        Shape::ULongValue => Some(Arg::UInt(value)),
        Shape::With(decode) => read(false).and_then(|d| decode(ctx, d)),
        Shape::OrHex(decode) => {
            let decoded = read(false).and_then(|d| decode(ctx, d));
            Some(decoded.unwrap_or(Arg::Hex(value)))
        }
        Shape::DevIn(dev) | Shape::DevOut(dev) => {
            let written = matches!(shape, Shape::DevOut(_));
            read(written).and_then(|d| device_struct(ctx, dev, d, written))
        }
        Shape::Out(decode) => read(true).and_then(|d| decode(ctx, d)),
        Shape::IntValue => Some(Arg::Int(i64::from(value as u32 as i32))),
        Shape::Form(form) => Some(match form {
            Form::Sound => ioctl_blk::kiocsound(value),
            Form::Tone => ioctl_blk::kdmktone(value),
            Form::DefaultLeds => ioctl_blk::kd_default_leds(value),
            Form::Nice => ioctl_blk::ide_nice(value),
            Form::SigAccept => match value < 0x7fff_ffff {
                true => crate::decode::signal(value),
                false => Arg::UInt(value),
            },
            Form::Port => ioctl_blk::kd_port(value),
        }),
        Shape::Action(table) => Some(enum_value(table, u64::from(value as u32))),
        Shape::LongAction(table) => Some(enum_value(table, value)),
        Shape::IntAction(table) => {
            let v = value as u32 as i32;
            Some(named(table, u64::from(v as u32)).unwrap_or_else(|| {
                let marked = Arg::Commented(
                    Box::new(Arg::Int(i64::from(v))),
                    format!("{}???", table.prefix),
                );
                Arg::constant(Arg::Int(i64::from(v)), marked)
            }))
        }
        Shape::ByteFlags(table) => Some(flags(table, value & 0xff)),
        Shape::UidOut => read(true)
            .and_then(|d| u32_at(d, 0))
            .map(|v| Arg::boxed(Arg::UInt(u64::from(v)))),
        Shape::IntIn | Shape::IntOut => read(matches!(shape, Shape::IntOut))
            .and_then(|d| i32_at(d, 0))
            .map(|v| Arg::boxed(Arg::Int(i64::from(v)))),
        Shape::ULongIn | Shape::ULongOut => read(matches!(shape, Shape::ULongOut))
            .and_then(|d| u64_at(d, 0))
            .map(|v| Arg::boxed(Arg::UInt(v))),
        Shape::FlagsIn | Shape::FlagsOut => read(matches!(shape, Shape::FlagsOut))
            .and_then(|d| u32_at(d, 0))
            .map(|v| Arg::boxed(flags(FS_FLAGS, u64::from(v)))),
        Shape::Char => read(false).map(|d| Arg::str(&d[..1.min(d.len())], false)),
        Shape::WinsizeIn | Shape::WinsizeOut => {
            read(matches!(shape, Shape::WinsizeOut)).and_then(winsize)
        }
        Shape::TermiosIn(layout) => read(false).and_then(|d| termios(d, layout, ctx.abbrev())),
        Shape::TermiosOut(layout) => read(true).and_then(|d| termios(d, layout, ctx.abbrev())),
        Shape::ModemIn | Shape::ModemOut => {
            read(matches!(shape, Shape::ModemOut)).and_then(modem_lines)
        }
    };
    decoded.unwrap_or(Arg::Ptr(value))
}

/// A device struct; `written`: the kernel wrote it (the call succeeded).
fn device_struct(ctx: &Ctx<'_>, dev: Dev, d: &[u8], written: bool) -> Option<Arg> {
    match dev {
        Dev::RandPool => ioctl_dev::rand_pool_info(ctx, d),
        Dev::RtcTime => ioctl_dev::rtc_time(ctx, d),
        Dev::RtcWkalrm => ioctl_dev::rtc_wkalrm(ctx, d),
        Dev::RtcPll => ioctl_dev::rtc_pll_info(d),
        Dev::RtcVl => ioctl_dev::rtc_vl(d),
        Dev::Fsxattr => ioctl_sock::fsxattr(d, written),
        Dev::LoopInfo => ioctl_blk::loop_info(ctx, d),
        Dev::LoopInfo64 => ioctl_blk::loop_info64(ctx, d),
        Dev::LoopConfig => ioctl_blk::loop_config(ctx, d),
        Dev::HdGeometry => ioctl_blk::hd_geometry(d),
        Dev::Fiemap => ioctl_blk::fiemap(d, ctx.failed()),
        Dev::U64Pair => ioctl_blk::u64_pair(d),
        Dev::UShort => u16_at(d, 0).map(|v| Arg::boxed(Arg::UInt(u64::from(v)))),
        Dev::UInt => u32_at(d, 0).map(|v| Arg::boxed(Arg::UInt(u64::from(v)))),
        Dev::TraceSetup => ioctl_blk::blk_user_trace_setup(d, ctx.failed()),
        Dev::KbdRepeat => ioctl_blk::kbd_repeat(d, ctx.failed()),
        Dev::KeyCode(get) => ioctl_blk::kbkeycode(d, get && !ctx.failed()),
        Dev::UnimapInit => ioctl_blk::unimapinit(d),
        Dev::HexTable(len) => ioctl_blk::hex_table(ctx, d, len),
        Dev::Str => ioctl_blk::name_string(ctx, d),
        Dev::CStr => ioctl_blk::c_string(ctx, d),
    }
}

fn winsize(d: &[u8]) -> Option<Arg> {
    let f = |at: usize| u16_at(d, at).map(|v| Arg::UInt(u64::from(v)));
    Some(Arg::Struct {
        fields: vec![
            ("ws_row", f(0)?),
            ("ws_col", f(2)?),
            ("ws_xpixel", f(4)?),
            ("ws_ypixel", f(6)?),
        ],
        more: false,
    })
}
