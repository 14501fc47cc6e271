//! NETLINK_GENERIC message types: a generic netlink family's id is given out by the running
//! kernel (only the controller's, `GENL_ID_CTRL`, is fixed), so its name comes from the
//! kernel's own list (`CTRL_CMD_GETFAMILY` dump), asked once, as strace asks it; a host
//! lookup like `if_indextoname` for interface indexes.

use std::{
    fs,
    io::{Read, Write},
    os::fd::{FromRawFd, OwnedFd},
    sync::OnceLock,
};

use super::{Arg, flags::constant};

const NETLINK_GENERIC: i32 = 16;
const GENL_ID_CTRL: u16 = 16;
const CTRL_CMD_GETFAMILY: u8 = 3;
const CTRL_ATTR_FAMILY_ID: u16 = 1;
const CTRL_ATTR_FAMILY_NAME: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_ERROR: u16 = 2;

/// `nlmsg_type` of a generic netlink message: the family's name, else
/// `0x1a /* GENERIC_FAMILY_??? */`.
pub fn family(id: u16) -> Arg {
    static FAMILIES: OnceLock<Vec<(u16, String)>> = OnceLock::new();
    let families = FAMILIES.get_or_init(|| query().unwrap_or_default());
    match families.iter().find(|(f, _)| *f == id) {
        Some((_, name)) => constant(Arg::Hex(u64::from(id)), name.clone()),
        None => {
            let marked = Arg::Commented(
                Box::new(Arg::Hex(u64::from(id))),
                "GENERIC_FAMILY_???".into(),
            );
            Arg::constant(Arg::Hex(u64::from(id)), marked)
        }
    }
}

/// The kernel's generic netlink families, by id.
fn query() -> Option<Vec<(u16, String)>> {
    // SAFETY: socket(2) returns a new fd or -1.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            NETLINK_GENERIC,
        )
    };
    if fd < 0 {
        return None;
    }
    // SAFETY: the fd was just created and is owned by nothing else.
    let mut sock = fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    // nlmsghdr (16) + genlmsghdr (4).
    let mut req = Vec::with_capacity(20);
    req.extend_from_slice(&20u32.to_ne_bytes());
    req.extend_from_slice(&GENL_ID_CTRL.to_ne_bytes());
    req.extend_from_slice(&((libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16).to_ne_bytes());
    req.extend_from_slice(&1u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&[CTRL_CMD_GETFAMILY, 1, 0, 0]);
    sock.write_all(&req).ok()?;
    let mut out = Vec::new();
    let mut buf = vec![0u8; 32768];
    loop {
        let n = sock.read(&mut buf).ok()?;
        let mut at = 0;
        while at + 16 <= n {
            let len = u32::from_ne_bytes(buf[at..at + 4].try_into().ok()?) as usize;
            let kind = u16::from_ne_bytes(buf[at + 4..at + 6].try_into().ok()?);
            if kind == NLMSG_DONE || kind == NLMSG_ERROR {
                return Some(out);
            }
            if len < 20 || at + len > n {
                return Some(out);
            }
            out.extend(family_of(&buf[at + 20..at + len]));
            at += len.next_multiple_of(4);
        }
        if n == 0 {
            return Some(out);
        }
    }
}

/// The id and name in one family's attributes.
fn family_of(mut attrs: &[u8]) -> Option<(u16, String)> {
    let (mut id, mut name) = (None, None);
    while attrs.len() >= 4 {
        let len = usize::from(u16::from_ne_bytes([attrs[0], attrs[1]]));
        let kind = u16::from_ne_bytes([attrs[2], attrs[3]]) & 0x3fff;
        if len < 4 || len > attrs.len() {
            break;
        }
        let data = &attrs[4..len];
        match kind {
            CTRL_ATTR_FAMILY_ID if data.len() >= 2 => {
                id = Some(u16::from_ne_bytes([data[0], data[1]]));
            }
            CTRL_ATTR_FAMILY_NAME => {
                let text = data.split(|&b| b == 0).next().unwrap_or_default();
                name = Some(String::from_utf8_lossy(text).into_owned());
            }
            _ => {}
        }
        attrs = &attrs[len.next_multiple_of(4).min(attrs.len())..];
    }
    Some((id?, name?))
}
