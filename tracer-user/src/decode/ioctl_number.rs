//! ioctl requests strace 6.1 names by a macro of their number or size rather than by its
//! table (ioctl.c's `ioctl_decode_command_number`; evdev's are decode/ioctl_evdev.rs'):
//! `HIDIOCGRAWNAME(16)`, `MIXER_WRITE(2)`, `UI_GET_SYSNAME(16)`, `JSIOCGNAME(32)`,
//! `SPI_IOC_MESSAGE(64)`. strace prints the macro and then every name its table has for the
//! number (`MIXER_WRITE(2) or MEMERASE`); a number with neither is `_IOC(dir, type, nr, size)`.

use crate::decode::{Arg, model::Flag};

const IOC_WRITE: u32 = 1;
const IOC_READ: u32 = 2;

/// The request's macro when strace builds one for it (the size or number in decimal).
pub fn request_macro(req: u32) -> Option<String> {
    let (dir, kind, nr, size) = (
        req >> 30,
        (req >> 8) & 0xff,
        req & 0xff,
        (req >> 16) & 0x3fff,
    );
    let name = match (kind as u8, dir, nr) {
        // hiddev.h/hidraw.h; strace names nr 6 HIDIOCSFEATURE in both directions.
        (b'H', IOC_READ, 0x04) => "HIDIOCGRAWNAME",
        (b'H', IOC_READ, 0x05) => "HIDIOCGRAWPHYS",
        (b'H', IOC_READ, 0x06) => "HIDIOCSFEATURE",
        (b'H', IOC_READ, 0x08) => "HIDIOCGRAWUNIQ",
        (b'H', IOC_READ, 0x12) => "HIDIOCGPHYS",
        (b'H', 3, 0x06) => "HIDIOCSFEATURE",
        (b'H', 3, 0x07) => "HIDIOCGFEATURE",
        // soundcard.h's mixer requests, by number.
        (b'M', IOC_WRITE, _) => return Some(format!("MIXER_WRITE({nr})")),
        (b'M', IOC_READ, _) => return Some(format!("MIXER_READ({nr})")),
        (b'U', IOC_READ, 0x2c) => "UI_GET_SYSNAME",
        (b'j', IOC_READ, 0x13) => "JSIOCGNAME",
        (b'k', IOC_WRITE, 0) => "SPI_IOC_MESSAGE",
        _ => return None,
    };
    Some(format!("{name}({size})"))
}

/// `_IOC(_IOC_READ, 0xfd, 0, 0x1fff)` for requests without a name (`0x9ffffd00` with
/// `-X raw`).
pub fn ioc_code(req: u32) -> Arg {
    let dir: &[&'static str] = match (req >> 30) & 3 {
        0 => &["_IOC_NONE"],
        1 => &["_IOC_WRITE"],
        2 => &["_IOC_READ"],
        _ => &["_IOC_READ", "_IOC_WRITE"],
    };
    let req = u64::from(req);
    let call = Arg::Call {
        name: "_IOC",
        args: vec![
            Arg::Flags(dir.iter().map(|&d| Flag::name(d)).collect()),
            Arg::Hex((req >> 8) & 0xff),
            Arg::Hex(req & 0xff),
            Arg::Hex((req >> 16) & 0x3fff),
        ],
    };
    // -X raw: the request's number.
    Arg::constant(Arg::Hex(req), call)
}

#[cfg(test)]
mod tests {
    use super::request_macro;

    #[test]
    fn macros_by_size_and_number() {
        assert_eq!(request_macro(0x80206a13).as_deref(), Some("JSIOCGNAME(32)"));
        assert_eq!(
            request_macro(0xc0084807).as_deref(),
            Some("HIDIOCGFEATURE(8)")
        );
        assert_eq!(
            request_macro(0x80084806).as_deref(),
            Some("HIDIOCSFEATURE(8)")
        );
        assert_eq!(
            request_macro(0x8010552c).as_deref(),
            Some("UI_GET_SYSNAME(16)")
        );
        assert_eq!(
            request_macro(0x40406b00).as_deref(),
            Some("SPI_IOC_MESSAGE(64)")
        );
        assert_eq!(request_macro(0x40084d02).as_deref(), Some("MIXER_WRITE(2)"));
        assert_eq!(request_macro(0x80204d01).as_deref(), Some("MIXER_READ(1)"));
        // MIXER's _IOWR and _IO requests have no macro; nor other numbers.
        assert_eq!(request_macro(0xc0044d00), None);
        assert_eq!(request_macro(0x5401), None);
    }
}
