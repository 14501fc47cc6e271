//! sock_diag (NETLINK_SOCK_DIAG) queries about a unix socket by inode: its type, bound name
//! and peer. Used by the fd table (an inherited socket's peer) and by the ptrace source (the
//! ends of a socket the tracee holds); it sits below both. Layouts: linux/sock_diag.h and
//! linux/unix_diag.h (`unix_diag_req`, `unix_diag_msg`, the `UNIX_DIAG_*` attributes).

use std::{
    fs,
    io::{self, Read, Write},
    os::fd::{FromRawFd, OwnedFd},
};

const NETLINK_SOCK_DIAG: i32 = 4;
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const UDIAG_SHOW_NAME: u32 = 1;
const UDIAG_SHOW_PEER: u32 = 4;
const UNIX_DIAG_NAME: u16 = 0;
const UNIX_DIAG_PEER: u16 = 2;

/// What sock_diag says of a unix socket.
pub struct UnixReply {
    /// `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_SEQPACKET`.
    pub kind: u8,
    /// The peer's inode.
    pub peer: Option<u32>,
    /// The bound address's `sun_path` bytes (a leading NUL: abstract).
    pub name: Option<Vec<u8>>,
}

/// One sock_diag request for a unix socket.
pub fn unix_diag(inode: u32) -> io::Result<Option<UnixReply>> {
    // SAFETY: socket(2) returns a new fd or -1.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            NETLINK_SOCK_DIAG,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the fd was just created and is owned by nothing else.
    let mut sock = fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    // nlmsghdr (16) + unix_diag_req (24).
    let mut req = Vec::with_capacity(40);
    req.extend_from_slice(&40u32.to_ne_bytes());
    req.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    req.extend_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes());
    req.extend_from_slice(&1u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.push(libc::AF_UNIX as u8);
    req.push(0);
    req.extend_from_slice(&0u16.to_ne_bytes());
    req.extend_from_slice(&u32::MAX.to_ne_bytes());
    req.extend_from_slice(&inode.to_ne_bytes());
    req.extend_from_slice(&(UDIAG_SHOW_NAME | UDIAG_SHOW_PEER).to_ne_bytes());
    req.extend_from_slice(&[0xff; 8]);
    sock.write_all(&req)?;
    let mut buf = [0u8; 8192];
    let n = sock.read(&mut buf)?;
    Ok(parse_reply(&buf[..n]))
}

fn parse_reply(buf: &[u8]) -> Option<UnixReply> {
    let u16_at = |at: usize| Some(u16::from_ne_bytes(buf.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_ne_bytes(buf.get(at..at + 4)?.try_into().ok()?));
    let len = u32_at(0)? as usize;
    if u16_at(4)? != SOCK_DIAG_BY_FAMILY || len > buf.len() {
        return None;
    }
    // unix_diag_msg: family, type, state, pad, ino, cookie[2] (16 bytes) after the header.
    let kind = *buf.get(17)?;
    let mut reply = UnixReply {
        kind,
        peer: None,
        name: None,
    };
    let mut at = 16 + 16;
    while at + 4 <= len {
        let alen = usize::from(u16_at(at)?);
        let atype = u16_at(at + 2)?;
        if alen < 4 {
            break;
        }
        let payload = buf.get(at + 4..at + alen)?;
        match atype {
            UNIX_DIAG_NAME => reply.name = Some(payload.to_vec()),
            UNIX_DIAG_PEER => {
                reply.peer = payload
                    .get(..4)
                    .map(|b| u32::from_ne_bytes(b.try_into().unwrap_or_default()))
            }
            _ => {}
        }
        at += (alen + 3) & !3;
    }
    Some(reply)
}
