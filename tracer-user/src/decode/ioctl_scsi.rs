//! The SCSI generic driver's requests (`scsi/sg.h`, type 0x22) as strace 6.1's scsi.c shows
//! their argument: an int the kernel reads or writes (`[0]`, the address on failure), a value
//! in hex, or none. SG_IO's and the tables' structs are left as addresses.

use super::ioctl::Shape;

/// The SG requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    // A signed int the kernel reads.
    ("SG_NEXT_CMD_LEN", Shape::IntIn),
    ("SG_SET_COMMAND_Q", Shape::IntIn),
    ("SG_SET_DEBUG", Shape::IntIn),
    ("SG_SET_FORCE_LOW_DMA", Shape::IntIn),
    ("SG_SET_FORCE_PACK_ID", Shape::IntIn),
    ("SG_SET_KEEP_ORPHAN", Shape::IntIn),
    ("SG_SET_RESERVED_SIZE", Shape::IntIn),
    ("SG_SET_TIMEOUT", Shape::IntIn),
    // A signed int the kernel writes.
    ("SG_EMULATED_HOST", Shape::IntOut),
    ("SG_GET_ACCESS_COUNT", Shape::IntOut),
    ("SG_GET_COMMAND_Q", Shape::IntOut),
    ("SG_GET_KEEP_ORPHAN", Shape::IntOut),
    ("SG_GET_LOW_DMA", Shape::IntOut),
    ("SG_GET_NUM_WAITING", Shape::IntOut),
    ("SG_GET_PACK_ID", Shape::IntOut),
    ("SG_GET_RESERVED_SIZE", Shape::IntOut),
    ("SG_GET_SG_TABLESIZE", Shape::IntOut),
    ("SG_GET_TRANSFORM", Shape::IntOut),
    ("SG_GET_VERSION_NUM", Shape::IntOut),
    // The value itself, in hex (what strace prints for any request it does not decode).
    ("SG_SET_TRANSFORM", Shape::Hex),
    ("SG_GET_TIMEOUT", Shape::None),
];
