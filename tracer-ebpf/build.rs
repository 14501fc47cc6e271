//! Declares `bpf_target_arch` (the architecture whose pt_regs layout the programs read).
fn main() -> aya_build::Result<()> {
    aya_build::emit_bpf_target_arch_cfg()
}
