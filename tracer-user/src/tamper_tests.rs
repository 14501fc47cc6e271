use super::*;

fn nr(name: &str) -> u32 {
    tables::by_name(name).expect("known").nr
}

fn one(text: &str, fault: bool) -> Result<Rule, TamperError> {
    let mut all = Injections::default();
    all.add(text, fault)?;
    let name = text.split(':').next().expect("a set");
    Ok(*all.rule(nr(name)).expect("a rule"))
}

fn fired(rule: &Rule, upto: u32) -> Vec<u32> {
    (1..=upto).filter(|&n| rule.fires(n)).collect()
}

#[test]
fn outcomes_and_fault_default() {
    let r = one("getpid:error=ENOENT", false).expect("ok");
    assert_eq!(r.outcome, Some(Outcome::Error(2)));
    assert_eq!(r.outcome.map(Outcome::register), Some(-2));
    let r = one("getpid:error=enoent", false).expect("ok");
    assert_eq!(r.outcome, Some(Outcome::Error(2)));
    let r = one("getpid:retval=0x10", false).expect("ok");
    assert_eq!(r.outcome, Some(Outcome::Value(16)));
    let r = one("getpid", true).expect("ok");
    assert_eq!(r.outcome, Some(Outcome::Error(38)));
    let r = one("getpid:signal=SIGUSR1", false).expect("ok");
    assert_eq!((r.outcome, r.signal), (None, Some(10)));
    let r = one("chdir:syscall=getuid:error=EACCES", false).expect("ok");
    assert_eq!(r.instead, Some(nr("getuid")));
    let r = one("getpid:delay_enter=1000:delay_exit=2ms", false).expect("ok");
    assert_eq!(r.delay_enter, Some(Duration::from_millis(1)));
    assert_eq!(r.delay_exit, Some(Duration::from_millis(2)));
}

#[test]
fn when_forms_pick_strace_calls() {
    let when = |w: &str| {
        fired(
            &one(&format!("getpid:error=1:when={w}"), false).unwrap(),
            12,
        )
    };
    assert_eq!(when("3"), vec![3]);
    assert_eq!(when("3+"), (3..=12).collect::<Vec<_>>());
    assert_eq!(when("2+3"), vec![2, 5, 8, 11]);
    assert_eq!(when("2..4"), vec![2, 3, 4]);
    assert_eq!(when("2..9+3"), vec![2, 5, 8]);
    assert_eq!(
        fired(&one("getpid:error=1", false).unwrap(), 3),
        vec![1, 2, 3]
    );
}

#[test]
fn bad_specs_are_refused_as_strace_refuses_them() {
    for bad in [
        "getpid",
        "getpid:error=FOO",
        "getpid:error=4096",
        "getpid:error=0",
        "getpid:retval=x",
        "getpid:when=0",
        "getpid:when=3..2",
        "getpid:when=1..1",
        "getpid:when=1+0",
        "getpid:when=65536",
        "getpid:when=+1",
        "getpid:when=2..3+1+",
        "getpid:signal=FOO",
        "getpid:signal=0",
        "getpid:error=ENOENT:retval=1",
        "getpid:error=ENOENT:error=EPERM",
        "getpid:foo=1",
        "getpid:delay_enter=x",
        "chdir:syscall=getuid",
        "chdir:syscall=chdir:error=1",
    ] {
        let err = Injections::default().add(bad, false).expect_err(bad);
        assert_eq!(err.to_string(), format!("invalid inject argument '{bad}'"));
    }
    for bad in ["getpid:retval=1", "getpid:signal=SIGUSR1"] {
        let err = Injections::default().add(bad, true).expect_err(bad);
        assert_eq!(err.to_string(), format!("invalid fault argument '{bad}'"));
    }
    let err = Injections::default()
        .add("nosuch:error=1", false)
        .unwrap_err();
    assert_eq!(err.to_string(), "invalid system call 'nosuch'");
    let err = Injections::default().add(":error=1", false).unwrap_err();
    assert_eq!(err.to_string(), "invalid system call ''");
}

#[test]
fn a_later_expression_replaces_an_earlier_one_and_retval_warns() {
    let mut all = Injections::default();
    all.add("getpid,getppid:error=EPERM", false).unwrap();
    let warnings = all.add("getpid:retval=-1", false).unwrap();
    assert_eq!(
        warnings,
        ["Inadvertent injection of error 1 is possible for retval=18446744073709551615"]
    );
    assert_eq!(
        all.rule(nr("getpid")).unwrap().outcome,
        Some(Outcome::Value(u64::MAX))
    );
    assert_eq!(
        all.rule(nr("getppid")).unwrap().outcome,
        Some(Outcome::Error(1))
    );
    assert!(all.rule(nr("getuid")).is_none());
}

#[test]
fn counters_are_per_thread_and_syscall() {
    let mut c = Counters::default();
    assert_eq!((c.next(1, 39), c.next(1, 39), c.next(2, 39)), (1, 2, 1));
    assert_eq!(c.next(1, 110), 1);
    c.forget(1);
    assert_eq!(c.next(1, 39), 1);
}

#[test]
fn pokes_are_read_as_strace_reads_them() {
    let mut all = Injections::default();
    all.add(
        "sendfile:poke_enter=@arg3=00ff,,@arg1=0g:poke_exit=@arg7=AB",
        false,
    )
    .unwrap();
    let rule = *all.rule(nr("sendfile")).unwrap();
    let pokes = all.pokes(&rule).unwrap();
    let arg = |p: &Poke| (p.arg, p.data.clone());
    assert_eq!(
        pokes.enter.iter().map(arg).collect::<Vec<_>>(),
        [(3, vec![0, 0xff]), (1, vec![0])]
    );
    assert_eq!(
        pokes.exit.iter().map(arg).collect::<Vec<_>>(),
        [(7, vec![0xab])]
    );
    // A poke alone acts; odd lengths, arg 0 or 8, a second poke_enter do not parse.
    for bad in [
        "@arg1=0",
        "@arg0=00",
        "@arg8=00",
        "@arg1=00:poke_enter=@arg2=00",
        "",
    ] {
        let text = format!("write:poke_enter={bad}");
        assert!(all.add(&text, false).is_err(), "{text}");
    }
    assert!(all.add("write:poke_enter=@arg1=00", true).is_err());
}
