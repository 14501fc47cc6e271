//! bpf(2) as strace 6.1's bpf.c prints it: the command by name, then its member of `union
//! bpf_attr` as that command reads it, field by field up to the size the caller passed (the
//! fields a shorter size leaves out are left out, as strace stops at each field's offset), a
//! trailing `...` when bytes past the member's end (as strace 6.1 knows it) are not zero, the
//! address when the size is 0 or above a page, the attr cannot be read or the command has no
//! decoder; values the kernel writes back (`next_id`, `info_len`, `prog_cnt`) as `before =>
//! after`. The attr is captured at both ends of the call (`spec::bpf_captures`), the strings
//! its pointer fields point to (license, log buffer, path, tracepoint name, BTF bytes) when
//! it starts.

use super::{Arg, Ctx, Syscall, enum_value, flags::flags, model::Ret, sockopt::ifindex};
use crate::tables::bpf_gen::{
    BPF_ATTACH_FLAGS, BPF_ATTACH_TYPES, BPF_CMDS, BPF_FILE_FLAGS, BPF_LOOKUP_ELEM_FLAGS,
    BPF_MAP_FLAGS, BPF_MAP_TYPES, BPF_PROG_FLAGS, BPF_PROG_TYPES, BPF_QUERY_FLAGS,
    BPF_TEST_RUN_FLAGS, BPF_UPDATE_ELEM_FLAGS,
};

mod members;

use members::{
    batch, btf_bytes, elem_head, link_create, map_create, next_id, prog_load, prog_query, test_run,
};

/// Where the captures of the attr's pointer fields are (`spec::bpf_captures`): the BTF
/// bytes (word 0, as bytes), the string at word 0 (a path, a tracepoint name), the license
/// (word 2) and the log buffer (word 4).
pub const BTF_SLOT: usize = 0;
pub const WORD0_SLOT: usize = 3;
pub const LICENSE_SLOT: usize = 4;
pub const LOG_SLOT: usize = 5;

/// strace reads an attr of at most a page.
const PAGE: u32 = 4096;
/// `BPF_F_NUMA_NODE`: map_create's `numa_node` is shown only with it.
const BPF_F_NUMA_NODE: u64 = 4;
/// strace's TP_NAME_SIZE: most bytes of a raw tracepoint's name it reads.
const TP_NAME_SIZE: usize = 128;
/// `BPF_F_REPLACE`: link_update's `old_prog_fd` is shown only with it.
const BPF_F_REPLACE: u64 = 4;
/// BPF_PERF_EVENT: the attach type whose link_create union strace 6.1 decodes.
const BPF_PERF_EVENT: u64 = 41;

/// The commands (by number) strace 6.1 decodes here.
mod cmd {
    pub const MAP_CREATE: u32 = 0;
    pub const MAP_LOOKUP_ELEM: u32 = 1;
    pub const MAP_UPDATE_ELEM: u32 = 2;
    pub const MAP_DELETE_ELEM: u32 = 3;
    pub const MAP_GET_NEXT_KEY: u32 = 4;
    pub const PROG_LOAD: u32 = 5;
    pub const OBJ_PIN: u32 = 6;
    pub const OBJ_GET: u32 = 7;
    pub const PROG_ATTACH: u32 = 8;
    pub const PROG_DETACH: u32 = 9;
    pub const PROG_TEST_RUN: u32 = 10;
    pub const PROG_GET_NEXT_ID: u32 = 11;
    pub const MAP_GET_NEXT_ID: u32 = 12;
    pub const PROG_GET_FD_BY_ID: u32 = 13;
    pub const MAP_GET_FD_BY_ID: u32 = 14;
    pub const OBJ_GET_INFO_BY_FD: u32 = 15;
    pub const PROG_QUERY: u32 = 16;
    pub const RAW_TRACEPOINT_OPEN: u32 = 17;
    pub const BTF_LOAD: u32 = 18;
    pub const BTF_GET_FD_BY_ID: u32 = 19;
    pub const MAP_LOOKUP_AND_DELETE_ELEM: u32 = 21;
    pub const MAP_FREEZE: u32 = 22;
    pub const BTF_GET_NEXT_ID: u32 = 23;
    pub const MAP_LOOKUP_BATCH: u32 = 24;
    pub const MAP_LOOKUP_AND_DELETE_BATCH: u32 = 25;
    pub const MAP_UPDATE_BATCH: u32 = 26;
    pub const MAP_DELETE_BATCH: u32 = 27;
    pub const LINK_CREATE: u32 = 28;
    pub const LINK_UPDATE: u32 = 29;
    pub const LINK_GET_FD_BY_ID: u32 = 30;
    pub const LINK_GET_NEXT_ID: u32 = 31;
}

/// bpf(cmd, attr, size).
pub fn bpf(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let command = ctx.arg(0) as u32;
    let size = ctx.arg(2) as u32;
    let attr = (size > 0 && size <= PAGE)
        .then(|| Attr::new(ctx, size))
        .flatten()
        .and_then(|a| decode(&a, command));
    sc.args = vec![
        enum_value(BPF_CMDS, u64::from(command)),
        attr.unwrap_or(Arg::Ptr(ctx.arg(1))),
        Arg::UInt(u64::from(size)),
    ];
    if returns_fd(command)
        && let Ret::Value(fd) = sc.ret
    {
        sc.ret = Ret::Fd(fd as i32);
    }
}

/// The anonymous inode a successful `command`'s new fd is (`anon_inode:bpf-map`, as /proc
/// names it: the names kernel/bpf/syscall.c and btf.c give `anon_inode_getfd`); None for
/// `OBJ_GET`, whose pinned object may be of any kind, and commands that return no fd.
pub fn new_fd_kind(command: u32) -> Option<&'static str> {
    use cmd::*;
    match command {
        MAP_CREATE | MAP_GET_FD_BY_ID => Some("bpf-map"),
        PROG_LOAD | PROG_GET_FD_BY_ID => Some("bpf-prog"),
        BTF_LOAD | BTF_GET_FD_BY_ID => Some("btf"),
        RAW_TRACEPOINT_OPEN | LINK_CREATE | LINK_GET_FD_BY_ID => Some("bpf_link"),
        _ => None,
    }
}

/// Whether a successful `command` returns a new fd.
fn returns_fd(command: u32) -> bool {
    use cmd::*;
    matches!(
        command,
        MAP_CREATE
            | PROG_LOAD
            | OBJ_GET
            | PROG_GET_FD_BY_ID
            | MAP_GET_FD_BY_ID
            | RAW_TRACEPOINT_OPEN
            | BTF_LOAD
            | BTF_GET_FD_BY_ID
            | LINK_CREATE
            | LINK_GET_FD_BY_ID
    )
}

/// The attr as the call read it (captured when it started) and, if captured, as it ended.
struct Attr<'a> {
    ctx: &'a Ctx<'a>,
    before: &'a [u8],
    after: Option<&'a [u8]>,
    size: usize,
}

impl<'a> Attr<'a> {
    fn new(ctx: &'a Ctx<'a>, size: u32) -> Option<Self> {
        let before = ctx
            .blob_at_enter(1)
            .or_else(|| ctx.blob(1))
            .filter(|b| !b.faulted)?;
        let after = ctx
            .blob(1)
            .filter(|b| !b.faulted && !b.at_enter)
            .map(|b| b.data.as_slice());
        Some(Self {
            ctx,
            before: &before.data,
            after,
            size: size as usize,
        })
    }

    /// The member of `member_size` bytes: strace copies `min(size, member_size)` bytes into
    /// a zeroed struct.
    fn member(&self, member_size: usize) -> Member<'_> {
        let len = self.size.min(member_size);
        let mut d = vec![0u8; member_size];
        let have = len.min(self.before.len());
        d[..have].copy_from_slice(&self.before[..have]);
        let extra = self.extra(member_size);
        Member {
            attr: self,
            d,
            len,
            extra,
            fields: Vec::new(),
        }
    }
}

impl Attr<'_> {
    /// Bytes past `end` (a member's end) up to the size that are not zero: strace's `...`
    /// (decode_attr_extra_data), with `-v` `extra_data="\x.." /* bytes N..M */`.
    fn extra(&self, end: usize) -> Extra {
        let rest = self
            .before
            .get(end..self.size.min(self.before.len()))
            .unwrap_or_default();
        if !rest.iter().any(|&b| b != 0) {
            return Extra::None;
        }
        if self.ctx.abbrev() {
            return Extra::More;
        }
        let bytes = Arg::Str {
            bytes: rest.to_vec(),
            truncated: false,
            hex: true,
            data: false,
        };
        let span = format!("bytes {}..{}", end, self.size - 1);
        Extra::Data(Arg::Commented(Box::new(bytes), span))
    }
}

/// What follows a member's fields.
enum Extra {
    None,
    /// `...`.
    More,
    /// `extra_data=...` (`-v`).
    Data(Arg),
}

impl Extra {
    /// Ends `fields` with it; whether a `...` follows.
    fn close(self, fields: &mut Vec<(&'static str, Arg)>) -> bool {
        match self {
            Extra::None => false,
            Extra::More => true,
            Extra::Data(arg) => {
                fields.push(("extra_data", arg));
                false
            }
        }
    }
}

/// One command's member being printed.
struct Member<'a> {
    attr: &'a Attr<'a>,
    d: Vec<u8>,
    /// Bytes of it the caller passed.
    len: usize,
    extra: Extra,
    fields: Vec<(&'static str, Arg)>,
}

impl Member<'_> {
    fn u32(&self, at: usize) -> u64 {
        self.d.get(at..at + 4).map_or(0, |b| {
            u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        })
    }

    fn u64(&self, at: usize) -> u64 {
        let mut w = [0u8; 8];
        if let Some(b) = self.d.get(at..at + 8) {
            w.copy_from_slice(b);
        }
        u64::from_le_bytes(w)
    }

    /// Whether the caller's size reaches past `offset` (strace's `len <= offsetof` stops).
    fn has(&self, offset: usize) -> bool {
        self.len > offset
    }

    fn push(&mut self, name: &'static str, value: Arg) {
        self.fields.push((name, value));
    }

    fn uint(&mut self, name: &'static str, at: usize) {
        let v = self.u32(at);
        self.push(name, Arg::UInt(v));
    }

    fn fd(&mut self, name: &'static str, at: usize) {
        let v = self.u32(at);
        self.push(name, Arg::Fd(v as u32 as i32));
    }

    fn addr(&mut self, name: &'static str, at: usize) {
        let v = self.u64(at);
        self.push(name, Arg::Ptr(v));
    }

    fn xval(&mut self, name: &'static str, at: usize, table: crate::tables::flags::Xlat) {
        let v = self.u32(at);
        self.push(name, enum_value(table, v));
    }

    fn flags32(&mut self, name: &'static str, at: usize, table: crate::tables::flags::Xlat) {
        let v = self.u32(at);
        self.push(name, flags(table, v));
    }

    /// A u32 the kernel may rewrite: `before => after` when it did.
    fn changed(&mut self, name: &'static str, at: usize) {
        let before = self.u32(at);
        let after = self
            .attr
            .after
            .filter(|_| at + 4 <= self.len)
            .and_then(|a| a.get(at..at + 4))
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
        let value = match after {
            Some(after) if after != before => {
                Arg::Changed(Box::new(Arg::UInt(before)), Box::new(Arg::UInt(after)))
            }
            _ => Arg::UInt(before),
        };
        self.push(name, value);
    }

    /// A char array of `max` bytes (map_name, prog_name) cut at the caller's size: up to its
    /// NUL, or all but its last byte and `...` (strace's print_quoted_cstring).
    fn name(&mut self, name: &'static str, at: usize, max: usize) {
        let sz = max.min(self.len - at);
        let field = &self.d[at..at + sz];
        let value = match field.iter().position(|&b| b == 0) {
            Some(end) => Arg::str(&field[..end], false),
            None => Arg::str(&field[..sz.saturating_sub(1)], true),
        };
        self.push(name, value);
    }

    /// A string a pointer field points to, captured in `slot`: NULL, the address when it
    /// could not be read, else the string cut at `limit` bytes (`None`: at `-s`; with a
    /// limit, strace's printstr_ex with QUOTE_0_TERMINATED: `...` when no NUL is within it).
    fn string(&mut self, name: &'static str, at: usize, slot: usize, limit: Option<usize>) {
        let ptr = self.u64(at);
        let ctx = self.attr.ctx;
        let value = match ctx.blob(slot) {
            _ if ptr == 0 => Arg::Ptr(0),
            Some(b) if !b.faulted => match limit {
                None => ctx.bytes_arg(&b.data, b.truncated),
                Some(limit) => {
                    let n = limit.min(ctx.opts.strsize);
                    if b.data.len() < n || n == 0 {
                        Arg::str(&b.data[..b.data.len().min(n)], false)
                    } else {
                        Arg::str(&b.data[..n], true)
                    }
                }
            },
            _ => Arg::Ptr(ptr),
        };
        self.push(name, value);
    }

    /// A path a pointer field points to (no `-s` limit).
    fn path(&mut self, name: &'static str, at: usize, slot: usize) {
        let ptr = self.u64(at);
        let value = match self.attr.ctx.blob(slot) {
            _ if ptr == 0 => Arg::Ptr(0),
            Some(b) if !b.faulted => Arg::str(&b.data, b.truncated),
            _ => Arg::Ptr(ptr),
        };
        self.push(name, value);
    }

    fn done(self) -> Arg {
        let mut fields = self.fields;
        let more = self.extra.close(&mut fields);
        Arg::Struct { fields, more }
    }

    /// The fields inside `{outer={...}}` (link_create, info, query, raw_tracepoint).
    fn done_in(self, outer: &'static str) -> Arg {
        let inner = Arg::Struct {
            fields: self.fields,
            more: false,
        };
        let mut fields = vec![(outer, inner)];
        let more = self.extra.close(&mut fields);
        Arg::Struct { fields, more }
    }
}

/// The attr of `command` as strace 6.1 prints it; None for commands it prints as an address.
fn decode(a: &Attr<'_>, command: u32) -> Option<Arg> {
    use cmd::*;
    Some(match command {
        MAP_CREATE => map_create(a),
        MAP_LOOKUP_ELEM | MAP_LOOKUP_AND_DELETE_ELEM => {
            let mut m = a.member(32);
            elem_head(&mut m, "value");
            if m.has(24) {
                let v = m.u64(24);
                m.push("flags", flags(BPF_LOOKUP_ELEM_FLAGS, v));
            }
            m.done()
        }
        MAP_UPDATE_ELEM => {
            let mut m = a.member(32);
            elem_head(&mut m, "value");
            let v = m.u64(24);
            m.push("flags", enum_value(BPF_UPDATE_ELEM_FLAGS, v));
            m.done()
        }
        MAP_DELETE_ELEM => {
            let mut m = a.member(16);
            m.fd("map_fd", 0);
            m.addr("key", 8);
            m.done()
        }
        MAP_GET_NEXT_KEY => {
            let mut m = a.member(24);
            elem_head(&mut m, "next_key");
            m.done()
        }
        MAP_FREEZE => {
            let mut m = a.member(4);
            m.fd("map_fd", 0);
            m.done()
        }
        PROG_LOAD => prog_load(a),
        OBJ_PIN | OBJ_GET => {
            let mut m = a.member(16);
            m.path("pathname", 0, WORD0_SLOT);
            m.fd("bpf_fd", 8);
            if m.has(12) {
                m.flags32("file_flags", 12, BPF_FILE_FLAGS);
            }
            m.done()
        }
        PROG_ATTACH => {
            let mut m = a.member(20);
            m.fd("target_fd", 0);
            m.fd("attach_bpf_fd", 4);
            m.xval("attach_type", 8, BPF_ATTACH_TYPES);
            m.flags32("attach_flags", 12, BPF_ATTACH_FLAGS);
            if m.has(16) {
                m.fd("replace_bpf_fd", 16);
            }
            m.done()
        }
        PROG_DETACH => {
            let mut m = a.member(12);
            m.fd("target_fd", 0);
            m.xval("attach_type", 8, BPF_ATTACH_TYPES);
            m.done()
        }
        PROG_GET_NEXT_ID | MAP_GET_NEXT_ID | BTF_GET_NEXT_ID | LINK_GET_NEXT_ID => {
            next_id(a, "start_id")
        }
        PROG_GET_FD_BY_ID => next_id(a, "prog_id"),
        MAP_GET_FD_BY_ID => next_id(a, "map_id"),
        BTF_GET_FD_BY_ID | LINK_GET_FD_BY_ID => {
            let mut m = a.member(4);
            let name = if command == BTF_GET_FD_BY_ID {
                "btf_id"
            } else {
                "link_id"
            };
            m.uint(name, 0);
            m.done()
        }
        OBJ_GET_INFO_BY_FD => {
            let mut m = a.member(16);
            m.fd("bpf_fd", 0);
            m.changed("info_len", 4);
            // Without -v strace prints the info struct's address.
            m.addr("info", 8);
            m.done_in("info")
        }
        PROG_QUERY => prog_query(a),
        RAW_TRACEPOINT_OPEN => {
            let mut m = a.member(16);
            m.string("name", 0, WORD0_SLOT, Some(TP_NAME_SIZE));
            m.fd("prog_fd", 8);
            m.done_in("raw_tracepoint")
        }
        BTF_LOAD => {
            let mut m = a.member(28);
            btf_bytes(&mut m);
            m.addr("btf_log_buf", 8);
            m.uint("btf_size", 16);
            m.uint("btf_log_size", 20);
            m.uint("btf_log_level", 24);
            m.done()
        }
        LINK_CREATE => link_create(a),
        LINK_UPDATE => {
            let mut m = a.member(16);
            m.fd("link_fd", 0);
            m.fd("new_prog_fd", 4);
            m.flags32("flags", 8, BPF_ATTACH_FLAGS);
            if m.u32(8) & BPF_F_REPLACE != 0 {
                m.fd("old_prog_fd", 12);
            }
            m.done_in("link_update")
        }
        PROG_TEST_RUN => test_run(a),
        MAP_LOOKUP_BATCH | MAP_LOOKUP_AND_DELETE_BATCH | MAP_UPDATE_BATCH | MAP_DELETE_BATCH => {
            batch(a, command)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
