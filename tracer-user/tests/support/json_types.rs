//! Checks that every field path of JSON lines has exactly one JSON type over all records
//! (what Elasticsearch's dynamic mapping and Loki/OTel attributes need): array positions are
//! not part of a path, so `syscall.args[0].int` and `syscall.args[3].int` are one path.

use std::{
    collections::{BTreeMap, BTreeSet},
    io::Write,
    path::Path,
    process::{Command, Stdio},
};

use serde_json::Value;

/// Each field path of `lines` and the JSON types it has (`null`, `boolean`, `integer`,
/// `number`, `string`, `array`, `object`).
pub fn types(lines: &str) -> BTreeMap<String, BTreeSet<&'static str>> {
    let mut seen = BTreeMap::new();
    for line in lines.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        walk(&v, String::new(), &mut seen);
    }
    seen
}

fn walk(v: &Value, path: String, seen: &mut BTreeMap<String, BTreeSet<&'static str>>) {
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    match v {
        Value::Object(members) => {
            for (k, m) in members {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(m, p, seen);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, format!("{path}[]"), seen);
            }
        }
        _ => {}
    }
    if !path.is_empty() {
        seen.entry(path).or_default().insert(kind);
    }
}

/// Panics naming every path with more than one type; returns how many paths there were.
pub fn assert_one_type_per_path(lines: &str) -> usize {
    let seen = types(lines);
    let mixed: Vec<String> = seen
        .iter()
        .filter(|(_, t)| t.len() > 1 || t.contains("null"))
        .map(|(p, t)| format!("{p}: {t:?}"))
        .collect();
    assert!(
        mixed.is_empty(),
        "paths with several types:\n{}",
        mixed.join("\n")
    );
    seen.len()
}

/// Validates every line of `lines` against the schema in the repository
/// (tests/support/validate_json.py, python3-jsonschema; each line at most 8000 bytes); returns
/// the counts by `event.action`, panics on the first invalid line.
pub fn validate(lines: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut check = Command::new("/usr/bin/python3")
        .arg(root.join("tests/support/validate_json.py"))
        .arg(root.join("../schema/tracer-event.schema.json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with jsonschema (apt-get install python3-jsonschema)");
    let mut stdin = check.stdin.take().expect("stdin");
    let input = lines.to_string();
    // Fed from a thread: the validator stops reading at the first invalid line.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = check.wait_with_output().expect("validator");
    let _ = feeder.join();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("counts")
}
