//! ioctl, as strace 6.1 prints it: the request by name (every name the UAPI headers give that
//! number, joined by ` or `), `_IOC(dir, type, nr, size)` only for numbers without one, and
//! the argument decoded for the common requests. The argument of any other request is a
//! number in hex, as strace prints what it does not decode.

use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::{i32_at, u16_at, u32_at, u64_at},
        enum_value,
        flags::{flags, named},
        ioctl_blk, ioctl_chardev, ioctl_dev, ioctl_dm, ioctl_evdev, ioctl_fdreq, ioctl_fsx,
        ioctl_kvm, ioctl_mtd, ioctl_number, ioctl_scsi, ioctl_sock, ioctl_uffd, ioctl_v4l2,
        termios::{Layout, modem_lines, termios},
    },
    tables::{
        flags::Xlat,
        ioctl_args_gen::{
            FS_FLAGS, HDIO_BUSSTATES, KBD_META, KBD_MODES, KD_LEDS, KD_MODES, TCFLSH_QUEUES,
            TCXONC_ACTIONS,
        },
        ioctl_names,
        proc_tail_gen::CLONE_FLAGS,
    },
};

/// How a request's argument is shown.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    /// No argument (FIOCLEX, TIOCNOTTY, BLKFLSBUF, ...).
    None,
    /// The value in hex, as any request strace does not decode.
    Hex,
    /// Flags passed by value (`PERF_IOC_FLAG_GROUP`).
    FlagsValue(Xlat),
    /// An fd passed by value.
    FdValue,
    /// An unsigned 64-bit number the kernel reads (`[1000]`).
    ULongIn,
    /// A number passed by value, decimal.
    Value,
    /// A C int passed by value (`-1`).
    IntValue,
    /// A named value passed by value (TCXONC, TCFLSH).
    Action(Xlat),
    /// The same, all 64 bits (HDIO_SET_BUSSTATE's `0xffffffffffffffff /* BUSSTATE_??? */`).
    LongAction(Xlat),
    /// The same, an unknown one as a C int (KDSKBMODE's `-1 /* K_??? */`).
    IntAction(Xlat),
    /// Flags in the argument's low byte (KDSETLED).
    ByteFlags(Xlat),
    /// An int the kernel reads (`[5]`, even when the call fails).
    IntIn,
    /// An int the kernel writes (`[5]` on success, the address on failure).
    IntOut,
    /// An unsigned long the kernel writes.
    ULongOut,
    /// Inode flags the kernel reads / writes.
    FlagsIn,
    FlagsOut,
    /// A one-byte string (TIOCSTI).
    Char,
    /// struct winsize, read or written by the kernel.
    WinsizeIn,
    WinsizeOut,
    /// struct termios/termios2/termio, read or written by the kernel.
    TermiosIn(Layout),
    TermiosOut(Layout),
    /// Modem lines (TIOCM_*), read or written by the kernel.
    ModemIn,
    ModemOut,
    /// No argument; returns a new fd, which `-y` names (nsfs.c's `RVAL_FD`).
    NewFd,
    /// No argument; returns a `CLONE_NEW*` namespace type (`= 1073741824 (CLONE_NEWNET)`).
    NsType,
    /// A uid the kernel writes (`[0]`).
    UidOut,
    /// An address the kernel does not read.
    Addr,
    /// An unsigned long passed by value, decimal (RTC_IRQP_SET).
    ULongValue,
    /// A struct of a device ioctl (decode/ioctl_dev.rs), read (`In`) or written (`Out`).
    DevIn(Dev),
    DevOut(Dev),
    /// A value with a form of its own (decode/ioctl_blk.rs).
    Form(Form),
    /// A struct its own module decodes from what was captured (`None`: its address).
    With(StructFn),
    /// The same, the number in hex when not decoded (dm.c's `0` for NULL).
    OrHex(StructFn),
    /// The same, decoded only once the call succeeded (what the kernel writes).
    Out(StructFn),
}

/// Decodes a request's argument from its captured bytes (ioctl_kvm.rs, ioctl_uffd.rs, ...).
pub(super) type StructFn = fn(&Ctx<'_>, &[u8]) -> Option<Arg>;

/// Values strace prints in a form of their own request's.
#[derive(Clone, Copy)]
pub(super) enum Form {
    /// KIOCSOUND: `4096 /* 291 Hz */`.
    Sound,
    /// KDMKTONE: `100<<16|4096 /* 291 Hz, 100 ms */`.
    Tone,
    /// KDSKBLED: `LED_NUM|LED_CAP<<4`.
    DefaultLeds,
    /// HDIO_SET_NICE: `1 << IDE_NICE_1`.
    Nice,
    /// KDSIGACCEPT: a signal below INT_MAX (`SIGUSR1`), else the number.
    SigAccept,
    /// KDADDIO/KDDELIO: a port in hex, `0x3b4 /* GPFIRST + 0 */`.
    Port,
}

/// The structs of device ioctls.
#[derive(Clone, Copy)]
pub(super) enum Dev {
    RandPool,
    RtcTime,
    RtcWkalrm,
    RtcPll,
    RtcVl,
    Fsxattr,
    LoopInfo,
    LoopInfo64,
    LoopConfig,
    HdGeometry,
    Fiemap,
    U64Pair,
    UShort,
    UInt,
    TraceSetup,
    KbdRepeat,
    /// struct kbkeycode; `true`: a get (the kernel writes the keycode).
    KeyCode(bool),
    UnimapInit,
    /// A table of this many bytes, as a hex string (`"\x01\x01"...`).
    HexTable(usize),
    /// A NUL-terminated string (a bridge's name).
    Str,
    /// A NUL-terminated string cut at `-s` (a perf filter).
    CStr,
}

/// The requests whose argument is decoded, by name.
const SHAPES: &[(&str, Shape)] = &[
    ("FIOCLEX", Shape::None),
    ("FIONCLEX", Shape::None),
    ("TIOCNOTTY", Shape::None),
    ("TIOCEXCL", Shape::None),
    ("TIOCNXCL", Shape::None),
    ("TIOCCBRK", Shape::None),
    ("TIOCSBRK", Shape::None),
    ("TIOCCONS", Shape::None),
    ("TIOCVHANGUP", Shape::None),
    ("TIOCSSERIAL", Shape::None),
    ("BLKFLSBUF", Shape::None),
    ("BLKRRPART", Shape::None),
    ("FIFREEZE", Shape::None),
    ("FITHAW", Shape::None),
    ("TCSBRK", Shape::IntValue),
    ("TCSBRKP", Shape::IntValue),
    ("TIOCSCTTY", Shape::IntValue),
    ("BLKRASET", Shape::Value),
    ("BLKFRASET", Shape::Value),
    // strace prints FICLONE's source fd as a number (no -y path).
    ("FICLONE", Shape::Value),
    ("TCXONC", Shape::Action(TCXONC_ACTIONS)),
    ("TCFLSH", Shape::Action(TCFLSH_QUEUES)),
    ("FIONBIO", Shape::IntIn),
    ("FIOASYNC", Shape::IntIn),
    ("TIOCSPGRP", Shape::IntIn),
    ("TIOCSPTLCK", Shape::IntIn),
    ("TIOCSETD", Shape::IntIn),
    ("TIOCPKT", Shape::IntIn),
    ("TIOCSSOFTCAR", Shape::IntIn),
    ("BLKROSET", Shape::IntIn),
    ("BLKBSZSET", Shape::IntIn),
    ("FIONREAD", Shape::IntOut),
    ("TIOCOUTQ", Shape::IntOut),
    ("TIOCGPGRP", Shape::IntOut),
    ("TIOCGSID", Shape::IntOut),
    ("TIOCGPTN", Shape::IntOut),
    ("TIOCGETD", Shape::IntOut),
    ("TIOCGSOFTCAR", Shape::IntOut),
    ("TIOCGEXCL", Shape::IntOut),
    ("TIOCGDEV", Shape::IntOut),
    ("BLKROGET", Shape::IntOut),
    ("BLKSSZGET", Shape::IntOut),
    ("BLKBSZGET", Shape::IntOut),
    // block.c
    ("BLKPBSZGET", Shape::DevOut(Dev::UInt)),
    ("BLKIOMIN", Shape::DevOut(Dev::UInt)),
    ("BLKIOOPT", Shape::DevOut(Dev::UInt)),
    ("BLKDISCARDZEROES", Shape::DevOut(Dev::UInt)),
    ("BLKGETZONESZ", Shape::DevOut(Dev::UInt)),
    ("BLKGETNRZONES", Shape::DevOut(Dev::UInt)),
    ("BLKALIGNOFF", Shape::IntOut),
    ("BLKSECTGET", Shape::DevOut(Dev::UShort)),
    ("BLKROTATIONAL", Shape::DevOut(Dev::UShort)),
    ("BLKDISCARD", Shape::DevIn(Dev::U64Pair)),
    ("BLKSECDISCARD", Shape::DevIn(Dev::U64Pair)),
    ("BLKZEROOUT", Shape::DevIn(Dev::U64Pair)),
    ("BLKTRACESETUP", Shape::DevIn(Dev::TraceSetup)),
    ("BLKTRACESTART", Shape::None),
    ("BLKTRACESTOP", Shape::None),
    ("BLKTRACETEARDOWN", Shape::None),
    ("BLKGETSIZE", Shape::ULongOut),
    ("BLKGETSIZE64", Shape::ULongOut),
    ("BLKRAGET", Shape::ULongOut),
    ("BLKFRAGET", Shape::ULongOut),
    ("FS_IOC_SETFLAGS", Shape::FlagsIn),
    ("FS_IOC_GETFLAGS", Shape::FlagsOut),
    ("TIOCSTI", Shape::Char),
    ("TIOCSWINSZ", Shape::WinsizeIn),
    ("TIOCGWINSZ", Shape::WinsizeOut),
    ("TCSETS", Shape::TermiosIn(Layout::Termios)),
    ("TCSETSW", Shape::TermiosIn(Layout::Termios)),
    ("TCSETSF", Shape::TermiosIn(Layout::Termios)),
    ("TIOCSLCKTRMIOS", Shape::TermiosIn(Layout::Termios)),
    ("TCGETS", Shape::TermiosOut(Layout::Termios)),
    ("TIOCGLCKTRMIOS", Shape::TermiosOut(Layout::Termios)),
    ("TCSETS2", Shape::TermiosIn(Layout::Termios2)),
    ("TCSETSW2", Shape::TermiosIn(Layout::Termios2)),
    ("TCSETSF2", Shape::TermiosIn(Layout::Termios2)),
    ("TCGETS2", Shape::TermiosOut(Layout::Termios2)),
    ("TCSETA", Shape::TermiosIn(Layout::Termio)),
    ("TCSETAW", Shape::TermiosIn(Layout::Termio)),
    ("TCSETAF", Shape::TermiosIn(Layout::Termio)),
    ("TCGETA", Shape::TermiosOut(Layout::Termio)),
    ("TIOCMBIS", Shape::ModemIn),
    ("TIOCMBIC", Shape::ModemIn),
    ("TIOCMSET", Shape::ModemIn),
    ("TIOCMGET", Shape::ModemOut),
    // Its argument is unused; strace prints it as an address (`NULL`).
    ("SIOCGSKNS", Shape::Addr),
    ("NS_GET_USERNS", Shape::NewFd),
    ("NS_GET_PARENT", Shape::NewFd),
    ("NS_GET_NSTYPE", Shape::NsType),
    ("NS_GET_OWNER_UID", Shape::UidOut),
    // random_ioctl.c
    ("RNDGETENTCNT", Shape::IntOut),
    ("RNDADDTOENTCNT", Shape::IntIn),
    ("RNDADDENTROPY", Shape::DevIn(Dev::RandPool)),
    ("RNDZAPENTCNT", Shape::None),
    ("RNDCLEARPOOL", Shape::None),
    ("RNDRESEEDCRNG", Shape::None),
    // watchdog_ioctl.c (6.1 leaves WDIOC_GETSUPPORT and WDIOC_SETOPTIONS in hex)
    ("WDIOC_GETSTATUS", Shape::IntOut),
    ("WDIOC_GETBOOTSTATUS", Shape::IntOut),
    ("WDIOC_GETTEMP", Shape::IntOut),
    ("WDIOC_GETTIMEOUT", Shape::IntOut),
    ("WDIOC_GETPRETIMEOUT", Shape::IntOut),
    ("WDIOC_GETTIMELEFT", Shape::IntOut),
    ("WDIOC_SETTIMEOUT", Shape::IntIn),
    ("WDIOC_SETPRETIMEOUT", Shape::IntIn),
    ("WDIOC_KEEPALIVE", Shape::None),
    // rtc.c
    ("RTC_RD_TIME", Shape::DevOut(Dev::RtcTime)),
    ("RTC_ALM_READ", Shape::DevOut(Dev::RtcTime)),
    ("RTC_SET_TIME", Shape::DevIn(Dev::RtcTime)),
    ("RTC_ALM_SET", Shape::DevIn(Dev::RtcTime)),
    ("RTC_IRQP_SET", Shape::ULongValue),
    ("RTC_EPOCH_SET", Shape::ULongValue),
    ("RTC_IRQP_READ", Shape::ULongOut),
    ("RTC_EPOCH_READ", Shape::ULongOut),
    ("RTC_WKALM_RD", Shape::DevOut(Dev::RtcWkalrm)),
    ("RTC_WKALM_SET", Shape::DevIn(Dev::RtcWkalrm)),
    ("RTC_PLL_GET", Shape::DevOut(Dev::RtcPll)),
    ("RTC_PLL_SET", Shape::DevIn(Dev::RtcPll)),
    ("RTC_VL_READ", Shape::DevOut(Dev::RtcVl)),
    ("RTC_AIE_ON", Shape::None),
    ("RTC_AIE_OFF", Shape::None),
    ("RTC_UIE_ON", Shape::None),
    ("RTC_UIE_OFF", Shape::None),
    ("RTC_PIE_ON", Shape::None),
    ("RTC_PIE_OFF", Shape::None),
    ("RTC_WIE_ON", Shape::None),
    ("RTC_WIE_OFF", Shape::None),
    ("RTC_VL_CLR", Shape::None),
    // loop.c: fds and numbers by value; the status structs (168 and 232 bytes, captured
    // whole: tracer_common::ioctl_arg_size).
    ("LOOP_SET_FD", Shape::IntValue),
    ("LOOP_CHANGE_FD", Shape::IntValue),
    ("LOOP_CTL_ADD", Shape::IntValue),
    ("LOOP_CTL_REMOVE", Shape::IntValue),
    ("LOOP_SET_DIRECT_IO", Shape::ULongValue),
    ("LOOP_SET_BLOCK_SIZE", Shape::ULongValue),
    ("LOOP_CLR_FD", Shape::None),
    ("LOOP_SET_CAPACITY", Shape::None),
    ("LOOP_CTL_GET_FREE", Shape::None),
    ("LOOP_SET_STATUS", Shape::DevIn(Dev::LoopInfo)),
    ("LOOP_GET_STATUS", Shape::DevOut(Dev::LoopInfo)),
    ("LOOP_SET_STATUS64", Shape::DevIn(Dev::LoopInfo64)),
    ("LOOP_GET_STATUS64", Shape::DevOut(Dev::LoopInfo64)),
    ("LOOP_CONFIGURE", Shape::DevIn(Dev::LoopConfig)),
    // hdio.c: the HDIO_SET_* values unsigned, the rest pointers.
    ("HDIO_SET_MULTCOUNT", Shape::ULongValue),
    ("HDIO_SET_UNMASKINTR", Shape::ULongValue),
    ("HDIO_SET_KEEPSETTINGS", Shape::ULongValue),
    ("HDIO_SET_32BIT", Shape::ULongValue),
    ("HDIO_SET_NOWERR", Shape::ULongValue),
    ("HDIO_SET_DMA", Shape::ULongValue),
    ("HDIO_SET_PIO_MODE", Shape::ULongValue),
    ("HDIO_SET_WCACHE", Shape::ULongValue),
    ("HDIO_SET_ACOUSTIC", Shape::ULongValue),
    ("HDIO_SET_ADDRESS", Shape::ULongValue),
    ("HDIO_UNREGISTER_HWIF", Shape::ULongValue),
    ("HDIO_GETGEO", Shape::DevOut(Dev::HdGeometry)),
    ("HDIO_SET_NICE", Shape::Form(Form::Nice)),
    ("HDIO_GET_UNMASKINTR", Shape::Addr),
    ("HDIO_GET_MULTCOUNT", Shape::Addr),
    ("HDIO_OBSOLETE_IDENTITY", Shape::Addr),
    ("HDIO_GET_KEEPSETTINGS", Shape::Addr),
    ("HDIO_GET_32BIT", Shape::Addr),
    ("HDIO_GET_NOWERR", Shape::Addr),
    ("HDIO_GET_DMA", Shape::Addr),
    ("HDIO_GET_NICE", Shape::Addr),
    ("HDIO_GET_IDENTITY", Shape::Addr),
    ("HDIO_GET_WCACHE", Shape::Addr),
    ("HDIO_GET_ACOUSTIC", Shape::Addr),
    ("HDIO_GET_ADDRESS", Shape::Addr),
    ("HDIO_GET_BUSSTATE", Shape::Addr),
    ("HDIO_DRIVE_RESET", Shape::Addr),
    ("HDIO_DRIVE_CMD", Shape::Addr),
    ("HDIO_SCAN_HWIF", Shape::Addr),
    // kd.c: no argument, a value, or a pointer.
    ("KDENABIO", Shape::None),
    ("KDDISABIO", Shape::None),
    ("KDMAPDISP", Shape::None),
    ("KDUNMAPDISP", Shape::None),
    ("PIO_FONTRESET", Shape::None),
    ("KIOCSOUND", Shape::Form(Form::Sound)),
    ("KDSIGACCEPT", Shape::Form(Form::SigAccept)),
    ("KDADDIO", Shape::Form(Form::Port)),
    ("KDDELIO", Shape::Form(Form::Port)),
    ("KDKBDREP", Shape::DevIn(Dev::KbdRepeat)),
    ("KDSETKEYCODE", Shape::DevIn(Dev::KeyCode(false))),
    ("KDGETKEYCODE", Shape::DevIn(Dev::KeyCode(true))),
    ("PIO_UNIMAPCLR", Shape::DevIn(Dev::UnimapInit)),
    (
        "PIO_CMAP",
        Shape::DevIn(Dev::HexTable(ioctl_blk::CMAP_SIZE)),
    ),
    (
        "GIO_CMAP",
        Shape::DevOut(Dev::HexTable(ioctl_blk::CMAP_SIZE)),
    ),
    (
        "PIO_SCRNMAP",
        Shape::DevIn(Dev::HexTable(ioctl_blk::E_TABSZ)),
    ),
    (
        "GIO_SCRNMAP",
        Shape::DevOut(Dev::HexTable(ioctl_blk::E_TABSZ)),
    ),
    ("SIOCBRADDBR", Shape::DevIn(Dev::Str)),
    ("SIOCBRDELBR", Shape::DevIn(Dev::Str)),
    ("KDMKTONE", Shape::Form(Form::Tone)),
    ("KDSKBLED", Shape::Form(Form::DefaultLeds)),
    ("KDSETMODE", Shape::Action(KD_MODES)),
    ("KDSKBMODE", Shape::IntAction(KBD_MODES)),
    ("KDSKBMETA", Shape::Action(KBD_META)),
    ("KDSETLED", Shape::ByteFlags(KD_LEDS)),
    ("HDIO_SET_BUSSTATE", Shape::LongAction(HDIO_BUSSTATES)),
    ("GIO_FONT", Shape::Addr),
    ("PIO_FONT", Shape::Addr),
    ("GIO_FONTX", Shape::Addr),
    ("PIO_FONTX", Shape::Addr),
    ("KDGETLED", Shape::Addr),
    ("KDGKBTYPE", Shape::Addr),
    ("KDGETMODE", Shape::Addr),
    ("GIO_UNISCRNMAP", Shape::Addr),
    ("PIO_UNISCRNMAP", Shape::Addr),
    ("GIO_UNIMAP", Shape::Addr),
    ("PIO_UNIMAP", Shape::Addr),
    ("KDGKBMODE", Shape::Addr),
    ("KDGKBMETA", Shape::Addr),
    ("KDGKBLED", Shape::Addr),
    ("KDGKBENT", Shape::Addr),
    ("KDSKBENT", Shape::Addr),
    ("KDGKBSENT", Shape::Addr),
    ("KDSKBSENT", Shape::Addr),
    ("KDGKBDIACR", Shape::Addr),
    ("KDSKBDIACR", Shape::Addr),
    ("KDGKBDIACRUC", Shape::Addr),
    ("KDSKBDIACRUC", Shape::Addr),
    ("KDFONTOP", Shape::Addr),
    // sock.c: the owner as an int; any other socket request's argument an address (below).
    ("FIOSETOWN", Shape::IntIn),
    ("SIOCSPGRP", Shape::IntIn),
    ("FIOGETOWN", Shape::IntOut),
    ("SIOCGPGRP", Shape::IntOut),
    ("SIOCATMARK", Shape::IntOut),
    ("SIOCGIFENCAP", Shape::IntOut),
    ("SIOCOUTQNSD", Shape::IntOut),
    ("SIOCSIFENCAP", Shape::IntIn),
    // file_ioctl.c, fs_x_ioctl.c: fiemap read as the call ends (what the kernel read, then
    // what it wrote); the others in ioctl_fsx.rs.
    ("FS_IOC_FIEMAP", Shape::DevIn(Dev::Fiemap)),
    ("FS_IOC_FSGETXATTR", Shape::DevOut(Dev::Fsxattr)),
    ("FS_IOC_FSSETXATTR", Shape::DevIn(Dev::Fsxattr)),
];

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
