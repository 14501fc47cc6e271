//! How each ioctl request's argument is shown: the `Shape` kinds and the table of the
//! requests ioctl.rs decodes itself (the families' modules keep tables of their own).

use crate::{
    decode::{Arg, Ctx, ioctl_blk, termios::Layout},
    tables::{
        flags::Xlat,
        ioctl_args_gen::{
            HDIO_BUSSTATES, KBD_META, KBD_MODES, KD_LEDS, KD_MODES, TCFLSH_QUEUES, TCXONC_ACTIONS,
        },
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
pub(super) const SHAPES: &[(&str, Shape)] = &[
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
