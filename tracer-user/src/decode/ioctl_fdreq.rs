//! The requests of perf event, network block device and kvm fds as strace 6.1's
//! perf_ioctl.c, nbd_ioctl.c and kvm.c show their argument: flags by value
//! (`PERF_IOC_FLAG_GROUP`, `NBD_FLAG_HAS_FLAGS`), fds, decimal values, `[N]` read or written,
//! the filter string, none, and kvm's capability by name (`KVM_CAP_IRQCHIP`).

use super::ioctl::{Dev, Shape};
use crate::tables::{
    flags::Xlat,
    ioctl_args_gen::{KVM_CAPS, PERF_IOC_FLAGS},
};

/// strace 6.1's nbd_ioctl_flags: linux/nbd.h defines 6 of these bits; the others are the
/// NBD protocol's, with strace's values.
pub(super) const NBD_FLAGS: Xlat = Xlat::new(
    "NBD_IOC_FLAG_",
    &[
        ("NBD_FLAG_HAS_FLAGS", 1 << 0),
        ("NBD_FLAG_READ_ONLY", 1 << 1),
        ("NBD_FLAG_SEND_FLUSH", 1 << 2),
        ("NBD_FLAG_SEND_FUA", 1 << 3),
        ("NBD_FLAG_ROTATIONAL", 1 << 4),
        ("NBD_FLAG_SEND_TRIM", 1 << 5),
        ("NBD_FLAG_SEND_WRITE_ZEROES", 1 << 6),
        ("NBD_FLAG_SEND_DF", 1 << 7),
        ("NBD_FLAG_CAN_MULTI_CONN", 1 << 8),
        ("NBD_FLAG_SEND_RESIZE", 1 << 9),
        ("NBD_FLAG_SEND_CACHE", 1 << 10),
    ],
);

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    ("PERF_EVENT_IOC_ENABLE", Shape::FlagsValue(PERF_IOC_FLAGS)),
    ("PERF_EVENT_IOC_DISABLE", Shape::FlagsValue(PERF_IOC_FLAGS)),
    ("PERF_EVENT_IOC_RESET", Shape::FlagsValue(PERF_IOC_FLAGS)),
    ("PERF_EVENT_IOC_REFRESH", Shape::IntValue),
    ("PERF_EVENT_IOC_PERIOD", Shape::ULongIn),
    ("PERF_EVENT_IOC_SET_OUTPUT", Shape::FdValue),
    ("PERF_EVENT_IOC_SET_BPF", Shape::FdValue),
    ("PERF_EVENT_IOC_PAUSE_OUTPUT", Shape::ULongValue),
    ("PERF_EVENT_IOC_SET_FILTER", Shape::DevIn(Dev::CStr)),
    ("PERF_EVENT_IOC_ID", Shape::ULongOut),
    // perf_ioctl.c decodes the attr as perf_event_open's.
    (
        "PERF_EVENT_IOC_MODIFY_ATTRIBUTES",
        Shape::With(crate::decode::perf::ioctl_attr),
    ),
    ("NBD_DISCONNECT", Shape::None),
    ("NBD_CLEAR_SOCK", Shape::None),
    ("NBD_DO_IT", Shape::None),
    ("NBD_CLEAR_QUE", Shape::None),
    ("NBD_PRINT_DEBUG", Shape::None),
    ("NBD_SET_SOCK", Shape::FdValue),
    ("NBD_SET_BLKSIZE", Shape::ULongValue),
    ("NBD_SET_SIZE", Shape::ULongValue),
    ("NBD_SET_SIZE_BLOCKS", Shape::ULongValue),
    ("NBD_SET_TIMEOUT", Shape::ULongValue),
    ("NBD_SET_FLAGS", Shape::FlagsValue(NBD_FLAGS)),
    ("KVM_CHECK_EXTENSION", Shape::LongAction(KVM_CAPS)),
];
