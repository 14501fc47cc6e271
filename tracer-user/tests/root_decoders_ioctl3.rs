//! userfaultfd, kvm, file and btrfs ioctls against real strace 6.1 (tests/workloads/
//! ioctl_more.c): the structs of userfaultfd.c, kvm.c (abbreviated and with `-v`),
//! fs_x_ioctl.c, fs_0x94_ioctl.c and btrfs.c on real fds and fd -1, with NULL and unreadable
//! arguments, and with `-y` the fds KVM_CREATE_VM/KVM_CREATE_VCPU and userfaultfd return
//! (`anon_inode:kvm-vm`); strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use common::*;
use decoders::*;

#[test]
fn root_uffd_kvm_and_file_ioctls_as_strace() {
    require_root();
    same_as_strace("ioctl_more", "ioctl");
    same_as_strace_with(&["-v"], "ioctl_more", "ioctl");
    same_as_strace_with(&["-y"], "ioctl_more", "ioctl,userfaultfd,mmap,openat");
}
