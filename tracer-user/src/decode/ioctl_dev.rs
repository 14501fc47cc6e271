//! The arguments of device ioctls, as strace 6.1's random_ioctl.c and rtc.c print them:
//! `struct rand_pool_info` (RNDADDENTROPY), `struct rtc_time`, `struct rtc_wkalrm`,
//! `struct rtc_pll_info` and RTC_VL_READ's `RTC_VL_*` flags. Each takes the bytes captured
//! for the argument and returns None when they are too few (the caller prints the address).

use crate::{
    decode::{
        Arg, Ctx,
        bytes::{i32_at, i64_at, u32_at},
        flags::flags,
    },
    tables::ioctl_args_gen::RTC_VL_FLAGS,
};

/// `{entropy_count=8, buf_size=8, buf="..."}`: buf is as many bytes as buf_size says (an
/// unsigned long in strace's printstrn, so a negative size is as long as `-s` allows).
pub fn rand_pool_info(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let count = i32_at(d, 0)?;
    let size = i32_at(d, 4)?;
    let want = match size < 0 {
        true => usize::MAX,
        false => size as usize,
    };
    let limit = ctx.opts.strsize;
    let buf = d.get(8..)?;
    let n = want.min(limit);
    let buf = match buf.len() >= n {
        true => Arg::str(&buf[..n], want > limit),
        // More than was captured: the address, as strace when it cannot read it.
        false => Arg::Ptr(ctx.arg(2).wrapping_add(8)),
    };
    Some(Arg::Struct {
        fields: vec![
            ("entropy_count", Arg::Int(i64::from(count))),
            ("buf_size", Arg::Int(i64::from(size))),
            ("buf", buf),
        ],
        more: false,
    })
}

/// `{tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, tm_mon=5, tm_year=106, ...}` (the last three
/// fields with `-v`).
pub fn rtc_time(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    const NAMES: [&str; 9] = [
        "tm_sec", "tm_min", "tm_hour", "tm_mday", "tm_mon", "tm_year", "tm_wday", "tm_yday",
        "tm_isdst",
    ];
    i32_at(d, 32)?;
    let shown = match ctx.abbrev() {
        true => 6,
        false => 9,
    };
    let fields = NAMES[..shown]
        .iter()
        .enumerate()
        .map(|(i, &name)| Some((name, Arg::Int(i64::from(i32_at(d, 4 * i)?)))))
        .collect::<Option<Vec<_>>>()?;
    Some(Arg::Struct {
        fields,
        more: ctx.abbrev(),
    })
}

/// `{enabled=1, pending=0, time={tm_sec=...}}`.
pub fn rtc_wkalrm(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let time = rtc_time(ctx, d.get(4..)?)?;
    Some(Arg::Struct {
        fields: vec![
            ("enabled", Arg::UInt(u64::from(d[0]))),
            ("pending", Arg::UInt(u64::from(d[1]))),
            ("time", time),
        ],
        more: false,
    })
}

/// `{pll_ctrl=0, pll_value=0, pll_max=0, pll_min=0, pll_posmult=0, pll_negmult=0,
/// pll_clock=0}` (pll_clock a long).
pub fn rtc_pll_info(d: &[u8]) -> Option<Arg> {
    const NAMES: [&str; 6] = [
        "pll_ctrl",
        "pll_value",
        "pll_max",
        "pll_min",
        "pll_posmult",
        "pll_negmult",
    ];
    let mut fields = NAMES
        .iter()
        .enumerate()
        .map(|(i, &name)| Some((name, Arg::Int(i64::from(i32_at(d, 4 * i)?)))))
        .collect::<Option<Vec<_>>>()?;
    fields.push(("pll_clock", Arg::Int(i64_at(d, 24)?)));
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// RTC_VL_READ's `[RTC_VL_DATA_INVALID|RTC_VL_BACKUP_LOW]`.
pub fn rtc_vl(d: &[u8]) -> Option<Arg> {
    u32_at(d, 0).map(|v| Arg::boxed(flags(RTC_VL_FLAGS, u64::from(v))))
}
