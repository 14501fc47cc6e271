//! The arguments of block and console ioctls as strace 6.1's loop.c, hdio.c, file_ioctl.c and
//! kd_ioctl.c print them: `struct loop_info`, `struct loop_info64`, `struct loop_config`,
//! `struct hd_geometry`, `struct fiemap` (`{...} => {...}`), and the value forms of
//! KIOCSOUND/KDMKTONE (`4096 /* 291 Hz */`), KDSKBLED (`LED_NUM|LED_CAP<<4`) and HDIO_SET_NICE
//! (`1 << IDE_NICE_1`). Each struct decoder takes the bytes captured for the argument and
//! returns None when they are too few (the caller prints the address).

use std::borrow::Cow;

use crate::{
    decode::{
        Arg, Ctx,
        bytes::{i32_at, u16_at, u32_at, u64_at},
        enum_value,
        flags::flags,
        ioctl_sock::cstring,
        model::Flag,
        stat::dev,
    },
    tables::{
        flags::Xlat,
        ioctl_args_gen::{FIEMAP_FLAGS, IDE_NICE_BITS, KD_LEDS, LO_CRYPT_TYPES, LO_FLAGS},
    },
};

/// LO_NAME_SIZE, LO_KEY_SIZE.
const LO_NAME_SIZE: usize = 64;
const LO_KEY_SIZE: usize = 32;

/// The PIT's input clock (kd_ioctl.c's KERNEL_PIT_TICK_RATE): a tone's divisor's frequency.
const PIT_TICK_RATE: u64 = 1_193_182;

/// Offsets of the `struct loop_info64` fields strace prints.
struct Info64;
impl Info64 {
    const DEVICE: usize = 0;
    const INODE: usize = 8;
    const RDEVICE: usize = 16;
    const OFFSET: usize = 24;
    const SIZELIMIT: usize = 32;
    const NUMBER: usize = 40;
    const ENCRYPT_TYPE: usize = 44;
    const KEY_SIZE: usize = 48;
    const FLAGS: usize = 52;
    const FILE_NAME: usize = 56;
    const CRYPT_NAME: usize = 120;
    const KEY: usize = 184;
    const INIT: usize = 216;
    const SIZE: usize = 232;
}

/// `count` hex words of `width` bytes from `at` (PRINT_FIELD_X_ARRAY: `[0, 0xdead]`).
fn hex_array(d: &[u8], at: usize, width: usize, count: usize) -> Option<Arg> {
    let items = (0..count)
        .map(|i| {
            let at = at + i * width;
            let v = match width {
                1 => u64::from(*d.get(at)?),
                _ => u64_at(d, at)?,
            };
            Some(Arg::Hex(v))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Arg::Array { items, more: false })
}

/// The encryption key: `size` bytes (at most LO_KEY_SIZE) as a string, cut at `-s`.
fn key(ctx: &Ctx<'_>, d: &[u8], at: usize, size: u32) -> Option<Arg> {
    let n = (size as usize).min(LO_KEY_SIZE);
    let bytes = d.get(at..at + n)?;
    let shown = n.min(ctx.opts.strsize);
    Some(Arg::str(&bytes[..shown], shown < n))
}

/// A name in a fixed field of LO_NAME_SIZE bytes.
fn name(d: &[u8], at: usize) -> Option<Arg> {
    Some(cstring(d.get(at..at + LO_NAME_SIZE)?))
}

/// LOOP_SET_STATUS/LOOP_GET_STATUS's `struct loop_info`: `{lo_number=3, lo_offset=0x200,
/// lo_flags=LO_FLAGS_READ_ONLY, lo_name="/tmp/img", ...}`; the encryption fields when a
/// type is set, every field with `-v`.
pub fn loop_info(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if d.len() < 168 {
        return None;
    }
    let full = !ctx.abbrev();
    let encrypt_type = u32_at(d, 36)?;
    let crypt = full || encrypt_type != 0;
    let mut fields = vec![("lo_number", Arg::Int(i64::from(i32_at(d, 0)?)))];
    if full {
        fields.push(("lo_device", dev(u64_at(d, 8)?)));
        fields.push(("lo_inode", Arg::UInt(u64_at(d, 16)?)));
        fields.push(("lo_rdevice", dev(u64_at(d, 24)?)));
    }
    fields.push(("lo_offset", Arg::Hex(u64::from(u32_at(d, 32)?))));
    let key_size = u32_at(d, 40)?;
    if crypt {
        fields.push((
            "lo_encrypt_type",
            enum_value(LO_CRYPT_TYPES, u64::from(encrypt_type)),
        ));
        fields.push(("lo_encrypt_key_size", Arg::UInt(u64::from(key_size))));
    }
    fields.push(("lo_flags", flags(LO_FLAGS, u64::from(u32_at(d, 44)?))));
    fields.push(("lo_name", name(d, 48)?));
    if crypt {
        fields.push(("lo_encrypt_key", key(ctx, d, 112, key_size)?));
    }
    if full {
        fields.push(("lo_init", hex_array(d, 144, 8, 2)?));
        fields.push(("reserved", hex_array(d, 160, 1, 4)?));
    }
    Some(Arg::Struct {
        fields,
        more: !full,
    })
}

/// LOOP_SET_STATUS64/LOOP_GET_STATUS64's `struct loop_info64` (also LOOP_CONFIGURE's
/// `info`): `{lo_offset=0x1000, lo_number=2, lo_flags=..., lo_file_name="...", ...}`.
pub fn loop_info64(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if d.len() < Info64::SIZE {
        return None;
    }
    let full = !ctx.abbrev();
    let u = |at: usize| u64_at(d, at).map(Arg::UInt);
    let u32f = |at: usize| u32_at(d, at).map(|v| Arg::UInt(u64::from(v)));
    let encrypt_type = u32_at(d, Info64::ENCRYPT_TYPE)?;
    let crypt = full || encrypt_type != 0;
    let mut fields = Vec::new();
    if full {
        fields.push(("lo_device", dev(u64_at(d, Info64::DEVICE)?)));
        fields.push(("lo_inode", u(Info64::INODE)?));
        fields.push(("lo_rdevice", dev(u64_at(d, Info64::RDEVICE)?)));
        fields.push(("lo_offset", Arg::Hex(u64_at(d, Info64::OFFSET)?)));
        fields.push(("lo_sizelimit", u(Info64::SIZELIMIT)?));
    } else {
        fields.push(("lo_offset", Arg::Hex(u64_at(d, Info64::OFFSET)?)));
    }
    fields.push(("lo_number", u32f(Info64::NUMBER)?));
    let key_size = u32_at(d, Info64::KEY_SIZE)?;
    if crypt {
        fields.push((
            "lo_encrypt_type",
            enum_value(LO_CRYPT_TYPES, u64::from(encrypt_type)),
        ));
        fields.push(("lo_encrypt_key_size", Arg::UInt(u64::from(key_size))));
    }
    fields.push((
        "lo_flags",
        flags(LO_FLAGS, u64::from(u32_at(d, Info64::FLAGS)?)),
    ));
    fields.push(("lo_file_name", name(d, Info64::FILE_NAME)?));
    if crypt {
        fields.push(("lo_crypt_name", name(d, Info64::CRYPT_NAME)?));
        fields.push(("lo_encrypt_key", key(ctx, d, Info64::KEY, key_size)?));
    }
    if full {
        fields.push(("lo_init", hex_array(d, Info64::INIT, 8, 2)?));
    }
    Some(Arg::Struct {
        fields,
        more: !full,
    })
}

/// LOOP_CONFIGURE's `struct loop_config`: `{fd=5, block_size=4096, info={...}}`, and its
/// `__reserved` words when any is set.
pub fn loop_config(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let info = loop_info64(ctx, d.get(8..)?)?;
    let mut fields = vec![
        ("fd", Arg::Fd(i32_at(d, 0)?)),
        ("block_size", Arg::UInt(u64::from(u32_at(d, 4)?))),
        ("info", info),
    ];
    let reserved = d.get(8 + Info64::SIZE..8 + Info64::SIZE + 64)?;
    if reserved.iter().any(|&b| b != 0) {
        fields.push(("__reserved", hex_array(d, 8 + Info64::SIZE, 8, 8)?));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// HDIO_GETGEO's `struct hd_geometry`: `{heads=4, sectors=63, cylinders=1024, start=0}`.
pub fn hd_geometry(d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("heads", Arg::UInt(u64::from(*d.first()?))),
            ("sectors", Arg::UInt(u64::from(*d.get(1)?))),
            ("cylinders", Arg::UInt(u64::from(u16_at(d, 2)?))),
            ("start", Arg::UInt(u64_at(d, 8)?)),
        ],
        more: false,
    })
}

/// FS_IOC_FIEMAP's `struct fiemap`: what the kernel read (`{fm_start=0, fm_length=...,
/// fm_flags=FIEMAP_FLAG_SYNC, fm_extent_count=2}`), then once the call succeeded what it
/// wrote (` => {fm_flags=..., fm_mapped_extents=1, ...}`; the extents are not captured).
/// Both are read as the call ends: the kernel writes the header back as it read it but for
/// `fm_flags` and `fm_mapped_extents`.
pub fn fiemap(d: &[u8], failed: bool) -> Option<Arg> {
    let fm_flags = || u32_at(d, 16).map(|v| flags(FIEMAP_FLAGS, u64::from(v)));
    let before = Arg::Struct {
        fields: vec![
            ("fm_start", Arg::UInt(u64_at(d, 0)?)),
            ("fm_length", Arg::UInt(u64_at(d, 8)?)),
            ("fm_flags", fm_flags()?),
            ("fm_extent_count", Arg::UInt(u64::from(u32_at(d, 24)?))),
        ],
        more: false,
    };
    if failed {
        return Some(before);
    }
    let after = Arg::Struct {
        fields: vec![
            ("fm_flags", fm_flags()?),
            ("fm_mapped_extents", Arg::UInt(u64::from(u32_at(d, 20)?))),
        ],
        more: true,
    };
    Some(Arg::Changed(Box::new(before), Box::new(after)))
}

/// BLKDISCARD/BLKSECDISCARD/BLKZEROOUT's range: `[4096, 1099511627776]`.
pub fn u64_pair(d: &[u8]) -> Option<Arg> {
    Some(Arg::Array {
        items: vec![Arg::UInt(u64_at(d, 0)?), Arg::UInt(u64_at(d, 8)?)],
        more: false,
    })
}

/// BLKTRACESETUP's `struct blk_user_trace_setup`: what the kernel reads (`{act_mask=65535,
/// buf_size=512, buf_nr=4, start_lba=1, end_lba=1048575, pid=1`), and once the call
/// succeeded the name it wrote (`, name="sda"}`).
pub fn blk_user_trace_setup(d: &[u8], failed: bool) -> Option<Arg> {
    let u32f = |at: usize| u32_at(d, at).map(|v| Arg::UInt(u64::from(v)));
    let mut fields = vec![
        ("act_mask", Arg::UInt(u64::from(u16_at(d, 32)?))),
        ("buf_size", u32f(36)?),
        ("buf_nr", u32f(40)?),
        ("start_lba", Arg::UInt(u64_at(d, 48)?)),
        ("end_lba", Arg::UInt(u64_at(d, 56)?)),
        ("pid", Arg::Pid(i64::from(i32_at(d, 64)?))),
    ];
    if !failed {
        fields.push(("name", cstring(d.get(..32)?)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// GIO_CMAP/PIO_CMAP's colour map (16 RGB triples), GIO_SCRNMAP/PIO_SCRNMAP's screen map
/// (E_TABSZ): the bytes of those tables.
pub const CMAP_SIZE: usize = 48;
pub const E_TABSZ: usize = 256;

/// A table of `len` bytes as a hex string cut at `-s` (`"\x01\x01"...`).
pub fn hex_table(ctx: &Ctx<'_>, d: &[u8], len: usize) -> Option<Arg> {
    let n = len.min(ctx.opts.strsize);
    Some(Arg::Str {
        bytes: d.get(..n)?.to_vec(),
        truncated: n < len,
        hex: true,
        data: false,
    })
}

/// SIOCBRADDBR/SIOCBRDELBR's bridge name: a NUL-terminated string of at most IFNAMSIZ
/// bytes, cut there or at `-s` (`"a-bridge-name-lo"...`).
pub fn name_string(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    const IFNAMSIZ: usize = 16;
    cut_string(d, ctx.opts.strsize.min(IFNAMSIZ))
}

/// A NUL-terminated string of the captured bytes, cut at `-s` (`...`); the address when
/// its end was not captured.
pub fn c_string(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    cut_string(d, ctx.opts.strsize)
}

/// The string up to its NUL when that is within `limit` bytes, else its first `limit` bytes
/// and `...` when more were captured, else None.
fn cut_string(d: &[u8], limit: usize) -> Option<Arg> {
    match d.iter().position(|&b| b == 0) {
        Some(end) if end <= limit => Some(Arg::str(&d[..end], false)),
        _ if d.len() > limit => Some(Arg::str(&d[..limit], true)),
        _ => None,
    }
}

/// KDADDIO/KDDELIO's port: `0x3b4 /* GPFIRST + 0 */` within the graphics ports.
pub fn kd_port(arg: u64) -> Arg {
    const GPFIRST: u64 = 0x3b4;
    const GPLAST: u64 = 0x3df;
    match (GPFIRST..=GPLAST).contains(&arg) {
        true => commented(Arg::Hex(arg), format!("GPFIRST + {}", arg - GPFIRST)),
        false => Arg::Hex(arg),
    }
}

/// KDKBDREP's `struct kbd_repeat` `{delay=250, period=33}`, and once the call succeeded
/// what the kernel wrote back (` => {...}`; both halves read as the call ends).
pub fn kbd_repeat(d: &[u8], failed: bool) -> Option<Arg> {
    let rep = Arg::Struct {
        fields: vec![
            ("delay", Arg::Int(i64::from(i32_at(d, 0)?))),
            ("period", Arg::Int(i64::from(i32_at(d, 4)?))),
        ],
        more: false,
    };
    Some(match failed {
        true => rep,
        false => Arg::Changed(Box::new(rep.clone()), Box::new(rep)),
    })
}

/// KDSETKEYCODE/KDGETKEYCODE's `struct kbkeycode` `{scancode=0x1e, keycode=0x1e}`;
/// `written`: a get that succeeded (`keycode=0x1e => 0x1e`, both read as the call ends).
pub fn kbkeycode(d: &[u8], written: bool) -> Option<Arg> {
    let keycode = Arg::Hex(u64::from(u32_at(d, 4)?));
    let keycode = match written {
        false => keycode,
        true => Arg::Changed(Box::new(keycode.clone()), Box::new(keycode)),
    };
    Some(Arg::Struct {
        fields: vec![
            ("scancode", Arg::Hex(u64::from(u32_at(d, 0)?))),
            ("keycode", keycode),
        ],
        more: false,
    })
}

/// PIO_UNIMAPCLR's `struct unimapinit`.
pub fn unimapinit(d: &[u8]) -> Option<Arg> {
    let u = |at: usize| u16_at(d, at).map(|v| Arg::UInt(u64::from(v)));
    Some(Arg::Struct {
        fields: vec![
            ("advised_hashsize", u(0)?),
            ("advised_hashstep", u(2)?),
            ("advised_hashlevel", u(4)?),
        ],
        more: false,
    })
}

/// A comment strace leaves out with `-X raw`: `value /* comment */`.
pub(super) fn commented(value: Arg, comment: String) -> Arg {
    Arg::constant(value.clone(), Arg::Commented(Box::new(value), comment))
}

/// KIOCSOUND's divisor: `4096 /* 291 Hz */`, `0 /* off */`.
pub fn kiocsound(arg: u64) -> Arg {
    let freq = PIT_TICK_RATE.checked_div(arg).unwrap_or(0);
    let comment = match freq {
        0 => "off".to_string(),
        f => format!("{f} Hz"),
    };
    commented(Arg::UInt(arg), comment)
}

/// KDMKTONE's duration and divisor: `100<<16|4096 /* 291 Hz, 100 ms */`.
pub fn kdmktone(arg: u64) -> Arg {
    let arg = arg as u32;
    let (ticks, count) = (arg >> 16, arg & 0xffff);
    let freq = match ticks {
        0 => 0,
        _ => PIT_TICK_RATE.checked_div(u64::from(count)).unwrap_or(0),
    };
    // Text, not an `Arg::Or`: `-X verbose` prints the comment after it as after a number.
    let value = match ticks {
        0 => Arg::UInt(u64::from(count)),
        t => Arg::Raw(format!("{t}<<16|{count}")),
    };
    let comment = match freq {
        0 => "off".to_string(),
        f => format!("{f} Hz, {ticks} ms"),
    };
    commented(value, comment)
}

/// Named bits of `table` in `value`, each as `name(bit)`, then the bits no name covers; as
/// strace's printflags: `0` for none, `0x80 /* PREFIX??? */` when no name matched.
fn named_bits(table: &Xlat, value: u64, names: &[(Cow<'static, str>, u64)]) -> Arg {
    let mut rest = value;
    let mut parts = Vec::new();
    for (name, bits) in names {
        if *bits != 0 && rest & bits == *bits {
            parts.push(Flag::Name(name.clone()));
            rest &= !bits;
        }
    }
    let shown = match (parts.is_empty(), rest) {
        (true, 0) => Arg::Flags(Vec::new()),
        (true, r) => Arg::Commented(Box::new(Arg::Hex(r)), format!("{}???", table.prefix)),
        (false, 0) => Arg::Flags(parts),
        (false, r) => {
            parts.push(Flag::Bits(r));
            Arg::Flags(parts)
        }
    };
    Arg::constant(Arg::Hex(value), shown)
}

/// KDSKBLED's default LED set (low nibble) and LED flags (high nibble, `<<4`), of the
/// argument's low byte: `LED_NUM|LED_CAP<<4`.
pub fn kd_default_leds(arg: u64) -> Arg {
    let lights = KD_LEDS.entries.iter().map(|&(n, v)| (Cow::Borrowed(n), v));
    let defaults = KD_LEDS
        .entries
        .iter()
        .map(|&(n, v)| (Cow::Owned(format!("{n}<<4")), v << 4));
    let names: Vec<_> = lights.chain(defaults).collect();
    named_bits(&KD_LEDS, arg & 0xff, &names)
}

/// HDIO_SET_NICE's bits, each named by its bit number: `1 << IDE_NICE_1|1 << IDE_NICE_0`.
pub fn ide_nice(arg: u64) -> Arg {
    let names: Vec<_> = IDE_NICE_BITS
        .entries
        .iter()
        .map(|&(n, bit)| (Cow::Owned(format!("1 << {n}")), 1u64 << bit))
        .collect();
    named_bits(&IDE_NICE_BITS, arg, &names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    #[test]
    fn tones_as_strace() {
        assert_eq!(shown(&kiocsound(4096)), "4096 /* 291 Hz */");
        assert_eq!(shown(&kiocsound(0x1_0000_0001)), "4294967297 /* off */");
        assert_eq!(
            shown(&kdmktone((100 << 16) | 4096)),
            "100<<16|4096 /* 291 Hz, 100 ms */"
        );
        assert_eq!(shown(&kdmktone(0x10000)), "1<<16|0 /* off */");
        assert_eq!(shown(&kdmktone(0)), "0 /* off */");
    }

    #[test]
    fn led_sets_and_nice_bits_as_strace() {
        assert_eq!(shown(&kd_default_leds(0x42)), "LED_NUM|LED_CAP<<4");
        assert_eq!(
            shown(&kd_default_leds(0x1ff)),
            "LED_SCR|LED_NUM|LED_CAP|LED_SCR<<4|LED_NUM<<4|LED_CAP<<4|0x88"
        );
        assert_eq!(shown(&kd_default_leds(0x80)), "0x80 /* LED_??? */");
        assert_eq!(shown(&kd_default_leds(0)), "0");
        assert_eq!(
            shown(&ide_nice(0x10c)),
            "1 << IDE_NICE_1|1 << IDE_NICE_0|0x100"
        );
        assert_eq!(shown(&ide_nice(1)), "1 << IDE_NICE_DSC_OVERLAP");
    }

    #[test]
    fn fiemap_shows_what_was_written_only_on_success() {
        let mut d = [0u8; 32];
        d[16] = 1;
        d[20] = 1;
        d[24] = 2;
        let ok = shown(&fiemap(&d, false).expect("fiemap"));
        assert!(
            ok.ends_with(
                "fm_extent_count=2} => {fm_flags=FIEMAP_FLAG_SYNC, fm_mapped_extents=1, ...}"
            ),
            "{ok}"
        );
        let failed = shown(&fiemap(&d, true).expect("fiemap"));
        assert!(!failed.contains("=>"));
        assert!(fiemap(&d[..27], true).is_none());
    }
}
