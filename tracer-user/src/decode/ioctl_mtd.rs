//! The requests of flash devices and infrared receivers as strace 6.1's mtd.c, ubi.c and
//! lirc.c show their argument: the erase ranges, OOB buffers and OTP selections of mtd
//! (`{start=0x10000, length=0x800}`, `[MTD_OTP_USER]`, `MTD_FILE_MODE_RAW`), ubi's volume
//! requests (`{vol_id=-1, alignment=4, bytes=1048576, vol_type=UBI_DYNAMIC_VOLUME, ...}`) and
//! lirc's modes and values (`[LIRC_MODE_PULSE]`, `[38000]`). Each struct is read from the
//! bytes captured for the argument, as strace reads it when the call starts.

use super::ioctl::{Dev, Shape};
use crate::{
    decode::{
        Arg, Ctx,
        bytes::{i32_at, i64_at, u32_at, u64_at},
        enum_value,
        flags::{flags, named},
        ioctl_sock::cstring,
    },
    tables::{
        flags::Xlat,
        ioctl_dev_gen::{
            LIRC_MODES, MTD_FILE_MODES, MTD_OTP_MODES, UBI_VOLUME_FLAGS, UBI_VOLUME_TYPES,
        },
    },
};

/// strace 6.1's ubi_data_types: the kernel's `enum ubi_data_type` is not in the UAPI
/// headers, so these are strace's names and values.
const UBI_DATA_TYPES: Xlat = Xlat::new(
    "UBI_",
    &[
        ("UBI_LONGTERM", 1),
        ("UBI_SHORTTERM", 2),
        ("UBI_UNKNOWN", 3),
    ],
);

/// Bytes of `struct ubi_mkvol_req`'s name, its NUL included (UBI_MAX_VOLUME_NAME + 1).
const UBI_NAME_SIZE: usize = 128;

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    // mtd.c: read when the call starts, whatever it returns (MEMISLOCKED too).
    ("MEMERASE", Shape::With(erase_info)),
    ("MEMLOCK", Shape::With(erase_info)),
    ("MEMUNLOCK", Shape::With(erase_info)),
    ("MEMISLOCKED", Shape::With(erase_info)),
    ("MEMERASE64", Shape::With(erase_info64)),
    ("MEMWRITEOOB", Shape::With(oob_buf)),
    ("MEMREADOOB", Shape::With(oob_buf)),
    ("MEMWRITEOOB64", Shape::With(oob_buf64)),
    ("MEMREADOOB64", Shape::With(oob_buf64)),
    ("OTPLOCK", Shape::With(otp_info)),
    ("OTPGETREGIONINFO", Shape::Out(otp_info)),
    ("OTPSELECT", Shape::With(otp_select)),
    ("MTDFILEMODE", Shape::LongAction(MTD_FILE_MODES)),
    ("MEMGETBADBLOCK", Shape::ULongIn),
    ("MEMSETBADBLOCK", Shape::ULongIn),
    ("ECCGETSTATS", Shape::Out(ecc_stats)),
    ("OTPGETREGIONCOUNT", Shape::DevOut(Dev::UInt)),
    ("MEMGETREGIONCOUNT", Shape::IntOut),
    // ubi.c
    ("UBI_IOCMKVOL", Shape::With(mkvol)),
    ("UBI_IOCRSVOL", Shape::With(rsvol)),
    ("UBI_IOCATT", Shape::With(attach)),
    ("UBI_IOCEBMAP", Shape::With(map)),
    ("UBI_IOCEBCH", Shape::With(leb_change)),
    ("UBI_IOCVOLUP", Shape::With(s64)),
    ("UBI_IOCDET", Shape::IntIn),
    ("UBI_IOCEBER", Shape::IntIn),
    ("UBI_IOCEBISMAP", Shape::IntIn),
    ("UBI_IOCEBUNMAP", Shape::IntIn),
    ("UBI_IOCRMVOL", Shape::IntIn),
    ("UBI_IOCRPEB", Shape::IntIn),
    ("UBI_IOCSPEB", Shape::IntIn),
    ("UBI_IOCVOLCRBLK", Shape::None),
    ("UBI_IOCVOLRMBLK", Shape::None),
    // lirc.c: the setters' value when the call starts, the getters' once it succeeded.
    ("LIRC_SET_SEND_MODE", Shape::With(lirc_mode)),
    ("LIRC_SET_REC_MODE", Shape::With(lirc_mode)),
    ("LIRC_GET_SEND_MODE", Shape::Out(lirc_mode)),
    ("LIRC_GET_REC_MODE", Shape::Out(lirc_mode)),
    ("LIRC_SET_SEND_CARRIER", Shape::DevIn(Dev::UInt)),
    ("LIRC_SET_REC_CARRIER", Shape::DevIn(Dev::UInt)),
    ("LIRC_SET_SEND_DUTY_CYCLE", Shape::DevIn(Dev::UInt)),
    ("LIRC_SET_REC_TIMEOUT", Shape::DevIn(Dev::UInt)),
    ("LIRC_SET_REC_CARRIER_RANGE", Shape::DevIn(Dev::UInt)),
    ("LIRC_GET_REC_RESOLUTION", Shape::DevOut(Dev::UInt)),
    ("LIRC_GET_MIN_TIMEOUT", Shape::DevOut(Dev::UInt)),
    ("LIRC_GET_MAX_TIMEOUT", Shape::DevOut(Dev::UInt)),
    ("LIRC_GET_LENGTH", Shape::DevOut(Dev::UInt)),
    ("LIRC_GET_REC_TIMEOUT", Shape::DevOut(Dev::UInt)),
    ("LIRC_SET_TRANSMITTER_MASK", Shape::With(hex32)),
    ("LIRC_SET_REC_TIMEOUT_REPORTS", Shape::With(hex32)),
    ("LIRC_SET_MEASURE_CARRIER_MODE", Shape::With(hex32)),
    ("LIRC_SET_WIDEBAND_RECEIVER", Shape::With(hex32)),
];

/// A value of `table`, or `0x9 /* UNKNOWN */` with strace's own text for an unknown one
/// (`UBI_???_VOLUME`).
fn xval(table: Xlat, value: u64, unknown: &str) -> Arg {
    named(table, value).unwrap_or_else(|| {
        let marked = Arg::Commented(Box::new(Arg::Hex(value)), unknown.to_string());
        Arg::constant(Arg::Hex(value), marked)
    })
}

/// `{name=value, ...}` of fields that were all captured.
pub(super) fn fields(fields: Vec<(&'static str, Option<Arg>)>) -> Option<Arg> {
    let fields = fields
        .into_iter()
        .map(|(name, value)| Some((name, value?)))
        .collect::<Option<Vec<_>>>()?;
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

fn hex32(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::boxed(Arg::Hex(u64::from(u32_at(d, 0)?))))
}

fn hex32_at(d: &[u8], at: usize) -> Option<Arg> {
    u32_at(d, at).map(|v| Arg::Hex(u64::from(v)))
}

fn int_at(d: &[u8], at: usize) -> Option<Arg> {
    i32_at(d, at).map(|v| Arg::Int(i64::from(v)))
}

/// `struct erase_info_user`: `{start=0x10000, length=0x800}`.
fn erase_info(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![("start", hex32_at(d, 0)), ("length", hex32_at(d, 4))])
}

/// `struct erase_info_user64`.
fn erase_info64(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("start", u64_at(d, 0).map(Arg::Hex)),
        ("length", u64_at(d, 8).map(Arg::Hex)),
    ])
}

/// `struct mtd_oob_buf`: `{start=0x1, length=0x2, ptr=0x...}`.
fn oob_buf(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("start", hex32_at(d, 0)),
        ("length", hex32_at(d, 4)),
        ("ptr", u64_at(d, 8).map(Arg::Ptr)),
    ])
}

/// `struct mtd_oob_buf64`.
fn oob_buf64(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("start", u64_at(d, 0).map(Arg::Hex)),
        ("length", hex32_at(d, 12)),
        ("usr_ptr", u64_at(d, 16).map(Arg::Ptr)),
    ])
}

/// `struct otp_info`: `{start=0, length=0x40, locked=1}`.
fn otp_info(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("start", hex32_at(d, 0)),
        ("length", hex32_at(d, 4)),
        ("locked", u32_at(d, 8).map(|v| Arg::UInt(u64::from(v)))),
    ])
}

/// OTPSELECT's mode: `[MTD_OTP_FACTORY]`, `[0x7 /* MTD_OTP_??? */]`.
fn otp_select(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::boxed(enum_value(
        MTD_OTP_MODES,
        u64::from(u32_at(d, 0)?),
    )))
}

/// `struct mtd_ecc_stats`, all in hex.
fn ecc_stats(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("corrected", hex32_at(d, 0)),
        ("failed", hex32_at(d, 4)),
        ("badblocks", hex32_at(d, 8)),
        ("bbtblocks", hex32_at(d, 12)),
    ])
}

/// A signed 64-bit number the kernel reads (UBI_IOCVOLUP's size): `[-2]`.
fn s64(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::boxed(Arg::Int(i64_at(d, 0)?)))
}

/// `struct ubi_mkvol_req`; the name is as many bytes as name_len says (within the field),
/// `...` after it when they hold no NUL.
fn mkvol(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let name_len = i16::from_ne_bytes(d.get(18..20)?.try_into().ok()?);
    let size = 1 + usize::try_from(name_len.clamp(0, UBI_NAME_SIZE as i16 - 1)).ok()?;
    fields(vec![
        ("vol_id", int_at(d, 0)),
        ("alignment", int_at(d, 4)),
        ("bytes", i64_at(d, 8).map(Arg::Int)),
        (
            "vol_type",
            d.get(16)
                .map(|&t| xval(UBI_VOLUME_TYPES, u64::from(t), "UBI_???_VOLUME")),
        ),
        (
            "flags",
            d.get(17).map(|&f| flags(UBI_VOLUME_FLAGS, u64::from(f))),
        ),
        ("name_len", Some(Arg::Int(i64::from(name_len)))),
        ("name", d.get(24..24 + size).map(cstring)),
    ])
}

/// `struct ubi_rsvol_req`: `{bytes=-5, vol_id=3}`.
fn rsvol(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("bytes", i64_at(d, 0).map(Arg::Int)),
        ("vol_id", int_at(d, 8)),
    ])
}

/// `struct ubi_attach_req` as 6.1 shows it (without the fastmap fields).
fn attach(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let beb = d
        .get(12..14)
        .map(|b| Arg::Int(i64::from(i16::from_ne_bytes([b[0], b[1]]))));
    fields(vec![
        ("ubi_num", int_at(d, 0)),
        ("mtd_num", int_at(d, 4)),
        ("vid_hdr_offset", int_at(d, 8)),
        ("max_beb_per1024", beb),
    ])
}

fn data_type(d: &[u8], at: usize) -> Option<Arg> {
    d.get(at)
        .map(|&t| xval(UBI_DATA_TYPES, u64::from(t), "UBI_???"))
}

/// `struct ubi_map_req`: `{lnum=5, dtype=UBI_LONGTERM}`.
fn map(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![("lnum", int_at(d, 0)), ("dtype", data_type(d, 4))])
}

/// `struct ubi_leb_change_req`: `{lnum=1, bytes=2, dtype=UBI_SHORTTERM}`.
fn leb_change(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("lnum", int_at(d, 0)),
        ("bytes", int_at(d, 4)),
        ("dtype", data_type(d, 8)),
    ])
}

/// A lirc mode: `[LIRC_MODE_PULSE]`, `[0 /* LIRC_MODE_??? */]`.
fn lirc_mode(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::boxed(enum_value(LIRC_MODES, u64::from(u32_at(d, 0)?))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ubi_volume_names_are_cut_at_their_length() {
        let mut d = vec![0u8; 152];
        d[16] = 9;
        d[18..20].copy_from_slice(&(-1i16).to_ne_bytes());
        d[24..].fill(b'x');
        let ctx_free = mkvol_fields(&d);
        assert!(
            ctx_free.contains("vol_type=0x9 /* UBI_???_VOLUME */"),
            "{ctx_free}"
        );
        assert!(
            ctx_free.ends_with("name_len=-1, name=\"\"...}"),
            "{ctx_free}"
        );
    }

    fn mkvol_fields(d: &[u8]) -> String {
        let raw = crate::event::RawSyscall::whole(1, 16, [0; 6], 0, Vec::new());
        let ctx = Ctx {
            raw: &raw,
            opts: &crate::decode::DecodeOptions::default(),
        };
        crate::decode::shown(&mkvol(&ctx, d).expect("decoded"))
    }
}
