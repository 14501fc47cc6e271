//! Unit tests of the bpf decoder.

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
