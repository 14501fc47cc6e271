//! kvm's requests as strace 6.1's kvm.c and its x86_64 arch_kvm.c show them: the new VM's
//! and vCPU's fds (`-y` names them `anon_inode:kvm-vm`), a memory region, the registers
//! (abbreviated: `{rax=0, ..., rsp=0, rbp=0, ..., rip=0x1000, rflags=0x2}`), the special
//! registers (the code segment, then `...`) and a CPUID table's count. A request the kernel
//! answers in its struct (`KVM_GET_*`) shows its address when it failed.

use super::ioctl::Shape;
use crate::{
    decode::{
        Arg, Ctx,
        bytes::{u16_at, u32_at, u64_at},
        flags::flags,
    },
    tables::ioctl_more_gen::KVM_MEM_FLAGS,
};

/// The requests whose successful return is a new fd (kvm.c's `RVAL_FD`).
pub(super) const RETURNS_FD: &[&str] = &["KVM_CREATE_VM", "KVM_CREATE_VCPU"];

/// What /proc names the fd a successful `req` (argument `arg`) returned, as the kernel names
/// it (`kvm-vm`, `kvm-vcpu:ID`): known from the call, so that `-y` names it after the process
/// is gone too.
pub fn new_fd_name(req: u32, arg: u64) -> Option<String> {
    let names = crate::tables::ioctl_names(req);
    let is = |want: &str| names.iter().any(|(_, n)| *n == want);
    if is("KVM_CREATE_VM") {
        return Some("anon_inode:kvm-vm".into());
    }
    is("KVM_CREATE_VCPU").then(|| format!("anon_inode:kvm-vcpu:{}", arg as u32))
}

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    ("KVM_CREATE_VCPU", Shape::Value),
    ("KVM_SET_USER_MEMORY_REGION", Shape::With(memory_region)),
    ("KVM_SET_REGS", Shape::With(regs)),
    ("KVM_GET_REGS", Shape::With(answered_regs)),
    ("KVM_SET_SREGS", Shape::With(sregs)),
    ("KVM_GET_SREGS", Shape::With(answered_sregs)),
    ("KVM_SET_CPUID2", Shape::With(cpuid2)),
    ("KVM_GET_SUPPORTED_CPUID", Shape::With(answered_cpuid2)),
    ("KVM_GET_EMULATED_CPUID", Shape::With(answered_cpuid2)),
];

/// `struct kvm_userspace_memory_region`.
fn memory_region(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("slot", Arg::UInt(u64::from(u32_at(d, 0)?))),
            ("flags", flags(KVM_MEM_FLAGS, u64::from(u32_at(d, 4)?))),
            ("guest_phys_addr", Arg::Hex(u64_at(d, 8)?)),
            ("memory_size", Arg::UInt(u64_at(d, 16)?)),
            ("userspace_addr", Arg::Hex(u64_at(d, 24)?)),
        ],
        more: false,
    })
}

/// `struct kvm_regs`' fields in order.
const REGS: [&str; 18] = [
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15", "rip", "rflags",
];

/// `struct kvm_regs`, in hex; abbreviated, rbx..rdi and r8..r15 are `...`.
fn regs(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let mut fields = Vec::new();
    for (i, name) in REGS.iter().enumerate() {
        let hidden = (1..=5).contains(&i) || (8..=15).contains(&i);
        if ctx.abbrev() && hidden {
            if i == 1 || i == 8 {
                fields.push(("", Arg::sym("...")));
            }
            continue;
        }
        fields.push((*name, Arg::Hex(u64_at(d, i * 8)?)));
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// A request whose struct the kernel writes: decoded when it succeeded.
fn answered_regs(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    regs(ctx, d).filter(|_| !ctx.failed())
}

/// `struct kvm_segment` at `at`.
fn segment(d: &[u8], at: usize) -> Option<Arg> {
    let byte = |off: usize| d.get(at + off).map(|b| Arg::UInt(u64::from(*b)));
    Some(Arg::Struct {
        fields: vec![
            ("base", Arg::Hex(u64_at(d, at)?)),
            ("limit", Arg::UInt(u64::from(u32_at(d, at + 8)?))),
            ("selector", Arg::UInt(u64::from(u16_at(d, at + 12)?))),
            ("type", byte(14)?),
            ("present", byte(15)?),
            ("dpl", byte(16)?),
            ("db", byte(17)?),
            ("s", byte(18)?),
            ("l", byte(19)?),
            ("g", byte(20)?),
            ("avl", byte(21)?),
        ],
        more: false,
    })
}

/// `struct kvm_dtable` at `at`.
fn dtable(d: &[u8], at: usize) -> Option<Arg> {
    Some(Arg::Struct {
        fields: vec![
            ("base", Arg::Hex(u64_at(d, at)?)),
            ("limit", Arg::UInt(u64::from(u16_at(d, at + 8)?))),
        ],
        more: false,
    })
}

/// `struct kvm_sregs`: abbreviated, the code segment then `...`.
fn sregs(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    const SEGMENTS: [&str; 8] = ["cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"];
    let mut fields = vec![("cs", segment(d, 0)?)];
    if ctx.abbrev() {
        return Some(Arg::Struct { fields, more: true });
    }
    for (i, name) in SEGMENTS.iter().enumerate().skip(1) {
        fields.push((*name, segment(d, i * 24)?));
    }
    fields.push(("gdt", dtable(d, 192)?));
    fields.push(("idt", dtable(d, 208)?));
    for (i, name) in ["cr0", "cr2", "cr3", "cr4", "cr8", "efer"]
        .iter()
        .enumerate()
    {
        fields.push((*name, Arg::UInt(u64_at(d, 224 + i * 8)?)));
    }
    fields.push(("apic_base", Arg::Hex(u64_at(d, 272)?)));
    let bitmap = (0..4)
        .map(|i| u64_at(d, 280 + i * 8).map(Arg::Hex))
        .collect::<Option<Vec<_>>>()?;
    fields.push((
        "interrupt_bitmap",
        Arg::Array {
            items: bitmap,
            more: false,
        },
    ));
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

fn answered_sregs(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    sregs(ctx, d).filter(|_| !ctx.failed())
}

/// `struct kvm_cpuid2`: the entries' count; abbreviated, the entries are `[...]` (`[]` for
/// none). Unabbreviated, strace prints each entry, which is not captured: the address then.
fn cpuid2(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let nent = u32_at(d, 0)?;
    if !ctx.abbrev() && nent != 0 {
        return None;
    }
    Some(Arg::Struct {
        fields: vec![
            ("nent", Arg::UInt(u64::from(nent))),
            (
                "entries",
                Arg::Array {
                    items: Vec::new(),
                    more: nent != 0,
                },
            ),
        ],
        more: false,
    })
}

fn answered_cpuid2(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    cpuid2(ctx, d).filter(|_| !ctx.failed())
}
