//! The house rules of `ARCHITECTURE.md`, checked on the source: no file under `src/` over 600
//! lines, and no import cycle, neither between files (modules) nor between the crate's
//! top-level modules. Imports are read from the source text: `use` declarations and paths
//! written out in code (`crate::a::b`, `super::c`), each resolved to the module it names;
//! `mod x;` (a module declaring its child) is containment, not an import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

/// One module (one file), by its path in its crate: `["app", "keys"]`; the binary's modules
/// start with `bin`.
type Module = Vec<String>;

struct Source {
    module: Module,
    text: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file is, from where it lies (`src/app/keys.rs` -> `app::keys`); the binary's
/// files (`src/main.rs`, `src/cli*`) are under `bin`.
fn module_of(path: &Path) -> Module {
    let rel = path.strip_prefix(src_dir()).expect("under src/");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts == ["lib"] {
        parts.clear();
    }
    if parts == ["main"] {
        return vec!["bin".into()];
    }
    if parts.first().is_some_and(|p| p == "cli") {
        parts.insert(0, "bin".into());
    }
    parts
}

/// The text without comments and string literals (a path in a doc comment is no import).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push_str("\"\"");
            }
            // A char literal ('a', '\n') or a lifetime ('a): skip the literal only.
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                let mut it = rest.chars();
                match (it.next(), it.next(), it.next()) {
                    (Some('\\'), _, _) => {
                        for c in chars.by_ref() {
                            if c == '\'' {
                                break;
                            }
                        }
                    }
                    (Some(_), Some('\''), _) => {
                        chars.next();
                        chars.next();
                    }
                    _ => out.push(c),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The code without its inline test modules (`#[cfg(test)] mod tests { ... }`): their
/// paths are relative to the test module and they are no part of the crate's structure.
fn without_inline_tests(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let rest = &out[at..];
        let Some(brace) = rest.find(['{', ';']) else {
            break;
        };
        if rest.as_bytes()[brace] == b';' {
            // `#[cfg(test)] mod tests;`: a file of its own.
            out.replace_range(at..at + brace + 1, "");
            continue;
        }
        let mut depth = 0;
        let mut end = rest.len();
        for (i, c) in rest[brace..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = brace + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(at..at + end, "");
    }
    out
}

/// `#[path = "x.rs"] mod name;` in a file: the file `x.rs` is the child `name`.
fn path_attributes(dir: &Path, text: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("#[path = \"") {
        rest = &rest[i + 10..];
        let Some(end) = rest.find('"') else { break };
        let file = dir.join(&rest[..end]);
        let after = &rest[end..];
        if let Some(m) = after.find("mod ") {
            let name: String = after[m + 4..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((file, name));
        }
    }
    out
}

fn read_sources() -> Vec<(PathBuf, Source)> {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let mut sources: Vec<(PathBuf, Source)> = files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a source file");
            (
                p.clone(),
                Source {
                    module: module_of(&p),
                    text,
                },
            )
        })
        .collect();
    // Files placed with `#[path]` take the module their parent gives them.
    let renames: Vec<(PathBuf, Module)> = sources
        .iter()
        .flat_map(|(p, s)| {
            let dir = p.parent().expect("a directory").to_path_buf();
            path_attributes(&dir, &s.text)
                .into_iter()
                .map(|(file, name)| {
                    let mut m = s.module.clone();
                    m.push(name);
                    (file, m)
                })
        })
        .collect();
    for (file, module) in renames {
        if let Some((_, s)) = sources.iter_mut().find(|(p, _)| *p == file) {
            s.module = module;
        }
    }
    sources
}

/// The identifier path starting at `at` (`a::b::{c, d}` gives `[a, b]` and the group).
fn path_at(code: &str, at: usize) -> (Vec<String>, Option<String>) {
    let mut segs = Vec::new();
    let mut rest = &code[at..];
    loop {
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            break;
        }
        rest = &rest[ident.len()..];
        segs.push(ident);
        let trimmed = rest.trim_start();
        if let Some(r) = trimmed.strip_prefix("::") {
            let r = r.trim_start();
            if let Some(group) = r.strip_prefix('{') {
                let mut depth = 1;
                let end = group
                    .char_indices()
                    .find(|(_, c)| {
                        match c {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map_or(group.len(), |(i, _)| i);
                return (segs, Some(group[..end].to_string()));
            }
            rest = r;
        } else {
            break;
        }
    }
    (segs, None)
}

/// A `use` declaration's path, one per item of its groups.
struct Use {
    path: Vec<String>,
    /// `pub use` (any visibility): a re-export.
    public: bool,
    /// The name it is known by here (`as` alias, else the last segment).
    name: String,
}

fn is_boundary(bytes: &[u8], i: usize) -> bool {
    i == 0
        || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':')
}

/// Expands `base::{a, b::{c, d as e}}` into one path per item, with the item's local name.
fn expand(base: Vec<String>, group: Option<String>, out: &mut Vec<(Vec<String>, String)>) {
    let Some(g) = group else {
        let name = base.last().cloned().unwrap_or_default();
        out.push((base, name));
        return;
    };
    for item in split_group(&g) {
        let item = item.trim();
        let (segs, inner) = path_at(item, 0);
        let mut p = base.clone();
        p.extend(segs);
        if inner.is_some() {
            expand(p, inner, out);
            continue;
        }
        let name = match item.split_once(" as ") {
            Some((_, alias)) => alias.trim().to_string(),
            None => p.last().cloned().unwrap_or_default(),
        };
        out.push((p, name));
    }
}

/// The `use` declarations of a file, as written (the resolver tells a child module from an
/// outside crate).
fn uses(code: &str) -> Vec<Use> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find("use ") {
        let at = from + i;
        from = at + 4;
        if !is_boundary(bytes, at) {
            continue;
        }
        let before = code[..at].trim_end();
        let public = before.ends_with("pub")
            || (before.ends_with(')')
                && before
                    .rfind("pub(")
                    .is_some_and(|p| !before[p..].contains('\n')));
        let after = &code[at + 4..];
        let start = at + 4 + (after.len() - after.trim_start().len());
        let (segs, group) = path_at(code, start);
        let mut items = Vec::new();
        expand(segs, group, &mut items);
        out.extend(
            items
                .into_iter()
                .map(|(path, name)| Use { path, public, name }),
        );
    }
    out
}

/// Paths written in code outside `use` declarations: `crate::a::b`, `super::c`, `self::d`.
fn code_paths(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for head in ["crate", "super", "self"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(head) {
            let at = from + i;
            from = at + head.len();
            if !is_boundary(bytes, at) || !code[from..].trim_start().starts_with("::") {
                continue;
            }
            // Inside a `use` declaration: `uses` reads those.
            let stmt = code[..at].rfind([';', '{', '}']).map_or(0, |p| p + 1);
            let lead = code[stmt..at].trim_start();
            if lead.starts_with("use ") || lead.starts_with("pub ") || lead.starts_with("pub(") {
                continue;
            }
            let (segs, group) = path_at(code, at);
            let mut items = Vec::new();
            expand(segs, group, &mut items);
            out.extend(items.into_iter().map(|(p, _)| p));
        }
    }
    out
}

fn split_group(g: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in g.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&g[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&g[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Items each module re-exports (`pub use`): name -> the module that defines it.
type Reexports = BTreeMap<Module, BTreeMap<String, Module>>;

/// Resolves a written path to the module that defines what it names: down the modules it
/// goes through, then through re-exports (`crate::app::Msg` is `app::msg`'s `Msg`). A path
/// that starts with neither `crate`, `super` nor `self` names a child module of `me`, or an
/// outside crate (then `None`).
fn resolve(
    me: &Module,
    path: &[String],
    modules: &BTreeSet<Module>,
    reexports: &Reexports,
) -> Option<Module> {
    let first = path.first()?;
    let (mut base, mut rest): (Module, &[String]) = match first.as_str() {
        "crate" if me.first().is_some_and(|m| m == "bin") => (vec!["bin".into()], &path[1..]),
        "crate" => (vec![], &path[1..]),
        "self" => (me.clone(), &path[1..]),
        "super" => (me[..me.len().saturating_sub(1)].to_vec(), &path[1..]),
        _ => {
            let mut child = me.clone();
            child.push(first.clone());
            if !modules.contains(&child) {
                return None;
            }
            (me.clone(), path)
        }
    };
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    if !modules.contains(&base) {
        return None;
    }
    for (i, seg) in rest.iter().enumerate() {
        let mut next = base.clone();
        next.push(seg.clone());
        if modules.contains(&next) {
            base = next;
            continue;
        }
        // An item: defined here, or re-exported from elsewhere.
        if let Some(target) = reexports.get(&base).and_then(|r| r.get(seg))
            && *target != base
        {
            let mut further = vec!["self".to_string()];
            further.extend(rest[i + 1..].iter().cloned());
            return resolve(target, &further, modules, reexports).or(Some(target.clone()));
        }
        break;
    }
    Some(base)
}

/// What each module re-exports, followed through re-exports of re-exports.
fn reexports_of(sources: &[(Module, String)], modules: &BTreeSet<Module>) -> Reexports {
    let mut map = Reexports::new();
    for _ in 0..4 {
        let mut next = Reexports::new();
        for (m, code) in sources {
            for u in uses(code).into_iter().filter(|u| u.public) {
                if let Some(target) = resolve(m, &u.path, modules, &map) {
                    next.entry(m.clone()).or_default().insert(u.name, target);
                }
            }
        }
        map = next;
    }
    map
}

fn edges() -> BTreeMap<Module, BTreeSet<Module>> {
    let sources: Vec<(Module, String)> = read_sources()
        .into_iter()
        .map(|(_, s)| (s.module, without_inline_tests(&code_only(&s.text))))
        .collect();
    let modules: BTreeSet<Module> = sources.iter().map(|(m, _)| m.clone()).collect();
    let reexports = reexports_of(&sources, &modules);
    let mut graph = BTreeMap::new();
    for (me, code) in &sources {
        let mut deps = BTreeSet::new();
        for u in uses(code) {
            let Some(target) = resolve(me, &u.path, &modules, &reexports) else {
                continue;
            };
            // A module's `pub use` of its own descendants is its public face (like `mod`),
            // not an import; any other `use` is.
            if u.public && target.len() > me.len() && target.starts_with(me) {
                continue;
            }
            deps.insert(target);
        }
        for p in code_paths(code) {
            deps.extend(resolve(me, &p, &modules, &reexports));
        }
        deps.remove(me);
        graph.insert(me.clone(), deps);
    }
    graph
}

/// A cycle in the graph, if there is one, as the list of its nodes.
fn find_cycle<N: Ord + Clone>(graph: &BTreeMap<N, BTreeSet<N>>) -> Option<Vec<N>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<N: Ord + Clone>(
        n: &N,
        graph: &BTreeMap<N, BTreeSet<N>>,
        marks: &mut BTreeMap<N, Mark>,
        stack: &mut Vec<N>,
    ) -> Option<Vec<N>> {
        match marks.get(n) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let at = stack.iter().position(|s| s == n).unwrap_or(0);
                return Some(stack[at..].to_vec());
            }
            None => {}
        }
        marks.insert(n.clone(), Mark::Open);
        stack.push(n.clone());
        for next in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, graph, marks, stack) {
                return Some(c);
            }
        }
        stack.pop();
        marks.insert(n.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, graph, &mut marks, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

#[test]
fn no_source_file_has_more_than_600_lines() {
    let long: Vec<String> = read_sources()
        .into_iter()
        .filter(|(_, s)| s.text.lines().count() > MAX_LINES)
        .map(|(p, s)| format!("{} ({} lines)", p.display(), s.text.lines().count()))
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}

#[test]
fn no_two_files_import_each_other_even_through_others() {
    let graph = edges();
    assert!(
        graph.len() > 40,
        "the source was read: {} modules",
        graph.len()
    );
    if let Some(cycle) = find_cycle(&graph) {
        let names: Vec<String> = cycle.iter().map(name).collect();
        panic!("import cycle between files: {}", names.join(" -> "));
    }
}

#[test]
fn the_top_level_modules_form_layers_without_a_cycle() {
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, deps) in edges() {
        let Some(a) = from.first().cloned() else {
            continue;
        };
        let entry = top.entry(a.clone()).or_default();
        for d in deps {
            if let Some(b) = d.first()
                && *b != a
            {
                entry.insert(b.clone());
            }
        }
    }
    assert!(
        top["app"].contains("store") && top["ui"].contains("app"),
        "{top:?}"
    );
    if let Some(cycle) = find_cycle(&top) {
        panic!(
            "import cycle between top-level modules: {}",
            cycle.join(" -> ")
        );
    }
    // The library never reaches up into the binary.
    for (m, deps) in &top {
        assert!(
            m == "bin" || !deps.contains("bin"),
            "{m} uses the binary's modules"
        );
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle_through_three_nodes() {
    let g: BTreeMap<u8, BTreeSet<u8>> = [
        (1, BTreeSet::from([2])),
        (2, BTreeSet::from([3])),
        (3, BTreeSet::from([1])),
        (4, BTreeSet::from([1])),
    ]
    .into();
    let c = find_cycle(&g).expect("1 -> 2 -> 3 -> 1");
    assert_eq!(c.len(), 3);
    let acyclic: BTreeMap<u8, BTreeSet<u8>> =
        [(1, BTreeSet::from([2])), (2, BTreeSet::new())].into();
    assert_eq!(find_cycle(&acyclic), None);
}

#[test]
fn imports_are_read_from_use_groups_re_exports_and_paths_in_code() {
    let app: Module = vec!["app".into()];
    let keys: Module = vec!["app".into(), "keys".into()];
    let msg: Module = vec!["app".into(), "msg".into()];
    let modules: BTreeSet<Module> = [
        vec![],
        app.clone(),
        keys.clone(),
        msg.clone(),
        vec!["store".into()],
        vec!["view".into()],
    ]
    .into();
    let sources = vec![
        (
            app.clone(),
            "mod keys; mod msg; pub use msg::{Cmd, Msg as M};".to_string(),
        ),
        (
            keys.clone(),
            code_only(
                "use crate::app::M; // crate::view in a comment\n\
                 use crate::{store::Store, view};\nlet s = \"crate::nope\"; super::Cmd::Quit;",
            ),
        ),
    ];
    let reexports = reexports_of(&sources, &modules);
    assert_eq!(reexports[&app]["M"], msg);
    let code = &sources[1].1;
    let mut found: BTreeSet<Module> = uses(code)
        .iter()
        .filter_map(|u| resolve(&keys, &u.path, &modules, &reexports))
        .collect();
    found.extend(
        code_paths(code)
            .iter()
            .filter_map(|p| resolve(&keys, p, &modules, &reexports)),
    );
    // Through the hub's re-exports to the defining module; the comment and the string are
    // no imports.
    assert_eq!(
        found,
        [msg, vec!["store".to_string()], vec!["view".to_string()]].into()
    );
}

#[test]
fn inline_test_modules_are_left_out() {
    let code = without_inline_tests(
        "fn a() {}\n#[cfg(test)]\nmod tests {\n use super::*;\n fn b() { if x { y } }\n}\nfn c() {}",
    );
    assert_eq!(code.replace(char::is_whitespace, ""), "fna(){}fnc(){}");
}
