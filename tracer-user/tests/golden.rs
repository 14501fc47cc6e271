//! Golden tests: real kernel records, recorded once with `--record` (see tests/golden/README),
//! decoded and formatted again without root, compared with the expected text and, normalised,
//! with what strace printed for the same workload.

#[path = "support/normalize.rs"]
mod normalize;

use std::{fs, path::PathBuf};

use tracer::{
    decode::DecodeOptions,
    pipeline::{OutputOptions, Pipeline, Sinks},
    sink::{Memory, Sink},
    source::record,
};

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Replays a recording through the userspace pipeline as `tracer -f -s 64 -o FILE` would.
fn replay(events: &str) -> String {
    let data = fs::read(golden(events)).expect("recording");
    let buffer = Memory::default();
    let opts = OutputOptions {
        decode: DecodeOptions {
            strsize: 64,
            ..DecodeOptions::default()
        },
        always_prefix: true,
        ..OutputOptions::default()
    };
    let mut pipeline = Pipeline::new(Sinks::One(Sink::new(Box::new(buffer.clone()))), opts);
    for event in record::events(&data).expect("valid recording") {
        pipeline.handle(event).expect("in-memory sink");
    }
    pipeline.flush().expect("flush");
    buffer.text()
}

#[test]
fn the_syscall_zoo_decodes_as_recorded() {
    let ours = replay("zoo.events");
    let expected = fs::read_to_string(golden("zoo.expected")).expect("expected text");
    for (i, (a, b)) in ours.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, b, "line {}", i + 1);
    }
    assert_eq!(ours.lines().count(), expected.lines().count());
}

#[test]
fn the_syscall_zoo_matches_strace() {
    let ours = normalize::file(&replay("zoo.events"));
    let strace = normalize::file(&fs::read_to_string(golden("zoo.strace")).expect("strace text"));
    let (matched, total, misses) = normalize::score(&strace, &ours);
    // Around the thread, futex waits and malloc's arena trimming depend on scheduling and on
    // where ASLR put the heap, so they differ between any two runs.
    let noise = ["futex(", "munmap("];
    let real_misses: Vec<&String> = misses
        .iter()
        .filter(|m| !noise.iter().any(|n| m.starts_with(n)))
        .collect();
    assert!(
        real_misses.is_empty(),
        "{matched}/{total} lines match strace; these do not:\n{real_misses:#?}"
    );
}
