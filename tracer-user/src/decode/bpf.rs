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

/// BPF_PROG_TEST_RUN's `test` member as the call starts (strace 6.1 prints it then).
fn test_run(a: &Attr<'_>) -> Arg {
    let mut m = a.member(80);
    m.fd("prog_fd", 0);
    m.uint("retval", 4);
    m.uint("data_size_in", 8);
    m.uint("data_size_out", 12);
    m.addr("data_in", 16);
    m.addr("data_out", 24);
    m.uint("repeat", 32);
    m.uint("duration", 36);
    if m.has(40) {
        m.uint("ctx_size_in", 40);
        m.uint("ctx_size_out", 44);
        m.addr("ctx_in", 48);
        m.addr("ctx_out", 56);
    }
    if m.has(64) {
        m.flags32("flags", 64, BPF_TEST_RUN_FLAGS);
        m.uint("cpu", 68);
    }
    if m.has(72) {
        m.uint("batch_size", 72);
    }
    m.done_in("test")
}

/// The BPF_MAP_*_BATCH commands' `batch` member (the batch positions for lookups, the values
/// but for deletes), then ` => {batch={count=N}}` when the kernel changed the count.
fn batch(a: &Attr<'_>, command: u32) -> Arg {
    let mut m = a.member(56);
    let lookup = matches!(
        command,
        cmd::MAP_LOOKUP_BATCH | cmd::MAP_LOOKUP_AND_DELETE_BATCH
    );
    if lookup {
        m.addr("in_batch", 0);
        m.addr("out_batch", 8);
    }
    m.addr("keys", 16);
    if command != cmd::MAP_DELETE_BATCH {
        m.addr("values", 24);
    }
    m.uint("count", 32);
    m.fd("map_fd", 36);
    let v = m.u64(40);
    m.push("elem_flags", flags(BPF_LOOKUP_ELEM_FLAGS, v));
    let v = m.u64(48);
    m.push("flags", Arg::Hex(v));
    let before = m.u32(32);
    let after = a
        .after
        .and_then(|d| d.get(32..36))
        .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
    let entered = m.done_in("batch");
    match after {
        Some(count) if count != before => {
            let count = Arg::Struct {
                fields: vec![("count", Arg::UInt(count))],
                more: false,
            };
            let changed = Arg::Struct {
                fields: vec![("batch", count)],
                more: false,
            };
            Arg::Changed(Box::new(entered), Box::new(changed))
        }
        _ => entered,
    }
}

/// map_fd, key and the value (or next key) of the BPF_MAP_*_ELEM commands.
fn elem_head(m: &mut Member<'_>, third: &'static str) {
    m.fd("map_fd", 0);
    m.addr("key", 8);
    m.addr(third, 16);
}

/// A part of a member printed when the caller's size reaches past its offset.
type Step = fn(&mut Member<'_>);

fn map_create(a: &Attr<'_>) -> Arg {
    let mut m = a.member(72);
    m.xval("map_type", 0, BPF_MAP_TYPES);
    m.uint("key_size", 4);
    m.uint("value_size", 8);
    m.uint("max_entries", 12);
    let map_flags = m.u32(16);
    let steps: [(usize, Step); 6] = [
        (16, |m| m.flags32("map_flags", 16, BPF_MAP_FLAGS)),
        (20, |m| m.fd("inner_map_fd", 20)),
        (28, |m| m.name("map_name", 28, 16)),
        (44, |m| {
            let v = m.u32(44) as u32;
            m.push("map_ifindex", ifindex(v));
        }),
        (48, |m| {
            m.fd("btf_fd", 48);
            m.uint("btf_key_type_id", 52);
            m.uint("btf_value_type_id", 56);
        }),
        (60, |m| m.uint("btf_vmlinux_value_type_id", 60)),
    ];
    for (at, step) in steps {
        if !m.has(at) {
            return m.done();
        }
        step(&mut m);
        // numa_node (offset 24) only with BPF_F_NUMA_NODE, before map_name.
        if at == 20 && m.has(24) && map_flags & BPF_F_NUMA_NODE != 0 {
            let v = m.u32(24);
            m.push("numa_node", numa_node(v));
        }
    }
    if m.has(64) {
        let v = m.u64(64);
        m.push("map_extra", Arg::UInt(v));
    }
    m.done()
}

/// `4294967295 /* NUMA_NO_NODE */` (strace forces the verbose style for it), else the number.
fn numa_node(v: u64) -> Arg {
    if v == u64::from(u32::MAX) {
        Arg::constant(
            Arg::UInt(v),
            Arg::Commented(Box::new(Arg::UInt(v)), "NUMA_NO_NODE".into()),
        )
    } else {
        Arg::UInt(v)
    }
}

fn prog_load(a: &Attr<'_>) -> Arg {
    let mut m = a.member(128);
    m.xval("prog_type", 0, BPF_PROG_TYPES);
    m.uint("insn_cnt", 4);
    m.addr("insns", 8);
    m.string("license", 16, LICENSE_SLOT, None);
    if !m.has(24) {
        return m.done();
    }
    m.uint("log_level", 24);
    m.uint("log_size", 28);
    let log_size = m.u32(28) as usize;
    m.string("log_buf", 32, LOG_SLOT, Some(log_size));
    if !m.has(40) {
        return m.done();
    }
    let v = m.u32(40);
    m.push("kern_version", kernel_version(v));
    if !m.has(44) {
        return m.done();
    }
    m.flags32("prog_flags", 44, BPF_PROG_FLAGS);
    if !m.has(48) {
        return m.done();
    }
    m.name("prog_name", 48, 16);
    if !m.has(64) {
        return m.done();
    }
    let v = m.u32(64) as u32;
    m.push("prog_ifindex", ifindex(v));
    if !m.has(68) {
        return m.done();
    }
    m.xval("expected_attach_type", 68, BPF_ATTACH_TYPES);
    if !m.has(72) {
        return m.done();
    }
    m.fd("prog_btf_fd", 72);
    m.uint("func_info_rec_size", 76);
    m.addr("func_info", 80);
    m.uint("func_info_cnt", 88);
    m.uint("line_info_rec_size", 92);
    m.addr("line_info", 96);
    m.uint("line_info_cnt", 104);
    if m.has(108) {
        m.uint("attach_btf_id", 108);
    }
    if m.has(112) {
        m.fd("attach_prog_fd", 112);
    }
    if m.has(120) {
        m.addr("fd_array", 120);
    }
    m.done()
}

/// `KERNEL_VERSION(5, 10, 11)` standing for the number in hex.
fn kernel_version(v: u64) -> Arg {
    let call = Arg::Call {
        name: "KERNEL_VERSION",
        args: vec![
            Arg::UInt(v >> 16),
            Arg::UInt((v >> 8) & 0xff),
            Arg::UInt(v & 0xff),
        ],
    };
    Arg::constant(Arg::Hex(v), call)
}

/// The BPF_*_GET_*_ID commands: the id (`first`), `next_id` (which the kernel writes for
/// the GET_NEXT_ID ones), open_flags.
fn next_id(a: &Attr<'_>, first: &'static str) -> Arg {
    let mut m = a.member(12);
    m.uint(first, 0);
    m.changed("next_id", 4);
    if m.has(8) {
        m.flags32("open_flags", 8, BPF_FILE_FLAGS);
    }
    m.done()
}

fn prog_query(a: &Attr<'_>) -> Arg {
    let mut m = a.member(32);
    m.fd("target_fd", 0);
    m.xval("attach_type", 4, BPF_ATTACH_TYPES);
    m.flags32("query_flags", 8, BPF_QUERY_FLAGS);
    m.flags32("attach_flags", 12, BPF_ATTACH_FLAGS);
    // The ids the kernel wrote: NULL, the address of a failed call's, `[]` for none.
    let ids = m.u64(16);
    let count = m
        .attr
        .after
        .and_then(|d| d.get(24..28))
        .map_or(m.u32(24), |b| {
            u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        });
    let value = if ids != 0 && count == 0 && !m.attr.ctx.failed() {
        Arg::Array {
            items: Vec::new(),
            more: false,
        }
    } else {
        Arg::Ptr(ids)
    };
    m.push("prog_ids", value);
    m.changed("prog_cnt", 24);
    m.done_in("query")
}

/// BTF_LOAD's `btf`: its first `btf_size` bytes cut at `-s` (strace's printstrn).
fn btf_bytes(m: &mut Member<'_>) {
    let ptr = m.u64(0);
    let size = m.u32(16) as usize;
    let ctx = m.attr.ctx;
    let value = match ctx.blob(BTF_SLOT) {
        _ if ptr == 0 => Arg::Ptr(0),
        Some(b) if !b.faulted => {
            let n = size.min(ctx.opts.strsize).min(b.data.len());
            Arg::str(&b.data[..n], size > ctx.opts.strsize)
        }
        _ => Arg::Ptr(ptr),
    };
    m.push("btf", value);
}

fn link_create(a: &Attr<'_>) -> Arg {
    let mut m = a.member(48);
    m.fd("prog_fd", 0);
    m.fd("target_fd", 4);
    m.xval("attach_type", 8, BPF_ATTACH_TYPES);
    let v = m.u32(12);
    m.push("flags", Arg::Hex(v));
    let attach_type = m.u32(8);
    let mut union_fields = Vec::new();
    // The union after flags: strace 6.1 decodes it for BPF_PERF_EVENT only; for any other
    // type the member ends at flags, so what follows is its `...`.
    let end = if m.has(16) && attach_type == BPF_PERF_EVENT {
        let cookie = m.u64(16);
        union_fields.push((
            "perf_event",
            Arg::Struct {
                fields: vec![("bpf_cookie", Arg::Hex(cookie))],
                more: false,
            },
        ));
        24
    } else {
        16
    };
    m.fields.extend(union_fields);
    m.extra = m.attr.extra(end);
    m.done_in("link_create")
}

#[cfg(test)]
mod tests {
    use tracer_common::CAP_BUF_ARG;

    use super::super::{DecodeOptions, abbrev::Verbosity, decode, shown};
    use crate::event::{Blob, RawSyscall};

    /// `bpf(BPF_MAP_FREEZE, {map_fd=3, ...}, 32)`: the member is 4 bytes, byte 24 is not zero.
    fn freeze(verbose: bool) -> String {
        let mut attr = vec![0u8; 32];
        attr[0] = 3;
        attr[24] = 4;
        let blob = Blob {
            arg: 1,
            kind: CAP_BUF_ARG,
            truncated: false,
            faulted: false,
            at_enter: true,
            data: attr,
        };
        let raw = RawSyscall::whole(100, 321, [22, 0x1000, 32, 0, 0, 0], -22, vec![blob]);
        // `-v` is `-e abbrev=none`.
        let none = vec![false; 1024];
        let opts = DecodeOptions {
            verbosity: Verbosity::from_sets(verbose.then_some(&none[..]), None),
            ..DecodeOptions::default()
        };
        shown(&decode(&raw, &opts).args[1])
    }

    #[test]
    fn bytes_past_a_member_are_dots_or_with_v_its_extra_data() {
        assert_eq!(freeze(false), "{map_fd=3, ...}");
        let zeros = "\\x00".repeat(20);
        assert_eq!(
            freeze(true),
            format!(
                "{{map_fd=3, extra_data=\"{zeros}\\x04\\x00\\x00\\x00\\x00\\x00\\x00\\x00\" /* bytes 4..31 */}}"
            )
        );
    }
}
