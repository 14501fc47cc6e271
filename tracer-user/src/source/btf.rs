//! Just enough of a BTF reader to find member offsets in kernel structs (`task_struct`'s pid,
//! tgid and exit_code), which the fork and exit programs read. Rust eBPF has no CO-RE, so the
//! offsets come from this kernel's own BTF at load time.

use std::fs;

use anyhow::{Context, Result, bail};

const VMLINUX: &str = "/sys/kernel/btf/vmlinux";
const MAGIC: u16 = 0xeb9f;

const KIND_INT: u32 = 1;
const KIND_ARRAY: u32 = 3;
const KIND_STRUCT: u32 = 4;
const KIND_UNION: u32 = 5;
const KIND_ENUM: u32 = 6;
const KIND_FUNC_PROTO: u32 = 13;
const KIND_VAR: u32 = 14;
const KIND_DATASEC: u32 = 15;
const KIND_DECL_TAG: u32 = 17;
const KIND_ENUM64: u32 = 19;

/// Byte offsets of the kernel struct members the programs read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelOffsets {
    /// `task_struct.pid`, `.tgid`, `.exit_code`, `.files`, `.fs`.
    pub pid: u32,
    pub tgid: u32,
    pub exit_code: u32,
    pub files: u32,
    pub fs: u32,
    /// `files_struct.fdt`.
    pub fdt: u32,
    /// `fdtable.max_fds`, `fdtable.fd`.
    pub max_fds: u32,
    pub fd: u32,
    /// `file.f_inode`.
    pub f_inode: u32,
    /// `inode.i_ino`.
    pub i_ino: u32,
    /// `task_struct.thread_pid`, `.group_leader`; `pid.level`, `.numbers`;
    /// `pid_namespace.ns`; `ns_common.inum` (a task's number in a pid namespace).
    pub thread_pid: u32,
    pub group_leader: u32,
    pub pid_level: u32,
    pub pid_numbers: u32,
    pub pidns_ns: u32,
    pub ns_inum: u32,
    /// `task_struct.signal`; `task_struct.pending` + `sigpending.signal`;
    /// `signal_struct.group_exit_code`, `.group_exec_task`.
    pub signal: u32,
    pub pending_set: u32,
    pub group_exit_code: u32,
    pub group_exec_task: u32,
    /// `task_struct.stack` (`-i`: where another task's saved user registers are).
    pub stack: u32,
    /// What the `-yy` socket capture reads.
    pub sock: tracer_common::SockOffsets,
    /// What the exec capture reads of the new image.
    pub mm: tracer_common::MmOffsets,
}

/// Reads the offsets from the running kernel's BTF.
pub fn kernel_offsets() -> Result<KernelOffsets> {
    let data = fs::read(VMLINUX).with_context(|| format!("failed to read kernel BTF {VMLINUX}"))?;
    let btf = Btf::parse(&data)?;
    let find = |strct: &str, name: &str| btf.find(strct, name);
    Ok(KernelOffsets {
        pid: find("task_struct", "pid")?,
        tgid: find("task_struct", "tgid")?,
        exit_code: find("task_struct", "exit_code")?,
        files: find("task_struct", "files")?,
        fs: find("task_struct", "fs")?,
        fdt: find("files_struct", "fdt")?,
        max_fds: find("fdtable", "max_fds")?,
        fd: find("fdtable", "fd")?,
        f_inode: find("file", "f_inode")?,
        i_ino: find("inode", "i_ino")?,
        thread_pid: find("task_struct", "thread_pid")?,
        group_leader: find("task_struct", "group_leader")?,
        pid_level: find("pid", "level")?,
        pid_numbers: find("pid", "numbers")?,
        pidns_ns: find("pid_namespace", "ns")?,
        ns_inum: find("ns_common", "inum")?,
        signal: find("task_struct", "signal")?,
        pending_set: find("task_struct", "pending")? + find("sigpending", "signal")?,
        group_exit_code: find("signal_struct", "group_exit_code")?,
        group_exec_task: find("signal_struct", "group_exec_task")?,
        stack: find("task_struct", "stack")?,
        sock: sock_offsets(&btf)?,
        mm: tracer_common::MmOffsets {
            task_mm: find("task_struct", "mm")?,
            arg_start: find("mm_struct", "arg_start")?,
            arg_end: find("mm_struct", "arg_end")?,
            env_end: find("mm_struct", "env_end")?,
        },
    })
}

/// The offsets the `CAP_SOCK` capture needs (`-yy`).
fn sock_offsets(btf: &Btf) -> Result<tracer_common::SockOffsets> {
    let find = |strct: &str, name: &str| btf.find(strct, name);
    // The sock_common members are read through a `struct sock *`: add where it sits.
    let common = find("sock", "__sk_common")?;
    let sk = |name: &str| find("sock_common", name).map(|o| o + common);
    Ok(tracer_common::SockOffsets {
        file_private: find("file", "private_data")?,
        inode_mode: find("inode", "i_mode")?,
        socket_sk: find("socket", "sk")?,
        socket_inode: find("socket_alloc", "vfs_inode")?,
        family: sk("skc_family")?,
        num: sk("skc_num")?,
        dport: sk("skc_dport")?,
        daddr: sk("skc_daddr")?,
        rcv_saddr: sk("skc_rcv_saddr")?,
        v6_daddr: sk("skc_v6_daddr")?,
        v6_rcv_saddr: sk("skc_v6_rcv_saddr")?,
        prot: sk("skc_prot")?,
        sk_socket: find("sock", "sk_socket")?,
        proto_name: find("proto", "name")?,
        unix_addr: find("unix_sock", "addr")?,
        unix_peer: find("unix_sock", "peer")?,
        unix_addr_len: find("unix_address", "len")?,
        unix_addr_name: find("unix_address", "name")?,
        sk_protocol: find("sock", "sk_protocol")?,
        sk_type: find("sock", "sk_type")?,
        nl_portid: find("netlink_sock", "portid")?,
        _pad0: 0,
    })
}

/// One type: kind, name, and for structs and unions their members (name, type id, bit offset).
struct Type {
    kind: u32,
    name: u32,
    members: Vec<(u32, u32, u32)>,
}

struct Btf<'a> {
    types: Vec<Type>,
    strings: &'a [u8],
}

fn u32_at(data: &[u8], at: usize) -> Result<u32> {
    let bytes = data.get(at..at + 4).context("BTF data is truncated")?;
    Ok(u32::from_le_bytes(bytes.try_into()?))
}

impl<'a> Btf<'a> {
    fn parse(data: &'a [u8]) -> Result<Self> {
        let magic = u16::from_le_bytes(data.get(0..2).context("BTF too short")?.try_into()?);
        if magic != MAGIC {
            bail!("not little-endian BTF (magic {magic:#x})");
        }
        let hdr_len = u32_at(data, 4)? as usize;
        let (type_off, type_len) = (u32_at(data, 8)? as usize, u32_at(data, 12)? as usize);
        let (str_off, str_len) = (u32_at(data, 16)? as usize, u32_at(data, 20)? as usize);
        let types_start = hdr_len + type_off;
        let type_data = data
            .get(types_start..types_start + type_len)
            .context("BTF type section out of bounds")?;
        let strings = data
            .get(hdr_len + str_off..hdr_len + str_off + str_len)
            .context("BTF string section out of bounds")?;
        // Type id 0 is void; ids start at 1.
        let mut types = vec![Type {
            kind: 0,
            name: 0,
            members: Vec::new(),
        }];
        let mut at = 0;
        while at < type_data.len() {
            let name = u32_at(type_data, at)?;
            let info = u32_at(type_data, at + 4)?;
            let (kind, vlen) = ((info >> 24) & 0x1f, (info & 0xffff) as usize);
            let kind_flag = info >> 31 != 0;
            at += 12;
            let mut members = Vec::new();
            let extra = match kind {
                KIND_INT | KIND_VAR | KIND_DECL_TAG => 4,
                KIND_ARRAY => 12,
                KIND_STRUCT | KIND_UNION => {
                    for m in 0..vlen {
                        let p = at + m * 12;
                        let offset = u32_at(type_data, p + 8)?;
                        let bits = if kind_flag {
                            offset & 0x00ff_ffff
                        } else {
                            offset
                        };
                        members.push((u32_at(type_data, p)?, u32_at(type_data, p + 4)?, bits));
                    }
                    vlen * 12
                }
                KIND_ENUM | KIND_FUNC_PROTO => vlen * 8,
                KIND_DATASEC | KIND_ENUM64 => vlen * 12,
                _ => 0,
            };
            at += extra;
            types.push(Type {
                kind,
                name,
                members,
            });
        }
        Ok(Self { types, strings })
    }

    fn name(&self, off: u32) -> &[u8] {
        let rest = self.strings.get(off as usize..).unwrap_or_default();
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        &rest[..end]
    }

    /// `member_offset`, or an error naming the member.
    fn find(&self, strct: &str, member: &str) -> Result<u32> {
        self.member_offset(strct, member)
            .with_context(|| format!("{strct}.{member} not found in {VMLINUX}"))
    }

    /// Byte offset of `member` in the struct named `name`, looking into anonymous members.
    fn member_offset(&self, name: &str, member: &str) -> Option<u32> {
        let ty = self.types.iter().find(|t| {
            t.kind == KIND_STRUCT && !t.members.is_empty() && self.name(t.name) == name.as_bytes()
        })?;
        self.find_in(ty, member.as_bytes(), 0).map(|bits| bits / 8)
    }

    fn find_in(&self, ty: &Type, member: &[u8], base_bits: u32) -> Option<u32> {
        for &(name, type_id, bits) in &ty.members {
            if self.name(name) == member {
                return Some(base_bits + bits);
            }
            if name == 0 {
                let inner = self.types.get(type_id as usize)?;
                if matches!(inner.kind, KIND_STRUCT | KIND_UNION)
                    && let Some(found) = self.find_in(inner, member, base_bits + bits)
                {
                    return Some(found);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_task_struct_fields_in_this_kernel() {
        let offsets = kernel_offsets().expect("kernel BTF");
        // pid and tgid are adjacent pid_t fields; exit_code comes before them in every layout.
        assert_eq!(offsets.tgid, offsets.pid + 4);
        assert!(offsets.exit_code > 0 && offsets.exit_code < offsets.pid);
        // fdtable is { max_fds, fd, ... } in every kernel since 2.6.
        assert_eq!((offsets.max_fds, offsets.fd), (0, 8));
        // struct pid { refcount_t count; unsigned int level; ...; struct upid numbers[]; }
        assert_eq!(offsets.pid_level, 4);
        assert!(offsets.pid_numbers > offsets.pid_level);
    }

    #[test]
    fn finds_the_socket_fields_in_this_kernel() {
        let o = kernel_offsets().expect("kernel BTF").sock;
        // skc_daddr and skc_rcv_saddr open sock_common in every layout; the ports follow.
        assert_eq!((o.daddr, o.rcv_saddr), (0, 4));
        assert_eq!(o.num, o.dport + 2);
        assert_eq!((o.unix_addr_len, o.unix_addr_name), (4, 8));
        assert!(o.unix_addr > 0 && o.unix_peer > o.unix_addr);
        // mm_struct keeps arg_start, arg_end, env_start, env_end together.
        let mm = kernel_offsets().expect("kernel BTF").mm;
        assert_eq!(
            (mm.arg_end, mm.env_end),
            (mm.arg_start + 8, mm.arg_start + 24)
        );
    }

    #[test]
    fn rejects_what_is_not_btf() {
        assert!(Btf::parse(b"\x00\x00not btf at all.........").is_err());
    }
}
