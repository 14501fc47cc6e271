//! userfaultfd, kvm, file, btrfs, device mapper, V4L2 and perf ioctls against real strace 6.1
//! (tests/workloads/ioctl_more.c): the structs of userfaultfd.c, kvm.c (abbreviated and with
//! `-v`), fs_x_ioctl.c, fs_0x94_ioctl.c, btrfs.c, dm.c, v4l2.c and perf_ioctl.c on real fds
//! and fd -1, with NULL and unreadable arguments, and with `-y` the fds KVM_CREATE_VM/
//! KVM_CREATE_VCPU and userfaultfd return (`anon_inode:kvm-vm`); strace and tracer (both
//! backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

/// The device mapper requests whose parameters follow `struct dm_ioctl`: with `-v` strace
/// reads them from past the struct, which is not captured (tracer prints the address).
const DM_PARAMS: [&str; 4] = [
    "DM_TABLE_LOAD",
    "DM_DEV_RENAME",
    "DM_TARGET_MSG",
    "DM_DEV_SET_GEOMETRY",
];

#[test]
fn root_uffd_kvm_and_file_ioctls_as_strace() {
    require_root();
    same_as_strace("ioctl_more", "ioctl");
    let without_dm_params = |text: &str| {
        text.lines()
            .filter(|l| !DM_PARAMS.iter().any(|r| l.contains(&format!(", {r}, "))))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    masked_as_strace(&["-v"], "ioctl_more", "ioctl", without_dm_params, false);
    same_as_strace_with(&["-y"], "ioctl_more", "ioctl,userfaultfd,mmap,openat");
}
