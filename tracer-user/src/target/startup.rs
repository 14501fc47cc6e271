//! strace's Startup options for a launched command: `-E VAR=VAL` / `-E VAR` (its environment)
//! and `-u USERNAME` (its user, group and supplementary groups). Everything is looked up
//! before the fork: the child only makes async-signal-safe calls.

use std::{
    ffi::{CString, OsStr, OsString},
    os::unix::ffi::{OsStrExt, OsStringExt},
};

use anyhow::{Result, bail};

/// Who the command runs as (`-u`).
#[derive(Debug, Clone)]
pub struct RunAs {
    pub uid: libc::uid_t,
    pub gid: libc::gid_t,
    pub groups: Vec<libc::gid_t>,
}

/// How the launched command starts.
#[derive(Debug, Default)]
pub struct Startup {
    /// `-E`: the whole environment, when it differs from tracer's own.
    pub env: Option<Vec<CString>>,
    pub run_as: Option<RunAs>,
}

impl Startup {
    pub fn new(env_changes: &[String], user: Option<&str>) -> Result<Self> {
        let env = match env_changes.is_empty() {
            true => None,
            false => Some(environment(std::env::vars_os(), env_changes)?),
        };
        let run_as = user.map(run_as).transpose()?;
        Ok(Self { env, run_as })
    }
}

/// `environ` with strace's `-E` changes applied in order: `VAR=VAL` sets, `VAR` removes.
pub fn environment(
    current: impl Iterator<Item = (OsString, OsString)>,
    changes: &[String],
) -> Result<Vec<CString>> {
    let mut vars: Vec<(OsString, OsString)> = current.collect();
    for change in changes {
        let (name, value) = match change.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (change.as_str(), None),
        };
        vars.retain(|(n, _)| n != OsStr::new(name));
        if let Some(value) = value {
            vars.push((name.into(), value.into()));
        }
    }
    vars.into_iter()
        .map(|(n, v)| {
            let mut entry = n.into_vec();
            entry.push(b'=');
            entry.extend_from_slice(v.as_bytes());
            CString::new(entry).map_err(|_| anyhow::anyhow!("-E: a variable contains a NUL byte"))
        })
        .collect()
}

/// `-u USERNAME`, refused as strace refuses it.
fn run_as(user: &str) -> Result<RunAs> {
    // SAFETY: getuid/geteuid have no preconditions.
    if unsafe { libc::getuid() != 0 || libc::geteuid() != 0 } {
        bail!("you must be root to use the -u/--user option");
    }
    let name = CString::new(user).map_err(|_| anyhow::anyhow!("cannot find user '{user}'"))?;
    let Some(user_entry) = nix::unistd::User::from_name(user).ok().flatten() else {
        bail!("cannot find user '{user}'");
    };
    let gid = user_entry.gid;
    let groups = nix::unistd::getgrouplist(&name, gid)
        .map_err(|e| anyhow::anyhow!("user '{user}': cannot list its groups: {e}"))?;
    Ok(RunAs {
        uid: user_entry.uid.as_raw(),
        gid: gid.as_raw(),
        groups: groups.into_iter().map(|g| g.as_raw()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_changes_set_replace_and_remove() {
        let current = [("A", "1"), ("B", "2"), ("C", "3")]
            .into_iter()
            .map(|(n, v)| (OsString::from(n), OsString::from(v)));
        let env = environment(current, &["B=x".into(), "C".into(), "D=4=5".into()]).expect("valid");
        let env: Vec<&str> = env.iter().map(|c| c.to_str().expect("utf-8")).collect();
        assert_eq!(env, ["A=1", "B=x", "D=4=5"]);
    }

    #[test]
    fn an_unknown_user_is_refused() {
        let err = Startup::new(&[], Some("no-such-user-xyz")).expect_err("refused");
        assert!(err.to_string().contains("no-such-user-xyz"), "{err}");
    }
}
