//! The members of `union bpf_attr` the larger commands read, field by field as strace 6.1's
//! bpf.c prints them: map_create, prog_load, prog_query, link_create, test_run, the batch
//! commands, the GET_*_ID commands, BTF bytes.

use super::*;

/// BPF_PROG_TEST_RUN's `test` member as the call starts (strace 6.1 prints it then).
pub(super) fn test_run(a: &Attr<'_>) -> Arg {
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
pub(super) fn batch(a: &Attr<'_>, command: u32) -> Arg {
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
pub(super) fn elem_head(m: &mut Member<'_>, third: &'static str) {
    m.fd("map_fd", 0);
    m.addr("key", 8);
    m.addr(third, 16);
}

/// A part of a member printed when the caller's size reaches past its offset.
type Step = fn(&mut Member<'_>);

pub(super) fn map_create(a: &Attr<'_>) -> Arg {
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

pub(super) fn prog_load(a: &Attr<'_>) -> Arg {
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
pub(super) fn next_id(a: &Attr<'_>, first: &'static str) -> Arg {
    let mut m = a.member(12);
    m.uint(first, 0);
    m.changed("next_id", 4);
    if m.has(8) {
        m.flags32("open_flags", 8, BPF_FILE_FLAGS);
    }
    m.done()
}

pub(super) fn prog_query(a: &Attr<'_>) -> Arg {
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
pub(super) fn btf_bytes(m: &mut Member<'_>) {
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

pub(super) fn link_create(a: &Attr<'_>) -> Arg {
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
