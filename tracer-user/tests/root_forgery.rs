//! Traced data cannot forge output: file names, unix socket paths, command names and argv
//! chosen by a traced program go through strace's escaping (both backends), and JSON stays one
//! valid object per line. Real strace 6.1 on the same program is the reference.

mod common;

use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use common::*;
use regex::Regex;

/// The argument that tries to forge a line through execve's argv.
const EVIL_ARG: &str = "arg\n+++ FORGED ARGV +++\n";

/// No line starts as a forged one, and nothing raw from the traced side is left: no control
/// byte other than newline, no byte that is not UTF-8.
fn assert_unforged(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: raw bytes: {e}"));
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what}: raw control characters:\n{text}"
    );
    for line in text.lines() {
        assert!(
            !line.starts_with("+++ FORGED"),
            "{what}: forged line:\n{text}"
        );
        assert!(
            !line.starts_with('"') && !line.starts_with('<'),
            "{what}: split line:\n{text}"
        );
    }
}

/// The write/close/execve lines, socket inodes and the environment pointer replaced; with
/// `sockets` false, without the unix socket's lines.
fn calls(text: &str, sockets: bool) -> Vec<String> {
    let inode = Regex::new(r"UNIX-STREAM:\[\d+").expect("regex");
    let envp = Regex::new(r"0x[0-9a-f]+ /\*").expect("regex");
    text.lines()
        .filter(|l| {
            ["write(", "close(3<", "execve("]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .filter(|l| !l.contains("/etc/ld.so.cache") && !l.contains(".so"))
        .filter(|l| sockets || !l.contains("UNIX-STREAM"))
        .map(|l| inode.replace_all(l, "UNIX-STREAM:[N").into_owned())
        .map(|l| envp.replace_all(&l, "ENVP /*").into_owned())
        .collect()
}

#[test]
fn root_file_and_socket_names_and_argv_cannot_forge_lines() {
    require_root();
    let dir = scratch("forge");
    let bin = cc("forge", &dir);
    let flags = ["-yy", "-e", "trace=execve,write,close"];
    let run = |program: &mut Command, out: &Path| -> Vec<u8> {
        let status = program
            .args(flags)
            .arg("-o")
            .arg(out)
            .arg("--")
            .arg(&bin)
            .arg(&dir)
            .arg("0")
            .arg(EVIL_ARG)
            .stderr(Stdio::null())
            .status()
            .expect("run");
        assert!(status.success(), "{program:?}");
        fs::read(out).expect("trace")
    };
    let strace = run(&mut Command::new("strace"), &dir.join("strace"));
    let strace = String::from_utf8_lossy(&strace);
    assert!(
        strace.contains(r"FORGED FILE +++\n\33[31mred\377\74\76>")
            && strace.contains(r#"FORGED SOCK +++\n\"<>"]>"#),
        "strace's reference: {strace}"
    );
    // The eBPF backend describes a socket when it reads the bind's record, by when this short
    // program may have closed it (issue 13b): its socket lines are checked for escaping only.
    for (backend, sockets) in [("ebpf", false), ("ptrace", true)] {
        let mut t = tracer();
        t.args(["--backend", backend]);
        let ours = run(&mut t, &dir.join(backend));
        assert_unforged(backend, &ours);
        assert_eq!(
            calls(&String::from_utf8_lossy(&ours), sockets),
            calls(&strace, sockets),
            "{backend}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_json_stays_one_valid_object_per_line_for_hostile_names() {
    require_root();
    let dir = scratch("forge-json");
    let bin = cc("forge", &dir);
    for backend in ["ebpf", "ptrace"] {
        let out = dir.join(format!("{backend}.json"));
        let status = tracer()
            .args(["--backend", backend, "--json", "-yy", "-o"])
            .arg(&out)
            .arg("--")
            .arg(&bin)
            .arg(&dir)
            .arg("0")
            .arg(EVIL_ARG)
            .stderr(Stdio::null())
            .status()
            .expect("run tracer");
        assert!(status.success());
        let text = fs::read_to_string(&out).expect("trace is UTF-8");
        let mut paths = Vec::new();
        for line in text.lines() {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{backend}: {e}: {line}"));
            let args = v["syscall"]["args"].as_array().cloned().unwrap_or_default();
            paths.extend(
                args.iter()
                    .filter_map(|a| a["fd"]["path"].as_str().map(String::from)),
            );
        }
        let evil = format!(
            "{}/evil\n+++ FORGED FILE +++\n\x1b[31mred\u{fffd}<>",
            dir.display()
        );
        assert!(paths.contains(&evil), "{backend}: {paths:?}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn root_a_command_name_cannot_forge_tracer_messages() {
    require_root();
    let dir = scratch("forge-comm");
    let bin = cc("forge", &dir);
    // The kernel names a process after its file: the first 15 bytes.
    let name = "c\n+++ FORGED +";
    let evil = dir.join(name);
    fs::copy(&bin, &evil).expect("copy");
    fs::set_permissions(&evil, fs::Permissions::from_mode(0o755)).expect("chmod");
    for backend in ["ebpf", "ptrace"] {
        let err = dir.join(format!("{backend}.err"));
        let mut t = KillOnDrop(
            tracer()
                .args([
                    "--backend",
                    backend,
                    "--comm",
                    name,
                    "-e",
                    "trace=getppid",
                    "-o",
                ])
                .arg(dir.join(format!("{backend}.trace")))
                .stderr(fs::File::create(&err).expect("stderr file"))
                .spawn()
                .expect("run tracer"),
        );
        wait_for(&err, Duration::from_secs(10), |t| t.contains("following"));
        let status = Command::new(&evil)
            .arg(&dir)
            .arg("3")
            .status()
            .expect("run the named program");
        assert!(status.success());
        signal(t.0.id(), libc::SIGINT);
        let _ = t.0.wait();
        let stderr = fs::read(&err).expect("stderr");
        assert!(
            String::from_utf8_lossy(&stderr).contains(r"(c\n+++ FORGED +) attached"),
            "{backend}: {}",
            String::from_utf8_lossy(&stderr)
        );
        assert_unforged(backend, &stderr);
    }
    let _ = fs::remove_dir_all(&dir);
}

/// A launched command's stdout is tracer's: with `--json` and no `-o`, a JSON line the command
/// prints would read as a record, so tracer says so at the start; with `-o` it says nothing.
#[test]
fn root_json_to_the_commands_stdout_is_warned_of() {
    require_root();
    let forged = r#"{"event":{"action":"syscall"},"process":{"pid":1,"name":"sshd"}}"#;
    let script = format!("printf '%s\\n' '{forged}'");
    for (to_file, warned) in [(false, true), (true, false)] {
        let dir = scratch("forge-json-stdout");
        let mut cmd = tracer();
        cmd.args(["--json", "-e", "trace=getppid"]);
        if to_file {
            cmd.arg("-o").arg(dir.join("trace.json"));
        }
        let out = cmd
            .args(["--", "sh", "-c", &script])
            .output()
            .expect("run tracer");
        assert!(out.status.success(), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.contains("share standard output (a line it prints can pass for a record)"),
            warned,
            "-o {to_file}: {stderr}"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
