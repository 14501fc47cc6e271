//! NETLINK_ROUTE link messages' tables (RTM_NEWLINK, RTM_GETLINK) from the kernel UAPI
//! headers of Debian's `linux-libc-dev`: the `IFLA_*` attribute types (the top-level enum of
//! `linux/if_link.h`, not its nested ones), IFLA_XDP's nested attributes and values, the link
//! events and extended-info filter flags,
//! and the field names of `struct rtnl_link_stats` and `rtnl_link_stats64` in their order.

use std::{fmt::Write as _, fs};

use anyhow::{Context, Result, bail};
use regex::Regex;

use super::headers::{ValueTable, render_value_tables, values};

const IF_LINK: &str = "linux/if_link.h";

const TABLES: &[ValueTable] = &[
    ValueTable {
        constant: "IFLA_EVENTS",
        prefix: "IFLA_EVENT_",
        header: IF_LINK,
        names: "IFLA_EVENT_[A-Z_]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "IFLA_XDP_ATTRS",
        prefix: "IFLA_XDP_",
        header: IF_LINK,
        names: "IFLA_XDP_[A-Z_]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "XDP_ATTACHED_MODES",
        prefix: "XDP_ATTACHED_",
        header: IF_LINK,
        names: "XDP_ATTACHED_[A-Z_]+",
        bits: false,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "XDP_FLAGS",
        prefix: "XDP_FLAGS_",
        header: IF_LINK,
        names: "XDP_FLAGS_[A-Z_]+",
        bits: true,
        exclude: "^$",
        probe: true,
    },
    ValueTable {
        constant: "RTEXT_FILTER_FLAGS",
        prefix: "RTEXT_FILTER_",
        header: "linux/rtnetlink.h",
        names: "RTEXT_FILTER_[A-Z_]+",
        bits: true,
        exclude: "^$",
        probe: true,
    },
];

/// The generated `netlink_link_gen.rs`.
pub fn tables() -> Result<String> {
    let mut out = render_value_tables("Netlink link message tables", TABLES)?;
    let text = fs::read_to_string(format!("/usr/include/{IF_LINK}"))
        .with_context(|| format!("failed to read /usr/include/{IF_LINK}"))?;
    out.push_str(&ifla_attrs(&text)?);
    for (constant, name, ty) in [
        ("LINK_STATS_FIELDS", "rtnl_link_stats", "__u32"),
        ("LINK_STATS64_FIELDS", "rtnl_link_stats64", "__u64"),
    ] {
        out.push_str(&struct_fields(&text, constant, name, ty)?);
    }
    Ok(out)
}

/// The members of the enum from `IFLA_UNSPEC` to `__IFLA_MAX` (aliases written `A = B` left
/// out), valued by compiling the header.
fn ifla_attrs(text: &str) -> Result<String> {
    let start = text.find("IFLA_UNSPEC,").context("no IFLA_UNSPEC")?;
    let end = start + text[start..].find("__IFLA_MAX").context("no __IFLA_MAX")?;
    let member = Regex::new(r"(?m)^\s*(IFLA_[A-Z0-9_]+)\s*,")?;
    let names: Vec<String> = member
        .captures_iter(&text[start..end])
        .map(|c| c[1].to_string())
        .collect();
    let work = std::env::temp_dir().join(format!("tracer-ifla-codegen-{}", std::process::id()));
    fs::create_dir_all(&work).with_context(|| format!("failed to create {}", work.display()))?;
    let found = values(&work, IF_LINK, &names)?;
    let _ = fs::remove_dir_all(&work);
    let found = found.with_context(|| format!("{IF_LINK} does not compile alone"))?;
    if found.len() < 50 {
        bail!(
            "only {} IFLA_* attribute types found in {IF_LINK}",
            found.len()
        );
    }
    let mut out = format!(
        "\n/// From {IF_LINK}: the link attribute types (its top-level enum).\n\
         pub const IFLA_ATTRS: Xlat = Xlat::new(\n    \"IFLA_\",\n    &[\n"
    );
    for (value, name) in found {
        let _ = writeln!(out, "        ({name:?}, {value:#x}),");
    }
    out.push_str("    ],\n);\n");
    Ok(out)
}

/// `struct NAME`'s members of type `ty`, in order.
fn struct_fields(text: &str, constant: &str, name: &str, ty: &str) -> Result<String> {
    let body = Regex::new(&format!(r"(?s)struct {name} \{{(.*?)\}};"))?;
    let body = body
        .captures(text)
        .with_context(|| format!("no struct {name} in {IF_LINK}"))?;
    let field = Regex::new(&format!(r"(?m)^\s*{ty}\s+([a-z0-9_]+);"))?;
    let fields: Vec<String> = field
        .captures_iter(&body[1])
        .map(|c| format!("{:?}", &c[1]))
        .collect();
    if fields.len() < 23 {
        bail!("only {} fields found in struct {name}", fields.len());
    }
    Ok(format!(
        "\n/// From {IF_LINK}: struct {name}'s fields ({ty}), in order.\n\
         pub const {constant}: &[&str] = &[{}];\n",
        fields.join(", ")
    ))
}
